"""Importing a real WMT 2023 Marot MQM TSV (30 MB, 10,970 rows, 3 raters per segment).

    .venv/bin/python bench/mqm_import.py                   # prints the figures
    .venv/bin/python bench/mqm_import.py --append-results  # and replaces '## MQM TSV import' in RESULTS.md

The file is ../shared/data/wmt-mqm/sxs_mqm_generalMT2023_ende.3ratingsPerSegment.tsv.tar.gz,
extracted into a temporary folder. Each side runs in its own process so its peak memory (VmHWM)
is its own:
- relecture: ``import_document`` (rows, ``<v>`` spans, Marot metadata kept whole, the storability
  scan), then the review file's JSON text;
- peer: the floor any reader pays: the stdlib ``csv`` reader keeping every row and
  ``json.loads`` of every metadata cell (no segments, no spans, no review file).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

ARCHIVE = HERE.parent.parent / "shared" / "data" / "wmt-mqm" / "sxs_mqm_generalMT2023_ende.3ratingsPerSegment.tsv.tar.gz"
LIMIT_MB = 400


def child(kind: str, path: str) -> None:
    from memory import peak_rss_mb

    start = time.perf_counter()
    if kind == "relecture":
        from relecture.importers import import_document

        doc = import_document(path)
        size = len(doc.to_json())
        count = len(doc.segments)
    else:
        import csv

        csv.field_size_limit(1 << 30)
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
        parsed = [json.loads(r[9]) if len(r) > 9 and r[9].startswith("{") else None for r in rows[1:]]
        size, count = len(parsed), len(rows)
    print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": peak_rss_mb(), "count": count, "size": size}))


def measure(kind: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2)
    parser.add_argument("--append-results", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    if not ARCHIVE.exists():
        print(f"{ARCHIVE} is absent: this benchmark needs the shared WMT data", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="relecture-mqm-") as folder:
        with tarfile.open(ARCHIVE) as archive:
            archive.extractall(folder, filter="data")
        path = next(Path(folder).rglob("*.tsv"))
        mb = path.stat().st_size / 1e6
        ours = measure("relecture", path)
        peer = measure("peer", path)
    from store import machine

    lines = [
        "## MQM TSV import",
        "",
        f"Machine: {machine(Path(tempfile.gettempdir()))}; load average {os.getloadavg()[0]:.1f} "
        f"(shared with other jobs). `bench/mqm_import.py`, WMT 2023 en-de Marot file "
        f"({mb:.1f} MB, {int(peer['count'])} lines; HOTW-test rows kept apart, `# Documentation` header cell).",
        "",
        "| reader | time | peak memory | what it holds |",
        "| --- | --- | --- | --- |",
        f"| relecture import + review JSON | {ours['seconds']:.1f} s | {ours['peak_mb']:.0f} MB | "
        f"{int(ours['count'])} segments, every rating and its metadata |",
        f"| csv rows + json.loads (peer) | {peer['seconds']:.1f} s | {peer['peak_mb']:.0f} MB | rows only |",
        "",
        f"Peak memory {ours['peak_mb'] / peer['peak_mb']:.1f}x the bare rows; target < {LIMIT_MB} MB: "
        f"{'held' if ours['peak_mb'] < LIMIT_MB else 'MISSED'}.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.append_results:
        from results_file import replace_section

        replace_section("## MQM TSV import", text)
    return 0 if ours["peak_mb"] < LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
