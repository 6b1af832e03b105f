// Queue wake-ups in CPython 3.13's exact order: which waiter a get, put, cancellation, close or
// shutdown wakes, and that the waiters it does not wake keep their places. The orderings are CPython
// 3.13's for the same scenarios. st(q) = [size, getters, putters, unfinished].
import { test } from "node:test";
import assert from "node:assert/strict";
import { createTask, gather, sleep, CancelledError, QueueShutDown, type Coroutine } from "../src/index.js";
import { Queue } from "../src/queues.js";
import { vrun } from "./locks/helpers.js";
import { st } from "./queue-state.js";

/**
 * A task body that gets one item from `q`: logs `[name, "got", item]`, or `[name, "cancelled"]` if
 * cancelled, or `[name, <error name>]` for a QueueShutDown; any other error is thrown on.
 */
function* logGet<T>(ev: unknown[], q: Queue<T>, name: string): Coroutine<void> {
  try {
    ev.push([name, "got", yield* q.get()]);
  } catch (e) {
    ev.push([name, outcome(e)]);
  }
}

/** A task body that puts `name` into `q`: logs `[name, "put"]`, or the error as `logGet` does. */
function* logPut(ev: unknown[], q: Queue<string>, name: string): Coroutine<void> {
  try {
    yield* q.put(name);
    ev.push([name, "put"]);
  } catch (e) {
    ev.push([name, outcome(e)]);
  }
}

function outcome(e: unknown): string {
  if (e instanceof CancelledError) return "cancelled";
  if (e instanceof QueueShutDown) return "QueueShutDown";
  throw e;
}

test("a wake-up unlinks the cancelled waiters ahead of the one it wakes (CPython's _wakeup_next pops them)", async () => {
  // CPython 3.13: after cancel, `_getters[2]`; after put_nowait, no getter left; the same for putters.
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue<number>();
    const g = (name: string) => logGet(ev, q, name);
    const a = createTask(g("A"));
    const b = createTask(g("B"));
    yield* sleep(0);
    a.cancel();
    ev.push(["after cancel", st(q)]);
    q.putNowait(1);
    ev.push(["after put", st(q)]);
    yield* gather(a, b);
    ev.push(["end", st(q)]);

    const q2 = new Queue<string>(1);
    q2.putNowait("0");
    const p = (name: string) => logPut(ev, q2, name);
    const pa = createTask(p("pA"));
    const pb = createTask(p("pB"));
    yield* sleep(0);
    pa.cancel();
    ev.push(["after get", q2.getNowait(), st(q2)]);
    yield* gather(pa, pb);
    ev.push(["end", st(q2), q2.getNowait()]);
  });
  assert.deepEqual(ev, [
    ["after cancel", [0, 2, 0, 0]],
    ["after put", [1, 0, 0, 1]],
    ["A", "cancelled"],
    ["B", "got", 1],
    ["end", [0, 0, 0, 1]],
    ["after get", "0", [0, 0, 0, 1]],
    ["pA", "cancelled"],
    ["pB", "put"],
    ["end", [1, 0, 0, 2], "pB"],
  ]);
});

test("closing a get() while it waits unqueues it and wakes nobody (CPython: coroutine close())", async () => {
  // CPython 3.13 (c = q.get(); c.send(None); ...; c.close()): after close `_getters[1]`, A gets 1, C gets 2.
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue<number>();
    const g = (name: string) => logGet(ev, q, name);
    const a = createTask(g("A"));
    yield* sleep(0);
    const c = q.get();
    c.next(); // queued behind A, as `c.send(None)`
    const cc = createTask(g("C"));
    yield* sleep(0);
    ev.push(["queued", st(q)]);
    q.putNowait(1);
    ev.push(["after put", st(q)]);
    c.return(undefined as never);
    ev.push(["after close", st(q)]);
    yield* sleep(0);
    ev.push(["after run", st(q)]);
    q.putNowait(2);
    yield* gather(a, cc);
    ev.push(["end", st(q)]);
  });
  assert.deepEqual(ev, [
    ["queued", [0, 3, 0, 0]],
    ["after put", [1, 2, 0, 1]],
    ["after close", [1, 1, 0, 1]],
    ["A", "got", 1],
    ["after run", [0, 1, 0, 1]],
    ["C", "got", 2],
    ["end", [0, 0, 0, 2]],
  ]);
});

