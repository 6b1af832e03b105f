// Lock: FIFO, no barging, baton passing on cancellation, errors, loop binding, visible state.
// Every ordering below is what CPython 3.13 prints for test/locks/python/lock.py
// (run: PYENV_VERSION=3.13.0 python3 test/locks/python/lock.py). Times are ms here, seconds there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  createTask,
  gather,
  sleep,
  waitFor,
  asyncWith,
  newEventLoop,
  CancelledError,
  RuntimeError,
  TimeoutError,
  type Coroutine,
  type Task,
} from "../../src/index.js";
import { Lock } from "../../src/locks/lock.js";
import { Queue } from "../../src/queues.js";
import { vrun, now, state, settle } from "./helpers.js";

test("waiters get the lock in arrival order (CPython test_acquire)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const lock = new Lock();
    yield* lock.acquire();
    function* c(i: number): Coroutine<void> {
      const r = yield* lock.acquire();
      ev.push([i, r]);
    }
    createTask(c(1));
    createTask(c(2));
    yield* sleep(0);
    ev.push(["waiting", state(lock)]);
    lock.release();
    ev.push(["released", lock.locked(), state(lock)]);
    yield* sleep(0);
    ev.push(["after 1 step", state(lock)]);
    createTask(c(3));
    lock.release();
    yield* sleep(0);
    lock.release();
    yield* sleep(0);
    ev.push(["end", state(lock)]);
  });
  assert.deepEqual(ev, [
    ["waiting", "[locked, waiters:2]"],
    ["released", false, "[unlocked, waiters:2]"],
    [1, true],
    ["after 1 step", "[locked, waiters:1]"],
    [2, true],
    [3, true],
    ["end", "[locked]"],
  ]);
});

test("a task that releases and asks again queues behind the woken waiter (no barging)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const lock = new Lock();
    function* a(): Coroutine<void> {
      yield* lock.acquire();
      ev.push("A acquired");
      yield* sleep(0);
      lock.release();
      ev.push(["A released", lock.locked(), state(lock)]);
      yield* lock.acquire();
      ev.push("A re-acquired");
      lock.release();
    }
    function* b(): Coroutine<void> {
      yield* lock.acquire();
      ev.push(["B acquired", state(lock)]);
      lock.release();
    }
    yield* gather(a(), b());
  });
  assert.deepEqual(ev, [
    "A acquired",
    ["A released", false, "[unlocked, waiters:1]"],
    ["B acquired", "[locked, waiters:1]"],
    "A re-acquired",
  ]);
});

test("a newcomer while the woken waiter has not run yet waits its turn", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const lock = new Lock();
    function* holder(): Coroutine<void> {
      yield* asyncWith(lock, function* () {
        ev.push("A holds");
        yield* sleep(0);
        yield* sleep(0);
      });
      ev.push(["A released", lock.locked(), state(lock)]);
    }
    function* waiter(): Coroutine<void> {
      yield* lock.acquire();
      ev.push("B acquired");
      lock.release();
    }
    function* newcomer(): Coroutine<void> {
      ev.push(["C tries", lock.locked()]);
      yield* lock.acquire();
      ev.push("C acquired");
      lock.release();
    }
    const ta = createTask(holder());
    const tb = createTask(waiter());
    yield* sleep(0);
    yield* sleep(0);
    yield* sleep(0);
    ev.push(["main sees", lock.locked(), state(lock)]);
    const tc = createTask(newcomer());
    yield* gather(ta, tb, tc);
    ev.push(["end", state(lock)]);
  });
  assert.deepEqual(ev, [
    "A holds",
    ["A released", false, "[unlocked, waiters:1]"],
    ["main sees", false, "[unlocked, waiters:1]"],
    "B acquired",
    ["C tries", false],
    "C acquired",
    ["end", "[unlocked]"],
  ]);
});

function* contender(lock: Lock, name: string, ev: unknown[], hold: boolean): Coroutine<void> {
  try {
    yield* lock.acquire();
  } catch (e) {
    if (e instanceof CancelledError) ev.push([name, "cancelled", lock.locked(), state(lock)]);
    throw e;
  }
  ev.push([name, "acquired"]);
  if (hold) yield* sleep(0);
  lock.release();
  if (hold) ev.push([name, "released"]);
}

