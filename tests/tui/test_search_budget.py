"""A regular-expression search runs with a time budget (the shared ``relecture.patterns``
helper the custom rules use): a pattern that backtracks exponentially ends with a one-line
message and the workbench goes on; a bad pattern is named in the dialog."""

from __future__ import annotations

import time
from pathlib import Path

from tests.tui.conftest import make_app, wait_for_text, wait_until

from relecture.model import ReviewDocument, Segment
from relecture.store import ReviewStore

SIZE = (120, 40)
HOSTILE = r"(a|aa)+$"  # the regex package does not defuse this one: only its timeout stops it


def _document(path: Path) -> Path:
    segments = [Segment(id=f"s{i}", target="a" * 41 + "!", source="x") for i in range(1, 4)]
    segments.append(Segment(id="s4", target="Une phrase ordinaire.", source="y"))
    ReviewStore.create(path, ReviewDocument(id="d", title="t", segments=segments, target_lang="fr")).close()
    return path


async def _search(pilot, app, pattern: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("slash")
    await wait_until(pilot, lambda: app.screen.query("#search-input"), "the search dialog opened")
    app.screen.query_one("#search-input").value = pattern  # as pasted
    app.screen.query_one("#search-regex").value = True
    await pilot.press("enter")


async def test_a_backtracking_search_gives_up_with_a_message_and_the_view_stays(tmp_path: Path) -> None:
    app = make_app(_document(tmp_path / "doc.review.json"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        cpu = time.process_time()
        await _search(pilot, app, HOSTILE)
        await wait_for_text(pilot, app, "gave up after 2 s")
        # Bounded: Python's re spends minutes on this pattern and these 41 letters, per segment.
        assert time.process_time() - cpu < 30
        session = app.review_screen.session
        assert session.search is None and len(session.view) == 4  # the view is as it was
        await pilot.press("j")  # and the workbench takes keys
        await wait_until(pilot, lambda: app.review_screen.current_index == 1, "j moved on")
        await _search(pilot, app, "ordinaire")  # an ordinary pattern still searches
        await wait_until(pilot, lambda: list(session.view) == [3], "the search found s4")


async def test_a_bad_pattern_is_named_in_the_dialog(tmp_path: Path) -> None:
    app = make_app(_document(tmp_path / "doc.review.json"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _search(pilot, app, "(unclosed")
        await wait_for_text(pilot, app, "Not a valid regular expression")
        assert app.screen.query("#search-input")  # the dialog stays, with the pattern to fix


def test_the_search_and_the_rules_share_one_bounded_helper() -> None:
    """Both go through relecture.patterns: a budget raises TimeoutError instead of hanging."""
    import pytest

    from relecture import patterns
    from relecture.tui.session import SearchSpec

    compiled = SearchSpec(HOSTILE, regex=True).compile()
    with pytest.raises(TimeoutError):
        patterns.search(compiled, "a" * 41 + "!", 0.05)
