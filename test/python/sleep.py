"""Scenarios behind test/sleep.test.ts (CPython 3.13 is the reference).

Run: PYENV_VERSION=3.13.0 python3 test/python/sleep.py
Each scenario prints the event list the TypeScript test asserts with deepEqual.
"""
import asyncio
from vloop import now, show, run_each, sleep_log_cancel, cancel_after


async def sleep0_interleaves():
    ev = []

    async def worker(name):
        for i in range(3):
            ev.append(f"{name}{i}")
            await asyncio.sleep(0)

    await asyncio.gather(worker("a"), worker("b"))
    ev.append(("time", now()))
    show("sleep0_interleaves", ev)


async def sleep0_yields_exactly_once():
    ev = []
    loop = asyncio.get_running_loop()

    async def other():
        ev.append("other start")
        await asyncio.sleep(0)
        ev.append("other second step")

    loop.call_soon(lambda: ev.append("callback scheduled before"))
    asyncio.create_task(other())
    await asyncio.sleep(0)
    ev.append("main after one sleep(0)")
    await asyncio.sleep(0)
    ev.append("main after two sleep(0)")
    show("sleep0_yields_exactly_once", ev)


async def sleep_result():
    ev = [await asyncio.sleep(10, "ten"), now(), await asyncio.sleep(0, "zero"), now(),
          await asyncio.sleep(5), now()]
    show("sleep_result", ev)


async def negative_is_zero():
    ev = []

    async def other():
        ev.append("other")

    asyncio.create_task(other())
    r = await asyncio.sleep(-100, "neg")
    ev.append((r, now()))
    show("negative_is_zero", ev)


async def bad_delays():
    ev = []
    try:
        await asyncio.sleep(float("nan"))
    except ValueError as e:
        ev.append(("ValueError", str(e)))
    try:
        await asyncio.sleep("10")
    except TypeError as e:
        ev.append("TypeError")
    try:
        await asyncio.sleep(None)
    except TypeError as e:
        ev.append("TypeError")
    ev.append(now())
    show("bad_delays", ev)


async def virtual_time_exact():
    ev = []

    async def s(name, d):
        await asyncio.sleep(d)
        ev.append((name, now()))

    await asyncio.sleep(1000)
    ev.append(("main", now()))
    await asyncio.sleep(250)
    await asyncio.sleep(250)
    ev.append(("main", now()))
    await asyncio.gather(s("a", 300), s("b", 100), s("c", 200), s("d", 100))
    ev.append(("gathered", now()))
    await asyncio.sleep(3_600_000)
    ev.append(("an hour later", now()))
    show("virtual_time_exact", ev)


async def cancel_sleeping_task():
    ev = []

    await cancel_after(100, sleep_log_cancel(ev, "sleeper cancelled", 10_000), lambda e, t: None)
    ev.append(("main", now()))
    # the cancelled timer does not hold the clock back: the next timer is 5 ms away
    await asyncio.sleep(5)
    ev.append(("main", now()))
    show("cancel_sleeping_task", ev)


SCENARIOS = [sleep0_interleaves, sleep0_yields_exactly_once, sleep_result, negative_is_zero,
             bad_delays, virtual_time_exact, cancel_sleeping_task]

run_each(SCENARIOS)  # a fresh virtual loop each: time starts at 0
