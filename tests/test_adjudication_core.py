"""Which segments need adjudication, and what the lead's decisions leave in the file."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from relecture.adjudication import decide, disagreements, settled, take_decisions
from relecture.cli import main
from relecture.model import Annotation, Layer, ReviewDocument, Segment
from relecture.scoring import ScoringSettings
from relecture.store import ReviewStore


def ann(aid: str, author: str, severity: str, start: int = 0, end: int = 4) -> Annotation:
    return Annotation(id=aid, side="target", start=start, end=end, category="Style/Awkward", severity=severity,
                      author=author)


def doc() -> ReviewDocument:
    t = "Une phrase assez longue pour des spans."
    return ReviewDocument(id="d", title="d", segments=[
        Segment(id="gap", target=t, annotations=[ann("a", "ana", "major"), ann("b", "bo", "minor", 10, 14)]),
        Segment(id="same", target=t, annotations=[ann("c", "ana", "major"), ann("d", "bo", "major")]),
        Segment(id="small", target=t, annotations=[ann("e", "ana", "minor"), ann("f", "bo", "minor", 20, 24)]),
        Segment(id="conflict", target=t, conflicts=["esa"], layers={"ana": Layer(esa=20), "bo": Layer(esa=90)}),
    ])


def test_disagreements_by_gap_unmatched_major_and_conflicts() -> None:
    settings = ScoringSettings(local_rater="lead")
    found = {d.index: d.reasons for d in disagreements(doc(), settings, "lead")}
    assert sorted(found) == [0, 3]
    assert found[0] == ["a major error only ana marked"]  # scores 5 and 1: under the gap of 5
    assert found[3] == ["they set esa differently"]
    [first, _] = disagreements(doc(), settings, "lead", gap=4)
    assert first.reasons == ["MQM 5 by ana, 1 by bo", "a major error only ana marked"]


def test_decisions_settle_and_the_final_layer_scores_as_the_lead(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    with ReviewStore.create(path, doc()) as store:
        seg = store.doc.segments[0]
        store.apply_all(decide(seg, seg.annotations[0], "accepted", "lead", "t"))
        store.apply_all(decide(seg, seg.annotations[1], "rejected", "lead", "t"))
        assert settled(store.doc.segments[0], "lead")
        conflict = store.doc.segments[3]
        store.apply_all(take_decisions(conflict, "bo", "lead"))
        assert conflict.esa == 90 and conflict.conflicts == [] and settled(conflict, "lead")
        found = disagreements(store.doc, ScoringSettings(local_rater="lead"), "lead")
        assert found == []
    result = CliRunner().invoke(main, ["score", str(path), "--by", "rater", "--format", "json"])
    lead = next(g for g in json.loads(result.stdout)["groups"] if g["key"] == "lead")
    assert lead["rated"] == 1 and lead["mqm"] == 5.0  # the accepted major, the rejected minor gone
