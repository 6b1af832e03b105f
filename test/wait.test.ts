// wait (FIRST_COMPLETED / FIRST_EXCEPTION / ALL_COMPLETED, timeout never raises nor cancels) and
// asCompleted (completion order, timeout). Every ordering below is what CPython 3.13 prints for
// test/python/wait.py (run: PYENV_VERSION=3.13.0 python3 test/python/wait.py). Delays are ms here.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  wait,
  sleep,
  waitFor,
  asCompleted,
  allTasks,
  createTask,
  currentTask,
  getRunningLoop,
  TimeoutError,
  ValueError,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  ALL_COMPLETED,
  type Coroutine,
  type Future,
} from "../src/index.js";
import { vrun, now, later, fail } from "./helpers.js";

/** Sorted task names of a set, as the Python scenarios print them. */
const names = (s: Set<Future<unknown>>): string[] =>
  [...s].map((t) => (t as unknown as { getName(): string }).getName()).sort();

// ---- wait ----

test("wait: ALL_COMPLETED by default, [done, pending] as two Sets", async () => {
  let ev: unknown[] = [];
  await vrun(function* () {
    const ts = [30, 10, 20].map((d) => createTask(later(d, d), { name: `t${d}` }));
    const [done, pending] = yield* wait(ts);
    assert.ok(done instanceof Set && pending instanceof Set);
    ev = [names(done), names(pending), now()];
    const [done2] = yield* wait(ts, { returnWhen: ALL_COMPLETED });
    assert.equal(done2.size, 3);
  });
  assert.deepEqual(ev, [["t10", "t20", "t30"], [], 30]);
});

test("wait: FIRST_COMPLETED returns at the first completion; the others keep running", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const ts = [30, 10, 20].map((d) => createTask(later(d, d, ev, `t${d}`, false), { name: `t${d}` }));
    const [done, pending] = yield* wait(ts, { returnWhen: FIRST_COMPLETED });
    ev.push(["wait returned", names(done), names(pending), now()]);
    yield* wait(pending);
    ev.push(["rest", now()]);
  });
  assert.deepEqual(ev, [
    ["t10 done", 10],
    ["wait returned", ["t10"], ["t20", "t30"], 10],
    ["t20 done", 20],
    ["t30 done", 30],
    ["rest", 30],
  ]);
});

test("wait: FIRST_COMPLETED with two completing at the same time returns both in done", async () => {
  let ev: unknown[] = [];
  await vrun(function* () {
    const a = createTask(later(10, "a"), { name: "a" });
    const b = createTask(later(10, "b"), { name: "b" });
    const c = createTask(later(20, "c"), { name: "c" });
    const [done, pending] = yield* wait([a, b, c], { returnWhen: FIRST_COMPLETED });
    ev = [names(done), names(pending), now()];
    yield* c;
  });
  assert.deepEqual(ev, [["a", "b"], ["c"], 10]);
});

test("wait: FIRST_EXCEPTION returns at the first error, or when all are done if none fails", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const a = createTask(later(10, "a"), { name: "a" });
    const b = createTask(fail(20, new Error("b")), { name: "b" });
    const c = createTask(later(30, "c"), { name: "c" });
    let [done, pending] = yield* wait([a, b, c], { returnWhen: FIRST_EXCEPTION });
    ev.push(["with an error", names(done), names(pending), now()]);
    const d = createTask(later(5, "d"), { name: "d" });
    const e = createTask(later(15, "e"), { name: "e" });
    [done, pending] = yield* wait([d, e], { returnWhen: FIRST_EXCEPTION });
    ev.push(["without errors: all", names(done), names(pending), now()]);
    yield* c;
  });
  assert.deepEqual(ev, [
    ["with an error", ["a", "b"], ["c"], 20],
    ["without errors: all", ["d", "e"], [], 35],
  ]);
});

test("wait: FIRST_EXCEPTION does not return for a cancelled task, nor for an already-cancelled one (CPython 3.13)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const a = createTask(later(5, "a"), { name: "a" });
    const b = createTask(later(1000, "b"), { name: "b" });
    const c = createTask(later(20, "c"), { name: "c" });
    const gone = createTask(later(1000, "gone"), { name: "gone" });
    yield* sleep(0);
    gone.cancel();
    yield* sleep(0);
    createTask(
      (function* () {
        yield* sleep(2);
        b.cancel();
      })(),
    );
    const [done, pending] = yield* wait([gone, a, b, c], { returnWhen: FIRST_EXCEPTION });
    ev.push([names(done), names(pending), now(), gone.cancelled(), b.cancelled()]);
  });
  assert.deepEqual(ev, [[["a", "b", "c", "gone"], [], 20, true, true]]);
});

