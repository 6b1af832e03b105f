"""CPython 3.13 scenarios behind test/taskgroups.test.ts (run: PYENV_VERSION=3.13.0 python3 taskgroups.py)."""
import asyncio
from asyncio import CancelledError, TaskGroup
from vloop import now, name, scenario


async def basic(log):
    async def child(n, ms):
        await asyncio.sleep(ms)
        log.append((n, now()))
        return n
    async with TaskGroup() as tg:
        a = tg.create_task(child("a", 10))
        b = tg.create_task(child("b", 20))
        log.append(("body-end", now()))
    log.append(("after", now(), a.result(), b.result()))
    return "ok"


async def first_error_cancels_siblings_and_body(log):
    async def boom():
        await asyncio.sleep(10)
        log.append(("boom", now()))
        raise ValueError("boom")
    async def sibling():
        try:
            await asyncio.sleep(100)
        except CancelledError:
            log.append(("sibling-cancelled", now()))
            raise
    try:
        async with TaskGroup() as tg:
            t1 = tg.create_task(boom())
            t2 = tg.create_task(sibling())
            try:
                await asyncio.sleep(50)
            except CancelledError:
                log.append(("body-cancelled", now(), asyncio.current_task().cancelling()))
                raise
    except ExceptionGroup as eg:
        log.append(("eg", str(eg), [name(e) for e in eg.exceptions], t1.done(), t2.cancelled()))
        log.append(("cancelling-after", asyncio.current_task().cancelling()))
    return now()


async def errors_in_completion_order_body_last(log):
    # The body raises; two children fail while being cancelled, at different times.
    async def slow_fail(ms, exc):
        try:
            await asyncio.sleep(1000)
        except CancelledError:
            await asyncio.sleep(ms)
            log.append(("fail", name(exc), now()))
            raise exc
    try:
        async with TaskGroup() as tg:
            tg.create_task(slow_fail(20, KeyError("k")))
            tg.create_task(slow_fail(5, TypeError("t")))
            await asyncio.sleep(1)
            raise ZeroDivisionError("body")
    except ExceptionGroup as eg:
        log.append(("eg", str(eg), [name(e) for e in eg.exceptions], now()))


async def two_children_fail_same_step(log):
    async def fail(ms, exc):
        await asyncio.sleep(ms)
        raise exc
    try:
        async with TaskGroup() as tg:
            tg.create_task(fail(10, ValueError("v1")))
            tg.create_task(fail(10, TypeError("t2")))
    except ExceptionGroup as eg:
        log.append(("eg", str(eg), [name(e) for e in eg.exceptions], now()))


async def body_error_only(log):
    async def child():
        try:
            await asyncio.sleep(100)
        except CancelledError:
            log.append(("child-cancelled", now()))
            raise
    try:
        async with TaskGroup() as tg:
            c = tg.create_task(child())
            await asyncio.sleep(3)
            raise ValueError("body")
    except ExceptionGroup as eg:
        log.append(("eg", str(eg), [name(e) for e in eg.exceptions], c.cancelled(), now()))


async def body_swallows_cancel(log):
    async def boom():
        await asyncio.sleep(10)
        raise ValueError("boom")
    try:
        async with TaskGroup() as tg:
            tg.create_task(boom())
            try:
                await asyncio.sleep(50)
            except CancelledError:
                log.append(("body-swallowed", now()))
            await asyncio.sleep(5)  # the group does not cancel the body twice
            log.append(("body-continued", now()))
    except ExceptionGroup as eg:
        log.append(("eg", [name(e) for e in eg.exceptions], now(), asyncio.current_task().cancelling()))


async def child_fails_while_parent_in_aexit(log):
    async def boom():
        await asyncio.sleep(10)
        raise ValueError("boom")
    async def other():
        try:
            await asyncio.sleep(100)
        except CancelledError:
            log.append(("other-cancelled", now()))
            raise
    try:
        async with TaskGroup() as tg:
            tg.create_task(boom())
            tg.create_task(other())
    except ExceptionGroup as eg:
        log.append(("eg", [name(e) for e in eg.exceptions], now(), asyncio.current_task().cancelling()))


