"""Scenarios behind test/tasks.test.ts (CPython 3.13 is the reference).

Run: PYENV_VERSION=3.13.0 python3 test/python/tasks.py
Each scenario prints the event list the TypeScript test asserts with deepEqual.
"""
import asyncio
import gc
from vloop import now, show, run_each, on_cancel, cancel_after


async def starts_next_iteration():
    ev = []

    async def child(name):
        ev.append(f"{name} start")
        await asyncio.sleep(0)
        ev.append(f"{name} end")

    a = asyncio.create_task(child("a"))
    b = asyncio.create_task(child("b"))
    ev.append(("created", a.done(), b.done()))
    await asyncio.sleep(0)
    ev.append("main after sleep(0)")
    await asyncio.gather(a, b)
    show("starts_next_iteration", ev)


async def cancel_is_a_request():
    ev = []

    async def child():
        try:
            ev.append("child sleeping")
            await asyncio.sleep(1000)
        except asyncio.CancelledError as e:
            ev.append(("child caught", str(e), now()))
            raise
        finally:
            ev.append("child finally")

    t = asyncio.create_task(child())
    await asyncio.sleep(10)
    r = t.cancel()
    ev.append(("cancel returned", r, t.done(), t.cancelled(), t.cancelling()))
    try:
        await t
    except asyncio.CancelledError as e:
        ev.append(("main caught", str(e), t.done(), t.cancelled(), now()))
    show("cancel_is_a_request", ev)


async def cancel_before_start():
    ev = []

    async def child():
        try:
            ev.append("child body")
        finally:
            ev.append("child finally")

    t = asyncio.create_task(child())
    ev.append(("cancel", t.cancel()))
    await asyncio.sleep(0)
    ev.append(("after one iteration", t.done(), t.cancelled()))
    show("cancel_before_start", ev)


async def catch_and_return():
    ev = []

    async def recover(e):
        ev.append("caught")
        return "recovered"

    t = asyncio.create_task(on_cancel(recover, 1000))
    await asyncio.sleep(0)
    t.cancel()
    r = await t
    ev.append(("result", r, t.cancelled(), t.cancelling()))
    show("catch_and_return", ev)


async def catch_and_raise_other():
    ev = []

    async def child():
        try:
            await asyncio.sleep(1000)
        except asyncio.CancelledError:
            raise ValueError("instead")

    t = asyncio.create_task(child())
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except ValueError as e:
        ev.append(("ValueError", str(e), t.cancelled(), type(t.exception()).__name__))
    show("catch_and_raise_other", ev)


async def raise_cancelled_itself():
    ev = []

    async def child():
        await asyncio.sleep(0)
        raise asyncio.CancelledError("own")

    t = asyncio.create_task(child())
    try:
        await t
    except asyncio.CancelledError as e:
        ev.append(("caught", str(e), t.cancelled(), t.cancelling()))
    show("raise_cancelled_itself", ev)


async def cancel_message_propagates():
    ev = []

    async def child_sees(e):
        ev.append(("child sees", str(e)))
        raise e

    await cancel_after(0, on_cancel(child_sees, 1000), lambda e, t: ev.append(("awaiter sees", str(e))), "reason")
    show("cancel_message_propagates", ev)


async def cancel_message_before_start():
    ev = []

    async def child():
        ev.append("body")

    t = asyncio.create_task(child())
    t.cancel("early")
    try:
        await t
    except asyncio.CancelledError as e:
        ev.append(("awaiter sees", str(e), t.cancelled()))
    show("cancel_message_before_start", ev)


async def cancelling_and_uncancel():
    ev = []

    async def child():
        me = asyncio.current_task()
        try:
            await asyncio.sleep(1000)
        except asyncio.CancelledError:
            ev.append(("caught, cancelling", me.cancelling(), now()))
            ev.append(("uncancel", me.uncancel()))
            ev.append(("uncancel", me.uncancel()))
            ev.append(("uncancel at 0", me.uncancel()))
        await asyncio.sleep(5)
        ev.append(("slept again", now()))
        return "ok"

    t = asyncio.create_task(child())
    await asyncio.sleep(0)
    ev.append(("cancel 1", t.cancel(), t.cancelling()))
    ev.append(("cancel 2", t.cancel(), t.cancelling()))
    r = await t
    ev.append(("result", r, t.cancelled(), t.cancelling()))
    show("cancelling_and_uncancel", ev)


