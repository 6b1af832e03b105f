/**
 * (j) Heap bytes per blocked waiter: n tasks blocked in Lock.acquire, Semaphore.acquire, Event.wait and
 * Queue.get (heapUsed after a full GC with all n blocked, minus the same before, divided by n). The
 * "future" row is a task blocked on a bare future, so a primitive's own cost per waiter is its row minus
 * that one. The native rows are async functions blocked on the hand-rolled primitives.
 */
import { asyncioImpl, until, type Asyncio, type Aw, type Coro, type Export } from "../asyncio.js";
import { expectCount, gcAvailable, heapAfterGc, hostTurn, type Impl, type Workload } from "../harness.js";
import { deferred, NativeLock, NativeQueue, NativeSemaphore } from "../native-primitives.js";

/** What the waiters block on, and how to let all `n` of them go. */
interface Blocker<W> {
  wait(): W;
  release(n: number): void;
}

/** asyncio-ts: n tasks block on what `make` returns (made inside the loop); measured, released, checked. */
function ours(what: string, needs: Export[], make: (A: Asyncio) => Coro<Blocker<Aw<unknown>>>): Impl {
  return asyncioImpl(`asyncio-ts ${what}`, ["run", "createTask", "sleep", "getRunningLoop", ...needs], function* (A, n) {
    const b = yield* make(A);
    const all = A.getRunningLoop().createFuture<void>();
    let started = 0;
    let done = 0;
    function* waiter(): Coro {
      started++;
      yield* b.wait();
      if (++done === n) all.setResult();
    }
    const h0 = heapAfterGc();
    for (let i = 0; i < n; i++) A.createTask(waiter());
    yield* until(A, () => started === n, "all waiters blocked");
    const heap = heapAfterGc() - h0;
    b.release(n);
    yield* all;
    return { heap };
  });
}

/** Native: n async functions block on what `make` returns. */
function native(what: string, make: () => Blocker<Promise<unknown>>): Impl {
  return {
    name: `native ${what}`,
    async run(n) {
      const b = make();
      let done = 0;
      const all = deferred<void>();
      const waiter = async (): Promise<void> => {
        await b.wait();
        if (++done === n) all.resolve();
      };
      const h0 = heapAfterGc();
      for (let i = 0; i < n; i++) void waiter();
      await hostTurn();
      const heap = heapAfterGc() - h0;
      b.release(n);
      await all.promise;
      expectCount(`native ${what} released`, done, n);
      return { heap };
    },
  };
}

export const waiterMemory: Workload = {
  name: "waiter-memory",
  issue: 3,
  title: "heap bytes per task blocked in each primitive (n tasks, all blocked at once)",
  n: 100_000,
  quickN: 10_000,
  metrics: [{ key: "bytes", label: "bytes/waiter", better: "lower", from: (r, n) => r.heap / n, digits: 0 }],
  baseline: "native promise",
  impls: [
    native("promise", () => {
      const d = deferred<void>();
      return { wait: () => d.promise, release: () => d.resolve() };
    }),
    native("lock", () => {
      const lk = new NativeLock();
      void lk.acquire();
      return { wait: () => lk.acquire().then(() => lk.release()), release: () => lk.release() };
    }),
    native("semaphore", () => {
      const s = new NativeSemaphore(0);
      return { wait: () => s.acquire().then(() => s.release()), release: () => s.release() };
    }),
    native("queue.get", () => {
      const q = new NativeQueue<number>(1);
      return {
        wait: () => q.get(),
        release: (n) => {
          for (let i = 0; i < n; i++) void q.put(i);
        },
      };
    }),
    ours("future", ["getRunningLoop"], function* (A) {
      const f = A.getRunningLoop().createFuture<void>();
      return { wait: () => f, release: () => f.setResult() };
    }),
    ours("Lock", ["Lock"], function* (A) {
      const lk = new A.Lock();
      yield* lk.acquire();
      return {
        *wait() {
          yield* lk.acquire();
          lk.release();
        },
        release: () => lk.release(),
      };
    }),
    ours("Semaphore", ["Semaphore"], function* (A) {
      const s = new A.Semaphore(0);
      return {
        *wait() {
          yield* s.acquire();
          s.release();
        },
        release: () => s.release(),
      };
    }),
    ours("Event", ["Event"], function* (A) {
      const ev = new A.Event();
      return { wait: () => ev.wait(), release: () => ev.set() };
    }),
    ours("Queue.get", ["Queue"], function* (A) {
      const q = new A.Queue<number>();
      return {
        wait: () => q.get(),
        release: (n) => {
          for (let i = 0; i < n; i++) q.putNowait(i);
        },
      };
    }),
  ],
  targets: [
    {
      metric: "bytes",
      impls: ["asyncio-ts Lock", "asyncio-ts Semaphore", "asyncio-ts Event", "asyncio-ts Queue.get"],
      text: "reported",
      check: (get, impl) => (gcAvailable && get(impl, "bytes") !== undefined ? true : undefined),
    },
  ],
};
