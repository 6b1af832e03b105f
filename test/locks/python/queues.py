"""Scenarios behind test/queues.test.ts (CPython 3.13).

Run: PYENV_VERSION=3.13.0 python3 test/locks/python/queues.py
"""
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from clock import run, now, ms, show  # noqa: E402


def st(q):
    return (q.qsize(), len(q._getters), len(q._putters), q._unfinished_tasks)


async def maxsize_blocks():
    # CPython test_maxsize
    q = asyncio.Queue(maxsize=2)
    out = []

    async def putter():
        for i in range(3):
            await q.put(i)
            out.append(("put", i))

    t = asyncio.create_task(putter())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    out.append(("blocked", st(q)))
    out.append(("get", await q.get()))
    out.append(("after get", st(q)))
    await asyncio.sleep(0)
    out.append(("get", await q.get()))
    out.append(("get", await q.get()))
    await t
    out.append(("end", st(q)))
    show("maxsize_blocks", out)


async def getter_woken_then_cancelled():
    # CPython test_get_cancel_drop_many_pending_readers, exact.
    q = asyncio.Queue()
    out = []

    async def r(name):
        try:
            v = await q.get()
            out.append((name, v))
        except asyncio.CancelledError:
            out.append((name, "cancelled", st(q)))
            raise

    ts = [asyncio.create_task(r(n)) for n in ("r1", "r2", "r3")]
    await asyncio.sleep(0)
    q.put_nowait(1)
    q.put_nowait(2)
    out.append(("put 2", st(q)))
    ts[0].cancel()
    await asyncio.gather(*ts, return_exceptions=True)
    out.append(("end", st(q)))
    show("getter_woken_then_cancelled", out)


async def getter_woken_then_cancelled_single():
    # CPython test_get_cancel_drop_one_pending_reader
    q = asyncio.Queue()
    out = []
    reader = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    q.put_nowait(1)
    q.put_nowait(2)
    reader.cancel()
    try:
        await reader
    except asyncio.CancelledError:
        out.append("cancelled")
    out.append(("left", q.get_nowait(), q.get_nowait()))
    show("getter_woken_then_cancelled_single", out)


async def putter_woken_then_cancelled():
    q = asyncio.Queue(1)
    q.put_nowait("a")
    out = []

    async def p(name, item):
        try:
            await q.put(item)
            out.append((name, "put", st(q)))
        except asyncio.CancelledError:
            out.append((name, "cancelled", st(q)))
            raise

    ts = [asyncio.create_task(p("p1", "b")), asyncio.create_task(p("p2", "c"))]
    await asyncio.sleep(0)
    out.append(("waiting", st(q)))
    out.append(("got", q.get_nowait(), st(q)))
    ts[0].cancel()
    await asyncio.gather(*ts, return_exceptions=True)
    out.append(("end", st(q), q.get_nowait()))
    show("putter_woken_then_cancelled", out)


async def newcomer_steals_item():
    # Queue is not strictly FIFO for getters: an item put wakes a getter, but
    # get_nowait() by someone else before it runs takes the item; the woken
    # getter waits again at the back.
    q = asyncio.Queue()
    out = []

    async def g(name):
        v = await q.get()
        out.append((name, v))

    t1 = asyncio.create_task(g("g1"))
    t2 = asyncio.create_task(g("g2"))
    await asyncio.sleep(0)
    q.put_nowait("x")
    out.append(("stolen", q.get_nowait(), st(q)))
    await asyncio.sleep(0)
    out.append(("g1 requeued", st(q)))
    q.put_nowait("y")
    await asyncio.sleep(0)
    q.put_nowait("z")
    await asyncio.gather(t1, t2)
    show("newcomer_steals_item", out)


async def ping_pong():
    q = asyncio.Queue(1)
    out = []

    async def prod():
        for i in range(4):
            await q.put(i)
            out.append(("put", i))

    async def cons():
        for i in range(4):
            out.append(("got", await q.get()))

    await asyncio.gather(prod(), cons())
    show("ping_pong", out)


async def join_task_done():
    q = asyncio.Queue()
    out = []
    for i in range(3):
        q.put_nowait(i)

    async def worker():
        while True:
            v = await q.get()
            await asyncio.sleep(ms(10))
            out.append((now(), "done", v))
            q.task_done()

    async def joiner(name):
        await q.join()
        out.append((now(), name, "joined", q._unfinished_tasks))

    w = asyncio.create_task(worker())
    j1 = asyncio.create_task(joiner("j1"))
    await joiner("main")
    await j1
    w.cancel()
    try:
        q.task_done()
    except ValueError as e:
        out.append(str(e))
    show("join_task_done", out)


