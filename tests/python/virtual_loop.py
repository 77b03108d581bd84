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

    with pinned_task_order(), asyncio.Runner(loop_factory=VirtualLoop) as runner:
        runner.run(main())

pinned_task_order() is the one place this harness pins down something CPython leaves
unspecified: asyncio.all_tasks() is a set, ordered by the tasks' addresses, so the order in which
asyncio.run's cleanup (_cancel_all_tasks) cancels several leftover tasks -- and so the order of
what they print while cleaning up -- can differ from run to run. The engine cancels them in
creation order; while pinned_task_order() is active, all_tasks() on a VirtualLoop returns its
tasks in creation order too (a set-like view: iteration order is the only change).

Timers with equal deadlines are the other unspecified order: asyncio's TimerHandle compares
deadlines only, so heapq may pop eight equal ones as 0, 2, 6, 5, 7, 4, 1, 3. The engine orders
its timers by (deadline, scheduling sequence), as the semantics reference asks; a VirtualLoop's
timers break ties the same way (_SeqTimerHandle). Only ties change: distinct deadlines, the
ready queue and everything else are CPython's own code.
"""
import asyncio
import asyncio.base_events
import asyncio.tasks
import contextlib
import heapq
import itertools
import weakref


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


class _SeqTimerHandle(asyncio.TimerHandle):
    """A TimerHandle that breaks deadline ties by scheduling order (heapq only uses <)."""

    __slots__ = ("_seq",)

    def __lt__(self, other):
        if self._when != other._when:
            return self._when < other._when
        return self._seq < other._seq


class VirtualLoop(asyncio.BaseEventLoop):
    """asyncio's event loop on a virtual clock that jumps to the next timer when idle."""

    def __init__(self, max_iterations=5_000_000):
        super().__init__()
        self._time = 0.0
        self._selector = _VirtualSelector(self)
        self.iterations = 0
        self.max_iterations = max_iterations
        self._creation = weakref.WeakKeyDictionary()  # task -> creation number
        self._created = itertools.count()
        self._timer_seq = itertools.count()

    def create_task(self, coro, **kwargs):
        task = super().create_task(coro, **kwargs)
        self._creation[task] = next(self._created)
        return task

    def call_at(self, when, callback, *args, context=None):
        """BaseEventLoop.call_at, with a timer that breaks deadline ties by scheduling order."""
        if when is None:
            raise TypeError("when cannot be None")
        self._check_closed()
        timer = _SeqTimerHandle(when, callback, args, self, context)
        timer._seq = next(self._timer_seq)
        if timer._source_traceback:
            del timer._source_traceback[-1]
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def tasks_in_creation_order(self, tasks):
        """`tasks` (tasks of this loop) sorted by when create_task made them."""
        return sorted(tasks, key=lambda t: self._creation.get(t, -1))

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


@contextlib.contextmanager
def pinned_task_order():
    """While active, asyncio.all_tasks() lists a VirtualLoop's tasks in creation order."""
    original = asyncio.tasks.all_tasks

    def all_tasks(loop=None):
        tasks = original(loop)
        if loop is None:
            loop = asyncio.get_running_loop()
        if not isinstance(loop, VirtualLoop):
            return tasks
        return dict.fromkeys(loop.tasks_in_creation_order(tasks)).keys()

    asyncio.tasks.all_tasks = asyncio.all_tasks = all_tasks
    try:
        yield
    finally:
        asyncio.tasks.all_tasks = asyncio.all_tasks = original


def run(main, *, debug=None):
    """asyncio.run(main) on a VirtualLoop, leftover tasks cancelled in creation order."""
    with pinned_task_order(), asyncio.Runner(debug=debug, loop_factory=VirtualLoop) as runner:
        return runner.run(main)
