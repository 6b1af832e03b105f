/** `run` and `Runner`: the entry points of a program (asyncio's runners.py). */
import { RuntimeError } from "./exceptions.js";
import { EventLoop, LOOP_KEYS, type EventLoopOptions } from "./base-events.js";
import { checkOptions } from "./internal/options.js";
import { allTasks } from "./tasks.js";
import { gather } from "./gather.js";
import { runningLoopOrNull } from "./internal/running.js";
import { inspectAsString } from "./internal/inspect.js";
import { checkCoroutine, describe, type Coroutine } from "./coroutines.js";

/** Options of `run()` and `new Runner()`. */
export interface RunOptions extends EventLoopOptions {
  /** Makes the loop instead of `new EventLoop(options)` (Python 3.12's `loop_factory`). */
  loopFactory?: () => EventLoop;
}

/** A coroutine object, or a function returning one (e.g. a generator function taking no argument). */
export type Main<T> = Coroutine<T> | (() => Coroutine<T>);

const RUN_KEYS: readonly string[] = [...LOOP_KEYS, "loopFactory"];

/** The options that only a new loop can take: with `loopFactory`, they belong in the factory. */
const NEW_LOOP_KEYS = ["clock", "seed", "slowCallbackMs"] as const;

/**
 * `run()`'s and `Runner`'s options: the loop's, and `loopFactory`. A misspelled key is an error, and
 * so are `clock`, `seed` and `slowCallbackMs` beside `loopFactory`: the factory makes the loop, so
 * they are its arguments. Only `debug` applies to the factory's loop (CPython's Runner sets it).
 */
function checkRunOptions(options: unknown, where: string): void {
  checkOptions(options, where, RUN_KEYS, '{ clock: "virtual" }');
  const o = options as RunOptions;
  if (o.loopFactory == null) return;
  if (typeof o.loopFactory !== "function") {
    throw new TypeError(`${where}: loopFactory must be a function returning an EventLoop, got ${describe(o.loopFactory)}`);
  }
  const misplaced = NEW_LOOP_KEYS.filter((k) => o[k] !== undefined);
  if (misplaced.length > 0) {
    throw new TypeError(
      `${where}: ${misplaced.join(", ")} cannot be combined with loopFactory: pass ${misplaced.length === 1 ? "it" : "them"} ` +
        `to the loop the factory makes, e.g. loopFactory: () => newEventLoop({ ${misplaced[0]}: … })`,
    );
  }
}

function toCoroutine<T>(main: Main<T>, where: string): Coroutine<T> {
  if (typeof main === "function" && main.constructor?.name === "AsyncFunction") checkCoroutine(main, where);
  const coro = typeof main === "function" ? (main as () => Coroutine<T>)() : main;
  checkCoroutine(coro, where);
  return coro as Coroutine<T>;
}

/**
 * Runs several coroutines on one loop, one after the other (asyncio.Runner). The loop is created
 * at the first `run()`; `close()` cancels the tasks left and closes it.
 *
 * @example
 * const runner = new Runner({ clock: "virtual" });
 * try {
 *   await runner.run(setup());
 *   await runner.run(main());
 * } finally {
 *   await runner.close();
 * }
 */
export class Runner {
  private _state: "created" | "initialized" | "closing" | "closed" = "created";
  private _loop: EventLoop | null = null;
  /** The last close in progress (read while `_state` is "closing"): what `close()` returns to every caller. */
  private _closing: Promise<void> | null = null;

  /** @internal The loop, if one was made (`getLoop()` makes it). */
  _loopIfMade(): EventLoop | null {
    return this._loop;
  }
  private readonly _options: RunOptions;

  /** @throws TypeError if `options` is not an object with only the keys of `RunOptions`. */
  constructor(options: RunOptions = {}) {
    checkRunOptions(options, "Runner");
    this._options = options;
  }

  /**
   * Runs `main` to completion in a task on the runner's loop and returns its result.
   * @throws (at once, having started nothing) TypeError if `main` is not a coroutine; RuntimeError
   *   inside a running loop, while the runner's loop runs (another `run()` in progress), while
   *   `close()` is in progress, or after it. The Promise rejects with `main`'s error.
   */
  run<T>(main: Main<T>): Promise<T> {
    if (runningLoopOrNull() !== null) throw new RuntimeError("Runner.run() cannot be called from a running event loop");
    if (this._state === "closing") throw new RuntimeError("Runner.run() cannot be called while the runner is closing (close() is in progress)");
    const coro = toCoroutine(main, "Runner.run()");
    const loop = this.getLoop();
    // Checked before the task exists: a task created and then refused would still run.
    if (loop.isRunning()) {
      throw new RuntimeError("Runner.run() cannot be called while the runner's loop is running (another run() is in progress)");
    }
    return loop.runUntilComplete(loop.createTask(coro));
  }

  /**
   * The runner's loop (created on first use).
   * @throws RuntimeError after `close()`; TypeError if `loopFactory` returns something else than an
   *   EventLoop, RuntimeError if it returns a closed one (the runner then has no loop yet).
   */
  getLoop(): EventLoop {
    if (this._state === "closed") throw new RuntimeError("Runner is closed");
    if (this._loop === null) {
      const { loopFactory, ...loopOptions } = this._options;
      const loop = loopFactory ? checkMadeLoop(loopFactory()) : new EventLoop(loopOptions);
      if (this._options.debug !== undefined) loop.setDebug(this._options.debug);
      this._loop = loop;
      this._state = "initialized";
    }
    return this._loop;
  }

