"""CPython 3.13 scenarios behind test/debug.test.ts (run: PYENV_VERSION=3.13.0 python3 debug.py).

Debug mode: CPython logs a step slower than slow_callback_duration (logger.warning, naming the task).
A task that swallows a CancelledError and awaits again is NOT reported by CPython; asyncio-ts adds
that report (issue 2, item 5). The scenario shows what CPython leaves behind: the task keeps running
with cancelling() == 1, and nothing is logged.
"""
import asyncio
import logging
import time
from asyncio import CancelledError
from vloop import asyncio_log

records = asyncio_log(logging.DEBUG)


async def slow():
    loop = asyncio.get_running_loop()
    loop.slow_callback_duration = 0.05
    async def hog():
        await asyncio.sleep(0)
        time.sleep(0.12)   # blocks the loop for one step
        await asyncio.sleep(0)
    async def quick():
        await asyncio.sleep(0)
    await asyncio.gather(asyncio.create_task(hog(), name="hog"), asyncio.create_task(quick(), name="quick"))

records.clear()
asyncio.run(slow(), debug=True)
slow_reports = [r for r in records if "took" in r]
print("slow-reports", len(slow_reports), "name='hog'" in slow_reports[0],
      any("quick" in r for r in slow_reports))
print("slow-report-text", slow_reports[0].split(" coro=")[0], "...", slow_reports[0].rsplit(" took ", 1)[1][:1])

# not in debug mode: no report
records.clear()
asyncio.run(slow(), debug=False)
print("no-debug-slow-reports", len([r for r in records if "took" in r]))


async def swallow():
    log = []
    async def swallower():
        try:
            await asyncio.sleep(100)
        except CancelledError:
            log.append(("swallowed", asyncio.current_task().cancelling()))
        await asyncio.sleep(0.01)
        log.append(("went-on-awaiting", asyncio.current_task().cancelling()))
        return "finished"
    t = asyncio.create_task(swallower(), name="swallower")
    await asyncio.sleep(0)
    t.cancel()
    r = await t
    log.append(("result", r, t.cancelled()))
    return log

records.clear()
print("swallow", asyncio.run(swallow(), debug=True))
print("swallow-reports", [r.split("\n")[0] for r in records if "swallower" in r])


# a task whose exception is never retrieved: reported when the task is collected, with its name
# (and, in debug mode, where it was created: context["source_traceback"])
import gc
async def never_retrieved():
    ctxs = []
    asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: ctxs.append(ctx))
    async def fails():
        raise ValueError("nobody looks")
    asyncio.create_task(fails(), name="forgotten")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    gc.collect()
    await asyncio.sleep(0)
    return [(c["message"], type(c["exception"]).__name__, c["future"].get_name(), "source_traceback" in c) for c in ctxs]
print("never-retrieved", asyncio.run(never_retrieved(), debug=True))
