// Helpers of the primitive and queue tests, on top of the shared ones in test/helpers.ts.
export { vrun, now, settle, repoRoot } from "../helpers.js";

/** The state part of a primitive's `toString()`: `<Lock [locked, waiters:2]>` → `[locked, waiters:2]`. */
export function state(p: { toString(): string }): string {
  const s = p.toString();
  return s.slice(s.indexOf("["), -1);
}
