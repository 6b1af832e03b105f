// Queue, PriorityQueue, LifoQueue: blocking, CPython's wake-up order, no item lost when a woken
// getter or putter is cancelled, taskDone/join, 3.13's shutdown, bad input, state.
// Orderings: CPython 3.13 on test/locks/python/queues.py. st(q) = [size, getters, putters, unfinished].
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  createTask,
  gather,
  sleep,
  waitFor,
  CancelledError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  TimeoutError,
  ValueError,
  type Coroutine,
} from "../src/index.js";
import { Queue, PriorityQueue, LifoQueue } from "../src/queues.js";
import { vrun, now } from "./locks/helpers.js";
import { st } from "./queue-state.js";


test("put blocks at maxsize until a get frees a slot (CPython test_maxsize)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue<number>(2);
    const t = createTask(
      (function* () {
        for (let i = 0; i < 3; i++) {
          yield* q.put(i);
          ev.push(["put", i]);
        }
      })(),
    );
    yield* sleep(0);
    yield* sleep(0);
    ev.push(["blocked", st(q)]);
    ev.push(["get", yield* q.get()]);
    ev.push(["after get", st(q)]);
    yield* sleep(0);
    ev.push(["get", yield* q.get()]);
    ev.push(["get", yield* q.get()]);
    yield* t;
    ev.push(["end", st(q)]);
  });
  assert.deepEqual(ev, [
    ["put", 0],
    ["put", 1],
    ["blocked", [2, 0, 1, 2]],
    ["get", 0],
    ["after get", [1, 0, 0, 2]],
    ["put", 2],
    ["get", 1],
    ["get", 2],
    ["end", [0, 0, 0, 3]],
  ]);
});

test("a getter woken then cancelled passes the wake-up on: no item lost (…drop_many_pending_readers)", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue<number>();
    function* r(name: string): Coroutine<void> {
      try {
        ev.push([name, yield* q.get()]);
      } catch (e) {
        if (e instanceof CancelledError) ev.push([name, "cancelled", st(q)]);
        throw e;
      }
    }
    const ts = ["r1", "r2", "r3"].map((n) => createTask(r(n)));
    yield* sleep(0);
    q.putNowait(1);
    q.putNowait(2);
    ev.push(["put 2", st(q)]);
    ts[0]!.cancel();
    yield* gather(...ts, { returnExceptions: true });
    ev.push(["end", st(q)]);
  });
  assert.deepEqual(ev, [
    ["put 2", [2, 1, 0, 2]],
    ["r1", "cancelled", [2, 0, 0, 2]],
    ["r2", 1],
    ["r3", 2],
    ["end", [0, 0, 0, 2]],
  ]);
});

test("a single woken reader cancelled: both items stay, in order (…drop_one_pending_reader)", async () => {
  await vrun(function* () {
    const q = new Queue<number>();
    const reader = createTask(q.get());
    yield* sleep(0);
    q.putNowait(1);
    q.putNowait(2);
    reader.cancel();
    yield* gather(reader, { returnExceptions: true });
    assert.equal(reader.cancelled(), true);
    assert.deepEqual([q.getNowait(), q.getNowait()], [1, 2]);
  });
});

test("a putter woken then cancelled passes the free slot to the next putter", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue<string>(1);
    q.putNowait("a");
    function* p(name: string, item: string): Coroutine<void> {
      try {
        yield* q.put(item);
        ev.push([name, "put", st(q)]);
      } catch (e) {
        if (e instanceof CancelledError) ev.push([name, "cancelled", st(q)]);
        throw e;
      }
    }
    const ts = [createTask(p("p1", "b")), createTask(p("p2", "c"))];
    yield* sleep(0);
    ev.push(["waiting", st(q)]);
    ev.push(["got", q.getNowait(), st(q)]);
    ts[0]!.cancel();
    yield* gather(...ts, { returnExceptions: true });
    ev.push(["end", st(q), q.getNowait()]);
  });
  assert.deepEqual(ev, [
    ["waiting", [1, 0, 2, 1]],
    ["got", "a", [0, 0, 1, 1]],
    ["p1", "cancelled", [0, 0, 0, 1]],
    ["p2", "put", [1, 0, 0, 2]],
    ["end", [1, 0, 0, 2], "c"],
  ]);
});

