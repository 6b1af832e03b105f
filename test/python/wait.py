"""Scenarios behind test/wait.test.ts (wait and as_completed; CPython 3.13 is the reference).

Run: PYENV_VERSION=3.13.0 python3 test/python/wait.py
Each scenario prints the event list the TypeScript test asserts with deepEqual.
"""
import asyncio
from vloop import now, show, run_each, later as later_logging, fail


def later(d, v, ev=None, name=None):
    """scenarios.later, logging a cancellation without its message."""
    return later_logging(d, v, ev, name, message=False)


def names(tasks):
    return sorted(t.get_name() for t in tasks)


async def all_completed():
    ts = [asyncio.create_task(later(d, d), name=f"t{d}") for d in (30, 10, 20)]
    done, pending = await asyncio.wait(ts)
    show("all_completed", [type(done).__name__, names(done), names(pending), now()])


async def first_completed():
    ev = []
    ts = [asyncio.create_task(later(d, d, ev, f"t{d}"), name=f"t{d}") for d in (30, 10, 20)]
    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_COMPLETED)
    ev.append(("wait returned", names(done), names(pending), now()))
    await asyncio.wait(pending)
    ev.append(("rest", now()))
    show("first_completed", ev)


async def first_exception():
    ev = []
    a = asyncio.create_task(later(10, "a"), name="a")
    b = asyncio.create_task(fail(20, ValueError("b")), name="b")
    c = asyncio.create_task(later(30, "c"), name="c")
    done, pending = await asyncio.wait([a, b, c], return_when=asyncio.FIRST_EXCEPTION)
    ev.append(("with an error", names(done), names(pending), now()))
    d = asyncio.create_task(later(5, "d"), name="d")
    e = asyncio.create_task(later(15, "e"), name="e")
    done, pending = await asyncio.wait([d, e], return_when=asyncio.FIRST_EXCEPTION)
    ev.append(("without errors: all", names(done), names(pending), now()))
    await c
    show("first_exception", ev)


async def timeout_never_raises_never_cancels():
    ev = []
    a = asyncio.create_task(later(10, "a", ev, "a"), name="a")
    b = asyncio.create_task(later(100, "b", ev, "b"), name="b")
    done, pending = await asyncio.wait([a, b], timeout=50)
    ev.append(("wait returned", names(done), names(pending), now(), b.cancelled()))
    ev.append(("b", await b, now()))
    # timeout 0: returns after one round of callbacks, nothing raised
    c = asyncio.create_task(later(10, "c"), name="c")
    done, pending = await asyncio.wait([c], timeout=0)
    ev.append(("timeout 0", names(done), names(pending), now()))
    await c
    show("timeout_never_raises_never_cancels", ev)


async def errors_are_not_raised():
    ev = []
    b = asyncio.create_task(fail(5, ValueError("b")), name="b")
    done, pending = await asyncio.wait([b])
    ev.append(("done", names(done), type(b.exception()).__name__))
    show("errors_are_not_raised", ev)


async def bad_input():
    ev = []
    try:
        await asyncio.wait([])
    except ValueError as e:
        ev.append(("empty", "ValueError", str(e)))
    try:
        await asyncio.wait(set())
    except ValueError as e:
        ev.append(("empty set", "ValueError"))
    t = asyncio.create_task(later(1, 1))
    try:
        await asyncio.wait([t], return_when="SOMETIMES")
    except ValueError as e:
        ev.append(("bad return_when", "ValueError"))
    co = later(1, 1)
    try:
        await asyncio.wait([co])
    except TypeError as e:
        ev.append(("coroutine", "TypeError", str(e)))
    co.close()
    try:
        await asyncio.wait(t)
    except TypeError as e:
        ev.append(("a single future", "TypeError"))
    await t
    show("bad_input", ev)


async def duplicates_and_done_futures():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result(1)
    t = asyncio.create_task(later(5, 5), name="t")
    done, pending = await asyncio.wait([f, f, t])
    show("duplicates_and_done_futures", [len(done), len(pending), now()])


async def wait_already_done_suspends_once():
    ev = []
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result(1)

    async def other():
        ev.append("other")

    asyncio.create_task(other())
    done, pending = await asyncio.wait([f])
    ev.append(("wait returned", len(done), len(pending)))
    show("wait_already_done_suspends_once", ev)


async def as_completed_order():
    ev = []
    for aw in asyncio.as_completed([later(30, "a"), later(10, "b"), later(20, "c")]):
        ev.append((await aw, now()))
    show("as_completed_order", ev)


async def as_completed_set_of_tasks():
    ev = []
    ts = {asyncio.create_task(later(d, d)) for d in (3, 1, 2)}
    for aw in asyncio.as_completed(ts):
        ev.append((await aw, now()))
    show("as_completed_set_of_tasks", ev)


async def as_completed_errors_in_order():
    ev = []
    for aw in asyncio.as_completed([fail(20, ValueError("late")), later(10, "ok")]):
        try:
            ev.append((await aw, now()))
        except ValueError as e:
            ev.append(("error", str(e), now()))
    show("as_completed_errors_in_order", ev)


async def as_completed_timeout():
    ev = []
    slow = asyncio.create_task(later(100, "slow", ev, "slow"))
    it = asyncio.as_completed([later(10, "fast"), slow], timeout=50)
    for aw in it:
        try:
            ev.append((await aw, now()))
        except TimeoutError:
            ev.append(("TimeoutError", now(), slow.cancelled()))
            break
    await slow
    ev.append(("slow still finishes", slow.result(), now()))
    show("as_completed_timeout", ev)


async def as_completed_timeout_all_remaining():
    # after the deadline every remaining awaitable raises TimeoutError
    ev = []
    it = asyncio.as_completed([later(100, "x"), later(200, "y"), later(10, "z")], timeout=50)
    for aw in it:
        try:
            ev.append((await aw, now()))
        except TimeoutError:
            ev.append(("TimeoutError", now()))
    show("as_completed_timeout_all_remaining", ev)


async def as_completed_empty():
    ev = ["iterations", len(list(asyncio.as_completed([])))]
    show("as_completed_empty", ev)


async def as_completed_duplicates():
    c = later(1, "v")
    n = 0
    for aw in asyncio.as_completed([c, c]):
        await aw
        n += 1
    show("as_completed_duplicates", ["iterations", n])


async def first_completed_simultaneous():
    a = asyncio.create_task(asyncio.sleep(10), name="a")
    b = asyncio.create_task(asyncio.sleep(10), name="b")
    c = asyncio.create_task(asyncio.sleep(20), name="c")
    done, pending = await asyncio.wait([a, b, c], return_when=asyncio.FIRST_COMPLETED)
    show("first_completed_simultaneous", [sorted(t.get_name() for t in done), sorted(t.get_name() for t in pending), now()])
    await c


SCENARIOS = [all_completed, first_completed_simultaneous, first_completed, first_exception, timeout_never_raises_never_cancels,
             errors_are_not_raised, bad_input, duplicates_and_done_futures,
             wait_already_done_suspends_once, as_completed_order, as_completed_set_of_tasks,
             as_completed_errors_in_order, as_completed_timeout, as_completed_timeout_all_remaining,
             as_completed_empty, as_completed_duplicates]

run_each(SCENARIOS)  # a fresh virtual loop each: time starts at 0
