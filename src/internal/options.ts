/**
 * The check every options object of the API goes through: a plain object whose keys are all known,
 * so that a positional argument where an object belongs (`wait(fs, 1000)`, `createTask(c, "name")`)
 * or a misspelled key (`{ clok: "virtual" }`) fails at once instead of being silently ignored.
 */
import { describe } from "../coroutines.js";

/**
 * @internal Checks that `options` is a plain object (or a null-prototype one) with no key outside
 * `keys`. `example` is what the message suggests, e.g. `{ timeout: 1000 }` (a function: made from
 * what was given, only when it is wrong).
 * @throws TypeError naming what was given, or the unknown key and the known ones.
 */
export function checkOptions(
  options: unknown,
  where: string,
  keys: readonly string[],
  example: string | ((given: unknown) => string),
): void {
  const proto = typeof options === "object" && options !== null ? Object.getPrototypeOf(options) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    const e = typeof example === "string" ? example : example(options);
    throw new TypeError(`${where}: the options must be an object such as ${e}, got ${describe(options)}`);
  }
  for (const key in options as object) {
    if (!keys.includes(key)) {
      throw new TypeError(`${where}: unknown option ${JSON.stringify(key)}; the options are ${keys.join(", ")}`);
    }
  }
}
