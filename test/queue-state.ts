// The visible state of a queue, for the queue tests.
import assert from "node:assert/strict";
import type { Queue } from "../src/queues.js";

/** [size, getters, putters, unfinished], read from toString(). */
export function st(q: Queue<any>): number[] {
  const m = /\[size:(\d+), getters:(\d+), putters:(\d+), unfinished:(\d+)/.exec(String(q));
  assert.ok(m, String(q));
  return m.slice(1).map(Number);
}
