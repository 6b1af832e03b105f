// captureCallGraph / formatCallGraph (Python 3.14's asyncio.graph, in our form: JS cannot walk a
// suspended generator's frames, so a node shows the future and what it waits on).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  captureCallGraph,
  formatCallGraph,
  createTask,
  currentTask,
  EventLoop,
  gather,
  getRunningLoop,
  sleep,
  taskGroup,
  shield,
  RuntimeError,
  type Coroutine,
  type Task,
} from "../src/index.js";
import { vrun } from "./helpers.js";

function* leaf(): Coroutine<void> {
  yield* sleep(100);
}

function* awaiting(t: Task<unknown>): Coroutine<void> {
  yield* t;
}

/** Three tasks: top awaits mid, which awaits inner, which sleeps. */
function chain(): { inner: Task<void>; mid: Task<void>; top: Task<void> } {
  const inner = createTask(leaf(), { name: "inner" });
  const mid = createTask(awaiting(inner), { name: "mid" });
  const top = createTask(awaiting(mid), { name: "top" });
  return { inner, mid, top };
}

const INNER = "<Task pending name='inner' wait_for=<Sleep pending ms=100>>";
const MID = `<Task pending name='mid' wait_for=${INNER}>`;
const TOP = `<Task pending name='top' wait_for=${MID}>`;

describe("captureCallGraph", () => {
  test("goes up through the tasks that await a task, each with what it waits on", async () => {
    await vrun(function* () {
      const { inner, mid, top } = chain();
      yield* sleep(1);
      const g = captureCallGraph(inner)!;
      assert.equal(g.future, inner);
      assert.deepEqual(g.waitingOn, ["<Sleep pending ms=100>"]);
      assert.equal(g.awaitedBy.length, 1);
      assert.equal(g.awaitedBy[0]!.future, mid);
      assert.deepEqual(g.awaitedBy[0]!.waitingOn, [INNER, "<Sleep pending ms=100>"]);
      assert.equal(g.awaitedBy[0]!.awaitedBy[0]!.future, top);
      assert.deepEqual(g.awaitedBy[0]!.awaitedBy[0]!.awaitedBy, []);
    });
  });

  test("`limit` is the number of levels of awaiters: 1 keeps the direct ones, 0 none", async () => {
    await vrun(function* () {
      const { inner, mid } = chain();
      yield* sleep(1);
      const one = captureCallGraph(inner, { limit: 1 })!;
      assert.equal(one.awaitedBy[0]!.future, mid);
      assert.deepEqual(one.awaitedBy[0]!.awaitedBy, []);
      assert.deepEqual(captureCallGraph(inner, { limit: 0 })!.awaitedBy, []);
    });
  });

  test("the current task by default; null in a plain callback; RuntimeError with no running loop", async () => {
    const seen: unknown[] = [];
    await vrun(function* () {
      currentTask()!.setName("main");
      const me = captureCallGraph()!;
      seen.push(me.future.toString(), me.awaitedBy.length);
      getRunningLoop().callSoon(() => seen.push(captureCallGraph()));
      yield* sleep(1);
    });
    assert.deepEqual(seen, ["<Task pending name='main'>", 0, null]);
    assert.throws(() => captureCallGraph(), (e) => e instanceof RuntimeError && e.message === "no running event loop");
  });

  test("tasks awaiting each other (a deadlock): each appears once, the walk ends", async () => {
    // A deadlock never ends (as in CPython), so it runs on a loop of its own, closed with the two
    // tasks still pending (close() reports them: the handler takes the reports).
    const loop = new EventLoop({ clock: "virtual" });
    const reports: string[] = [];
    loop.setExceptionHandler((_l, ctx) => reports.push(ctx.message));
    const out = await loop.runUntilComplete(
      (function* () {
        const ref: { b: Task<void> | null } = { b: null };
        const a = createTask(
          (function* () {
            yield* sleep(1);
            yield* ref.b!;
          })(),
          { name: "a" },
        );
        const b = createTask(awaiting(a), { name: "b" });
        ref.b = b;
        yield* sleep(2);
        const g = captureCallGraph(a)!;
        return [g.future === a, g.awaitedBy.length, g.awaitedBy[0]!.future === b, g.awaitedBy[0]!.awaitedBy.length];
      })(),
    );
    loop.close();
    assert.deepEqual(out, [true, 1, true, 0]);
    assert.deepEqual(reports, [
      "Task was destroyed but it is pending! Its loop was closed before it finished: " +
        "<Task pending name='a' wait_for=<Task pending name='b' wait_for=<Task name='a' (awaited in a cycle)>>>",
      "Task was destroyed but it is pending! Its loop was closed before it finished: " +
        "<Task pending name='b' wait_for=<Task pending name='a' wait_for=<Task name='b' (awaited in a cycle)>>>",
    ]);
  });
});

