/**
 * `npm run bench` — runs the workloads of bench/workloads on asyncio-ts and its peers, interleaved, and
 * prints one Markdown table per workload, then the targets of issues 2 and 3 with pass/fail.
 *
 *   node --expose-gc build/bench/run.js [name-substring ...] [--quick] [--rounds N] [--impl substring] [--list]
 *
 * Progress goes to stderr, the tables to stdout (so `> results.md` keeps just the report).
 */
import os from "node:os";
import { fmt, gcAvailable, runWorkload, table, type Verdict } from "./harness.js";
import { workloads } from "./workloads/index.js";

interface Args {
  filters: string[];
  impls: string[];
  quick: boolean;
  rounds: number;
  list: boolean;
}

function parse(argv: string[]): Args {
  const a: Args = { filters: [], impls: [], quick: false, rounds: 0, list: false };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === "--quick") a.quick = true;
    else if (x === "--list") a.list = true;
    else if (x === "--rounds") a.rounds = Number(argv[++i]);
    else if (x === "--impl") a.impls.push(argv[++i] ?? "");
    else if (x.startsWith("--rounds=")) a.rounds = Number(x.slice(9));
    else if (x === "--help" || x === "-h") {
      console.log("usage: node --expose-gc build/bench/run.js [name-substring ...] [--quick] [--rounds N] [--impl substring] [--list]");
      process.exit(0);
    } else if (x.startsWith("-")) throw new Error(`unknown option ${x}`);
    else a.filters.push(x);
  }
  if (!a.rounds) a.rounds = a.quick ? 3 : 5;
  if (!Number.isInteger(a.rounds) || a.rounds < 1) throw new Error("--rounds takes a positive integer");
  return a;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  // A filter equal to a workload's name selects just that one ("lock" is not "blocked-1m"); otherwise
  // it selects every name containing it.
  const matches = (f: string): ((name: string) => boolean) =>
    workloads.some((w) => w.name === f) ? (name) => name === f : (name) => name.includes(f);
  const tests = args.filters.map(matches);
  const chosen = workloads.filter((w) => tests.length === 0 || tests.some((t) => t(w.name)));
  if (args.list || chosen.length === 0) {
    if (chosen.length === 0) console.error(`no workload matches ${args.filters.join(", ")}`);
    for (const w of workloads) console.log(`${w.name.padEnd(20)} issue ${w.issue}: ${w.title}`);
    process.exitCode = chosen.length === 0 ? 1 : 0;
    return;
  }
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  if (!gcAvailable) log("warning: run with --expose-gc, or the heap figures are n/a and runs are not GC-separated");

  const started = performance.now();
  const out: string[] = [];
  const verdicts: Verdict[] = [];
  out.push(`## asyncio-ts benchmarks${args.quick ? " (--quick: smoke sizes, not comparable)" : ""}`);
  out.push("");
  out.push(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "cpu"}, ${os.platform()}; ` +
      `${args.rounds} interleaved rounds, each figure the median; spread is ±half the range as % of the median; ` +
      `"(n=…)" marks a peer run at a smaller size to fit the time budget. ` +
      `Load average at start ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}.`,
  );
  out.push("");
  for (const w of chosen) {
    log(`${w.name}: ${w.title}`);
    const t0 = performance.now();
    const impls = w.impls.filter((i) => args.impls.length === 0 || args.impls.some((s) => i.name.includes(s)));
    const r = await runWorkload({ ...w, impls }, { quick: args.quick, rounds: args.rounds, log });
    const t = table(r, args.quick);
    log(t.lines.join("\n"));
    log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    out.push(...t.lines);
    verdicts.push(...t.verdicts);
  }
  if (verdicts.length) {
    out.push("### Targets");
    out.push("");
    out.push("| workload | implementation | metric | median | target | result |");
    out.push("|---|---|---|--:|---|:-:|");
    for (const v of verdicts)
      out.push(
        `| ${v.workload} | ${v.impl} | ${v.metric} | ${v.value} | ${v.text} | ${
          v.pass === undefined ? "n/a" : v.pass ? "PASS" : "FAIL"
        } |`,
      );
    out.push("");
  }
  const load = os.loadavg();
  const cpus = os.cpus().length;
  out.push(
    `Total time ${fmt((performance.now() - started) / 1000)} s; load average at end ` +
      `${load.map((x) => x.toFixed(1)).join(" ")}` +
      (load[0] > cpus ? ` (above ${cpus}: other processes shared the CPUs).` : ` (${cpus} CPUs).`),
  );
  console.log(out.join("\n"));
}

await main();
