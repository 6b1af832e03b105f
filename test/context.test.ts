/**
 * asyncWith: Python's `async with`, checked against CPython 3.13 (test/python/context.py).
 * `__aexit__(et, exc, tb)` is `aexit({ failed: false })` / `aexit({ failed: true, error })`.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  sleep,
  asyncWith,
  createTask,
  currentTask,
  CancelledError,
  ValueError,
  type AsyncContextManager,
  type Coroutine,
  type Exit,
} from "../src/index.js";
import { now, scenario as runScenario, cancelAfter, KeyError, type Log } from "./helpers.js";

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
