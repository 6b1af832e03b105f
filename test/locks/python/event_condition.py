"""Scenarios behind test/locks/event.test.ts and condition.test.ts (CPython 3.13).

Run: PYENV_VERSION=3.13.0 python3 test/locks/python/event_condition.py
"""
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from clock import run, now, ms, show  # noqa: E402


def state(p):
    r = repr(p)
    return r[r.index("["):-1]


async def event_wait_order():
    # CPython test_wait: t3 starts after set(), yet runs first (its first step
    # was scheduled before the wake-ups).
    ev = asyncio.Event()
    out = []

    async def c(i):
        r = await ev.wait()
        out.append((i, r))

    t1 = asyncio.create_task(c(1))
    t2 = asyncio.create_task(c(2))
    await asyncio.sleep(0)
    out.append(("waiting", state(ev)))
    t3 = asyncio.create_task(c(3))
    ev.set()
    out.append(("set", state(ev)))
    await asyncio.sleep(0)
    out.append(("end", state(ev)))
    show("event_wait_order", out)


async def event_set_then_clear():
    ev = asyncio.Event()
    out = []

    async def c(i):
        r = await ev.wait()
        out.append((i, r, ev.is_set()))

    ts = [asyncio.create_task(c(i)) for i in range(3)]
    await asyncio.sleep(0)
    ev.set()
    ev.clear()
    out.append(("cleared", state(ev)))
    late = asyncio.create_task(c("late"))
    await asyncio.sleep(0)
    out.append(("after", state(ev), late.done()))
    ev.set()
    await late
    show("event_set_then_clear", out)


async def event_cancel_one():
    ev = asyncio.Event()
    out = []

    async def c(i):
        try:
            await ev.wait()
            out.append((i, "woke"))
        except asyncio.CancelledError:
            out.append((i, "cancelled", state(ev)))
            raise

    ts = [asyncio.create_task(c(i)) for i in range(3)]
    await asyncio.sleep(0)
    ts[1].cancel()
    ev.set()
    await asyncio.gather(*ts, return_exceptions=True)
    # cancelled after set() but before it ran: the wake-up wins? no: cancel first
    ts2 = [asyncio.create_task(c(i)) for i in (10, 11)]
    ev.clear()
    await asyncio.sleep(0)
    ev.set()
    ts2[0].cancel()
    await asyncio.gather(*ts2, return_exceptions=True)
    out.append(("end", state(ev), [t.cancelled() for t in ts2]))
    show("event_cancel_one", out)


async def event_wait_on_set_does_not_yield():
    ev = asyncio.Event()
    ev.set()
    out = []

    async def other():
        out.append("other ran")

    asyncio.create_task(other())
    r = await ev.wait()
    out.append(("waited", r))
    await asyncio.sleep(0)
    show("event_wait_on_set_does_not_yield", out)


async def cond_wait_order():
    # CPython test_wait.
    cond = asyncio.Condition()
    out = []

    async def c(i):
        await cond.acquire()
        r = await cond.wait()
        out.append((i, r))

    ts = [asyncio.create_task(c(i)) for i in (1, 2, 3)]
    await asyncio.sleep(0)
    out.append(("waiting", state(cond)))
    await cond.acquire()
    cond.notify()
    await asyncio.sleep(0)
    out.append(("notified, still held", state(cond)))
    cond.release()
    await asyncio.sleep(0)
    out.append(("1 runs", state(cond)))
    cond.notify(2)
    await asyncio.sleep(0)
    cond.release()
    await asyncio.sleep(0)
    cond.release()
    await asyncio.sleep(0)
    out.append(("end", state(cond)))
    cond.release()
    show("cond_wait_order", out)


async def cond_wait_cancel_reacquires():
    # Cancelled while waiting for notify: wait() re-acquires the lock, which
    # another task holds, before raising CancelledError.
    cond = asyncio.Condition()
    out = []

    async def w():
        async with cond:
            try:
                await cond.wait()
            except asyncio.CancelledError:
                out.append(("w cancelled, holds lock", cond.locked(), now()))
                raise

    t = asyncio.create_task(w())
    await asyncio.sleep(0)
    await cond.acquire()
    t.cancel()
    await asyncio.sleep(ms(5))
    out.append(("main holds", state(cond), t.done()))
    cond.release()
    await asyncio.gather(t, return_exceptions=True)
    out.append(("end", state(cond), t.cancelled()))
    show("cond_wait_cancel_reacquires", out)


