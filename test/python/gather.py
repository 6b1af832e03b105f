"""Scenarios behind test/gather.test.ts (CPython 3.13 is the reference).

Run: PYENV_VERSION=3.13.0 python3 test/python/gather.py
Each scenario prints the event list the TypeScript test asserts with deepEqual.
"""
import asyncio
import gc
from vloop import now, show, run_each, later, fail, cancel_after


async def results_in_order():
    r = await asyncio.gather(later(30, "a"), later(10, "b"), later(20, "c"))
    show("results_in_order", [r, now()])


async def return_exceptions():
    err = ValueError("bad")
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.cancel("fm")
    r = await asyncio.gather(later(5, 1), fail(2, err), f, return_exceptions=True)
    show("return_exceptions", [r[0], r[1] is err, type(r[2]).__name__, str(r[2]), now()])


async def first_exception_propagates():
    ev = []
    err = ValueError("first")
    slow = asyncio.create_task(later(30, "slow", ev, "slow"))
    try:
        await asyncio.gather(fail(10, err, ev, "failer"), slow, later(20, "mid", ev, "mid"))
    except ValueError as e:
        ev.append(("main caught", e is err, now(), slow.done()))
    await asyncio.sleep(50)
    ev.append(("slow", slow.cancelled(), slow.result()))
    show("first_exception_propagates", ev)


async def cancel_awaiting_task_cancels_children():
    ev = []

    async def parent():
        try:
            await asyncio.gather(later(100, 1, ev, "a"), later(200, 2, ev, "b"))
        except asyncio.CancelledError as e:
            ev.append(("parent cancelled", str(e), now()))
            raise

    await cancel_after(10, parent(), lambda e, t: ev.append(("main", t.cancelled(), now())), "stop")
    show("cancel_awaiting_task_cancels_children", ev)


async def cancel_the_gather_future():
    ev = []
    done_child = asyncio.create_task(later(1, "early"))
    a = asyncio.create_task(later(100, 1, ev, "a"))
    g = asyncio.gather(done_child, a, later(200, 2, ev, "b"))
    await asyncio.sleep(10)
    ev.append(("cancel", g.cancel("m"), g.done()))
    try:
        await g
    except asyncio.CancelledError as e:
        ev.append(("await gather", str(e), g.done(), g.cancelled(), now()))
    ev.append(("cancel again", g.cancel()))
    ev.append(("children", done_child.cancelled(), a.cancelled()))
    show("cancel_the_gather_future", ev)


async def cancel_gather_with_return_exceptions():
    ev = []
    g = asyncio.gather(later(100, 1, ev, "a"), return_exceptions=True)
    await asyncio.sleep(10)
    g.cancel()
    try:
        r = await g
        ev.append(("returned", r))
    except asyncio.CancelledError as e:
        ev.append(("raised CancelledError", str(e)))
    # with a message: the CancelledError the last child ended with, so the message is kept
    g = asyncio.gather(later(100, 1, ev, "b"), later(50, 2, ev, "c"), return_exceptions=True)
    await asyncio.sleep(10)
    g.cancel("m")
    try:
        r = await g
        ev.append(("returned", r))
    except asyncio.CancelledError as e:
        ev.append(("raised CancelledError", str(e), g.cancelled(), now()))
    show("cancel_gather_with_return_exceptions", ev)


async def a_child_cancelled():
    ev = []
    a = asyncio.create_task(later(100, 1, ev, "a"))
    b = asyncio.create_task(later(200, 2, ev, "b"))
    g = asyncio.gather(a, b)

    async def canceller():
        await asyncio.sleep(10)
        a.cancel("child msg")

    asyncio.create_task(canceller())
    try:
        await g
    except asyncio.CancelledError as e:
        ev.append(("gather raised CancelledError", str(e), now(), g.cancelled(), type(g.exception()).__name__, b.done()))
    await b
    ev.append(("b still finished", b.result(), now()))
    show("a_child_cancelled", ev)


