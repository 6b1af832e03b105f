/** `asyncWith`: Python's `async with`, for any async context manager. */
import { GeneratorPrototype, describe, isCoroutine, type Coroutine, type Suspension } from "./coroutines.js";
import { doneWith } from "./futures.js";
import { anchorShape } from "./internal/shapes.js";

/** How the body of an `asyncWith` ended: normally, or by `error`. */
export type Exit = { failed: false } | { failed: true; error: unknown };

/**
 * An async context manager: `aenter()` runs before the body and its value is passed to it;
 * `aexit(exit)` runs after it, however it ended, and may answer `true` to suppress the body's error.
 * Both are coroutines (write them as generator methods); `asyncWith` awaits them.
 *
 * @example
 * class Connection implements AsyncContextManager<Connection> {
 *   *aenter(): Coroutine<Connection> {
 *     yield* this.open();
 *     return this;
 *   }
 *   *aexit(exit: Exit): Coroutine<void> {
 *     yield* this.close();   // the body's error, if any, is in `exit.error` and propagates
 *   }
 * }
 */
export interface AsyncContextManager<T = unknown> {
  aenter(): Coroutine<T>;
  aexit(exit: Exit): Coroutine<boolean | void>;
}

/**
 * The body of `asyncWith`: a generator function given the entered value. A plain function works
 * too, but not an `async` function, nor one that returns a Promise: nothing would await it.
 */
export type WithBody<T, R> = (value: T) => Coroutine<R> | R;

