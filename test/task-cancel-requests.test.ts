// Task.cancel() in detail: a request made during the task's own step goes to what it then awaits
// (on the plain step and on the step that throws an error in), the message of the last request
// made while the task was not waiting, and the reason of `signal` after several requests.
// Every ordering below is what CPython 3.13 prints for the same scenario (asyncio; `signal` is
// ours: its reason is the first request's, as task.signal's TSDoc says).
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, sleep, createTask, currentTask, getRunningLoop, CancelledError, type Coroutine } from "../src/index.js";
import { vrun, later, settle } from "./helpers.js";

test("a task that cancels itself, then awaits a pending future: the future is cancelled at once with the message (plain and debug steps)", async () => {
  for (const debug of [false, true]) {
    const ev: unknown[] = [];
    await run(
      function* () {
        const fut = getRunningLoop().createFuture<number>();
        const t = createTask(
          (function* (): Coroutine<void> {
            currentTask()!.cancel("during step");
            try {
              yield* fut;
            } catch (e) {
              ev.push(["caught", (e as Error).name, (e as Error).message, fut.cancelled(), currentTask()!.cancelling()]);
              throw e;
            }
          })(),
        );
        yield* settle(t);
        ev.push(["t", t.cancelled()]);
      },
      { clock: "virtual", debug },
    );
    assert.deepEqual(ev, [["caught", "CancelledError", "during step", true, 1], ["t", true]], `debug=${debug}`);
  }
});

test("a request made in the step that delivered a CancelledError goes to the next future awaited, with its message", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const loop = getRunningLoop();
    const f1 = loop.createFuture<number>();
    const f2 = loop.createFuture<number>();
    const t = createTask(
      (function* (): Coroutine<void> {
        try {
          yield* f1;
        } catch (e) {
          ev.push(["first", (e as Error).message]);
          currentTask()!.cancel("again");
          try {
            yield* f2;
          } catch (e2) {
            ev.push(["second", (e2 as Error).message, f2.cancelled(), currentTask()!.cancelling()]);
            throw e2;
          }
        }
      })(),
    );
    yield* sleep(0);
    f1.setResult(1);
    t.cancel("x"); // too late for f1: thrown in at the next step
    yield* settle(t);
    ev.push(["t", t.cancelled()]);
  });
  assert.deepEqual(ev, [["first", "x"], ["second", "again", true, 2], ["t", true]]);
});

test("cancel(msg) then cancel() before the task runs: the last request's message (none) is the one raised", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(later(1000, 0));
    t.cancel("a");
    t.cancel();
    const u = createTask(later(1000, 0));
    u.cancel("a");
    u.cancel("b");
    for (const [name, task] of [["t", t], ["u", u]] as const) {
      try {
        yield* task;
      } catch (e) {
        ev.push([name, (e as Error).name, (e as Error).message]);
      }
    }
  });
  assert.deepEqual(ev, [["t", "CancelledError", ""], ["u", "CancelledError", "b"]]);
});

test("task.signal asked for after cancel('first') and cancel('second'): the reason is the first request's", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const d = createTask(later(10, 0));
    yield* sleep(0);
    d.cancel("first");
    d.cancel("second");
    ev.push([d.signal.aborted, d.signal.reason instanceof CancelledError, (d.signal.reason as Error).message]);
    yield* settle(d);
  });
  assert.deepEqual(ev, [[true, true, "first"]]);
});

test("uncancel() before the task resumes: the request made while it was not waiting is withdrawn, the task goes on", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(
      (function* (): Coroutine<string> {
        currentTask()!.cancel();
        ev.push(["uncancel", currentTask()!.uncancel()]);
        yield* sleep(10);
        return "ok";
      })(),
    );
    ev.push(["result", yield* t, t.cancelled()]);
  });
  assert.deepEqual(ev, [["uncancel", 0], ["result", "ok", false]]);
});
