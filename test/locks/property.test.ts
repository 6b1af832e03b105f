/**
 * Property tests (fast-check) of the primitives over seeded schedules (`run(main, { clock:
 * "virtual", seed })`: the callbacks of each loop iteration run in a seeded permutation), with
 * random hold times, random cancellations and random timeouts.
 *
 * Invariants:
 * - Lock and Semaphore(n): never more than 1 / n holders; every task settles; afterwards the
 *   primitive is back to its initial state (no permit lost or doubled, no waiter left behind), and
 *   `locked()` agrees;
 * - Condition: no lost wake-up: with consumers cancelled at random (also right after being
 *   notified), every item is consumed at the loop time it was produced (a lost notification would
 *   leave it until the next one), and everything produced is consumed;
 * - Event: every waiter not cancelled returns true once set() is called; the queue ends empty;
 * - Barrier: every round releases all `parties` tasks, with the indexes 0..parties-1; with tasks
 *   cancelled at random (also right after being released) and random resets, no trip releases more
 *   than `parties` tasks, the task that trips it returns first, the barrier is never wedged (once
 *   only `parties` tasks are left, they keep tripping it) and its count balances.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  createTask,
  getRunningLoop,
  sleep,
  waitFor,
  gather,
  TimeoutError,
  CancelledError,
  BrokenBarrierError,
  type Coroutine,
  type Task,
} from "../../src/index.js";
import { Lock } from "../../src/locks/lock.js";
import { Semaphore, BoundedSemaphore } from "../../src/locks/semaphore.js";
import { Condition } from "../../src/locks/condition.js";
import { Event } from "../../src/locks/event.js";
import { Barrier } from "../../src/locks/barrier.js";
import { vrun, state } from "./helpers.js";

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** What one worker does: rounds of (acquire, maybe under a timeout; hold; release). */
const worker = fc.record({
  rounds: fc.integer({ min: 1, max: 4 }),
  holdMs: fc.integer({ min: 0, max: 3 }),
  acquireTimeout: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
  style: fc.constantFrom("acquire", "using", "asyncWith"),
  cancelAt: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
});

function swallow(e: unknown): void {
  if (!(e instanceof CancelledError) && !(e instanceof TimeoutError)) throw e;
}

/**
 * Cancellations from a task step rather than a timer: at loop time `ms`, after yielding `spins`
 * times, cancel `victim`. With a seed its step runs before or after the other steps of the same
 * iteration, so it also lands between a wake-up and the woken task's step.
 */
const chaos = fc.array(
  fc.record({ ms: fc.integer({ min: 0, max: 8 }), spins: fc.integer({ min: 0, max: 3 }), victim: fc.nat() }),
  { maxLength: 6 },
);

function* monkey(plan: { ms: number; spins: number; victim: number }[], tasks: Task<unknown>[]): Coroutine<void> {
  const loop = getRunningLoop();
  const start = loop.time();
  for (const c of [...plan].sort((a, b) => a.ms - b.ms || a.spins - b.spins)) {
    yield* sleep(start + c.ms - loop.time());
    for (let i = 0; i < c.spins; i++) yield* sleep(0);
    tasks[c.victim % tasks.length]!.cancel();
  }
}

test("Lock and Semaphore(n): at most n holders, nothing lost, nothing left", () => {
  return fc.assert(
    fc.asyncProperty(
      fc.constantFrom("Lock", "Semaphore", "BoundedSemaphore"),
      fc.integer({ min: 1, max: 3 }),
      fc.array(worker, { minLength: 1, maxLength: 10 }),
      chaos,
      seed,
      async (kind, limit, workers, plan, s) => {
        const n = kind === "Lock" ? 1 : limit;
        const prim = kind === "Lock" ? new Lock() : kind === "Semaphore" ? new Semaphore(n) : new BoundedSemaphore(n);
        let holders = 0;
        let maxHolders = 0;
        let holds = 0;
        await vrun(function* () {
          const loop = getRunningLoop();
          function* critical(w: (typeof workers)[number]): Coroutine<void> {
            holders++;
            holds++;
            maxHolders = Math.max(maxHolders, holders);
            assert.ok(holders <= n, `${holders} holders of ${prim}`);
            try {
              yield* sleep(w.holdMs);
            } finally {
              holders--;
            }
          }
          function* body(w: (typeof workers)[number]): Coroutine<void> {
            for (let r = 0; r < w.rounds; r++) {
              if (w.style === "using") {
                using _ = yield* (w.acquireTimeout === null ? prim.hold() : waitFor(prim.hold(), w.acquireTimeout));
                yield* critical(w);
              } else if (w.style === "asyncWith" && w.acquireTimeout === null) {
                yield* prim.aenter();
                let failed = true;
                try {
                  yield* critical(w);
                  failed = false;
                } finally {
                  yield* prim.aexit(failed ? { failed: true, error: null } : { failed: false });
                }
              } else {
                if (w.acquireTimeout === null) yield* prim.acquire();
                else yield* waitFor(prim.acquire(), w.acquireTimeout);
                try {
                  yield* critical(w);
                } finally {
                  prim.release();
                }
              }
            }
          }
          function* guarded(w: (typeof workers)[number]): Coroutine<void> {
            try {
              yield* body(w);
            } catch (e) {
              swallow(e);
            }
          }
          const tasks: Task<void>[] = workers.map((w) => createTask(guarded(w)));
          workers.forEach((w, i) => {
            if (w.cancelAt !== null) loop.callLater(w.cancelAt, () => tasks[i]!.cancel());
          });
          createTask(monkey(plan, tasks));
          // A lost wake-up would leave tasks blocked forever: the timeout turns that into a failure.
          yield* waitFor(gather(...tasks, { returnExceptions: true }), 10_000);
          assert.equal(holders, 0);
          assert.equal(prim.locked(), false, String(prim));
          assert.equal(prim._waiters?.size ?? 0, 0, String(prim));
          if (!(prim instanceof Lock)) assert.equal(prim._value, n, String(prim));
          // Every permit is really there: n acquisitions without blocking.
          for (let i = 0; i < n; i++) yield* prim.acquire();
          assert.equal(prim.locked(), true);
          for (let i = 0; i < n; i++) prim.release();
        }, s);
        assert.ok(maxHolders <= n);
      },
    ),
    { numRuns: 300 },
  );
});

