/**
 * Seed: "Synchronization" › BoundedSemaphore › Example (python/14-bounded-semaphore.py).
 * Two at a time hold the semaphore; one release too many throws ValueError.
 * CPython prints what the notes show.
 */
import {
  BoundedSemaphore,
  ValueError,
  asyncWith,
  gather,
  run,
  sleep,
  type Coroutine,
  type RunOptions,
} from "asyncio-ts";

function* accessResource(semaphore: BoundedSemaphore, name: string): Coroutine<void> {
  yield* asyncWith(semaphore, function* () {
    console.log(`${name} acquired resource`);
    yield* sleep(500);
    console.log(`${name} released resource`);
  });
}

function* main(): Coroutine<void> {
  const semaphore = new BoundedSemaphore(2); // Allow 2 concurrent accesses
  const tasks = Array.from({ length: 4 }, (_, i) => accessResource(semaphore, `Task ${i}`));
  yield* gather(...tasks);
  // Attempting to release again would raise ValueError
  try {
    semaphore.release();
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    console.log(`Error: ${e.message}`);
  }
}

export default function (options?: RunOptions): Promise<void> {
  return run(main(), options);
}
