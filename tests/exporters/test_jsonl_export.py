"""JSON Lines export: one complete segment a line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.exporters.samples import sample

from relecture.exporters import export_document
from relecture.model import Segment


def test_jsonl_has_one_complete_segment_per_line(tmp_path: Path) -> None:
    doc = sample()
    out = export_document(doc, "jsonl", tmp_path / "out.jsonl")
    raw = out.read_text(encoding="utf-8")
    # U+2028 in a segment must not split its record for line-oriented readers.
    assert len(raw.splitlines()) == len(doc.segments)
    lines = [json.loads(line) for line in raw.split("\n") if line]
    for line, seg in zip(lines, doc.segments, strict=True):
        assert line["document"] == "sample"
        assert Segment.from_dict(line, "$") == seg
        assert line["final"] == seg.final_target
    first = lines[0]
    assert [f["open"] for f in first["flags"]] == [True, False]
    assert [a["id"] for a in first["annotations"]] == ["a1", "a2"]
    assert lines[1]["status"] == "needs-work" and lines[1]["post_edit"] == "-1+1"
    assert lines[1]["note"].startswith("note with <i>")
