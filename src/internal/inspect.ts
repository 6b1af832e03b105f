/**
 * What `console.log` and Node's `util.inspect` show of our objects: their `toString()`, as Python's
 * REPL shows an object's repr (`<Task pending name='worker' wait_for=<Future pending>>`), rather
 * than their fields, which would print the whole loop (every object points to it). The hook is the
 * registered symbol Node, Deno and Bun look up; no import is needed, and other hosts ignore it.
 * @internal
 */

/** Node's `util.inspect.custom`. */
const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/** Makes `util.inspect` of the instances of `cls` (and of its subclasses) show their `toString()`. */
export function inspectAsString(cls: { prototype: { toString(): string } }): void {
  Object.defineProperty(cls.prototype, inspectCustom, {
    value: function (this: { toString(): string }): string {
      return this.toString();
    },
    writable: true,
    configurable: true,
  });
}
