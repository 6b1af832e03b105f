"""Scenarios behind test/locks/semaphore.test.ts (CPython 3.13).

Run: PYENV_VERSION=3.13.0 python3 test/locks/python/semaphore.py
"""
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from clock import run, now, ms, show  # noqa: E402


def state(p):
    r = repr(p)
    return r[r.index("["):-1]


async def sem_acquire():
    # CPython test_acquire with exact order.
    sem = asyncio.Semaphore(3)
    out = []
    await sem.acquire()
    await sem.acquire()
    out.append(("two held", sem.locked(), state(sem)))

    async def c(i):
        await sem.acquire()
        out.append(i)

    ts = [asyncio.create_task(c(i)) for i in (1, 2, 3)]
    await asyncio.sleep(0)
    out.append(("after step", sem.locked(), state(sem)))
    t4 = asyncio.create_task(c(4))
    sem.release()
    sem.release()
    out.append(("released twice", sem.locked(), state(sem)))
    await asyncio.sleep(0)
    out.append(("after step", state(sem)))
    sem.release()
    await asyncio.sleep(0)
    out.append(("end", state(sem)))
    show("sem_acquire", out)


async def sem_locked_fifo():
    # CPython test_acquire_fifo_order_4: value > 0 but locked() while woken
    # waiters have not run yet.
    sem = asyncio.Semaphore(0)
    out = []

    async def c1():
        await sem.acquire()
        out.append(("c1", state(sem)))

    async def c2():
        sem.release()
        sem.release()
        sem.release()
        out.append(("c2 released 3", sem.locked(), state(sem)))
        await sem.acquire()
        out.append(("c2", state(sem)))

    async def c3():
        await sem.acquire()
        out.append(("c3", state(sem)))

    ts = [asyncio.create_task(c1()), asyncio.create_task(c2()), asyncio.create_task(c3())]
    await asyncio.sleep(0)
    out.append(("main", sem.locked(), state(sem)))
    await asyncio.gather(*ts)
    out.append(("end", sem.locked(), state(sem)))
    show("sem_locked_fifo", out)


async def sem_cancel_before_awoken():
    sem = asyncio.Semaphore(0)
    out = []
    ts = [asyncio.create_task(sem.acquire()) for _ in range(4)]
    await asyncio.sleep(0)
    ts[0].cancel()
    ts[1].cancel()
    sem.release()
    out.append(("released", sem.locked(), state(sem)))
    await asyncio.sleep(0)
    out.append(("step1", [t.done() for t in ts], state(sem)))
    await asyncio.sleep(0)
    out.append(("step2", [t.done() for t in ts], state(sem)))
    ts[3].cancel()
    await asyncio.gather(*ts, return_exceptions=True)
    out.append(("end", state(sem), [t.cancelled() for t in ts]))
    show("sem_cancel_before_awoken", out)


async def sem_woken_then_cancelled():
    # The permit handed to a woken waiter that is cancelled before it runs goes
    # to the next waiter; none is lost or doubled.
    sem = asyncio.Semaphore(0)
    out = []

    async def c(name):
        try:
            await sem.acquire()
        except asyncio.CancelledError:
            out.append((name, "cancelled", state(sem)))
            raise
        out.append((name, "acquired", state(sem)))

    ts = [asyncio.create_task(c(n)) for n in "ABC"]
    await asyncio.sleep(0)
    sem.release()
    ts[0].cancel()
    out.append(("released+cancelled", sem.locked(), state(sem)))
    await asyncio.sleep(0)
    out.append(("step1", state(sem)))
    await asyncio.sleep(0)
    out.append(("step2", state(sem)))
    ts[2].cancel()
    await asyncio.gather(*ts, return_exceptions=True)
    out.append(("end", state(sem), [t.cancelled() for t in ts]))
    show("sem_woken_then_cancelled", out)


async def sem_all_cancelled_newcomer():
    sem = asyncio.Semaphore(0)
    out = []
    t = asyncio.create_task(sem.acquire())
    await asyncio.sleep(0)
    t.cancel()
    out.append(("cancelled waiter queued", sem.locked(), state(sem)))
    sem.release()
    out.append(("released", sem.locked(), state(sem)))
    r = await sem.acquire()
    out.append(("newcomer at once", r, state(sem)))
    await asyncio.sleep(0)
    out.append(("end", state(sem), t.cancelled()))
    show("sem_all_cancelled_newcomer", out)


async def sem_fifo_order():
    # CPython test_acquire_fifo_order.
    sem = asyncio.Semaphore(1)
    out = []

    async def coro(tag):
        for k in (1, 2):
            await sem.acquire()
            out.append(f"{tag}_{k}")
            await asyncio.sleep(ms(10))
            sem.release()

    await asyncio.gather(*(coro(t) for t in ("c1", "c2", "c3")))
    out.append(now())
    show("sem_fifo_order", out)


async def sem_limit_two():
    # The seed's example (Semaphore(2), 5 tasks, 1s each) with times.
    sem = asyncio.Semaphore(2)
    out = []

    async def access(i):
        async with sem:
            out.append((now(), f"Task {i} making API call"))
            await asyncio.sleep(ms(1000))
            out.append((now(), f"Task {i} finished API call"))

    await asyncio.gather(*(access(i) for i in range(5)))
    show("sem_limit_two", out)


async def bounded():
    sem = asyncio.BoundedSemaphore(2)
    out = []
    try:
        sem.release()
    except ValueError as e:
        out.append(str(e))
    await sem.acquire()
    sem.release()
    out.append(state(sem))
    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        out.append(str(e))
    out.append(state(asyncio.Semaphore(0)))
    show("bounded", out)


async def sem_release_beyond():
    sem = asyncio.Semaphore(1)
    sem.release()
    sem.release()
    show("sem_release_beyond", state(sem))


for f in [sem_acquire, sem_locked_fifo, sem_cancel_before_awoken,
             sem_woken_then_cancelled, sem_all_cancelled_newcomer, sem_fifo_order,
             sem_limit_two, bounded, sem_release_beyond]:
    run(f())
