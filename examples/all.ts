/**
 * The seed's runnable examples in order, by file name (without extension). Each runs its example with
 * the given run options: the default (real time) for the demo, `{ clock: "virtual" }` in the test.
 */
import type { RunOptions } from "asyncio-ts";
import helloWorld from "./01-hello-world.js";
import eventLoop from "./02-event-loop.js";
import coroutines from "./03-coroutines.js";
import createTask from "./04-create-task.js";
import gatherExceptions from "./05-gather-exceptions.js";
import taskgroup from "./06-taskgroup.js";
import backgroundCancel from "./07-background-cancel.js";
import taskgroupTimeout from "./08-taskgroup-timeout.js";
import future from "./09-future.js";
import lock from "./10-lock.js";
import event from "./11-event.js";
import condition from "./12-condition.js";
import semaphore from "./13-semaphore.js";
import boundedSemaphore from "./14-bounded-semaphore.js";

export type Example = (options?: RunOptions) => Promise<void>;

export const examples: ReadonlyArray<readonly [name: string, main: Example]> = [
  ["01-hello-world", helloWorld],
  ["02-event-loop", eventLoop],
  ["03-coroutines", coroutines],
  ["04-create-task", createTask],
  ["05-gather-exceptions", gatherExceptions],
  ["06-taskgroup", taskgroup],
  ["07-background-cancel", backgroundCancel],
  ["08-taskgroup-timeout", taskgroupTimeout],
  ["09-future", future],
  ["10-lock", lock],
  ["11-event", event],
  ["12-condition", condition],
  ["13-semaphore", semaphore],
  ["14-bounded-semaphore", boundedSemaphore],
];
