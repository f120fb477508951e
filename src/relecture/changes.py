"""Changes to a review document: the unit that is journaled, replayed and undone.

A change is a plain JSON object with an ``op``. Every op has "set" semantics (an annotation is
put or deleted by id, a status is set to a value), so replaying a journal twice, for instance
after a crash between a save and the journal's removal, gives the same document.

``apply_change`` returns the inverse change, which is what undo applies.
"""

from __future__ import annotations

from typing import Any

from relecture.errors import InputError
from relecture.model import STATUSES, Annotation, Flag, ReviewDocument

Change = dict[str, Any]

OPS = (
    "set_status",
    "set_note",
    "set_post_edit",
    "set_esa",
    "set_doc_note",
    "put_annotation",
    "delete_annotation",
    "dismiss",
    "undismiss",
    "set_flags",
    "set_post_edit_flags",
)


def set_status(segment: str, value: str) -> Change:
    return {"op": "set_status", "segment": segment, "value": value}


def set_note(segment: str, value: str) -> Change:
    return {"op": "set_note", "segment": segment, "value": value}


def set_post_edit(segment: str, value: str | None) -> Change:
    return {"op": "set_post_edit", "segment": segment, "value": value}


def set_esa(segment: str, value: int | None) -> Change:
    return {"op": "set_esa", "segment": segment, "value": value}


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
    if op not in OPS:
        raise InputError(None, f"unknown change {op!r}")
    segment_id = change.get("segment")
    if not isinstance(segment_id, str):
        raise InputError(None, "change names no segment")
    try:
        seg = doc.segment(segment_id)
    except KeyError:
        raise InputError(None, f"change refers to unknown segment {segment_id!r}") from None

    if op == "set_status":
        value = change.get("value")
        if value not in STATUSES:
            raise InputError(None, f"unknown status {value!r}")
        old_status = seg.status
        seg.status = value
        return set_status(segment_id, old_status)
    if op == "set_note":
        old_note = seg.note
        seg.note = _text(change.get("value"), "value")
        return set_note(segment_id, old_note)
    if op == "set_post_edit":
        value = change.get("value")
        if value is not None:
            value = _text(value, "value")
        old_edit = seg.post_edit
        # A post-edit identical to the translation is no edit at all.
        seg.post_edit = None if value == seg.target else value
        return set_post_edit(segment_id, old_edit)
    if op == "set_esa":
        value = change.get("value")
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100
        ):
            raise InputError(None, "ESA score must be an integer from 0 to 100")
        old_esa = seg.esa
        seg.esa = value
        return set_esa(segment_id, old_esa)
    if op == "put_annotation":
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
                return put_annotation(segment_id, existing)
        seg.annotations.append(annotation)
        return delete_annotation(segment_id, annotation.id)
    if op == "delete_annotation":
        annotation_id = change.get("id")
        for i, existing in enumerate(seg.annotations):
            if existing.id == annotation_id:
                del seg.annotations[i]
                return put_annotation(segment_id, existing)
        return {"op": "delete_annotation", "segment": segment_id, "id": annotation_id}
    if op == "dismiss":
        key = _text(change.get("key"), "key")
        if key in seg.dismissed:
            return dismiss(segment_id, key)
        seg.dismissed.append(key)
        return undismiss(segment_id, key)
    if op == "undismiss":
        key = _text(change.get("key"), "key")
        if key not in seg.dismissed:
            return undismiss(segment_id, key)
        seg.dismissed.remove(key)
        return dismiss(segment_id, key)
    # set_flags, set_post_edit_flags
    raw = change.get("flags")
    if not isinstance(raw, list):
        raise InputError(None, f"{op} needs a list of flags")
    new_flags = [Flag.from_dict(f, f"flags[{i}]") for i, f in enumerate(raw)]
    if op == "set_post_edit_flags":
        old_flags = seg.post_edit_flags
        seg.post_edit_flags = new_flags
        return set_post_edit_flags(segment_id, old_flags)
    old_flags = seg.flags
    seg.flags = new_flags
    return set_flags(segment_id, old_flags)


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise InputError(None, f"change field {name!r} must be text")
    return value