async def uncancel_before_start():
    # 3.13: uncancel() that brings the count to 0 also withdraws a pending request.
    ev = []

    async def child():
        ev.append("body runs")
        return 1

    t = asyncio.create_task(child())
    t.cancel()
    ev.append(("uncancel", t.uncancel()))
    r = await t
    ev.append(("result", r, t.cancelled()))
    show("uncancel_before_start", ev)


async def cancel_done_task():
    async def child():
        return 1

    t = asyncio.create_task(child())
    await t
    c = asyncio.create_task(child())
    c.cancel()
    try:
        await c
    except asyncio.CancelledError:
        pass
    show("cancel_done_task", [t.cancel(), t.cancelling(), t.cancelled(), c.cancel(), c.cancelling()])


async def names():
    async def child():
        pass

    a = asyncio.create_task(child())
    b = asyncio.create_task(child())
    na, nb = a.get_name(), b.get_name()
    c = asyncio.create_task(child(), name="worker")
    ev = [na.startswith("Task-"), int(nb[5:]) - int(na[5:]), c.get_name()]
    c.set_name("renamed")
    ev.append(c.get_name())
    await asyncio.gather(a, b, c)
    show("names", ev)


async def current_and_all_tasks():
    ev = []
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()

    async def child():
        ev.append(("child sees itself", asyncio.current_task() is t))
        await asyncio.sleep(10)

    t = asyncio.create_task(child())
    ev.append(("all", asyncio.all_tasks() == {main, t}))
    loop.call_soon(lambda: ev.append(("in a callback", asyncio.current_task())))
    await asyncio.sleep(0)
    await t
    ev.append(("after child done", asyncio.all_tasks() == {main}))
    show("current_and_all_tasks", ev)


async def await_itself():
    ev = []

    async def child():
        try:
            await asyncio.current_task()
        except RuntimeError as e:
            ev.append(("RuntimeError", str(e).startswith("Task cannot await on itself")))
        return "survived"

    t = asyncio.create_task(child())
    ev.append(await t)
    show("await_itself", ev)


async def create_task_errors():
    ev = []
    aw = asyncio.sleep(0)
    try:
        asyncio.create_task(aw.__await__)  # not a coroutine
    except TypeError as e:
        ev.append(("TypeError for a non-coroutine", str(e).startswith("a coroutine was expected")))
    aw.close()
    show("create_task_errors", ev)


def create_task_outside_loop():
    async def child():
        pass
    c = child()
    try:
        asyncio.create_task(c)
    except RuntimeError as e:
        show("create_task_outside_loop", ["RuntimeError", str(e)])
    c.close()


async def never_retrieved():
    loop = asyncio.get_running_loop()
    reports = []
    loop.set_exception_handler(lambda l, ctx: reports.append(ctx))

    async def fail():
        raise ValueError("lost")

    async def fail_retrieved():
        raise ValueError("seen")

    asyncio.create_task(fail(), name="doomed")
    kept = asyncio.create_task(fail_retrieved(), name="kept")
    await asyncio.sleep(1)
    kept.exception()
    del kept
    gc.collect()
    await asyncio.sleep(0)
    show("never_retrieved", [(c["message"], c["future"].get_name(), type(c["exception"]).__name__, str(c["exception"])) for c in reports])
    loop.set_exception_handler(None)


async def wakeup_after_child_finishes():
    ev = []

    async def c():
        ev.append("c1")
        await asyncio.sleep(0)
        ev.append("c2")
        return "C"

    async def b():
        for i in range(5):
            ev.append(f"b{i}")
            await asyncio.sleep(0)

    async def a(ct):
        ev.append("a waits")
        ev.append(f"a got {await ct}")

    ct = asyncio.create_task(c())
    bt = asyncio.create_task(b())
    at = asyncio.create_task(a(ct))
    await asyncio.gather(at, bt)
    show("wakeup_after_child_finishes", ev)


async def cancel_propagates_to_awaited_task():
    ev = []

    async def inner():
        try:
            await asyncio.sleep(1000)
        except asyncio.CancelledError as e:
            ev.append(("inner cancelled", str(e)))
            raise

    async def outer(it):
        try:
            await it
        except asyncio.CancelledError as e:
            ev.append(("outer cancelled", str(e), it.cancelled()))
            raise

    it = asyncio.create_task(inner())
    ot = asyncio.create_task(outer(it))
    await asyncio.sleep(1)
    ot.cancel("stop")
    try:
        await ot
    except asyncio.CancelledError:
        ev.append(("main", ot.cancelled(), it.cancelled(), now()))
    show("cancel_propagates_to_awaited_task", ev)


