/**
 * Debug mode (issue 2, item 5), against CPython 3.13 where it has a counterpart
 * (test/python/debug.py):
 * - a step slower than slowCallbackDuration is reported naming the task (CPython: logger.warning
 *   "Executing <Task ... name='hog' ...> took 0.120 seconds"; here through the exception handler);
 * - a task that catches CancelledError and goes on awaiting without uncancel() is reported by name.
 *   CPython reports nothing (the task just runs on with cancelling() == 1); this report is ours.
 * The slow step is real time by nature: the test busy-waits 120 ms once per case.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  run,
  sleep,
  gather,
  createTask,
  currentTask,
  getRunningLoop,
  timeout,
  taskGroup,
  shield,
  Queue,
  TimeoutError,
  ExceptionGroup,
  ValueError,
  type Coroutine,
} from "../src/index.js";
import { isCancel, fail, sleepWithCleanup, collectGarbage, consoleInto } from "./helpers.js";

/** Runs `main` with every report collected: exception-handler contexts and console output, as text. */
let currentReports: string[] = [];
const reportsSoFar = (): string[] => currentReports;

async function withReports<T>(
  main: () => Coroutine<T>,
  options: { debug: boolean; clock: "real" | "virtual"; slowCallbackMs?: number },
): Promise<{ value: T; reports: string[] }> {
  const reports: string[] = [];
  currentReports = reports;
  const value = await consoleInto(reports, () =>
    run(function* () {
      getRunningLoop().setExceptionHandler((_loop, ctx) => {
        const parts: string[] = [];
        for (const [k, v] of Object.entries(ctx)) {
          if (k === "task" && v) parts.push(`task=${(v as { getName(): string }).getName()}`);
          else if (typeof v === "string") parts.push(v);
          else if (v instanceof Error) parts.push(`${v.name}: ${v.message}`);
        }
        reports.push(parts.join("\n"));
      });
      return yield* main();
    }, options),
  );
  return { value, reports };
}

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // block the loop, as a CPU-bound step would
  }
}

function* hogAndQuick(): Coroutine<void> {
  const hog = createTask(
    (function* () {
      yield* sleep(0);
      busyWait(120);
      yield* sleep(0);
    })(),
    { name: "hog" },
  );
  const quick = createTask(
    (function* () {
      yield* sleep(0);
    })(),
    { name: "quick" },
  );
  yield* gather(hog, quick);
}

describe("debug mode: slow steps", () => {
  for (const clock of ["real", "virtual"] as const) {
    test(`a step slower than slowCallbackDuration is reported with the task's name (${clock} clock)`, async () => {
      const { reports } = await withReports(hogAndQuick, { debug: true, clock, slowCallbackMs: 50 });
      const slow = reports.filter((r) => /took/.test(r));
      assert.equal(slow.length, 1, reports.join("\n---\n"));
      assert.match(slow[0]!, /hog/);
      assert.match(slow[0]!, /^task=hog$/m); // the context's `task` key
      assert.doesNotMatch(slow[0]!, /quick/);
      // where the task was created: this file
      assert.match(slow[0]!, /debug\.test/);
    });
  }

  test("a slow plain callback is reported by its handle, with the `handle` key and no `task` (virtual clock)", async () => {
    // CPython: logger.warning("Executing <Handle slowCb() at …> took 0.120 seconds").
    let handle: unknown;
    const contexts: Record<string, unknown>[] = [];
    await run(
      function* () {
        const loop = getRunningLoop();
        loop.setExceptionHandler((_l, ctx) => contexts.push(ctx));
        handle = loop.callSoon(function slowCb() {
          busyWait(120);
        });
        yield* sleep(1);
      },
      { debug: true, clock: "virtual", slowCallbackMs: 50 },
    );
    assert.equal(contexts.length, 1, contexts.map((c) => c.message).join("\n"));
    assert.match(contexts[0]!.message as string, /^Executing <Handle slowCb\(\)> took \d+\.\d{3} seconds$/);
    assert.equal(contexts[0]!.handle, handle);
    assert.equal("task" in contexts[0]!, false);
  });

  test("not in debug mode: no report", async () => {
    const { reports } = await withReports(hogAndQuick, { debug: false, clock: "virtual", slowCallbackMs: 50 });
    assert.deepEqual(
      reports.filter((r) => /took/.test(r)),
      [],
    );
  });
});

