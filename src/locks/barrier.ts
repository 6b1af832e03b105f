/**
 * Barrier: a fixed number of tasks meet, then go on together (asyncio's `Barrier`).
 */
import { BrokenBarrierError, ValueError } from "../exceptions.js";
import { Condition } from "./condition.js";
import { LoopBound } from "./mixins.js";
import { describe, type Coroutine } from "../coroutines.js";
import type { AsyncContextManager, Exit } from "../context.js";
import { anchorShape } from "../internal/shapes.js";

/**
 * Where a Barrier is: `filling` (tasks arrive), `draining` (the last one arrived and they leave),
 * `resetting` (`reset()` while tasks were inside: they leave with BrokenBarrierError), `broken`
 * (`abort()`: every wait fails until `reset()`).
 */
export type BarrierState = "filling" | "draining" | "resetting" | "broken";

/**
 * Blocks tasks in `wait()` until `parties` of them are waiting, then releases them all together.
 * It can be used again: tasks that arrive while it drains wait for the next round.
 *
 * Fairness: within a round every task is released at once; the arrival index tells them apart.
 * All waiting happens on an internal Condition, so its FIFO policy applies.
 *
 * `toString()`: `<Barrier [filling, waiters:2/3]>`, `<Barrier [broken]>`.
 *
 * @example
 * const barrier = new Barrier(3);
 * function* worker(i: number) {
 *   yield* prepare(i);
 *   const index = yield* barrier.wait();   // all three continue together
 *   if (index === 0) console.log("all ready");
 * }
 */
export class Barrier extends LoopBound implements AsyncContextManager<number> {
  /** @internal Notifies every task when the state changes. */
  readonly _cond = new Condition();
  /** @internal */ readonly _parties: number;
  /** @internal */ _state: BarrierState = "filling";
  /** @internal Tasks inside `wait()` (arrived and not yet left). */
  _count = 0;

  /**
   * @param parties how many tasks must wait before all are released.
   * @throws ValueError if `parties` is not an integer > 0; TypeError if it is not a number.
   */
  constructor(parties: number) {
    super();
    if (typeof parties !== "number") throw new TypeError(`Barrier: parties must be a number, got ${describe(parties)}`);
    if (!Number.isInteger(parties) || parties < 1) {
      throw new ValueError(`parties must be > 0 and an integer, got ${parties}: a Barrier needs at least one task`);
    }
    this._parties = parties;
    this._cond._owner = this;
  }

  /** How many tasks must call `wait()` to release them. */
  get parties(): number {
    return this._parties;
  }

  /** How many tasks are waiting in the current round (0 while draining, resetting or broken). */
  get nWaiting(): number {
    return this._state === "filling" ? this._count : 0;
  }

  /** Whether the barrier is broken (`abort()` was called and no `reset()` since). */
  get broken(): boolean {
    return this._state === "broken";
  }

  /** Where the barrier is: `filling`, `draining`, `resetting` or `broken`. */
  get state(): BarrierState {
    return this._state;
  }

  /**
   * Waits until `parties` tasks are waiting, then returns this task's arrival index, from 0 to
   * `parties - 1` (the last to arrive gets `parties - 1` and does not block). A task that arrives
   * while the previous round drains or resets waits for it to finish first.
   *
   * Cancellation: a task cancelled while it waits for the round leaves it (`nWaiting` drops by one)
   * and the others keep waiting; the barrier is not broken. As in CPython, the index is the count of
   * tasks waiting when this one arrived, so after such a departure the next arrival gets an index
   * a task still waiting already holds (indexes stay unique in a round without cancellations).
   *
   * @throws BrokenBarrierError if the barrier is broken, or is reset or aborted while the task waits.
   * @throws CancelledError if the task is cancelled while it waits.
   * @throws RuntimeError if it has to wait and the barrier is bound to another event loop.
   * @example
   * const i = yield* barrier.wait();
   */
  *wait(): Coroutine<number> {
    const cond = this._cond;
    yield* cond.acquire();
    try {
      yield* this._block();
      const index = this._count++;
      try {
        if (index + 1 === this._parties) this._release();
        else yield* this._wait();
        return index;
      } finally {
        this._count--;
        this._exit();
      }
    } finally {
      cond.release();
    }
  }

  /**
   * Puts the barrier back to `filling`. Tasks waiting in it get BrokenBarrierError; a broken
   * barrier works again. Blocks only to take the internal lock.
   *
   * If tasks are still inside `wait()`, the barrier is `resetting` until the last of them has left:
   * newcomers wait for that.
   *
   * @throws CancelledError if the task is cancelled while it takes the internal lock (nothing changed).
   * @example
   * yield* barrier.reset();   // a fresh round; waiters of the old one get BrokenBarrierError
   */
  *reset(): Coroutine<void> {
    const cond = this._cond;
    yield* cond.acquire();
    try {
      if (this._count > 0) this._state = "resetting";
      else this._state = "filling";
      cond.notifyAll();
    } finally {
      cond.release();
    }
  }

  /**
   * Breaks the barrier: tasks waiting in it, and every later `wait()`, get BrokenBarrierError until
   * `reset()`. Use it when a party cannot arrive (e.g. it failed). Blocks only to take the internal lock.
   *
   * @throws CancelledError if the task is cancelled while it takes the internal lock (nothing changed).
   * @example
   * function* party(i: number) {
   *   try {
   *     yield* prepare(i);
   *   } catch (e) {
   *     yield* barrier.abort();   // the others get BrokenBarrierError instead of waiting forever
   *     throw e;
   *   }
   *   yield* barrier.wait();
   * }
   */
  *abort(): Coroutine<void> {
    const cond = this._cond;
    yield* cond.acquire();
    try {
      this._state = "broken";
      cond.notifyAll();
    } finally {
      cond.release();
    }
  }

  /** `asyncWith(barrier, body)`: `wait()`, and the body gets the arrival index. */
  aenter(): Coroutine<number> {
    return this.wait();
  }

  /** `asyncWith(barrier, body)`: does nothing. */
  *aexit(_exit: Exit): Coroutine<void> {}

  /** Waits while the previous round drains or resets; fails if the barrier is broken. */
  private *_block(): Coroutine<void> {
    yield* this._cond.waitFor(() => this._state !== "draining" && this._state !== "resetting");
    if (this._state === "broken") throw new BrokenBarrierError("Barrier aborted");
  }

  /** The last party arrived: everyone leaves. */
  private _release(): void {
    this._state = "draining";
    this._cond.notifyAll();
  }

  /** Waits for the round to complete; fails if it is reset or aborted meanwhile. */
  private *_wait(): Coroutine<void> {
    yield* this._cond.waitFor(() => this._state !== "filling");
    if (this._state === "broken" || this._state === "resetting") {
      throw new BrokenBarrierError("Abort or reset of barrier");
    }
  }

  /** The last task to leave ends the draining or resetting, and lets blocked newcomers in. */
  private _exit(): void {
    if (this._count === 0) {
      if (this._state === "resetting" || this._state === "draining") this._state = "filling";
      this._cond.notifyAll();
    }
  }

  protected _describe(): string {
    const s = this._state;
    return s === "broken" ? s : `${s}, waiters:${this.nWaiting}/${this._parties}`;
  }
}

// Keep the hidden class alive and general (internal/shapes.ts).
anchorShape(new Barrier(1));