test("wait: FIRST_EXCEPTION reads the error that ends it (not reported), not the last one's (CPython 3.13)", async () => {
  const reports: string[] = [];
  await vrun(function* () {
    getRunningLoop().setExceptionHandler((_l, ctx) => reports.push(String((ctx.exception as Error).message)));
    const a = createTask(fail(10, new ValueError("first")), { name: "a" });
    const b = createTask(later(50, "b"), { name: "b" });
    const [done, pending] = yield* wait([a, b], { returnWhen: FIRST_EXCEPTION });
    assert.deepEqual([names(done), names(pending)], [["a"], ["b"]]);
    // The last to finish ends the wait by the count: its error is not read.
    const c = createTask(fail(10, new ValueError("last")), { name: "c" });
    yield* wait([c], { returnWhen: FIRST_EXCEPTION });
    // ALL_COMPLETED reads nothing.
    const d = createTask(fail(10, new ValueError("all")), { name: "d" });
    yield* wait([d, createTask(later(20, "e"))]);
  });
  assert.deepEqual(reports, ["last", "all"]);
});

test("wait: a timeout never raises and never cancels", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const a = createTask(later(10, "a", ev, "a", false), { name: "a" });
    const b = createTask(later(100, "b", ev, "b", false), { name: "b" });
    let [done, pending] = yield* wait([a, b], { timeout: 50 });
    ev.push(["wait returned", names(done), names(pending), now(), b.cancelled()]);
    ev.push(["b", yield* b, now()]);
    const c = createTask(later(10, "c"), { name: "c" });
    [done, pending] = yield* wait([c], { timeout: 0 });
    ev.push(["timeout 0", names(done), names(pending), now()]);
    yield* c;
  });
  assert.deepEqual(ev, [
    ["a done", 10],
    ["wait returned", ["a"], ["b"], 50, false],
    ["b done", 100],
    ["b", "b", 100],
    ["timeout 0", [], ["c"], 100],
  ]);
});

test("wait: a failed awaitable is just done; wait itself does not throw", async () => {
  let ev: unknown[] = [];
  await vrun(function* () {
    const err = new Error("b");
    const b = createTask(fail(5, err), { name: "b" });
    const [done] = yield* wait([b]);
    ev = [names(done), b.exception() === err];
  });
  assert.deepEqual(ev, [["b"], true]);
});

test("wait: bad input — empty (array or Set) and an unknown returnWhen are ValueErrors; coroutines and a lone future are TypeErrors", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const errorName = function* (body: () => Coroutine<unknown>): Coroutine<string> {
      try {
        yield* body();
        return "no error";
      } catch (e) {
        return e instanceof ValueError ? "ValueError" : e instanceof TypeError ? "TypeError" : String(e);
      }
    };
    ev.push(["empty", yield* errorName(() => wait([]))]);
    ev.push(["empty set", yield* errorName(() => wait(new Set<Future<unknown>>()))]);
    const t = createTask(later(1, 1));
    ev.push(["bad returnWhen", yield* errorName(() => wait([t], { returnWhen: "SOMETIMES" as never }))]);
    // CPython 3.11+: "Passing coroutines is forbidden, use tasks explicitly."
    const co = later(1, 1);
    ev.push(["coroutine", yield* errorName(() => wait([co as never]))]);
    ev.push(["a single future", yield* errorName(() => wait(t as never))]);
    yield* t;
  });
  assert.deepEqual(ev, [
    ["empty", "ValueError"],
    ["empty set", "ValueError"],
    ["bad returnWhen", "ValueError"],
    ["coroutine", "TypeError"],
    ["a single future", "TypeError"],
  ]);
});

test("wait: duplicates count once; already done futures are in done", async () => {
  let ev: unknown[] = [];
  await vrun(function* () {
    const f = getRunningLoop().createFuture<number>();
    f.setResult(1);
    const t = createTask(later(5, 5), { name: "t" });
    const [done, pending] = yield* wait([f, f, t]);
    ev = [done.size, pending.size, now()];
  });
  assert.deepEqual(ev, [2, 0, 5]);
});

