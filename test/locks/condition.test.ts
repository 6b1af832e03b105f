// Condition: notify order, re-acquiring the lock before any error (cancellation included),
// notifications passed on by a cancelled waiter, errors, shared locks, state.
// Orderings: CPython 3.13 on test/locks/python/event_condition.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  createTask,
  gather,
  sleep,
  asyncWith,
  waitFor,
  CancelledError,
  RuntimeError,
  TimeoutError,
  ValueError,
  type Coroutine,
  type Task,
} from "../../src/index.js";
import { Condition } from "../../src/locks/condition.js";
import { Lock } from "../../src/locks/lock.js";
import { vrun, now, state } from "./helpers.js";

test("notify wakes waiters in order; each returns once it re-acquires the lock (CPython test_wait)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const cond = new Condition();
    function* c(i: number): Coroutine<void> {
      yield* cond.acquire();
      const r = yield* cond.wait();
      ev.push([i, r]);
    }
    for (const i of [1, 2, 3]) createTask(c(i));
    yield* sleep(0);
    ev.push(["waiting", state(cond)]);
    yield* cond.acquire();
    cond.notify();
    yield* sleep(0);
    ev.push(["notified, still held", state(cond)]);
    cond.release();
    yield* sleep(0);
    ev.push(["1 runs", state(cond)]);
    cond.notify(2);
    yield* sleep(0);
    cond.release();
    yield* sleep(0);
    cond.release();
    yield* sleep(0);
    ev.push(["end", state(cond)]);
    cond.release();
  });
  assert.deepEqual(ev, [
    ["waiting", "[unlocked, waiters:3]"],
    ["notified, still held", "[locked, waiters:2]"],
    [1, true],
    ["1 runs", "[locked, waiters:2]"],
    [2, true],
    [3, true],
    ["end", "[locked]"],
  ]);
});

test("a waiter cancelled while waiting re-acquires the lock before CancelledError reaches it", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const cond = new Condition();
    function* w(): Coroutine<void> {
      yield* asyncWith(cond, function* () {
        try {
          yield* cond.wait();
        } catch (e) {
          if (e instanceof CancelledError) ev.push(["w cancelled, holds lock", cond.locked(), now()]);
          throw e;
        }
      });
    }
    const t = createTask(w());
    yield* sleep(0);
    yield* cond.acquire();
    t.cancel();
    yield* sleep(5);
    ev.push(["main holds", state(cond), t.done()]);
    cond.release();
    yield* gather(t, { returnExceptions: true });
    ev.push(["end", state(cond), t.cancelled()]);
  });
  assert.deepEqual(ev, [
    ["main holds", "[locked]", false],
    ["w cancelled, holds lock", true, 5],
    ["end", "[unlocked]", true],
  ]);
});

function* consumer(cond: Condition, items: string[], name: string, ev: unknown[]): Coroutine<void> {
  using _ = yield* cond.hold();
  try {
    yield* cond.waitFor(() => items.length > 0);
  } catch (e) {
    if (e instanceof CancelledError) ev.push([name, "cancelled", cond.locked()]);
    throw e;
  }
  ev.push([name, "got", items.pop()]);
}

/**
 * Consumers c1 and c2 wait for an item; main adds one, notifies one waiter and, still holding
 * the lock, runs `then(cond, c1)`; then it joins both and logs the end state (as in event_condition.py).
 */
function* twoConsumersOneNotified(
  ev: unknown[],
  items: string[],
  then: (cond: Condition, c1: Task<void>) => Coroutine<void>,
): Coroutine<void> {
  const cond = new Condition();
  const c1 = createTask(consumer(cond, items, "c1", ev));
  const c2 = createTask(consumer(cond, items, "c2", ev));
  yield* sleep(0);
  yield* asyncWith(cond, function* () {
    items.push("x");
    cond.notify(1);
    yield* then(cond, c1);
  });
  yield* gather(c1, c2, { returnExceptions: true });
  ev.push(["end", state(cond), items]);
}

test("a waiter notified then cancelled before it runs passes the notification on (test_cancelled_wakeup)", async () => {
  const ev: unknown[] = [];
  const items: string[] = [];
  await vrun(function* () {
    yield* twoConsumersOneNotified(ev, items, function* (cond, c1) {
      c1.cancel();
      ev.push(["notified+cancelled", state(cond)]);
    });
  });
  assert.deepEqual(ev, [
    ["notified+cancelled", "[locked, waiters:2]"],
    ["c1", "cancelled", true],
    ["c2", "got", "x"],
    ["end", "[unlocked]", []],
  ]);
});

