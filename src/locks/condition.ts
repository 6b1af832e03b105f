/**
 * Condition: wait until notified, under a lock (asyncio's `Condition`).
 */
import { CancelledError, RuntimeError, ValueError } from "../exceptions.js";
import type { Held } from "./held.js";
import { DONE_TRUE, DONE_VOID, FINISHED, NEW, Operation, ReleaseOnExit, WAITING, type OpHandler } from "./operation.js";
import { Lock } from "./lock.js";
import { LoopBound } from "./mixins.js";
import { WaiterQueue } from "./waiters.js";
import { describe, type Coroutine, type Suspension } from "../coroutines.js";
import type { AsyncContextManager, Exit } from "../context.js";
import { anchorShape } from "../internal/shapes.js";

const NONE: unique symbol = Symbol("none");

/**
 * A condition variable: tasks holding its lock `wait()` until another task `notify()`s them.
 *
 * The lock is a new `Lock` unless one is given (several conditions may share a lock).
 * `acquire()`, `release()` and `locked()` are the lock's; a Condition is a context manager for
 * `asyncWith` and has `hold()` for `using`, like the lock.
 *
 * Fairness: `notify(n)` wakes the `n` longest-waiting tasks; each then re-acquires the lock in FIFO
 * order behind the tasks already queued for it.
 *
 * `toString()`: `<Condition [locked, waiters:1]>`.
 *
 * @example
 * const cond = new Condition();
 * const items: number[] = [];
 * function* consumer() {
 *   using _ = yield* cond.hold();
 *   yield* cond.waitFor(() => items.length > 0);
 *   return items.shift();
 * }
 * function* producer() {
 *   using _ = yield* cond.hold();
 *   items.push(1);
 *   cond.notify();
 * }
 */
export class Condition extends LoopBound implements AsyncContextManager<void> {
  /** @internal */ readonly _lock: Lock;
  /** @internal Created at the first wait. */
  _waiters: WaiterQueue | null = null;

  /**
   * @param lock the lock to use (default: a new Lock).
   * @throws TypeError if `lock` is given and is not a `Lock`.
   */
  constructor(lock?: Lock) {
    super();
    if (lock === undefined || lock === null) {
      lock = new Lock();
      lock._owner = this;
    } else if (!(lock instanceof Lock)) {
      throw new TypeError(`Condition: the lock must be a Lock, got ${String(lock)}`);
    }
    this._lock = lock;
  }

  /** Whether the underlying lock is held. */
  locked(): boolean {
    return this._lock.locked();
  }

  /** Acquires the underlying lock: see `Lock.acquire()`. */
  acquire(): Coroutine<true> {
    return this._lock.acquire();
  }

  /**
   * Releases the underlying lock: see `Lock.release()`. Never blocks.
   * @throws RuntimeError if it is not locked.
   */
  release(): void {
    this._lock.release();
  }

  /** Acquires the underlying lock and returns a `Held` that releases it, for `using`. */
  hold(): Coroutine<Held> {
    return this._lock.hold();
  }

  /** `asyncWith(cond, body)`: acquires the underlying lock. */
  aenter(): Coroutine<void> {
    return this._lock.aenter();
  }

  /** `asyncWith(cond, body)`: releases the underlying lock; never suppresses the body's error. */
  aexit(_exit: Exit): Coroutine<void> {
    return new ReleaseOnExit(this._lock) as unknown as Coroutine<void>;
  }