async def parent_cancelled_while_in_body(log):
    async def child(n):
        try:
            await asyncio.sleep(100)
        except CancelledError:
            log.append((n + "-cancelled", now()))
            raise
    async def inner():
        async with TaskGroup() as tg:
            tg.create_task(child("a"))
            tg.create_task(child("b"))
            try:
                await asyncio.sleep(50)
            except CancelledError:
                log.append(("body-cancelled", now()))
                raise
    t = asyncio.create_task(inner())
    await asyncio.sleep(10)
    t.cancel()
    try:
        await t
    except CancelledError as e:
        log.append(("parent", "CancelledError", t.cancelled(), now()))


async def parent_cancelled_while_in_aexit(log):
    async def child():
        try:
            await asyncio.sleep(100)
        except CancelledError:
            log.append(("child-cancelled", now()))
            await asyncio.sleep(7)   # cleanup that awaits: the group waits for it
            log.append(("child-cleanup-done", now()))
            raise
    async def inner():
        async with TaskGroup() as tg:
            tg.create_task(child())
        log.append(("not reached",))
    t = asyncio.create_task(inner())
    await asyncio.sleep(10)
    t.cancel("stop")
    try:
        await t
    except CancelledError as e:
        log.append(("parent", "CancelledError", str(e), t.cancelled(), now()))


async def parent_cancelled_in_body_with_message(log):
    async def inner():
        async with TaskGroup() as tg:
            tg.create_task(asyncio.sleep(100))
            await asyncio.sleep(50)
    t = asyncio.create_task(inner())
    await asyncio.sleep(10)
    t.cancel("why")
    try:
        await t
    except CancelledError as e:
        log.append(("CancelledError", str(e), now()))


async def parent_cancelled_twice_in_aexit(log):
    async def child():
        try:
            await asyncio.sleep(100)
        except CancelledError:
            await asyncio.sleep(7)
            log.append(("child-cleanup-done", now()))
            raise
    async def inner():
        try:
            async with TaskGroup() as tg:
                tg.create_task(child())
        finally:
            log.append(("inner-cancelling", asyncio.current_task().cancelling(), now()))
    t = asyncio.create_task(inner())
    await asyncio.sleep(10)
    t.cancel()
    await asyncio.sleep(2)
    t.cancel()
    try:
        await t
    except CancelledError:
        log.append(("cancelled", t.cancelled(), now()))


async def timeout_expires_and_child_fails_on_cancel(log):
    # the group raises its ExceptionGroup through the expired timeout (no TimeoutError), and the
    # task is not left cancelled: it can await afterwards
    async def child():
        try:
            await asyncio.sleep(100)
        except CancelledError:
            await asyncio.sleep(2)
            raise ValueError("cleanup failed")
    try:
        async with asyncio.timeout(10) as cm:
            async with TaskGroup() as tg:
                tg.create_task(child())
    except ExceptionGroup as eg:
        log.append(("eg", [name(e) for e in eg.exceptions], now(), cm.expired(), asyncio.current_task().cancelling()))
    await asyncio.sleep(1)
    log.append(("still-running", now()))


async def child_raises_cancelled_itself(log):
    async def child():
        await asyncio.sleep(1)
        raise CancelledError()
    async def ok():
        await asyncio.sleep(5)
        log.append(("ok-finished", now()))
    async with TaskGroup() as tg:
        c = tg.create_task(child())
        tg.create_task(ok())
    log.append(("after", c.cancelled(), now()))


async def parent_cancelled_and_child_error(log):
    # External cancel of the parent while in the group and a child that fails on cancellation:
    # the ExceptionGroup wins, and the parent's cancel request is kept (cancelling() stays 1).
    async def child():
        try:
            await asyncio.sleep(100)
        except CancelledError:
            raise ValueError("cleanup failed")
    async def inner():
        try:
            async with TaskGroup() as tg:
                tg.create_task(child())
                await asyncio.sleep(50)
        except ExceptionGroup as eg:
            log.append(("inner-eg", [name(e) for e in eg.exceptions], asyncio.current_task().cancelling()))
            await asyncio.sleep(1)
            log.append(("not reached",))
    t = asyncio.create_task(inner())
    await asyncio.sleep(10)
    t.cancel()
    try:
        await t
    except CancelledError:
        log.append(("parent", "CancelledError", now()))


