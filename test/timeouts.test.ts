/**
 * timeout, timeoutAt, Timeout and waitFor, checked scenario by scenario against CPython 3.13
 * (test/python/timeouts.py prints the expected logs; Python seconds are our milliseconds).
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  sleep,
  timeout,
  timeoutAt,
  Timeout,
  waitFor,
  asyncWith,
  createTask,
  currentTask,
  getRunningLoop,
  CancelledError,
  RuntimeError,
  TimeoutError,
  ValueError,
  ExceptionGroup,
  taskGroup,
  type Coroutine,
} from "../src/index.js";
import {
  vrun,
  now,
  isCancel,
  errName,
  scenario,
  later,
  fail,
  onCancel,
  cancelAfter,
  catching,
  sleepWithCleanup,
  unhandledDuring,
  type Log,
} from "./helpers.js";

/** Awaits `co`, logging `["TimeoutError", time, ...more()]` if it throws TimeoutError. */
const logTimeout = (log: Log, co: Coroutine<unknown>, more: () => unknown[] = () => []) =>
  catching(TimeoutError, co, () => log.push(["TimeoutError", now(), ...more()]));

/** Sleeps 100 ms; however that ends, logs `finally`, sleeps 5 ms and logs `cleanup-done`. */
function* sleepThenLoggedCleanup(log: Log): Coroutine<void> {
  try {
    yield* sleep(100);
  } finally {
    log.push(["finally", now()]);
    yield* sleep(5);
    log.push(["cleanup-done", now()]);
  }
}

describe("timeout()", () => {
  test("expires, cancels the body and waits for its cleanup (which awaits) before TimeoutError", async () => {
    const log = await scenario(function* (log) {
      let cm!: Timeout;
      const guarded = timeout(10, function* (t) {
        cm = t;
        log.push(["when", t.when()]);
        yield* sleepThenLoggedCleanup(log);
      });
      yield* logTimeout(log, guarded, () => [cm.expired()]);
    });
    assert.deepEqual(log, [
      ["when", 10],
      ["finally", 10],
      ["cleanup-done", 15],
      ["TimeoutError", 15, true],
      ["result", undefined],
      ["end", 15, 0, 1],
    ]);
  });

  test("does not expire: returns the body's value; the timer is gone after exit", async () => {
    const log = await scenario(function* (log) {
      let cm!: Timeout;
      const r = yield* timeout(100, function* (t) {
        cm = t;
        yield* sleep(10);
        return "body";
      });
      log.push(["after", now(), cm.expired(), cm.when()]);
      yield* sleep(200);
      log.push(["later", now()]);
      return r;
    });
    assert.deepEqual(log, [["after", 10, false, 100], ["later", 210], ["result", "body"], ["end", 210, 0, 1]]);
  });

  test("timeout(null) never expires; when() is null", async () => {
    const log = await scenario(function* (log) {
      let cm!: Timeout;
      yield* timeout(null, function* (t) {
        cm = t;
        yield* sleep(1_000_000);
      });
      log.push(["after", now(), cm.when(), cm.expired()]);
    });
    assert.deepEqual(log, [["after", 1_000_000, null, false], ["result", undefined], ["end", 1_000_000, 0, 1]]);
  });

  test("when() is absolute: timeout(10) at 5 is 15, timeoutAt(42) is 42", async () => {
    const log = await scenario(function* (log) {
      yield* sleep(5);
      yield* timeout(10, function* (cm) {
        log.push(["timeout-when", cm.when()]);
      });
      yield* timeoutAt(42, function* (cm) {
        log.push(["timeout_at-when", cm.when()]);
      });
    });
    assert.deepEqual(log, [["timeout-when", 15], ["timeout_at-when", 42], ["result", undefined], ["end", 5, 0, 1]]);
  });

  test("timeoutAt expires at the absolute time", async () => {
    const log = await scenario(function* (log) {
      yield* sleep(3);
      yield* logTimeout(
        log,
        timeoutAt(12, function* () {
          yield* sleep(100);
        }),
      );
    });
    assert.deepEqual(log, [["TimeoutError", 12], ["result", undefined], ["end", 12, 0, 1]]);
  });

  test("timeout 0 and negative: the body starts, then TimeoutError at its first await", async () => {
    const log = await scenario(function* (log) {
      for (const d of [0, -5]) {
        const guarded = timeout(d, function* () {
          log.push(["body-runs", d]);
          yield* sleep(1);
        });
        yield* catching(TimeoutError, guarded, () => log.push(["TimeoutError", d, now()]));
      }
    });
    assert.deepEqual(log, [
      ["body-runs", 0],
      ["TimeoutError", 0, 0],
      ["body-runs", -5],
      ["TimeoutError", -5, 0],
      ["result", undefined],
      ["end", 0, 0, 1],
    ]);
  });

  test("Timeout is constructible and a context manager for asyncWith", async () => {
    const log = await scenario(function* (log) {
      const cm = new Timeout(now() + 7);
      const guarded = asyncWith(cm, function* (t) {
        assert.equal(t, cm);
        yield* sleep(100);
      });
      yield* logTimeout(log, guarded, () => [cm.when(), cm.expired()]);
    });
    assert.deepEqual(log, [["TimeoutError", 7, 7, true], ["result", undefined], ["end", 7, 0, 1]]);
  });
});

