"""`relecture check CORPUS --out FLAGS`: streamed in partitions, the same flags as the in-memory
check (document-wide checks included), locally and on a real Dask cluster; resumable after
ctrl+c; a progress line on a terminal only."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import write_corpus

RELECTURE = [sys.executable, "-m", "relecture"]


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*RELECTURE, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout  # a hang guard, not a pace
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def in_memory(path: Path, *extra: str) -> list[str]:
    proc = run("check", str(path), "--format", "jsonl", *extra)
    assert proc.returncode == 0, proc.stderr
    return sorted(proc.stdout.splitlines())


def streamed(path: Path | str, out: Path, *extra: str, env: dict[str, str] | None = None) -> list[str]:
    proc = run("check", str(path), "--out", str(out), *extra, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "flags in" in proc.stdout
    assert proc.stderr == ""  # not a terminal: no progress line
    return sorted(out.read_text(encoding="utf-8").splitlines())


# 800 segments: every check fires, the document-wide ones included (consistency with references
# hundreds of segments away, both length outliers). A run's cost is mostly fixed (start-up, the
# language profiles): 2,400 segments cost four times the CPU of the whole module for no new case.
SEGMENTS = 800


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"), SEGMENTS)["tsv"]


@pytest.fixture(scope="module")
def expected(corpus: Path) -> list[str]:
    """The in-memory flags of the corpus, the reference of every streamed run (computed once: the
    tests compare with it, none changes the corpus)."""
    return in_memory(corpus)


def pairs(tsv: Path) -> list[tuple[str, str, str]]:
    from relecture.importers import import_document

    return [(s.id, s.source or "", s.target) for s in import_document(tsv).segments]


SMALL = {"RELECTURE_PARTITION_SEGMENTS": str(SEGMENTS // 8)}  # 8 partitions


def test_streamed_flags_are_the_in_memory_ones(corpus: Path, expected: list[str], tmp_path: Path) -> None:
    checks = {json.loads(line)["check"] for line in expected}
    # The document-wide checks are in the comparison: they come from the map/reduce.
    assert {"consistency.target", "length.short"} <= checks or {"consistency.source", "length.long"} & checks
    got = streamed(corpus, tmp_path / "flags.jsonl", env=SMALL)
    assert got == expected
    assert not (tmp_path / "flags.jsonl.parts").exists()  # the work folder goes once the run is whole


def named(flags: list[str], path: Path) -> list[str]:
    """``flags`` as they read for the same rows in the file ``path``."""
    return sorted(json.dumps({**json.loads(line), "file": str(path)}, ensure_ascii=False) for line in flags)


def test_jsonl_csv_and_shards_stream_like_tsv(corpus: Path, expected: list[str], tmp_path: Path) -> None:
    """The same rows as JSONL and CSV give the TSV's in-memory flags, file name aside."""
    rows = pairs(corpus)
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text("".join(json.dumps({"id": i, "source": s, "target": t}, ensure_ascii=False) + "\n"
                             for i, s, t in rows), encoding="utf-8")
    assert streamed(jsonl, tmp_path / "j.jsonl", env=SMALL) == named(expected, jsonl)
    import csv

    csv_path = tmp_path / "c.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["id", "source", "target"], *rows])
    assert streamed(csv_path, tmp_path / "c-flags.jsonl", env=SMALL) == named(expected, csv_path)


