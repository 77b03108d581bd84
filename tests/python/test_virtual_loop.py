"""Tests for virtual_loop.py: virtual time, CPython's ordering, deadlock and runaway reports.

Run: python3 -m unittest discover -s tests/python
"""
import asyncio
import heapq
import unittest

from virtual_loop import VirtualDeadlock, VirtualLoop, VirtualRunaway, run


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

    def test_equal_deadlines_fire_in_heapq_order_like_cpython(self):
        # asyncio's timer heap compares deadlines only, so equal ones pop in heapq's order,
        # which is not creation order once there are more than two.
        class Timer:
            def __init__(self, n):
                self.n = n

            def __lt__(self, other):
                return False

        heap = []
        for n in range(8):
            heapq.heappush(heap, Timer(n))
        expected = [heapq.heappop(heap).n for _ in range(8)]
        self.assertNotEqual(expected, list(range(8)))

        woke = []

        async def sleeper(n):
            await asyncio.sleep(1)
            woke.append(n)

        async def main():
            await asyncio.gather(*(sleeper(n) for n in range(8)))

        run(main())
        self.assertEqual(woke, expected)

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


if __name__ == "__main__":
    unittest.main()
