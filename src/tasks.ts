/**
 * Task: a Future that drives a coroutine (asyncio's tasks.py, the Task half).
 *
 * `Task._step` is the only place in asyncio-ts that resumes a coroutine (`next` or `throw`), and
 * the loop's ready queue is the only place that calls `_step`. A step runs the coroutine to its
 * next suspension and looks at what it yielded:
 * - the shared SUSPEND result (a pending Future, or a primitive's waiter, reached through `yield*`:
 *   a `Waitable`, see futures.ts): the task adds itself to its waiters (no closure), and runs again
 *   once it is done;
 * - the `sleep(0)` token: the task goes to the back of the ready queue;
 * - anything else (a bare `yield`, the forgotten `*`): a TypeError is thrown into the coroutine.
 *
 * Cancellation is a request (CPython's `_must_cancel` / `_num_cancels_requested`): `cancel()`
 * cancels the future the task waits on, so `CancelledError` surfaces at that `yield*`; if the task
 * is not waiting, the error is thrown in at its next step. The task is cancelled only if the
 * coroutine ends by that error.
 */
import { CancelledError, RuntimeError, ValueError } from "./exceptions.js";
import { checkOptions } from "./internal/options.js";
import { cancelMessage, Future, newCancelledError, pyRepr, short, SUSPEND, type FutureExtra, type Waitable } from "./futures.js";
import { checkCoroutine, GeneratorPrototype, isCoroutine, YIELD_ONCE, type Awaitable, type Coroutine, type Suspension } from "./coroutines.js";
import { checkLoop, getEventLoop, getRunningLoop } from "./internal/running.js";
import { isNativeFunction } from "./internal/functions.js";
import type { EventLoop } from "./base-events.js";

/** Options of `createTask` and `new Task()`. */
export interface TaskOptions {
  /** The task's name (default `Task-N`). */
  name?: string;
  /** The loop to run on (default: the running loop, else `getEventLoop()`). */
  loop?: EventLoop;
}

/** The keys of `TaskOptions`, and those `createTask` takes. */
const TASK_KEYS: readonly string[] = ["name", "loop"];
const CREATE_TASK_KEYS: readonly string[] = ["name"];

/**
 * @internal The name in `createTask`'s options (checked: an object with only `name`), or undefined.
 * @throws TypeError for anything else, e.g. `createTask(coro, "name")` or `{ nmae: "x" }`.
 */
export function createTaskName(options: unknown): string | undefined {
  checkOptions(options, "createTask", CREATE_TASK_KEYS, '{ name: "worker" }');
  const name = (options as { name?: unknown }).name;
  return name === undefined || name === null ? undefined : String(name); // null: unnamed (Python's None)
}

/** The tasks whose `toString()` is running (to cut a cycle of tasks awaiting each other). */
const inRepr = new Set<object>();

const NONE: unique symbol = Symbol("none");
// The bits of Task._flags. The low two say how the next step resumes the coroutine.
const RESUME_MASK = 3;
const RESUME_NEXT = 0;
/** Its last suspension was the `sleep(0)` token. */
const RESUME_YIELD = 1;
/** Throw `_result` (an error about misuse) into the coroutine. */
const RESUME_THROW = 2;
/** Throw CancelledError in at the next step (CPython's `_must_cancel`). */
const MUST_CANCEL = 4;
/** `_coro` is a generator object (its `next` is %GeneratorPrototype%'s). */
const NATIVE = 8;
/** `cancel()` was called once at least (`signal` is then created aborted). */
const CANCEL_REQUESTED = 16;
/** Inside this task's `cancel()`, forwarding to what it waits on (to cut a cycle back to this task: tasks awaiting each other, a gather of itself). */
const IN_CANCEL = 32;
/** The bits above hold the count of pending cancellation requests (CPython's `_num_cancels_requested`). */
const COUNT_SHIFT = 6;
const COUNT_ONE = 1 << COUNT_SHIFT;
let taskCounter = 0;
/**
 * The methods of every generator. A task calls them directly on a generator coroutine: calling
 * `coro.next()` would make the step's optimized code depend on the hidden class of each generator
 * function's objects, which a program that makes its generator functions in a closure renews on
 * every call.
 */
