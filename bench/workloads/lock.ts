/**
 * (f) Lock contention: `tasks` tasks each take one lock `rounds` times, with one yield inside the critical
 * section. Rate: acquisitions per second. Every implementation checks mutual exclusion (no task ever finds
 * another inside) and the total count.
 */
import { AsyncMutex } from "@esfx/async-mutex";
import { Mutex } from "async-mutex";
import { Sema } from "async-sema";
import { Effect, Fiber, Semaphore } from "effect";
import { asyncioImpl, type Coro } from "../asyncio.js";
import { atLeastTimes, expectCount, now, perSecond, type Raw, type Workload } from "../harness.js";
import { NativeLock } from "../native-primitives.js";
import { BARE, bareSpawnAll, BareSemaphore, YIELD, type BareCoro } from "../bare-scheduler.js";

const TASKS = 1000;

/** Splits n acquisitions over TASKS tasks (n is a multiple of TASKS). */
const perTask = (n: number): number => Math.max(1, Math.floor(n / TASKS));

/** Runs TASKS async workers of `rounds` critical sections each, around `enter`/`leave`. */
async function promiseLock(
  n: number,
  what: string,
  section: (body: () => Promise<void>) => Promise<void>,
): Promise<Raw> {
  const rounds = perTask(n);
  let inside = false;
  let count = 0;
  let overlaps = 0;
  const body = async (): Promise<void> => {
    if (inside) overlaps++;
    inside = true;
    await null;
    inside = false;
    count++;
  };
  const worker = async (): Promise<void> => {
    for (let i = 0; i < rounds; i++) await section(body);
  };
  const t0 = now();
  const all = new Array<Promise<void>>(TASKS);
  for (let i = 0; i < TASKS; i++) all[i] = worker();
  await Promise.all(all);
  const ms = now() - t0;
  expectCount(`${what} acquisitions`, count, TASKS * rounds);
  expectCount(`${what} overlapping holders`, overlaps, 0);
  return { ms };
}

export const lock: Workload = {
  name: "lock",
  issue: 3,
  title: "lock contention: 1000 tasks × 100 acquisitions, one yield inside",
  n: TASKS * 100,
  quickN: TASKS * 10,
  metrics: [{ key: "rate", label: "acquisitions/s", better: "higher", from: (r, n) => perSecond(TASKS * perTask(n), r.ms) }],
  baseline: "native lock",
  impls: [
    {
      name: "native lock",
      run(n) {
        const lk = new NativeLock();
        return promiseLock(n, "native", async (body) => {
          await lk.acquire();
          try {
            await body();
          } finally {
            lk.release();
          }
        });
      },
    },
    asyncioImpl("asyncio-ts", ["run", "createTask", "sleep", "Lock"], function* (A, n) {
      const rounds = perTask(n);
      const lk = new A.Lock();
      let inside = false;
      let count = 0;
      let overlaps = 0;
      function* worker(): Coro {
        for (let i = 0; i < rounds; i++) {
          yield* lk.acquire();
          try {
            if (inside) overlaps++;
            inside = true;
            yield* A.sleep(0);
            inside = false;
            count++;
          } finally {
            lk.release();
          }
        }
      }
      const t0 = now();
      const tasks = new Array(TASKS);
      for (let i = 0; i < TASKS; i++) tasks[i] = A.createTask(worker());
      for (let i = 0; i < TASKS; i++) yield* tasks[i];
      const ms = now() - t0;
      expectCount("asyncio-ts acquisitions", count, TASKS * rounds);
      expectCount("asyncio-ts overlapping holders", overlaps, 0);
      return { ms };
    }),
    {
      name: "async-sema",
      run(n) {
        const s = new Sema(1);
        return promiseLock(n, "async-sema", async (body) => {
          await s.acquire();
          try {
            await body();
          } finally {
            s.release();
          }
        });
      },
    },
    {
      name: "async-mutex",
      run(n) {
        const m = new Mutex();
        return promiseLock(n, "async-mutex", (body) => m.runExclusive(body));
      },
    },
    {
      name: "@esfx/async-mutex",
      run(n) {
        const m = new AsyncMutex();
        return promiseLock(n, "@esfx/async-mutex", async (body) => {
          await m.lock();
          try {
            await body();
          } finally {
            m.unlock();
          }
        });
      },
    },
    {
      name: BARE,
      async run(n) {
        const rounds = perTask(n);
        const lk = new BareSemaphore(1);
        let inside = false;
        let count = 0;
        let overlaps = 0;
        function* worker(): BareCoro {
          for (let i = 0; i < rounds; i++) {
            if (!lk.tryAcquire()) yield lk;
            try {
              if (inside) overlaps++;
              inside = true;
              yield YIELD;
              inside = false;
              count++;
            } finally {
              lk.release();
            }
          }
        }
        const ms = bareSpawnAll(TASKS, worker);
        expectCount("bare acquisitions", count, TASKS * rounds);
        expectCount("bare overlapping holders", overlaps, 0);
        return { ms };
      },
    },
    {
      name: "effect 4 Semaphore(1)",
      maxN: TASKS * 10, // ~12k/s here
      async run(n) {
        const rounds = perTask(n);
        const sem = Semaphore.makeUnsafe(1);
        let inside = false;
        let count = 0;
        let overlaps = 0;
        const body = sem.withPermit(
          Effect.gen(function* () {
            if (inside) overlaps++;
            inside = true;
            yield* Effect.yieldNow;
            inside = false;
            count++;
          }),
        );
        const worker = Effect.gen(function* () {
          for (let i = 0; i < rounds; i++) yield* body;
        });
        const ms = await Effect.runPromise(
          Effect.gen(function* () {
            const t0 = now();
            const fibers = new Array(TASKS);
            for (let i = 0; i < TASKS; i++) fibers[i] = yield* Effect.forkChild(worker);
            for (let i = 0; i < TASKS; i++) yield* Fiber.join(fibers[i]);
            return now() - t0;
          }),
        );
        expectCount("effect acquisitions", count, TASKS * rounds);
        expectCount("effect overlapping holders", overlaps, 0);
        return { ms };
      },
    },
  ],
  targets: [
    { metric: "rate", text: "≥ 1× native lock", check: (get, impl) => atLeastTimes(get(impl), get("native lock"), 1) },
    { metric: "rate", text: "≥ 10× async-mutex", check: (get, impl) => atLeastTimes(get(impl), get("async-mutex"), 10) },
  ],
};
