// Barrier: arrival indexes, draining, reset, abort, cancellation, bad input, state.
// Orderings: CPython 3.13 on test/locks/python/barrier.py; the last tests port CPython's
// test_locks.BarrierTests with N = 5.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  createTask,
  gather,
  sleep,
  asyncWith,
  BrokenBarrierError,
  CancelledError,
  ValueError,
  type Coroutine,
  type Task,
} from "../../src/index.js";
import { Barrier } from "../../src/locks/barrier.js";
import { vrun, state } from "./helpers.js";

test("tasks are released together when the last one arrives; indexes are arrival order", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const b = new Barrier(3);
    ev.push(state(b));
    function* w(name: string): Coroutine<void> {
      const i = yield* b.wait();
      ev.push([name, i, state(b)]);
    }
    const ts = [];
    for (const name of ["A", "B", "C"]) {
      ts.push(createTask(w(name)));
      yield* sleep(0);
      ev.push(["after", name, b.nWaiting, state(b)]);
    }
    yield* gather(...ts);
    ev.push(["end", b.nWaiting, b.broken, state(b)]);
  });
  assert.deepEqual(ev, [
    "[filling, waiters:0/3]",
    ["after", "A", 1, "[filling, waiters:1/3]"],
    ["after", "B", 2, "[filling, waiters:2/3]"],
    ["C", 2, "[draining, waiters:0/3]"],
    ["after", "C", 0, "[draining, waiters:0/3]"],
    ["A", 0, "[draining, waiters:0/3]"],
    ["B", 1, "[filling, waiters:0/3]"],
    ["end", 0, false, "[filling, waiters:0/3]"],
  ]);
});

test("passing the barrier twice in a row", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const b = new Barrier(2);
    function* w(name: string): Coroutine<void> {
      for (let r = 0; r < 2; r++) ev.push([name, r, yield* b.wait()]);
    }
    yield* gather(w("A"), w("B"));
    ev.push(state(b));
  });
  assert.deepEqual(ev, [["B", 0, 1], ["A", 0, 0], ["B", 1, 1], ["A", 1, 0], "[filling, waiters:0/2]"]);
});

/**
 * A Barrier(3) with tasks A and B waiting on it (one step taken), as in barrier.py.
 * A waiter must get BrokenBarrierError; it then logs `entry(name, error, barrier)`.
 */
function* twoWaitingOfThree(
  ev: unknown[],
  entry: (name: string, e: BrokenBarrierError, b: Barrier) => unknown,
): Coroutine<{ b: Barrier; ts: Task<void>[] }> {
  const b = new Barrier(3);
  function* w(name: string): Coroutine<void> {
    try {
      yield* b.wait();
    } catch (e) {
      assert.ok(e instanceof BrokenBarrierError);
      ev.push(entry(name, e, b));
    }
  }
  const ts = ["A", "B"].map((n) => createTask(w(n)));
  yield* sleep(0);
  return { b, ts };
}

test("reset() breaks the current round for the tasks in it, then the barrier fills again", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const { b, ts } = yield* twoWaitingOfThree(ev, (name, e, b) => [name, e.name, e.message, state(b)]);
    yield* b.reset();
    ev.push(["reset", state(b), b.state, b.broken, b.nWaiting]);
    yield* gather(...ts);
    ev.push(["end", state(b), b.broken]);
  });
  assert.deepEqual(ev, [
    ["reset", "[resetting, waiters:0/3]", "resetting", false, 0], // resetting is not broken (CPython)
    ["A", "BrokenBarrierError", "Abort or reset of barrier", "[resetting, waiters:0/3]"],
    ["B", "BrokenBarrierError", "Abort or reset of barrier", "[filling, waiters:0/3]"],
    ["end", "[filling, waiters:0/3]", false],
  ]);
});

test("abort() breaks the barrier for the waiters and every later wait, until reset()", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const { b, ts } = yield* twoWaitingOfThree(ev, (name, e) => [name, e.message]);
    yield* b.abort();
    ev.push(["aborted", state(b), b.broken, b.nWaiting]);
    yield* gather(...ts);
    try {
      yield* b.wait();
    } catch (e) {
      ev.push(["late", (e as Error).message]);
    }
    yield* b.reset();
    ev.push(["after reset", state(b), b.broken]);
  });
  assert.deepEqual(ev, [
    ["aborted", "[broken]", true, 0],
    ["A", "Abort or reset of barrier"],
    ["B", "Abort or reset of barrier"],
    ["late", "Barrier aborted"],
    ["after reset", "[filling, waiters:0/3]", false],
  ]);
});

test("a cancelled waiter leaves the round", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const b = new Barrier(2);
    function* w(name: string): Coroutine<void> {
      try {
        ev.push([name, yield* b.wait()]);
      } catch (e) {
        if (e instanceof CancelledError) ev.push([name, "cancelled", state(b)]);
        throw e;
      }
    }
    const t1 = createTask(w("A"));
    yield* sleep(0);
    ev.push(state(b));
    t1.cancel();
    yield* sleep(0);
    ev.push(state(b));
    yield* gather(w("B"), w("C"));
    ev.push(state(b));
  });
  assert.deepEqual(ev, [
    "[filling, waiters:1/2]",
    ["A", "cancelled", "[filling, waiters:0/2]"],
    "[filling, waiters:0/2]",
    ["C", 1],
    ["B", 0],
    "[filling, waiters:0/2]",
  ]);
});

test("asyncWith(barrier) passes the arrival index to the body", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const b = new Barrier(2);
    function* w(name: string): Coroutine<void> {
      yield* asyncWith(b, function* (i) {
        ev.push([name, i]);
      });
    }
    yield* gather(w("A"), w("B"));
  });
  assert.deepEqual(ev, [["B", 1], ["A", 0]]);
});

