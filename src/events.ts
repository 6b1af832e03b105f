/**
 * Handles for callbacks scheduled on a loop (asyncio's events.py), and the running-loop functions.
 */
import { EventLoop } from "./base-events.js";
import { getEventLoop as currentOrNew, setCurrentLoop } from "./internal/running.js";
import type { HeapTimer } from "./internal/timer-heap.js";
import { inspectAsString } from "./internal/inspect.js";

export { getRunningLoop } from "./internal/running.js";

/**
 * The running loop if there is one, else the current loop (set by `setEventLoop`), creating and
 * setting a new one if none was ever set or it was closed (Python 3.11's behaviour, without the warning).
 * @throws RuntimeError outside a running loop after `setEventLoop(null)`, as CPython: once a program
 *   has set the current loop, it is the program's to set again.
 */
export function getEventLoop(): EventLoop {
  return currentOrNew(makeLoop);
}

/**
 * Sets the current loop returned by `getEventLoop()` outside a running loop. `null` clears it, and
 * `getEventLoop()` then throws instead of making a new loop, as in CPython.
 * @throws TypeError if `loop` is neither an EventLoop nor null.
 */
export function setEventLoop(loop: EventLoop | null): void {
  if (loop !== null && !(loop instanceof EventLoop)) {
    const got = typeof loop === "object" ? ((loop as object).constructor?.name ?? "object") : typeof loop;
    throw new TypeError(`setEventLoop: loop must be an EventLoop or null, got ${got}`);
  }
  setCurrentLoop(loop);
}

// Named here (not only registered by base-events.ts) so that a bundler honouring
// "sideEffects": false keeps the loop class wherever getEventLoop is used.
const makeLoop = (): EventLoop => new EventLoop();

/** A callback scheduled by `callSoon`; `cancel()` keeps it from running. */
export class Handle {
  /** @internal */ _cb: ((...args: any[]) => unknown) | null;
  /** @internal */ _args: unknown[] | null;
  /** @internal */ _loop: EventLoop;
  /** @internal */ _cancelled = false;

  /** @internal */
  constructor(cb: (...args: any[]) => unknown, args: unknown[] | null, loop: EventLoop) {
    this._cb = cb;
    this._args = args;
    this._loop = loop;
  }

  /** Keeps the callback from running; does nothing if it already ran or was cancelled. */
  cancel(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      this._cb = null;
      this._args = null;
    }
  }

  /** Whether `cancel()` was called. */
  cancelled(): boolean {
    return this._cancelled;
  }

  /** @internal Runs the callback (the loop's `_drain` is the only caller). */
  _run(_arg: unknown): void {
    const cb = this._cb;
    if (cb === null) return;
    const args = this._args;
    if (args === null) cb();
    else cb(...args);
  }

  /**
   * `<Handle cb()>`, `<TimerHandle when=100 cb()>`, `<TimerHandle cancelled when=100>`: as CPython's
   * repr, without the source line (a cancelled handle has let go of its callback).
   */
  toString(): string {
    const cb = this._cb;
    const what = cb === null ? "" : ` ${cb.name || "callback"}()`;
    const when = this instanceof TimerHandle ? ` when=${this._when}` : "";
    return `<${this.constructor.name}${this._cancelled ? " cancelled" : ""}${when}${what}>`;
  }
}

/** A callback scheduled by `callLater`/`callAt` for a loop time `when()` (ms). */
export class TimerHandle extends Handle implements HeapTimer {
  /** @internal */ _when: number;
  /** @internal */ _scheduled = false;

  /** @internal */
  constructor(when: number, cb: (...args: any[]) => unknown, args: unknown[] | null, loop: EventLoop) {
    super(cb, args, loop);
    this._when = when;
  }

  /** The loop time (ms) at which the callback is scheduled. */
  when(): number {
    return this._when;
  }

  override cancel(): void {
    if (!this._cancelled) {
      super.cancel();
      // After the flag: the heap may compact right away, and must see this timer as cancelled.
      if (this._scheduled) this._loop._timerCancelled();
    }
  }
}

inspectAsString(Handle);