describe("Timeout.reschedule()", () => {
  test("to later", async () => {
    const log = await scenario(function* (log) {
      const guarded = timeout(10, function* (cm) {
        yield* sleep(5);
        cm.reschedule(now() + 50);
        log.push(["rescheduled", cm.when()]);
        yield* sleep(100);
      });
      yield* logTimeout(log, guarded);
    });
    assert.deepEqual(log, [["rescheduled", 55], ["TimeoutError", 55], ["result", undefined], ["end", 55, 0, 1]]);
  });

  test("from null to a deadline", async () => {
    const log = await scenario(function* (log) {
      const guarded = timeout(null, function* (cm) {
        cm.reschedule(20);
        yield* sleep(100);
      });
      yield* logTimeout(log, guarded);
    });
    assert.deepEqual(log, [["TimeoutError", 20], ["result", undefined], ["end", 20, 0, 1]]);
  });

  test("to null disables it", async () => {
    const log = await scenario(function* (log) {
      let cm!: Timeout;
      yield* timeout(10, function* (t) {
        cm = t;
        t.reschedule(null);
        yield* sleep(100);
      });
      log.push(["after", now(), cm.expired(), cm.when()]);
    });
    assert.deepEqual(log, [["after", 100, false, null], ["result", undefined], ["end", 100, 0, 1]]);
  });

  test("to the past expires on the next iteration, not synchronously", async () => {
    const log = await scenario(function* (log) {
      yield* sleep(10);
      const guarded = timeout(100, function* (cm) {
        cm.reschedule(3);
        log.push(["still-running", now()]);
        yield* sleep(0);
        log.push(["not reached"]);
      });
      yield* logTimeout(log, guarded);
    });
    assert.deepEqual(log, [["still-running", 10], ["TimeoutError", 10], ["result", undefined], ["end", 10, 0, 1]]);
  });

  test("while expiring → RuntimeError", async () => {
    const log = await scenario(function* (log) {
      const guarded = timeout(10, function* (cm) {
        try {
          yield* sleep(100);
        } catch (e) {
          try {
            cm.reschedule(50);
          } catch (e2) {
            log.push(["expiring", e2 instanceof RuntimeError ? e2.message : String(e2)]);
          }
          throw e;
        }
      });
      yield* logTimeout(log, guarded);
    });
    assert.deepEqual(log, [
      ["expiring", "Cannot change state of expiring Timeout"],
      ["TimeoutError", 10],
      ["result", undefined],
      ["end", 10, 0, 1],
    ]);
  });

  test("misuse: before entering, after exit, after expiry, entering twice → RuntimeError", async () => {
    const log = await scenario(function* (log) {
      const msg = (f: () => unknown): string => {
        try {
          f();
          return "no error";
        } catch (e) {
          return e instanceof RuntimeError ? e.message : `not a RuntimeError: ${String(e)}`;
        }
      };
      const fresh = new Timeout(null);
      log.push(["created", msg(() => fresh.reschedule(1))]);
      let cm!: Timeout;
      yield* timeout(10, function* (t) {
        cm = t;
      });
      log.push(["exited", msg(() => cm.reschedule(1))]);
      let cm2!: Timeout;
      const expiring = timeout(1, function* (t) {
        cm2 = t;
        yield* sleep(5);
      });
      yield* catching(TimeoutError, expiring, () => {});
      log.push(["expired", msg(() => cm2.reschedule(1))]);
      try {
        yield* asyncWith(cm, function* () {});
        log.push(["reenter", "no error"]);
      } catch (e) {
        log.push(["reenter", e instanceof RuntimeError ? e.message : String(e)]);
      }
    });
    assert.deepEqual(log, [
      ["created", "Timeout has not been entered"],
      ["exited", "Cannot change state of finished Timeout"],
      ["expired", "Cannot change state of expired Timeout"],
      ["reenter", "Timeout has already been entered"],
      ["result", undefined],
      ["end", 1, 0, 1],
    ]);
  });
});