test("Condition: no notification is lost when consumers are cancelled", () => {
  return fc.assert(
    fc.asyncProperty(
      fc.array(fc.option(fc.integer({ min: 0, max: 15 }), { nil: null }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.record({ gap: fc.integer({ min: 0, max: 3 }), cancel: fc.option(fc.nat(), { nil: null }) }), { minLength: 1, maxLength: 12 }),
      fc.boolean(),
      chaos,
      seed,
      async (cancelAts, items, notifyAll, plan, s) => {
        const cond = new Condition();
        const buffer: number[] = [];
        const consumed: number[] = [];
        const producedAt: number[] = [];
        const consumedAt: number[] = [];
        let done = false;
        await vrun(function* () {
          const loop = getRunningLoop();
          function* consumer(): Coroutine<void> {
            for (;;) {
              using _ = yield* cond.hold();
              yield* cond.waitFor(() => buffer.length > 0 || done);
              if (buffer.length === 0) return;
              const item = buffer.shift()!;
              consumed.push(item);
              consumedAt[item] = loop.time();
            }
          }
          function* guarded(): Coroutine<void> {
            try {
              yield* consumer();
            } catch (e) {
              swallow(e);
            }
          }
          // Consumers that may be cancelled, and one that never is.
          const doomed = cancelAts.map((at) => {
            const t = createTask(guarded());
            if (at !== null) loop.callLater(at, () => t.cancel());
            return t;
          });
          const survivor = createTask(consumer());
          createTask(monkey(plan, doomed));
          for (let i = 0; i < items.length; i++) {
            const { gap, cancel } = items[i]!;
            yield* sleep(gap);
            using _ = yield* cond.hold();
            buffer.push(i);
            producedAt[i] = loop.time();
            if (notifyAll) cond.notifyAll();
            else cond.notify(1);
            // As CPython's test_cancelled_wakeup: cancel a consumer right after the notification
            // (perhaps the one just notified, before it runs).
            if (cancel !== null) doomed[cancel % doomed.length]!.cancel();
          }
          {
            using _ = yield* cond.hold();
            done = true;
            cond.notifyAll();
          }
          // A lost wake-up leaves a consumer blocked forever: the timeout would fire.
          yield* waitFor(gather(survivor, ...doomed, { returnExceptions: true }), 1000);
          assert.deepEqual(buffer, []);
          assert.deepEqual([...consumed].sort((a, b) => a - b), items.map((_, i) => i));
          // The survivor is always there to take an item at once: a notification passed on
          // (rather than lost) gets each item consumed at the time it was produced.
          assert.deepEqual(consumedAt, producedAt);
          assert.equal(state(cond), "[unlocked]");
        }, s);
      },
    ),
    { numRuns: 300 },
  );
});

test("Event: every waiter not cancelled is woken by set(); nothing is left queued", () => {
  return fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ startAt: fc.integer({ min: 0, max: 10 }), cancelAt: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }) }), { maxLength: 12 }),
      fc.integer({ min: 0, max: 12 }),
      fc.boolean(),
      chaos,
      seed,
      async (waiters, setAt, clearAfter, plan, s) => {
        const ev = new Event();
        await vrun(function* () {
          const loop = getRunningLoop();
          const woke: boolean[] = waiters.map(() => false);
          const tasks = waiters.map((w, i) => {
            const t = createTask(
              (function* () {
                yield* sleep(w.startAt);
                woke[i] = yield* ev.wait();
              })(),
            );
            if (w.cancelAt !== null) loop.callLater(w.cancelAt, () => t.cancel());
            return t;
          });
          if (tasks.length > 0) createTask(monkey(plan, tasks));
          loop.callLater(setAt, () => {
            ev.set();
            if (clearAfter) ev.clear();
          });
          yield* gather(...tasks.map((t) => waitFor(t, 100)), { returnExceptions: true });
          tasks.forEach((t, i) => {
            assert.ok(t.done());
            if (!t.cancelled()) assert.equal(woke[i], true);
          });
          assert.equal(ev._waiters?.size ?? 0, 0);
        }, s);
      },
    ),
    { numRuns: 300 },
  );
});