test("wait on done futures still suspends once (callbacks go through the loop)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const f = getRunningLoop().createFuture<number>();
    f.setResult(1);
    createTask(
      (function* (): Coroutine<void> {
        ev.push("other");
      })(),
    );
    const [done, pending] = yield* wait([f]);
    ev.push(["wait returned", done.size, pending.size]);
  });
  assert.deepEqual(ev, ["other", ["wait returned", 1, 0]]);
});

// ---- asCompleted ----

/** Awaits asCompleted's awaitables in turn, logging `[value, time]`, or `onError(e)` for one that throws. */
function* eachCompleted(
  ev: unknown[],
  aws: Iterable<Coroutine<unknown>>,
  onError: (e: unknown) => unknown[] = (e) => {
    throw e;
  },
): Coroutine<void> {
  for (const aw of aws) {
    try {
      ev.push([yield* aw, now()]);
    } catch (e) {
      ev.push(onError(e));
    }
  }
}

test("asCompleted yields in completion order", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    yield* eachCompleted(ev, asCompleted([later(30, "a"), later(10, "b"), later(20, "c")]));
  });
  assert.deepEqual(ev, [
    ["b", 10],
    ["c", 20],
    ["a", 30],
  ]);
});

test("asCompleted accepts a Set of tasks", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const ts = new Set([3, 1, 2].map((d) => createTask(later(d, d))));
    yield* eachCompleted(ev, asCompleted(ts));
  });
  assert.deepEqual(ev, [
    [1, 1],
    [2, 2],
    [3, 3],
  ]);
});

test("asCompleted: an error is thrown by the awaitable of its turn", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const aws = asCompleted<unknown>([fail(20, new Error("late")), later(10, "ok")]);
    yield* eachCompleted(ev, aws, (e) => ["error", (e as Error).message, now()]);
  });
  assert.deepEqual(ev, [
    ["ok", 10],
    ["error", "late", 20],
  ]);
});

test("asCompleted: at the timeout the next awaitable throws TimeoutError; nothing is cancelled", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const slow = createTask(later(100, "slow", ev, "slow", false));
    for (const aw of asCompleted([later(10, "fast"), slow], { timeout: 50 })) {
      try {
        ev.push([yield* aw, now()]);
      } catch (e) {
        assert.ok(e instanceof TimeoutError);
        ev.push(["TimeoutError", now(), slow.cancelled()]);
        break;
      }
    }
    yield* slow;
    ev.push(["slow still finishes", slow.result(), now()]);
  });
  assert.deepEqual(ev, [
    ["fast", 10],
    ["TimeoutError", 50, false],
    ["slow done", 100],
    ["slow still finishes", "slow", 100],
  ]);
});

test("asCompleted: after the deadline every remaining awaitable throws TimeoutError", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const aws = asCompleted([later(100, "x"), later(200, "y"), later(10, "z")], { timeout: 50 });
    yield* eachCompleted(ev, aws, (e) => {
      assert.ok(e instanceof TimeoutError);
      return ["TimeoutError", now()];
    });
  });
  assert.deepEqual(ev, [
    ["z", 10],
    ["TimeoutError", 50],
    ["TimeoutError", 50],
  ]);
});

test("asCompleted iterated only after its timeout: finished ones first in completion order, then TimeoutError('') for the rest, which run on", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const aws = asCompleted([later(10, "a"), later(100, "b"), later(30, "c")], { timeout: 50 });
    yield* sleep(60);
    for (const aw of aws) {
      try {
        ev.push([yield* aw, now()]);
      } catch (e) {
        ev.push([e instanceof TimeoutError, (e as Error).message, now()]);
      }
    }
    const [b] = [...allTasks()].filter((t) => t !== currentTask());
    ev.push(["left running", allTasks().size]);
    yield* sleep(50);
    ev.push(["b", b?.result(), allTasks().size]);
  });
  assert.deepEqual(ev, [
    ["a", 60],
    ["c", 60],
    [true, "", 60],
    ["left running", 2],
    ["b", "b", 1],
  ]);
});

test("asCompleted: empty input yields nothing; a duplicate coroutine counts once", async () => {
  let ev: unknown[] = [];
  await vrun(function* () {
    const empty = [...asCompleted([])].length;
    const c = later(1, "v");
    let n = 0;
    for (const aw of asCompleted([c, c])) {
      yield* aw;
      n++;
    }
    ev = [empty, n];
  });
  assert.deepEqual(ev, [0, 1]);
});

