// ExceptionGroup: the message with the count, split and subgroup over nested groups (Python's
// except*). Every outcome below is what CPython 3.13 prints for the same groups.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ExceptionGroup, ValueError, RuntimeError, BrokenBarrierError, IncompleteReadError, LimitOverrunError, CancelledError, getRunningLoop, type Future } from "../src/index.js";
import { vrun } from "./helpers.js";

class KeyError extends Error {
  override name = "KeyError";
}

/** A group as Python's repr shows it: `outer[ValueError, inner[KeyError]]`. */
function shape(e: unknown): string {
  if (e instanceof ExceptionGroup) return `${e.baseMessage}[${e.exceptions.map(shape).join(", ")}]`;
  return (e as Error).name;
}

test("the message counts the sub-exceptions: 'm (1 sub-exception)', 'm (2 sub-exceptions)'", () => {
  assert.equal(new ExceptionGroup("one", [new ValueError()]).message, "one (1 sub-exception)");
  assert.equal(new ExceptionGroup("two", [new ValueError(), new KeyError()]).message, "two (2 sub-exceptions)");
});

test("split and subgroup by class keep the nesting and the message, and the leaves are the same objects", () => {
  const v1 = new ValueError("v1");
  const inner = new ExceptionGroup("inner", [new ValueError("v2"), new KeyError("k")]);
  const eg = new ExceptionGroup("outer", [v1, inner, new TypeError("t")]);
  const [m, r] = eg.split(ValueError);
  assert.equal(shape(m), "outer[ValueError, inner[ValueError]]");
  assert.equal(shape(r), "outer[inner[KeyError], TypeError]");
  assert.equal(m!.exceptions[0], v1);
  assert.equal(m!.message, "outer (2 sub-exceptions)");
  assert.equal(shape(eg.subgroup(KeyError)), "outer[inner[KeyError]]");
  assert.equal(eg.subgroup(RangeError), null);
  const [all, none] = eg.split(Error);
  assert.equal(all, eg);
  assert.equal(none, null);
});

test("a group that matches as a whole is returned as is; a predicate sees the nested groups too", () => {
  const inner = new ExceptionGroup("inner", [new ValueError("v2"), new KeyError("k")]);
  const eg = new ExceptionGroup("outer", [new ValueError("v1"), inner, new TypeError("t")]);
  const [m, r] = eg.split(ExceptionGroup);
  assert.equal(m, eg);
  assert.equal(r, null);
  const [m2, r2] = eg.split((e) => e instanceof ExceptionGroup && e.baseMessage === "inner");
  assert.equal(shape(m2), "outer[inner[ValueError, KeyError]]");
  assert.equal(m2!.exceptions[0], inner);
  assert.equal(shape(r2), "outer[ValueError, TypeError]");
});

test("IncompleteReadError's message says 'undefined' for an unknown expected size, as CPython's", () => {
  const e = new IncompleteReadError(new Uint8Array(3), null);
  assert.equal(e.message, "3 bytes read on a total of undefined expected bytes");
  assert.equal(e.expected, null);
  assert.equal(new IncompleteReadError(new Uint8Array(0), 8).message, "0 bytes read on a total of 8 expected bytes");
  assert.equal(e.name, "IncompleteReadError");
});

test("a CancelledError made by the runtime reads its stack as 'CancelledError' or 'CancelledError: msg'", async () => {
  const stacks = await vrun(function* () {
    const out: unknown[] = [];
    for (const msg of [undefined, "bye"]) {
      const f: Future<void> = getRunningLoop().createFuture<void>();
      f.cancel(msg);
      try {
        yield* f;
      } catch (e) {
        out.push(e instanceof CancelledError, (e as Error).stack, String(e));
      }
    }
    return out;
  });
  assert.deepEqual(stacks, [true, "CancelledError", "CancelledError", true, "CancelledError: bye", "CancelledError: bye"]);
});

test("ExceptionGroup's constructor: a message that is not a string and exceptions that are not an array (a Set) are TypeErrors, as in CPython", () => {
  assert.throws(() => new ExceptionGroup(1 as unknown as string, [new ValueError()]), (e: unknown) => e instanceof TypeError && /message must be a string/.test(e.message));
  assert.throws(() => new ExceptionGroup("m", new Set([new ValueError()]) as unknown as unknown[]), (e: unknown) => e instanceof TypeError && /must be an array, got object/.test(e.message));
});

test("LimitOverrunError is named, keeps its message and consumed count, and prints as Python's", () => {
  const e = new LimitOverrunError("Separator is not found, and chunk exceed the limit", 7);
  assert.equal(e.name, "LimitOverrunError");
  assert.equal(e.consumed, 7);
  assert.equal(String(e), "LimitOverrunError: Separator is not found, and chunk exceed the limit");
  assert.ok(e instanceof Error);
});

test("ExceptionGroup keeps a frozen copy of the array given (CPython: a tuple); the count, exceptions and errors agree", () => {
  const list: unknown[] = [new ValueError("a")];
  const g = new ExceptionGroup("m", list);
  list.push(new ValueError("b"), g);
  assert.equal(g.message, "m (1 sub-exception)");
  assert.deepEqual([g.exceptions.length, g.errors.length, Object.isFrozen(g.exceptions)], [1, 1, true]);
  assert.deepEqual(g.split(ValueError), [g, null]);
});

test("split and subgroup carry the group's cause and stack to both parts, at every level (CPython copies __cause__, __context__, __traceback__)", () => {
  const inner = new ExceptionGroup("inner", [new ValueError("x"), new TypeError("y")]);
  Object.defineProperty(inner, "cause", { value: new Error("innercause"), writable: true, configurable: true });
  const g = new ExceptionGroup("m", [new ValueError("a"), new TypeError("b"), inner]);
  Object.defineProperty(g, "cause", { value: new Error("root"), writable: true, configurable: true });
  const [m, r] = g.split(ValueError);
  const sub = g.subgroup(TypeError)!;
  assert.deepEqual([m, r, sub].map((x) => (x!.cause as Error).message), ["root", "root", "root"]);
  assert.equal(m!.stack, g.stack);
  const nested = m!.exceptions[1] as ExceptionGroup;
  assert.equal((nested.cause as Error).message, "innercause");
});

test("split matchers: an Error class, an array of them (Python's tuple), or a predicate; a class that is no Error or a non-function is a TypeError", () => {
  const a = new ValueError("a");
  const b = new TypeError("b");
  const k = new RangeError("k");
  const g = new ExceptionGroup("m", [a, b, k]);
  assert.deepEqual(g.split([ValueError, RangeError])[0]!.exceptions, [a, k]);
  assert.deepEqual(g.split(function isType(e: unknown) { return e instanceof TypeError; })[0]!.exceptions, [b]);
  const message = /^ExceptionGroup: split\/subgroup expect an Error class, an array of Error classes, or a predicate function/;
  assert.throws(() => g.split(Number as never), { name: "TypeError", message });
  class Foo {}
  assert.throws(() => g.split(Foo as never), { name: "TypeError", message });
  assert.throws(() => g.subgroup(5 as never), { name: "TypeError", message });
});

test("BrokenBarrierError is a RuntimeError, as in CPython", () => {
  assert.equal(new BrokenBarrierError() instanceof RuntimeError, true);
});
