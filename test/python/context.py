"""CPython 3.13 scenarios behind test/context.test.ts (run: PYENV_VERSION=3.13.0 python3 context.py).

`async with cm as v: body` is asyncWith(cm, function* (v) { body }); __aexit__(et, exc, tb) is
aexit({ failed: false }) or aexit({ failed: true, error }).
"""
import asyncio
from asyncio import CancelledError
from vloop import now, name, scenario


class CM:
    def __init__(self, log, suppress=False, enter_error=None, exit_error=None):
        self.log, self.suppress, self.enter_error, self.exit_error = log, suppress, enter_error, exit_error

    async def __aenter__(self):
        self.log.append(("aenter", now()))
        await asyncio.sleep(1)
        if self.enter_error:
            raise self.enter_error
        return "resource"

    async def __aexit__(self, et, exc, tb):
        self.log.append(("aexit", now(), name(exc) if exc else None))
        await asyncio.sleep(1)
        if self.exit_error:
            raise self.exit_error
        return self.suppress


async def ok(log):
    async with CM(log) as v:
        log.append(("body", v, now()))
        r = "body-value"
    return r


async def body_error(log):
    async with CM(log):
        log.append(("body", now()))
        raise ValueError("body")


async def suppressed(log):
    r = "unset"
    async with CM(log, suppress=True):
        raise ValueError("body")
    log.append(("after-suppressed", now()))
    return r


async def exit_error_replaces(log):
    async with CM(log, exit_error=KeyError("exit")):
        raise ValueError("body")


async def enter_error(log):
    async with CM(log, enter_error=TypeError("enter")):
        log.append(("body not run",))


async def cancelled_in_body(log):
    async def inner():
        async with CM(log):
            log.append(("body", now()))
            await asyncio.sleep(100)
    t = asyncio.create_task(inner())
    await asyncio.sleep(5)
    t.cancel()
    try:
        await t
    except CancelledError:
        log.append(("task-cancelled", now(), t.cancelled()))


async def suppress_cancel(log):
    async def inner():
        async with CM(log, suppress=True):
            await asyncio.sleep(100)
        log.append(("after", now(), asyncio.current_task().cancelling()))
        return "survived"
    t = asyncio.create_task(inner())
    await asyncio.sleep(5)
    t.cancel()
    log.append(("task", await t, t.cancelled()))


async def falsy_non_bool(log):
    class CM2(CM):
        async def __aexit__(self, et, exc, tb):
            return None
    async with CM2(log):
        raise ValueError("not suppressed by None")


for s in [ok, body_error, suppressed, exit_error_replaces, enter_error, cancelled_in_body, suppress_cancel, falsy_non_bool]:
    scenario(s, tasks=False)