const GEN_NEXT = (GeneratorPrototype as Generator).next as (this: unknown) => IteratorResult<Suspension, any>;
const GEN_THROW = (GeneratorPrototype as Generator).throw as (this: unknown, e: unknown) => IteratorResult<Suspension, any>;

/** What `SLEEP0.next()` returns when done (shared: `yield*` only reads its value). */
const DONE_VOID: IteratorResult<Suspension, undefined> = Object.freeze({ done: true, value: undefined });

/** What `SLEEP0.next()` returns to yield once (shared: `yield*` passes it up unchanged). */
const YIELD_RESULT: IteratorResult<Suspension, never> = Object.freeze({ done: false, value: YIELD_ONCE });

/** True while a task resumes a coroutine that yielded the `sleep(0)` token (read once by `SLEEP0`). */
let resumingYield = false;

/**
 * The coroutine of `sleep(0)`: yields the "yield once" token, then returns. Stateless, so one object
 * serves every task: the task that resumes it sets `resumingYield` right before `next()`. It
 * inherits from %GeneratorPrototype%, so it is a coroutine object like any other
 * (`createTask(sleep(0))` works).
 * @internal
 */
export const SLEEP0: Coroutine<undefined> = Object.create(GeneratorPrototype, {
  next: {
    value(): IteratorResult<Suspension, undefined> {
      if (resumingYield) {
        resumingYield = false;
        return DONE_VOID;
      }
      return YIELD_RESULT;
    },
  },
  throw: {
    value(e: unknown): IteratorResult<Suspension, undefined> {
      throw e;
    },
  },
  return: {
    value(): IteratorResult<Suspension, undefined> {
      return DONE_VOID;
    },
  },
});

/**
 * A coroutine scheduled to run on the loop, as a Future of its return value.
 *
 * Create tasks with `createTask(coro)` (or a `TaskGroup`). The task starts at the loop's next
 * iteration, never synchronously. The loop keeps every unfinished task alive, so a task nobody
 * references still runs to completion.
 *
 * @example
 * function* main() {
 *   const t = createTask(fetchData(1), { name: "fetch-1" });
 *   yield* sleep(10);
 *   t.cancel();            // CancelledError is thrown in at fetchData's await point
 *   try { yield* t; } catch (e) { if (!(e instanceof CancelledError)) throw e; }
 *   console.log(t.cancelled()); // true, unless fetchData caught the error and returned
 * }
 */
export class Task<T = unknown> extends Future<T> {
  /** @internal */ _coro: Coroutine<T>;
  /** @internal What this task waits on: a future, or a primitive's waiter. */
  _fut: Waitable | null = null;
  /** @internal The name given, or the task's number until `getName()` makes it `Task-N`. */
  _name: string | number;
  /** @internal The loop's list of unfinished tasks. */
  _prevTask: Task<any> | null = null;
  /** @internal */ _nextTask: Task<any> | null = null;
  /**
   * @internal How the next step resumes (RESUME_*), MUST_CANCEL, NATIVE, CANCEL_REQUESTED and the
   * count of pending cancellation requests, in one small integer: four fields would cost 24 more
   * bytes per task.
   */
  _flags = 0;

