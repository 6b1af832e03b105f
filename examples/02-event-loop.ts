/**
 * Seed: "Event Loop" › Example (python/02-event-loop.py).
 * Drives the loop by hand, as `loop.run_until_complete(...)` then `loop.close()`.
 * CPython prints what the notes show (3.12+ also warns on stderr that there is no current event loop).
 *
 * `asyncio.get_event_loop()` creates the default loop on first use; here the example first installs
 * one built with the caller's run options (`setEventLoop(new EventLoop(options))`), so the test can
 * run it on the virtual clock. `getEventLoop()` then returns that loop.
 */
import {
  EventLoop,
  gather,
  getEventLoop,
  setEventLoop,
  sleep,
  type Coroutine,
  type RunOptions,
} from "asyncio-ts";

function* task1(): Coroutine<void> {
  console.log("Task 1 started");
  yield* sleep(2000);
  console.log("Task 1 finished");
}

function* task2(): Coroutine<void> {
  console.log("Task 2 started");
  yield* sleep(1000);
  console.log("Task 2 finished");
}

export default async function (options?: RunOptions): Promise<void> {
  setEventLoop(new EventLoop(options));
  const loop = getEventLoop(); // Get the default event loop
  try {
    await loop.runUntilComplete(gather(task1(), task2())); // Run tasks
  } finally {
    loop.close(); // Clean up
  }
}
