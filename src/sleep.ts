/** `sleep`: suspend the current task for a while (asyncio.sleep). */
import { SLEEP0 } from "./tasks.js";
import { checkDelay } from "./base-events.js";
import { getRunningLoop } from "./internal/running.js";
import { setResultUnlessDone } from "./futures.js";
import type { Coroutine } from "./coroutines.js";

/**
 * Suspends the calling task for `ms` milliseconds, then returns `value`.
 *
 * `sleep(0)` (or a negative delay) yields once: every task that is ready runs before this one
 * resumes. Cancelling the sleeping task cancels the timer; the `CancelledError` surfaces here.
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
  if (ms <= 0 && value === undefined) return SLEEP0;
  return sleepFor(ms, value);
}

function* sleepFor<T>(ms: number, value: T): Coroutine<T> {
  if (ms <= 0) {
    yield* SLEEP0;
    return value;
  }
  const loop = getRunningLoop();
  const fut = loop.createFuture<T>();
  const h = loop.callLater(ms, setResultUnlessDone, fut, value);
  try {
    return yield* fut;
  } finally {
    h.cancel();
  }
}
