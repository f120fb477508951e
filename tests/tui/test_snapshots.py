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
