"""Scenarios behind test/coroutines.test.ts (CPython 3.13 is the reference).

Run: PYENV_VERSION=3.13.0 python3 test/python/coroutines.py
Each scenario prints the event list the TypeScript test asserts with deepEqual.

Differences that are by design:
- A bare yield of a value (`yield 42` where `yield* ...` was meant) is answered by CPython with
  RuntimeError("Task got bad yield: 42") thrown into the coroutine; asyncio-ts throws a TypeError
  whose message says to write `yield*`.
- CPython's bare `yield` (None) is its sleep(0); in asyncio-ts every bare yield is the mistake above.
"""
import asyncio
import types
from vloop import vrun, now, show, run_each


@types.coroutine
def bad_yield(value):
    # what a forgotten `*` amounts to: the task receives a plain value
    return (yield value)


async def iscoroutine():
    async def co():
        return 1

    c = co()
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    t = asyncio.create_task(co())
    ev = [asyncio.iscoroutine(c), asyncio.iscoroutine(co), asyncio.iscoroutine(f),
          asyncio.iscoroutine(t), asyncio.iscoroutine(None), asyncio.iscoroutine({}),
          asyncio.iscoroutine(42)]
    c.close()
    await t
    show("iscoroutine", ev)


async def bare_yield_caught():
    ev = []

    async def child():
        try:
            await bad_yield(42)
            ev.append("not reached")
        except RuntimeError as e:
            ev.append(("caught", str(e)))
        await asyncio.sleep(1)
        ev.append(("goes on", now()))
        return "ok"

    t = asyncio.create_task(child())
    ev.append(await t)
    show("bare_yield_caught", ev)


async def bare_yield_uncaught():
    ev = []

    async def child():
        await bad_yield(42)

    t = asyncio.create_task(child())
    try:
        await t
    except RuntimeError as e:
        ev.append(("task failed", type(t.exception()).__name__))
    show("bare_yield_uncaught", ev)


async def lazy():
    ev = []

    async def hello():
        ev.append("hello runs")
        return "h"

    c = hello()
    ev.append("created")
    await asyncio.sleep(0)
    ev.append("after a loop iteration")
    ev.append(await c)
    show("lazy", ev)


async def await_coroutine_inline():
    ev = []

    async def inner():
        ev.append("inner")
        return "i"

    async def other():
        ev.append("other task")

    asyncio.create_task(other())
    ev.append(await inner())
    ev.append("main goes on")
    await asyncio.sleep(0)
    show("await_coroutine_inline", ev)


async def nested_exception_same_object():
    err = ValueError("deep")

    async def deep():
        await asyncio.sleep(2)
        raise err

    async def middle():
        try:
            return await deep()
        finally:
            ev.append("middle finally")

    ev = []
    try:
        await middle()
    except ValueError as e:
        ev.append(("same", e is err, now()))
    show("nested_exception_same_object", ev)


def bare_yield_in_main():
    async def main():
        await bad_yield(1)

    try:
        vrun(main())
    except RuntimeError as e:
        show("bare_yield_in_main", ["run raised", type(e).__name__])


SCENARIOS = [iscoroutine, bare_yield_caught, bare_yield_uncaught, lazy, await_coroutine_inline,
             nested_exception_same_object]

run_each(SCENARIOS)  # a fresh virtual loop each: time starts at 0

bare_yield_in_main()
