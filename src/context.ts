/** `asyncWith`: Python's `async with`, for any async context manager. */
import { isCoroutine, type Coroutine } from "./coroutines.js";

/** How the body of an `asyncWith` ended: normally, or by `error`. */
export type Exit = { failed: false } | { failed: true; error: unknown };

/**
 * An async context manager: `aenter()` runs before the body and its value is passed to it;
 * `aexit(exit)` runs after it, however it ended, and may answer `true` to suppress the body's error.
 */
export interface AsyncContextManager<T = unknown> {
  aenter(): Coroutine<T>;
  aexit(exit: Exit): Coroutine<boolean | void>;
}

/** The body of `asyncWith`: a generator function given the entered value (a plain function works too). */
export type WithBody<T, R> = (value: T) => Coroutine<R> | R;

/**
 * Python's `async with cm as value: body`. Enters `cm`, runs `body(value)`, then exits `cm` with
 * how the body ended, and returns the body's value. If the body throws, `aexit` gets the error;
 * the error propagates unless `aexit` returns `true`, in which case `asyncWith` returns `undefined`.
 * An error thrown by `aexit` replaces the body's.
 *
 * @example
 * yield* asyncWith(lock, function* () {
 *   counter[0] += 1;                 // only one task at a time in here
 *   yield* sleep(100);
 * });
 */
export function* asyncWith<T, R>(cm: AsyncContextManager<T>, body: WithBody<T, R>): Coroutine<R | undefined> {
  if (cm === null || typeof cm !== "object" || typeof cm.aenter !== "function" || typeof cm.aexit !== "function") {
    throw new TypeError("asyncWith: the first argument must be an async context manager (with aenter() and aexit())");
  }
  if (typeof body !== "function") throw new TypeError("asyncWith: the body must be a (generator) function");
  const value = yield* cm.aenter();
  let result: R;
  try {
    const r = body(value);
    result = isCoroutine(r) ? yield* (r as Coroutine<R>) : (r as R);
  } catch (error) {
    if ((yield* cm.aexit({ failed: true, error })) === true) return undefined;
    throw error;
  }
  yield* cm.aexit({ failed: false });
  return result;
}


