"""A virtual-time asyncio event loop for CPython 3.11+ (stdlib only).

VirtualLoop is asyncio's own BaseEventLoop with two seams replaced: time() reads a virtual
clock that starts at 0.0, and the selector never sleeps. When _run_once finds nothing ready it
asks the selector to wait until the first timer; the virtual selector jumps the clock straight
to that timer's deadline instead (autojump, like the engine's virtual_clock and Trio's
MockClock(autojump_threshold=0)). Everything else -- the ready deque, the timer heap, the
order in which _run_once moves due timers and runs callbacks, clock resolution -- is CPython's
unchanged code, so a program sees exactly the ordering it would see on a real loop whose
callbacks take no time.

With nothing ready and no timer pending, a real loop would block forever: the virtual one
raises VirtualDeadlock instead. A program that keeps the loop busy forever hits VirtualRunaway
after `max_iterations` passes.

Use it like asyncio.run, so leftover tasks are cancelled the same way:

    with asyncio.Runner(loop_factory=VirtualLoop) as runner:
        runner.run(main())
"""
import asyncio
import asyncio.base_events


class VirtualDeadlock(RuntimeError):
    """Nothing is ready and no timer is pending: no task can ever continue."""


class VirtualRunaway(RuntimeError):
    """The loop ran more passes than its limit allows (a program that never stops)."""


class _VirtualSelector:
    """The selector seam of BaseEventLoop._run_once: select(timeout) lets virtual time pass."""

    def __init__(self, loop):
        self._loop = loop

    def select(self, timeout=None):
        loop = self._loop
        loop.iterations += 1
        if loop.iterations > loop.max_iterations:
            raise VirtualRunaway(f"the loop ran more than {loop.max_iterations} passes")
        if timeout is None:
            raise VirtualDeadlock("nothing is ready and no timer is pending")
        if timeout > 0:
            # _run_once asked to wait min(first deadline - now, MAXIMUM_SELECT_TIMEOUT): jump to
            # the deadline itself (not now + timeout, which may differ in the last bit), or by
            # the capped timeout when the deadline is further away.
            target = loop._time + timeout
            if loop._scheduled and loop._scheduled[0]._when - loop._time <= timeout:
                target = loop._scheduled[0]._when
            loop._time = max(loop._time, target)
        return []

    def close(self):
        pass


class VirtualLoop(asyncio.BaseEventLoop):
    """asyncio's event loop on a virtual clock that jumps to the next timer when idle."""

    def __init__(self, max_iterations=5_000_000):
        super().__init__()
        self._time = 0.0
        self._selector = _VirtualSelector(self)
        self.iterations = 0
        self.max_iterations = max_iterations

    def time(self):
        return self._time

    def advance(self, seconds):
        """Let `seconds` of virtual time pass now, as a blocking call in a callback would."""
        self._time += seconds

    # No I/O and no other threads: nothing to poll, nothing to wake.
    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        pass


def run(main, *, debug=None):
    """asyncio.run(main) on a VirtualLoop."""
    with asyncio.Runner(debug=debug, loop_factory=VirtualLoop) as runner:
        return runner.run(main)