  /**
   * @throws TypeError if `coro` is not a coroutine object, `options` is not an object with only
   *   `name` and `loop`, or `loop` is not an EventLoop; RuntimeError if the loop is closed.
   */
  constructor(coro: Coroutine<T>, options?: TaskOptions) {
    checkCoroutine(coro, "Task");
    // The loop passes itself (createTask) to skip an options object on the hot path.
    const o = options as (TaskOptions & { _ready?: unknown }) | undefined;
    const given = o !== undefined && o._ready === undefined ? o : undefined;
    if (given !== undefined) {
      checkOptions(given, "Task", TASK_KEYS, '{ name: "worker" }');
      if (given.loop != null) checkLoop(given.loop, "Task");
    }
    const loop = given !== undefined ? (given.loop ?? getEventLoop()) : o !== undefined ? (o as unknown as EventLoop) : getEventLoop();
    super(loop as never);
    loop._checkClosed();
    this._coro = coro;
    if ((coro as { next?: unknown }).next === GEN_NEXT) this._flags = NATIVE;
    // As CPython, only an unnamed task draws a number: names given leave no gap in `Task-N`.
    this._name = given !== undefined && given.name != null ? String(given.name) : ++taskCounter;
    loop._addTask(this);
  }

  /** The task's name: the one given, else `Task-N`. */
  getName(): string {
    const n = this._name;
    return typeof n === "string" ? n : (this._name = `Task-${n}`);
  }

  /** Renames the task. */
  setName(name: unknown): void {
    this._name = String(name);
  }

  /** The coroutine this task drives. */
  getCoro(): Coroutine<T> {
    return this._coro;
  }

  /**
   * Requests cancellation: the future the task waits on is cancelled, so `CancelledError` is
   * thrown into the coroutine at its `yield*`; if the task is not waiting, it is thrown in at its
   * next step. `finally` blocks run. Returns false if the task is already done (a failed task's
   * error then counts as retrieved: it is not reported as never retrieved, as in CPython). Aborts `signal`.
   * The request is counted (`cancelling()`); `uncancel()` takes one back.
   * @throws TypeError if `msg` is given and is neither a string nor null (no message, as Python's None).
   */
  override cancel(msg?: string | null): boolean {
    msg = cancelMessage(msg);
    if (this._state !== "pending") {
      this._retrieved();
      return false;
    }
    // What the task waits on may lead back to it (tasks awaiting each other, a task awaiting a gather
    // of itself: a deadlock), which would forward the request round the cycle for ever (CPython:
    // RecursionError). Met again that way, the request breaks the cycle here instead. A request made
    // meanwhile by other code (an abort listener) is an ordinary second request.
    const forwarding = this._flags & IN_CANCEL;
    if (forwarding !== 0 && this._awaitsItself()) return this._breakCycle(msg);
    this._flags += COUNT_ONE;
    // The first request decides how `signal` aborts: its message is kept only if there is one, so
    // that a cancellation allocates nothing more.
    const first = (this._flags & CANCEL_REQUESTED) === 0;
    this._flags |= CANCEL_REQUESTED;
    const x = this._extra;
    if (x !== null) {
      const s = x.signal;
      if (s !== null && typeof s !== "string") {
        if (!s.signal.aborted) s.abort(newCancelledError(msg));
      } else if (first && msg !== undefined) {
        x.signal = msg;
      }
      // Cancelled again long after the first error reached it: it swallowed that one (a `finally`
      // that awaits a short cleanup, cancelled again meanwhile, is not reported).
      const d = x.debug;
      if (d !== null && d.swallowedAt >= 0 && this._loop.time() - d.swallowedAt >= this._loop.slowCallbackDuration) {
        this._reportSwallowed("was cancelled again");
      }
    } else if (first && msg !== undefined) {
      this._extras().signal = msg;
    }
    const w = this._fut;
    if (w !== null) {
      // Any waitable may forward (a task, a gather to its children), so the guard is set for all:
      // two bit operations, where telling the forwarding kinds apart would cost a test as well.
      let forwarded: boolean;
      this._flags |= IN_CANCEL;
      try {
        forwarded = w.cancel(msg);
      } finally {
        this._flags &= ~IN_CANCEL | forwarding; // a nested request leaves the outer one's bit
      }
      if (forwarded) return true;
    }
    this._flags |= MUST_CANCEL;
    // CPython's `_cancel_message`: kept in the extras, since most cancellations have no message.
    if (msg !== undefined) this._extras().cancelMessage = msg;
    else if (this._extra !== null) this._extra.cancelMessage = undefined;
    return true;
  }

