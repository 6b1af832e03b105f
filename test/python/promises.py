"""CPython 3.13 scenarios behind test/promises.test.ts (run: PYENV_VERSION=3.13.0 python3 promises.py).

asyncio-ts's fromPromise is CPython's wrap_future: a foreign future (here a concurrent.futures.Future
completed by a thread, there a JS promise) is adopted as an asyncio Future. This uses the real clock: a
thread, like a JS host callback, runs outside the loop.
"""
import asyncio
import concurrent.futures
import threading
import time
from asyncio import CancelledError
from vloop import report


def later(cf, delay, value=None, exc=None):
    def go():
        time.sleep(delay)
        if cf.set_running_or_notify_cancel():
            if exc is not None:
                cf.set_exception(exc)
            else:
                cf.set_result(value)
    threading.Thread(target=go).start()


async def main():
    loop = asyncio.get_running_loop()

    # adopts a value
    cf = concurrent.futures.Future()
    later(cf, 0.01, value=5)
    f = asyncio.wrap_future(cf)
    report("is-future", asyncio.isfuture(f), f.done())
    report("value", await f)

    # adopts an error, same object
    err = ValueError("rejected")
    cf = concurrent.futures.Future()
    later(cf, 0.01, exc=err)
    try:
        await asyncio.wrap_future(cf)
    except ValueError as e:
        report("error-same-object", e is err)

    # cancelling the asyncio future cancels the source (CPython: from a done callback, i.e. one loop
    # iteration later; asyncio-ts aborts the signal synchronously inside cancel())
    cf = concurrent.futures.Future()
    f = asyncio.wrap_future(cf)
    f.cancel("stop")
    report("source-cancelled-synchronously", cf.cancelled())
    await asyncio.sleep(0)
    report("source-cancelled-next-iteration", cf.cancelled(), f.cancelled())
    try:
        await f
    except CancelledError as e:
        report("await-cancelled", repr(e.args))

    # a task awaiting an adopted future is cancelled: the future, and so the source, is cancelled
    cf = concurrent.futures.Future()
    async def waiter():
        await asyncio.wrap_future(cf)
    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except CancelledError:
        report("task-cancel-cancels-source", cf.cancelled(), t.cancelled())

    # a source that settles after the adopted future was cancelled changes nothing
    cf = concurrent.futures.Future()
    f = asyncio.wrap_future(cf)
    f.cancel()
    await asyncio.sleep(0.02)
    report("late-settle-ignored", f.cancelled())

    # timeout around an adopted future that never settles
    cf = concurrent.futures.Future()
    try:
        async with asyncio.timeout(0.02):
            await asyncio.wrap_future(cf)
    except TimeoutError:
        report("timeout-cancels-source", cf.cancelled())

asyncio.run(main())
