/**
 * Property tests (fast-check) of the queues over seeded schedules (`run(main, { clock: "virtual",
 * seed })`), with random capacities, producers, consumers, timeouts, cancellations (from timers and
 * from a task step, which can land between a wake-up and the woken task's step), joiners and a
 * graceful or immediate shutdown.
 *
 * Invariants, for Queue (FIFO):
 * - conservation and order: the items got, then the items left (or dropped by an immediate
 *   shutdown), are exactly the items put, in the order they were put: nothing lost, duplicated or
 *   reordered, whoever was cancelled when;
 * - no lost wake-up: once every worker is done or blocked, no getter waits while an item is in the
 *   queue and no putter waits while a slot is free; with a consumer that is never cancelled and
 *   always back in get(), every item is got at the loop time it was put;
 * - `join()` returns only after the count of unfinished items dropped to zero after it was called
 *   (or was zero then), and every joiner returns once the count is zero;
 * - the queue ends with no getter, putter or unfinished item.
 * For PriorityQueue and LifoQueue: the same multiset conservation.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  createTask,
  getRunningLoop,
  sleep,
  waitFor,
  gather,
  CancelledError,
  QueueEmpty,
  QueueShutDown,
  TimeoutError,
  type Coroutine,
  type Task,
} from "../src/index.js";
import { Queue, PriorityQueue, LifoQueue } from "../src/queues.js";
import { vrun } from "./locks/helpers.js";

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const optMs = (max: number) => fc.option(fc.integer({ min: 0, max }), { nil: null });
const producer = fc.record({
  items: fc.integer({ min: 1, max: 5 }),
  gap: fc.integer({ min: 0, max: 2 }),
  timeout: optMs(4),
  cancelAt: optMs(12),
  // As CPython's test_get_cancel_drop_*: right after a put, cancel a worker (perhaps the getter
  // the put just woke, before it runs).
  cancelAfterPut: fc.option(fc.nat(), { nil: null }),
});
const consumer = fc.record({
  gets: fc.integer({ min: 1, max: 8 }),
  gap: fc.integer({ min: 0, max: 2 }),
  timeout: optMs(4),
  work: fc.integer({ min: 0, max: 2 }),
  cancelAt: optMs(12),
  // Right after a get, cancel a worker (perhaps the putter the get just woke, before it runs).
  cancelAfterGet: fc.option(fc.nat(), { nil: null }),
});
/** Cancellations from a task step: at loop time `ms`, after yielding `spins` times, cancel `victim`. */
const chaos = fc.array(
  fc.record({ ms: fc.integer({ min: 0, max: 8 }), spins: fc.integer({ min: 0, max: 3 }), victim: fc.nat() }),
  { maxLength: 6 },
);

/** A loop time after every scripted action (the longest script takes well under 100 ms). */
const QUIESCENT = 200;

function expected(e: unknown): boolean {
  return e instanceof CancelledError || e instanceof TimeoutError || e instanceof QueueShutDown;
}

