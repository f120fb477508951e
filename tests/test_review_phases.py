"""`relecture review BIG.tsv` says what it is doing before the workbench can draw (importing,
checking, writing), on a terminal only: minutes of blank screen look like a hang."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from relecture.commands.reviewing import import_and_check
from relecture.config import load_config


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _document(tmp_path: Path, name: str = "doc.tsv") -> Path:
    path = tmp_path / name
    path.write_text("source\ttarget\nHello.\tBonjour.\nGood night.\tBonne nuit.\n", encoding="utf-8")
    return path


def test_each_phase_is_named_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    document = _document(tmp_path, "doc\x1b[31m.tsv")
    review = tmp_path / "doc.review.json"
    opened = import_and_check(document, review, None, load_config(document, None), None, ("en", "fr"))
    opened.store.close()
    said = terminal.getvalue()
    phases = ["importing ", "checking 2 segments…", "writing ", "opening the workbench…"]
    positions = [said.find(p) for p in phases]
    assert -1 not in positions and positions == sorted(positions), said
    assert "\x1b[31m" not in said and "␛[31m.tsv" in said  # a file name is shown, never obeyed
    assert review.exists()


def test_nothing_is_written_to_a_pipe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = io.StringIO()
    monkeypatch.setattr("sys.stderr", pipe)
    document = _document(tmp_path)
    opened = import_and_check(document, tmp_path / "doc.review.json", None, load_config(document, None), None, ("en", "fr"))
    opened.store.close()
    assert pipe.getvalue() == ""
