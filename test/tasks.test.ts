// Task: scheduling, cancellation as a request, cancelling()/uncancel(), names, currentTask/allTasks,
// bad input, and exceptions that are never retrieved.
// Every ordering below is what CPython 3.13 prints for test/python/tasks.py
// (run: PYENV_VERSION=3.13.0 python3 test/python/tasks.py). Times are ms here, seconds in Python.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  sleep,
  gather,
  createTask,
  currentTask,
  allTasks,
  getRunningLoop,
  Task,
  CancelledError,
  RuntimeError,
  ExceptionGroup,
  ValueError,
  ensureFuture,
  EventLoop,
  timeout,
  wait,
  FIRST_EXCEPTION,
  type Coroutine,
} from "../src/index.js";
import { vrun, vrunReports, now, later, fail, settle, catching, onCancel, collectGarbage } from "./helpers.js";

test("a new task starts on the next loop iteration, tasks start in creation order", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    function* child(name: string): Coroutine<void> {
      ev.push(`${name} start`);
      yield* sleep(0);
      ev.push(`${name} end`);
    }
    const a = createTask(child("a"));
    const b = createTask(child("b"));
    ev.push(["created", a.done(), b.done()]);
    yield* sleep(0);
    ev.push("main after sleep(0)");
    yield* gather(a, b);
  });
  assert.deepEqual(ev, [["created", false, false], "a start", "b start", "main after sleep(0)", "a end", "b end"]);
});

test("cancel() is a request: CancelledError at the await point, finally runs, then cancelled()", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    function* child(): Coroutine<void> {
      try {
        ev.push("child sleeping");
        yield* sleep(1000);
      } catch (e) {
        assert.ok(e instanceof CancelledError);
        ev.push(["child caught", e.message, now()]);
        throw e;
      } finally {
        ev.push("child finally");
      }
    }
    const t = createTask(child());
    yield* sleep(10);
    const r = t.cancel();
    ev.push(["cancel returned", r, t.done(), t.cancelled(), t.cancelling()]);
    yield* catching(CancelledError, t, (e) => ev.push(["main caught", e.message, t.done(), t.cancelled(), now()]));
  });
  assert.deepEqual(ev, [
    "child sleeping",
    ["cancel returned", true, false, false, 1],
    ["child caught", "", 10],
    "child finally",
    ["main caught", "", true, true, 10],
  ]);
});

test("a task cancelled before it starts never runs its body", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(
      (function* () {
        try {
          ev.push("child body");
        } finally {
          ev.push("child finally");
        }
      })(),
    );
    ev.push(["cancel", t.cancel()]);
    yield* sleep(0);
    ev.push(["after one iteration", t.done(), t.cancelled()]);
  });
  assert.deepEqual(ev, [
    ["cancel", true],
    ["after one iteration", true, true],
  ]);
});

test("a coroutine that catches the CancelledError and returns: the task is not cancelled", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(
      onCancel(function* () {
        ev.push("caught");
        return "recovered";
      }, 1000),
    );
    yield* sleep(0);
    t.cancel();
    const r = yield* t;
    ev.push(["result", r, t.cancelled(), t.cancelling()]);
  });
  assert.deepEqual(ev, ["caught", ["result", "recovered", false, 1]]);
});

test("a coroutine that answers cancellation with another error: the task has that error, not cancelled", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(
      onCancel(function* () {
        throw new RangeError("instead");
      }, 1000),
    );
    yield* sleep(0);
    t.cancel();
    yield* catching(RangeError, t, (e) => ev.push(["RangeError", e.message, t.cancelled(), t.exception() === e]));
  });
  // Python raises ValueError; any error class behaves the same.
  assert.deepEqual(ev, [["RangeError", "instead", false, true]]);
});

test("a coroutine that throws CancelledError itself ends its task cancelled", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(
      (function* (): Coroutine<void> {
        yield* sleep(0);
        throw new CancelledError("own");
      })(),
    );
    yield* catching(CancelledError, t, (e) => ev.push(["caught", e.message, t.cancelled(), t.cancelling()]));
  });
  assert.deepEqual(ev, [["caught", "own", true, 0]]);
});

test("cancel(msg): the message reaches the coroutine and the awaiter", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(
      onCancel(function* (e) {
        ev.push(["child sees", e.message]);
        throw e;
      }, 1000),
    );
    yield* sleep(0);
    t.cancel("reason");
    yield* catching(CancelledError, t, (e) => ev.push(["awaiter sees", e.message]));
  });
  assert.deepEqual(ev, [
    ["child sees", "reason"],
    ["awaiter sees", "reason"],
  ]);
});

test("cancel(msg) before the task starts: the awaiter sees the message", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(
      (function* (): Coroutine<void> {
        ev.push("body");
      })(),
    );
    t.cancel("early");
    yield* catching(CancelledError, t, (e) => ev.push(["awaiter sees", e.message, t.cancelled()]));
  });
  assert.deepEqual(ev, [["awaiter sees", "early", true]]);
});

