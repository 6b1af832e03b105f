// Shape anchors (src/internal/shapes.ts) keep hidden classes alive; they must change nothing a program
// can see: every field keeps its value, and the anchors' own task and loop stay out of sight.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { anchorShape } from "../../src/internal/shapes.js";
import { allTasks, createTask, currentTask, run, sleep, Lock, type Coroutine } from "../../src/index.js";

test("anchorShape leaves every field with its value, whatever its type", () => {
  const fn = (): number => 1;
  const o = { a: 0, b: 2.5, c: -7, d: null, e: undefined, f: "pending", g: fn, h: true, i: [1] };
  const before = { ...o };
  assert.equal(anchorShape(o), o);
  assert.deepEqual(o, before);
  assert.equal(o.g, fn);
  assert.equal(o.i, before.i);
});

test("a task over a hand-written coroutine (sleep(0), Lock.acquire) steps like a generator's", async () => {
  const order: string[] = [];
  await run(function* (): Coroutine<void> {
    const lock = new Lock();
    const a = createTask(sleep(0));
    const b = createTask(lock.acquire());
    order.push(`${a.done()} ${b.done()}`);
    yield* sleep(0);
    order.push(`${a.done()} ${b.done()} ${String(b.result())} ${lock.locked()}`);
    yield* sleep(0);
    order.push(`${a.done()}`);
  });
  // As in CPython: sleep(0) takes two steps of its task, acquire one.
  assert.deepEqual(order, ["false false", "false true true true", "true"]);
});

function node(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--input-type=module", "-e", script], { timeout: 20_000 }, (err, out) => {
      if (err) reject(err);
      else resolve(out.trim());
    });
  });
}

test("the anchors' task is not counted: the first task of a process is Task-1, alone in allTasks", async () => {
  const index = new URL("../../src/index.js", import.meta.url).href;
  const out = await node(
    `const A = await import(${JSON.stringify(index)});\n` +
      "const names = await A.run((function* () { return [...A.allTasks()].map((t) => t.getName()); })());\n" +
      "console.log(names.join(','));",
  );
  assert.equal(out, "Task-1");
  // In this process tasks have run already; still, the running loop knows only its own.
  await run(function* (): Coroutine<void> {
    assert.deepEqual([...allTasks()], [currentTask()]);
  });
});
