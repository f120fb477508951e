"""The review document: segments, flags, annotations, and their stable JSON form.

Offsets (``start``/``end`` of flags and annotations) are Python string indices, i.e. Unicode
code points, into the segment's own ``source`` or ``target`` text, end exclusive. A UTF-16 tool
(XLIFF editors, browsers) must convert them.

``to_dict`` builds every mapping in one fixed key order, so the same content always serialises
to the same bytes and review files diff and merge well in git.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from relecture.errors import InputError

FORMAT_NAME = "relecture/review"
FORMAT_VERSION = 1

Side = Literal["source", "target"]
SIDES: tuple[str, ...] = ("source", "target")
SEVERITIES: tuple[str, ...] = ("neutral", "minor", "major", "critical")
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}
STATUSES: tuple[str, ...] = ("todo", "approved", "needs-work", "rejected")
KINDS: tuple[str, ...] = ("heading", "sentence", "paragraph")


@dataclass
class Flag:
    """One automatic finding of a check on a span of a segment."""

    check: str
    family: str
    severity: str
    category: str
    its_type: str
    side: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str | None = None

    @property
    def key(self) -> str:
        """Dismissal key: survives re-checks and edits elsewhere in the segment (no offsets)."""
        return f"{self.check}|{self.side}|{self.text}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "family": self.family,
            "severity": self.severity,
            "category": self.category,
            "its_type": self.its_type,
            "side": self.side,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
        }

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Flag:
        d = _mapping(data, where)
        return cls(
            check=_str(d, "check", where),
            family=_str(d, "family", where),
            severity=_choice(d, "severity", SEVERITIES, where),
            category=_str(d, "category", where),
            its_type=_str(d, "its_type", where),
            side=_choice(d, "side", SIDES, where),
            start=_int(d, "start", where),
            end=_int(d, "end", where),
            text=_str(d, "text", where),
            message=_str(d, "message", where),
            suggestion=_opt_str(d, "suggestion", where),
        )


@dataclass
class Annotation:
    """A reviewer's (or an imported rater's) judgement on a span: MQM category and severity."""

    id: str
    side: str
    start: int
    end: int
    category: str
    severity: str
    text: str = ""
    comment: str = ""
    correction: str = ""
    author: str = ""
    time: str = ""
    origin: str = "manual"  # manual | flag:<check id> | import:<format>
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "side": self.side,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "category": self.category,
            "severity": self.severity,
            "comment": self.comment,
            "correction": self.correction,
            "author": self.author,
            "time": self.time,
            "origin": self.origin,
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Annotation:
        d = _mapping(data, where)
        return cls(
            id=_str(d, "id", where),
            side=_choice(d, "side", SIDES, where),
            start=_int(d, "start", where),
            end=_int(d, "end", where),
            text=_str(d, "text", where, default=""),
            category=_str(d, "category", where),
            severity=_choice(d, "severity", SEVERITIES, where),
            comment=_str(d, "comment", where, default=""),
            correction=_str(d, "correction", where, default=""),
            author=_str(d, "author", where, default=""),
            time=_str(d, "time", where, default=""),
            origin=_str(d, "origin", where, default="manual"),
            meta=_dict(d, "meta", where),
        )


@dataclass
class Segment:
    """One unit of review: a sentence, a heading or a whole paragraph.

    ``space_after`` / ``source_space_after`` hold the exact text between this segment and the
    next one (spaces, line ends, blank lines), so the original document is rebuilt byte for byte
    by concatenating ``text + space_after`` over all segments after the document's prefix.
    """

    id: str
    target: str
    source: str | None = None
    paragraph: int = 0
    kind: str = "sentence"
    space_after: str = ""
    source_space_after: str = ""
    flags: list[Flag] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    dismissed: list[str] = field(default_factory=list)
    status: str = "todo"
    note: str = ""
    post_edit: str | None = None
    esa: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def text(self, side: str) -> str:
        return (self.source or "") if side == "source" else self.target

    @property
    def final_target(self) -> str:
        """What the reviewer wants published: the post-edit when there is one."""
        return self.post_edit if self.post_edit is not None else self.target

    @property
    def open_flags(self) -> list[Flag]:
        dismissed = set(self.dismissed)
        return [f for f in self.flags if f.key not in dismissed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "paragraph": self.paragraph,
            "kind": self.kind,
            "source": self.source,
            "target": self.target,
            "space_after": self.space_after,
            "source_space_after": self.source_space_after,
            "status": self.status,
            "post_edit": self.post_edit,
            "note": self.note,
            "esa": self.esa,
            "flags": [f.to_dict() for f in self.flags],
            "dismissed": list(self.dismissed),
            "annotations": [a.to_dict() for a in self.annotations],
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Segment:
        d = _mapping(data, where)
        esa = d.get("esa")
        if esa is not None and (not isinstance(esa, int) or isinstance(esa, bool) or not 0 <= esa <= 100):
            raise InputError(None, "must be an integer from 0 to 100 or null", f"{where}.esa")
        return cls(
            id=_str(d, "id", where),
            paragraph=_int(d, "paragraph", where),
            kind=_choice(d, "kind", KINDS, where),
            source=_opt_str(d, "source", where),
            target=_str(d, "target", where),
            space_after=_str(d, "space_after", where, default=""),
            source_space_after=_str(d, "source_space_after", where, default=""),
            status=_choice(d, "status", STATUSES, where, default="todo"),
            post_edit=_opt_str(d, "post_edit", where),
            note=_str(d, "note", where, default=""),
            esa=esa,
            flags=[Flag.from_dict(f, f"{where}.flags[{i}]") for i, f in enumerate(_list(d, "flags", where))],
            dismissed=[
                _item_str(k, f"{where}.dismissed[{i}]") for i, k in enumerate(_list(d, "dismissed", where))
            ],
            annotations=[
                Annotation.from_dict(a, f"{where}.annotations[{i}]")
                for i, a in enumerate(_list(d, "annotations", where))
            ],
            meta=_dict(d, "meta", where),
        )


@dataclass
class ReviewDocument:
    """A whole reviewed document: header plus ordered segments."""

    id: str
    title: str
    segments: list[Segment]
    source_lang: str | None = None
    target_lang: str | None = None
    imported_from: dict[str, Any] = field(default_factory=dict)
    relecture_version: str = ""
    created: str = ""
    note: str = ""
    prefix: str = ""
    source_prefix: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def bilingual(self) -> bool:
        return any(s.source is not None for s in self.segments)

    def index_of(self, segment_id: str) -> int:
        if len(self._index) != len(self.segments) or (
            self.segments and self.segments[self._index.get(segment_id, 0)].id != segment_id
        ):
            self._index = {s.id: i for i, s in enumerate(self.segments)}
        try:
            return self._index[segment_id]
        except KeyError:
            raise KeyError(f"no segment with id {segment_id!r}") from None

    def segment(self, segment_id: str) -> Segment:
        return self.segments[self.index_of(segment_id)]

    def rebuild_target(self) -> str:
        """The target document exactly as imported (original translation, not post-edits)."""
        return self.prefix + "".join(s.target + s.space_after for s in self.segments)

    def rebuild_source(self) -> str:
        return self.source_prefix + "".join(
            (s.source or "") + s.source_space_after for s in self.segments
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "id": self.id,
            "title": self.title,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "imported_from": self.imported_from,
            "relecture_version": self.relecture_version,
            "created": self.created,
            "note": self.note,
            "prefix": self.prefix,
            "source_prefix": self.source_prefix,
            "meta": self.meta,
            "segments": [s.to_dict() for s in self.segments],
        }

    def to_json(self) -> str:
        return dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: Any) -> ReviewDocument:
        where = "$"
        d = _mapping(data, where)
        fmt = d.get("format")
        if fmt != FORMAT_NAME:
            raise InputError(None, f"not a relecture review file (format is {fmt!r})", "$.format")
        version = d.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise InputError(None, "missing or non-integer format version", "$.version")
        if version > FORMAT_VERSION:
            raise InputError(
                None,
                f"review format version {version} is newer than this relecture reads "
                f"({FORMAT_VERSION}); upgrade relecture",
                "$.version",
            )
        if version < 1:
            raise InputError(None, f"unknown review format version {version}", "$.version")
        segments = [Segment.from_dict(s, f"$.segments[{i}]") for i, s in enumerate(_list(d, "segments", where, required=True))]
        seen: set[str] = set()
        for i, s in enumerate(segments):
            if s.id in seen:
                raise InputError(None, f"duplicate segment id {s.id!r}", f"$.segments[{i}].id")
            seen.add(s.id)
        return cls(
            id=_str(d, "id", where),
            title=_str(d, "title", where, default=""),
            source_lang=_opt_str(d, "source_lang", where),
            target_lang=_opt_str(d, "target_lang", where),
            imported_from=_dict(d, "imported_from", where),
            relecture_version=_str(d, "relecture_version", where, default=""),
            created=_str(d, "created", where, default=""),
            note=_str(d, "note", where, default=""),
            prefix=_str(d, "prefix", where, default=""),
            source_prefix=_str(d, "source_prefix", where, default=""),
            meta=_dict(d, "meta", where),
            segments=segments,
        )


def dumps(data: Any) -> str:
    """The one serialisation of review data: UTF-8 text, no ASCII escapes, fixed layout."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


