"""Flags on clean text: ``relecture check --format jsonl`` on Django's 98 reviewed catalogues,
counted per language and check, for this tree and for a git revision (default ``main``).

    python bench/catalogues.py                 # this tree against main
    python bench/catalogues.py --ref HEAD~3    # against another revision
    python bench/catalogues.py --show 5        # print up to 5 new flags of each changed count
    python bench/catalogues.py --write-results # also replace the '## Clean text' section of RESULTS.md

Django's catalogues (../shared/data/real-catalogues/django-5.2.19, BSD-3-Clause) are translated
and reviewed by its teams: a flag that appears there with a change of language data is a false
alarm unless the text really breaks the rule (then the output shows it, to be judged by a
reader of the language). The revision is exported with ``git archive`` and run from its own
``src`` (nothing is checked out in this tree).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
CATALOGUES = REPO.parent / "shared" / "data" / "real-catalogues" / "django-5.2.19"


def run(src: Path, files: list[Path]) -> list[dict[str, object]]:
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run(
        [sys.executable, "-m", "relecture", "check", *map(str, files), "--format", "jsonl"],
        capture_output=True, text=True, env=env, check=False,
    )
    if out.returncode not in (0, 1):
        sys.exit(f"relecture check failed ({out.returncode}): {out.stderr.strip()}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def counts(rows: list[dict[str, object]]) -> collections.Counter[tuple[str, str]]:
    return collections.Counter((Path(str(r["file"])).parent.name, str(r["check"])) for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description="flags on Django's catalogues: this tree vs a revision")
    parser.add_argument("--ref", default="main", help="git revision to compare with (default: main)")
    parser.add_argument("--show", type=int, default=3, help="new flags to print per changed count")
    parser.add_argument("--write-results", action="store_true", help="update the '## Clean text' section of bench/RESULTS.md")
    args = parser.parse_args()
    if not CATALOGUES.is_dir():
        sys.exit(f"{CATALOGUES} is absent: the real catalogues live beside the repository only")
    files = sorted(CATALOGUES.glob("*/django.po"))
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "ref.tar"
        subprocess.run(["git", "-C", str(REPO), "archive", "-o", str(archive), args.ref, "src"], check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        before = run(Path(tmp) / "src", files)
    after = run(REPO / "src", files)
    b, a = counts(before), counts(after)
    lines = [f"{len(files)} catalogues; flags: {args.ref} {sum(b.values())}, this tree {sum(a.values())}"]
    by_key: dict[tuple[str, str], list[dict[str, object]]] = collections.defaultdict(list)
    old = {(Path(str(r["file"])).parent.name, r["check"], r["segment"], r["side"], r["start"]) for r in before}
    for r in after:
        if (Path(str(r["file"])).parent.name, r["check"], r["segment"], r["side"], r["start"]) not in old:
            by_key[(Path(str(r["file"])).parent.name, str(r["check"]))].append(r)
    changed = sorted(k for k in set(a) | set(b) if a[k] != b[k])
    per_check: collections.Counter[str] = collections.Counter()
    for key in changed:
        per_check[key[1]] += a[key] - b[key]
        lines.append(f"  {key[0]:<8} {key[1]:<28} {b[key]:>4} -> {a[key]:<4}")
        for r in by_key.get(key, [])[: args.show]:
            lines.append(f"      seg {r['segment']}: {json.dumps(r['text'], ensure_ascii=False)[:70]}  {str(r['message'])[:80]}")
    lines.append(f"net change per check: {dict(per_check) if per_check else 'none'}")
    print("\n".join(lines))
    if args.write_results:
        from results_file import replace_section

        replace_section(
            "## Clean text (Django catalogues)",
            "## Clean text (Django catalogues)\n\n`python bench/catalogues.py --ref "
            f"{args.ref} --show {args.show}`: flags of `relecture check --format jsonl` on Django 5.2.19's 98 reviewed "
            "catalogues, this tree against the revision, per language and check (a new flag is a false alarm unless "
            "the text really breaks the rule: read the lines shown).\n\n```\n" + "\n".join(lines) + "\n```\n",
        )


if __name__ == "__main__":
    main()
