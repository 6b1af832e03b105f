/** Every workload, in the order the suite runs them. */
import type { Workload } from "../harness.js";
import { blocked } from "./blocked.js";
import { cancel } from "./cancel.js";
import { limit } from "./limit.js";
import { linearEvent, linearEventCancel, linearLock, linearSemaphore } from "./linear.js";
import { lock } from "./lock.js";
import { pingPong } from "./ping-pong.js";
import { queue } from "./queue.js";
import { sleeps } from "./sleeps.js";
import { spawnJoin } from "./spawn-join.js";
import { waiterMemory } from "./waiter-memory.js";

export const workloads: Workload[] = [
  spawnJoin,
  pingPong,
  blocked,
  cancel,
  sleeps,
  lock,
  limit,
  queue,
  linearLock,
  linearSemaphore,
  linearEvent,
  linearEventCancel,
  waiterMemory,
];
