/**
 * Prints the hottest functions (self time) of a V8 `.cpuprofile`, e.g. one written by
 * `node --cpu-prof --cpu-prof-dir=prof build/bench/run.js spawn-join --impl asyncio-ts`.
 *
 *   node build/bench/profile-top.js prof/CPU.*.cpuprofile [count]
 */
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  samples?: number[];
  timeDeltas?: number[];
}

const [file, count = "25"] = process.argv.slice(2);
if (!file) {
  console.error("usage: node build/bench/profile-top.js <file.cpuprofile> [count]");
  process.exit(1);
}
const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
let total = 0;
const samples = p.samples ?? [];
for (let i = 0; i < samples.length; i++) {
  const n = byId.get(samples[i]);
  if (!n) continue;
  const dt = p.timeDeltas?.[i] ?? 0;
  total += dt;
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\/build[^/]*\//, "")}:${f.lineNumber + 1}` : "";
  const key = `${f.functionName || "(anonymous)"} ${where}`.trim();
  self.set(key, (self.get(key) ?? 0) + dt);
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(count));
for (const [k, us] of rows) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
