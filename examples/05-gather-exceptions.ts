/**
 * Seed: "Tasks" › Example 2: Using `asyncio.gather` for Error Handling (python/05-gather-exceptions.py).
 * With `returnExceptions: true`, the failing task's error comes back as a result.
 *
 * Output differs from the notes: they print "Result: ValueError('Error in operation 2')", but the
 * f-string `{result}` is `str(result)`, and CPython prints "Result: Error in operation 2".
 */
import { ValueError, createTask, gather, run, sleep, type Coroutine, type RunOptions } from "asyncio-ts";
import { str } from "./repr.js";

function* riskyOperation(id: number): Coroutine<string> {
  console.log(`Starting operation ${id}`);
  yield* sleep(1000);
  if (id === 2) {
    throw new ValueError(`Error in operation ${id}`);
  }
  return `Result ${id}`;
}

function* main(): Coroutine<void> {
  // Create tasks
  const tasks = Array.from({ length: 3 }, (_, i) => createTask(riskyOperation(i)));

  // Use gather to collect results, handling exceptions
  const results = yield* gather(...tasks, { returnExceptions: true });
  for (const result of results) {
    console.log(`Result: ${str(result)}`);
  }
}

export default function (options?: RunOptions): Promise<void> {
  return run(main(), options);
}
