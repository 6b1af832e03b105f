"""Differential scenarios: random scripts of tasks using a Lock, a Semaphore(2), an Event, a
Condition, a Queue(2) (with task_done, join and shutdown) and a Barrier(3), with sleeps and
cancellations. CPython 3.13 runs each script and its
event log is written to test/locks/differential-golden.json; test/locks/differential.test.ts runs
the same scripts on asyncio-ts and must produce the same logs, ordering and times included.

Run: PYENV_VERSION=3.13.0 python3 test/locks/python/differential.py
"""
import asyncio
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))
from clock import deterministic, run, now, ms  # noqa: E402

OPS = ["L+", "L-", "S+", "S-", "E?", "E!", "E0", "C?", "C!", "C*", "Q>", "Q<", "z", "s1", "s2", "s3", "x", "W",
       "Qn", "Qg", "Qd", "Qj", "Qs", "QS", "B?", "Br", "Ba", "R", "P"]


def gen_script(rng):
    n = rng.randint(2, 6)
    tasks = []
    for _ in range(n):
        ops = []
        for _ in range(rng.randint(1, 7)):
            op = rng.choice(OPS)
            if op in ("x", "R", "P"):
                op = f"{op}{rng.randrange(n)}"
            elif op == "W":
                op = f"W{rng.randint(0, 3)}"
            ops.append(op)
        tasks.append(ops)
    return tasks


def state(p):
    r = repr(p)
    return r[r.index("["):-1]


def qstate(q):
    return [q.qsize(), len(q._getters), len(q._putters), q._unfinished_tasks]


async def play(script):
    log = []
    lock = asyncio.Lock()
    sem = asyncio.Semaphore(2)
    ev = asyncio.Event()
    cond = asyncio.Condition()
    q = asyncio.Queue(2)
    barrier = asyncio.Barrier(3)
    tasks = []
    counter = [0]

    async def do(k, i, op):
        def out(x):
            log.append([now(), k, i, op, x])
        try:
            if op == "L+":
                out(await lock.acquire())
            elif op == "L-":
                lock.release()
                out("ok")
            elif op == "S+":
                out(await sem.acquire())
            elif op == "S-":
                sem.release()
                out("ok")
            elif op == "E?":
                out(await ev.wait())
            elif op == "E!":
                ev.set()
                out("ok")
            elif op == "E0":
                ev.clear()
                out("ok")
            elif op == "C?":
                async with cond:
                    out(await cond.wait())
            elif op == "C!":
                async with cond:
                    cond.notify(1)
                out("ok")
            elif op == "C*":
                async with cond:
                    cond.notify_all()
                out("ok")
            elif op == "Q>":
                counter[0] += 1
                v = k * 100 + counter[0]
                await q.put(v)
                out(v)
            elif op == "Q<":
                out(await q.get())
            elif op == "Qn":
                counter[0] += 1
                v = k * 100 + counter[0]
                q.put_nowait(v)
                out(v)
            elif op == "Qg":
                out(q.get_nowait())
            elif op == "Qd":
                q.task_done()
                out("ok")
            elif op == "Qj":
                await q.join()
                out("ok")
            elif op == "Qs":
                q.shutdown()
                out("ok")
            elif op == "QS":
                q.shutdown(immediate=True)
                out("ok")
            elif op == "B?":
                out(await barrier.wait())
            elif op == "Br":
                await barrier.reset()
                out("ok")
            elif op == "Ba":
                await barrier.abort()
                out("ok")
            elif op == "z":
                await asyncio.sleep(0)
                out("ok")
            elif op[0] == "s":
                await asyncio.sleep(ms(int(op[1:])))
                out("ok")
            elif op[0] == "x":
                out(tasks[int(op[1:])].cancel())
            elif op[0] == "R":  # release the lock, then at once cancel a task (perhaps the one woken)
                lock.release()
                out(tasks[int(op[1:])].cancel())
            elif op[0] == "P":  # the same with the semaphore
                sem.release()
                out(tasks[int(op[1:])].cancel())
            elif op[0] == "W":
                try:
                    await asyncio.wait_for(lock.acquire(), ms(int(op[1:])))
                    out("acquired")
                except TimeoutError:
                    out("timeout")
        except asyncio.CancelledError:
            out("cancelled")
            raise
        except Exception as e:  # RuntimeError, ValueError...
            out(type(e).__name__)

    async def body(k, ops):
        for i, op in enumerate(ops):
            await do(k, i, op)
        log.append([now(), k, "end"])

    for k, ops in enumerate(script):
        tasks.append(asyncio.create_task(body(k, ops)))
    await asyncio.sleep(ms(50))
    log.append([now(), "quiescent", state(lock), state(sem), state(ev), state(cond), qstate(q), state(barrier),
                [t.done() for t in tasks]])
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    log.append([now(), "final", state(lock), state(sem), state(ev), state(cond), qstate(q), state(barrier),
                [t.cancelled() for t in tasks]])
    return log


def main():
    # Timers with equal deadlines fire in scheduling order, as in asyncio-ts (CPython's heap is not
    # stable: that order is the one CPython leaves unspecified).
    deterministic()
    rng = random.Random(20261126)
    cases = []
    for _ in range(600):
        script = gen_script(rng)
        cases.append({"script": script, "log": run(play(script))})
    path = os.path.join(os.path.dirname(__file__), "..", "differential-golden.json")
    with open(path, "w") as f:
        json.dump(cases, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")


main()