  /**
   * Whether what this task waits on leads back to it, through the tasks awaited and the children of
   * gathers (the only waitables that forward a cancellation). Walked only when a request arrives
   * while this task forwards one.
   */
  private _awaitsItself(): boolean {
    const todo: unknown[] = [this._fut];
    const seen = new Set<unknown>();
    while (todo.length > 0) {
      const x = todo.pop();
      if (x === this) return true;
      if (x == null || seen.has(x)) continue;
      seen.add(x);
      if (x instanceof Task) todo.push(x._fut);
      const children = (x as { _children?: unknown })._children;
      if (x instanceof Future && Array.isArray(children)) todo.push(...children);
    }
    return false;
  }

  /**
   * A cancellation this task forwarded to what it waits on came back to it: the task awaits itself
   * through tasks or gathers, a deadlock that nothing else can end. It stops waiting and resumes
   * with CancelledError at its `yield*` (the request is the one already counted), so the cycle
   * unwinds: what awaited this task sees it cancelled. The error the abandoned future ends with
   * (a gather's CancelledError) counts as retrieved, as this task's wake-up would have retrieved it.
   */
  private _breakCycle(msg: string | undefined): boolean {
    const w = this._fut;
    if (!(w instanceof Future)) return false; // only futures forward a cancellation
    w._removeWaiter(this);
    w._addWaiter(retrieveError);
    this._fut = null;
    this._flags |= MUST_CANCEL;
    if (msg !== undefined) this._extras().cancelMessage = msg;
    this._loop._push(this, undefined);
    return true;
  }

  /** The number of pending cancellation requests (`cancel()` calls not taken back by `uncancel()`). */
  cancelling(): number {
    return this._flags >> COUNT_SHIFT;
  }

  /**
   * Takes back one cancellation request and returns the remaining count. Call it after catching
   * a `CancelledError` that you handled on purpose (as `timeout` and `TaskGroup` do).
   */
  uncancel(): number {
    if (this._flags >= COUNT_ONE) {
      this._flags -= COUNT_ONE;
      if (this._flags < COUNT_ONE) {
        this._flags &= ~MUST_CANCEL;
        const d = this._extra?.debug;
        if (d) d.swallowedAt = -1;
      }
    }
    return this._flags >> COUNT_SHIFT;
  }

  /** An `AbortSignal` aborted (with the `CancelledError` as reason) when cancellation is requested. */
  get signal(): AbortSignal {
    const x = this._extras();
    const s = x.signal;
    if (s !== null && typeof s !== "string") return s.signal;
    const c = new AbortController();
    if ((this._flags & CANCEL_REQUESTED) !== 0) c.abort(newCancelledError(s ?? undefined));
    x.signal = c;
    return c.signal;
  }

  /** The await chain, outermost first: this task, then what it waits on, and so on down. */
  getStack(): string[] {
    const out: string[] = [this.toString()];
    let f: Waitable | null = this._fut;
    for (let depth = 0; f !== null && depth < 64; depth++) {
      out.push(f.toString());
      f = f instanceof Task ? f._fut : null;
    }
    return out;
  }

  /** @throws RuntimeError: a task's result comes from its coroutine. */
  override setResult(_value: T): never {
    throw new RuntimeError("Task does not support setResult: its result is its coroutine's return value");
  }

  /** @throws RuntimeError: a task's error comes from its coroutine. */
  override setException(_error: unknown): never {
    throw new RuntimeError("Task does not support setException: its error is what its coroutine throws");
  }

