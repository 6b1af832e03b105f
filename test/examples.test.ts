/**
 * Every seed example, run on the virtual clock, prints exactly the lines CPython printed for the
 * Python original (examples/expected/*.txt).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "node:util";
import { examples, type Example } from "../examples/all.js";

/** The repository root: the nearest directory above this file that holds package.json. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("package.json not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

const examplesDir = join(repoRoot(), "examples");

function expectedLines(name: string): string[] {
  const text = readFileSync(join(examplesDir, "expected", `${name}.txt`), "utf8");
  return text.replace(/\n$/, "").split("\n");
}

/** Runs `main` on the virtual clock and returns what it printed with console.log, line by line. */
async function printedLines(main: Example): Promise<string[]> {
  const printed: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    printed.push(...format(...args).split("\n"));
  };
  try {
    await main({ clock: "virtual" });
  } finally {
    console.log = original;
  }
  return printed;
}

test("every Python original and every expected output has its TypeScript example", () => {
  const names = examples.map(([name]) => name);
  const stems = (dir: string, ext: string) =>
    readdirSync(join(examplesDir, dir))
      .filter((f) => f.endsWith(ext))
      .map((f) => f.slice(0, -ext.length))
      .sort();
  assert.equal(names.length, 14);
  assert.deepEqual(stems("python", ".py"), names);
  assert.deepEqual(stems("expected", ".txt"), names);
});

for (const [name, main] of examples) {
  test(`${name} prints what CPython prints`, async () => {
    assert.deepEqual(await printedLines(main), expectedLines(name));
  });
}
