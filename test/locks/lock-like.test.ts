// The same exclusion, FIFO, cancel-while-waiting, baton-passing and timeout scenarios over every
// lock-like primitive. CPython 3.13 gives each of them the same outcome:
// test/locks/python/lock_like.py checks that, and prints the orderings asserted here.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTask, gather, sleep, waitFor, asyncWith, TimeoutError, type Coroutine } from "../../src/index.js";
import { Lock } from "../../src/locks/lock.js";
import { Semaphore, BoundedSemaphore } from "../../src/locks/semaphore.js";
import { Condition } from "../../src/locks/condition.js";
import type { Held } from "../../src/locks/held.js";
import type { AsyncContextManager } from "../../src/context.js";
import { vrun, now } from "./helpers.js";

interface LockLike extends AsyncContextManager<void> {
  acquire(): Coroutine<true>;
  release(): void;
  locked(): boolean;
  hold(): Coroutine<Held>;
}

const factories: [string, () => LockLike][] = [
  ["Lock", () => new Lock()],
  ["Semaphore(1)", () => new Semaphore(1)],
  ["BoundedSemaphore(1)", () => new BoundedSemaphore(1)],
  ["Condition", () => new Condition()],
];

for (const [name, make] of factories) {
  describe(`lock-like: ${name}`, () => {
    test("a Held releases at most once, even when that release throws (the primitive was released directly)", async () => {
      const ev: unknown[] = [];
      await vrun(function* () {
        const lock = make();
        const h = yield* lock.hold();
        lock.release(); // released directly: the Held's own release is one too many
        const attempt = (): string => {
          try {
            h.release();
            return "no error";
          } catch (e) {
            return (e as Error).name;
          }
        };
        ev.push(attempt(), h.held, String(lock));
        ev.push(attempt(), h.held, String(lock));
        h[Symbol.dispose]();
        ev.push(String(lock));
      });
      const first = name === "Semaphore(1)" ? "no error" : name === "BoundedSemaphore(1)" ? "ValueError" : "RuntimeError";
      const after = String(make());
      assert.deepEqual(ev.slice(0, 2), [first, false]);
      assert.deepEqual(ev.slice(3), ["no error", false, ev[2], ev[2]]);
      if (name === "Semaphore(1)") assert.match(String(ev[2]), /value:2/);
      else assert.equal(ev[2], after);
    });

    for (const style of ["asyncWith", "using", "acquire/release"] as const) {
      test(`one holder at a time, FIFO turns (${style})`, async () => {
        const ev: unknown[] = [];
        await vrun(function* () {
          const lock = make();
          let inside = 0;
          function* critical(i: number, k: number): Coroutine<void> {
            inside++;
            ev.push([i, k, inside]);
            yield* sleep(i % 3);
            inside--;
          }
          function* w(i: number): Coroutine<void> {
            for (let k = 0; k < 3; k++) {
              if (style === "asyncWith") {
                yield* asyncWith(lock, () => critical(i, k));
              } else if (style === "using") {
                using _ = yield* lock.hold();
                yield* critical(i, k);
              } else {
                yield* lock.acquire();
                try {
                  yield* critical(i, k);
                } finally {
                  lock.release();
                }
              }
            }
          }
          yield* gather(w(0), w(1), w(2), w(3));
          ev.push(["end", now(), lock.locked()]);
        });
        assert.deepEqual(ev, [
          [0, 0, 1], [1, 0, 1], [2, 0, 1], [3, 0, 1],
          [0, 1, 1], [1, 1, 1], [2, 1, 1], [3, 1, 1],
          [0, 2, 1], [1, 2, 1], [2, 2, 1], [3, 2, 1],
          ["end", 9, false],
        ]);
      });
    }

    function* contender(lock: LockLike, name: string, ev: unknown[]): Coroutine<void> {
      try {
        yield* lock.acquire();
      } catch (e) {
        ev.push([name, "cancelled"]);
        throw e;
      }
      ev.push([name, "acquired"]);
      yield* sleep(0);
      lock.release();
    }

    test("waiters cancelled while queued are skipped; the others keep their order", async () => {
      const ev: unknown[] = [];
      await vrun(function* () {
        const lock = make();
        yield* lock.acquire();
        const ts = ["A", "B", "C", "D"].map((n) => createTask(contender(lock, n, ev)));
        yield* sleep(0);
        ts[1]!.cancel();
        yield* sleep(0);
        lock.release();
        ts[2]!.cancel();
        yield* gather(...ts, { returnExceptions: true });
        ev.push(["end", lock.locked(), ts.map((t) => t.cancelled())]);
      });
      assert.deepEqual(ev, [
        ["B", "cancelled"],
        ["A", "acquired"],
        ["C", "cancelled"],
        ["D", "acquired"],
        ["end", false, [false, true, true, false]],
      ]);
    });

    test("baton: a woken waiter cancelled before it runs passes the lock on; a newcomer queues last", async () => {
      const ev: unknown[] = [];
      await vrun(function* () {
        const lock = make();
        yield* lock.acquire();
        const ts = ["A", "B", "C"].map((n) => createTask(contender(lock, n, ev)));
        yield* sleep(0);
        lock.release();
        ts[0]!.cancel();
        ev.push(["newcomer tries"]);
        yield* lock.acquire();
        ev.push(["main acquired"]);
        lock.release();
        yield* gather(...ts, { returnExceptions: true });
        ev.push(["end", lock.locked(), ts.map((t) => t.cancelled())]);
      });
      assert.deepEqual(ev, [
        ["newcomer tries"],
        ["A", "cancelled"],
        ["B", "acquired"],
        ["C", "acquired"],
        ["main acquired"],
        ["end", false, [true, false, false]],
      ]);
    });

    test("a waiter that times out leaves the queue; the next ones get the lock", async () => {
      const ev: unknown[] = [];
      await vrun(function* () {
        const lock = make();
        yield* lock.acquire();
        function* w(name: string, t: number): Coroutine<void> {
          try {
            yield* waitFor(lock.acquire(), t);
          } catch (e) {
            assert.ok(e instanceof TimeoutError);
            ev.push([now(), name, "timeout"]);
            return;
          }
          ev.push([now(), name, "acquired"]);
          yield* sleep(5);
          lock.release();
        }
        const ts = [createTask(w("A", 10)), createTask(w("B", 30)), createTask(w("C", 100))];
        yield* sleep(20);
        lock.release();
        yield* gather(...ts);
        ev.push([now(), "end", lock.locked()]);
      });
      assert.deepEqual(ev, [
        [10, "A", "timeout"],
        [20, "B", "acquired"],
        [25, "C", "acquired"],
        [30, "end", false],
      ]);
    });
  });
}
