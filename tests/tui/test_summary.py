"""The summary screen (S, or "Summary" in the palette): what it shows, and that choosing a bar or
a place in the strip takes the reviewer to those segments."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.tui.conftest import build_document, make_app, wait_for_text, wait_until

from relecture.model import Annotation, ReviewDocument
from relecture.store import ReviewStore
from relecture.tui.modals.summary import DocumentStrip, SummaryModal

SIZE = (120, 40)


def annotated_document() -> ReviewDocument:
    doc = build_document(True)
    doc.segments[2].status = "approved"
    doc.segments[5].status = "needs-work"
    doc.segments[3].annotations.append(Annotation(id="a1", side="target", start=0, end=2,
                                                  category="Accuracy/Mistranslation", severity="major"))
    doc.segments[6].annotations.append(Annotation(id="a2", side="target", start=0, end=2,
                                                  category="Accuracy/Mistranslation", severity="minor"))
    doc.segments[7].annotations.append(Annotation(id="a3", side="target", start=0, end=2,
                                                  category="[b]Fluency[/b] [@click=app.quit]", severity="critical"))
    return doc


def write(tmp_path: Path, doc: ReviewDocument) -> Path:
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, doc).close()
    return path


def in_summary(app) -> bool:  # type: ignore[no-untyped-def]
    return isinstance(app.screen, SummaryModal) and app.screen.query_one(DocumentStrip).cells != []


def shown(app) -> list[int]:  # type: ignore[no-untyped-def]
    return list(app.review_screen.session.view)


async def test_summary_shows_progress_score_errors_flags_and_the_strip(tmp_path: Path) -> None:
    app = make_app(write(tmp_path, annotated_document()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await wait_until(pilot, lambda: in_summary(app), "the summary opens")
        text = await wait_for_text(pilot, app, "Errors by category")
        assert "2/8 reviewed (25%)" in text
        assert "· todo 6  █ approved 1  ▓ needs-work 1  ▒ rejected 0" in text
        assert "MQM " in text and "ESA -" in text
        assert "verdict" not in text  # no pass threshold configured
        # Bars: most errors first; the name that looks like markup is shown as written.
        # Severity is a character as well as a colour: ▓ major, ▒ minor, █ critical.
        assert "Accuracy/Mistranslation  ▓▓▓▓▓▓▓▓▓▒▒▒▒▒▒▒▒▒ 2" in text
        assert "[b]Fluency[/b] [@click=… █████████          1" in text  # counts line up
        assert "llm                      ▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓ 1" in text  # the preamble flag, major
        # The strip: one place per segment here (8 segments); segment 4's major error, 8's critical.
        strip = app.screen.query_one(DocumentStrip)
        assert [c.error for c in strip.cells] == [None, None, None, "major", None, None, "minor", "critical"]
        assert "▄" * strip.column + "─" * strip.column in text and "·" * strip.column + "█" * strip.column in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, SummaryModal), "the summary closes")
        assert app.is_running


async def test_choosing_a_place_in_the_strip_goes_to_its_segment(tmp_path: Path) -> None:
    app = make_app(write(tmp_path, annotated_document()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await wait_until(pilot, lambda: in_summary(app), "the summary opens")
        await pilot.press("right", "right", "right")
        await wait_for_text(pilot, app, "Segment 4: worst error major, open flag minor, status todo")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.review_screen.current_index == 3, "segment 4 is current")
        assert not isinstance(app.screen, SummaryModal)


async def test_clicking_the_strip_goes_to_that_segment(tmp_path: Path) -> None:
    app = make_app(write(tmp_path, annotated_document()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await wait_until(pilot, lambda: in_summary(app), "the summary opens")
        strip = app.screen.query_one(DocumentStrip)
        await pilot.click(DocumentStrip, offset=(7 * strip.column + strip.column // 2, 0))
        await wait_until(pilot, lambda: app.review_screen.current_index == 7, "segment 8 is current")


async def test_choosing_a_category_filters_the_list_to_its_segments(tmp_path: Path) -> None:
    app = make_app(write(tmp_path, annotated_document()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await wait_until(pilot, lambda: in_summary(app), "the summary opens")
        await pilot.press("tab", "enter")  # the first bar: the category with most errors
        await wait_until(pilot, lambda: shown(app) == [3, 6], "only segments 4 and 7 are listed")
        await wait_for_text(pilot, app, "2 of 8 match  category")
        assert app.review_screen.session.filter.describe() == "category Accuracy/Mistranslation"
        await pilot.press("escape")  # as for any filter
        await wait_until(pilot, lambda: len(shown(app)) == 8, "the filter is cleared")


async def test_choosing_a_family_filters_the_list_to_its_flags(tmp_path: Path) -> None:
    app = make_app(write(tmp_path, annotated_document()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await wait_until(pilot, lambda: in_summary(app), "the summary opens")
        await pilot.press("tab", "tab", "down", "enter")  # families: cultural, then llm
        await wait_until(pilot, lambda: shown(app) == [0], "only the preamble segment is listed")
        await wait_for_text(pilot, app, "1 of 8 match  check llm")


async def test_the_palette_opens_the_summary(tmp_path: Path) -> None:
    app = make_app(write(tmp_path, annotated_document()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"Summary")
        await wait_for_text(pilot, app, "Summary")
        await pilot.press("enter")
        await wait_until(pilot, lambda: in_summary(app), "the summary opens from the palette")


async def test_a_long_document_is_summarised_in_stretches(tmp_path: Path) -> None:
    doc = build_document(True, count=5000)
    doc.segments[4321].annotations.append(Annotation(id="z", side="target", start=0, end=1,
                                                     category="Accuracy/Omission", severity="critical"))
    app = make_app(write(tmp_path, doc))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: not app.review_screen.session.loading, "the document is in")
        await pilot.press("S")
        await wait_until(pilot, lambda: in_summary(app), "the summary opens")
        strip = app.screen.query_one(DocumentStrip)
        assert len(strip.cells) < 80 and strip.cells[-1].last == 4999
        place = next(i for i, c in enumerate(strip.cells) if c.error == "critical")
        await pilot.press("home", *["right"] * place, "enter")
        await wait_until(pilot, lambda: app.review_screen.current_index == 4321, "the critical segment")


@pytest.mark.parametrize("readonly", [True])
async def test_summary_works_read_only(tmp_path: Path, readonly: bool) -> None:
    path = write(tmp_path, annotated_document())
    before = path.read_bytes()
    app = make_app(path, readonly=readonly)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await wait_until(pilot, lambda: in_summary(app), "the summary opens read-only")
        await pilot.press("right", "right", "right", "enter")
        await wait_until(pilot, lambda: app.review_screen.current_index == 3, "segment 4 is current")
    assert path.read_bytes() == before


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_summary_snapshot(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    """Regenerate with ``--snapshot-update`` and look at the SVGs before committing them."""
    monkeypatch.delenv("NO_COLOR", raising=False)  # the snapshot shows the real colours
    app = make_app(write(tmp_path, annotated_document()))
    assert snap_compare(app, press=["S", "right", "right", "right"], terminal_size=size)


@pytest.mark.parametrize(("threshold", "unit", "outcome"),
                         [(100_000, "penalty", "PASS: penalty per 1000 words"), (100, "quality", "FAIL: quality ")])
async def test_summary_gives_the_verdict_when_a_pass_threshold_is_set(tmp_path: Path, threshold: int, unit: str,
                                                                      outcome: str) -> None:
    from relecture.config import Config

    config = Config(data={"scoring": {"pass_threshold": threshold, "pass_unit": unit}})
    app = make_app(write(tmp_path, annotated_document()), config=config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await wait_until(pilot, lambda: in_summary(app), "the summary opens")
        await wait_for_text(pilot, app, outcome)
