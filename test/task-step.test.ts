// Task steps in detail: what a step does with what the coroutine awaited, on the plain step (no
// error to throw in, no debug record) as on the others. Every outcome below is what CPython 3.13
// prints for the same scenario.
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, createTask, EventLoop, RuntimeError, type Coroutine } from "../src/index.js";

test("awaiting a future of another loop: RuntimeError at that await, and the task can go on (plain and debug steps)", async () => {
  for (const debug of [false, true]) {
    const ev: unknown[] = [];
    const other = new EventLoop({ clock: "virtual" });
    const fut = other.createFuture<number>();
    await run(
      function* () {
        const t = createTask(
          (function* (): Coroutine<string> {
            try {
              yield* fut;
            } catch (e) {
              ev.push([(e as Error).name, e instanceof RuntimeError, /attached to a different loop/.test((e as Error).message)]);
            }
            return "went on";
          })(),
        );
        ev.push(["result", yield* t]);
      },
      { clock: "virtual", debug },
    );
    other.close();
    assert.deepEqual(ev, [["RuntimeError", true, true], ["result", "went on"]], `debug=${debug}`);
  }
});
