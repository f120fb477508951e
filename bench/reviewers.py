"""Several reviewers on one document: merge, agreement and the search for disagreements, against
bare peers measured in the same run.

    .venv/bin/python bench/reviewers.py --sizes 1000 10000 100000
    .venv/bin/python bench/reviewers.py --append-results  # and replaces '## Reviewers' in RESULTS.md

Two reviewers (ana, bo) review the same generated document: each approves, annotates (one
segment in 6 and one in 7, so some annotations coincide) and scores ESA on their own; statuses
differ on one segment in 8 and ESA scores on one in 10, which become conflicts.

Peers: for ``merge``, a bare union over the two lists of segments (annotations deduplicated by
content, the first file's status kept: no ancestor, no layers, no conflicts); for ``agree``,
scipy's ``kendalltau`` and ``pearsonr`` once on the two reviewers' MQM scores, already in arrays
(relecture adds the per-segment bookkeeping, spans, and the bootstrap, whose resamples are the
bulk: ``agree`` is shown with no resample and with 200).
"""

from __future__ import annotations

import copy
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

from memory import peak_rss_mb  # noqa: E402
from relecture.adjudication import disagreements  # noqa: E402
from relecture.agreement import agreement  # noqa: E402
from relecture.merging import MergeInput, merge  # noqa: E402
from relecture.model import Annotation, Layer, ReviewDocument  # noqa: E402
from relecture.scoring import ScoringSettings, score_segment  # noqa: E402
from relecture.store import gc_paused  # noqa: E402
from results_file import replace_section  # noqa: E402
from runner import each_size_alone, size_arguments, timed  # noqa: E402
from store import build, machine  # noqa: E402

SIZES = (1_000, 10_000, 100_000)



def reviewed(base: ReviewDocument, name: str, every: int, offset: int) -> ReviewDocument:
    doc = copy.deepcopy(base)
    for i, seg in enumerate(doc.segments):
        seg.annotations = []
        seg.flags = []
        if i % every == 0 or i % 42 == 0:  # every 42nd: both mark the same error
            words = seg.target.split(" ")
            seg.annotations.append(Annotation(
                id=f"{name}{i}", side="target", start=0, end=len(words[0]), text=words[0],
                category="Accuracy/Mistranslation", severity="major" if i % 3 else "minor", author=name,
            ))
        status = "needs-work" if i % 8 == 0 and offset else "approved"  # they differ on 1 in 8
        seg.status = status
        seg.esa = (i * 7) % 101 + (offset if i % 10 == 0 else 0)  # and on 1 ESA score in 10
        seg.layers = {name: Layer(status=status, esa=seg.esa)}
    return doc


def paused(fn: Callable[..., object], *args: object) -> object:
    with gc_paused():  # as merge itself runs: the collector would dominate either one
        return fn(*args)


def bare_union(a: ReviewDocument, b: ReviewDocument) -> list[dict[str, object]]:
    out = []
    for x, y in zip(a.segments, b.segments, strict=True):
        seen = {(n.author, n.start, n.end, n.category, n.severity): n for n in [*x.annotations, *y.annotations]}
        out.append({"id": x.id, "status": x.status, "annotations": list(seen.values())})
    return out


def bare_agreement(a: ReviewDocument, b: ReviewDocument) -> tuple[float, float]:
    settings = ScoringSettings(local_rater="-")
    x = np.array([score_segment(s, settings).by_rater.get("ana", 0.0) for s in a.segments])
    y = np.array([score_segment(s, settings).by_rater.get("bo", 0.0) for s in b.segments])
    return stats.kendalltau(x, y, variant="c").statistic, stats.pearsonr(x, y).statistic


def measure(n: int) -> dict[str, object]:
    base = build(n)
    ana, bo = reviewed(base, "ana", 6, 0), reviewed(base, "bo", 7, 1)
    rows: dict[str, dict[str, float]] = {}
    result: list[object] = []
    rows["merge"] = {
        "relecture": timed(lambda: result.append(merge([MergeInput(ana, "ana"), MergeInput(bo, "bo")]))),
        "peer": timed(lambda: paused(bare_union, ana, bo)),
    }
    merged = result[0].doc  # type: ignore[attr-defined]
    settings = ScoringSettings(local_rater="lead")
    rows["agree, no resample"] = {
        "relecture": timed(lambda: agreement(merged, settings, resamples=0)),
        "peer": timed(lambda: bare_agreement(ana, bo)),
    }
    rows["agree, 200 resamples"] = {"relecture": timed(lambda: agreement(merged, settings, resamples=200))}
    found: list[object] = []
    rows["disagreements"] = {"relecture": timed(lambda: found.extend(disagreements(merged, settings, "lead")))}
    conflicts = sum(1 for s in merged.segments if s.conflicts)
    return {"segments": n, "rows": rows, "conflicts": conflicts, "disagreements": len(found),
            "peak_rss_mb": peak_rss_mb()}


def main() -> None:
    args = size_arguments(__doc__, SIZES).parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    results = each_size_alone(__file__, args.sizes)
    sizes = [r["segments"] for r in results]
    lines = ["| task | " + " | ".join(f"{n:,} s (peer s, ratio)" for n in sizes) + " |", "|" + "---|" * (1 + len(sizes))]
    for task in results[0]["rows"]:
        cells = []
        for r in results:
            row = r["rows"][task]
            if "peer" in row:
                cells.append(f"{row['relecture']:.3f} ({row['peer']:.3f}, {row['relecture'] / max(row['peer'], 1e-9):.1f}×)")
            else:
                cells.append(f"{row['relecture']:.3f}")
        lines.append(f"| {task} | " + " | ".join(cells) + " |")
    lines.append("| segments in conflict / to adjudicate | " + " | ".join(
        f"{r['conflicts']:,} / {r['disagreements']:,}" for r in results) + " |")
    lines.append("| peak RSS MB | " + " | ".join(f"{r['peak_rss_mb']:.0f}" for r in results) + " |")
    table = "\n".join(lines)
    print(table)
    if args.append_results:
        section = (
            "## Reviewers\n\n"
            f"`bench/reviewers.py`. Machine: {machine(Path(tempfile.gettempdir()))}.\n\n"
            "Two reviewers' versions of one generated document, in memory. Peers (same run): a bare union "
            "of the two segment lists for merge (no ancestor, layers or conflicts; the collector paused, as merge "
            "pauses it); scipy's kendalltau and "
            "pearsonr once on ready arrays for agree.\n\n" + table + "\n"
        )
        replace_section("## Reviewers", section)


if __name__ == "__main__":
    main()
