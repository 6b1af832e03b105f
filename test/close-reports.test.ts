/**
 * What `EventLoop.close()` reports: what CPython reports when the garbage collector destroys a task
 * still pending ("Task was destroyed but it is pending!") or a failed future whose error nobody
 * retrieved ("… exception was never retrieved"). Here both come at close, once, so that a short
 * program does not lose them (CPython's reference counting reports them promptly; a JS GC may never
 * run before the process exits).
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  run,
  sleep,
  gather,
  createTask,
  EventLoop,
  Future,
  ValueError,
  type Coroutine,
  type ExceptionContext,
  type Task,
} from "../src/index.js";
import { consoleInto, realDelay } from "./helpers.js";

/** A virtual-clock loop whose exception handler records each context, and whether the loop was closed then. */
function recordingLoop(): { loop: EventLoop; reports: [ExceptionContext, boolean][] } {
  const loop = new EventLoop({ clock: "virtual" });
  const reports: [ExceptionContext, boolean][] = [];
  loop.setExceptionHandler((l, ctx) => reports.push([ctx, l.isClosed()]));
  return { loop, reports };
}

/**
 * Collects garbage and lets FinalizationRegistry callbacks run, 5 times, or up to 20 times until
 * `done()` holds (needs `node --expose-gc`).
 */
async function collectGarbage(done?: () => boolean): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert.ok(gc, "run node with --expose-gc");
  for (let i = 0; done ? i < 20 && !done() : i < 5; i++) {
    gc();
    await realDelay(5);
  }
}

const PENDING = "Task was destroyed but it is pending! Its loop was closed before it finished: ";

describe("close() and the tasks still pending", () => {
  test("each is reported once, oldest first, with `task`, through the handler of the closed loop", async () => {
    const { loop, reports } = recordingLoop();
    const never = loop.createFuture();
    const a = loop.createTask(sleep(100), { name: "a" });
    const b = loop.createTask(
      (function* () {
        yield* never;
      })(),
      { name: "b" },
    );
    const finished = loop.createTask(sleep(1), { name: "finished" });
    await loop.runUntilComplete(sleep(5));
    const c = loop.createTask(sleep(1), { name: "c" }); // never started
    loop.close();
    loop.close();
    assert.equal(finished.done(), true);
    assert.deepEqual(
      reports.map(([ctx, closed]) => [ctx.message, ctx.task, closed]),
      [
        [`${PENDING}<Task pending name='a' wait_for=<Sleep pending ms=100>>`, a, true],
        [`${PENDING}<Task pending name='b' wait_for=<Future pending>>`, b, true],
        [`${PENDING}<Task pending name='c'>`, c, true],
      ],
    );
  });

  test("debug mode: the report has `sourceTraceback`, where the task was created (CPython's source_traceback)", async () => {
    const { loop, reports } = recordingLoop();
    loop.setDebug(true);
    const t = loop.createTask(sleep(100), { name: "made here" });
    await loop.runUntilComplete(sleep(5));
    loop.close();
    assert.equal(reports.length, 1);
    const [ctx] = reports[0]!;
    assert.equal(ctx.task, t);
    assert.equal(typeof ctx.sourceTraceback, "string");
    assert.match(ctx.sourceTraceback as string, /close-reports\.test/);
  });

  test("without debug mode: no `sourceTraceback` key", async () => {
    const { loop, reports } = recordingLoop();
    loop.createTask(sleep(100));
    await loop.runUntilComplete(sleep(5));
    loop.close();
    assert.deepEqual(reports.map(([ctx]) => "sourceTraceback" in ctx), [false]);
  });

  test("a closed loop without pending tasks reports nothing", async () => {
    const { loop, reports } = recordingLoop();
    loop.createTask(sleep(1));
    await loop.runUntilComplete(sleep(5));
    loop.close();
    assert.deepEqual(reports, []);
  });

  test("run(): a task created while run() cancels the leftovers stays pending and is reported (as CPython)", async () => {
    // CPython's run() cancels the tasks left once (runners._cancel_all_tasks): a task created by a
    // leftover's `finally` is not cancelled, and the GC reports it destroyed while pending.
    const log: string[] = [];
    let late: Task<void> | undefined;
    function* cleanup(): Coroutine<void> {
      yield* sleep(10);
      log.push("cleanup ran");
    }
    function* worker(): Coroutine<void> {
      try {
        yield* sleep(1000);
      } finally {
        late = createTask(cleanup(), { name: "late" });
      }
    }
    let reports: [ExceptionContext, boolean][] = [];
    const value = await run(
      function* () {
        createTask(worker(), { name: "worker" });
        yield* sleep(1);
        return "main done";
      },
      {
        loopFactory: () => {
          const r = recordingLoop();
          reports = r.reports;
          return r.loop;
        },
      },
    );
    assert.equal(value, "main done");
    assert.deepEqual(
      reports.map(([ctx, closed]) => [ctx.message, ctx.task, closed]),
      [[`${PENDING}<Task pending name='late' wait_for=<Sleep pending ms=10>>`, late, true]],
    );
    await collectGarbage();
    assert.equal(reports.length, 1);
    assert.deepEqual(log, []);
  });

  test("run(): leftovers that end when cancelled leave nothing to report", async () => {
    let reports: [ExceptionContext, boolean][] = [];
    await run(
      function* () {
        createTask(sleep(1000));
        createTask(
          (function* () {
            try {
              yield* sleep(1000);
            } finally {
              yield* sleep(5); // an awaiting cleanup
            }
          })(),
        );
        yield* sleep(1);
      },
      {
        loopFactory: () => {
          const r = recordingLoop();
          reports = r.reports;
          return r.loop;
        },
      },
    );
    assert.deepEqual(reports, []);
  });
});

