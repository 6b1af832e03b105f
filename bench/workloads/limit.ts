/**
 * (g) n jobs through a limit of 100 concurrent, one task per job, each job yielding once while it holds
 * its slot. Rate: jobs per second, from the first spawn to the last job done. Every implementation checks
 * that at most 100 ran at once, that 100 did run at once, and the job count.
 */
import { Sema } from "async-sema";
import { Effect, Fiber, Semaphore } from "effect";
import pLimit from "p-limit";
import { asyncioImpl, type Coro } from "../asyncio.js";
import { atLeast, expectCount, now, perSecond, type Raw, type Workload } from "../harness.js";
import { NativeSemaphore } from "../native-primitives.js";
import { BARE, bareSpawnAll, BareSemaphore, YIELD, type BareCoro } from "../bare-scheduler.js";

const LIMIT = 100;

/** Concurrency bookkeeping shared by every implementation's job body. */
class Gauge {
  active = 0;
  peak = 0;
  done = 0;
  enter(): void {
    if (++this.active > this.peak) this.peak = this.active;
  }
  leave(): void {
    this.active--;
    this.done++;
  }
  check(what: string, n: number): void {
    expectCount(`${what} jobs done`, this.done, n);
    expectCount(`${what} peak concurrency`, this.peak, Math.min(LIMIT, n));
  }
}

async function promiseJobs(n: number, what: string, wrap: (job: () => Promise<void>) => Promise<void>): Promise<Raw> {
  const g = new Gauge();
  const job = async (): Promise<void> => {
    g.enter();
    await null;
    g.leave();
  };
  const t0 = now();
  const all = new Array<Promise<void>>(n);
  for (let i = 0; i < n; i++) all[i] = wrap(job);
  await Promise.all(all);
  const ms = now() - t0;
  g.check(what, n);
  return { ms };
}

function acquireRelease(s: { acquire(): Promise<unknown>; release(): void }) {
  return async (job: () => Promise<void>): Promise<void> => {
    await s.acquire();
    try {
      await job();
    } finally {
      s.release();
    }
  };
}

export const limit: Workload = {
  name: "limit-100",
  issue: 3,
  title: "n jobs through a concurrency limit of 100, one task per job",
  n: 100_000,
  quickN: 10_000,
  metrics: [{ key: "rate", label: "jobs/s", better: "higher", from: (r, n) => perSecond(n, r.ms) }],
  baseline: "native semaphore",
  impls: [
    { name: "native semaphore", run: (n) => promiseJobs(n, "native", acquireRelease(new NativeSemaphore(LIMIT))) },
    asyncioImpl("asyncio-ts", ["run", "createTask", "sleep", "Semaphore"], function* (A, n) {
      const sem = new A.Semaphore(LIMIT);
      const g = new Gauge();
      function* job(): Coro {
        yield* sem.acquire();
        try {
          g.enter();
          yield* A.sleep(0);
          g.leave();
        } finally {
          sem.release();
        }
      }
      const t0 = now();
      const tasks = new Array(n);
      for (let i = 0; i < n; i++) tasks[i] = A.createTask(job());
      for (let i = 0; i < n; i++) yield* tasks[i];
      const ms = now() - t0;
      g.check("asyncio-ts", n);
      return { ms };
    }),
    asyncioImpl("asyncio-ts (asyncWith)", ["run", "createTask", "sleep", "Semaphore", "asyncWith"], function* (A, n) {
      const sem = new A.Semaphore(LIMIT);
      const g = new Gauge();
      function* job(): Coro {
        yield* A.asyncWith(sem, function* () {
          g.enter();
          yield* A.sleep(0);
          g.leave();
        });
      }
      const t0 = now();
      const tasks = new Array(n);
      for (let i = 0; i < n; i++) tasks[i] = A.createTask(job());
      for (let i = 0; i < n; i++) yield* tasks[i];
      const ms = now() - t0;
      g.check("asyncio-ts asyncWith", n);
      return { ms };
    }),
    {
      name: BARE,
      async run(n) {
        const sem = new BareSemaphore(LIMIT);
        const g = new Gauge();
        function* job(): BareCoro {
          if (!sem.tryAcquire()) yield sem;
          try {
            g.enter();
            yield YIELD;
            g.leave();
          } finally {
            sem.release();
          }
        }
        const ms = bareSpawnAll(n, job);
        g.check("bare", n);
        return { ms };
      },
    },
    { name: "async-sema", run: (n) => promiseJobs(n, "async-sema", acquireRelease(new Sema(LIMIT))) },
    {
      name: "p-limit",
      run(n) {
        const lim = pLimit(LIMIT);
        return promiseJobs(n, "p-limit", (job) => lim(job));
      },
    },
    {
      // What an Effect user writes for "n jobs, at most 100 at once": forEach with a concurrency limit
      // (it keeps 100 fibers running rather than a fiber per job).
      name: "effect 4 forEach(concurrency: 100)",
      async run(n) {
        const g = new Gauge();
        const job = Effect.gen(function* () {
          g.enter();
          yield* Effect.yieldNow;
          g.leave();
        });
        const jobs = new Array<number>(n).fill(0);
        const ms = await Effect.runPromise(
          Effect.gen(function* () {
            const t0 = now();
            yield* Effect.forEach(jobs, () => job, { concurrency: LIMIT, discard: true });
            return now() - t0;
          }),
        );
        g.check("effect forEach", n);
        return { ms };
      },
    },
    {
      // One fiber per job on Semaphore(100): Effect's release copies the whole waiter set, so this is
      // quadratic in the number of waiting fibers; run at a reduced size.
      name: "effect 4 Semaphore",
      maxN: 5_000,
      async run(n) {
        const sem = Semaphore.makeUnsafe(LIMIT);
        const g = new Gauge();
        const job = sem.withPermit(
          Effect.gen(function* () {
            g.enter();
            yield* Effect.yieldNow;
            g.leave();
          }),
        );
        const ms = await Effect.runPromise(
          Effect.gen(function* () {
            const t0 = now();
            const fibers = new Array(n);
            for (let i = 0; i < n; i++) fibers[i] = yield* Effect.forkChild(job);
            for (let i = 0; i < n; i++) yield* Fiber.join(fibers[i]);
            return now() - t0;
          }),
        );
        g.check("effect", n);
        return { ms };
      },
    },
  ],
  targets: [{ metric: "rate", text: "≥ 1M/s", check: (get, impl) => atLeast(get(impl), 1_000_000) }],
};
