"""The virtual-clock asyncio event loop of every scenario script (CPython 3.13), and the helpers
the scripts share.

loop.time() starts at 0 and jumps to the next timer when nothing is ready, like
asyncio-ts's `clock: "virtual"`. Python seconds are used as the numbers that the
TypeScript tests use as milliseconds, so `sleep(10)` here is `sleep(10)` there and
the printed loop times can be compared verbatim.

Each script prints what the TypeScript test beside it asserts, in one of two formats (show,
report); scenario() runs a scenario with the common trailer; later/fail are coroutines many
scenarios share.

Run any scenario file with: PYENV_VERSION=3.13.0 python3 test/python/<file>.py

Where CPython leaves an order unspecified and does not pin it (the order in which a TaskGroup
or asyncio.run() cancels tasks: a set hashed by id()), a script prints the order this memory
layout gives; changing the modules can change it (the TypeScript tests compare such orders as
sets). property.py pins them with deterministic().
"""
import asyncio
import logging
import selectors


class _VirtualSelector(selectors.DefaultSelector):
    def __init__(self):
        super().__init__()
        self.loop = None

    def select(self, timeout=None):
        events = super().select(0)
        if events:
            return events
        if timeout is None:
            raise RuntimeError("deadlock: nothing ready and no timer")
        self.loop._vt += timeout
        return []


class VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        sel = _VirtualSelector()
        super().__init__(selector=sel)
        sel.loop = self
        self._vt = 0.0
        self._clock_resolution = 1e-9

    def time(self):
        return self._vt


def vrun(main, debug=None):
    """asyncio.run(main) on a fresh VirtualLoop: time starts at 0."""
    return asyncio.run(main, loop_factory=VirtualLoop, debug=debug)


def fmt(t):
    """A loop time as printed: rounded to 1e-6, an int when whole."""
    r = round(t, 6)
    return int(r) if r == int(r) else r


def now():
    """The running loop's time, as printed (see fmt)."""
    return fmt(asyncio.get_running_loop().time())


class _OrderedSet:
    """A set that iterates in insertion order (what a JS Set does)."""

    def __init__(self):
        self._d = {}

    def add(self, x):
        self._d[x] = None

    def discard(self, x):
        self._d.pop(x, None)

    def __len__(self):
        return len(self._d)

    def __iter__(self):
        return iter(list(self._d))

    def __contains__(self, x):
        return x in self._d


def deterministic():
    """Pins the two orders CPython leaves unspecified to the ones asyncio-ts specifies:
    timers with equal deadlines fire in scheduling order (CPython's heap is not stable), and a
    TaskGroup cancels its children in creation order (CPython iterates a set). Nothing else changes."""
    import itertools
    from asyncio import TaskGroup, events
    seq = itertools.count()
    base = events.TimerHandle

    class StableTimerHandle(base):
        __slots__ = ("_seq",)

        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            self._seq = next(seq)

        def __lt__(self, other):
            return (self._when, self._seq) < (other._when, other._seq)

    if events.TimerHandle is base and base.__name__ == "TimerHandle":
        events.TimerHandle = StableTimerHandle
    tg_init = TaskGroup.__init__

    def group_init(self):
        tg_init(self)
        self._tasks = _OrderedSet()

    TaskGroup.__init__ = group_init


# ---- helpers shared by the scenario scripts ----


def name(e):
    """Python's name of an exception's class (the `name` of a JS error)."""
    return type(e).__name__


def show(title, value):
    """Prints `title: repr(value)`: one scenario's event list."""
    print(f"{title}: {value!r}")


def report(label, *x):
    """Prints `label x...`: one line of a script that runs its scenarios inline."""
    print(label, *x)


def run_each(scenarios):
    """Runs each scenario coroutine function on a fresh virtual loop (time starts at 0)."""
    for s in scenarios:
        vrun(s())


def scenario(f, tasks=True):
    """Runs `f(log)` as main on a fresh virtual loop; logs ("result", value) or ("raised", name,
    message), then ("end", time, main's cancelling(), len(all_tasks())), or ("end", time) if not
    `tasks`; prints f's name and the log, one event a line."""
    log = []

    async def main():
        try:
            r = await f(log)
            log.append(("result", r))
        except BaseException as e:
            log.append(("raised", name(e), str(e)))
        if tasks:
            log.append(("end", now(), asyncio.current_task().cancelling(), len(asyncio.all_tasks())))
        else:
            log.append(("end", now()))

    vrun(main())
    print(f.__name__)
    for x in log:
        print("   ", x)


async def later(d, v, ev=None, name=None, message=True):
    """Sleeps `d` and returns `v`; with `ev`, logs (f"{name} done", time), or when cancelled
    (f"{name} cancelled", message, time) (without the message if not `message`)."""
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError as e:
        if ev is not None:
            ev.append((f"{name} cancelled", str(e), now()) if message else (f"{name} cancelled", now()))
        raise
    if ev is not None:
        ev.append((f"{name} done", now()))
    return v


async def fail(d, err, ev=None, name=None):
    """Sleeps `d`, then raises `err`; with `ev`, logs (f"{name} raises", time) first."""
    await asyncio.sleep(d)
    if ev is not None:
        ev.append((f"{name} raises", now()))
    raise err


def asyncio_log(level=None):
    """The messages the `asyncio` logger emits from now on, as a list that fills up."""
    records = []

    class Handler(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    logger = logging.getLogger("asyncio")
    logger.addHandler(Handler())
    if level is not None:
        logger.setLevel(level)
    return records


async def sleep_log_cancel(log, label, d=100):
    """Sleeps `d`; if cancelled meanwhile, logs (label, time) and re-raises."""
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError:
        log.append((label, now()))
        raise


async def on_cancel(cleanup, d=100):
    """Sleeps `d`; if cancelled meanwhile, returns (or raises) what `await cleanup(e)` does instead."""
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError as e:
        return await cleanup(e)


async def cancel_after(d, coro, on_cancelled, msg=None):
    """Runs `coro` as a task, cancels it (with `msg`) after `d` and awaits it: its CancelledError
    goes to on_cancelled(e, task). Returns the task."""
    t = asyncio.create_task(coro)
    await asyncio.sleep(d)
    t.cancel(msg)
    try:
        await t
    except asyncio.CancelledError as e:
        on_cancelled(e, t)
    return t
