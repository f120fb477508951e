"""Local workers of `check --out` are replaced by fresh forks as they go (bounded memory over
millions of segments), and a run whose workers are replaced gives the in-memory flags."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

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
