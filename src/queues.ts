/**
 * Queue, PriorityQueue, LifoQueue: producer/consumer queues between tasks (asyncio's queues.py,
 * with 3.13's `shutdown`). Waiting getters and putters sit in the wait queue of `locks/waiters.ts`.
 */
import { QueueEmpty, QueueFull, QueueShutDown, ValueError } from "./exceptions.js";
import { Event } from "./locks/event.js";
import { LoopBound } from "./locks/mixins.js";
import { DONE_VOID, FINISHED, Operation, WAITING, type OpHandler } from "./locks/operation.js";
import { WaiterQueue } from "./locks/waiters.js";
import { doneWith } from "./futures.js";
import { Heap, pythonCompare, Ring, Stack, type Store } from "./locks/stores.js";
import { describe, type Coroutine } from "./coroutines.js";
import { anchorShape } from "./internal/shapes.js";

/**
 * A FIFO queue for coordinating producer and consumer tasks.
 *
 * With `maxsize > 0`, `put()` blocks while the queue holds `maxsize` items; with `maxsize <= 0`
 * (the default) it never blocks. `get()` blocks while the queue is empty. `taskDone()` and `join()`
 * track the processing of the items; `shutdown()` ends the queue.
 *
 * Fairness (CPython's): blocked getters are woken one per item put, and blocked putters one per item
 * taken, in FIFO order. A woken task re-checks when it runs: if a `getNowait()` or `putNowait()` that
 * ran in between took the item or the slot, it waits again at the back of the line. A woken task that
 * is cancelled before it runs passes its wake-up to the next one, so no item or slot is stranded.
 *
 * `toString()`: `<Queue maxsize=1 [size:1, getters:0, putters:3, unfinished:4]>` (`, shutdown`
 * at the end once shut down).
 *
 * @example
 * const q = new Queue<number>(10);
 * function* producer() {
 *   for (let i = 0; i < 100; i++) yield* q.put(i);   // blocks while 10 are queued
 *   q.shutdown();
 * }
 * function* consumer() {
 *   try {
 *     for (;;) {
 *       const item = yield* q.get();
 *       handle(item);
 *       q.taskDone();
 *     }
 *   } catch (e) {
 *     if (!(e instanceof QueueShutDown)) throw e;   // shut down and drained
 *   }
 * }
 */
export class Queue<T = unknown> extends LoopBound {
  /** @internal */ readonly _maxsize: number;
  /** @internal The items. */
  _store: Store<T>;
  /** @internal Tasks blocked in get(). */
  readonly _getters = new WaiterQueue();
  /** @internal Tasks blocked in put(). */
  readonly _putters = new WaiterQueue();
  /** @internal Items put and not yet marked done by taskDone(). */
  _unfinishedTasks = 0;
  /** @internal Set while no task is unfinished: join() waits for it. */
  readonly _finished = new Event();
  /** @internal */ _isShutdown = false;

  /**
   * @param maxsize the capacity; `0` or less (the default) means unbounded.
   * @throws ValueError if `maxsize` is not an integer; TypeError if it is not a number.
   */
  constructor(maxsize = 0) {
    super();
    if (typeof maxsize !== "number") throw new TypeError(`${new.target.name}: maxsize must be a number, got ${describe(maxsize)}`);
    if (!Number.isInteger(maxsize)) {
      throw new ValueError(`${new.target.name}: maxsize must be an integer (0 for an unbounded queue), got ${maxsize}`);
    }
    this._maxsize = maxsize;
    this._store = this._init(maxsize);
    this._finished.set();
    this._finished._owner = this;
  }

  /** @internal The storage: FIFO here, overridden by the subclasses. */
  protected _init(_maxsize: number): Store<T> {
    return new Ring<T>();
  }

  /** The capacity given to the constructor (`0` or less: unbounded). */
  get maxsize(): number {
    return this._maxsize;
  }

  /** The number of items in the queue. */
  qsize(): number {
    return this._store.length;
  }

  /** Whether the queue holds no item. */
  empty(): boolean {
    return this._store.length === 0;
  }

  /** Whether the queue holds `maxsize` items (never, if unbounded). */
  full(): boolean {
    return this._maxsize > 0 && this._store.length >= this._maxsize;
  }

  /**
   * Puts `item` into the queue, first waiting for a free slot while the queue is full (never blocks
   * on an unbounded queue). Blocked putters are served in FIFO order (see the class).
   *
   * Cancellation: a task cancelled while it waits puts nothing; if a free slot had been signalled to
   * it, the next waiting putter is woken instead.
   *
   * @throws QueueShutDown if the queue is shut down (before or while waiting).
   * @throws CancelledError if the task is cancelled while it waits.
   * @throws RuntimeError if it has to wait and the queue is bound to another event loop, or if the
   *   returned coroutine is awaited again after it finished.
   * @throws TypeError from a `PriorityQueue` whose items cannot be ordered (see there).
   * @example
   * yield* q.put(item);
   */
  put(item: T): Coroutine<void> {
    return new Operation(QUEUE_PUT, this as Queue<unknown>, item) as unknown as Coroutine<void>;
  }

