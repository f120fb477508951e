"""Adjudication mode (issue 16.4): the segments where reviewers disagree, their layers side by
side, the lead's accept / edit / reject producing the final layer, in the lead's name."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.tui.conftest import make_app, on_disk, screen_text, wait_for_text, wait_until

from relecture.model import Annotation, Layer, ReviewDocument, Segment
from relecture.store import ReviewStore


def ann(aid: str, author: str, severity: str, start: int, end: int) -> Annotation:
    return Annotation(id=aid, side="target", start=start, end=end, category="Accuracy/Mistranslation",
                      severity=severity, author=author)


def merged_review(tmp_path: Path) -> Path:
    text = "Le président a déclaré que les courts-métrages ouvrent un nouveau monde."
    segments = [
        # ana: a major error; bo approved it clean; their statuses are a merge conflict.
        Segment(id="s1", target=text, annotations=[ann("a1", "ana", "major", 3, 12)], conflicts=["status"],
                layers={"ana": Layer(status="needs-work"), "bo": Layer(status="approved")}),
        # both the same minor error: agreement, nothing to adjudicate
        Segment(id="s2", target=text, annotations=[ann("a2", "ana", "minor", 0, 2), ann("b2", "bo", "minor", 0, 2)]),
        # a major only bo marked
        Segment(id="s3", target=text, annotations=[ann("a3", "ana", "minor", 0, 2), ann("b3", "bo", "major", 30, 45)]),
    ]
    path = tmp_path / "team.review.json"
    ReviewStore.create(path, ReviewDocument(id="t", title="team", target_lang="fr", segments=segments)).close()
    return path


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_adjudicate_accept_take_and_reject(tmp_path: Path, size: tuple[int, int]) -> None:
    path = merged_review(tmp_path)
    app = make_app(path, reviewer="lead")
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("D")
        text = await wait_for_text(pilot, app, "Adjudicate segment 1")
        assert "(1 of 2 disagreements)" in text and "they set status differently" in text
        header = next(line for line in text.splitlines() if "final: lead" in line)
        assert header.index("ana") < header.index("bo") < header.index("final: lead")  # side by side
        await pilot.press("a")  # accept ana's major error into the final layer
        await wait_for_text(pilot, app, "✓ accepted")
        await pilot.press("right", "t")  # take bo's status: settles the conflict
        await wait_for_text(pilot, app, "settled")
        await pilot.press("n")
        text = await wait_for_text(pilot, app, "Adjudicate segment 3")
        assert "a major error only bo marked" in text
        await pilot.press("right", "x")  # reject bo's major
        await wait_for_text(pilot, app, "✗ rejected")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.review_screen.current_index == 2, "back on segment 3")
    s1, _, s3 = on_disk(path).segments
    final = next(a for a in s1.annotations if a.author == "lead")
    assert (final.id, final.severity, final.origin) == ("a1@lead", "major", "adjudicated:ana")
    assert next(a for a in s1.annotations if a.id == "a1").meta["adjudication"] == {"by": "lead", "decision": "accepted"}
    assert s1.status == "approved" and s1.conflicts == [] and s1.layers["lead"].status == "approved"
    assert s1.layers["ana"].status == "needs-work"  # what each reviewer said stays
    b3 = next(a for a in s3.annotations if a.id == "b3")
    assert b3.meta["adjudication"]["decision"] == "rejected"
    assert not any(a.author == "lead" for a in s3.annotations)


async def test_edit_then_accept_and_undo(tmp_path: Path) -> None:
    path = merged_review(tmp_path)
    app = make_app(path, reviewer="lead")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("D")
        await wait_for_text(pilot, app, "Adjudicate segment 1")
        await pilot.press("e")
        await wait_for_text(pilot, app, "Edit, then accept")
        await pilot.press("1", "enter")  # downgrade to minor
        await wait_for_text(pilot, app, "✎ edited")
        await pilot.press("escape", "u")  # undo in the workbench takes the decision back
        await wait_for_text(pilot, app, "Undone")
    s1 = on_disk(path).segments[0]
    assert [a.author for a in s1.annotations] == ["ana"] and "adjudication" not in s1.annotations[0].meta


async def test_nothing_to_adjudicate_says_so(review_file) -> None:
    app = make_app(review_file())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("D")
        await wait_for_text(pilot, app, "No disagreement to adjudicate")
        assert "Adjudicate segment" not in screen_text(app)


async def test_side_panel_shows_the_conflict_and_each_reviewers_value(tmp_path: Path) -> None:
    app = make_app(merged_review(tmp_path), reviewer="lead")
    async with app.run_test(size=(120, 40)) as pilot:
        text = await wait_for_text(pilot, app, "Conflicts (A settles)")
        assert "status  ana: needs-work · bo:" in text
