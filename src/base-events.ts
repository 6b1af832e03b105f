/**
 * EventLoop: the scheduler (asyncio's base_events.py).
 *
 * `_drain` is the only place where callbacks run. One iteration moves the timers that are due to
 * the ready queue, then runs exactly the callbacks that were ready when it began (what they schedule
 * runs in the next iteration). Task steps are queued as the task itself and a future's done
 * callbacks as (callback, future) pairs, so no Handle, closure, Promise or microtask is made per step.
 *
 * The loop lives on the host's event loop: `_batch` runs iterations back to back for at most
 * BATCH_MS, then yields to the host (a MessageChannel message, so host I/O and promise callbacks are
 * never starved). With nothing ready it sleeps in the host — a `setTimeout` until the next timer, or
 * no timer at all while it waits for a host callback — and work scheduled from outside wakes it. A
 * batch always starts from a microtask (host timers and messages queue one), where V8 throws
 * exceptions at half the cost. It never busy-waits, and leaves no timer or ref'd port behind.
 *
 * Virtual clock: when nothing is ready and no host callback is outstanding (`_hostPending`), time
 * jumps to the next timer at once; while one is outstanding, the loop waits for it with the clock
 * still, but no longer than the real time to the next timer, and then jumps. Seed: the callbacks of
 * each iteration run in a seeded permutation.
 */
import { RuntimeError, ValueError } from "./exceptions.js";
import { Handle, TimerHandle } from "./events.js";
import { Future, FutureExtra } from "./futures.js";
import { anchorTask, createTaskName, Task } from "./tasks.js";
import { anchorOnLoop, anchorPending } from "./internal/shapes.js";
import { HostDriver } from "./internal/host.js";
import {
  callbackFailed,
  deadlock,
  formatContext,
  pruneFailures,
  reportPendingAtClose,
  reportUnretrievedAtClose,
  slowCallback,
} from "./internal/reports.js";
import { ReadyQueue } from "./internal/ready-queue.js";
import { inspectAsString } from "./internal/inspect.js";
import { checkOptions } from "./internal/options.js";
import { TimerHeap, type HeapTimer } from "./internal/timer-heap.js";
import { seededRandom, shuffleInPlace } from "./internal/prng.js";
import { enterLoop, runningLoopOrNull, setDefaultLoopFactory } from "./internal/running.js";
import { checkCallback } from "./internal/callbacks.js";
import { checkCoroutine, describe, type Coroutine } from "./coroutines.js";

/** How long (ms of real time) the loop runs before it yields to the host. */
const BATCH_MS = 5;
/** How many callbacks run between two readings of the clock during a batch. */
const CHECK_EVERY = 128;
/** Why `_drain` returned. */
const IDLE = 0;
const STOPPED = 1;
const OUT_OF_TIME = 2;

/** Options of `new EventLoop()`, `newEventLoop()` and `run()`. */
export interface EventLoopOptions {
  /** Debug mode: reports slow steps, swallowed cancellations, and where failed tasks were created. */
  debug?: boolean;
  /** `"real"` (default): `performance.now()`. `"virtual"`: time jumps to the next timer when idle. */
  clock?: "real" | "virtual";
  /**
   * Shuffle the callbacks of each iteration with this seed (explores and replays schedules). An
   * integer, taken modulo 2 ** 32 (so `-1` and `2 ** 32 - 1` are one seed): pick seeds in
   * [0, 2 ** 32), not `Date.now()`, whose high bits would be dropped.
   */
  seed?: number;
  /** Debug mode's threshold for a slow step, in ms (default 100). */
  slowCallbackMs?: number;
}

/** What `callExceptionHandler` receives; the keys are Python's. */
export interface ExceptionContext {
  message: string;
  exception?: unknown;
  future?: Future<any>;
  task?: Task<any>;
  handle?: Handle;
  transport?: unknown;
  [key: string]: unknown;
}

