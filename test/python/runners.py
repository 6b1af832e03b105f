"""CPython 3.13 scenarios behind test/runners.test.ts (run: PYENV_VERSION=3.13.0 python3 runners.py)."""
import asyncio
from asyncio import CancelledError
from vloop import VirtualLoop, vrun, now, name, report


# run(main) returns main's value
async def value():
    await asyncio.sleep(5)
    return ("v", now())
report("value", vrun(value()))

# main's exception propagates
async def fails():
    await asyncio.sleep(1)
    raise ValueError("main failed")
try:
    vrun(fails())
except ValueError as e:
    report("main-error", name(e), str(e))

# a non-coroutine: 3.13 ValueError (3.14: TypeError), raised before any loop is created
for bad in (42, lambda: None, asyncio.sleep):
    try:
        asyncio.run(bad)
    except (ValueError, TypeError) as e:
        report("non-coroutine", name(e))

# run inside a running loop: RuntimeError at once; the coroutine is not run
ran = []
async def inner():
    ran.append(1)
async def outer():
    c = inner()
    try:
        asyncio.run(c)
    except RuntimeError as e:
        report("nested-run", name(e), str(e))
    c.close()
    r = asyncio.Runner()
    c2 = inner()
    try:
        r.run(c2)
    except RuntimeError as e:
        report("nested-Runner.run", name(e), str(e))
    c2.close()
    report("inner-ran", ran)
vrun(outer())

# leftover tasks are cancelled and awaited (their cleanup may await); all_tasks empty after
log = []
async def leftover(n, cleanup):
    try:
        await asyncio.sleep(1000)
    except CancelledError:
        log.append((n, "cancelled", now()))
        await asyncio.sleep(cleanup)
        log.append((n, "cleanup-done", now()))
        raise
async def main_leaves_tasks():
    asyncio.create_task(leftover("a", 3))
    asyncio.create_task(leftover("b", 1))
    await asyncio.sleep(10)
    log.append(("main-done", now()))
    return "main"
loop_ref = []
def factory():
    l = VirtualLoop(); loop_ref.append(l); return l
report("leftovers-result", asyncio.run(main_leaves_tasks(), loop_factory=factory))
report("leftovers-log", log)
report("leftovers-all_tasks-after", len(asyncio.all_tasks(loop_ref[0])), loop_ref[0].is_closed(), loop_ref[0].time())

# a leftover task that fails while being cancelled goes to the exception handler
ctxs = []
async def bad_leftover():
    try:
        await asyncio.sleep(1000)
    except CancelledError:
        raise KeyError("on cancel")
async def main_bad_leftover():
    asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: ctxs.append(ctx))
    asyncio.create_task(bad_leftover(), name="bad")
    await asyncio.sleep(1)
asyncio.run(main_bad_leftover(), loop_factory=VirtualLoop)
report("shutdown-handler", [(c["message"], name(c["exception"]), c["task"].get_name()) for c in ctxs])

# a leftover task that swallows the cancellation and returns still ends; run returns main's value
async def stubborn():
    try:
        await asyncio.sleep(1000)
    except CancelledError:
        await asyncio.sleep(2)
        return "stubborn"
async def main_stubborn():
    asyncio.create_task(stubborn())
    await asyncio.sleep(1)
    return "ok"
report("stubborn", vrun(main_stubborn()))

# main cancelled by itself -> CancelledError out of run
async def self_cancel():
    asyncio.current_task().cancel()
    await asyncio.sleep(1)
try:
    vrun(self_cancel())
except CancelledError as e:
    report("main-cancelled", name(e))

# debug flag reaches the loop
async def dbg():
    return asyncio.get_running_loop().get_debug()
report("debug", vrun(dbg(), debug=True), vrun(dbg(), debug=False))

# Runner: run twice on the same loop; tasks survive between runs; close cancels them
rlog = []
async def background():
    try:
        await asyncio.sleep(1000)
    except CancelledError:
        rlog.append(("bg-cancelled", now()))
        raise
async def first():
    asyncio.create_task(background())
    await asyncio.sleep(10)
    return (now(), id(asyncio.get_running_loop()))
async def second():
    await asyncio.sleep(10)
    return (now(), id(asyncio.get_running_loop()), len(asyncio.all_tasks()))
