// Semaphore and BoundedSemaphore: FIFO, CPython's locked(), permits never lost or doubled when
// waiters are cancelled, bad input, state.
// Orderings: CPython 3.13 on test/locks/python/semaphore.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { createTask, gather, sleep, asyncWith, CancelledError, ValueError, type Coroutine } from "../../src/index.js";
import { Semaphore, BoundedSemaphore } from "../../src/locks/semaphore.js";
import { vrun, now, state } from "./helpers.js";

test("permits go to waiters in order (CPython test_acquire, exact)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const sem = new Semaphore(3);
    yield* sem.acquire();
    yield* sem.acquire();
    ev.push(["two held", sem.locked(), state(sem)]);
    function* c(i: number): Coroutine<void> {
      yield* sem.acquire();
      ev.push(i);
    }
    for (const i of [1, 2, 3]) createTask(c(i));
    yield* sleep(0);
    ev.push(["after step", sem.locked(), state(sem)]);
    createTask(c(4));
    sem.release();
    sem.release();
    ev.push(["released twice", sem.locked(), state(sem)]);
    yield* sleep(0);
    ev.push(["after step", state(sem)]);
    sem.release();
    yield* sleep(0);
    ev.push(["end", state(sem)]);
  });
  assert.deepEqual(ev, [
    ["two held", false, "[unlocked, value:1]"],
    1,
    ["after step", true, "[locked, waiters:2]"],
    ["released twice", true, "[locked, waiters:2]"],
    2,
    3,
    ["after step", "[locked, waiters:1]"],
    4,
    ["end", "[locked]"],
  ]);
});

test("locked() is true while a woken waiter has not run, even with permits free (…fifo_order_4)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const sem = new Semaphore(0);
    function* c1(): Coroutine<void> {
      yield* sem.acquire();
      ev.push(["c1", state(sem)]);
    }
    function* c2(): Coroutine<void> {
      sem.release();
      sem.release();
      sem.release();
      ev.push(["c2 released 3", sem.locked(), state(sem)]);
      yield* sem.acquire();
      ev.push(["c2", state(sem)]);
    }
    function* c3(): Coroutine<void> {
      yield* sem.acquire();
      ev.push(["c3", state(sem)]);
    }
    const ts = [createTask(c1()), createTask(c2()), createTask(c3())];
    yield* sleep(0);
    ev.push(["main", sem.locked(), state(sem)]);
    yield* gather(...ts);
    ev.push(["end", sem.locked(), state(sem)]);
  });
  assert.deepEqual(ev, [
    ["c2 released 3", true, "[locked, waiters:1]"],
    ["main", true, "[locked, waiters:3]"],
    ["c1", "[locked, waiters:2]"],
    ["c2", "[locked, waiters:1]"],
    ["c3", "[locked]"],
    ["end", true, "[locked]"],
  ]);
});

test("waiters cancelled before a release are skipped: the permit goes to the first live one", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const sem = new Semaphore(0);
    const ts = [0, 1, 2, 3].map(() => createTask(sem.acquire()));
    yield* sleep(0);
    ts[0]!.cancel();
    ts[1]!.cancel();
    sem.release();
    ev.push(["released", sem.locked(), state(sem)]);
    yield* sleep(0);
    ev.push(["step1", ts.map((t) => t.done()), state(sem)]);
    yield* sleep(0);
    ev.push(["step2", ts.map((t) => t.done()), state(sem)]);
    ts[3]!.cancel();
    yield* gather(...ts, { returnExceptions: true });
    ev.push(["end", state(sem), ts.map((t) => t.cancelled())]);
  });
  assert.deepEqual(ev, [
    ["released", true, "[locked, waiters:4]"],
    ["step1", [true, true, true, false], "[locked, waiters:1]"],
    ["step2", [true, true, true, false], "[locked, waiters:1]"],
    ["end", "[locked]", [true, true, false, true]],
  ]);
});

test("a woken waiter cancelled before it runs hands its permit to the next one", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const sem = new Semaphore(0);
    function* c(name: string): Coroutine<void> {
      try {
        yield* sem.acquire();
      } catch (e) {
        if (e instanceof CancelledError) ev.push([name, "cancelled", state(sem)]);
        throw e;
      }
      ev.push([name, "acquired", state(sem)]);
    }
    const ts = ["A", "B", "C"].map((n) => createTask(c(n)));
    yield* sleep(0);
    sem.release();
    ts[0]!.cancel();
    ev.push(["released+cancelled", sem.locked(), state(sem)]);
    yield* sleep(0);
    ev.push(["step1", state(sem)]);
    yield* sleep(0);
    ev.push(["step2", state(sem)]);
    ts[2]!.cancel();
    yield* gather(...ts, { returnExceptions: true });
    ev.push(["end", state(sem), ts.map((t) => t.cancelled())]);
  });
  assert.deepEqual(ev, [
    ["released+cancelled", true, "[locked, waiters:3]"],
    ["A", "cancelled", "[locked, waiters:2]"],
    ["step1", "[locked, waiters:2]"],
    ["B", "acquired", "[locked, waiters:1]"],
    ["step2", "[locked, waiters:1]"],
    ["C", "cancelled", "[locked]"],
    ["end", "[locked]", [true, false, true]],
  ]);
});

test("when every waiter is cancelled, a newcomer takes a free permit at once", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const sem = new Semaphore(0);
    const t = createTask(sem.acquire());
    yield* sleep(0);
    t.cancel();
    ev.push(["cancelled waiter queued", sem.locked(), state(sem)]);
    sem.release();
    ev.push(["released", sem.locked(), state(sem)]);
    ev.push(["newcomer at once", yield* sem.acquire(), state(sem)]);
    yield* sleep(0);
    ev.push(["end", state(sem), t.cancelled()]);
  });
  assert.deepEqual(ev, [
    ["cancelled waiter queued", true, "[locked, waiters:1]"],
    ["released", false, "[unlocked, value:1, waiters:1]"],
    ["newcomer at once", true, "[locked, waiters:1]"],
    ["end", "[locked]", true],
  ]);
});

