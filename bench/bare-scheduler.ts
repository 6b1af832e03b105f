/**
 * The floor of the design: a bare generator scheduler, the least machinery that runs coroutines written
 * as generators. Issue 2 cites one ("a 60-line generator scheduler with a ring-buffer ready queue reaches
 * 2.19M spawns/s and 6.68M round trips/s"), and issue 3 a "bare generator scheduler" at 7.33M lock
 * acquisitions/s. Its row in a workload's table is not a peer (no user would pick it): it says how fast
 * this machine runs generators in this very run, so the targets that are absolute rates can be read
 * against what the same design reaches here today.
 *
 * What it leaves out is everything asyncio-ts is for: it runs synchronously to the end (it never yields
 * to the host, so no I/O or promise callback could run meanwhile), a coroutine waits with a bare `yield`
 * (no `yield*` delegation, no check of what was yielded), a future has one waiter and no done callbacks,
 * a cancellation is a `throw()` with no counting, no `finally` protocol, no error reports, no loop
 * binding, no names, no debug mode, no seed. Nothing here is used outside the benchmarks.
 */

/** What a coroutine of the bare scheduler yields: something that parks the task until it may go on. */
export interface Park {
  /** Parks `t` (or puts it straight back on the ready queue). */
  park(t: BareTask): void;
}

/** A coroutine of the bare scheduler. */
export type BareCoro = Generator<Park, void, unknown>;

/** A ring buffer with O(1) push and shift, growing by doubling. */
class Ring<T> {
  private a: (T | undefined)[] = new Array(1024);
  private head = 0;
  size = 0;
  push(x: T): void {
    if (this.size === this.a.length) this.grow();
    this.a[(this.head + this.size++) & (this.a.length - 1)] = x;
  }
  shift(): T {
    const x = this.a[this.head] as T;
    this.a[this.head] = undefined;
    this.head = (this.head + 1) & (this.a.length - 1);
    this.size--;
    return x;
  }
  private grow(): void {
    const b = new Array<T | undefined>(this.a.length * 2);
    for (let i = 0; i < this.size; i++) b[i] = this.a[(this.head + i) & (this.a.length - 1)];
    this.a = b;
    this.head = 0;
  }
}

const ready = new Ring<BareTask>();

/** What `BareTask.cancel` throws in. */
export class BareCancelled extends Error {}
const NOTHING: unknown = Symbol("nothing");
const FINISHED: IteratorResult<Park, void> = { done: true, value: undefined };

/** A task: a coroutine, what to resume it with, and the one task that joins it. */
export class BareTask implements Park {
  done = false;
  /** The value to resume with (`next`), or, when `error` is set, nothing. */
  value: unknown = undefined;
  error: unknown = NOTHING;
  joiner: BareTask | null = null;
  constructor(readonly coro: BareCoro) {}

  /** Joining: parks `t` until this task has finished. */
  park(t: BareTask): void {
    if (this.done) ready.push(t);
    else this.joiner = t;
  }

  /**
   * Throws a new `BareCancelled` in at the task's `yield` (the task must be parked on `on`, which
   * forgets it). The error is made as asyncio-ts makes its CancelledErrors: without a stack.
   */
  cancel(on: BareFuture<unknown>): void {
    on.waiter = null;
    this.error = Object.create(BareCancelled.prototype);
    ready.push(this);
  }
}

/** Starts `coro` as a task (it runs when `runAll` reaches it). */
export function spawn(coro: BareCoro): BareTask {
  const t = new BareTask(coro);
  ready.push(t);
  return t;
}

/**
 * Runs ready tasks until none is left. A `BareCancelled` escaping a task ends it; any other error stops
 * the scheduler (the tasks left are dropped) and is thrown on, for the workload to report.
 */
export function runAll(): void {
  while (ready.size > 0) {
    const t = ready.shift();
    let r: IteratorResult<Park, void>;
    try {
      const e = t.error;
      if (e === NOTHING) {
        const v = t.value;
        t.value = undefined;
        r = t.coro.next(v);
      } else {
        t.error = NOTHING;
        r = t.coro.throw(e);
      }
    } catch (e) {
      if (!(e instanceof BareCancelled)) {
        while (ready.size > 0) ready.shift();
        throw e;
      }
      r = FINISHED;
    }
    if (r.done) {
      t.done = true;
      if (t.joiner !== null) ready.push(t.joiner);
    } else {
      r.value.park(t);
    }
  }
}

/** `yield YIELD`: back to the end of the ready queue. */
export const YIELD: Park = { park: (t) => ready.push(t) };

/** A future with one waiter: `const v = yield fut` resumes with its value. */
export class BareFuture<T> implements Park {
  done = false;
  value: T | undefined = undefined;
  waiter: BareTask | null = null;
  park(t: BareTask): void {
    if (this.done) {
      t.value = this.value;
      ready.push(t);
    } else {
      this.waiter = t;
    }
  }
  set(v: T): void {
    this.done = true;
    this.value = v;
    const w = this.waiter;
    if (w !== null) {
      this.waiter = null;
      w.value = v;
      ready.push(w);
    }
  }
}

/**
 * A FIFO semaphore (a lock with 1 permit): `if (!s.tryAcquire()) yield s;`, then `s.release()`. A
 * release hands its permit straight to the first waiter.
 */
export class BareSemaphore implements Park {
  private readonly waiters = new Ring<BareTask>();
  constructor(private permits: number) {}
  tryAcquire(): boolean {
    if (this.permits === 0) return false;
    this.permits--;
    return true;
  }
  park(t: BareTask): void {
    this.waiters.push(t);
  }
  release(): void {
    if (this.waiters.size > 0) ready.push(this.waiters.shift());
    else this.permits++;
  }
}

/** One side of a bounded queue's waiting: the tasks waiting for an item, or for room. */
class WaitList implements Park {
  readonly tasks = new Ring<BareTask>();
  park(t: BareTask): void {
    this.tasks.push(t);
  }
  wakeOne(): void {
    if (this.tasks.size > 0) ready.push(this.tasks.shift());
  }
}

/**
 * A bounded FIFO queue: `while (q.full()) yield q.notFull; q.putNow(x)` and
 * `while (q.empty()) yield q.notEmpty; x = q.getNow()`.
 */
export class BareQueue<T> {
  private readonly items = new Ring<T>();
  readonly notFull = new WaitList();
  readonly notEmpty = new WaitList();
  constructor(private readonly max: number) {}
  full(): boolean {
    return this.items.size >= this.max;
  }
  empty(): boolean {
    return this.items.size === 0;
  }
  putNow(x: T): void {
    this.items.push(x);
    this.notEmpty.wakeOne();
  }
  getNow(): T {
    const x = this.items.shift();
    this.notFull.wakeOne();
    return x;
  }
}

/** The row name of the bare scheduler in every workload's table. */
export const BARE = "bare generator scheduler (floor)";

/** Runs `main` as a task, with every task it starts, to the end; returns what `main` returned. */
export function bareRun(main: Generator<Park, number, unknown>): number {
  let out = NaN;
  spawn(
    (function* (): BareCoro {
      out = yield* main;
    })(),
  );
  runAll();
  return out;
}

/** Starts `count` tasks of `make()` and joins them all; returns the ms from the first start to the last join. */
export function bareSpawnAll(count: number, make: () => BareCoro): number {
  return bareRun(
    (function* () {
      const t0 = performance.now();
      const tasks = new Array<BareTask>(count);
      for (let i = 0; i < count; i++) tasks[i] = spawn(make());
      for (let i = 0; i < count; i++) yield tasks[i];
      return performance.now() - t0;
    })(),
  );
}
