/**
 * What the loop tells its exception handler: the contexts it builds (keys as in CPython) and how
 * the default handler prints one.
 */
import { Handle } from "../events.js";
import { Task } from "../tasks.js";
import type { ExceptionContext } from "../base-events.js";

/** The default handler's text: the message, the other keys sorted, then the error with its stack. */
export function formatContext(context: ExceptionContext): string {
  const lines = [context.message || "Unhandled exception in event loop"];
  for (const key of Object.keys(context).sort()) {
    if (key === "message" || key === "exception") continue;
    const v = context[key];
    if (v !== undefined) lines.push(`${key}: ${String(v)}`);
  }
  const exc = context.exception;
  if (exc !== undefined) lines.push(exc instanceof Error && exc.stack ? exc.stack : String(exc));
  return lines.join("\n");
}

/** A ready-queue item as a callback name: a Handle's repr, `f()`, or the item itself. */
function callbackName(item: unknown): string {
  return item instanceof Handle ? item.toString() : typeof item === "function" ? `${item.name || "anonymous"}()` : String(item);
}

/** A callback (or a task step) threw. */
export function callbackFailed(e: unknown, item: unknown): ExceptionContext {
  return {
    message: `Exception in callback ${callbackName(item)}`,
    exception: e,
    ...(item instanceof Handle ? { handle: item } : {}),
  };
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
