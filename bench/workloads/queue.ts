/**
 * (h) `Queue(1)` ping-pong: a producer puts n items into a queue of capacity 1, a consumer gets them.
 * Rate: items (round trips) per second. The consumer checks it got every item, in order.
 *
 * Effection 4 has no bounded queue: its row uses two `createQueue()` subscriptions, items one way and a
 * credit back per item (the producer never runs ahead by more than one, as with a bounded queue of 1).
 */
import { Effect, Fiber, Queue } from "effect";
import * as effection from "effection";
import { asyncioImpl, type Coro } from "../asyncio.js";
import { atLeast, expectCount, now, perSecond, type Workload } from "../harness.js";
import { NativeQueue } from "../native-primitives.js";
import { BARE, BareQueue, bareRun, spawn, type BareCoro } from "../bare-scheduler.js";

/** Consumer bookkeeping: items must arrive as 0, 1, 2, ... */
class Sink {
  next = 0;
  bad = 0;
  take(v: number): void {
    if (v !== this.next++) this.bad++;
  }
  check(what: string, n: number): void {
    expectCount(`${what} items received`, this.next, n);
    expectCount(`${what} items out of order`, this.bad, 0);
  }
}

export const queue: Workload = {
  name: "queue-1",
  issue: 3,
  title: "Queue(1) ping-pong: a producer puts n items, a consumer gets them",
  n: 200_000,
  quickN: 20_000,
  metrics: [{ key: "rate", label: "round trips/s", better: "higher", from: (r, n) => perSecond(n, r.ms) }],
  baseline: "native queue",
  impls: [
    {
      name: "native queue",
      async run(n) {
        const q = new NativeQueue<number>(1);
        const sink = new Sink();
        const consumer = async (): Promise<void> => {
          for (let i = 0; i < n; i++) sink.take(await q.get());
        };
        const t0 = now();
        const c = consumer();
        for (let i = 0; i < n; i++) await q.put(i);
        await c;
        const ms = now() - t0;
        sink.check("native", n);
        return { ms };
      },
    },
    asyncioImpl("asyncio-ts", ["run", "createTask", "Queue"], function* (A, n) {
      const q = new A.Queue<number>(1);
      const sink = new Sink();
      function* consumer(): Coro {
        for (let i = 0; i < n; i++) sink.take(yield* q.get());
      }
      const t0 = now();
      const c = A.createTask(consumer());
      for (let i = 0; i < n; i++) yield* q.put(i);
      yield* c;
      const ms = now() - t0;
      sink.check("asyncio-ts", n);
      return { ms };
    }),
    {
      name: BARE,
      async run(n) {
        const q = new BareQueue<number>(1);
        const sink = new Sink();
        function* consumer(): BareCoro {
          for (let i = 0; i < n; i++) {
            while (q.empty()) yield q.notEmpty;
            sink.take(q.getNow());
          }
        }
        const ms = bareRun(
          (function* () {
            const t0 = now();
            const c = spawn(consumer());
            for (let i = 0; i < n; i++) {
              while (q.full()) yield q.notFull;
              q.putNow(i);
            }
            yield c;
            return now() - t0;
          })(),
        );
        sink.check("bare", n);
        return { ms };
      },
    },
    {
      name: "effect 4",
      async run(n) {
        const sink = new Sink();
        const ms = await Effect.runPromise(
          Effect.gen(function* () {
            const q = yield* Queue.bounded<number>(1);
            const t0 = now();
            const c = yield* Effect.forkChild(
              Effect.gen(function* () {
                for (let i = 0; i < n; i++) sink.take(yield* Queue.take(q));
              }),
            );
            for (let i = 0; i < n; i++) yield* Queue.offer(q, i);
            yield* Fiber.join(c);
            return now() - t0;
          }),
        );
        sink.check("effect", n);
        return { ms };
      },
    },
    {
      name: "effection 4",
      async run(n) {
        const sink = new Sink();
        const ms = await effection.run(function* () {
          const items = effection.createQueue<number, never>();
          const credits = effection.createQueue<void, never>();
          const t0 = now();
          const c = yield* effection.spawn(function* () {
            for (let i = 0; i < n; i++) {
              const r = yield* items.next();
              if (r.done) return;
              sink.take(r.value);
              credits.add();
            }
          });
          for (let i = 0; i < n; i++) {
            items.add(i);
            yield* credits.next();
          }
          yield* c;
          return now() - t0;
        });
        sink.check("effection", n);
        return { ms };
      },
    },
  ],
  targets: [{ metric: "rate", text: "≥ 2M/s", check: (get, impl) => atLeast(get(impl), 2_000_000) }],
};
