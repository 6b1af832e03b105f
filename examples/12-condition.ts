/**
 * Seed: "Synchronization" › Condition › Example (python/12-condition.py).
 * A producer appends 0, 1, 2 (0.5 s apart) and notifies one consumer each time; two consumers each
 * take one item.
 *
 * Output differs from the notes: they show ten lines, both consumers waiting first and a third
 * consumption that cannot happen (two consumers take one item each). In CPython the producer, first
 * in `gather`, runs first: it produces 0 before anyone waits, Consumer 1 takes it without waiting,
 * Consumer 2 waits and takes 1, and 2 stays in the buffer. CPython prints six lines.
 */
import { Condition, asyncWith, gather, run, sleep, type Coroutine, type RunOptions } from "asyncio-ts";
import { str } from "./repr.js";

function* producer(condition: Condition, buffer: number[]): Coroutine<void> {
  for (let i = 0; i < 3; i++) {
    yield* asyncWith(condition, function* () {
      buffer.push(i);
      console.log(`Produced ${i}, buffer: ${str(buffer)}`);
      condition.notify(); // Notify one consumer
    });
    yield* sleep(500);
  }
}

function* consumer(condition: Condition, buffer: number[], name: string): Coroutine<void> {
  yield* asyncWith(condition, function* () {
    while (buffer.length === 0) {
      // Wait for items
      console.log(`${name} waiting for items`);
      yield* condition.wait();
    }
    const item = buffer.shift();
    console.log(`${name} consumed ${item}, buffer: ${str(buffer)}`);
  });
}

function* main(): Coroutine<void> {
  const buffer: number[] = [];
  const condition = new Condition();
  const tasks = [
    producer(condition, buffer),
    consumer(condition, buffer, "Consumer 1"),
    consumer(condition, buffer, "Consumer 2"),
  ];
  yield* gather(...tasks);
}

export default function (options?: RunOptions): Promise<void> {
  return run(main(), options);
}
