"""JSON export: the review file's own form, loaded back as the same review."""

from __future__ import annotations

from pathlib import Path

from tests.exporters.samples import sample

from relecture.exporters import export_document
from relecture.store import load_review


def test_json_export_loads_back_as_the_same_review(tmp_path: Path) -> None:
    doc = sample()
    out = export_document(doc, "json", tmp_path / "out.json")
    assert load_review(out).to_dict() == doc.to_dict()
    assert out.read_text(encoding="utf-8") == doc.to_json()
