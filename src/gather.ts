/** `gather`: run awaitables concurrently and collect their results in order (asyncio.gather). */
import { CancelledError } from "./exceptions.js";
import { Future, newCancelledError } from "./futures.js";
import { checkAwaitable, ensureFuture } from "./tasks.js";
import { getEventLoop } from "./internal/running.js";
import { describe, isCoroutine, type Awaitable, type Suspension } from "./coroutines.js";
import type { EventLoop } from "./base-events.js";
import type { TaggedCallback } from "./graph.js";
import { anchorOnLoop } from "./internal/shapes.js";

/** Options of `gather`, passed as the last argument. */
export interface GatherOptions {
  /** Return errors (and `CancelledError`s) in the results instead of raising the first one. */
  returnExceptions?: boolean;
}

/** What `yield*` on `A` returns. */
export type AwaitedResult<A> = A extends Future<infer T> ? T : A extends Iterable<Suspension, infer T, unknown> ? T : never;

/** The typed tuple `gather` returns. */
export type GatherResults<A extends readonly unknown[]> = { -readonly [K in keyof A]: AwaitedResult<A[K]> };

/** With `returnExceptions: true`, each slot may hold an error instead. */
export type GatherSettled<A extends readonly unknown[]> = { -readonly [K in keyof A]: AwaitedResult<A[K]> | Error };

type Aw = Future<any> | Awaitable<any>;

/** The Future `gather` returns: cancelling it cancels every child that is not done. */
class GatheringFuture<T> extends Future<T> {
  /** @internal */ _children: Future<unknown>[];
  /** @internal */ _cancelRequested = false;

  constructor(children: Future<unknown>[], loop: EventLoop) {
    super(loop as never);
    this._children = children;
  }

  /**
   * Cancels every child not done yet; the gather then ends with `CancelledError`: with
   * `returnExceptions`, once every child is done; without, as soon as the first child ends
   * cancelled. Returns false if no child could be cancelled.
   */
  override cancel(msg?: string | null): boolean {
    if (this.done()) return false;
    let ret = false;
    for (const child of this._children) if (child.cancel(msg)) ret = true;
    if (ret) this._cancelRequested = true;
    return ret;
  }
}

/**
 * Runs the awaitables concurrently (coroutines are wrapped in tasks at once) and returns a Future of
 * their results, in argument order, as a typed tuple. `gather` itself never blocks; `yield*` on its
 * Future blocks until every child is done, or until the first error.
 *
 * - The first error (or child cancellation) is raised to the awaiter at once; the other children
 *   keep running (they are not cancelled), as in CPython. Errors of children that end after that
 *   are marked retrieved and never reported: keep the tasks to see them.
 * - With `{ returnExceptions: true }` as the last argument, errors are results instead.
 * - Cancelling the returned future, or the task waiting on it, cancels every child not done. The
 *   gather then raises `CancelledError`: with `returnExceptions`, once every child is done; without,
 *   as soon as the first child ends cancelled (the others may still be running their `finally`
 *   blocks).
 * - The same awaitable passed twice runs once and fills both slots.
 * - Outside a running loop, the children bind to `getEventLoop()`.
 *
 * @throws TypeError (before any child is wrapped in a task) for an argument that is not awaitable:
 *   an array or Set (write `gather(...list)`), a Promise (wrap it with `fromPromise`), a generator
 *   function not called; and for a last plain-object argument with a key other than
 *   `returnExceptions`, or a `returnExceptions` that is not a boolean.
 * @throws ValueError if the Futures given belong to different loops (CPython's).
 * @example
 * const [a, b] = yield* gather(fetchPage(1), fetchPage(2));       // both at once
 * const rs = yield* gather(...tasks, { returnExceptions: true }); // errors as values
 */
