/** `asyncWith`: Python's `async with`, for any async context manager. */
import { GeneratorPrototype, describe, isCoroutine, type Coroutine, type Suspension } from "./coroutines.js";
import { doneWith } from "./futures.js";
import { anchorShape } from "./internal/shapes.js";

/** How the body of an `asyncWith` ended: normally, or by `error`. */
export type Exit = { failed: false } | { failed: true; error: unknown };

/**
 * An async context manager: `aenter()` runs before the body and its value is passed to it;
 * `aexit(exit)` runs after it, however it ended, and may answer `true` to suppress the body's error.
 */
export interface AsyncContextManager<T = unknown> {
  aenter(): Coroutine<T>;
  aexit(exit: Exit): Coroutine<boolean | void>;
}

/** The body of `asyncWith`: a generator function given the entered value (a plain function works too). */
export type WithBody<T, R> = (value: T) => Coroutine<R> | R;

/**
 * Python's `async with cm as value: body`. Enters `cm`, runs `body(value)`, then exits `cm` with
 * how the body ended, and returns the body's value. If the body throws, `aexit` gets the error;
 * the error propagates unless `aexit` returns `true`, in which case `asyncWith` returns `undefined`.
 * An error thrown by `aexit` replaces the body's.
 *
 * Like a generator function, it returns a lazy coroutine: nothing happens (not even the checks of
 * its arguments) until it is awaited (`yield*`) or wrapped in a task. A cancellation while entering
 * surfaces from `aenter` (`aexit` does not run); while in the body, `aexit` gets the
 * `CancelledError`; while exiting, it surfaces from `aexit`.
 *
 * Cost: V8 makes a hidden class the first time each new generator-function closure is called
 * (about 2 µs), so a body written inline costs that on every call. On a hot path, define the body
 * once outside, or use the primitive's `hold()` (with `using`) or `acquire()`/`release()`.
 *
 * @throws TypeError (when awaited) if `cm` is not an async context manager or `body` not a function.
 * @example
 * yield* asyncWith(lock, function* () {
 *   counter[0] += 1;                 // only one task at a time in here
 *   yield* sleep(100);
 * });
 */
export function asyncWith<T, R>(cm: AsyncContextManager<T>, body: WithBody<T, R>): Coroutine<R | undefined> {
  return new AsyncWith(cm, body as WithBody<unknown, unknown>) as unknown as Coroutine<R | undefined>;
}

/*
 * The coroutine of asyncWith, written by hand: it behaves exactly as the generator
 *
 *   function* asyncWith(cm, body) {
 *     (check the arguments)
 *     const value = yield* cm.aenter();                                   // ENTER
 *     let result;
 *     try {
 *       const r = body(value);
 *       result = isCoroutine(r) ? yield* r : r;                           // BODY
 *     } catch (error) {
 *       if ((yield* cm.aexit({ failed: true, error })) === true) return;  // EXIT_ERROR
 *       throw error;
 *     }
 *     yield* cm.aexit({ failed: false });                                 // EXIT
 *     return result;
 *   }
 *
 * but is one object (no generator, no frame), and a resume of the body goes through one method
 * call rather than one more level of generator delegation. In each state but NEW and DONE, `_it` is
 * the iterator that state's `yield*` forwards to, and `_next` its `next` method, looked up once (as
 * `yield*` does). `next`, `throw` and `return` are forwarded as `yield*` forwards them (ECMA-262,
 * YieldExpression: yield*): a result that is not done is handed up unchanged (the Task recognizes
 * the shared SUSPEND result by identity, see futures.ts); a done one is read for its `value` and
 * the statement after that `yield*` runs, unless the step was a `return()`, which then ends the
 * coroutine with that value. Only in BODY is an error (from the body, or thrown in) caught, to go to
 * `aexit`; so a `return()` in the body closes the body but does not run `aexit`, as in the generator.
 */

const NEW = 0;
const ENTER = 1;
const BODY = 2;
const EXIT = 3;
const EXIT_ERROR = 4;
const DONE = 5;
type State = typeof NEW | typeof ENTER | typeof BODY | typeof EXIT | typeof EXIT_ERROR | typeof DONE;

// How a step resumes the coroutine (and so the iterator it forwards to).
const NEXT = 0;
const THROW = 1;
const RETURN = 2;
type Mode = typeof NEXT | typeof THROW | typeof RETURN;