test("a second cancel() before the task resumes keeps the first message: the awaited future's CancelledError", async () => {
  // CPython: the first cancel(msg) cancels the awaited future with msg; the second finds it cancelled
  // and only sets _must_cancel, and __step keeps the CancelledError __wakeup passes in.
  const ev: unknown[] = [];
  await vrun(function* () {
    function* child(): Coroutine<void> {
      try {
        yield* sleep(1000);
      } catch (e) {
        ev.push(["child got", (e as Error).message]);
        throw e;
      }
    }
    for (const second of ["second", undefined]) {
      const t = createTask(child());
      yield* sleep(1);
      t.cancel("first");
      t.cancel(second);
      yield* catching(CancelledError, t, (e) => ev.push(["awaiter got", e.message, t.cancelling()]));
    }
    // An outside cancel("ext") and a timeout expiring in the same iteration: the timeout's own
    // request comes second, and the task ends with the outside message.
    const w = createTask(
      (function* (): Coroutine<void> {
        const me = currentTask()!;
        getRunningLoop().callLater(10, () => me.cancel("ext"));
        yield* timeout(10, function* () {
          yield* sleep(50);
        });
      })(),
    );
    yield* catching(CancelledError, w, (e) => ev.push(["w got", e.message]));
  });
  assert.deepEqual(ev, [
    ["child got", "first"],
    ["awaiter got", "first", 2],
    ["child got", "first"],
    ["awaiter got", "first", 2],
    ["w got", "ext"],
  ]);
});

test("a task whose coroutine raised CancelledError keeps no cancel message: gather(returnExceptions) reports ''", async () => {
  // CPython: Task.__step calls super().cancel() without a message there, so _cancel_message is None.
  const ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(later(5, 1));
    t.cancel("early");
    const [r] = yield* gather(t, { returnExceptions: true });
    ev.push([(r as Error).name, (r as Error).message]);
    // A request caught while queued ("m1"), then another at an await ("m2") that ends the task.
    const u = createTask(
      (function* (): Coroutine<void> {
        try {
          yield* sleep(0);
        } catch {
          // swallowed
        }
        yield* sleep(10);
      })(),
    );
    yield* sleep(0);
    u.cancel("m1");
    yield* sleep(1);
    u.cancel("m2");
    const [r2] = yield* gather(u, { returnExceptions: true });
    ev.push([(r2 as Error).name, (r2 as Error).message]);
  });
  assert.deepEqual(ev, [
    ["CancelledError", ""],
    ["CancelledError", ""],
  ]);
});

test("toString() says cancelling while a cancellation request is pending (CPython 3.13's repr)", async () => {
  const ev: string[] = [];
  await vrun(function* () {
    function* child(): Coroutine<void> {
      try {
        yield* sleep(100);
      } finally {
        yield* sleep(5);
      }
    }
    const t = createTask(child(), { name: "t" });
    t.cancel();
    ev.push(String(t));
    yield* sleep(1);
    ev.push(String(t));
    const u = createTask(child(), { name: "u" });
    yield* sleep(1);
    u.cancel();
    yield* sleep(1);
    ev.push(String(u));
    u.uncancel();
    ev.push(String(u));
    yield* sleep(10);
    ev.push(String(u));
  });
  assert.deepEqual(ev, [
    "<Task cancelling name='t'>",
    "<Task cancelled name='t'>",
    "<Task cancelling name='u' wait_for=<Sleep pending ms=5>>",
    "<Task pending name='u' wait_for=<Sleep pending ms=5>>",
    "<Task cancelled name='u'>",
  ]);
});

test("cancelling() counts every request, uncancel() counts down to 0 and the task goes on", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    function* child(): Coroutine<string> {
      const me = currentTask()!;
      try {
        yield* sleep(1000);
      } catch {
        ev.push(["caught, cancelling", me.cancelling(), now()]);
        ev.push(["uncancel", me.uncancel()]);
        ev.push(["uncancel", me.uncancel()]);
        ev.push(["uncancel at 0", me.uncancel()]);
      }
      yield* sleep(5);
      ev.push(["slept again", now()]);
      return "ok";
    }
    const t = createTask(child());
    yield* sleep(0);
    ev.push(["cancel 1", t.cancel(), t.cancelling()]);
    ev.push(["cancel 2", t.cancel(), t.cancelling()]);
    const r = yield* t;
    ev.push(["result", r, t.cancelled(), t.cancelling()]);
  });
  // Two requests before the task runs again are delivered as one CancelledError.
  assert.deepEqual(ev, [
    ["cancel 1", true, 1],
    ["cancel 2", true, 2],
    ["caught, cancelling", 2, 0],
    ["uncancel", 1],
    ["uncancel", 0],
    ["uncancel at 0", 0],
    ["slept again", 5],
    ["result", "ok", false, 0],
  ]);
});

test("3.13: uncancel() back to 0 before the task starts withdraws the request", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(
      (function* (): Coroutine<number> {
        ev.push("body runs");
        return 1;
      })(),
    );
    t.cancel();
    ev.push(["uncancel", t.uncancel()]);
    const r = yield* t;
    ev.push(["result", r, t.cancelled()]);
  });
  assert.deepEqual(ev, [["uncancel", 0], "body runs", ["result", 1, false]]);
});

