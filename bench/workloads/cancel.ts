/**
 * (d) Cancel n blocked tasks, each with a `finally` that must run. Rate: cancels per second, from the
 * first cancel request until every `finally` has run (and every task is finished); the count of finallies
 * is checked.
 */
import { Deferred, Effect, Fiber } from "effect";
import * as effection from "effection";
import { asyncioImpl, until, type AFuture, type ATask, type Coro } from "../asyncio.js";
import { atLeast, expectCount, hostTurn, now, perSecond, type Workload } from "../harness.js";
import { deferred } from "../native-primitives.js";
import { BARE, BareFuture, bareRun, spawn, YIELD, type BareCoro, type BareTask } from "../bare-scheduler.js";

const STOP = new Error("stop");

export const cancel: Workload = {
  name: "cancel",
  issue: 2,
  title: "cancel n blocked tasks, each running a finally",
  n: 100_000,
  quickN: 10_000,
  metrics: [{ key: "rate", label: "cancels/s", better: "higher", from: (r, n) => perSecond(n, r.ms) }],
  baseline: "native (bare reject)",
  impls: [
    {
      name: "native (bare reject)",
      async run(n) {
        let finallies = 0;
        const all = deferred<void>();
        const rejects: ((e: unknown) => void)[] = new Array(n);
        const waiter = async (i: number): Promise<void> => {
          try {
            await new Promise<void>((_, reject) => (rejects[i] = reject));
          } catch {
            // the cancellation
          } finally {
            if (++finallies === n) all.resolve();
          }
        };
        for (let i = 0; i < n; i++) void waiter(i);
        await hostTurn();
        const t0 = now();
        for (let i = 0; i < n; i++) rejects[i](STOP);
        await all.promise;
        const ms = now() - t0;
        expectCount("native finallies", finallies, n);
        return { ms };
      },
    },
    asyncioImpl("asyncio-ts (task.cancel)", ["run", "createTask", "sleep", "getRunningLoop"], function* (A, n) {
      const loop = A.getRunningLoop();
      const all: AFuture<void> = loop.createFuture();
      let started = 0;
      let finallies = 0;
      // Each waiter blocks on a future of its own: cancelling a task cancels the future it waits on,
      // so a future shared by all would be cancelled for all by the first cancel (as in CPython).
      function* waiter(): Coro {
        started++;
        try {
          yield* loop.createFuture();
        } finally {
          if (++finallies === n) all.setResult();
        }
      }
      const tasks: ATask<void>[] = new Array(n);
      for (let i = 0; i < n; i++) tasks[i] = A.createTask(waiter());
      yield* until(A, () => started === n, "all tasks blocked");
      const t0 = now();
      for (let i = 0; i < n; i++) tasks[i].cancel();
      yield* all;
      const ms = now() - t0;
      expectCount("asyncio-ts finallies", finallies, n);
      yield* A.sleep(0);
      expectCount("asyncio-ts tasks cancelled", tasks.filter((t) => t.cancelled()).length, n);
      return { ms };
    }),
    asyncioImpl("asyncio-ts (TaskGroup)", ["run", "createTask", "sleep", "getRunningLoop", "taskGroup", "CancelledError"], function* (A, n) {
      const loop = A.getRunningLoop();
      const gate: AFuture<void> = loop.createFuture();
      let started = 0;
      let finallies = 0;
      function* waiter(): Coro {
        started++;
        try {
          yield* loop.createFuture(); // its own future, as above
        } finally {
          finallies++;
        }
      }
      const owner = A.createTask(
        (function* (): Coro {
          yield* A.taskGroup(function* (tg) {
            for (let i = 0; i < n; i++) tg.createTask(waiter());
            yield* gate;
          });
        })(),
      );
      yield* until(A, () => started === n, "all tasks blocked");
      const t0 = now();
      owner.cancel();
      try {
        yield* owner;
      } catch (e) {
        if (!(e instanceof A.CancelledError)) throw e;
      }
      const ms = now() - t0;
      expectCount("asyncio-ts finallies", finallies, n);
      expectCount("TaskGroup owner cancelled", owner.cancelled() ? 1 : 0, 1);
      return { ms };
    }),
    {
      name: BARE,
      async run(n) {
        const all = new BareFuture<void>();
        let started = 0;
        let finallies = 0;
        function* waiter(fut: BareFuture<void>): BareCoro {
          started++;
          try {
            yield fut;
          } finally {
            if (++finallies === n) all.set();
          }
        }
        const ms = bareRun(
          (function* () {
            const tasks = new Array<BareTask>(n);
            const futs = new Array<BareFuture<void>>(n);
            for (let i = 0; i < n; i++) tasks[i] = spawn(waiter((futs[i] = new BareFuture<void>())));
            while (started < n) yield YIELD;
            const t0 = now();
            for (let i = 0; i < n; i++) tasks[i].cancel(futs[i]);
            yield all;
            return now() - t0;
          })(),
        );
        expectCount("bare finallies", finallies, n);
        return { ms };
      },
    },
    {
      name: "effect 4",
      maxN: 20_000, // ~30k interrupts/s here
      async run(n) {
        let started = 0;
        let finallies = 0;
        const gate = Deferred.makeUnsafe<void>();
        const waiter = Effect.gen(function* () {
          started++;
          yield* Deferred.await(gate);
        }).pipe(Effect.ensuring(Effect.sync(() => void finallies++)));
        const ms = await Effect.runPromise(
          Effect.gen(function* () {
            const fibers = new Array(n);
            for (let i = 0; i < n; i++) fibers[i] = yield* Effect.forkChild(waiter);
            while (started < n) yield* Effect.promise(hostTurn);
            const t0 = now();
            yield* Fiber.interruptAll(fibers);
            return now() - t0;
          }),
        );
        expectCount("effect finalizers", finallies, n);
        return { ms };
      },
    },
    {
      name: "effection 4",
      maxN: 5_000, // ~5k spawns/s here
      async run(n) {
        let started = 0;
        let finallies = 0;
        const ms = await effection.run(function* () {
          const tasks: effection.Task<void>[] = new Array(n);
          for (let i = 0; i < n; i++)
            tasks[i] = yield* effection.spawn(function* () {
              started++;
              try {
                yield* effection.suspend();
              } finally {
                finallies++;
              }
            });
          while (started < n) yield* effection.sleep(0);
          const t0 = now();
          for (let i = 0; i < n; i++) yield* tasks[i].halt();
          return now() - t0;
        });
        expectCount("effection finallies", finallies, n);
        return { ms };
      },
    },
  ],
  targets: [{ metric: "rate", text: "≥ 500k/s", check: (get, impl) => atLeast(get(impl), 500_000) }],
};