  /**
   * Releases the lock, blocks until notified, re-acquires the lock and returns `true`.
   *
   * The lock is always held again when `wait()` ends, by a return or by any error, cancellation
   * included: a task cancelled while it waits first re-acquires the lock (waiting for it in FIFO
   * order), then `CancelledError` is thrown. A notification that reaches a task which then leaves
   * by an error is passed on to the next waiter (a spurious wake-up, which the protocol allows), so
   * none is lost. Always re-check the state after `wait()`, or use `waitFor()`.
   *
   * @throws RuntimeError if the lock is not locked (by any task: a Lock has no owner), or if the
   *   condition is bound to another event loop (the lock is then still held, not released).
   * @throws CancelledError if the task is cancelled while it waits (the lock is held again).
   * @example
   * using _ = yield* cond.hold();
   * while (!ready()) yield* cond.wait();
   */
  *wait(): Coroutine<true> {
    if (!this._lock.locked()) throw new RuntimeError("cannot wait on un-acquired lock: acquire the condition first");
    const loop = this._getLoop();
    this._lock.release();
    try {
      try {
        const waiters = this._waiters ?? (this._waiters = new WaiterQueue());
        const notified = new Operation(NOTIFIED, this, null);
        notified._loop = loop;
        waiters.push(notified);
        try {
          yield* notified;
          return true;
        } finally {
          waiters.remove(notified);
        }
      } finally {
        // Re-acquire the lock whatever happened, even if cancelled while doing so; the latest
        // CancelledError is raised once the lock is held.
        let err: unknown = NONE;
        for (;;) {
          try {
            yield* this._lock.acquire();
            break;
          } catch (e) {
            if (!(e instanceof CancelledError)) throw e;
            err = e;
          }
        }
        if (err !== NONE) throw err;
      }
    } catch (e) {
      // We may have been notified before the error: hand the notification to another waiter.
      this._notify(1);
      throw e;
    }
  }

  /**
   * Waits (as `wait()`) until `predicate()` returns a truthy value, and returns that value. The
   * predicate is checked first, so a true predicate returns at once without releasing the lock.
   *
   * @throws RuntimeError as `wait()`, if it has to wait.
   * @throws CancelledError as `wait()` (the lock is held again).
   * @throws whatever `predicate` throws.
   * @example
   * using _ = yield* cond.hold();
   * const item = yield* cond.waitFor(() => queue.shift());
   */
  *waitFor<T>(predicate: () => T): Coroutine<T> {
    let result = predicate();
    while (!result) {
      yield* this.wait();
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` tasks waiting in `wait()` (the longest-waiting first). They return from `wait()`
   * only once they re-acquire the lock, which the caller still holds. Never blocks.
   * @throws RuntimeError if the lock is not locked (checked first, as in CPython).
   * @throws TypeError if `n` is not a number.
   * @throws ValueError if `n` is NaN (CPython's `notify(nan)` wakes everyone: say `notifyAll()`).
   */
  notify(n = 1): void {
    if (!this._lock.locked()) throw new RuntimeError("cannot notify on un-acquired lock: acquire the condition first");
    if (typeof n !== "number") throw new TypeError(`notify: n must be a number, got ${describe(n)}`);
    if (Number.isNaN(n)) throw new ValueError("notify: n is NaN; to wake every waiter, call notifyAll()");
    this._notify(n);
  }

  /**
   * Wakes every task waiting in `wait()`, as `notify()`. Never blocks.
   * @throws RuntimeError if the lock is not locked.
   */
  notifyAll(): void {
    this.notify(this._waiters?.size ?? 0);
  }

  /** @internal */
  _notify(n: number): void {
    const waiters = this._waiters;
    if (waiters === null) return;
    for (let i = 0; i < n; i++) {
      if (!waiters.wakeFirstPending()) break;
    }
  }

  protected _describe(): string {
    const n = this._waiters?.size ?? 0;
    const s = this._lock.locked() ? "locked" : "unlocked";
    return n === 0 ? s : `${s}, waiters:${n}`;
  }
}

/**
 * What `Condition.wait()` awaits between releasing and re-acquiring the lock (an Operation, see
 * operation.ts): queued by `wait()` itself, woken by `notify()`. Returns `true` once notified,
 * throws CancelledError if cancelled first.
 */
const NOTIFIED: OpHandler<true, Condition> = {
  next(op) {
    const step = op._step;
    if (step === NEW) {
      op._step = WAITING;
      return op._suspend();
    }
    if (step === WAITING) {
      const again = op._resumeFrom(null);
      if (again !== null) return again;
      op._step = FINISHED;
      return DONE_TRUE;
    }
    return DONE_VOID as IteratorResult<Suspension, never>;
  },

  /** `wait()` unqueues it in its own `finally`. */
  abandon() {},

  what: () => "Condition.wait()",
};

// Keep the hidden class alive and general (internal/shapes.ts).
anchorShape(new Condition());
