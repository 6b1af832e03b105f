/**
 * Event: a flag that tasks can wait for (asyncio's `Event`).
 */
import { LoopBound } from "./mixins.js";
import { DONE_TRUE, DONE_VOID, FINISHED, NEW, Operation, WAITING, type OpHandler } from "./operation.js";
import { WaiterQueue } from "./waiters.js";
import type { Coroutine, Suspension } from "../coroutines.js";
import { anchorShape } from "../internal/shapes.js";

/**
 * A flag, initially false. `set()` makes it true and wakes every task waiting in `wait()`; `clear()`
 * makes it false again.
 *
 * Fairness: the waiters are woken together by `set()`, in the order they started waiting. A `clear()`
 * right after `set()` does not un-wake them: each returns `true` from `wait()` although `isSet()`
 * may read false by the time it runs.
 *
 * `toString()`: `<Event [unset, waiters:2]>`, `<Event [set]>`.
 *
 * @example
 * const ready = new Event();
 * function* worker() {
 *   yield* ready.wait();        // blocks until set()
 *   console.log("go");
 * }
 * function* main() {
 *   const t = createTask(worker());
 *   yield* sleep(100);
 *   ready.set();
 *   yield* t;
 * }
 */
export class Event extends LoopBound {
  /** @internal */ _value = false;
  /** @internal Created at the first wait. */
  _waiters: WaiterQueue | null = null;

  /** Whether the flag is true. */
  isSet(): boolean {
    return this._value;
  }

  /**
   * Sets the flag and wakes every task blocked in `wait()` (in their arrival order). Tasks that call
   * `wait()` afterwards do not block, until `clear()`. Does nothing if the flag is already set.
   * Never blocks.
   */
  set(): void {
    if (!this._value) {
      this._value = true;
      this._waiters?.wakeAllPending();
    }
  }

  /** Resets the flag to false. Tasks already woken by `set()` still return from `wait()`. */
  clear(): void {
    this._value = false;
  }

  /**
   * Returns `true` once the flag is set: at once (without suspending) if it is set, else when
   * `set()` is called.
   *
   * Cancellation: a task cancelled while it waits just leaves (O(1)); the other waiters are not
   * affected.
   *
   * @throws CancelledError if the task is cancelled while it waits.
   * @throws RuntimeError if it has to wait and the event is bound to another event loop, or if the
   *   returned coroutine is awaited again after it finished.
   * @example
   * yield* event.wait();
   */
  wait(): Coroutine<true> {
    return new Operation(EVENT_WAIT, this, null) as unknown as Coroutine<true>;
  }

  protected _describe(): string {
    const n = this._waiters?.size ?? 0;
    const s = this._value ? "set" : "unset";
    return n === 0 ? s : `${s}, waiters:${n}`;
  }
}

/**
 * The coroutine of `wait()` (an Operation, see operation.ts). As a generator:
 *
 *     if (value) return true
 *     queue; try { wait; return true } finally { unqueue }
 */
const EVENT_WAIT: OpHandler<true, Event> = {
  next(op) {
    const event = op._target;
    const step = op._step;
    if (step === NEW) {
      op._step = FINISHED;
      if (event._value) return DONE_TRUE;
      const loop = event._getLoop(); // if it throws, the coroutine is over
      const waiters = event._waiters ?? (event._waiters = new WaiterQueue());
      return op._wait(loop, waiters);
    }
    if (step === WAITING) {
      const again = op._resumeFrom(event._waiters);
      if (again !== null) return again;
      op._step = FINISHED;
      return DONE_TRUE;
    }
    return DONE_VOID as IteratorResult<Suspension, never>;
  },

  abandon(op) {
    op._target._waiters!.remove(op);
  },

  what: () => "Event.wait()",
};

// Keep the hidden class alive and general (internal/shapes.ts).
anchorShape(new Event());