test("cancel() on a done task returns false and counts nothing", async () => {
  let ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(later(0, 1));
    yield* t;
    const c = createTask(later(0, 1));
    c.cancel();
    yield* settle(c);
    ev = [t.cancel(), t.cancelling(), t.cancelled(), c.cancel(), c.cancelling()];
  });
  assert.deepEqual(ev, [false, 0, false, false, 1]);
});

test("a self-cancelled task goes on through a done future and is cancelled at its next suspension", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const done = getRunningLoop().createFuture<string>();
    done.setResult("d");
    const t = createTask(
      (function* (): Coroutine<void> {
        currentTask()!.cancel();
        ev.push(["await done future", yield* done]);
        try {
          yield* sleep(0);
          ev.push("not reached");
        } catch (e) {
          assert.ok(e instanceof CancelledError);
          ev.push("CancelledError at the next suspension");
          throw e;
        }
      })(),
    );
    yield* catching(CancelledError, t, () => ev.push(["cancelled", t.cancelled()]));
  });
  assert.deepEqual(ev, [
    ["await done future", "d"],
    "CancelledError at the next suspension",
    ["cancelled", true],
  ]);
});

test("cancelling a task cancels the task it awaits first, with the same message", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const it = createTask(
      onCancel(function* (e) {
        ev.push(["inner cancelled", e.message]);
        throw e;
      }, 1000),
    );
    const ot = createTask(
      (function* (): Coroutine<void> {
        try {
          yield* it;
        } catch (e) {
          ev.push(["outer cancelled", (e as Error).message, it.cancelled()]);
          throw e;
        }
      })(),
    );
    yield* sleep(1);
    ot.cancel("stop");
    yield* settle(ot);
    ev.push(["main", ot.cancelled(), it.cancelled(), now()]);
  });
  assert.deepEqual(ev, [
    ["inner cancelled", "stop"],
    ["outer cancelled", "stop", true],
    ["main", true, true, 1],
  ]);
});

test("cancel(msg) cancels the future the task waits on, at once, with that message", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const f = getRunningLoop().createFuture<void>();
    const t = createTask(
      (function* (): Coroutine<void> {
        yield* f;
      })(),
    );
    yield* sleep(0);
    t.cancel("m");
    ev.push(["future cancelled at once", f.cancelled()]);
    try {
      f.result();
    } catch (e) {
      assert.ok(e instanceof CancelledError);
      ev.push(["future message", e.message]);
    }
    yield* settle(t);
    ev.push(["task", t.cancelled()]);
  });
  assert.deepEqual(ev, [["future cancelled at once", true], ["future message", "m"], ["task", true]]);
});

test("a task awaiting a task resumes one iteration after that task finishes", async () => {
  const ev: string[] = [];
  await vrun(function* () {
    function* c(): Coroutine<string> {
      ev.push("c1");
      yield* sleep(0);
      ev.push("c2");
      return "C";
    }
    function* b(): Coroutine<void> {
      for (let i = 0; i < 5; i++) {
        ev.push(`b${i}`);
        yield* sleep(0);
      }
    }
    function* a(ct: Task<string>): Coroutine<void> {
      ev.push("a waits");
      ev.push(`a got ${yield* ct}`);
    }
    const ct = createTask(c());
    const bt = createTask(b());
    const at = createTask(a(ct));
    yield* gather(at, bt);
  });
  assert.deepEqual(ev, ["c1", "b0", "a waits", "c2", "b1", "a got C", "b2", "b3", "b4"]);
});

test("result(), exception(), the same error object for every awaiter, getCoro()", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const err = new Error("x");
    const o = createTask(later(3, 3));
    const b = createTask(fail(4, err));
    ev.push(yield* o);
    yield* catching(Error, b, (e) => ev.push(["same", e === err, b.exception() === err, now()]));
    assert.throws(
      () => b.result(),
      (e) => e === err,
    );
    ev.push([o.result(), o.exception()]);
    const co = later(1, 1);
    const t = createTask(co);
    ev.push(["getCoro", t.getCoro() === co]);
    yield* t;
  });
  assert.deepEqual(ev, [3, ["same", true, true, 4], [3, null], ["getCoro", true]]);
});

test("cancel() after the awaited future got its result but before the task resumed: CancelledError wins", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const f = getRunningLoop().createFuture<number>();
    const t = createTask(
      (function* (): Coroutine<void> {
        try {
          const v = yield* f;
          ev.push(["got", v]);
        } catch (e) {
          assert.ok(e instanceof CancelledError);
          ev.push(["CancelledError instead of the result", e.message]);
          throw e;
        }
      })(),
    );
    yield* sleep(0);
    f.setResult(1);
    ev.push(["cancel", t.cancel("late")]);
    yield* settle(t);
    ev.push(["cancelled", t.cancelled(), f.result()]);
  });
  assert.deepEqual(ev, [
    ["cancel", true],
    ["CancelledError instead of the result", "late"],
    ["cancelled", true, 1],
  ]);
});