test("a waiter cancelled while re-acquiring the lock passes the notification on (…_relock)", async () => {
  const ev: unknown[] = [];
  const items: string[] = [];
  await vrun(function* () {
    yield* twoConsumersOneNotified(ev, items, function* (cond, c1) {
      yield* sleep(0);
      ev.push(["c1 re-acquiring", state(cond)]);
      c1.cancel();
    });
  });
  assert.deepEqual(ev, [
    ["c1 re-acquiring", "[locked, waiters:1]"],
    ["c1", "cancelled", true],
    ["c2", "got", "x"],
    ["end", "[unlocked]", []],
  ]);
});

test("the CancelledError raised out of wait() is the one the task was cancelled with", async () => {
  await vrun(function* () {
    for (const whileReacquiring of [false, true]) {
      const cond = new Condition();
      let raised: unknown = null;
      let wake = false;
      function* f(): Coroutine<void> {
        using _ = yield* cond.hold();
        try {
          yield* cond.waitFor(() => wake);
        } catch (e) {
          raised = e;
          throw e;
        }
      }
      const t = createTask(f());
      yield* sleep(0);
      if (whileReacquiring) {
        yield* cond.acquire();
        wake = true;
        cond.notify();
        yield* sleep(0);
        t.cancel("foo");
        cond.release();
      } else {
        t.cancel("foo");
      }
      try {
        yield* t;
        assert.fail("not cancelled");
      } catch (e) {
        assert.ok(e instanceof CancelledError);
        assert.equal(e.message, "foo");
        assert.ok(raised instanceof CancelledError);
        assert.equal((raised as CancelledError).message, "foo");
      }
      assert.equal(cond.locked(), false);
    }
  });
});

test("misuse: notify, notifyAll and wait need the lock; waitFor with a true predicate does not", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const cond = new Condition();
    for (const f of [() => cond.notify(), () => cond.notifyAll()]) {
      try {
        f();
      } catch (e) {
        assert.ok(e instanceof RuntimeError);
        ev.push(e.message);
      }
    }
    try {
      yield* cond.wait();
    } catch (e) {
      assert.ok(e instanceof RuntimeError);
      ev.push(e.message);
    }
    ev.push(yield* cond.waitFor(() => [1, 2]));
    try {
      yield* cond.waitFor(() => 0);
    } catch (e) {
      assert.ok(e instanceof RuntimeError);
      ev.push(e.message);
    }
  });
  const n = "cannot notify on un-acquired lock: acquire the condition first";
  const w = "cannot wait on un-acquired lock: acquire the condition first";
  assert.deepEqual(ev, [n, n, w, [1, 2], w]);
});

test("waitFor re-checks the predicate after each notification and returns its value", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const cond = new Condition();
    let value = 0;
    const t = createTask(
      (function* () {
        using _ = yield* cond.hold();
        const r = yield* cond.waitFor(() => value >= 2 && value);
        ev.push(["w got", r]);
      })(),
    );
    for (let i = 0; i < 3; i++) {
      yield* sleep(0);
      yield* asyncWith(cond, function* () {
        value++;
        ev.push(["notify", value]);
        cond.notify();
      });
    }
    yield* t;
  });
  assert.deepEqual(ev, [["notify", 1], ["notify", 2], ["w got", 2], ["notify", 3]]);
});

test("a condition over a given lock shares its state", async () => {
  await vrun(function* () {
    const lock = new Lock();
    const cond = new Condition(lock);
    yield* asyncWith(lock, function* () {
      assert.equal(cond.locked(), true);
    });
    yield* asyncWith(cond, function* () {
      assert.equal(lock.locked(), true);
    });
    assert.equal(state(cond), "[unlocked]");
    assert.equal(state(lock), "[unlocked]");
    assert.throws(() => new Condition({} as Lock), TypeError);
  });
});

test("notifyAll wakes every waiter in FIFO order", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const cond = new Condition();
    function* c(i: number): Coroutine<void> {
      yield* asyncWith(cond, function* () {
        yield* cond.wait();
        ev.push(i);
      });
    }
    const ts = [0, 1, 2, 3].map((i) => createTask(c(i)));
    yield* sleep(0);
    yield* asyncWith(cond, function* () {
      cond.notifyAll();
      ev.push(["notified", state(cond)]);
    });
    yield* gather(...ts);
  });
  assert.deepEqual(ev, [["notified", "[locked, waiters:4]"], 0, 1, 2, 3]);
});

