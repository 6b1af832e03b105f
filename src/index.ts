// The public API of asyncio-ts: re-exports only (a test pins this list).
export {
  CancelledError,
  TimeoutError,
  InvalidStateError,
  RuntimeError,
  ValueError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  BrokenBarrierError,
  IncompleteReadError,
  LimitOverrunError,
  ExceptionGroup,
} from "./exceptions.js";
export type { Coroutine, Awaitable } from "./coroutines.js";
export { isCoroutine } from "./coroutines.js";
export { Handle, TimerHandle, getRunningLoop, getEventLoop, setEventLoop } from "./events.js";
export { EventLoop, newEventLoop } from "./base-events.js";
export type { EventLoopOptions, ExceptionContext, ExceptionHandler } from "./base-events.js";
export { Future, isFuture } from "./futures.js";
export type { FutureState, FutureOptions, DoneCallback } from "./futures.js";
export { Task, createTask, currentTask, allTasks, ensureFuture } from "./tasks.js";
export type { TaskOptions } from "./tasks.js";
export { sleep } from "./sleep.js";
export { gather } from "./gather.js";
export type { GatherOptions, GatherResults, GatherSettled, AwaitedResult } from "./gather.js";
export { shield } from "./shield.js";
export { wait, waitFor, asCompleted, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED } from "./wait.js";
export type { WaitOptions, ReturnWhen } from "./wait.js";
export { timeout, timeoutAt, Timeout } from "./timeouts.js";
export type { TimeoutState } from "./timeouts.js";
export { TaskGroup, taskGroup } from "./taskgroups.js";
export { asyncWith } from "./context.js";
export type { AsyncContextManager, Exit, WithBody } from "./context.js";
export { fromPromise } from "./promises.js";
export { run, Runner } from "./runners.js";
export type { RunOptions, Main } from "./runners.js";
export { captureCallGraph, formatCallGraph, printCallGraph } from "./graph.js";
export type { FutureCallGraph } from "./graph.js";
export { Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier, Held } from "./locks/index.js";
export type { BarrierState } from "./locks/index.js";
export { Queue, PriorityQueue, LifoQueue } from "./queues.js";