/** A loop's exception handler. */
export type ExceptionHandler = (loop: EventLoop, context: ExceptionContext) => void;

const now: () => number = () => performance.now();

type Runnable = { _run(arg: unknown): void };

/** Pushes `items` in a seeded order. */
function pushPermuted(q: ReadyQueue, items: unknown[], random: () => number): void {
  shuffleInPlace(items, random);
  for (const x of items) q.push(x, undefined);
}

/** The keys of `EventLoopOptions`. */
export const LOOP_KEYS: readonly string[] = ["clock", "seed", "debug", "slowCallbackMs"];

/**
 * An event loop. Most code never touches one: `run(main())` creates a loop, runs `main` to
 * completion, cancels what is left and closes it. Inside a coroutine, `getRunningLoop()` returns it.
 *
 * @example
 * const loop = new EventLoop({ clock: "virtual" });
 * loop.callLater(1000, () => console.log("one second later, in no wall time"));
 * await loop.runUntilComplete(sleep(2000));
 * loop.close();
 */
export class EventLoop {
  /** @internal */ _ready = new ReadyQueue();
  /** @internal */ _timers = new TimerHeap<TimerHandle>();
  /** @internal */ _virtual: boolean;
  /** @internal */ _vtime = 0;
  /** @internal The virtual clock may jump up to here although host callbacks are outstanding. */
  _jumpTo = -Infinity;
  /** @internal The virtual time at which the clock last stopped to wait for host callbacks, the
   * timer it waited for, and the real time when it began waiting for it. */
  _stalledAt = NaN;
  /** @internal */ _stalledOn: TimerHandle | null = null;
  /** @internal */ _stalledSince = 0;
  /** @internal */ _rng: (() => number) | null;
  /** @internal */ _debug: boolean;
  /** Debug mode reports a step or callback that runs longer than this (ms). */
  slowCallbackDuration: number;
  /** @internal The task whose step is running. */
  _current: Task<any> | null = null;
  /** @internal The unfinished tasks, newest first. */
  _taskHead: Task<any> | null = null;
  /** @internal Callbacks of the current iteration not run yet when the last batch ended. */
  _left = 0;
  /**
   * @internal The futures of this loop that failed, for `close()` to report those whose error
   * was never retrieved: weak, so that a failed future is still collected (and then reported by
   * futures.ts's FinalizationRegistry). Pruned when it doubles. Only failures pay for it.
   */
  _failures: WeakRef<Future<any>>[] | null = null;
  /** @internal `_failures` is pruned when it reaches this length. */
  _failuresPruneAt = 64;
  /** @internal Host callbacks (adopted promises, I/O) the loop is waiting for. */
  _hostPending = 0;
  /** @internal 0: nothing to do on a push; 1: idle in the host, wake on a push; 2: closed. */
  _wakeState = 0;
  private _running = false;
  private _stopping = false;
  private _closed = false;
  private _settle: (() => void) | null = null;
  private _handler: ExceptionHandler | null = null;
  /** The host's timer and message channel, and the ways back into `_batch`. */
  private readonly _host: HostDriver;

  constructor(options: EventLoopOptions = {}) {
    checkOptions(options, "EventLoop", LOOP_KEYS, '{ clock: "virtual" }');
    const { clock = "real", seed, debug = false, slowCallbackMs = 100 } = options;
    if (clock !== "real" && clock !== "virtual") {
      throw new ValueError(`EventLoop: clock must be "real" or "virtual", got ${JSON.stringify(clock)}`);
    }
    if (seed !== undefined && !Number.isInteger(seed)) {
      throw new TypeError(`EventLoop: seed must be an integer, got ${String(seed)}`);
    }
    checkDelay(slowCallbackMs, "EventLoop: slowCallbackMs");
    this._virtual = clock === "virtual";
    this._rng = seed === undefined ? null : seededRandom(seed);
    this._debug = Boolean(debug);
    this.slowCallbackDuration = slowCallbackMs;
    this._host = new HostDriver(() => this._batch());
    anchorPending(() => new EventLoop());
  }

