"""Precision of ``relecture check`` on professionally translated catalogues, beside ``pofilter``.

    python bench/precision.py                        # Django 5.2's 98 catalogues in ../shared/data
    python bench/precision.py --baseline 9c7a38b     # also the checks of an older commit, same run
    python bench/precision.py --write-results        # update bench/RESULTS.md's "## Precision"

Django's own catalogues are translated and reviewed by people: nearly every flag on them is a
false alarm, so flags per 1,000 units measure noise, and the major/critical ones measure whether
``--fail-on major`` can gate a CI. The script runs ``relecture check --format jsonl`` once over
every catalogue (a catalogue "fails --fail-on major" when it has an open major or critical flag,
which is what makes that run exit 1), and pofilter (translate-toolkit, default tests) over the
same files, and prints per check and severity the flags per 1,000 units. With ``--baseline REF``
the ``src/`` of that commit (``git archive``) runs the same way, in the same run.

Untranslated entries (an empty msgstr) are progress, not errors: they are counted apart, from the
PO files themselves. Recall probes: the real problems a reviewer must still see in these files
(listed in ``PROBES``) are looked up among the current flags.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from checks import machine  # noqa: E402
from results_file import replace_section  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "real-catalogues" / "django-5.2.19"
FOCUS = ("fr", "de", "ja", "zh_Hans")
SERIOUS = ("major", "critical")
PER_CATALOGUE = 4  # lines shown for each failing catalogue
# Untranslated entries: status, not a flag (the old code raised this check on them).
STATUS_CHECKS = frozenset({"mismatch.empty"})
# Real problems of these files that must stay found: (catalogue, check, text the flag covers).
PROBES = (
    ("ur", "mismatch.placeholder-count", "%(show_value)s"),
    ("zh_Hans", "typography.unbalanced", None),
    # 15 entries with 3 forms under a header of nplurals=4: `msgfmt -c` refuses the catalogue, and
    # gettext shows English for the numbers of form 3 (20, 30, ...).
    ("he", "plurals.empty", None),
)


@dataclass
class Run:
    label: str
    seconds: float = 0.0
    exit_code: int = 0
    by_check: Counter[tuple[str, str]] = field(default_factory=Counter)  # (check, severity) -> n
    serious_by_lang: Counter[str] = field(default_factory=Counter)
    flags: list[dict[str, object]] = field(default_factory=list)

    def failing(self) -> list[str]:
        return sorted(lang for lang, n in self.serious_by_lang.items() if n)


def catalogues(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*/django.po"))


def unit_counts(paths: list[Path]) -> tuple[int, int]:
    """(units, untranslated units) over the catalogues, read by translate-toolkit."""
    from translate.storage.po import pofile

    units = untranslated = 0
    for path in paths:
        for unit in pofile.parsefile(str(path)).units:
            if unit.isheader() or unit.isobsolete():
                continue
            units += 1
            untranslated += not unit.istranslated() and not unit.isfuzzy()
    return units, untranslated


def run_relecture(label: str, src: Path, paths: list[Path]) -> Run:
    env = dict(os.environ, PYTHONPATH=str(src), RELECTURE_CONFIG=os.devnull)
    env.pop("RELECTURE_CHECK_WORKERS", None)
    command = [sys.executable, "-m", "relecture", "check", *map(str, paths), "--format", "jsonl", "--fail-on", "major"]
    start = time.perf_counter()
    out = subprocess.run(command, env=env, capture_output=True, text=True, cwd=tempfile.gettempdir())
    run = Run(label, time.perf_counter() - start, out.returncode)
    if out.returncode not in (0, 1):
        raise SystemExit(f"{label}: relecture check exited {out.returncode}: {out.stderr.strip()[-500:]}")
    for line in out.stdout.splitlines():
        flag = json.loads(line)
        lang = Path(str(flag["file"])).parent.name
        flag["lang"] = lang
        run.flags.append(flag)
        run.by_check[(str(flag["check"]), str(flag["severity"]))] += 1
        if flag["severity"] in SERIOUS and flag["check"] not in STATUS_CHECKS:
            run.serious_by_lang[lang] += 1
    return run


def baseline_src(ref: str, folder: Path) -> Path:
    """The ``src/`` tree of commit ``ref``, extracted with ``git archive`` (the repository's
    work trees are left alone)."""
    archive = folder / "baseline.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(REPO), "archive", ref, "src"], stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder / "baseline", filter="data")
    return folder / "baseline" / "src"


def pofilter_categories() -> dict[str, str]:
    """pofilter's own severity of each test (its decorators record it when a test first runs)."""
    from translate.filters import checks
    from translate.filters.decorators import Category

    names = {v: k.lower() for k, v in vars(Category).items() if isinstance(v, int)}
    checker = checks.StandardChecker()
    for test in checker.defaultfilters.values():
        with contextlib.suppress(Exception):
            test("Hello %s (x)", "y")
    return {name: names.get(value, "?") for name, value in checker.categories.items()}


def run_pofilter(paths: list[Path], folder: Path) -> tuple[float, Counter[str]]:
    counts: Counter[str] = Counter()
    start = time.perf_counter()
    for path in paths:
        out = folder / f"pofilter-{path.parent.name}.po"
        subprocess.run(
            [str(Path(sys.executable).parent / "pofilter"), "--progress=none", str(path), str(out)], check=True
        )
        for line in out.read_text(encoding="utf-8").splitlines():
            if line.startswith("# (pofilter) "):
                counts[line[len("# (pofilter) ") :].split(":", 1)[0]] += 1
    return time.perf_counter() - start, counts


def per_k(n: int, units: int) -> str:
    return f"{1000 * n / units:.2f}"