test("bad input: parties must be an integer > 0", () => {
  for (const p of [0, -4, 1.5, NaN]) {
    assert.throws(() => new Barrier(p), (e: unknown) => e instanceof ValueError && /^parties must be > 0/.test(e.message));
  }
  assert.throws(() => new Barrier("3" as unknown as number), { name: "TypeError", message: "Barrier: parties must be a number, got a string (3)" });
  assert.throws(() => new Barrier(null as unknown as number), { name: "TypeError", message: "Barrier: parties must be a number, got null" });
  const b = new Barrier(4);
  assert.equal(b.parties, 4);
  assert.equal(b.state, "filling");
});

test("toString, inspect, and not awaitable", () => {
  const b = new Barrier(5);
  assert.equal(String(b), "<Barrier [filling, waiters:0/5]>");
  assert.equal(inspect(b), "<Barrier [filling, waiters:0/5]>");
  assert.equal(Symbol.iterator in b, false);
  assert.equal("then" in b, false);
  function* misuse(): Coroutine<void> {
    // @ts-expect-error: a Barrier cannot be awaited, wait() on it
    yield* b;
  }
  assert.ok(misuse);
});

const N = 5;

function* gatherN<T>(n: number, coro: () => Coroutine<T>): Coroutine<T[]> {
  const ts = Array.from({ length: n }, () => createTask(coro()));
  return yield* gather(...ts);
}

test("draining state is visible to all but the last task to leave (test_draining_state)", async () => {
  await vrun(function* () {
    const b = new Barrier(N);
    const results: boolean[] = [];
    yield* gatherN(N, function* () {
      yield* asyncWith(b, function* () {
        results.push(String(b).includes("draining"));
      });
    });
    assert.deepEqual(results, [true, true, true, true, false]);
    assert.equal(b.nWaiting, 0);
  });
});

test("tasks arriving while the barrier drains wait for the next round (test_blocking_tasks_while_draining)", async () => {
  await vrun(function* () {
    const b = new Barrier(N);
    const rewaitBarrier = new Barrier(N - 2);
    let rewait = 2;
    yield* gatherN(N, function* () {
      yield* b.wait();
      if (rewait > 0) {
        rewait--;
        yield* b.wait();
      } else {
        yield* rewaitBarrier.wait();
        yield* b.wait();
      }
    });
    assert.equal(b.nWaiting, 0);
    assert.equal(b.broken, false);
  });
});

test("reset while half the tasks drain and half block (test_reset_barrier_when_tasks_half_draining_half_blocking)", async () => {
  await vrun(function* () {
    const b = new Barrier(N);
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    const blocking = Math.floor(N / 2);
    let count = 0;
    yield* gatherN(N, function* () {
      try {
        yield* b.wait();
      } catch (e) {
        if (!(e instanceof BrokenBarrierError)) throw e;
        results1.push(true);
        yield* b.wait();
        return;
      }
      count++;
      if (count > blocking) {
        yield* b.reset();
        yield* b.wait();
      } else {
        try {
          yield* b.wait();
        } catch (e) {
          if (!(e instanceof BrokenBarrierError)) throw e;
          results2.push(true);
        }
      }
    });
    assert.deepEqual(results1, Array(blocking).fill(true));
    assert.deepEqual(results2, []);
    assert.equal(b.nWaiting, 0);
    assert.equal(b.broken, false);
    assert.doesNotMatch(String(b), /resetting/);
  });
});

test("abort on an error, then reset and use again (test_abort_barrier_when_exception_then_resetting)", async () => {
  await vrun(function* () {
    const b1 = new Barrier(N);
    const b2 = new Barrier(N);
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    const results3: boolean[] = [];
    yield* gatherN(N, function* () {
      try {
        const i = yield* b1.wait();
        if (i === Math.floor(N / 2)) throw new RangeError("boom");
        yield* b1.wait();
        results1.push(true);
      } catch (e) {
        if (e instanceof BrokenBarrierError) results2.push(true);
        else if (e instanceof RangeError) yield* b1.abort();
        else throw e;
      }
      const i = yield* b2.wait();
      if (i === Math.floor(N / 2)) yield* b1.reset();
      yield* b2.wait();
      yield* b1.wait();
      results3.push(true);
    });
    assert.equal(b1.broken, false);
    assert.equal(results1.length, 0);
    assert.equal(results2.length, N - 1);
    assert.equal(results3.length, N);
    assert.equal(b1.nWaiting, 0);
  });
});

test("after a waiter is cancelled, the next arrival gets an index a waiter already holds (CPython 3.13)", async () => {
  // CPython: A waits (0), B waits (1), A is cancelled, C arrives (1), D arrives (2) and trips it:
  // [('D', 2), ('B', 1), ('C', 1)], then <Barrier [filling, waiters:0/3]>.
  const out: [string, number][] = [];
  let after = "";
  await vrun(function* () {
    const b = new Barrier(3);
    function* w(name: string): Coroutine<void> {
      out.push([name, yield* b.wait()]);
    }
    const a = createTask(w("A"));
    yield* sleep(0);
    const tb = createTask(w("B"));
    yield* sleep(0);
    a.cancel();
    yield* sleep(0);
    const tc = createTask(w("C"));
    yield* sleep(0);
    const td = createTask(w("D"));
    yield* gather(tb, tc, td);
    assert.equal(a.cancelled(), true);
    after = state(b);
  });
  assert.deepEqual(out, [["D", 2], ["B", 1], ["C", 1]]);
  assert.equal(after, "[filling, waiters:0/3]");
});
