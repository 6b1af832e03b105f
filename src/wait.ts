/** `wait`, `waitFor` and `asCompleted` (asyncio's tasks.py, the waiting half). */
import { TimeoutError, ValueError, CancelledError } from "./exceptions.js";
import { Future, setResultUnlessDone } from "./futures.js";
import { checkAwaitable, ensureFuture } from "./tasks.js";
import { checkOptions } from "./internal/options.js";
import { Queue } from "./queues.js";
import { timeout } from "./timeouts.js";
import { checkDelay } from "./base-events.js";
import { getEventLoop, getRunningLoop } from "./internal/running.js";
import { describe, isCoroutine, type Awaitable, type Coroutine } from "./coroutines.js";

/** `wait` returns when any awaitable is done. */
export const FIRST_COMPLETED = "FIRST_COMPLETED";
/** `wait` returns when any awaitable fails (or all are done); a cancelled one is not a failure. */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
/** `wait` returns when all awaitables are done. */
export const ALL_COMPLETED = "ALL_COMPLETED";

/** When `wait` returns. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options of `wait`. */
export interface WaitOptions {
  /** Return after this many ms at the latest (`null`/absent: no limit). */
  timeout?: number | null;
  /** Default `ALL_COMPLETED`. */
  returnWhen?: ReturnWhen;
}

/**
 * Waits for the futures/tasks in `fs` (an array or a Set) and returns `[done, pending]` as two Sets.
 * Blocks until `returnWhen` holds (default: every one is done) or `timeout` ms have passed, and at
 * least until the next loop iteration, even if all are done already.
 * Never raises their errors and never cancels them; on `timeout` it simply returns what is done.
 * If the waiting task is cancelled, `CancelledError` is raised here and `fs` are left running.
 *
 * It is a coroutine: the arguments are checked when it is awaited, not when it is called.
 *
 * @throws CancelledError if the task is cancelled while it waits.
 * @throws TypeError if `fs` is not an array or Set (null, a single future or coroutine…), for an
 *   element that is not a Future or Task (a coroutine: wrap it with `createTask`; a Promise: with
 *   `fromPromise`), for `options` that is not a plain object (a bare number: write
 *   `{ timeout: 1000 }`) or has another key than `timeout` and `returnWhen`, and for a timeout that
 *   is not a number or null; ValueError for an empty collection, a NaN timeout or an unknown
 *   `returnWhen`.
 * @example
 * const [done, pending] = yield* wait([t1, t2], { returnWhen: FIRST_COMPLETED });
 */
export function* wait<T>(
  fs: Iterable<Future<T>>,
  options: WaitOptions = {},
): Coroutine<[Set<Future<T>>, Set<Future<T>>]> {
  checkOptions(options, "wait", WAIT_KEYS, timeoutExample);
  if (fs instanceof Future || isCoroutine(fs)) {
    throw new TypeError(`wait: expects an array or Set of futures, not ${fs instanceof Future ? "a Future" : "a coroutine"}`);
  }
  checkCollection(fs, "wait", "futures");
  const { timeout: ms = null, returnWhen = ALL_COMPLETED } = options;
  const set = new Set(fs);
  if (set.size === 0) throw new ValueError("Set of Tasks/Futures is empty.");
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new ValueError(`Invalid returnWhen value: ${String(returnWhen)}`);
  }
  for (const f of set) {
    if (isCoroutine(f)) throw new TypeError("wait: passing coroutines is forbidden, use tasks explicitly (createTask)");
    if (!(f instanceof Future)) {
      const hint = typeof (f as { then?: unknown } | null)?.then === "function" ? "; wrap a Promise with fromPromise(promise)" : "";
      throw new TypeError(`wait: expects futures or tasks, got ${describe(f)}${hint}`);
    }
  }
  if (ms !== null) checkDelay(ms, "wait: timeout");
  const loop = getRunningLoop();
  const waiter = loop.createFuture<undefined>();
  const handle = ms === null ? null : loop.callLater(ms, setResultUnlessDone, waiter, undefined);
  let counter = set.size;
  // The last future to finish is not looked at (`counter <= 0` decides first, as in CPython), so
  // its error is still reported if nobody reads it.
  const onCompletion = (f: Future<T>): void => {
    counter--;
    if (counter <= 0 || returnWhen === FIRST_COMPLETED ||
        (returnWhen === FIRST_EXCEPTION && readFailure(f))) {
      handle?.cancel();
      if (!waiter.done()) waiter.setResult(undefined);
    }
  };
  for (const f of set) f.addDoneCallback(onCompletion);
  try {
    yield* waiter;
  } finally {
    handle?.cancel();
    for (const f of set) f.removeDoneCallback(onCompletion);
  }
  const done = new Set<Future<T>>();
  const pending = new Set<Future<T>>();
  for (const f of set) (f.done() ? done : pending).add(f);
  return [done, pending];
}