test("as in CPython, getNowait() before the woken getter runs takes the item; the getter waits again at the back", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue<string>();
    function* g(name: string): Coroutine<void> {
      ev.push([name, yield* q.get()]);
    }
    const t1 = createTask(g("g1"));
    const t2 = createTask(g("g2"));
    yield* sleep(0);
    q.putNowait("x");
    ev.push(["stolen", q.getNowait(), st(q)]);
    yield* sleep(0);
    ev.push(["g1 requeued", st(q)]);
    q.putNowait("y");
    yield* sleep(0);
    q.putNowait("z");
    yield* gather(t1, t2);
  });
  assert.deepEqual(ev, [
    ["stolen", "x", [0, 1, 0, 1]],
    ["g1 requeued", [0, 2, 0, 1]],
    ["g2", "y"],
    ["g1", "z"],
  ]);
});

test("Queue(1) ping-pong alternates put and get", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue<number>(1);
    function* prod(): Coroutine<void> {
      for (let i = 0; i < 4; i++) {
        yield* q.put(i);
        ev.push(["put", i]);
      }
    }
    function* cons(): Coroutine<void> {
      for (let i = 0; i < 4; i++) ev.push(["got", yield* q.get()]);
    }
    yield* gather(prod(), cons());
  });
  assert.deepEqual(ev, [["put", 0], ["got", 0], ["put", 1], ["got", 1], ["put", 2], ["got", 2], ["put", 3], ["got", 3]]);
});

test("join() returns when the last taskDone() is in; one taskDone too many is a ValueError", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue<number>();
    for (let i = 0; i < 3; i++) q.putNowait(i);
    const w = createTask(
      (function* () {
        for (;;) {
          const v = yield* q.get();
          yield* sleep(10);
          ev.push([now(), "done", v]);
          q.taskDone();
        }
      })(),
    );
    function* joiner(name: string): Coroutine<void> {
      yield* q.join();
      ev.push([now(), name, "joined", st(q)[3]]);
    }
    const j1 = createTask(joiner("j1"));
    yield* joiner("main");
    yield* j1;
    w.cancel();
    try {
      q.taskDone();
    } catch (e) {
      assert.ok(e instanceof ValueError);
      ev.push(e.message);
    }
  });
  assert.deepEqual(ev, [
    [10, "done", 0],
    [20, "done", 1],
    [30, "done", 2],
    [30, "main", "joined", 0],
    [30, "j1", "joined", 0],
    "taskDone() called too many times: call it once per item got from the queue",
  ]);
});

test("join() on a queue with nothing unfinished returns at once", async () => {
  await vrun(function* () {
    for (const q of [new Queue(), new LifoQueue(), new PriorityQueue()]) {
      yield* q.join();
      yield* q.join();
      assert.throws(() => q.taskDone(), ValueError);
    }
  });
});

test("graceful shutdown: blocked putters fail, items left are still served, then gets fail", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue<string>(1);
    q.putNowait("a");
    function* getter(name: string): Coroutine<void> {
      try {
        for (;;) {
          ev.push([name, "got", yield* q.get()]);
          q.taskDone();
        }
      } catch (e) {
        if (!(e instanceof QueueShutDown)) throw e;
        ev.push([name, "shutdown", e.name]);
      }
    }
    function* putter(name: string, v: string): Coroutine<void> {
      try {
        yield* q.put(v);
        ev.push([name, "put", v]);
      } catch (e) {
        if (!(e instanceof QueueShutDown)) throw e;
        ev.push([name, "shutdown", e.name]);
      }
    }
    const tp = createTask(putter("p", "b"));
    yield* sleep(0);
    const j = createTask(q.join());
    q.shutdown();
    ev.push(["shutdown", st(q)]);
    yield* sleep(0);
    const tg = createTask(getter("g"));
    yield* gather(tp, tg, j);
    ev.push(["end", st(q), j.done()]);
    for (const f of [() => q.putNowait("x"), () => q.getNowait()]) {
      try {
        f();
      } catch (e) {
        ev.push((e as Error).name);
      }
    }
    assert.match(String(q), /, shutdown\]>$/);
  });
  assert.deepEqual(ev, [
    ["shutdown", [1, 0, 0, 1]],
    ["p", "shutdown", "QueueShutDown"],
    ["g", "got", "a"],
    ["g", "shutdown", "QueueShutDown"],
    ["end", [0, 0, 0, 0], true],
    "QueueShutDown",
    "QueueShutDown",
  ]);
});