/** A held lock with contenders B and C queued on it (one step taken), as in lock.py. */
function* heldWithTwoContenders(ev: unknown[], hold: boolean): Coroutine<{ lock: Lock; tb: Task<void>; tc: Task<void> }> {
  const lock = new Lock();
  yield* lock.acquire();
  const tb = createTask(contender(lock, "B", ev, hold));
  const tc = createTask(contender(lock, "C", ev, hold));
  yield* sleep(0);
  return { lock, tb, tc };
}

test("baton passing: a woken waiter cancelled before it runs hands the lock to the next", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const { lock, tb, tc } = yield* heldWithTwoContenders(ev, true);
    lock.release();
    tb.cancel();
    ev.push(["after release+cancel", lock.locked(), state(lock)]);
    yield* gather(tb, tc, { returnExceptions: true });
    ev.push(["end", lock.locked(), state(lock), tb.cancelled()]);
  });
  assert.deepEqual(ev, [
    ["after release+cancel", false, "[unlocked, waiters:2]"],
    ["B", "cancelled", false, "[unlocked, waiters:1]"],
    ["C", "acquired"],
    ["C", "released"],
    ["end", false, "[unlocked]", true],
  ]);
});

test("a waiter cancelled before the release: the release wakes nobody, its cleanup wakes the next", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const { lock, tb, tc } = yield* heldWithTwoContenders(ev, false);
    tb.cancel();
    lock.release();
    ev.push(["released", state(lock)]);
    yield* sleep(0);
    ev.push(["step 1", state(lock)]);
    yield* sleep(0);
    ev.push(["step 2", state(lock)]);
    yield* gather(tb, tc, { returnExceptions: true });
    ev.push(["end", state(lock)]);
  });
  assert.deepEqual(ev, [
    ["released", "[unlocked, waiters:2]"],
    ["B", "cancelled", false, "[unlocked, waiters:1]"],
    ["step 1", "[unlocked, waiters:1]"],
    ["C", "acquired"],
    ["step 2", "[unlocked]"],
    ["end", "[unlocked]"],
  ]);
});

test("when every queued waiter is cancelled, a newcomer takes the free lock at once", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const lock = new Lock();
    yield* lock.acquire();
    const tb = createTask(lock.acquire());
    yield* sleep(0);
    tb.cancel();
    lock.release();
    ev.push(["before", state(lock)]);
    const r = yield* lock.acquire();
    ev.push(["newcomer acquired at once", r, state(lock)]);
    yield* sleep(0);
    ev.push(["after B cleanup", state(lock), tb.cancelled()]);
    lock.release();
  });
  assert.deepEqual(ev, [
    ["before", "[unlocked, waiters:1]"],
    ["newcomer acquired at once", true, "[locked, waiters:1]"],
    ["after B cleanup", "[locked]", true],
  ]);
});

test("a woken-then-cancelled waiter still blocks newcomers until its cleanup hands the lock on", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const lock = new Lock();
    yield* lock.acquire();
    const tb = createTask(lock.acquire());
    yield* sleep(0);
    lock.release();
    tb.cancel();
    ev.push(["main tries", lock.locked(), state(lock)]);
    yield* lock.acquire();
    ev.push(["main acquired", state(lock), tb.cancelled()]);
    lock.release();
  });
  assert.deepEqual(ev, [
    ["main tries", false, "[unlocked, waiters:1]"],
    ["main acquired", "[locked]", true],
  ]);
});

test("acquire under waitFor: the timed-out waiter leaves the queue", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const lock = new Lock();
    yield* lock.acquire();
    function* late(): Coroutine<void> {
      yield* sleep(5);
      ev.push([now(), "late tries"]);
      yield* lock.acquire();
      ev.push([now(), "late acquired"]);
      lock.release();
    }
    const tl = createTask(late());
    try {
      yield* waitFor(lock.acquire(), 10);
    } catch (e) {
      assert.ok(e instanceof TimeoutError);
      ev.push([now(), "timed out", state(lock)]);
    }
    yield* sleep(10);
    lock.release();
    yield* tl;
    ev.push([now(), "end", state(lock)]);
  });
  assert.deepEqual(ev, [
    [5, "late tries"],
    [10, "timed out", "[locked, waiters:1]"],
    [20, "late acquired"],
    [20, "end", "[unlocked]"],
  ]);
});

