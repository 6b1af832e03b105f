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
 * A waiter is what its task awaits: an Operation, which stands in for a Future (operation.ts).
 * `Task.cancel()` cancels it; the waiter stays queued until its task runs and removes itself (O(1)),
 * or until a Queue's wake-up unlinks it: each node leaves exactly when CPython's deque would drop
 * it, so `waiters:N` in `toString()` counts what CPython's repr counts. A cancelled waiter never
 * receives anything: wake-ups skip it. A waiter that was woken and then cancelled before it ran
 * passes what it was given on (the lock, the permit, the notification, the item's or slot's
 * wake-up) to the next waiter, so nothing is lost and nothing is handed out twice. Each primitive
 * states the exact rule where it catches the `CancelledError`.
 *
 * ## Cost
 * An intrusive doubly linked list whose nodes are the waiting coroutines themselves, so waiting
 * allocates nothing beyond the coroutine object; push, shift and remove are O(1). The queries
 * "first waiter not yet done" and "is any waiter not cancelled" scan past a prefix of done (or
 * cancelled) nodes that is remembered between calls, so each node is passed over at most once in
 * its life: O(1) amortized, however many waiters are woken or cancelled in one loop iteration.
 */
import type { Operation } from "./operation.js";
import { anchorShape } from "../internal/shapes.js";

type Node = Operation<unknown, unknown>;

/** @internal A FIFO of waiters with O(1) push, shift and removal from anywhere. */
export class WaiterQueue {
  head: Node | null = null;
  tail: Node | null = null;
  /** How many waiters are queued (woken and cancelled ones included until they remove themselves). */
  size = 0;
  /** Every node from `head` through this one is done (null: no such prefix is known). */
  private doneUpTo: Node | null = null;
  /** Every node from `head` through this one is cancelled (null: no such prefix is known). */
  private cancelledUpTo: Node | null = null;

  /** Appends `node` (which is in no queue). */
  push(node: Node): void {
    const tail = this.tail;
    if (tail === null) {
      this.head = node;
    } else {
      tail._next = node;
      node._prev = tail;
    }
    this.tail = node;
    this.size++;
  }

  /**
   * Unlinks `node` if it is still queued here; returns whether it was. O(1). A node is only ever
   * queued in its own primitive's queue, so its links tell whether it is still here.
   */
  remove(node: Node): boolean {
    if (node._prev === null && this.head !== node) return false;
    const prev = node._prev;
    const next = node._next;
    if (prev === null) this.head = next;
    else prev._next = next;
    if (next === null) this.tail = prev;
    else next._prev = prev;
    // Both prefixes stay valid: what preceded `node` still precedes its successor.
    if (this.doneUpTo === node) this.doneUpTo = prev;
    if (this.cancelledUpTo === node) this.cancelledUpTo = prev;
    node._prev = node._next = null;
    this.size--;
    return true;
  }

  /** The first waiter still pending (neither woken nor cancelled), or null. */
  firstPending(): Node | null {
    let last = this.doneUpTo;
    let p = last === null ? this.head : last._next;
    while (p !== null && p._state !== "pending") {
      last = p;
      p = p._next;
    }
    this.doneUpTo = last;
    return p;
  }

  /** Whether some queued waiter is not cancelled (CPython: `any(not w.cancelled() for w in waiters)`). */
  hasUncancelled(): boolean {
    let last = this.cancelledUpTo;
    let p = last === null ? this.head : last._next;
    while (p !== null && p._state === "cancelled") {
      last = p;
      p = p._next;
    }
    this.cancelledUpTo = last;
    return p !== null;
  }

  /** Wakes the first pending waiter; returns whether there was one. */
  wakeFirstPending(): boolean {
    const node = this.firstPending();
    if (node === null) return false;
    node._wake();
    return true;
  }

  /** Wakes every pending waiter, in order; returns how many were woken. */
  wakeAllPending(): number {
    let n = 0;
    for (let p = this.firstPending(); p !== null; p = p._next) {
      if (p._state === "pending") {
        p._wake();
        n++;
      }
    }
    return n;
  }

  /**
   * Queue semantics (CPython's `Queue._wakeup_next`): unlinks waiters from the front until one is
   * pending, wakes that one and unlinks it too; returns whether one was woken.
   */
  shiftAndWake(): boolean {
    let node = this.head;
    while (node !== null) {
      this.remove(node);
      if (node._state === "pending") {
        node._wake();
        return true;
      }
      node = this.head;
    }
    return false;
  }
}

// Keep the hidden class alive and general (internal/shapes.ts).
anchorShape(new WaiterQueue());
