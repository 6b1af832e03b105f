// Future: states, errors, done callbacks through the loop, and the PromiseLike side.
// Every ordering below is what CPython 3.13 prints for test/python/futures.py
// (run: PYENV_VERSION=3.13.0 python3 test/python/futures.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  sleep,
  createTask,
  fromPromise,
  getRunningLoop,
  Future,
  CancelledError,
  InvalidStateError,
  ValueError,
  type Coroutine,
} from "../src/index.js";
import { vrun, vrunReports, later, fail, realDelay } from "./helpers.js";

test("result(), exception() and the states of a future that succeeds", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const f = getRunningLoop().createFuture<number>();
    ev.push(["pending", f.done(), f.cancelled()]);
    assert.throws(() => f.result(), InvalidStateError);
    ev.push("result() pending -> InvalidStateError");
    assert.throws(() => f.exception(), InvalidStateError);
    ev.push("exception() pending -> InvalidStateError");
    f.setResult(42);
    ev.push(["done", f.done(), f.cancelled(), f.result(), f.exception()]);
    assert.throws(() => f.setResult(1), InvalidStateError);
    ev.push("setResult on done -> InvalidStateError");
    assert.throws(() => f.setException(new Error("x")), InvalidStateError);
    ev.push("setException on done -> InvalidStateError");
    ev.push(["cancel on done", f.cancel()]);
  });
  // Python's None is null: exception() of a future that succeeded.
  assert.deepEqual(ev, [
    ["pending", false, false],
    "result() pending -> InvalidStateError",
    "exception() pending -> InvalidStateError",
    ["done", true, false, 42, null],
    "setResult on done -> InvalidStateError",
    "setException on done -> InvalidStateError",
    ["cancel on done", false],
  ]);
});

test("InvalidStateError is a named Error class", () => {
  const e = new InvalidStateError("x");
  assert.ok(e instanceof Error);
  assert.equal(e.name, "InvalidStateError");
});

test("setException: exception() returns it, result() throws the same object", async () => {
  await vrun(function* () {
    const f = getRunningLoop().createFuture<number>();
    const err = new RangeError("boom");
    f.setException(err);
    assert.deepEqual([f.done(), f.cancelled()], [true, false]);
    assert.equal(f.exception(), err);
    assert.throws(
      () => f.result(),
      (e) => e === err,
    );
  });
});

test("cancel(): states, CancelledError with message '' without msg, the msg otherwise", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const loop = getRunningLoop();
    const f = loop.createFuture<number>();
    ev.push(["cancel", f.cancel()]);
    ev.push(["second cancel", f.cancel()]);
    ev.push(["states", f.done(), f.cancelled()]);
    try {
      f.result();
    } catch (e) {
      assert.ok(e instanceof CancelledError);
      ev.push(["result() CancelledError", e.message]);
    }
    try {
      f.exception();
    } catch (e) {
      assert.ok(e instanceof CancelledError);
      ev.push(["exception() CancelledError", e.message]);
    }
    const g = loop.createFuture<number>();
    g.cancel("stop now");
    try {
      g.result();
    } catch (e) {
      assert.ok(e instanceof CancelledError);
      ev.push(["with msg", e.message]);
    }
    assert.throws(() => g.setResult(1), InvalidStateError);
    ev.push("setResult on cancelled -> InvalidStateError");
  });
  assert.deepEqual(ev, [
    ["cancel", true],
    ["second cancel", false],
    ["states", true, true],
    ["result() CancelledError", ""],
    ["exception() CancelledError", ""],
    ["with msg", "stop now"],
    "setResult on cancelled -> InvalidStateError",
  ]);
});

test("CancelledError is a named Error class with message '' by default", () => {
  const e = new CancelledError();
  assert.ok(e instanceof Error);
  assert.equal(e.name, "CancelledError");
  assert.equal(e.message, "");
});

test("done callbacks run through the loop in order, never synchronously", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const loop = getRunningLoop();
    const f = loop.createFuture<number>();
    loop.callSoon(() => ev.push("soon before"));
    f.addDoneCallback((fut) => ev.push(["cb1", fut === f]));
    f.addDoneCallback((fut) => ev.push(["cb2", fut === f]));
    f.setResult(1);
    ev.push("after setResult");
    loop.callSoon(() => ev.push("soon after"));
    // A callback added to a done future is scheduled too, not run at once.
    f.addDoneCallback(() => ev.push("cb3 (added when done)"));
    ev.push("after addDoneCallback on done");
    yield* sleep(0);
    ev.push("main resumed");
  });
  assert.deepEqual(ev, [
    "after setResult",
    "after addDoneCallback on done",
    "soon before",
    ["cb1", true],
    ["cb2", true],
    "soon after",
    "cb3 (added when done)",
    "main resumed",
  ]);
});

