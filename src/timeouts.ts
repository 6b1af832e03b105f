/**
 * Timeouts that stop work (asyncio's timeouts.py): `timeout`, `timeoutAt` and the `Timeout` class.
 *
 * On expiry the Timeout cancels its task; the body sees `CancelledError` at its await point, its
 * `finally` blocks run, and on the way out the Timeout turns that cancellation (and only that one:
 * it compares the task's cancel count with the one it entered with) into `TimeoutError`.
 */
import { CancelledError, ExceptionGroup, RuntimeError, TimeoutError } from "./exceptions.js";
import { currentTask, type Task } from "./tasks.js";
import { newCancelledError } from "./futures.js";
import { asyncWith, chain, checkBody, hasContextCause, setContextCause, type AsyncContextManager, type Exit, type WithBody } from "./context.js";
import { getRunningLoop } from "./internal/running.js";
import { checkDelay } from "./base-events.js";
import type { Handle } from "./events.js";
import type { Coroutine } from "./coroutines.js";
import { anchorShape } from "./internal/shapes.js";
import { inspectAsString } from "./internal/inspect.js";

/** Where a Timeout is in its life. */
export type TimeoutState = "created" | "active" | "expiring" | "expired" | "finished";

/**
 * A deadline for a block of code, as an async context manager (`asyncWith(new Timeout(when), body)`)
 * or through `timeout(ms, body)` / `timeoutAt(when, body)`. `when` is an absolute loop time in ms,
 * or `null` for no deadline. A Timeout is entered once, by one task.
 *
 * `toString()`: `<Timeout [active] when=1000>`, `<Timeout [expired]>`.
 *
 * @example
 * yield* timeout(1000, function* (t) {
 *   const header = yield* readHeader();
 *   t.reschedule(getRunningLoop().time() + header.bodyMs);   // more time for the body
 *   yield* readBody(header);
 * });
 */
export class Timeout implements AsyncContextManager<Timeout> {
  private _state: TimeoutState = "created";
  private _when: number | null;
  private _handle: Handle | null = null;
  private _task: Task<unknown> | null = null;
  private _cancelling = 0;

  /**
   * @param when the deadline (loop time, ms), or `null` for none; a past one expires at the first
   *   iteration after entering.
   * @throws TypeError if `when` is not a number or null; ValueError if it is NaN.
   */
  constructor(when: number | null) {
    if (when !== null) checkDelay(when, "Timeout: when");
    this._when = when;
  }

  /** The deadline (loop time, ms), or `null`. */
  when(): number | null {
    return this._when;
  }

  /**
   * Moves the deadline to `when` (loop time, ms; `null`: none). A deadline already past expires
   * at the next iteration. Never blocks.
   * @throws RuntimeError if the Timeout is not active (not entered yet, expired or exited).
   * @throws TypeError if `when` is not a number or null; ValueError if it is NaN.
   */
  reschedule(when: number | null): void {
    if (this._state !== "active") {
      if (this._state === "created") throw new RuntimeError("Timeout has not been entered");
      throw new RuntimeError(`Cannot change state of ${this._state} Timeout`);
    }
    if (when !== null) checkDelay(when, "Timeout.reschedule: when");
    this._when = when;
    this._handle?.cancel();
    if (when === null) {
      this._handle = null;
    } else {
      const loop = getRunningLoop();
      this._handle = when <= loop.time() ? loop.callSoon(this._onTimeout) : loop.callAt(when, this._onTimeout);
    }
  }

  /** Whether the deadline passed while the block ran. */
  expired(): boolean {
    return this._state === "expiring" || this._state === "expired";
  }

  /**
   * Enters: arms the deadline for the current task. Never blocks.
   * @throws RuntimeError if entered twice or outside a task.
   */
  *aenter(): Coroutine<Timeout> {
    if (this._state !== "created") throw new RuntimeError("Timeout has already been entered");
    const task = currentTask();
    if (task === null) throw new RuntimeError("Timeout should be used inside a task");
    this._state = "active";
    this._task = task;
    this._cancelling = task.cancelling();
    this.reschedule(this._when);
    return this;
  }

  /**
   * Exits: disarms the deadline, and turns the cancellation it caused into TimeoutError (unless
   * another cancellation of the task is still pending); other errors pass through. Never blocks.
   * @throws TimeoutError if the deadline passed and the body ended by the CancelledError it caused.
   * @throws RuntimeError if the Timeout was not entered, or was already exited (CPython asserts).
   */
  *aexit(exit: Exit): Coroutine<void> {
    if (this._state !== "active" && this._state !== "expiring") {
      throw new RuntimeError(this._state === "created" ? "Timeout has not been entered" : "Timeout has already been exited");
    }
    this._handle?.cancel();
    this._handle = null;
    if (this._state === "expiring") {
      this._state = "expired";
      if (this._task!.uncancel() <= this._cancelling && exit.failed) {
        if (exit.error instanceof CancelledError) {
          throw new TimeoutError("", { cause: exit.error });
        }
        markTimeout(exit.error);
        if (exit.error instanceof ExceptionGroup) for (const e of exit.error.exceptions) markTimeout(e);
      }
    } else if (this._state === "active") {
      this._state = "finished";
    }
  }

