/**
 * (a) Spawn and join n tasks, each yielding once. Rate: tasks per second, from the first spawn to the last join.
 */
import { Effect, Fiber } from "effect";
import * as effection from "effection";
import { asyncioImpl, type Coro } from "../asyncio.js";
import { atLeastTimes, expectCount, now, perSecond, type Workload } from "../harness.js";
import { BARE, bareSpawnAll, YIELD, type BareCoro } from "../bare-scheduler.js";

export const spawnJoin: Workload = {
  name: "spawn-join",
  issue: 2,
  title: "spawn n tasks that each yield once, then join them all",
  n: 100_000,
  quickN: 10_000,
  metrics: [{ key: "rate", label: "tasks/s", better: "higher", from: (r, n) => perSecond(n, r.ms) }],
  impls: [
    {
      name: "native",
      async run(n) {
        let done = 0;
        const child = async (): Promise<void> => {
          await null;
          done++;
        };
        const t0 = now();
        const all: Promise<void>[] = new Array(n);
        for (let i = 0; i < n; i++) all[i] = child();
        await Promise.all(all);
        const ms = now() - t0;
        expectCount("native tasks finished", done, n);
        return { ms };
      },
    },
    asyncioImpl("asyncio-ts", ["run", "createTask", "sleep"], function* (A, n) {
      let done = 0;
      function* child(): Coro {
        yield* A.sleep(0);
        done++;
      }
      const t0 = now();
      const tasks = new Array(n);
      for (let i = 0; i < n; i++) tasks[i] = A.createTask(child());
      for (let i = 0; i < n; i++) yield* tasks[i];
      const ms = now() - t0;
      expectCount("asyncio-ts tasks finished", done, n);
      return { ms };
    }),
    {
      name: BARE,
      async run(n) {
        let done = 0;
        function* child(): BareCoro {
          yield YIELD;
          done++;
        }
        const ms = bareSpawnAll(n, child);
        expectCount("bare tasks finished", done, n);
        return { ms };
      },
    },
    {
      name: "effect 4",
      async run(n) {
        let done = 0;
        const child = Effect.gen(function* () {
          yield* Effect.yieldNow;
          done++;
        });
        const ms = await Effect.runPromise(
          Effect.gen(function* () {
            const t0 = now();
            const fibers = new Array(n);
            for (let i = 0; i < n; i++) fibers[i] = yield* Effect.forkChild(child);
            for (let i = 0; i < n; i++) yield* Fiber.join(fibers[i]);
            return now() - t0;
          }),
        );
        expectCount("effect fibers finished", done, n);
        return { ms };
      },
    },
    {
      name: "effection 4",
      maxN: 5_000, // ~5k spawns/s here: the full size would take 20 s per run
      async run(n) {
        let done = 0;
        const ms = await effection.run(function* () {
          const t0 = now();
          const tasks = new Array(n);
          for (let i = 0; i < n; i++)
            tasks[i] = yield* effection.spawn(function* () {
              yield* effection.sleep(0);
              done++;
            });
          for (let i = 0; i < n; i++) yield* tasks[i];
          return now() - t0;
        });
        expectCount("effection tasks finished", done, n);
        return { ms };
      },
    },
  ],
  targets: [
    { metric: "rate", text: "≥ 1× native", check: (get, impl) => atLeastTimes(get(impl), get("native"), 1) },
    { metric: "rate", text: "≥ 5× effect 4", check: (get, impl) => atLeastTimes(get(impl), get("effect 4"), 5) },
  ],
};