/**
 * Whether `f` failed. Like CPython's `f.exception()` in `wait`'s FIRST_EXCEPTION test, looking marks
 * the error retrieved: a failure that ends a wait is not reported as never retrieved.
 */
function readFailure(f: Future<unknown>): boolean {
  if (!f._hasFailed()) return false;
  f.exception();
  return true;
}

/**
 * Waits for `aw` with a deadline of `ms` (`null`: none) and returns its result. On expiry, `aw` is
 * cancelled and waited for (its `finally` blocks run), then `TimeoutError` is raised. If the waiting
 * task is cancelled, `aw` is cancelled too, and waited for the same way. If `aw` suppresses the
 * cancellation and returns a value instead, that value is returned. To keep `aw` running on expiry,
 * pass `shield(aw)`. A coroutine `aw` runs in the waiting task (as in CPython 3.12+); with
 * `ms <= 0` it is wrapped in a task and cancelled before it starts.
 *
 * It is a coroutine: the arguments are checked, and the deadline starts, when it is awaited.
 *
 * @throws TimeoutError on expiry (its `cause` is the CancelledError it replaces).
 * @throws CancelledError if the waiting task is cancelled.
 * @throws whatever `aw` throws.
 * @throws TypeError if `aw` is not awaitable (a Promise: wrap it with `fromPromise`; a generator
 *   function: call it; an array: pass `gather(...list)`) or `ms` is not a number or null.
 * @throws ValueError for a NaN `ms`.
 * @example
 * const results = yield* waitFor(gather(t1, t2, t3), 4000);
 */
export function* waitFor<T>(aw: Future<T> | Awaitable<T>, ms: number | null): Coroutine<T> {
  checkAwaitable(aw, "waitFor");
  if (ms !== null) checkDelay(ms, "waitFor: timeout");
  if (ms !== null && ms <= 0) {
    const fut = ensureFuture(aw);
    if (fut.done()) return fut.result();
    yield* cancelAndWait(fut);
    try {
      return fut.result();
    } catch (e) {
      if (e instanceof CancelledError) throw new TimeoutError("", { cause: e });
      throw e;
    }
  }
  return yield* timeout(ms, function* () {
    return yield* aw;
  });
}

function* cancelAndWait(fut: Future<any>): Coroutine<void> {
  const waiter = getRunningLoop().createFuture<undefined>();
  const release = (): void => setResultUnlessDone(waiter, undefined);
  fut.addDoneCallback(release);
  try {
    fut.cancel();
    // Not `yield* fut`: waiting on a separate future keeps this coroutine reliably cancellable.
    yield* waiter;
  } finally {
    fut.removeDoneCallback(release);
  }
}