describe("timeout(): the body handles the cancellation", () => {
  test("a body that swallows the CancelledError: no TimeoutError, expired() is true, the cancel count is restored", async () => {
    const log = await scenario(function* (log) {
      let cm!: Timeout;
      const v = yield* timeout(10, function* (t) {
        cm = t;
        yield* catching(CancelledError, sleep(100), () => log.push(["swallowed", now(), currentTask()!.cancelling()]));
        yield* sleep(3);
        log.push(["body-continues", now()]);
        return "value";
      });
      log.push(["after", now(), cm.expired(), currentTask()!.cancelling()]);
      return v;
    });
    assert.deepEqual(log, [
      ["swallowed", 10, 1],
      ["body-continues", 13],
      ["after", 13, true, 0],
      ["result", "value"],
      ["end", 13, 0, 1],
    ]);
  });

  test("a body that turns the CancelledError into another error: that error propagates", async () => {
    const log = await scenario(function* (log) {
      let cm!: Timeout;
      const guarded = timeout(10, function* (t) {
        cm = t;
        yield* onCancel(function* () {
          throw new ValueError("converted");
        });
      });
      // CPython chains a TimeoutError into e.__context__: here it is e.cause.
      yield* catching(ValueError, guarded, (e) =>
        log.push(["ValueError", now(), cm.expired(), errName(e.cause), errName((e.cause as Error).cause)]),
      );
    });
    assert.deepEqual(log, [["ValueError", 10, true, "TimeoutError", "CancelledError"], ["result", undefined], ["end", 10, 0, 1]]);
  });

  test("an outer cancellation is not turned into TimeoutError", async () => {
    const log = await scenario(function* (log) {
      function* worker(): Coroutine<void> {
        let cm!: Timeout;
        try {
          yield* timeout(10, function* (t) {
            cm = t;
            yield* catching(CancelledError, sleep(100), () => log.push(["worker-swallowed-external-cancel", now()]));
            yield* sleep(100);
          });
        } catch (e) {
          log.push(["worker-raised", errName(e), cm.expired(), now(), currentTask()!.cancelling()]);
          throw e;
        }
      }
      yield* cancelAfter(5, worker(), (_e, t) => log.push(["task-cancelled", t.cancelled(), now()]));
    });
    assert.deepEqual(log, [
      ["worker-swallowed-external-cancel", 5],
      ["worker-raised", "CancelledError", true, 10, 1],
      ["task-cancelled", true, 10],
      ["result", undefined],
      ["end", 10, 0, 1],
    ]);
  });
});

describe("timeout(): errors while exiting, and their causes", () => {
  test("TimeoutError's cause is the CancelledError it replaces (CPython: raise TimeoutError from exc_val)", async () => {
    const log = await scenario(function* (log) {
      yield* catching(TimeoutError, timeout(10, () => sleep(100)), (e) =>
        log.push(["TimeoutError", now(), errName(e.cause), Object.getOwnPropertyDescriptor(e, "cause")?.enumerable]),
      );
    });
    assert.deepEqual(log, [["TimeoutError", 10, "CancelledError", false], ["result", undefined], ["end", 10, 0, 1]]);
  });

  test("an error the body raised on expiry that has a cause keeps it", async () => {
    const log = await scenario(function* (log) {
      const guarded = timeout(10, function* () {
        yield* onCancel(function* (c) {
          throw new ValueError("converted", { cause: c });
        });
      });
      yield* catching(ValueError, guarded, (e) => log.push(["ValueError", now(), errName(e.cause)]));
    });
    assert.deepEqual(log, [["ValueError", 10, "CancelledError"], ["result", undefined], ["end", 10, 0, 1]]);
  });

  test("an aexit that throws while the expiry's CancelledError is in flight: a TimeoutError goes before that CancelledError", async () => {
    // CPython 3.13: async with timeout(0.01): async with CM(): await sleep(1), where CM.__aexit__ raises
    // RuntimeError: its __context__ becomes TimeoutError, whose __cause__ is the CancelledError.
    const cm = {
      *aenter(): Coroutine<void> {},
      *aexit(): Coroutine<void> {
        throw new RuntimeError("exit-err");
      },
    };
    const log = await scenario(function* (log) {
      const guarded = timeout(10, () => asyncWith(cm, () => sleep(1000)));
      yield* catching(RuntimeError, guarded, (e) => {
        const te = e.cause as Error;
        log.push(["RuntimeError", now(), errName(te), errName(te.cause), te.cause instanceof CancelledError]);
      });
    });
    assert.deepEqual(log, [["RuntimeError", 10, "TimeoutError", "CancelledError", true], ["result", undefined], ["end", 10, 0, 1]]);
  });
});