def test_parquet_in_and_out(corpus: Path, expected: list[str], tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = pairs(corpus)
    table = pa.table({"id": [r[0] for r in rows], "source": [r[1] for r in rows], "target": [r[2] for r in rows]})
    path = tmp_path / "c.parquet"
    pq.write_table(table, path, row_group_size=SEGMENTS * 5 // 8)  # two row groups, one cut mid-corpus
    out = tmp_path / "flags.parquet"
    proc = run("check", str(path), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    flags = pq.read_table(out).to_pylist()
    reference = [json.loads(line) for line in expected]
    key = lambda r: json.dumps({k: v for k, v in r.items() if k != "file"}, sort_keys=True)  # noqa: E731
    assert sorted(map(key, flags)) == sorted(map(key, reference))


@pytest.mark.slow  # a real LocalCluster
def test_dask_cluster_gives_the_local_output(corpus: Path, expected: list[str], tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    # Two worker processes, as a real cluster has several. The local run's output is the
    # in-memory one (test_streamed_flags_are_the_in_memory_ones): the cluster must give it too.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        got = streamed(corpus, tmp_path / "dask.jsonl", "--executor", "dask", "--scheduler", cluster.scheduler_address,
                       env=SMALL)
    assert got == expected


def test_ctrl_c_keeps_finished_partitions_and_a_rerun_completes(corpus: Path, expected: list[str],
                                                               tmp_path: Path) -> None:
    out = tmp_path / "flags.jsonl"
    parts = tmp_path / "flags.jsonl.parts"
    # 40 partitions of 20 segments: after the first one is done most of the run is still to do, so
    # the signal lands mid-run even when the machine is idle and the partitions quick.
    tiny = {"RELECTURE_PARTITION_SEGMENTS": str(SEGMENTS // 40)}
    env = {**os.environ, **tiny}
    # SIGINT at its default, as in a terminal's foreground job: started from a background job of a
    # non-interactive shell, pytest ignores SIGINT, its children inherit that, and the run then
    # never ends with 130 (whatever the partitions).
    proc = subprocess.Popen([*RELECTURE, "check", str(corpus), "--out", str(out), "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        wait_until(lambda: any(p.suffix == ".done" for p in parts.glob("p*.done")) or proc.poll() is not None,
                   "a first finished partition")
        assert proc.poll() is None, "the run ended before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        # It ends at once (workers stopped, not waited for): well within this bound even on a
        # loaded machine, where waiting for the partitions in progress took minutes.
        _, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "run the same command again" in err and len(err.strip().splitlines()) == 1, err
    finished = sorted(parts.glob("p*.done"))
    assert finished and len(finished) < 40  # part of the work is kept, not all of it
    rerun = run("check", str(corpus), "--out", str(out), "--workers", "1", env=tiny)
    assert rerun.returncode == 0, rerun.stderr
    assert "resumed" in rerun.stdout
    assert sorted(out.read_text(encoding="utf-8").splitlines()) == expected


@pytest.mark.slow  # a real pseudo-terminal
def test_progress_on_a_terminal_only(corpus: Path, tmp_path: Path) -> None:
    # Off a terminal there is no progress line: every streamed() run asserts an empty stderr.
    master, slave = pty.openpty()
    proc = subprocess.Popen([*RELECTURE, "check", str(corpus), "--out", str(tmp_path / "b.jsonl")],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
                            env={**os.environ, **SMALL})
    os.close(slave)
    seen = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 600)
            assert ready, "no output on the terminal"
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        proc.wait(timeout=600)
        os.close(master)
    text = seen.decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "segments checked" in text and "/s" in text and "ETA" in text


def test_review_files_and_other_formats_are_refused_with_out(tmp_path: Path) -> None:
    doc = tmp_path / "a.xliff"
    doc.write_text('<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en"><file id="f"/></xliff>')
    proc = run("check", str(doc), "--out", str(tmp_path / "f.jsonl"))
    assert proc.returncode == 2
    assert "a.xliff" in proc.stderr and "--out streams corpus files" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_local_executor_never_imports_dask() -> None:
    script = ("import sys; from relecture.corpus import run, executors, tasks; "
              "print(any(m == 'dask' or m.startswith(('dask.', 'distributed')) for m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.stdout.strip() == "False", proc.stderr


def test_a_duplicate_id_is_refused_as_the_importer_refuses_it(tmp_path: Path) -> None:
    tsv = tmp_path / "dup.tsv"
    tsv.write_text("id\tsource\ttarget\na\tHello there my friend\tBonjour mon ami\nb\tGood\tBien\na\tAgain\tEncore\n",
                   encoding="utf-8")
    expected = run("check", str(tsv))
    got = run("check", str(tsv), "--out", str(tmp_path / "f.jsonl"))
    assert got.returncode == expected.returncode == 2
    assert got.stderr == expected.stderr == f"relecture: {tsv}:line 4: duplicate id 'a' (first on line 2)\n"


def test_a_folder_of_shards_is_one_corpus(corpus: Path, expected: list[str], tmp_path: Path) -> None:
    """Shards of one corpus give its flags: consistency and the length model span them all."""
    import csv

    rows = pairs(corpus)
    folder = tmp_path / "shards"
    (folder / "b").mkdir(parents=True)
    cuts = [0, len(rows) * 5 // 6, len(rows), len(rows)]  # the last shard holds its header only
    names = [folder / "a-0.tsv", folder / "a-1.tsv", folder / "b" / "c-2.tsv"]
    for name, start, end in zip(names, cuts, cuts[1:], strict=False):
        with name.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter="\t", lineterminator="\n").writerows([["id", "source", "target"], *rows[start:end]])
    out = tmp_path / "flags.jsonl"
    streamed(folder, out, env=SMALL)

    def key(record: dict[str, object]) -> tuple[object, ...]:
        return (record["segment"], record["check"], record["start"], record["end"], record["severity"])

    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["file"] for r in got} <= {str(n) for n in names}
    reference = [json.loads(line) for line in expected]
    assert sorted(map(key, got)) == sorted(map(key, reference))
    assert any("a-0.tsv:" in str(r["message"]) or "a-1.tsv:" in str(r["message"])
               for r in got if r["check"].startswith("consistency"))  # a reference in another shard is named with it


def test_the_corpus_median_is_statistics_median_in_bounded_chunks() -> None:
    """The length model's medians over a corpus too large to hold: the exact float
    ``statistics.median`` gives, whether few or many values share its leading bits."""
    import functools
    import statistics

    import numpy as np

    from relecture.corpus.run import _exact_median

    rng = np.random.default_rng(7)
    for values in (rng.normal(0.1, 0.3, 300_001), np.round(rng.normal(0.1, 0.3, 300_000), 3), rng.random(11)):
        chunks = np.array_split(values, 37)
        assert _exact_median(functools.partial(iter, chunks), len(values)) == statistics.median(values.tolist())


def test_a_source_recurring_across_partitions_names_the_first_of_its_usual_translations(tmp_path: Path) -> None:
    # Two translations as frequent as each other: the reference is the one met first in the
    # corpus (row 2), though the other comes first in a later partition too; the reduce streams
    # a group's members, never holds them, and must still agree with the in-memory check.
    source = "The update fixes the login screen on older phones."
    rows = ["id\tsource\ttarget"]
    for i in range(40):
        if i % 10 == 2:
            target = "La mise à jour corrige l'écran de connexion sur les anciens téléphones."
        elif i % 10 == 5:
            target = "La mise à jour répare l'écran de connexion des vieux téléphones."
        elif i == 33:
            target = "Cette mise à jour corrige la page de connexion."
        else:
            rows.append(f"u{i}\tUnique sentence number {i} of this corpus here.\tPhrase unique numéro {i} du corpus ici.")
            continue
        rows.append(f"r{i}\t{source}\t{target}")
    # The same translation for two different sources: flagged on the later one.
    rows.append("x1\tThe file could not be saved to disk.\tLe fichier n'a pas pu être enregistré.")
    rows.append("x2\tThe document could not be written.\tLe fichier n'a pas pu être enregistré.")
    tsv = tmp_path / "recurring.tsv"
    tsv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    expected = in_memory(tsv, "--only", "consistency")
    got = streamed(tsv, tmp_path / "flags.jsonl", "--only", "consistency",
                   env={"RELECTURE_PARTITION_SEGMENTS": "7"})
    assert got == expected
    flags = [json.loads(line) for line in got]
    target = sorted(f["segment"] for f in flags if f["check"] == "consistency.target")
    assert target == ["r15", "r25", "r33", "r35", "r5"]  # as frequent as r2's, met later
    assert all("Same source as segment r2," in f["message"] and "(9 occurrences, 3 translations)" in f["message"]
               for f in flags if f["check"] == "consistency.target")
    reverse = [f for f in flags if f["check"] == "consistency.source"]
    assert [(f["segment"], f["message"]) for f in reverse] == [
        ("x2", "Same translation as segment x1, whose source differs: “The file could not be saved to disk.”")]
