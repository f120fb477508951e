"""Scores and exports at 1,000 / 10,000 / 100,000 segments, against peers in the same run.

    .venv/bin/python bench/exports.py                   # all sizes, prints a table
    .venv/bin/python bench/exports.py --append-results  # and replaces '## Scores and exports' in RESULTS.md

Documents come from bench/store.py's ``build`` (bench/generate.py's bilingual corpus, flags on
every 7th segment, an annotation on every 11th, a status on every 5th). Peers on the same content:
- MQM score: a minimal pure-Python per-segment sum and mean (no raters, no settings): the floor
  any MQM scorer pays;
- XLIFF and TMX: translate-toolkit building and serialising the same units (``xlifffile``,
  ``tmxfile``), without annotations;
- CSV and MQM TSV: the stdlib ``csv`` writer on the same rows;
- JSON/JSONL: ``json.dumps`` of ``to_dict()``;
- HTML report: the same report without its charts (``ExportOptions(charts=False)``), measured
  in the same process, alternated, best of two each, so the charts' own cost (matplotlib's
  import included) is the difference. For the reports the segments carry 10 systems (``meta.system``), so the
  per-system and per-rater charts and their bootstrap intervals are in the measured time.
Each size runs in its own process so peak memory (VmHWM, see memory.py) is that size's alone.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from memory import peak_rss_mb  # noqa: E402
from relecture.exporters import ExportOptions, export_document  # noqa: E402
from relecture.model import ReviewDocument  # noqa: E402
from relecture.scoring import score_documents  # noqa: E402
from results_file import replace_section  # noqa: E402
from runner import each_size_alone, size_arguments, timed  # noqa: E402
from store import build, machine  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
WEIGHTS = {"neutral": 0.0, "minor": 1.0, "major": 5.0, "critical": 25.0}



def naive_mqm(doc: ReviewDocument) -> float:
    scores = [sum(WEIGHTS[a.severity] for a in s.annotations) for s in doc.segments if s.status != "todo" or s.annotations]
    return sum(scores) / len(scores)


def toolkit_xliff(doc: ReviewDocument) -> bytes:
    from translate.storage.xliff import xlifffile

    store = xlifffile(sourcelanguage=doc.source_lang or "en", targetlanguage=doc.target_lang or "fr")
    for seg in doc.segments:
        unit = store.addsourceunit(seg.source or "")
        unit.target = seg.final_target
        unit.setid(seg.id)
    return bytes(store)


def toolkit_tmx(doc: ReviewDocument) -> bytes:
    from translate.storage.tmx import tmxfile

    store = tmxfile(sourcelanguage=doc.source_lang or "en", targetlanguage=doc.target_lang or "fr")
    for seg in doc.segments:
        if seg.status == "approved":
            store.addtranslation(seg.source or "", doc.source_lang or "en", seg.final_target, doc.target_lang or "fr")
    return bytes(store)


def stdlib_csv(doc: ReviewDocument) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for seg in doc.segments:
        for a in seg.annotations:
            writer.writerow([seg.id, a.side, a.start, a.end, a.text, a.category, a.severity, a.comment, seg.source, seg.target])
        for f in seg.open_flags:
            writer.writerow([seg.id, f.side, f.start, f.end, f.text, f.category, f.severity, f.message, seg.source, seg.target])
    return buffer.getvalue()


def json_peer(doc: ReviewDocument) -> str:
    return "\n".join(json.dumps(s.to_dict(), ensure_ascii=False) for s in doc.segments)


# (relecture task, peer name, peer function)
PEERS: dict[str, tuple[str, Callable[[ReviewDocument], object]]] = {
    "score": ("minimal sum+mean", naive_mqm),
    "xliff": ("translate-toolkit xlifffile", toolkit_xliff),
    "tmx": ("translate-toolkit tmxfile", toolkit_tmx),
    "csv": ("stdlib csv.writer", stdlib_csv),
    "mqm": ("stdlib csv.writer", stdlib_csv),
    "jsonl": ("json.dumps per segment", json_peer),
    "json": ("json.dumps per segment", json_peer),
}
FORMATS = ("json", "jsonl", "csv", "mqm", "xliff", "tmx", "html", "markdown")
SYSTEMS = 10


def measure(n: int) -> dict[str, object]:
    doc = build(n)
    doc.source_lang, doc.target_lang = "en", "fr"
    rows: dict[str, dict[str, float]] = {}
    rows["score"] = {"relecture": timed(lambda: score_documents([doc], "document")), "peer": timed(lambda: naive_mqm(doc))}
    with tempfile.TemporaryDirectory(prefix="relecture-exports-") as tmp:
        for fmt in FORMATS:
            out = Path(tmp) / f"out.{fmt}"
            if fmt == "html":
                for i, seg in enumerate(doc.segments):
                    seg.meta = {**seg.meta, "system": f"system-{i % SYSTEMS}"}
                # With and without charts, alternated and the best of two kept: on a shared
                # machine one run can be slowed by tens of seconds, more than the charts cost.
                bare = Path(tmp) / "bare.html"
                no_charts = ExportOptions(charts=False)
                plain, charted = [], []
                for _ in range(2):
                    plain.append(timed(lambda bare=bare, opts=no_charts: export_document(doc, "html", bare, opts)))
                    charted.append(timed(lambda out=out: export_document(doc, "html", out, ExportOptions())))
                rows["html-nocharts"] = {"relecture": min(plain), "mb": bare.stat().st_size / 1e6}
                rows["html"] = {"relecture": min(charted), "mb": out.stat().st_size / 1e6}
                continue
            row = {"relecture": timed(lambda fmt=fmt, out=out: export_document(doc, fmt, out, ExportOptions()))}
            row["mb"] = out.stat().st_size / 1e6
            if fmt in PEERS:
                row["peer"] = timed(lambda fmt=fmt: PEERS[fmt][1](doc))
            rows[fmt] = row
    return {"segments": n, "rows": rows, "peak_rss_mb": peak_rss_mb()}


def main() -> None:
    args = size_arguments(__doc__, SIZES).parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    results = each_size_alone(__file__, args.sizes)

    sizes = [r["segments"] for r in results]
    header = "| task | peer | " + " | ".join(f"{n:,} s (peer s, ratio)" for n in sizes) + " |"
    lines = [header, "|" + "---|" * (2 + len(sizes))]
    for task in ("score", *FORMATS):
        peer_name = PEERS[task][0] if task in PEERS else "-"
        if task == "html":
            peer_name = "the report without charts"
        cells = []
        for r in results:
            row = r["rows"][task]
            if task == "html":
                bare = r["rows"]["html-nocharts"]
                cells.append(f"{row['relecture']:.3f} ({bare['relecture']:.3f}, {row['relecture'] / max(bare['relecture'], 1e-9):.2f}×); "
                             f"{row['mb']:.1f} MB ({bare['mb']:.1f})")
            elif "peer" in row:
                cells.append(f"{row['relecture']:.3f} ({row['peer']:.3f}, {row['relecture'] / max(row['peer'], 1e-9):.1f}×)")
            else:
                cells.append(f"{row['relecture']:.3f}")
        lines.append(f"| {task} | {peer_name} | " + " | ".join(cells) + " |")
    lines.append("| peak RSS MB | | " + " | ".join(f"{r['peak_rss_mb']:.0f}" for r in results) + " |")
    table = "\n".join(lines)
    growth = [r["rows"]["xliff"]["relecture"] / r["segments"] * 1e6 for r in results]
    note = "XLIFF export µs per segment by size: " + ", ".join(f"{g:.0f}" for g in growth) + " (flat = linear cost)."
    extra = [100 * (r["rows"]["html"]["relecture"] / r["rows"]["html-nocharts"]["relecture"] - 1) for r in results]
    note += " Charts add to the HTML report's time: " + ", ".join(
        f"{x:+.1f} % at {r['segments']:,}" for x, r in zip(extra, results, strict=True)) + "."
    print(table)
    print(note)
    if args.append_results:
        section = (
            "## Scores and exports\n\n"
            f"`bench/exports.py`. Machine: {machine(Path(tempfile.gettempdir()))}.\n\n"
            "Peers (same content, same run): a minimal sum+mean for MQM; translate-toolkit's xlifffile/tmxfile "
            "(units only, no ITS annotations); the stdlib csv writer; json.dumps. relecture's exports write the "
            "file atomically (fsync + rename); the peers only build the bytes in memory.\n\n"
            f"{table}\n\n{note}\n"
        )
        replace_section("## Scores and exports", section)


if __name__ == "__main__":
    main()
