"""Scenarios behind test/locks/lock.test.ts (CPython 3.13 is the reference).

Run: PYENV_VERSION=3.13.0 python3 test/locks/python/lock.py
Each scenario prints the event list the TypeScript test asserts with deepEqual.
"""
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from clock import run, now, ms, show  # noqa: E402


def state(lock):
    r = repr(lock)
    return r[r.index("["):-1]


async def fifo_acquire():
    # CPython test_acquire: waiters are served in arrival order.
    lock = asyncio.Lock()
    ev = []
    await lock.acquire()

    async def c(i):
        r = await lock.acquire()
        ev.append((i, r))

    t1 = asyncio.create_task(c(1))
    t2 = asyncio.create_task(c(2))
    await asyncio.sleep(0)
    ev.append(("waiting", state(lock)))
    lock.release()
    ev.append(("released", lock.locked(), state(lock)))
    await asyncio.sleep(0)
    ev.append(("after 1 step", state(lock)))
    t3 = asyncio.create_task(c(3))
    lock.release()
    await asyncio.sleep(0)
    lock.release()
    await asyncio.sleep(0)
    ev.append(("end", state(lock)))
    show("fifo_acquire", ev)


async def newcomer_does_not_overtake():
    lock = asyncio.Lock()
    ev = []

    async def holder():
        async with lock:
            ev.append("A holds")
            await asyncio.sleep(0)
            await asyncio.sleep(0)
        ev.append(("A released", lock.locked(), state(lock)))

    async def waiter():
        await lock.acquire()
        ev.append("B acquired")
        lock.release()

    async def newcomer():
        # runs right after A's release, before B has run
        ev.append(("C tries", lock.locked()))
        await lock.acquire()
        ev.append("C acquired")
        lock.release()

    ta = asyncio.create_task(holder())
    tb = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    # A is at its second sleep(0); B waits. A releases in the next step.
    await asyncio.sleep(0)
    ev.append(("main sees", lock.locked(), state(lock)))
    tc = asyncio.create_task(newcomer())
    await asyncio.gather(ta, tb, tc)
    ev.append(("end", state(lock)))
    show("newcomer_does_not_overtake", ev)


async def held_with_two_contenders(hold):
    """A held Lock, its event list, and contenders B and C queued on it (one step taken).
    With `hold`, each contender keeps the lock across a sleep(0) and logs its release."""
    lock = asyncio.Lock()
    ev = []
    await lock.acquire()

    async def c(name):
        try:
            await lock.acquire()
        except asyncio.CancelledError:
            ev.append((name, "cancelled", lock.locked(), state(lock)))
            raise
        ev.append((name, "acquired"))
        if hold:
            await asyncio.sleep(0)
        lock.release()
        if hold:
            ev.append((name, "released"))

    tb = asyncio.create_task(c("B"))
    tc = asyncio.create_task(c("C"))
    await asyncio.sleep(0)
    return lock, ev, tb, tc


async def baton_woken_waiter_cancelled():
    # A releases, waking B; B is cancelled before it runs: the lock goes to C.
    lock, ev, tb, tc = await held_with_two_contenders(hold=True)
    lock.release()
    tb.cancel()
    ev.append(("after release+cancel", lock.locked(), state(lock)))
    await asyncio.gather(tb, tc, return_exceptions=True)
    ev.append(("end", lock.locked(), state(lock), tb.cancelled()))
    show("baton_woken_waiter_cancelled", ev)


async def cancel_then_release():
    # CPython test_finished_waiter_cancelled / test_cancel_race: B is cancelled
    # before A releases; the release wakes nobody, B's cleanup wakes C.
    lock, ev, tb, tc = await held_with_two_contenders(hold=False)
    tb.cancel()
    lock.release()
    ev.append(("released", state(lock)))
    await asyncio.sleep(0)
    ev.append(("step 1", state(lock)))
    await asyncio.sleep(0)
    ev.append(("step 2", state(lock)))
    await asyncio.gather(tb, tc, return_exceptions=True)
    ev.append(("end", state(lock)))
    show("cancel_then_release", ev)


async def all_waiters_cancelled_newcomer_jumps():
    lock = asyncio.Lock()
    ev = []
    await lock.acquire()
    tb = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    tb.cancel()
    lock.release()
    ev.append(("before", state(lock)))
    # B's cleanup has not run yet: its cancelled future is still queued.
    r = await lock.acquire()
    ev.append(("newcomer acquired at once", r, state(lock)))
    await asyncio.sleep(0)
    ev.append(("after B cleanup", state(lock), tb.cancelled()))
    lock.release()
    show("all_waiters_cancelled_newcomer_jumps", ev)


async def release_unlocked():
    lock = asyncio.Lock()
    try:
        lock.release()
    except RuntimeError as e:
        show("release_unlocked", str(e))


async def acquire_timeout():
    lock = asyncio.Lock()
    ev = []
    await lock.acquire()

    async def late():
        await asyncio.sleep(ms(5))
        ev.append((now(), "late tries"))
        await lock.acquire()
        ev.append((now(), "late acquired"))
        lock.release()

    tl = asyncio.create_task(late())
    try:
        await asyncio.wait_for(lock.acquire(), ms(10))
    except TimeoutError:
        ev.append((now(), "timed out", state(lock)))
    await asyncio.sleep(ms(10))
    lock.release()
    await tl
    ev.append((now(), "end", state(lock)))
    show("acquire_timeout", ev)


async def holder_order_many():
    # 5 tasks, each holds the lock across one sleep(0) twice: strict round-robin.
    lock = asyncio.Lock()
    ev = []

    async def w(i):
        for k in range(2):
            async with lock:
                ev.append(f"{i}.{k}")
                await asyncio.sleep(0)

    await asyncio.gather(*(w(i) for i in range(5)))
    show("holder_order_many", ev)


async def releaser_reacquires():
    # A releases and at once asks again while locked() is False: B was woken
    # first, so A queues behind it (strict FIFO, no barging).
    lock = asyncio.Lock()
    ev = []

    async def a():
        await lock.acquire()
        ev.append("A acquired")
        await asyncio.sleep(0)
        lock.release()
        ev.append(("A released", lock.locked(), state(lock)))
        await lock.acquire()
        ev.append("A re-acquired")
        lock.release()

    async def b():
        await lock.acquire()
        ev.append(("B acquired", state(lock)))
        lock.release()

    await asyncio.gather(a(), b())
    show("releaser_reacquires", ev)


async def newcomer_waits_behind_woken_cancelled():
    lock = asyncio.Lock()
    ev = []
    await lock.acquire()
    tb = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    lock.release()
    tb.cancel()
    ev.append(("main tries", lock.locked(), state(lock)))
    await lock.acquire()
    ev.append(("main acquired", state(lock), tb.cancelled()))
    lock.release()
    show("newcomer_waits_behind_woken_cancelled", ev)


for f in [fifo_acquire, newcomer_does_not_overtake, baton_woken_waiter_cancelled,
             cancel_then_release, all_waiters_cancelled_newcomer_jumps,
             release_unlocked, acquire_timeout,
             holder_order_many, releaser_reacquires,
             newcomer_waits_behind_woken_cancelled]:
    run(f())