# --- validation helpers: each failure names the JSON path -------------------------------------

_MISSING = object()


def _mapping(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputError(None, f"expected an object, found {type(data).__name__}", where)
    return data


def _get(d: dict[str, Any], key: str, where: str, default: Any) -> Any:
    value = d.get(key, _MISSING)
    if value is _MISSING:
        if default is _MISSING:
            raise InputError(None, "missing required field", f"{where}.{key}")
        return default
    return value


def _str(d: dict[str, Any], key: str, where: str, default: Any = _MISSING) -> str:
    value = _get(d, key, where, default)
    if not isinstance(value, str):
        raise InputError(None, f"expected a string, found {type(value).__name__}", f"{where}.{key}")
    return value


def _item_str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise InputError(None, f"expected a string, found {type(value).__name__}", where)
    return value


def _opt_str(d: dict[str, Any], key: str, where: str) -> str | None:
    value = d.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(None, f"expected a string or null, found {type(value).__name__}", f"{where}.{key}")
    return value


def _int(d: dict[str, Any], key: str, where: str, default: Any = _MISSING) -> int:
    value = _get(d, key, where, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InputError(None, "expected a non-negative integer", f"{where}.{key}")
    return value


def _choice(
    d: dict[str, Any], key: str, choices: tuple[str, ...], where: str, default: Any = _MISSING
) -> str:
    value = _str(d, key, where, default)
    if value not in choices:
        raise InputError(None, f"{value!r} is not one of {', '.join(choices)}", f"{where}.{key}")
    return value


def _list(d: dict[str, Any], key: str, where: str, required: bool = False) -> list[Any]:
    value = _get(d, key, where, _MISSING if required else [])
    if not isinstance(value, list):
        raise InputError(None, f"expected a list, found {type(value).__name__}", f"{where}.{key}")
    return value


def _dict(d: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = d.get(key, {})
    if not isinstance(value, dict):
        raise InputError(None, f"expected an object, found {type(value).__name__}", f"{where}.{key}")
    return value
