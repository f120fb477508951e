"""The review document: segments, flags, annotations, and their stable JSON form.

Offsets (``start``/``end`` of flags and annotations) are Python string indices, i.e. Unicode
code points, into the segment's own ``source`` or ``target`` text, end exclusive. A UTF-16 tool
(XLIFF editors, browsers) must convert them.

``to_dict`` builds every mapping in one fixed key order, so the same content always serialises
to the same bytes and review files diff and merge well in git.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import MISSING, dataclass, field
from typing import Any, Literal, get_args

from relecture.errors import InputError

FORMAT_NAME = "relecture/review"
FORMAT_VERSION = 2

# An inline code (a tag of the file format: XLIFF <x/>, <bpt>, <pc>...) is one character of the
# Supplementary Private Use Area-A in the segment's texts: CODE_BASE + i is ``codes[i]``. One
# character keeps every offset a code-point offset; the plane is unused by real text (a literal
# one in an input becomes a code of element "char", so it round-trips).
CODE_BASE = 0xF0000
CODE_LIMIT = 0xFFFFE
CODE_KINDS: tuple[str, ...] = ("standalone", "opening", "closing")

# The closed vocabularies of the file format, declared once as types; the tuples are their values.
Side = Literal["source", "target"]
Severity = Literal["neutral", "minor", "major", "critical"]
Status = Literal["todo", "approved", "needs-work", "rejected"]
Kind = Literal["heading", "sentence", "paragraph"]
SIDES: tuple[str, ...] = get_args(Side)
SEVERITIES: tuple[str, ...] = get_args(Severity)
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}
STATUSES: tuple[str, ...] = get_args(Status)
KINDS: tuple[str, ...] = get_args(Kind)
# What each reviewer decides on a segment, kept per reviewer in ``Segment.layers`` (version 2).
LAYER_FIELDS: tuple[str, ...] = ("status", "post_edit", "note", "esa")
# Dismissal keys of flags found on the post-edit start with this (MT flags' keys do not).
POST_EDIT_KEY = "post-edit|"


def _json(
    position: int, kind: str, required: bool = False, choices: tuple[str, ...] = (), omit_empty: bool = False
) -> dict[str, Any]:
    """How a segment field is stored: its place among the keys of the file, its kind (one of
    ``_KINDS_OF_FIELD``), whether a file must have it (``required``), the values a choice takes,
    and whether it is left out of the file when empty (``omit_empty``)."""
    return {"json": (position, kind, required, choices, omit_empty)}


@dataclass(slots=True)
class Flag:
    """One automatic finding of a check on a span of a segment."""

    check: str
    family: str
    severity: Severity
    category: str
    its_type: str
    side: Side
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
            check=_intern(_str(d, "check", where)),
            family=_intern(_str(d, "family", where)),
            severity=_intern(_choice(d, "severity", SEVERITIES, where)),
            category=_intern(_str(d, "category", where)),
            its_type=_intern(_str(d, "its_type", where)),
            side=_intern(_choice(d, "side", SIDES, where)),
            start=_int(d, "start", where),
            end=_int(d, "end", where),
            text=_str(d, "text", where),
            message=_str(d, "message", where),
            suggestion=_opt_str(d, "suggestion", where),
        )


@dataclass(slots=True)
class Annotation:
    """A reviewer's (or an imported rater's) judgement on a span: MQM category and severity."""

    id: str
    side: Side
    start: int
    end: int
    category: str
    severity: Severity
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
            category=_intern(_str(d, "category", where)),
            severity=_intern(_choice(d, "severity", SEVERITIES, where)),
            comment=_str(d, "comment", where, default=""),
            correction=_str(d, "correction", where, default=""),
            author=_str(d, "author", where, default=""),
            time=_str(d, "time", where, default=""),
            origin=_str(d, "origin", where, default="manual"),
            meta=_dict(d, "meta", where),
        )


@dataclass(slots=True)
class Code:
    """One inline code of a segment, kept so that it is shown, checked and written back whole."""

    id: str
    kind: str  # standalone | opening | closing
    element: str  # x, bx, ex, g, bpt, ept, ph, it, mrk, pc, sc, ec, sm, em, char
    markup: str = ""  # as written in the file (a wrapping element: its start or its end tag)
    display: str = ""  # equiv-text / disp / equiv: what a reader sees
    pair: int | None = None  # index of the matching opening / closing code
    fixed: bool = False  # the format says it may not move

    @property
    def label(self) -> str:
        """The compact token a reader sees: the display text, else ``{1}``, ``{/1}``, ``{1/}``."""
        if self.display:
            return "{" + (self.display if len(self.display) <= 24 else self.display[:23] + "…") + "}"
        ident = self.id or self.element
        if self.kind == "opening":
            return "{" + ident + "}"
        if self.kind == "closing":
            return "{/" + ident + "}"
        return "{" + ident + "/}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "element": self.element,
            "markup": self.markup,
            "display": self.display,
            "pair": self.pair,
            "fixed": self.fixed,
        }

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Code:
        d = _mapping(data, where)
        pair = d.get("pair")
        if pair is not None and (type(pair) is not int or pair < 0):
            raise InputError(None, "expected a non-negative integer or null", f"{where}.pair")
        fixed = d.get("fixed", False)
        if type(fixed) is not bool:
            raise InputError(None, "expected true or false", f"{where}.fixed")
        return cls(
            id=_str(d, "id", where),
            kind=_intern(_choice(d, "kind", CODE_KINDS, where)),
            element=_intern(_str(d, "element", where)),
            markup=_str(d, "markup", where, default=""),
            display=_str(d, "display", where, default=""),
            pair=pair,
            fixed=fixed,
        )


def code_char(index: int) -> str:
    return chr(CODE_BASE + index)


def code_index(char: str) -> int | None:
    """The index of the code ``char`` stands for, or None for ordinary text."""
    value = ord(char) - CODE_BASE
    return value if 0 <= value < CODE_LIMIT - CODE_BASE else None


CODE_RE = re.compile(f"[{chr(CODE_BASE)}-{chr(CODE_LIMIT - 1)}]")


def has_codes(text: str) -> bool:
    return CODE_RE.search(text) is not None


def literal_text(text: str, codes: list[Code]) -> str:
    """``text`` with the codes that stand for a literal private-use character (element "char")
    given back as that character; other codes stay code characters."""
    if not codes or not any(c.element == "char" for c in codes):
        return text
    out = []
    for char in text:
        index = code_index(char)
        code = codes[index] if index is not None and index < len(codes) else None
        out.append(code.markup if code is not None and code.element == "char" else char)
    return "".join(out)


def show_codes(text: str, codes: list[Code]) -> str:
    """``text`` with each code as its compact token (for reports and terminals)."""
    if not codes and not has_codes(text):
        return text
    out = []
    for char in text:
        index = code_index(char)
        if index is None:
            out.append(char)
        else:
            out.append(codes[index].label if index < len(codes) else "{?}")
    return "".join(out)


@dataclass(slots=True)
class Layer:
    """One reviewer's own decisions on a segment. The segment's top-level fields are the final
    ones (what is published); each reviewer's choice stays here, so merges and adjudication see
    who decided what."""

    status: Status = "todo"
    post_edit: str | None = None
    note: str = ""
    esa: int | None = None

    @property
    def empty(self) -> bool:
        return self.status == "todo" and self.post_edit is None and not self.note and self.esa is None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "post_edit": self.post_edit, "note": self.note, "esa": self.esa}

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Layer:
        d = _mapping(data, where)
        esa = d.get("esa")
        if esa is not None and (type(esa) is not int or not 0 <= esa <= 100):
            raise InputError(None, "must be an integer from 0 to 100 or null", f"{where}.esa")
        return cls(
            status=_intern(_choice(d, "status", STATUSES, where, default="todo")),
            post_edit=_opt_str(d, "post_edit", where),
            note=_str(d, "note", where, default=""),
            esa=esa,
        )


def _layers(value: Any, where: str) -> dict[str, Layer]:
    if not isinstance(value, dict):
        raise InputError(None, f"expected an object, found {type(value).__name__}", where)
    return {_intern(name): Layer.from_dict(layer, f"{where}.{name}") for name, layer in value.items()}


def _conflicts(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or any(v not in LAYER_FIELDS for v in value):
        raise InputError(None, f"must be a list of {', '.join(LAYER_FIELDS)}", where)
    return [_intern(v) for v in value]


# The containers of a segment (flags, annotations, layers, meta...) are empty on nearly every
# segment of a big document: eight empty lists and dicts were 40 % of its memory. Their slot holds
# None until something is put in; reading one gives an empty container that stores itself in the
# slot at its first change (``seg.flags.append(f)`` works as on a list it always had).
_NONE_YET: Any = None


def _attach(empty: _EmptyList | _EmptyDict) -> None:
    """Put ``empty``, about to change, in the slot of the segment that handed it out."""
    owner = empty._owner
    if owner is not None:
        empty._owner = None
        if empty._slot.__get__(owner) is None:  # not given another container meanwhile
            empty._slot.__set__(owner, empty)


class _EmptyList(list[Any]):
    """An empty list a segment hands out for a container it has none of yet."""

    __slots__ = ("_owner", "_slot")
    _owner: Any  # the segment, until the list is stored in it
    _slot: Any  # the slot's own descriptor
    _attach = _attach

    def __reduce__(self) -> Any:  # copies and pickles are plain lists
        return (list, (list(self),))

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: Any) -> list[Any]:
        import copy

        return copy.deepcopy(list(self), memo)


class _EmptyDict(dict[Any, Any]):
    """An empty dict a segment hands out for a mapping it has none of yet."""

    __slots__ = ("_owner", "_slot")
    _owner: Any
    _slot: Any
    _attach = _attach

    def __reduce__(self) -> Any:
        return (dict, (dict(self),))

    def __copy__(self) -> dict[Any, Any]:
        return dict(self)

    def __deepcopy__(self, memo: Any) -> dict[Any, Any]:
        import copy

        return copy.deepcopy(dict(self), memo)


def _attaching(cls: type, name: str) -> None:
    method = getattr(cls.__mro__[1], name)

    def changed(self: Any, *args: Any, **kwargs: Any) -> Any:
        self._attach()
        return method(self, *args, **kwargs)

    changed.__name__ = name
    setattr(cls, name, changed)


for _name in ("append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse",
              "__setitem__", "__delitem__", "__iadd__", "__imul__"):
    _attaching(_EmptyList, _name)
for _name in ("__setitem__", "__delitem__", "setdefault", "update", "pop", "popitem", "clear", "__ior__"):
    _attaching(_EmptyDict, _name)


class _Lazy:
    """The attribute of a lazily empty container: the slot's own descriptor underneath."""

    def __init__(self, slot: Any, empty: type[_EmptyList] | type[_EmptyDict]) -> None:
        self._slot = slot
        self._empty = empty

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        if obj is None:
            return self
        value = self._slot.__get__(obj, objtype)
        if value is None:
            value = self._empty()
            value._owner = obj
            value._slot = self._slot
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        if type(value) is self._empty and value._owner is not None:
            value = None  # another segment's (or this one's) container it has none of yet
        self._slot.__set__(obj, value)


