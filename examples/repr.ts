/**
 * Python's `str()` and `repr()` for the values the seed examples print, so that
 * `print(f"Result: {result}")` and `print("Results:", results)` read exactly as CPython prints them:
 * `['a', 'b']`, `{'data': 42}`, `ValueError('boom')`, `None`, `True`.
 *
 * Only what the examples need: null/undefined, booleans, numbers, strings, arrays, errors and
 * plain objects (as dicts). Anything else falls back to `String(x)`.
 */

/** Python's `repr(x)`: what `print(some_list)` shows for each element. */
export function repr(x: unknown): string {
  if (x === null || x === undefined) return "None";
  if (typeof x === "boolean") return x ? "True" : "False";
  if (typeof x === "string") return reprString(x);
  if (Array.isArray(x)) return `[${x.map(repr).join(", ")}]`;
  // repr(ValueError('boom')) is "ValueError('boom')"; with no message, "CancelledError()".
  if (x instanceof Error) return `${x.name}(${x.message === "" ? "" : reprString(x.message)})`;
  if (typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) {
    const items = Object.entries(x).map(([k, v]) => `${reprString(k)}: ${repr(v)}`);
    return `{${items.join(", ")}}`;
  }
  return String(x);
}

/** Python's `str(x)`, what an f-string shows: a string as is, an exception as its message, else `repr(x)`. */
export function str(x: unknown): string {
  if (typeof x === "string") return x;
  if (x instanceof Error) return x.message;
  return repr(x);
}

/** A string in Python's quotes: single, unless it holds a `'` and no `"`. */
function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s
    .replaceAll("\\", "\\\\")
    .replaceAll(quote, `\\${quote}`)
    .replaceAll("\n", "\\n")
    .replaceAll("\r", "\\r")
    .replaceAll("\t", "\\t");
  return `${quote}${body}${quote}`;
}