test("immediate shutdown drops the items, counting them done for join()", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue<number>();
    for (let i = 0; i < 3; i++) q.putNowait(i);
    const got = q.getNowait();
    const j = createTask(q.join());
    q.shutdown(true);
    ev.push(["after", st(q), got]);
    yield* sleep(0);
    ev.push(["join done?", j.done()]);
    q.taskDone();
    yield* sleep(0);
    ev.push(["join done?", j.done()]);
    assert.throws(() => q.taskDone(), ValueError);
  });
  assert.deepEqual(ev, [["after", [0, 0, 0, 1], 0], ["join done?", false], ["join done?", true]]);
});

test("shutdown wakes blocked getters, which raise QueueShutDown", async () => {
  const ev: unknown[] = [];
  await vrun(function* () {
    const q = new Queue();
    function* g(name: string): Coroutine<void> {
      try {
        yield* q.get();
      } catch (e) {
        if (!(e instanceof QueueShutDown)) throw e;
        ev.push([name, "QueueShutDown", st(q)]);
      }
    }
    const ts = ["g1", "g2"].map((n) => createTask(g(n)));
    yield* sleep(0);
    q.shutdown();
    ev.push(["shutdown", st(q)]);
    yield* gather(...ts);
  });
  assert.deepEqual(ev, [
    ["shutdown", [0, 0, 0, 0]],
    ["g1", "QueueShutDown", [0, 0, 0, 0]],
    ["g2", "QueueShutDown", [0, 0, 0, 0]],
  ]);
});

test("after a graceful shutdown, get() serves what is left, then raises", async () => {
  await vrun(function* () {
    const q = new Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    q.shutdown();
    assert.equal(yield* q.get(), 1);
    assert.equal(q.getNowait(), 2);
    try {
      yield* q.get();
      assert.fail("no error");
    } catch (e) {
      assert.ok(e instanceof QueueShutDown);
    }
  });
  await assert.rejects(
    vrun(function* () {
      const q = new Queue<number>();
      q.shutdown();
      yield* q.get();
    }),
    (e: unknown) => e instanceof QueueShutDown && /shut-down/.test(e.message),
  );
  await assert.rejects(
    vrun(function* () {
      const q = new Queue<number>();
      q.shutdown();
      yield* q.put(1);
    }),
    QueueShutDown,
  );
});

test("PriorityQueue orders like Python: numbers, strings, arrays as tuples", () => {
  const pq = new PriorityQueue<unknown[]>();
  for (const item of [[2, "b"], [1, "z"], [2, "a"], [1, "y", 0], [0, "q"]]) pq.putNowait(item);
  const out = [];
  while (!pq.empty()) out.push(pq.getNowait());
  assert.deepEqual(out, [[0, "q"], [1, "y", 0], [1, "z"], [2, "a"], [2, "b"]]);
  const ps = new PriorityQueue<string>();
  for (const s of ["b", "a", "c", "ab"]) ps.putNowait(s);
  assert.deepEqual([0, 1, 2, 3].map(() => ps.getNowait()), ["a", "ab", "b", "c"]);
  const pn = new PriorityQueue<number | bigint>();
  for (const x of [3, 1n, 2.5, -1, 10n]) pn.putNowait(x);
  assert.deepEqual([0, 1, 2, 3, 4].map(() => pn.getNowait()), [-1, 1n, 2.5, 3, 10n]);
  const lq = new LifoQueue<number>();
  for (const i of [1, 3, 2]) lq.putNowait(i);
  assert.deepEqual([lq.getNowait(), lq.getNowait(), lq.getNowait()], [2, 3, 1]);
});