@dataclass(slots=True)
class Segment:
    """One unit of review: a sentence, a heading or a whole paragraph.

    ``space_after`` / ``source_space_after`` hold the exact text between this segment and the
    next one (spaces, line ends, blank lines), so the original document is rebuilt byte for byte
    by concatenating ``text + space_after`` over all segments after the document's prefix.
    """

    # Each field says how it is stored (``_json``: its place in the file, its kind, whether a
    # file may leave it out): to/from JSON, the fast loading path and the schema test follow.
    id: str = field(metadata=_json(0, "str", required=True))
    target: str = field(metadata=_json(4, "str", required=True))
    source: str | None = field(default=None, metadata=_json(3, "opt_str"))
    paragraph: int = field(default=0, metadata=_json(1, "count", required=True))
    kind: Kind = field(default="sentence", metadata=_json(2, "choice", required=True, choices=KINDS))
    space_after: str = field(default="", metadata=_json(5, "str"))
    source_space_after: str = field(default="", metadata=_json(6, "str"))
    flags: list[Flag] = field(default=_NONE_YET, metadata=_json(11, "flags"))
    annotations: list[Annotation] = field(default=_NONE_YET, metadata=_json(13, "annotations"))
    dismissed: list[str] = field(default=_NONE_YET, metadata=_json(12, "strs"))
    status: Status = field(default="todo", metadata=_json(7, "choice", choices=STATUSES))
    note: str = field(default="", metadata=_json(9, "str"))
    post_edit: str | None = field(default=None, metadata=_json(8, "opt_str"))
    esa: int | None = field(default=None, metadata=_json(10, "esa"))
    # reviewer -> their own decisions
    layers: dict[str, Layer] = field(default=_NONE_YET, metadata=_json(15, "layers"))
    # LAYER_FIELDS reviewers disagree on, unsettled
    conflicts: list[str] = field(default=_NONE_YET, metadata=_json(16, "conflicts"))
    meta: dict[str, Any] = field(default=_NONE_YET, metadata=_json(17, "meta"))
    codes: list[Code] = field(default=_NONE_YET, metadata=_json(14, "codes"))
    # Flags found by the checks on the post-edit (side "target" indexes ``post_edit``), kept apart
    # from ``flags`` (on the translation as imported), so both stay true to the text they index.
    post_edit_flags: list[Flag] = field(default=_NONE_YET, metadata=_json(18, "flags", omit_empty=True))

    def __getstate__(self) -> list[Any]:
        # Raw slots: a container a segment has none of pickles as None, not as an empty one.
        return [_RAW[name](self) for name in _FIELD_NAMES]

    def __setstate__(self, state: list[Any]) -> None:
        for name, value in zip(_FIELD_NAMES, state, strict=True):
            object.__setattr__(self, name, value)

    def text(self, side: str) -> str:
        return (self.source or "") if side == "source" else self.target

    @property
    def final_target(self) -> str:
        """What the reviewer wants published: the post-edit when there is one."""
        return self.post_edit if self.post_edit is not None else self.target

    @property
    def untranslated(self) -> bool:
        """A source with no translation yet (an empty gettext msgstr, a post-edit aside): a
        state of progress, reported apart from the flags."""
        target = self.final_target
        return bool(self.source and not self.source.isspace()) and (not target or target.isspace())

    @property
    def open_flags(self) -> list[Flag]:
        dismissed = set(self.dismissed)
        return [f for f in self.flags if f.key not in dismissed]

    def confirmed_by(self, flag: Flag) -> Annotation | None:
        """The annotation a flag on the translation was turned into, if any."""
        for ann in self.annotations:
            if ann.meta.get("flag") == flag.key or (
                ann.origin == f"flag:{flag.check}" and ann.side == flag.side and ann.text == flag.text
            ):
                return ann
        return None

    def post_edit_flag_dismissed(self, flag: Flag) -> bool:
        """A flag on the post-edit is dismissed on its own, or when the same finding was dismissed
        on the translation as not an error (a confirmed one is an error: it stays open if the
        post-edit still has it)."""
        if POST_EDIT_KEY + flag.key in self.dismissed:
            return True
        twin = next((f for f in self.flags if f.key == flag.key), None)
        return twin is not None and flag.key in self.dismissed and self.confirmed_by(twin) is None

    @property
    def open_post_edit_flags(self) -> list[Flag]:
        if self.post_edit is None:
            return []
        return [f for f in self.post_edit_flags if not self.post_edit_flag_dismissed(f)]

    def to_dict(self) -> dict[str, Any]:
        return _segment_to_dict(self)

    def to_json_item(self) -> str:
        """This segment as ``dumps`` lays it out inside the document's list (same key order as
        ``to_dict``; tests compare the two on random documents)."""
        return _segment_json_item(self)

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Segment:
        segment = _segment_fast(data) if type(data) is dict else None
        return segment if segment is not None else _segment_checked(data, where)


