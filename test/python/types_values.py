"""The runtime half of test/types.test.ts (its other half is compile-time only: expect-type checks).

Run: PYENV_VERSION=3.13.0 python3 test/python/types_values.py
(Not named types.py: that would shadow the standard library module `types` for every script here.)
Prints the values the typed coroutine returns; test/types.test.ts asserts the same list
(JS differences: 10n is a bigint where Python has an int; `{ k: 1 }` is a dict here).
"""
import asyncio
from vloop import vrun, show


async def num():
    await asyncio.sleep(1)
    return 1


async def string():
    await asyncio.sleep(2)
    return "s"


async def typed():
    t = asyncio.create_task(string())
    from_task = await t
    from_coroutine = await num()
    f = asyncio.get_running_loop().create_future()
    f.set_result(True)
    from_future = await f
    tup = await asyncio.gather(num(), string(), t, f)
    slept = await asyncio.sleep(1, {"k": 1})
    shielded = await asyncio.shield(asyncio.create_task(num()))
    waited = await asyncio.wait_for(string(), 100)

    async def promise_like(v):  # fromPromise(Promise.resolve(v)) in asyncio-ts
        return v

    adopted = await promise_like(10)
    from_signal_promise = await promise_like("p")
    completed = [await aw for aw in asyncio.as_completed([asyncio.create_task(num()), asyncio.create_task(num())])]
    done, pending = await asyncio.wait([asyncio.create_task(num())])
    return [from_task, from_coroutine, from_future, list(tup), slept, shielded, waited, adopted,
            from_signal_promise, completed, len(done)]


show("typed", vrun(typed()))
