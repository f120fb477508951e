"""What every check family shares: the check description, the per-segment view, and findings.

A family module exposes ``INFOS`` (its checks' metadata) and ``build(ctx) -> Family``. The engine
(``relecture.checks``) calls ``Family.segment(view)`` once per segment and ``Family.document(...)``
once per document, and turns the findings into ``relecture.model.Flag`` objects.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from relecture.checks.matcher import (  # re-exported: the families' one import of shared pieces
    _KEY_OF,
    KEY_LENGTH,
    LOOSE,
    WORD_START,
    LiteralGate,
    Matcher,
    SharedScan,
    _case_trap,
    bounded,
    required_literals,
    unspaced,
    word_key,
)
from relecture.typology import its_type as _its_type

__all__ = [
    "KEY_LENGTH",
    "LOOSE",
    "WORD_RE",
    "WORD_START",
    "CheckInfo",
    "Context",
    "DocumentFn",
    "Family",
    "Finding",
    "LiteralGate",
    "Matcher",
    "SegmentFn",
    "SegmentView",
    "SharedScan",
    "bounded",
    "literal_pattern",
    "relax_apostrophes",
    "required_literals",
    "unspaced",
    "word_key",
]

# (check id, side, start, end, message, suggestion) - tuples, because a large corpus produces
# many and they cross process boundaries.
Finding = tuple[str, str, int, int, str, str | None]


@dataclass(frozen=True)
class CheckInfo:
    """A check's identity and the words a reviewer sees about it."""

    id: str
    family: str
    category: str
    severity: str
    description: str
    explanation: str
    needs_source: bool = False
    fix: str | None = None
    custom: bool = False
    its_type: str = field(default="")
    # Off unless enabled by name (config ``enable``, ``--only ID``): a state, not an error.
    default_on: bool = True
    # Reads the segments around the one checked (``SegmentView.prev_target``): its findings are
    # not cached by the segment's own texts. The engine fails a family that reads them undeclared.
    reads_neighbours: bool = False

    def __post_init__(self) -> None:
        if not self.its_type:
            object.__setattr__(self, "its_type", _its_type(self.category))

    @property
    def suggestion(self) -> str:
        """The generic fix (``fix``), under the name the UI uses for flags."""
        return self.fix or ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "family": self.family,
            "category": self.category,
            "its_type": self.its_type,
            "severity": self.severity,
            "description": self.description,
            "explanation": self.explanation,
            "needs_source": self.needs_source,
            "fix": self.fix,
        }


WORD_RE = re.compile(r"\w+")


class SegmentView:
    """One segment as the checks see it, with lazily computed shared pieces (word lists)."""

    __slots__ = (
        "_distinct",
        "_hits",
        "_hits_of",
        "_keys",
        "_lower",
        "_prev_source",
        "_prev_target",
        "_source_keys",
        "_source_lower",
        "_source_words",
        "_words",
        "codes",
        "flags",
        "id",
        "index",
        "neighbours_read",
        "para_end",
        "para_start",
        "plural",
        "source",
        "target",
    )

    def __init__(
        self,
        index: int,
        seg_id: str,
        target: str,
        source: str | None,
        para_start: bool = True,
        para_end: bool = True,
        prev_target: str | None = None,
        prev_source: str | None = None,
        flags: tuple[str, ...] = (),
    ) -> None:
        self.index = index
        self.id = seg_id
        self.target = target
        self.source = source
        self.para_start = para_start
        self.para_end = para_end
        self._prev_target = prev_target
        self._prev_source = prev_source
        self.neighbours_read = False  # set when a check reads the previous segment (see the engine)
        # The file's own flags for this string (PO ``#, c-format``): part of the cache key.
        self.flags = flags
        self._words: list[str] | None = None
        self._distinct: frozenset[str] | None = None
        self._source_words: list[str] | None = None
        self._lower: str | None = None
        self._source_lower: str | None = None
        self._keys: frozenset[str] | None = None
        self._source_keys: frozenset[str] | None = None
        self._hits: dict[int, list[int]] | None = None
        self._hits_of: Callable[[str], dict[int, list[int]]] | None = None
        self.codes: list[Any] = []  # the segment's inline codes (model.Code), shared by both sides
        self.plural: tuple[int, int, int] | None = None  # (form index, nplurals, forms in the entry)

    @property
    def prev_target(self) -> str | None:
        """The previous segment's translation (None for the first segment)."""
        self.neighbours_read = True
        return self._prev_target

    @property
    def prev_source(self) -> str | None:
        self.neighbours_read = True
        return self._prev_source

    @property
    def keys(self) -> frozenset[str]:
        """Index keys of the target's words (see ``Matcher``), computed once for all checks."""
        if self._keys is None:
            keys = frozenset(map(_KEY_OF, self.words))
            self._keys = keys | {LOOSE} if _case_trap(self.lower) else keys
        return self._keys

    @property
    def source_keys(self) -> frozenset[str]:
        if self._source_keys is None:
            keys = frozenset(map(_KEY_OF, self.source_words))
            self._source_keys = keys | {LOOSE} if _case_trap(self.source_lower) else keys
        return self._source_keys

    def hits(self, scan: SharedScan) -> dict[int, list[int]]:
        """``scan``'s hits in the lower-cased target: one pass for every family (see SharedScan)."""
        scanner = scan.scanner()
        if self._hits is None or self._hits_of is not scanner:
            self._hits = scanner(self.lower)
            self._hits_of = scanner
        return self._hits

    def release(self) -> None:
        """Drop the cached word lists, keys and scan hits (recomputed if asked again)."""
        self._words = self._source_words = None
        self._distinct = None
        self._lower = self._source_lower = None
        self._keys = self._source_keys = None
        self._hits = self._hits_of = None

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = self.target.lower()
        return self._lower

    @property
    def source_lower(self) -> str:
        if self._source_lower is None:
            self._source_lower = (self.source or "").lower()
        return self._source_lower

    @property
    def words(self) -> list[str]:
        """Lower-cased words of the target (``\\w+`` runs), computed once for all checks."""
        if self._words is None:
            self._words = WORD_RE.findall(self.lower)
        return self._words

    @property
    def distinct(self) -> frozenset[str]:
        """The set of ``words``, built once: several families intersect it with word sets."""
        if self._distinct is None:
            self._distinct = frozenset(self.words)
        return self._distinct

    @property
    def source_words(self) -> list[str]:
        if self._source_words is None:
            self._source_words = WORD_RE.findall(self.source_lower)
        return self._source_words


