// What the loop reports when a callback throws (src/internal/reports.ts, callbackFailed): CPython
// 3.13's context has the keys message, exception and handle, and the message is
// "Exception in callback NAME()" for a done callback, a callSoon Handle and a TimerHandle alike,
// with the arguments' reprs only in debug mode: "NAME(<Future finis...>)", "NAME(1, 'two', [3])".
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventLoop, Handle, TimerHandle, ValueError, type ExceptionContext } from "../../src/index.js";

/** Runs a loop (virtual clock) in which a done callback, a callSoon and a callLater callback each throw. */
async function failingCallbacks(debug: boolean): Promise<{ reports: ExceptionContext[]; fut: unknown; handles: unknown[] }> {
  const loop = new EventLoop({ clock: "virtual", debug });
  const reports: ExceptionContext[] = [];
  loop.setExceptionHandler((_l, ctx) => reports.push(ctx));
  function badcb(..._args: unknown[]): void {
    throw new ValueError("cb failed");
  }
  const fut = loop.createFuture<number>();
  fut.addDoneCallback(badcb);
  fut.setResult(1);
  const soon = loop.callSoon(badcb, 1, "two", [3]);
  const later = loop.callLater(1, badcb);
  loop.callLater(2, () => loop.stop());
  await loop.runForever();
  loop.close();
  return { reports, fut, handles: [soon, later] };
}

test("a done callback, a Handle and a TimerHandle that throw: CPython's keys and 'Exception in callback badcb()'", async () => {
  const { reports, fut, handles } = await failingCallbacks(false);
  assert.deepEqual(
    reports.map((c) => [Object.keys(c), c.message, (c.exception as Error).message]),
    [
      [["message", "exception", "handle"], "Exception in callback badcb()", "cb failed"],
      [["message", "exception", "handle"], "Exception in callback badcb()", "cb failed"],
      [["message", "exception", "handle"], "Exception in callback badcb()", "cb failed"],
    ],
  );
  // The done callback's Handle is made for the report: the callback with the future as argument.
  const made = reports[0]!.handle!;
  assert.ok(made instanceof Handle && !(made instanceof TimerHandle));
  assert.deepEqual([made._cb!.name, made._args], ["badcb", [fut]]);
  assert.equal(String(made), "<Handle badcb()>");
  assert.deepEqual([reports[1]!.handle, reports[2]!.handle], handles);
});

test("in debug mode the message shows the arguments (CPython: reprlib's reprs)", async () => {
  const { reports } = await failingCallbacks(true);
  assert.deepEqual(
    reports.filter((c) => c.message.startsWith("Exception in callback")).map((c) => c.message),
    ["Exception in callback badcb(<Future finished result=1>)", "Exception in callback badcb(1, 'two', [1 items])", "Exception in callback badcb()"],
  );
});
