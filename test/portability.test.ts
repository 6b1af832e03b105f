// The core runs in Node, browsers, Deno and Bun: no `node:` import and no Node-only global in src/
// (the Node-only entry points, streams and workers, live in their own folders).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./helpers.js";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "streams" || e.name === "workers" ? [] : sources(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

test("the core imports no node: module and uses no Node-only global", () => {
  const offenders: string[] = [];
  for (const file of sources(join(repoRoot(), "src"))) {
    const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    for (const pattern of [/from\s+["']node:/, /\bprocess\./, /\bBuffer\b/, /\bsetImmediate\b/, /\brequire\(/]) {
      if (pattern.test(code)) offenders.push(`${file}: ${pattern}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test("the package has no runtime dependency", () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot(), "package.json"), "utf8")) as Record<string, unknown>;
  assert.equal(pkg.dependencies, undefined);
  assert.equal(pkg.sideEffects, false);
});
