// The loop's timer heap on its own: (deadline, scheduling order) order, equal deadlines FIFO, before
// and after a compaction, and the lazy compaction's bookkeeping (CPython's policy: cancelled timers
// stay until they reach the top, or until they are more than half of a heap of 100 or more).
import { test } from "node:test";
import assert from "node:assert/strict";
import { TimerHeap } from "../../src/internal/timer-heap.js";
import { seededRandom } from "../../src/internal/prng.js";

type T = { _when: number; _cancelled: boolean; _scheduled: boolean; id: number };

const timer = (id: number, when: number): T => ({ _when: when, _cancelled: false, _scheduled: false, id });

function cancel(h: TimerHeap<T>, t: T): void {
  t._cancelled = true;
  if (t._scheduled) h.noteCancelled();
}

/** Pops every live timer (peek drops the cancelled ones), returning their ids. */
function drainIds(h: TimerHeap<T>): number[] {
  const out: number[] = [];
  for (let t = h.peek(); t !== undefined; t = h.peek()) out.push(h.pop().id);
  return out;
}

/** `n` timers on `k` deadlines, pushed in a seeded order; ids are the push order. */
function pushShuffled(h: TimerHeap<T>, n: number, k: number, seed: number): T[] {
  const rnd = seededRandom(seed);
  const ts: T[] = [];
  for (let i = 0; i < n; i++) {
    const t = timer(i, Math.floor(rnd() * k) * 10);
    ts.push(t);
    h.push(t);
  }
  return ts;
}

/** The ids sorted by (deadline, push order): the order the heap must give. */
const expectedOrder = (ts: T[]): number[] =>
  [...ts].sort((a, b) => a._when - b._when || a.id - b.id).map((t) => t.id);

test("timers come out by deadline, and equal deadlines in the order they were pushed", () => {
  for (let seed = 1; seed <= 20; seed++) {
    const h = new TimerHeap<T>();
    const ts = pushShuffled(h, 300, 5, seed); // many equal deadlines, past the arrays' first growth
    assert.deepEqual(drainIds(h), expectedOrder(ts), `seed ${seed}`);
    assert.ok(ts.every((t) => !t._scheduled));
  }
});

test("after a compaction the order still holds, equal deadlines still FIFO, for every heap size", () => {
  for (let n = 100; n <= 200; n++) for (const k of [4, 1000]) {
    const h = new TimerHeap<T>();
    const ts = pushShuffled(h, n, k, n);
    // Cancel just over half, picked in a seeded order: the last of these cancels compacts.
    const rnd = seededRandom(1000 * k + n);
    const order = ts.map((t) => [rnd(), t] as const).sort((x, y) => x[0] - y[0]).map((x) => x[1]);
    const doomed = order.slice(0, (n >> 1) + 1);
    for (const t of doomed) cancel(h, t);
    assert.deepEqual([h.items.length, h.cancelledCount], [n - doomed.length, 0], `n ${n}: compacted`);
    assert.ok(doomed.every((t) => !t._scheduled), `n ${n}: the cancelled ones are no longer scheduled`);
    const live = ts.filter((t) => !t._cancelled);
    // More pushes after the compaction take their place behind the older equal deadlines.
    for (let i = 0; i < 10; i++) {
      const t = timer(n + i, (i % 4) * 10);
      live.push(t);
      h.push(t);
    }
    assert.deepEqual(drainIds(h), expectedOrder(live), `n ${n}`);
  }
});

test("compaction: only in a heap of 100 or more, once the cancelled timers are more than half", () => {
  const h = new TimerHeap<T>();
  const ts: T[] = [];
  for (let i = 0; i < 100; i++) h.push((ts[i] = timer(i, 1000 - i)));
  for (let i = 0; i < 50; i++) cancel(h, ts[i]!);
  assert.deepEqual([h.items.length, h.cancelledCount], [100, 50]); // exactly half: kept
  cancel(h, ts[50]!);
  assert.deepEqual([h.items.length, h.cancelledCount], [49, 0]); // more than half: rebuilt

  const small = new TimerHeap<T>();
  const ss: T[] = [];
  for (let i = 0; i < 99; i++) small.push((ss[i] = timer(i, i)));
  for (const t of ss) cancel(small, t);
  assert.deepEqual([small.items.length, small.cancelledCount], [99, 99]); // under 100: never rebuilt
  assert.equal(small.peek(), undefined); // peek drops them all from the top
  assert.deepEqual([small.items.length, small.cancelledCount], [0, 0]);
});

test("peek drops cancelled timers from the top and keeps the count of those left in the heap", () => {
  const h = new TimerHeap<T>();
  const ts: T[] = [];
  for (let i = 0; i < 200; i++) h.push((ts[i] = timer(i, i)));
  for (let i = 0; i < 40; i++) cancel(h, ts[i]!); // the 40 earliest: they reach the top
  for (let i = 150; i < 160; i++) cancel(h, ts[i]!); // 10 deep in the heap
  assert.equal(h.peek()!.id, 40);
  assert.deepEqual([h.items.length, h.cancelledCount], [160, 10]);
  for (let i = 41; i < 111; i++) cancel(h, ts[i]!);
  // 80 of 160 cancelled: exactly half, kept (a count still holding the 40 peek dropped would have compacted).
  assert.deepEqual([h.items.length, h.cancelledCount], [160, 80]);
  cancel(h, ts[111]!);
  assert.deepEqual([h.items.length, h.cancelledCount], [79, 0]); // 81 of 160: rebuilt
  assert.deepEqual(drainIds(h), [40, ...ts.slice(112, 150).map((t) => t.id), ...ts.slice(160).map((t) => t.id)]);
});

test("clear() unschedules every timer and resets the count", () => {
  const h = new TimerHeap<T>();
  const ts = pushShuffled(h, 10, 2, 7);
  cancel(h, ts[0]!);
  h.clear();
  assert.deepEqual([h.items.length, h.cancelledCount, h.peek()], [0, 0, undefined]);
  assert.ok(ts.every((t) => !t._scheduled));
});
