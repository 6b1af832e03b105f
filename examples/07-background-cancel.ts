/**
 * Seed: "Tasks" › Example 4: Background Task with Cancellation (python/07-background-cancel.py).
 * A monitor prints every 2 s while main takes three 1 s steps, then main cancels it.
 *
 * Output differs from the notes: they show "Main step 2" before the second "Monitoring...", but
 * at t = 2 s the monitor's timer (set at t = 0) is due no later than main's (set at t = 1 s), so
 * CPython prints "Monitoring..." first. On the virtual clock both are due at exactly 2000 ms and
 * run in the order they were scheduled, which gives CPython's order.
 */
import { CancelledError, createTask, run, sleep, type Coroutine, type RunOptions } from "asyncio-ts";

function* backgroundMonitor(): Coroutine<never> {
  while (true) {
    console.log("Monitoring...");
    yield* sleep(2000);
  }
}

function* main(): Coroutine<void> {
  // Start background task
  const task = createTask(backgroundMonitor());

  // Main work
  for (let i = 0; i < 3; i++) {
    console.log(`Main step ${i}`);
    yield* sleep(1000);
  }

  // Cancel background task
  task.cancel();
  try {
    yield* task;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    console.log("Background task cancelled");
  }
}

export default function (options?: RunOptions): Promise<void> {
  return run(main(), options);
}