/**
 * Runs the awaitables concurrently and returns an iterable of coroutines, one per awaitable: the
 * n-th returns the result (or throws the error) of the n-th awaitable to finish.
 * Input order is kept for equal completion, where CPython's set order is arbitrary; an awaitable
 * given twice counts once.
 *
 * `asCompleted` itself never blocks (the coroutines are wrapped in tasks at once, on the running
 * loop or `getEventLoop()`); awaiting the n-th coroutine blocks until n awaitables are done.
 * Nothing is ever cancelled for you: on timeout, or if a task awaiting one of the coroutines is
 * cancelled, the awaitables still running run on.
 *
 * @throws TimeoutError from the coroutines still pending once `timeout` ms have passed.
 * @throws CancelledError from a coroutine whose awaiting task is cancelled.
 * @throws TypeError at once if `aws` is not an array or Set (null, a single awaitable…) or holds
 *   something not awaitable (a Promise: wrap it with `fromPromise`), if `options` is not a plain
 *   object (a bare number: write `{ timeout: 1000 }`) or has another key than `timeout`, or for a
 *   timeout that is not a number or null. Nothing is scheduled when it throws.
 * @throws ValueError at once for a NaN timeout.
 * @throws ValueError at once if a Future belongs to another loop (the coroutines before it are already wrapped in tasks, as in CPython).
 * @example
 * for (const next of asCompleted([sleep(300, "c"), sleep(100, "a"), sleep(200, "b")])) {
 *   console.log(yield* next);   // a, b, c: in the order they finish
 * }
 */
export function asCompleted<T>(
  aws: Iterable<Future<T> | Awaitable<T>>,
  options: { timeout?: number | null } = {},
): IterableIterator<Coroutine<T>> {
  checkOptions(options, "asCompleted", AS_COMPLETED_KEYS, timeoutExample);
  if (aws instanceof Future || isCoroutine(aws)) {
    throw new TypeError("asCompleted: expects an array or Set of awaitables, not a single awaitable");
  }
  checkCollection(aws, "asCompleted", "awaitables");
  const { timeout: ms = null } = options;
  if (ms !== null) checkDelay(ms, "asCompleted: timeout");
  const loop = getEventLoop();
  const unique = new Set(aws);
  for (const aw of unique) checkAwaitable(aw, "asCompleted"); // all before wrapping any in a task
  const todo = new Set<Future<T>>();
  for (const aw of unique) todo.add(ensureFuture(aw, loop));
  // As CPython 3.13: finished futures (null for each one the timeout gave up on) go through a
  // Queue, so each completion wakes one reader, in FIFO order, and a reader cancelled after its
  // wake-up passes it on.
  const finished = new Queue<Future<T> | null>();
  let left = todo.size;
  const onCompletion = (f: Future<T>): void => {
    if (!todo.delete(f)) return;
    finished.putNowait(f);
    if (todo.size === 0) handle?.cancel();
  };
  const handle = todo.size > 0 && ms !== null
    ? loop.callLater(ms, () => {
        for (const f of todo) {
          f.removeDoneCallback(onCompletion);
          finished.putNowait(null);
        }
        todo.clear();
      })
    : null;
  for (const f of todo) f.addDoneCallback(onCompletion);

  function* waitForOne(): Coroutine<T> {
    const f = yield* finished.get();
    if (f === null) throw new TimeoutError();
    return f.result();
  }

  return {
    [Symbol.iterator]() {
      return this;
    },
    next(): IteratorResult<Coroutine<T>> {
      if (left === 0) return { done: true, value: undefined };
      left--;
      return { done: false, value: waitForOne() };
    },
  };
}

const WAIT_KEYS: readonly string[] = ["timeout", "returnWhen"];
const AS_COMPLETED_KEYS: readonly string[] = ["timeout"];

/** The options a bare number was probably meant as. */
const timeoutExample = (given: unknown): string =>
  `{ timeout: ${typeof given === "number" ? given : 1000} } (the timeout is not positional)`;

/** `fs` must be an iterable object (an array or a Set), not null, a string or a number. */
function checkCollection(fs: unknown, where: string, what: string): void {
  if (typeof fs !== "object" || fs === null || typeof (fs as Partial<Iterable<unknown>>)[Symbol.iterator] !== "function") {
    throw new TypeError(`${where}: expects an array or Set of ${what}, got ${describe(fs)}`);
  }
  if (fs instanceof Map) {
    // A Map iterates [key, value] pairs, where Python's dict gives its keys.
    throw new TypeError(`${where}: expects an array or Set of ${what}, got a Map: pass map.keys() or map.values()`);
  }
}