test("five tasks holding across a yield take turns round-robin (asyncWith and using)", async () => {
  const expected = ["0.0", "1.0", "2.0", "3.0", "4.0", "0.1", "1.1", "2.1", "3.1", "4.1"];
  for (const style of ["asyncWith", "using"] as const) {
    const ev: string[] = [];
    await vrun(function* () {
      const lock = new Lock();
      function* w(i: number): Coroutine<void> {
        for (let k = 0; k < 2; k++) {
          if (style === "asyncWith") {
            yield* asyncWith(lock, function* () {
              ev.push(`${i}.${k}`);
              yield* sleep(0);
            });
          } else {
            using _ = yield* lock.hold();
            ev.push(`${i}.${k}`);
            yield* sleep(0);
          }
        }
      }
      yield* gather(w(0), w(1), w(2), w(3), w(4));
      assert.equal(state(lock), "[unlocked]");
    });
    assert.deepEqual(ev, expected, style);
  }
});

test("using: the lock is released when the block throws or the task is cancelled", async () => {
  await vrun(function* () {
    const lock = new Lock();
    function* boom(): Coroutine<void> {
      using _ = yield* lock.hold();
      assert.equal(lock.locked(), true);
      throw new Error("boom");
    }
    const t = createTask(boom());
    try {
      yield* t;
      assert.fail("no error");
    } catch (e) {
      assert.equal((e as Error).message, "boom");
    }
    assert.equal(lock.locked(), false);

    function* stuck(): Coroutine<void> {
      using _ = yield* lock.hold();
      yield* sleep(1000);
    }
    const s = createTask(stuck());
    yield* sleep(1);
    assert.equal(lock.locked(), true);
    s.cancel();
    yield* settle(s);
    assert.equal(lock.locked(), false);

    // Disposing twice releases once.
    const h = yield* lock.hold();
    assert.equal(h.held, true);
    h[Symbol.dispose]();
    h[Symbol.dispose]();
    assert.equal(h.held, false);
    assert.equal(lock.locked(), false);
  });
});

test("releasing an unlocked lock is a RuntimeError; any task may release a locked one", async () => {
  await vrun(function* () {
    const lock = new Lock();
    assert.throws(() => lock.release(), RuntimeError);
    assert.throws(() => lock.release(), /Lock is not acquired/);
    yield* lock.acquire();
    function* other(): Coroutine<void> {
      lock.release();
    }
    yield* createTask(other());
    assert.equal(lock.locked(), false);
  });
});

test("bound to the loop of its first wait; waiting from another loop is a RuntimeError", async () => {
  const lock = new Lock();
  await vrun(function* () {
    yield* lock.acquire();
    const t = createTask(lock.acquire()); // waits: binds the lock to this loop
    yield* sleep(0);
    lock.release();
    yield* t;
  });
  // Uncontended use from another loop does not wait, so it works (as in CPython).
  const loop = newEventLoop();
  await loop.runUntilComplete(
    (function* () {
      yield* lock.acquire(); // held since the first loop's task got it: waits -> RuntimeError
    })(),
  ).then(
    () => assert.fail("expected RuntimeError"),
    (e: unknown) => {
      assert.ok(e instanceof RuntimeError);
      assert.match((e as Error).message, /<Lock \[locked\]> is bound to a different event loop/);
    },
  );
  loop.close();
  lock.release();
  const loop2 = newEventLoop();
  await loop2.runUntilComplete(
    (function* () {
      assert.equal(yield* lock.acquire(), true); // free: no wait, no loop check
      lock.release();
    })(),
  );
  loop2.close();
});

test("not awaitable: a Lock is neither iterable nor a thenable", () => {
  const lock = new Lock();
  assert.equal(Symbol.iterator in lock, false);
  assert.equal("then" in lock, false);
  function* misuse(): Coroutine<void> {
    // @ts-expect-error: a Lock cannot be awaited, acquire() it
    yield* lock;
  }
  assert.ok(misuse);
});