describe("timeout(): a body that is not a coroutine function", () => {
  test("an async function, or no function: a TypeError at the call of timeout or timeoutAt; the body does not run", () => {
    let ran = false;
    const body = async function fetchSlowly() {
      ran = true;
      await null;
    };
    const message = (who: string) =>
      `${who}: the body must be a generator function (function* (...) { ... }, with yield* instead of await; ` +
      "for a Promise p, yield* fromPromise(p)), got an async function (fetchSlowly)";
    assert.throws(() => timeout(10, body as never), { name: "TypeError", message: message("timeout") });
    assert.throws(() => timeoutAt(10, body as never), { name: "TypeError", message: message("timeoutAt") });
    assert.throws(() => timeout(10, null as never), { name: "TypeError", message: "timeout: the body must be a (generator) function" });
    assert.equal(ran, false);
  });

  test("a plain function that returns a Promise: a TypeError once it ran; the deadline is gone; nothing is unhandled", async () => {
    const log: unknown[] = [];
    const unhandled = await unhandledDuring(() =>
      vrun(function* () {
        try {
          yield* timeout(10, () => {
            log.push(["body", now()]);
            return Promise.reject(new ValueError("async work failed"));
          });
          log.push(["returned"]);
        } catch (e) {
          log.push([errName(e), /^asyncWith: the body must return a coroutine or a plain value .*which nothing awaits$/.test((e as Error).message)]);
        }
        yield* sleep(20);
        log.push(["slept", now(), currentTask()!.cancelling()]);
      }),
    );
    assert.deepEqual(log, [
      ["body", 0],
      ["TypeError", true],
      ["slept", 20, 0],
    ]);
    assert.deepEqual(unhandled, []);
  });
});

describe("nested timeouts", () => {
  // Same deadline: the inner timeout passes the outer's CancelledError on, the outer raises
  // TimeoutError. `rescheduleOuter`: the outer starts with no deadline and the body moves it to 10
  // after the inner's timer was scheduled.
  const cases = [
    {
      name: "same deadline: the inner passes CancelledError on, the outer raises TimeoutError; both expired",
      outerMs: 10,
      innerMs: 10,
      rescheduleOuter: false,
      expected: [
        ["inner-raised", "CancelledError", true, 10],
        ["outer-TimeoutError", true, 10],
        ["result", undefined],
        ["end", 10, 0, 1],
      ],
    },
    {
      name: "same deadline with the inner's timer scheduled first: still the outer raises",
      outerMs: null,
      innerMs: 10,
      rescheduleOuter: true,
      expected: [
        ["inner-raised", "CancelledError", true, 10],
        ["outer-TimeoutError", true, 10],
        ["result", undefined],
        ["end", 10, 0, 1],
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const log = await scenario(function* (log) {
        let outer!: Timeout;
        let inner!: Timeout;
        const guarded = timeout(c.outerMs, function* (o) {
          outer = o;
          try {
            yield* timeout(c.innerMs, function* (i) {
              inner = i;
              if (c.rescheduleOuter) o.reschedule(10);
              yield* sleep(100);
            });
          } catch (e) {
            log.push(["inner-raised", errName(e), inner.expired(), now()]);
            throw e;
          }
        });
        yield* catching(TimeoutError, guarded, () => log.push(["outer-TimeoutError", outer.expired(), now()]));
      });
      assert.deepEqual(log, c.expected);
    });
  }

  test("inner first: the inner raises TimeoutError, the outer still runs and expires later", async () => {
    const log = await scenario(function* (log) {
      let outer!: Timeout;
      const guarded = timeout(20, function* (o) {
        outer = o;
        let inner!: Timeout;
        const guardedInner = timeout(5, function* (i) {
          inner = i;
          yield* sleep(100);
        });
        yield* catching(TimeoutError, guardedInner, () =>
          log.push(["inner-TimeoutError", now(), inner.expired(), outer.expired()]),
        );
        yield* sleep(100);
      });
      yield* catching(TimeoutError, guarded, () => log.push(["outer-TimeoutError", now()]));
    });
    assert.deepEqual(log, [
      ["inner-TimeoutError", 5, true, false],
      ["outer-TimeoutError", 20],
      ["result", undefined],
      ["end", 20, 0, 1],
    ]);
  });

  test("outer first: the inner passes CancelledError on and is not expired", async () => {
    const log = await scenario(function* (log) {
      let outer!: Timeout;
      const guarded = timeout(5, function* (o) {
        outer = o;
        let inner!: Timeout;
        try {
          yield* timeout(20, function* (i) {
            inner = i;
            yield* sleep(100);
          });
        } catch (e) {
          log.push(["inner-raised", errName(e), inner.expired(), now()]);
          throw e;
        }
      });
      yield* catching(TimeoutError, guarded, () => log.push(["outer-TimeoutError", now(), outer.expired()]));
    });
    assert.deepEqual(log, [
      ["inner-raised", "CancelledError", false, 5],
      ["outer-TimeoutError", 5, true],
      ["result", undefined],
      ["end", 5, 0, 1],
    ]);
  });
});

