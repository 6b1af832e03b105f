"""The scenario scripts' clock: test/python/vloop.py's virtual-clock loop (CPython 3.13).

Loop time numbers are the TypeScript tests' milliseconds: `asyncio.sleep(ms(10))` here is
`sleep(10)` there, and `now()` prints the same numbers.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
from vloop import deterministic, vrun as run, now  # noqa: E402,F401


def ms(x):
    """A delay in the TypeScript tests' milliseconds (the virtual loop's time unit)."""
    return x


def show(title, value):
    print(f"{title}: {value!r}")
