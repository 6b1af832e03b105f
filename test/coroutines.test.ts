// Coroutines: isCoroutine, laziness, inline awaiting, and the forgotten `*` (a bare `yield`).
// Every ordering below is what CPython 3.13 prints for test/python/coroutines.py
// (run: PYENV_VERSION=3.13.0 python3 test/python/coroutines.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { sleep, createTask, isCoroutine, getRunningLoop, Lock, type Coroutine } from "../src/index.js";
import { vrun, now, fail } from "./helpers.js";

test("isCoroutine: a generator object is one; its function, futures, tasks, promises and plain values are not", async () => {
  let ev: unknown[] = [];
  await vrun(function* () {
    function* co(): Coroutine<number> {
      return 1;
    }
    const c = co();
    const f = getRunningLoop().createFuture<number>();
    const t = createTask(co());
    const p = Promise.resolve(1);
    ev = [
      isCoroutine(c),
      isCoroutine(co),
      isCoroutine(f),
      isCoroutine(t),
      isCoroutine(null),
      isCoroutine({}),
      isCoroutine(42),
      isCoroutine(p),
      isCoroutine((async () => 1)()),
    ];
    yield* t;
  });
  // Python: [True, False, False, False, False, False, False]; the promises are JS-only extras.
  assert.deepEqual(ev, [true, false, false, false, false, false, false, false, false]);
});

test("a bare yield (the forgotten *) throws a TypeError into the coroutine that says to write yield*", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    function* child(): Coroutine<string> {
      try {
        yield 42 as never; // meant: yield* something
        ev.push("not reached");
      } catch (e) {
        // CPython: RuntimeError("Task got bad yield: 42"); asyncio-ts: TypeError naming yield*.
        assert.ok(e instanceof TypeError, String(e));
        assert.match(e.message, /yield\*/);
        ev.push("caught");
      }
      yield* sleep(1);
      ev.push(["goes on", now()]);
      return "ok";
    }
    const t = createTask(child());
    ev.push(yield* t);
  });
  assert.deepEqual(ev, ["caught", ["goes on", 1], "ok"]);
});

test("a bare yield of a coroutine names it as a coroutine (a primitive's wait by its repr)", async () => {
  const messages: string[] = [];
  await vrun(function* () {
    const lock = new Lock();
    function* child(): Coroutine<void> {
      function* work(): Coroutine<void> {}
      for (const co of [lock.acquire(), sleep(1), work()]) {
        try {
          yield co as never; // meant: yield* co
        } catch (e) {
          messages.push((e as Error).message);
        }
      }
    }
    yield* createTask(child(), { name: "w" });
    assert.equal(lock.locked(), false);
  });
  assert.deepEqual(messages.map((m) => m.split(";")[0]), [
    "Task w: a coroutine yielded a coroutine (<Lock.acquire() pending>) with a bare `yield`",
    "Task w: a coroutine yielded a coroutine (<Sleep pending ms=1>) with a bare `yield`",
    "Task w: a coroutine yielded a coroutine with a bare `yield`",
  ]);
});

test("a bare yield of undefined is the same mistake (CPython's bare yield is its sleep(0); ours is not)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    function* child(): Coroutine<void> {
      try {
        yield undefined as never;
      } catch (e) {
        ev.push([e instanceof TypeError, /yield\*/.test((e as Error).message)]);
      }
    }
    yield* createTask(child());
  });
  assert.deepEqual(ev, [[true, true]]);
});

test("a bare yield not caught fails the task with the TypeError", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    function* child(): Coroutine<void> {
      yield 42 as never;
    }
    const t = createTask(child());
    try {
      yield* t;
    } catch (e) {
      ev.push(["task failed", (t.exception() as Error).name, e === t.exception()]);
    }
  });
  // CPython: RuntimeError.
  assert.deepEqual(ev, [["task failed", "TypeError", true]]);
});

test("a bare yield in the main coroutine makes run() reject with the TypeError", async () => {
  await assert.rejects(
    vrun(function* (): Coroutine<void> {
      yield 1 as never;
    }),
    (e) => e instanceof TypeError && /yield\*/.test(e.message),
  );
});

test("coroutines are lazy: nothing runs until awaited", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    function* hello(): Coroutine<string> {
      ev.push("hello runs");
      return "h";
    }
    const c = hello();
    ev.push("created");
    yield* sleep(0);
    ev.push("after a loop iteration");
    ev.push(yield* c);
  });
  assert.deepEqual(ev, ["created", "after a loop iteration", "hello runs", "h"]);
});

test("yield* of a coroutine runs it inline, with no loop iteration in between", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    function* inner(): Coroutine<string> {
      ev.push("inner");
      return "i";
    }
    createTask(
      (function* (): Coroutine<void> {
        ev.push("other task");
      })(),
    );
    ev.push(yield* inner());
    ev.push("main goes on");
    yield* sleep(0);
  });
  assert.deepEqual(ev, ["inner", "i", "main goes on", "other task"]);
});

test("an error thrown deep in nested coroutines reaches the awaiter as the same object, finally blocks run", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const err = new Error("deep");
    function* middle(): Coroutine<never> {
      try {
        return yield* fail(2, err);
      } finally {
        ev.push("middle finally");
      }
    }
    try {
      yield* middle();
    } catch (e) {
      ev.push(["same", e === err, now()]);
    }
  });
  assert.deepEqual(ev, ["middle finally", ["same", true, 2]]);
});

test("createTask of a non-coroutine: the TypeError says what to write instead (ours; CPython only says a coroutine was expected)", async () => {
  const messages: string[] = [];
  await vrun(function* () {
    function* work(): Coroutine<number> {
      yield* sleep(1);
      return 1;
    }
    const fut = getRunningLoop().createFuture<number>();
    const task = createTask(work(), { name: "w" });
    for (const bad of [work, fut, task, () => 1, 42]) {
      try {
        createTask(bad as never);
      } catch (e) {
        assert.ok(e instanceof TypeError);
        messages.push(e.message);
      }
    }
    fut.cancel();
    yield* task;
  });
  assert.equal(messages.length, 5);
  assert.match(messages[0]!, /^Task: a coroutine was expected, got a function \(work\): call the generator function to get a coroutine object, e\.g\. main\(\) not main$/);
  assert.match(messages[1]!, /^Task: a coroutine was expected, got a Future or Task \(<Future pending>\): it is already scheduled; yield\* it directly$/);
  assert.match(messages[2]!, /^Task: a coroutine was expected, got a Future or Task \(<Task pending name='w'.*>\): it is already scheduled; yield\* it directly$/);
  assert.match(messages[3]!, /^Task: a coroutine was expected, got a function \(anonymous\): pass a coroutine object \(what a function\* returns\)$/);
  assert.match(messages[4]!, /^Task: a coroutine was expected, got a number \(42\)$/);
});
