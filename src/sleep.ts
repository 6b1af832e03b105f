/** `sleep`: suspend the current task for a while (asyncio.sleep). */
import { SLEEP0 } from "./tasks.js";
import { checkDelay } from "./base-events.js";
import { getRunningLoop } from "./internal/running.js";
import { CancelledError } from "./exceptions.js";
import { GeneratorPrototype, reused, type Coroutine, type Suspension } from "./coroutines.js";
import { doneWith, newCancelledError, suspendOn, type FutureState, type Waitable, type Waiter } from "./futures.js";
import type { EventLoop } from "./base-events.js";
import type { HeapTimer } from "./internal/timer-heap.js";
import { anchorShape } from "./internal/shapes.js";
import { inspectAsString } from "./internal/inspect.js";

/**
 * Suspends the calling task for `ms` milliseconds, then returns `value`.
 *
 * `sleep(0)` (or a negative delay) yields once: every task that is ready runs before this one
 * resumes. Like CPython's, the returned coroutine is lazy: the timer starts when it is awaited.
 * Cancelling the sleeping task cancels the timer; the `CancelledError` surfaces here.
 * `sleep(Infinity)` sleeps until the task is cancelled.
 *
 * @throws TypeError if `ms` is not a number (checked when called).
 * @throws ValueError if `ms` is NaN (checked when called).
 * @throws CancelledError if the task is cancelled while it sleeps.
 * @throws RuntimeError if a `sleep(ms)` with `ms > 0` is awaited again after it finished.
 * @example
 * function* tick() {
 *   for (;;) { console.log("tick"); yield* sleep(1000); }
 * }
 */
export function sleep(ms: number): Coroutine<undefined>;
export function sleep<T>(ms: number, value: T): Coroutine<T>;
export function sleep<T>(ms: number, value?: T): Coroutine<T | undefined> {
  checkDelay(ms, "sleep: the delay");
  if (ms <= 0) return value === undefined ? SLEEP0 : yieldThen(value);
  return new Sleep(ms, value) as unknown as Coroutine<T>;
}

function* yieldThen<T>(value: T): Coroutine<T> {
  yield* SLEEP0;
  return value;
}

/**
 * The coroutine of `sleep(ms)` for ms > 0, written by hand: one object is at once the coroutine
 * (it inherits from %GeneratorPrototype%), the loop timer, and what the task waits on (a Waitable,
 * like a Future), so a sleep allocates nothing else. First `next()`: arm the timer and suspend.
 * Second: return the value, or throw CancelledError if the wait was cancelled. `throw` and `return`
 * disarm the timer, as the `finally` of CPython's sleep does.
 */
class Sleep<T> implements HeapTimer, Waitable {
  _when = 0;
  _cancelled = false;
  _scheduled = false;
  _state: FutureState = "pending";
  _loop: EventLoop | null = null;
  private _waiter: Waiter | null = null;
  private _cancelMessage: string | undefined = undefined;

  constructor(
    private readonly _ms: number,
    private readonly _value: T,
  ) {}

  next(): IteratorResult<Suspension, T> {
    const loop = this._loop;
    if (loop === null) {
      const l = (this._loop = getRunningLoop());
      this._when = l.time() + this._ms;
      l._timers.push(this as never);
      return suspendOn(this);
    }
    // `_when` is no longer needed once the sleep is over (the heap keeps its own copy of the keys):
    // -1 marks its outcome as delivered, so a second await is refused.
    if (this._when < 0) throw reused(`sleep(${this._ms})`);
    const state = this._state;
    if (state === "pending") return suspendOn(this);
    this._when = -1;
    if (state === "finished") return doneWith(this._value);
    throw loop._debug ? new CancelledError(this._cancelMessage ?? "") : newCancelledError(this._cancelMessage);
  }

  throw(e: unknown): IteratorResult<Suspension, T> {
    this._disarm();
    throw e;
  }

  return(value?: T): IteratorResult<Suspension, T> {
    this._disarm();
    return { done: true, value: value as T };
  }

  /** @internal The timer fired (called from the loop's ready queue). */
  _run(_arg: unknown): void {
    if (this._state === "pending") {
      this._state = "finished";
      this._wakeWaiter();
    }
  }

  /** @internal Waitable: the task parks here. */
  _addWaiter(task: Waiter): void {
    if (this._state === "pending") this._waiter = task;
    else this._loop!._push(task, this);
  }

  /** @internal Waitable: `Task.cancel()` cancels the sleep; false once it is over. */
  cancel(msg?: string): boolean {
    if (this._state !== "pending") return false;
    this._state = "cancelled";
    this._cancelMessage = msg;
    this._disarm();
    this._wakeWaiter();
    return true;
  }

  toString(): string {
    return `<Sleep ${this._state} ms=${this._ms}>`;
  }

  private _wakeWaiter(): void {
    const w = this._waiter;
    if (w !== null) {
      this._waiter = null;
      this._loop!._push(w, this);
    }
  }

  private _disarm(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      if (this._scheduled) this._loop!._timerCancelled();
    }
  }
}
Object.setPrototypeOf(Sleep.prototype, GeneratorPrototype);

// Keep the hidden class alive and general (internal/shapes.ts).
anchorShape(new Sleep(1, undefined));
inspectAsString(Sleep);