  override toString(): string {
    // Tasks that await each other (a deadlock) would make `wait_for=` recurse for ever: a task met
    // again inside its own repr is shown by name only.
    if (inRepr.has(this)) return `<Task name=${pyRepr(this.getName())} (awaited in a cycle)>`;
    inRepr.add(this);
    try {
      return this._repr();
    } finally {
      inRepr.delete(this);
    }
  }

  private _repr(): string {
    const pending = this._state === "pending";
    const wait = pending && this._fut !== null ? ` wait_for=${this._fut.toString()}` : "";
    // CPython 3.13's repr says `cancelling` while a cancellation request is pending.
    const word = pending && this._flags >= COUNT_ONE ? "cancelling" : null;
    const name = ` name=${pyRepr(this.getName())}`; // a function below: a name may hold "$&"
    const state = this._describeState().replace(/^\w+/, (w) => (word ?? w) + name);
    return `<Task ${state}${wait}>`;
  }

  /** @internal */
  override _cancelMsg(): string | undefined {
    return this._extra === null ? undefined : this._extra.cancelMessage;
  }

  /** @internal Called from the ready queue. */
  _run(_arg: unknown): void {
    this._step();
  }

  /** @internal One step of the coroutine: the only place a coroutine is resumed. */
  _step(): void {
    if (this._state !== "pending") return;
    const x = this._extra;
    const f = this._flags;
    if ((f & (MUST_CANCEL | RESUME_THROW)) !== 0 || (x !== null && x.debug !== null)) {
      this._stepWith();
      return;
    }
    // The common step: resume with next(), no error to throw in, no debug record.
    const loop = this._loop;
    this._fut = null;
    loop._current = this;
    SUSPEND.value = undefined; // a suspension left by code that iterated a coroutine is not this step's (futures.ts, suspendOn)
    if ((f & RESUME_YIELD) !== 0) {
      this._flags = f & ~RESUME_MASK;
      resumingYield = true;
    }
    let r: IteratorResult<Suspension, T>;
    try {
      r = (f & NATIVE) !== 0 ? GEN_NEXT.call(this._coro) : this._coro.next();
    } catch (e) {
      loop._current = null;
      resumingYield = false;
      this._raised(e);
      return;
    }
    loop._current = null;
    if ((r as unknown) === SUSPEND) {
      const y = SUSPEND.value!;
      if (y._loop === loop && y !== this) {
        SUSPEND.value = undefined;
        y._addWaiter(this);
        this._fut = y;
        // The coroutine may have cancelled its own task during the step.
        if ((this._flags & MUST_CANCEL) !== 0) this._cancelWaited(y);
        return;
      }
    } else if (r === YIELD_RESULT) {
      this._flags |= RESUME_YIELD;
      loop._push(this, undefined);
      return;
    }
    this._afterStep(r, null, false);
  }

  /** @internal A step that throws an error in, or keeps debug records. */
  private _stepWith(): void {
    const loop = this._loop;
    let exc: unknown = NONE;
    if ((this._flags & MUST_CANCEL) !== 0) {
      this._flags &= ~MUST_CANCEL;
      // If what the task waits on was cancelled (by the first request, say), resuming raises that
      // CancelledError with its message, as CPython's `__step` keeps the CancelledError `__wakeup`
      // passes in; a later `cancel(msg)` does not replace it.
      const f = this._fut;
      if (f === null || f._state !== "cancelled") exc = newCancelledError(this._cancelMsg());
      // A failed future's error is replaced by the CancelledError: it was retrieved all the same
      // (CPython's `__wakeup` calls `result()` before `__step` sees `_must_cancel`).
      if (f instanceof Future && f._state === "failed") f._retrieved();
    } else if ((this._flags & RESUME_MASK) === RESUME_THROW) {
      this._flags &= ~RESUME_MASK;
      exc = this._result;
      this._result = undefined;
    }
    const d = this._extra === null ? null : this._extra.debug;
    const delivering = d !== null && this._flags >= COUNT_ONE &&
      (exc instanceof CancelledError || (this._fut !== null && cancelledAwait(this._fut)));
    this._fut = null;
    loop._current = this;
    SUSPEND.value = undefined; // a suspension left by code that iterated a coroutine is not this step's (futures.ts, suspendOn)
    let r: IteratorResult<Suspension, T>;
    try {
      const native = (this._flags & NATIVE) !== 0;
      if (exc === NONE) {
        if ((this._flags & RESUME_MASK) === RESUME_YIELD) {
          this._flags &= ~RESUME_MASK;
          resumingYield = true;
        }
        r = native ? GEN_NEXT.call(this._coro) : this._coro.next();
      } else {
        this._flags &= ~RESUME_MASK;
        r = native ? GEN_THROW.call(this._coro, exc) : this._coro.throw(exc);
      }
    } catch (e) {
      loop._current = null;
      resumingYield = false;
      this._raised(e);
      return;
    }
    loop._current = null;
    this._afterStep(r, d, delivering);
  }

