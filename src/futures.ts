/**
 * Future: the result of an operation that completes later (asyncio's futures.py).
 *
 * The await protocol lives here: a Future is its own iterator, so `yield* fut` in a coroutine calls
 * `next()`, which, while the future is pending, returns the one shared SUSPEND result holding the
 * future, and once it is done returns its result (or throws its error) in the one shared DONE
 * result. `yield*` hands an inner result object up unchanged, so the Task sees SUSPEND itself: that
 * tells a real `yield*` from a bare `yield fut` (CPython's `_asyncio_future_blocking` flag), and
 * an await allocates nothing. The Task that drives the coroutine is the only code that resumes it,
 * and only after the future is done, so the second `next()` always finds a result. A done future
 * returns at once, without suspending.
 *
 * Done callbacks never run synchronously: completion puts them on the loop's ready queue, in the
 * order they were added. A waiting Task is stored as a callback itself (no closure per await).
 */
import { CancelledError, InvalidStateError, RuntimeError } from "./exceptions.js";
import { checkLoop, getEventLoop } from "./internal/running.js";
import { checkOptions } from "./internal/options.js";
import type { Suspension } from "./coroutines.js";
import type { EventLoop } from "./base-events.js";
import { anchorShape } from "./internal/shapes.js";
import { inspectAsString } from "./internal/inspect.js";
import { checkCallback } from "./internal/callbacks.js";

/** Where a future is in its life: `pending`, then `finished` (a result), `failed` (an error) or `cancelled`. */
export type FutureState = "pending" | "finished" | "failed" | "cancelled";

/** A done callback: called (through the loop) with the future once it is done. */
export type DoneCallback<F> = (fut: F) => void;

/** @internal What sits in a future's callback list: a function, or a runnable such as a waiting Task. */
export type Waiter = DoneCallback<any> | { _run(arg: unknown): void };

/** Options of `new Future()`. */
export interface FutureOptions {
  /** The loop the future belongs to; by default the running loop, else `getEventLoop()`. */
  loop?: EventLoop;
}

const reportUnretrieved = new FinalizationRegistry<Unretrieved>((u) => u.report(null));

/**
 * @internal What is kept to report an error nobody retrieved, once its future is collected: not the
 * future (that would keep it alive), but its class name and its repr when it failed.
 */
export class Unretrieved {
  constructor(
    readonly loop: EventLoop,
    readonly cls: string,
    readonly repr: string,
    readonly exception: unknown,
    readonly source: string | null,
  ) {}

  /**
   * CPython's context: "Task exception was never retrieved" (the class name), the error, and the
   * future as `future` while it can still be given (at close); once collected, its repr as `futureRepr`.
   */
  report(future: Future<any> | null): void {
    this.loop.callExceptionHandler({
      message: `${this.cls} exception was never retrieved`,
      exception: this.exception,
      ...(future !== null ? { future } : { futureRepr: this.repr }),
      ...(this.source === null ? {} : { sourceTraceback: this.source }),
    });
  }
}

/**
 * The eventual result of an operation, set once with `setResult`, `setException` or `cancel`.
 *
 * Inside a coroutine, `yield* fut` waits for it without blocking the loop and returns its result
 * (or throws its error, or `CancelledError`). From plain async code, `await fut` does the same: a
 * Future is `PromiseLike`, and creates no Promise until `then` is called.
 *
 * @example
 * function* main() {
 *   const fut = getRunningLoop().createFuture<string>();
 *   getRunningLoop().callLater(100, () => fut.setResult("done"));
 *   console.log(yield* fut); // "done", 100 ms later
 * }
 */
export class Future<T = unknown> implements PromiseLike<T> {
  /** @internal */ _state: FutureState = "pending";
  /**
   * @internal The result, the error, or (cancelled) the message given to `cancel()` until the
   * CancelledError is made, then that error.
   */
  _result: unknown = undefined;
  /** @internal */ _loop: EventLoop;
  /**
   * @internal The done callbacks: none, one (most futures have one: no array), or an array of them
   * in the order they were added.
   */
  _cbs: Waiter | Waiter[] | null = null;
  /** @internal What few futures need (a Promise, an unretrieved-error report, a task's signal…). */
  _extra: FutureExtra | null = null;

