// How the loop lives on the host's event loop: it yields between batches (host callbacks are never
// starved), sleeps in the host without busy-waiting, wakes for host callbacks, and leaves nothing
// behind that keeps a Node process alive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fromPromise, run, sleep, type Coroutine } from "../src/index.js";

const indexUrl = new URL("../src/index.js", import.meta.url).href;

for (const clock of ["real", "virtual"] as const) {
  test(`host callbacks run while tasks keep the loop busy (${clock} clock)`, async () => {
    let hostRan = false;
    setTimeout(() => (hostRan = true), 0);
    let promiseRan = false;
    void Promise.resolve().then(() => (promiseRan = true));
    const spins = await run(function* () {
      let n = 0;
      while (!hostRan) {
        yield* sleep(0); // always ready: only the loop's own yield to the host lets the timer run
        n++;
      }
      return n;
    }, { clock });
    assert.ok(hostRan && promiseRan);
    assert.ok(spins > 0);
  });
}

test("an idle loop wakes for a host callback (real clock, no timer of its own)", async () => {
  const v = await run(function* (): Coroutine<string> {
    return yield* fromPromise(new Promise<string>((r) => setTimeout(() => r("from the host"), 5)));
  });
  assert.equal(v, "from the host");
});

function node(script: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--input-type=module", "-e", script], { timeout: 20_000 }, (err, out) => {
      if (err && (err as { killed?: boolean }).killed) reject(new Error("the process did not exit by itself"));
      else resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out });
    });
  });
}

test("a Node process exits by itself once run() settled (timers, yields and ports released)", async () => {
  const { code, out } = await node(`
    import { run, sleep } from ${JSON.stringify(indexUrl)};
    const v = await run(function* () {
      for (let i = 0; i < 200000; i++) yield* sleep(0); // long enough to yield to the host
      yield* sleep(20);
      return "done";
    });
    console.log(v);
  `);
  assert.equal(code, 0);
  assert.equal(out.trim(), "done");
});

test("a loop that finished runUntilComplete without close() does not keep the process alive", async () => {
  const { code, out } = await node(`
    import { EventLoop, sleep } from ${JSON.stringify(indexUrl)};
    const loop = new EventLoop();
    loop.callLater(60_000, () => {}); // a timer the loop never reaches: it must not hold the process
    console.log(await loop.runUntilComplete(function* () { yield* sleep(5); return "ok"; }()));
  `);
  assert.equal(code, 0);
  assert.equal(out.trim(), "ok");
});