  /** @internal What the coroutine yielded or returned, and what to do about it. */
  private _afterStep(r: IteratorResult<Suspension, T>, d: NonNullable<FutureExtra["debug"]> | null, delivering: boolean): void {
    const loop = this._loop;
    if (r.done === true) {
      if ((this._flags & MUST_CANCEL) !== 0) {
        this._flags &= ~MUST_CANCEL;
        this._finish("cancelled", newCancelledError(this._cancelMsg()));
      } else {
        if (d !== null && (d.swallowedAt >= 0 || delivering) && this._flags >= COUNT_ONE) {
          this._reportSwallowed("returned normally");
        }
        this._finish("finished", r.value);
      }
      return;
    }
    // A CancelledError delivered in this step and handled in it (`uncancel()`, as timeouts and
    // TaskGroups do) leaves no request: nothing to mark.
    if (d !== null && this._flags >= COUNT_ONE) {
      if (delivering) d.swallowedAt = loop.time();
      else if (d.swallowedAt >= 0 && loop.time() - d.swallowedAt >= loop.slowCallbackDuration) {
        this._reportSwallowed(`is still awaiting ${loop.time() - d.swallowedAt} ms later`);
      }
    }
    if ((r as unknown) === SUSPEND) {
      const y = SUSPEND.value!;
      SUSPEND.value = undefined;
      if (y._loop !== loop) {
        this._inject(new RuntimeError(`Task ${this.toString()} got Future ${y.toString()} attached to a different loop`));
      } else if (y === this) {
        this._inject(new RuntimeError(`Task cannot await on itself: ${this.toString()}`));
      } else {
        y._addWaiter(this);
        this._fut = y;
        if ((this._flags & MUST_CANCEL) !== 0) this._cancelWaited(y);
      }
    } else if (r === YIELD_RESULT) {
      this._flags |= RESUME_YIELD;
      loop._push(this, undefined);
    } else {
      this._inject(
        new TypeError(
          `Task ${this.getName()}: a coroutine yielded ${yieldedWhat(r.value)} with a bare \`yield\`; ` +
            "await with `yield*` (e.g. `yield* sleep(10)`, `yield* fut`), never plain `yield`",
        ),
      );
    }
  }

  /** A cancellation requested during the step goes to what the task now waits on, if it can. */
  private _cancelWaited(y: Waitable): void {
    if (y.cancel(this._cancelMsg())) this._flags &= ~MUST_CANCEL;
  }

  private _inject(err: unknown): void {
    this._result = err;
    this._flags = (this._flags & ~RESUME_MASK) | RESUME_THROW;
    this._loop._push(this, undefined);
  }

  /**
   * The coroutine raised `e`. A CancelledError ends the task cancelled and, as CPython's
   * `super().cancel()` without a message there, leaves no cancel message behind (so `gather`'s
   * `returnExceptions` reports the task's CancelledError with an empty message, as CPython does).
   */
  private _raised(e: unknown): void {
    if (e instanceof CancelledError) {
      if (this._extra !== null) this._extra.cancelMessage = undefined;
      this._finish("cancelled", e);
    } else {
      this._finish("failed", e);
    }
  }

