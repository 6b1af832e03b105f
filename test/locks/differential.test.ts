/**
 * Differential test against CPython 3.13: 600 random scripts of 2-6 tasks that use one Lock, one
 * Semaphore(2), one Event, one Condition and one Queue(2) — acquire and release (also when not
 * held), wait/set/clear, wait/notify/notifyAll under the condition's lock, put/get, sleeps, `waitFor`
 * on an acquire, and tasks cancelling each other (or themselves). test/locks/python/differential.py
 * ran every script on CPython and wrote its event log (every operation's outcome with the loop time,
 * the primitives' state once everything is blocked or done, then after cancelling what is left) to
 * differential-golden.json (with timers of equal deadlines pinned to scheduling order, the one order
 * CPython leaves unspecified, as test/python/vloop.py's deterministic()). asyncio-ts must produce the same logs: same orderings, same times, same
 * `toString()` states, same errors.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createTask,
  gather,
  getRunningLoop,
  sleep,
  waitFor,
  asyncWith,
  CancelledError,
  TimeoutError,
  type Coroutine,
  type Task,
} from "../../src/index.js";
import { Lock } from "../../src/locks/lock.js";
import { Semaphore } from "../../src/locks/semaphore.js";
import { Event } from "../../src/locks/event.js";
import { Condition } from "../../src/locks/condition.js";
import { Barrier } from "../../src/locks/barrier.js";
import { Queue } from "../../src/queues.js";
import { vrun, state, repoRoot } from "./helpers.js";

interface Case {
  script: string[][];
  log: unknown[][];
}

const goldenPath = (): string => join(repoRoot(), "test", "locks", "differential-golden.json");

function qstate(q: Queue<number>): number[] {
  const m = /\[size:(\d+), getters:(\d+), putters:(\d+), unfinished:(\d+)/.exec(String(q))!;
  return m.slice(1).map(Number);
}

function* play(script: string[][]): Coroutine<unknown[][]> {
  const loop = getRunningLoop();
  const log: unknown[][] = [];
  const lock = new Lock();
  const sem = new Semaphore(2);
  const ev = new Event();
  const cond = new Condition();
  const q = new Queue<number>(2);
  const barrier = new Barrier(3);
  const tasks: Task<void>[] = [];
  let counter = 0;

  function* doOp(k: number, i: number, op: string): Coroutine<void> {
    const out = (x: unknown): void => {
      log.push([loop.time(), k, i, op, x]);
    };
    try {
      if (op === "L+") out(yield* lock.acquire());
      else if (op === "L-") {
        lock.release();
        out("ok");
      } else if (op === "S+") out(yield* sem.acquire());
      else if (op === "S-") {
        sem.release();
        out("ok");
      } else if (op === "E?") out(yield* ev.wait());
      else if (op === "E!") {
        ev.set();
        out("ok");
      } else if (op === "E0") {
        ev.clear();
        out("ok");
      } else if (op === "C?") {
        yield* asyncWith(cond, function* () {
          out(yield* cond.wait());
        });
      } else if (op === "C!" || op === "C*") {
        yield* asyncWith(cond, function* () {
          if (op === "C!") cond.notify(1);
          else cond.notifyAll();
        });
        out("ok");
      } else if (op === "Q>") {
        const v = k * 100 + ++counter;
        yield* q.put(v);
        out(v);
      } else if (op === "Q<") out(yield* q.get());
      else if (op === "Qn") {
        const v = k * 100 + ++counter;
        q.putNowait(v);
        out(v);
      } else if (op === "Qg") out(q.getNowait());
      else if (op === "Qd") {
        q.taskDone();
        out("ok");
      } else if (op === "Qj") {
        yield* q.join();
        out("ok");
      } else if (op === "Qs" || op === "QS") {
        q.shutdown(op === "QS");
        out("ok");
      } else if (op === "B?") out(yield* barrier.wait());
      else if (op === "Br") {
        yield* barrier.reset();
        out("ok");
      } else if (op === "Ba") {
        yield* barrier.abort();
        out("ok");
      }
      else if (op === "z") {
        yield* sleep(0);
        out("ok");
      } else if (op[0] === "s") {
        yield* sleep(Number(op.slice(1)));
        out("ok");
      } else if (op[0] === "x") out(tasks[Number(op.slice(1))]!.cancel());
      else if (op[0] === "R") {
        // Release, then at once cancel a task (perhaps the waiter just woken).
        lock.release();
        out(tasks[Number(op.slice(1))]!.cancel());
      } else if (op[0] === "P") {
        sem.release();
        out(tasks[Number(op.slice(1))]!.cancel());
      } else if (op[0] === "W") {
        try {
          yield* waitFor(lock.acquire(), Number(op.slice(1)));
          out("acquired");
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
          out("timeout");
        }
      } else throw new Error(`unknown op ${op}`);
    } catch (e) {
      if (e instanceof CancelledError) {
        out("cancelled");
        throw e;
      }
      out((e as Error).name);
    }
  }

  function* body(k: number, ops: string[]): Coroutine<void> {
    for (let i = 0; i < ops.length; i++) yield* doOp(k, i, ops[i]!);
    log.push([loop.time(), k, "end"]);
  }

  script.forEach((ops, k) => tasks.push(createTask(body(k, ops))));
  yield* sleep(50);
  log.push([loop.time(), "quiescent", state(lock), state(sem), state(ev), state(cond), qstate(q), state(barrier), tasks.map((t) => t.done())]);
  for (const t of tasks) t.cancel();
  yield* gather(...tasks, { returnExceptions: true });
  log.push([loop.time(), "final", state(lock), state(sem), state(ev), state(cond), qstate(q), state(barrier), tasks.map((t) => t.cancelled())]);
  return log;
}

test("600 random scripts produce CPython's event logs", async () => {
  const cases = JSON.parse(readFileSync(goldenPath(), "utf8")) as Case[];
  assert.equal(cases.length, 600);
  for (const [n, c] of cases.entries()) {
    const log = await vrun(() => play(c.script));
    assert.deepEqual(log, c.log, `case ${n}: ${JSON.stringify(c.script)}`);
  }
});
