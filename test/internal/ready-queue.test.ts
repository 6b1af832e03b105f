// The loop's ready queue: FIFO pairs across segment boundaries, and the seeded shuffle (a fixed
// permutation per seed, so that schedules replay).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ReadyQueue } from "../../src/internal/ready-queue.js";
import { seededRandom } from "../../src/internal/prng.js";

function drain(q: ReadyQueue): [unknown, unknown][] {
  const out: [unknown, unknown][] = [];
  while (q.size > 0) {
    const item = q.shift();
    out.push([item, q.arg]);
  }
  return out;
}

test("pairs come out in push order, across segments, while the queue grows and drains", () => {
  const q = new ReadyQueue();
  const expected: [unknown, unknown][] = [];
  let next = 0;
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 1500; i++, next++) {
      q.push(`item${next}`, next);
      expected.push([`item${next}`, next]);
    }
    for (let i = 0; i < 1000; i++) {
      const item = q.shift();
      assert.deepEqual([item, q.arg], expected.shift());
    }
  }
  for (let i = 0; i < 10_000; i++, next++) {
    q.push(`item${next}`, next);
    expected.push([`item${next}`, next]);
  }
  assert.equal(q.size, expected.length);
  assert.deepEqual(drain(q), expected);
  q.push("again", 1);
  assert.deepEqual(drain(q), [["again", 1]]);
});

test("shuffle permutes the first n pairs (pairs stay together), leaves the rest, and replays per seed", () => {
  const order = (seed: number): [unknown, unknown][] => {
    const q = new ReadyQueue();
    for (let i = 0; i < 1020; i++) q.push(i, null);
    for (let i = 0; i < 1020; i++) q.shift(); // the next pairs straddle two segments
    for (let i = 0; i < 10; i++) q.push(`t${i}`, i);
    q.shuffle(8, seededRandom(seed));
    return drain(q);
  };
  const a = order(7);
  assert.deepEqual(order(7), a);
  assert.notDeepEqual(order(8).map(([x]) => x), a.map(([x]) => x));
  for (const [item, arg] of a) assert.equal(item, `t${arg as number}`);
  assert.deepEqual(a.slice(8).map(([x]) => x), ["t8", "t9"]);
  assert.deepEqual(a.slice(0, 8).map(([, n]) => n).sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
});