describe("waitFor()", () => {
  test("returns the result in time", async () => {
    const log = await scenario(function* (log) {
      const r = yield* waitFor(later(5, 7), 10);
      log.push(["result", r, now()]);
    });
    assert.deepEqual(log, [["result", 7, 5], ["result", undefined], ["end", 5, 0, 1]]);
  });

  test("on timeout cancels the coroutine and waits for its cleanup (which awaits)", async () => {
    const log = await scenario(function* (log) {
      yield* logTimeout(log, waitFor(sleepThenLoggedCleanup(log), 10));
    });
    assert.deepEqual(log, [
      ["finally", 10],
      ["cleanup-done", 15],
      ["TimeoutError", 15],
      ["result", undefined],
      ["end", 15, 0, 1],
    ]);
  });

  test("on timeout cancels a task and waits for it", async () => {
    const log = await scenario(function* (log) {
      const t = createTask(sleepWithCleanup(100, 2));
      yield* logTimeout(log, waitFor(t, 10), () => [t.done(), t.cancelled()]);
    });
    assert.deepEqual(log, [["TimeoutError", 12, true, true], ["result", undefined], ["end", 12, 0, 1]]);
  });

  test("timeout 0 or negative: a coroutine never starts; TimeoutError at once", async () => {
    const log = await scenario(function* (log) {
      const started: number[] = [];
      for (const d of [0, -1]) {
        const work = (function* () {
          started.push(1);
          return 1;
        })();
        yield* catching(TimeoutError, waitFor(work, d), () => log.push(["TimeoutError", d, [...started], now()]));
      }
    });
    assert.deepEqual(log, [
      ["TimeoutError", 0, [], 0],
      ["TimeoutError", -1, [], 0],
      ["result", undefined],
      ["end", 0, 0, 1],
    ]);
  });

  test("timeout 0 on something already done returns its result", async () => {
    const log = await scenario(function* (log) {
      const f = getRunningLoop().createFuture<string>();
      f.setResult("done");
      log.push(["zero-done", yield* waitFor(f, 0)]);
      const t = createTask(
        (function* () {
          return "quick";
        })(),
      );
      yield* sleep(0);
      log.push(["zero-done-task", yield* waitFor(t, 0)]);
    });
    assert.deepEqual(log, [
      ["zero-done", "done"],
      ["zero-done-task", "quick"],
      ["result", undefined],
      ["end", 0, 0, 1],
    ]);
  });

  test("timeout 0 on a pending task cancels it and waits for its cleanup", async () => {
    const log = await scenario(function* (log) {
      const t = createTask(
        (function* () {
          try {
            yield* sleep(100);
          } finally {
            yield* sleep(3);
            log.push(["cleanup", now()]);
          }
        })(),
      );
      yield* sleep(1);
      yield* logTimeout(log, waitFor(t, 0), () => [t.cancelled()]);
    });
    assert.deepEqual(log, [["cleanup", 4], ["TimeoutError", 4, true], ["result", undefined], ["end", 4, 0, 1]]);
  });

  test("timeout 0 on a task that suppresses the cancellation returns its value", async () => {
    const log = await scenario(function* (log) {
      const t = createTask(
        (function* () {
          try {
            yield* sleep(100);
          } catch (e) {
            if (isCancel(e)) return "suppressed";
            throw e;
          }
          return "not cancelled";
        })(),
      );
      yield* sleep(1);
      log.push(["value", yield* waitFor(t, 0), now()]);
    });
    assert.deepEqual(log, [["value", "suppressed", 1], ["result", undefined], ["end", 1, 0, 1]]);
  });

  test("waitFor(aw, null) waits without limit", async () => {
    const log = await scenario(function* (log) {
      const v = yield* waitFor(later(1_000_000, "late"), null);
      log.push(["value", v, now()]);
    });
    assert.deepEqual(log, [["value", "late", 1_000_000], ["result", undefined], ["end", 1_000_000, 0, 1]]);
  });

  test("an inner coroutine that suppresses the cancellation: its value is returned (3.13)", async () => {
    const log = await scenario(function* (log) {
      const v = yield* waitFor(
        (function* () {
          try {
            yield* sleep(100);
          } catch (e) {
            if (!isCancel(e)) throw e;
            yield* sleep(1);
            return "suppressed";
          }
          return "not cancelled";
        })(),
        10,
      );
      log.push(["value", v, now(), currentTask()!.cancelling()]);
    });
    assert.deepEqual(log, [["value", "suppressed", 11, 0], ["result", undefined], ["end", 11, 0, 1]]);
  });

  test("the inner error propagates as is", async () => {
    const log = await scenario(function* (log) {
      const work = fail(3, new ValueError("inner"));
      yield* catching(ValueError, waitFor(work, 10), (e) => log.push(["ValueError", e.message, now()]));
    });
    assert.deepEqual(log, [["ValueError", "inner", 3], ["result", undefined], ["end", 3, 0, 1]]);
  });

  test("cancelling the waiter cancels the inner work, waits for it, and raises CancelledError", async () => {
    const log = await scenario(function* (log) {
      const work = onCancel(function* (e) {
        log.push(["inner-cancelled", now()]);
        yield* sleep(2);
        throw e;
      });
      const onCancelled = (_e: CancelledError, t: { cancelled(): boolean }) =>
        log.push(["outer-CancelledError", now(), t.cancelled()]);
      yield* cancelAfter(5, waitFor(work, 50), onCancelled);
    });
    assert.deepEqual(log, [
      ["inner-cancelled", 5],
      ["outer-CancelledError", 7, true],
      ["result", undefined],
      ["end", 7, 0, 1],
    ]);
  });

  test("entering a timeout or waiting for something already done never yields to the loop", async () => {
    const log = await scenario(function* (log) {
      const loop = getRunningLoop();
      const f = loop.createFuture<string>();
      f.setResult("r");
      loop.callSoon(() => log.push(["soon"]));
      log.push(["waitFor-done", yield* waitFor(f, 10)]);
      yield* timeout(5, function* () {
        log.push(["timeout-entered"]);
      });
      log.push(["after"]);
      yield* sleep(0);
      loop.callSoon(() => log.push(["soon2"]));
      log.push([
        "waitFor-coro",
        yield* waitFor(
          (function* () {
            return "q";
          })(),
          10,
        ),
      ]);
      yield* sleep(0);
    });
    assert.deepEqual(log, [
      ["waitFor-done", "r"],
      ["timeout-entered"],
      ["after"],
      ["soon"],
      ["waitFor-coro", "q"],
      ["soon2"],
      ["result", undefined],
      ["end", 0, 0, 1],
    ]);
  });

  test("work finishing exactly at the deadline: the timeout's timer was scheduled first and wins", async () => {
    const log = await scenario(function* (log) {
      function* logValue(): Coroutine<void> {
        log.push(["value", yield* waitFor(later(10, "work"), 10)]);
      }
      yield* logTimeout(log, logValue());
    });
    assert.deepEqual(log, [["TimeoutError", 10], ["result", undefined], ["end", 10, 0, 1]]);
  });
});