_FIELD_NAMES: tuple[str, ...] = tuple(Segment.__dataclass_fields__)
_RAW: dict[str, Callable[[Segment], Any]] = {name: getattr(Segment, name).__get__ for name in _FIELD_NAMES}
_CONTAINERS: dict[str, type[_EmptyList] | type[_EmptyDict]] = {
    "flags": _EmptyList, "annotations": _EmptyList, "dismissed": _EmptyList, "conflicts": _EmptyList,
    "codes": _EmptyList, "post_edit_flags": _EmptyList, "layers": _EmptyDict, "meta": _EmptyDict,
}
for _name, _empty in _CONTAINERS.items():
    setattr(Segment, _name, _Lazy(getattr(Segment, _name), _empty))


def _direct_init() -> Callable[..., None]:
    """``Segment.__init__`` (the dataclass's signature and defaults) writing the containers'
    slots directly instead of through ``_Lazy.__set__``, with the same rule (another segment's
    stand-in stores as None): eight Python-level ``__set__`` calls were 40 % of a TSV import's
    segments (100,000 rows: 0.33 -> 0.1 s)."""
    namespace: dict[str, Any] = {}
    params: list[str] = []
    body: list[str] = []
    for name, spec in Segment.__dataclass_fields__.items():
        assert spec.default_factory is MISSING, "a default factory is not written out here"
        if spec.default is MISSING:
            params.append(name)
        else:
            namespace[f"_d_{name}"] = spec.default
            params.append(f"{name}=_d_{name}")
        if name in _CONTAINERS:
            lazy = Segment.__dict__[name]
            namespace[f"_s_{name}"] = lazy._slot.__set__
            namespace[f"_e_{name}"] = lazy._empty
            body.append(f" _s_{name}(self, None if type({name}) is _e_{name} and {name}._owner is not None else {name})")
        else:
            body.append(f" self.{name} = {name}")
    exec(f"def __init__(self, {', '.join(params)}) -> None:\n" + "\n".join(body), namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = "Segment.__init__"
    init.__module__ = __name__
    return init


Segment.__init__ = _direct_init()  # type: ignore[method-assign]


def holds(segment: Segment, name: str) -> bool:
    """Whether the container field ``name`` holds anything, without making the empty stand-in
    reading it would make: a filter over 100,000 segments paid 1.6 µs a segment for those."""
    return bool(_RAW[name](segment))


def _bad_span(segment: Segment) -> tuple[str, int, Flag | Annotation] | None:
    """The first flag or annotation whose offsets fall outside its side's text (a hand-edited
    or foreign file): every highlight, export and score would misread it."""
    groups: tuple[tuple[str, Sequence[Flag | Annotation]], ...] = (
        ("flags", segment.flags), ("annotations", segment.annotations)
    )
    for kind, items in groups:
        for i, item in enumerate(items):
            text = segment.source if item.side == "source" else segment.target
            if not item.start <= item.end <= len(text or ""):
                return kind, i, item
    return None


_intern: Callable[[Any], Any] = sys.intern  # keeps the Literal type of what it interns


def _migrate_v1_reviewers(seg: Segment) -> None:
    """Version 1 -> 2: version 1 put no name on a status, note, ESA score or post-edit. They
    become the layer of the segment's one hand-made annotator when there is exactly one (the
    workbench wrote the login name on annotations); otherwise they stay unattributed, and
    scores and exports credit them to the current reviewer's identity."""
    if seg.layers:
        return
    authors = {a.author for a in seg.annotations if a.author and not a.origin.startswith("import:")}
    layer = Layer(status=seg.status, post_edit=seg.post_edit, note=seg.note, esa=seg.esa)
    if len(authors) == 1 and not layer.empty:
        seg.layers[_intern(authors.pop())] = layer


def upgrade_segment(seg: Segment, version: int) -> Segment:
    """Bring a segment read from a file of format ``version`` to the current one."""
    if version < 2:
        _migrate_v1_reviewers(seg)
    return seg


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
    loaded_version: int = field(default=FORMAT_VERSION, repr=False, compare=False)  # of the file read

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

    def to_dict(self, segments: bool = True) -> dict[str, Any]:
        data = {
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
        }
        if segments:
            data["segments"] = [s.to_dict() for s in self.segments]
        return data

    def to_json(self) -> str:
        """``dumps(self.to_dict())``, byte for byte, without building the segments' dicts."""
        return "".join(self.json_chunks())

    def json_chunks(self, batch: int = 2000) -> Iterator[str]:
        """``to_json()`` in pieces of ``batch`` segments: a save writes them as they come, so a
        million segments never exist as one string (and its UTF-8 copy) beside the document."""
        header = self.to_dict(segments=False)
        if not self.segments:
            yield dumps({**header, "segments": []})
            return
        # "segments" is the last key: lay out the header around a marker, then put them in.
        marker = "\x00segments"
        head, found, tail = _layout({**header, "segments": marker}, 0).rpartition(_encode_str(marker))
        assert found and tail == "\n}"
        segments = self.segments
        yield head + "["
        for start in range(0, len(segments), batch):
            part = ",".join([s.to_json_item() for s in segments[start:start + batch]])
            yield part if start == 0 else "," + part
        yield "\n ]" + tail + "\n"

    @classmethod
    def from_dict(cls, data: Any, consume: bool = False) -> ReviewDocument:
        """Validate and build; with ``consume`` the segment list of ``data`` is emptied as it goes."""
        d = _mapping(data, "$")
        check_format(d)
        version = d["version"]  # of the file, before its mapping is upgraded
        if version == 1:
            d = migrate_v1_to_v2(d)
        raw_segments = _list(d, "segments", "$", required=True)
        segments = []
        for i, raw in enumerate(raw_segments):
            segments.append(upgrade_segment(Segment.from_dict(raw, f"$.segments[{i}]"), version))
            if consume:
                raw_segments[i] = None  # the parsed tree and the objects never coexist whole
        check_unique_ids(segments)
        doc = cls.header_from_dict(d)
        doc.loaded_version = version
        doc.segments = segments
        return doc

    @classmethod
    def header_from_dict(cls, data: Any) -> ReviewDocument:
        """The document's header fields, validated, with no segments yet."""
        where = "$"
        d = _mapping(data, where)
        check_format(d)
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
            segments=[],
            loaded_version=d["version"],
        )


