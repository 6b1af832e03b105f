// Shared helpers of the core tests (test/*.test.ts). The Python scenarios behind them share theirs
// (and the virtual loop) in test/python/vloop.py.
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "node:util";
import {
  run,
  sleep,
  fromPromise,
  getRunningLoop,
  currentTask,
  allTasks,
  createTask,
  CancelledError,
  type Coroutine,
  type ExceptionContext,
  type Future,
  type Task,
} from "../src/index.js";

/** Runs `main` on a fresh loop with the virtual clock (and a schedule seed, if given). */
export const vrun = <T>(main: () => Coroutine<T>, seed?: number): Promise<T> =>
  run(main, seed === undefined ? { clock: "virtual" } : { clock: "virtual", seed });

/**
 * Runs `main` as `vrun` does, with an exception handler that records every context, those that
 * `close()` reports at the end included; returns them.
 */
export async function vrunReports(main: () => Coroutine<unknown>): Promise<ExceptionContext[]> {
  const reports: ExceptionContext[] = [];
  await vrun(function* () {
    getRunningLoop().setExceptionHandler((_loop, ctx) => reports.push(ctx));
    return yield* main();
  });
  return reports;
}

/** The running loop's time in ms. */
export const now = (): number => getRunningLoop().time();

/** Whether `e` is a CancelledError. */
export const isCancel = (e: unknown): e is CancelledError => e instanceof CancelledError;

/** The `name` of an error (Python's `type(e).__name__`). */
export const errName = (e: unknown): string => (e as Error).name;

/** Python's KeyError, for scenarios that raise it. */
export class KeyError extends Error {
  override name = "KeyError";
}

/** Python's ZeroDivisionError, for scenarios that raise it. */
export class ZeroDivisionError extends Error {
  override name = "ZeroDivisionError";
}

/** A scenario's log: one array per event, as the Python scenarios print them. */
export type Log = unknown[][];

/**
 * Python's `scenario()`: runs `f(log)` as main on the virtual clock, logs `["result", value]` or
 * `["raised", name, message]`, then `["end", time, main's cancelling(), allTasks().size]`; with
 * `{ tasks: false }` the end is only `["end", time]`.
 */
export async function scenario(f: (log: Log) => Coroutine<unknown>, opts: { tasks?: boolean } = {}): Promise<Log> {
  const log: Log = [];
  await vrun(function* () {
    try {
      const r = yield* f(log);
      log.push(["result", r]);
    } catch (e) {
      log.push(["raised", (e as Error).name, (e as Error).message]);
    }
    if (opts.tasks === false) log.push(["end", now()]);
    else log.push(["end", now(), currentTask()!.cancelling(), allTasks().size]);
  });
  return log;
}

/**
 * Sleeps `ms` and returns `value`. With `ev`, logs `[`${name} done`, time]`, or when cancelled
 * `[`${name} cancelled`, message, time]` (`[`${name} cancelled`, time]` if `cancelMessage` is false).
 */
export function* later<T>(ms: number, value: T, ev?: unknown[], name?: string, cancelMessage = true): Coroutine<T> {
  try {
    yield* sleep(ms);
  } catch (e) {
    if (e instanceof CancelledError) {
      ev?.push(cancelMessage ? [`${name} cancelled`, e.message, now()] : [`${name} cancelled`, now()]);
    }
    throw e;
  }
  ev?.push([`${name} done`, now()]);
  return value;
}

/**
 * Sleeps `ms` (not at all if `ms` is 0: then it throws at its first step) and throws `err`; with
 * `ev`, logs `[`${name} raises`, time]` first.
 */
export function* fail(ms: number, err: unknown, ev?: unknown[], name?: string): Coroutine<never> {
  if (ms > 0) yield* sleep(ms);
  ev?.push([`${name} raises`, now()]);
  throw err;
}

/** Sleeps `ms`; if cancelled meanwhile, logs `[label, time]` and rethrows. */
export function* sleepLogCancel(log: unknown[], label: string, ms = 100): Coroutine<void> {
  try {
    yield* sleep(ms);
  } catch (e) {
    if (isCancel(e)) log.push([label, now()]);
    throw e;
  }
}

