"""Bringing reviews of the same document together: several reviewers' files into one, and the
three-way merge that a git merge driver needs.

One rule for every decision (a segment's status, post-edit, note, ESA score; each reviewer's own
layer value; the document note): against the common ancestor (in a two-way merge, the empty
review), a value nobody changed stays, a value one input changed (or several changed alike) is
taken, and values changed differently are a conflict. A conflict is never settled here: the
segment's final value stays the ancestor's, the field goes into ``Segment.conflicts`` and every
reviewer's choice stays in their layer, for the lead to settle (``relecture review``). When the
same reviewer's own value differs between inputs (two copies of one person's work), the other
value is kept as a layer named ``NAME (FILE)``. Annotations are merged by id the same way: kept
unless an input deleted one nobody else changed, added ones all kept, and an annotation identical
to another (same reviewer, span, category, severity, comment, correction) is kept once.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relecture.errors import InputError
from relecture.gcpause import gc_paused
from relecture.layers import attribute_unnamed, document_reviewers
from relecture.model import LAYER_FIELDS, Annotation, Flag, Layer, ReviewDocument, Segment


@dataclass
class MergeInput:
    doc: ReviewDocument
    name: str  # how messages and duplicate layers name it (the file name)


@dataclass
class MergeResult:
    doc: ReviewDocument
    conflicts: int  # segment fields left to settle


def _decide(base: Any, values: Sequence[Any]) -> tuple[Any, bool]:
    """(merged value, conflict?) by the rule in the module docstring."""
    changed: list[Any] = []
    for value in values:
        if value != base and value not in changed:
            changed.append(value)
    if not changed:
        return base, False
    if len(changed) == 1:
        return changed[0], False
    return base, True


def check_same_document(docs: Sequence[MergeInput]) -> None:
    """Every input holds the same segments (ids and texts, in order); InputError names the first
    difference and the file it is in."""
    first = docs[0]
    for other in docs[1:]:
        a, b = first.doc.segments, other.doc.segments
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if x.id != y.id:
                raise InputError(
                    other.name, f"not the same document as {first.name}: segment {i + 1} is {y.id!r} there, "
                    f"{x.id!r} in {first.name}", f"$.segments[{i}].id",
                )
            for side in ("source", "target"):
                if getattr(x, side) != getattr(y, side):
                    raise InputError(
                        other.name, f"not the same document as {first.name}: the {side} of segment {x.id!r} differs",
                        f"$.segments[{i}].{side}",
                    )
        if len(a) != len(b):
            raise InputError(
                other.name, f"not the same document as {first.name}: {len(b)} segments there, {len(a)} in {first.name}"
            )


def _owner(doc: ReviewDocument, fallback: str) -> str:
    reviewers = document_reviewers(doc)
    return reviewers[0] if len(reviewers) == 1 else fallback


def merge(inputs: Sequence[MergeInput], base: MergeInput | None = None, fallback: str = "reviewer") -> MergeResult:
    """Merge ``inputs`` (at least one) against ``base`` (the common ancestor; None: empty).

    Work that names nobody (files from before names were recorded) is its file's one reviewer's,
    else ``fallback``'s (the identity of whoever merges); in a three-way merge the first input
    decides for all three, so the same unnamed work reads the same in each.
    """
    if not inputs:
        raise InputError(None, "nothing to merge")
    check_same_document([*(x for x in [base] if x is not None), *inputs])
    owner_of: dict[int, str] = {}  # input position -> its owner, found only when needed (a full pass)

    def owner(k: int) -> str:
        if k not in owner_of:
            doc = inputs[0].doc if base is not None else (inputs[k].doc if k >= 0 else None)
            owner_of[k] = _owner(doc, fallback) if doc is not None else fallback
        return owner_of[k]

    names = [item.name for item in inputs]
    # The inputs are read, never changed: the result is made of new segments (sharing the
    # inputs' immutable strings and kept annotations), which at 100,000 segments is the
    # difference between a second and a minute of deep copies.
    first = inputs[0].doc
    out = dataclasses.replace(first, segments=[], meta=copy.deepcopy(first.meta))
    conflicts = 0
    with gc_paused():  # hundreds of thousands of new objects, none of them garbage
        for i, seg in enumerate(first.segments):
            parts = [_named(item.doc.segments[i], owner, k) for k, item in enumerate(inputs)]
            ancestor = _named(base.doc.segments[i], owner, -1) if base is not None else None
            merged = Segment(
                id=seg.id, target=seg.target, source=seg.source, paragraph=seg.paragraph, kind=seg.kind,
                space_after=seg.space_after, source_space_after=seg.source_space_after,
                meta=copy.deepcopy(seg.meta) if seg.meta else {},
            )
            conflicts += _merge_segment(merged, parts, ancestor, names)
            out.segments.append(merged)
    doc_notes = [item.doc.note for item in inputs]
    note, clash = _decide(base.doc.note if base is not None else "", doc_notes)
    if clash:  # no conflict slot for the document note: every version, one after the other
        note = "\n\n".join(dict.fromkeys(n for n in doc_notes if n))
    out.note = note
    return MergeResult(out, conflicts)


def _named(seg: Segment, owner_of: Callable[[int], str], k: int) -> Segment:
    """``seg`` with its unnamed work given to input ``k``'s owner (a copy only when there is some)."""
    if all(a.author for a in seg.annotations) and (
        seg.layers or (seg.status == "todo" and seg.post_edit is None and not seg.note and seg.esa is None)
    ):
        return seg
    owner = owner_of(k)
    named = dataclasses.replace(seg, annotations=list(seg.annotations), layers=dict(seg.layers))
    named.annotations = [a if a.author else dataclasses.replace(a, author=owner) for a in seg.annotations]
    holder = ReviewDocument(id="", title="", segments=[named])
    attribute_unnamed(holder, owner)
    return named


