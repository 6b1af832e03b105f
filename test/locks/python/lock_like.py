"""Scenarios behind test/locks/lock-like.test.ts: the same scenarios over every lock-like
primitive (Lock, Semaphore(1), BoundedSemaphore(1), Condition), which CPython 3.13 runs with the
same outcome for each.

Run: PYENV_VERSION=3.13.0 python3 test/locks/python/lock_like.py
"""
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from clock import run, now, ms, show  # noqa: E402

FACTORIES = {
    "Lock": asyncio.Lock,
    "Semaphore(1)": lambda: asyncio.Semaphore(1),
    "BoundedSemaphore(1)": lambda: asyncio.BoundedSemaphore(1),
    "Condition": asyncio.Condition,
}


async def exclusion_and_fifo(make):
    lock = make()
    ev = []
    inside = 0

    async def w(i):
        nonlocal inside
        for k in range(3):
            async with lock:
                inside += 1
                ev.append((i, k, inside))
                await asyncio.sleep(ms(i % 3))
                inside -= 1

    await asyncio.gather(*(w(i) for i in range(4)))
    ev.append(("end", now(), lock.locked()))
    return ev


async def held_with_waiters(make, names):
    """A held lock from `make`, its event list, and one queued contender task per name."""
    lock = make()
    ev = []
    await lock.acquire()

    async def w(name):
        try:
            await lock.acquire()
        except asyncio.CancelledError:
            ev.append((name, "cancelled"))
            raise
        ev.append((name, "acquired"))
        await asyncio.sleep(0)
        lock.release()

    return lock, ev, {n: asyncio.create_task(w(n)) for n in names}


async def cancel_waiting(make):
    lock, ev, ts = await held_with_waiters(make, "ABCD")
    await asyncio.sleep(0)
    ts["B"].cancel()
    await asyncio.sleep(0)
    lock.release()
    ts["C"].cancel()        # woken? no: A is woken; C is cancelled while queued
    await asyncio.gather(*ts.values(), return_exceptions=True)
    ev.append(("end", lock.locked(), [ts[n].cancelled() for n in "ABCD"]))
    return ev


async def baton(make):
    lock, ev, ts = await held_with_waiters(make, "ABC")
    await asyncio.sleep(0)
    lock.release()
    ts["A"].cancel()        # A was woken: the lock goes to B
    ev.append(("newcomer tries",))
    await lock.acquire()     # queues behind B and C
    ev.append(("main acquired",))
    lock.release()
    await asyncio.gather(*ts.values(), return_exceptions=True)
    ev.append(("end", lock.locked(), [ts[n].cancelled() for n in "ABC"]))
    return ev


async def timeout_waiting(make):
    lock = make()
    ev = []
    await lock.acquire()

    async def w(name, t):
        try:
            await asyncio.wait_for(lock.acquire(), ms(t))
            ev.append((now(), name, "acquired"))
            await asyncio.sleep(ms(5))
            lock.release()
        except TimeoutError:
            ev.append((now(), name, "timeout"))

    ts = [asyncio.create_task(w("A", 10)), asyncio.create_task(w("B", 30)), asyncio.create_task(w("C", 100))]
    await asyncio.sleep(ms(20))
    lock.release()
    await asyncio.gather(*ts)
    ev.append((now(), "end", lock.locked()))
    return ev


results = {}
for name, make in FACTORIES.items():
    results[name] = {f.__name__: run(f(make))
                     for f in (exclusion_and_fifo, cancel_waiting, baton, timeout_waiting)}
first = next(iter(results.values()))
for name, r in results.items():
    assert r == first, (name, r, first)
for k, v in first.items():
    show(k, v)
print("identical for", ", ".join(results))
