// How the loop lives on the host's event loop: it yields between batches (host callbacks are never
// starved), sleeps in the host without busy-waiting, wakes for host callbacks, and leaves nothing
// behind that keeps a Node process alive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { EventLoop, createTask, fromPromise, run, sleep, type Coroutine } from "../src/index.js";
import { realDelay } from "./helpers.js";

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

test("a loop that yielded to the host (its message port) and was not closed does not keep the process alive", async () => {
  const { code, out } = await node(`
    import { EventLoop, sleep } from ${JSON.stringify(indexUrl)};
    const loop = new EventLoop();
    console.log(await loop.runUntilComplete(function* () {
      for (let i = 0; i < 200000; i++) yield* sleep(0); // long enough to yield to the host
      return "ok";
    }()));
  `);
  assert.equal(code, 0);
  assert.equal(out.trim(), "ok");
});

test("an iteration longer than a batch is cut for the host and goes on first: CPython's order is kept", async () => {
  const loop = new EventLoop();
  const log: string[] = [];
  let hostRuns = 0;
  const host = new MessageChannel();
  host.port1.onmessage = () => hostRuns++;
  const spin = (ms: number): void => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  };
  // 600 callbacks of 0.05 ms each: about 30 ms, so batches of 5 ms cut this iteration several times.
  for (let i = 0; i < 600; i++) {
    loop.callSoon(() => {
      spin(0.05);
      if (i % 50 === 0) host.port2.postMessage(null);
      log.push(`first ${i} host=${hostRuns > 0}`);
      loop.callSoon(() => log.push(`second ${i}`));
      if (i === 599) loop.callSoon(() => loop.stop());
    });
  }
  await loop.runForever();
  loop.close();
  host.port1.close();
  const firsts = log.filter((l) => l.startsWith("first"));
  assert.deepEqual(firsts.map((l) => l.split(" ")[1]), Array.from({ length: 600 }, (_, i) => String(i)));
  // Every callback scheduled by the iteration ran after the whole iteration, in order.
  assert.deepEqual(log.slice(600), Array.from({ length: 600 }, (_, i) => `second ${i}`));
  // The host ran while the iteration was still going on.
  assert.ok(firsts.some((l) => l.endsWith("host=true")), "the host never ran during the long iteration");
});

for (const seed of [undefined, 3]) {
  test(`an iteration cut for the host is still one iteration: stop() in it and a seed see its end (seed ${seed})`, async () => {
    // CPython's _run_once runs exactly the callbacks ready when it began, then stop() takes effect;
    // a cut for the host (300 callbacks of 0.1 ms, batches of 5 ms) must not change that.
    const loop = new EventLoop({ clock: "virtual", seed });
    const log: string[] = [];
    const spin = (ms: number): void => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    for (let i = 0; i < 300; i++) {
      loop.callSoon(() => {
        spin(0.1);
        log.push("first");
        loop.callSoon(() => log.push("second"));
        if (log.length === 1) loop.stop();
      });
    }
    await loop.runForever();
    assert.deepEqual(log, Array(300).fill("first"));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    assert.deepEqual(log, [...Array(300).fill("first"), ...Array(300).fill("second")]);
    loop.close();
  });
}

test("a timer beyond the host's limit arms the host timer for 2^31-1 ms; one at Infinity arms none (real clock)", async () => {
  // Node fires a setTimeout longer than 2^31-1 ms after 1 ms, with a TimeoutOverflowWarning: a long
  // sleep would wake the loop about a thousand times a second.
  const armed: number[] = [];
  const hostSetTimeout = globalThis.setTimeout;
  const spy = (f: () => void, ms?: number): ReturnType<typeof setTimeout> => {
    armed.push(ms ?? 0);
    return hostSetTimeout(f, ms);
  };
  let warnings = 0;
  const onWarning = (w: Error): void => {
    if (w.name === "TimeoutOverflowWarning") warnings++;
  };
  process.on("warning", onWarning);
  const log: unknown[] = [];
  try {
    await run(function* () {
      const long = createTask(sleep(3e9));
      const forever = createTask(sleep(Infinity));
      yield* sleep(0); // both timers are armed
      globalThis.setTimeout = spy as typeof setTimeout;
      yield* fromPromise(realDelay(30, null)); // idle: the host timer is armed for the long sleep
      log.push(["long sleep", armed.filter((ms) => ms !== 30)]);
      armed.length = 0;
      long.cancel();
      yield* fromPromise(realDelay(30, null)); // idle with only the timer at Infinity
      log.push(["sleep(Infinity)", armed.filter((ms) => ms !== 30)]);
      globalThis.setTimeout = hostSetTimeout;
      log.push(["done", long.cancelled(), forever.done()]);
      forever.cancel();
    });
  } finally {
    globalThis.setTimeout = hostSetTimeout;
    process.off("warning", onWarning);
  }
  await realDelay(5); // a warning is emitted on the next tick
  assert.deepEqual(log, [
    ["long sleep", [2 ** 31 - 1]],
    ["sleep(Infinity)", []],
    ["done", true, false],
  ]);
  assert.equal(warnings, 0);
});

test("virtual clock: once the host promise it waits for settles, the clock jumps, even when that wakes no task", async () => {
  // The fromPromise future was completed by hand, so the promise's settling pushes nothing: only the
  // release of the host count may wake the loop, which must then jump to the timer 10^7 ms away
  // instead of waiting for it in real time.
  const loop = new EventLoop({ clock: "virtual" });
  const done = loop.runUntilComplete(
    (function* (): Coroutine<[string | undefined, number]> {
      const f = fromPromise<string | undefined>(realDelay(5, "late"));
      f.setResult("by hand");
      const v = yield* f;
      yield* sleep(1e7);
      return [v, loop.time()];
    })(),
  );
  const r = await Promise.race([done, realDelay(3000, "still waiting in real time")]);
  if (!Array.isArray(r)) {
    loop.stop();
    await done.catch(() => {});
  }
  assert.deepEqual(r, ["by hand", 1e7]);
  loop.close();
});

for (const clock of ["real", "virtual"] as const) {
  test(`an idle loop wakes for a timer scheduled from outside it (${clock} clock)`, async () => {
    // The loop waits for an outside future with no timer of its own; host code schedules a timer.
    const loop = new EventLoop({ clock });
    const reports: string[] = [];
    loop.setExceptionHandler((_l, ctx) => reports.push(ctx.message));
    const fut = loop.createFuture<string>();
    const done = loop.runUntilComplete(fut);
    await realDelay(5); // the loop is idle in the host by now
    loop.callLater(0, () => fut.setResult("from the timer"));
    const r = await Promise.race([done, realDelay(3000, "never woken")]);
    if (r !== "from the timer") {
      loop.stop();
      await done.catch(() => {});
    }
    assert.equal(r, "from the timer");
    // (the virtual clock may have reported the wait as a deadlock before the outside code ran)
    assert.ok(reports.every((m) => m.startsWith("Deadlock on the virtual clock")), reports.join("\n"));
    loop.close();
  });
}
