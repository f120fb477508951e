"""Corpus scale: `relecture check CORPUS --out FLAGS` at 1k, 100k, 1M and 10M segments, locally
and on a Dask LocalCluster of 2 workers, beside OpusFilter on the filters both have (language
id, length ratio, repetition), measured in the same run.

    python bench/scale.py 1000 100000 1000000 [10000000] [--opusfilter PATH/TO/opusfilter]

The corpora are generated once (bench/generate.py, shards of 100,000 segments) into a cache
folder outside the repository (platformdirs' user cache, or RELECTURE_BENCH_CACHE). Peak memory
is the sum of the VmHWM of every process that can be alive at once: the parent, the two largest
local workers (a worker is replaced by a fresh fork every 50 partitions) or every Dask worker,
and for Dask the scheduler and client (which run in the parent here). Beside it, the peak of the
summed PSS of the parent and its children, sampled every 0.2 s (a forked worker's VmHWM counts
the pages it shares with the parent again; PSS counts them once, in shares), and each phase's
peak VmRSS of the parent and of its children summed (plan+map, reduce, the length fit, judge,
the final loop over the markers). Prints a Markdown table, then the phases.
``--keep-flags`` keeps the flags files (in the cache folder) to compare two trees' output;
``--task-log FILE`` logs every local task's worker peak and prints the tasks that raised one most.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

SHARD = 100_000


def cache_dir() -> Path:
    env = os.environ.get("RELECTURE_BENCH_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("relecture")) / "bench-scale"


def corpus(n: int) -> Path:
    """A folder of TSV shards with ``n`` segments in all (and the plain source/target lines of
    the same pairs, for OpusFilter), written once."""
    folder = cache_dir() / f"corpus-{n}"
    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "tsv").mkdir(parents=True)
    with (folder / "all.en").open("w", encoding="utf-8") as en, (folder / "all.fr").open("w", encoding="utf-8") as fr:
        for k, start in enumerate(range(0, n, SHARD)):
            pairs = generate(min(SHARD, n - start), seed=20240713 + k)
            with (folder / "tsv" / f"shard-{k:05d}.tsv").open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
                writer.writerow(["id", "source", "target"])
                for p in pairs:
                    writer.writerow([f"{k}-{p.id}", p.source, p.target])
                    en.write(p.source.replace("\n", " ") + "\n")
                    fr.write(p.target.replace("\n", " ") + "\n")
    done.write_text("")
    return folder


RUN = r"""
import json, sys, time, os, resource
from relecture.config import load_config
from relecture.corpus.run import stream_check
from relecture.corpus.tasks import peak_kb
from relecture.importers import ImportOptions
path, out, executor, only = sys.argv[1:5]
cluster = None
scheduler = None
if executor == "dask":
    from distributed import LocalCluster
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    scheduler = cluster.scheduler_address
import threading
import psutil
import relecture.corpus.executors as executors_module
import relecture.corpus.run as run_module

# A sampler thread, every 0.2 s: the resident memory (VmRSS) of the parent and of the sum of its
# children, their peak by phase of the run, and the sum of every process's PSS (shared pages
# counted once, in shares: the honest figure beside the summed VmHWM, which counts the
# copy-on-write pages the workers share with the parent in each of them).
phase = ["plan+map"]
by_phase = {}
pss_peak = [0]
stop = threading.Event()
me = psutil.Process()

def field(pid, name, key):
    try:
        with open(f"/proc/{pid}/{name}") as handle:
            for line in handle:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

def sample():
    while True:
        pids = [child.pid for child in me.children(recursive=True)]
        parent = field("self", "status", "VmRSS:")
        children = sum(field(pid, "status", "VmRSS:") for pid in pids)
        pss = field("self", "smaps_rollup", "Pss:") + sum(field(pid, "smaps_rollup", "Pss:") for pid in pids)
        pss_peak[0] = max(pss_peak[0], pss)
        old = by_phase.get(phase[0], (0, 0))
        by_phase[phase[0]] = (max(old[0], parent), max(old[1], children))
        if stop.wait(0.2):
            return

submit = executors_module.LocalExecutor.submit
def tagged_submit(self, tag, fn, *args):
    phase[0] = {"map": "plan+map", "reduce": "reduce r*", "judge": "judge j*"}.get(tag[0], tag[0])
    submit(self, tag, fn, *args)
