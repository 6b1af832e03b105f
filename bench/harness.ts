/**
 * The benchmark harness: timing, GC between runs, medians, round-robin interleaving of implementations,
 * and the Markdown table.
 *
 * A workload names its metrics and its implementations; each implementation's `run(n)` does the work once
 * and returns raw figures (usually `{ ms }`), checking its own counters and throwing if the work was not
 * done, so nothing is ever measured empty. The harness runs one warm-up per implementation, then `rounds`
 * rounds; in each round every implementation runs once (the order rotates from round to round so no one
 * always goes first), with a full GC before each run. Each figure printed is the median over the rounds.
 */

/** Raw figures returned by one run of one implementation. */
export type Raw = Record<string, number>;

export interface Metric {
  /** Key into the derived figures. */
  key: string;
  /** Row label, e.g. "tasks/s". */
  label: string;
  better: "higher" | "lower";
  /** Turns one run's raw figures into this metric (default: `raw[key]`). */
  from?: (raw: Raw, n: number) => number;
  /** Decimal places when printed (default: chosen by size). */
  digits?: number;
}

export interface Impl {
  /** Row label: "native", "asyncio-ts", "effect 4", ... */
  name: string;
  /** Run at most this many items (for peers too slow to run the full size in the time budget). */
  maxN?: number;
  /** One run of the workload with `n` items; throws if the work was not all done. */
  run(n: number): Promise<Raw>;
  /** Resolves to a reason when the implementation cannot run (e.g. the export does not exist yet). */
  unavailable?: () => Promise<string | undefined>;
}

/** A figure the issue asks for, checked on the medians. */
export interface Target {
  metric: string;
  /** The implementations the target applies to (default: every name starting with "asyncio-ts"). */
  impls?: string[];
  /** Short text for the table, e.g. "≥ 1× native". */
  text: string;
  /** `get(impl, metric)` is that implementation's median (undefined if it did not run). */
  check(get: (impl: string, metric?: string) => number | undefined, impl: string): boolean | undefined;
}

export interface Workload {
  /** Short id used on the command line, e.g. "spawn-join". */
  name: string;
  /** Issue number whose "Performance" section defines it. */
  issue: number;
  /** One-line description, printed above its table. */
  title: string;
  /** Items per run, full and `--quick`. */
  n: number;
  quickN: number;
  metrics: Metric[];
  /** The implementation ratios are computed against (default "native"). */
  baseline?: string;
  impls: Impl[];
  targets?: Target[];
}

export interface Options {
  quick: boolean;
  rounds: number;
  log: (line: string) => void;
}

interface Cell {
  impl: Impl;
  n: number;
  values: Map<string, number[]>;
  skipped?: string;
  error?: string;
}

export interface Result {
  workload: Workload;
  cells: Cell[];
  medians: Map<string, Map<string, number>>;
}

// ---------------------------------------------------------------------------------------------- measuring

const gcFn = (globalThis as { gc?: () => void }).gc;

/** True when `--expose-gc` was given (needed for every heap figure). */
export const gcAvailable = typeof gcFn === "function";

/** A full (mark-compact) collection, when `--expose-gc` was given. */
export function collect(): void {
  gcFn?.();
}

/** `heapUsed` after a full collection; NaN without `--expose-gc`. */
export function heapAfterGc(): number {
  if (!gcFn) return Number.NaN;
  collect();
  return process.memoryUsage().heapUsed;
}

export const now = (): number => performance.now();

/** Rate in items per second from a count and milliseconds. */
export const perSecond = (n: number, ms: number): number => (n * 1000) / ms;

export function median(xs: number[]): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Throws unless `actual === expected`: every implementation checks its counters with this. */
export function expectCount(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`${what}: ${actual}, expected ${expected}`);
}

/** A promise that settles on a later host turn, so memory figures are not taken mid-microtask-storm. */
export const hostTurn = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

// ----------------------------------------------------------------------------------------------- running

/** A run that has not settled after this long is reported as an error (a deadlock or lost wake-up). */
export const RUN_TIMEOUT_MS = 30_000;