async def create_task_after_exit(log):
    async def noop():
        return 1
    async with TaskGroup() as tg:
        tg.create_task(noop())
    try:
        tg.create_task(noop())
    except RuntimeError as e:
        log.append(("RuntimeError", "finished" in str(e)))


async def not_entered_and_entered_twice(log):
    async def noop():
        log.append(("noop-ran",))
    tg = TaskGroup()
    c = noop()
    try:
        tg.create_task(c)
    except RuntimeError as e:
        log.append(("not-entered", "has not been entered" in str(e), c.cr_frame is None))
    async with tg:
        pass
    try:
        async with tg:
            pass
    except RuntimeError as e:
        log.append(("entered-twice", "has already been entered" in str(e)))
    c = noop()
    try:
        tg.create_task(c)
    except RuntimeError as e:
        log.append(("finished", "is finished" in str(e), c.cr_frame is None))


async def create_task_while_shutting_down(log):
    async def boom():
        await asyncio.sleep(1)
        raise ValueError("x")
    async def noop():
        log.append(("noop-ran",))
    try:
        async with TaskGroup() as tg:
            tg.create_task(boom())
            try:
                await asyncio.sleep(10)
            except CancelledError:
                try:
                    tg.create_task(noop())
                except RuntimeError as e:
                    log.append(("RuntimeError", "shutting down" in str(e)))
                raise
    except ExceptionGroup as eg:
        log.append(("eg", [name(e) for e in eg.exceptions]))


async def create_task_in_aexit_from_child(log):
    # A child may add a sibling while the body waits in __aexit__; the group waits for it too.
    async def second():
        await asyncio.sleep(5)
        log.append(("second", now()))
    async def first(tg):
        await asyncio.sleep(5)
        tg.create_task(second())
        log.append(("first", now()))
    async with TaskGroup() as tg:
        tg.create_task(first(tg))
    log.append(("after", now()))


async def nested_groups(log):
    async def boom():
        await asyncio.sleep(10)
        raise ValueError("inner boom")
    async def sleeper(n):
        try:
            await asyncio.sleep(100)
        except CancelledError:
            log.append((n + "-cancelled", now()))
            raise
    try:
        async with TaskGroup() as outer:
            outer.create_task(sleeper("outer-child"))
            async with TaskGroup() as inner:
                inner.create_task(sleeper("inner-child"))
                inner.create_task(boom())
            log.append(("not reached",))
    except ExceptionGroup as eg:
        log.append(("outer-eg", str(eg), [name(e) for e in eg.exceptions]))
        inner_eg = eg.exceptions[0]
        log.append(("inner-eg", str(inner_eg), [name(e) for e in inner_eg.exceptions]))


async def nested_group_in_child(log):
    async def boom():
        await asyncio.sleep(10)
        raise ValueError("deep")
    async def child_with_group():
        async with TaskGroup() as g:
            g.create_task(boom())
    try:
        async with TaskGroup() as tg:
            tg.create_task(child_with_group())
    except ExceptionGroup as eg:
        log.append(("eg", [name(e) for e in eg.exceptions], [name(e) for e in eg.exceptions[0].exceptions]))


async def returns_body_value_and_names(log):
    async def w():
        await asyncio.sleep(1)
        return 42
    async with TaskGroup() as tg:
        t = tg.create_task(w(), name="worker-1")
    log.append(("name", t.get_name(), t.result()))
    return "value"


async def cancelled_child_is_not_an_error(log):
    async def victim():
        await asyncio.sleep(100)
    async def ok():
        await asyncio.sleep(20)
        return "ok"
    async with TaskGroup() as tg:
        v = tg.create_task(victim())
        o = tg.create_task(ok())
        await asyncio.sleep(5)
        v.cancel()
    log.append(("after", now(), v.cancelled(), o.result()))


