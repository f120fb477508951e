"""Reviewers as a dimension of a review: who decided what on each segment.

A segment's top-level status, post-edit, note and ESA score are the final ones; each reviewer's
own are in ``Segment.layers`` and each annotation names its reviewer in ``author``. These helpers
read that dimension for merging, agreement and adjudication.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from relecture.model import LAYER_FIELDS, Annotation, Layer, ReviewDocument, Segment

ERROR_SEVERITIES = frozenset({"minor", "major", "critical"})
MAJOR_SEVERITIES = frozenset({"major", "critical"})


@dataclass
class ErrorSpan:
    """An annotation's error span as agreement compares them."""

    side: str
    start: int
    end: int
    severity: str
    category: str

    def overlaps(self, other: ErrorSpan) -> bool:
        return self.side == other.side and self.start < other.end and other.start < self.end


def error_spans(annotations: Sequence[Annotation]) -> list[ErrorSpan]:
    """The error spans (minor and up, with a span; zero-width widened to one character)."""
    out = []
    for a in annotations:
        if a.severity not in ERROR_SEVERITIES or a.meta.get("unmarked"):
            continue
        end = a.end if a.end > a.start else a.start + 1
        out.append(ErrorSpan(a.side, a.start, end, a.severity, a.category))
    return out


def segment_reviewers(seg: Segment) -> list[str]:
    """Everyone who left something on ``seg``: raters an import listed, annotators, layers."""
    names: dict[str, None] = {}
    listed = seg.meta.get("raters")
    if isinstance(listed, list):
        names.update((n, None) for n in listed if isinstance(n, str) and n)
    names.update((a.author, None) for a in seg.annotations if a.author)
    names.update((n, None) for n in seg.layers)
    return list(names)


def document_reviewers(doc: ReviewDocument) -> list[str]:
    """Every reviewer of the document, sorted (stable output whatever the segment order)."""
    names: set[str] = set()
    for seg in doc.segments:
        names.update(segment_reviewers(seg))
    return sorted(names)


def attribute_unnamed(doc: ReviewDocument, reviewer: str) -> int:
    """Give ``reviewer`` the work that names nobody (an import's statuses, notes, post-edits and
    unnamed annotations); returns how many segments changed."""
    changed = 0
    for seg in doc.segments:
        touched = False
        for annotation in seg.annotations:
            if not annotation.author:
                annotation.author = reviewer
                touched = True
        layer = Layer(status=seg.status, post_edit=seg.post_edit, note=seg.note, esa=seg.esa)
        if not seg.layers and not layer.empty:
            seg.layers[reviewer] = layer
            touched = True
        changed += touched
    return changed


def attributed(doc: ReviewDocument, reviewer: str) -> ReviewDocument:
    """``doc`` as ``attribute_unnamed`` would leave it, without changing ``doc``: a new document
    that shares every segment with nothing unnamed (an export of a live session)."""
    segments = []
    for seg in doc.segments:
        layer = Layer(status=seg.status, post_edit=seg.post_edit, note=seg.note, esa=seg.esa)
        gains_layer = not seg.layers and not layer.empty
        if gains_layer or any(not a.author for a in seg.annotations):
            seg = replace(
                seg,
                annotations=[a if a.author else replace(a, author=reviewer) for a in seg.annotations],
                layers={reviewer: layer} if gains_layer else seg.layers,
            )
        segments.append(seg)
    return replace(doc, segments=segments)


def layer_value(seg: Segment, reviewer: str, name: str) -> object:
    """``reviewer``'s own value of the layer field ``name`` on ``seg`` (the default when unset)."""
    assert name in LAYER_FIELDS
    return getattr(seg.layers.get(reviewer) or Layer(), name)
