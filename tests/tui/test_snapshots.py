"""Snapshots of the workbench (pytest-textual-snapshot): fixed size, theme and reviewer, no
clock, no cursor blink, notifications off. Regenerate with ``pytest --snapshot-update`` and
look at the SVGs before committing them."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.tui.conftest import build_document, make_app

from relecture.store import ReviewStore


@pytest.fixture(autouse=True)
def _colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)  # snapshots show the real colours


def _app(tmp_path: Path, bilingual: bool = True):  # type: ignore[no-untyped-def]
    path = tmp_path / "doc.txt.review.json"
    doc = build_document(bilingual)
    doc.segments[2].status = "approved"
    doc.segments[5].status = "needs-work"
    doc.segments[6].post_edit = "Les entreprises chinoises ont réagi de façon très positive."
    ReviewStore.create(path, doc).close()
    return make_app(path)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_main_bilingual(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=size)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_main_target_only(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(tmp_path, bilingual=False), press=["n"], terminal_size=size)


def test_post_edited_segment(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), press=["j"] * 6, terminal_size=(120, 40))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_annotation_modal(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(tmp_path), press=["n", "a", *"date"], terminal_size=size)


def test_help_screen(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), press=["question_mark"], terminal_size=(120, 40))


# --- issue 14: both themes at both sizes ---------------------------------------------------------
THEMES = ["textual-dark", "textual-light"]
SIZES = [(120, 40), (80, 24)]


def _day_app(tmp_path: Path, theme: str):  # type: ignore[no-untyped-def]
    from relecture.model import Flag

    path = tmp_path / "doc.txt.review.json"
    doc = build_document()
    doc.segments[2].status = "approved"
    doc.segments[5].status = "needs-work"
    doc.segments[4].status = "rejected"
    seg = doc.segments[6]
    seg.post_edit = "Les entreprises chinoises ont réagi de façon très positive..."
    start = seg.post_edit.index("...")
    seg.post_edit_flags = [Flag("typography.ellipsis", "typography", "minor", "Fluency/Punctuation",
                                "typographical", "target", start, start + 3, "...", "Three dots instead of “…”",
                                "…")]
    seg = doc.segments[1]
    seg.flags = [
        Flag(f"typography.rule-{i}", "typography", "major" if i == 1 else "minor", "Fluency/Punctuation",
             "typographical", "target", i, i + 1, seg.target[i], f"Problem number {i}", "\u00a0" if i == 2 else None)
        for i in range(6)
    ]
    ReviewStore.create(path, doc).close()
    return make_app(path, theme=theme)


def _quietly(*keys: str):  # type: ignore[no-untyped-def]
    """Press ``keys``, then clear the toasts they raised (they would cover the side panel)."""

    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        pilot.app.clear_notifications()

    return run


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_theme_flagged_segment(snap_compare, tmp_path: Path, size: tuple[int, int], theme: str) -> None:
    """A segment with six flags, the third current (its suggestion a non-breaking space)."""
    assert snap_compare(_day_app(tmp_path, theme), run_before=_quietly("j", "right_square_bracket",
                        "right_square_bracket"), terminal_size=size)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_theme_compact_confirmed(snap_compare, tmp_path: Path, size: tuple[int, int], theme: str) -> None:
    """Compact side panel after confirming a flag: the flag reads ✓ confirmed, its annotation current."""
    assert snap_compare(_day_app(tmp_path, theme), run_before=_quietly("j", "right_square_bracket", "enter",
                        "enter", "c"), terminal_size=size)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_theme_post_edit_flags(snap_compare, tmp_path: Path, size: tuple[int, int], theme: str) -> None:
    """A post-edit with a flag of its own, highlighted in the difference and listed apart."""
    assert snap_compare(_day_app(tmp_path, theme), run_before=_quietly(*["j"] * 6), terminal_size=size)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_theme_search_hits(snap_compare, tmp_path: Path, size: tuple[int, int], theme: str) -> None:
    """Search hits in their own colour, beside a flagged span."""
    assert snap_compare(_day_app(tmp_path, theme), run_before=_quietly("slash", *"traduction", "enter"),
                        terminal_size=size)