test("a task that cancels itself and returns without awaiting ends cancelled", async () => {
  let ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(
      (function* (): Coroutine<number> {
        currentTask()!.cancel("self");
        return 5;
      })(),
    );
    let r: unknown = "returned";
    yield* catching(CancelledError, t, (e) => (r = ["CancelledError", e.message]));
    ev = [r, t.cancelled()];
  });
  assert.deepEqual(ev, [["CancelledError", "self"], true]);
});

test("cancel() of a task suspended in sleep(0): CancelledError at that sleep(0)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(
      (function* (): Coroutine<void> {
        try {
          ev.push("child before sleep(0)");
          yield* sleep(0);
          ev.push("not reached");
        } catch (e) {
          assert.ok(e instanceof CancelledError);
          ev.push(["child cancelled at sleep(0)", e.message]);
          throw e;
        }
      })(),
    );
    createTask(
      (function* (): Coroutine<void> {
        ev.push("other");
      })(),
    );
    yield* sleep(0);
    ev.push(["cancel", t.cancel("z")]);
    yield* settle(t);
    ev.push(["cancelled", t.cancelled(), now()]);
  });
  assert.deepEqual(ev, [
    "child before sleep(0)",
    "other",
    ["cancel", true],
    ["child cancelled at sleep(0)", "z"],
    ["cancelled", true, 0],
  ]);
});

test("a coroutine that swallows the CancelledError and awaits again is not cancelled again", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(
      (function* (): Coroutine<string> {
        yield* catching(CancelledError, sleep(1000), () => ev.push(["caught", now()]));
        yield* sleep(5);
        ev.push(["slept after swallowing", now()]);
        return "r";
      })(),
    );
    yield* sleep(10);
    t.cancel();
    ev.push([yield* t, t.cancelled(), t.cancelling(), now()]);
  });
  assert.deepEqual(ev, [
    ["caught", 10],
    ["slept after swallowing", 15],
    ["r", false, 1, 15],
  ]);
});

// ---- task.signal: asyncio-ts only (CPython has no AbortSignal) ----

test("task.signal aborts synchronously when cancellation is requested, with the CancelledError, and stays aborted", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(
      (function* (): Coroutine<string> {
        yield* catching(CancelledError, sleep(1000), () => {
          currentTask()!.uncancel();
          ev.push(["child caught, signal still aborted", currentTask()!.signal.aborted]);
        });
        yield* sleep(1);
        return "finished";
      })(),
    );
    yield* sleep(0);
    const signal = t.signal;
    ev.push(["before cancel", signal.aborted]);
    signal.addEventListener("abort", () => ev.push("abort event"));
    t.cancel("why");
    ev.push("cancel returned");
    ev.push(["after cancel", signal.aborted]);
    const reason = signal.reason;
    assert.ok(reason instanceof CancelledError);
    assert.equal(reason.message, "why");
    ev.push(["result", yield* t, t.cancelled(), t.signal.aborted, t.signal === signal]);
  });
  assert.deepEqual(ev, [
    ["before cancel", false],
    "abort event",
    "cancel returned",
    ["after cancel", true],
    ["child caught, signal still aborted", true],
    ["result", "finished", false, true, true],
  ]);
});

test("task.signal first asked for after cancel(msg): already aborted, with CancelledError(msg)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const u = createTask(later(10, 0));
    yield* sleep(0);
    u.cancel("u msg");
    ev.push([
      "signal asked after cancel",
      u.signal.aborted,
      u.signal.reason instanceof CancelledError,
      (u.signal.reason as Error).message,
    ]);
    yield* settle(u);
  });
  assert.deepEqual(ev, [["signal asked after cancel", true, true, "u msg"]]);
});

test("task.signal first asked for later: the first cancel() decides the reason, and uncancel() cannot un-abort", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    // First request without a message, a second with one: the reason is the first's ("").
    const a = createTask(later(10, 0));
    yield* sleep(0);
    a.cancel();
    a.cancel("second");
    ev.push(["a", a.signal.aborted, (a.signal.reason as Error).message]);
    // First request with a message, a later one without: the reason keeps the first message.
    const b = createTask(later(10, 0));
    yield* sleep(0);
    b.cancel("first");
    b.cancel();
    ev.push(["b", b.signal.aborted, (b.signal.reason as Error).message]);
    // A request taken back before the signal was asked for: the signal is still aborted.
    const c = createTask(later(10, 0));
    yield* sleep(0);
    c.cancel("taken back");
    c.uncancel();
    ev.push(["c", c.cancelling(), c.signal.aborted, (c.signal.reason as Error).message]);
    yield* settle(a);
    yield* settle(b);
    yield* settle(c);
  });
  assert.deepEqual(ev, [
    ["a", true, ""],
    ["b", true, "first"],
    ["c", 0, true, "taken back"],
  ]);
});

test("task.signal of a task never cancelled is never aborted", async () => {
  let aborted: boolean | undefined;
  await vrun(function* () {
    const v = createTask(later(1, 0));
    const signal = v.signal;
    yield* v;
    aborted = signal.aborted;
  });
  assert.equal(aborted, false);
});

