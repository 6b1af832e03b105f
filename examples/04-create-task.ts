/**
 * Seed: "Tasks" › Example 1: Using `asyncio.create_task` for Concurrent Execution
 * (python/04-create-task.py).
 * Three tasks sleep 1, 2 and 3 s concurrently under a 4 s `waitFor`; the whole run takes 3 s, not 6.
 *
 * Output differs from the notes: they print "Total time: 3.01 seconds", a wall-clock reading.
 * The expected output records "Total time: 3.00 seconds", what the example prints when time is exact
 * (CPython printed 3.00 too when we captured it). Python measures with `time.time()` around
 * `asyncio.run`; here we measure with the loop's own clock around `Runner.run` (what `asyncio.run`
 * is made of), so on the virtual clock it reads exactly 3.00 and in real time about 3.00.
 */
import {
  Runner,
  createTask,
  gather,
  sleep,
  waitFor,
  type Coroutine,
  type RunOptions,
} from "asyncio-ts";
import { repr } from "./repr.js";

function* fetchData(serverId: number): Coroutine<string> {
  console.log(`Fetching data from server ${serverId}`);
  yield* sleep(serverId * 1000); // Simulate network delay
  return `Data from server ${serverId}`;
}

function* main(): Coroutine<void> {
  // Create tasks
  const task1 = createTask(fetchData(1));
  const task2 = createTask(fetchData(2));
  const task3 = createTask(fetchData(3));

  // Wait for tasks to complete
  const results = yield* waitFor(gather(task1, task2, task3), 4000);
  console.log("Results:", repr(results));
}

export default async function (options?: RunOptions): Promise<void> {
  const runner = new Runner(options);
  const loop = runner.getLoop();
  const startTime = loop.time();
  let elapsed: number;
  try {
    await runner.run(main());
    elapsed = loop.time() - startTime;
  } finally {
    await runner.close();
  }
  console.log(`Total time: ${(elapsed / 1000).toFixed(2)} seconds`);
}
