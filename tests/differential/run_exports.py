"""Run exported scenario programs on CPython under the virtual-time loop, many in one process.

    python3 run_exports.py MANIFEST.json RESULTS.json

MANIFEST is a JSON list of {"id": ..., "program": path to an exported .py}. Each program is
executed as a module (so its `if __name__ == "__main__"` block does not run) and its `_main()`
is run the way asyncio.run runs it, on tests/python/virtual_loop.py's VirtualLoop, with stdout
captured, and with pinned_task_order(): asyncio.run's cleanup cancels leftover tasks in creation
order, as the engine does (CPython's own order is unspecified: all_tasks() is a set).
RESULTS is a JSON map id → {"status", "output", "error"}:
  status "ok"        _main() returned
         "failed"    it raised (the scenario's main task failed), `error` says what
         "deadlock"  the loop had nothing left to do before main finished; like the engine,
                     the run stops there (no cleanup) and `output` is what was printed before
         "runaway"   the loop hit its pass limit (a program that never ends)
         "broken"    the program did not load (a bug in the exporter), `error` has the traceback
"""
import asyncio
import contextlib
import io
import json
import os
import sys
import traceback
import types

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from virtual_loop import VirtualDeadlock, VirtualLoop, VirtualRunaway, pinned_task_order  # noqa: E402


# ---- executor jobs (run_in_executor / to_thread steps), as the engine simulates them ----
_job_time = None  # while an executor job runs: [the seconds it has slept so far]


def _virtual_sleep(seconds):
    """time.sleep: on the loop's thread (block()) virtual time passes with nothing else running;
    inside an executor job it adds to the job's duration instead."""
    if _job_time is not None:
        _job_time[0] += seconds
    else:
        asyncio.get_running_loop().advance(seconds)


def _virtual_run_in_executor(loop, executor, func, *args):
    """loop.run_in_executor (asyncio.to_thread calls it too) the way the engine's simulated
    executor runs a job: it takes the virtual time its time.sleep calls add up to, without
    blocking the loop, and its outcome reaches the future in a timer callback that much later
    (where asyncio's thread would call_soon_threadsafe). The job runs at once, on this thread:
    the exported jobs only sleep and return a value, so when it runs does not matter."""
    global _job_time
    future = loop.create_future()
    _job_time, outcome = [0.0], None
    try:
        outcome = (True, func(*args))
    except BaseException as e:  # noqa: BLE001 -- delivered to the awaiting task, like a thread's
        outcome = (False, e)
    finally:
        duration, _job_time = _job_time[0], None

    def deliver():
        if future.cancelled():  # the awaiting task gave up: the result is dropped
            return
        if outcome[0]:
            future.set_result(outcome[1])
        else:
            future.set_exception(outcome[1])

    loop.call_later(duration, deliver)
    return future
# ---- end executor jobs ----


def make_loop():
    loop = VirtualLoop(max_iterations=2_000_000)
    # "Task exception was never retrieved" and friends go to asyncio's logger: not program output.
    loop.set_exception_handler(lambda loop, context: None)
    loop.run_in_executor = lambda executor, func, *args: _virtual_run_in_executor(loop, executor, func, *args)
    return loop


def run_program(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    module = {"__name__": "aio_export", "__file__": path}
    try:
        exec(compile(source, path, "exec"), module)
    except BaseException:
        return {"status": "broken", "output": "", "error": traceback.format_exc()}
    if "time" in module:
        # block(): a blocking call lets virtual time pass with nothing else running.
        module["time"] = types.SimpleNamespace(sleep=_virtual_sleep)
    buffer = io.StringIO()
    status, error, snapshot = "ok", "", None
    with contextlib.redirect_stdout(buffer):
        try:
            with pinned_task_order(), asyncio.Runner(loop_factory=make_loop) as runner:
                try:
                    runner.run(module["_main"]())
                except (VirtualDeadlock, VirtualRunaway) as e:
                    # The engine stops the run here without cleaning up: so do we (every later
                    # pass of this loop raises too, so no callback runs during Runner.close()).
                    status, error, snapshot = ("deadlock" if isinstance(e, VirtualDeadlock) else "runaway"), str(e), buffer.getvalue()
                    loop = runner.get_loop()
                    loop.max_iterations = loop.iterations
                    raise
        except (VirtualDeadlock, VirtualRunaway):
            pass
        except BaseException as e:  # the main task failed (or was cancelled)
            status, error = "failed", f"{type(e).__name__}: {e}"
    return {"status": status, "output": buffer.getvalue() if snapshot is None else snapshot, "error": error}


def main():
    manifest_path, results_path = sys.argv[1], sys.argv[2]
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    results = {}
    for entry in manifest:
        try:
            results[entry["id"]] = run_program(entry["program"])
        except BaseException:
            results[entry["id"]] = {"status": "broken", "output": "", "error": traceback.format_exc()}
    with open(results_path, "w", encoding="utf-8") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
