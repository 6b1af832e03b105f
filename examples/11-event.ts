/**
 * Seed: "Synchronization" › Event › Example (python/11-event.py).
 * Three waiters block on an Event until the trigger sets it after 1 s.
 * CPython prints what the notes show.
 */
import { Event, gather, run, sleep, type Coroutine, type RunOptions } from "asyncio-ts";

function* waiter(event: Event, name: string): Coroutine<void> {
  console.log(`${name} waiting for event`);
  yield* event.wait(); // Wait until event is set
  console.log(`${name} proceeding after event`);
}

function* trigger(event: Event): Coroutine<void> {
  console.log("Trigger task started");
  yield* sleep(1000); // Simulate setup work
  console.log("Setting event");
  event.set(); // Signal waiting coroutines
}

function* main(): Coroutine<void> {
  const event = new Event();
  const tasks = [...Array.from({ length: 3 }, (_, i) => waiter(event, `Waiter ${i}`)), trigger(event)];
  yield* gather(...tasks);
}

export default function (options?: RunOptions): Promise<void> {
  return run(main(), options);
}
