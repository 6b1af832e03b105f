"""Scenarios behind test/shield.test.ts (CPython 3.13 is the reference).

Run: PYENV_VERSION=3.13.0 python3 test/python/shield.py
Each scenario prints the event list the TypeScript test asserts with deepEqual.
"""
import asyncio
import gc
from vloop import now, show, run_each, later, fail, cancel_after


def work(ev, d=100, v="inner result"):
    """The shielded work: sleeps `d`, returns `v`, logs ("inner done", time) or ("inner cancelled", time)."""
    return later(d, v, ev, "inner", message=False)


async def outer_cancel_does_not_cancel_inner():
    ev = []
    inner = asyncio.create_task(work(ev))

    async def waiter():
        try:
            return await asyncio.shield(inner)
        except asyncio.CancelledError as e:
            ev.append(("waiter cancelled", str(e), now(), inner.done()))
            raise

    await cancel_after(10, waiter(), lambda e, w: ev.append(("waiter task", w.cancelled())), "go away")
    ev.append(("main awaits inner", await inner, inner.cancelled(), now()))
    show("outer_cancel_does_not_cancel_inner", ev)


async def shield_future_cancel_does_not_cancel_inner():
    ev = []
    inner = asyncio.create_task(work(ev))
    outer = asyncio.shield(inner)
    await asyncio.sleep(10)
    ev.append(("outer.cancel()", outer.cancel(), outer.cancelled(), inner.cancelled()))
    ev.append(("inner result", await inner, now()))
    show("shield_future_cancel_does_not_cancel_inner", ev)


async def inner_cancelled_cancels_outer():
    ev = []
    inner = asyncio.create_task(work(ev))
    outer = asyncio.shield(inner)

    async def canceller():
        await asyncio.sleep(10)
        inner.cancel("inner msg")

    asyncio.create_task(canceller())
    try:
        await outer
    except asyncio.CancelledError as e:
        ev.append(("outer raised CancelledError", str(e), outer.cancelled(), now()))
    show("inner_cancelled_cancels_outer", ev)


async def inner_exception_passes_through():
    ev = []
    err = ValueError("inner failed")
    try:
        await asyncio.shield(fail(5, err))
    except ValueError as e:
        ev.append(("same error", e is err, now()))
    show("inner_exception_passes_through", ev)


async def shield_coroutine_keeps_running():
    ev = []

    async def waiter():
        await asyncio.shield(work(ev, 50, "x"))

    await cancel_after(10, waiter(), lambda e, w: ev.append(("waiter cancelled", now())))
    await asyncio.sleep(100)
    show("shield_coroutine_keeps_running", ev)


async def shield_done_future():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result(7)
    s = asyncio.shield(f)
    show("shield_done_future", [s.done(), await s])


async def result_passes_through():
    ev = []
    r = await asyncio.shield(work(ev, 5, "ok"))
    ev.append((r, now()))
    show("result_passes_through", ev)


async def shield_inner_fails_after_outer_cancelled():
    loop = asyncio.get_running_loop()
    reports = []
    loop.set_exception_handler(lambda l, ctx: reports.append(ctx["message"]))
    async def waiter():
        await asyncio.shield(fail(20, ValueError("nobody")))
    await cancel_after(10, waiter(), lambda e, w: None)
    await asyncio.sleep(20)
    gc.collect()
    await asyncio.sleep(0)
    show("shield_inner_fails_after_outer_cancelled", [reports, now()])


SCENARIOS = [outer_cancel_does_not_cancel_inner, shield_inner_fails_after_outer_cancelled, shield_future_cancel_does_not_cancel_inner,
             inner_cancelled_cancels_outer, inner_exception_passes_through,
             shield_coroutine_keeps_running, shield_done_future, result_passes_through]

run_each(SCENARIOS)  # a fresh virtual loop each: time starts at 0
