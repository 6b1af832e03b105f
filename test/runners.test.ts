/**
 * run() and Runner, checked against CPython 3.13 (test/python/runners.py).
 * Differences that are ours on purpose: a non-coroutine is a TypeError (CPython 3.14; 3.13 raises
 * ValueError), and run()/Runner.run() return Promises.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  run,
  Runner,
  EventLoop,
  newEventLoop,
  sleep,
  createTask,
  currentTask,
  allTasks,
  getRunningLoop,
  fromPromise,
  CancelledError,
  RuntimeError,
  ValueError,
  type Coroutine,
  type Task,
} from "../src/index.js";
import { vrun, now, isCancel, KeyError, fail, onCancel, sleepLogCancel, captureConsole, unhandledDuring } from "./helpers.js";

describe("run()", () => {
  test("returns main's value; takes a coroutine object or a function returning one", async () => {
    function* value(): Coroutine<[string, number]> {
      yield* sleep(5);
      return ["v", now()];
    }
    assert.deepEqual(await run(value(), { clock: "virtual" }), ["v", 5]);
    assert.deepEqual(await run(value, { clock: "virtual" }), ["v", 5]);
  });

  test("main's exception rejects the promise with the same object", async () => {
    const err = new ValueError("main failed");
    await assert.rejects(
      vrun(() => fail(1, err)),
      (e) => e === err,
    );
  });

  test("a non-coroutine is a TypeError thrown synchronously (CPython 3.14; 3.13 raises ValueError)", () => {
    const bad: unknown[] = [42, null, {}, Promise.resolve(1), "main", () => 42];
    for (const b of bad) {
      let result: unknown;
      assert.throws(() => {
        result = run(b as never, { clock: "virtual" });
      }, TypeError);
      assert.equal(result, undefined);
    }
    // an async function is refused without being called (CPython never calls what it refuses)
    let called = false;
    assert.throws(
      () =>
        run(
          (async () => {
            called = true;
          }) as never,
          { clock: "virtual" },
        ),
      (e) => e instanceof TypeError && /fromPromise/.test(e.message),
    );
    assert.equal(called, false);
  });

  test("options: a misspelled key or a non-object is a TypeError at once, before main is called", () => {
    let called = 0;
    const main = function* (): Coroutine<number> {
      called++;
      return 1;
    };
    for (const [opts, re] of [
      [{ clok: "virtual" }, /run\(\): unknown option "clok"; the options are clock, seed, debug, slowCallbackMs, loopFactory/],
      [5, /run\(\): the options must be an object such as \{ clock: "virtual" \}, got a number \(5\)/],
    ] as const) {
      assert.throws(() => run(main, opts as never), (e: unknown) => e instanceof TypeError && re.test(e.message));
    }
    assert.throws(() => new Runner({ debugg: true } as never), (e: unknown) => e instanceof TypeError && /Runner: unknown option "debugg"/.test(e.message));
    assert.throws(() => new EventLoop({ seeed: 1 } as never), (e: unknown) => e instanceof TypeError && /EventLoop: unknown option "seeed"; the options are clock, seed, debug, slowCallbackMs/.test(e.message));
    assert.equal(called, 0);
  });

  test("a loopFactory that throws: its error, once (the factory is not called again to clean up)", () => {
    let calls = 0;
    assert.throws(
      () =>
        run(function* () { return 1; }, {
          loopFactory: () => {
            throw new Error(`factory failure #${++calls}`);
          },
        }),
      (e: unknown) => e instanceof Error && e.message === "factory failure #1",
    );
    assert.equal(calls, 1);
  });

  test("inside a running loop: RuntimeError at once, the coroutine does not run", async () => {
    const log: unknown[] = [];
    await vrun(function* () {
      function* inner(): Coroutine<void> {
        log.push("inner ran");
      }
      assert.throws(() => run(inner(), { clock: "virtual" }), RuntimeError);
      const r = new Runner({ clock: "virtual" });
      let p: Promise<unknown> | undefined;
      try {
        p = r.run(inner());
      } catch (e) {
        log.push(["Runner.run", (e as Error).name]);
      }
      if (p !== undefined) {
        // a rejected promise instead of a synchronous throw is accepted for Runner.run
        try {
          yield* fromPromise(p);
        } catch (e) {
          log.push(["Runner.run", (e as Error).name]);
        }
      }
      yield* sleep(1);
    });
    assert.deepEqual(log, [["Runner.run", "RuntimeError"]]);
  });

  test("inside a running loop: CPython's messages, and nothing runs", async () => {
    const log: unknown[] = [];
    await vrun(function* () {
      function* inner(): Coroutine<void> {
        log.push("inner ran");
      }
      assert.throws(
        () => run(inner(), { clock: "virtual" }),
        (e) => e instanceof RuntimeError && e.message === "run() cannot be called from a running event loop",
      );
      const r = new Runner({ clock: "virtual" });
      assert.throws(
        () => r.run(inner()),
        (e) => e instanceof RuntimeError && e.message === "Runner.run() cannot be called from a running event loop",
      );
      yield* sleep(1);
    });
    assert.deepEqual(log, []);
  });

  test("leftover tasks are cancelled and awaited (their cleanup may await); nothing is left behind", async () => {
    const log: unknown[][] = [];
    let loop!: EventLoop;
    const tasks: Task<unknown>[] = [];
    const leftover = (n: string, cleanup: number) =>
      onCancel(function* (e) {
        log.push([n, "cancelled", now()]);
        yield* sleep(cleanup);
        log.push([n, "cleanup-done", now()]);
        throw e;
      }, 1000);
    const r = await run(
      function* () {
        tasks.push(createTask(leftover("a", 3)), createTask(leftover("b", 1)));
        yield* sleep(10);
        log.push(["main-done", now()]);
        return "main";
      },
      {
        loopFactory: () => {
          loop = new EventLoop({ clock: "virtual" });
          return loop;
        },
      },
    );
    assert.equal(r, "main");
    // CPython cancels the leftovers by iterating a set: the order of a and b's "cancelled" is unspecified.
    assert.deepEqual(log[0], ["main-done", 10]);
    assert.deepEqual(
      new Set(log.slice(1, 3).map((x) => JSON.stringify(x))),
      new Set(['["a","cancelled",10]', '["b","cancelled",10]']),
    );
    assert.deepEqual(log.slice(3), [
      ["b", "cleanup-done", 11],
      ["a", "cleanup-done", 13],
    ]);
    assert.ok(tasks.every((t) => t.cancelled()));
    assert.equal(allTasks(loop).size, 0);
    assert.equal(loop.isClosed(), true);
    assert.equal(loop.time(), 13);
  });

  test("allTasks() at the end of main holds only main; leftovers were all done afterwards", async () => {
    const tasks: Task<unknown>[] = [];
    await vrun(function* () {
      for (let i = 0; i < 5; i++) {
        tasks.push(
          createTask(
            (function* () {
              yield* sleep(100 * i);
            })(),
          ),
        );
      }
      yield* sleep(150);
      assert.equal(allTasks().size, 4); // main + the three sleeping past 150
    });
    assert.deepEqual(
      tasks.map((t) => [t.done(), t.cancelled()]),
      [
        [true, false],
        [true, false],
        [true, true],
        [true, true],
        [true, true],
      ],
    );
  });

  test("main fails while a leftover needs an awaiting cleanup: the leftover is cancelled and awaited first", async () => {
    const log: unknown[][] = [];
    await assert.rejects(
      vrun(function* () {
        createTask(
          onCancel(function* (e) {
            yield* sleep(3);
            log.push(["leftover-cleanup-done", now()]);
            throw e;
          }, 1000),
        );
        yield* sleep(10);
        throw new ValueError("main failed");
      }).catch((e: unknown) => {
        log.push(["run-raised", (e as Error).message]);
        throw e;
      }),
      ValueError,
    );
    assert.deepEqual(log, [
      ["leftover-cleanup-done", 13],
      ["run-raised", "main failed"],
    ]);
  });

  test("a leftover that fails while being cancelled goes to the exception handler", async () => {
    const ctxs: Record<string, unknown>[] = [];
    await vrun(function* () {
      getRunningLoop().setExceptionHandler((_loop, ctx) => {
        ctxs.push(ctx as Record<string, unknown>);
      });
      const bad = onCancel(function* () {
        throw new KeyError("on cancel");
      }, 1000);
      createTask(bad, { name: "bad" });
      yield* sleep(1);
    });
    assert.deepEqual(
      ctxs.map((c) => [c.message, (c.exception as Error).name, (c.task as Task<unknown>).getName()]),
      [["unhandled exception during asyncio.run() shutdown", "KeyError", "bad"]],
    );
  });

  test("a leftover that swallows the cancellation still ends; run returns main's value", async () => {
    let stubborn!: Task<string>;
    const r = await vrun(function* () {
      stubborn = createTask(
        (function* () {
          try {
            yield* sleep(1000);
          } catch (e) {
            if (!isCancel(e)) throw e;
            yield* sleep(2);
            return "stubborn";
          }
          return "not cancelled";
        })(),
      );
      yield* sleep(1);
      return "ok";
    });
    assert.equal(r, "ok");
    assert.equal(stubborn.result(), "stubborn");
  });

  test("main cancelled: the promise rejects with CancelledError", async () => {
    await assert.rejects(
      vrun(function* () {
        currentTask()!.cancel();
        yield* sleep(1);
      }),
      CancelledError,
    );
  });

  test("debug reaches the loop", async () => {
    const dbg = function* (): Coroutine<boolean> {
      return getRunningLoop().getDebug();
    };
    assert.equal(await run(dbg, { clock: "virtual", debug: true }), true);
    assert.equal(await run(dbg, { clock: "virtual", debug: false }), false);
  });

  test("options may be a null-prototype object (as checkOptions documents); its keys are read", async () => {
    const opts: { clock: "virtual" } = Object.assign(Object.create(null) as object, { clock: "virtual" as const });
    const t = await run(function* (): Coroutine<number> {
      yield* sleep(1e6);
      return getRunningLoop().time();
    }, opts);
    assert.equal(t, 1e6); // the virtual clock: no wall time passed
  });

  test("debug reaches a loop made by loopFactory too (CPython's Runner calls set_debug on it)", async () => {
    const dbg = function* (): Coroutine<boolean> {
      return getRunningLoop().getDebug();
    };
    assert.equal(await run(dbg, { loopFactory: () => new EventLoop({ clock: "virtual" }), debug: true }), true);
    assert.equal(await run(dbg, { loopFactory: () => new EventLoop({ clock: "virtual", debug: true }), debug: false }), false);
    assert.equal(await run(dbg, { loopFactory: () => new EventLoop({ clock: "virtual", debug: true }) }), true);
  });

  test("the running loop is gone after run", async () => {
    await vrun(function* () {
      yield* sleep(1);
    });
    assert.throws(() => getRunningLoop(), RuntimeError);
  });
});

describe("Runner", () => {
  test("run twice on the same loop; tasks survive between runs; close cancels them and closes the loop", async () => {
    const rlog: unknown[][] = [];
    const r = new Runner({ clock: "virtual" });
    const a = await r.run(function* () {
      createTask(sleepLogCancel(rlog, "bg-cancelled", 1000));
      yield* sleep(10);
      return [now(), getRunningLoop()] as const;
    });
    const b = await r.run(function* () {
      yield* sleep(10);
      return [now(), getRunningLoop(), allTasks().size] as const;
    });
    assert.equal(a[0], 10);
    assert.equal(b[0], 20);
    assert.equal(a[1], b[1]);
    assert.equal(b[2], 2);
    const loop = r.getLoop();
    assert.equal(loop, a[1]);
    await r.close();
    assert.deepEqual(rlog, [["bg-cancelled", 20]]);
    assert.equal(loop.isClosed(), true);
    let ran = false;
    await assert.rejects(
      async () =>
        r.run(function* () {
          ran = true;
        }),
      (e) => e instanceof RuntimeError && e.message === "Runner is closed",
    );
    assert.equal(ran, false);
    assert.throws(() => r.getLoop(), (e) => e instanceof RuntimeError && e.message === "Runner is closed");
    await r.close(); // closing twice is fine
  });

  test("main's error propagates and the runner stays usable; time goes on", async () => {
    const r = new Runner({ clock: "virtual" });
    await assert.rejects(
      r.run(() => fail(1, new ValueError("main failed"))),
      (e) => e instanceof ValueError && e.message === "main failed",
    );
    const v = await r.run(function* () {
      yield* sleep(5);
      return ["v", now()];
    });
    assert.deepEqual(v, ["v", 6]);
    await r.close();
  });

  test("close() before any run is a no-op: the runner still works", async () => {
    const r = new Runner({ clock: "virtual" });
    await r.close();
    const v = await r.run(function* () {
      yield* sleep(5);
      return ["v", now()];
    });
    assert.deepEqual(v, ["v", 5]);
    await r.close();
  });

  test("Runner.run of a non-coroutine is a TypeError", async () => {
    const r = new Runner({ clock: "virtual" });
    await assert.rejects(async () => r.run(42 as never), TypeError);
    await r.close();
  });

  test("run() while another run() of the runner is in progress: RuntimeError at once, nothing of it runs", async () => {
    const log: string[] = [];
    function* job(name: string): Coroutine<string> {
      log.push(`${name} started`);
      yield* sleep(5);
      log.push(`${name} finished`);
      return name;
    }
    const r = new Runner({ clock: "virtual" });
    const first = r.run(job("first"));
    assert.throws(
      () => r.run(job("second")),
      (e) =>
        e instanceof RuntimeError &&
        e.message === "Runner.run() cannot be called while the runner's loop is running (another run() is in progress)",
    );
    assert.equal(allTasks(r.getLoop()).size, 1);
    assert.equal(await first, "first");
    assert.equal(allTasks(r.getLoop()).size, 0);
    await r.close();
    assert.deepEqual(log, ["first started", "first finished"]);
  });

  test("loop.runUntilComplete while the loop runs: RuntimeError at once, its coroutine never starts", async () => {
    const log: string[] = [];
    function* job(name: string): Coroutine<string> {
      log.push(`${name} started`);
      yield* sleep(5);
      return name;
    }
    const loop = new EventLoop({ clock: "virtual" });
    const a = loop.runUntilComplete(job("A"));
    assert.throws(
      () => loop.runUntilComplete(job("B")),
      (e) => e instanceof RuntimeError && e.message === "This event loop is already running",
    );
    assert.equal(await a, "A");
    assert.equal(allTasks(loop).size, 0);
    loop.close();
    assert.deepEqual(log, ["A started"]);
  });

  test("close() while a run is in progress (from plain code between batches): RuntimeError at once, nothing cancelled; a later close() closes the loop", async () => {
    // CPython's close() is synchronous, so a run cannot be in progress outside the loop; its close()
    // from inside fails with this error (see "close() from main" below).
    const runner = new Runner();
    const log: unknown[] = [];
    const p = runner.run(
      (function* () {
        try {
          yield* sleep(20);
        } catch (e) {
          log.push("main cancelled");
          throw e;
        }
        return "main done";
      })(),
    );
    await new Promise((r) => setTimeout(r, 1));
    assert.throws(() => runner.close(), (e: unknown) => e instanceof RuntimeError && e.message === "Cannot close a running event loop");
    assert.equal(String(runner), "<Runner initialized>");
    assert.equal(await p, "main done");
    assert.deepEqual(log, []);
    assert.equal(runner.getLoop().isClosed(), false); // still the runner's, still open
    await runner.close();
    assert.throws(() => runner.getLoop(), (e: unknown) => e instanceof RuntimeError && /Runner is closed/.test(e.message));
  });

  test("a run() refused because its loopFactory gives a loop that another run() is running leaves that run alone", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => {
      unhandled.push(e);
    };
    process.on("unhandledRejection", onUnhandled);
    try {
      const loop = new EventLoop({ clock: "virtual" });
      const first = run(
        function* () {
          yield* sleep(50);
          return "first finished normally";
        },
        { loopFactory: () => loop },
      );
      for (let i = 0; i < 3 && !loop.isRunning(); i++) await new Promise((r) => setImmediate(r));
      assert.throws(
        () => run(function* () { return 2; }, { loopFactory: () => loop }),
        (e: unknown) => e instanceof RuntimeError && /another run\(\) is in progress/.test(e.message),
      );
      assert.equal(await first, "first finished normally");
      await new Promise((r) => setTimeout(r, 1));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  test("getLoop() creates the loop lazily and keeps it", async () => {
    const r = new Runner({ clock: "virtual" });
    const loop = r.getLoop();
    assert.ok(loop instanceof EventLoop);
    assert.equal(loop.isClosed(), false);
    const inside = await r.run(function* () {
      return getRunningLoop();
    });
    assert.equal(inside, loop);
    await r.close();
    assert.equal(loop.isClosed(), true);
  });
});

describe("run(): the shutdown iterations", () => {
  test("callbacks still queued when main returns get CPython's shutdown iterations, and its shutdown tasks take their Task-N numbers", async () => {
    // CPython 3.13: Runner.close() runs the loop for shutdown_asyncgens() and shutdown_default_executor(),
    // two iterations each: a chain of callbacks runs a, b, c, d, e (not f); main Task-1, the next run's
    // main Task-4; with a task left to cancel, the callbacks it and main schedule run before close.
    const log: string[] = [];
    await run(function* () {
      const loop = getRunningLoop();
      const chain = (names: string[]) => (): void => {
        log.push(names[0]!);
        if (names.length > 1) loop.callSoon(chain(names.slice(1)));
      };
      loop.callSoon(chain(["a", "b", "c", "d", "e", "f"]));
      log.push(`main ${currentTask()!.getName()}`);
    }, { clock: "virtual" });
    log.push("after run");
    const first = Number(log[0]!.split("-")[1]);
    await run(function* () {
      log.push(`next main +${Number(currentTask()!.getName().split("-")[1]) - first}`);
    }, { clock: "virtual" });
    await run(function* () {
      const loop = getRunningLoop();
      createTask(
        (function* () {
          try {
            yield* sleep(10);
          } finally {
            log.push("left cancelled");
            loop.callSoon(() => log.push("callback from left"));
          }
        })(),
      );
      yield* sleep(0);
      loop.callSoon(() => log.push("callback from main"));
    }, { clock: "virtual" });
    log.push("end");
    assert.deepEqual(log.slice(1), [
      "a", "b", "c", "d", "e",
      "after run",
      "next main +3",
      "callback from main",
      "left cancelled",
      "callback from left",
      "end",
    ]);
  });
});

describe("Runner.close(): a close in progress, and close() from a running loop", () => {
  /**
   * A runner whose first run leaves a task that runs `cleanup` when it is cancelled (by default: it
   * logs its cancel count and the time, and cleans up for 5 ms).
   */
  async function runnerWithLeftover(log: unknown[], cleanup?: (runner: Runner) => void): Promise<Runner> {
    const runner = new Runner({ clock: "virtual" });
    await runner.run(function* () {
      createTask(
        (function* () {
          try {
            yield* sleep(1000);
          } finally {
            if (cleanup !== undefined) {
              cleanup(runner);
            } else {
              log.push(["left cancelled", currentTask()!.cancelling(), now()]);
              yield* sleep(5);
            }
          }
        })(),
      );
      yield* sleep(1);
    });
    return runner;
  }

  test("a second close() while the first is in progress returns the same Promise: the tasks left are cancelled once", async () => {
    // CPython's close() is synchronous: a second call finds the runner closed and does nothing.
    // (Before: cancelling() was 2, and both calls rejected, "Event loop is closed" and "This event loop is already running".)
    const log: unknown[] = [];
    const runner = await runnerWithLeftover(log);
    const loop = runner.getLoop();
    const first = runner.close();
    assert.equal(String(runner), "<Runner closing>");
    assert.equal(runner.close(), first);
    const results = await Promise.allSettled([first, runner.close()]);
    assert.deepEqual(results.map((r) => r.status), ["fulfilled", "fulfilled"]);
    assert.deepEqual(log, [["left cancelled", 1, 1]]);
    assert.equal(loop.isClosed(), true);
    assert.equal(String(runner), "<Runner closed>");
    await runner.close(); // after the close: nothing to do
  });

  test("run() while a close is in progress: RuntimeError at once, even between close()'s loop runs; main never starts", async () => {
    // (Before: a run() between two of close()'s runUntilComplete calls was accepted and ran.)
    const log: unknown[] = [];
    const runner = await runnerWithLeftover(log);
    const loop = runner.getLoop();
    const closing = runner.close();
    let tried = 0;
    let started = false;
    function* main2(): Coroutine<string> {
      started = true;
      return "main2";
    }
    while (!loop.isClosed()) {
      if (!loop.isRunning()) {
        tried++;
        assert.throws(
          () => runner.run(main2),
          (e: unknown) =>
            e instanceof RuntimeError && e.message === "Runner.run() cannot be called while the runner is closing (close() is in progress)",
        );
      }
      await Promise.resolve();
    }
    await closing;
    assert.ok(tried > 0, "close() let the loop stop between its runs at least once");
    assert.equal(started, false);
    assert.throws(() => runner.run(main2), (e: unknown) => e instanceof RuntimeError && e.message === "Runner is closed");
  });

  test("close() from main: RuntimeError at once (CPython's message); nothing is cancelled, the loop stays open and the runner usable", async () => {
    // CPython 3.13 (test/python/runners.py, "close-from-main"): RuntimeError "Cannot close a running
    // event loop", the runner usable and its loop open. Its failed attempt has cancelled every task,
    // main included, first; ours does nothing (docs/design.md). (Before: close() returned a Promise
    // that rejected later, after the tasks were cancelled, and the runner ended up closed.)
    const log: unknown[] = [];
    const runner = new Runner({ clock: "virtual" });
    const result = await runner.run(function* () {
      const other = createTask(sleepLogCancel(log, "other cancelled", 100));
      yield* sleep(1);
      assert.throws(() => runner.close(), (e: unknown) => e instanceof RuntimeError && e.message === "Cannot close a running event loop");
      yield* sleep(1);
      log.push(["main continued", now(), other.cancelling()]);
      return "main done";
    });
    assert.equal(result, "main done");
    const loop = runner.getLoop();
    assert.equal(loop.isClosed(), false);
    assert.equal(await runner.run(function* () { yield* sleep(1); return now(); }), 3);
    await runner.close();
    assert.deepEqual(log, [["main continued", 2, 0], ["other cancelled", 3]]);
    assert.equal(loop.isClosed(), true);
  });

  test("close() from another running loop: RuntimeError at once; the runner's loop and tasks are untouched", async () => {
    // CPython cancels the runner's tasks, fails to run its loop ("Cannot run the event loop while
    // another loop is running") and closes it anyway; ours refuses before doing anything.
    const log: unknown[] = [];
    const runner = await runnerWithLeftover(log);
    await vrun(function* () {
      assert.throws(
        () => runner.close(),
        (e: unknown) => e instanceof RuntimeError && e.message === "Runner.close() cannot be called from a running event loop",
      );
    });
    assert.equal(String(runner), "<Runner initialized>");
    assert.deepEqual(log, []);
    await runner.close();
    assert.deepEqual(log, [["left cancelled", 1, 1]]);
  });

  test("a leftover task that calls close() while the runner closes gets the close in progress", async () => {
    let inner: Promise<void> | undefined;
    const runner = await runnerWithLeftover([], (r) => {
      inner = r.close();
    });
    const outer = runner.close();
    await outer;
    assert.equal(inner, outer);
  });
});

