"""A virtual-clock asyncio event loop for the scenario scripts (CPython 3.13).

loop.time() starts at 0 and jumps to the next timer when nothing is ready, like
asyncio-ts's `clock: "virtual"`. Python seconds are used as the numbers that the
TypeScript tests use as milliseconds, so `sleep(10)` here is `sleep(10)` there and
the printed loop times can be compared verbatim.
"""
import asyncio
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
    return asyncio.run(main, loop_factory=VirtualLoop, debug=debug)


def now():
    t = asyncio.get_running_loop().time()
    r = round(t, 6)
    return int(r) if r == int(r) else r


def name(e):
    return type(e).__name__


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
