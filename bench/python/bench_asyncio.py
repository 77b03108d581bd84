"""The CPython asyncio side of the benchmark suite (3.11, stdlib only).

    python3 bench_asyncio.py <workload> <reps> [n]   -> one JSON line on stdout

Each workload mirrors bench/workloads.hpp statement by statement: same sizes, same seeded
durations, same checksum. Timed workloads run once unreported (warm-up), then <reps> times,
each in a fresh loop; each main times itself from its first statement to just before it returns.
w1-w4 use the stock asyncio loop (asyncio.run); w5 and w6 the virtual-time loop.
"""
import asyncio
import gc
import json
import sys
import time
import tracemalloc

import virtual_loop


def lcg_durations_ms(n, seed=12345):
    out, x = [], seed
    for _ in range(n):
        x = (x * 1664525 + 1013904223) & 0xFFFFFFFF
        out.append((x >> 16) % 10000 + 1)
    return out


# ---- 1. create + await n tasks, each returning a value ----
async def w1_child(i):
    return i


async def w1_main(n):
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(w1_child(i)) for i in range(n)]
    total = 0
    for t in tasks:
        total += await t
    del tasks
    return (time.perf_counter() - t0) * 1000, total


# ---- 2. ping-pong through two events, n round trips ----
async def w2_ping(ping, pong, n):
    for _ in range(n):
        ping.set()
        await pong.wait()
        pong.clear()
    return n


async def w2_pong(ping, pong, n):
    for _ in range(n):
        await ping.wait()
        ping.clear()
        pong.set()
    return n


async def w2_main(n):
    t0 = time.perf_counter()
    ping, pong = asyncio.Event(), asyncio.Event()
    a = asyncio.create_task(w2_ping(ping, pong, n))
    b = asyncio.create_task(w2_pong(ping, pong, n))
    ra = await a
    rb = await b
    return (time.perf_counter() - t0) * 1000, ra + rb


# ---- 3. n tasks, each yielding once with sleep(0) ----
async def w3_child(i, yields):
    for _ in range(yields):
        await asyncio.sleep(0)
    return i


async def w3_main(n, yields=1):
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(w3_child(i, yields)) for i in range(n)]
    total = 0
    for t in tasks:
        total += await t
    del tasks
    return (time.perf_counter() - t0) * 1000, total


# ---- 4. n items through a bounded queue (maxsize 64), one producer, one consumer ----
async def w4_producer(q, n):
    for i in range(n):
        await q.put(i)
    return 0


async def w4_consumer(q, n):
    total = 0
    for _ in range(n):
        total += await q.get()
    return total


async def w4_main(n, maxsize=64):
    t0 = time.perf_counter()
    q = asyncio.Queue(maxsize)
    p = asyncio.create_task(w4_producer(q, n))
    c = asyncio.create_task(w4_consumer(q, n))
    total = await c
    await p
    return (time.perf_counter() - t0) * 1000, total


# ---- 5. n tasks sleeping seeded random durations (virtual clock) ----
async def w5_child(ms):
    await asyncio.sleep(ms / 1000.0)
    return ms


async def w5_main(durations):
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(w5_child(d)) for d in durations]
    total = 0
    for t in tasks:
        total += await t
    del tasks
    end_ms = int(asyncio.get_running_loop().time() * 1000.0 + 0.5)
    return (time.perf_counter() - t0) * 1000, total * 100000 + end_ms


# ---- 6. memory: n tasks pending in sleep(1000) (virtual clock), measured with tracemalloc ----
async def w6_child():
    await asyncio.sleep(1000.0)
    return 1


async def w6_main(n, probe):
    probe.append(tracemalloc.get_traced_memory()[0])
    tasks = [asyncio.create_task(w6_child()) for _ in range(n)]
    await asyncio.sleep(0)  # one loop pass: every child has run up to its sleep
    probe.append(tracemalloc.get_traced_memory()[0])
    tracemalloc.stop()  # tracing the rest would only slow the run down
    total = 0
    for t in tasks:
        total += await t
    del tasks
    return 0.0, total


def timed(workload, n, reps, make, runner):
    warm = runner(make())
    times = []
    for _ in range(reps):
        ms, check = runner(make())
        if check != warm[1]:
            raise SystemExit("checksum changed between runs")
        times.append(round(ms, 3))
    print(json.dumps({"impl": "cpython", "workload": workload, "n": n, "check": str(warm[1]), "times_ms": times}))


def memory(n, reps):
    per_task = []
    for i in range(reps + 1):  # the first run only warms up
        gc.collect()
        probe = []
        tracemalloc.start()
        _, total = virtual_loop.run(w6_main(n, probe))
        if total != n:
            raise SystemExit(f"w6: {total} of {n} tasks finished")
        if i:
            per_task.append(round((probe[1] - probe[0]) / n, 2))
    print(json.dumps({"impl": "cpython", "workload": "w6", "n": n, "check": str(n), "tracemalloc_bytes_per_task": per_task}))


def main(argv):
    workload, reps = argv[1], int(argv[2])
    arg_n = int(argv[3]) if len(argv) > 3 else None
    if workload == "w1":
        n = arg_n or 100000
        timed(workload, n, reps, lambda: w1_main(n), asyncio.run)
    elif workload == "w2":
        n = arg_n or 200000
        timed(workload, n, reps, lambda: w2_main(n), asyncio.run)
    elif workload == "w3":
        n = arg_n or 100000
        timed(workload, n, reps, lambda: w3_main(n), asyncio.run)
    elif workload == "w4":
        n = arg_n or 1000000
        timed(workload, n, reps, lambda: w4_main(n), asyncio.run)
    elif workload == "w5":
        n = arg_n or 100000
        durations = lcg_durations_ms(n)
        timed(workload, n, reps, lambda: w5_main(durations), virtual_loop.run)
    elif workload == "w6":
        memory(arg_n or 100000, reps)
    else:
        raise SystemExit(f"unknown workload {workload}")


if __name__ == "__main__":
    main(sys.argv)
