/**
 * The check on a callback given to a future or the loop (CPython's `_check_callback`): a function,
 * and not a coroutine function, whose call would only make a coroutine object that never runs.
 */
import { describe, isCoroutine } from "../coroutines.js";

const FUNCTION_PROTOTYPE: unknown = Function.prototype;
/** %GeneratorFunction.prototype% and %AsyncGeneratorFunction.prototype%: what `function*` and `async function*` inherit. */
const GENERATOR_FUNCTION: unknown = Object.getPrototypeOf(function* () {});
const ASYNC_GENERATOR_FUNCTION: unknown = Object.getPrototypeOf(async function* () {});

/**
 * @internal Checks that `cb` can be called back: a function that is not a generator function. On
 * the hot path (`callSoon`), one prototype read: plain, arrow, bound and method functions inherit
 * from Function.prototype; anything else (a generator or async function, a class, a non-function)
 * takes the slow path.
 * @throws TypeError for anything else, naming `where` (e.g. `addDoneCallback`), what was given, and
 *   for a generator function, how to run it instead.
 */
export function checkCallback(cb: unknown, where: string): asserts cb is (...args: any[]) => unknown {
  if (typeof cb !== "function" || Object.getPrototypeOf(cb) !== FUNCTION_PROTOTYPE) checkOddCallback(cb, where);
}

/** The slow path of `checkCallback`. */
function checkOddCallback(cb: unknown, where: string): void {
  if (typeof cb !== "function") {
    const what = isCoroutine(cb) ? "a coroutine object: to run it, use createTask(coro)" : describe(cb);
    throw new TypeError(`${where}: the callback must be a function, got ${what}`);
  }
  const proto = Object.getPrototypeOf(cb);
  const name = cb.name || "fn";
  if (proto === GENERATOR_FUNCTION) {
    // CPython (call_soon in debug mode): "coroutines cannot be used with call_soon()".
    const run = where === "addDoneCallback" ? `(fut) => createTask(${name}(fut))` : `createTask(${name}())`;
    throw new TypeError(
      `${where}: coroutines cannot be used as callbacks: ${name} is a generator function, and calling it back would ` +
        `only make a coroutine object that never runs; to run it, create a task: ${run}`,
    );
  }
  if (proto === ASYNC_GENERATOR_FUNCTION) {
    throw new TypeError(
      `${where}: ${name} is an async generator function: calling it back would only make an async generator that never runs; ` +
        "pass a plain function (or write a generator function, function*, and create a task in the callback)",
    );
  }
}
