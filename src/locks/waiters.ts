/**
 * The one FIFO wait queue under every primitive (Lock, Event, Condition, Semaphore, Barrier through
 * its Condition, and the getters and putters of every Queue).
 *
 * ## Fairness
 * Waiters are served strictly in arrival order. A waiter that has been woken keeps its place until
 * its task runs: nobody who arrives later (or who calls again right after releasing) overtakes it,
 * even while the primitive looks free (`locked()` is already false after a release). The one
 * exception is CPython's: when every queued waiter has been cancelled, a newcomer does not queue
 * behind the dead ones. Queues follow CPython's `Queue` exactly, which is FIFO among waiters but lets
 * a `getNowait()`/`putNowait()` that runs before a woken waiter take the item or the free slot; the
 * woken waiter then waits again, at the back.
 *
 * ## Cancellation
 * A waiter is a Future its task awaits. `Task.cancel()` cancels that future; the waiter stays queued
 * until its task runs and removes itself (O(1)), exactly where CPython's deque would still hold it,
 * so `waiters:N` in `toString()` counts what CPython's repr counts. A cancelled waiter never receives
 * anything: wake-ups skip it. A waiter that was woken and then cancelled before it ran passes what it
 * was given on (the lock, the permit, the notification, the item's wake-up) to the next waiter, so
 * nothing is lost and nothing is handed out twice. Each primitive states the exact rule where it
 * catches the `CancelledError`.
 *
 * ## Cost
 * A doubly linked list of small nodes: push, shift and remove are O(1). The queries "first waiter
 * not yet done" and "is any waiter not cancelled" scan past a prefix of done (or cancelled) nodes
 * that is remembered between calls, so each node is passed over at most once in its life: O(1)
 * amortized, however many waiters are woken or cancelled in one loop iteration.
 */
import type { Future } from "../futures.js";

/** @internal One queued waiter: the future its task awaits, linked into one WaiterQueue. */
export class WaiterNode<T> {
  prev: WaiterNode<T> | null = null;
  next: WaiterNode<T> | null = null;
  /** The queue holding this node, or null once it was removed. */
  queue: WaiterQueue<T> | null;

  constructor(
    readonly fut: Future<T>,
    queue: WaiterQueue<T>,
  ) {
    this.queue = queue;
  }
}

/** @internal A FIFO of waiters with O(1) push, shift and removal from anywhere. */
export class WaiterQueue<T> {
  head: WaiterNode<T> | null = null;
  tail: WaiterNode<T> | null = null;
  /** How many waiters are queued (woken and cancelled ones included until they remove themselves). */
  size = 0;
  /** Every node from `head` through this one is done (null: no such prefix is known). */
  private doneUpTo: WaiterNode<T> | null = null;
  /** Every node from `head` through this one is cancelled (null: no such prefix is known). */
  private cancelledUpTo: WaiterNode<T> | null = null;

  /** Appends a waiter for `fut`; returns its node, for `remove`. */
  push(fut: Future<T>): WaiterNode<T> {
    const node = new WaiterNode(fut, this);
    const tail = this.tail;
    if (tail === null) {
      this.head = node;
    } else {
      tail.next = node;
      node.prev = tail;
    }
    this.tail = node;
    this.size++;
    return node;
  }

  /** Unlinks `node` if it is still queued here; returns whether it was. O(1). */
  remove(node: WaiterNode<T>): boolean {
    if (node.queue !== this) return false;
    const prev = node.prev;
    const next = node.next;
    if (prev === null) this.head = next;
    else prev.next = next;
    if (next === null) this.tail = prev;
    else next.prev = prev;
    // Both prefixes stay valid: what preceded `node` still precedes its successor.
    if (this.doneUpTo === node) this.doneUpTo = prev;
    if (this.cancelledUpTo === node) this.cancelledUpTo = prev;
    node.prev = node.next = null;
    node.queue = null;
    this.size--;
    return true;
  }

  /** Unlinks and returns the first node, or null if the queue is empty. */
  shift(): WaiterNode<T> | null {
    const node = this.head;
    if (node !== null) this.remove(node);
    return node;
  }

  /** The first waiter whose future is still pending (neither woken nor cancelled), or null. */
  firstPending(): WaiterNode<T> | null {
    let last = this.doneUpTo;
    let p = last === null ? this.head : last.next;
    while (p !== null && p.fut._state !== "pending") {
      last = p;
      p = p.next;
    }
    this.doneUpTo = last;
    return p;
  }

  /** Whether some queued waiter is not cancelled (CPython: `any(not w.cancelled() for w in waiters)`). */
  hasUncancelled(): boolean {
    let last = this.cancelledUpTo;
    let p = last === null ? this.head : last.next;
    while (p !== null && p.fut._state === "cancelled") {
      last = p;
      p = p.next;
    }
    this.cancelledUpTo = last;
    return p !== null;
  }

  /** Wakes the first pending waiter with `value`; returns whether there was one. */
  wakeFirstPending(value: T): boolean {
    const node = this.firstPending();
    if (node === null) return false;
    node.fut.setResult(value);
    return true;
  }

  /** Wakes every pending waiter with `value`, in order; returns how many were woken. */
  wakeAllPending(value: T): number {
    let n = 0;
    for (let p = this.firstPending(); p !== null; p = p.next) {
      if (p.fut._state === "pending") {
        p.fut.setResult(value);
        n++;
      }
    }
    return n;
  }

  /**
   * Queue semantics (CPython's `Queue._wakeup_next`): unlinks waiters from the front until one is
   * pending, wakes that one with `value` and unlinks it too; returns whether one was woken.
   */
  shiftAndWake(value: T): boolean {
    let node = this.head;
    while (node !== null) {
      this.remove(node);
      if (node.fut._state === "pending") {
        node.fut.setResult(value);
        return true;
      }
      node = this.head;
    }
    return false;
  }
}
