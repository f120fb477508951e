"""Benchmark of ``relecture check`` against translate-toolkit's ``pofilter`` on the same content.

    python bench/checks.py                      # 1,000 / 10,000 / 100,000 segments
    python bench/checks.py 10000 --write-results

For each size: a deterministic en->fr corpus (bench/generate.py) as TSV, and the same pairs as a
PO file for pofilter. Both tools run as separate processes, timed from start to exit (start-up,
parsing and output included), with every relecture check on (glossary and language
identification included) and pofilter's default test set. Peak memory is the largest resident
set of the tool's processes (relecture's forked workers share the parent's pages).

It also reports, in process, how many segments needed langdetect (the rest is settled by the
script/function-word fast path) and whether every injected wrong-language segment was flagged.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

from generate import generate, write_corpus  # noqa: E402

BIN = Path(sys.executable).parent


def _po_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def write_po(pairs: list, path: Path) -> None:  # type: ignore[type-arg]
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', '"Language: fr\\n"', ""]
    for p in pairs:
        lines += [f'msgctxt "{p.id}"', f'msgid "{_po_escape(p.source)}"', f'msgstr "{_po_escape(p.target)}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def timed(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB of the largest process, exit code (run in a fresh wrapper so
    that RUSAGE_CHILDREN covers this command only)."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "dt = time.perf_counter() - t\n"
        "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True)
    seconds, rss_kb, code = out.stdout.split()
    return float(seconds), int(rss_kb) / 1024, int(code)


def in_process_figures(tsv: Path, glossary: Path, n: int) -> dict[str, object]:
    """langdetect calls and recall of the injected defects, measured inside one run."""
    from relecture.checks import Checker
    from relecture.checks.language import langdetect_best
    from relecture.importers import import_document

    doc = import_document(tsv)
    langdetect_best.cache_clear()
    checker = Checker(doc, glossary=glossary)
    results = checker.run(doc)
    info = langdetect_best.cache_info()
    pairs = generate(n)
    expected = {
        "wrong-language": "language.wrong", "preamble": "llm.preamble", "heading": "markup.heading",
        "number": "mismatch.number", "placeholder": "mismatch.placeholder", "identical": "mismatch.identical",
        "mixed-script": "language.mixed-script", "refusal": "llm.refusal", "relative-date": "cultural.relative-date",
        "idiom": "cultural.idiom", "dash": "typography.dash", "repeat-sentence": "repetition.sentence",
        "too-long": "length.long",
    }
    recall: dict[str, tuple[int, int]] = {}
    for defect, check in expected.items():
        ids = [p.id for p in pairs if p.defect == defect]
        hit = sum(1 for i in ids if any(f.check == check for f in results.get(i, [])))
        recall[defect] = (hit, len(ids))
    clean = [p.id for p in pairs if not p.defect]
    noisy_checks = Counter(
        f.check for i in clean for f in results.get(i, []) if f.family != "typography"
    )
    noisy = sum(1 for i in clean if any(f.family != "typography" for f in results.get(i, [])))
    return {
        "langdetect_calls": info.misses,
        "segments": len(doc.segments),
        "recall": recall,
        "clean_with_flags": (noisy, len(clean)),
        "clean_flag_checks": dict(noisy_checks),
    }


def machine() -> str:
    cpu = "unknown CPU"
    try:
        match = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        if match:
            cpu = match.group(1).strip()
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description="relecture check vs pofilter")
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--out", type=Path, default=None, help="folder for the generated files (default: a temp dir)")
    parser.add_argument("--write-results", action="store_true", help="update the '## Checks' section of bench/RESULTS.md")
    args = parser.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="relecture-bench-"))
    rows = []
    extra = None
    print(f"machine: {machine()}")
    print(f"{'segments':>9} {'relecture s':>12} {'seg/s':>9} {'peak MB':>8} {'pofilter s':>11} {'seg/s':>8} {'peak MB':>8} {'ratio':>6}")
    for n in args.sizes:
        paths = write_corpus(folder, n)
        po = folder / f"corpus-{n}.po"
        write_po(generate(n), po)
        r_time, r_mem, r_code = timed(
            [str(BIN / "relecture"), "check", str(paths["tsv"]), "--glossary", str(paths["glossary"]), "--format", "jsonl"]
        )
        p_time, p_mem, p_code = timed([str(BIN / "pofilter"), "--progress=none", str(po), str(folder / f"out-{n}.po")])
        if r_code not in (0, 1) or p_code != 0:
            raise SystemExit(f"a tool failed: relecture exit {r_code}, pofilter exit {p_code}")
        row = (n, r_time, n / r_time, r_mem, p_time, n / p_time, p_mem, p_time / r_time)
        rows.append(row)
        print(f"{n:>9,} {r_time:>12.2f} {n / r_time:>9,.0f} {r_mem:>8.0f} {p_time:>11.2f} {n / p_time:>8,.0f} {p_mem:>8.0f} {p_time / r_time:>5.1f}x")
        if n == 10000:
            extra = in_process_figures(paths["tsv"], paths["glossary"], n)
    if extra:
        recall = ", ".join(f"{k} {h}/{t}" for k, (h, t) in extra["recall"].items())  # type: ignore[union-attr]
        noisy, clean = extra["clean_with_flags"]  # type: ignore[misc]
        print(f"10,000 segments: langdetect called {extra['langdetect_calls']} times; recall of injected defects: {recall}")
        print(f"clean pairs with a non-typography flag: {noisy} of {clean} ({extra['clean_flag_checks']})")
    if args.write_results:
        write_results(rows, extra)


def write_results(rows: list[tuple], extra: dict | None) -> None:  # type: ignore[type-arg]
    path = HERE / "RESULTS.md"
    lines = [
        "## Checks",
        "",
        f"`python bench/checks.py` on {machine()}.",
        "",
        "`relecture check corpus.tsv --glossary glossary.csv --format jsonl` (every check on, language",
        "identification included) against `pofilter` (translate-toolkit, default tests) on the same",
        "pairs as PO; wall time of the whole process, start-up and parsing included.",
        "",
        "| segments | relecture s | seg/s | peak MB | pofilter s | seg/s | peak MB | ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, rt, rs, rm, pt, ps, pm, ratio in rows:
        lines.append(f"| {n:,} | {rt:.2f} | {rs:,.0f} | {rm:.0f} | {pt:.2f} | {ps:,.0f} | {pm:.0f} | {ratio:.1f}x |")
    if extra:
        recall = ", ".join(f"{k} {h}/{t}" for k, (h, t) in extra["recall"].items())
        noisy, clean = extra["clean_with_flags"]
        lines += [
            "",
            f"At 10,000 segments langdetect ran on {extra['langdetect_calls']} segments (the script and",
            f"function-word fast path settled the rest). Injected defects found: {recall}.",
            f"Clean pairs with a flag outside typography: {noisy} of {clean} ({extra['clean_flag_checks']}:",
            "a clean pair whose source recurs elsewhere with an injected defect is rightly flagged as",
            "inconsistent with its defective twin).",
        ]
    lines += [
        "",
        "Below about 10,000 segments the time is start-up: Python and imports (~0.15 s) and the",
        "importer's document-level language detection, which loads langdetect's 55 profiles (~0.45 s;",
        "`--source-lang`/`--target-lang` skip it). The segment checks run in two forked processes",
        "above 4,000 segments. This machine is shared with other jobs: repeated runs at 100,000",
        "segments vary by about ±20 %.",
    ]
    section = "\n".join(lines) + "\n"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Checks\n.*?(?=^## |\Z)", re.S | re.M)
    new = pattern.sub(section + "\n", old) if pattern.search(old) else old.rstrip("\n") + "\n\n" + section
    path.write_text(new, encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
