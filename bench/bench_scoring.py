"""Running MQM score in the review UI: incremental ScoreTally.update vs a full recount.

The header shows the document's MQM score after every change. This prints the cost of
recounting a 100,000-segment document (document_mqm) against updating the tally for the one
segment that changed, and the ratio between them.

    .venv/bin/python bench/bench_scoring.py [SEGMENTS]
"""

from __future__ import annotations

import sys
import time

from relecture.changes import apply_change, put_annotation
from relecture.model import Annotation, ReviewDocument, Segment
from relecture.scoring import ScoreTally, document_mqm, score_documents


def build(n: int) -> ReviewDocument:
    segments = []
    for i in range(n):
        annotations = (
            [
                Annotation(
                    id=f"a{i}",
                    side="target",
                    start=0,
                    end=3,
                    category="Accuracy/Mistranslation",
                    severity="major",
                    author="r1",
                )
            ]
            if i % 7 == 0
            else []
        )
        segments.append(
            Segment(
                id=f"s{i}",
                source="one two three four five six",
                target="un deux trois quatre cinq six",
                status="approved" if i % 3 else "todo",
                annotations=annotations,
                meta={"system": f"sys{i % 4}"},
            )
        )
    return ReviewDocument(id="bench", title="bench", segments=segments)


def best(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    doc = build(n)
    full = best(lambda: document_mqm(doc))
    report = best(lambda: score_documents([doc], by="system"), repeat=1)
    tally = ScoreTally(doc)
    build_time = best(lambda: ScoreTally(doc), repeat=1)
    updates = 2000
    ids = [doc.segments[(i * 7919) % n].id for i in range(updates)]
    start = time.perf_counter()
    for k, segment_id in enumerate(ids):
        apply_change(
            doc,
            put_annotation(
                segment_id,
                Annotation(
                    id=f"b{k}", side="target", start=0, end=2, category="Style/Awkward", severity="minor"
                ),
            ),
        )
        tally.update(segment_id)
    per_update = (time.perf_counter() - start) / updates
    recount = document_mqm(doc)
    assert tally.mqm is not None and recount is not None and abs(tally.mqm - recount) < 1e-9
    print(f"segments                        {n}")
    print(f"full recount (document_mqm)     {full * 1000:8.1f} ms")
    print(f"report by system                {report * 1000:8.1f} ms")
    print(f"tally build (once, off-thread)  {build_time * 1000:8.1f} ms")
    print(f"change + tally.update           {per_update * 1e6:8.1f} us")
    print(f"ratio full recount / update     {full / per_update:8.0f}x")


if __name__ == "__main__":
    main()