describe("an exception nobody retrieved", () => {
  // CPython: "Task exception was never retrieved", with the task and (debug) source_traceback.
  test("is reported when its task is collected, with the task's name and (debug) where it was created", async () => {
    const { value, reports } = await withReports(
      function* () {
        (() => {
          createTask(
            (function* () {
              yield* sleep(0);
              throw new ValueError("nobody looks");
            })(),
            { name: "forgotten" },
          );
        })();
        yield* sleep(1);
        // the clock waits for the host while the FinalizationRegistry callbacks run
        yield* collectGarbage(20, () => reportsSoFar().some((r) => /never retrieved/.test(r)));
        return "done";
      },
      { debug: true, clock: "virtual" },
    );
    assert.equal(value, "done");
    const about = reports.filter((r) => /never retrieved/.test(r));
    assert.equal(about.length, 1, reports.join("\n---\n"));
    // Collected: the task is gone, its repr is given as `futureRepr`.
    assert.match(about[0]!, /^Task exception was never retrieved\n/);
    assert.match(about[0]!, /\n<Task finished name='forgotten' exception=ValueError\('nobody looks'\)>\n/);
    assert.match(about[0]!, /ValueError: nobody looks/);
    assert.match(about[0]!, /debug\.test/);
  });
});

describe("debug mode: a plain future's error nobody retrieved", () => {
  // CPython records source_traceback for every future in debug mode, not only for tasks.
  test("is reported at close with where the future was made", async () => {
    const { reports } = await withReports(
      function* () {
        const f = getRunningLoop().createFuture();
        f.setException(new ValueError("plain future error"));
        yield* sleep(0);
      },
      { debug: true, clock: "virtual" },
    );
    const about = reports.filter((r) => /never retrieved/.test(r));
    assert.equal(about.length, 1, reports.join("\n---\n"));
    assert.match(about[0]!, /^Future exception was never retrieved\nValueError: plain future error\n/);
    assert.match(about[0]!, /debug\.test/);
  });
});