/**
 * Sleeps `ms`; if cancelled meanwhile, its value or error is that of `cleanup(e)` instead (which
 * may await, rethrow `e`, throw another error or return). Returns undefined if not cancelled.
 */
export function* onCancel<T>(cleanup: (e: CancelledError) => Coroutine<T>, ms = 100): Coroutine<T | undefined> {
  try {
    yield* sleep(ms);
  } catch (e) {
    if (!isCancel(e)) throw e;
    return yield* cleanup(e);
  }
  return undefined;
}

/** Sleeps `ms`, then (also when cancelled) sleeps `cleanupMs` in a `finally` block. */
export function* sleepWithCleanup(ms: number, cleanupMs: number): Coroutine<void> {
  try {
    yield* sleep(ms);
  } finally {
    yield* sleep(cleanupMs);
  }
}

/** Awaits `f`, swallowing its CancelledError; rethrows anything else. */
export function* settle(f: Future<unknown>): Coroutine<void> {
  try {
    yield* f;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
  }
}

/**
 * Awaits `co`; an error of class `cls` goes to `onError` (and `catching` returns undefined), any other
 * error propagates. Python's `try: await co` / `except Cls as e: ...`.
 */
export function* catching<T, E>(
  cls: abstract new (...args: never[]) => E,
  co: Coroutine<T> | Future<T>,
  onError: (e: E) => unknown,
): Coroutine<T | undefined> {
  try {
    return yield* co;
  } catch (e) {
    if (!(e instanceof cls)) throw e;
    onError(e);
    return undefined;
  }
}

/**
 * Runs `co` as a task, cancels it (with `msg`, if given) after `ms` and awaits it: its
 * CancelledError goes to `onCancelled(e, task)`, any other error propagates. Returns the task.
 */
export function* cancelAfter<T>(
  ms: number,
  co: Coroutine<T>,
  onCancelled: (e: CancelledError, t: Task<T>) => unknown,
  msg?: string,
): Coroutine<Task<T>> {
  const t = createTask(co);
  yield* sleep(ms);
  t.cancel(msg);
  yield* catching(CancelledError, t, (e) => onCancelled(e, t));
  return t;
}

/** A promise settled by a host timer after `ms` real milliseconds, with `value`. */
export const realDelay = <T>(ms: number, value?: T): Promise<T | undefined> =>
  new Promise((resolve) => setTimeout(() => resolve(value), ms));

/**
 * Collects garbage and lets the host run for 5 ms (FinalizationRegistry callbacks run some
 * macrotasks after a collection), `rounds` times or until `done()` holds. Needs `node --expose-gc`.
 */
export function* collectGarbage(rounds: number, done: () => boolean = () => false): Coroutine<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert.ok(gc, "run node with --expose-gc");
  for (let i = 0; i < rounds && !done(); i++) {
    gc();
    yield* fromPromise(realDelay(5));
  }
}

/** Runs `f` with console.error/warn/log/info/debug appending their formatted text to `out`; restores them after. */
export async function consoleInto<T>(out: string[], f: () => T | PromiseLike<T>): Promise<T> {
  const methods = ["error", "warn", "log", "info", "debug"] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => void out.push(format(...args));
  try {
    return await f();
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]!));
  }
}

/** Everything written to the console while `f` runs, one line per call. */
export async function captureConsole(f: () => unknown): Promise<string> {
  const out: string[] = [];
  await consoleInto(out, f);
  return out.join("\n");
}

/** The folder of package.json above this file (works from test/ and from the build's test/). */
export function repoRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (statSync(join(dir, "package.json"), { throwIfNoEntry: false })) return dir;
    if (dirname(dir) === dir) throw new Error(`repoRoot: no package.json above ${start} (build the tests inside the repository)`);
  }
}

/** Runs `f`, then waits a macrotask: returns the rejections reported unhandled meanwhile. */
export async function unhandledDuring(f: () => Promise<unknown>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (e: unknown): void => {
    seen.push(e);
  };
  process.on("unhandledRejection", listener);
  try {
    await f();
    await new Promise((resolve) => setTimeout(resolve, 1));
  } finally {
    process.off("unhandledRejection", listener);
  }
  return seen;
}