r = asyncio.Runner(loop_factory=VirtualLoop)
a = r.run(first())
b = r.run(second())
report("runner-twice", a[0], b[0], a[1] == b[1], b[2])
lp = r.get_loop()
r.close()
report("runner-close", rlog, lp.is_closed())
c = second()
try:
    r.run(c)
except RuntimeError as e:
    report("run-after-close", str(e))
c.close()
try:
    r.get_loop()
except RuntimeError as e:
    report("get_loop-after-close", str(e))
r.close()
report("close-twice", "ok")

# Runner.run: main's error propagates and the runner stays usable
r = asyncio.Runner(loop_factory=VirtualLoop)
try:
    r.run(fails())
except ValueError as e:
    report("runner-error", str(e))
report("runner-usable", r.run(value()))
r.close()

# close() before any run does nothing; get_loop() creates the loop lazily
r = asyncio.Runner(loop_factory=VirtualLoop)
r.close()
report("close-before-any-run-is-a-no-op", r.run(value()))
r.close()

# all_tasks() inside main: main + the tasks still pending; all done after run
made = []
async def sleeper(i):
    await asyncio.sleep(100 * i)
async def main_all_tasks():
    for i in range(5):
        made.append(asyncio.create_task(sleeper(i)))
    await asyncio.sleep(150)
    return len(asyncio.all_tasks())
report("all_tasks-inside", vrun(main_all_tasks()), [(t.done(), t.cancelled()) for t in made])

# main fails while a leftover needs an awaiting cleanup: the leftover is cancelled and awaited first
flog = []
async def slow_cleanup():
    try:
        await asyncio.sleep(1000)
    except CancelledError:
        await asyncio.sleep(3)
        flog.append(("leftover-cleanup-done", now()))
        raise
async def main_fails_with_leftover():
    asyncio.create_task(slow_cleanup())
    await asyncio.sleep(10)
    raise ValueError("main failed")
try:
    vrun(main_fails_with_leftover())
except ValueError as e:
    flog.append(("run-raised", str(e)))
report("main-fails-with-leftover", flog)

# close from main: RuntimeError "Cannot close a running event loop" (its context: "This event loop is
# already running"); the runner stays usable, its loop open. The failed attempt has cancelled every
# task first, main included (asyncio-ts throws before doing anything: docs/design.md).
clog = []
r = asyncio.Runner(loop_factory=VirtualLoop)
async def other():
    try:
        await asyncio.sleep(100)
    except CancelledError:
        clog.append(("other cancelled", now()))
        raise
async def main_closes():
    asyncio.create_task(other())
    await asyncio.sleep(1)
    try:
        r.close()
    except RuntimeError as e:
        clog.append(("close raised", name(e), str(e), str(e.__context__)))
    try:
        await asyncio.sleep(1)
    except CancelledError:
        clog.append(("main cancelled", now()))
        raise
try:
    r.run(main_closes())
except CancelledError:
    clog.append(("run raised", "CancelledError"))
clog.append(("loop closed?", r.get_loop().is_closed()))
r.close()
report("close-from-main", clog)

# a second close() does nothing: close() is synchronous, so it finds the runner closed
r = asyncio.Runner(loop_factory=VirtualLoop)
async def leaves_one():
    asyncio.create_task(asyncio.sleep(1000))
    await asyncio.sleep(1)
r.run(leaves_one())
r.close()
r.close()
try:
    r.run(leaves_one())
except RuntimeError as e:
    report("run-after-close", str(e))

# a loop_factory returning a closed loop: "Event loop is closed" (create_task), then close() fails
# the same way (asyncio-ts: "loopFactory returned a closed event loop", at once, once)
def closed_loop():
    lp = VirtualLoop()
    lp.close()
    return lp
async def one():
    return 1
c = one()
try:
    asyncio.run(c, loop_factory=closed_loop)
except RuntimeError as e:
    report("closed-factory-loop", name(e), str(e))
c.close()
# a loop_factory returning a non-loop: an AttributeError of what it returned
c = one()
try:
    asyncio.run(c, loop_factory=lambda: 42)
except AttributeError as e:
    report("non-loop-factory", name(e), str(e))
c.close()
