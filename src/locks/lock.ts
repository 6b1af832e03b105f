/**
 * Lock: mutual exclusion between tasks (asyncio's `Lock`).
 */
import { RuntimeError } from "../exceptions.js";
import { Held } from "./held.js";
import { LoopBound } from "./mixins.js";
import { WaiterQueue } from "./waiters.js";
import type { Coroutine } from "../coroutines.js";
import type { AsyncContextManager, Exit } from "../context.js";

/**
 * A primitive lock: `locked` or `unlocked`, not owned by any task (any task may release it).
 *
 * Fairness: strictly FIFO. Tasks blocked in `acquire()` get the lock in the order they asked, and a
 * task woken by `release()` keeps its turn until it runs: a task that asks after it waits, even while
 * `locked()` already reads false (see `waiters.ts`).
 *
 * Use it with `asyncWith(lock, body)`, with `using _ = yield* lock.hold()`, or with
 * `acquire()` / `release()` in a `try`/`finally`.
 *
 * `toString()`: `<Lock [unlocked]>`, `<Lock [locked, waiters:2]>`.
 *
 * @example
 * const lock = new Lock();
 * function* increment(counter: { n: number }) {
 *   using _ = yield* lock.hold();
 *   const n = counter.n;
 *   yield* sleep(100);
 *   counter.n = n + 1;
 * }
 */
export class Lock extends LoopBound implements AsyncContextManager<void> {
  /** @internal */ _locked = false;
  /** @internal Created at the first wait. */
  _waiters: WaiterQueue<boolean> | null = null;

  /** Whether the lock is held. */
  locked(): boolean {
    return this._locked;
  }

  /**
   * Acquires the lock and returns `true`.
   *
   * Blocks while the lock is held or other tasks are queued for it (FIFO: it never overtakes a
   * queued or woken waiter); when every queued waiter was cancelled, it takes a free lock at once.
   * Uncontended, it does not suspend.
   *
   * Cancellation: a task cancelled while it waits leaves the queue and does not get the lock; if it
   * had already been woken, the lock is handed to the next waiter.
   *
   * @throws CancelledError if the task is cancelled while it waits; RuntimeError if the lock is
   *   bound to another event loop.
   * @example
   * yield* lock.acquire();
   * try {
   *   yield* work();
   * } finally {
   *   lock.release();
   * }
   */
  *acquire(): Coroutine<true> {
    let waiters = this._waiters;
    if (!this._locked && (waiters === null || !waiters.hasUncancelled())) {
      this._locked = true;
      return true;
    }
    if (waiters === null) waiters = this._waiters = new WaiterQueue();
    const fut = this._getLoop().createFuture<boolean>();
    const node = waiters.push(fut);
    let woken = false;
    try {
      yield* fut;
      woken = true;
    } finally {
      waiters.remove(node);
      // The lock invariant: if we leave without the lock (cancelled, perhaps after being woken) and
      // nobody claimed it, the task at the head of the queue must run.
      if (!woken && !this._locked) this._wakeUpFirst();
    }
    this._locked = true;
    return true;
  }

  /**
   * Acquires the lock (as `acquire()`: same blocking, fairness and errors) and returns a `Held`
   * whose disposal releases it, for a `using` declaration.
   *
   * @example
   * function* critical() {
   *   using _ = yield* lock.hold();
   *   yield* work();
   * } // released here, even on error or cancellation
   */
  *hold(): Coroutine<Held> {
    yield* this.acquire();
    return new Held(this);
  }

  /**
   * Releases the lock and wakes the first queued waiter, if any. Never blocks. Any task may release
   * a locked Lock.
   * @throws RuntimeError if the lock is not locked.
   */
  release(): void {
    if (!this._locked) throw new RuntimeError("Lock is not acquired: release() must follow a successful acquire()");
    this._locked = false;
    this._wakeUpFirst();
  }

  /** `asyncWith(lock, body)`: acquires the lock (see `acquire()`). */
  *aenter(): Coroutine<void> {
    yield* this.acquire();
  }

  /** `asyncWith(lock, body)`: releases the lock; never suppresses the body's error. */
  *aexit(_exit: Exit): Coroutine<void> {
    this.release();
  }

  /** Wakes the head waiter unless it was already woken or cancelled (then its own task hands on). */
  private _wakeUpFirst(): void {
    const head = this._waiters?.head;
    if (head != null && head.fut._state === "pending") head.fut.setResult(true);
  }

  protected _describe(): string {
    const n = this._waiters?.size ?? 0;
    const s = this._locked ? "locked" : "unlocked";
    return n === 0 ? s : `${s}, waiters:${n}`;
  }
}
