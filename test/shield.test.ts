// shield, in both directions: cancelling the outer leaves the inner running; the inner cancelled
// cancels the outer. Every ordering below is what CPython 3.13 prints for test/python/shield.py
// (run: PYENV_VERSION=3.13.0 python3 test/python/shield.py). Delays are ms here, seconds in Python.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sleep, shield, createTask, getRunningLoop, CancelledError, type Coroutine } from "../src/index.js";
import { vrun, now, later, fail, settle, catching, collectGarbage } from "./helpers.js";

/** The shielded work: sleeps `d` and returns `v`, logging `["inner done", time]` or `["inner cancelled", time]`. */
const work = <T>(ev: unknown[], d: number, v: T): Coroutine<T> => later(d, v, ev, "inner", false);

test("cancelling the task awaiting shield(inner) does not cancel inner", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const inner = createTask(work(ev, 100, "inner result"));
    const w = createTask(
      (function* (): Coroutine<string> {
        try {
          return yield* shield(inner);
        } catch (e) {
          assert.ok(e instanceof CancelledError);
          ev.push(["waiter cancelled", e.message, now(), inner.done()]);
          throw e;
        }
      })(),
    );
    yield* sleep(10);
    w.cancel("go away");
    yield* catching(CancelledError, w, () => ev.push(["waiter task", w.cancelled()]));
    ev.push(["main awaits inner", yield* inner, inner.cancelled(), now()]);
  });
  assert.deepEqual(ev, [
    ["waiter cancelled", "go away", 10, false],
    ["waiter task", true],
    ["inner done", 100],
    ["main awaits inner", "inner result", false, 100],
  ]);
});

test("cancel() on the shield's future cancels only that future", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const inner = createTask(work(ev, 100, "inner result"));
    const outer = shield(inner);
    yield* sleep(10);
    ev.push(["outer.cancel()", outer.cancel(), outer.cancelled(), inner.cancelled()]);
    ev.push(["inner result", yield* inner, now()]);
  });
  assert.deepEqual(ev, [
    ["outer.cancel()", true, true, false],
    ["inner done", 100],
    ["inner result", "inner result", 100],
  ]);
});

test("inner cancelled by someone else: the shield is cancelled too", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const inner = createTask(work(ev, 100, "x"));
    const outer = shield(inner);
    createTask(
      (function* (): Coroutine<void> {
        yield* sleep(10);
        inner.cancel("inner msg");
      })(),
    );
    // CPython 3.13 calls outer.cancel() without the inner's message: the shield's CancelledError
    // has an empty message, the inner's keeps its own.
    yield* catching(CancelledError, outer, (e) => ev.push(["outer raised CancelledError", e.message, outer.cancelled(), now()]));
    yield* catching(CancelledError, inner, (e) => ev.push(["inner raised CancelledError", e.message]));
    // The same for a plain Future, whose message stays on it.
    const fut = getRunningLoop().createFuture<string>();
    const outer2 = shield(fut);
    fut.cancel("future msg");
    yield* catching(CancelledError, outer2, (e) => ev.push(["outer2 raised CancelledError", e.message]));
    yield* catching(CancelledError, fut, (e) => ev.push(["future raised CancelledError", e.message]));
  });
  assert.deepEqual(ev, [
    ["inner cancelled", 10],
    ["outer raised CancelledError", "", true, 10],
    ["inner raised CancelledError", "inner msg"],
    ["outer2 raised CancelledError", ""],
    ["future raised CancelledError", "future msg"],
  ]);
});

test("the inner's exception passes through the shield as the same object", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const err = new Error("inner failed");
    yield* catching(Error, shield(fail(5, err)), (e) => ev.push(["same error", e === err, now()]));
  });
  assert.deepEqual(ev, [["same error", true, 5]]);
});

test("a shielded coroutine becomes a task that runs to completion after its awaiter is cancelled", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const w = createTask(
      (function* (): Coroutine<void> {
        yield* shield(work(ev, 50, "x"));
      })(),
    );
    yield* sleep(10);
    w.cancel();
    yield* catching(CancelledError, w, () => ev.push(["waiter cancelled", now()]));
    yield* sleep(100);
  });
  assert.deepEqual(ev, [
    ["waiter cancelled", 10],
    ["inner done", 50],
  ]);
});

test("shield of a done future is done at once; results pass through", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const f = getRunningLoop().createFuture<number>();
    f.setResult(7);
    const s = shield(f);
    ev.push([s.done(), yield* s]);
    const r = yield* shield(work(ev, 5, "ok"));
    ev.push([r, now()]);
  });
  assert.deepEqual(ev, [[true, 7], ["inner done", 5], ["ok", 5]]);
});

test("inner fails after its shield was cancelled: nobody retrieves the error, so it is reported (as CPython)", async () => {
  const reports: string[] = [];
  let t = -1;
  await vrun(function* () {
    getRunningLoop().setExceptionHandler((_l, ctx) => reports.push(String(ctx.message)));
    const w = createTask(
      (function* (): Coroutine<void> {
        yield* shield(fail(20, new Error("nobody")));
      })(),
    );
    yield* sleep(10);
    w.cancel();
    yield* settle(w);
    yield* sleep(20);
    t = now();
    yield* collectGarbage(20, () => reports.length > 0);
  });
  // CPython: ['Task exception was never retrieved'] at 30
  assert.equal(t, 30);
  assert.equal(reports.length, 1, reports.join(" | "));
  assert.match(reports[0]!, /exception was never retrieved/);
});

test("shield of a Promise, a generator function, null or an array is a TypeError that says what to write", async () => {
  const errorLike = (re: RegExp) => (e: unknown): true => {
    assert.ok(e instanceof TypeError, `expected a TypeError, got ${String(e)}`);
    assert.match(e.message, re);
    return true;
  };
  await vrun(function* () {
    const genFn = function* (): Coroutine<number> {
      return 1;
    };
    assert.throws(() => shield(Promise.resolve(1) as never),
      errorLike(/^shield: a coroutine was expected, got a Promise or thenable: a Promise is not a coroutine; wrap it with fromPromise/));
    assert.throws(() => shield(genFn as never), errorLike(/^shield: a coroutine was expected, got a function \(genFn\): call the generator function/));
    assert.throws(() => shield(null as never), errorLike(/^shield: a coroutine was expected, got null$/));
    assert.throws(() => shield([later(1, 1)] as never), errorLike(/^shield: an awaitable was expected, got an array; to await several together, pass gather\(\.\.\.list\)$/));
    yield* sleep(0);
  });
});

test("inner fails in the same iteration its shield is cancelled: the shield's callback marks the error retrieved (as CPython)", async () => {
  const reports: string[] = [];
  const log: unknown[] = [];
  await vrun(function* () {
    const loop = getRunningLoop();
    loop.setExceptionHandler((_l, ctx) => reports.push(String(ctx.message)));
    const inner = loop.createFuture<void>();
    const w = createTask(
      (function* (): Coroutine<void> {
        yield* shield(inner);
      })(),
    );
    yield* sleep(0);
    inner.setException(new Error("x")); // the shield's inner callback is queued…
    w.cancel(); // …and the shield is cancelled before it runs
    yield* catching(CancelledError, w, () => log.push(["waiter cancelled", inner.done()]));
    yield* collectGarbage(3);
  });
  // CPython 3.13: waiter cancelled, inner._log_traceback False, no report (not even at close here)
  assert.deepEqual(log, [["waiter cancelled", true]]);
  assert.deepEqual(reports, []);
});
