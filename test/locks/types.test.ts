// Type tests for the primitives and queues: compile-time checks (expect-type); `tsc` fails if one
// does not hold. The runtime test runs the typed coroutine and checks the values it typed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { expectTypeOf } from "expect-type";
import { asyncWith, createTask, sleep, type AsyncContextManager, type Coroutine } from "../../src/index.js";
import { Lock } from "../../src/locks/lock.js";
import { Event } from "../../src/locks/event.js";
import { Condition } from "../../src/locks/condition.js";
import { Semaphore, BoundedSemaphore } from "../../src/locks/semaphore.js";
import { Barrier, type BarrierState } from "../../src/locks/barrier.js";
import { Held } from "../../src/locks/held.js";
import { Queue, PriorityQueue, LifoQueue } from "../../src/queues.js";
import { vrun } from "./helpers.js";

function* typed(): Coroutine<unknown[]> {
  const lock = new Lock();
  const acquired = yield* lock.acquire();
  expectTypeOf(acquired).toEqualTypeOf<true>();
  lock.release();
  {
    using held = yield* lock.hold();
    expectTypeOf(held).toEqualTypeOf<Held>();
  }
  expectTypeOf(lock).toMatchTypeOf<AsyncContextManager<void>>();
  expectTypeOf(new Semaphore()).toMatchTypeOf<AsyncContextManager<void>>();
  expectTypeOf(new BoundedSemaphore()).toMatchTypeOf<Semaphore>();
  expectTypeOf(new Condition()).toMatchTypeOf<AsyncContextManager<void>>();
  expectTypeOf(new Barrier(1)).toMatchTypeOf<AsyncContextManager<number>>();

  const ev = new Event();
  ev.set();
  const waited = yield* ev.wait();
  expectTypeOf(waited).toEqualTypeOf<true>();

  const cond = new Condition(lock);
  const predicate = yield* asyncWith(cond, function* () {
    return yield* cond.waitFor(() => "ready" as const);
  });
  expectTypeOf(predicate).toEqualTypeOf<"ready" | undefined>();

  const b = new Barrier(1);
  const index = yield* b.wait();
  expectTypeOf(index).toEqualTypeOf<number>();
  expectTypeOf(b.state).toEqualTypeOf<BarrierState>();
  const entered = yield* asyncWith(b, function* (i) {
    expectTypeOf(i).toEqualTypeOf<number>();
    return i;
  });

  const q = new Queue<number>(1);
  yield* q.put(1);
  const item = yield* q.get();
  expectTypeOf(item).toEqualTypeOf<number>();
  expectTypeOf(q.getNowait).returns.toEqualTypeOf<number>();
  // @ts-expect-error: a Queue<number> takes numbers
  q.putNowait("x");
  const pq = new PriorityQueue<[number, string]>(0, (x, y) => x[0] - y[0]);
  pq.putNowait([1, "a"]);
  const top = pq.getNowait();
  expectTypeOf(top).toEqualTypeOf<[number, string]>();
  const lq = new LifoQueue<string>();
  lq.putNowait("z");
  expectTypeOf(lq.getNowait()).toEqualTypeOf<string>();
  expectTypeOf(q.maxsize).toEqualTypeOf<number>();

  // Coroutines: createTask takes them like any generator's.
  const t = createTask(lock.acquire());
  yield* sleep(0);
  lock.release();
  return [acquired, waited, predicate, index, entered, item, top, yield* t];
}

function* misuse(lock: Lock, ev: Event, q: Queue<number>): Coroutine<void> {
  // @ts-expect-error: a Lock is not awaitable
  yield* lock;
  // @ts-expect-error: an Event is not awaitable
  yield* ev;
  // @ts-expect-error: a Queue is not awaitable
  yield* q;
}

test("the typed coroutine runs and returns what it typed", async () => {
  assert.ok(misuse);
  assert.deepEqual(await vrun(typed), [true, true, "ready", 0, 0, 1, [1, "a"], true]);
});
