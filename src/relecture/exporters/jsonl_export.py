"""JSON Lines: one segment per line, for pipelines (jq, pandas, datasets).

Each line is the segment's review form (``Segment.to_dict``: id, source, target, status,
post_edit, note, esa, flags, dismissed, annotations, meta...) preceded by ``document`` (the review
document id) and followed by ``final`` (the post-edit, else the translation); each flag carries
``open`` (false when dismissed), and so does each of ``post_edit_flags`` (flags found on the
post-edit, present when there are some). Keys keep one fixed order so the output is stable; extra keys
are ignored by ``Segment.from_dict``, so a line loads back as a segment.

Inline codes of CAT files are tokens (``⟪1⟫``, ``⟪/1⟫``, see ``relecture.codetokens``) in every
text (source, target, post-edit, final, layers' post-edits, spans, suggestions, corrections,
dismissal keys), never the review file's private-use characters; ``start``/``end`` index the
token form, and each entry of ``codes`` carries its ``token`` so a reader can map it back.
"""

from __future__ import annotations

import json
from typing import Any, BinaryIO

from relecture.codetokens import TokenForm
from relecture.exporters import ExportOptions
from relecture.model import ReviewDocument, Segment


def line_for(doc: ReviewDocument, seg: Segment) -> dict[str, Any]:
    data = seg.to_dict()
    dismissed = set(seg.dismissed)
    for flag, raw in zip(seg.flags, data["flags"], strict=True):
        raw["open"] = flag.key not in dismissed
    for flag, raw in zip(seg.post_edit_flags, data.get("post_edit_flags", []), strict=True):
        raw["open"] = not seg.post_edit_flag_dismissed(flag)
    if not seg.codes:  # most segments: the review's texts are the token form already
        return {"document": doc.id, **data, "final": seg.final_target}
    form = TokenForm(seg.codes)
    _token_form(seg, data, form)
    return {"document": doc.id, **data, "final": form.text(seg.final_target)}


def _token_form(seg: Segment, data: dict[str, Any], form: TokenForm) -> None:
    """Rewrite ``data`` (``seg.to_dict()``) with codes as tokens and offsets moved along."""
    post_edit = seg.post_edit if seg.post_edit is not None else seg.target
    for key in ("source", "target", "post_edit"):
        data[key] = form.text_or_none(data[key])
    for key, target in (("flags", seg.target), ("annotations", seg.target), ("post_edit_flags", post_edit)):
        for item in data.get(key, []):
            text = (seg.source or "") if item["side"] == "source" else target
            item["start"], item["end"] = form.span(text, item["start"], item["end"])
            for name in ("text", "suggestion", "correction"):
                if isinstance(item.get(name), str):
                    item[name] = form.text(item[name])
    data["dismissed"] = [form.text(key) for key in data["dismissed"]]
    for layer in data["layers"].values():
        if isinstance(layer.get("post_edit"), str):
            layer["post_edit"] = form.text(layer["post_edit"])
    data["codes"] = form.table()


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


def write(doc: ReviewDocument, stream: BinaryIO, options: ExportOptions) -> None:
    stream.write(render(doc).encode("utf-8"))
