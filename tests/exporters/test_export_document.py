"""export_document for every format: a failed export leaves the old file; no terminal controls in reports."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.exporters.samples import sample
from tests.importers.samples import DATA

from relecture.exporters import export_document
from relecture.importers import import_document
from relecture.model import CODE_BASE, ReviewDocument, Segment


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "html", "markdown"])
def test_a_failed_export_leaves_the_old_file_and_no_partial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    out = tmp_path / f"out.{fmt}"
    out.write_text("previous export\n", encoding="utf-8")

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        export_document(sample(), fmt, out)
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_reports_never_carry_terminal_controls_or_bidi_overrides(tmp_path: Path, fmt: str) -> None:
    """A report may be `cat` to a terminal: ESC sequences and the like show as signs, and bidi
    overrides (which reorder what a reader sees) are made visible too."""
    doc = ReviewDocument(id="d", title="t\x1b]0;owned\x07", segments=[
        Segment(id="1", source="Red \x1b[31malert\x1b[0m", target="Rouge \x1b[31malerte\x1b[0m \u202eabc\u202c fin\rX",
                note="bell\x07"),
    ])
    out = export_document(doc, fmt, tmp_path / f"report.{fmt}")
    text = out.read_text(encoding="utf-8")
    for raw in ("\x1b", "\x07", "\u202e", "\r"):
        assert raw not in text
    assert "␛[31malerte␛[0m" in text.replace("\\", "")


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_reports_show_codes_as_tokens(tmp_path: Path, fmt: str) -> None:
    from relecture.exporters import export_document

    doc = import_document(DATA / "review.sdlxliff")
    out = tmp_path / f"report.{fmt}"
    export_document(doc, fmt, out)
    text = out.read_text(encoding="utf-8")
    assert "Appuyez sur {7/}Démarrer." in text
    assert not any(ord(c) >= CODE_BASE for c in text)