test("Barrier: every round releases all `parties` tasks with the indexes 0..parties-1", () => {
  return fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 6, maxLength: 6 }), seed, async (parties, rounds, pauses, s) => {
      const b = new Barrier(parties);
      const rows: number[][] = Array.from({ length: rounds }, () => []);
      await vrun(function* () {
        function* w(k: number): Coroutine<void> {
          for (let r = 0; r < rounds; r++) {
            yield* sleep(pauses[k]!);
            rows[r]!.push(yield* b.wait());
          }
        }
        yield* waitFor(gather(...Array.from({ length: parties }, (_, k) => w(k))), 1000);
      }, s);
      for (const row of rows) assert.deepEqual(row.sort((a, c) => a - c), Array.from({ length: parties }, (_, i) => i));
      assert.equal(b.nWaiting, 0);
      assert.equal(b.broken, false);
    }),
    { numRuns: 100 },
  );
});

test("Barrier: random cancellations and resets never wedge it; trips release at most `parties` tasks", () => {
  return fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 4 }),
      // Tasks that are cancelled: when, and how long each pauses between its waits (at least 1 ms: with a
      // Barrier(1), a task that only yields would keep the virtual clock from ever moving).
      fc.array(fc.record({ cancelAt: fc.integer({ min: 0, max: 12 }), pause: fc.integer({ min: 1, max: 3 }) }), { maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
      fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 2 }),
      chaos,
      seed,
      async (parties, doomedPlan, pauses, resetAts, plan, s) => {
        const b = new Barrier(parties);
        // Every return of wait(), in order: [loop time, index].
        const returns: [number, number][] = [];
        let calm = Infinity;
        let tripsSinceCalm = 0;
        let stop = false;
        await vrun(function* () {
          const loop = getRunningLoop();
          const enoughTrips = loop.createFuture<void>();
          function* waiter(pause: number): Coroutine<void> {
            while (!stop) {
              yield* sleep(pause);
              try {
                const i = yield* b.wait();
                returns.push([loop.time(), i]);
                if (loop.time() > calm && i === parties - 1 && ++tripsSinceCalm === 3) enoughTrips.setResult();
              } catch (e) {
                if (!(e instanceof BrokenBarrierError)) throw e;
              }
            }
          }
          // Exactly `parties` tasks are never cancelled: once the others are gone, they alone must keep tripping it.
          const survivors = Array.from({ length: parties }, (_, k) => createTask(waiter(pauses[k]!)));
          const doomed = doomedPlan.map((d) => {
            const t = createTask(waiter(d.pause));
            loop.callLater(d.cancelAt, () => t.cancel());
            return t;
          });
          if (doomed.length > 0) createTask(monkey(plan, doomed));
          for (const at of resetAts) loop.callLater(at, () => void createTask(b.reset()));
          yield* gather(...doomed, { returnExceptions: true });
          yield* sleep(13 - loop.time()); // past every cancellation and reset
          calm = loop.time();
          // A barrier wedged by a cancellation (a count never given back, a lost notification) would time out here.
          yield* waitFor(enoughTrips, 1000);
          stop = true;
          yield* b.abort(); // the survivors' last waits end with BrokenBarrierError
          yield* waitFor(gather(...survivors), 1000);
        }, s);
        // Each trip starts with the return of the task that tripped it, and releases at most `parties` tasks.
        let trip = 0;
        for (const [, i] of returns) {
          if (i === parties - 1) trip = 0;
          trip++;
          assert.ok(trip <= parties, `${trip} returns in one trip of a Barrier(${parties})`);
        }
        assert.equal(returns[0]?.[1], parties - 1);
        // Past the cancellations, each trip releases every survivor, with the indexes 0..parties-1. The
        // trip that fills while the last cancelled task leaves may hand out an index twice, as CPython's
        // does (a task that arrived while the cancelled one still counted, and one that arrived after):
        // the check starts at the trip after it.
        const late = returns.filter(([t]) => t > calm).map(([, i]) => i);
        const firstTrip = late.indexOf(parties - 1, late.indexOf(parties - 1) + 1);
        assert.ok(firstTrip >= 0);
        for (let k = firstTrip; k + parties <= late.length; k += parties) {
          assert.deepEqual(late.slice(k, k + parties).sort((x, y) => x - y), Array.from({ length: parties }, (_, i) => i));
        }
        assert.equal(b._count, 0);
        assert.equal(state(b), "[broken]");
        assert.equal(state(b._cond), "[unlocked]");
      },
    ),
    { numRuns: 300 },
  );
});
