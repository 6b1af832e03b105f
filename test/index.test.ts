// Pins the public export list: adding or removing a name must be a decision, made here.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as api from "../src/index.js";

test("the package root exports exactly the public API", () => {
  assert.deepEqual(Object.keys(api).sort(), [
    "ALL_COMPLETED",
    "Barrier",
    "BoundedSemaphore",
    "BrokenBarrierError",
    "CancelledError",
    "Condition",
    "Event",
    "EventLoop",
    "ExceptionGroup",
    "FIRST_COMPLETED",
    "FIRST_EXCEPTION",
    "Future",
    "Handle",
    "Held",
    "IncompleteReadError",
    "InvalidStateError",
    "LifoQueue",
    "LimitOverrunError",
    "Lock",
    "PriorityQueue",
    "Queue",
    "QueueEmpty",
    "QueueFull",
    "QueueShutDown",
    "Runner",
    "RuntimeError",
    "Semaphore",
    "Task",
    "TaskGroup",
    "Timeout",
    "TimeoutError",
    "TimerHandle",
    "ValueError",
    "allTasks",
    "asCompleted",
    "asyncWith",
    "captureCallGraph",
    "createTask",
    "currentTask",
    "ensureFuture",
    "formatCallGraph",
    "fromPromise",
    "gather",
    "getEventLoop",
    "getRunningLoop",
    "isCoroutine",
    "isFuture",
    "newEventLoop",
    "printCallGraph",
    "run",
    "setEventLoop",
    "shield",
    "sleep",
    "taskGroup",
    "timeout",
    "timeoutAt",
    "wait",
    "waitFor",
  ]);
});

test("every error class has its own name", () => {
  for (const name of [
    "CancelledError", "TimeoutError", "InvalidStateError", "RuntimeError", "ValueError", "QueueEmpty",
    "QueueFull", "QueueShutDown", "BrokenBarrierError", "ExceptionGroup",
  ] as const) {
    const Cls = api[name] as unknown as new (...a: unknown[]) => Error;
    const e = name === "ExceptionGroup" ? new Cls("m", [new Error("x")]) : new Cls("m");
    assert.equal(e.name, name);
    assert.ok(e instanceof Error);
  }
  assert.ok(new api.ExceptionGroup("m", [1]) instanceof AggregateError);
  assert.equal(new api.IncompleteReadError(new Uint8Array(2), 5).name, "IncompleteReadError");
  assert.equal(new api.LimitOverrunError("too long", 3).consumed, 3);
});