// ---- names, currentTask, allTasks ----

test("getName/setName; default names are Task-N with consecutive N", async () => {
  let ev: unknown[] = [];
  await vrun(function* () {
    const a = createTask(later(0, 0));
    const b = createTask(later(0, 0));
    const na = a.getName();
    const nb = b.getName();
    assert.match(na, /^Task-\d+$/);
    assert.match(nb, /^Task-\d+$/);
    const c = createTask(later(0, 0), { name: "worker" });
    // As CPython, a named task draws no number: the next unnamed one follows b.
    const d = createTask(later(0, 0));
    ev = [na.startsWith("Task-"), Number(nb.slice(5)) - Number(na.slice(5)), c.getName(), Number(d.getName().slice(5)) - Number(nb.slice(5))];
    c.setName("renamed");
    ev.push(c.getName());
    yield* gather(a, b, c, d);
  });
  assert.deepEqual(ev, [true, 1, "worker", 1, "renamed"]);
});

test("a name given as null means unnamed (Python's None): Task-N; a name is shown as Python's repr", async () => {
  const ev: string[] = [];
  await vrun(function* () {
    const a = createTask(later(0, 0));
    const b = createTask(later(0, 0), { name: null as never });
    ev.push(String(Number(b.getName().slice(5)) - Number(a.getName().slice(5))));
    const c = createTask(later(0, 0), { name: "it's $& here" });
    ev.push(String(c));
    yield* gather(a, b, c);
  });
  assert.deepEqual(ev, ["1", `<Task pending name="it's $& here">`]);
});

test("bad input: createTask's options must be an object with only name; Task's, name and loop", async () => {
  await vrun(function* () {
    const c = later(0, 0);
    for (const [opts, re] of [
      [5, /createTask: the options must be an object such as \{ name: "worker" \}, got a number \(5\)/],
      ["w", /createTask: the options must be an object .*got a string/],
      [{ nmae: "x" }, /createTask: unknown option "nmae"; the options are name/],
      [{ name: "x", loop: getRunningLoop() }, /createTask: unknown option "loop"/],
    ] as const) {
      assert.throws(() => createTask(c, opts as never), (e: unknown) => e instanceof TypeError && re.test(e.message));
    }
    assert.throws(() => new Task(c, { nmae: "x" } as never), (e: unknown) => e instanceof TypeError && /Task: unknown option "nmae"; the options are name, loop/.test(e.message));
    assert.equal(allTasks().size, 1); // nothing was created
    yield* createTask(c, { name: "ok" });
  });
});

test("currentTask() and allTasks()", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const loop = getRunningLoop();
    const main = currentTask();
    assert.ok(main instanceof Task);
    let t: Task<void> | null = null;
    t = createTask(
      (function* (): Coroutine<void> {
        ev.push(["child sees itself", currentTask() === t]);
        yield* sleep(10);
      })(),
    );
    const all = allTasks();
    assert.ok(all instanceof Set);
    ev.push(["all", all.size === 2 && all.has(main) && all.has(t)]);
    loop.callSoon(() => ev.push(["in a callback", currentTask()]));
    yield* sleep(0);
    yield* t;
    const after = allTasks();
    ev.push(["after child done", after.size === 1 && after.has(main)]);
  });
  // Python's None is null.
  assert.deepEqual(ev, [
    ["all", true],
    ["child sees itself", true],
    ["in a callback", null],
    ["after child done", true],
  ]);
});

test("a task awaiting itself gets a RuntimeError at that await and can go on", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(
      (function* (): Coroutine<string> {
        try {
          yield* currentTask()!;
        } catch (e) {
          ev.push(["RuntimeError", e instanceof RuntimeError]);
        }
        return "survived";
      })(),
    );
    ev.push(yield* t);
  });
  assert.deepEqual(ev, [["RuntimeError", true], "survived"]);
});

// ---- bad input ----

test("createTask of a non-coroutine is a TypeError that points to fromPromise", async () => {
  await vrun(function* () {
    const promise = Promise.resolve(1);
    assert.throws(
      () => createTask(promise as never),
      (e) => e instanceof TypeError && /fromPromise/.test(e.message),
    );
    const asyncFn = async () => 1;
    assert.throws(
      () => createTask(asyncFn as never),
      (e) => e instanceof TypeError && /fromPromise/.test(e.message),
    );
    const p2 = asyncFn();
    assert.throws(
      () => createTask(p2 as never),
      (e) => e instanceof TypeError && /fromPromise/.test(e.message),
    );
    // the generator function itself, not its coroutine object
    assert.throws(
      () => createTask(later as never),
      (e) => e instanceof TypeError,
    );
    assert.throws(
      () => createTask(42 as never),
      (e) => e instanceof TypeError,
    );
    yield* sleep(0);
  });
});

test("createTask outside a running loop is a RuntimeError", () => {
  const co = later(1, 1);
  assert.throws(
    () => createTask(co),
    (e) => e instanceof RuntimeError && e.name === "RuntimeError",
  );
});

// ---- exception never retrieved (CPython: "Task exception was never retrieved", from Task.__del__) ----

