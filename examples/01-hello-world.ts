/**
 * Seed: "What is `asyncio`?" › Example (python/01-hello-world.py).
 * Two coroutines run concurrently under `gather`: both print "Hello", wait 1 s, print "World".
 * CPython prints what the notes show.
 */
import { run, sleep, gather, type Coroutine, type RunOptions } from "asyncio-ts";

function* sayHello(): Coroutine<void> {
  console.log("Hello");
  yield* sleep(1000); // Simulate I/O wait
  console.log("World");
}

function* main(): Coroutine<void> {
  yield* gather(sayHello(), sayHello()); // Run concurrently
}

export default function (options?: RunOptions): Promise<void> {
  return run(main(), options);
}