describe("timeout(): a deadline that is exactly now", () => {
  // CPython's reschedule: `when <= loop.time()` → call_soon, so the expiry runs before what the body
  // schedules next; a call_at would run after it (due timers come after the ready callbacks).
  test("timeout(0) and reschedule(time()) expire before a callback the body schedules after entering", async () => {
    const log = await scenario(function* (log) {
      const loop = getRunningLoop();
      let cm!: Timeout;
      yield* logTimeout(
        log,
        timeout(0, function* (t) {
          cm = t;
          loop.callSoon(() => log.push(["soon", cm.expired()]));
          yield* sleep(1000);
        }),
        () => [cm.expired()],
      );
      let cm2!: Timeout;
      yield* logTimeout(
        log,
        timeout(null, function* (t) {
          cm2 = t;
          t.reschedule(loop.time());
          loop.callSoon(() => log.push(["soon2", cm2.expired()]));
          yield* sleep(1000);
        }),
        () => [cm2.expired()],
      );
    });
    // CPython 3.13: [('soon', True), ('timeout', True), ('soon2', True), ('timeout2', True)]
    assert.deepEqual(log, [
      ["soon", true],
      ["TimeoutError", 0, true],
      ["soon2", true],
      ["TimeoutError", 0, true],
      ["result", undefined],
      ["end", 0, 0, 1],
    ]);
  });
});

