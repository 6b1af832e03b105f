"""CPython 3.13 scenarios behind test/timeouts.test.ts (run: PYENV_VERSION=3.13.0 python3 timeouts.py)."""
import asyncio
from asyncio import CancelledError
from vloop import now, name, scenario, later, fail, on_cancel, cancel_after


async def expires_and_waits_for_cleanup(log):
    try:
        async with asyncio.timeout(10) as cm:
            log.append(("when", cm.when()))
            try:
                await asyncio.sleep(100)
            finally:
                log.append(("finally", now()))
                await asyncio.sleep(5)
                log.append(("cleanup-done", now()))
    except TimeoutError as e:
        log.append(("TimeoutError", now(), cm.expired(), name(e.__cause__)))


async def does_not_expire(log):
    async with asyncio.timeout(100) as cm:
        await asyncio.sleep(10)
        r = "body"
    log.append(("after", now(), cm.expired(), cm.when()))
    # the timer was cancelled on exit: nothing fires at 100
    await asyncio.sleep(200)
    log.append(("later", now()))
    return r


async def timeout_none(log):
    async with asyncio.timeout(None) as cm:
        await asyncio.sleep(1_000_000)
    log.append(("after", now(), cm.when(), cm.expired()))


async def when_is_absolute(log):
    await asyncio.sleep(5)
    async with asyncio.timeout(10) as cm:
        log.append(("timeout-when", cm.when()))
    async with asyncio.timeout_at(42) as cm2:
        log.append(("timeout_at-when", cm2.when()))


async def reschedule_later(log):
    try:
        async with asyncio.timeout(10) as cm:
            await asyncio.sleep(5)
            cm.reschedule(asyncio.get_running_loop().time() + 50)
            log.append(("rescheduled", cm.when()))
            await asyncio.sleep(100)
    except TimeoutError:
        log.append(("TimeoutError", now()))


async def reschedule_from_none(log):
    try:
        async with asyncio.timeout(None) as cm:
            cm.reschedule(20)
            await asyncio.sleep(100)
    except TimeoutError:
        log.append(("TimeoutError", now()))


async def reschedule_to_none(log):
    async with asyncio.timeout(10) as cm:
        cm.reschedule(None)
        await asyncio.sleep(100)
    log.append(("after", now(), cm.expired(), cm.when()))


async def reschedule_to_past(log):
    await asyncio.sleep(10)
    try:
        async with asyncio.timeout(100) as cm:
            cm.reschedule(3)
            log.append(("still-running", now()))
            await asyncio.sleep(0)
            log.append(("not reached",))
    except TimeoutError:
        log.append(("TimeoutError", now()))


async def timeout_zero_and_negative(log):
    for d in (0, -5):
        try:
            async with asyncio.timeout(d):
                log.append(("body-runs", d))
                await asyncio.sleep(1)
        except TimeoutError:
            log.append(("TimeoutError", d, now()))


async def reschedule_errors(log):
    t = asyncio.Timeout(None)
    try:
        t.reschedule(1)
    except RuntimeError as e:
        log.append(("created", str(e)))
    async with asyncio.timeout(10) as cm:
        pass
    try:
        cm.reschedule(1)
    except RuntimeError as e:
        log.append(("exited", str(e)))
    try:
        async with asyncio.timeout(1) as cm2:
            await asyncio.sleep(5)
    except TimeoutError:
        pass
    try:
        cm2.reschedule(1)
    except RuntimeError as e:
        log.append(("expired", str(e)))
    try:
        async with cm:
            pass
    except RuntimeError as e:
        log.append(("reenter", str(e)))


async def timeout_class(log):
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.Timeout(loop.time() + 7) as cm:
            await asyncio.sleep(100)
    except TimeoutError:
        log.append(("TimeoutError", now(), cm.when(), cm.expired()))


async def body_swallows_cancel(log):
    async with asyncio.timeout(10) as cm:
        try:
            await asyncio.sleep(100)
        except CancelledError:
            log.append(("swallowed", now(), asyncio.current_task().cancelling()))
        await asyncio.sleep(3)
        log.append(("body-continues", now()))
    log.append(("after", now(), cm.expired(), asyncio.current_task().cancelling()))
    return "value"