test("FIFO across rounds (CPython test_acquire_fifo_order)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const sem = new Semaphore(1);
    function* coro(tag: string): Coroutine<void> {
      for (const k of [1, 2]) {
        yield* sem.acquire();
        ev.push(`${tag}_${k}`);
        yield* sleep(10);
        sem.release();
      }
    }
    yield* gather(coro("c1"), coro("c2"), coro("c3"));
    ev.push(now());
  });
  assert.deepEqual(ev, ["c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2", 60]);
});

test("the seed's Semaphore(2) example, with CPython's times", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const sem = new Semaphore(2);
    function* access(i: number): Coroutine<void> {
      yield* asyncWith(sem, function* () {
        ev.push([now(), `Task ${i} making API call`]);
        yield* sleep(1000);
        ev.push([now(), `Task ${i} finished API call`]);
      });
    }
    yield* gather(access(0), access(1), access(2), access(3), access(4));
  });
  assert.deepEqual(ev, [
    [0, "Task 0 making API call"],
    [0, "Task 1 making API call"],
    [1000, "Task 0 finished API call"],
    [1000, "Task 1 finished API call"],
    [1000, "Task 2 making API call"],
    [1000, "Task 3 making API call"],
    [2000, "Task 2 finished API call"],
    [2000, "Task 3 finished API call"],
    [2000, "Task 4 making API call"],
    [3000, "Task 4 finished API call"],
  ]);
});

test("the seed's BoundedSemaphore example prints what CPython prints", async () => {
  const out: string[] = [];
  await vrun(function* () {
    const semaphore = new BoundedSemaphore(2);
    function* accessResource(name: string): Coroutine<void> {
      using _ = yield* semaphore.hold();
      out.push(`${name} acquired resource`);
      yield* sleep(500);
      out.push(`${name} released resource`);
    }
    yield* gather(...[0, 1, 2, 3].map((i) => accessResource(`Task ${i}`)));
    try {
      semaphore.release();
    } catch (e) {
      out.push(`Error: ${(e as Error).message}`);
    }
  });
  assert.deepEqual(out, [
    "Task 0 acquired resource",
    "Task 1 acquired resource",
    "Task 0 released resource",
    "Task 1 released resource",
    "Task 2 acquired resource",
    "Task 3 acquired resource",
    "Task 2 released resource",
    "Task 3 released resource",
    "Error: BoundedSemaphore released too many times",
  ]);
});

test("bad input: negative, fractional or non-number values; over-release of a bounded one", () => {
  for (const v of [-1, 1.5, NaN, Infinity]) {
    assert.throws(() => new Semaphore(v), (e: unknown) => e instanceof ValueError && /^Semaphore initial value must be >= 0/.test(e.message));
    assert.throws(() => new BoundedSemaphore(v), /^ValueError: BoundedSemaphore initial value must be >= 0/);
  }
  assert.throws(() => new Semaphore("2" as unknown as number), { name: "TypeError", message: "Semaphore: the initial value must be a number, got a string (2)" });
  assert.throws(() => new BoundedSemaphore(null as unknown as number), { name: "TypeError", message: "BoundedSemaphore: the initial value must be a number, got null" });
  const b = new BoundedSemaphore(2);
  assert.throws(() => b.release(), (e: unknown) => e instanceof ValueError && e.message === "BoundedSemaphore released too many times");
  assert.equal(state(b), "[unlocked, value:2]");
  const s = new Semaphore(1);
  s.release();
  s.release();
  assert.equal(state(s), "[unlocked, value:3]");
  assert.equal(state(new Semaphore(0)), "[locked]");
  assert.equal(new Semaphore().locked(), false);
});

test("toString, inspect, and not awaitable", () => {
  const s = new Semaphore(2);
  assert.equal(String(s), "<Semaphore [unlocked, value:2]>");
  assert.equal(inspect(new BoundedSemaphore(0)), "<BoundedSemaphore [locked]>");
  assert.equal(Symbol.iterator in s, false);
  assert.equal("then" in s, false);
  function* misuse(): Coroutine<void> {
    // @ts-expect-error: a Semaphore cannot be awaited, acquire() it
    yield* s;
  }
  assert.ok(misuse);
});

test("release() hands out one permit; a second free one goes to the next waiter only when the woken one runs", async () => {
  // CPython 3.13 (release wakes one; acquire wakes as many as fit once it runs):
  // r released [locked, waiters:3], A, B, r again, C.
  const ev: unknown[] = [];
  await vrun(function* () {
    const sem = new Semaphore(0);
    function* w(name: string): Coroutine<void> {
      yield* sem.acquire();
      ev.push([name, "acquired"]);
    }
    function* r(): Coroutine<void> {
      sem.release(); // 2 permits with B and C queued: wakes B only
      ev.push(["r released", state(sem)]);
      yield* sleep(0);
      ev.push("r again");
    }
    const a = createTask(w("A"));
    yield* sleep(0);
    const ts = [createTask(w("B")), createTask(w("C")), createTask(r())];
    sem.release(); // A woken
    sem.release(); // 1 permit, nobody pending: B and C queue behind A (FIFO)
    yield* gather(a, ...ts);
  });
  assert.deepEqual(ev, [
    ["r released", "[locked, waiters:3]"],
    ["A", "acquired"],
    ["B", "acquired"],
    "r again",
    ["C", "acquired"],
  ]);
});
