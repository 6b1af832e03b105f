/**
 * The check on a callback given to a future or the loop (CPython's `_check_callback`): a function,
 * and not a coroutine function, whose call would only make a coroutine object that never runs.
 */

/** %GeneratorFunction.prototype% and %AsyncGeneratorFunction.prototype%: what `function*` and `async function*` inherit. */
const GENERATOR_FUNCTION: object = Object.getPrototypeOf(function* () {});
const ASYNC_GENERATOR_FUNCTION: object = Object.getPrototypeOf(async function* () {});

/**
 * @internal Checks that `cb` can be called back: a function that is not a generator function.
 * @throws TypeError for anything else, naming `where` (e.g. `addDoneCallback`), what was given, and
 *   for a generator function, how to run it instead.
 */
export function checkCallback(cb: unknown, where: string): asserts cb is (...args: any[]) => unknown {
  if (typeof cb !== "function") throw new TypeError(`${where}: the callback must be a function, got ${typeof cb}`);
  const name = cb.name || "fn";
  if (GENERATOR_FUNCTION.isPrototypeOf(cb)) {
    throw new TypeError(
      `${where}: coroutines cannot be used as callbacks: ${name} is a generator function, and calling it back would ` +
        `only make a coroutine object that never runs; to run it, pass a function that creates a task, e.g. (fut) => createTask(${name}(fut))`,
    );
  }
  if (ASYNC_GENERATOR_FUNCTION.isPrototypeOf(cb)) {
    throw new TypeError(
      `${where}: ${name} is an async generator function: calling it back would only make an async generator that never runs; ` +
        "pass a plain function (or write a generator function, function*, and create a task in the callback)",
    );
  }
}
