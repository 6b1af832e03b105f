// The public types as a user who installs the package sees them: the built declarations
// (build/src/*.d.ts, made with stripInternal), not src/. A consumer file that uses every kind of
// awaitable with `yield*` must compile against them: an `@internal` tag on what `yield*` needs
// would strip it from the published types while every test against src/ still passes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const declarations = fileURLToPath(new URL("../src/index.js", import.meta.url));

const consumer = `
import {
  run, sleep, gather, shield, waitFor, timeout, taskGroup, createTask, fromPromise, getRunningLoop,
  ensureFuture, asyncWith, Lock, Semaphore, Event, Condition, Queue, Barrier, type Coroutine,
} from ${JSON.stringify(declarations)};

function* hello(name: string): Coroutine<string> {
  yield* sleep(1);
  return name;
}

function* main(): Coroutine<number> {
  const [a, b]: [string, string] = yield* gather(hello("a"), hello("b"));
  const t = createTask(hello("t"));
  const fromTask: string = yield* t;
  const shielded: string = yield* shield(hello("s"));
  const timed: string = yield* waitFor(hello("w"), 10);
  const inTimeout: string = yield* timeout(10, function* () { return yield* hello("in"); });
  const grouped: string = yield* taskGroup(function* (tg) { tg.createTask(hello("g")); return "g"; });
  const fut = getRunningLoop().createFuture<number>();
  fut.setResult(1);
  const n: number = yield* fut;
  const ensured: string = yield* ensureFuture(hello("e"));
  const adopted: number = yield* fromPromise(Promise.resolve(2));
  const lock = new Lock();
  yield* asyncWith(lock, function* () { yield* sleep(0); });
  {
    using _held = yield* new Semaphore(1).hold();
  }
  const ev = new Event();
  ev.set();
  const waited: true = yield* ev.wait();
  const cond = new Condition();
  yield* cond.acquire();
  cond.release();
  const q = new Queue<number>();
  yield* q.put(3);
  const got: number = yield* q.get();
  const index: number = yield* new Barrier(1).wait();
  return [a, b, fromTask, shielded, timed, inTimeout, grouped, ensured].length + n + adopted + got + index + (waited ? 0 : 1);
}

export const done: Promise<number> = run(main(), { clock: "virtual" });
`;

test("a consumer compiles against the published declarations: every awaitable works with yield*", () => {
  const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-types-"));
  try {
    const file = join(dir, "consumer.ts");
    writeFileSync(file, consumer);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ["lib.es2023.d.ts", "lib.esnext.disposable.d.ts", "lib.dom.d.ts"],
      types: [],
      skipLibCheck: true,
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    assert.deepEqual(errors, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