describe("run() and Runner: loopFactory's loop", () => {
  const factory = (): EventLoop => newEventLoop({ clock: "virtual" });

  test("clock, seed or slowCallbackMs beside loopFactory: TypeError at once; they are the factory's arguments", () => {
    // They configure a new loop, and the factory makes the loop. (Before: silently ignored.)
    let called = 0;
    const counting = (): EventLoop => (called++, factory());
    const main = function* (): Coroutine<number> {
      return 1;
    };
    for (const [opts, keys] of [
      [{ loopFactory: counting, clock: "virtual", seed: 3, slowCallbackMs: 5 }, "clock, seed, slowCallbackMs"],
      [{ loopFactory: counting, seed: 3 }, "seed"],
      [{ loopFactory: counting, slowCallbackMs: 5, debug: true }, "slowCallbackMs"],
    ] as const) {
      const msg = (where: string): string =>
        `${where}: ${keys} cannot be combined with loopFactory: pass ${keys.includes(",") ? "them" : "it"} to the loop the factory makes, ` +
        `e.g. loopFactory: () => newEventLoop({ ${keys.split(",")[0]}: … })`;
      assert.throws(() => run(main, opts as never), (e: unknown) => e instanceof TypeError && e.message === msg("run()"));
      assert.throws(() => new Runner(opts as never), (e: unknown) => e instanceof TypeError && e.message === msg("Runner"));
    }
    assert.equal(called, 0);
    assert.throws(
      () => new Runner({ loopFactory: 42 as never }),
      (e: unknown) => e instanceof TypeError && e.message === "Runner: loopFactory must be a function returning an EventLoop, got a number (42)",
    );
  });

  test("undefined options beside loopFactory are absent; debug still applies to its loop", async () => {
    const dbg = function* (): Coroutine<[boolean, number]> {
      return [getRunningLoop().getDebug(), getRunningLoop().slowCallbackDuration];
    };
    assert.deepEqual(await run(dbg, { loopFactory: factory, clock: undefined, seed: undefined, debug: true }), [true, 100]);
  });

  test("a loopFactory that returns something else than an EventLoop: TypeError at once; the runner has no loop", async () => {
    // CPython fails later, with an AttributeError of whatever was returned.
    for (const [bad, got] of [
      [42, "a number (42)"],
      [undefined, "undefined"],
      [{ runUntilComplete() {} }, "an object of class Object"],
    ] as const) {
      let ran = false;
      const main = function* (): Coroutine<void> {
        ran = true;
      };
      const msg = `loopFactory must return an EventLoop, got ${got}`;
      assert.throws(() => run(main, { loopFactory: () => bad as never }), (e: unknown) => e instanceof TypeError && e.message === msg);
      const runner = new Runner({ loopFactory: () => bad as never });
      assert.throws(() => runner.run(main), (e: unknown) => e instanceof TypeError && e.message === msg);
      assert.equal(String(runner), "<Runner created>");
      await runner.close(); // nothing to close
      assert.equal(ran, false);
    }
  });

  test("a loopFactory that returns a closed loop: one RuntimeError at once, and nothing on the console", async () => {
    // (Before: "Event loop is closed", and a second report, "Runner.close() failed", on stderr.)
    const closed = newEventLoop({ clock: "virtual" });
    closed.close();
    let ran = false;
    const main = function* (): Coroutine<void> {
      ran = true;
    };
    const isClosedErr = (e: unknown): boolean => e instanceof RuntimeError && e.message === "loopFactory returned a closed event loop";
    let unhandled: unknown[] = [];
    const out = await captureConsole(async () => {
      unhandled = await unhandledDuring(async () => {
        assert.throws(() => run(main, { loopFactory: () => closed }), isClosedErr);
        const runner = new Runner({ loopFactory: () => closed });
        assert.throws(() => runner.getLoop(), isClosedErr);
        await runner.close();
      });
    });
    assert.deepEqual([out, unhandled, ran], ["", [], false]);
  });
});
