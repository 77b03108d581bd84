"""A virtual-time asyncio event loop for the benchmarks (CPython 3.11, stdlib only).

VirtualTimeLoop is a SelectorEventLoop whose clock is a number it owns: when the loop would
block in select() waiting for the next timer, the selector advances that number by the timeout
and returns at once. Everything else (ready queue, timer heap, tasks) is stock asyncio, so the
cost measured is asyncio's own, minus real sleeping. It mirrors aio's virtual clock: time stands
still while anything is ready and jumps straight to the next deadline when nothing is.
"""
import asyncio
import selectors


class _VirtualSelector(selectors.SelectSelector):
    """Never waits: select(timeout) moves the loop's clock forward by `timeout`."""

    def __init__(self, clock):
        super().__init__()
        self._clock = clock

    def select(self, timeout=None):
        if timeout is None:
            # Nothing ready and no timer: a real loop would block forever (a deadlock here).
            raise RuntimeError("virtual loop: nothing scheduled, would block forever")
        if timeout > 0:
            self._clock.now += timeout
        return []


class _Clock:
    def __init__(self):
        self.now = 0.0


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        self._vclock = _Clock()
        super().__init__(selector=_VirtualSelector(self._vclock))

    def time(self):
        return self._vclock.now


def run(main):
    """asyncio.run(main) on a fresh VirtualTimeLoop."""
    loop = VirtualTimeLoop()
    try:
        asyncio.set_event_loop(loop)
        return loop.run_until_complete(main)
    finally:
        asyncio.set_event_loop(None)
        loop.close()
