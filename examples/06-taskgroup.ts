/**
 * Seed: "Tasks" › Example 3: Using `asyncio.TaskGroup` for Structured Concurrency
 * (python/06-taskgroup.py).
 * Item 3 fails at t = 3 s; the group cancels item 4 and raises an ExceptionGroup holding the ValueError,
 * so the loop over the results never runs.
 *
 * Output differs from the notes: they print "TaskGroup caught: Failed to process item 3", but a
 * TaskGroup raises an ExceptionGroup, whose str() is its own message: CPython prints
 * "TaskGroup caught: unhandled errors in a TaskGroup (1 sub-exception)".
 */
import { ValueError, run, sleep, taskGroup, type Coroutine, type RunOptions } from "asyncio-ts";
import { str } from "./repr.js";

function* processItem(item: number): Coroutine<string> {
  console.log(`Processing item ${item}`);
  yield* sleep(item * 1000);
  if (item === 3) {
    throw new ValueError(`Failed to process item ${item}`);
  }
  return `Processed ${item}`;
}

function* main(): Coroutine<void> {
  const tasks = yield* taskGroup(function* (tg) {
    // Create tasks within the task group
    return [1, 2, 3, 4].map((i) => tg.createTask(processItem(i)));
  });

  // Results are available after the group exits
  for (const task of tasks) {
    if (task.done() && !task.cancelled()) {
      try {
        console.log(`Result: ${task.result()}`);
      } catch (e) {
        console.log(`Error: ${str(e)}`);
      }
    }
  }
}

export default async function (options?: RunOptions): Promise<void> {
  try {
    await run(main(), options);
  } catch (e) {
    console.log(`TaskGroup caught: ${str(e)}`);
  }
}
