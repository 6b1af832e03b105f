/**
 * What a coroutine is in asyncio-ts: a generator whose `yield*` is `await`.
 *
 * A coroutine only ever yields `Suspension`s, and only through `yield*` on an awaitable: a `Future`
 * yields itself while it is pending, `sleep(0)` yields the loop's "yield once" token. The `Task`
 * that drives the coroutine reads what was yielded; users never name `Suspension` or `yield` bare.
 */

import { RuntimeError } from "./exceptions.js";

declare const suspensionBrand: unique symbol;

/** The opaque value a coroutine yields to its task. Only awaitables produce it (through `yield*`). */
export interface Suspension {
  readonly [suspensionBrand]: true;
}

/**
 * A coroutine object: what a generator function (`function*`) returns. `yield*` it to await it.
 * Calling the function runs nothing: the body starts when the coroutine is awaited or wrapped in a task.
 *
 * @example
 * function* double(x: number): Coroutine<number> {
 *   yield* sleep(10);
 *   return 2 * x;
 * }
 * function* main(): Coroutine<void> {
 *   console.log(yield* double(21));   // 42
 * }
 */
export type Coroutine<T = unknown> = Generator<Suspension, T, unknown>;

/** Anything `yield*` accepts in a coroutine: a coroutine, a `Future`/`Task`, or what `sleep`, `gather`… return. */
export type Awaitable<T = unknown> = Iterable<Suspension, T, unknown>;

/**
 * @internal The error for one of the runtime's coroutine objects (a primitive's `acquire()`, a
 * `sleep()`) awaited again after it finished: it would silently do nothing, so it fails as CPython's
 * reused coroutine does.
 */
export function reused(what: string): RuntimeError {
  return new RuntimeError(`cannot reuse already awaited coroutine ${what}: call it again for a new one`);
}

/** @internal %GeneratorPrototype%: every generator object inherits from it. */
export const GeneratorPrototype: object = Object.getPrototypeOf(Object.getPrototypeOf((function* () {})()));

/** `true` for any generator object (what a `function*` returns), the form every coroutine has. */
export function isCoroutine(x: unknown): x is Coroutine<unknown> {
  return typeof x === "object" && x !== null && GeneratorPrototype.isPrototypeOf(x);
}

/** The token `sleep(0)` yields: the task reschedules itself at the end of the ready queue. */
export const YIELD_ONCE = { toString: () => "<yield once>" } as unknown as Suspension;

/** Describes a value for error messages: `a Promise`, `a function`, `null`, `a number (3)`… */
export function describe(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (typeof x === "function") return `a function (${x.name || "anonymous"})`;
  if (typeof x === "object") {
    if (typeof (x as { then?: unknown }).then === "function") return "a Promise or thenable";
    const name = (x as object).constructor?.name;
    return name ? `an object of class ${name}` : "an object";
  }
  return `a ${typeof x} (${String(x)})`;
}

/**
 * Checks that `coro` is a coroutine object, with an error that says what to do instead.
 * @throws TypeError for a Promise (use `fromPromise`), a generator function not called, or anything else.
 */
export function checkCoroutine(coro: unknown, where: string): asserts coro is Coroutine<unknown> {
  if (isCoroutine(coro)) return;
  let hint = "";
  if (typeof coro === "function") {
    hint =
      coro.constructor?.name === "GeneratorFunction"
        ? ": call the generator function to get a coroutine object, e.g. main() not main"
        : coro.constructor?.name === "AsyncFunction"
          ? ": an async function cannot be cancelled at its await points; write it as a generator function (function* with yield*), or adopt its promise with fromPromise()"
          : ": pass a coroutine object (what a function* returns)";
  } else if (coro !== null && typeof coro === "object" && typeof (coro as { addDoneCallback?: unknown }).addDoneCallback === "function") {
    throw new TypeError(`${where}: a coroutine was expected, got a Future or Task (${String(coro)}): it is already scheduled; yield* it directly`);
  } else if (coro !== null && typeof coro === "object" && typeof (coro as { then?: unknown }).then === "function") {
    hint = ": a Promise is not a coroutine; wrap it with fromPromise(promise) and yield* the future";
  }
  throw new TypeError(`${where}: a coroutine was expected, got ${describe(coro)}${hint}`);
}