async def shutdown_graceful():
    q = asyncio.Queue(1)
    out = []
    q.put_nowait("a")

    async def getter(name):
        try:
            while True:
                v = await q.get()
                out.append((name, "got", v))
                q.task_done()
        except asyncio.QueueShutDown as e:
            out.append((name, "shutdown", type(e).__name__, str(e)))

    async def putter(name, v):
        try:
            await q.put(v)
            out.append((name, "put", v))
        except asyncio.QueueShutDown as e:
            out.append((name, "shutdown", type(e).__name__))

    tp = asyncio.create_task(putter("p", "b"))
    await asyncio.sleep(0)
    j = asyncio.create_task(q.join())
    q.shutdown()
    out.append(("shutdown", st(q)))
    await asyncio.sleep(0)
    tg = asyncio.create_task(getter("g"))
    await asyncio.gather(tp, tg, j)
    out.append(("end", st(q), j.done()))
    for f in (lambda: q.put_nowait(1), q.get_nowait):
        try:
            f()
        except asyncio.QueueShutDown as e:
            out.append(type(e).__name__)
    show("shutdown_graceful", out)


async def shutdown_immediate():
    q = asyncio.Queue()
    out = []
    for i in range(3):
        q.put_nowait(i)
    got = q.get_nowait()
    j = asyncio.create_task(q.join())
    q.shutdown(immediate=True)
    out.append(("after", st(q), got))
    await asyncio.sleep(0)
    out.append(("join done?", j.done()))
    q.task_done()
    await asyncio.sleep(0)
    out.append(("join done?", j.done()))
    try:
        q.task_done()
    except ValueError as e:
        out.append(str(e))
    show("shutdown_immediate", out)


async def shutdown_wakes_getters():
    q = asyncio.Queue()
    out = []

    async def g(name):
        try:
            await q.get()
        except asyncio.QueueShutDown:
            out.append((name, "QueueShutDown", st(q)))

    ts = [asyncio.create_task(g(n)) for n in ("g1", "g2")]
    await asyncio.sleep(0)
    q.shutdown()
    out.append(("shutdown", st(q)))
    await asyncio.gather(*ts)
    show("shutdown_wakes_getters", out)


async def shutdown_graceful_getter_drains():
    # graceful: blocked getters wake and find... an empty queue -> raise; but a
    # queue with items keeps serving them.
    q = asyncio.Queue()
    q.put_nowait(1)
    q.put_nowait(2)
    q.shutdown()
    out = [await q.get(), q.get_nowait()]
    try:
        await q.get()
    except asyncio.QueueShutDown:
        out.append("QueueShutDown")
    show("shutdown_graceful_getter_drains", out)


async def priority_and_lifo():
    out = []
    pq = asyncio.PriorityQueue()
    for item in [(2, "b"), (1, "z"), (2, "a"), (1, "y", 0), (0, "q")]:
        pq.put_nowait(item)
    out.append([pq.get_nowait() for _ in range(pq.qsize())])
    lq = asyncio.LifoQueue()
    for i in [1, 3, 2]:
        lq.put_nowait(i)
    out.append([lq.get_nowait() for _ in range(3)])
    pq2 = asyncio.PriorityQueue()
    for s in ["b", "a", "c", "ab"]:
        pq2.put_nowait(s)
    out.append([pq2.get_nowait() for _ in range(4)])
    show("priority_and_lifo", out)


async def cancelled_getter_removed():
    q = asyncio.Queue(5)
    out = []
    try:
        await asyncio.wait_for(q.get(), ms(10))
    except TimeoutError:
        out.append((now(), "timeout", st(q)))
    q.put_nowait(1)
    put = asyncio.create_task(q.put(2))
    await asyncio.sleep(0)
    out.append(st(q))
    show("cancelled_getter_removed", out)


async def errors():
    out = []
    q = asyncio.Queue(1)
    try:
        q.get_nowait()
    except asyncio.QueueEmpty as e:
        out.append(("QueueEmpty", str(e)))
    q.put_nowait(1)
    try:
        q.put_nowait(2)
    except asyncio.QueueFull as e:
        out.append(("QueueFull", str(e)))
    out.append((q.full(), q.empty(), q.qsize(), q.maxsize))
    out.append((asyncio.Queue(0).full(), asyncio.Queue(-1).full()))
    show("errors", out)


for f in [maxsize_blocks, getter_woken_then_cancelled, getter_woken_then_cancelled_single,
          putter_woken_then_cancelled, newcomer_steals_item, ping_pong, join_task_done,
          shutdown_graceful, shutdown_immediate, shutdown_wakes_getters,
          shutdown_graceful_getter_drains, priority_and_lifo, cancelled_getter_removed, errors]:
    run(f())


class _ByPriority:
    def __init__(self, p, label):
        self.p, self.label = p, label

    def __lt__(self, other):
        return self.p < other.p


async def priority_ties_follow_heapq():
    # A compare that ties: the pop order is heapq's, which the TypeScript heap reproduces.
    q = asyncio.PriorityQueue()
    ps = [3, 1, 2, 1, 3, 0, 2, 1, 0, 3, 2, 2, 1, 0, 3]
    for i, p in enumerate(ps):
        q.put_nowait(_ByPriority(p, i))
    out = []
    for k in range(5):
        out.append(q.get_nowait().label)
    for i, p in enumerate([1, 0, 2]):
        q.put_nowait(_ByPriority(p, 100 + i))
    while not q.empty():
        out.append(q.get_nowait().label)
    show("priority_ties_follow_heapq", out)


run(priority_ties_follow_heapq())
