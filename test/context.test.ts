/**
 * asyncWith: Python's `async with`, checked against CPython 3.13 (test/python/context.py).
 * `__aexit__(et, exc, tb)` is `aexit({ failed: false })` / `aexit({ failed: true, error })`.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  sleep,
  asyncWith,
  isCoroutine,
  createTask,
  currentTask,
  CancelledError,
  ValueError,
  Lock,
  type AsyncContextManager,
  type Coroutine,
  type Exit,
} from "../src/index.js";
import { now, vrun, errName, scenario as runScenario, cancelAfter, KeyError, unhandledDuring, type Log } from "./helpers.js";

class CM implements AsyncContextManager<string> {
  exits: Exit[] = [];
  constructor(
    private log: Log,
    private opts: { suppress?: boolean | undefined; enterError?: Error; exitError?: Error } = {},
  ) {}

  *aenter(): Coroutine<string> {
    this.log.push(["aenter", now()]);
    yield* sleep(1);
    if (this.opts.enterError) throw this.opts.enterError;
    return "resource";
  }

  *aexit(exit: Exit): Coroutine<boolean | void> {
    this.exits.push(exit);
    this.log.push(["aexit", now(), exit.failed ? (exit.error as Error).name : null]);
    yield* sleep(1);
    if (this.opts.exitError) throw this.opts.exitError;
    return this.opts.suppress;
  }
}

/** Python's `scenario()` of context.py: its end line is `["end", time]`. */
const scenario = (f: (log: Log) => Coroutine<unknown>): Promise<Log> => runScenario(f, { tasks: false });

describe("asyncWith", () => {
  test("aenter's value goes to the body; aexit gets { failed: false }; the body's value is returned", async () => {
    let cm!: CM;
    const log = await scenario(function* (log) {
      cm = new CM(log);
      return yield* asyncWith(cm, function* (v) {
        log.push(["body", v, now()]);
        return "body-value";
      });
    });
    assert.deepEqual(log, [
      ["aenter", 0],
      ["body", "resource", 1],
      ["aexit", 1, null],
      ["result", "body-value"],
      ["end", 2],
    ]);
    assert.deepEqual(cm.exits, [{ failed: false }]);
  });

  test("a body error goes to aexit as { failed: true, error } and propagates", async () => {
    let cm!: CM;
    const err = new ValueError("body");
    const log = await scenario(function* (log) {
      cm = new CM(log);
      yield* asyncWith(cm, function* () {
        log.push(["body", now()]);
        throw err;
      });
    });
    assert.deepEqual(log, [
      ["aenter", 0],
      ["body", 1],
      ["aexit", 1, "ValueError"],
      ["raised", "ValueError", "body"],
      ["end", 2],
    ]);
    assert.deepEqual(cm.exits, [{ failed: true, error: err }]);
    assert.equal((cm.exits[0] as { error: unknown }).error, err);
  });

  test("aexit returning true suppresses the error: asyncWith returns undefined", async () => {
    const log = await scenario(function* (log) {
      const r = yield* asyncWith(new CM(log, { suppress: true }), function* (): Coroutine<string> {
        throw new ValueError("body");
      });
      log.push(["after-suppressed", now()]);
      return r;
    });
    assert.deepEqual(log, [
      ["aenter", 0],
      ["aexit", 1, "ValueError"],
      ["after-suppressed", 2],
      ["result", undefined],
      ["end", 2],
    ]);
  });

  // Each case: asyncWith(new CM(log, opts), body) as the whole scenario.
  const cases: { name: string; opts: ConstructorParameters<typeof CM>[1][]; body: (log: Log) => Coroutine<void>; expected: Log }[] = [
    {
      name: "aexit returning undefined or false does not suppress",
      opts: [{ suppress: undefined }, { suppress: false }],
      body: function* () {
        throw new ValueError("not suppressed");
      },
      expected: [
        ["aenter", 0],
        ["aexit", 1, "ValueError"],
        ["raised", "ValueError", "not suppressed"],
        ["end", 2],
      ],
    },
    {
      name: "an error in aexit replaces the body's",
      opts: [{ exitError: new KeyError("exit") }],
      body: function* () {
        throw new ValueError("body");
      },
      expected: [
        ["aenter", 0],
        ["aexit", 1, "ValueError"],
        ["raised", "KeyError", "exit"],
        ["end", 2],
      ],
    },
    {
      name: "an error in aenter: neither the body nor aexit runs",
      opts: [{ enterError: new TypeError("enter") }],
      body: function* (log) {
        log.push(["body not run"]);
      },
      expected: [
        ["aenter", 0],
        ["raised", "TypeError", "enter"],
        ["end", 1],
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      for (const opts of c.opts) {
        const log = await scenario(function* (log) {
          yield* asyncWith(new CM(log, opts), () => c.body(log));
        });
        assert.deepEqual(log, c.expected);
      }
    });
  }

  test("cancelled in the body: aexit gets the CancelledError and may await; the task ends cancelled", async () => {
    const log = await scenario(function* (log) {
      const cm = new CM(log);
      const body = asyncWith(cm, function* () {
        log.push(["body", now()]);
        yield* sleep(100);
      });
      yield* cancelAfter(5, body, (_e, t) => log.push(["task-cancelled", now(), t.cancelled()]));
      assert.ok(cm.exits[0]!.failed && cm.exits[0]!.error instanceof CancelledError);
    });
    assert.deepEqual(log, [
      ["aenter", 0],
      ["body", 1],
      ["aexit", 5, "CancelledError"],
      ["task-cancelled", 6, true],
      ["result", undefined],
      ["end", 6],
    ]);
  });

  test("aexit suppressing a cancellation: the task goes on, still counting the request (cancelling() == 1)", async () => {
    const log = await scenario(function* (log) {
      const t = createTask(
        (function* () {
          yield* asyncWith(new CM(log, { suppress: true }), function* () {
            yield* sleep(100);
          });
          log.push(["after", now(), currentTask()!.cancelling()]);
          return "survived";
        })(),
      );
      yield* sleep(5);
      t.cancel();
      log.push(["task", yield* t, t.cancelled()]);
    });
    assert.deepEqual(log, [
      ["aenter", 0],
      ["aexit", 5, "CancelledError"],
      ["after", 6, 1],
      ["task", "survived", false],
      ["result", undefined],
      ["end", 6],
    ]);
  });

  test("a plain (non-generator) body works too", async () => {
    const log = await scenario(function* (log) {
      return yield* asyncWith(new CM(log), (v) => `plain ${v}`);
    });
    assert.deepEqual(log, [
      ["aenter", 0],
      ["aexit", 1, null],
      ["result", "plain resource"],
      ["end", 2],
    ]);
  });
});