  /** The loop's clock in ms: monotonic; starts at 0 on the virtual clock. */
  time(): number {
    return this._virtual ? this._vtime : now();
  }

  /**
   * Schedules `cb(...args)` to run at the next iteration, after what is already scheduled.
   * @throws RuntimeError if the loop is closed; TypeError if `cb` is not a function, or is a
   *   generator function (a coroutine function: run it with `createTask(work())` instead).
   */
  callSoon<A extends unknown[]>(cb: (...args: A) => unknown, ...args: A): Handle {
    this._checkClosed();
    checkCallback(cb, "callSoon");
    const h = new Handle(cb as (...a: unknown[]) => unknown, args.length === 0 ? null : args, this);
    this._push(h, undefined);
    return h;
  }

  /**
   * Schedules `cb(...args)` to run `delay` ms from now (a negative delay acts as 0; `Infinity`:
   * never, as a timer at +Infinity never becomes due).
   * @throws TypeError for a non-number delay, or a callback that is not a function or is a generator
   *   function; ValueError for NaN; RuntimeError if the loop is closed.
   */
  callLater<A extends unknown[]>(delay: number, cb: (...args: A) => unknown, ...args: A): TimerHandle {
    // CPython's order: the delay, the closed loop, then the callback.
    checkDelay(delay, "callLater: delay");
    this._checkClosed();
    checkCallback(cb, "callLater");
    return this._addTimer(this.time() + delay, cb as (...a: unknown[]) => unknown, args);
  }

  /**
   * Schedules `cb(...args)` to run at loop time `when` (ms). Timers with the same deadline run in
   * the order they were scheduled; a timer at `Infinity` never runs (and keeps no host timer armed).
   * @throws TypeError for a non-number time, or a callback that is not a function or is a generator
   *   function; ValueError for NaN; RuntimeError if the loop is closed.
   */
  callAt<A extends unknown[]>(when: number, cb: (...args: A) => unknown, ...args: A): TimerHandle {
    // CPython's order: a missing time ("when cannot be None") before the closed loop, the rest after.
    if (when == null) checkDelay(when, "callAt: when");
    this._checkClosed();
    checkDelay(when, "callAt: when");
    checkCallback(cb, "callAt");
    return this._addTimer(when, cb as (...a: unknown[]) => unknown, args);
  }

  /** Schedules a checked callback at loop time `when`. */
  private _addTimer(when: number, cb: (...a: unknown[]) => unknown, args: unknown[]): TimerHandle {
    const t = new TimerHandle(when, cb, args.length === 0 ? null : args, this);
    this._timers.push(t);
    if (this._wakeState === 1) this._wake();
    return t;
  }

  /** A new pending Future bound to this loop. */
  createFuture<T = unknown>(): Future<T> {
    return new Future<T>(this as never);
  }

  /**
   * Wraps `coro` in a Task that starts at the next iteration.
   * @throws TypeError if `coro` is not a coroutine object, or `options` not an object with only
   *   `name`; RuntimeError if the loop is closed.
   */
  createTask<T>(coro: Coroutine<T>, options?: { name?: string }): Task<T> {
    if (options === undefined) return new Task<T>(coro, this as never);
    const name = createTaskName(options);
    // A named task is made with its name, so that it draws no `Task-N` number (as in CPython).
    return new Task<T>(coro, name === undefined ? (this as never) : { name, loop: this });
  }

