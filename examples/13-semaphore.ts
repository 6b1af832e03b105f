/**
 * Seed: "Synchronization" › Semaphore › Example (python/13-semaphore.py).
 * At most two of five tasks hold the semaphore at once. CPython prints what the notes show.
 */
import { Semaphore, asyncWith, gather, run, sleep, type Coroutine, type RunOptions } from "asyncio-ts";

function* accessApi(semaphore: Semaphore, name: string): Coroutine<void> {
  yield* asyncWith(semaphore, function* () {
    // Limit concurrent access
    console.log(`${name} making API call`);
    yield* sleep(1000); // Simulate API delay
    console.log(`${name} finished API call`);
  });
}

function* main(): Coroutine<void> {
  const semaphore = new Semaphore(2); // Allow 2 concurrent calls
  const tasks = Array.from({ length: 5 }, (_, i) => accessApi(semaphore, `Task ${i}`));
  yield* gather(...tasks);
}

export default function (options?: RunOptions): Promise<void> {
  return run(main(), options);
}