describe("debug mode: swallowed cancellation", () => {
  test("a CancelledError that arrives through gather (its outer future fails with it) counts as delivered", async () => {
    const { value, reports } = await withReports(
      function* () {
        const t = createTask(
          (function* () {
            try {
              yield* gather(sleep(1000));
            } catch {
              // swallowed
            }
            return "swallowed";
          })(),
          { name: "swallow-gather" },
        );
        yield* sleep(1);
        t.cancel();
        return [yield* t, t.cancelling()];
      },
      { debug: true, clock: "virtual" },
    );
    assert.deepEqual(value, ["swallowed", 1]);
    const about = reports.filter((r) => /swallow-gather/.test(r));
    assert.equal(about.length, 1, reports.join("\n---\n"));
    assert.match(about[0]!, /caught CancelledError and returned normally without calling uncancel\(\)/);
  });

  test("a task that catches CancelledError, awaits again and returns is reported by name (CPython semantics kept)", async () => {
    const { value, reports } = await withReports(
      function* () {
        const log: unknown[] = [];
        const t = createTask(
          (function* () {
            try {
              yield* sleep(100);
            } catch {
              log.push(["swallowed", currentTask()!.cancelling()]);
            }
            yield* sleep(10);
            log.push(["went-on-awaiting", currentTask()!.cancelling()]);
            return "finished";
          })(),
          { name: "swallower" },
        );
        yield* sleep(0);
        t.cancel();
        const r = yield* t;
        log.push(["result", r, t.cancelled()]);
        return log;
      },
      { debug: true, clock: "virtual" },
    );
    assert.deepEqual(value, [
      ["swallowed", 1],
      ["went-on-awaiting", 1],
      ["result", "finished", false],
    ]);
    const about = reports.filter((r) => /swallower/.test(r));
    assert.equal(about.length, 1, reports.join("\n---\n"));
    assert.match(about[0]!, /CancelledError/);
    assert.match(about[0]!, /debug\.test/);
  });

  test("a task that swallows and waits forever is reported when run() cancels it again at shutdown", async () => {
    const { reports } = await withReports(
      function* () {
        const t = createTask(
          (function* () {
            try {
              yield* sleep(100);
            } catch {
              // swallowed
            }
            yield* sleep(1e9);
          })(),
          { name: "stubborn-sleeper" },
        );
        yield* sleep(1);
        t.cancel();
        yield* sleep(150); // run() cancels it again slowCallbackDuration after it swallowed the first
      },
      { debug: true, clock: "virtual" },
    );
    assert.equal(reports.filter((r) => /stubborn-sleeper/.test(r)).length, 1, reports.join("\n---\n"));
    assert.match(reports.find((r) => /stubborn-sleeper/.test(r))!, /was cancelled again/);
  });

  test("no report for cleanup that awaits and then rethrows (cancelled again or not), for uncancel(), timeouts and TaskGroups, however long the task goes on", async () => {
    const { value, reports } = await withReports(
      function* () {
        const outcomes: unknown[] = [];
        // 1. cleanup that awaits in finally, then the CancelledError goes on
        const cleanup = createTask(sleepWithCleanup(100, 5), { name: "cleanup-then-rethrow" });
        // 2. handled on purpose: uncancel(), then go on
        const handled = createTask(
          (function* () {
            try {
              yield* sleep(100);
            } catch (e) {
              if (!isCancel(e)) throw e;
              currentTask()!.uncancel();
            }
            yield* sleep(150); // long after the error: handled, so no report
            return "handled";
          })(),
          { name: "uncancelled" },
        );
        yield* sleep(1);
        cleanup.cancel();
        handled.cancel();
        try {
          yield* cleanup;
        } catch (e) {
          outcomes.push(["cleanup", isCancel(e)]);
        }
        outcomes.push(["handled", yield* handled]);
        // 3. a timeout whose body cleans up with an await
        try {
          yield* timeout(10, function* () {
            yield* sleepWithCleanup(100, 3);
          });
        } catch (e) {
          outcomes.push(["timeout", e instanceof TimeoutError]);
        }
        yield* sleep(150); // main handled the timeout's cancellation: going on is no swallowing
        // 4. a TaskGroup aborting its body and a sibling, both cleaning up with awaits
        try {
          yield* taskGroup(function* (tg) {
            tg.createTask(fail(2, new ValueError("boom")));
            tg.createTask(sleepWithCleanup(100, 4), { name: "group-sibling" });
            yield* sleepWithCleanup(100, 1);
          });
        } catch (e) {
          outcomes.push(["group", e instanceof ExceptionGroup]);
        }
        yield* sleep(150);
        // 5. a cleanup in finally cancelled again while it runs, then the error goes on
        const twice = createTask(
          (function* () {
            try {
              yield* sleep(1000);
            } finally {
              yield* shield(sleep(20));
            }
          })(),
          { name: "cancelled-during-cleanup" },
        );
        yield* sleep(10);
        twice.cancel();
        yield* sleep(5);
        twice.cancel();
        try {
          yield* twice;
        } catch (e) {
          outcomes.push(["twice", isCancel(e)]);
        }
        // 6. a poller whose timeouts expire again and again, then cancelled
        const q = new Queue<number>();
        const poller = createTask(
          (function* () {
            for (;;) {
              try {
                yield* timeout(10, () => q.get());
              } catch (e) {
                if (!(e instanceof TimeoutError)) throw e;
              }
            }
          })(),
          { name: "poller" },
        );
        yield* sleep(335);
        poller.cancel();
        try {
          yield* poller;
        } catch (e) {
          outcomes.push(["poller", isCancel(e)]);
        }
        return outcomes;
      },
      { debug: true, clock: "virtual" },
    );
    assert.deepEqual(value, [
      ["cleanup", true],
      ["handled", "handled"],
      ["timeout", true],
      ["group", true],
      ["twice", true],
      ["poller", true],
    ]);
    assert.deepEqual(reports, []);
  });
});

describe("debug mode: a task that keeps awaiting after swallowing CancelledError", () => {
  test("is reported once, by name, slowCallbackDuration after the error reached it; a short awaiting cleanup is not", async () => {
    const { value, reports } = await withReports(
      function* () {
        const looper = createTask(
          (function* () {
            for (;;) {
              try {
                yield* sleep(30);
              } catch {
                // the bug: a bare catch swallows the cancellation
              }
            }
          })(),
          { name: "looper" },
        );
        const cleaner = createTask(
          (function* () {
            try {
              yield* sleep(1000);
            } finally {
              yield* sleep(20); // a cleanup that awaits, then lets the CancelledError go on
              yield* sleep(20);
            }
          })(),
          { name: "cleaner" },
        );
        yield* sleep(10);
        looper.cancel();
        cleaner.cancel();
        yield* sleep(500);
        const cleanerCancelled = cleaner.cancelled();
        looper.uncancel(); // takes the request back: the looper may now be stopped by a new one…
        looper.cancel(); // …which it swallows again, but it is reported once only
        yield* sleep(500);
        const looperDone = looper.done();
        // stop it for good, so that run() can finish
        (looper.getCoro() as Generator).return(undefined);
        return [cleanerCancelled, looperDone];
      },
      { debug: true, clock: "virtual", slowCallbackMs: 100 },
    );
    assert.deepEqual(value, [true, false]);
    const about = reports.filter((r) => /looper|cleaner/.test(r));
    assert.equal(about.length, 1, about.join("\n---\n"));
    assert.match(about[0]!, /Task 'looper' caught CancelledError and is still awaiting 1\d\d ms later/);
  });
});