test("PriorityQueue: a tuple that is a prefix of another is smaller; nested tuples compare as tuples (CPython 3.13)", () => {
  const drain = (items: unknown[]): unknown[] => {
    const pq = new PriorityQueue<unknown>();
    for (const item of items) pq.putNowait(item);
    const out = [];
    while (!pq.empty()) out.push(pq.getNowait());
    return out;
  };
  assert.deepEqual(drain([[1, 0], [1], [], [0, 5], [1, -1, "a"], [2]]), [[], [0, 5], [1], [1, -1, "a"], [1, 0], [2]]);
  assert.deepEqual(drain([[[1, 2], 0], [[1], 9], [[1], 8, "x"], [[1], 8], [[0, 9, 9]]]), [
    [[0, 9, 9]],
    [[1], 8],
    [[1], 8, "x"],
    [[1], 9],
    [[1, 2], 0],
  ]);
});

test("PriorityQueue: unorderable items are a TypeError, a custom compare orders anything", () => {
  const pq = new PriorityQueue<unknown>();
  pq.putNowait([1, { a: 1 }]);
  assert.throws(() => pq.putNowait([1, { b: 2 }]), (e: unknown) => e instanceof TypeError && /compare function/.test(e.message));
  const same = { a: 1 };
  const p2 = new PriorityQueue<unknown>();
  p2.putNowait([1, same]);
  p2.putNowait([1, same]); // the same object equals itself, as in Python
  const mixed = new PriorityQueue<unknown>();
  mixed.putNowait(1);
  assert.throws(() => mixed.putNowait("x"), TypeError);
  const byLen = new PriorityQueue<string>(0, (a, b) => a.length - b.length);
  for (const s of ["ccc", "a", "bb"]) byLen.putNowait(s);
  assert.deepEqual([byLen.getNowait(), byLen.getNowait(), byLen.getNowait()], ["a", "bb", "ccc"]);
  assert.throws(() => new PriorityQueue(0, 5 as never), TypeError);
});

test("PriorityQueue: a comparison that throws keeps every item (as the C heapq, checked on CPython 3.13)", () => {
  const drain = (q: PriorityQueue<unknown>): unknown[] => {
    const out: unknown[] = [];
    while (!q.empty()) {
      try {
        out.push(q.getNowait());
      } catch (e) {
        out.push(`${(e as Error).name}`);
      }
    }
    return out;
  };
  // putNowait: the sift up fails after one step; the item stays in the heap, as in CPython.
  const up = new PriorityQueue<unknown>();
  for (const it of [[1, "a"], [2, 0], [5, 0]]) up.putNowait(it);
  assert.throws(() => up.putNowait([1, 5]), TypeError);
  assert.equal(up.qsize(), 4);
  assert.deepEqual(drain(up), [[1, "a"], [1, 5], [2, 0], [5, 0]]);
  // getNowait: the sink fails half way; the popped item is gone (as in CPython), the others stay.
  const down = new PriorityQueue<unknown>();
  for (const it of [[0, 0], [1, 0], [2, 0], [3, 0]]) down.putNowait(it);
  assert.throws(() => down.putNowait([1, "x"]), TypeError);
  assert.throws(() => down.getNowait(), TypeError);
  assert.equal(down.qsize(), 4);
  assert.deepEqual(drain(down), [[1, 0], [1, "x"], [2, 0], [3, 0]]);
});

test("PriorityQueue orders as Python's <: None < None fails, strings by code point, NaN in a tuple", () => {
  // Python: put_nowait(None) twice raises TypeError ('<' not supported), and so does the same object twice.
  const obj = {};
  for (const v of [null, undefined, obj]) {
    const q = new PriorityQueue<unknown>();
    q.putNowait(v);
    assert.throws(() => q.putNowait(v), TypeError);
    assert.equal(q.qsize(), 2);
  }
  // Python's str compares code points: U+E000 < U+FFFF < U+10000 (JS's < puts U+10000 first).
  const s = new PriorityQueue<string>();
  for (const x of ["\u{10000}", "\uFFFF", "\uE000", "\u{1F600}a", "\u{1F600}"]) s.putNowait(x);
  assert.deepEqual([0, 1, 2, 3, 4].map(() => s.getNowait()), ["\uE000", "\uFFFF", "\u{10000}", "\u{1F600}", "\u{1F600}a"]);
  // (nan, 2) < (nan, 1) is False in Python: the first unequal elements decide, and NaN is not less.
  const n = new PriorityQueue<unknown>();
  n.putNowait([NaN, 2]);
  n.putNowait([NaN, 1]);
  assert.deepEqual(n.getNowait(), [NaN, 2]);
  // Equal elements of different types go on to the next one: (1, 'b') vs (True, 'a') -> 'a' first.
  const b = new PriorityQueue<unknown>();
  b.putNowait([1, "b"]);
  b.putNowait([true, "a"]);
  assert.deepEqual(b.getNowait(), [true, "a"]);
});

