/**
 * The error classes of asyncio-ts, one per asyncio exception.
 *
 * Every class sets `name` to its own class name, so `String(err)` and stack traces read as in Python.
 * JS has no BaseException: `CancelledError` is an `Error` like the rest, which is why a bare
 * `catch (e) {}` swallows cancellation; debug mode reports a task that does so (see docs/design.md).
 */
import { isNativeFunction } from "./internal/functions.js";

function named<T extends abstract new (...args: never[]) => Error>(cls: T, name: string): T {
  Object.defineProperty(cls.prototype, "name", { value: name, writable: true, configurable: true });
  return cls;
}

/**
 * The operation was cancelled: thrown into a coroutine at its await point by `Task.cancel()`.
 *
 * It is an `Error` like any other, so `catch (e)` catches it too, where Python's `except Exception`
 * would not: rethrow it. Use `finally` for cleanup.
 *
 * @example
 * try {
 *   yield* work();
 * } catch (e) {
 *   if (e instanceof CancelledError) throw e;   // never swallow a cancellation
 *   console.error("work failed", e);
 * }
 */
export class CancelledError extends Error {
  constructor(message = "") {
    super(message);
  }
}
named(CancelledError, "CancelledError");
// The runtime makes most CancelledErrors without the Error constructor (see `newCancelledError` in
// futures.ts): they have no own `stack`, and read this one instead.
Object.defineProperty(CancelledError.prototype, "stack", {
  get(this: CancelledError): string {
    return this.message ? `${this.name}: ${this.message}` : this.name;
  },
  set(this: CancelledError, v: unknown) {
    Object.defineProperty(this, "stack", { value: v, writable: true, configurable: true });
  },
  configurable: true,
});

/** A deadline passed: raised by `waitFor`, `timeout`, `timeoutAt` and `asCompleted`. */
export class TimeoutError extends Error {}
named(TimeoutError, "TimeoutError");

/** A future was used in a state that does not allow the call (`setResult` twice, `result()` while pending). */
export class InvalidStateError extends Error {}
named(InvalidStateError, "InvalidStateError");

/** Python's RuntimeError: misuse of the runtime (no running loop, closed loop, releasing an unlocked lock, …). */
export class RuntimeError extends Error {}
named(RuntimeError, "RuntimeError");

/** Python's ValueError: an argument has the right type but a wrong value. */
export class ValueError extends Error {}
named(ValueError, "ValueError");

/** `Queue.getNowait()` on an empty queue. */
export class QueueEmpty extends Error {}
named(QueueEmpty, "QueueEmpty");

/** `Queue.putNowait()` on a full queue. */
export class QueueFull extends Error {}
named(QueueFull, "QueueFull");

/** A queue was shut down: `put` after `shutdown()`, `get` once a shut-down queue is empty. */
export class QueueShutDown extends Error {}
named(QueueShutDown, "QueueShutDown");

/** A `Barrier` was aborted or reset while a task waited on it. A `RuntimeError`, as in CPython. */
export class BrokenBarrierError extends RuntimeError {}
named(BrokenBarrierError, "BrokenBarrierError");

/** A stream ended before `expected` bytes were read; `partial` holds what was read. */
export class IncompleteReadError extends Error {
  readonly partial: Uint8Array;
  readonly expected: number | null;
  constructor(partial: Uint8Array, expected: number | null) {
    const r = expected === null ? "undefined" : String(expected);
    super(`${partial.length} bytes read on a total of ${r} expected bytes`);
    this.partial = partial;
    this.expected = expected;
  }
}
named(IncompleteReadError, "IncompleteReadError");

/** A separator was not found within the stream's limit; `consumed` bytes are to be consumed. */
export class LimitOverrunError extends Error {
  readonly consumed: number;
  constructor(message: string, consumed: number) {
    super(message);
    this.consumed = consumed;
  }
}
named(LimitOverrunError, "LimitOverrunError");

type ErrorClass = abstract new (...args: never[]) => unknown;
type Matcher = ((e: unknown) => boolean) | ErrorClass | readonly ErrorClass[];

function isErrorClass(m: unknown): m is ErrorClass {
  const proto = typeof m === "function" ? (m as { prototype?: unknown }).prototype : undefined;
  return proto === Error.prototype || proto instanceof Error;
}

/**
 * `split`'s and `subgroup`'s matcher as a predicate: an Error class, an array of them (Python's tuple
 * of types), or a function that is not a class.
 * @throws TypeError for anything else (CPython: "expected an exception type, a tuple of exception
 *   types, or a callable (other than a class)").
 */
function toPredicate(m: Matcher): (e: unknown) => boolean {
  if (isErrorClass(m)) return (e) => e instanceof m;
  if (Array.isArray(m) && m.length > 0 && m.every(isErrorClass)) return (e) => m.some((c: ErrorClass) => e instanceof c);
  if (typeof m === "function" && !isClass(m)) return m as (e: unknown) => boolean;
  throw new TypeError(
    "ExceptionGroup: split/subgroup expect an Error class, an array of Error classes, or a predicate function (other than a class)",
  );
}

