"""Scenarios behind test/locks/barrier.test.ts (CPython 3.13).

Run: PYENV_VERSION=3.13.0 python3 test/locks/python/barrier.py
"""
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from clock import run, now, ms, show  # noqa: E402


def state(p):
    r = repr(p)
    return r[r.index("["):-1]


async def barrier_basic():
    b = asyncio.Barrier(3)
    out = [state(b)]

    async def w(name):
        i = await b.wait()
        out.append((name, i, state(b)))

    ts = []
    for name in "ABC":
        ts.append(asyncio.create_task(w(name)))
        await asyncio.sleep(0)
        out.append(("after", name, b.n_waiting, state(b)))
    await asyncio.gather(*ts)
    out.append(("end", b.n_waiting, b.broken, state(b)))
    show("barrier_basic", out)


async def barrier_twice():
    # Passing the barrier twice in a row: the second round waits for draining.
    b = asyncio.Barrier(2)
    out = []

    async def w(name):
        for r in range(2):
            i = await b.wait()
            out.append((name, r, i))

    await asyncio.gather(w("A"), w("B"))
    out.append(state(b))
    show("barrier_twice", out)


async def two_waiting_of_three(entry):
    """A Barrier(3), its event list, and tasks A and B waiting on it (one step taken).
    A waiter that gets BrokenBarrierError logs `entry(name, error, barrier)`."""
    b = asyncio.Barrier(3)
    out = []

    async def w(name):
        try:
            await b.wait()
        except asyncio.BrokenBarrierError as e:
            out.append(entry(name, e, b))

    ts = [asyncio.create_task(w(n)) for n in "AB"]
    await asyncio.sleep(0)
    return b, out, ts


async def barrier_reset_waiting():
    b, out, ts = await two_waiting_of_three(lambda name, e, b: (name, type(e).__name__, str(e), state(b)))
    await b.reset()
    out.append(("reset", state(b)))
    await asyncio.gather(*ts)
    out.append(("end", state(b), b.broken))
    show("barrier_reset_waiting", out)


async def barrier_abort():
    b, out, ts = await two_waiting_of_three(lambda name, e, b: (name, str(e)))
    await b.abort()
    out.append(("aborted", state(b), b.broken, b.n_waiting))
    await asyncio.gather(*ts)
    try:
        await b.wait()
    except asyncio.BrokenBarrierError as e:
        out.append(("late", str(e)))
    await b.reset()
    out.append(("after reset", state(b), b.broken))
    show("barrier_abort", out)


async def barrier_cancel_one():
    b = asyncio.Barrier(2)
    out = []

    async def w(name):
        try:
            i = await b.wait()
            out.append((name, i))
        except asyncio.CancelledError:
            out.append((name, "cancelled", state(b)))
            raise

    t1 = asyncio.create_task(w("A"))
    await asyncio.sleep(0)
    out.append(state(b))
    t1.cancel()
    await asyncio.sleep(0)
    out.append(state(b))
    await asyncio.gather(w("B"), w("C"))
    out.append(state(b))
    show("barrier_cancel_one", out)


async def barrier_errors():
    out = []
    for p in (0, -4):
        try:
            asyncio.Barrier(p)
        except ValueError as e:
            out.append(str(e))
    show("barrier_errors", out)


async def barrier_context():
    b = asyncio.Barrier(2)
    out = []

    async def w(name):
        async with b as i:
            out.append((name, i))

    await asyncio.gather(w("A"), w("B"))
    show("barrier_context", out)


for f in [barrier_basic, barrier_twice, barrier_reset_waiting, barrier_abort,
          barrier_cancel_one, barrier_errors, barrier_context]:
    run(f())
