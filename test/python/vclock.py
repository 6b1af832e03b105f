"""A virtual-clock event loop for the scenario scripts, the counterpart of asyncio-ts's
`run(main(), { clock: "virtual" })`.

When nothing is ready, the loop does not sleep: its clock jumps exactly to the next timer.
`run(main)` runs `main()` on it; `now()` returns the loop time in integer milliseconds
(asyncio-ts counts milliseconds; Python seconds, so the scenarios sleep `ms / 1000`).

Run any scenario file with: PYENV_VERSION=3.13.0 python3 test/python/<file>.py
"""
import asyncio
import selectors


class _VirtualSelector(selectors.DefaultSelector):
    def __init__(self, loop_ref):
        super().__init__()
        self._loop_ref = loop_ref

    def select(self, timeout=None):
        loop = self._loop_ref()
        if timeout is None:
            # Only the self-pipe is registered: nothing can ever become ready.
            raise RuntimeError("virtual clock: deadlock, nothing ready and no timer")
        if timeout > 0:
            loop._vtime += timeout
        return super().select(0)


class VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        import weakref
        self._vtime = 0.0
        holder = {}
        sel = _VirtualSelector(lambda: holder["loop"])
        super().__init__(selector=sel)
        holder["loop"] = self
        self._clock_resolution = 1e-9

    def time(self):
        return self._vtime


def run(main):
    return asyncio.run(main, loop_factory=VirtualLoop)


def now():
    return round(asyncio.get_running_loop().time() * 1000)


def ms(x):
    """milliseconds -> seconds"""
    return x / 1000


def show(title, value):
    print(f"{title}: {value!r}")