  /**
   * Cancels the tasks left, waits for them, and closes the loop. Does nothing before the first run
   * or after a close; while a close is in progress, returns the same Promise. As CPython's, it cancels
   * once: a task created while the others are cancelled (by a `finally` block, say) is left pending,
   * and `close()` reports it ("Task was destroyed but it is pending!"). Before closing, it runs the
   * loop as CPython's does for `shutdown_asyncgens()` and `shutdown_default_executor()` (two tasks
   * that return at once): callbacks still queued get those four iterations, and the two tasks take
   * their `Task-N` numbers. If the loop cannot be closed in the end (someone else runs it), the
   * Promise rejects and the runner stays usable.
   *
   * @throws (at once, doing nothing, and the runner stays usable) RuntimeError "Cannot close a running
   *   event loop" while the runner's loop runs (from `main` itself, say: CPython raises this too, where
   *   its failed attempt has cancelled every task first), and RuntimeError from inside another
   *   running loop. The Promise rejects if the loop was closed by someone else.
   */
  close(): Promise<void> {
    if (this._state === "closing") return this._closing!;
    if (this._state !== "initialized") return Promise.resolve();
    const loop = this._loop!;
    if (loop.isRunning()) throw new RuntimeError("Cannot close a running event loop");
    if (runningLoopOrNull() !== null) throw new RuntimeError("Runner.close() cannot be called from a running event loop");
    this._state = "closing";
    return (this._closing = this._shutDown(loop));
  }

  private async _shutDown(loop: EventLoop): Promise<void> {
    try {
      await cancelAllTasks(loop);
      // CPython's close() then runs the loop for shutdown_asyncgens() and shutdown_default_executor():
      // two tasks that return at once, so callbacks still queued get those iterations too (and the
      // two tasks take their `Task-N` numbers). We have neither async generators nor an executor to
      // shut down, but keep the iterations.
      await loop.runUntilComplete(shutdownStep());
      await loop.runUntilComplete(shutdownStep());
    } finally {
      // loop.close() throws if the loop is running (someone else ran it meanwhile): the runner then
      // stays usable, as CPython's.
      this._state = "initialized";
      loop.close();
      this._state = "closed";
    }
  }

  /** `<Runner created>`, `<Runner initialized>`, `<Runner closing>`, `<Runner closed>`. */
  toString(): string {
    return `<Runner ${this._state}>`;
  }
}

inspectAsString(Runner);

/** What a `loopFactory` returned, checked. */
function checkMadeLoop(loop: unknown): EventLoop {
  if (!(loop instanceof EventLoop)) throw new TypeError(`loopFactory must return an EventLoop, got ${describe(loop)}`);
  if (loop.isClosed()) throw new RuntimeError("loopFactory returned a closed event loop");
  return loop;
}

/** A shutdown step of `Runner.close()` (CPython's `shutdown_asyncgens()` with none to shut down). */
function* shutdownStep(): Coroutine<void> {}

async function cancelAllTasks(loop: EventLoop): Promise<void> {
  const toCancel = allTasks(loop);
  if (toCancel.size === 0) return;
  for (const t of toCancel) t.cancel();
  await loop.runUntilComplete(gather(...toCancel, { returnExceptions: true }));
  for (const t of toCancel) {
    if (t.cancelled()) continue;
    const exc = t.exception();
    if (t._hasFailed()) {
      loop.callExceptionHandler({ message: "unhandled exception during asyncio.run() shutdown", exception: exc, task: t });
    }
  }
}

/**
 * Runs `main` on a new loop until it completes, then cancels the tasks left, waits for them, closes
 * the loop and resolves with `main`'s result (asyncio.run). Closing reports, through the loop's
 * exception handler, each task still pending (created during that shutdown: the tasks left are
 * cancelled once, as in CPython) and each failed task whose error nobody retrieved.
 *
 * @throws (at once) TypeError if `main` is not a coroutine object or a function returning one, or
 *   `options` is not an object with only the keys of `RunOptions` (a misspelled key is an error);
 *   RuntimeError when called inside a running loop. The Promise rejects with `main`'s error.
 * @example
 * function* main() {
 *   yield* sleep(1000);
 *   return "done";
 * }
 * console.log(await run(main()));                       // real time
 * await run(main, { clock: "virtual" });                // in no wall time
 */
export function run<T>(main: Main<T>, options?: RunOptions): Promise<T> {
  if (runningLoopOrNull() !== null) throw new RuntimeError("run() cannot be called from a running event loop");
  if (options !== undefined) checkRunOptions(options, "run()");
  const coro = toCoroutine(main, "run()");
  const runner = new Runner(options);
  let result: Promise<T>;
  try {
    result = runner.run(coro);
  } catch (e) {
    // Refused at once. The loop is closed unless it is running: a loopFactory may have handed back a
    // loop another run() is running, whose tasks are not this call's to cancel.
    // (Only a loop this runner made: if the loopFactory itself threw, there is none, and calling
    // it again would replace its error.)
    const loop = runner._loopIfMade();
    if (loop !== null && !loop.isRunning()) {
      runner.close().catch((err: unknown) => loop.callExceptionHandler({ message: "Runner.close() failed", exception: err }));
    }
    throw e;
  }
  return result.finally(() => runner.close());
}
