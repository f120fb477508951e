"""Changes to a review document: the unit that is journaled, replayed and undone.

A change is a plain JSON object with an ``op``. A status, note, post-edit or ESA change may name
its ``reviewer``: the value then also goes into that reviewer's layer (``mine`` when it differs
from the final value, as an undo restores both) and settles a merge conflict on that field
(``conflict`` true puts it back, for undo). ``ReviewStore`` stamps the session's reviewer on
changes that name none. Every op has "set" semantics (an annotation is
put or deleted by id, a status is set to a value), so replaying a journal twice, for instance
after a crash between a save and the journal's removal, gives the same document.

``apply_change`` returns the inverse change, which is what undo applies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from relecture.errors import InputError
from relecture.model import STATUSES, Annotation, Flag, Layer, ReviewDocument, Segment

Change = dict[str, Any]

# op -> the segment field (and layer field) it sets
LAYER_OPS: dict[str, str] = {
    "set_status": "status",
    "set_note": "note",
    "set_post_edit": "post_edit",
    "set_esa": "esa",
}


def set_status(segment: str, value: str, reviewer: str | None = None) -> Change:
    return _by({"op": "set_status", "segment": segment, "value": value}, reviewer)


def set_note(segment: str, value: str, reviewer: str | None = None) -> Change:
    return _by({"op": "set_note", "segment": segment, "value": value}, reviewer)


def set_post_edit(segment: str, value: str | None, reviewer: str | None = None) -> Change:
    return _by({"op": "set_post_edit", "segment": segment, "value": value}, reviewer)


def set_esa(segment: str, value: int | None, reviewer: str | None = None) -> Change:
    return _by({"op": "set_esa", "segment": segment, "value": value}, reviewer)


def _by(change: Change, reviewer: str | None) -> Change:
    if reviewer is not None:
        change["reviewer"] = reviewer
    return change


def stamp(change: Change, reviewer: str) -> Change:
    """``change`` as made by ``reviewer``: layer changes name them, new annotations carry them."""
    op = change.get("op")
    if op in LAYER_OPS and "reviewer" not in change:
        return {**change, "reviewer": reviewer}
    if op == "put_annotation" and isinstance(change.get("annotation"), dict) and not change["annotation"].get("author"):
        return {**change, "annotation": {**change["annotation"], "author": reviewer}}
    return change


def set_doc_note(value: str) -> Change:
    return {"op": "set_doc_note", "value": value}


def put_annotation(segment: str, annotation: Annotation) -> Change:
    return {"op": "put_annotation", "segment": segment, "annotation": annotation.to_dict()}


def delete_annotation(segment: str, annotation_id: str) -> Change:
    return {"op": "delete_annotation", "segment": segment, "id": annotation_id}


def dismiss(segment: str, key: str) -> Change:
    return {"op": "dismiss", "segment": segment, "key": key}


def undismiss(segment: str, key: str) -> Change:
    return {"op": "undismiss", "segment": segment, "key": key}


def set_flags(segment: str, flags: list[Flag]) -> Change:
    return {"op": "set_flags", "segment": segment, "flags": [f.to_dict() for f in flags]}


def set_post_edit_flags(segment: str, flags: list[Flag]) -> Change:
    return {"op": "set_post_edit_flags", "segment": segment, "flags": [f.to_dict() for f in flags]}


# A change to one segment: applied in place, returns its inverse (InputError, with nothing
# changed, when it does not fit). One handler per op; ``apply_change`` finds the segment.
SegmentHandler = Callable[[Segment, Change], Change]
_HANDLERS: dict[str, SegmentHandler] = {}


def _handles(*ops: str) -> Callable[[SegmentHandler], SegmentHandler]:
    def register(handler: SegmentHandler) -> SegmentHandler:
        for op in ops:
            _HANDLERS[op] = handler
        return handler

    return register


def apply_change(doc: ReviewDocument, change: Change) -> Change:
    """Apply ``change`` to ``doc`` in place and return its inverse.

    Raises InputError (with nothing changed) when the change does not fit the document.
    """
    op = change.get("op")
    if op == "set_doc_note":
        value = _text(change.get("value"), "value")
        old = doc.note
        doc.note = value
        return set_doc_note(old)
    handler = _HANDLERS.get(op) if isinstance(op, str) else None
    if handler is None:
        raise InputError(None, f"unknown change {op!r}")
    segment_id = change.get("segment")
    if not isinstance(segment_id, str):
        raise InputError(None, "change names no segment")
    try:
        seg = doc.segment(segment_id)
    except KeyError:
        raise InputError(None, f"change refers to unknown segment {segment_id!r}") from None
    return handler(seg, change)


@_handles(*LAYER_OPS)
def _apply_layer_op(seg: Segment, change: Change) -> Change:
    return _set_field(seg, change, LAYER_OPS[change["op"]])


@_handles("put_annotation")
def _apply_put_annotation(seg: Segment, change: Change) -> Change:
    annotation = Annotation.from_dict(change.get("annotation"), "annotation")
    text = seg.text(annotation.side)
    if not 0 <= annotation.start <= annotation.end <= len(text):
        raise InputError(
            None,
            f"annotation span {annotation.start}-{annotation.end} is outside the "
            f"{annotation.side} text ({len(text)} characters)",
        )
    annotation.text = text[annotation.start : annotation.end]
    for i, existing in enumerate(seg.annotations):
        if existing.id == annotation.id:
            seg.annotations[i] = annotation
            return put_annotation(seg.id, existing)
    seg.annotations.append(annotation)
    return delete_annotation(seg.id, annotation.id)


@_handles("delete_annotation")
def _apply_delete_annotation(seg: Segment, change: Change) -> Change:
    annotation_id = change.get("id")
    for i, existing in enumerate(seg.annotations):
        if existing.id == annotation_id:
            del seg.annotations[i]
            return put_annotation(seg.id, existing)
    return {"op": "delete_annotation", "segment": seg.id, "id": annotation_id}


@_handles("dismiss")
def _apply_dismiss(seg: Segment, change: Change) -> Change:
    key = _text(change.get("key"), "key")
    if key in seg.dismissed:
        return dismiss(seg.id, key)
    seg.dismissed.append(key)
    return undismiss(seg.id, key)


@_handles("undismiss")
def _apply_undismiss(seg: Segment, change: Change) -> Change:
    key = _text(change.get("key"), "key")
    if key not in seg.dismissed:
        return undismiss(seg.id, key)
    seg.dismissed.remove(key)
    return dismiss(seg.id, key)


def _flags_of(change: Change) -> list[Flag]:
    raw = change.get("flags")
    if not isinstance(raw, list):
        raise InputError(None, f"{change['op']} needs a list of flags")
    return [Flag.from_dict(f, f"flags[{i}]") for i, f in enumerate(raw)]


@_handles("set_flags")
def _apply_set_flags(seg: Segment, change: Change) -> Change:
    new_flags = _flags_of(change)
    for flag in new_flags:  # a span outside the text would make the saved file unloadable
        if not flag.start <= flag.end <= len(seg.text(flag.side)):
            raise InputError(None, f"flag span {flag.start}-{flag.end} is outside the {flag.side} text")
    old_flags = seg.flags
    seg.flags = new_flags
    return set_flags(seg.id, old_flags)


@_handles("set_post_edit_flags")
def _apply_set_post_edit_flags(seg: Segment, change: Change) -> Change:
    new_flags = _flags_of(change)
    old_flags = seg.post_edit_flags
    seg.post_edit_flags = new_flags
    return set_post_edit_flags(seg.id, old_flags)


# Every op a change may have (the document's note, then the segments' ops).
OPS: tuple[str, ...] = ("set_doc_note", *_HANDLERS)


def _field_value(seg: Segment, name: str, value: Any) -> Any:
    """``value`` checked for the segment field ``name`` (InputError when it does not fit)."""
    if name == "status":
        if value not in STATUSES:
            raise InputError(None, f"unknown status {value!r}")
        return value
    if name == "note":
        return _text(value, "value")
    if name == "post_edit":
        if value is not None:
            value = _text(value, "value")
        # A post-edit identical to the translation is no edit at all.
        return None if value == seg.target else value
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100):
        raise InputError(None, "ESA score must be an integer from 0 to 100")
    return value


def _set_field(seg: Segment, change: Change, name: str) -> Change:
    value = _field_value(seg, name, change.get("value"))
    reviewer = change.get("reviewer")
    if reviewer is not None and (not isinstance(reviewer, str) or not reviewer):
        raise InputError(None, "change field 'reviewer' must be a non-empty name")
    mine = _field_value(seg, name, change["mine"]) if "mine" in change else value
    inverse: Change = {"op": change["op"], "segment": seg.id, "value": getattr(seg, name)}
    if reviewer is not None:
        layer = seg.layers.get(reviewer)
        inverse["reviewer"] = reviewer
        inverse["mine"] = getattr(layer, name) if layer is not None else getattr(Layer(), name)
        inverse["conflict"] = name in seg.conflicts
        if layer is None:
            layer = seg.layers[reviewer] = Layer()
        setattr(layer, name, mine)
        if layer.empty:
            del seg.layers[reviewer]
        if change.get("conflict") is True:
            if name not in seg.conflicts:
                seg.conflicts.append(name)
        elif name in seg.conflicts:
            seg.conflicts.remove(name)  # somebody decided: the final value is settled
    setattr(seg, name, value)
    return inverse


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise InputError(None, f"change field {name!r} must be text")
    return value
