/**
 * (b) Ping-pong between two tasks through one-shot futures: each round trip creates two futures (one per
 * direction), each set by the other task. Rate: round trips per second.
 *
 * Protocol (the same for every library): B waits on `toB`; A creates its reply slot `toA`, then sets `toB`
 * and waits on `toA`; B, woken, creates the next `toB` before setting `toA`. A stop value (-1) ends B.
 */
import { Deferred, Effect, Fiber } from "effect";
import * as effection from "effection";
import { asyncioImpl, type AFuture, type Coro } from "../asyncio.js";
import { atLeastTimes, expectCount, now, perSecond, type Workload } from "../harness.js";
import { deferred } from "../native-primitives.js";
import { BARE, BareFuture, bareRun, spawn, type BareCoro } from "../bare-scheduler.js";

export const pingPong: Workload = {
  name: "ping-pong",
  issue: 2,
  title: "round trips between two tasks, one new future per message",
  n: 200_000,
  quickN: 20_000,
  metrics: [{ key: "rate", label: "round trips/s", better: "higher", from: (r, n) => perSecond(n, r.ms) }],
  impls: [
    {
      name: "native",
      async run(n) {
        let toB = deferred<number>();
        let toA = deferred<number>();
        let sum = 0;
        const b = async (): Promise<void> => {
          for (;;) {
            const v = await toB.promise;
            if (v < 0) return;
            const reply = toA;
            toB = deferred<number>();
            reply.resolve(v);
          }
        };
        const t0 = now();
        const bDone = b();
        for (let i = 0; i < n; i++) {
          toA = deferred<number>();
          const mine = toA.promise;
          toB.resolve(i);
          sum += await mine;
        }
        toB.resolve(-1);
        await bDone;
        const ms = now() - t0;
        expectCount("native echo sum", sum, (n * (n - 1)) / 2);
        return { ms };
      },
    },
    asyncioImpl("asyncio-ts", ["run", "createTask", "getRunningLoop"], function* (A, n) {
      const loop = A.getRunningLoop();
      let toB: AFuture<number> = loop.createFuture();
      let toA: AFuture<number> = loop.createFuture();
      let sum = 0;
      function* b(): Coro {
        for (;;) {
          const v = yield* toB;
          if (v < 0) return;
          const reply = toA;
          toB = loop.createFuture();
          reply.setResult(v);
        }
      }
      const t0 = now();
      const bTask = A.createTask(b());
      for (let i = 0; i < n; i++) {
        const mine = (toA = loop.createFuture());
        toB.setResult(i);
        sum += yield* mine;
      }
      toB.setResult(-1);
      yield* bTask;
      const ms = now() - t0;
      expectCount("asyncio-ts echo sum", sum, (n * (n - 1)) / 2);
      return { ms };
    }),
    {
      name: BARE,
      async run(n) {
        let toB = new BareFuture<number>();
        let toA = new BareFuture<number>();
        let sum = 0;
        function* b(): BareCoro {
          for (;;) {
            const v = (yield toB) as number;
            if (v < 0) return;
            const reply = toA;
            toB = new BareFuture<number>();
            reply.set(v);
          }
        }
        const ms = bareRun(
          (function* () {
            const t0 = now();
            const bTask = spawn(b());
            for (let i = 0; i < n; i++) {
              const mine = (toA = new BareFuture<number>());
              toB.set(i);
              sum += (yield mine) as number;
            }
            toB.set(-1);
            yield bTask;
            return now() - t0;
          })(),
        );
        expectCount("bare echo sum", sum, (n * (n - 1)) / 2);
        return { ms };
      },
    },
    {
      name: "effect 4",
      async run(n) {
        let toB = Deferred.makeUnsafe<number>();
        let toA = Deferred.makeUnsafe<number>();
        let sum = 0;
        const b = Effect.gen(function* () {
          for (;;) {
            const v = yield* Deferred.await(toB);
            if (v < 0) return;
            const reply = toA;
            toB = Deferred.makeUnsafe<number>();
            Deferred.doneUnsafe(reply, Effect.succeed(v));
          }
        });
        const ms = await Effect.runPromise(
          Effect.gen(function* () {
            const t0 = now();
            const fb = yield* Effect.forkChild(b);
            for (let i = 0; i < n; i++) {
              const mine = (toA = Deferred.makeUnsafe<number>());
              Deferred.doneUnsafe(toB, Effect.succeed(i));
              sum += yield* Deferred.await(mine);
            }
            Deferred.doneUnsafe(toB, Effect.succeed(-1));
            yield* Fiber.join(fb);
            return now() - t0;
          }),
        );
        expectCount("effect echo sum", sum, (n * (n - 1)) / 2);
        return { ms };
      },
    },
    {
      name: "effection 4",
      async run(n) {
        let toB = effection.withResolvers<number>();
        let toA = effection.withResolvers<number>();
        let sum = 0;
        const ms = await effection.run(function* () {
          const t0 = now();
          const bTask = yield* effection.spawn(function* () {
            for (;;) {
              const v = yield* toB.operation;
              if (v < 0) return;
              const reply = toA;
              toB = effection.withResolvers<number>();
              reply.resolve(v);
            }
          });
          for (let i = 0; i < n; i++) {
            const mine = (toA = effection.withResolvers<number>());
            toB.resolve(i);
            sum += yield* mine.operation;
          }
          toB.resolve(-1);
          yield* bTask;
          return now() - t0;
        });
        expectCount("effection echo sum", sum, (n * (n - 1)) / 2);
        return { ms };
      },
    },
  ],
  targets: [
    { metric: "rate", text: "≥ 0.8× native", check: (get, impl) => atLeastTimes(get(impl), get("native"), 0.8) },
    { metric: "rate", text: "≥ 10× effection 4", check: (get, impl) => atLeastTimes(get(impl), get("effection 4"), 10) },
  ],
};
