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

Memory: in two fresh processes each, the checks on a document with the glossary loaded as
``relecture check`` loads it (only the terms the document's source can hold) and as it did
before (every row, ``Checker`` built without the document), their peaks (``VmHWM``) and a
digest of their flags (which must be equal), on the 51-segment French corpus (no source: no
source term can occur) and on a generated 1,000-pair English-French TSV whose glossary terms
occur (bench/generate.py's, added to the N rows).
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
MEMORY_HEADING = "## Big glossaries: memory"

PEAK = """
import hashlib, sys
from relecture.checks import Checker
from relecture.importers import ImportOptions, import_document
mode, glossary, path = sys.argv[1:4]
doc = import_document(path, ImportOptions(source_lang="en", target_lang="fr"))
if mode == "document":  # as relecture check does: the terms the document's source can hold
    results = Checker(doc, glossary=glossary, only="glossary").run(doc)
else:  # as before: every row of the glossary
    results = Checker(None, glossary=glossary, only="glossary", target_lang="fr", source_lang="en").run(doc)
flags = sorted((k, f.check, f.start, f.end) for k, v in results.items() for f in v)
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(int(peak) / 1024, len(flags), hashlib.sha1(repr(flags).encode()).hexdigest()[:12])
"""

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


def peak(mode: str, glossary: Path, document: Path) -> tuple[float, int, str]:
    out = subprocess.run(
        [sys.executable, "-c", PEAK, mode, str(glossary), str(document)], capture_output=True, text=True, check=True
    )
    mb, flags, digest = out.stdout.split()
    return float(mb), int(flags), digest


def memory(sizes: list[int], write: bool) -> None:
    from generate import write_corpus

    rows = []
    with tempfile.TemporaryDirectory(prefix="relecture-bench-glossary-") as folder:
        corpus = write_corpus(folder, 1000)
        extra = corpus["glossary"].read_text(encoding="utf-8").splitlines()[1:]
        for size in sizes:
            glossary = Path(folder) / f"g{size}.csv"
            write_glossary(glossary, size)
            with glossary.open("a", encoding="utf-8") as handle:
                handle.write("\n".join(extra) + "\n")
            for name, document in (("51-segment corpus (fr)", CORPUS), ("1,000 pairs en-fr", corpus["tsv"])):
                ours, ours_flags, ours_digest = peak("document", glossary, document)
                before, before_flags, before_digest = peak("every-row", glossary, document)
                same = "same flags" if (ours_flags, ours_digest) == (before_flags, before_digest) else "FLAGS DIFFER"
                rows.append((size, name, ours, before, ours_flags, same))
                print(f"{size:>9,} rows, {name}: document's terms {ours:.0f} MB, every row {before:.0f} MB "
                      f"({before / ours:.1f}x), {ours_flags} flags, {same}", flush=True)
    if write:
        lines = [
            MEMORY_HEADING,
            "",
            f"`python bench/glossary.py --memory` on {platform.processor() or platform.machine()}, Python "
            f"{platform.python_version()}: peak resident memory (VmHWM) of a process running the glossary checks, "
            "the glossary loaded as `relecture check` loads it (the rows whose source term the document's source "
            "can hold) against every row (as before), each in a fresh process, same run.",
            "",
            "| rows | document | document's terms MB | every row MB | ratio | flags |",
            "|---:|---|---:|---:|---:|---|",
        ]
        lines += [f"| {size:,} | {name} | {ours:.0f} | {before:.0f} | {before / ours:.1f}x | {flags}, {same} |"
                  for size, name, ours, before, flags, same in rows]
        replace_section(MEMORY_HEADING, "\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--peer-max", type=int, default=100_000)
    parser.add_argument("--append-results", action="store_true")
    parser.add_argument("--memory", action="store_true", help="Only the memory comparison (see above).")
    args = parser.parse_args()
    if args.memory:
        memory(args.sizes, args.append_results)
        return 0
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