test("queues: conservation, order, no lost wake-up, join exact, shutdown", () => {
  return fc.assert(
    fc.asyncProperty(
      fc.constantFrom("Queue", "PriorityQueue", "LifoQueue"),
      fc.integer({ min: 0, max: 3 }),
      fc.array(producer, { minLength: 1, maxLength: 4 }),
      fc.array(consumer, { minLength: 1, maxLength: 4 }),
      fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 2 }),
      fc.option(fc.record({ at: fc.integer({ min: 0, max: 20 }), immediate: fc.boolean() }), { nil: null }),
      chaos,
      fc.boolean(),
      seed,
      async (kind, maxsize, producers, consumers, joinAts, shutdown, plan, withSentinel, s) => {
        const q = kind === "Queue" ? new Queue<number>(maxsize) : kind === "PriorityQueue" ? new PriorityQueue<number>(maxsize) : new LifoQueue<number>(maxsize);
        const putOrder: number[] = [];
        const got: number[] = [];
        const putAt = new Map<number, number>();
        const gotAt = new Map<number, number>();
        let dropped: number[] = [];
        let zeroes = 0; // how many times the unfinished count dropped to zero
        const taskDone = (): void => {
          q.taskDone();
          if (q._unfinishedTasks === 0) zeroes++;
        };
        await vrun(function* () {
          const loop = getRunningLoop();
          function* produce(p: number, spec: (typeof producers)[number]): Coroutine<void> {
            for (let k = 0; k < spec.items; k++) {
              const item = p * 100 + k;
              yield* sleep(spec.gap);
              // Recorded in the step where put() returns: nothing can intervene.
              const put = (function* () {
                yield* q.put(item);
                putOrder.push(item);
                putAt.set(item, loop.time());
                if (spec.cancelAfterPut !== null) workers[spec.cancelAfterPut % workers.length]!.cancel();
              })();
              try {
                if (spec.timeout === null) yield* put;
                else yield* waitFor(put, spec.timeout);
              } catch (e) {
                if (!expected(e)) throw e;
                if (!(e instanceof TimeoutError)) return;
              }
            }
          }
          function* consume(spec: (typeof consumers)[number]): Coroutine<void> {
            for (let k = 0; k < spec.gets; k++) {
              yield* sleep(spec.gap);
              const get = (function* () {
                const item = yield* q.get();
                got.push(item);
                gotAt.set(item, loop.time());
                if (spec.cancelAfterGet !== null) workers[spec.cancelAfterGet % workers.length]!.cancel();
              })();
              try {
                if (spec.timeout === null) yield* get;
                else yield* waitFor(get, spec.timeout);
              } catch (e) {
                if (!expected(e)) throw e;
                if (!(e instanceof TimeoutError)) return;
                continue;
              }
              try {
                yield* sleep(spec.work);
              } finally {
                taskDone();
              }
            }
          }
          function* joiner(at: number): Coroutine<void> {
            yield* sleep(at);
            const zero = q._unfinishedTasks === 0;
            const before = zeroes;
            yield* q.join();
            assert.ok(zero || zeroes > before, "join() returned while items were unfinished");
          }
          const producerTasks = producers.map((spec, p) => createTask(produce(p, spec)));
          const consumerTasks = consumers.map((spec) => createTask(consume(spec)));
          // A consumer that is never cancelled and always back in get() at once: with it, every
          // item must be got at the loop time it was put (a wake-up lost by a cancelled getter
          // would leave the item until a later put).
          const workers: Task<void>[] = [...producerTasks, ...consumerTasks];
          if (withSentinel) consumerTasks.push(createTask(consume({ gets: Infinity, gap: 0, timeout: null, work: 0, cancelAt: null, cancelAfterGet: null })));
          [...producers, ...consumers].forEach((spec, i) => {
            if (spec.cancelAt !== null) loop.callLater(spec.cancelAt, () => workers[i]!.cancel());
          });
          const joiners = joinAts.map((at) => createTask(joiner(at)));
          if (shutdown !== null) {
            loop.callLater(shutdown.at, () => {
              if (shutdown.immediate) {
                // What an immediate shutdown drops: the items in the queue, in the order they would come out.
                const copy = [...putOrder.filter((x) => !got.includes(x))];
                dropped = copy;
              }
              const wasZero = q._unfinishedTasks === 0;
              q.shutdown(shutdown.immediate);
              if (!wasZero && q._unfinishedTasks === 0) zeroes++;
            });
          }
          createTask(
            (function* () {
              for (const c of [...plan].sort((a, b) => a.ms - b.ms || a.spins - b.spins)) {
                yield* sleep(c.ms - loop.time());
                for (let i = 0; i < c.spins; i++) yield* sleep(0);
                workers[c.victim % workers.length]!.cancel();
              }
            })(),
          );
          // Every worker is done or blocked long before then: the clock only jumps when nothing is
          // ready. At that quiescent point a blocked getter with an item in the queue, or a blocked
          // putter with a free slot, is a lost wake-up.
          yield* sleep(QUIESCENT);
          const [, getters, putters] = /getters:(\d+), putters:(\d+)/.exec(String(q))!.map(Number);
          if (getters! > 0) assert.equal(q.qsize(), 0, `lost get wake-up: ${q}`);
          if (putters! > 0) assert.ok(q.full(), `lost put wake-up: ${q}`);
          // Release whoever waits for items or slots that will never come.
          if (!q._isShutdown) q.shutdown();
          yield* waitFor(gather(...producerTasks, ...consumerTasks, { returnExceptions: true }), 10_000);
          for (const w of workers) if (w.done() && !w.cancelled()) w.result();
          // What is left, taken out and marked done; then every joiner must return.
          const left: number[] = [];
          for (;;) {
            try {
              left.push(q.getNowait());
              taskDone();
            } catch (e) {
              if (e instanceof QueueEmpty || e instanceof QueueShutDown) break;
              throw e;
            }
          }
          // Items got by a consumer cancelled before it recorded them cannot exist: get() returns
          // and records in one step. So: got ++ left (++ dropped) is exactly what was put.
          const out = [...got, ...left];
          if (shutdown?.immediate) {
            // dropped was computed when the shutdown ran; items got afterwards cannot exist.
            assert.equal(out.length + dropped.length, putOrder.length);
          }
          if (kind === "Queue") {
            assert.deepEqual(out, putOrder.filter((x) => !dropped.includes(x)));
          } else {
            assert.deepEqual([...out].sort((a, b) => a - b), putOrder.filter((x) => !dropped.includes(x)).sort((a, b) => a - b));
          }
          assert.equal(new Set(out).size, out.length);
          if (withSentinel) for (const [item, t] of gotAt) assert.equal(t, putAt.get(item), `item ${item} waited in the queue`);
          assert.equal(q._unfinishedTasks, 0);
          yield* waitFor(gather(...joiners), 10_000);
          assert.match(String(q), /getters:0, putters:0, unfinished:0/);
        }, s);
      },
    ),
    {
      numRuns: 300,
      // Two scenarios the random ones reach only now and then: a getter (then a putter) woken
      // and cancelled in the same iteration, which must pass its wake-up on.
      examples: [
        [
          "Queue", 0,
          [{ items: 1, gap: 1, timeout: null, cancelAt: null, cancelAfterPut: 1 }],
          [
            { gets: 1, gap: 0, timeout: null, work: 0, cancelAt: null, cancelAfterGet: null },
            { gets: 1, gap: 0, timeout: null, work: 0, cancelAt: null, cancelAfterGet: null },
          ],
          [], null, [], false, 0,
        ],
        [
          "Queue", 1,
          [0, 1, 2].map(() => ({ items: 1, gap: 0, timeout: null, cancelAt: null, cancelAfterPut: null })),
          [{ gets: 1, gap: 1, timeout: null, work: 0, cancelAt: null, cancelAfterGet: 1 }],
          [], null, [], false, 0,
        ],
      ],
    },
  );
});
