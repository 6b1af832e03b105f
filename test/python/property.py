"""CPython 3.13 side of test/property.test.ts (run: PYENV_VERSION=3.13.0 python3 property.py).

The same tree interpreter as the TypeScript test, in Python.

  python3 property.py                      random trees, checks the properties hold in CPython itself
  python3 property.py golden OUT.json N    N random trees (fixed seed) with CPython's event log for each:
                                           property-golden.json, which property.test.ts replays against
                                           asyncio-ts (no seed) and compares event by event.

vloop.deterministic() pins the two orders CPython leaves unspecified to asyncio-ts's (timers with
equal deadlines in scheduling order; a TaskGroup cancels its children in creation order).
"""
import asyncio
import json
import random
import sys
from asyncio import CancelledError, TaskGroup
from vloop import VirtualLoop, now, deterministic

deterministic()


class LeafError(Exception):
    def __init__(self, id):
        super().__init__(f"leaf {id} failed")
        self.id = id


def flatten(e):
    if isinstance(e, BaseExceptionGroup):
        return [x for sub in e.exceptions for x in flatten(sub)]
    return [e]


def desc(e):
    return e.id if isinstance(e, LeafError) else type(e).__name__


def execute(tree):
    events, violations, thrown, accounted, tasks = [], [], [], set(), []

    def ev(s):
        events.append(f"{now()} {s}")

    def account(e):
        for x in flatten(e):
            accounted.add(id(x))

    running_on = []  # tasks that run on after their node has gone: main waits for them at its end

    def failure(t):
        return None if t.cancelled() else t.exception()

    async def exec_(n, nid):
        ev(f"start {nid}")
        k = n["k"]
        if k == "leaf":
            try:
                await asyncio.sleep(n["ms"])
            finally:
                if n["cleanup"] is not None:
                    await asyncio.sleep(n["cleanup"])
                    ev(f"cleanup-done {nid}")
            if n["fail"]:
                e = LeafError(nid)
                thrown.append(e)
                ev(f"throw {nid}")
                raise e
            ev(f"ok {nid}")
            return nid
        if k == "seq":
            for i, c in enumerate(n["children"]):
                try:
                    await exec_(c, f"{nid}.{i}")
                except Exception as e:  # never a CancelledError (a BaseException)
                    if not n["catchErrors"]:
                        raise
                    account(e)
                    ev(f"caught {nid} {','.join(desc(x) for x in flatten(e))}")
            return None
        if k == "group":
            kids = []
            try:
                async with TaskGroup() as tg:
                    for i, c in enumerate(n["children"]):
                        t = tg.create_task(exec_(c, f"{nid}.{i}"), name=f"{nid}.{i}")
                        kids.append(t)
                        tasks.append(t)
                    await asyncio.sleep(n["bodyMs"])
                    if n["bodyFail"]:
                        e = LeafError(f"{nid}!body")
                        thrown.append(e)
                        ev(f"throw {nid}!body")
                        raise e
            finally:
                early = [t.get_name() for t in kids if not t.done()]
                if early:
                    violations.append(f"group {nid} exited before {','.join(early)}")
                ev(f"group-exit {nid}")
            return None
        if k == "timeout":
            async with asyncio.timeout(n["ms"]):
                return await exec_(n["child"], f"{nid}.0")
        if k == "waitFor":
            return await asyncio.wait_for(exec_(n["child"], f"{nid}.0"), n["ms"])
        if k == "waitForTask":
            t = asyncio.create_task(exec_(n["child"], f"{nid}.0"), name=f"{nid}.0")
            tasks.append(t)
            try:
                return await asyncio.wait_for(t, n["ms"])
            except CancelledError:
                if t.done() and not t.cancelled() and t.exception() is not None:
                    account(t.exception())
                    ev(f"superseded {nid}")
                raise
            finally:
                if not t.done():
                    violations.append(f"waitFor {nid} returned before its task")
        if k == "gather":
            kids = [asyncio.create_task(exec_(c, f"{nid}.{i}"), name=f"{nid}.{i}") for i, c in enumerate(n["children"])]
            tasks.extend(kids)
            def account_results(results):
                for r in results:
                    if isinstance(r, BaseException) and not isinstance(r, CancelledError):
                        account(r)
            try:
                results = await asyncio.gather(*kids, return_exceptions=True)
            except CancelledError:
                # gather was cancelled (or this task was, as its results came): CPython drops the
                # children's errors it had collected; they did reach gather, the awaiting parent
                dropped = [t for t in kids if t.done() and not t.cancelled() and t.exception() is not None]
                if dropped:
                    account_results([t.exception() for t in dropped])
                    ev(f"superseded {nid}")
                raise
            account_results(results)
            ev(f"gathered {nid} " + ",".join(desc(r) if isinstance(r, BaseException) else "v" for r in results))
            return None
        if k == "shield":
            t = asyncio.create_task(exec_(n["child"], f"{nid}.0"), name=f"{nid}.0")
            tasks.append(t)
            try:
                return await asyncio.shield(t)
            except CancelledError:
                if not t.done():
                    running_on.append(t)
                    ev(f"shield-cancelled {nid}")
                elif failure(t) is not None:
                    # it failed in the iteration its shield was cancelled: CPython retrieves and drops it
                    account(failure(t))
                    ev(f"superseded {nid}")
                raise
        if k == "wait":
            kids = [asyncio.create_task(exec_(c, f"{nid}.{i}"), name=f"{nid}.{i}") for i, c in enumerate(n["children"])]
            tasks.extend(kids)
            try:
                done, _ = await asyncio.wait(kids, timeout=n["ms"], return_when=getattr(asyncio, n["when"]))
            except CancelledError:
                running_on.extend(kids)  # wait() never cancels them
                raise
            ev(f"waited {nid} " + ",".join(
                (desc(failure(t)) if failure(t) is not None else "d") if t in done else "p" for t in kids))
            for t in done:
                if failure(t) is not None:
                    account(failure(t))
            for t in kids:
                if t not in done:
                    t.cancel()
            running_on.extend(t for t in kids if t not in done)
            return None
        if k == "asCompleted":
            kids = [asyncio.create_task(exec_(c, f"{nid}.{i}"), name=f"{nid}.{i}") for i, c in enumerate(n["children"])]
            tasks.extend(kids)
            got = []
            try:
                for nxt in asyncio.as_completed(kids, timeout=n["ms"]):
                    try:
                        r = await nxt
                        got.append("v" if r is None else str(r))
                    except Exception as e:  # a child's error, or TimeoutError once the timeout gave up on the rest
                        account(e)
                        got.append("+".join(desc(x) for x in flatten(e)))
            finally:
                ev(f"completed {nid} {','.join(got)}")
                for t in kids:
                    if not t.done():
                        t.cancel()  # as_completed never cancels them: main waits for them
                    elif failure(t) is not None:
                        account(failure(t))  # retrieved here if this node was cancelled first
                running_on.extend(t for t in kids if not t.done())
            return None
        if k == "task":
            t = asyncio.create_task(exec_(n["child"], f"{nid}.0"), name=f"{nid}.0")
            tasks.append(t)
            if n["cancelAt"] is not None:
                asyncio.get_running_loop().call_later(n["cancelAt"], t.cancel)
            try:
                return await t
            except CancelledError:
                if t.done():
                    if t.cancelled() and asyncio.current_task().cancelling() == 0:
                        ev(f"child-cancelled {nid}")
                        return None
                    if not t.cancelled() and t.exception() is not None:
                        account(t.exception())
                        ev(f"superseded {nid}")
                raise
        raise ValueError(k)

    async def main():
        def handler(loop, ctx):
            events.append(f"exception handler: {ctx['message']}")
            if ctx.get("exception") is not None:
                account(ctx["exception"])
        asyncio.get_running_loop().set_exception_handler(handler)
        try:
            return await exec_(tree, "r")
        except CancelledError:
            violations.append("CancelledError escaped main")
            raise
        finally:
            # Wait for the tasks that ran on, and retrieve their errors (wait() never raises).
            while running_on:
                ts = running_on[:]
                running_on.clear()
                await asyncio.wait(ts)
                for t in ts:
                    if failure(t) is not None:
                        account(failure(t))
                        ev(f"late {t.get_name()} {','.join(desc(x) for x in flatten(failure(t)))}")
            left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            if left:
                violations.append("tasks left at the end of main: " + ",".join(t.get_name() for t in left))

    try:
        asyncio.run(main(), loop_factory=VirtualLoop)
        events.append("run resolved")
    except BaseException as e:
        account(e)
        events.append("run rejected " + ",".join(type(x).__name__ for x in flatten(e)))
    lost = [e.id for e in thrown if id(e) not in accounted]
    not_done = [t.get_name() for t in tasks if not t.done()]
    return events, violations, lost, not_done


