/**
 * (c) n tasks blocked on one future: heap bytes per blocked task (heapUsed after a full GC, all n blocked,
 * minus the same before they were created), then the time from setting the future to the last task having
 * run on. Nothing but the library holds the tasks (as the loop must, see API.md "Tasks are never lost").
 */
import { Deferred, Effect } from "effect";
import * as effection from "effection";
import { asyncioImpl, until, type AFuture, type Coro } from "../asyncio.js";
import { atMost, expectCount, gcAvailable, heapAfterGc, hostTurn, now, type Workload } from "../harness.js";
import { deferred } from "../native-primitives.js";

export const blocked: Workload = {
  name: "blocked-1m",
  issue: 2,
  title: "n tasks blocked on one future: heap per task, and time to release them all",
  n: 1_000_000,
  quickN: 100_000,
  metrics: [
    { key: "bytes", label: "bytes/task", better: "lower", from: (r, n) => r.heap / n, digits: 0 },
    { key: "releaseMs", label: "ms to release all", better: "lower", digits: 0 },
    { key: "releaseNs", label: "ns/task to release", better: "lower", from: (r, n) => (r.releaseMs * 1e6) / n, digits: 0 },
  ],
  impls: [
    {
      name: "native",
      async run(n) {
        let started = 0;
        let released = 0;
        const gate = deferred<void>();
        const all = deferred<void>();
        const waiter = async (): Promise<void> => {
          started++;
          await gate.promise;
          if (++released === n) all.resolve();
        };
        const h0 = heapAfterGc();
        for (let i = 0; i < n; i++) void waiter();
        await hostTurn();
        const heap = heapAfterGc() - h0;
        expectCount("native started", started, n);
        const t0 = now();
        gate.resolve();
        await all.promise;
        const releaseMs = now() - t0;
        return { heap, releaseMs };
      },
    },
    asyncioImpl("asyncio-ts", ["run", "createTask", "sleep", "getRunningLoop"], function* (A, n) {
      const loop = A.getRunningLoop();
      let started = 0;
      let released = 0;
      const gate: AFuture<void> = loop.createFuture();
      const all: AFuture<void> = loop.createFuture();
      function* waiter(): Coro {
        started++;
        yield* gate;
        if (++released === n) all.setResult();
      }
      const h0 = heapAfterGc();
      for (let i = 0; i < n; i++) A.createTask(waiter());
      yield* until(A, () => started === n, "all tasks blocked");
      const heap = heapAfterGc() - h0;
      const t0 = now();
      gate.setResult();
      yield* all;
      const releaseMs = now() - t0;
      return { heap, releaseMs };
    }),
    {
      name: "effect 4",
      maxN: 50_000, // ~60k forks/s here: 1M would take 15 s per run
      async run(n) {
        let started = 0;
        let released = 0;
        const gate = Deferred.makeUnsafe<void>();
        const all = Deferred.makeUnsafe<void>();
        const waiter = Effect.gen(function* () {
          started++;
          yield* Deferred.await(gate);
          if (++released === n) Deferred.doneUnsafe(all, Effect.void);
        });
        let h0 = 0;
        let heap = 0;
        const releaseMs = await Effect.runPromise(
          Effect.gen(function* () {
            h0 = heapAfterGc();
            for (let i = 0; i < n; i++) yield* Effect.forkChild(waiter);
            while (started < n) yield* Effect.promise(hostTurn);
            heap = heapAfterGc() - h0;
            const t0 = now();
            Deferred.doneUnsafe(gate, Effect.void);
            yield* Deferred.await(all);
            return now() - t0;
          }),
        );
        return { heap, releaseMs };
      },
    },
    {
      name: "effection 4",
      maxN: 5_000, // ~5k spawns/s here
      async run(n) {
        let started = 0;
        let released = 0;
        const gate = effection.withResolvers<void>();
        const all = effection.withResolvers<void>();
        let heap = 0;
        const releaseMs = await effection.run(function* () {
          const h0 = heapAfterGc();
          for (let i = 0; i < n; i++)
            yield* effection.spawn(function* () {
              started++;
              yield* gate.operation;
              if (++released === n) all.resolve();
            });
          while (started < n) yield* effection.sleep(0);
          heap = heapAfterGc() - h0;
          const t0 = now();
          gate.resolve();
          yield* all.operation;
          return now() - t0;
        });
        return { heap, releaseMs };
      },
    },
  ],
  targets: [
    { metric: "bytes", text: "≤ 600 B", check: (get, impl) => (gcAvailable ? atMost(get(impl, "bytes"), 600) : undefined) },
    {
      metric: "releaseNs",
      text: "≤ 500 ns (0.5 s per 1M)",
      check: (get, impl) => atMost(get(impl, "releaseNs"), 500),
    },
  ],
};