test("toString and inspect show the state", async () => {
  await vrun(function* () {
    const lock = new Lock();
    assert.equal(String(lock), "<Lock [unlocked]>");
    assert.equal(inspect(lock), "<Lock [unlocked]>");
    yield* lock.acquire();
    const ts = [createTask(lock.acquire()), createTask(lock.acquire())];
    yield* sleep(0);
    assert.equal(`${lock}`, "<Lock [locked, waiters:2]>");
    assert.equal(inspect({ l: lock }), "{ l: <Lock [locked, waiters:2]> }");
    for (const t of ts) t.cancel();
    yield* gather(...ts, { returnExceptions: true });
    assert.equal(String(lock), "<Lock [locked]>");
  });
});

test("a waiter cancelled with a message gets CancelledError(msg) at its acquire; without one, an empty message", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const lock = new Lock();
    yield* lock.acquire();
    function* waiter(name: string): Coroutine<void> {
      try {
        yield* lock.acquire();
        ev.push([name, "acquired"]);
      } catch (e) {
        ev.push([name, e instanceof CancelledError, (e as Error).message]);
        throw e;
      }
    }
    const a = createTask(waiter("a"));
    const b = createTask(waiter("b"));
    yield* sleep(0);
    a.cancel("stop waiting");
    b.cancel();
    yield* settle(a);
    yield* settle(b);
    ev.push(["cancelled", a.cancelled(), b.cancelled(), lock.locked()]);
  });
  assert.deepEqual(ev, [
    ["a", true, "stop waiting"],
    ["b", true, ""],
    ["cancelled", true, true, true],
  ]);
});

test("an acquire() awaited again after it finished is a RuntimeError, not a silent no-op (CPython: reused coroutine)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const lock = new Lock();
    const a = lock.acquire();
    ev.push(yield* a);
    lock.release();
    try {
      yield* a;
    } catch (e) {
      ev.push((e as Error).name, (e as Error).message);
    }
    ev.push(String(lock));
    const q = new Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    const g = q.get();
    ev.push(yield* g);
    try {
      yield* g;
    } catch (e) {
      ev.push((e as Error).message);
    }
    ev.push(q.qsize());
  });
  assert.deepEqual(ev, [
    true,
    "RuntimeError",
    "cannot reuse already awaited coroutine Lock.acquire(): call it again for a new one",
    "<Lock [unlocked]>",
    1,
    "cannot reuse already awaited coroutine Queue.get(): call it again for a new one",
    1,
  ]);
});

test("an aexit() coroutine releases once: driven again after a re-acquire, it is a reuse error and leaves the lock held", async () => {
  // CPython 3.13: the second `await ex` raises "cannot reuse already awaited coroutine" and the lock
  // stays locked; a coroutine closed before it ran raises the same when awaited, releasing nothing.
  await vrun(function* () {
    const lock = new Lock();
    yield* lock.acquire();
    const ex = lock.aexit({ failed: false });
    yield* ex;
    assert.equal(String(lock), "<Lock [unlocked]>");
    yield* lock.acquire();
    assert.throws(
      () => ex.next(),
      (e) => e instanceof RuntimeError && e.message === "cannot reuse already awaited coroutine Lock.aexit(): call it again for a new one",
    );
    assert.equal(String(lock), "<Lock [locked]>");
    const closed = lock.aexit({ failed: false });
    closed.return(undefined);
    assert.throws(() => closed.next(), RuntimeError);
    assert.equal(String(lock), "<Lock [locked]>");
  });
});

test("closing an acquire() while it waits unqueues it (CPython: coroutine close())", async () => {
  // CPython 3.13 (c = lock.acquire(); c.send(None); c.close()): waiters:1, then [locked]; the release
  // then leaves the lock free for the next acquire.
  await vrun(function* () {
    const lock = new Lock();
    yield* lock.acquire();
    const c = lock.acquire();
    c.next();
    assert.equal(String(lock), "<Lock [locked, waiters:1]>");
    c.return(true);
    assert.equal(String(lock), "<Lock [locked]>");
    lock.release();
    assert.equal(String(lock), "<Lock [unlocked]>");
    assert.equal(yield* lock.acquire(), true);
    assert.equal(String(lock), "<Lock [locked]>");
  });
});
