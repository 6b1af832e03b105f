/**
 * Seed: "Coroutines" › Example (python/03-coroutines.py).
 * Awaiting one coroutine after another: they run in sequence, each returning its value.
 * CPython prints what the notes show; `str()` prints the object as Python prints the dict.
 */
import { run, sleep, type Coroutine, type RunOptions } from "asyncio-ts";
import { str } from "./repr.js";

function* fetchData(): Coroutine<{ data: number }> {
  console.log("Fetching data...");
  yield* sleep(1000); // Simulate network delay
  return { data: 42 };
}

function* processData(): Coroutine<string> {
  console.log("Processing data...");
  yield* sleep(500);
  return "Processed";
}

function* main(): Coroutine<void> {
  const result1 = yield* fetchData(); // Wait for coroutine to complete
  const result2 = yield* processData();
  console.log(`Results: ${str(result1)}, ${str(result2)}`);
}

export default function (options?: RunOptions): Promise<void> {
  return run(main(), options);
}
