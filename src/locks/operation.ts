/**
 * Operation: a coroutine written by hand, for the primitives' waits (`Lock.acquire`,
 * `Semaphore.acquire`, `Event.wait`, `Queue.get`, `Queue.put`, and the notification wait of
 * `Condition.wait`).
 *
 * A generator function would do, but each call allocates a generator object, each resume goes
 * through one more level of `yield*` delegation, and each wait allocates a Future. An Operation is
 * one object that is at once the coroutine, its node in the wait queue, and what its task waits on:
 * an uncontended acquire allocates only it, and so does a contended one. One class serves every
 * primitive (what differs is an `OpHandler`), so the Task's accesses to what it waits on see two
 * shapes at most (Future and Operation) however many kinds of primitives a program uses.
 *
 * It behaves exactly like the generator it replaces: it is lazy (nothing happens until the first
 * `next()`, i.e. until it is awaited or wrapped in a task), it inherits from %GeneratorPrototype%
 * (so `isCoroutine()` is true and `createTask(lock.acquire())` works), and an error thrown in, or
 * `return()`, runs the cleanup a `finally` block would.
 *
 * While it waits it stands in for the Future a generator would await, with the part of the Future
 * protocol a Task uses on what it waits on (see tasks.ts, `_step` and `cancel`): `_loop`, `_state`
 * (`pending`, then `finished` when the primitive wakes it, or `cancelled` by `Task.cancel()`),
 * `_addWaiter(task)`, `cancel(msg)` and `toString()`. Like a Future, a cancelled operation stays
 * queued until its task runs (so CPython's orderings and `waiters:N` counts are kept), and a woken
 * one that is cancelled before it runs refuses the cancellation (`cancel()` returns false): the
 * task then gets the CancelledError thrown in, and the operation hands what it was given on.
 */
import { GeneratorPrototype, reused, type Suspension } from "../coroutines.js";
import { CancelledError } from "../exceptions.js";
import { newCancelledError, suspendOn, type FutureState, type Waitable } from "../futures.js";
import { Held, type Releasable } from "./held.js";
import type { EventLoop } from "../base-events.js";
import type { WaiterQueue } from "./waiters.js";
import { anchorShape } from "../internal/shapes.js";
import { inspectAsString } from "../internal/inspect.js";

/** Where an Operation's coroutine is: not started yet, suspended, or finished. */
export const NEW = 0;
export const WAITING = 1;
export const FINISHED = 2;
export type OperationStep = typeof NEW | typeof WAITING | typeof FINISHED;

/** The result of a finished step that returns `true` (shared: results are never mutated). */
export const DONE_TRUE: IteratorResult<Suspension, true> = Object.freeze({ done: true, value: true });
/** The result of a finished step that returns `undefined`. */
export const DONE_VOID: IteratorResult<Suspension, undefined> = Object.freeze({ done: true, value: undefined });

/**
 * What an acquiring Operation returns once it holds the primitive: `true` (`acquire()`), nothing
 * (`aenter()`) or a `Held` (`hold()`).
 */
export const RETURN_TRUE = 0;
export const RETURN_VOID = 1;
export const RETURN_HELD = 2;
export type ReturnMode = typeof RETURN_TRUE | typeof RETURN_VOID | typeof RETURN_HELD;

/** The finished step of an acquiring Operation, for `mode`. */
export function acquiredResult(mode: ReturnMode, target: Releasable): IteratorResult<Suspension, unknown> {
  return mode === RETURN_TRUE ? DONE_TRUE : mode === RETURN_VOID ? DONE_VOID : { done: true, value: new Held(target) };
}

/** What a Task is to the operation it waits on: something to put back on the ready queue. */
type Parked = object;

/**
 * @internal What a kind of operation does (one object literal per kind, all of one shape): the
 * steps of the coroutine. The Operation itself is one class for every primitive, so that the Task
 * and the wait queues only ever see one kind of object (their property accesses stay monomorphic).
 */
export interface OpHandler<R, P> {
  /** Starts (`op._step === NEW`) or resumes (`WAITING`) the coroutine of `op`. */
  next(op: Operation<R, P>): IteratorResult<Suspension, R>;
  /** `op` leaves while queued (cancelled after a wake-up, or closed): the cleanup of a `finally`. */
  abandon(op: Operation<R, P>): void;
  /** What it is, for `toString()`: `Lock.acquire()`. */
  what(op: Operation<R, P>): string;
}

/**
 * @internal A hand-written coroutine of a primitive (`R`: what it returns; `P`: the primitive),
 * its node in the primitive's wait queue, and what its task waits on.
 */
export class Operation<R, P> implements Waitable {
  // Links in its primitive's WaiterQueue (both null when not queued, unless it is the only node).
  _prev: Operation<unknown, unknown> | null;
  _next: Operation<unknown, unknown> | null;
  /** Where the coroutine is. */
  _step: OperationStep;
  // The waitable: the state of the current wait, as a Future's.
  _state: FutureState;
  _loop: EventLoop | null;
  /**
   * The task parked on this operation while it waits; once the wait is cancelled, the message of
   * the cancellation, if there is one (one field less per waiter).
   */
  _waiter: Parked | string | null;
  /** What this kind of operation does. */
  readonly _h: OpHandler<R, P>;
  /** The primitive. */
  readonly _target: P;
  /** The argument: what to return (a ReturnMode), or the item to put. */
  readonly _arg: unknown;

