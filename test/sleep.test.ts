// sleep: sleep(0) yields exactly once, the value, bad delays, exact virtual time.
// Every ordering below is what CPython 3.13 prints for test/python/sleep.py
// (run: PYENV_VERSION=3.13.0 python3 test/python/sleep.py). Delays are ms here, seconds in Python.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sleep, gather, createTask, getRunningLoop, ValueError, type Coroutine } from "../src/index.js";
import { vrun, now, cancelAfter, sleepLogCancel } from "./helpers.js";

test("sleep(0) lets the other tasks run one step each", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    function* worker(name: string): Coroutine<void> {
      for (let i = 0; i < 3; i++) {
        ev.push(`${name}${i}`);
        yield* sleep(0);
      }
    }
    yield* gather(worker("a"), worker("b"));
    ev.push(["time", now()]);
  });
  assert.deepEqual(ev, ["a0", "b0", "a1", "b1", "a2", "b2", ["time", 0]]);
});

test("sleep(0) yields exactly once: what was ready before runs first, and nothing more", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const loop = getRunningLoop();
    loop.callSoon(() => ev.push("callback scheduled before"));
    createTask(
      (function* (): Coroutine<void> {
        ev.push("other start");
        yield* sleep(0);
        ev.push("other second step");
      })(),
    );
    yield* sleep(0);
    ev.push("main after one sleep(0)");
    yield* sleep(0);
    ev.push("main after two sleep(0)");
  });
  assert.deepEqual(ev, [
    "callback scheduled before",
    "other start",
    "main after one sleep(0)",
    "other second step",
    "main after two sleep(0)",
  ]);
});

test("sleep(ms, value) returns value; sleep(ms) returns undefined (Python's None)", async () => {
  let ev: unknown[] = [];
  await vrun(function* () {
    const a = yield* sleep(10, "ten");
    const ta = now();
    const b = yield* sleep(0, "zero");
    const tb = now();
    const c = yield* sleep(5);
    ev = [a, ta, b, tb, c, now()];
  });
  assert.deepEqual(ev, ["ten", 10, "zero", 10, undefined, 15]);
});

test("a negative delay acts as 0: it yields once and time does not move", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    createTask(
      (function* (): Coroutine<void> {
        ev.push("other");
      })(),
    );
    const r = yield* sleep(-100, "neg");
    ev.push([r, now()]);
  });
  assert.deepEqual(ev, ["other", ["neg", 0]]);
});

test("sleep(NaN) is a ValueError; a non-number delay is a TypeError", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    // Python: ValueError("Invalid delay: NaN (not a number)"), raised when awaited; here the call
    // may throw at once or when awaited, so both sit inside the try.
    try {
      yield* sleep(NaN);
    } catch (e) {
      ev.push(e instanceof ValueError ? "ValueError" : e);
      assert.equal((e as Error).name, "ValueError");
    }
    try {
      yield* sleep("10" as never);
    } catch (e) {
      ev.push(e instanceof TypeError ? "TypeError" : e);
    }
    try {
      yield* sleep(undefined as never); // Python: sleep(None)
    } catch (e) {
      ev.push(e instanceof TypeError ? "TypeError" : e);
    }
    ev.push(now());
  });
  assert.deepEqual(ev, ["ValueError", "TypeError", "TypeError", 0]);
});

test("the virtual clock advances exactly; equal deadlines wake in scheduling order", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    function* s(name: string, d: number): Coroutine<void> {
      yield* sleep(d);
      ev.push([name, now()]);
    }
    assert.equal(now(), 0);
    yield* sleep(1000);
    ev.push(["main", now()]);
    yield* sleep(250);
    yield* sleep(250);
    ev.push(["main", now()]);
    yield* gather(s("a", 300), s("b", 100), s("c", 200), s("d", 100));
    ev.push(["gathered", now()]);
    yield* sleep(3_600_000);
    ev.push(["an hour later", now()]);
  });
  assert.deepEqual(ev, [
    ["main", 1000],
    ["main", 1500],
    ["b", 1600],
    ["d", 1600],
    ["c", 1700],
    ["a", 1800],
    ["gathered", 1800],
    ["an hour later", 3_601_800],
  ]);
});

test("cancelling a sleeping task: CancelledError at the sleep, and its timer no longer holds the clock", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    yield* cancelAfter(100, sleepLogCancel(ev, "sleeper cancelled", 10_000), () => {});
    ev.push(["main", now()]);
    yield* sleep(5);
    ev.push(["main", now()]);
  });
  assert.deepEqual(ev, [
    ["sleeper cancelled", 100],
    ["main", 100],
    ["main", 105],
  ]);
});

test("a sleep awaited again after it finished is a RuntimeError, as a reused coroutine in CPython", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const s = sleep(5, "v");
    ev.push(yield* s, now());
    try {
      yield* s;
    } catch (e) {
      ev.push((e as Error).name, (e as Error).message, now());
    }
  });
  assert.deepEqual(ev, ["v", 5, "RuntimeError", "cannot reuse already awaited coroutine sleep(5): call it again for a new one", 5]);
});

test("a cancelled sleep awaited again is a RuntimeError too, not a second CancelledError (CPython)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const s = sleep(100);
    const t = createTask(
      (function* () {
        for (let i = 0; i < 2; i++) {
          try {
            yield* s;
          } catch (e) {
            ev.push((e as Error).name);
          }
        }
      })(),
    );
    yield* sleep(1);
    t.cancel();
    yield* t;
  });
  assert.deepEqual(ev, ["CancelledError", "RuntimeError"]);
});
