/**
 * TaskGroup: structured concurrency (asyncio's taskgroups.py, Python 3.13).
 *
 * Invariants: the group's exit returns only once every child is done; the first child error (other
 * than CancelledError) cancels the other children and the body (through the parent task, whose
 * cancel count the group restores on exit); errors are raised together as one ExceptionGroup,
 * children's in completion order, then the body's.
 */
import { CancelledError, ExceptionGroup, RuntimeError } from "./exceptions.js";
import { currentTask, type Task } from "./tasks.js";
import { asyncWith, checkBody, suppressContext, type AsyncContextManager, type Exit, type WithBody } from "./context.js";
import { getRunningLoop } from "./internal/running.js";
import type { EventLoop } from "./base-events.js";
import type { Future } from "./futures.js";
import type { TaggedCallback } from "./graph.js";
import { isCoroutine, type Coroutine } from "./coroutines.js";
import { anchorShape } from "./internal/shapes.js";
import { inspectAsString } from "./internal/inspect.js";

/** The list of a group's children is compacted only once it is this long. */
const COMPACT_AT = 64;

/**
 * A group of tasks that live no longer than the block that owns them. Use it through
 * `taskGroup(body)` (or `asyncWith(new TaskGroup(), body)`).
 *
 * - The end of the block blocks until every task of the group is done, even if the owning task is
 *   cancelled meanwhile (then it cancels them first, waits, and re-raises the `CancelledError`).
 * - The first task to fail (with anything but `CancelledError`) cancels the other tasks and the
 *   body, at its current await point; the group absorbs that cancellation of the body on exit.
 *   A task that ends cancelled is not a failure.
 * - An error in the body also cancels the tasks.
 * - The errors are raised together as one `ExceptionGroup`: the tasks' in the order they failed,
 *   then the body's. It is raised even if the owning task was also cancelled from outside; that
 *   cancellation stays requested, so the task's next await raises `CancelledError`.
 *
 * @example
 * yield* taskGroup(function* (tg) {
 *   tg.createTask(download("a"));
 *   tg.createTask(download("b"));
 * });
 * // both downloads are done here; if one failed, the other was cancelled and
 * // an ExceptionGroup("unhandled errors in a TaskGroup (1 sub-exception)") is raised
 */
export class TaskGroup implements AsyncContextManager<TaskGroup> {
  private _entered = false;
  private _exiting = false;
  private _aborting = false;
  private _loop: EventLoop | null = null;
  private _parentTask: Task<unknown> | null = null;
  private _parentCancelRequested = false;
  /**
   * CPython's `_tasks` set, the children whose done callback has not run yet, kept as a count and a
   * list (a Set would cost about 100 ns per child to add and as much to delete): `_live` counts them,
   * and `_children` holds them in creation order, with some that are done: when a child is done, the
   * list is emptied if it was the last, or compacted if fewer than a quarter of it are left. So it
   * holds at most 4 × `_live` tasks, or fewer than `COMPACT_AT`, and each child costs O(1) amortized.
   */
  private _children: Task<any>[] = [];
  private _live = 0;
  private _errors: unknown[] = [];
  private _onCompletedFut: Future<boolean> | null = null;

  constructor() {
    this._onTaskDone._awaiter = () => this._parentTask;
  }

  /**
   * Starts `coro` as a task of this group (at the loop's next iteration). Never blocks. Allowed from
   * the body and from the group's tasks, until the last task is done.
   * @throws RuntimeError if the group was not entered, has finished, or is shutting down after an
   *   error or a cancellation (`coro` is then closed without running).
   * @throws TypeError if `coro` is not a coroutine, or `options` is not an object or has a key other
   *   than `name`.
   */
  createTask<T>(coro: Coroutine<T>, options?: { name?: string }): Task<T> {
    const refusal = !this._entered
      ? "has not been entered"
      : this._exiting && this._live === 0
        ? "is finished"
        : this._aborting
          ? "is shutting down"
          : null;
    if (refusal !== null) {
      if (isCoroutine(coro)) coro.return(undefined as T); // close it, as CPython does
      throw new RuntimeError(`TaskGroup ${this} ${refusal}`);
    }
    const task = this._loop!.createTask(coro, options);
    this._children.push(task);
    this._live++;
    task.addDoneCallback(this._onTaskDone);
    return task;
  }

  /** @throws RuntimeError if entered twice or outside a task. */
  *aenter(): Coroutine<TaskGroup> {
    if (this._entered) throw new RuntimeError(`TaskGroup ${this} has already been entered`);
    this._loop ??= getRunningLoop();
    this._parentTask = currentTask(this._loop);
    if (this._parentTask === null) throw new RuntimeError(`TaskGroup ${this} cannot determine the parent task`);
    this._entered = true;
    return this;
  }