def migrate_v1_to_v2(d: dict[str, Any]) -> dict[str, Any]:
    """Version 2 added inline codes: a version-1 segment has none (its texts hold no code
    character), so each gets an empty ``codes`` list. Returns the upgraded mapping (``d`` is
    changed in place). Other version-2 additions migrate in their own functions."""
    d["version"] = 2
    for raw in d.get("segments") or []:
        if isinstance(raw, dict):
            raw.setdefault("codes", [])
    return d


def check_format(d: dict[str, Any]) -> None:
    """The file declares itself a review file of a version this relecture reads."""
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


def check_unique_ids(segments: list[Segment], first: int = 0, seen: set[str] | None = None) -> set[str]:
    """Raise on a segment id used twice (from index ``first`` on, ids before it in ``seen``)."""
    seen = set() if seen is None else seen
    for i in range(first, len(segments)):
        seg_id = segments[i].id
        if seg_id in seen:
            raise InputError(None, f"duplicate segment id {seg_id!r}", f"$.segments[{i}].id")
        seen.add(seg_id)
    return seen


def dumps(data: Any) -> str:
    """The one serialisation of review data: UTF-8 text, no ASCII escapes, fixed layout.

    Exactly ``json.dumps(data, ensure_ascii=False, indent=1) + "\\n"``, built faster (see _layout).
    """
    return _layout(data, 0) + "\n"


