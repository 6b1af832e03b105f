/**
 * `console.log` and Node's `util.inspect` show the runtime's objects as their `toString()` (Python's
 * repr), alone or nested in other values, instead of their fields (which reach the whole loop).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  createTask,
  getRunningLoop,
  sleep,
  taskGroup,
  timeout,
  Lock,
  Event,
  Queue,
  ExceptionGroup,
  ValueError,
  type Coroutine,
} from "../src/index.js";
import { vrun } from "./helpers.js";

test("futures, tasks, handles, the loop, timeouts, groups and a primitive's waits inspect as their toString()", async () => {
  const shown: string[] = [];
  const strings: string[] = [];
  const show = (x: { toString(): string }): void => {
    shown.push(inspect(x));
    strings.push(x.toString());
  };
  await vrun(function* () {
    const loop = getRunningLoop();
    const fut = loop.createFuture<number>();
    show(fut);
    const t = createTask(sleep(10), { name: "sleeper" });
    show(t);
    function namedCallback(): void {}
    show(loop.callSoon(namedCallback));
    const timer = loop.callLater(5, namedCallback);
    timer.cancel();
    show(timer);
    show(loop);
    yield* timeout(100, function* (to) {
      show(to);
    });
    yield* taskGroup(function* (tg) {
      show(tg);
    });
    const lock = new Lock();
    yield* lock.acquire();
    const acquire = lock.acquire();
    const waiter = createTask(acquire as Coroutine<true>);
    yield* sleep(0);
    show(acquire);
    show(waiter);
    lock.release();
    yield* waiter;
    lock.release();
    show(sleep(5));
    fut.setResult(42);
    show(fut);
    yield* t;
    show(t);
  });
  assert.deepEqual(shown, strings);
  assert.deepEqual(shown, [
    "<Future pending>",
    "<Task pending name='sleeper'>",
    "<Handle namedCallback()>",
    "<TimerHandle cancelled when=5>",
    "<EventLoop running clock=virtual debug=false>",
    "<Timeout [active] when=100>",
    "<TaskGroup entered>",
    "<Lock.acquire() pending>",
    "<Task pending name='Task-2' wait_for=<Lock.acquire() pending>>",
    "<Sleep pending ms=5>",
    "<Future finished result=42>",
    "<Task finished name='sleeper' result=undefined>",
  ]);
});

test("nested in arrays and objects, and the primitives as before", () => {
  const lock = new Lock();
  const q = new Queue<number>(1);
  assert.equal(inspect({ lock, waiting: [new Event()], q }), "{\n  lock: <Lock [unlocked]>,\n  waiting: [ <Event [unset]> ],\n  q: <Queue maxsize=1 [size:0, getters:0, putters:0, unfinished:0]>\n}");
});

test("an ExceptionGroup shows its errors once, as an AggregateError does; exceptions and baseMessage stay readable", () => {
  const boom = new ValueError("boom");
  const eg = new ExceptionGroup("several", [boom]);
  assert.deepEqual(Object.keys(eg), []);
  const shown = inspect(eg);
  assert.equal(shown.split("ValueError: boom").length - 1, 1, shown);
  assert.match(shown, /\[errors\]: \[/);
  assert.deepEqual(eg.exceptions, [boom]);
  assert.equal(eg.baseMessage, "several");
  assert.equal(eg.message, "several (1 sub-exception)");
});
