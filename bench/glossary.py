"""Benchmark of big glossaries: ``relecture check`` on the 51-segment corpus with 10,000 to
1,000,000 glossary rows, against the per-term regex index it replaced (``checks.base.Matcher``
over the same term patterns, built and searched in the same run).

    python bench/glossary.py                          # 10k, 100k, 1M rows
    python bench/glossary.py --sizes 10000 --append-results

relecture is timed as the whole ``relecture check --only glossary`` process (start-up, glossary
parsing, index, checks, output); the peer in a process of its own that parses the same glossary
with relecture's loader, then builds a Matcher and searches the same segments (what the
glossary check did before), skipped above ``--peer-max`` rows (it took 47 s at 100,000).
Peak memory is the process's largest resident set.
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from results_file import replace_section  # noqa: E402

CORPUS = REPO / "corpus" / "courts-metrages-ia.fr.txt"
HEADING = "## Big glossaries"

PEER = """
import resource, sys, time
from relecture.checks.base import Matcher
from relecture.checks.glossary import _inflected, load_glossary
from relecture.importers import ImportOptions, import_document
doc = import_document(sys.argv[2], ImportOptions(target_lang="fr"))
t = time.perf_counter()
glossary = load_glossary(sys.argv[1])
source = Matcher([(_inflected(e.source), e) for e in glossary.entries])
forbidden = Matcher([(_inflected(t), n) for t, n in glossary.forbidden])
found = sum(len(forbidden.find(s.target)) + len(source.find(s.target)) for s in doc.segments)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, found)
"""


def write_glossary(path: Path, rows: int) -> None:
    rng = random.Random(rows)
    letters = "abcdefghijklmnopqrstuvwxyzéè"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target", "forbidden"])
        for i in range(rows):
            words = [
                "".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(rng.randint(1, 3))
            ]
            writer.writerow([" ".join(words), words[0] + "s", "x" if i % 10 == 0 else ""])
        writer.writerow(["", "courts-métrages", "yes"])  # one term that occurs, so matches are made


def timed(command: list[str]) -> tuple[float, float]:
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "assert r.returncode in (0, 1), r.returncode\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True)
    seconds, rss_kb = out.stdout.split()
    return float(seconds), int(rss_kb) / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--peer-max", type=int, default=100_000)
    parser.add_argument("--append-results", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="relecture-bench-glossary-") as folder:
        for size in args.sizes:
            glossary = Path(folder) / f"g{size}.csv"
            write_glossary(glossary, size)
            ours, ours_mb = timed([
                sys.executable, "-m", "relecture", "check", str(CORPUS), "--glossary", str(glossary),
                "--target-lang", "fr", "--only", "glossary", "--format", "jsonl",
            ])
            peer = peer_mb = None
            if size <= args.peer_max:
                out = subprocess.run(
                    [sys.executable, "-c", PEER, str(glossary), str(CORPUS)], capture_output=True, text=True, check=True
                )
                seconds, rss_kb, _ = out.stdout.split()
                peer, peer_mb = float(seconds), int(rss_kb) / 1024
            rows.append((size, ours, ours_mb, peer, peer_mb))
            shown = f"{peer:.2f} s (index and search only), {peer_mb:.0f} MB" if peer is not None else "skipped"
            print(f"{size:>9,} rows: relecture {ours:.2f} s, {ours_mb:.0f} MB; per-term regexes {shown}", flush=True)
    if args.append_results:
        lines = [
            HEADING,
            "",
            f"`python bench/glossary.py` on {platform.processor() or platform.machine()}, Python "
            f"{platform.python_version()}: `relecture check` of the 51-segment corpus with a glossary of N rows "
            "(every tenth one forbidden), the whole process timed, against the per-term regex index it replaced "
            "(glossary parsing, index and search only, in its own process).",
            "",
            "| rows | relecture s | peak MB | per-term regexes s | peak MB | ratio |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for size, ours, ours_mb, peer, peer_mb in rows:
            if peer is None:
                lines.append(f"| {size:,} | {ours:.2f} | {ours_mb:.0f} | – | – | – |")
            else:
                lines.append(f"| {size:,} | {ours:.2f} | {ours_mb:.0f} | {peer:.2f} | {peer_mb:.0f} | {peer / ours:.1f}x |")
        replace_section(HEADING, "\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