/** Collects the loop's exception-handler reports while a body runs, collecting garbage at the end. */
function* collectReports(reports: Record<string, unknown>[], body: () => Coroutine<void>): Coroutine<void> {
  getRunningLoop().setExceptionHandler((_loop, ctx) => reports.push(ctx as Record<string, unknown>));
  yield* body();
  yield* collectGarbage(20, () => reports.length > 0);
  yield* collectGarbage(1);
}

test("an exception never retrieved is reported through the loop's exception handler with the task's name", async () => {
  // As in test/python/tasks.py: the error is raised inside the task's coroutine.
  const reports: Record<string, unknown>[] = [];
  await vrun(function* () {
    yield* collectReports(reports, function* () {
      // created in helpers so that no local of this generator keeps the tasks alive
      (() =>
        void createTask(
          (function* (): Coroutine<never> {
            yield* sleep(0);
            throw new RangeError("lost");
          })(),
          { name: "doomed" },
        ))();
      let kept: Task<never> | null = createTask(fail(0, new Error("seen")), { name: "kept" });
      let awaited: Task<never> | null = createTask(fail(0, new Error("awaited")), { name: "awaited" });
      yield* sleep(1);
      kept.exception(); // retrieved
      try {
        yield* awaited; // retrieved too
      } catch {
        // expected
      }
      kept = null;
      awaited = null;
    });
  });
  assert.equal(reports.length, 1, `reports: ${reports.map((r) => String(r.message)).join(" | ")}`);
  const ctx = reports[0]!;
  // CPython's message; the task was collected, so it is given by its repr (CPython: `future`, the task).
  assert.equal(ctx.message, "Task exception was never retrieved");
  assert.equal(ctx.futureRepr, "<Task finished name='doomed' exception=RangeError('lost')>");
  assert.equal(ctx.future, undefined);
  assert.ok(ctx.exception instanceof RangeError);
  assert.equal((ctx.exception as Error).message, "lost");
});

test("an exception never retrieved is reported also when the error object was made outside the task", async () => {
  const reports: Record<string, unknown>[] = [];
  const lost = new Error("lost");
  await vrun(function* () {
    yield* collectReports(reports, function* () {
      (() => void createTask(fail(0, lost), { name: "doomed-outside" }))();
      yield* sleep(1);
    });
  });
  assert.equal(reports.length, 1, `reports: ${reports.map((r) => String(r.message)).join(" | ")}`);
  assert.match(String(reports[0]!.futureRepr), /^<Task finished name='doomed-outside' /);
  assert.equal(reports[0]!.exception, lost);
});

test("bad input: cancel(msg) needs a string; ExceptionGroup needs an array (TypeError) that is not empty (ValueError)", async () => {
  await vrun(function* () {
    const t = createTask(later(5, 1));
    assert.throws(() => t.cancel(5 as never), (e: unknown) => e instanceof TypeError && /cancel\(msg\): the message must be a string, got number/.test(e.message));
    assert.equal(t.cancelling(), 0);
    const f = getRunningLoop().createFuture();
    assert.throws(() => f.cancel({} as never), (e: unknown) => e instanceof TypeError && /got object/.test(e.message));
    assert.equal(f.cancelled(), false);
    // null is no message, as Python's None.
    assert.equal(f.cancel(null), true);
    assert.equal(f._cancelMsg(), undefined);
    yield* t;
  });
  assert.throws(() => new ExceptionGroup("m", null as never), (e: unknown) => e instanceof TypeError && /must be an array, got null/.test(e.message));
  assert.throws(() => new ExceptionGroup("m", []), (e: unknown) => e instanceof ValueError && /non-empty/.test(e.message));
});

test("ensureFuture of an array or a Set is a TypeError that points to gather(...list)", async () => {
  await vrun(function* () {
    for (const x of [[later(1, 1)], new Set([later(1, 1)])]) {
      assert.throws(() => ensureFuture(x as never), (e: unknown) => e instanceof TypeError && /ensureFuture: an awaitable was expected, got (an array|a Set); .*gather\(\.\.\.list\)/.test(e.message));
    }
    assert.equal(allTasks().size, 1); // only the main task: nothing was wrapped
  });
});

test("ensureFuture of a future of another loop is a ValueError (CPython's)", async () => {
  const other = new EventLoop({ clock: "virtual" });
  const f = other.createFuture();
  await vrun(function* () {
    assert.throws(() => ensureFuture(f, getRunningLoop()), (e: unknown) => e instanceof ValueError && /belongs to a different loop/.test(e.message));
  });
  other.close();
});

test("a coroutine iterated instead of run in a task: RuntimeError at its second suspension (CPython: await wasn't used with future)", async () => {
  await vrun(function* () {
    const f = getRunningLoop().createFuture<number>();
    function* g(): Coroutine<number> {
      return yield* f;
    }
    let steps = 0;
    assert.throws(
      () => {
        for (const _ of g()) if (++steps > 10) break;
      },
      (e: unknown) => e instanceof RuntimeError && /await wasn't used with future: a coroutine waiting on <Future pending> was resumed before it was done/.test(e.message),
    );
    assert.equal(steps, 1);
    // A suspension taken by hand and dropped, then a task awaiting the same future: it runs normally
    // (the task's step does not mistake that old suspension for its own).
    g().next();
    const t = createTask(g());
    yield* sleep(0);
    f.setResult(7);
    assert.equal(yield* t, 7);
  });
});

