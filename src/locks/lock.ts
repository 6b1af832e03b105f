/**
 * Lock: mutual exclusion between tasks (asyncio's `Lock`).
 */
import { RuntimeError } from "../exceptions.js";
import type { Held } from "./held.js";
import { LoopBound } from "./mixins.js";
import {
  acquiredResult,
  DONE_VOID,
  FINISHED,
  NEW,
  Operation,
  ReleaseOnExit,
  RETURN_HELD,
  RETURN_TRUE,
  RETURN_VOID,
  WAITING,
  type OpHandler,
  type ReturnMode,
} from "./operation.js";
import { WaiterQueue } from "./waiters.js";
import type { Coroutine } from "../coroutines.js";
import type { AsyncContextManager, Exit } from "../context.js";
import { anchorShape } from "../internal/shapes.js";

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
  _waiters: WaiterQueue | null = null;

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
   * @throws CancelledError if the task is cancelled while it waits.
   * @throws RuntimeError if it has to wait and the lock is bound to another event loop, or if the
   *   returned coroutine is awaited again after it finished.
   * @example
   * yield* lock.acquire();
   * try {
   *   yield* work();
   * } finally {
   *   lock.release();
   * }
   */
  acquire(): Coroutine<true> {
    return new Operation(LOCK_ACQUIRE, this, RETURN_TRUE) as unknown as Coroutine<true>;
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
  hold(): Coroutine<Held> {
    return new Operation(LOCK_ACQUIRE, this, RETURN_HELD) as unknown as Coroutine<Held>;
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
  aenter(): Coroutine<void> {
    return new Operation(LOCK_ACQUIRE, this, RETURN_VOID) as unknown as Coroutine<void>;
  }

  /** `asyncWith(lock, body)`: releases the lock; never suppresses the body's error. */
  aexit(_exit: Exit): Coroutine<void> {
    return new ReleaseOnExit(this) as unknown as Coroutine<void>;
  }

  /** @internal Wakes the head waiter unless it was already woken or cancelled (then its own task hands on). */
  _wakeUpFirst(): void {
    const head = this._waiters?.head;
    if (head != null && head._state === "pending") head._wake();
  }

  protected _describe(): string {
    const n = this._waiters?.size ?? 0;
    const s = this._locked ? "locked" : "unlocked";
    return n === 0 ? s : `${s}, waiters:${n}`;
  }
}

/**
 * The coroutine of `acquire()`, `hold()` and `aenter()` (an Operation, see operation.ts). As a generator:
 *
 *     if (!locked && no waiter but cancelled ones) { locked = true; return }
 *     queue; try { wait } finally { unqueue; if we leave without the lock and nobody claimed it,
 *     wake the head }; locked = true
 */
const LOCK_ACQUIRE: OpHandler<unknown, Lock> = {
  next(op) {
    const lock = op._target;
    const step = op._step;
    if (step === NEW) {
      let waiters = lock._waiters;
      if (!lock._locked && (waiters === null || !waiters.hasUncancelled())) {
        lock._locked = true;
        op._step = FINISHED;
        return acquiredResult(op._arg as ReturnMode, lock);
      }
      op._step = FINISHED; // if the loop check throws, the coroutine is over
      const loop = lock._getLoop();
      if (waiters === null) waiters = lock._waiters = new WaiterQueue();
      return op._wait(loop, waiters);
    }
    if (step === WAITING) {
      const again = op._resumeFrom(lock._waiters);
      if (again !== null) return again;
      lock._locked = true;
      op._step = FINISHED;
      return acquiredResult(op._arg as ReturnMode, lock);
    }
    return DONE_VOID;
  },

  /** Leaving while queued: the lock invariant (if nobody claimed the lock, the head must run). */
  abandon(op) {
    const lock = op._target;
    lock._waiters!.remove(op);
    if (!lock._locked) lock._wakeUpFirst();
  },

  what: () => "Lock.acquire()",
};

// Keep the hidden class alive and general (internal/shapes.ts).
anchorShape(new Lock());