test("wait() under waitFor times out and still holds the lock afterwards (test_timeout_in_block)", async () => {
  await vrun(function* () {
    const cond = new Condition();
    yield* asyncWith(cond, function* () {
      try {
        yield* waitFor(cond.wait(), 500);
        assert.fail("no timeout");
      } catch (e) {
        assert.ok(e instanceof TimeoutError);
      }
      assert.equal(cond.locked(), true);
      assert.equal(now(), 500);
    });
    assert.equal(state(cond), "[unlocked]");
  });
});

test("the seed's producer/consumer example prints what CPython prints", async () => {
  const out: string[] = [];
  await vrun(function* () {
    const buffer: number[] = [];
    const condition = new Condition();
    function* producer(): Coroutine<void> {
      for (let i = 0; i < 3; i++) {
        yield* asyncWith(condition, function* () {
          buffer.push(i);
          out.push(`Produced ${i}, buffer: [${buffer.join(", ")}]`);
          condition.notify();
        });
        yield* sleep(500);
      }
    }
    function* consumer(name: string): Coroutine<void> {
      yield* asyncWith(condition, function* () {
        while (buffer.length === 0) {
          out.push(`${name} waiting for items`);
          yield* condition.wait();
        }
        const item = buffer.shift();
        out.push(`${name} consumed ${item}, buffer: [${buffer.join(", ")}]`);
      });
    }
    yield* gather(producer(), consumer("Consumer 1"), consumer("Consumer 2"));
  });
  // CPython 3.13 prints exactly this (the seed's listing, which it says "may vary", differs).
  assert.deepEqual(out, [
    "Produced 0, buffer: [0]",
    "Consumer 1 consumed 0, buffer: []",
    "Consumer 2 waiting for items",
    "Produced 1, buffer: [1]",
    "Consumer 2 consumed 1, buffer: []",
    "Produced 2, buffer: [2]",
  ]);
});

test("toString, inspect, and not awaitable", async () => {
  await vrun(function* () {
    const cond = new Condition();
    assert.equal(String(cond), "<Condition [unlocked]>");
    yield* cond.acquire();
    const t = createTask(
      (function* () {
        using _ = yield* cond.hold();
        yield* cond.wait();
      })(),
    );
    cond.release();
    yield* sleep(0);
    assert.equal(inspect(cond), "<Condition [unlocked, waiters:1]>");
    t.cancel();
    yield* gather(t, { returnExceptions: true });
    assert.equal(String(cond), "<Condition [unlocked]>");
    assert.equal(Symbol.iterator in cond, false);
    assert.equal("then" in cond, false);
  });
});

test("bad input: notify(NaN) is a ValueError that points to notifyAll(), notify(\"1\") a TypeError (CPython: int < str); nobody is woken", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const cond = new Condition();
    const waiter = createTask(
      (function* () {
        using _ = yield* cond.hold();
        yield* cond.wait();
        ev.push("woken");
      })(),
    );
    yield* sleep(0);
    {
      using _ = yield* cond.hold();
      assert.throws(() => cond.notify(NaN), (e: unknown) => e instanceof ValueError && /n is NaN; to wake every waiter, call notifyAll\(\)/.test(e.message));
      assert.throws(() => cond.notify("1" as never), (e: unknown) => e instanceof TypeError && /n must be a number, got a string \(1\)$/.test(e.message));
      ev.push(String(cond));
      cond.notifyAll();
    }
    // Without the lock, the lock is checked first (CPython: RuntimeError, whatever n is).
    assert.throws(() => cond.notify("2" as never), { name: "RuntimeError", message: /^cannot notify on un-acquired lock/ });
    assert.throws(() => cond.notify(null as never), { name: "RuntimeError" });
    yield* waiter;
  });
  assert.deepEqual(ev, ["<Condition [locked, waiters:1]>", "woken"]);
});

test("Condition(null) makes its own Lock, as CPython's Condition(None)", async () => {
  await vrun(function* () {
    const cond = new Condition(null as unknown as undefined);
    assert.equal(String(cond).endsWith("[unlocked]>"), true);
    yield* cond.acquire();
    assert.equal(cond.locked(), true);
    cond.release();
    assert.equal(cond.locked(), false);
  });
});