test("tasks awaiting each other (a deadlock): toString() stops at the cycle, cancel() breaks it", async () => {
  // CPython raises RecursionError in both. Here the repr shows the cycle, and a cancellation that
  // comes back to the task it came from wakes that task with CancelledError: the cycle unwinds.
  const loop = new EventLoop({ clock: "virtual" });
  const reports: string[] = [];
  loop.setExceptionHandler((_l, ctx) => reports.push(ctx.message));
  const box: { a?: Task<void>; b?: Task<void> } = {};
  box.a = loop.createTask(
    (function* (): Coroutine<void> {
      yield* sleep(1);
      yield* box.b!;
    })(),
    { name: "a" },
  );
  box.b = loop.createTask(
    (function* (): Coroutine<void> {
      yield* sleep(1);
      yield* box.a!;
    })(),
    { name: "b" },
  );
  const seen: unknown[] = [];
  loop.callLater(50, () => {
    seen.push(String(box.a));
    seen.push(box.a!.cancel(), box.a!.cancelling(), box.b!.cancelling());
  });
  await loop.runUntilComplete(sleep(60));
  loop.close();
  assert.deepEqual(seen, [
    "<Task pending name='a' wait_for=<Task pending name='b' wait_for=<Task name='a' (awaited in a cycle)>>>",
    true,
    1,
    1,
  ]);
  assert.deepEqual([box.a.cancelled(), box.b.cancelled()], [true, true]);
  assert.deepEqual(reports, []);
});

test("a task awaiting a gather of itself, then cancelled: the cycle is broken, not a stack overflow (CPython: RecursionError)", async () => {
  const log: unknown[] = [];
  const reports = await vrunReports(function* () {
    const t = createTask(
      (function* (): Coroutine<void> {
        const me = currentTask()!;
        yield* sleep(0);
        try {
          yield* gather(me);
        } catch (e) {
          log.push(["caught", (e as Error).name, (e as Error).message]);
          throw e;
        }
      })(),
      { name: "self" },
    );
    yield* sleep(1);
    log.push(String(t));
    log.push(["cancel", t.cancel("stop"), t.cancelling()]);
    yield* catching(CancelledError, t, (e) => log.push(["awaited", e.message, t.cancelled()]));
  });
  assert.deepEqual(log, [
    "<Task pending name='self' wait_for=<GatheringFuture pending>>",
    ["cancel", true, 1],
    ["caught", "CancelledError", "stop"],
    ["awaited", "stop", true],
  ]);
  // The gather, abandoned, ends with the task's CancelledError: not reported as never retrieved.
  assert.deepEqual(reports, []);
});

test("a second request made while the first is forwarded (by an abort listener) is no cycle: the task still waits for what it awaits", async () => {
  // CPython 3.13, with a Task subclass whose cancel() cancels the awaiting task again once: the
  // awaiting task counts two requests and waits for the awaited one's cleanup; prints
  // ['b.cancel: re-cancelling a', 'b cancelled', 'b cleanup done', ('a cancelled', 2, 6)] 2
  // (6: CPython's 5 ms sleep, rounded up by its clock).
  const log: unknown[] = [];
  await vrun(function* () {
    const tb = createTask(
      (function* (): Coroutine<void> {
        try {
          yield* sleep(1000);
        } catch (e) {
          log.push("b cancelled");
          yield* sleep(5);
          log.push("b cleanup done");
          throw e;
        }
      })(),
    );
    const ta = createTask(
      (function* (): Coroutine<void> {
        try {
          yield* tb;
        } catch (e) {
          log.push(["a cancelled", currentTask()!.cancelling(), now()]);
          throw e;
        }
      })(),
    );
    yield* sleep(0);
    tb.signal.addEventListener("abort", () => {
      log.push("b.cancel: re-cancelling a");
      ta.cancel();
    });
    ta.cancel();
    yield* catching(CancelledError, ta, () => {});
    log.push(tb.cancelling());
  });
  assert.deepEqual(log, ["b.cancel: re-cancelling a", "b cancelled", "b cleanup done", ["a cancelled", 2, 5], 2]);
});

test("two tasks awaiting gathers of each other, left to run()'s shutdown: it cancels them and returns", async () => {
  // CPython: asyncio.run() raises RecursionError from its shutdown. Before, ours overflowed the stack.
  const names: unknown[] = [];
  const reports = await vrunReports(function* () {
    const box: { a?: Task<void>; b?: Task<void> } = {};
    const body = (other: () => Task<void>) =>
      function* (): Coroutine<void> {
        yield* sleep(0);
        try {
          yield* gather(other());
        } finally {
          names.push(currentTask()!.getName());
        }
      };
    box.a = createTask(body(() => box.b!)(), { name: "a" });
    box.b = createTask(body(() => box.a!)(), { name: "b" });
    yield* sleep(1);
  });
  // The shutdown cancels b first (allTasks() lists the newest first): the request goes round to b
  // again, which resumes with CancelledError; a, whose gather then fails, follows.
  assert.deepEqual(names, ["b", "a"]);
  assert.deepEqual(reports, []);
});