  private _finish(state: "finished" | "failed" | "cancelled", value: unknown): void {
    this._loop._removeTask(this);
    if (state === "failed") {
      this._fail(value);
    } else {
      this._result = value;
      this._state = state;
      this._scheduleCallbacks();
    }
  }

  private _reportSwallowed(what: string): void {
    const d = this._extra!.debug!;
    if (d.reported) return;
    d.reported = true;
    this._loop.callExceptionHandler({
      message:
        `Task '${this.getName()}' caught CancelledError and ${what} without calling uncancel(): ` +
        "rethrow the CancelledError (or call currentTask().uncancel() if the cancellation was handled on purpose)",
      task: this,
      sourceTraceback: d.source,
    });
  }
}

/**
 * @internal A task for `anchorShape` (internal/shapes.ts): on `loop`, never run, and not counted in
 * the `Task-N` names.
 */
export function anchorTask(loop: EventLoop): Task<undefined> {
  const t = new Task(SLEEP0, loop as never);
  taskCounter--;
  return t;
}

/**
 * What a bare `yield` gave, for its TypeError: a coroutine is named as one, with its repr if it has
 * one (`a coroutine (<Lock.acquire() pending>)`), since `yield co` for `yield* co` is the usual slip.
 */
function yieldedWhat(v: unknown): string {
  if (!isCoroutine(v)) return short(v);
  const repr = String(v);
  return repr === "[object Generator]" ? "a coroutine" : `a coroutine (${repr})`;
}

/** A done callback that marks a future's error retrieved. */
function retrieveError(f: Future<unknown>): void {
  if (!f.cancelled()) f.exception();
}

/**
 * Whether resuming from `f` delivers a CancelledError: it was cancelled, or it failed with one (a
 * cancelled `gather` fails its outer future with the CancelledError, as CPython's does).
 */
function cancelledAwait(f: Waitable): boolean {
  return f._state === "cancelled" || (f instanceof Future && f._state === "failed" && f._result instanceof CancelledError);
}

/**
 * Wraps `coro` in a Task on the running loop; it starts at the loop's next iteration.
 * @throws TypeError if `coro` is not a coroutine object (for a Promise, use `fromPromise`), or
 *   `options` is not an object with only `name`;
 *   RuntimeError outside a running loop.
 */
export function createTask<T>(coro: Coroutine<T>, options?: { name?: string }): Task<T> {
  return getRunningLoop().createTask(coro, options);
}

/**
 * The task running now on `loop` (default: the running loop), or `null` if none is (a plain callback).
 * @throws RuntimeError outside a running loop (when no loop is given), as CPython; TypeError if
 *   `loop` is given and is not an EventLoop.
 */
export function currentTask(loop?: EventLoop | null): Task<any> | null {
  return givenOrRunning(loop, "currentTask")._current;
}

/**
 * The unfinished tasks of `loop` (default: the running loop).
 * @throws RuntimeError outside a running loop (when no loop is given); TypeError if `loop` is given
 *   and is not an EventLoop.
 */
export function allTasks(loop?: EventLoop | null): Set<Task<unknown>> {
  const l = givenOrRunning(loop, "allTasks");
  const out = new Set<Task<unknown>>();
  for (let t = l._taskHead; t !== null; t = t._nextTask) out.add(t);
  return out;
}


/** `loop` if given (null: not given, as Python's None), checked; else the running loop. */
function givenOrRunning(loop: unknown, where: string): EventLoop {
  if (loop == null) return getRunningLoop();
  checkLoop(loop, where);
  return loop;
}

/**
 * A Future for `aw`: a Future or Task is returned as is; a coroutine (or any other awaitable) is
 * wrapped in a Task on `loop` (default: the running loop, else `getEventLoop()`).
 * @throws TypeError for anything else (for a Promise, use `fromPromise`), or a `loop` that is not an
 *   EventLoop; ValueError if a future belongs to another loop than `loop`.
 */