  /**
   * Runs the loop until `aw` is done and returns its result (a coroutine is wrapped in a Task).
   * @throws RuntimeError if the loop is closed, already running, or another loop is running;
   *   rejects with `aw`'s error, or RuntimeError if `stop()` ended the loop first.
   */
  runUntilComplete<T>(aw: Future<T> | Coroutine<T>): Promise<T> {
    this._checkClosed();
    this._checkNotRunning();
    let fut: Future<T>;
    if (aw instanceof Future) {
      if (aw._loop !== this) throw new ValueError("runUntilComplete: the future belongs to another loop");
      fut = aw;
    } else {
      checkCoroutine(aw, "runUntilComplete");
      fut = this.createTask(aw);
    }
    const stop = (): void => this.stop();
    fut.addDoneCallback(stop);
    return this.runForever().then(() => {
      fut.removeDoneCallback(stop);
      if (!fut.done()) throw new RuntimeError("Event loop stopped before Future completed.");
      return fut.result();
    });
  }

  /**
   * Runs the loop until `stop()` is called; the Promise resolves then.
   * @throws RuntimeError if the loop is closed, already running, or another loop is running.
   */
  runForever(): Promise<void> {
    this._checkClosed();
    this._checkNotRunning();
    return new Promise<void>((resolve) => {
      this._running = true;
      this._settle = resolve;
      this._host.soon();
    });
  }

  /** Stops the loop after the current iteration (before `runForever`: after one iteration). */
  stop(): void {
    this._stopping = true;
    if (this._wakeState === 1) this._wake();
  }

  /** Whether the loop is running (`runForever` or `runUntilComplete` in progress). */
  isRunning(): boolean {
    return this._running;
  }

  /** Whether `close()` was called. */
  isClosed(): boolean {
    return this._closed;
  }

  /**
   * Closes the loop: pending callbacks and timers are dropped. Idempotent.
   *
   * What CPython reports when the garbage collector destroys such objects is reported here, once,
   * through the exception handler (the loop is already closed when it is called), so that a short
   * program does not lose it: first each future or task of this loop that failed and whose error
   * was never retrieved ("… exception was never retrieved", in the order they failed; retrieving
   * the error after `close()` is too late), then each task still pending ("Task was destroyed but
   * it is pending! …", oldest first, with `task` in the context). A pending task's coroutine is not
   * resumed again: its `finally` blocks do not run. `run()` and `Runner.close()` cancel the tasks
   * left before closing, so there only the tasks created during that shutdown remain pending.
   * @throws RuntimeError if the loop is running.
   */
  close(): void {
    if (this._running) throw new RuntimeError("Cannot close a running event loop");
    if (this._closed) return;
    this._closed = true;
    this._wakeState = 2;
    this._ready.clear();
    this._left = 0;
    this._timers.clear();
    this._host.close();
    const failures = this._failures;
    this._failures = null;
    if (failures !== null) reportUnretrievedAtClose(this, failures);
    if (this._taskHead !== null) reportPendingAtClose(this, this._taskHead);
  }

