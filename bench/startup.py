"""Start-up: ``relecture check`` on small files, one process each (CI and pre-commit hooks), against
translate-toolkit's ``pofilter`` on the same files, measured in the same run.

    python bench/startup.py                    # Django's fr catalogue x 7, then the 98 catalogues
    python bench/startup.py --repeat 11 --no-all
    python bench/startup.py --write-results    # replace the '## Start-up' section of RESULTS.md

Each figure is a whole process from its start to its exit (interpreter, imports, parsing,
checks, output): wall seconds and CPU seconds (user + system, from ``getrusage`` of the child),
the median of ``--repeat`` runs, relecture and pofilter alternating so that both see the same
load. On a shared machine CPU seconds move less than wall seconds; the ratio is the figure to
compare. The catalogues are Django 5.2.19's (../shared/data/real-catalogues, BSD-3-Clause).
Bytecode caches are allowed (as in any installed package); one warm-up run of each tool first.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CATALOGUES = REPO.parent / "shared" / "data" / "real-catalogues" / "django-5.2.19"
BIN = Path(sys.executable).parent


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode compiled
    return env


def run(command: list[str]) -> tuple[float, float, int]:
    """(wall s, CPU s of the child, exit code)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env()).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, code


def relecture(path: Path) -> list[str]:
    return [str(BIN / "relecture"), "check", str(path), "--format", "jsonl"]


def pofilter(path: Path, out: Path) -> list[str]:
    return [str(BIN / "pofilter"), "--progress=none", str(path), str(out)]


def units(path: Path) -> int:
    text = path.read_text(encoding="utf-8", errors="replace")
    return max(0, text.count("\nmsgid ") + text.startswith("msgid ") - 1)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min) / {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description="relecture check vs pofilter, one small file per process")
    parser.add_argument("--repeat", type=int, default=7, help="runs of each tool on the fr catalogue")
    parser.add_argument("--no-all", action="store_true", help="skip the 98 catalogues, one process each")
    parser.add_argument("--write-results", action="store_true")
    args = parser.parse_args()
    if not CATALOGUES.is_dir():
        sys.exit(f"{CATALOGUES} is absent: the real catalogues live beside the repository only")
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"relecture-startup-{os.getpid()}.po"
    fr = CATALOGUES / "fr" / "django.po"
    lines = [f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}; at start: {load()}."]
    run(relecture(fr)), run(pofilter(fr, out))  # warm-up: bytecode and page cache
    rel: list[tuple[float, float]] = []
    pof: list[tuple[float, float]] = []
    for _ in range(args.repeat):
        wall, cpu, code = run(relecture(fr))
        if code not in (0, 1):
            sys.exit(f"relecture check failed on {fr} (exit {code})")
        rel.append((wall, cpu))
        wall, cpu, _ = run(pofilter(fr, out))
        pof.append((wall, cpu))
    rw, rc = statistics.median(w for w, _ in rel), statistics.median(c for _, c in rel)
    pw, pc = statistics.median(w for w, _ in pof), statistics.median(c for _, c in pof)
    lines += [
        "",
        f"Django fr catalogue ({units(fr)} units), median of {args.repeat} runs each, alternating:",
        "",
        "| tool | wall s | CPU s | wall ratio | CPU ratio |",
        "|---|---:|---:|---:|---:|",
        f"| relecture check --format jsonl | {rw:.3f} | {rc:.3f} | {rw / pw:.2f}x | {rc / pc:.2f}x |",
        f"| pofilter (default tests) | {pw:.3f} | {pc:.3f} | 1 | 1 |",
    ]
    print("\n".join(lines))
    if not args.no_all:
        files = sorted(CATALOGUES.glob("*/django.po"))
        totals = {"relecture": [0.0, 0.0], "pofilter": [0.0, 0.0]}
        for path in files:
            for name, command in (("relecture", relecture(path)), ("pofilter", pofilter(path, out))):
                wall, cpu, code = run(command)
                if name == "relecture" and code not in (0, 1):
                    sys.exit(f"relecture check failed on {path} (exit {code})")
                totals[name][0] += wall
                totals[name][1] += cpu
        (rw_all, rc_all), (pw_all, pc_all) = totals["relecture"], totals["pofilter"]
        extra = [
            "",
            f"The {len(files)} catalogues ({sum(units(p) for p in files):,} units), one process per file and tool:",
            "",
            "| tool | wall s | CPU s | wall ratio | CPU ratio |",
            "|---|---:|---:|---:|---:|",
            f"| relecture check | {rw_all:.1f} | {rc_all:.1f} | {rw_all / pw_all:.2f}x | {rc_all / pc_all:.2f}x |",
            f"| pofilter | {pw_all:.1f} | {pc_all:.1f} | 1 | 1 |",
        ]
        print("\n".join(extra))
        lines += extra
    end = f"At the end: {load()}."
    print(end)
    lines += ["", end]
    out.unlink(missing_ok=True)
    if args.write_results:
        from results_file import replace_section

        replace_section(
            "## Start-up",
            "## Start-up\n\n`python bench/startup.py`: `relecture check` and `pofilter` on small files, one "
            "process each, from process start to exit.\n\n" + "\n".join(lines) + "\n",
        )


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