  /** @throws TypeError if `options` is not an object with only `loop`, or `loop` is not an EventLoop. */
  constructor(options?: FutureOptions) {
    // The loop passes itself (createFuture) to skip the options object on the hot path.
    const o = options as (FutureOptions & { _ready?: unknown }) | undefined;
    this._loop = o === undefined ? getEventLoop() : o._ready !== undefined ? (o as unknown as EventLoop) : optionsLoop(o);
    // Debug mode remembers where each future (or task) was made, for its reports; a task keeps its
    // other debug state in the same record.
    if (this._loop._debug) this._extras().debug = { source: creationSite(), swallowedAt: -1, reported: false };
  }

  /** The loop this future is bound to. */
  getLoop(): EventLoop {
    return this._loop;
  }

  /** Whether the future has a result, an error, or was cancelled. */
  done(): boolean {
    return this._state !== "pending";
  }

  /** Whether the future was cancelled. */
  cancelled(): boolean {
    return this._state === "cancelled";
  }

  /**
   * The result.
   * @throws the future's error if it failed; `CancelledError` if it was cancelled;
   *   `InvalidStateError` if it is still pending.
   */
  result(): T {
    const s = this._state;
    if (s === "finished") return this._result as T;
    if (s === "failed") {
      this._retrieved();
      throw this._result;
    }
    if (s === "cancelled") throw this._makeCancelledError();
    throw new InvalidStateError("Result is not set.");
  }

  /**
   * The error the future failed with, or `null` if it has a result. JS can throw any value, `null`
   * included: to tell a failure from a result, test `done() && !cancelled()` and catch `result()`.
   * @throws `CancelledError` if it was cancelled; `InvalidStateError` if it is still pending.
   */
  exception(): unknown {
    const s = this._state;
    if (s === "finished") return null;
    if (s === "failed") {
      this._retrieved();
      return this._result;
    }
    if (s === "cancelled") throw this._makeCancelledError();
    throw new InvalidStateError("Exception is not set.");
  }

  /**
   * Completes the future with `value` and schedules its done callbacks.
   * @throws InvalidStateError if the future is already done.
   */
  setResult(value: T): void {
    if (this._state !== "pending") throw new InvalidStateError(`setResult: ${this.toString()} is already done`);
    this._result = value;
    this._state = "finished";
    this._scheduleCallbacks();
  }

  /**
   * Fails the future with `error` and schedules its done callbacks. An error nobody retrieves
   * (by `result()`, `exception()`, `yield*`, `await` or `cancel()`) is reported to the loop's
   * exception handler ("Future exception was never retrieved") when the future is garbage-collected
   * (with its repr as `futureRepr`) or, at the latest, when its loop closes (with it as `future`).
   * @throws InvalidStateError if the future is already done.
   */
  setException(error: unknown): void {
    if (this._state !== "pending") throw new InvalidStateError(`setException: ${this.toString()} is already done`);
    this._fail(error);
  }

  /**
   * Cancels the future: if it is pending, it becomes cancelled and its done callbacks are scheduled.
   * Returns false if it was already done; a failed future's error then counts as retrieved (it is not
   * reported as never retrieved), as in CPython.
   * @throws TypeError if `msg` is given and is neither a string nor null (no message, as Python's None).
   */
  cancel(msg?: string | null): boolean {
    msg = cancelMessage(msg);
    if (this._state !== "pending") {
      this._retrieved();
      return false;
    }
    this._result = msg;
    this._state = "cancelled";
    this._scheduleCallbacks();
    return true;
  }

  /**
   * Adds a callback to run (through the loop, never synchronously) with this future once it is done;
   * if it is already done, the callback is scheduled at once.
   * @throws TypeError if `cb` is not a function, or is a generator function (a coroutine function:
   *   calling it back would only make a coroutine that never runs; create a task in the callback).
   */
  addDoneCallback(cb: DoneCallback<this>): void {
    checkCallback(cb, "addDoneCallback");
    this._addWaiter(cb);
  }

  /** Removes every occurrence of `cb` from the done callbacks; returns how many were removed. */
  removeDoneCallback(cb: DoneCallback<this>): number {
    const cbs = this._cbs;
    if (cbs === null) return 0;
    if (!Array.isArray(cbs)) {
      if (cbs !== cb) return 0;
      this._cbs = null;
      return 1;
    }
    const kept = cbs.filter((c) => c !== cb);
    this._cbs = kept.length === 0 ? null : kept;
    return cbs.length - kept.length;
  }