/**
 * `p`, or a rejection after `ms`. The timer also keeps Node alive: without it a deadlocked loop leaves
 * nothing pending and the process would exit silently (code 13) in the middle of the suite.
 */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no result after ${ms / 1000} s: deadlock or lost wake-up`)),
      ms,
    );
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

function derive(w: Workload, raw: Raw, n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of w.metrics) out.set(m.key, m.from ? m.from(raw, n) : raw[m.key]);
  return out;
}

function sizeOf(w: Workload, impl: Impl, quick: boolean): number {
  const n = quick ? w.quickN : w.n;
  return impl.maxN !== undefined ? Math.min(n, quick ? Math.max(1, Math.floor(impl.maxN / 10)) : impl.maxN) : n;
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

export async function runWorkload(w: Workload, opt: Options): Promise<Result> {
  const cells: Cell[] = [];
  for (const impl of w.impls) {
    const cell: Cell = { impl, n: sizeOf(w, impl, opt.quick), values: new Map() };
    for (const m of w.metrics) cell.values.set(m.key, []);
    try {
      cell.skipped = await impl.unavailable?.();
    } catch (e) {
      cell.skipped = errorText(e);
    }
    cells.push(cell);
  }
  const live = (): Cell[] => cells.filter((c) => !c.skipped && !c.error);

  // Warm-up: one run per implementation at a tenth of the size, so the JIT has seen the code.
  for (const cell of live()) {
    collect();
    try {
      await withTimeout(cell.impl.run(Math.max(1, Math.floor(cell.n / 10))), RUN_TIMEOUT_MS);
    } catch (e) {
      cell.error = `warm-up: ${errorText(e)}`;
    }
  }
  for (let round = 0; round < opt.rounds; round++) {
    const order = live();
    const k = order.length ? round % order.length : 0;
    const rotated = order.slice(k).concat(order.slice(0, k));
    const line: string[] = [];
    for (const cell of rotated) {
      collect();
      await hostTurn();
      const t0 = now();
      try {
        const raw = await withTimeout(cell.impl.run(cell.n), RUN_TIMEOUT_MS);
        const d = derive(w, raw, cell.n);
        for (const [key, v] of d) cell.values.get(key)!.push(v);
        const first = w.metrics[0];
        line.push(`${cell.impl.name} ${fmt(d.get(first.key)!, first)} (${((now() - t0) / 1000).toFixed(1)}s)`);
      } catch (e) {
        cell.error = errorText(e);
        line.push(`${cell.impl.name} ERROR`);
      }
    }
    opt.log(`  ${w.name} round ${round + 1}/${opt.rounds}: ${line.join(" | ")}`);
  }
  const medians = new Map<string, Map<string, number>>();
  for (const cell of cells) {
    if (cell.skipped || cell.error) continue;
    const mm = new Map<string, number>();
    for (const m of w.metrics) mm.set(m.key, median(cell.values.get(m.key)!));
    medians.set(cell.impl.name, mm);
  }
  return { workload: w, cells, medians };
}

// ---------------------------------------------------------------------------------------------- printing

export function fmt(x: number, m?: Metric): string {
  if (Number.isNaN(x)) return "n/a";
  if (!Number.isFinite(x)) return String(x);
  const digits = m?.digits;
  if (digits !== undefined) return x.toFixed(digits);
  const a = Math.abs(x);
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(0)}k`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(2)}k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function spread(xs: number[], med: number): string {
  const s = xs.filter((x) => !Number.isNaN(x));
  if (s.length < 2 || !med) return "";
  return `±${((50 * (Math.max(...s) - Math.min(...s))) / Math.abs(med)).toFixed(0)}%`;
}

function targetsOf(w: Workload, metric: string, impl: string): Target[] {
  return (w.targets ?? []).filter(
    (t) => t.metric === metric && (t.impls ? t.impls.includes(impl) : impl.startsWith("asyncio-ts")),
  );
}

export interface Verdict {
  workload: string;
  impl: string;
  metric: string;
  value: string;
  text: string;
  pass: boolean | undefined;
}

/** The Markdown table of one workload, and the verdict of each target. */
export function table(r: Result, quick: boolean): { lines: string[]; verdicts: Verdict[] } {
  const w = r.workload;
  const base = w.baseline ?? "native";
  const get = (impl: string, metric = w.metrics[0].key): number | undefined => r.medians.get(impl)?.get(metric);
  const lines: string[] = [];
  const verdicts: Verdict[] = [];
  const nFull = quick ? w.quickN : w.n;
  lines.push(`### ${w.name} (issue ${w.issue}): ${w.title}`);
  lines.push("");
  lines.push(`| implementation | metric | median | spread | ÷ ${base} | target | pass |`);
  lines.push("|---|---|--:|--:|--:|---|:-:|");
  for (const cell of r.cells) {
    const name = cell.impl.name + (cell.n !== nFull && !cell.skipped ? ` (n=${fmt(cell.n)})` : "");
    if (cell.skipped || cell.error) {
      const why = cell.skipped ? `not available: ${cell.skipped}` : `ERROR: ${cell.error}`;
      lines.push(`| ${name} | — | ${why.replace(/\|/g, "\\|")} | | | | |`);
      for (const m of w.metrics)
        for (const t of targetsOf(w, m.key, cell.impl.name))
          verdicts.push({ workload: w.name, impl: cell.impl.name, metric: m.label, value: "—", text: t.text, pass: undefined });
      continue;
    }
    for (const m of w.metrics) {
      const med = get(cell.impl.name, m.key)!;
      const b = get(base, m.key);
      const ratio = b === undefined || Number.isNaN(med) || !b ? "" : `${(med / b).toFixed(2)}×`;
      const ts = targetsOf(w, m.key, cell.impl.name);
      const results = ts.map((t) => t.check(get, cell.impl.name));
      for (let i = 0; i < ts.length; i++)
        verdicts.push({
          workload: w.name,
          impl: cell.impl.name,
          metric: m.label,
          value: fmt(med, m),
          text: ts[i].text,
          pass: results[i],
        });
      const pass = results.length === 0 ? "" : results.map((x) => (x === undefined ? "?" : x ? "✅" : "❌")).join(" ");
      lines.push(
        `| ${name} | ${m.label} | ${fmt(med, m)} | ${spread(cell.values.get(m.key)!, med)} | ${ratio} | ${ts
          .map((t) => t.text)
          .join("; ")} | ${pass} |`,
      );
    }
  }
  lines.push("");
  return { lines, verdicts };
}

// ------------------------------------------------------------------------------------------ target helpers

const known = (x: number | undefined): x is number => x !== undefined && !Number.isNaN(x);

/** `a >= k * b` (undefined when a figure is missing). */
export function atLeastTimes(a: number | undefined, b: number | undefined, k: number): boolean | undefined {
  return known(a) && known(b) ? a >= k * b : undefined;
}

/** `a <= k * b` (undefined when a figure is missing). */
export function atMostTimes(a: number | undefined, b: number | undefined, k: number): boolean | undefined {
  return known(a) && known(b) ? a <= k * b : undefined;
}

/** `a >= limit` / `a <= limit` on one figure. */
export const atLeast = (a: number | undefined, limit: number): boolean | undefined => (known(a) ? a >= limit : undefined);
export const atMost = (a: number | undefined, limit: number): boolean | undefined => (known(a) ? a <= limit : undefined);
