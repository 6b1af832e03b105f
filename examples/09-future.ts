/**
 * Seed: "Futures" › Example (python/09-future.py).
 * A task resolves a future that main awaits. CPython prints what the notes show.
 */
import {
  createTask,
  getRunningLoop,
  run,
  sleep,
  type Coroutine,
  type Future,
  type RunOptions,
} from "asyncio-ts";

function* setFutureResult(future: Future<string>): Coroutine<void> {
  yield* sleep(1000);
  future.setResult("Future resolved!");
}

function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  const future = loop.createFuture<string>(); // Create a future
  createTask(setFutureResult(future)); // Schedule task to set result
  const result = yield* future; // Wait for future to resolve
  console.log(result);
}

export default function (options?: RunOptions): Promise<void> {
  return run(main(), options);
}