/** The Exit of a body that ended normally (shared: it is frozen). */
const NORMAL_EXIT: Exit = Object.freeze({ failed: false });

type Iter = Iterator<Suspension, unknown, unknown>;
type Step = IteratorResult<Suspension, unknown>;
type NextMethod = (this: Iter, v?: unknown) => Step;

const hasOwn = Object.hasOwn;
const protoOf = Object.getPrototypeOf;
const IteratorSelf = (GeneratorPrototype as Iterable<unknown>)[Symbol.iterator];

class AsyncWith {
  _state: State;
  _cm: AsyncContextManager<unknown> | null;
  _body: WithBody<unknown, unknown> | null;
  /** The iterator the current `yield*` forwards to (ENTER, BODY, EXIT, EXIT_ERROR)… */
  _it: Iter | null;
  /** …and its `next` method. */
  _next: NextMethod | null;
  /** In EXIT: the body's value; in EXIT_ERROR: its error. */
  _res: unknown;

  constructor(cm: AsyncContextManager<unknown>, body: WithBody<unknown, unknown>) {
    this._state = NEW;
    this._cm = cm;
    this._body = body;
    this._it = null;
    this._next = null;
    this._res = undefined;
  }

  next(v?: unknown): Step {
    if (this._state === BODY) {
      // The hot path: resuming the body.
      let s: Step;
      try {
        s = checkStep(this._next!.call(this._it!, v));
      } catch (error) {
        return this._bodyFailed(error);
      }
      return s.done ? this._bodyDone(s.value) : s;
    }
    return this._resume(NEXT, v);
  }

  throw(e: unknown): Step {
    return this._resume(THROW, e);
  }