async def cancel_cancels_the_awaited_future():
    ev = []
    loop = asyncio.get_running_loop()
    f = loop.create_future()

    async def child():
        await f

    t = asyncio.create_task(child())
    await asyncio.sleep(0)
    t.cancel("m")
    ev.append(("future cancelled at once", f.cancelled()))
    try:
        f.result()
    except asyncio.CancelledError as e:
        ev.append(("future message", str(e)))
    try:
        await t
    except asyncio.CancelledError:
        ev.append(("task", t.cancelled()))
    show("cancel_cancels_the_awaited_future", ev)


async def self_cancel():
    ev = []
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    done.set_result("d")

    async def child():
        asyncio.current_task().cancel()
        ev.append(("await done future", await done))
        try:
            await asyncio.sleep(0)
            ev.append("not reached")
        except asyncio.CancelledError:
            ev.append("CancelledError at the next suspension")
            raise

    t = asyncio.create_task(child())
    try:
        await t
    except asyncio.CancelledError:
        ev.append(("cancelled", t.cancelled()))
    show("self_cancel", ev)


async def result_and_exception():
    ev = []
    err = KeyError("x")

    async def ok():
        await asyncio.sleep(3)
        return 3

    async def bad():
        await asyncio.sleep(4)
        raise err

    o = asyncio.create_task(ok())
    b = asyncio.create_task(bad())
    ev.append(await o)
    try:
        await b
    except KeyError as e:
        ev.append(("same", e is err, b.exception() is err, now()))
    ev.append((o.result(), o.exception()))
    co = ok()
    t = asyncio.create_task(co)
    ev.append(("get_coro", t.get_coro() is co))
    await t
    show("result_and_exception", ev)


async def cancel_after_result_before_resume():
    ev = []
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    async def child():
        try:
            v = await f
            ev.append(("got", v))
        except asyncio.CancelledError as e:
            ev.append(("CancelledError instead of the result", str(e)))
            raise
    t = asyncio.create_task(child())
    await asyncio.sleep(0)
    f.set_result(1)
    ev.append(("cancel", t.cancel("late")))
    try:
        await t
    except asyncio.CancelledError:
        ev.append(("cancelled", t.cancelled(), f.result()))
    show("cancel_after_result_before_resume", ev)


async def self_cancel_then_return():
    async def child():
        asyncio.current_task().cancel("self")
        return 5
    t = asyncio.create_task(child())
    try:
        await t
        r = "returned"
    except asyncio.CancelledError as e:
        r = ("CancelledError", str(e))
    show("self_cancel_then_return", [r, t.cancelled()])


async def cancel_during_sleep0():
    ev = []
    async def child():
        try:
            ev.append("child before sleep(0)")
            await asyncio.sleep(0)
            ev.append("not reached")
        except asyncio.CancelledError as e:
            ev.append(("child cancelled at sleep(0)", str(e)))
            raise
    async def other():
        ev.append("other")
    t = asyncio.create_task(child())
    asyncio.create_task(other())
    await asyncio.sleep(0)  # child runs, yields
    ev.append(("cancel", t.cancel("z")))
    try:
        await t
    except asyncio.CancelledError:
        ev.append(("cancelled", t.cancelled(), now()))
    show("cancel_during_sleep0", ev)


async def catch_and_go_on():
    ev = []
    async def child():
        try:
            await asyncio.sleep(1000)
        except asyncio.CancelledError:
            ev.append(("caught", now()))
        await asyncio.sleep(5)
        ev.append(("slept after swallowing", now()))
        return "r"
    t = asyncio.create_task(child())
    await asyncio.sleep(10)
    t.cancel()
    ev.append((await t, t.cancelled(), t.cancelling(), now()))
    show("catch_and_go_on", ev)


SCENARIOS = [starts_next_iteration, cancel_is_a_request, cancel_before_start, catch_and_return,
              catch_and_raise_other, raise_cancelled_itself, cancel_message_propagates,
              cancel_message_before_start, cancelling_and_uncancel, uncancel_before_start,
              cancel_done_task, names, current_and_all_tasks, await_itself, create_task_errors,
              never_retrieved, wakeup_after_child_finishes, cancel_propagates_to_awaited_task,
              cancel_cancels_the_awaited_future, self_cancel, result_and_exception,
             cancel_after_result_before_resume, self_cancel_then_return, cancel_during_sleep0,
             catch_and_go_on]

run_each(SCENARIOS)  # a fresh virtual loop each: time starts at 0

create_task_outside_loop()