  constructor(handler: OpHandler<R, P>, target: P, arg: unknown) {
    this._prev = null;
    this._next = null;
    this._step = NEW;
    this._state = "pending";
    this._loop = null;
    this._waiter = null;
    this._h = handler;
    this._target = target;
    this._arg = arg;
  }

  /**
   * Starts or resumes the operation (only its task calls this, through `yield*`).
   * @throws RuntimeError once it has finished: awaiting it again would silently do nothing (a lock
   *   not taken, an item not got), so it fails as CPython's reused coroutine does.
   */
  next(): IteratorResult<Suspension, R> {
    if (this._step === FINISHED) throw reused(this._h.what(this));
    return this._h.next(this);
  }

  /** An error thrown in while waiting (the CancelledError of a task cancelled after a wake-up). */
  throw(e: unknown): IteratorResult<Suspension, R> {
    if (this._step === WAITING) this._leave();
    this._step = FINISHED;
    throw e;
  }

  /** Closing the coroutine while it waits cleans up as if it were cancelled. */
  return(value?: R): IteratorResult<Suspension, R> {
    if (this._step === WAITING) this._leave();
    this._step = FINISHED;
    return { done: true, value: value as R };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** `<Lock.acquire() pending>`, as a task's `wait_for=`. */
  toString(): string {
    return `<${this._h.what(this)} ${this._state}>`;
  }

  /** @internal The primitive hands the waiter what it waited for: its task runs next iteration. */
  _wake(): void {
    this._state = "finished";
    const t = this._waiter;
    if (t !== null) {
      this._waiter = null;
      this._loop!._push(t as Parked, this);
    }
  }

  /** @internal Task protocol: the task waiting on this operation. */
  _addWaiter(task: Parked): void {
    if (this._state === "pending") this._waiter = task;
    else this._loop!._push(task, this);
  }

  /**
   * @internal Task protocol (`Task.cancel()`): cancels a pending wait; the task runs next iteration
   * and gets CancelledError. Returns false once the operation was woken or cancelled.
   */
  cancel(msg?: string): boolean {
    if (this._state !== "pending") return false;
    this._state = "cancelled";
    const t = this._waiter;
    this._waiter = msg === undefined ? null : msg;
    if (t !== null) this._loop!._push(t as Parked, this);
    return true;
  }

  /** @internal Waits in `queue`: links this node and suspends the task on this operation. */
  _wait(loop: EventLoop, queue: WaiterQueue): IteratorResult<Suspension, R> {
    this._loop = loop;
    this._state = "pending";
    queue.push(this);
    this._step = WAITING;
    return suspendOn(this);
  }

  /** @internal Suspends the task on this operation (it is pending). */
  _suspend(): IteratorResult<Suspension, R> {
    return suspendOn(this);
  }

  /**
   * @internal Resumed while waiting: if still pending, the suspension to return again; if cancelled,
   * cleans up and throws (`_fail`); if woken, unlinks this node from `queue` (when given) and returns
   * null, for the handler to finish the operation.
   */
  _resumeFrom(queue: WaiterQueue | null): IteratorResult<Suspension, R> | null {
    const s = this._state;
    if (s === "pending") return suspendOn(this);
    if (s !== "finished") this._fail();
    if (queue !== null) queue.remove(this);
    return null;
  }

  /** @internal Resumed after a cancellation: cleans up, throws the CancelledError as `yield* fut` would. */
  _fail(): never {
    this._h.abandon(this);
    this._step = FINISHED;
    const w = this._waiter;
    const msg = typeof w === "string" ? w : undefined;
    throw this._loop !== null && this._loop._debug ? new CancelledError(msg ?? "") : newCancelledError(msg);
  }

  /** Leaves while suspended: a pending wait is dropped without waking anyone, then cleaned up. */
  private _leave(): void {
    if (this._state === "pending") {
      this._state = "cancelled";
      this._waiter = null;
    }
    this._h.abandon(this);
  }
}
Object.setPrototypeOf(Operation.prototype, GeneratorPrototype);

/**
 * @internal The coroutine of `aexit()` for Lock, Semaphore and Condition: releases when first
 * driven (lazily, as a generator would), never suspends. Driven again once finished (or after it was
 * closed or thrown into), it throws the RuntimeError of a reused coroutine, as CPython's `__aexit__`
 * coroutine does, and releases nothing.
 */
export class ReleaseOnExit {
  readonly _target: Releasable;
  _finished: boolean;

  constructor(target: Releasable) {
    this._target = target;
    this._finished = false;
  }

  next(): IteratorResult<Suspension, void> {
    if (this._finished) throw reused(`${this._target.constructor.name}.aexit()`);
    this._finished = true;
    this._target.release();
    return DONE_VOID;
  }

  throw(e: unknown): IteratorResult<Suspension, void> {
    this._finished = true;
    throw e;
  }

  return(value?: void): IteratorResult<Suspension, void> {
    this._finished = true;
    return { done: true, value };
  }

  [Symbol.iterator](): this {
    return this;
  }
}
Object.setPrototypeOf(ReleaseOnExit.prototype, GeneratorPrototype);

// Keep the hidden classes alive and general (internal/shapes.ts).
anchorShape(new Operation<unknown, unknown>(null as never, null, null));
anchorShape(new ReleaseOnExit(null as never));
inspectAsString(Operation);