describe("close() and the errors never retrieved", () => {
  // Future._fail calls `_noteFailure`; the first two tests call it again (as a second failure record
  // of the same future would), which must change nothing.
  test("each failed future or task of the loop with its error unretrieved is reported once, in failure order", async () => {
    const { loop, reports } = recordingLoop();
    const keep: Future<unknown>[] = [];
    const lostError = new ValueError("lost");
    const lost = loop.createFuture();
    lost.setException(lostError);
    loop._noteFailure(lost);
    const seen = loop.createFuture();
    seen.setException(new ValueError("seen"));
    loop._noteFailure(seen);
    assert.equal((seen.exception() as Error).message, "seen");
    const fine = loop.createFuture();
    fine.setResult(1);
    const taskError = new ValueError("task failed");
    const task = loop.createTask(
      (function* (): Coroutine<never> {
        yield* sleep(1);
        throw taskError;
      })(),
      { name: "forgotten" },
    );
    await loop.runUntilComplete(sleep(5));
    loop._noteFailure(task);
    loop._noteFailure(lost); // twice: still reported once
    keep.push(lost, seen, fine, task);
    loop.close();
    loop.close();
    // CPython's context: the message names the class, `future` is the future itself.
    assert.deepEqual(
      reports.map(([ctx, closed]) => [Object.keys(ctx), ctx.message, ctx.exception, ctx.future, closed]),
      [
        [["message", "exception", "future"], "Future exception was never retrieved", lostError, lost, true],
        [["message", "exception", "future"], "Task exception was never retrieved", taskError, task, true],
      ],
    );
    // Reported: the FinalizationRegistry does not report them again once they are collected.
    keep.length = 0;
    await collectGarbage();
    assert.equal(reports.length, 2);
  });

  test("failed futures are not kept alive, and the record of them stays small", async () => {
    const { loop, reports } = recordingLoop();
    const refs: WeakRef<Future<unknown>>[] = [];
    (() => {
      for (let i = 0; i < 1000; i++) {
        const f = loop.createFuture();
        f.setException(new ValueError(`e${i}`));
        loop._noteFailure(f);
        if (i % 100 !== 0) f.exception(); // retrieved, but for every hundredth
        refs.push(new WeakRef(f));
      }
    })();
    assert.ok(loop._failures!.length < 200, `${loop._failures!.length} failures kept`);
    await collectGarbage(() => reports.length === 10 && refs.every((r) => r.deref() === undefined));
    assert.ok(
      refs.every((r) => r.deref() === undefined),
      "a failed future was kept alive",
    );
    // Collected unretrieved: the FinalizationRegistry reported them, close() does not again.
    const byGc = reports.length;
    assert.equal(byGc, 10);
    loop.close();
    assert.equal(reports.length, 10);
  });

  test("an error that plain async code awaited (then, before or after the failure) counts as retrieved", async () => {
    const { loop, reports } = recordingLoop();
    const before = loop.createFuture();
    const caught: unknown[] = [];
    const p1 = before.then(undefined, (e: unknown) => caught.push(e));
    const beforeError = new ValueError("awaited before");
    before.setException(beforeError);
    const after = loop.createFuture();
    const afterError = new ValueError("awaited after");
    after.setException(afterError);
    const p2 = after.then(undefined, (e: unknown) => caught.push(e));
    const lost = loop.createFuture();
    const lostError = new ValueError("lost");
    lost.setException(lostError);
    await Promise.all([p1, p2]);
    await loop.runUntilComplete(sleep(1));
    loop.close();
    assert.deepEqual(caught, [beforeError, afterError]);
    assert.deepEqual(
      reports.map(([ctx]) => [ctx.message, ctx.exception, ctx.future]),
      [["Future exception was never retrieved", lostError, lost]],
    );
    assert.ok(before.done() && after.done() && lost.done());
  });

  test("end to end: a forgotten failed task is reported when run() closes its loop", async () => {
    const nobodySees = new ValueError("nobody sees this");
    let reports: [ExceptionContext, boolean][] = [];
    {
      const value = await run(
        function* () {
          createTask(
            (function* (): Coroutine<never> {
              throw nobodySees;
            })(),
            { name: "forgotten" },
          );
          const awaited = createTask(
            (function* (): Coroutine<never> {
              throw new ValueError("retrieved by gather");
            })(),
          );
          const [r] = yield* gather(awaited, { returnExceptions: true });
          yield* sleep(10);
          return [(r as Error).message, "main done"];
        },
        {
          loopFactory: () => {
            const r = recordingLoop();
            reports = r.reports;
            return r.loop;
          },
        },
      );
      assert.deepEqual(value, ["retrieved by gather", "main done"]);
    }
    assert.deepEqual(
      reports.map(([ctx, closed]) => [ctx.message, ctx.exception, String(ctx.future), closed]),
      [["Task exception was never retrieved", nobodySees, "<Task finished name='forgotten' exception=ValueError('nobody sees this')>", true]],
    );
    await collectGarbage();
    assert.equal(reports.length, 1);
  });

  test("the default handler prints CPython's message, then the future on its own line (its repr once collected)", async () => {
    // CPython: "Task exception was never retrieved\nfuture: <Task finished name='Task-2' coro=<…> exception=ValueError('boom')>".
    const out: string[] = [];
    await consoleInto(out, async () => {
      const loop = new EventLoop({ clock: "virtual" });
      (() => {
        const f = loop.createFuture();
        f.setException(new ValueError("collected"));
      })();
      await collectGarbage(() => out.length > 0);
      loop.createTask(
        (function* (): Coroutine<never> {
          throw new ValueError("at close");
        })(),
        { name: "forgotten" },
      );
      await loop.runUntilComplete(sleep(1));
      loop.close();
    });
    assert.deepEqual(
      out.map((text) => text.split("\n").slice(0, 3)),
      [
        ["Future exception was never retrieved", "futureRepr: <Future finished exception=ValueError('collected')>", "ValueError: collected"],
        ["Task exception was never retrieved", "future: <Task finished name='forgotten' exception=ValueError('at close')>", "ValueError: at close"],
      ],
    );
  });
});