test("removeDoneCallback removes every registration and returns the count", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const f = getRunningLoop().createFuture<void>();
    const cb = () => ev.push("cb");
    const cb2 = () => ev.push("cb2");
    f.addDoneCallback(cb);
    f.addDoneCallback(cb2);
    f.addDoneCallback(cb);
    ev.push(["remove cb", f.removeDoneCallback(cb)]);
    ev.push(["remove cb again", f.removeDoneCallback(cb)]);
    ev.push(["remove unknown", f.removeDoneCallback(() => {})]);
    f.setResult();
    yield* sleep(0);
  });
  assert.deepEqual(ev, [["remove cb", 2], ["remove cb again", 0], ["remove unknown", 0], "cb2"]);
});

test("done callbacks beyond two still run in the order added; removing one never added keeps a lone callback", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const loop = getRunningLoop();
    const f = loop.createFuture<number>();
    for (let i = 0; i < 4; i++) f.addDoneCallback(() => ev.push(`cb${i}`));
    f.setResult(1);
    const g = loop.createFuture<void>();
    g.addDoneCallback(() => ev.push("lone cb"));
    ev.push(["remove other", g.removeDoneCallback(() => {})]);
    g.cancel();
    yield* sleep(0);
  });
  assert.deepEqual(ev, [["remove other", 0], "cb0", "cb1", "cb2", "cb3", "lone cb"]);
});

test("addDoneCallback of a non-function is a TypeError at once (ours: CPython fails only when calling it), and adds nothing", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const f = getRunningLoop().createFuture<number>();
    for (const bad of [5, null, "cb", {}]) {
      assert.throws(() => f.addDoneCallback(bad as never), (e: unknown) => e instanceof TypeError && /addDoneCallback: the callback must be a function/.test(e.message));
    }
    f.addDoneCallback(() => ev.push("cb"));
    f.setResult(1);
    yield* sleep(0);
  });
  assert.deepEqual(ev, ["cb"]);
});

test("cancel() schedules the done callbacks too", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const f = getRunningLoop().createFuture<void>();
    f.addDoneCallback((fut) => ev.push(["cb", fut.cancelled()]));
    f.cancel();
    ev.push("after cancel");
    yield* sleep(0);
  });
  assert.deepEqual(ev, ["after cancel", ["cb", true]]);
});

test("yield* on a done future returns at once, without suspending", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const f = getRunningLoop().createFuture<string>();
    f.setResult("v");
    createTask(
      (function* () {
        ev.push("other");
      })(),
    );
    ev.push(["awaited", yield* f]);
    ev.push("still before other");
    yield* sleep(0);
  });
  assert.deepEqual(ev, [["awaited", "v"], "still before other", "other"]);
});

test("awaits of done futures in one step each return their own result (one shared result object)", async () => {
  const got = await vrun(function* () {
    const loop = getRunningLoop();
    const fs = [1, "two", { three: 3 }, undefined, null].map((v) => {
      const f = loop.createFuture<unknown>();
      f.setResult(v);
      return f;
    });
    // Several awaits inside one expression: each value must be read before the next await.
    const pair = [yield* fs[0], yield* fs[1]];
    const nested = { a: yield* fs[2], b: [yield* fs[3], yield* fs[4]] };
    const pending = loop.createFuture<string>();
    loop.callSoon(() => pending.setResult("later"));
    const afterSuspension = [yield* fs[1], yield* pending, yield* fs[0]];
    return { pair, nested, afterSuspension };
  });
  assert.deepEqual(got, {
    pair: [1, "two"],
    nested: { a: { three: 3 }, b: [undefined, null] },
    afterSuspension: ["two", "later", 1],
  });
});

test("waiters of a pending future wake up in order, one loop iteration after setResult", async () => {
  const ev: string[] = [];
  await vrun(function* () {
    const f = getRunningLoop().createFuture<number>();
    function* waiter(name: string): Coroutine<void> {
      ev.push(`${name} waits`);
      const v = yield* f;
      ev.push(`${name} got ${v}`);
    }
    function* ticker(): Coroutine<void> {
      for (let i = 0; i < 4; i++) {
        ev.push(`tick ${i}`);
        yield* sleep(0);
      }
    }
    createTask(waiter("w1"));
    createTask(waiter("w2"));
    const t = createTask(ticker());
    yield* sleep(0);
    ev.push("setResult");
    f.setResult(7);
    yield* t;
  });
  assert.deepEqual(ev, [
    "w1 waits",
    "w2 waits",
    "tick 0",
    "setResult",
    "tick 1",
    "w1 got 7",
    "w2 got 7",
    "tick 2",
    "tick 3",
  ]);
});

