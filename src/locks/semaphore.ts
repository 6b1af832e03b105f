/**
 * Semaphore and BoundedSemaphore: at most N holders at once (asyncio's `Semaphore`).
 */
import { ValueError } from "../exceptions.js";
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
import { describe, type Coroutine } from "../coroutines.js";
import type { AsyncContextManager, Exit } from "../context.js";
import { anchorShape } from "../internal/shapes.js";

/** @internal Checks a semaphore's initial value: a non-negative integer. */
function checkValue(cls: string, value: unknown): number {
  if (typeof value !== "number") throw new TypeError(`${cls}: the initial value must be a number, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < 0) {
    throw new ValueError(`${cls} initial value must be >= 0 and an integer, got ${value}`);
  }
  return value;
}

/**
 * A counter of permits: `acquire()` takes one, blocking while there is none; `release()` gives one
 * back. `new Semaphore(100)` lets at most 100 tasks through at once.
 *
 * Fairness: strictly FIFO, as a Lock. A permit released while tasks wait goes to the longest-waiting
 * one, and newcomers queue behind woken waiters that have not run yet; so `locked()` (CPython's
 * definition) is true when no permit is left *or* some task that is not cancelled is queued.
 *
 * `toString()`: `<Semaphore [unlocked, value:2]>`, `<Semaphore [locked, waiters:3]>`.
 *
 * @example
 * const limit = new Semaphore(2);
 * function* fetchOne(url: string) {
 *   using _ = yield* limit.hold();   // at most 2 at a time
 *   return yield* download(url);
 * }
 */
export class Semaphore extends LoopBound implements AsyncContextManager<void> {
  /** @internal The free permits, minus those handed to woken waiters that have not run yet. */
  _value: number;
  /** @internal Created at the first wait. */
  _waiters: WaiterQueue | null = null;

  /**
   * @param value the initial number of permits (default 1).
   * @throws ValueError if `value` is negative or not an integer; TypeError if it is not a number.
   */
  constructor(value = 1) {
    super();
    this._value = checkValue(new.target.name, value);
  }

  /**
   * Whether `acquire()` would block now: no permit is left, or a task that is not cancelled is
   * queued (FIFO: it goes first).
   */
  locked(): boolean {
    return this._value === 0 || (this._waiters !== null && this._waiters.hasUncancelled());
  }

  /**
   * Takes a permit and returns `true`.
   *
   * Blocks while `locked()`; waiters are served in FIFO order. Uncontended, it does not suspend.
   *
   * Cancellation: a task cancelled while it waits takes no permit; if a permit had already been
   * handed to it, it goes to the next waiter (or back to the counter). None is lost or doubled.
   *
   * @throws CancelledError if the task is cancelled while it waits.
   * @throws RuntimeError if it has to wait and the semaphore is bound to another event loop, or if
   *   the returned coroutine is awaited again after it finished.
   * @example
   * yield* sem.acquire();
   * try {
   *   yield* work();
   * } finally {
   *   sem.release();
   * }
   */
  acquire(): Coroutine<true> {
    return new Operation(SEMAPHORE_ACQUIRE, this as Semaphore, RETURN_TRUE) as unknown as Coroutine<true>;
  }

  /**
   * Takes a permit (as `acquire()`: same blocking, fairness and errors) and returns a `Held` whose
   * disposal gives it back, for a `using` declaration.
   *
   * @example
   * function* job() {
   *   using _ = yield* sem.hold();
   *   yield* work();
   * } // released here, even on error or cancellation
   */
  hold(): Coroutine<Held> {
    return new Operation(SEMAPHORE_ACQUIRE, this as Semaphore, RETURN_HELD) as unknown as Coroutine<Held>;
  }

  /** Gives a permit back and wakes the longest-waiting task, if any. Never blocks. */
  release(): void {
    this._value++;
    this._wakeUpNext();
  }

  /** `asyncWith(sem, body)`: takes a permit (see `acquire()`). */
  aenter(): Coroutine<void> {
    return new Operation(SEMAPHORE_ACQUIRE, this as Semaphore, RETURN_VOID) as unknown as Coroutine<void>;
  }

  /** `asyncWith(sem, body)`: gives the permit back; never suppresses the body's error. */
  aexit(_exit: Exit): Coroutine<void> {
    return new ReleaseOnExit(this) as unknown as Coroutine<void>;
  }

  /** @internal Waiters that arrived while permits were free queued behind a woken one (FIFO): wake as many as fit. */
  _wakeAsManyAsFit(): void {
    while (this._value > 0 && this._wakeUpNext()) {}
  }

  /** @internal Hands a permit to the first waiter not yet woken nor cancelled; returns whether there was one. */
  _wakeUpNext(): boolean {
    const node = this._waiters?.firstPending();
    if (node == null) return false;
    this._value--;
    node._wake();
    return true;
  }

  protected _describe(): string {
    const n = this._waiters?.size ?? 0;
    const s = this.locked() ? "locked" : `unlocked, value:${this._value}`;
    return n === 0 ? s : `${s}, waiters:${n}`;
  }
}

/**
 * The coroutine of `acquire()`, `hold()` and `aenter()` (an Operation, see operation.ts). As a generator:
 *
 *     if (!locked()) { value--; return }
 *     queue; try { wait } finally { unqueue; if woken but leaving, value++;
 *     while (value > 0 && a pending waiter is left) hand it a permit }
 */
const SEMAPHORE_ACQUIRE: OpHandler<unknown, Semaphore> = {
  next(op) {
    const sem = op._target;
    const step = op._step;
    if (step === NEW) {
      if (!sem.locked()) {
        sem._value--;
        op._step = FINISHED;
        return acquiredResult(op._arg as ReturnMode, sem);
      }
      op._step = FINISHED; // if the loop check throws, the coroutine is over
      const loop = sem._getLoop();
      const waiters = sem._waiters ?? (sem._waiters = new WaiterQueue());
      return op._wait(loop, waiters);
    }
    if (step === WAITING) {
      const again = op._resumeFrom(sem._waiters);
      if (again !== null) return again;
      sem._wakeAsManyAsFit();
      op._step = FINISHED;
      return acquiredResult(op._arg as ReturnMode, sem);
    }
    return DONE_VOID;
  },

  /** Leaving while queued: a permit already counted out for us goes back, and on to the next. */
  abandon(op) {
    const sem = op._target;
    sem._waiters!.remove(op);
    if (op._state === "finished") sem._value++;
    sem._wakeAsManyAsFit();
  },

  what: (op) => `${op._target.constructor.name}.acquire()`,
};

/**
 * A Semaphore that refuses to be released more times than it was acquired: `release()` above the
 * initial value throws `ValueError`, which catches a double release early.
 *
 * `toString()`: `<BoundedSemaphore [unlocked, value:2]>`.
 *
 * @example
 * const sem = new BoundedSemaphore(2);
 * sem.release(); // ValueError: BoundedSemaphore released too many times
 */
export class BoundedSemaphore extends Semaphore {
  /** @internal */ readonly _boundValue: number;

  /**
   * @param value the initial and maximum number of permits (default 1).
   * @throws ValueError if `value` is negative or not an integer; TypeError if it is not a number.
   */
  constructor(value = 1) {
    super(value);
    this._boundValue = value;
  }

  /**
   * Gives a permit back, as `Semaphore.release()`. Never blocks.
   * @throws ValueError if that would raise the count above the initial value.
   */
  override release(): void {
    if (this._value >= this._boundValue) throw new ValueError("BoundedSemaphore released too many times");
    super.release();
  }
}

// Keep the hidden classes alive and general (internal/shapes.ts).
anchorShape(new Semaphore());
anchorShape(new BoundedSemaphore());