  /**
   * Puts `item` into the queue if there is a free slot, without blocking, and wakes one waiting getter.
   * @throws QueueFull if the queue is full.
   * @throws QueueShutDown if it is shut down.
   * @throws TypeError from a `PriorityQueue` whose items cannot be ordered (see there).
   */
  putNowait(item: T): void {
    if (this._isShutdown) throw new QueueShutDown("putNowait() on a shut-down queue");
    if (this.full()) throw new QueueFull(`putNowait() on a full queue (maxsize=${this._maxsize}): use put() to wait for a slot`);
    this._store.push(item);
    this._unfinishedTasks++;
    this._finished.clear();
    this._getters.shiftAndWake();
  }

  /**
   * Removes and returns an item, first waiting while the queue is empty. Blocked getters are served
   * in FIFO order (see the class).
   *
   * Cancellation: a task cancelled while it waits takes nothing, and no item is lost: if an item had
   * been signalled to it, the next waiting getter is woken instead.
   *
   * @throws QueueShutDown if the queue is shut down and empty (a graceful shutdown still serves the
   *   items left; an immediate one drops them).
   * @throws CancelledError if the task is cancelled while it waits.
   * @throws RuntimeError if it has to wait and the queue is bound to another event loop, or if the
   *   returned coroutine is awaited again after it finished.
   * @throws TypeError from a `PriorityQueue` whose items cannot be ordered (see there).
   * @example
   * const item = yield* q.get();
   */
  get(): Coroutine<T> {
    return new Operation(QUEUE_GET, this as Queue<unknown>, null) as unknown as Coroutine<T>;
  }

  /**
   * Removes and returns an item if one is there, without blocking, and wakes one waiting putter.
   * @throws QueueEmpty if the queue is empty.
   * @throws QueueShutDown if it is empty and shut down.
   * @throws TypeError from a `PriorityQueue` whose items cannot be ordered (see there).
   */
  getNowait(): T {
    if (this._store.length === 0) {
      if (this._isShutdown) throw new QueueShutDown("getNowait() on a shut-down and empty queue");
      throw new QueueEmpty("getNowait() on an empty queue: use get() to wait for an item");
    }
    const item = this._store.take();
    this._putters.shiftAndWake();
    return item;
  }

  /**
   * Marks one item got from the queue as processed. When every item put has been marked, `join()`
   * returns. `shutdown(true)` marks the items it drops. Never blocks.
   * @throws ValueError if called more times than items were put.
   */
  taskDone(): void {
    if (this._unfinishedTasks <= 0) {
      throw new ValueError("taskDone() called too many times: call it once per item got from the queue");
    }
    if (--this._unfinishedTasks === 0) this._finished.set();
  }

  /**
   * Blocks until every item put into the queue has been got and marked done with `taskDone()`;
   * returns at once if none is unfinished.
   *
   * Every task blocked in `join()` is woken at once when the last unfinished item is marked done.
   * Cancellation: a cancelled `join()` just stops waiting; the queue is unchanged.
   *
   * @throws CancelledError if the task is cancelled while it waits.
   * @throws RuntimeError if it has to wait and the queue is bound to another event loop.
   * @example
   * yield* q.join();   // every item processed
   */
  *join(): Coroutine<void> {
    if (this._unfinishedTasks > 0) yield* this._finished.wait();
  }

  /**
   * Shuts the queue down: `put()` and `putNowait()` throw `QueueShutDown` from now on, and so do
   * `get()` and `getNowait()` once the queue is empty. Every blocked `put()` and `get()` wakes up
   * (and throws, unless a getter finds an item).
   *
   * With `immediate`, the items left are dropped at once (each counts as done for `join()`), so
   * getters throw at once too. Never blocks; calling it again is allowed (`shutdown(true)` after
   * `shutdown()` drops the items left).
   *
   * @example
   * q.shutdown();       // consumers drain what is left, then get QueueShutDown
   * q.shutdown(true);   // or: drop the rest now (join() then waits only for the items already got)
   */
  shutdown(immediate = false): void {
    this._isShutdown = true;
    if (immediate) {
      const dropped = this._store.length;
      this._store.clear();
      this._unfinishedTasks = Math.max(0, this._unfinishedTasks - dropped);
      if (this._unfinishedTasks === 0) this._finished.set();
    }
    // Every blocked get() and put() re-checks, and raises QueueShutDown.
    while (this._getters.shiftAndWake()) {}
    while (this._putters.shiftAndWake()) {}
  }

  /** `<Queue maxsize=1 [size:1, getters:0, putters:3, unfinished:4]>`, then `, shutdown` once shut down. */
  override toString(): string {
    const shut = this._isShutdown ? ", shutdown" : "";
    return (
      `<${this.constructor.name} maxsize=${this._maxsize} [size:${this._store.length}, ` +
      `getters:${this._getters.size}, putters:${this._putters.size}, unfinished:${this._unfinishedTasks}${shut}]>`
    );
  }

  /** Unused: `toString()` is overridden (the maxsize goes before the brackets). */
  protected _describe(): string {
    return "";
  }
}

