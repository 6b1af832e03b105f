"""Scenarios behind test/futures.test.ts (CPython 3.13 is the reference).

Run: PYENV_VERSION=3.13.0 python3 test/python/futures.py
Each scenario prints the event list the TypeScript test asserts with deepEqual.
"""
import asyncio
from vloop import now, show, run_each


async def result_and_states():
    loop = asyncio.get_running_loop()
    ev = []
    f = loop.create_future()
    ev.append(("pending", f.done(), f.cancelled()))
    try:
        f.result()
    except asyncio.InvalidStateError:
        ev.append("result() pending -> InvalidStateError")
    try:
        f.exception()
    except asyncio.InvalidStateError:
        ev.append("exception() pending -> InvalidStateError")
    f.set_result(42)
    ev.append(("done", f.done(), f.cancelled(), f.result(), f.exception()))
    try:
        f.set_result(1)
    except asyncio.InvalidStateError:
        ev.append("setResult on done -> InvalidStateError")
    try:
        f.set_exception(ValueError("x"))
    except asyncio.InvalidStateError:
        ev.append("setException on done -> InvalidStateError")
    ev.append(("cancel on done", f.cancel()))
    show("result_and_states", ev)


async def exception_state():
    loop = asyncio.get_running_loop()
    ev = []
    f = loop.create_future()
    err = ValueError("boom")
    f.set_exception(err)
    ev.append(("done", f.done(), f.cancelled(), f.exception() is err))
    try:
        f.result()
    except ValueError as e:
        ev.append(("result() raises the same object", e is err))
    show("exception_state", ev)


async def cancel_states():
    loop = asyncio.get_running_loop()
    ev = []
    f = loop.create_future()
    ev.append(("cancel", f.cancel()))
    ev.append(("second cancel", f.cancel()))
    ev.append(("states", f.done(), f.cancelled()))
    try:
        f.result()
    except asyncio.CancelledError as e:
        ev.append(("result() CancelledError", str(e)))
    try:
        f.exception()
    except asyncio.CancelledError as e:
        ev.append(("exception() CancelledError", str(e)))
    g = loop.create_future()
    g.cancel("stop now")
    try:
        g.result()
    except asyncio.CancelledError as e:
        ev.append(("with msg", str(e)))
    try:
        g.set_result(1)
    except asyncio.InvalidStateError:
        ev.append("setResult on cancelled -> InvalidStateError")
    show("cancel_states", ev)


async def callbacks_through_loop():
    loop = asyncio.get_running_loop()
    ev = []
    f = loop.create_future()
    loop.call_soon(lambda: ev.append("soon before"))
    f.add_done_callback(lambda fut: ev.append(("cb1", fut is f)))
    f.add_done_callback(lambda fut: ev.append(("cb2", fut is f)))
    f.set_result(1)
    ev.append("after setResult")
    loop.call_soon(lambda: ev.append("soon after"))
    # a callback added to a done future is scheduled too, never run synchronously
    f.add_done_callback(lambda fut: ev.append("cb3 (added when done)"))
    ev.append("after addDoneCallback on done")
    await asyncio.sleep(0)
    ev.append("main resumed")
    show("callbacks_through_loop", ev)


async def remove_done_callback():
    loop = asyncio.get_running_loop()
    ev = []
    f = loop.create_future()
    cb = lambda fut: ev.append("cb")
    cb2 = lambda fut: ev.append("cb2")
    f.add_done_callback(cb)
    f.add_done_callback(cb2)
    f.add_done_callback(cb)
    ev.append(("remove cb", f.remove_done_callback(cb)))
    ev.append(("remove cb again", f.remove_done_callback(cb)))
    ev.append(("remove unknown", f.remove_done_callback(lambda fut: None)))
    f.set_result(None)
    await asyncio.sleep(0)
    show("remove_done_callback", ev)


async def cancel_callbacks():
    loop = asyncio.get_running_loop()
    ev = []
    f = loop.create_future()
    f.add_done_callback(lambda fut: ev.append(("cb", fut.cancelled())))
    f.cancel()
    ev.append("after cancel")
    await asyncio.sleep(0)
    show("cancel_callbacks", ev)


async def await_done_future_does_not_suspend():
    loop = asyncio.get_running_loop()
    ev = []
    f = loop.create_future()
    f.set_result("v")

    async def other():
        ev.append("other")

    asyncio.create_task(other())
    ev.append(("awaited", await f))
    ev.append("still before other")
    await asyncio.sleep(0)
    show("await_done_future_does_not_suspend", ev)


async def await_pending_future_wakeup_order():
    loop = asyncio.get_running_loop()
    ev = []
    f = loop.create_future()

    async def waiter(name):
        ev.append(f"{name} waits")
        v = await f
        ev.append(f"{name} got {v}")

    async def ticker():
        for i in range(4):
            ev.append(f"tick {i}")
            await asyncio.sleep(0)

    asyncio.create_task(waiter("w1"))
    asyncio.create_task(waiter("w2"))
    t = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    ev.append("setResult")
    f.set_result(7)
    await t
    show("await_pending_future_wakeup_order", ev)


async def awaiting_cancelled_future_gets_message():
    loop = asyncio.get_running_loop()
    ev = []
    f = loop.create_future()

    async def waiter():
        try:
            await f
        except asyncio.CancelledError as e:
            ev.append(("waiter caught", str(e)))
            raise

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    f.cancel("bye")
    try:
        await t
    except asyncio.CancelledError as e:
        ev.append(("task cancelled", t.cancelled()))
    show("awaiting_cancelled_future_gets_message", ev)


async def await_future_exception_same_object():
    loop = asyncio.get_running_loop()
    ev = []
    f = loop.create_future()
    err = KeyError("k")
    loop.call_later(5, f.set_exception, err)
    try:
        await f
    except KeyError as e:
        ev.append(("same object", e is err, now()))
    show("await_future_exception_same_object", ev)


async def get_loop():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    g = asyncio.Future()
    show("get_loop", [f.get_loop() is loop, g.get_loop() is loop])


async def callback_raises():
    ev = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda l, ctx: ev.append(("handler", ctx["message"].split(" ")[0:3], str(ctx["exception"]))))
    f = loop.create_future()
    def bad(fut):
        ev.append("cb1 raises")
        raise ValueError("cb1")
    f.add_done_callback(bad)
    f.add_done_callback(lambda fut: ev.append("cb2"))
    f.set_result(None)
    await asyncio.sleep(0)
    ev.append("loop goes on")
    show("callback_raises", ev)


SCENARIOS = [result_and_states, exception_state, cancel_states, callbacks_through_loop,
              remove_done_callback, cancel_callbacks, await_done_future_does_not_suspend,
              await_pending_future_wakeup_order, awaiting_cancelled_future_gets_message,
              await_future_exception_same_object, get_loop, callback_raises]

run_each(SCENARIOS)  # a fresh virtual loop each: time starts at 0

