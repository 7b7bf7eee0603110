"""Where the per-document function runs: the local process pool (the default) or
a Dask cluster.  Both call ``work.process`` and hand every ``Outcome`` to the
coordinator's ``done`` callback, in whatever order documents finish; the
coordinator alone writes files.

The local pool is Pebble's ``ProcessPool``: unlike ``concurrent.futures`` and
``multiprocessing.Pool`` it kills and replaces the one worker whose document
runs past its timeout, and a worker that dies (a native library's segfault, the
kernel's OOM killer) fails that document only, instead of breaking the pool.

Dask rather than Ray for the distributed engine, by measurement on this 2-core
machine (``bench/engine_choice.py``, 2 worker processes, one trivial map): Dask's
local cluster gives its first results after 0.55 s with 4 processes using 112 MB,
Ray's local mode after 3.2 s with 10 processes using 625 MB (its raylet, GCS and
workers); installed, dask + distributed are 24 MB of pure Python, ray 240 MB.  Both
map one plain function over paths; a scheduler address is all a user needs to
point Dask at their cluster.  On one machine the local pool stays the default: over
the corpus the Dask local cluster of 2 workers took 1.1x to 2.1x its time
(``bench/batch_bench.py``, cluster start included, the machine shared with other jobs).
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import sys
from concurrent.futures import Future, as_completed
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from . import work
from .work import Outcome

Done = Callable[[int, Outcome], None]


@dataclass(frozen=True)
class Job:
    index: int
    path: str
    output: str


@dataclass(frozen=True)
class Settings:
    ocr_mode: str = "auto"
    workers: int = 1
    timeout: Optional[float] = 300.0
    max_memory: Optional[int] = None
    scheduler: Optional[str] = None  # dask: a scheduler address; None starts a local cluster
    scratch: Optional[Path] = None  # dask: the local cluster's working folder


def _context() -> Any:
    """fork on Linux: a worker (and its replacement) starts from the coordinator's
    loaded modules and data instead of importing them again."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _failure(job: Job, e: BaseException, s: Settings) -> Outcome:
    from pebble import ProcessExpired

    if isinstance(e, FutureTimeout):
        return work.failed(job.path, "worker", work.E_TIMEOUT, f"timed out after {s.timeout:g} s (--timeout)")
    if isinstance(e, ProcessExpired):
        return work.failed(
            job.path, "worker", work.E_CRASH, f"the worker died (exit code {e.exitcode}); it was replaced"
        )
    return work.failed(job.path, "worker", work.E_INTERNAL, f"internal error ({type(e).__name__}: {e})")


def run_local(jobs: list[Job], s: Settings, done: Done) -> None:
    """The documents on a pool of ``s.workers`` processes (Pebble)."""
    from pebble import ProcessPool

    pool = ProcessPool(
        max_workers=s.workers, initializer=work.init_worker, initargs=(s.max_memory,), context=_context()
    )
    try:
        futures: dict[Future[Outcome], Job] = {
            pool.schedule(work.process, args=(j.path, j.output, s.ocr_mode), timeout=s.timeout): j for j in jobs
        }
        for fut in as_completed(futures):
            job = futures[fut]
            try:
                out = fut.result()
            except Exception as e:  # the worker's fate (timeout, crash), not the document's content
                out = _failure(job, e, s)
            done(job.index, out)
        pool.close()
    finally:
        pool.stop()
        pool.join()


# The one-process Pebble pool of a Dask worker process (``process_guarded``): made on
# its first document, kept for the others.  Module state because a Dask task has no
# other place that lives as long as its worker process.
_GUARD: dict[str, Any] = {}


def process_guarded(path: str, output: str, s: Settings) -> Outcome:
    """On a Dask worker: ``work.process`` in a pool of one process of this worker, so
    that a timeout, a crash or the memory limit is an error record, as in the local
    pool, and the Dask worker itself (with its other tasks) stays up."""
    from pebble import ProcessPool

    if multiprocessing.current_process().daemon:  # a worker started without DAEMON=False: no children
        return work.process(path, output, s.ocr_mode)
    pool = _GUARD.get("pool")
    if pool is None:
        # spawn, not fork (a Dask worker runs threads) nor forkserver (whose socket folder
        # in the system's temporary folder outlives a Dask worker stopped by its nanny)
        ctx = multiprocessing.get_context("spawn")
        pool = _GUARD["pool"] = ProcessPool(
            max_workers=1, initializer=work.init_worker, initargs=(s.max_memory,), context=ctx
        )
        atexit.register(pool.stop)
    try:
        return pool.schedule(work.process, args=(path, output, s.ocr_mode), timeout=s.timeout).result()
    except Exception as e:  # the inner worker's fate (timeout, crash), not the document's content
        return _failure(Job(0, path, output), e, s)


def run_dask(jobs: list[Job], s: Settings, done: Done) -> None:
    """The documents on a Dask cluster: ``s.scheduler`` (an address such as
    ``tcp://host:8786``), or a local cluster of ``s.workers`` processes.  The
    workers read the inputs by path (a shared folder on a real cluster).  Each
    Dask worker runs the documents in a process of its own (``process_guarded``)
    with ``--timeout`` and ``--max-memory``; should a Dask worker die all the same,
    its nanny restarts it and the document is recorded."""
    import dask
    import distributed  # noqa: F401  (its config defaults loaded first: the block below restores them)

    # the local cluster's worker processes may have children (``process_guarded``); the
    # nanny reads this each time it starts one, so it holds for the cluster's lifetime
    with dask.config.set({"distributed.worker.daemon": False}):
        _run_dask(jobs, s, done)


def _run_dask(jobs: list[Job], s: Settings, done: Done) -> None:
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    cluster = None
    if s.scheduler is None:
        cluster = LocalCluster(
            n_workers=s.workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=s.max_memory or "auto",
            dashboard_address=None,
            silence_logs=logging.ERROR,  # a restarted worker is our error record, not a log warning
            local_directory=str(s.scratch) if s.scratch else None,
        )
    client = Client(cluster if cluster is not None else s.scheduler)
    try:
        futures = client.map(
            process_guarded,
            [j.path for j in jobs],
            [j.output for j in jobs],
            [s] * len(jobs),
            key=[f"vbextract-{j.index}-{j.output}" for j in jobs],
            pure=False,
        )
        by_key = {f.key: j for f, j in zip(futures, jobs)}
        for fut in dask_completed(futures):
            job = by_key[fut.key]
            try:
                out = fut.result()
            except Exception as e:  # KilledWorker: the document took its worker down, on every try
                reason = f"the worker died on it ({type(e).__name__}); it was restarted"
                out = work.failed(job.path, "worker", work.E_CRASH, reason)
            done(job.index, out)
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