executors_module.LocalExecutor.submit = tagged_submit
fit = run_module._fit
def tagged_fit(*args):
    phase[0] = "fit (medians)"
    try:
        return fit(*args)
    finally:
        phase[0] = "reduce r*"  # the buckets' tasks still running, until the judges are submitted
run_module._fit = tagged_fit
if hasattr(run_module, "_count_flagged"):  # the final loop over the markers
    count_flagged = run_module._count_flagged
    def tagged_count(*args):
        phase[0] = "final loop"
        return count_flagged(*args)
    run_module._count_flagged = tagged_count
else:  # the tree before: its final loop starts with its array
    make_array = run_module.array
    def tagged_array(*args):
        phase[0] = "final loop"
        return make_array(*args)
    run_module.array = tagged_array
# --task-log: each task's worker peak (VmHWM) before and after it, to find the task that raises
# a worker's peak (the workers are forked from here: they run these wrappers).
task_log = os.environ.get("RELECTURE_BENCH_TASK_LOG")
if task_log:
    import relecture.corpus.tasks as tasks_module
    def _logged(kind, fn, label, args):
        before = peak_kb()
        result = fn(*args)
        rss = int(next(line for line in open("/proc/self/status") if line.startswith("VmRSS:")).split()[1])
        with open(task_log, "a") as log:
            log.write(f"{kind} {label} {os.getpid()} {before} {peak_kb()} {rss}\n")
        return result
    def map_task(job, part):
        return _logged("map", tasks_module.check_partition, part.name, (job, part))
    def reduce_task(job, bucket, names):
        return _logged("reduce", tasks_module.reduce_bucket, bucket, (job, bucket, names))
    def judge_task(job, part, center, scale):
        return _logged("judge", tasks_module.judge_partition, part.name, (job, part, center, scale))
    run_module.check_partition, run_module.reduce_bucket, run_module.judge_partition = map_task, reduce_task, judge_task
threading.Thread(target=sample, daemon=True).start()
start = time.perf_counter()
cpu0 = time.process_time()
summary = stream_check([path], out, load_config(path, None), None, only or None, None,
                       ImportOptions(source_lang="en", target_lang="fr"), None, executor, scheduler, 2)
elapsed = time.perf_counter() - start
stop.set()
peaks = dict(summary.peak_kb)
parent_kb = peak_kb()
peaks[os.getpid()] = peak_kb()
if cluster is not None:
    import psutil  # Dask's nannies and workers, children of this process
    for child in psutil.Process().children(recursive=True):
        try:
            with open(f"/proc/{child.pid}/status") as status:
                hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
            peaks[child.pid] = max(peaks.get(child.pid, 0), hwm)
        except (OSError, StopIteration):
            pass
    cluster.close()
# CPU of this process and of every child it waited for (the local workers; Dask's processes).
children = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = time.process_time() - cpu0 + children.ru_utime + children.ru_stime
workers = sorted((v for k, v in peaks.items() if k != os.getpid()), reverse=True)
# Local workers are replaced by fresh forks as they go (executors.TASKS_PER_WORKER): at most two
# live at once, so the two largest peaks bound what the run held at any moment.
live = workers[:2] if executor == "local" else workers
print(json.dumps({"seconds": elapsed, "cpu": cpu, "parent_mb": parent_kb / 1024,
                  "worker_mb": sorted(round(v / 1024) for v in live), "segments": summary.segments, "flags": sum(summary.totals.values()),
                  "peak_mb": (parent_kb + sum(live)) / 1024, "processes": len(peaks), "pss_mb": pss_peak[0] / 1024,
                  "phases": {k: [round(v[0] / 1024), round(v[1] / 1024)] for k, v in by_phase.items()}}))
"""


def relecture(folder: Path, executor: str, only: str = "", keep: bool = False, task_log: Path | None = None) -> dict[str, Any]:
    out = folder.parent / f"flags-{folder.name}-{executor}{'-' + only.replace(',', '-') if only else ''}.jsonl"
    env = dict(os.environ, RELECTURE_BENCH_TASK_LOG=str(task_log)) if task_log else None
    proc = subprocess.run([sys.executable, "-c", RUN, str(folder / "tsv"), str(out), executor, only],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    if not keep:
        out.unlink(missing_ok=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


OPUSFILTER_CONFIG = """common:
  output_directory: {out}
steps:
  - type: filter
    parameters:
      inputs: [{src}, {tgt}]
      outputs: [kept.en, kept.fr]
      filters:
        - LanguageIDFilter:
            languages: [en, fr]
            id_method: langid
            thresholds: [0, 0]
        - LengthRatioFilter:
            name: char
            threshold: 3
            unit: char
        - RepetitionFilter: {{}}