async def body_converts_cancel_to_error(log):
    try:
        async with asyncio.timeout(10) as cm:
            try:
                await asyncio.sleep(100)
            except CancelledError:
                raise ValueError("converted")
    except ValueError as e:
        log.append(("ValueError", now(), cm.expired(), name(e.__context__), name(e.__context__.__context__)))


async def same_deadline(log, outer_d, reschedule_outer):
    # the inner passes the outer's CancelledError on; with reschedule_outer, the outer (no deadline
    # at first) is moved to 10 after the inner's timer was scheduled
    try:
        async with asyncio.timeout(outer_d) as outer:
            try:
                async with asyncio.timeout(10) as inner:
                    if reschedule_outer:
                        outer.reschedule(10)
                    await asyncio.sleep(100)
            except BaseException as e:
                log.append(("inner-raised", name(e), inner.expired(), now()))
                raise
    except TimeoutError:
        log.append(("outer-TimeoutError", outer.expired(), now()))


async def nested_same_deadline(log):
    await same_deadline(log, 10, reschedule_outer=False)


async def nested_same_deadline_inner_scheduled_first(log):
    await same_deadline(log, None, reschedule_outer=True)


async def nested_inner_first(log):
    try:
        async with asyncio.timeout(20) as outer:
            try:
                async with asyncio.timeout(5) as inner:
                    await asyncio.sleep(100)
            except TimeoutError:
                log.append(("inner-TimeoutError", now(), inner.expired(), outer.expired()))
            await asyncio.sleep(100)
    except TimeoutError:
        log.append(("outer-TimeoutError", now()))


async def nested_outer_first(log):
    try:
        async with asyncio.timeout(5) as outer:
            try:
                async with asyncio.timeout(20) as inner:
                    await asyncio.sleep(100)
            except BaseException as e:
                log.append(("inner-raised", name(e), inner.expired(), now()))
                raise
    except TimeoutError:
        log.append(("outer-TimeoutError", now(), outer.expired()))


async def outer_cancel_not_swallowed(log):
    async def worker():
        try:
            async with asyncio.timeout(10) as cm:
                try:
                    await asyncio.sleep(100)
                except CancelledError:
                    log.append(("worker-swallowed-external-cancel", now()))
                await asyncio.sleep(100)
        except BaseException as e:
            log.append(("worker-raised", name(e), cm.expired(), now(), asyncio.current_task().cancelling()))
            raise
    await cancel_after(5, worker(), lambda e, t: log.append(("task-cancelled", t.cancelled(), now())))


# ---- wait_for ----

async def wait_for_in_time(log):
    r = await asyncio.wait_for(later(5, 7), 10)
    log.append(("result", r, now()))


async def wait_for_timeout_waits_for_cleanup(log):
    async def work():
        try:
            await asyncio.sleep(100)
        finally:
            log.append(("finally", now()))
            await asyncio.sleep(5)
            log.append(("cleanup-done", now()))
    try:
        await asyncio.wait_for(work(), 10)
    except TimeoutError:
        log.append(("TimeoutError", now()))


async def wait_for_task_timeout(log):
    async def work():
        try:
            await asyncio.sleep(100)
        finally:
            await asyncio.sleep(2)
    t = asyncio.create_task(work())
    try:
        await asyncio.wait_for(t, 10)
    except TimeoutError:
        log.append(("TimeoutError", now(), t.done(), t.cancelled()))


async def wait_for_zero(log):
    started = []
    async def work():
        started.append(1)
        return 1
    for d in (0, -1):
        try:
            await asyncio.wait_for(work(), d)
        except TimeoutError:
            log.append(("TimeoutError", d, started, now()))


