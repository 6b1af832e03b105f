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
import { vrun, now, isCancel, KeyError, fail, onCancel, sleepLogCancel } from "./helpers.js";

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

  test("close() while a run is in progress fails and leaves the runner usable; a later close() closes the loop", async () => {
    // CPython's Runner.close sets CLOSED only after loop.close() succeeded. Here main answers the
    // cancellation close() sends by going on for a while, so the loop is still running when close()
    // tries to close it.
    const runner = new Runner();
    const p = runner.run(
      (function* () {
        try {
          yield* sleep(10_000);
        } catch {
          currentTask()!.uncancel();
          yield* sleep(20);
        }
        return "main done";
      })(),
    );
    await new Promise((r) => setTimeout(r, 1));
    await assert.rejects(runner.close(), (e: unknown) => e instanceof RuntimeError && /Cannot close a running event loop/.test(e.message));
    assert.equal(await p, "main done");
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
