"""Tests for virtual_loop.py: virtual time, CPython's ordering, deadlock and runaway reports.

Run: python3 -m unittest discover -s tests/python
"""
import asyncio
import heapq
import unittest

from virtual_loop import VirtualDeadlock, VirtualLoop, VirtualRunaway, pinned_task_order, run


class VirtualLoopTest(unittest.TestCase):
    def test_long_sleeps_take_no_real_time_and_land_on_their_deadlines(self):
        seen = []

        async def main():
            loop = asyncio.get_running_loop()
            await asyncio.sleep(3600)
            seen.append(loop.time())
            await asyncio.sleep(3 * 86400)  # longer than asyncio's MAXIMUM_SELECT_TIMEOUT
            seen.append(loop.time())
            await asyncio.sleep(0.1)
            await asyncio.sleep(0.2)
            seen.append(loop.time())

        run(main())
        self.assertEqual(seen, [3600.0, 3600.0 + 3 * 86400, 3600.0 + 3 * 86400 + 0.1 + 0.2])

    def test_call_soon_and_task_steps_interleave_as_in_cpython(self):
        # The trace from the reference (B1): cb1, a0, b0, cb2, a1, b1, a2, b2.
        trace = []

        async def worker(name):
            for i in range(3):
                trace.append(f"{name}{i}")
                await asyncio.sleep(0)

        async def main():
            loop = asyncio.get_running_loop()
            loop.call_soon(trace.append, "cb1")
            a = asyncio.create_task(worker("a"))
            b = asyncio.create_task(worker("b"))
            loop.call_soon(trace.append, "cb2")
            await asyncio.gather(a, b)

        run(main())
        self.assertEqual(trace, ["cb1", "a0", "b0", "cb2", "a1", "b1", "a2", "b2"])

    def test_equal_deadlines_fire_in_scheduling_order_like_the_engine(self):
        # asyncio's own timer heap compares deadlines only, so equal ones would pop in heapq's
        # order, which is not scheduling order once there are more than two ...
        class Timer:
            def __init__(self, n):
                self.n = n

            def __lt__(self, other):
                return False

        heap = []
        for n in range(8):
            heapq.heappush(heap, Timer(n))
        heapq_order = [heapq.heappop(heap).n for _ in range(8)]
        self.assertNotEqual(heapq_order, list(range(8)))

        # ... the VirtualLoop breaks ties by scheduling order, as the engine does.
        woke = []

        async def sleeper(n):
            await asyncio.sleep(1)
            woke.append(n)

        async def main():
            await asyncio.gather(*(sleeper(n) for n in range(8)))
            loop = asyncio.get_running_loop()
            loop.call_later(0.5, woke.append, "late")
            loop.call_later(0.25, woke.append, "early")
            await asyncio.sleep(1)

        run(main())
        self.assertEqual(woke, list(range(8)) + ["early", "late"])

    def test_a_deadlock_is_reported_instead_of_blocking_forever(self):
        async def main():
            await asyncio.get_running_loop().create_future()

        with self.assertRaises(VirtualDeadlock):
            run(main())

    def test_a_busy_loop_that_never_ends_is_stopped(self):
        async def main():
            while True:
                await asyncio.sleep(0)

        def small_loop():
            return VirtualLoop(max_iterations=1000)

        with self.assertRaises(VirtualRunaway):
            with asyncio.Runner(loop_factory=small_loop) as runner:
                runner.run(main())

    def test_leftover_tasks_are_cancelled_after_main_like_asyncio_run(self):
        trace = []

        async def straggler():
            try:
                await asyncio.sleep(100)
            finally:
                trace.append(("cleanup", asyncio.get_running_loop().time()))

        async def main():
            asyncio.create_task(straggler())
            await asyncio.sleep(1)
            trace.append("main done")

        run(main())
        self.assertEqual(trace, ["main done", ("cleanup", 1.0)])

    def test_the_passes_asyncio_run_makes_after_main(self):
        # The same program as tests/engine/run_test.cpp: the late ticker, unknown to the
        # cleanup, prints once per pass until the loop closes.
        trace = []

        async def ticker(name):
            i = 0
            while True:
                trace.append(f"{name}{i}")
                i += 1
                await asyncio.sleep(0)

        async def cleaner():
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                trace.append("cancelled")
                asyncio.get_running_loop().create_task(ticker("late"))
                for i in range(3):
                    await asyncio.sleep(0)
                    trace.append(f"clean{i}")
                raise

        async def main():
            asyncio.create_task(ticker("t"))
            asyncio.create_task(cleaner())
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            trace.append("main done")

        run(main())
        self.assertEqual(trace, ["t0", "t1", "main done", "t2", "cancelled", "late0", "clean0", "late1", "clean1",
                                 "late2", "clean2", "late3", "late4", "late5", "late6", "late7", "late8"])

    def test_pinned_task_order_cancels_leftovers_in_creation_order(self):
        trace = []

        async def waiter(n):
            try:
                await asyncio.sleep(100)
            except asyncio.CancelledError:
                trace.append(n)
                raise

        async def main():
            for n in range(40):
                asyncio.create_task(waiter(n))
            await asyncio.sleep(0)

        run(main())
        self.assertEqual(trace, list(range(40)))

    def test_pinned_task_order_is_a_set_view_and_is_undone_afterwards(self):
        original = asyncio.all_tasks
        seen = []

        async def main():
            others = [asyncio.create_task(asyncio.sleep(1)) for _ in range(3)]
            tasks = asyncio.all_tasks()
            seen.append(list(tasks) == [asyncio.current_task(), *others])
            seen.append(set(tasks - {asyncio.current_task()}) == set(others))
            await asyncio.gather(*others)

        with pinned_task_order():
            with asyncio.Runner(loop_factory=VirtualLoop) as runner:
                runner.run(main())
        self.assertEqual(seen, [True, True])
        self.assertIs(asyncio.all_tasks, original)
        self.assertIs(asyncio.tasks.all_tasks, original)


if __name__ == "__main__":
    unittest.main()
