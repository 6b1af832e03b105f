/**
 * Seed: "Tasks" › Example 5: Timeout with `TaskGroup` (python/08-taskgroup-timeout.py).
 * Tasks of 2, 4 and 6 s in a group; the body waits for them under a 3 s `waitFor`.
 *
 * Output differs from the notes: they print "Timeout! Tasks were cancelled by TaskGroup", but the
 * TimeoutError is raised inside the `async with TaskGroup()` body, and the group re-raises whatever
 * its body raised (other than CancelledError) inside an ExceptionGroup. `except asyncio.TimeoutError`
 * does not match the group; `except Exception` does, and CPython prints
 * "Error: unhandled errors in a TaskGroup (1 sub-exception)".
 */
import {
  CancelledError,
  TimeoutError,
  gather,
  run,
  sleep,
  taskGroup,
  waitFor,
  type Coroutine,
  type RunOptions,
} from "asyncio-ts";
import { repr, str } from "./repr.js";

function* longTask(id: number): Coroutine<string> {
  console.log(`Task ${id} started`);
  yield* sleep(id * 2000);
  console.log(`Task ${id} completed`);
  return `Result ${id}`;
}

function* main(): Coroutine<void> {
  try {
    yield* taskGroup(function* (tg) {
      const tasks = [1, 2, 3].map((i) => tg.createTask(longTask(i)));
      // Wrap TaskGroup in a timeout
      const results = yield* waitFor(gather(...tasks, { returnExceptions: true }), 3000);
      console.log("Results:", repr(results));
    });
  } catch (e) {
    if (e instanceof TimeoutError) {
      console.log("Timeout! Tasks were cancelled by TaskGroup");
    } else if (e instanceof CancelledError) {
      throw e; // Python's `except Exception` does not catch CancelledError (a BaseException)
    } else {
      console.log(`Error: ${str(e)}`);
    }
  }
}

export default function (options?: RunOptions): Promise<void> {
  return run(main(), options);
}