_encode_str = json.encoder.encode_basestring  # the C version: escapes as ensure_ascii=False does


def _layout(value: Any, level: int) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=1)`` for a value nested at ``level``.

    ``indent`` makes json use its pure-Python encoder, a generator per level (3 s for 100,000
    segments); this lays containers out directly and encodes strings with json's C function.
    Floats and non-string keys, rare here, go through json itself.
    """
    if isinstance(value, str):
        return _encode_str(value)
    kind = type(value)
    if kind is list or kind is dict or kind is _EmptyList or kind is _EmptyDict:
        out: list[str] = []
        _layout_value(value, level, out)
        return "".join(out)
    return _layout_scalar(value, level)


def _layout_scalar(value: Any, level: int) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is int:
        return int.__repr__(value)
    text = json.dumps(value, ensure_ascii=False, indent=1)
    # json indents nested lines from column 0; here they sit ``level`` spaces further in
    # (strings never hold a raw line break: json escapes it).
    return text.replace("\n", "\n" + " " * level) if level else text


def _layout_float(value: float) -> str:
    # What json writes: repr, and its own names for the values JSON lacks (allow_nan).
    return float.__repr__(value) if value == value and value not in (_INF, -_INF) else json.dumps(value)


_INF = float("inf")
_LEAF: dict[Any, Callable[[Any], str]] = {
    str: _encode_str, int: int.__repr__, bool: lambda v: "true" if v else "false", type(None): lambda v: "null",
    float: _layout_float,
}
# ",\n" and the indentation of each level, made once (free-form meta nests deep).
_INNER = tuple(",\n" + " " * level for level in range(80))


def _layout_into(value: Any, level: int, out: list[str]) -> None:
    """``_layout`` of a list or dict, appending its pieces to ``out``: one join at the end,
    where concatenating each level's text copied deep meta once per level. Nested lists and
    dicts are laid out by a direct call (an imported file's meta holds hundreds of thousands
    of them); a dict with a key that is not a string is given to json whole, as ``_layout_value``
    would have."""
    append = out.append
    leaf = _LEAF.get
    inner = _INNER[level + 1] if level + 1 < len(_INNER) else ",\n" + " " * (level + 1)
    if type(value) is list or type(value) is _EmptyList:
        if not value:
            append("[]")
            return
        sep = inner[1:]
        append("[")
        for item in value:
            kind = type(item)
            write = leaf(kind)
            if write is not None:
                append(sep + write(item))
            elif kind is dict or kind is list:
                append(sep)
                _layout_into(item, level + 1, out)
            else:
                append(sep)
                _layout_value(item, level + 1, out)
            sep = inner
        append(inner[1:-1] + "]")
        return
    if not value:
        append("{}")
        return
    sep = inner[1:]
    mark = len(out)
    append("{")
    try:
        for key, item in value.items():
            kind = type(item)
            write = leaf(kind)
            # encode_basestring refuses a key that is not a string (TypeError): see below.
            if write is not None:
                append(sep + _encode_str(key) + ": " + write(item))
            elif kind is dict or kind is list:
                append(sep + _encode_str(key) + ": ")
                _layout_into(item, level + 1, out)
            else:
                append(sep + _encode_str(key) + ": ")
                _layout_value(item, level + 1, out)
            sep = inner
    except TypeError:
        del out[mark:]
        append(_layout_scalar(value, level))
        return
    append(inner[1:-1] + "}")


def _layout_value(value: Any, level: int, out: list[str]) -> None:
    kind = type(value)
    if kind is list or kind is _EmptyList or kind is dict or kind is _EmptyDict:
        _layout_into(value, level, out)
    elif isinstance(value, str):
        out.append(_encode_str(value))
    else:
        out.append(_layout_scalar(value, level))


# --- validation helpers: each failure names the JSON path -------------------------------------

# Free-form objects (meta) nested deeper than this are refused: json reads ~990 levels but
# writing them back from a deep call stack (the UI) would fail, and no real file needs it.
MAX_NESTING = 64


def check_nesting(value: Any, where: str, limit: int = MAX_NESTING) -> None:
    """Raise InputError naming the path where ``value`` nests deeper than ``limit``."""
    # Every open walks each segment's meta: level by level with no paths built (WMT 2023's
    # token lists and timing logs: 2.7 -> ~1 CPU-s a load); the walk that names the place runs
    # only when something is too deep.
    level = [value]
    depth = 0
    while level:
        if depth > limit:
            _name_too_deep(value, where, limit)
        below: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                below += [v for v in item.values() if isinstance(v, dict | list)]
            elif isinstance(item, list):
                below += [v for v in item if isinstance(v, dict | list)]
        level = below
        depth += 1


def _name_too_deep(value: Any, where: str, limit: int) -> None:
    stack: list[tuple[Any, str, int]] = [(value, where, 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > limit:
            raise InputError(None, f"nested deeper than {limit} levels", path)
        if isinstance(item, dict):
            stack.extend((v, f"{path}.{k}", depth + 1) for k, v in item.items() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(item) if isinstance(v, dict | list))


def storable_problem(doc: ReviewDocument) -> tuple[str, str] | None:
    """``(message, JSON path)`` when ``doc`` could be saved but not opened again, else None.

    Importers check this so that what they accept is exactly what the loader accepts: lone
    surrogates (from JSON escapes) cannot be written as UTF-8, deep free-form objects are refused.
    The common case (nothing wrong) is checked in bulk at C speed; the slow walk only names the place.
    """
    if not any(_storable_problem_in(doc, start) for start in range(0, max(1, len(doc.segments)), _BULK)):
        return None
    for value, where in [(v, f"$.{k}") for k, v in vars(doc).items()] + [
        (seg.to_dict(), f"$.segments[{i}]") for i, seg in enumerate(doc.segments)
    ]:
        items = value if isinstance(value, dict) else {"": value}
        for key, item in items.items():
            path = f"{where}.{key}" if key else where
            limit = MAX_NESTING
            if isinstance(item, list):
                item = [v.to_dict() if hasattr(v, "to_dict") else v for v in item]
                limit += 1  # an annotation's meta sits one level down
            bad = find_lone_surrogate(item, path)
            if bad is not None:
                return "text holds a lone surrogate, which is not Unicode", bad
            try:
                check_nesting(item, path, limit)
            except InputError as exc:
                return exc.message, exc.place or path
    return None


_BULK = 20_000  # segments checked at once: their text joined and encoded is a copy of theirs only


def _storable_problem_in(doc: ReviewDocument, start: int) -> bool:
    """Whether something among segments ``start`` to ``start + _BULK`` (and, for the first
    batch, the header) may not store: checked in bulk, at C speed."""
    strings: list[str] = []
    containers: list[Any] = []
    if start == 0:
        strings += [v for v in vars(doc).values() if isinstance(v, str)]
        containers += [doc.meta, doc.imported_from]
    for seg in doc.segments[start:start + _BULK]:
        strings += (seg.id, seg.target, seg.source or "", seg.post_edit or "", seg.note)
        strings += (seg.space_after, seg.source_space_after, *seg.dismissed)
        if seg.meta:
            containers.append(seg.meta)
        if seg.layers:
            containers.append({k: v.to_dict() for k, v in seg.layers.items()})
        if seg.annotations or seg.flags:
            containers.append([a.to_dict() for a in seg.annotations])
            containers.append([f.to_dict() for f in seg.flags])
    try:
        "\x00".join(strings).encode("utf-8")
        bulk = json.dumps(containers, ensure_ascii=False).encode("utf-8")
        return _max_depth(bulk) > MAX_NESTING + 2  # the wrapping list and annotation/flag lists
    except (UnicodeEncodeError, RecursionError):
        return True


# Of a JSON text's bytes, only its brackets (as square ones) and quotes are kept.
_MARKS = bytes.maketrans(b"{}", b"[]")
_NOT_MARK = bytes(c for c in range(256) if c not in b'[]{}"')
_MARKED_STRING = re.compile(rb'"[^"]*"')


def _max_depth(json_bytes: bytes, limit: int = MAX_NESTING + 8) -> int:
    """Deepest nesting of a JSON text's UTF-8 bytes (brackets in strings do not count), or
    ``limit`` when it is at least that deep.

    All in passes at C speed, none a regex over the whole text: escaped backslashes and quotes
    go first (left to right, as escapes are read: no quote is left inside a string), then all
    but brackets and quotes; strings are then quote pairs around what brackets they held.
    Each ``replace(b"[]", b"")`` removes every innermost pair, one level: the passes number
    the depth (a handful in real files)."""
    marks = json_bytes.replace(b"\\\\", b"").replace(b'\\"', b"").translate(_MARKS, _NOT_MARK)
    # Adjacent quotes close one string and open the next, or enclose an empty one: either way
    # nothing outside a string lies between them, and the quotes left still alternate.
    marks = marks.replace(b'""', b"")
    if b'"' in marks:
        marks = _MARKED_STRING.sub(b"", marks)
    depth = 0
    while marks and depth < limit:
        marks = marks.replace(b"[]", b"")
        depth += 1
    return depth


def find_lone_surrogate(value: Any, where: str) -> str | None:
    """JSON path of the first string (or key) holding a lone surrogate, which UTF-8 cannot store.

    json reads ``"\\ud800"`` escapes into such strings; saving them later would fail.
    """
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return path
        elif isinstance(item, dict):
            for k, v in item.items():
                stack.append((k, f"{path} (key)"))
                stack.append((v, f"{path}.{k}"))
        elif isinstance(item, list):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(item))
    return None

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
) -> Any:  # one of ``choices``: the caller's Literal type
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
    if value:
        check_nesting(value, f"{where}.{key}")
    return value


# --- the segment's JSON form, generated from its field declarations -----------------------------
# Reading and writing 100,000 segments is on the path of every open and save: the functions are
# generated once as straight-line code (as ``dataclasses`` does), not interpreted field by field.

# kind -> (fast-path test of the value ``{v}``, its conversion or "" (none), value -> JSON,
#          the empty value's JSON when written as a literal or "" (always laid out))
_KINDS_OF_FIELD: dict[str, tuple[str, str, str, str]] = {
    "str": ("type({v}) is str", "", "{v}", ""),
    "opt_str": ("({v} is None or type({v}) is str)", "", "{v}", ""),
    "count": ("type({v}) is int and {v} >= 0", "", "{v}", ""),
    "choice": ("type({v}) is str and {v} in _CHOICES[{name!r}]", "_intern({v})", "{v}", ""),
    "esa": ("({v} is None or (type({v}) is int and 0 <= {v} <= 100))", "", "{v}", ""),
    "flags": ("type({v}) is list", "[Flag.from_dict(x, where) for x in {v}]", "[x.to_dict() for x in {v}]", "[]"),
    "annotations": (
        "type({v}) is list", "[Annotation.from_dict(x, where) for x in {v}]", "[x.to_dict() for x in {v}]", "[]"
    ),
    # Inline codes and meta are rare: the fast path takes only the empty ones.
    "codes": ("type({v}) is list and not {v}", "", "[x.to_dict() for x in {v}]", "[]"),
    "strs": ("type({v}) is list and all(type(k) is str for k in {v})", "", "list({v})", ""),
    "layers": ("type({v}) is dict", "_layers({v}, where)", "{{k: x.to_dict() for k, x in {v}.items()}}", "{{}}"),
    "conflicts": ("type({v}) is list", "_conflicts({v}, where)", "list({v})", ""),
    "meta": ("type({v}) is dict and not {v}", "", "{v}", ""),
}


def _segment_fields() -> list[tuple[str, str, bool, tuple[str, ...], bool, Any]]:
    """(name, kind, required, choices, omit_empty, default) of each field, in file order."""
    from dataclasses import MISSING, fields

    out = []
    for f in fields(Segment):
        position, kind, required, choices, omit_empty = f.metadata["json"]
        default: Any
        if f.name in _CONTAINERS:  # held lazily (None): a file that leaves it out means empty
            default = [] if _CONTAINERS[f.name] is _EmptyList else {}
        elif f.default is not MISSING:
            default = f.default
        else:
            default = f.default_factory() if f.default_factory is not MISSING else None
        out.append((position, (f.name, kind, required, choices, omit_empty, default)))
    return [spec for _, spec in sorted(out)]


SEGMENT_FIELDS = _segment_fields()
_CHOICES = {name: frozenset(choices) for name, _, _, choices, _, _ in SEGMENT_FIELDS if choices}


def _generate_segment_json() -> str:
    to_dict: list[str] = []
    item: list[str] = []
    raws: list[str] = []
    gets: list[str] = []
    tests: list[str] = []
    converted: list[str] = []
    args: list[str] = []
    for name, kind, required, _, omit_empty, default in SEGMENT_FIELDS:
        test, convert, dump, _ = _KINDS_OF_FIELD[kind]
        value = f"self.{name}"
        if name in _CONTAINERS:  # the slot itself: reading the attribute makes an empty one
            value = f"(_raw_{name}(self) or {'{}' if _CONTAINERS[name] is _EmptyDict else '[]'})"
        as_json = dump.format(v=value)
        key = f"{',' if item else ''}\n   {_encode_str(name)}: "
        if name in _CONTAINERS:  # laid out only when not empty
            raws.append(f"c_{name} = _raw_{name}(self)")
            literal = "{}" if _CONTAINERS[name] is _EmptyDict else "[]"
            laid = f"(_layout({dump.format(v=f'c_{name}')}, 3) if c_{name} else {literal!r})"
        else:
            laid = f"_layout({as_json}, 3)"
        if omit_empty:
            to_dict.append(f"**({{{name!r}: {as_json}}} if {value} else {{}}),")
            item.append(f"({key!r} + {laid} if c_{name} else ''),")
            tests.append(f"{name!r} not in d")  # rare: the checked path reads it
            continue
        to_dict.append(f"{name!r}: {as_json},")
        item.append(f"{key!r}, {laid},")
        gets.append(f"v_{name} = get({name!r})" if required else f"v_{name} = get({name!r}, {default!r})")
        tests.append(test.format(v=f"v_{name}", name=name))
        if convert and kind == "choice":
            args.append(f"{name}={convert.format(v=f'v_{name}')}")
            continue
        if convert:
            converted.append(f"v_{name} = {convert.format(v=f'v_{name}')} if v_{name} else v_{name}")
        args.append(f"{name}=v_{name} or None" if name in _CONTAINERS else f"{name}=v_{name}")
    nl = "\n"
    return f"""
