/**
 * Seed: "Synchronization" › Lock › Example (python/10-lock.py).
 * `async with lock` makes each read-sleep-write of the shared counter exclusive.
 * CPython prints what the notes show.
 */
import { Lock, asyncWith, gather, run, sleep, type Coroutine, type RunOptions } from "asyncio-ts";

function* incrementCounter(lock: Lock, counter: number[], name: string): Coroutine<void> {
  yield* asyncWith(lock, function* () {
    // Acquire lock safely
    const current = counter[0];
    console.log(`${name} read counter: ${current}`);
    yield* sleep(100); // Simulate work
    counter[0] = current + 1;
    console.log(`${name} set counter: ${counter[0]}`);
  });
}

function* main(): Coroutine<void> {
  const counter = [0]; // Shared resource
  const lock = new Lock();
  const tasks = Array.from({ length: 3 }, (_, i) => incrementCounter(lock, counter, `Task ${i}`));
  yield* gather(...tasks);
  console.log(`Final counter: ${counter[0]}`);
}

export default function (options?: RunOptions): Promise<void> {
  return run(main(), options);
}