async def two_consumers_one_notified(report_locked, then):
    """Consumers c1 and c2 wait for an item; main adds one, notifies one waiter and, still
    holding the lock, runs `then(cond, c1, out)`. Returns the event list.
    With `report_locked`, a cancelled consumer also logs whether it holds the lock."""
    cond = asyncio.Condition()
    out = []
    items = []

    async def consumer(name):
        async with cond:
            try:
                await cond.wait_for(lambda: items)
            except asyncio.CancelledError:
                out.append((name, "cancelled", cond.locked()) if report_locked else (name, "cancelled"))
                raise
            out.append((name, "got", items.pop()))

    c1 = asyncio.create_task(consumer("c1"))
    c2 = asyncio.create_task(consumer("c2"))
    await asyncio.sleep(0)
    async with cond:
        items.append("x")
        cond.notify(1)
        await then(cond, c1, out)
    await asyncio.gather(c1, c2, return_exceptions=True)
    out.append(("end", state(cond), items))
    return out


async def cond_notified_then_cancelled_passes_on():
    # CPython test_cancelled_wakeup: a waiter notified and cancelled before it
    # runs passes the notification to the next waiter.
    async def then(cond, c1, out):
        c1.cancel()
        out.append(("notified+cancelled", state(cond)))

    out = await two_consumers_one_notified(False, then)
    show("cond_notified_then_cancelled_passes_on", out)


async def cond_cancelled_while_reacquiring():
    # CPython test_cancelled_wakeup_relock.
    async def then(cond, c1, out):
        await asyncio.sleep(0)   # c1 wakes and blocks re-acquiring
        out.append(("c1 re-acquiring", state(cond)))
        c1.cancel()

    out = await two_consumers_one_notified(True, then)
    show("cond_cancelled_while_reacquiring", out)


async def cond_errors():
    cond = asyncio.Condition()
    out = []
    for f in (cond.notify, cond.notify_all):
        try:
            f()
        except RuntimeError as e:
            out.append(str(e))
    try:
        await cond.wait()
    except RuntimeError as e:
        out.append(str(e))
    r = await cond.wait_for(lambda: [1, 2])
    out.append(r)
    try:
        await cond.wait_for(lambda: 0)
    except RuntimeError as e:
        out.append(str(e))
    show("cond_errors", out)


async def cond_wait_for_predicate():
    cond = asyncio.Condition()
    out = []
    value = [0]

    async def w():
        async with cond:
            r = await cond.wait_for(lambda: value[0] >= 2 and value[0])
            out.append(("w got", r))

    t = asyncio.create_task(w())
    for i in range(3):
        await asyncio.sleep(0)
        async with cond:
            value[0] += 1
            out.append(("notify", value[0]))
            cond.notify()
    await t
    show("cond_wait_for_predicate", out)


async def cond_shared_lock():
    lock = asyncio.Lock()
    cond = asyncio.Condition(lock)
    out = []
    async with lock:
        out.append(("lock held", cond.locked()))
    async with cond:
        out.append(("cond held", lock.locked()))
    out.append(("end", state(cond), state(lock)))
    show("cond_shared_lock", out)


async def cond_notify_all_order():
    cond = asyncio.Condition()
    out = []

    async def c(i):
        async with cond:
            await cond.wait()
            out.append(i)

    ts = [asyncio.create_task(c(i)) for i in range(4)]
    await asyncio.sleep(0)
    async with cond:
        cond.notify_all()
        out.append(("notified", state(cond)))
    await asyncio.gather(*ts)
    show("cond_notify_all_order", out)


for f in [event_wait_order, event_set_then_clear, event_cancel_one,
             event_wait_on_set_does_not_yield, cond_wait_order,
             cond_wait_cancel_reacquires, cond_notified_then_cancelled_passes_on,
             cond_cancelled_while_reacquiring, cond_errors, cond_wait_for_predicate,
             cond_shared_lock, cond_notify_all_order]:
    run(f())