export function ensureFuture<T>(aw: Future<T> | Awaitable<T>, loop?: EventLoop | null): Future<T> {
  if (loop != null) checkLoop(loop, "ensureFuture");
  else loop = undefined;
  if (aw instanceof Future) {
    if (loop !== undefined && aw._loop !== loop) {
      throw new ValueError("ensureFuture: the future belongs to a different loop than the one given (CPython's ValueError)");
    }
    return aw;
  }
  const l = loop ?? getEventLoop();
  if (isCoroutine(aw)) return l.createTask(aw as Coroutine<T>);
  checkAwaitable(aw, "ensureFuture");
  return l.createTask(awaitIt(aw));
}

/**
 * @internal Checks that `aw` is something `yield*` can await and `ensureFuture` can wrap: a Future,
 * a coroutine (a generator object, or a hand-written one inheriting %GeneratorPrototype%), or an
 * awaitable of your own: a non-thenable object whose `[Symbol.iterator]` is your code (a generator
 * method, say), or that is its own iterator with `next` and `throw`. The built-in iterables and
 * iterators (a Map, a String object, an array iterator…) are not awaitables. Callers test
 * `instanceof Future` and `isCoroutine` first, so the common cases cost nothing more.
 * @throws TypeError that says what was given and what to write instead: `gather(...list)` for an
 *   array or Set, `fromPromise` for a Promise, `main()` for a generator function, `function*` for
 *   an async generator (`checkCoroutine`'s messages for the rest).
 */
export function checkAwaitable(aw: unknown, where: string, index?: number): void {
  if (aw instanceof Future || isCoroutine(aw)) return;
  const at = index === undefined ? where : `${where}: argument ${index}`;
  if (Array.isArray(aw) || aw instanceof Set) {
    const what = Array.isArray(aw) ? "an array" : "a Set";
    throw new TypeError(
      where === "gather"
        ? `${at} is ${what}, not an awaitable: gather takes the awaitables as separate arguments, write gather(...list)`
        : `${at}: an awaitable was expected, got ${what}; to await several together, pass gather(...list)`,
    );
  }
  if (typeof aw !== "object" || aw === null || typeof (aw as { then?: unknown }).then === "function") {
    checkCoroutine(aw, at);
    return;
  }
  const tag = Object.prototype.toString.call(aw).slice(8, -1);
  if (tag === "AsyncGenerator") {
    throw new TypeError(
      `${at}: an awaitable was expected, got an async generator object: it cannot be awaited with yield*; ` +
        "write a generator function (function*, awaiting with yield*) instead of an async function*",
    );
  }
  const iter = (aw as Partial<Iterable<unknown>>)[Symbol.iterator];
  if (typeof iter === "function") {
    if (!isNativeFunction(iter)) return; // an awaitable of your own (ensureFuture wraps it in a task)
    const self = aw as { next?: unknown; throw?: unknown };
    if (iter === IteratorSelf && typeof self.next === "function" && typeof self.throw === "function" && !isNativeFunction(self.next)) return;
    throw new TypeError(
      `${at}: an awaitable was expected, got ${article(tag)} ${tag}: it is iterable, but not an awaitable ` +
        "(a coroutine, a Future, or what sleep, gather… return)",
    );
  }
  checkCoroutine(aw, at);
}

/** %IteratorPrototype%[Symbol.iterator]: what an object that is its own iterator inherits. */
const IteratorSelf = (Object.getPrototypeOf(GeneratorPrototype) as Iterable<unknown>)[Symbol.iterator];

function article(word: string): string {
  return /^[AEIOU]/i.test(word) ? "an" : "a";
}

function* awaitIt<T>(aw: Awaitable<T>): Coroutine<T> {
  return yield* aw;
}