/** A `class`, or a built-in constructor such as `Number` (native, with a prototype): not a predicate. */
function isClass(f: Function): boolean {
  return /^class\b/.test(Function.prototype.toString.call(f)) || (f.prototype !== undefined && isNativeFunction(f));
}

/**
 * Several errors raised together, as by a `TaskGroup`. Extends `AggregateError`: `.exceptions`
 * holds them in order, a frozen copy of the array given (as Python keeps a tuple). Items need not be
 * `Error`s: JS can throw anything, and a TaskGroup groups whatever its children threw. `message` is Python's `str(eg)`:
 * `"unhandled errors in a TaskGroup (2 sub-exceptions)"`.
 *
 * @example
 * try {
 *   yield* taskGroup(function* (tg) { tg.createTask(a()); tg.createTask(b()); });
 * } catch (e) {
 *   if (!(e instanceof ExceptionGroup)) throw e;
 *   const [timeouts, rest] = e.split(TimeoutError);   // Python's `except* TimeoutError`
 *   if (rest !== null) throw rest;
 *   console.log(`${timeouts!.exceptions.length} timed out`);
 * }
 */
export class ExceptionGroup extends AggregateError {
  /** The message without the sub-exception count (Python's `eg.message`). */
  declare readonly baseMessage: string;
  /** The errors it holds, in order (a nested group stays a group). */
  declare readonly exceptions: readonly unknown[];

  /**
   * @throws TypeError if `message` is not a string or `exceptions` is not an array.
   * @throws ValueError if `exceptions` is empty.
   */
  constructor(message: string, exceptions: readonly unknown[]) {
    if (typeof message !== "string") throw new TypeError("ExceptionGroup: the message must be a string");
    if (!Array.isArray(exceptions)) {
      throw new TypeError(`ExceptionGroup: the second argument (exceptions) must be an array, got ${exceptions === null ? "null" : typeof exceptions}`);
    }
    if (exceptions.length === 0) throw new ValueError("ExceptionGroup: the second argument (exceptions) must be a non-empty array");
    // A frozen copy, as Python keeps a tuple: the caller's array may change, `exceptions` does not.
    const items = Object.freeze([...exceptions]);
    const n = items.length;
    super(items, `${message} (${n} sub-exception${n === 1 ? "" : "s"})`);
    // Not enumerable, as AggregateError's `errors`: `console.log(eg)` shows the errors once.
    Object.defineProperties(this, {
      baseMessage: { value: message, writable: true, configurable: true },
      exceptions: { value: items, writable: true, configurable: true },
    });
  }

  /** A new group with the same message holding `excs` (Python's `derive`). */
  derive(excs: readonly unknown[]): ExceptionGroup {
    return new ExceptionGroup(this.baseMessage, excs);
  }

  /**
   * The errors that match `pred` (an Error class, an array of them, or a predicate), keeping the
   * nesting, or `null` if none does. Never blocks.
   * @throws TypeError if `pred` is none of these (a class that is no Error, a number…).
   */
  subgroup(pred: Matcher): ExceptionGroup | null {
    return this.split(pred)[0];
  }

  /**
   * `[matching, rest]`, each a group keeping the nesting and this group's `cause` and `stack`, or
   * `null` where empty; this group itself if it matches as a whole. Never blocks.
   * @throws TypeError if `pred` is not an Error class, an array of them, or a predicate function.
   */
  split(pred: Matcher): [ExceptionGroup | null, ExceptionGroup | null] {
    const test = toPredicate(pred);
    if (test(this)) return [this, null];
    const match: unknown[] = [];
    const rest: unknown[] = [];
    for (const e of this.exceptions) {
      if (e instanceof ExceptionGroup) {
        const [m, r] = e.split(test);
        if (m !== null) match.push(m);
        if (r !== null) rest.push(r);
      } else if (test(e)) {
        match.push(e);
      } else {
        rest.push(e);
      }
    }
    return [
      match.length === 0 ? null : this._derivedWithMetadata(match),
      rest.length === 0 ? null : this._derivedWithMetadata(rest),
    ];
  }

  /** `derive(excs)` carrying this group's `cause` and `stack`, as CPython's split copies `__cause__`, `__context__` and `__traceback__`. */
  private _derivedWithMetadata(excs: unknown[]): ExceptionGroup {
    const g = this.derive(excs);
    if (Object.prototype.hasOwnProperty.call(this, "cause")) {
      Object.defineProperty(g, "cause", { value: this.cause, writable: true, configurable: true });
    }
    Object.defineProperty(g, "stack", { value: this.stack, writable: true, configurable: true });
    return g;
  }
}
named(ExceptionGroup, "ExceptionGroup");
