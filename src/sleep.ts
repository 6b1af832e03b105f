/** `sleep`: suspend the current task for a while (asyncio.sleep). */
import { SLEEP0 } from "./tasks.js";
import { checkDelay } from "./base-events.js";
import { getRunningLoop } from "./internal/running.js";
import { GeneratorPrototype, type Coroutine, type Suspension } from "./coroutines.js";
import { suspendOn, type Future } from "./futures.js";
import type { EventLoop } from "./base-events.js";
import type { HeapTimer } from "./internal/timer-heap.js";

/**
 * Suspends the calling task for `ms` milliseconds, then returns `value`.
 *
 * `sleep(0)` (or a negative delay) yields once: every task that is ready runs before this one
 * resumes. Like CPython's, the returned coroutine is lazy: the timer starts when it is awaited.
 * Cancelling the sleeping task cancels the timer; the `CancelledError` surfaces here.
 *
 * @throws TypeError if `ms` is not a number; ValueError if it is NaN (checked when called).
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
 * The coroutine of `sleep(ms)` for ms > 0, written by hand: one object is the coroutine (it
 * inherits from %GeneratorPrototype%) and the loop timer, so a sleep costs it and its future.
 * First `next()`: arm the timer, suspend on the future. Second: return the result. `throw` and
 * `return` (cancellation, closing) disarm the timer, as the `finally` of CPython's sleep does.
 */
class Sleep<T> implements HeapTimer {
  _when = 0;
  _seq = 0;
  _cancelled = false;
  _scheduled = false;
  private _fut: Future<T> | null = null;
  private _loop: EventLoop | null = null;

  constructor(
    private readonly _ms: number,
    private readonly _value: T,
  ) {}

  next(): IteratorResult<Suspension, T> {
    const f = this._fut;
    if (f === null) {
      const loop = (this._loop = getRunningLoop());
      const fut = (this._fut = loop.createFuture<T>());
      this._when = loop.time() + this._ms;
      loop._timers.push(this as never);
      return suspendOn(fut);
    }
    if (f._state !== "finished") this._disarm();
    return { done: true, value: f.result() };
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
    const f = this._fut!;
    if (f._state === "pending") f.setResult(this._value);
  }

  private _disarm(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      if (this._scheduled) this._loop!._timerCancelled();
    }
  }
}
Object.setPrototypeOf(Sleep.prototype, GeneratorPrototype);
