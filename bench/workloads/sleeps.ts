/**
 * (e) n tasks each sleeping a random 0–50 ms on the real clock (the same pseudo-random delays for every
 * implementation). Each task measures its own lateness with performance.now (actual − requested); the
 * figures are the mean lateness and the process CPU time (user + system) of the whole run.
 */
import { asyncioImpl, type Coro } from "../asyncio.js";
import { atMostTimes, expectCount, now, type Raw, type Workload } from "../harness.js";
import { deferred } from "../native-primitives.js";

/** The delays: a fixed linear congruential sequence, so every implementation sleeps the same amounts. */
function delays(n: number): Float64Array {
  const out = new Float64Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s / 2 ** 32) * 50;
  }
  return out;
}

function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

export const sleeps: Workload = {
  name: "sleeps",
  issue: 2,
  title: "n tasks sleeping random 0–50 ms (real clock): lateness and CPU",
  n: 100_000,
  quickN: 10_000,
  metrics: [
    { key: "late", label: "mean ms late", better: "lower", from: (r, n) => r.lateSum / n },
    { key: "cpu", label: "CPU ms", better: "lower", digits: 0 },
    { key: "wall", label: "wall ms", better: "lower", digits: 0 },
  ],
  impls: [
    {
      name: "native",
      async run(n): Promise<Raw> {
        const d = delays(n);
        let lateSum = 0;
        let finished = 0;
        const all = deferred<void>();
        const sleeper = async (ms: number): Promise<void> => {
          const t = now();
          await new Promise((r) => setTimeout(r, ms));
          lateSum += now() - t - ms;
          if (++finished === n) all.resolve();
        };
        const cpu0 = process.cpuUsage();
        const t0 = now();
        for (let i = 0; i < n; i++) void sleeper(d[i]);
        await all.promise;
        const wall = now() - t0;
        expectCount("native sleepers", finished, n);
        return { lateSum, cpu: cpuMs(cpu0), wall };
      },
    },
    asyncioImpl("asyncio-ts", ["run", "createTask", "sleep", "getRunningLoop"], function* (A, n) {
      const d = delays(n);
      const all = A.getRunningLoop().createFuture<void>();
      let lateSum = 0;
      let finished = 0;
      function* sleeper(ms: number): Coro {
        const t = now();
        yield* A.sleep(ms);
        lateSum += now() - t - ms;
        if (++finished === n) all.setResult();
      }
      const cpu0 = process.cpuUsage();
      const t0 = now();
      for (let i = 0; i < n; i++) A.createTask(sleeper(d[i]));
      yield* all;
      const wall = now() - t0;
      expectCount("asyncio-ts sleepers", finished, n);
      return { lateSum, cpu: cpuMs(cpu0), wall };
    }),
  ],
  targets: [
    { metric: "late", text: "≤ 1.25× native", check: (get, impl) => atMostTimes(get(impl, "late"), get("native", "late"), 1.25) },
    { metric: "cpu", text: "≤ 1.25× native", check: (get, impl) => atMostTimes(get(impl, "cpu"), get("native", "cpu"), 1.25) },
  ],
};
