// Every primitive binds to the loop of the first call that waits; a wait from another loop is a
// RuntimeError naming the primitive (CPython's _LoopBoundMixin), and uncontended use binds nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, createTask, sleep, RuntimeError, type Coroutine } from "../../src/index.js";
import { Lock } from "../../src/locks/lock.js";
import { Event } from "../../src/locks/event.js";
import { Condition } from "../../src/locks/condition.js";
import { Semaphore } from "../../src/locks/semaphore.js";
import { Barrier } from "../../src/locks/barrier.js";
import { Queue } from "../../src/queues.js";

interface Case {
  name: string;
  make(): unknown;
  /** A coroutine that waits on the primitive (it stays blocked). */
  wait(p: any): Coroutine<unknown>;
  /** The state part of toString() when the second loop tries to wait. */
  repr: RegExp;
}

const cases: Case[] = [
  { name: "Lock", make: () => new Lock(), wait: (l: Lock) => (function* () { yield* l.acquire(); yield* l.acquire(); })(), repr: /<Lock \[locked\]>/ },
  { name: "Event", make: () => new Event(), wait: (e: Event) => e.wait(), repr: /<Event \[unset\]>/ },
  { name: "Semaphore", make: () => new Semaphore(0), wait: (s: Semaphore) => s.acquire(), repr: /<Semaphore \[locked\]>/ },
  {
    name: "Condition",
    make: () => new Condition(),
    wait: (c: Condition) => (function* () { using _ = yield* c.hold(); yield* c.wait(); })(),
    repr: /<Condition \[locked\]>/,
  },
  { name: "Queue.get", make: () => new Queue(), wait: (q: Queue) => q.get(), repr: /<Queue maxsize=0 \[size:0/ },
  {
    name: "Queue.put",
    make: () => {
      const q = new Queue(1);
      q.putNowait(0);
      return q;
    },
    wait: (q: Queue) => q.put(1),
    repr: /<Queue maxsize=1 \[size:1/,
  },
  // The error names the primitive the user made, not the Condition or Event inside it.
  { name: "Barrier", make: () => new Barrier(2), wait: (b: Barrier) => b.wait(), repr: /<Barrier \[/ },
  {
    name: "Queue.join",
    make: () => {
      const q = new Queue();
      q.putNowait(0);
      return q;
    },
    wait: (q: Queue) => q.join(),
    repr: /<Queue maxsize=0 \[size:1/,
  },
  {
    name: "Condition's own Lock",
    make: () => new Condition(),
    wait: (c: Condition) => (function* () { yield* c.acquire(); yield* c.acquire(); })(),
    repr: /<Condition \[locked\]>/,
  },
];

for (const c of cases) {
  test(`${c.name}: a wait from a second loop is a RuntimeError`, async () => {
    const p = c.make();
    await run(
      function* () {
        const t = createTask(c.wait(p)); // waits: binds p (or its internal condition) to this loop
        yield* sleep(1);
        assert.equal(t.done(), false);
        t.cancel();
      },
      { clock: "virtual" },
    );
    await assert.rejects(
      run(() => c.wait(p), { clock: "virtual" }),
      (e: unknown) => e instanceof RuntimeError && c.repr.test(e.message) && /is bound to a different event loop/.test(e.message),
    );
  });
}

test("uncontended use from several loops binds nothing", async () => {
  const lock = new Lock();
  const ev = new Event();
  const sem = new Semaphore(1);
  const q = new Queue<number>();
  for (let i = 0; i < 2; i++) {
    await run(
      function* () {
        yield* lock.acquire();
        lock.release();
        ev.set();
        yield* ev.wait();
        ev.clear();
        yield* sem.acquire();
        sem.release();
        yield* q.put(i);
        assert.equal(yield* q.get(), i);
      },
      { clock: "virtual" },
    );
  }
  assert.equal(lock._loop, null);
  assert.equal(sem._loop, null);
  assert.equal(q._loop, null);
});

test("a primitive made outside any loop works in the loop that first waits on it", async () => {
  const lock = new Lock();
  await run(
    function* () {
      yield* lock.acquire();
      const t = createTask(lock.acquire());
      yield* sleep(0);
      lock.release();
      assert.equal(yield* t, true);
      lock.release();
    },
    { clock: "virtual" },
  );
});

test("an acquire() that failed the loop check is over: awaiting it again is a reuse error, even once the primitive is free", async () => {
  // CPython 3.13: the second `await c` raises "cannot reuse already awaited coroutine"; nothing is taken.
  const lock = new Lock();
  const sem = new Semaphore(0);
  await run(
    function* () {
      yield* lock.acquire();
      const t = createTask(lock.acquire());
      const t2 = createTask(sem.acquire());
      yield* sleep(1);
      t.cancel();
      t2.cancel();
    },
    { clock: "virtual" },
  );
  const ev: unknown[] = [];
  await run(
    function* () {
      for (const p of [lock, sem]) {
        const c = p.acquire();
        try {
          yield* c;
        } catch (e) {
          ev.push(["1st", (e as Error).name, /is bound to a different event loop/.test((e as Error).message)]);
        }
        p.release();
        try {
          ev.push(["2nd returned", yield* c]);
        } catch (e) {
          ev.push(["2nd", (e as Error).name, /^cannot reuse already awaited coroutine/.test((e as Error).message)]);
        }
        ev.push(String(p));
      }
    },
    { clock: "virtual" },
  );
  assert.deepEqual(ev, [
    ["1st", "RuntimeError", true],
    ["2nd", "RuntimeError", true],
    "<Lock [unlocked]>",
    ["1st", "RuntimeError", true],
    ["2nd", "RuntimeError", true],
    "<Semaphore [unlocked, value:1]>",
  ]);
});