describe("timeout(): an ExceptionGroup raised on expiry", () => {
  test("each sub-exception without a cause gets a TimeoutError as its cause (CPython chains one into each)", async () => {
    const log = await scenario(function* (log) {
      function* child(): Coroutine<void> {
        yield* onCancel(function* () {
          throw new ValueError("on cancel");
        });
      }
      try {
        yield* timeout(10, function* () {
          yield* taskGroup(function* (tg) {
            tg.createTask(child());
            yield* sleep(100);
          });
        });
      } catch (e) {
        assert.ok(e instanceof ExceptionGroup);
        const sub = e.exceptions[0] as Error;
        log.push([errName(e), errName(sub), errName(sub.cause), now()]);
        log.push(["group cause", e.cause === undefined]);
      }
    });
    // CPython 3.13: ExceptionGroup ValueError, its __context__ a TimeoutError (whose context is the
    // CancelledError); the group is raised `from None`, so the TimeoutError chained into its
    // __context__ is suppressed (__suppress_context__ True, __cause__ None): the group shows no cause.
    assert.deepEqual(log, [
      ["ExceptionGroup", "ValueError", "TimeoutError", 10],
      ["group cause", true],
      ["result", undefined],
      ["end", 10, 0, 1],
    ]);
  });
});

describe("timeout(): entered with a cancellation request already counted", () => {
  test("expiry is still a TimeoutError; the earlier request stays counted (cancelling() 1)", async () => {
    const log = await scenario(function* (log) {
      currentTask()!.cancel();
      yield* catching(CancelledError, sleep(0), () => log.push(["swallowed", currentTask()!.cancelling()]));
      yield* logTimeout(
        log,
        timeout(10, function* () {
          yield* sleep(100);
        }),
        () => [currentTask()!.cancelling()],
      );
    });
    // CPython 3.13: swallowed 1, then TimeoutError with cancelling() 1
    assert.deepEqual(log, [["swallowed", 1], ["TimeoutError", 10, 1], ["result", undefined], ["end", 10, 1, 1]]);
  });
});

describe("waitFor(): the TimeoutError's cause", () => {
  test("is the CancelledError it replaces, with a timeout of 0 as with a deadline (CPython: raise TimeoutError from exc)", async () => {
    const log = await scenario(function* (log) {
      const t = createTask(sleep(100));
      yield* sleep(1);
      yield* catching(TimeoutError, waitFor(t, 0), (e) => log.push(["zero", errName(e.cause), t.cancelled()]));
      yield* catching(TimeoutError, waitFor(sleep(100), 5), (e) => log.push(["deadline", errName(e.cause), now()]));
    });
    assert.deepEqual(log, [["zero", "CancelledError", true], ["deadline", "CancelledError", 6], ["result", undefined], ["end", 6, 0, 1]]);
  });
});

describe("waitFor(): timeout 0 on something already done", () => {
  test("returns its result without yielding to the loop (CPython: `if fut.done(): return fut.result()`)", async () => {
    const log = await scenario(function* (log) {
      const loop = getRunningLoop();
      const f = loop.createFuture<number>();
      f.setResult(7);
      loop.callSoon(() => log.push(["soon"]));
      log.push(["waitFor", yield* waitFor(f, 0)]);
      const failed = loop.createFuture<number>();
      failed.setException(new ValueError("v"));
      loop.callSoon(() => log.push(["soon2"]));
      yield* catching(ValueError, waitFor(failed, -1), (e) => log.push(["raised", e.message]));
      yield* sleep(0);
    });
    assert.deepEqual(log, [
      ["waitFor", 7],
      ["raised", "v"],
      ["soon"],
      ["soon2"],
      ["result", undefined],
      ["end", 0, 0, 1],
    ]);
  });
});