describe("formatCallGraph", () => {
  test("one future per line, its waits below it, its awaiters indented", async () => {
    await vrun(function* () {
      const { inner } = chain();
      yield* sleep(1);
      assert.equal(
        formatCallGraph(inner),
        [
          `* ${INNER}`,
          "|   waiting on <Sleep pending ms=100>",
          "+ Awaited by:",
          `   * ${MID}`,
          `   |   waiting on ${INNER}`,
          "   |   waiting on <Sleep pending ms=100>",
          "   + Awaited by:",
          `      * ${TOP}`,
          `      |   waiting on ${MID}`,
          `      |   waiting on ${INNER}`,
          "      |   waiting on <Sleep pending ms=100>",
        ].join("\n"),
      );
    });
  });

  test("through a gather's future to the task awaiting it, and from a TaskGroup's child to the group's task", async () => {
    await vrun(function* () {
      const a = createTask(leaf(), { name: "a" });
      createTask(
        (function* () {
          yield* gather(a, sleep(50));
        })(),
        { name: "gatherer" },
      );
      let child: Task<void> | null = null;
      createTask(
        (function* () {
          yield* taskGroup(function* (tg) {
            child = tg.createTask(leaf(), { name: "child" });
          });
        })(),
        { name: "owner" },
      );
      yield* sleep(1);
      assert.equal(
        formatCallGraph(a),
        [
          "* <Task pending name='a' wait_for=<Sleep pending ms=100>>",
          "|   waiting on <Sleep pending ms=100>",
          "+ Awaited by:",
          "   * <GatheringFuture pending>",
          "   + Awaited by:",
          "      * <Task pending name='gatherer' wait_for=<GatheringFuture pending>>",
          "      |   waiting on <GatheringFuture pending>",
        ].join("\n"),
      );
      assert.equal(
        formatCallGraph(child!),
        [
          "* <Task pending name='child' wait_for=<Sleep pending ms=100>>",
          "|   waiting on <Sleep pending ms=100>",
          "+ Awaited by:",
          "   * <Task pending name='owner' wait_for=<Future pending>>",
          "   |   waiting on <Future pending>",
        ].join("\n"),
      );
    });
  });

  test("from a shielded task to the task that shields it (CPython 3.14 records it as awaited by)", async () => {
    await vrun(function* () {
      const inner = createTask(leaf(), { name: "inner" });
      const shielding = createTask(
        (function* () {
          yield* shield(inner);
        })(),
        { name: "shielding" },
      );
      yield* sleep(1);
      const g = captureCallGraph(inner)!;
      assert.deepEqual(g.awaitedBy.map((n) => n.future), [shielding]);
      shielding.cancel(); // the shield lets go of inner: no longer its awaiter
      yield* sleep(1);
      assert.deepEqual(captureCallGraph(inner)!.awaitedBy, []);
      inner.cancel();
    });
  });

  test("an empty string where captureCallGraph gives null", async () => {
    let out: string | null = null;
    await vrun(function* () {
      getRunningLoop().callSoon(() => (out = formatCallGraph()));
      yield* sleep(1);
    });
    assert.equal(out, "");
  });
});