test("shutdown() wakes the blocked getters before the blocked putters", async () => {
  // CPython 3.13: [shutdown, 1, 1, 1], g1 got x, g2 QueueShutDown, p1 QueueShutDown.
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue<string>(1);
    const g = (name: string) => logGet(ev, q, name);
    const p = (name: string) => logPut(ev, q, name);
    function* s(): Coroutine<void> {
      ev.push(["shutdown", st(q)]);
      q.shutdown();
    }
    const ts = [createTask(g("g1")), createTask(g("g2"))];
    yield* sleep(0);
    ts.push(createTask(p("p1")), createTask(s())); // p1 blocks on the full queue before g1 runs; then s
    q.putNowait("x"); // wakes g1
    yield* gather(...ts);
  });
  assert.deepEqual(ev, [["shutdown", [1, 1, 1, 1]], ["g1", "got", "x"], ["g2", "QueueShutDown"], ["p1", "QueueShutDown"]]);
});

test("a getter cancelled while still queued wakes nobody, even with items left: the others keep their places", async () => {
  // CPython 3.13 (`not getter.cancelled()` in Queue.get's cleanup): C cancelled, A 1, B 2, getters 2, D 3, E 4.
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue<number>();
    const g = (name: string) => logGet(ev, q, name);
    const ts = ["C", "A", "B", "D", "E"].map((n) => createTask(g(n)));
    yield* sleep(0);
    ts[0]!.cancel();
    q.putNowait(1);
    q.putNowait(2);
    yield* sleep(0);
    ev.push(["getters", st(q)[1]]);
    q.putNowait(3);
    yield* sleep(0);
    q.putNowait(4);
    yield* gather(...ts);
  });
  assert.deepEqual(ev, [["C", "cancelled"], ["A", "got", 1], ["B", "got", 2], ["getters", 2], ["D", "got", 3], ["E", "got", 4]]);
});

test("a woken getter cancelled after its item was taken wakes nobody: the next getter keeps its place", async () => {
  // CPython 3.13 (`not self.empty()` in Queue.get's cleanup): stolen 1, A cancelled, getters 2, B 2, C 3.
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue<number>();
    const g = (name: string) => logGet(ev, q, name);
    const ts = ["A", "B", "C"].map((n) => createTask(g(n)));
    yield* sleep(0);
    q.putNowait(1);
    ev.push(["stolen", q.getNowait()]);
    ts[0]!.cancel();
    yield* sleep(0);
    ev.push(["getters", st(q)[1]]);
    q.putNowait(2);
    yield* sleep(0);
    q.putNowait(3);
    yield* gather(...ts);
  });
  assert.deepEqual(ev, [["stolen", 1], ["A", "cancelled"], ["getters", 2], ["B", "got", 2], ["C", "got", 3]]);
});

test("putters: one cancelled while queued, or woken and cancelled after its slot was taken, wakes nobody", async () => {
  // CPython 3.13 (Queue.put's cleanup wakes the next putter only `if not self.full() and not putter.cancelled()`).
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue<string>(2);
    const p = (name: string) => logPut(ev, q, name);
    q.putNowait("x");
    q.putNowait("y");
    const ts = ["C", "A", "B", "D", "E"].map((n) => createTask(p(n)));
    yield* sleep(0);
    ts[0]!.cancel();
    q.getNowait();
    q.getNowait();
    yield* sleep(0);
    ev.push(["putters", st(q)[2]]);
    q.getNowait();
    yield* sleep(0);
    q.getNowait();
    yield* gather(...ts);
    ev.push(["left", q.getNowait(), q.getNowait()]);

    const q1 = new Queue<string>(1);
    q1.putNowait("x");
    const p1 = (name: string) => logPut(ev, q1, name);
    const ts1 = ["A", "B", "C"].map((n) => createTask(p1(n)));
    yield* sleep(0);
    q1.getNowait(); // wakes A
    q1.putNowait("stolen"); // takes A's slot
    ts1[0]!.cancel();
    yield* sleep(0);
    ev.push(["putters", st(q1)[2]]);
    q1.getNowait();
    yield* sleep(0);
    q1.getNowait();
    yield* gather(...ts1);
    ev.push(["left", q1.getNowait()]);
  });
  assert.deepEqual(ev, [
    ["C", "cancelled"],
    ["A", "put"],
    ["B", "put"],
    ["putters", 2],
    ["D", "put"],
    ["E", "put"],
    ["left", "D", "E"],
    ["A", "cancelled"],
    ["putters", 2],
    ["B", "put"],
    ["C", "put"],
    ["left", "C"],
  ]);
});