  /**
   * Plain async code can `await` a future: the first call creates the Promise, settled as soon as
   * the future is done (a cancelled future rejects with its `CancelledError`).
   */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const x = this._extras();
    let b = x.bridge;
    if (b === null) {
      b = x.bridge = new PromiseBridge<T>();
      if (this._state !== "pending") this._settleBridge(b);
    }
    return b.promise.then(onfulfilled, onrejected);
  }

  /**
   * What makes `yield* fut` work in a coroutine: a future is its own iterator (its `next`, `throw`
   * and `return` are the runtime's, not for direct use).
   */
  [Symbol.iterator](): Iterator<Suspension, T, unknown> {
    return this;
  }

  /** @internal Suspends while pending, then returns the result (or throws). */
  next(): IteratorResult<Suspension, T> {
    const s = this._state;
    if (s === "finished") return doneWith(this._result as T);
    if (s === "pending") return suspendOn(this);
    return doneWith(this.result()); // failed or cancelled: result() throws
  }

  /** @internal An error thrown into a coroutine suspended on this future surfaces at its `yield*`. */
  throw(e: unknown): IteratorResult<Suspension, T> {
    throw e;
  }

  /** @internal */
  return(value?: unknown): IteratorResult<Suspension, T> {
    return { done: true, value: value as T };
  }

  toString(): string {
    return `<${this.constructor.name} ${this._describeState()}>`;
  }

  /** @internal */
  _describeState(): string {
    switch (this._state) {
      case "pending":
        return "pending";
      case "cancelled":
        return "cancelled";
      case "finished":
        return `finished result=${short(this._result)}`;
      case "failed":
        return `finished exception=${short(this._result)}`;
    }
  }

  /** @internal */
  _addWaiter(w: Waiter): void {
    const cbs = this._cbs;
    if (this._state !== "pending") this._loop._push(w, this);
    else if (cbs === null) this._cbs = w;
    else if (Array.isArray(cbs)) cbs.push(w);
    else this._cbs = [cbs, w];
  }

  /** @internal Removes one waiter (a task or callback) added by `_addWaiter`. */
  _removeWaiter(w: Waiter): void {
    const cbs = this._cbs;
    if (cbs === w) {
      this._cbs = null;
    } else if (Array.isArray(cbs)) {
      const i = cbs.indexOf(w);
      if (i >= 0) cbs.splice(i, 1);
    }
  }

  /** @internal */
  _fail(error: unknown): void {
    this._result = error;
    this._state = "failed";
    // V8 formats a stack lazily, and until then it holds the frames' receivers, this future's task
    // among them: formatting it now lets the task be collected, and so reported if unretrieved.
    if (error instanceof Error) void error.stack;
    const u = (this._extras().unretrieved = new Unretrieved(this._loop, this.constructor.name, this.toString(), error, this._sourceTraceback()));
    reportUnretrieved.register(this, u, this);
    // The loop reports it at close if it is still unretrieved then (a short program may end before
    // any GC): each error is reported once, by whichever comes first.
    this._loop._noteFailure(this);
    this._scheduleCallbacks();
  }

  /** @internal Marks the error as retrieved: it will not be reported. */
  _retrieved(): void {
    const x = this._extra;
    if (x !== null && x.unretrieved !== null) {
      x.unretrieved = null;
      reportUnretrieved.unregister(this);
    }
  }

  /** @internal Where the future was created, in debug mode. */
  _sourceTraceback(): string | null {
    return this._extra?.debug?.source ?? null;
  }

  /** @internal Whether it failed with an error (which may be any value, `null` included: JS can throw it). */
  _hasFailed(): boolean {
    return this._state === "failed";
  }

  /** @internal The CancelledError to raise for a cancelled future (kept, so the same one is raised each time). */
  _makeCancelledError(): CancelledError {
    let e = this._result;
    if (!(e instanceof CancelledError)) {
      const msg = e as string | undefined;
      e = this._result = this._loop._debug ? new CancelledError(msg ?? "") : newCancelledError(msg);
    }
    return e as CancelledError;
  }

  /** @internal The message of the cancellation (CPython's `_cancel_message`), if cancelled. */
  _cancelMsg(): string | undefined {
    if (this._state !== "cancelled") return undefined;
    const r = this._result;
    return r instanceof CancelledError ? r.message : (r as string | undefined);
  }

  /** @internal Puts the done callbacks on the ready queue, in order. */
  _scheduleCallbacks(): void {
    const cbs = this._cbs;
    if (cbs !== null) {
      this._cbs = null;
      if (!Array.isArray(cbs)) this._loop._push(cbs, this);
      else for (let i = 0; i < cbs.length; i++) this._loop._push(cbs[i], this);
    }
    const x = this._extra;
    if (x !== null && x.bridge !== null) this._settleBridge(x.bridge);
  }

  /** @internal */
  _extras(): FutureExtra {
    return (this._extra ??= new FutureExtra());
  }

  /** @internal */
  _settleBridge(b: PromiseBridge<any>): void {
    const s = this._state;
    if (s === "finished") b.resolve(this._result as T);
    else if (s === "failed") {
      this._retrieved();
      b.reject(this._result);
    } else b.reject(this._makeCancelledError());
  }
}