  return(v?: unknown): Step {
    return this._resume(RETURN, v);
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** One step, resumed by `mode` with `arg`, in any state. */
  private _resume(mode: Mode, arg: unknown): Step {
    const state = this._state;
    if (state === NEW) {
      if (mode === NEXT) return this._start();
      this._finish();
      if (mode === THROW) throw arg;
      return { done: true, value: arg };
    }
    if (state === DONE) {
      if (mode === THROW) throw arg;
      return { done: true, value: mode === RETURN ? arg : undefined };
    }
    let s: Step;
    if (state === BODY) {
      try {
        s = this._forward(mode, arg);
      } catch (error) {
        return this._bodyFailed(error);
      }
      if (!s.done) return s;
      if (mode === RETURN) return this._returned(s.value);
      return this._bodyDone(s.value);
    }
    try {
      s = this._forward(mode, arg);
    } catch (error) {
      this._finish();
      throw error;
    }
    if (!s.done) return s;
    if (mode === RETURN) return this._returned(s.value);
    if (state === ENTER) return this._entered(s.value);
    if (state === EXIT) {
      const result = this._res;
      this._finish();
      return doneWith(result);
    }
    return this._exitedError(s.value);
  }

  /** First `next()`: checks the arguments, enters. */
  private _start(): Step {
    const cm = this._cm;
    let s: Step;
    try {
      if (cm === null || typeof cm !== "object" || typeof cm.aenter !== "function" || typeof cm.aexit !== "function") {
        throw new TypeError("asyncWith: the first argument must be an async context manager (with aenter() and aexit())");
      }
      if (typeof this._body !== "function") throw new TypeError("asyncWith: the body must be a (generator) function");
      s = this._open(cm.aenter(), "aenter()", "write it as a generator method, *aenter()");
    } catch (error) {
      this._finish();
      throw error;
    }
    if (!s.done) {
      this._state = ENTER;
      return s;
    }
    return this._entered(s.value);
  }

  /** `aenter` returned `value`: runs the body. */
  private _entered(value: unknown): Step {
    const body = this._body!; // called as a plain function (no `this`), as the generator does
    let result: unknown;
    try {
      const r = body(value);
      if (isCoroutine(r)) {
        const s = this._openBody(r);
        if (!s.done) {
          this._state = BODY;
          return s;
        }
        result = s.value;
      } else {
        result = r;
      }
    } catch (error) {
      return this._bodyFailed(error);
    }
    return this._bodyDone(result);
  }

  /** The body returned `result`: exits normally. */
  private _bodyDone(result: unknown): Step {
    let s: Step;
    try {
      s = this._open(this._cm!.aexit(NORMAL_EXIT), "aexit()", "write it as a generator method, *aexit(exit)");
    } catch (error) {
      this._finish();
      throw error;
    }
    if (!s.done) {
      this._res = result;
      this._state = EXIT;
      return s;
    }
    this._finish();
    return doneWith(result);
  }

  /** The body threw `error`: exits with it. */
  private _bodyFailed(error: unknown): Step {
    let s: Step;
    try {
      s = this._open(this._cm!.aexit({ failed: true, error }), "aexit()", "write it as a generator method, *aexit(exit)");
    } catch (e) {
      this._finish();
      throw e;
    }
    this._res = error;
    if (!s.done) {
      this._state = EXIT_ERROR;
      return s;
    }
    return this._exitedError(s.value);
  }

  /** `aexit` of a failed body returned `suppress`: suppresses the error, or throws it on. */
  private _exitedError(suppress: unknown): Step {
    const error = this._res;
    this._finish();
    if (suppress === true) return doneWith(undefined);
    throw error;
  }

  /** A `return()` ended the inner coroutine: the coroutine returns its value. */
  private _returned(value: unknown): Step {
    this._finish();
    return { done: true, value };
  }

  /** Done: lets go of everything, as a finished generator does. */
  private _finish(): void {
    this._state = DONE;
    this._cm = null;
    this._body = null;
    this._it = null;
    this._next = null;
    this._res = undefined;
  }

  /** `yield* x` begins: gets the iterator of `x` and its `next`, and takes the first step. */
  private _open(x: unknown, what: string, hint: string): Step {
    const f = x === null || x === undefined ? undefined : (x as { [Symbol.iterator]?: unknown })[Symbol.iterator];
    if (typeof f !== "function") {
      throw new TypeError(`asyncWith: ${what} must return a coroutine (${hint}), got ${describe(x)}`);
    }
    const it = f.call(x) as Iter;
    if (it === null || typeof it !== "object") throw new TypeError("Result of the Symbol.iterator method is not an object");
    const next = it.next as NextMethod;
    this._it = it;
    this._next = next;
    return checkStep(next.call(it));
  }

  /**
   * `_open` for the body's coroutine `r`. A body is usually a closure created at each call, and then
   * each of its generator objects has a hidden class of its own, on which V8's first property lookup
   * costs about a microsecond. So when looking up `r[Symbol.iterator]` and `r.next` would find
   * %GeneratorPrototype%'s (`r` and its function's `prototype` have neither, the builtins are as
   * they were), it does without the lookups.
   */
  private _openBody(r: object): Step {
    const p = protoOf(r);
    if (
      protoOf(p) === GeneratorPrototype &&
      !hasOwn(p, "next") &&
      !hasOwn(p, Symbol.iterator) &&
      !hasOwn(r, "next") &&
      !hasOwn(r, Symbol.iterator) &&
      (GeneratorPrototype as Iterable<unknown>)[Symbol.iterator] === IteratorSelf
    ) {
      const next = (GeneratorPrototype as Iter).next as NextMethod;
      this._it = r as Iter;
      this._next = next;
      return checkStep(next.call(r as Iter));
    }
    return this._open(r, "the body", "write it as a generator function, function*");
  }

  /** One resumption of the current iterator, as `yield*` forwards it. */
  private _forward(mode: Mode, arg: unknown): Step {
    const it = this._it!;
    if (mode === NEXT) return checkStep(this._next!.call(it, arg));
    if (mode === THROW) {
      if (typeof it.throw !== "function") {
        // As yield*: close the iterator, then complain (the error thrown in is dropped).
        if (typeof it.return === "function") checkStep(it.return());
        throw new TypeError("The iterator does not provide a 'throw' method.");
      }
      return checkStep(it.throw(arg));
    }
    // A missing `return` method: the coroutine returns `arg` at once.
    if (it.return === undefined || it.return === null) return { done: true, value: arg };
    return checkStep(it.return(arg));
  }
}
Object.setPrototypeOf(AsyncWith.prototype, GeneratorPrototype);

/** An iterator's result must be an object (as `yield*` checks). */
function checkStep(s: Step): Step {
  if (s === null || typeof s !== "object") throw new TypeError(`Iterator result ${String(s)} is not an object`);
  return s;
}

// Keep the hidden class alive and general (internal/shapes.ts).
anchorShape(new AsyncWith(null as never, null as never));