test("PriorityQueue ties come out in heapq's order", () => {
  const q = new PriorityQueue<[number, number]>(0, (a, b) => a[0] - b[0]);
  const ps = [3, 1, 2, 1, 3, 0, 2, 1, 0, 3, 2, 2, 1, 0, 3];
  ps.forEach((p, i) => q.putNowait([p, i]));
  const out: number[] = [];
  for (let k = 0; k < 5; k++) out.push(q.getNowait()[1]);
  [1, 0, 2].forEach((p, i) => q.putNowait([p, 100 + i]));
  while (!q.empty()) out.push(q.getNowait()[1]);
  assert.deepEqual(out, [5, 13, 8, 1, 12, 101, 3, 7, 100, 2, 102, 6, 10, 11, 9, 4, 0, 14]);
});

test("nowait errors, full/empty/qsize/maxsize", () => {
  const q = new Queue<number>(1);
  assert.throws(() => q.getNowait(), (e: unknown) => e instanceof QueueEmpty && e.name === "QueueEmpty");
  q.putNowait(1);
  assert.throws(() => q.putNowait(2), (e: unknown) => e instanceof QueueFull && e.name === "QueueFull");
  assert.deepEqual([q.full(), q.empty(), q.qsize(), q.maxsize], [true, false, 1, 1]);
  assert.deepEqual([new Queue(0).full(), new Queue(-1).full()], [false, false]);
  const big = new Queue<number>();
  for (let i = 0; i < 1000; i++) big.putNowait(i);
  for (let i = 0; i < 500; i++) assert.equal(big.getNowait(), i);
  for (let i = 1000; i < 1600; i++) big.putNowait(i);
  for (let i = 500; i < 1600; i++) assert.equal(big.getNowait(), i);
  assert.equal(big.empty(), true);
});

test("bad input: maxsize must be an integer", () => {
  for (const m of [1.3, NaN, Infinity]) {
    for (const C of [Queue, PriorityQueue, LifoQueue]) {
      assert.throws(() => new C(m), (e: unknown) => e instanceof ValueError && /maxsize must be an integer/.test(e.message));
    }
  }
  assert.throws(() => new Queue("1" as unknown as number), { name: "TypeError", message: "Queue: maxsize must be a number, got a string (1)" });
  assert.throws(() => new LifoQueue(null as unknown as number), { name: "TypeError", message: "LifoQueue: maxsize must be a number, got null" });
});

test("a get under waitFor times out and leaves no getter behind", async () => {
  await vrun(function* () {
    const q = new Queue<number>(5);
    try {
      yield* waitFor(q.get(), 10);
      assert.fail("no timeout");
    } catch (e) {
      assert.ok(e instanceof TimeoutError);
    }
    assert.equal(now(), 10);
    assert.deepEqual(st(q), [0, 0, 0, 0]);
  });
});

test("toString, inspect, and not awaitable", async () => {
  await vrun(function* () {
    const q = new Queue<number>(1);
    q.putNowait(1);
    const ps = [2, 3, 4].map((i) => createTask(q.put(i)));
    yield* sleep(0);
    assert.equal(String(q), "<Queue maxsize=1 [size:1, getters:0, putters:3, unfinished:1]>");
    q.getNowait();
    yield* sleep(0);
    assert.equal(inspect(q), "<Queue maxsize=1 [size:1, getters:0, putters:2, unfinished:2]>");
    for (const p of ps) p.cancel();
    yield* gather(...ps, { returnExceptions: true });
    assert.equal(String(new PriorityQueue()), "<PriorityQueue maxsize=0 [size:0, getters:0, putters:0, unfinished:0]>");
    assert.equal(String(new LifoQueue(3)), "<LifoQueue maxsize=3 [size:0, getters:0, putters:0, unfinished:0]>");
    assert.equal(Symbol.iterator in q, false);
    assert.equal("then" in q, false);
  });
});