/**
 * Python's `async with cm as value: body`. Enters `cm`, runs `body(value)`, then exits `cm` with
 * how the body ended, and returns the body's value. If the body throws, `aexit` gets the error;
 * the error propagates unless `aexit` returns `true`, in which case `asyncWith` returns `undefined`.
 * An error thrown by `aexit` replaces the body's, and gets the body's error as its `cause` (as
 * Python chains it as `__context__`) unless it has an own `cause` already, is the body's error, or
 * is in its `cause` chain.
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
 * @throws TypeError (when awaited) if `cm` is not an async context manager, or `body` is not a
 *   function or is an `async` function (then nothing runs: `cm` is not entered). TypeError if `body`
 *   returns a Promise or other thenable (a plain function that started async work): `cm` is exited
 *   with that TypeError as the body's error, and it is thrown even if `aexit` returns `true`; a
 *   rejection of that Promise is ignored (nothing awaits it). Write the body as a generator function
 *   with `yield*` where it would `await`, and `yield* fromPromise(p)` for a Promise `p`.
 *   Otherwise: the body's error, or the error `aexit` throws (with the body's error as its `cause`).
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
 *     let result, misuse = false;
 *     try {
 *       const r = body(value);
 *       if (isCoroutine(r)) result = yield* r;                            // BODY
 *       else if (isThenable(r)) { misuse = true; throw bodyReturnedThenable(r); }
 *       else result = r;
 *     } catch (error) {
 *       let suppress;
 *       try {
 *         suppress = yield* cm.aexit({ failed: true, error });  // EXIT_ERROR (misuse: EXIT_MISUSE)
 *       } catch (exitError) {
 *         chain(exitError, error);
 *         throw exitError;
 *       }
 *       if (suppress === true && !misuse) return;
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
const EXIT_MISUSE = 5; // EXIT_ERROR, for the TypeError of a body that returned a thenable: not suppressible
const DONE = 6;
type State =
  | typeof NEW
  | typeof ENTER
  | typeof BODY
  | typeof EXIT
  | typeof EXIT_ERROR
  | typeof EXIT_MISUSE
  | typeof DONE;

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
  /** The iterator the current `yield*` forwards to (ENTER, BODY, EXIT, EXIT_ERROR, EXIT_MISUSE)… */
  _it: Iter | null;
  /** …and its `next` method. */
  _next: NextMethod | null;
  /** In EXIT: the body's value; in EXIT_ERROR and EXIT_MISUSE: its error. */
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
        return this._bodyFailed(error, EXIT_ERROR);
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
        return this._bodyFailed(error, EXIT_ERROR);
      }
      if (!s.done) return s;
      if (mode === RETURN) return this._returned(s.value);
      return this._bodyDone(s.value);
    }
    try {
      s = this._forward(mode, arg);
    } catch (error) {
      const bodyError = this._res;
      this._finish();
      if (state === EXIT_ERROR || state === EXIT_MISUSE) chain(error, bodyError);
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
      const body = this._body;
      if (typeof body !== "function" || protoOf(body) !== GeneratorFunctionPrototype) checkBody(body, "asyncWith");
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
    let misuse: TypeError | null = null;
    try {
      const r = body(value);
      if (isCoroutine(r)) {
        const s = this._openBody(r);
        if (!s.done) {
          this._state = BODY;
          return s;
        }
        result = s.value;
      } else if (typeof r === "object" && r !== null && typeof (r as PromiseLike<unknown>).then === "function") {
        misuse = bodyReturnedThenable(r as PromiseLike<unknown>); // a plain function started async work
      } else {
        result = r;
      }
    } catch (error) {
      return this._bodyFailed(error, EXIT_ERROR);
    }
    if (misuse !== null) return this._bodyFailed(misuse, EXIT_MISUSE);
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

  /** The body threw `error` (or misused asyncWith: `state` EXIT_MISUSE): exits with it. */
  private _bodyFailed(error: unknown, state: typeof EXIT_ERROR | typeof EXIT_MISUSE): Step {
    let s: Step;
    try {
      s = this._open(this._cm!.aexit({ failed: true, error }), "aexit()", "write it as a generator method, *aexit(exit)");
    } catch (e) {
      this._finish();
      chain(e, error);
      throw e;
    }
    this._res = error;
    this._state = state;
    if (!s.done) return s;
    return this._exitedError(s.value);
  }

  /** `aexit` of a failed body returned `suppress`: suppresses the error, or throws it on. */
  private _exitedError(suppress: unknown): Step {
    const error = this._res;
    const suppressible = this._state === EXIT_ERROR;
    this._finish();
    if (suppress === true && suppressible) return doneWith(undefined);
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

/** %GeneratorFunction.prototype%: what a `function*` inherits from. */
const GeneratorFunctionPrototype: object = protoOf(function* () {});
const FunctionPrototype: object = Function.prototype;

const RIGHT_BODY = "function* (...) { ... }, with yield* instead of await; for a Promise p, yield* fromPromise(p)";

/**
 * @internal Checks the body of `asyncWith` (`who` names the caller): a function, not an `async` one
 * (nothing would await it: it would run on past the block).
 */
export function checkBody(body: unknown, who: string): void {
  if (typeof body !== "function") throw new TypeError(`${who}: the body must be a (generator) function`);
  const p = protoOf(body);
  if (p === GeneratorFunctionPrototype || p === FunctionPrototype) return; // the usual cases, at no cost
  // By tag rather than prototype, so that functions of another realm are recognized too.
  const tag = (body as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
  if (tag === "AsyncFunction" || tag === "AsyncGeneratorFunction") {
    const kind = tag === "AsyncFunction" ? "an async function" : "an async generator function";
    throw new TypeError(`${who}: the body must be a generator function (${RIGHT_BODY}), got ${kind} (${body.name || "anonymous"})`);
  }
}

/**
 * The error for a body that returned `p`, a Promise or thenable: nothing awaits it. A rejection of
 * a Promise is then nobody's to handle: it is marked handled (a thenable of another kind is left
 * alone: calling its `then` may start work).
 */
function bodyReturnedThenable(p: PromiseLike<unknown>): TypeError {
  if (p instanceof Promise) p.then(undefined, ignore);
  return new TypeError(
    `asyncWith: the body must return a coroutine or a plain value (write it as a generator function, ${RIGHT_BODY}), got a Promise or thenable, which nothing awaits`,
  );
}

function ignore(): void {}

/**
 * @internal Marks `e` to be thrown by an `aexit` without the body's error as its `cause`
 * (Python's `raise … from None`). Returns `e`.
 */
export function suppressContext<E extends object>(e: E): E {
  contextSuppressed.add(e);
  return e;
}
const contextSuppressed = new WeakSet<object>();

/**
 * @internal `exitError`, thrown while `error` was in flight (by `aexit`, or by a body a timeout
 * cancelled), gets `error` as its `cause` (what Python keeps as `__context__`), unless it has an
 * own `cause`, is `error`, is already in its `cause` chain (no cycle), or was marked by
 * `suppressContext`. A frozen error stays as it is.
 */
export function chain(exitError: unknown, error: unknown): void {
  if (exitError === error || exitError === null || (typeof exitError !== "object" && typeof exitError !== "function")) return;
  if (hasOwn(exitError, "cause") || contextSuppressed.has(exitError)) return;
  let e: unknown = error;
  for (let i = 0; i < 1000 && e !== null && (typeof e === "object" || typeof e === "function"); i++) {
    if (e === exitError) return;
    e = (e as { cause?: unknown }).cause;
  }
  setContextCause(exitError, error);
}

/**
 * @internal Sets `e.cause` to `context` as `chain` does, and remembers that this cause stands for
 * Python's implicit `__context__` (not a cause the user gave), which a timeout may rewrite.
 */
export function setContextCause(e: object, context: unknown): void {
  try {
    Object.defineProperty(e, "cause", { value: context, writable: true, configurable: true });
    contextCauses.add(e);
  } catch {
    // Frozen, or a Proxy that refuses: it keeps no cause.
  }
}
const contextCauses = new WeakSet<object>();

/** @internal Whether `e.cause` was set by `chain` (Python's `__context__`), not given by the user. */
export function hasContextCause(e: object): boolean {
  return contextCauses.has(e);
}

/** An iterator's result must be an object (as `yield*` checks). */
function checkStep(s: Step): Step {
  if (s === null || typeof s !== "object") throw new TypeError(`Iterator result ${String(s)} is not an object`);
  return s;
}

// Keep the hidden class alive and general (internal/shapes.ts).
anchorShape(new AsyncWith(null as never, null as never));