async def wait_for_zero_done_future(log):
    f = asyncio.get_running_loop().create_future()
    f.set_result("done")
    log.append(("zero-done", await asyncio.wait_for(f, 0)))
    async def quick():
        return "quick"
    t = asyncio.create_task(quick())
    await asyncio.sleep(0)
    log.append(("zero-done-task", await asyncio.wait_for(t, 0)))


async def wait_for_zero_pending_task(log):
    async def work():
        try:
            await asyncio.sleep(100)
        finally:
            await asyncio.sleep(3)
            log.append(("cleanup", now()))
    t = asyncio.create_task(work())
    await asyncio.sleep(1)
    try:
        await asyncio.wait_for(t, 0)
    except TimeoutError:
        log.append(("TimeoutError", now(), t.cancelled()))


async def wait_for_zero_task_suppresses(log):
    async def work():
        try:
            await asyncio.sleep(100)
        except CancelledError:
            return "suppressed"
    t = asyncio.create_task(work())
    await asyncio.sleep(1)
    log.append(("value", await asyncio.wait_for(t, 0), now()))


async def wait_for_none(log):
    log.append(("value", await asyncio.wait_for(later(1_000_000, "late"), None), now()))


async def wait_for_inner_suppresses(log):
    async def work():
        try:
            await asyncio.sleep(100)
        except CancelledError:
            await asyncio.sleep(1)
            return "suppressed"
    log.append(("value", await asyncio.wait_for(work(), 10), now(), asyncio.current_task().cancelling()))


async def wait_for_inner_error(log):
    try:
        await asyncio.wait_for(fail(3, ValueError("inner")), 10)
    except ValueError as e:
        log.append(("ValueError", str(e), now()))


async def wait_for_outer_cancel(log):
    async def cleanup(e):
        log.append(("inner-cancelled", now()))
        await asyncio.sleep(2)
        raise e
    await cancel_after(5, asyncio.wait_for(on_cancel(cleanup), 50),
                       lambda e, t: log.append(("outer-CancelledError", now(), t.cancelled())))


async def wait_for_tie(log):
    # inner completes at the very deadline: the timeout's timer was scheduled first, so it wins
    try:
        log.append(("value", await asyncio.wait_for(later(10, "work"), 10)))
    except TimeoutError:
        log.append(("TimeoutError", now()))


async def reschedule_while_expiring(log):
    try:
        async with asyncio.timeout(10) as cm:
            try:
                await asyncio.sleep(100)
            except CancelledError:
                try:
                    cm.reschedule(50)
                except RuntimeError as e:
                    log.append(("expiring", str(e)))
                raise
    except TimeoutError:
        log.append(("TimeoutError", now()))


async def no_suspension_when_nothing_waits(log):
    # entering a timeout and waiting for something already done never yields to the loop (3.13)
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result("r")
    loop.call_soon(log.append, ("soon",))
    log.append(("waitFor-done", await asyncio.wait_for(f, 10)))
    async with asyncio.timeout(5):
        log.append(("timeout-entered",))
    log.append(("after",))
    await asyncio.sleep(0)
    async def quick():
        return "q"
    loop.call_soon(log.append, ("soon2",))
    log.append(("waitFor-coro", await asyncio.wait_for(quick(), 10)))
    await asyncio.sleep(0)


for s in [reschedule_while_expiring, no_suspension_when_nothing_waits, expires_and_waits_for_cleanup, does_not_expire, timeout_none, when_is_absolute, reschedule_later,
          reschedule_from_none, reschedule_to_none, reschedule_to_past, timeout_zero_and_negative,
          reschedule_errors, timeout_class, body_swallows_cancel, body_converts_cancel_to_error,
          nested_same_deadline, nested_same_deadline_inner_scheduled_first, nested_inner_first,
          nested_outer_first, outer_cancel_not_swallowed,
          wait_for_in_time, wait_for_timeout_waits_for_cleanup, wait_for_task_timeout, wait_for_zero,
          wait_for_zero_done_future, wait_for_zero_pending_task, wait_for_zero_task_suppresses, wait_for_none,
          wait_for_inner_suppresses, wait_for_inner_error, wait_for_outer_cancel, wait_for_tie]:
    scenario(s)