test("a coroutine awaiting a future cancelled with a message gets CancelledError(msg)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const f = getRunningLoop().createFuture<void>();
    const t = createTask(
      (function* () {
        try {
          yield* f;
        } catch (e) {
          assert.ok(e instanceof CancelledError);
          ev.push(["waiter caught", e.message]);
          throw e;
        }
      })(),
    );
    yield* sleep(0);
    f.cancel("bye");
    try {
      yield* t;
    } catch (e) {
      assert.ok(e instanceof CancelledError);
      ev.push(["task cancelled", t.cancelled()]);
    }
  });
  assert.deepEqual(ev, [
    ["waiter caught", "bye"],
    ["task cancelled", true],
  ]);
});

test("yield* a future that fails throws the very same object, at the virtual time it was set", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const loop = getRunningLoop();
    const f = loop.createFuture<void>();
    const err = new Error("k");
    loop.callLater(5, () => f.setException(err));
    try {
      yield* f;
    } catch (e) {
      ev.push(["same object", e === err, loop.time()]);
    }
  });
  assert.deepEqual(ev, [["same object", true, 5]]);
});

test("getLoop(): createFuture and new Future() bind to the running loop", async () => {
  await vrun(function* () {
    const loop = getRunningLoop();
    assert.equal(loop.createFuture().getLoop(), loop);
    assert.equal(new Future<number>().getLoop(), loop);
  });
});

test("a done callback that throws goes to the exception handler; the next callbacks still run", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const loop = getRunningLoop();
    loop.setExceptionHandler((_l, ctx) =>
      ev.push(["handler", String(ctx.message).split(" ").slice(0, 3), (ctx.exception as Error).message]),
    );
    const f = loop.createFuture<void>();
    f.addDoneCallback(() => {
      ev.push("cb1 raises");
      throw new Error("cb1");
    });
    f.addDoneCallback(() => ev.push("cb2"));
    f.setResult();
    yield* sleep(0);
    ev.push("loop goes on");
  });
  assert.deepEqual(ev, ["cb1 raises", ["handler", ["Exception", "in", "callback"], "cb1"], "cb2", "loop goes on"]);
});

// ---- PromiseLike (no Python counterpart: plain async code awaiting a Future/Task) ----

test("Future and Task are PromiseLike: plain async code awaits their results", async () => {
  let fromAsync: Promise<unknown[]> | undefined;
  const r = await vrun(function* () {
    const loop = getRunningLoop();
    const f = loop.createFuture<string>();
    const ok = createTask(later(10, "task value"));
    const bad = createTask(fail(20, new TypeError("task failed")));
    const cancelled = createTask(later(1000, "never"));
    fromAsync = (async () => {
      const out: unknown[] = [];
      out.push(await f);
      out.push(await ok);
      try {
        await bad;
      } catch (e) {
        out.push(e instanceof TypeError ? `rejected: ${(e as Error).message}` : e);
      }
      try {
        await cancelled;
      } catch (e) {
        out.push(e instanceof CancelledError ? "rejected: CancelledError" : e);
      }
      return out;
    })();
    loop.callLater(5, () => f.setResult("future value"));
    yield* sleep(30);
    cancelled.cancel();
    try {
      yield* cancelled;
    } catch {
      // expected: it is cancelled
    }
    // bad's exception is retrieved here too, so nothing is reported.
    assert.ok(bad.exception() instanceof TypeError);
    return "main done";
  });
  assert.equal(r, "main done");
  assert.deepEqual(await fromAsync, [
    "future value",
    "task value",
    "rejected: task failed",
    "rejected: CancelledError",
  ]);
});

test("a task that is already done can be awaited by plain async code after run() returned", async () => {
  let t: PromiseLike<number> | undefined;
  let failed: PromiseLike<number> | undefined;
  const err = new Error("late");
  const reports: string[] = [];
  await vrun(function* () {
    getRunningLoop().setExceptionHandler((_loop, ctx) => reports.push(ctx.message));
    const ok = createTask(later(1, 5));
    const bad = createTask(fail(0, err));
    yield* sleep(2);
    t = ok;
    failed = bad;
  });
  assert.equal(await t, 5);
  await assert.rejects(Promise.resolve(failed), (e) => e === err);
  // The loop closed with that error unretrieved, so close() reported it: retrieving it later is too late.
  assert.equal(reports.length, 1);
  assert.equal(reports[0]!, "Task exception was never retrieved");
});

