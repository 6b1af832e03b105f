/** The synchronization primitives (asyncio's locks.py), re-exported for `src/index.ts`. */
export { Lock } from "./lock.js";
export { Event } from "./event.js";
export { Condition } from "./condition.js";
export { Semaphore, BoundedSemaphore } from "./semaphore.js";
export { Barrier, type BarrierState } from "./barrier.js";
export { Held } from "./held.js";
