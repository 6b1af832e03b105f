/**
 * Compile-time check that the structural API in `asyncio.ts` (what the workloads call) matches the real
 * exports of `src/index.ts`. Nothing here runs; a mismatch is a type error on the export's line.
 */
import * as Real from "../src/index.js";
import type { AQueue, Asyncio } from "./asyncio.js";

type Functions = Omit<Asyncio, "Queue">;

export function check(): [Functions, AQueue<number>] {
  const api: Functions = {
    run: Real.run,
    sleep: Real.sleep,
    createTask: Real.createTask,
    getRunningLoop: Real.getRunningLoop,
    taskGroup: Real.taskGroup,
    asyncWith: Real.asyncWith,
    CancelledError: Real.CancelledError,
    Lock: Real.Lock,
    Semaphore: Real.Semaphore,
    Event: Real.Event,
  };
  return [api, new Real.Queue<number>(1)];
}