/** The loop of `new Future(options)`: the one given (checked), else the running or current loop. */
function optionsLoop(options: FutureOptions): EventLoop {
  checkOptions(options, "Future", ["loop"], "{ loop }");
  const loop = options.loop;
  if (loop == null) return getEventLoop();
  checkLoop(loop, "Future");
  return loop;
}

/** @internal The rarely used parts of a future or task, allocated on first use. */
export class FutureExtra {
  /** The Promise behind `then()`. */
  bridge: PromiseBridge<any> | null = null;
  /** The failed-and-not-retrieved report, registered for when the future is collected. */
  unretrieved: Unretrieved | null = null;
  /** A task's AbortController behind `signal`, or (a string) the message of a cancellation requested before it. */
  signal: AbortController | string | null = null;
  /** The debug-mode record: where it was made; for a task, also its swallowed-cancellation state. */
  debug: { source: string; swallowedAt: number; reported: boolean } | null = null;
  /** A task's message of its last cancellation requested while not waiting (CPython's `_cancel_message`). */
  cancelMessage: string | undefined = undefined;
}

/** @internal A Promise with its resolvers, for `then()`. */
export class PromiseBridge<T> {
  promise: Promise<T>;
  resolve!: (v: T) => void;
  reject!: (e: unknown) => void;
  constructor() {
    this.promise = new Promise<T>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
  }
}

/**
 * @internal What a task can wait on: a Future, or a primitive's waiter (locks/operation.ts), which
 * is its own wait-queue node and spares a Future per wait. The task parks with `_addWaiter(task)`;
 * the waitable wakes it with `loop._push(task, this)` once its `_state` is no longer `pending`;
 * `Task.cancel()` calls `cancel(msg)`, which returns false if it is too late to cancel.
 */
export interface Waitable {
  _loop: EventLoop | null;
  _state: FutureState;
  _addWaiter(task: Waiter): void;
  cancel(msg?: string): boolean;
  toString(): string;
}

/**
 * @internal The message of `cancel(msg)`: a string, or undefined for none (`null` is Python's None).
 * @throws TypeError for anything else.
 */
export function cancelMessage(msg: unknown): string | undefined {
  if (msg == null) return undefined;
  if (typeof msg !== "string") throw new TypeError(`cancel(msg): the message must be a string, got ${typeof msg}`);
  return msg;
}

/** This package's own source folder: its frames are left out of creation sites. */
const OWN_SOURCES = new URL(".", import.meta.url).href;

/** @internal Where a future or task is being created: the stack without our own frames. */
export function creationSite(): string {
  const lines = (new Error().stack ?? "").split("\n").slice(1);
  return lines.filter((l) => !l.includes(OWN_SOURCES)).join("\n");
}

/**
 * @internal The result object of every suspension. The task that receives it reads `value` and
 * clears it at once; nothing else may keep it.
 */
export const SUSPEND: { done: false; value: Waitable | undefined } = { done: false, value: undefined };