async def a_child_cancelled_return_exceptions():
    ev = []
    a = asyncio.create_task(later(100, 1))
    g = asyncio.gather(a, later(200, 2), return_exceptions=True)
    await asyncio.sleep(10)
    a.cancel("child msg")
    r = await g
    ev.append((type(r[0]).__name__, str(r[0]), r[1], now(), g.cancelled()))
    show("a_child_cancelled_return_exceptions", ev)


async def same_coroutine_twice():
    ev = []

    async def once():
        ev.append("ran")
        await asyncio.sleep(1)
        return "v"

    c = once()
    r = await asyncio.gather(c, c)
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    loop.call_later(2, f.set_result, "f")
    r2 = await asyncio.gather(f, f, later(1, "x"))
    show("same_coroutine_twice", [ev, r, r2, now()])


async def no_args():
    ev = []
    g = asyncio.gather()
    ev.append(("done at once", g.done(), g.result()))
    ev.append(await asyncio.gather())
    show("no_args", ev)


async def iterations_to_wake():
    # how many loop iterations between gather(sleep(0)) and the awaiting task resuming
    ev = []

    async def ticker():
        for i in range(6):
            ev.append(f"tick {i}")
            await asyncio.sleep(0)

    t = asyncio.create_task(ticker())
    await asyncio.sleep(0)  # ticker runs tick 0
    r = await asyncio.gather(asyncio.sleep(0, "x"))
    ev.append(("main got", r))
    await t
    show("iterations_to_wake", ev)


async def done_futures():
    ev = []
    loop = asyncio.get_running_loop()
    f1 = loop.create_future()
    f1.set_result(1)
    f2 = loop.create_future()
    f2.set_result(2)
    g = asyncio.gather(f1, f2)
    ev.append(("gather of done futures is done at once", g.done()))
    ev.append(await g)
    show("done_futures", ev)


async def other_exceptions_are_retrieved():
    loop = asyncio.get_running_loop()
    reports = []
    loop.set_exception_handler(lambda l, ctx: reports.append(ctx["message"]))
    try:
        await asyncio.gather(fail(1, ValueError("one")), fail(2, ValueError("two")))
    except ValueError as e:
        first = str(e)
    await asyncio.sleep(5)
    gc.collect()
    await asyncio.sleep(0)
    show("other_exceptions_are_retrieved", [first, reports])


async def exception_after_cancel_request():
    # cancelling the gather after it already failed does nothing
    ev = []
    slow = asyncio.create_task(later(30, "slow", ev, "slow"))
    g = asyncio.gather(fail(10, ValueError("x")), slow)
    try:
        await g
    except ValueError:
        ev.append(("cancel after failure", g.cancel(), now()))
    await slow
    show("exception_after_cancel_request", ev)


async def child_swallows_gather_cancel():
    ev = []
    async def swallower():
        try:
            await asyncio.sleep(100)
        except asyncio.CancelledError:
            ev.append(("child swallowed", now()))
        return "x"
    g = asyncio.gather(swallower())
    await asyncio.sleep(10)
    ev.append(("cancel", g.cancel("q")))
    try:
        r = await g
        ev.append(("returned", r))
    except asyncio.CancelledError as e:
        ev.append(("raised CancelledError", str(e), now()))
    show("child_swallows_gather_cancel", ev)


SCENARIOS = [results_in_order, child_swallows_gather_cancel, return_exceptions, first_exception_propagates,
             cancel_awaiting_task_cancels_children, cancel_the_gather_future,
             cancel_gather_with_return_exceptions, a_child_cancelled,
             a_child_cancelled_return_exceptions, same_coroutine_twice, no_args, iterations_to_wake,
             done_futures, other_exceptions_are_retrieved, exception_after_cancel_request]

run_each(SCENARIOS)  # a fresh virtual loop each: time starts at 0
