// Type tests for the public API: these are compile-time checks (expect-type); `tsc` fails if one
// does not hold. The runtime test only runs the typed coroutine and checks the values it typed
// (the same values as test/python/types_values.py prints).
import { test } from "node:test";
import assert from "node:assert/strict";
import { expectTypeOf } from "expect-type";
import {
  run,
  sleep,
  gather,
  shield,
  waitFor,
  wait,
  asCompleted,
  createTask,
  fromPromise,
  getRunningLoop,
  Future,
  Task,
  type Coroutine,
} from "../src/index.js";
import { vrun } from "./helpers.js";

function* num(): Coroutine<number> {
  yield* sleep(1);
  return 1;
}

function* str(): Coroutine<string> {
  yield* sleep(2);
  return "s";
}

/** Every awaitable gives its own type to `yield*`. Run by the test below, so the values are checked too. */
function* typed(): Coroutine<unknown[]> {
  const t = createTask(str());
  expectTypeOf(t).toEqualTypeOf<Task<string>>();
  const fromTask = yield* t;
  expectTypeOf(fromTask).toEqualTypeOf<string>();

  const fromCoroutine = yield* num();
  expectTypeOf(fromCoroutine).toEqualTypeOf<number>();

  const f = getRunningLoop().createFuture<boolean>();
  f.setResult(true);
  const fromFuture = yield* f;
  expectTypeOf(fromFuture).toEqualTypeOf<boolean>();

  const tuple = yield* gather(num(), str(), t, f);
  expectTypeOf(tuple).toEqualTypeOf<[number, string, string, boolean]>();

  const slept = yield* sleep(1, { k: 1 });
  expectTypeOf(slept).toEqualTypeOf<{ k: number }>();

  const shielded = yield* shield(createTask(num()));
  expectTypeOf(shielded).toEqualTypeOf<number>();

  const waited = yield* waitFor(str(), 100);
  expectTypeOf(waited).toEqualTypeOf<string>();

  const adopted = yield* fromPromise(Promise.resolve(10n));
  expectTypeOf(adopted).toEqualTypeOf<bigint>();

  const withSignal = fromPromise((signal) => {
    expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
    return Promise.resolve("p");
  });
  expectTypeOf(withSignal).toEqualTypeOf<Future<string>>();
  const fromSignalPromise = yield* withSignal;

  const completed: number[] = [];
  for (const aw of asCompleted([createTask(num()), createTask(num())])) {
    const v = yield* aw;
    expectTypeOf(v).toEqualTypeOf<number>();
    completed.push(v);
  }

  const [done, pending] = yield* wait([createTask(num())]);
  expectTypeOf(done).toExtend<Set<Future<number>>>();
  expectTypeOf(pending).toExtend<Set<Future<number>>>();

  return [fromTask, fromCoroutine, fromFuture, tuple, slept, shielded, waited, adopted, fromSignalPromise, completed, done.size];
}

/** Never called: only type-checked. Each line below must be a compile error. */
function* notAwaitable(): Coroutine<void> {
  // @ts-expect-error a number is not awaitable
  yield* 5;
  // @ts-expect-error a string is iterable, but yields strings, not suspensions
  yield* "abc";
  // @ts-expect-error an array of plain values is not awaitable
  yield* [1, 2];
  // @ts-expect-error a Promise is not awaitable with yield*: adopt it with fromPromise
  yield* Promise.resolve(1);
  // @ts-expect-error a bare yield (the forgotten `*`) of a value does not type-check
  yield 1;
  // @ts-expect-error the result type is kept: a Coroutine<number> does not give a string
  const s: string = yield* num();
  void s;
}
void notAwaitable;

/** Never called: type relations between the public classes. */
function relations(): void {
  expectTypeOf<Task<number>>().toExtend<Future<number>>();
  expectTypeOf<Future<number>>().toExtend<PromiseLike<number>>();
  expectTypeOf<Task<number>>().toExtend<PromiseLike<number>>();
  expectTypeOf<Coroutine<number>>().toExtend<Generator<unknown, number, unknown>>();
  expectTypeOf(run(num())).toEqualTypeOf<Promise<number>>();
  expectTypeOf(run(num)).toEqualTypeOf<Promise<number>>();
  // plain async code awaiting a task gets its type
  const fromAsync = async (t: Task<string>) => await t;
  expectTypeOf(fromAsync).returns.toEqualTypeOf<Promise<string>>();
  // gather of nothing is an empty tuple
  expectTypeOf(gather()).toEqualTypeOf<Future<[]>>();
  // primitives are not awaitables anywhere
  // @ts-expect-error a number is not an awaitable for gather
  gather(1, 2);
  // @ts-expect-error nor for createTask
  createTask(5);
  // @ts-expect-error nor for shield
  shield("x");
}
void relations;

test("the typed coroutine runs and returns the values its types describe", async () => {
  const r = await vrun(typed);
  assert.deepEqual(r, ["s", 1, true, [1, "s", "s", true], { k: 1 }, 1, "s", 10n, "p", [1, 1], 1]);
});
