"""What every check family shares: the check description, the per-segment view, and findings.

A family module exposes ``INFOS`` (its checks' metadata) and ``build(ctx) -> Family``. The engine
(``relecture.checks``) calls ``Family.segment(view)`` once per segment and ``Family.document(...)``
once per document, and turns the findings into ``relecture.model.Flag`` objects.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from relecture.checks.patterns import BadPattern, Pattern
from relecture.errors import InputError
from relecture.typology import its_type as _its_type

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
# Words are indexed by their first KEY_LENGTH characters (see Matcher).
KEY_LENGTH = 4
_KEY_OF = operator.itemgetter(slice(0, KEY_LENGTH))  # word -> its key, at C speed

# Case-insensitive regexes equate a few letters that str.lower keeps apart (dotless ı and İ with
# i, long ſ with s, some Greek and Cyrillic variants). A text holding one cannot be filtered by
# a substring test of its lower-cased form: its keys carry LOOSE and only the key is trusted.
LOOSE = "\x00"
_TEXT_TRAPS = ("ı", "ſ", "\u0307")  # \u0307: the dot "İ".lower() leaves after the i


def _case_trap(lower: str) -> bool:
    if lower.isascii():
        return False
    return "ı" in lower or "ſ" in lower or "\u0307" in lower


def _verifiable(literal: str) -> bool:
    """Whether ``literal in text.lower()`` is implied by a case-insensitive match of it."""
    from re._casefix import _EXTRA_CASES  # letters re equates beyond simple lower-casing

    return not any(ord(ch) > 127 and (ord(ch) in _EXTRA_CASES or ch == "\u0307") for ch in literal)


class SegmentView:
    """One segment as the checks see it, with lazily computed shared pieces (word lists)."""

    __slots__ = (
        "_keys",
        "_lower",
        "_source_keys",
        "_source_lower",
        "_source_words",
        "_words",
        "codes",
        "flags",
        "id",
        "index",
        "para_end",
        "para_start",
        "plural",
        "prev_source",
        "prev_target",
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
        self.prev_target = prev_target
        self.prev_source = prev_source
        # The file's own flags for this string (PO ``#, c-format``): part of the cache key.
        self.flags = flags
        self._words: list[str] | None = None
        self._source_words: list[str] | None = None
        self._lower: str | None = None
        self._source_lower: str | None = None
        self._keys: frozenset[str] | None = None
        self._source_keys: frozenset[str] | None = None
        self.codes: list[Any] = []  # the segment's inline codes (model.Code), shared by both sides
        self.plural: tuple[int, int, int] | None = None  # (form index, nplurals, forms in the entry)

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

    def release(self) -> None:
        """Drop the cached word lists and keys (recomputed if asked again)."""
        self._words = self._source_words = None
        self._lower = self._source_lower = None
        self._keys = self._source_keys = None

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


# Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Burmese) and Hangul,
# whose particles stick to the word: a term in them has no word boundary to wait for.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def unspaced(ch: str) -> bool:
    """Whether ``ch`` belongs to a script that does not separate words by spaces."""
    return bool(ch) and _UNSPACED.match(ch) is not None


# Regex syntax around a pattern's first or last letter: "(?:上|下)周" starts with 上.
_LEADING_SYNTAX = re.compile(r"^(?:\(\?(?:<?[=!]|:)?|\(|\\s\*|\\s\+)*")
_TRAILING_SYNTAX = re.compile(r"(?:\)|[?*+]|\{\d*,?\d*\}|\[[^\]]*\]|\\[sSwWdD]|\(\?<?[!=][^)]*\))*$")


def _edge(pattern: str, end: int) -> str:
    """The first (``end`` 0) or last (-1) character a pattern matches literally, past groups,
    lookarounds and quantifiers ("" when unsure)."""
    core = _TRAILING_SYNTAX.sub("", pattern) if end else _LEADING_SYNTAX.sub("", pattern)
    return core[end] if core else ""


def bounded(pattern: str) -> str:
    """Wrap a word pattern so it only matches whole words (where it starts or ends on a word
    character: a lookbehind before ``\\(`` would only stop the regex engine from scanning for
    the literal first character). An end in a script without spaces (大模型) is not bounded."""
    first, last = _edge(pattern, 0), _edge(pattern, -1)
    # A regex in such a script whose ends are syntax ("(?<![年\\d])\\d{1,2}月") is unbounded too.
    cjk = _UNSPACED.search(pattern) is not None
    head = "" if pattern.startswith(("^", "\\(", "\\[")) or unspaced(first) or (cjk and not first.isalnum()) else r"(?<!\w)"
    tail = "" if pattern.endswith((":", "\\)", "\\]", "\\.", "$")) or unspaced(last) or (cjk and not last.isalnum()) else r"(?!\w)"
    return rf"{head}(?:{pattern}){tail}"


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


# --- fast matching of many patterns ------------------------------------------------------------

try:  # Python 3.11+: the regex parser lives in re._parser
    from re import _constants as _sre_c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]


_TOKEN = re.compile(r"\w+")
WORD_START = "\x01"  # marks a required literal that starts a word of the text


def _is_space(op: Any, av: Any) -> bool:
    if op is _sre_c.LITERAL:
        return chr(av).isspace()
    if op is _sre_c.IN:
        return any(o is _sre_c.CATEGORY and a is _sre_c.CATEGORY_SPACE for o, a in av)
    if op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT):
        body = list(av[2])
        return len(body) == 1 and _is_space(*body[0])
    return False


def _required(items: list[Any], at_word_start: bool = False) -> list[str] | None:
    """Literal strings one of which any match of the parsed sequence must contain (lower case),
    or None when no usable literal is certain. Picks the most selective candidate. A literal
    known to begin a word (after white space, or at a word-bounded pattern start) carries the
    WORD_START mark."""
    candidates: list[list[str]] = []
    run: list[str] = []
    word_start = at_word_start

    def flush() -> None:
        if run:
            candidates.append([(WORD_START if run_start[0] else "") + "".join(run)])
            run.clear()

    run_start = [word_start]
    for op, av in items:
        if op is _sre_c.LITERAL:
            if not run:
                run_start[0] = word_start
            run.append(chr(av).lower())
            word_start = chr(av).isspace()
            continue
        flush()
        if op is _sre_c.SUBPATTERN:
            sub = _required(list(av[-1]), word_start)
            if sub:
                candidates.append(sub)
        elif op is _sre_c.BRANCH:
            alternatives = [_required(list(branch), word_start) for branch in av[1]]
            if all(alternatives):
                candidates.append([s for alt in alternatives for s in alt])  # type: ignore[union-attr]
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) and av[0] >= 1:
            sub = _required(list(av[2]), word_start)
            if sub:
                candidates.append(sub)
        word_start = _is_space(op, av)
    flush()

    def usable(c: list[str]) -> bool:
        # Three letters, two Chinese or Japanese characters (a word there), or punctuation (rare
        # in text, so a selective guard: "(" for "(N.d.T.").
        return all(
            len(s.strip(WORD_START + " ")) >= 3
            or (len(s.strip(WORD_START + " ")) == 2 and unspaced(s[-1:]))
            or any(not ch.isalnum() and not ch.isspace() for ch in s.lstrip(WORD_START))
            for s in c
        )

    good = [c for c in candidates if usable(c)]
    if not good:
        return None
    return max(good, key=lambda c: (min(len(s.lstrip(WORD_START)) for s in c), -len(c)))


def required_literals(pattern: str, flags: int = 0, word_start: bool = True) -> list[str] | None:
    """See ``_required``; ``word_start``: the pattern is bounded, its start is a word start."""
    try:
        return _required(list(_sre_parse.parse(pattern, flags)), word_start)
    except Exception:  # an unusual construct: no shortcut, the regex always runs
        return None


def word_key(word: str) -> str:
    """The index key of a word: its first four characters (the whole word when shorter)."""
    return word[:KEY_LENGTH]


def _literal_key(literal: str) -> str | None:
    """An index key for a required literal: a word of it that must start a word of the text.

    A token qualifies when a non-word character precedes it inside the literal, or when it
    opens a literal marked WORD_START, and it has at least KEY_LENGTH characters (short words
    like "que" are everywhere: a substring test of the literal is better). The longest
    qualifying token is the most selective.
    """
    starts = literal.startswith(WORD_START)
    body = literal.lstrip(WORD_START)
    best: str | None = None
    for m in _TOKEN.finditer(body):
        token = m.group()
        if not (m.start() > 0 or starts) or len(token) < KEY_LENGTH:
            continue
        if best is None or len(token) > len(best):
            best = token
    return word_key(best) if best else None


# From this many literals on, one Aho-Corasick pass over the text finds those it holds (the
# source idioms of a language: 28 substring tests a segment otherwise).
SCAN_MIN = 8


def _scanner(pairs: list[tuple[str, int]]) -> Callable[[str], list[int]]:
    """``lambda lower: [index for literal, index in pairs if literal in lower]``, with the same
    indices (repeats aside) in one pass of pyahocorasick when there are many literals."""
    if len(pairs) < SCAN_MIN:
        return lambda lower: [index for literal, index in pairs if literal in lower]
    import ahocorasick

    automaton = ahocorasick.Automaton()
    by_literal: dict[str, list[int]] = {}
    everywhere: list[int] = []  # "" is in every text
    for literal, index in pairs:
        if literal:
            by_literal.setdefault(literal, []).append(index)
        else:
            everywhere.append(index)
    for literal, indices in by_literal.items():
        automaton.add_word(literal, tuple(indices))
    automaton.make_automaton()
    seen_ends = automaton.iter

    def scan(lower: str) -> list[int]:
        out = list(everywhere)
        for _, indices in seen_ends(lower):
            out += indices
        return out

    return scan


class _LazyPattern:
    """A pattern compiled at its first use: compiling hundreds of language-data patterns costs
    more than checking a small file, and most never meet their literals in a given document.
    (``Matcher`` compiles at once what could fail: a pattern its parse rejects or with a
    look-behind.) Compiled, it is a ``checks.patterns.Pattern``: searched within a time budget."""

    __slots__ = ("_compiled", "flags", "pattern", "shown", "where")

    def __init__(self, pattern: str, flags: int, where: str | Callable[[], str], shown: str) -> None:
        self.pattern, self.flags, self.where, self.shown = pattern, flags, where, shown
        self._compiled: Pattern | None = None

    def compiled(self) -> Pattern:
        if self._compiled is None:
            try:
                self._compiled = Pattern(self.pattern, self.flags, self.where, self.shown)
            except BadPattern as exc:
                named = self.where() if callable(self.where) else self.where
                raise InputError(None, f"{named or 'language data'}: bad pattern “{self.shown}”: {exc}") from None
        return self._compiled

    def finditer(self, text: str) -> list[Any]:
        return (self._compiled or self.compiled()).finditer(text)


class Matcher:
    """Many word patterns (each with an optional payload), searched fast.

    A single alternation of dozens of patterns makes Python's regex engine try every branch at
    every position. Instead each pattern is indexed by literals one of which any match must
    contain (derived from the parsed pattern): a literal with a word of KEY_LENGTH letters is
    found through the segment's word keys (one set intersection per segment, see
    ``SegmentView.keys``), then confirmed by a substring test on the lower-cased text; other
    literals by the substring test alone; a pattern without literals always runs.
    Overlapping matches keep the earliest, longest.
    """

    def __init__(
        self,
        patterns: Iterable[str] | Iterable[tuple[str, Any]],
        flags: int = re.IGNORECASE,
        whole_words: bool = True,
        where: Callable[[str], str] | None = None,
    ) -> None:
        """``where(pattern)`` names the file and key a pattern comes from (for its warning, if it
        ever goes over the time budget; see ``checks.patterns``)."""
        # key -> (pattern index, the required literal the key was taken from)
        self.by_key: dict[str, list[tuple[int, str]]] = {}
        self.by_substring: list[tuple[tuple[str, ...], int]] = []
        self.always: list[int] = []
        self.regexes: list[tuple[_LazyPattern, Any]] = []
        seen: set[str] = set()
        for item in patterns:
            pattern, payload = (item, None) if isinstance(item, str) else item
            if not pattern or pattern in seen:
                continue
            seen.add(pattern)
            index = len(self.regexes)
            named = functools.partial(where, pattern) if where is not None else ""
            # Compiled when a text first holds its literals (most never match a given document).
            self.regexes.append((_LazyPattern(bounded(pattern) if whole_words else pattern, flags, named, pattern), payload))
            # A pattern starting in a script without spaces starts inside a "word" of the text.
            literals = required_literals(pattern, flags, whole_words and not unspaced(_edge(pattern, 0)))
            if literals is None or "(?<" in pattern:
                self.regexes[index][0].compiled()  # a bad pattern fails here, at build time
            if literals is None:
                self.always.append(index)
                continue
            # Any one of the literals is enough for a match: each is looked up by its key when
            # it has one, else by a substring test.
            plain: list[str] = []
            for lit in dict.fromkeys(literals):
                key = _literal_key(lit)
                body = lit.lstrip(WORD_START)
                if key:
                    # The literal confirms a key hit; "" (in every text) when it cannot.
                    check = body if _verifiable(body) else ""
                    self.by_key.setdefault(key, []).append((index, check))
                elif body not in plain:
                    plain.append(body)
            if plain:
                self.by_substring.append((tuple(plain), index))
        self.key_set = frozenset(self.by_key)
        self.substring_pairs = [(lit, index) for lits, index in self.by_substring for lit in lits]
        keyed = [(key, index, lit) for key, pairs in self.by_key.items() for index, lit in pairs]
        self.all_pairs = self.substring_pairs + [(lit, index) for _, index, lit in keyed]
        self.loose_pairs = self.substring_pairs + [(key, index) for key, index, _ in keyed]
        self._all_scan = _scanner(self.all_pairs)
        self._loose_scan = _scanner(self.loose_pairs)
        self._substring_scan = _scanner(self.substring_pairs)

    def __bool__(self) -> bool:
        return bool(self.regexes)

    def _candidates(self, lower: str, keys: frozenset[str] | None) -> list[int]:
        # Order does not matter: ``find`` sorts the candidates when there are several.
        if keys is None:
            # No word index for this text: test the literals the keys stand for (or the keys,
            # which any text they index holds, when the text has a case trap).
            out = (self._loose_scan if _case_trap(lower) else self._all_scan)(lower)
        else:
            out = self._substring_scan(lower)
            hits = self.key_set.intersection(keys)
            if hits:
                by_key = self.by_key
                if LOOSE in keys:
                    for key in hits:
                        out += [index for index, _ in by_key[key]]
                else:
                    for key in hits:
                        # A word starts with the key; the whole required literal must be there
                        # too (a substring test is much cheaper than running the pattern).
                        out += [index for index, literal in by_key[key] if literal in lower]
        if self.always:
            out += self.always
        return out

    def find(
        self,
        text: str,
        lower: str | None = None,
        keys: frozenset[str] | None = None,
        overlaps: bool = False,
    ) -> list[tuple[Any, Any]]:
        """Matches with their payloads, in text order; overlapping ones are dropped (the
        earliest, longest wins) unless ``overlaps``."""
        if lower is None:
            lower = text.lower()
        candidates = self._candidates(lower, keys)
        if not candidates:
            return []
        found: list[tuple[Any, Any]] = []
        regexes = self.regexes
        for index in sorted(set(candidates)) if len(candidates) > 1 else candidates:
            regex, payload = regexes[index]
            for m in regex.finditer(text):
                if m.end() > m.start():
                    found.append((m, payload))
        if len(found) < 2:
            return found
        found.sort(key=lambda mp: (mp[0].start(), -mp[0].end()))
        if overlaps:
            return found
        kept: list[tuple[Any, Any]] = []
        for mp in found:
            if not kept or mp[0].start() >= kept[-1][0].end():
                kept.append(mp)
        return kept

    def finditer(
        self, text: str, lower: str | None = None, keys: frozenset[str] | None = None
    ) -> list[Any]:
        return [m for m, _ in self.find(text, lower, keys)]

    def search(
        self, text: str, lower: str | None = None, keys: frozenset[str] | None = None
    ) -> Any | None:
        found = self.finditer(text, lower, keys)
        return found[0] if found else None
