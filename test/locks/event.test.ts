// Event: set() wakes every current waiter, clear() does not un-wake them, cancellation, state.
// Orderings: CPython 3.13 on test/locks/python/event_condition.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { createTask, gather, sleep, CancelledError, type Coroutine } from "../../src/index.js";
import { Event } from "../../src/locks/event.js";
import { vrun, state } from "./helpers.js";

test("set() wakes every waiter; a task started after set() runs first (CPython test_wait)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const e = new Event();
    function* c(i: number): Coroutine<void> {
      const r = yield* e.wait();
      ev.push([i, r]);
    }
    createTask(c(1));
    createTask(c(2));
    yield* sleep(0);
    ev.push(["waiting", state(e)]);
    createTask(c(3));
    e.set();
    ev.push(["set", state(e)]);
    yield* sleep(0);
    ev.push(["end", state(e)]);
  });
  assert.deepEqual(ev, [
    ["waiting", "[unset, waiters:2]"],
    ["set", "[set, waiters:2]"],
    [3, true],
    [1, true],
    [2, true],
    ["end", "[set]"],
  ]);
});

test("clear() right after set() does not un-wake the waiters", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const e = new Event();
    function* c(i: number | string): Coroutine<void> {
      const r = yield* e.wait();
      ev.push([i, r, e.isSet()]);
    }
    for (let i = 0; i < 3; i++) createTask(c(i));
    yield* sleep(0);
    e.set();
    e.clear();
    ev.push(["cleared", state(e)]);
    const late = createTask(c("late"));
    yield* sleep(0);
    ev.push(["after", state(e), late.done()]);
    e.set();
    yield* late;
  });
  assert.deepEqual(ev, [
    ["cleared", "[unset, waiters:3]"],
    [0, true, false],
    [1, true, false],
    [2, true, false],
    ["after", "[unset, waiters:1]", false],
    ["late", true, true],
  ]);
});

test("a cancelled waiter leaves; the others are woken; cancelled after set() it still raises", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const e = new Event();
    function* c(i: number): Coroutine<void> {
      try {
        yield* e.wait();
        ev.push([i, "woke"]);
      } catch (err) {
        if (err instanceof CancelledError) ev.push([i, "cancelled", state(e)]);
        throw err;
      }
    }
    const ts = [0, 1, 2].map((i) => createTask(c(i)));
    yield* sleep(0);
    ts[1]!.cancel();
    e.set();
    yield* gather(...ts, { returnExceptions: true });
    const ts2 = [10, 11].map((i) => createTask(c(i)));
    e.clear();
    yield* sleep(0);
    e.set();
    ts2[0]!.cancel();
    yield* gather(...ts2, { returnExceptions: true });
    ev.push(["end", state(e), ts2.map((t) => t.cancelled())]);
  });
  assert.deepEqual(ev, [
    [1, "cancelled", "[set, waiters:2]"],
    [0, "woke"],
    [2, "woke"],
    [10, "cancelled", "[set, waiters:1]"],
    [11, "woke"],
    ["end", "[set]", [true, false]],
  ]);
});

test("wait() on a set event returns at once, without suspending", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const e = new Event();
    e.set();
    createTask(
      (function* () {
        ev.push("other ran");
      })(),
    );
    ev.push(["waited", yield* e.wait()]);
    yield* sleep(0);
  });
  assert.deepEqual(ev, [["waited", true], "other ran"]);
});

test("the seed's example prints what CPython prints", async () => {
  const out: string[] = [];
  await vrun(function* () {
    const event = new Event();
    function* waiter(name: string): Coroutine<void> {
      out.push(`${name} waiting for event`);
      yield* event.wait();
      out.push(`${name} proceeding after event`);
    }
    function* trigger(): Coroutine<void> {
      out.push("Trigger task started");
      yield* sleep(1000);
      out.push("Setting event");
      event.set();
    }
    yield* gather(waiter("Waiter 0"), waiter("Waiter 1"), waiter("Waiter 2"), trigger());
  });
  assert.deepEqual(out, [
    "Waiter 0 waiting for event",
    "Waiter 1 waiting for event",
    "Waiter 2 waiting for event",
    "Trigger task started",
    "Setting event",
    "Waiter 0 proceeding after event",
    "Waiter 1 proceeding after event",
    "Waiter 2 proceeding after event",
  ]);
});

test("cancelling many waiters costs O(1) each and leaves the queue empty", async () => {
  await vrun(function* () {
    const e = new Event();
    const ts = Array.from({ length: 2000 }, () => createTask(e.wait()));
    yield* sleep(0);
    assert.equal(state(e), "[unset, waiters:2000]");
    for (let i = 0; i < ts.length; i += 2) ts[i]!.cancel();
    yield* sleep(0);
    assert.equal(state(e), "[unset, waiters:1000]");
    e.set();
    const rs = yield* gather(...ts, { returnExceptions: true });
    assert.equal(rs.filter((r) => r === true).length, 1000);
    assert.equal(state(e), "[set]");
  });
});

test("toString, inspect, and not awaitable", () => {
  const e = new Event();
  assert.equal(String(e), "<Event [unset]>");
  e.set();
  assert.equal(inspect(e), "<Event [set]>");
  assert.equal(Symbol.iterator in e, false);
  assert.equal("then" in e, false);
  function* misuse(): Coroutine<void> {
    // @ts-expect-error: an Event cannot be awaited, wait() on it
    yield* e;
  }
  assert.ok(misuse);
});