SegmentFn = Callable[[SegmentView], Iterable[Finding]]
DocumentFn = Callable[[list[SegmentView]], dict[int, list[Finding]]]


@dataclass
class Family:
    """The compiled checks of one family for one run (only the enabled ones)."""

    segment_fns: list[SegmentFn] = field(default_factory=list)
    document_fns: list[DocumentFn] = field(default_factory=list)
    # Called in the parent before the segment checks fork into workers, with the number of
    # texts each worker will check: what every worker would load for itself (language
    # profiles, a whole word list) is loaded once, and the workers share its pages.
    prepare_fns: list[Callable[[int], None]] = field(default_factory=list)


def literal_pattern(text: str) -> str:
    """A regex for a phrase typed by a user: spaces, apostrophes and quotes are relaxed."""
    out: list[str] = []
    for ch in text.strip():
        if ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif ch in "'’ʼ":
            out.append("['’ʼ]")
        elif ch in "\"«»“”":
            out.append(r"[\"«»“”]\s*")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def relax_apostrophes(pattern: str) -> str:
    """Data files write ASCII apostrophes; texts use ' or ’ (or ʼ) interchangeably."""
    return pattern.replace("'", "['’ʼ]")


@dataclass
class Context:
    """Everything a family needs to compile its checks for one run."""

    enabled: frozenset[str]
    target_lang: str | None = None
    source_lang: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    extra_dirs: tuple[Any, ...] = ()
    inline_data: dict[str, Any] = field(default_factory=dict)
    glossary: Any = None
    custom_rules: list[Any] = field(default_factory=list)
    # The personal word list (``[checks] words``, ``words_file``): never misspelt.
    words: frozenset[str] = frozenset()
    # The format the document was imported from (``po``, ``xliff``, ``text``...), if known.
    file_format: str | None = None
    # Per segment (by index), the translation it belongs to when one file holds several: the MT
    # system of WMT/MQM data. Document-wide checks compare segments within one scope only.
    scopes: list[str] = field(default_factory=list)
    # Indices of the segments that are forms of a plural entry (gettext msgid_plural).
    plurals: frozenset[int] = frozenset()
    config_path: Any = None  # the configuration file (its [checks.data] tables), for messages
    # One Aho-Corasick pass over each target for the literals of every family that registers
    # them (``Matcher(..., shared=ctx.scan)``; read with ``view.hits(ctx.scan)``).
    scan: SharedScan = field(default_factory=SharedScan)
    _data: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def on(self, *check_ids: str) -> bool:
        return any(c in self.enabled for c in check_ids)

    def data(self, lang: str | None) -> dict[str, Any]:
        """Merged language data (built-in, user folders, inline config) for ``lang``."""
        from relecture.checks.langdata import load_language

        if not lang:
            return {}
        if lang not in self._data:
            inline = self.inline_data.get(lang)
            self._data[lang] = load_language(
                lang, self.extra_dirs, inline if isinstance(inline, dict) else None
            )
        return self._data[lang]

    def data_keys(self, lang: str | None, *keys: str) -> dict[str, Any]:
        """Only ``keys`` of ``data(lang)``, without loading the rest of a language not loaded."""
        if not lang:
            return {}
        if lang in self._data:
            return {k: v for k, v in self._data[lang].items() if k in keys}
        from relecture.checks.langdata import load_language_keys

        inline = self.inline_data.get(lang)
        return load_language_keys(lang, keys, self.extra_dirs, inline if isinstance(inline, dict) else None)

    def data_where(self, langs: str | Iterable[str] | None, key: str) -> str:
        """The files that give ``key`` patterns in the data of ``langs``, for a warning."""
        from relecture.checks.langdata import sources

        return sources([langs] if isinstance(langs, str) or langs is None else langs, key,
                       self.extra_dirs, self.inline_data, self.config_path)

    def all_languages(self) -> list[str]:
        from relecture.checks.langdata import available_languages

        langs = set(available_languages(self.extra_dirs)) | set(self.inline_data)
        return sorted(langs)