/** @internal What `next()` of an awaitable returns to suspend its coroutine on `fut` (pending). */
export function suspendOn(fut: Waitable): IteratorResult<Suspension, never> {
  // A task takes the suspension at once (it clears `value`). Still set to the same awaitable, it was
  // taken by something else, which resumed the coroutine before the awaitable was done: the
  // coroutine is being iterated (`for…of`, spread), not run by a task. CPython: "await wasn't used
  // with future". Left alone, the iteration would never end.
  if (SUSPEND.value === fut) {
    SUSPEND.value = undefined;
    throw new RuntimeError(`await wasn't used with future: a coroutine waiting on ${fut.toString()} was resumed before it was done; run coroutines in a task (createTask, run), do not iterate them`);
  }
  SUSPEND.value = fut;
  DONE.value = undefined;
  return SUSPEND as unknown as IteratorResult<Suspension, never>;
}

/**
 * @internal The result object of every finished `yield*` on a future: `yield*` reads its `value` at
 * once, so one object serves every await and a future's await allocates nothing. Its `value` is
 * cleared at the next suspension, so it holds no result for long.
 */
const DONE: { done: true; value: unknown } = { done: true, value: undefined };

/** @internal What `next()` of an awaitable returns to end its `yield*` with `value`. */
export function doneWith<T>(value: T): IteratorResult<Suspension, T> {
  DONE.value = value;
  return DONE as IteratorReturnResult<T>;
}

/** A short repr of a value for `toString()`. */
export function short(v: unknown): string {
  if (v instanceof Error) return `${v.name}(${pyRepr(v.message)})`;
  if (typeof v === "string") return reprlibStr(v);
  if (typeof v === "object" && v !== null) return Array.isArray(v) ? `[${v.length} items]` : `<${v.constructor?.name ?? "object"}>`;
  return String(v);
}

/** What Python's `str.isprintable()` refuses (the space aside): escaped by `repr()`. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/**
 * @internal Python's `repr()` of a str: single quotes, unless the text has one and no double quote;
 * backslash escapes for the quote, `\\`, `\n`, `\r`, `\t` and what is not printable.
 */
export function pyRepr(text: string): string {
  const q = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of text) {
    if (ch === q || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch !== " " && NOT_PRINTABLE.test(ch)) {
      const cp = ch.codePointAt(0)!;
      out += cp < 0x100 ? `\\x${hex(cp, 2)}` : cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
    } else out += ch;
  }
  return out + q;
}

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, "0");
}

/**
 * `reprlib.repr()` of a str, as a future's repr shows its result: at most 30 characters, counted
 * (and cut) in code points, as Python counts them.
 */
function reprlibStr(text: string): string {
  const cps = Array.from(text);
  const whole = Array.from(pyRepr(cps.slice(0, 30).join("")));
  if (whole.length <= 30) return whole.join("");
  // Python: repr(x[:13] + x[len(x)-14:]), a negative start counting from the end.
  let from = cps.length - 14;
  if (from < 0) from = Math.max(0, from + cps.length);
  const t = Array.from(pyRepr(cps.slice(0, 13).join("") + cps.slice(from).join("")));
  return t.slice(0, 13).join("") + "..." + t.slice(t.length - 14).join("");
}

/**
 * A CancelledError made by the runtime, without running the Error constructor: outside debug mode,
 * making a real Error (even without a stack trace) would cost more than the rest of a cancellation.
 * It is a CancelledError for `instanceof`, `name`, `message` and `String()`, and its `stack` is
 * its name and message (in debug mode futures make real ones, with the stack of the await point).
 * @internal
 */
export function newCancelledError(msg: string | undefined): CancelledError {
  const e = Object.create(CancelledError.prototype) as CancelledError;
  e.message = msg ?? "";
  return e;
}

/** `true` for a Future or Task (asyncio's `isfuture`). */
export function isFuture(x: unknown): x is Future<unknown> {
  return x instanceof Future;
}

/** @internal Sets `value` on `fut` unless it is already done (cancelled): used by timers. */
export function setResultUnlessDone<T>(fut: Future<T>, value: T): void {
  if (fut._state === "pending") fut.setResult(value);
}

// Keep the hidden class of the runtime's CancelledErrors alive (internal/shapes.ts): a cancellation
// after a full GC that found none would otherwise deoptimize the code that makes them.
anchorShape(newCancelledError(undefined));

// `console.log(fut)` shows `<Future pending>` (and a task its repr), not the fields.
inspectAsString(Future);