"""


def opusfilter(folder: Path, command: str) -> dict[str, float] | None:
    work = folder.parent / f"opusfilter-{folder.name}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    config = work / "config.yaml"
    config.write_text(OPUSFILTER_CONFIG.format(out=work, src=folder / "all.en", tgt=folder / "all.fr"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run([command, str(config)], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode != 0:
        print(f"opusfilter failed: {proc.stderr[-500:]}", file=sys.stderr)
        return None
    kept = sum(1 for _ in (work / "kept.en").open(encoding="utf-8"))
    shutil.rmtree(work, ignore_errors=True)
    return {"seconds": elapsed, "peak_mb": max(peak, before) / 1024, "kept": kept}


def task_jumps(log: Path, top: int = 8) -> str:
    """The ``top`` tasks of a task log that raised their worker's peak most: kind, task, the
    how-many-th task of that worker, peak before -> after (MB), resident after."""
    rows = [line.split() for line in log.read_text().splitlines() if line.strip()]
    nth: dict[str, int] = {}
    jumps = []
    for kind, label, pid, before, after, rss in rows:
        nth[pid] = nth.get(pid, 0) + 1
        jumps.append((int(after) - int(before), kind, label, nth[pid], int(before), int(after), int(rss)))
    jumps.sort(reverse=True)
    return "; ".join(f"{kind} {label} (task {k} of its worker) {b / 1024:.0f} -> {a / 1024:.0f} (resident {r / 1024:.0f})"
                     for _, kind, label, k, b, a, r in jumps[:top])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 100_000, 1_000_000])
    parser.add_argument("--opusfilter", help="the opusfilter command (installed in its own venv)")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--every-check-only", action="store_true", help="only the local run of every check")
    parser.add_argument("--keep-flags", action="store_true", help="keep the flags files (in the cache folder)")
    parser.add_argument("--task-log", type=Path, help="log each local task's worker peak to this file, then "
                        "print the tasks that raised a worker's peak most")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"Machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"load average at start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    print()
    print("| segments | run | s | seg/s | CPU s | seg per CPU s | peak MB, VmHWM summed (parent; workers) "
          "| peak MB, PSS summed | flags | load |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    phases: list[str] = []
    for n in args.sizes:
        folder = corpus(n)
        runs = [("local, every check", "local", "")]
        if not args.every_check_only:
            runs.append(("local, language+length+repetition", "local", "language,length,repetition"))
            if not args.no_dask:
                runs.append(("Dask LocalCluster (2 workers), every check", "dask", ""))
        for label, executor, only in runs:
            if args.task_log:
                args.task_log.unlink(missing_ok=True)
            r = relecture(folder, executor, only, args.keep_flags, args.task_log if executor == "local" else None)
            workers = ", ".join(f"{mb:.0f}" for mb in r["worker_mb"])
            print(f"| {n:,} | relecture {label} | {r['seconds']:.1f} | {r['segments'] / r['seconds']:,.0f} | "
                  f"{r['cpu']:.1f} | {r['segments'] / r['cpu']:,.0f} | {r['peak_mb']:.0f} ({r['parent_mb']:.0f}; {workers}) | "
                  f"{r['pss_mb']:.0f} | {r['flags']:,.0f} | {os.getloadavg()[0]:.1f} |", flush=True)
            phases.append(f"{n:,} {label}: " + ", ".join(f"{k} {p} + {c}" for k, (p, c) in r["phases"].items()))
            if args.task_log and executor == "local" and args.task_log.exists():
                phases.append(f"{n:,} {label}, the tasks that raised a worker's peak most: " + task_jumps(args.task_log))
        if args.opusfilter:
            o = opusfilter(folder, args.opusfilter)
            if o is not None:
                print(f"| {n:,} | OpusFilter LanguageID+LengthRatio+Repetition | {o['seconds']:.1f} | "
                      f"{n / o['seconds']:,.0f} | – | – | {o['peak_mb']:.0f} (1) | – | {n - o['kept']:,} removed | "
                      f"{os.getloadavg()[0]:.1f} |", flush=True)

    print()
    print("Peak VmRSS by phase, MB (sampled every 0.2 s): parent + its children summed")
    for line in phases:
        print(f"- {line}")


if __name__ == "__main__":
    main()