describe("Timeout: toString() and when() in each state", () => {
  test("created, active (with when=), expiring, expired, finished, as CPython's repr", async () => {
    const log = await scenario(function* (log) {
      const fresh = new Timeout(30);
      log.push([String(fresh), fresh.when()]);
      let cm!: Timeout;
      yield* catching(
        TimeoutError,
        timeout(10, function* (t) {
          cm = t;
          log.push([String(t), t.when(), t.expired()]);
          t.reschedule(20);
          log.push([String(t), t.when()]);
          try {
            yield* sleep(100);
          } catch (e) {
            log.push([String(t), t.when(), t.expired()]);
            throw e;
          }
        }),
        () => {},
      );
      log.push([String(cm), cm.when(), cm.expired()]);
      yield* timeout(null, function* (t) {
        cm = t;
        log.push([String(t)]);
      });
      log.push([String(cm), cm.when(), cm.expired()]);
    });
    assert.deepEqual(log, [
      ["<Timeout [created]>", 30],
      ["<Timeout [active] when=10>", 10, false],
      ["<Timeout [active] when=20>", 20],
      ["<Timeout [expiring]>", 20, true],
      ["<Timeout [expired]>", 20, true],
      ["<Timeout [active] when=null>"],
      ["<Timeout [finished]>", null, false],
      ["result", undefined],
      ["end", 20, 0, 1],
    ]);
  });
});

describe("Timeout: rounding in toString(), and aexit out of turn", () => {
  test("toString() rounds when= to whole ms (CPython: round(when, 3) seconds); when() keeps it exact", async () => {
    const log = await scenario(function* (log) {
      yield* timeoutAt(12.3456, function* (t) {
        log.push([String(t), t.when()]);
        t.reschedule(12.5);
        log.push([String(t)]);
      });
    });
    assert.deepEqual(log.slice(0, 2), [["<Timeout [active] when=12>", 12.3456], ["<Timeout [active] when=13>"]]);
  });

  test("aexit before aenter, or after the exit: RuntimeError (CPython asserts), and nothing changes", async () => {
    const log = await scenario(function* (log) {
      const t = new Timeout(10);
      yield* catching(RuntimeError, t.aexit({ failed: false }), (e) => log.push([e.message, String(t)]));
      yield* asyncWith(t, () => sleep(1));
      yield* catching(RuntimeError, t.aexit({ failed: false }), (e) => log.push([e.message, String(t)]));
    });
    assert.deepEqual(log.slice(0, 2), [
      ["Timeout has not been entered", "<Timeout [created]>"],
      ["Timeout has already been exited", "<Timeout [finished]>"],
    ]);
  });
});

describe("timeout(): the deadline starts when it is awaited", () => {
  test("timeout(ms, body) made early counts ms from the await; made outside a loop it does not throw", async () => {
    const early = timeout(10, function* (t) {
      return t.when();
    });
    const log = await scenario(function* (log) {
      log.push(["outside-loop", yield* early]);
      const co = timeout(10, function* (t) {
        log.push(["entered", now(), t.when()]);
        yield* sleep(8);
        return "in time";
      });
      yield* sleep(5);
      log.push(["value", yield* co, now()]);
    });
    assert.deepEqual(log, [
      ["outside-loop", 10],
      ["entered", 5, 15],
      ["value", "in time", 13],
      ["result", undefined],
      ["end", 13, 0, 1],
    ]);
  });
});

describe("Timeout.reschedule(): a bad deadline", () => {
  test("NaN is a ValueError, a string a TypeError; the deadline and its timer stay as they were", async () => {
    const log = await scenario(function* (log) {
      yield* catching(
        TimeoutError,
        timeout(10, function* (t) {
          for (const bad of [NaN, "5" as unknown as number]) {
            try {
              t.reschedule(bad);
              log.push(["accepted", bad]);
            } catch (e) {
              log.push([errName(e), t.when(), String(t)]);
            }
          }
          yield* sleep(100);
        }),
        (e) => log.push([errName(e), now()]),
      );
    });
    assert.deepEqual(log, [
      ["ValueError", 10, "<Timeout [active] when=10>"],
      ["TypeError", 10, "<Timeout [active] when=10>"],
      ["TimeoutError", 10],
      ["result", undefined],
      ["end", 10, 0, 1],
    ]);
  });
});

describe("timeoutAt(): a bad deadline", () => {
  test("NaN is a ValueError and a string a TypeError at the call, before any loop runs; the body never runs", () => {
    let ran = false;
    const body = function* (): Coroutine<void> {
      ran = true;
    };
    assert.throws(() => timeoutAt(NaN, body), ValueError);
    assert.throws(() => timeoutAt("5" as unknown as number, body), TypeError);
    assert.throws(() => timeout(NaN, body), ValueError);
    assert.equal(ran, false);
  });
});
