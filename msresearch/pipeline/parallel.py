"""Mapping the per-document stage over documents: in this process, over local processes
(``--jobs N``), or on a Dask cluster (``--dask local`` or a scheduler's address)."""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent import futures
from concurrent.futures.process import BrokenProcessPool as BrokenExecutor
from contextlib import contextmanager
from typing import Any

from msresearch.errors import InputError, RunError

IN_FLIGHT_PER_WORKER = 4  # tasks submitted ahead of the results: memory stays bounded


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def _executor(jobs: int, dask: str | None) -> Iterator[tuple[futures.Executor, int]]:
    """An executor and its number of workers: local processes, or Dask's own executor
    (``Client.get_executor``) on a ``LocalCluster`` or the scheduler at ``dask``."""
    if dask is None:
        methods = multiprocessing.get_all_start_methods()
        # fork: workers start with the parent's tokenizer and codebook already loaded
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        with futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                         initializer=_leave_interrupts_to_the_parent) as pool:
            yield pool, jobs
        return
    from distributed import Client, LocalCluster

    if dask == "local":
        with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client.get_executor(pure=False), jobs
        return
    try:
        client = Client(dask, timeout="10s")
    except (OSError, TimeoutError, ValueError) as err:
        raise InputError("--dask", f"cannot reach a Dask scheduler at {dask!r}: {err}") from None
    with client:
        workers = max(1, sum(client.nthreads().values()))
        yield client.get_executor(pure=False), workers


def _leave_interrupts_to_the_parent() -> None:
    """In a worker: ignore Ctrl-C, which the terminal sends to every process of the build;
    the parent stops the build and says so in one line, and no worker prints a traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


WORKER_DIED = ("a worker process died while the build ran (killed, or out of memory?); nothing "
               "was published: run it again, with fewer --jobs if memory is short")


def imap(fn: Callable[..., Any], tasks: Iterable[tuple], jobs: int = 1,
         dask: str | None = None,
         meanwhile: Callable[[], None] | None = None) -> Iterator[tuple[tuple, Any]]:
    """``fn(*task)`` for every task, yielded as ``(task, result)`` in the order they finish.

    With ``jobs == 1``, or a single task and nothing to do ``meanwhile``, and no ``dask``
    everything runs here, in order. Otherwise at most a few tasks per worker are submitted
    ahead of the results consumed, so a corpus of any size never sits in memory at once.
    ``meanwhile`` is work for this process while the first tasks run in the workers: called
    once, after they are submitted (before the tasks, when they run here). ``fn`` must be a
    module-level function (it is sent to the workers by name)."""
    tasks = iter(tasks)
    ahead = list(itertools.islice(tasks, 2))
    if not ahead:  # nothing to run: no workers started
        if meanwhile is not None:
            meanwhile()
        return
    tasks = itertools.chain(ahead, tasks)
    # one task (a rebuild after one change) runs here: starting processes would cost more,
    # unless this process has other work to do while it runs
    if (jobs <= 1 or (len(ahead) == 1 and meanwhile is None)) and dask is None:
        if meanwhile is not None:
            meanwhile()
        for task in tasks:
            yield task, fn(*task)
        return
    with _executor(jobs, dask) as (executor, workers):
        running: dict[futures.Future, tuple] = {}
        limit = max(1, workers) * IN_FLIGHT_PER_WORKER
        exhausted = False
        while running or not exhausted:
            while not exhausted and len(running) < limit:
                task = next(tasks, None)
                if task is None:
                    exhausted = True
                    break
                try:
                    running[executor.submit(fn, *task)] = task
                except BrokenExecutor:
                    raise RunError(WORKER_DIED) from None
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            if not running:
                break
            done, _ = futures.wait(running, return_when=futures.FIRST_COMPLETED)
            for future in done:
                yield running.pop(future), _result(future)


def _result(future: futures.Future):
    """A task's result; a worker that died (a broken pool, a Dask worker killed) is a
    ``RunError``, said in one line; an error of the task itself stays as it is."""
    try:
        return future.result()
    except BrokenExecutor:
        raise RunError(WORKER_DIED) from None
    except Exception as err:
        if type(err).__name__ == "KilledWorker":  # distributed's, without importing it
            raise RunError(WORKER_DIED) from None
        raise