  /**
   * Waits for every child; on an error in the body, cancels the children first. Blocks until all
   * children are done, even if the parent task is cancelled meanwhile (the cancellation is re-raised
   * after).
   * @throws ExceptionGroup of the errors; CancelledError if the parent was cancelled from outside.
   */
  *aexit(exit: Exit): Coroutine<void> {
    this._exiting = true;
    const parent = this._parentTask!;
    let propagateCancel: CancelledError | null = exit.failed && exit.error instanceof CancelledError ? exit.error : null;
    if (exit.failed && !this._aborting) this._abort();
    while (this._live > 0) {
      this._onCompletedFut ??= this._loop!.createFuture<boolean>();
      try {
        yield* this._onCompletedFut;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        if (!this._aborting) {
          propagateCancel = e;
          this._abort();
        }
      }
      this._onCompletedFut = null;
    }
    if (this._parentCancelRequested && parent.uncancel() === 0) propagateCancel = null;
    if (propagateCancel !== null && this._errors.length === 0) throw propagateCancel;
    if (exit.failed && !(exit.error instanceof CancelledError)) this._errors.push(exit.error);
    if (this._errors.length > 0) {
      if (parent.cancelling() > 0) {
        parent.uncancel();
        parent.cancel();
      }
      const errors = this._errors;
      this._errors = [];
      // The body's error is in the group (or was a cancellation the group absorbs): no `cause`, as
      // CPython raises it `from None`.
      throw suppressContext(new ExceptionGroup("unhandled errors in a TaskGroup", errors));
    }
  }

  toString(): string {
    let info = "";
    if (this._live > 0) info += ` tasks=${this._live}`;
    if (this._errors.length > 0) info += ` errors=${this._errors.length}`;
    if (this._aborting) info += " cancelling";
    else if (this._entered) info += " entered";
    return `<TaskGroup${info}>`;
  }

  private _abort(): void {
    this._aborting = true;
    const children = this._children;
    for (let i = 0; i < children.length; i++) {
      const t = children[i]!;
      if (!t.done()) t.cancel();
    }
  }

  /** Drops the children that are done from the list. */
  private _compact(): void {
    this._children = this._children.filter((t) => !t.done());
  }

  private _onTaskDone: TaggedCallback = (done: Future<any>): void => {
    const task = done as Task<unknown>;
    const live = --this._live;
    if (live === 0) this._children = [];
    else if (live * 4 < this._children.length && this._children.length >= COMPACT_AT) this._compact();
    const fut = this._onCompletedFut;
    if (fut !== null && live === 0 && !fut.done()) fut.setResult(true);
    if (task.cancelled()) return;
    const exc = task.exception();
    if (!task._hasFailed()) return; // by state: a task can fail with null (JS can throw it)
    this._errors.push(exc);
    const parent = this._parentTask!;
    if (parent.done()) {
      this._loop!.callExceptionHandler({
        message: `Task ${task} has errored out but its parent task ${parent} is already completed`,
        exception: exc,
        task,
      });
      return;
    }
    if (!this._aborting && !this._parentCancelRequested) {
      this._abort();
      this._parentCancelRequested = true;
      parent.cancel();
    }
  };
}

/**
 * Runs `body(tg)` with a new TaskGroup and returns the body's value once every task of the group
 * is done (it blocks until then). See `TaskGroup` for the error and cancellation rules.
 * @throws ExceptionGroup of the children's (and the body's) errors, without a `cause` (CPython
 *   raises it `from None`).
 * @throws CancelledError if the task is cancelled from outside (after the group's tasks are done)
 *   and no task failed.
 * @throws RuntimeError (when awaited) outside a task.
 * @throws TypeError (when awaited, before the group is entered) if `body` is not a function or is
 *   an `async` function: write it as a generator function, `function* (tg) { ... }`, with `yield*`
 *   instead of `await`. A plain-function body that returns a Promise is a body error: the group
 *   cancels its tasks and raises an ExceptionGroup holding that TypeError.
 * @example
 * const [a, b] = yield* taskGroup(function* (tg) {
 *   return [tg.createTask(fetchPage(1)), tg.createTask(fetchPage(2))] as const;
 * });
 * console.log(a.result(), b.result());   // both tasks are done here
 */
export function* taskGroup<R>(body: WithBody<TaskGroup, R>): Coroutine<R> {
  checkBody(body, "taskGroup");
  return (yield* asyncWith(new TaskGroup(), body)) as R;
}

// Keep the hidden class alive and general (internal/shapes.ts).
anchorShape(new TaskGroup());
inspectAsString(TaskGroup);