test("a task nobody awaits never causes an unhandledRejection", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    await vrun(function* () {
      const loop = getRunningLoop();
      // The never-retrieved exceptions may be reported: keep them off stderr.
      loop.setExceptionHandler(() => {});
      createTask(fail(0, new Error("nobody looks at me")));
      const f = loop.createFuture<void>();
      f.setException(new Error("nor at me"));
      const c = createTask(later(100, 0));
      yield* sleep(1);
      c.cancel();
      yield* sleep(1);
      // let the host run its microtasks and macrotasks while the loop is still alive
      yield* fromPromise(realDelay(5));
    });
    for (let i = 0; i < 5; i++) {
      (globalThis as { gc?: () => void }).gc?.();
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
  assert.deepEqual(unhandled, []);
});

test("toString() shows results and errors as CPython's repr does: quotes, escapes, reprlib's 30 characters", async () => {
  // Each expected line is what CPython 3.13 prints for the same future (repr(f)).
  const values = [
    "x", "it's", 'say "hi"', "both ' and \"", "a\nb\\c", "a".repeat(30), "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ",
    "a\x85b", "nb\xa0sp", "ls\u2028x", "😀".repeat(20), "\x00".repeat(10), "x\u{E0001}y",
  ];
  const out: string[] = [];
  await vrun(function* () {
    const loop = getRunningLoop();
    for (const v of values) {
      const f = loop.createFuture();
      f.setResult(v);
      out.push(String(f));
    }
    const f = loop.createFuture();
    f.setException(new ValueError("it's bad"));
    out.push(String(f));
    f.exception();
  });
  assert.deepEqual(out, [
    "<Future finished result='x'>",
    `<Future finished result="it's">`,
    `<Future finished result='say "hi"'>`,
    `<Future finished result='both \\' and "'>`,
    "<Future finished result='a\\nb\\\\c'>",
    "<Future finished result='aaaaaaaaaaaa...aaaaaaaaaaaaa'>",
    "<Future finished result='abcdefghijkl...789ABCDEFGHIJ'>",
    "<Future finished result='a\\x85b'>",
    "<Future finished result='nb\\xa0sp'>",
    "<Future finished result='ls\\u2028x'>",
    `<Future finished result='${"😀".repeat(20)}'>`,
    "<Future finished result='\\x00\\x00\\x00...0\\x00\\x00\\x00'>",
    "<Future finished result='x\\U000e0001y'>",
    `<Future finished exception=ValueError("it's bad")>`,
  ]);
});

// CPython's Future.cancel sets `__log_traceback = False` before it looks at the state.
test("cancel() on a failed future returns false and counts its error as retrieved: nothing is reported", async () => {
  const reports = await vrunReports(function* () {
    const f = getRunningLoop().createFuture();
    f.setException(new ValueError("fut boom"));
    assert.equal(f.cancel(), false);
    assert.equal(f.cancelled(), false);
    yield* sleep(1);
  });
  assert.deepEqual(reports, []);
});

// CPython 3.13 accepts a coroutine function there (and fails or warns only when calling it); ours
// would call it back silently, making a coroutine that never runs: a TypeError at once instead.
test("addDoneCallback of a generator function (a coroutine function) is a TypeError at once that says how to run it", async () => {
  await vrun(function* () {
    const f = getRunningLoop().createFuture<number>();
    function* onDone(_fut: Future<number>): Coroutine<void> {
      yield* sleep(1);
    }
    async function* asyncGen(): AsyncGenerator<void> {}
    assert.throws(
      () => f.addDoneCallback(onDone as never),
      (e: unknown) =>
        e instanceof TypeError &&
        e.message ===
          "addDoneCallback: coroutines cannot be used as callbacks: onDone is a generator function, and calling it back would only make a coroutine object that never runs; to run it, create a task: (fut) => createTask(onDone(fut))",
    );
    assert.throws(() => f.addDoneCallback(asyncGen as never), (e: unknown) => e instanceof TypeError && /^addDoneCallback: asyncGen is an async generator function/.test(e.message));
    assert.equal(f._cbs, null);
    f.setResult(1);
    yield* sleep(0);
  });
});

test("bad input: new Future({ loop }) with a loop that is not an EventLoop, or options that are not an object with only loop, is a TypeError", () => {
  // CPython: AttributeError ('int' object has no attribute 'get_debug'); ours took { loop: 5 } silently.
  assert.throws(() => new Future({ loop: 5 as never }), (e: unknown) => e instanceof TypeError && e.message === "Future: the loop must be an EventLoop, got a number (5)");
  assert.throws(() => new Future({ lop: 1 } as never), (e: unknown) => e instanceof TypeError && /^Future: unknown option "lop"/.test(e.message));
  assert.throws(() => new Future(5 as never), (e: unknown) => e instanceof TypeError && /^Future: the options must be an object/.test(e.message));
});
