/**
 * Who awaits whom (Python 3.14's asyncio.graph): `captureCallGraph`, `formatCallGraph`,
 * `printCallGraph`. JS cannot walk a suspended generator's frames, so a node shows the future or
 * task and what it waits on; the tree goes up through the tasks that await it directly, the
 * `gather` futures that hold it, and the parent task of its TaskGroup.
 */
import { Future } from "./futures.js";
import { Task, currentTask } from "./tasks.js";

/** One node of the await graph: a future and the futures that await it. */
export interface FutureCallGraph {
  readonly future: Future<unknown>;
  /** What this future is waiting on, innermost last (for a task: its `getStack()` below itself). */
  readonly waitingOn: readonly string[];
  readonly awaitedBy: readonly FutureCallGraph[];
}

/** @internal Done callbacks tagged with the future that awaits through them (gather, TaskGroup). */
export type TaggedCallback = ((fut: Future<any>) => void) & { _awaiter?: () => Future<unknown> | null };

function awaitersOf(fut: Future<unknown>): Future<unknown>[] {
  const out: Future<unknown>[] = [];
  const visit = (w: unknown): void => {
    if (w instanceof Task) out.push(w);
    else if (typeof w === "function") {
      const a = (w as TaggedCallback)._awaiter?.();
      if (a) out.push(a);
    }
  };
  const cbs = fut._cbs;
  if (Array.isArray(cbs)) for (const w of cbs) visit(w);
  else if (cbs !== null) visit(cbs);
  return out;
}

/**
 * The graph of what awaits `future` (default: the current task), up to `limit` levels.
 * @throws RuntimeError outside a running loop when no future is given.
 */
export function captureCallGraph(future?: Future<unknown> | null, options: { limit?: number } = {}): FutureCallGraph | null {
  const f = future ?? currentTask();
  if (f === null) return null;
  const limit = options.limit ?? 64;
  const seen = new Set<Future<unknown>>();
  const build = (fut: Future<unknown>, depth: number): FutureCallGraph => {
    seen.add(fut);
    const waitingOn = fut instanceof Task ? fut.getStack().slice(1) : [];
    const awaitedBy = depth >= limit ? [] : awaitersOf(fut).filter((a) => !seen.has(a)).map((a) => build(a, depth + 1));
    return { future: fut, waitingOn, awaitedBy };
  };
  return build(f, 0);
}

/** The graph as text, one future per line, awaiters indented below. */
export function formatCallGraph(future?: Future<unknown> | null, options: { limit?: number } = {}): string {
  const g = captureCallGraph(future, options);
  if (g === null) return "";
  const lines: string[] = [];
  const render = (node: FutureCallGraph, indent: string): void => {
    lines.push(`${indent}* ${node.future.toString()}`);
    for (const w of node.waitingOn) lines.push(`${indent}|   waiting on ${w}`);
    if (node.awaitedBy.length > 0) {
      lines.push(`${indent}+ Awaited by:`);
      for (const a of node.awaitedBy) render(a, indent + "   ");
    }
  };
  render(g, "");
  return lines.join("\n");
}

/** Prints `formatCallGraph(future)` with `console.log`. */
export function printCallGraph(future?: Future<unknown> | null, options: { limit?: number } = {}): void {
  console.log(formatCallGraph(future, options));
}
