"""JSON Lines: one segment per line, for pipelines (jq, pandas, datasets).

Each line is the segment's review form (``Segment.to_dict``: id, source, target, status,
post_edit, note, esa, flags, dismissed, annotations, meta...) preceded by ``document`` (the review
document id) and followed by ``final`` (the post-edit, else the translation); each flag carries
``open`` (false when dismissed), and so does each of ``post_edit_flags`` (flags found on the
post-edit, present when there are some). Keys keep one fixed order so the output is stable; extra keys
are ignored by ``Segment.from_dict``, so a line loads back as a segment.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from relecture.atomicio import atomic_write_text
from relecture.exporters import ExportOptions
from relecture.model import ReviewDocument, Segment


def line_for(doc: ReviewDocument, seg: Segment) -> dict[str, Any]:
    data = seg.to_dict()
    dismissed = set(seg.dismissed)
    for flag, raw in zip(seg.flags, data["flags"], strict=True):
        raw["open"] = flag.key not in dismissed
    for flag, raw in zip(seg.post_edit_flags, data.get("post_edit_flags", []), strict=True):
        raw["open"] = not seg.post_edit_flag_dismissed(flag)
    return {"document": doc.id, **data, "final": seg.final_target}


# Valid inside JSON strings, but str.splitlines() and some editors end a line there: escaped,
# a line of the file is always exactly one record.
_LINE_BREAKERS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _one_line(text: str) -> str:
    # str.translate walks every character in Python; most lines have nothing to escape.
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        return text.translate(_LINE_BREAKERS)
    return text


def render(doc: ReviewDocument) -> str:
    return "".join(
        _one_line(json.dumps(line_for(doc, seg), ensure_ascii=False)) + "\n" for seg in doc.segments
    )


def write(doc: ReviewDocument, out: Path, options: ExportOptions) -> None:
    atomic_write_text(out, render(doc), like=options.like)