/**
 * The coroutine of `get()` (an Operation, see locks/operation.ts). As a generator (CPython's `Queue.get`):
 *
 *     while (empty) {
 *       if (shut down) throw QueueShutDown
 *       queue on the getters; try { wait } catch { unqueue; if an item was signalled to us,
 *       wake the next getter; rethrow }
 *     }
 *     return getNowait()
 */
const QUEUE_GET: OpHandler<unknown, Queue<unknown>> = {
  next(op) {
    const q = op._target;
    const step = op._step;
    if (step === WAITING) {
      const again = op._resumeFrom(q._getters); // unlinking was done by the wake-up already: harmless
      if (again !== null) return again;
    } else if (step === FINISHED) {
      return DONE_VOID;
    }
    op._step = FINISHED; // whatever happens below ends the coroutine, unless it waits again
    if (q._store.length !== 0) return doneWith(q.getNowait());
    if (q._isShutdown) throw new QueueShutDown("get() on a shut-down and empty queue");
    return op._wait(q._getLoop(), q._getters);
  },

  /** Leaving while queued: an item signalled to us wakes the next getter instead. */
  abandon(op) {
    const q = op._target;
    q._getters.remove(op);
    if (q._store.length !== 0 && op._state !== "cancelled") q._getters.shiftAndWake();
  },

  what: (op) => `${op._target.constructor.name}.get()`,
};

/**
 * The coroutine of `put(item)` (an Operation, see locks/operation.ts). As a generator (CPython's `Queue.put`):
 *
 *     while (full) {
 *       if (shut down) throw QueueShutDown
 *       queue on the putters; try { wait } catch { unqueue; if a slot was signalled to us,
 *       wake the next putter; rethrow }
 *     }
 *     putNowait(item)
 */
const QUEUE_PUT: OpHandler<void, Queue<unknown>> = {
  next(op) {
    const q = op._target;
    const step = op._step;
    if (step === WAITING) {
      const again = op._resumeFrom(q._putters); // unlinking was done by the wake-up already: harmless
      if (again !== null) return again;
    } else if (step === FINISHED) {
      return DONE_VOID;
    }
    op._step = FINISHED; // whatever happens below ends the coroutine, unless it waits again
    if (!q.full()) {
      q.putNowait(op._arg);
      return DONE_VOID;
    }
    if (q._isShutdown) throw new QueueShutDown("put() on a shut-down queue");
    return op._wait(q._getLoop(), q._putters);
  },

  /** Leaving while queued: a slot signalled to us wakes the next putter instead. */
  abandon(op) {
    const q = op._target;
    q._putters.remove(op);
    if (!q.full() && op._state !== "cancelled") q._putters.shiftAndWake();
  },

  what: (op) => `${op._target.constructor.name}.put()`,
};

/**
 * A Queue that returns the smallest item first (a binary heap, as Python's `heapq`).
 *
 * Without `compare`, items are ordered like Python values: numbers and bigints by value, strings
 * by code point, arrays lexicographically element by element (like Python tuples), so `put([priority,
 * data])` works as in Python. Items that cannot be ordered (e.g. two different objects at the same
 * priority) make `put`, `putNowait`, `get` or `getNowait` throw `TypeError`, as Python does, with
 * Python's aftermath: an item being put stays queued but does not count for `join()`; an item being
 * got is lost. Pass `compare` (negative, zero, positive, like `Array.prototype.sort`'s) to order
 * anything; an error it throws has the same effect.
 *
 * @example
 * const q = new PriorityQueue<[number, string]>();
 * q.putNowait([2, "low"]);
 * q.putNowait([1, "high"]);
 * q.getNowait(); // [1, "high"]
 */
export class PriorityQueue<T = unknown> extends Queue<T> {
  /**
   * @param maxsize the capacity; `0` or less (the default) means unbounded.
   * @param compare orders two items (default: Python's ordering, see the class).
   * @throws ValueError if `maxsize` is not an integer.
   * @throws TypeError if `maxsize` is not a number, or `compare` is given and is not a function.
   */
  constructor(maxsize = 0, compare?: (a: T, b: T) => number) {
    super(maxsize);
    if (compare !== undefined) {
      if (typeof compare !== "function") throw new TypeError("PriorityQueue: compare must be a function");
      (this._store as Heap<T>).compare = compare;
    }
  }

  /** @internal */
  protected override _init(_maxsize: number): Store<T> {
    return new Heap<T>(pythonCompare);
  }
}

/**
 * A Queue that returns the most recently added item first (a stack).
 *
 * @example
 * const q = new LifoQueue<number>();
 * q.putNowait(1);
 * q.putNowait(2);
 * q.getNowait(); // 2
 */
export class LifoQueue<T = unknown> extends Queue<T> {
  /** @internal */
  protected override _init(_maxsize: number): Store<T> {
    return new Stack<T>();
  }
}

// Keep the hidden classes alive and general (internal/shapes.ts).
anchorShape(new Queue());
anchorShape(new PriorityQueue());
anchorShape(new LifoQueue());