export function gather<A extends readonly Aw[]>(...args: [...A, GatherOptions & { returnExceptions: true }]): Future<GatherSettled<A>>;
export function gather<A extends readonly Aw[]>(...args: [...A, GatherOptions]): Future<GatherResults<A>>;
export function gather<A extends readonly Aw[]>(...aws: A): Future<GatherResults<A>>;
export function gather(...args: unknown[]): Future<unknown[]> {
  let returnExceptions = false;
  const last = args[args.length - 1];
  if (isOptions(last)) {
    args.pop();
    returnExceptions = readOptions(last);
  }
  // Check every argument before wrapping any: a bad one must not leave the others running unawaited.
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg instanceof Future || isCoroutine(arg)) continue;
    if (isOptions(arg)) throw new TypeError(`gather: argument ${i} is a plain object, not an awaitable: the options object of gather goes last`);
    checkAwaitable(arg, "gather", i);
  }
  if (args.length === 0) {
    const outer = getEventLoop().createFuture<unknown[]>();
    outer.setResult([]);
    return outer;
  }

  const children: Future<unknown>[] = [];
  const byArg = new Map<unknown, Future<unknown>>();
  const doneFuts: Future<unknown>[] = [];
  let loop: EventLoop | undefined;
  let nfuts = 0;
  let nfinished = 0;
  let outer: GatheringFuture<unknown[]> | null = null;

  const onChildDone: TaggedCallback = (fut: Future<unknown>): void => {
    nfinished++;
    if (outer === null || outer.done()) {
      if (!fut.cancelled()) fut.exception(); // mark the error retrieved
      return;
    }
    if (!returnExceptions) {
      if (fut.cancelled()) {
        outer.setException(fut._makeCancelledError());
        return;
      }
      // By state, not `exception() !== null`: JS can throw null, and that is an error too.
      const exc = fut.exception();
      if (fut._hasFailed()) {
        outer.setException(exc);
        return;
      }
    }
    if (nfinished === nfuts) {
      const results = children.map((f) => {
        if (f.cancelled()) return new CancelledError(f._cancelMsg() ?? "");
        const e = f.exception();
        return f._hasFailed() ? e : f.result();
      });
      // CPython raises `fut._make_cancelled_error()` where `fut`, rebound by its loop over the
      // children, is the last child in argument order (not the one that finished last).
      const last = children[children.length - 1]!;
      if (outer._cancelRequested) outer.setException(last.cancelled() ? last._makeCancelledError() : newCancelledError(last._cancelMsg()));
      else outer.setResult(results);
    }
  };

  for (const arg of args) {
    let fut = byArg.get(arg);
    if (fut === undefined) {
      fut = ensureFuture(arg as Aw, loop);
      loop ??= fut._loop;
      nfuts++;
      byArg.set(arg, fut);
      if (fut.done()) doneFuts.push(fut);
      else fut.addDoneCallback(onChildDone);
    }
    children.push(fut);
  }
  outer = new GatheringFuture<unknown[]>(children, loop!);
  onChildDone._awaiter = () => outer;
  for (const f of doneFuts) onChildDone(f);
  return outer;
}

/**
 * A plain object that is not itself an awaitable (one with a `[Symbol.iterator]`) nor a thenable (one
 * with a `then` function, which is refused as an awaitable with its own message) is the options.
 */
function isOptions(x: unknown): x is GatherOptions {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return (proto === Object.prototype || proto === null) &&
    typeof (x as Partial<Iterable<unknown>>)[Symbol.iterator] !== "function" &&
    typeof (x as { then?: unknown }).then !== "function";
}

function readOptions(options: GatherOptions): boolean {
  for (const key in options) {
    if (key !== "returnExceptions") {
      throw new TypeError(
        `gather: unknown option ${JSON.stringify(key)} in the options object (the last argument); the only option is returnExceptions`,
      );
    }
  }
  const { returnExceptions = false } = options;
  if (typeof returnExceptions !== "boolean") {
    throw new TypeError(`gather: the option returnExceptions must be a boolean, got ${describe(returnExceptions)}`);
  }
  return returnExceptions;
}

// Keep the hidden class alive and general (internal/shapes.ts).
anchorOnLoop((loop) => [new GatheringFuture([], loop)]);