  /** Sets the handler called with errors nobody else handles (`null`: the default handler). */
  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== "function") {
      throw new TypeError("setExceptionHandler: the handler must be a function or null");
    }
    this._handler = handler;
  }

  /** The handler set by `setExceptionHandler`, or `null`. */
  getExceptionHandler(): ExceptionHandler | null {
    return this._handler;
  }

  /** Prints `context` to `console.error`: the message, the other keys, then the error with its stack. */
  defaultExceptionHandler(context: ExceptionContext): void {
    console.error(formatContext(context));
  }

  /**
   * Passes `context` to the exception handler (or the default one) and never throws once the context
   * is checked. As in CPython: if the handler set throws, the default handler reports its error with
   * the original `context` (as the `context` key); if the default handler throws (a subclass may
   * override it), `console.error` gets "Exception in default exception handler", its error and the
   * context it failed on, so no error is lost.
   * @throws TypeError if `context` is not an object (e.g. `{ message: "…", exception: err }`).
   */
  callExceptionHandler(context: ExceptionContext): void {
    if (typeof context !== "object" || context === null) {
      throw new TypeError(`callExceptionHandler: the context must be an object such as { message: "…", exception: err }, got ${describe(context)}`);
    }
    const h = this._handler;
    if (h === null) {
      try {
        this.defaultExceptionHandler(context);
      } catch (e) {
        logHandlerFailure("Exception in default exception handler", e, context);
      }
      return;
    }
    try {
      h(this, context);
    } catch (e) {
      // As CPython: the handler's error, and the whole context it failed on (printed nested).
      const failed: ExceptionContext = { message: "Unhandled error in exception handler", exception: e, context };
      try {
        this.defaultExceptionHandler(failed);
      } catch (e2) {
        logHandlerFailure(
          "Exception in default exception handler while handling an unexpected error in custom exception handler",
          e2,
          failed,
        );
      }
    }
  }

  /** Turns debug mode on or off. */
  setDebug(enabled: boolean): void {
    this._debug = Boolean(enabled);
  }

  /** Whether debug mode is on. */
  getDebug(): boolean {
    return this._debug;
  }

  toString(): string {
    const state = this._closed ? "closed" : this._running ? "running" : "idle";
    return `<EventLoop ${state} clock=${this._virtual ? "virtual" : "real"} debug=${this._debug}>`;
  }

  /** @internal Queues a runnable or a done callback; wakes the loop if it sleeps in the host. */
  _push(item: unknown, arg: unknown): void {
    this._ready.push(item, arg);
    if (this._wakeState !== 0) {
      if (this._wakeState === 2) throw new RuntimeError("Event loop is closed");
      this._wake();
    }
  }

  /** @internal */
  _checkClosed(): void {
    if (this._closed) throw new RuntimeError("Event loop is closed");
  }

  /** @internal */
  _timerCancelled(): void {
    this._timers.noteCancelled();
  }

  /** @internal Registers a new task and schedules its first step. */
  _addTask(t: Task<any>): void {
    const head = this._taskHead;
    t._nextTask = head;
    if (head !== null) head._prevTask = t;
    this._taskHead = t;
    this._push(t, undefined);
  }

  /** @internal */
  _removeTask(t: Task<any>): void {
    const p = t._prevTask, n = t._nextTask;
    if (p !== null) p._nextTask = n;
    else if (this._taskHead === t) this._taskHead = n;
    if (n !== null) n._prevTask = p;
    t._prevTask = t._nextTask = null;
  }

  /**
   * @internal Called by `Future._fail`: remembers a failed future of this loop, so that `close()`
   * reports its error if nobody retrieved it by then. Calling it twice for one future is harmless.
   */
  _noteFailure(fut: Future<any>): void {
    if (this._closed) return; // too late for close(): the FinalizationRegistry reports it
    let list = this._failures;
    if (list === null) list = this._failures = [];
    else if (list.length >= this._failuresPruneAt) {
      list = this._failures = pruneFailures(list);
      this._failuresPruneAt = Math.max(64, list.length * 2);
    }
    list.push(new WeakRef(fut));
  }

  /** @internal A host callback (promise, I/O) is outstanding: the virtual clock waits for it. */
  _hostAcquire(): void {
    this._hostPending++;
  }

  /** @internal The host callback came (or is no longer awaited). */
  _hostRelease(): void {
    this._hostPending--;
    if (this._wakeState === 1) this._wake();
  }

  private _checkNotRunning(): void {
    if (this._running) throw new RuntimeError("This event loop is already running");
    if (runningLoopOrNull() !== null) throw new RuntimeError("Cannot run the event loop while another loop is running");
  }

  private _wake(): void {
    this._wakeState = 0;
    this._host.soon();
  }

  /**
   * A batch, started by the host: runs iterations (`_drain`) until stopped, idle, or out of time,
   * then stops the run or yields to the host. The host objects (timer, message channel) belong to
   * the HostDriver, and the hot loop reaches them only to go idle (`_advance`): when a full GC renews
   * their hidden classes, the optimized code thrown away is this function's, not the step's.
   */
  private _batch(): void {
    if (!this._running || this._closed) return;
    this._wakeState = 0;
    this._host.settle();
    const prev = enterLoop(this);
    try {
      const why = this._drain(now() + BATCH_MS);
      if (why === STOPPED) this._finishRun();
      else if (why === OUT_OF_TIME) this._host.yieldToHost();
    } finally {
      enterLoop(prev);
    }
  }

  /**
   * Runs iterations back to back until idle (IDLE), stopped (STOPPED) or past `deadline`
   * (OUT_OF_TIME). An iteration is CPython's `_run_once`: move the due timers to the ready queue,
   * then run exactly the callbacks ready at that moment. The iterations run in one flat loop,
   * counting down the callbacks left in the current one (`left`): per callback, that costs a
   * decrement instead of a call with its checks. An iteration may span two batches (`_left`).
   */
  private _drain(deadline: number): number {
    const q = this._ready;
    let left = this._left;
    this._left = 0;
    // The clock is read after every CHECK_EVERY callbacks, not after each one.
    let budget = CHECK_EVERY;
    for (;;) {
      if (left === 0) {
        if (q.size === 0 && !this._stopping && !this._advance()) return IDLE;
        // With a seed, the callbacks ready now run in a seeded order, then the timers due, in deadline
        // order (only equal deadlines are permuted): CPython never runs a due timer before a ready
        // callback of the same iteration, nor a later deadline before an earlier one.
        if (this._rng !== null && q.size > 1) q.shuffle(q.size, this._rng);
        this._moveDueTimers();
        left = q.size;
        if (left === 0 || this._debug) {
          // An empty iteration, or one run with debug checks: the rare paths.
          if (left > 0) this._runDebug(left);
          left = 0;
          if (this._stopping) return STOPPED;
          if (now() >= deadline) return OUT_OF_TIME;
          continue;
        }
      }
      const item = q.shift();
      const arg = q.arg;
      try {
        if (item instanceof Task) item._step();
        else if (typeof item === "function") item(arg);
        else (item as Runnable)._run(arg);
      } catch (e) {
        this._callbackFailed(e, item, arg);
      }
      if (--left === 0 && this._stopping) return STOPPED;
      if (--budget <= 0) {
        if (now() >= deadline) {
          this._left = left;
          return OUT_OF_TIME;
        }
        budget = CHECK_EVERY;
      }
    }
  }

  /**
   * Nothing is ready: jump (virtual) or wait (real) for the next timer. False when going idle. A
   * timer at +Infinity (`sleep(Infinity)`) never becomes due: with only such timers left, the loop
   * idles as with none, so the virtual clock never reaches Infinity and no host timer is armed.
   */
  private _advance(): boolean {
    const t = this._timers.peek();
    if (t === undefined || t._when === Infinity) {
      this._wakeState = 1;
      if (this._virtual && this._hostPending === 0) this._host.callAfter(0, this._deadlockCheck);
      return false;
    }
    if (this._virtual) {
      if (this._hostPending > 0 && this._jumpTo < t._when) {
        // A host callback may still come: wait for it, at most the real time to this timer, counted
        // from when the clock first stopped here with this timer next: each host callback that wakes
        // the loop must not start the wait over (polling host I/O would hold the timer back for ever),
        // but a timer that became next later is counted from then.
        const target = t._when;
        const real = now();
        if (this._stalledAt !== this._vtime || this._stalledOn !== t) {
          this._stalledAt = this._vtime;
          this._stalledOn = t;
          this._stalledSince = real;
        }
        this._wakeState = 1;
        this._host.callAfter(Math.max(0, target - this._vtime - (real - this._stalledSince)), () => {
          this._jumpTo = target;
          this._host.soon();
        });
        return false;
      }
      if (t._when > this._vtime) this._vtime = t._when;
      this._stalledOn = null; // no longer waited for: not kept alive
      return true;
    }
    const delay = t._when - now();
    if (delay <= 0) return true;
    this._wakeState = 1;
    this._host.after(Math.ceil(delay));
    return false;
  }

  /** The start of an iteration: the timers that are due go to the ready queue, in deadline order. */
  private _moveDueTimers(): void {
    const timers = this._timers;
    if (timers.items.length === 0) return;
    const q = this._ready;
    const end = this._virtual ? this._vtime : now();
    const rng = this._rng;
    let same: HeapTimer[] | null = null; // with a seed: the timers of one deadline, to permute
    for (;;) {
      const t = timers.peek();
      if (t === undefined || t._when > end) break;
      timers.pop();
      if (rng === null) q.push(t, undefined);
      else if (same === null || same[0]!._when === t._when) (same ??= []).push(t);
      else {
        pushPermuted(q, same, rng);
        same = [t];
      }
    }
    if (same !== null) pushPermuted(q, same, rng!);
  }

  private _runDebug(n: number): void {
    const q = this._ready;
    while (n-- > 0) {
      const item = q.shift();
      const arg = q.arg;
      const t0 = now();
      try {
        if (typeof item === "function") item(arg);
        else (item as Runnable)._run(arg);
      } catch (e) {
        this._callbackFailed(e, item, arg);
      }
      const dt = now() - t0;
      if (dt >= this.slowCallbackDuration) this.callExceptionHandler(slowCallback(item, dt));
    }
  }

  /**
   * On the virtual clock, idle with no timer and no host callback outstanding, only code outside the
   * loop can still wake a task: after one host turn, report the tasks that wait (likely a deadlock).
   */
  private readonly _deadlockCheck = (): void => {
    if (this._wakeState !== 1 || !this._running || this._ready.size > 0 || this._hostPending > 0) return;
    const top = this._timers.peek();
    if (top !== undefined && top._when !== Infinity) return;
    const waiting: string[] = [];
    for (let t = this._taskHead; t !== null; t = t._nextTask) waiting.push(t.toString());
    this.callExceptionHandler(deadlock(waiting));
  };

  private _callbackFailed(e: unknown, item: unknown, arg: unknown): void {
    this.callExceptionHandler(callbackFailed(e, item, arg, this));
  }

  private _finishRun(): void {
    this._stopping = false;
    this._running = false;
    this._wakeState = this._closed ? 2 : 0;
    this._host.settle();
    const settle = this._settle;
    this._settle = null;
    settle?.();
  }
}