// ---- bad input: every mistake below used to be silent or to fail with V8's "is not iterable" ----

/** The error `body` throws when awaited (`undefined` if none). */
function* thrownBy(body: () => Coroutine<unknown>): Coroutine<unknown> {
  try {
    yield* body();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Asserts that `e` is an instance of `cls` whose message matches `re`. */
function assertError(e: unknown, cls: abstract new (...a: never[]) => Error, re: RegExp): void {
  assert.ok(e instanceof cls, `expected a ${cls.name}, got ${String(e)}`);
  assert.match(e.message, re);
}

/** `assert.throws` validator: an instance of `cls` whose message matches `re`. */
const errorLike = (cls: abstract new (...a: never[]) => Error, re: RegExp) => (e: unknown): true => {
  assertError(e, cls, re);
  return true;
};

test("wait: a number as options (Python's positional timeout) is a TypeError saying { timeout: … }, before any waiting", async () => {
  let ev: unknown[] = [];
  await vrun(function* () {
    const t = createTask(later(1e6, "slow"));
    const e = yield* thrownBy(() => wait([t], 1000 as never));
    assertError(e, TypeError, /^wait: the options must be an object such as \{ timeout: 1000 \}.*got a number \(1000\)/);
    ev = [now(), t.done()];
    t.cancel();
  });
  assert.deepEqual(ev, [0, false]);
});

test("wait: options that are null or not a plain object, an unknown key, a bad timeout are errors", async () => {
  await vrun(function* () {
    const t = createTask(later(1, 1));
    assertError(yield* thrownBy(() => wait([t], null as never)), TypeError, /^wait: the options must be an object.*got null/);
    assertError(yield* thrownBy(() => wait([t], new Map() as never)), TypeError, /^wait: the options must be an object.*got an object of class Map/);
    assertError(yield* thrownBy(() => wait([t], { timout: 5 } as never)), TypeError, /^wait: unknown option "timout"; the options are timeout, returnWhen/);
    assertError(yield* thrownBy(() => wait([t], { timeout: "5" as never })), TypeError, /^wait: timeout must be a number of milliseconds, got string/);
    assertError(yield* thrownBy(() => wait([t], { timeout: NaN })), ValueError, /^wait: timeout must not be NaN/);
    assertError(yield* thrownBy(() => wait([t], { returnWhen: "first" as never })), ValueError, /^Invalid returnWhen value: first/);
    // explicit undefined and null mean "no limit"
    const [done] = yield* wait([t], { timeout: undefined, returnWhen: undefined });
    const [done2] = yield* wait([t], { timeout: null });
    assert.deepEqual([done.size, done2.size, now()], [1, 1, 1]);
  });
});

// CPython 3.13 answers wait(None) with ValueError('Set of Tasks/Futures is empty.'), an accident of
// its `if not fs` test; null is not an empty collection, so it is a TypeError here, as for
// asCompleted(null) (a TypeError in CPython too). A non-iterable is a TypeError in both.
test("wait: null, a number, a string or a Map instead of the collection are TypeErrors; a Promise element names fromPromise", async () => {
  await vrun(function* () {
    assertError(yield* thrownBy(() => wait(null as never)), TypeError, /^wait: expects an array or Set of futures, got null$/);
    assertError(yield* thrownBy(() => wait(undefined as never)), TypeError, /^wait: expects an array or Set of futures, got undefined$/);
    assertError(yield* thrownBy(() => wait(5 as never)), TypeError, /^wait: expects an array or Set of futures, got a number \(5\)$/);
    assertError(yield* thrownBy(() => wait("ab" as never)), TypeError, /^wait: expects an array or Set of futures, got a string \(ab\)$/);
    assertError(yield* thrownBy(() => wait([Promise.resolve(1)] as never)), TypeError, /^wait: expects futures or tasks, got a Promise or thenable; wrap a Promise with fromPromise/);
    assertError(yield* thrownBy(() => wait([null] as never)), TypeError, /^wait: expects futures or tasks, got null$/);
    // A Map iterates [key, value] pairs (a Python dict gives its keys): the message says what to pass.
    const t = createTask(sleep(1));
    assertError(yield* thrownBy(() => wait(new Map([[t, 1]]) as never)), TypeError,
      /^wait: expects an array or Set of futures, got a Map: pass map.keys\(\) or map.values\(\)$/);
    assert.throws(() => asCompleted(new Map([[t, 1]]) as never), errorLike(TypeError, /^asCompleted: expects an array or Set of awaitables, got a Map/));
    yield* t;
  });
});

test("asCompleted: a number as options, an unknown key or a bad timeout throw at once and schedule nothing", async () => {
  await vrun(function* () {
    const before = allTasks().size;
    const c = later(1e6, "slow");
    assert.throws(() => asCompleted([c], 1000 as never),
      errorLike(TypeError, /^asCompleted: the options must be an object such as \{ timeout: 1000 \}.*got a number \(1000\)/));
    assert.throws(() => asCompleted([c], { timout: 5 } as never), errorLike(TypeError, /^asCompleted: unknown option "timout"; the options are timeout$/));
    assert.throws(() => asCompleted([c], { timeout: NaN }), errorLike(ValueError, /^asCompleted: timeout must not be NaN/));
    assert.throws(() => asCompleted([c], { returnWhen: FIRST_COMPLETED } as never), errorLike(TypeError, /unknown option "returnWhen"/));
    assert.equal(allTasks().size, before);
  });
});

test("asCompleted: null or a number instead of the collection, a Promise or a generator function among it are TypeErrors; no task is created", async () => {
  await vrun(function* () {
    const before = allTasks().size;
    assert.throws(() => asCompleted(null as never), errorLike(TypeError, /^asCompleted: expects an array or Set of awaitables, got null$/));
    assert.throws(() => asCompleted(5 as never), errorLike(TypeError, /^asCompleted: expects an array or Set of awaitables, got a number \(5\)$/));
    const c = later(1, "ok");
    // the coroutine before the bad element is not wrapped in a task (it would run unawaited)
    assert.throws(() => asCompleted([c, Promise.resolve(1)] as never),
      errorLike(TypeError, /^asCompleted: a coroutine was expected, got a Promise or thenable: .*fromPromise/));
    assert.throws(() => asCompleted([c, later] as never),
      errorLike(TypeError, /^asCompleted: a coroutine was expected, got a function \(later\): call the generator function/));
    assert.equal(allTasks().size, before);
  });
});

test("waitFor: a Promise, a generator function, null, an array are TypeErrors that say what to write", async () => {
  await vrun(function* () {
    const genFn = function* (): Coroutine<number> {
      return 1;
    };
    for (const ms of [10, 0, null]) {
      assertError(yield* thrownBy(() => waitFor(Promise.resolve(1) as never, ms)), TypeError,
        /^waitFor: a coroutine was expected, got a Promise or thenable: a Promise is not a coroutine; wrap it with fromPromise/);
      assertError(yield* thrownBy(() => waitFor(genFn as never, ms)), TypeError,
        /^waitFor: a coroutine was expected, got a function \(genFn\): call the generator function/);
      assertError(yield* thrownBy(() => waitFor(null as never, ms)), TypeError, /^waitFor: a coroutine was expected, got null$/);
      assertError(yield* thrownBy(() => waitFor([later(1, 1)] as never, ms)), TypeError,
        /^waitFor: an awaitable was expected, got an array; to await several together, pass gather\(\.\.\.list\)/);
    }
    assertError(yield* thrownBy(() => waitFor(later(1, 1), { timeout: 5 } as never)), TypeError, /^waitFor: timeout must be a number of milliseconds, got object/);
    assert.equal(now(), 0);
  });
});

test("asCompleted: each completion wakes one waiting reader, the longest waiting (CPython 3.13 reads through a Queue)", async () => {
  const got: unknown[] = [];
  await vrun(function* () {
    const ts = [createTask(later(10, "r1")), createTask(later(20, "r2")), createTask(later(30, "r3"))];
    function* consumer(name: string, c: Coroutine<string>): Coroutine<void> {
      got.push([name, yield* c, now()]);
    }
    // A third reader starts in the iteration where r1 completes, before A runs (this callback comes
    // before asCompleted's): it takes r1, and A, woken for nothing, waits again behind B, as a getter
    // of CPython's Queue does.
    ts[0]!.addDoneCallback(() => {
      createTask(consumer("D", cs[2]!));
    });
    const cs = [...asCompleted(ts)];
    createTask(consumer("A", cs[0]!));
    createTask(consumer("B", cs[1]!));
    yield* sleep(40);
  });
  assert.deepEqual(got, [
    ["D", "r1", 10],
    ["B", "r2", 20],
    ["A", "r3", 30],
  ]);
});
