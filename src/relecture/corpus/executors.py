"""Where tasks run: local worker processes (the default, no Dask needed) or a Dask cluster
(``dask.distributed``; the workers read their partitions themselves, so only the partition's
description travels). Both report each task's result, or its error, on one queue, in the order
tasks finish."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

_MAIN_THREAD = threading.get_ident()


def _ignore_sigint() -> None:
    # ctrl+c reaches the whole process group: the parent alone decides (it stops the workers).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A fork keeps the forking thread's id. The death signal fires when the forking *thread* ends:
    # the workers that replace others are forked by the pool's handler thread, which ends when
    # the pool closes, and a worker killed then, waiting for work, would hold the task queue's
    # lock for ever. Those find their parent gone on their next read of the queue instead.
    if sys.platform.startswith("linux") and threading.get_ident() == _MAIN_THREAD:
        # A parent killed outright (SIGKILL, SIGTERM) takes its workers with it, not left orphans.
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


# A worker process is replaced by a fresh fork after this many tasks (about 500,000 segments in
# partitions of 10,000): whatever a long run leaves in a worker's heap (fragmented arenas, caches
# regrown after each drop) cannot accumulate over 10 million segments. A fork and the checks'
# rebuild cost well under a second, against minutes of work between two.
TASKS_PER_WORKER = int(os.environ.get("RELECTURE_TASKS_PER_WORKER") or 50)


class LocalExecutor:
    def __init__(self, workers: int | None = None) -> None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        self.workers = max(1, workers or cores)
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self._pool = multiprocessing.get_context(method).Pool(
            self.workers, initializer=_ignore_sigint, maxtasksperchild=TASKS_PER_WORKER)
        self.results: queue.Queue[tuple[Any, Any, BaseException | None]] = queue.Queue()

    def submit(self, tag: Any, fn: Callable[..., Any], *args: Any) -> None:
        self._pool.apply_async(
            fn, args, callback=lambda result: self.results.put((tag, result, None)),
            error_callback=lambda exc: self.results.put((tag, None, exc)),
        )

    def close(self, interrupted: bool = False) -> None:
        if interrupted:
            self._pool.terminate()  # a partition in progress has no marker: a rerun does it again
        else:
            self._pool.close()
        self._pool.join()


class DaskExecutor:
    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        from relecture.errors import RelectureError

        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise RelectureError("--executor dask needs Dask: pip install 'relecture[dask]'") from None
        self._cluster = None
        if scheduler:
            try:
                self._client = Client(scheduler, timeout="30s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise RelectureError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
        else:
            self._cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                         processes=True, dashboard_address=None)
            self._client = Client(self._cluster)
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or 1)
        self.results: queue.Queue[tuple[Any, Any, BaseException | None]] = queue.Queue()

    def submit(self, tag: Any, fn: Callable[..., Any], *args: Any) -> None:
        future = self._client.submit(fn, *args, pure=False, retries=1)

        def done(f: Any) -> None:
            try:
                self.results.put((tag, f.result(), None))
            except BaseException as exc:  # the task's own error, raised again in the parent
                self.results.put((tag, None, exc))

        future.add_done_callback(done)

    def close(self, interrupted: bool = False) -> None:
        if interrupted:
            self._client.cancel(list(self._client.futures.values()), force=True)
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