// CPython's Task.cancel sets `__log_traceback = False` (C: `task_log_tb = 0`) before it looks at the state.
test("cancel() on a failed task returns false and counts its error as retrieved: nothing is reported", async () => {
  const reports = await vrunReports(function* () {
    const t = createTask(fail(0, new ValueError("boom")));
    yield* sleep(10);
    assert.equal(t.cancel(), false);
    assert.equal(t.cancelled(), false);
  });
  assert.deepEqual(reports, []);
});

test("wait(FIRST_EXCEPTION), then cancel every task: the failed one is not reported (CPython 3.13: no report)", async () => {
  const reports = await vrunReports(function* () {
    const tasks = [1, 2, 5].map((i) => createTask(i === 2 ? fail(i, new ValueError("w2 failed")) : later(i, i)));
    const [done, pending] = yield* wait(tasks, { returnWhen: FIRST_EXCEPTION });
    assert.deepEqual([done.size, pending.size], [2, 1]);
    for (const t of tasks) t.cancel();
    yield* sleep(0);
  });
  assert.deepEqual(reports, []);
});

test("a task cancelled after the future it awaits failed, before it resumes: the future's error counts as retrieved", async () => {
  // CPython's __wakeup calls future.result() (retrieving the error) before __step throws CancelledError in.
  const reports = await vrunReports(function* () {
    const f = getRunningLoop().createFuture();
    const t = createTask(
      (function* () {
        yield* f;
      })(),
    );
    yield* sleep(0);
    f.setException(new ValueError("lost?"));
    t.cancel(); // same iteration, before t resumes
    let caught: unknown = null;
    yield* catching(CancelledError, t, (e) => (caught = e));
    assert.ok(caught instanceof CancelledError);
    assert.equal(t.cancelled(), true);
  });
  assert.deepEqual(reports, []);
});

test("bad input: ensureFuture of a built-in iterable (a Map, an array iterator, a String object) or an async generator is a TypeError that says what it got", async () => {
  // CPython: "An asyncio.Future, a coroutine or an awaitable is required"; ours failed later, in the
  // task, with V8's "The iterator does not provide a 'throw' method".
  await vrun(function* () {
    async function* agen(): AsyncGenerator<number> {
      yield 1;
    }
    const cases: [unknown, RegExp][] = [
      [new Map(), /^ensureFuture: an awaitable was expected, got a Map: it is iterable, but not an awaitable/],
      [[1][Symbol.iterator](), /^ensureFuture: an awaitable was expected, got an Array Iterator: /],
      [new String("x"), /^ensureFuture: an awaitable was expected, got a String: /],
      [agen(), /^ensureFuture: an awaitable was expected, got an async generator object: .*write a generator function \(function\*/],
    ];
    const before = allTasks().size;
    for (const [bad, re] of cases) assert.throws(() => ensureFuture(bad as never), (e: unknown) => e instanceof TypeError && re.test(e.message));
    assert.equal(allTasks().size, before, "no task was created");
    // What is awaitable still is: an object whose [Symbol.iterator] is a generator method of yours.
    const custom = {
      *[Symbol.iterator](): Coroutine<number> {
        return yield* later(1, 7);
      },
    };
    assert.equal(yield* ensureFuture(custom), 7);
  });
});

test("bad input: a loop that is not an EventLoop is a TypeError for ensureFuture, new Task, allTasks and currentTask (null: none given)", async () => {
  // CPython: AttributeError for ensure_future and Task; all_tasks({}) is set() and current_task(5) None.
  await vrun(function* () {
    const notLoop = (where: string, got: string) => (e: unknown) =>
      e instanceof TypeError && e.message === `${where}: the loop must be an EventLoop, got ${got}`;
    const co = later(1, 1);
    assert.throws(() => ensureFuture(co, {} as never), notLoop("ensureFuture", "an object of class Object"));
    assert.throws(() => ensureFuture(co, "x" as never), notLoop("ensureFuture", "a string (x)"));
    const f = getRunningLoop().createFuture();
    assert.throws(() => ensureFuture(f, "x" as never), notLoop("ensureFuture", "a string (x)"));
    assert.throws(() => new Task(co, { loop: {} as never }), notLoop("Task", "an object of class Object"));
    assert.throws(() => allTasks({} as never), notLoop("allTasks", "an object of class Object"));
    assert.throws(() => allTasks(5 as never), notLoop("allTasks", "a number (5)"));
    assert.throws(() => currentTask(5 as never), notLoop("currentTask", "a number (5)"));
    assert.equal(currentTask(null), currentTask());
    assert.equal(allTasks(null).size, allTasks().size);
    assert.equal(ensureFuture(f, null), f);
    yield* ensureFuture(co, getRunningLoop());
  });
});