/*
 * asyncWith is a coroutine written by hand (a state machine). These tests drive it by hand, with
 * next/throw/return in every state, next to the generator function it replaces (`reference`), and
 * check that both take the same steps: same results, same errors, same events in the context
 * manager and the body.
 */

/** The generator function asyncWith replaces (what it was before it was written by hand). */
function* reference<T, R>(cm: AsyncContextManager<T>, body: (value: T) => Coroutine<R> | R): Coroutine<R | undefined> {
  if (cm === null || typeof cm !== "object" || typeof cm.aenter !== "function" || typeof cm.aexit !== "function") {
    throw new TypeError("asyncWith: the first argument must be an async context manager (with aenter() and aexit())");
  }
  if (typeof body !== "function") throw new TypeError("asyncWith: the body must be a (generator) function");
  const tag = (body as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
  if (tag === "AsyncFunction" || tag === "AsyncGeneratorFunction") throw new TypeError("asyncWith: the body must be a generator function");
  const value = yield* cm.aenter();
  let result: R;
  let misuse = false;
  try {
    const r = body(value);
    if (isCoroutine(r)) {
      result = yield* (r as Coroutine<R>);
    } else if (typeof r === "object" && r !== null && typeof (r as { then?: unknown }).then === "function") {
      misuse = true;
      throw new TypeError("asyncWith: the body must return a coroutine or a plain value");
    } else {
      result = r as R;
    }
  } catch (error) {
    let suppress: boolean | void;
    try {
      suppress = yield* cm.aexit({ failed: true, error });
    } catch (exitError) {
      // Python's __context__: the body's error becomes the cause of aexit's, unless it has one,
      // is the same error, or that would make a cycle.
      if (exitError !== error && exitError instanceof Object && !Object.hasOwn(exitError, "cause") && !inCauseChain(error, exitError)) {
        (exitError as { cause?: unknown }).cause = error;
      }
      throw exitError;
    }
    if (suppress === true && !misuse) return undefined;
    throw error;
  }
  yield* cm.aexit({ failed: false });
  return result;
}

/** Whether `x` is `e` or in its chain of causes. */
function inCauseChain(e: unknown, x: unknown): boolean {
  for (; e instanceof Object; e = (e as { cause?: unknown }).cause) if (e === x) return true;
  return false;
}

/**
 * One part (aenter, the body, or aexit), as a coroutine that yields plain strings (driven by hand,
 * not by a task): `yields` steps, then it returns `ret` or throws `throwAtEnd`. An error thrown in
 * is logged and rethrown, or swallowed (`swallow`: the part goes on); `finallyYield` makes its
 * `finally` suspend once (so `return()` gets a result that is not done). `kind` is how it is made:
 * a generator, a hand-written coroutine (own `next`, inherits from %GeneratorPrototype%), or a bare
 * iterator (`next` only, or `next` and `return`: not a coroutine; only aenter and aexit use those).
 */
type Part = {
  yields: number;
  swallow: boolean;
  finallyYield: boolean;
  throwAtEnd: string | null;
  ret: unknown;
  kind: "generator" | "hand-written" | "next-only" | "next-return";
};

const GeneratorProto: object = Object.getPrototypeOf(Object.getPrototypeOf((function* () {})()));
const msg = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

function* partGen(log: Log, name: string, p: Part, arg: unknown): Generator<unknown, unknown, unknown> {
  log.push([name, "start", arg]);
  try {
    for (let i = 0; i < p.yields; i++) {
      try {
        log.push([name, "got", yield `${name}-${i}`]);
      } catch (e) {
        log.push([name, "caught", msg(e)]);
        if (!p.swallow) throw e;
      }
    }
    if (p.throwAtEnd !== null) throw new ValueError(p.throwAtEnd);
    return p.ret;
  } finally {
    log.push([name, "finally"]);
    if (p.finallyYield) log.push([name, "finally got", yield `${name}-finally`]);
  }
}

/** A coroutine written by hand, as Operation or Sleep are: a class whose prototype inherits from %GeneratorPrototype%. */
class HandWritten {
  constructor(private g: Generator<unknown, unknown, unknown>) {}
  next(v: unknown): IteratorResult<unknown> {
    return this.g.next(v);
  }
  throw(e: unknown): IteratorResult<unknown> {
    return this.g.throw(e);
  }
  return(v: unknown): IteratorResult<unknown> {
    return this.g.return(v);
  }
}
Object.setPrototypeOf(HandWritten.prototype, GeneratorProto);

function makePart(log: Log, name: string, p: Part, arg: unknown): unknown {
  const g = partGen(log, name, p, arg);
  switch (p.kind) {
    case "generator":
      return g;
    case "hand-written":
      return new HandWritten(g);
    case "next-only":
      return { [Symbol.iterator]: () => ({ next: (v: unknown) => g.next(v) }) };
    case "next-return":
      return { [Symbol.iterator]: () => ({ next: (v: unknown) => g.next(v), return: (v: unknown) => g.return(v) }) };
  }
}

/** The body: a generator function, or a plain function that returns `ret` or throws. */
type Body = { kind: "coroutine"; part: Part } | { kind: "plain"; ret: unknown; throws: string | null };

class ScriptedCM implements AsyncContextManager<unknown> {
  constructor(
    private log: Log,
    private enter: Part,
    private exit: Part,
  ) {}
  aenter(): Coroutine<unknown> {
    return makePart(this.log, "aenter", this.enter, undefined) as Coroutine<unknown>;
  }
  aexit(exit: Exit): Coroutine<boolean | void> {
    return makePart(this.log, "aexit", this.exit, exit.failed ? msg(exit.error) : "ok") as Coroutine<boolean | void>;
  }
}

type Op = ["next" | "throw" | "return", string];

/** Drives `make(cm, body)` with `ops`, logging every event, result and error. */
function drive(make: typeof reference, enter: Part, exit: Part, body: Body, ops: Op[]): Log {
  const log: Log = [];
  const cm = new ScriptedCM(log, enter, exit);
  const fn =
    body.kind === "coroutine"
      ? (v: unknown) => makePart(log, "body", body.part, v) as Coroutine<unknown>
      : (v: unknown) => {
          log.push(["plain body", v]);
          if (body.throws !== null) throw new ValueError(body.throws);
          return body.ret;
        };
  const co = make(cm, fn);
  log.push(["created"]);
  for (const [op, arg] of ops) {
    try {
      const r = op === "throw" ? co.throw(new KeyError(arg)) : op === "return" ? co.return(arg) : co.next(arg);
      log.push([op, arg, "->", r.done, r.value]);
    } catch (e) {
      const cause = e instanceof Object ? (e as { cause?: unknown }).cause : undefined;
      log.push(cause === undefined ? [op, arg, "threw", msg(e)] : [op, arg, "threw", msg(e), "cause", msg(cause)]);
    }
  }
  return log;
}

/**
 * The outcome of each step in a log: `[op, arg, "->", done, value]` or `[op, arg, "threw", error]`
 * (then `"cause", its cause` if it has one).
 */
const outcomes = (log: Log): Log => log.filter((e) => e[2] === "->" || e[2] === "threw");

/** Drives both, checks they match, returns the log. */
function both(enter: Part, exit: Part, body: Body, ops: Op[]): Log {
  const expected = drive(reference, enter, exit, body, ops);
  const actual = drive(asyncWith, enter, exit, body, ops);
  assert.deepEqual(actual, expected);
  return actual;
}

const part = (o: Partial<Part> = {}): Part => ({
  yields: 1,
  swallow: false,
  finallyYield: false,
  throwAtEnd: null,
  ret: undefined,
  kind: "generator",
  ...o,
});
const gen = (o: Partial<Part> = {}): Body => ({ kind: "coroutine", part: part(o) });
const next = (v = "n"): Op => ["next", v];
const thr = (v = "thrown"): Op => ["throw", v];
const ret = (v = "r"): Op => ["return", v];

describe("asyncWith, driven by hand: the same steps as the generator function it replaces", () => {
  test("it is a lazy coroutine: nothing runs until the first next(), not even the checks of its arguments", () => {
    const log: Log = [];
    const co = asyncWith(new ScriptedCM(log, part(), part()), () => 1);
    assert.ok(isCoroutine(co));
    assert.equal(co[Symbol.iterator](), co);
    assert.deepEqual(log, []);
    const bad = asyncWith(null as unknown as AsyncContextManager, () => 1);
    assert.throws(() => bad.next(), {
      name: "TypeError",
      message: "asyncWith: the first argument must be an async context manager (with aenter() and aexit())",
    });
    assert.deepEqual(bad.next(), { done: true, value: undefined }); // finished, as a generator that threw
    const noBody = asyncWith(new ScriptedCM(log, part(), part()), 5 as never);
    assert.throws(() => noBody.next(), { name: "TypeError", message: "asyncWith: the body must be a (generator) function" });
    assert.deepEqual(log, []);
    // Closed or thrown into before it starts: it ends at once.
    assert.deepEqual(asyncWith(new ScriptedCM(log, part(), part()), () => 1).return(7 as never), { done: true, value: 7 });
    assert.throws(() => asyncWith(new ScriptedCM(log, part(), part()), () => 1).throw(new KeyError("k")), KeyError);
    assert.deepEqual(log, []);
  });

  test("the normal path: values sent in reach each part; the body's value is returned", () => {
    const log = both(part({ ret: "V" }), part(), gen({ ret: "R", yields: 2 }), [next("a"), next("b"), next("c"), next("d"), next("e"), next("f")]);
    assert.deepEqual(log, [
      ["created"],
      ["aenter", "start", undefined],
      ["next", "a", "->", false, "aenter-0"],
      ["aenter", "got", "b"],
      ["aenter", "finally"],
      ["body", "start", "V"],
      ["next", "b", "->", false, "body-0"],
      ["body", "got", "c"],
      ["next", "c", "->", false, "body-1"],
      ["body", "got", "d"],
      ["body", "finally"],
      ["aexit", "start", "ok"],
      ["next", "d", "->", false, "aexit-0"],
      ["aexit", "got", "e"],
      ["aexit", "finally"],
      ["next", "e", "->", true, "R"],
      ["next", "f", "->", true, undefined],
    ]);
  });

  test("a plain (non-generator) body: its value is taken as is; its error goes to aexit", () => {
    const ok = both(part({ ret: "V" }), part(), { kind: "plain", ret: "R", throws: null }, [next(), next(), next()]);
    assert.deepEqual(ok.slice(4), [
      ["aenter", "finally"],
      ["plain body", "V"],
      ["aexit", "start", "ok"],
      ["next", "n", "->", false, "aexit-0"],
      ["aexit", "got", "n"],
      ["aexit", "finally"],
      ["next", "n", "->", true, "R"],
    ]);
    const failed = both(part(), part(), { kind: "plain", ret: "R", throws: "plain" }, [next(), next(), next()]);
    assert.deepEqual(failed.slice(5), [
      ["plain body", undefined],
      ["aexit", "start", "ValueError: plain"],
      ["next", "n", "->", false, "aexit-0"],
      ["aexit", "got", "n"],
      ["aexit", "finally"],
      ["next", "n", "threw", "ValueError: plain"],
    ]);
  });

  test("the body is called as a plain function (no this)", () => {
    let self: unknown = "unset";
    const co = asyncWith(new ScriptedCM([], part({ yields: 0 }), part({ yields: 0 })), function (this: unknown) {
      self = this;
      return 1;
    });
    assert.deepEqual(co.next(), { done: true, value: 1 });
    assert.equal(self, undefined);
  });

  test("suppression: aexit returning true makes it return undefined; anything else rethrows", () => {
    for (const r of [true, false, undefined, 1, "true"]) {
      const log = both(part(), part({ ret: r }), gen({ throwAtEnd: "body" }), [next(), next(), next(), next()]);
      assert.deepEqual(outcomes(log).at(-1), r === true ? ["next", "n", "->", true, undefined] : ["next", "n", "threw", "ValueError: body"]);
    }
    // An error thrown in while in the body (a cancellation) is suppressed the same way.
    const log = both(part(), part({ ret: true }), gen(), [next(), next(), thr("cancel"), next()]);
    assert.deepEqual(log.slice(-7), [
      ["body", "caught", "KeyError: cancel"],
      ["body", "finally"],
      ["aexit", "start", "KeyError: cancel"],
      ["throw", "cancel", "->", false, "aexit-0"],
      ["aexit", "got", "n"],
      ["aexit", "finally"],
      ["next", "n", "->", true, undefined],
    ]);
  });

  test("an error in aexit replaces the body's, which becomes its cause", () => {
    const log = both(part(), part({ throwAtEnd: "exit" }), gen({ throwAtEnd: "body" }), [next(), next(), next(), next()]);
    assert.deepEqual(outcomes(log), [
      ["next", "n", "->", false, "aenter-0"],
      ["next", "n", "->", false, "body-0"],
      ["next", "n", "->", false, "aexit-0"],
      ["next", "n", "threw", "ValueError: exit", "cause", "ValueError: body"],
    ]);
    // aexit throwing at its first step (before it suspends).
    const atOnce = both(part(), part({ yields: 0, throwAtEnd: "exit" }), gen({ throwAtEnd: "body" }), [next(), next(), next()]);
    assert.deepEqual(outcomes(atOnce).at(-1), ["next", "n", "threw", "ValueError: exit", "cause", "ValueError: body"]);
    // After a body that ended normally, aexit's error has no cause.
    const ok = both(part(), part({ throwAtEnd: "exit" }), gen(), [next(), next(), next(), next()]);
    assert.deepEqual(outcomes(ok).at(-1), ["next", "n", "threw", "ValueError: exit"]);
  });

  test("throw() while entering goes to aenter; if it propagates, neither the body nor aexit runs", () => {
    const log = both(part({ yields: 2 }), part(), gen(), [next(), thr(), next()]);
    assert.deepEqual(log, [
      ["created"],
      ["aenter", "start", undefined],
      ["next", "n", "->", false, "aenter-0"],
      ["aenter", "caught", "KeyError: thrown"],
      ["aenter", "finally"],
      ["throw", "thrown", "threw", "KeyError: thrown"],
      ["next", "n", "->", true, undefined],
    ]);
    // aenter swallows it and returns: the body runs, as after a yield* that returned.
    const log2 = both(part({ swallow: true, ret: "V" }), part(), gen(), [next(), thr(), next(), next()]);
    assert.ok(log2.some((e) => e[0] === "body" && e[1] === "start" && e[2] === "V"));
  });

  test("throw() while exiting goes to aexit; if it propagates, it replaces the body's outcome (a body error is its cause)", () => {
    for (const [body, threw] of [
      [gen({ ret: "R" }), ["throw", "late", "threw", "KeyError: late"]],
      [gen({ throwAtEnd: "body" }), ["throw", "late", "threw", "KeyError: late", "cause", "ValueError: body"]],
    ] as const) {
      const log = both(part(), part({ yields: 2 }), body, [next(), next(), next(), thr("late"), next()]);
      assert.deepEqual(log.slice(-3), [["aexit", "finally"], threw, ["next", "n", "->", true, undefined]]);
    }
    // aexit swallows it: the outcome is the body's (its value, or its error unless suppressed).
    both(part(), part({ yields: 2, swallow: true }), gen({ ret: "R" }), [next(), next(), next(), thr("late"), next(), next()]);
    both(part(), part({ yields: 2, swallow: true }), gen({ throwAtEnd: "b" }), [next(), next(), next(), thr("late"), next(), next()]);
    both(part(), part({ yields: 2, swallow: true, ret: true }), gen({ throwAtEnd: "b" }), [next(), next(), next(), thr(), next(), next()]);
  });

  test("return() in the body closes the body (its finally runs) and returns, without running aexit", () => {
    const log = both(part(), part(), gen({ yields: 2 }), [next(), next(), ret("closed"), next()]);
    assert.deepEqual(log.slice(-4), [
      ["next", "n", "->", false, "body-0"],
      ["body", "finally"],
      ["return", "closed", "->", true, "closed"],
      ["next", "n", "->", true, undefined],
    ]);
    assert.ok(!log.some((e) => e[0] === "aexit"));
    // A finally that suspends: return() hands up the body's step; resumed, the body ends and aexit
    // runs as after a body that returned normally (what yield* does).
    const log2 = both(part(), part(), gen({ finallyYield: true, ret: "R" }), [next(), next(), ret("closed"), next("x"), next()]);
    assert.deepEqual(log2.slice(-8), [
      ["body", "finally"],
      ["return", "closed", "->", false, "body-finally"],
      ["body", "finally got", "x"],
      ["aexit", "start", "ok"],
      ["next", "x", "->", false, "aexit-0"],
      ["aexit", "got", "n"],
      ["aexit", "finally"],
      ["next", "n", "->", true, "closed"],
    ]);
  });

  test("return() while entering or exiting closes aenter or aexit and returns", () => {
    both(part({ yields: 2 }), part(), gen(), [next(), ret("closed"), next()]);
    both(part(), part(), gen(), [next(), next(), next(), ret("closed"), next()]);
    both(part(), part(), gen({ throwAtEnd: "b" }), [next(), next(), next(), ret("closed"), next()]);
    both(part({ finallyYield: true }), part(), gen(), [next(), ret("closed"), next(), next(), next(), next()]);
  });

  test("iterators without throw() or return(), as yield* treats them", () => {
    for (const kind of ["next-only", "next-return"] as const) {
      both(part({ kind }), part(), gen(), [next(), thr(), next()]);
      both(part({ kind }), part(), gen(), [next(), ret(), next()]);
      both(part(), part({ kind }), gen(), [next(), next(), next(), thr(), next()]);
      both(part(), part({ kind }), gen(), [next(), next(), next(), ret(), next()]);
    }
  });

  test("a body's generator object with a next() of its own: that next() is called, as yield* calls it", () => {
    const run = (viaAsyncWith: boolean): [unknown[], string[]] => {
      const calls: string[] = [];
      const body = (): Coroutine<string> => {
        const g = (function* (): Coroutine<string> {
          const x = yield "step" as never;
          return `inner got ${String(x)}`;
        })();
        const own = g.next;
        Object.defineProperty(g, "next", {
          value(this: typeof g, v?: unknown) {
            calls.push(`next(${String(v)})`);
            return own.call(this, v);
          },
        });
        return g;
      };
      const cm: AsyncContextManager<void> = { *aenter() {}, *aexit() {} };
      const outer = viaAsyncWith
        ? asyncWith(cm, body)
        : (function* () {
            return yield* body();
          })();
      return [[outer.next(), outer.next("v")], calls];
    };
    const [steps, calls] = run(true);
    assert.deepEqual(run(false), [steps, calls]);
    assert.deepEqual(calls, ["next(undefined)", "next(v)"]);
    assert.deepEqual(steps, [
      { done: false, value: "step" },
      { done: true, value: "inner got v" },
    ]);
  });

  test("aenter or aexit not returning a coroutine: a TypeError saying so", () => {
    const cm = { aenter: () => Promise.resolve(1), aexit: () => undefined } as unknown as AsyncContextManager;
    assert.throws(() => asyncWith(cm, () => 1).next(), {
      name: "TypeError",
      message: "asyncWith: aenter() must return a coroutine (write it as a generator method, *aenter()), got a Promise or thenable",
    });
  });

  test("any sequence of next/throw/return, any parts: the same steps as the generator (property)", () => {
    const partArb = (kinds: Part["kind"][]) =>
      fc.record({
        yields: fc.integer({ min: 0, max: 2 }),
        swallow: fc.boolean(),
        finallyYield: fc.boolean(),
        throwAtEnd: fc.option(fc.constantFrom("e1", "e2"), { nil: null }),
        ret: fc.constantFrom(undefined, true, false, "v"),
        kind: fc.constantFrom(...kinds),
      });
    const bodyArb: fc.Arbitrary<Body> = fc.oneof(
      fc.record({ kind: fc.constant("coroutine" as const), part: partArb(["generator", "hand-written"]) }),
      fc.record({ kind: fc.constant("plain" as const), ret: fc.constantFrom(undefined, "p"), throws: fc.option(fc.constant("pe"), { nil: null }) }),
    );
    const ops = fc.array(
      fc.tuple(fc.constantFrom("next" as const, "next" as const, "throw" as const, "return" as const), fc.constantFrom("a", "b")),
      { maxLength: 10 },
    );
    const all: Part["kind"][] = ["generator", "hand-written", "next-only", "next-return"];
    fc.assert(
      fc.property(partArb(all), partArb(all), bodyArb, ops, (enter, exit, body, o) => {
        both(enter, exit, body, o as Op[]);
      }),
      { numRuns: 2000 },
    );
  });
});

const bodiesOf = {
  fetchIt: async function fetchIt() {},
  stream: async function* stream() {},
};

const RIGHT_BODY = String.raw`function\* \(\.\.\.\) \{ \.\.\. \}, with yield\* instead of await; for a Promise p, yield\* fromPromise\(p\)`;

describe("asyncWith: a body that is not a coroutine function", () => {
  test("an async function or async generator function: a TypeError before aenter; nothing runs; the lock stays free", async () => {
    const log: Log = [];
    const lock = new Lock();
    const unhandled = await unhandledDuring(() =>
      vrun(function* () {
        const bodies = [
          async function fetchIt() {
            log.push(["async body ran"]);
            await null;
            throw new ValueError("async body failed");
          },
          async function* stream() {
            log.push(["async generator ran"]);
          },
          async () => log.push(["async arrow ran"]),
        ];
        for (const cm of [lock, new CM(log)]) {
          for (const body of bodies) {
            try {
              yield* asyncWith(cm as AsyncContextManager<unknown>, body as never);
              log.push(["returned"]);
            } catch (e) {
              log.push([errName(e), (e as Error).message.replace(/ \(.*\)/, " (…)"), lock.locked()]);
            }
          }
        }
      }),
    );
    const expected = [
      ["TypeError", "asyncWith: the body must be a generator function (…)", false],
      ["TypeError", "asyncWith: the body must be a generator function (…)", false],
      ["TypeError", "asyncWith: the body must be a generator function (…)", false],
    ];
    assert.deepEqual(log, [...expected, ...expected]); // no aenter, no body
    assert.deepEqual(unhandled, []);
    // The whole messages: what was given, what to write instead.
    const bad = (body: unknown) => () => asyncWith(lock, body as never).next();
    assert.throws(bad(bodiesOf.fetchIt), {
      name: "TypeError",
      message: new RegExp(String.raw`^asyncWith: the body must be a generator function \(${RIGHT_BODY}\), got an async function \(fetchIt\)$`),
    });
    assert.throws(bad(bodiesOf.stream), {
      name: "TypeError",
      message: new RegExp(String.raw`^asyncWith: the body must be a generator function \(${RIGHT_BODY}\), got an async generator function \(stream\)$`),
    });
    assert.equal(lock.locked(), false);
  });

  test("a plain function that returns a Promise: aexit gets a TypeError (the lock is released), its rejection is not left unhandled", async () => {
    const log: Log = [];
    const late: string[] = [];
    const lock = new Lock();
    let cm!: CM;
    let thrown: unknown;
    const unhandled = await unhandledDuring(() =>
      vrun(function* () {
        cm = new CM(log);
        try {
          yield* asyncWith(cm, (v) => {
            log.push(["body", v, now()]);
            return (async () => {
              await null;
              late.push("the async part ran");
              throw new ValueError("late failure");
            })();
          });
          log.push(["returned"]);
        } catch (e) {
          thrown = e;
          log.push(["raised", errName(e), now()]);
        }
        try {
          yield* asyncWith(lock, () => {
            log.push(["locked in the body", lock.locked()]);
            return Promise.reject(new ValueError("rejected"));
          });
        } catch (e) {
          log.push(["raised", errName(e), "locked", lock.locked()]);
        }
      }),
    );
    assert.deepEqual(log, [
      ["aenter", 0],
      ["body", "resource", 1],
      ["aexit", 1, "TypeError"],
      ["raised", "TypeError", 2],
      ["locked in the body", true],
      ["raised", "TypeError", "locked", false],
    ]);
    assert.equal((cm.exits[0] as { error: unknown }).error, thrown);
    assert.match(
      (thrown as Error).message,
      new RegExp(
        String.raw`^asyncWith: the body must return a coroutine or a plain value \(write it as a generator function, ${RIGHT_BODY}\), got a Promise or thenable, which nothing awaits$`,
      ),
    );
    assert.deepEqual(late, ["the async part ran"]); // nothing can stop it, but its failure is not unhandled
    assert.deepEqual(unhandled, []);
  });

  test("that TypeError is thrown even if aexit suppresses errors; a thenable that is not a Promise is not touched", async () => {
    let thenCalls = 0;
    const thenable = { then: () => void thenCalls++ };
    const log = await scenario(function* (log) {
      return yield* asyncWith(new CM(log, { suppress: true }), () => thenable);
    });
    assert.deepEqual(log, [
      ["aenter", 0],
      ["aexit", 1, "TypeError"],
      ["raised", "TypeError", log[2]![2]],
      ["end", 2],
    ]);
    assert.match(log[2]![2] as string, /^asyncWith: the body must return a coroutine or a plain value /);
    assert.equal(thenCalls, 0);
  });

  test("a generator body's value is returned as is, even a Promise", async () => {
    const p = Promise.resolve(1);
    const r = await vrun(function* () {
      const value = yield* asyncWith(new Lock(), function* () {
        return p;
      });
      return [value]; // (run() would adopt a Promise)
    });
    assert.equal(r[0], p);
  });
});

describe("asyncWith: an error in aexit while the body's is in flight", () => {
  const bodyFails = (err: unknown) =>
    function* (): Coroutine<void> {
      yield* sleep(1);
      throw err;
    };

  /** What `asyncWith` throws when the body throws `inBody` and aexit then throws `inExit` (after an await if `awaits`). */
  const thrownWhenExitFails = (inBody: unknown, inExit: unknown, awaits = false): Promise<unknown> => {
    const cm: AsyncContextManager<void> = {
      *aenter() {},
      *aexit() {
        if (awaits) yield* sleep(1);
        throw inExit;
      },
    };
    return vrun(function* () {
      try {
        yield* asyncWith(cm, bodyFails(inBody));
      } catch (e) {
        return e;
      }
    });
  };

  test("aexit's error has the body's as its cause (Python's __context__), whether aexit awaits first or not", async () => {
    for (const awaits of [true, false]) {
      const bodyError = new ValueError("the real failure");
      const exitError = new KeyError("cleanup failed");
      const caught = await thrownWhenExitFails(bodyError, exitError, awaits);
      assert.equal(caught, exitError);
      assert.equal(exitError.cause, bodyError);
      assert.equal(Object.getOwnPropertyDescriptor(exitError, "cause")?.enumerable, false); // as `new Error(m, { cause })`
      assert.equal(bodyError.cause, undefined);
    }
  });

  test("a cancellation while exiting with an error: the CancelledError has the body's error as its cause", async () => {
    const bodyError = new ValueError("body");
    const log: Log = [];
    await vrun(function* () {
      const t = createTask(
        (function* () {
          try {
            yield* asyncWith(new CM(log), bodyFails(bodyError));
          } catch (e) {
            log.push([errName(e), (e as Error).cause === bodyError, now()]);
          }
        })(),
      );
      yield* sleep(2.5); // the body failed at 2; aexit sleeps until 3
      t.cancel();
      yield* t;
    });
    assert.deepEqual(log, [
      ["aenter", 0],
      ["aexit", 2, "ValueError"],
      ["CancelledError", true, 2.5],
    ]);
  });

  test("a body that returned a Promise: aexit's error has that TypeError as its cause, whether aexit awaits first or not", async () => {
    for (const awaits of [true, false]) {
      const exitError = new KeyError("cleanup failed");
      let bodyError: unknown;
      const cm: AsyncContextManager<void> = {
        *aenter() {},
        *aexit(exit: Exit) {
          bodyError = exit.failed ? exit.error : null;
          if (awaits) yield* sleep(1);
          throw exitError;
        },
      };
      const caught = await vrun(function* () {
        try {
          yield* asyncWith(cm, () => ({ then() {} }));
        } catch (e) {
          return e;
        }
      });
      assert.equal(caught, exitError);
      assert.ok(bodyError instanceof TypeError, String(bodyError));
      assert.equal(exitError.cause, bodyError);
    }
  });

  test("the cause is not set: aexit's error has one, is the body's, would make a cycle, is frozen, or is not an object", async () => {
    const own = new KeyError("own cause", { cause: "mine" });
    const bodyError = new ValueError("body");
    const root = new KeyError("root");
    const chained = new ValueError("chained", { cause: root });
    const frozen = Object.freeze(new KeyError("frozen"));
    const cases: [unknown, unknown][] = [
      [bodyError, own],
      [bodyError, bodyError],
      [chained, root],
      [bodyError, frozen],
      [bodyError, "a string"],
    ];
    for (const [inBody, inExit] of cases) {
      const caught = await thrownWhenExitFails(inBody, inExit);
      assert.equal(caught, inExit);
    }
    assert.equal(own.cause, "mine");
    assert.equal(bodyError.cause, undefined);
    assert.equal(root.cause, undefined);
    assert.equal(chained.cause, root);
    assert.equal(Object.hasOwn(frozen, "cause"), false);
  });
});