def report(runs: list[Run], pofilter: tuple[float, Counter[str]], units: int, untranslated: int, n_files: int) -> list[str]:
    lines: list[str] = []
    current = runs[-1]
    keys = sorted({k for r in runs for k in r.by_check}, key=lambda k: (k[1] not in SERIOUS, k[0], k[1]))
    head = "| check | severity | " + " | ".join(f"{r.label} flags | {r.label} /1k units" for r in runs) + " |"
    lines += [head, "|---|---|" + "---:|---:|" * len(runs)]
    for check, severity in keys:
        cells = " | ".join(f"{r.by_check[(check, severity)]:,} | {per_k(r.by_check[(check, severity)], units)}" for r in runs)
        lines.append(f"| `{check}` | {severity} | {cells} |")
    totals = " | ".join(f"**{sum(r.by_check.values()):,}** | **{per_k(sum(r.by_check.values()), units)}**" for r in runs)
    lines.append(f"| all | | {totals} |")
    lines.append("")
    lines.append("| figure | " + " | ".join(r.label for r in runs) + " |")
    lines.append("|---|" + "---:|" * len(runs))

    def row(name: str, values: list[str]) -> None:
        lines.append(f"| {name} | " + " | ".join(values) + " |")

    row("major + critical flags, untranslated aside, all catalogues",
        [f"{sum(r.serious_by_lang.values()):,} ({per_k(sum(r.serious_by_lang.values()), units)}/1k)" for r in runs])
    row(f"major + critical flags on {'/'.join(FOCUS)}", [str(sum(r.serious_by_lang[x] for x in FOCUS)) for r in runs])
    row(f"catalogues failing `--fail-on major` (of {n_files})", [str(len(r.failing())) for r in runs])
    row("`relecture check` wall time (s)", [f"{r.seconds:.1f}" for r in runs])
    lines.append("")
    lines.append(f"Failing now: {', '.join(current.failing()) or 'none'}.")
    serious_now = [f for f in current.flags if f["severity"] in SERIOUS and f["check"] not in STATUS_CHECKS]
    # A few lines a catalogue, so that one catalogue's many flags of one kind hide no other.
    shown: Counter[str] = Counter()
    for f in serious_now:
        shown[f["lang"]] += 1
        if shown[f["lang"]] <= PER_CATALOGUE:
            lines.append(f"- {f['lang']} #{f['segment']} `{f['check']}` {f['severity']}: {str(f['message'])[:110]}")
    for lang, count in shown.items():
        if count > PER_CATALOGUE:
            lines.append(f"- {lang}: {count - PER_CATALOGUE} more like these")
    lines.append("")
    found = []
    for lang, check, text in PROBES:
        hit = any(f["lang"] == lang and f["check"] == check and (text is None or f["text"] == text) for f in current.flags)
        found.append(f"{lang} `{check}`{f' on {text}' if text else ''}: {'found' if hit else 'MISSED'}")
    lines.append("Real problems still found: " + "; ".join(found) + ".")
    lines.append(f"Untranslated entries (status, counted from the PO files): {untranslated:,} of {units:,} units.")
    lines.append("")
    p_seconds, p_counts = pofilter
    categories = pofilter_categories()
    lines += ["pofilter (default tests) on the same files, per 1,000 units:", "",
              "| pofilter test | its category | flags | /1k units |", "|---|---|---:|---:|"]
    for test, n in sorted(p_counts.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| {test} | {categories.get(test, '-')} | {n:,} | {per_k(n, units)} |")
    critical = sum(n for t, n in p_counts.items() if categories.get(t) == "critical")
    lines.append(f"| all | | **{sum(p_counts.values()):,}** | **{per_k(sum(p_counts.values()), units)}** |")
    lines.append("")
    lines.append(f"pofilter's `critical` tests: {critical:,} flags ({per_k(critical, units)}/1k); "
                 f"pofilter ran in {p_seconds:.1f} s (one process per catalogue).")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description="relecture check precision on real catalogues, vs pofilter")
    parser.add_argument("--data", type=Path, default=DATA, help="folder of LANG/django.po catalogues")
    parser.add_argument("--baseline", help="also run the checks of this git commit (e.g. the one before a change)")
    parser.add_argument("--write-results", action="store_true", help="update the '## Precision' section of bench/RESULTS.md")
    args = parser.parse_args()
    paths = catalogues(args.data)
    if not paths:
        print(f"{args.data}: no LANG/django.po catalogue (the shared data is not here): skipped")
        return
    load = os.getloadavg()[0]
    print(f"machine: {machine()}; load average {load:.1f}")
    units, untranslated = unit_counts(paths)
    print(f"{len(paths)} catalogues, {units:,} units")
    with tempfile.TemporaryDirectory(prefix="relecture-precision-") as tmp:
        folder = Path(tmp)
        runs = []
        if args.baseline:
            runs.append(run_relecture(f"before ({args.baseline})", baseline_src(args.baseline, folder), paths))
        runs.append(run_relecture("now", REPO / "src", paths))
        pofilter = run_pofilter(paths, folder)
    lines = report(runs, pofilter, units, untranslated, len(paths))
    print("\n".join(lines))
    if args.write_results:
        section = [
            "## Precision",
            "",
            f"`python bench/precision.py{' --baseline ' + args.baseline if args.baseline else ''}` on {machine()}, "
            f"load average {load:.1f} (machine shared with other jobs).",
            "",
            f"`relecture check --format jsonl --fail-on major` over Django 5.2.19's {len(paths)} catalogues "
            f"({units:,} units, translated and reviewed by Django's teams), flags per 1,000 units:",
            "",
            *lines,
        ]
        replace_section("## Precision", "\n".join(section) + "\n")
        print("wrote bench/RESULTS.md")


if __name__ == "__main__":
    main()
