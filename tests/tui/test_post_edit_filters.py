"""Findings on post-edits (``Segment.post_edit_flags``) count in the severity and family filters
and in the summary's counts, where they are shown as post-edit findings, apart from the MT's."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.tui.conftest import make_app, wait_for_text, wait_until

from relecture.model import POST_EDIT_KEY, Flag, ReviewDocument, Segment
from relecture.store import ReviewStore
from relecture.tui.modals.summary import SummaryModal
from relecture.tui.session import FilterSpec, Session

SIZE = (120, 40)


def _colon_flag() -> Flag:
    return Flag(check="typography.space-before-colon", family="typography", severity="minor",
                category="Fluency/Punctuation", its_type="typographical", side="target", start=21, end=22,
                text=":", message="French puts a narrow no-break space before “:”", suggestion="\u202f:")


def _document() -> ReviewDocument:
    clean = "Le président a déclaré que les courts-métrages ouvrent un nouveau monde."
    edited = Segment(id="p1", target=clean, source="x", post_edit="Le président a déclaré: oui.")
    edited.post_edit_flags = [_colon_flag()]
    dismissed = Segment(id="p2", target=clean, source="y", post_edit="Le président a déclaré: non.")
    dismissed.post_edit_flags = [_colon_flag()]
    dismissed.dismissed = [POST_EDIT_KEY + _colon_flag().key]  # dismissed on the post-edit
    plain = Segment(id="p3", target="Une phrase.", source="z")
    return ReviewDocument(id="d", title="t", segments=[edited, dismissed, plain], target_lang="fr")


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "doc.review.json"
    ReviewStore.create(path, _document()).close()
    return path


def test_family_and_severity_filters_see_open_post_edit_flags(tmp_path: Path) -> None:
    store = ReviewStore.open(_write(tmp_path), readonly=True)
    try:
        session = Session(store)
        assert "typography" in session.families()  # a choice in the filter dialog
        session.set_view(FilterSpec(families=frozenset({"typography"})))
        assert list(session.view) == [0]  # the dismissed one is not open
        session.set_view(FilterSpec(severities=frozenset({"minor"})))
        assert list(session.view) == [0]
        session.set_view(FilterSpec(severities=frozenset({"major"})))
        assert list(session.view) == []
    finally:
        store.close(save=False)


async def test_the_summary_counts_post_edit_flags_as_such_and_filters_by_them(tmp_path: Path) -> None:
    app = make_app(_write(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryModal), "the summary opens")
        text = await wait_for_text(pilot, app, "typography · post-edit")
        assert "No open flag." not in text
        # One open flag, minor (▒): the dismissed one is not counted.
        assert "typography · post-edit   ▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒ 1 " in text
        await pilot.press("tab", "tab", "enter")  # the families' first bar
        await wait_until(pilot, lambda: list(app.review_screen.session.view) == [0], "filtered to p1")
        await wait_for_text(pilot, app, "1 of 3 match  check typography")


def test_the_report_tally_keeps_post_edit_flags_apart() -> None:
    from relecture.exporters.report_common import tally

    doc = _document()
    counted = tally(doc.segments)
    assert counted.flags_by_family == {}  # no flag on any translation
    assert counted.post_edit_flags_by_family["typography"]["minor"] == 1
    unedited = dataclasses.replace(doc.segments[0], post_edit=None)  # a flag left by a removed post-edit
    assert tally([unedited]).post_edit_flags_by_family == {}