def random_tree(rng, depth=0):
    if depth >= 4:
        kinds = ["leaf"]
    elif depth < 2:
        kinds = ["seq", "group", "group", "timeout", "waitFor", "waitForTask", "gather", "shield", "wait", "asCompleted",
                 "task", "task"]
    else:
        kinds = ["leaf", "leaf", "leaf", "seq", "group", "timeout", "waitFor", "waitForTask", "gather", "shield", "wait",
                 "asCompleted", "task"]
    k = rng.choice(kinds)
    opt = lambda: None if rng.random() < 0.3 else rng.randint(0, 40)
    if k == "leaf":
        return {"k": k, "ms": rng.randint(0, 30), "fail": rng.random() < 0.5,
                "cleanup": None if rng.random() < 0.6 else rng.randint(0, 10)}
    if k == "seq":
        return {"k": k, "children": [random_tree(rng, depth + 1) for _ in range(rng.randint(0, 3))],
                "catchErrors": rng.random() < 0.5}
    if k == "gather":
        return {"k": k, "children": [random_tree(rng, depth + 1) for _ in range(rng.randint(0, 3))]}
    if k == "shield":
        return {"k": k, "child": random_tree(rng, depth + 1)}
    if k == "asCompleted":
        return {"k": k, "children": [random_tree(rng, depth + 1) for _ in range(rng.randint(0, 3))], "ms": opt()}
    if k == "wait":
        return {"k": k, "children": [random_tree(rng, depth + 1) for _ in range(rng.randint(1, 3))], "ms": opt(),
                "when": rng.choice(["FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"])}
    if k == "group":
        return {"k": k, "children": [random_tree(rng, depth + 1) for _ in range(rng.randint(0, 4))],
                "bodyMs": rng.randint(0, 30), "bodyFail": rng.random() < 0.5}
    if k in ("timeout", "waitFor", "waitForTask"):
        return {"k": k, "ms": opt(), "child": random_tree(rng, depth + 1)}
    return {"k": k, "child": random_tree(rng, depth + 1), "cancelAt": opt()}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "golden":
        rng = random.Random(31337)
        out = []
        for _ in range(int(sys.argv[3])):
            t = random_tree(rng)
            events, violations, lost, not_done = execute(t)
            assert not violations and not lost and not not_done, (t, violations, lost, not_done)
            out.append({"tree": t, "events": events})
        # The rare CPython case where a failed child's error is superseded by the awaiting task's own
        # cancellation (Task.__step's _must_cancel): add a few such trees on purpose.
        found = 0
        while found < 5:
            t = random_tree(rng)
            events, violations, lost, not_done = execute(t)
            if any(" superseded " in e for e in events):
                assert not violations and not lost and not not_done
                out.append({"tree": t, "events": events})
                found += 1
        with open(sys.argv[2], "w") as f:
            json.dump(out, f, separators=(",", ":"))
            f.write("\n")
        print(f"wrote {len(out)} trees")
    else:
        rng = random.Random(20240613)
        stats = {"trees": 0, "throws": 0, "superseded": 0, "handler": 0, "rejected": 0}
        for _ in range(2000):
            t = random_tree(rng)
            events, violations, lost, not_done = execute(t)
            stats["trees"] += 1
            stats["throws"] += sum(" throw " in e for e in events)
            stats["superseded"] += sum(" superseded " in e for e in events)
            stats["handler"] += sum(e.startswith("exception handler") for e in events)
            stats["rejected"] += sum(e.startswith("run rejected") for e in events)
            assert not violations, (t, violations)
            assert not lost, (t, lost, events)
            assert not not_done, (t, not_done)
        print("properties hold in CPython 3.13:", stats)