  toString(): string {
    // CPython shows round(when, 3) seconds: whole milliseconds.
    const when = this._state === "active" ? ` when=${this._when === null ? null : Math.round(this._when)}` : "";
    return `<Timeout [${this._state}]${when}>`;
  }

  private _onTimeout = (): void => {
    this._task!.cancel();
    this._state = "expiring";
    this._handle = null;
  };
}

/**
 * The error a body raised while its timeout was expiring gets a TimeoutError in its chain, as
 * CPython's `_insert_timeout_error` puts one before the first CancelledError of its `__context__`
 * chain. Here the `cause` chain stands for it:
 * - the first link whose cause is a CancelledError set by the chaining of `asyncWith` (an `aexit`
 *   that threw while the cancellation was in flight) gets `TimeoutError` (caused by that
 *   CancelledError) in its place. A cause the user gave is left alone, as Python leaves
 *   `__cause__`, and ends the search;
 * - with no CancelledError in the chain, an error without a cause gets a `TimeoutError` caused by a
 *   CancelledError, by the rule of `asyncWith`'s chaining (JS keeps no implicit context, so this
 *   stands for an error raised while handling the cancellation). Not an error with a cause of its
 *   own, nor one raised `from None` such as a TaskGroup's ExceptionGroup: CPython chains the
 *   TimeoutError there too, but never shows it.
 */
function markTimeout(e: unknown): void {
  if (!(e instanceof Error)) return;
  let link: object = e;
  for (let i = 0; i < 1000; i++) {
    const cause: unknown = (link as { cause?: unknown }).cause;
    if (cause instanceof CancelledError) {
      if (hasContextCause(link)) setContextCause(link, new TimeoutError("", { cause }));
      return;
    }
    if (cause === null || typeof cause !== "object") break;
    link = cause;
  }
  chain(e, new TimeoutError("", { cause: newCancelledError(undefined) }));
}

/**
 * Runs `body(timeout)` with a deadline `ms` after the moment it is awaited (`null`: none) and
 * returns its value. If the deadline passes, the body is cancelled at its await point, its `finally`
 * blocks run (they may await), and then `TimeoutError` is raised. Nested timeouts each raise for
 * their own deadline. A cancellation of the task from elsewhere passes through as `CancelledError`,
 * even if the deadline passed too. If the body, cancelled by the deadline, throws another error
 * instead, that error passes through with a `TimeoutError` as its `cause` (if it had none); so does
 * each error inside an ExceptionGroup it throws, while a TaskGroup's group itself keeps no cause (CPython
 * raises it `from None`).
 *
 * @throws TimeoutError on expiry (its `cause` is the CancelledError it replaces).
 * @throws CancelledError if the task is cancelled from elsewhere.
 * @throws whatever the body throws.
 * @throws RuntimeError (when awaited) outside a task.
 * @throws TypeError at once if `ms` is not a number or null, or if `body` is not a function or is
 *   an `async` function, which the deadline could not stop: write it as a generator function,
 *   `function* (t) { ... }`, with `yield*` instead of `await`. TypeError once the body has run if
 *   it is a plain function that returned a Promise (see `asyncWith`).
 * @throws ValueError at once for a NaN `ms`.
 * @example
 * try {
 *   yield* timeout(3000, function* () { yield* longJob(); });
 * } catch (e) {
 *   if (e instanceof TimeoutError) console.log("gave up after 3 s; longJob was cancelled");
 *   else throw e;
 * }
 */
export function timeout<R>(ms: number | null, body: WithBody<Timeout, R>): Coroutine<R> {
  if (ms !== null) checkDelay(ms, "timeout: the delay");
  checkBody(body, "timeout");
  return timeoutBody(() => (ms === null ? null : getRunningLoop().time() + ms), body);
}

/**
 * Like `timeout`, with an absolute deadline `when` (loop time, ms) or `null`; it throws the same.
 *
 * @example
 * const deadline = getRunningLoop().time() + 5000;
 * for (const job of jobs) {
 *   yield* timeoutAt(deadline, function* () { yield* handle(job); });   // one deadline for all
 * }
 */
export function timeoutAt<R>(when: number | null, body: WithBody<Timeout, R>): Coroutine<R> {
  if (when !== null) checkDelay(when, "timeoutAt: when");
  checkBody(body, "timeoutAt");
  return timeoutBody(() => when, body);
}

function* timeoutBody<R>(when: () => number | null, body: WithBody<Timeout, R>): Coroutine<R> {
  return (yield* asyncWith(new Timeout(when()), body)) as R;
}

// Keep the hidden class alive and general (internal/shapes.ts).
anchorShape(new Timeout(null));
inspectAsString(Timeout);
