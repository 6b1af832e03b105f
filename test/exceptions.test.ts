// ExceptionGroup: the message with the count, split and subgroup over nested groups (Python's
// except*). Every outcome below is what CPython 3.13 prints for the same groups.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ExceptionGroup, ValueError } from "../src/index.js";

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
