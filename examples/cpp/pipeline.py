"""The same program as pipeline.cpp, in Python asyncio: both print the same trace."""
import asyncio


def say(who, what):
    ms = asyncio.get_running_loop().time() * 1000
    print(f"[{ms:6.0f}ms] {who:<9} {what}")


async def process(job):
    await asyncio.sleep(5.0 if job == 3 else 1.0 * job)


async def worker(name, jobs):
    try:
        while True:
            job = await jobs.get()
            say(name, f"job {job} started")
            try:
                await asyncio.wait_for(process(job), 1.5)
                say(name, f"job {job} done")
            except TimeoutError:
                say(name, f"job {job} timed out")
            jobs.task_done()
    except asyncio.CancelledError:
        say(name, "cancelled, cleaning up")
        raise


async def main_task():
    jobs = asyncio.Queue(2)
    a = asyncio.create_task(worker("worker-a", jobs), name="worker-a")
    b = asyncio.create_task(worker("worker-b", jobs), name="worker-b")
    for job in range(1, 5):
        await jobs.put(job)
        say("main", f"queued job {job}")
    await jobs.join()
    say("main", "all jobs handled")
    a.cancel()
    b.cancel()
    r = await asyncio.gather(a, b, return_exceptions=True)
    say("main", f"workers stopped: {len(r)}")


if __name__ == "__main__":
    asyncio.run(main_task())