def _segment_to_dict(self):
    return {{
        {(nl + "        ").join(to_dict)}
    }}


def _segment_json_item(self):
    {(nl + "    ").join(raws)}
    return "".join((
        "\\n  {{",
        {(nl + "        ").join(item)}
        "\\n  }}",
    ))


def _segment_fast(d):
    get = d.get
    {(nl + "    ").join(gets)}
    if not (
        {(nl + "        and ").join(tests)}
    ):
        return None
    if {" or ".join(line.split(" = ")[0] for line in converted)}:
        where = f"$.segments[id={{v_id}}]"
        try:
            {(nl + "            ").join(converted)}
        except InputError:
            return None  # the checked path reports it with the exact JSON path
    segment = Segment({", ".join(args)})
    if (segment.flags or segment.annotations) and _bad_span(segment) is not None:
        return None  # the checked path reports it with the exact JSON path
    return segment
"""


_generated: dict[str, Any] = {}
exec(_generate_segment_json(), {**globals(), **{f"_raw_{name}": _RAW[name] for name in _CONTAINERS}}, _generated)
_segment_to_dict: Callable[[Segment], dict[str, Any]] = _generated["_segment_to_dict"]
_segment_json_item: Callable[[Segment], str] = _generated["_segment_json_item"]
# The segment in a dict when every field is plainly valid (what relecture writes), else None:
# through the per-field helpers, 100,000 segments cost ~0.6 s more; every error (and its JSON
# path) is left to ``_segment_checked``. Small repeated values (kind, status) are interned.
_segment_fast: Callable[[dict[str, Any]], Segment | None] = _generated["_segment_fast"]


def _read_field(d: dict[str, Any], name: str, kind: str, required: bool, choices: tuple[str, ...],
                default: Any, where: str) -> Any:
    """One field of a segment read with every check, for the exact error and its JSON path."""
    fallback = _MISSING if required else default
    if kind == "str":
        return _str(d, name, where, fallback)
    if kind == "opt_str":
        return _opt_str(d, name, where)
    if kind == "count":
        return _int(d, name, where, fallback)
    if kind == "choice":
        return _intern(_choice(d, name, choices, where, fallback))
    if kind == "esa":
        esa = d.get(name)
        if esa is not None and (not isinstance(esa, int) or isinstance(esa, bool) or not 0 <= esa <= 100):
            raise InputError(None, "must be an integer from 0 to 100 or null", f"{where}.{name}")
        return esa
    if kind == "strs":
        return [_item_str(k, f"{where}.{name}[{i}]") for i, k in enumerate(_list(d, name, where))]
    if kind == "layers":
        return _layers(d.get(name, {}), f"{where}.{name}")
    if kind == "conflicts":
        return _conflicts(d.get(name, []), f"{where}.{name}")
    if kind == "meta":
        return _dict(d, name, where)
    parse = {"flags": Flag.from_dict, "annotations": Annotation.from_dict, "codes": Code.from_dict}[kind]
    return [parse(x, f"{where}.{name}[{i}]") for i, x in enumerate(_list(d, name, where))]


def _segment_checked(data: Any, where: str) -> Segment:
    d = _mapping(data, where)
    values: dict[str, Any] = {
        name: _read_field(d, name, kind, required, choices, default, where)
        for name, kind, required, choices, _, default in SEGMENT_FIELDS
    }
    segment = Segment(**{name: _NONE_YET if name in _CONTAINERS and not v else v for name, v in values.items()})
    place = _bad_span(segment)
    if place is not None:
        kind, i, item = place
        length = len(segment.text(item.side) or "")
        raise InputError(
            None, f"span {item.start}..{item.end} does not fit the {item.side} ({length} characters)",
            f"{where}.{kind}[{i}].end",
        )
    return segment

