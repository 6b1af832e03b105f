/**
 * What the loop tells its exception handler: the contexts it builds (keys as in CPython) and how
 * the default handler prints one.
 */
import { Handle } from "../events.js";
import { Task } from "../tasks.js";
import { Future, short } from "../futures.js";
import type { EventLoop, ExceptionContext } from "../base-events.js";

/**
 * The default handler's text: the message, the other keys sorted, then the error with its stack. A
 * key holding a context itself (`context`, when an exception handler threw) is printed the same
 * way, indented.
 */
export function formatContext(context: ExceptionContext): string {
  const lines = [context.message || "Unhandled exception in event loop"];
  for (const key of Object.keys(context).sort()) {
    if (key === "message" || key === "exception") continue;
    const v = context[key];
    if (v === undefined) continue;
    if (isContext(v)) lines.push(`${key}: ${formatContext(v).replace(/\n/g, "\n  ")}`);
    else lines.push(`${key}: ${String(v)}`);
  }
  const exc = context.exception;
  if (exc !== undefined) lines.push(exc instanceof Error && exc.stack ? exc.stack : String(exc));
  return lines.join("\n");
}

/**
 * A callback as CPython's `_format_callback_source` names it: `name()`, with the arguments' reprs in
 * debug mode only (`name(1, 'two')`; CPython hides them otherwise, as they may be sensitive).
 */
function callbackName(cb: (...args: any[]) => unknown, args: unknown[] | null, debug: boolean): string {
  const shown = debug && args !== null ? args.map((a) => (a instanceof Future ? a.toString() : short(a))).join(", ") : "";
  return `${cb.name || "anonymous"}(${shown})`;
}

/**
 * The ready-queue item `item` of `loop` (a Handle, a timer, or a done callback called with `arg`,
 * its future) threw `e`. CPython's context: message, exception, handle. A done callback is queued
 * without a Handle (a pair: the function and the future), so one is made here, on the error path only.
 */
export function callbackFailed(e: unknown, item: unknown, arg: unknown, loop: EventLoop): ExceptionContext {
  const handle =
    item instanceof Handle ? item : typeof item === "function" ? new Handle(item as () => unknown, [arg], loop) : null;
  // A Handle holds its callback until cancel(): one cancelled by its own callback has let go of it.
  const name = handle !== null && handle._cb !== null ? callbackName(handle._cb, handle._args, handle._loop._debug) : String(item);
  return { message: `Exception in callback ${name}`, exception: e, ...(handle !== null ? { handle } : {}) };
}

/** Debug mode: a step or callback ran `dt` ms, longer than `slowCallbackDuration`. */
export function slowCallback(item: unknown, dt: number): ExceptionContext {
  const task = item instanceof Task ? item : undefined;
  const source = task?._sourceTraceback();
  const where = source ? ` created at\n${source}` : "";
  const desc = task ? task.toString() : typeof item === "function" ? `callback ${item.name || "anonymous"}()` : String(item);
  return {
    message: `Executing ${desc} took ${(dt / 1000).toFixed(3)} seconds${where}`,
    ...(task ? { task } : {}),
    ...(item instanceof Handle ? { handle: item } : {}),
  };
}

/** The virtual clock is idle with nothing that could wake `waiting` (task reprs). */
export function deadlock(waiting: string[]): ExceptionContext {
  return {
    message:
      "Deadlock on the virtual clock: no task is ready, no timer is pending and no host callback " +
      "(fromPromise, I/O) is outstanding, so nothing the loop knows of can wake " +
      (waiting.length === 0 ? "it" : `these tasks:\n${waiting.map((t) => `  ${t}`).join("\n")}`),
  };
}

function isContext(v: unknown): v is ExceptionContext {
  if (typeof v !== "object" || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
  return typeof (v as { message?: unknown }).message === "string";
}

/** Whether a future noted by `_noteFailure` still has an error nobody retrieved. */
function unretrieved(ref: WeakRef<Future<any>>): boolean {
  const f = ref.deref();
  return f !== undefined && f._extra !== null && f._extra.unretrieved !== null;
}

/** The failures worth keeping: the collected ones and those whose error was retrieved are dropped. */
export function pruneFailures(list: WeakRef<Future<any>>[]): WeakRef<Future<any>>[] {
  return list.filter(unretrieved);
}

/**
 * At close: reports each failed future whose error is still unretrieved, with futures.ts's own
 * record (the same message as when it is collected, and the future itself as `future`), and marks
 * it retrieved, which unregisters it from the FinalizationRegistry: reported once, not again at
 * collection.
 */
export function reportUnretrievedAtClose(loop: EventLoop, list: WeakRef<Future<any>>[]): void {
  for (const ref of list) {
    const f = ref.deref();
    const u = f?._extra?.unretrieved;
    if (f === undefined || u === null || u === undefined || f._loop !== loop) continue;
    f._retrieved();
    u.report(f);
  }
}

/** At close: the tasks still pending (the list starts at `head`, newest first), reported oldest first. */
export function reportPendingAtClose(loop: EventLoop, head: Task<any>): void {
  const pending: Task<any>[] = [];
  for (let t: Task<any> | null = head; t !== null; t = t._nextTask) if (t._state === "pending") pending.push(t);
  for (let i = pending.length - 1; i >= 0; i--) {
    const task = pending[i]!;
    const source = task._sourceTraceback();
    loop.callExceptionHandler({
      message: `Task was destroyed but it is pending! Its loop was closed before it finished: ${task.toString()}`,
      task,
      ...(source === null ? {} : { sourceTraceback: source }),
    });
  }
}