/** A new event loop (asyncio's `new_event_loop`). */
export function newEventLoop(options?: EventLoopOptions): EventLoop {
  return new EventLoop(options);
}

setDefaultLoopFactory(() => new EventLoop());

// Keep the hidden classes of the hot path alive and general (internal/shapes.ts).
anchorOnLoop((loop) => [
  loop._ready,
  loop._timers,
  new Future(loop as never),
  anchorTask(loop),
  new FutureExtra(),
  new Handle(String, null, loop),
  new TimerHandle(0, String, null, loop),
]);

/** @internal Validates a delay or time in ms. */
export function checkDelay(ms: unknown, what: string): asserts ms is number {
  if (typeof ms !== "number") throw new TypeError(`${what} must be a number of milliseconds, got ${typeof ms}`);
  if (Number.isNaN(ms)) throw new ValueError(`${what} must not be NaN`);
}

/**
 * CPython's last resort, `logger.error(message, exc_info=True)`, when the default exception handler
 * throws: the console gets the message, the error and the context the handler failed on.
 */
function logHandlerFailure(message: string, error: unknown, context: ExceptionContext): void {
  try {
    console.error(formatContext({ message, exception: error, context }));
  } catch {
    // formatContext threw too (a value whose String() throws): let the console inspect them.
    try {
      console.error(message, error, context);
    } catch {
      // The console itself failed: nothing is left to report to.
    }
  }
}

inspectAsString(EventLoop);