async def timeout_outside_group(log):
    async def child():
        try:
            await asyncio.sleep(100)
        except CancelledError:
            log.append(("child-cancelled", now()))
            raise
    try:
        async with asyncio.timeout(30):
            async with TaskGroup() as tg:
                tg.create_task(child())
    except TimeoutError:
        log.append(("TimeoutError", now(), asyncio.current_task().cancelling()))


async def error_group_inside_timeout(log):
    async def boom():
        await asyncio.sleep(10)
        raise ValueError("b")
    async with asyncio.timeout(30) as cm:
        try:
            async with TaskGroup() as tg:
                tg.create_task(boom())
                await asyncio.sleep(20)
        except ExceptionGroup as eg:
            log.append(("eg", [name(e) for e in eg.exceptions], now()))
        await asyncio.sleep(5)
    log.append(("timeout-not-expired", cm.expired(), now()))


async def exception_group_api(log):
    async def fail(ms, exc):
        await asyncio.sleep(ms)
        raise exc
    async def grp():
        async with TaskGroup() as g:
            g.create_task(fail(1, ValueError("iv")))
            g.create_task(fail(1, TypeError("it")))
    try:
        async with TaskGroup() as tg:
            tg.create_task(fail(1, ValueError("v")))
            tg.create_task(fail(1, TypeError("t")))
            tg.create_task(grp())
    except ExceptionGroup as eg:
        log.append(("eg", str(eg), [name(e) for e in eg.exceptions]))
        log.append(("is Exception", isinstance(eg, Exception)))
        m, r = eg.split(lambda e: isinstance(e, ValueError))
        log.append(("split-match", str(m), [name(e) for e in m.exceptions], [name(e) for e in m.exceptions[1].exceptions]))
        log.append(("split-rest", str(r), [name(e) for e in r.exceptions], [name(e) for e in r.exceptions[1].exceptions]))
        log.append(("split-leaves-are-same-objects", m.exceptions[0] is eg.exceptions[0]))
        log.append(("subgroup-none", eg.subgroup(lambda e: isinstance(e, KeyError))))
        log.append(("subgroup-all-is-self", eg.subgroup(lambda e: isinstance(e, Exception)) is eg))
        log.append(("split-none", eg.split(lambda e: isinstance(e, KeyError))[0], eg.split(lambda e: isinstance(e, KeyError))[1] is eg))
        sg = eg.subgroup(lambda e: isinstance(e, TypeError))
        log.append(("subgroup-type", [name(e) for e in sg.exceptions], [name(e) for e in sg.exceptions[1].exceptions]))
        # the predicate also sees the nested group itself
        sg2 = eg.subgroup(lambda e: isinstance(e, ExceptionGroup) and e is not eg)
        log.append(("subgroup-nested-group", len(sg2.exceptions), sg2.exceptions[0] is eg.exceptions[2]))
        m, r = eg.split(lambda e: True)
        log.append(("split-self", m is eg, r))
        e2 = ExceptionGroup("msg", [ValueError(1), ValueError(2)])
        log.append(("plural", str(e2)))


for s in [basic, first_error_cancels_siblings_and_body, errors_in_completion_order_body_last,
          two_children_fail_same_step, body_error_only, body_swallows_cancel,
          child_fails_while_parent_in_aexit, parent_cancelled_while_in_body, parent_cancelled_while_in_aexit,
          parent_cancelled_in_body_with_message, parent_cancelled_twice_in_aexit,
          timeout_expires_and_child_fails_on_cancel, child_raises_cancelled_itself,
          parent_cancelled_and_child_error, create_task_after_exit, not_entered_and_entered_twice, create_task_while_shutting_down,
          create_task_in_aexit_from_child, nested_groups, nested_group_in_child, returns_body_value_and_names,
          cancelled_child_is_not_an_error, timeout_outside_group, error_group_inside_timeout, exception_group_api]:
    scenario(s)


# split/subgroup with a class instead of a predicate
eg = ExceptionGroup("m", [ValueError("a"), TypeError("b"), ExceptionGroup("i", [ValueError("c")])])
m, r = eg.split(ValueError)
print("split-by-class", str(m), [name(e) for e in m.exceptions], str(r), [name(e) for e in r.exceptions])
print("subgroup-by-class", eg.subgroup(ExceptionGroup) is eg, eg.subgroup(KeyError))
