"""Local workers of `check --out` are replaced by fresh forks as they go (bounded memory over
millions of segments), and a run whose workers are replaced gives the in-memory flags."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import write_corpus
from relecture.corpus import executors

RELECTURE = [sys.executable, "-m", "relecture"]


def test_a_worker_is_replaced_after_its_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executors, "TASKS_PER_WORKER", 1)
    pool = executors.LocalExecutor(2)
    try:
        for n in range(6):
            pool.submit(n, os.getpid)
        pids = {pool.results.get(timeout=120)[1] for _ in range(6)}
    finally:
        pool.close()
    assert len(pids) == 6 and os.getpid() not in pids


def _checker_id(job: Any, fmt: str) -> int:
    from relecture.corpus import tasks

    return id(tasks._checker(job, fmt))


def test_workers_check_with_what_the_parent_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked workers, a replaced one too, use the checks the parent compiled: none compiles its own."""
    from relecture.checks import Checker
    from relecture.corpus import tasks
    from relecture.model import ReviewDocument

    monkeypatch.setattr(executors, "TASKS_PER_WORKER", 1)
    monkeypatch.setattr(tasks, "_CHECKER", None)
    header = ReviewDocument(id="corpus", title="corpus", segments=[], target_lang="fr", source_lang="en",
                            imported_from={"format": "tsv"})
    checker = Checker(header)
    job = types.SimpleNamespace(key="fingerprint")
    tasks.prime_checker(job, "tsv", checker)
    pool = executors.LocalExecutor(2)
    try:
        for n in range(4):
            pool.submit(n, _checker_id, job, "tsv")
        ids = {pool.results.get(timeout=120)[1] for _ in range(4)}
    finally:
        pool.close()
    assert ids == {id(checker)}
    # The document checks the map/reduce gives corpus-wide are left out, as a worker's own would be.
    assert not [fn for fn in checker.document_fns if fn.__module__ in tasks._REDUCED]


def test_replaced_workers_give_the_in_memory_flags(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path, 1200)["tsv"]
    env = {**os.environ, "RELECTURE_PARTITION_SEGMENTS": "200", "RELECTURE_TASKS_PER_WORKER": "1"}
    out = tmp_path / "flags.jsonl"
    streamed = subprocess.run([*RELECTURE, "check", str(corpus), "--out", str(out)], capture_output=True,
                              text=True, env=env, timeout=600)
    assert streamed.returncode == 0, streamed.stderr
    memory = subprocess.run([*RELECTURE, "check", str(corpus), "--format", "jsonl"], capture_output=True,
                            text=True, timeout=600)
    assert memory.returncode == 0, memory.stderr
    expected = sorted(memory.stdout.splitlines())
    assert sorted(out.read_text(encoding="utf-8").splitlines()) == expected
    # The summary counts each flagged segment once, whether the map or the reduce flagged it.
    flagged = {json.loads(line)["segment"] for line in expected}
    assert re.search(rf"{len(expected)} flags in {len(flagged)} segments ", streamed.stdout), streamed.stdout


def test_workers_past_their_budget_drop_their_checks_and_give_the_same_flags(tmp_path: Path) -> None:
    """A worker past its memory budget drops its checks and caches and gives its heap back to
    the system, then recompiles them: the flags and the summary stay the in-memory run's."""
    corpus = write_corpus(tmp_path, 1200)["tsv"]
    env = {**os.environ, "RELECTURE_PARTITION_SEGMENTS": "200", "RELECTURE_WORKER_BUDGET_MB": "1"}
    out = tmp_path / "flags.jsonl"
    streamed = subprocess.run([*RELECTURE, "check", str(corpus), "--out", str(out)], capture_output=True,
                              text=True, env=env, timeout=600)
    assert streamed.returncode == 0, streamed.stderr
    memory = subprocess.run([*RELECTURE, "check", str(corpus), "--format", "jsonl"], capture_output=True,
                            text=True, timeout=600)
    assert memory.returncode == 0, memory.stderr
    expected = sorted(memory.stdout.splitlines())
    assert sorted(out.read_text(encoding="utf-8").splitlines()) == expected
    flagged = {json.loads(line)["segment"] for line in expected}
    assert re.search(rf"{len(expected)} flags in {len(flagged)} segments ", streamed.stdout), streamed.stdout


def test_dropping_the_caches_gives_freed_memory_back() -> None:
    """After the drop (caches cleared, heap trimmed), memory freed between live blocks is no
    longer resident: without the trim it stays, and a worker past its budget would stay past."""
    from relecture.corpus import tasks

    blocks = [bytearray(64 * 1024) for _ in range(1600)]  # 100 MB of heap blocks (not mmap'd)
    kept = blocks[1::2]  # every other one stays: the freed ones are holes, not the heap's top
    del blocks
    before = tasks._resident_kb()
    tasks._drop_caches()
    assert tasks._resident_kb() < before - 30 * 1024
    del kept


def test_a_worker_drops_its_map_checks_before_a_reduce_but_keeps_inherited_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reduce and the judge use no checks: a worker that ran map tasks drops them and their
    caches first (a bucket's records then do not come on top of 50 tasks' caches); a fresh fork
    that ran none keeps the parent's (dropping them would free nothing of its own)."""
    from relecture.corpus import tasks

    inherited = ("key", object())
    monkeypatch.setattr(tasks, "_CHECKER", inherited)
    monkeypatch.setattr(tasks, "_MAPPED", False)
    tasks._leave_map()
    assert tasks._CHECKER is inherited
    monkeypatch.setattr(tasks, "_MAPPED", True)
    tasks._leave_map()
    assert tasks._CHECKER is None and not tasks._MAPPED