def _merge_segment(seg: Segment, parts: list[Segment], base: Segment | None, names: list[str]) -> int:
    empty = Segment(id=seg.id, target=seg.target, source=seg.source)
    ancestor = base if base is not None else empty
    unsettled: list[str] = []
    for name in LAYER_FIELDS:
        value, clash = _decide(getattr(ancestor, name), [getattr(p, name) for p in parts])
        setattr(seg, name, value)
        # A conflict an input still has stays, unless another input settled it since the ancestor.
        still, _ = _decide(name in ancestor.conflicts, [name in p.conflicts for p in parts])
        if clash or still:
            unsettled.append(name)
    seg.conflicts = unsettled
    seg.layers = _merge_layers(parts, ancestor, names)
    seg.annotations = _merge_annotations(parts, ancestor)
    flags, clash = _decide([f.to_dict() for f in ancestor.flags], [[f.to_dict() for f in p.flags] for p in parts])
    if clash:  # machine findings: all of them, once each (the next check run replaces them)
        flags = list({repr(f): f for p in parts for f in (x.to_dict() for x in p.flags)}.values())
    seg.flags = [Flag.from_dict(f, "flag") for f in flags]
    seg.dismissed = _merge_set(ancestor.dismissed, [p.dismissed for p in parts])
    raters = [r for p in parts for r in (p.meta.get("raters") or []) if isinstance(r, str)]
    if raters:
        seg.meta["raters"] = sorted(set(raters))
    return len(unsettled)


def _merge_layers(parts: list[Segment], ancestor: Segment, names: list[str]) -> dict[str, Layer]:
    merged: dict[str, Layer] = {}
    reviewers = list(dict.fromkeys(r for p in [ancestor, *parts] for r in p.layers))
    for reviewer in reviewers:
        holders = [p.layers[reviewer] for p in parts if reviewer in p.layers]
        if reviewer not in ancestor.layers and len(holders) == 1:
            one = holders[0]  # one input has it: nothing to decide
            merged[reviewer] = Layer(status=one.status, post_edit=one.post_edit, note=one.note, esa=one.esa)
            continue
        base_layer = ancestor.layers.get(reviewer) or Layer()
        layer = Layer()
        extra: dict[str, Layer] = {}
        for field in LAYER_FIELDS:
            values = [getattr(p.layers.get(reviewer) or Layer(), field) for p in parts]
            value, clash = _decide(getattr(base_layer, field), values)
            setattr(layer, field, value)
            if clash:
                # One person's own value differs between copies: keep each, named by its file.
                for p, file, v in zip(parts, names, values, strict=True):
                    if v != getattr(base_layer, field) and reviewer in p.layers:
                        setattr(extra.setdefault(f"{reviewer} ({Path(file).name})", Layer()), field, v)
        if not layer.empty:
            merged[reviewer] = layer
        merged.update(extra)
    return merged


def _content(a: Annotation) -> tuple[Any, ...]:
    """What makes two annotations the same judgement (not their ids, times or origins)."""
    return (a.author, a.side, a.start, a.end, a.category, a.severity, a.comment, a.correction)


def _merge_annotations(parts: list[Segment], ancestor: Segment) -> list[Annotation]:
    base = {a.id: a for a in ancestor.annotations}
    result: list[Annotation] = []
    seen: set[tuple[Any, ...]] = set()
    ids: set[str] = set()

    def keep(a: Annotation) -> None:
        if _content(a) in seen:
            return
        seen.add(_content(a))
        if a.id in ids:
            a = dataclasses.replace(a)
            n = 2
            while f"{a.id}-{n}" in ids:
                n += 1
            a.id = f"{a.id}-{n}"
        ids.add(a.id)
        result.append(a)

    for aid, original in base.items():
        versions = [next((a for a in p.annotations if a.id == aid), None) for p in parts]
        changed = [v for v in versions if v is not None and _content(v) != _content(original)]
        if changed:
            for v in changed:  # edited (differently, perhaps): every edit kept
                keep(v)
        elif all(v is not None for v in versions):
            keep(original)
        # else deleted by an input, changed by none: gone
    for p in parts:
        for a in p.annotations:
            if a.id not in base:
                keep(a)
    return result


def _merge_set(base: list[str], values: list[list[str]]) -> list[str]:
    removed = {k for v in values for k in base if k not in v}
    added = [k for v in values for k in v if k not in base]
    return list(dict.fromkeys([k for k in base if k not in removed] + added))
