"""The regex pre-filter: many word patterns searched fast, without running each one on each text.

Each pattern is indexed by literals one of which any match must contain. They are read from the
parsed pattern with the standard library's private regex parser (``re._parser``) and the case
folding table (``re._casefix``): both are internals that may change in any Python release, so
each is checked when loaded and, when it is gone or no longer behaves as expected, the matcher
falls back to running every pattern (the same matches, only slower).
"""

from __future__ import annotations

import functools
import importlib
import operator
import re
from collections.abc import Callable, Iterable
from typing import Any

from relecture.errors import InputError
from relecture.gated import ScriptPattern
from relecture.patterns import BadPattern, Pattern

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


def _load(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _extra_cases() -> frozenset[int] | None:
    """Code points ``re`` equates with others beyond simple lower-casing (``re._casefix``), or
    None when that private table is gone or has changed shape."""
    table = getattr(_load("re._casefix"), "_EXTRA_CASES", None)
    if not isinstance(table, dict) or ord("ſ") not in table:  # ſ ~ s: in every known version
        return None
    return frozenset(table)


_EXTRA_CASES = _extra_cases()


def _verifiable(literal: str) -> bool:
    """Whether ``literal in text.lower()`` is implied by a case-insensitive match of it (without
    the case table, only an ASCII literal is)."""
    if _EXTRA_CASES is None:
        return literal.isascii()
    return not any(ord(ch) > 127 and (ord(ch) in _EXTRA_CASES or ch == "\u0307") for ch in literal)


# Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Burmese) and Hangul,
# whose particles stick to the word: a term in them has no word boundary to wait for.
_UNSPACED = ScriptPattern.of_class("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef")


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
    head, tail = _bounds(pattern)
    return rf"{head}(?:{pattern}){tail}"


def _bounds(pattern: str) -> tuple[str, str]:
    """What ``bounded`` puts before and after the pattern ("" or a lookaround)."""
    first, last = _edge(pattern, 0), _edge(pattern, -1)
    # A regex in such a script whose ends are syntax ("(?<![年\\d])\\d{1,2}月") is unbounded too.
    cjk = _UNSPACED.search(pattern) is not None
    head = "" if pattern.startswith(("^", "\\(", "\\[")) or unspaced(first) or (cjk and not first.isalnum()) else r"(?<!\w)"
    tail = "" if pattern.endswith((":", "\\)", "\\]", "\\.", "$")) or unspaced(last) or (cjk and not last.isalnum()) else r"(?!\w)"
    return head, tail


def _load_parser() -> tuple[Any, Any]:
    """The private regex parser and its constants (``re._parser``, ``re._constants``), or
    (None, None) when either is gone or lacks what ``_required`` reads."""
    parser, constants = _load("re._parser"), _load("re._constants")
    names = ("LITERAL", "IN", "CATEGORY", "CATEGORY_SPACE", "MAX_REPEAT", "MIN_REPEAT", "SUBPATTERN", "BRANCH")
    if not callable(getattr(parser, "parse", None)) or not all(hasattr(constants, n) for n in names):
        return None, None
    return parser, constants


_sre_parse, _sre_c = _load_parser()


# Flags the parser does not read (only the compiler does): a pattern parses to the same items
# with or without them, so one parse serves a pattern searched case-insensitively and validated
# without the flag. (The parser reads VERBOSE, the ASCII/LOCALE/UNICODE checks and DEBUG.)
_PARSE_BLIND = re.IGNORECASE | re.MULTILINE | re.DOTALL


def _parsed(pattern: str, flags: int) -> tuple[Any, ...] | None:
    """The parsed pattern's items (``re._parser``), or None when the parser rejects it or is
    unusable. A matcher reads each pattern three ways (its literals, their order, whether it
    needs a digit) and a few are validated too: one parse serves them all (the analysis of the
    language data's ~140 patterns was a tenth of a small catalogue's check). The items are only
    read, never changed."""
    return _parse(pattern, int(flags) & ~_PARSE_BLIND)


@functools.lru_cache(maxsize=2048)
def _parse(pattern: str, flags: int) -> tuple[Any, ...] | None:
    if _sre_parse is None:
        return None
    try:
        return tuple(_sre_parse.parse(pattern, flags))
    except Exception:  # a bad pattern, or a construct this parser lacks
        return None


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
    """See ``_required``; ``word_start``: the pattern is bounded, its start is a word start.
    None without a working parser: the pattern then always runs."""
    items = _parsed(pattern, flags)
    if items is None:
        return None
    try:
        return _required(list(items), word_start)
    except Exception:  # an unusual construct: no shortcut, the regex always runs
        return None


def _in_sequence(items: list[Any]) -> list[tuple[str, ...]]:
    """Groups of literals (lower case) every match of the parsed sequence holds in this order,
    without overlaps, one literal of each group: its literal runs, those of its groups and of
    its repeats of at least one, and for a branch one group of each alternative (all of them
    needed). Anything else (classes, optional parts, lookarounds) only ends a run."""
    out: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, av in items:
        if op is _sre_c.LITERAL:
            run.append(chr(av).lower())
            continue
        if run:
            out.append(("".join(run),))
            run.clear()
        if op is _sre_c.SUBPATTERN:
            out += _in_sequence(list(av[-1]))
        elif op is _sre_c.BRANCH:
            alternatives = [_in_sequence(list(branch)) for branch in av[1]]
            if all(alternatives):
                # Each alternative's most selective group: one of them is inside the branch's text.
                out.append(tuple(
                    lit for groups in alternatives for lit in max(groups, key=lambda g: min(map(len, g)))
                ))
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) and av[0] >= 1:
            out += _in_sequence(list(av[2]))  # inside the first repetition
    if run:
        out.append(("".join(run),))
    return out


def literal_sequence(pattern: str, flags: int = 0) -> tuple[tuple[str, ...], ...]:
    """See ``_in_sequence``: only groups whose literals ``str.lower`` keeps as a case-insensitive
    match has them (``_verifiable``); () when unsure (no parser, an unusual construct)."""
    items = _parsed(pattern, flags)
    if items is None:
        return ()
    try:
        groups = _in_sequence(list(items))
    except Exception:  # an unusual construct: no filter
        return ()
    return tuple(g for g in groups if all(lit and _verifiable(lit) for lit in g))


def _zero_space_repeat(items: list[Any]) -> bool:
    """Whether the parsed sequence has an optional run of white space (``\\s*``) anywhere: after
    one, a literal marked WORD_START may follow a letter of the text."""
    for op, av in items:
        if op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT):
            if av[0] == 0 and _is_space(op, av):
                return True
            if _zero_space_repeat(list(av[2])):
                return True
        elif (op is _sre_c.SUBPATTERN and _zero_space_repeat(list(av[-1]))) or (
            op is _sre_c.BRANCH and any(_zero_space_repeat(list(b)) for b in av[1])
        ):
            return True
    return False


# Text characters whose case-insensitive match in the regex engine is not their lower case
# (found by matching each character below U+0250 against every other): with these, or any
# character from U+0250 on, a literal's place in the lower-cased text is not certain.
_FOLD_TRAPS = frozenset("ıİſµßƛ")
_FOLD_SAFE_END = "\u0250"


def _fold_unsafe() -> Callable[[str], Any]:
    """``search`` for a text character that could hide a literal of the lower-cased text: a trap,
    or one from _FOLD_SAFE_END on outside General Punctuation (U+2000-U+206F, caseless: each
    lower-cases to itself and the regex engine matches it to itself only; French texts hold its
    narrow no-break space, which would otherwise leave every one of them to the regex)."""
    safe: list[tuple[int, int]] = []
    low = 0
    for trap in [*sorted(map(ord, _FOLD_TRAPS)), ord(_FOLD_SAFE_END)]:
        if low < trap:
            safe.append((low, trap - 1))
        low = trap + 1
    safe.append((0x2000, 0x206F))
    return re.compile("[^" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in safe) + "]").search


_FOLD_UNSAFE = _fold_unsafe()


def after_space_literals(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """The required literals of ``pattern`` when every one of them follows white space of the
    pattern in every match (one of ``\\s``, a space, ``\\s+``: never ``\\s*``), else None. A
    text holding them only inside words ("mai" in "désormais") cannot match."""
    items = _parsed(pattern, flags)
    if items is None:
        return None
    try:
        if _zero_space_repeat(list(items)):
            return None
        literals = _required(list(items), False)  # False: the pattern's start is no white space
    except Exception:  # an unusual construct: no shortcut
        return None
    if not literals or not all(lit.startswith(WORD_START) and len(lit) > 1 for lit in literals):
        return None
    bodies = tuple(dict.fromkeys(lit[1:] for lit in literals))
    if any(max(body) >= _FOLD_SAFE_END or not _FOLD_TRAPS.isdisjoint(body) for body in bodies):
        return None
    return bodies


def after_space(text: str, lower: str, literals: tuple[str, ...]) -> bool:
    """Whether one of ``literals`` occurs in ``lower`` right after a white-space character of
    ``text`` (True when the text holds characters whose folding could hide an occurrence)."""
    if _FOLD_UNSAFE(text) is not None:
        return True  # not certain: the regex decides
    # Without those, ``lower`` has the text's white space at the text's offsets.
    return _spaced(literals)(lower) is not None


@functools.lru_cache(maxsize=256)
def _spaced(literals: tuple[str, ...]) -> Callable[[str], Any]:
    """A search for one of ``literals`` after white space: one pass, not a ``find`` loop per
    literal (a day and month has 25 of them). ``re``'s ``\\s`` is ``str.isspace``, which holds
    every character ``\\s`` matches in the ``regex`` engine the patterns run on."""
    return re.compile(r"\s(?:" + "|".join(map(re.escape, literals)) + ")").search


# Characters Python's ``re`` reads as ``\\w`` and the ``regex`` engine does not (superscript
# digits, vulgar fractions: found by comparing both on every character below U+0250 and of
# General Punctuation, lower-cased): where a match may end before one, the gate must too.
_RE_ONLY_WORD = "²³¹¼½¾"


def _not_word(av: Any) -> bool:
    """Whether an ASSERT_NOT's argument is that of ``(?!\\w)``."""
    direction, body = av
    body = list(body)
    return (
        direction == 1 and len(body) == 1 and body[0][0] is _sre_c.IN
        and list(body[0][1]) == [(_sre_c.CATEGORY, _sre_c.CATEGORY_WORD)]
    )


def _final(items: list[Any], ended: bool) -> list[str] | None:
    """Literals (lower case) one of which ends every match of the parsed sequence, followed
    only by zero-width items of which one is ``(?!\\w)`` (``ended``: one follows the sequence),
    or None when unsure."""
    while items and items[-1][0] in (_sre_c.ASSERT, _sre_c.ASSERT_NOT, _sre_c.AT):
        op, av = items.pop()
        ended = ended or (op is _sre_c.ASSERT_NOT and _not_word(av))
    if not items:
        return None
    op, av = items[-1]
    if op is _sre_c.LITERAL:
        if not ended:
            return None
        run: list[str] = []
        for o, a in reversed(items):
            if o is not _sre_c.LITERAL:
                break
            run.append(chr(a).lower())
        return ["".join(reversed(run))]
    if op is _sre_c.SUBPATTERN:
        return _final(list(av[-1]), ended)
    if op is _sre_c.BRANCH:
        out: list[str] = []
        for branch in av[1]:
            found = _final(list(branch), ended)
            if not found:
                return None
            out += found
        return out
    return None


def word_end_literals(pattern: str, flags: int = 0, word_end: bool = False) -> tuple[str, ...] | None:
    """Literals (lower case) one of which ends every match of ``pattern``, with no word
    character after it: its last consuming part is a literal or a choice of literals, and
    ``(?!\\w)`` follows (``word_end``: the one ``bounded`` adds). A text holding them only
    inside words ("mai" in "mais") cannot match. None when unsure, or when the lower-cased
    text might not place them (as ``after_space_literals``)."""
    items = _parsed(pattern, flags)
    if items is None:
        return None
    try:
        finals = _final(list(items), word_end)
    except Exception:  # an unusual construct: no shortcut
        return None
    if not finals:
        return None
    bodies = tuple(dict.fromkeys(finals))
    if any(
        not body or max(body) >= _FOLD_SAFE_END or not _FOLD_TRAPS.isdisjoint(body) or not _verifiable(body)
        for body in bodies
    ):
        return None
    return bodies


def word_end(text: str, lower: str, literals: tuple[str, ...]) -> bool:
    """Whether one of ``literals`` occurs in ``lower`` with no word character after it (True
    when the text holds characters whose folding could hide an occurrence)."""
    if _FOLD_UNSAFE(text) is not None:
        return True  # not certain: the regex decides
    return _ended(literals)(lower) is not None


@functools.lru_cache(maxsize=256)
def _ended(literals: tuple[str, ...]) -> Callable[[str], Any]:
    return re.compile("(?:" + "|".join(map(re.escape, literals)) + f")(?![^\\W{_RE_ONLY_WORD}])").search


def in_order(lower: str, groups: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``lower`` holds a literal of each group, each after the previous one's end. The
    earliest-ending occurrence of each is taken: any other leaves less room for the rest."""
    pos = 0
    find = lower.find
    for group in groups:
        end = -1
        for literal in group:
            start = find(literal, pos)
            if start >= 0 and (end < 0 or start + len(literal) < end):
                end = start + len(literal)
        if end < 0:
            return False
        pos = end
    return True


def _needs_digit(items: list[Any]) -> bool:
    """Whether every match of the parsed sequence holds a digit (an ASCII digit literal, ``\\d``
    or a class of ASCII digits only, outside lookarounds)."""
    for op, av in items:
        if op is _sre_c.LITERAL:
            if 48 <= av <= 57:
                return True
        elif op is _sre_c.IN:
            if av and all(
                (o is _sre_c.CATEGORY and a is _sre_c.CATEGORY_DIGIT)
                or (o is _sre_c.LITERAL and 48 <= a <= 57)
                or (o is _sre_c.RANGE and 48 <= a[0] <= a[1] <= 57)
                for o, a in av
            ):
                return True
        elif op is _sre_c.SUBPATTERN:
            if _needs_digit(list(av[-1])):
                return True
        elif op is _sre_c.BRANCH:
            if av[1] and all(_needs_digit(list(branch)) for branch in av[1]):
                return True
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) and av[0] >= 1 and _needs_digit(list(av[2])):
            return True
    return False


def needs_digit(pattern: str, flags: int = 0) -> bool:
    """Whether any match of ``pattern`` must hold a digit (False when unsure: no parser)."""
    items = _parsed(pattern, flags)
    if items is None:
        return False
    try:
        return _needs_digit(list(items))
    except Exception:  # an unusual construct: no shortcut
        return False


_DIGIT: Any = None  # ``\d`` of the regex engine the patterns run on (compiled at first use)


def has_digit(text: str) -> bool:
    """Whether ``text`` holds a character the patterns' ``\\d`` matches."""
    global _DIGIT
    if _DIGIT is None:
        from relecture.patterns import compile_pattern

        _DIGIT = compile_pattern(r"\d")
    return _DIGIT.search(text) is not None


# What the parser must yield for known patterns: another answer means its structures changed
# (a new Python), and a wrong literal would make the filter drop real matches.
_PARSER_PROOF = {
    "chat(?:on|te)s? noirs": [" noirs"],
    "(?:chien|loup)s": [WORD_START + "chien", WORD_START + "loup"],
    "x": None,
}
_DIGIT_PROOF = {r"(?:le )?(?:1er|\d{1,2}) mai": True, "[0-9]+h": True, r"(?:\d+|un) jour": False, r"x(?=\d)": False}


def _parser_works() -> bool:
    return all(required_literals(p, re.IGNORECASE) == want for p, want in _PARSER_PROOF.items()) and all(
        needs_digit(p, re.IGNORECASE) == want for p, want in _DIGIT_PROOF.items()
    )


if _sre_parse is not None and not _parser_works():
    _sre_parse = _sre_c = None
    _parse.cache_clear()  # parsed while the parser was on trial


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


class SharedScan:
    """One Aho-Corasick pass over a text for the literals of several matchers and gates, in
    place of one pass each: the families register their (literal, index) pairs while the checks
    are built (``slot``), and each reads its own slot of ``hits(lower)``: the indices its own
    scan would give (repeats aside; every consumer reads them as a set). The automaton is
    made at the first scan, once every family has registered (again if one registers later)."""

    __slots__ = ("_count", "_pairs", "_scan")

    def __init__(self) -> None:
        self._pairs: list[tuple[str, int, int]] = []  # (literal, slot, index)
        self._count = 0
        self._scan: Callable[[str], dict[int, list[int]]] | None = None

    def slot(self, pairs: Iterable[tuple[str, int]]) -> int:
        """A slot for ``pairs`` (``literal in lower`` puts ``index`` in the slot's hits)."""
        self._scan = None  # made again at the next scan, with these
        slot = self._count
        self._count += 1
        self._pairs += [(literal, slot, index) for literal, index in pairs]
        return slot

    def hits(self, lower: str) -> dict[int, list[int]]:
        """{slot: indices of its literals found in ``lower``}; slots with none are absent."""
        return (self._scan or self._build())(lower)

    def scanner(self) -> Callable[[str], dict[int, list[int]]]:
        """``hits`` as it now is (a new one after a late ``slot``: what a view caches against)."""
        return self._scan or self._build()

    def _build(self) -> Callable[[str], dict[int, list[int]]]:
        everywhere: dict[int, list[int]] = {}  # "" is in every text
        by_literal: dict[str, dict[int, list[int]]] = {}
        for literal, slot, index in self._pairs:
            if literal:
                by_literal.setdefault(literal, {}).setdefault(slot, []).append(index)
            else:
                everywhere.setdefault(slot, []).append(index)
        if not by_literal:
            self._scan = lambda lower: {slot: list(indices) for slot, indices in everywhere.items()}
            return self._scan
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for literal, per_slot in by_literal.items():
            automaton.add_word(literal, tuple((slot, tuple(indices)) for slot, indices in per_slot.items()))
        automaton.make_automaton()
        ends = automaton.iter

        def scan(lower: str) -> dict[int, list[int]]:
            out = {slot: list(indices) for slot, indices in everywhere.items()} if everywhere else {}
            for _, groups in ends(lower):
                for slot, indices in groups:
                    found = out.get(slot)
                    if found is None:
                        out[slot] = list(indices)
                    else:
                        found += indices
            return out

        self._scan = scan
        return scan


class LiteralGate:
    """Whether any of some patterns can match a text at all, without running them: each
    pattern needs one of its required literals in the lower-cased text (as ``Matcher`` reads
    them). For patterns that are ``match``-ed at chosen places (a preamble at line starts, an
    instruction at the start): a text holding none of the literals cannot match anywhere.
    A pattern without a usable literal (or one whose literal a case-insensitive match does
    not imply in ``str.lower``) opens the gate for every text, as does a text with a case trap."""

    __slots__ = ("_any", "_sequences", "always", "slot")

    def __init__(self, patterns: Iterable[str], flags: int = re.IGNORECASE, shared: SharedScan | None = None) -> None:
        """``shared``: its literals are also looked for in that scan (``open_in``)."""
        bodies: list[list[str]] = []  # per pattern
        # Per pattern, the literals its matches hold in this order (``literal_sequence``; ()
        # when fewer than two groups: no test beyond the literal's).
        self._sequences: list[tuple[tuple[str, ...], ...]] = []
        self.always = False
        for pattern in patterns:
            literals = required_literals(pattern, flags, word_start=False)
            found = [lit.lstrip(WORD_START) for lit in literals] if literals else []
            if not found or not all(body and _verifiable(body) for body in found):
                self.always = True
                break
            bodies.append(found)
            sequence = literal_sequence(pattern, flags)
            self._sequences.append(sequence if len(sequence) >= 2 else ())
        distinct = list(dict.fromkeys(body for found in bodies for body in found))
        self._any: Callable[[str], bool] = _any_of(distinct)
        self.slot = (
            shared.slot((body, i) for i, found in enumerate(bodies) for body in dict.fromkeys(found))
            if shared is not None and not self.always
            else -1
        )

    def open(self, lower: str) -> bool:
        """False only when no pattern can match ``lower``'s text (``lower``: ``text.lower()``)."""
        return self.always or _case_trap(lower) or self._any(lower)

    def open_in(self, hits: dict[int, list[int]], lower: str) -> bool:
        """``open(lower)``, from ``hits``: the shared scan's of ``lower`` (the gate's ``shared``),
        which say which patterns' literals the text holds: those are tried on the order of
        their literals too (a preamble's "version" is in many French texts, after "voici la"
        in few). The offsets of ``lower`` are the text's where there is no case trap."""
        if self.slot < 0:  # also when ``always``
            return self.open(lower)
        found = hits.get(self.slot)
        if found is None:
            return _case_trap(lower)
        return _case_trap(lower) or any(in_order(lower, self._sequences[i]) for i in set(found))


def _any_of(literals: list[str]) -> Callable[[str], bool]:
    """``lambda lower: any(literal in lower for literal in literals)``, one Aho-Corasick pass
    when there are many."""
    if len(literals) < SCAN_MIN:
        return lambda lower: any(literal in lower for literal in literals)
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for literal in literals:
        automaton.add_word(literal, None)
    automaton.make_automaton()
    hits = automaton.iter
    return lambda lower: next(hits(lower), None) is not None


def could_fail(pattern: str, flags: int = 0) -> bool:
    """Whether compiling ``pattern`` could fail: Python's own parser rejects it, or it has a
    look-behind (the engines differ on those). Anything else compiles; such a pattern may
    wait for its first use (``regex`` parses in Python: 4 ms a pattern, more than checking a
    small file takes)."""
    if _sre_parse is None or "(?<" in pattern:
        return True
    # None: a bad pattern, or a construct this parser lacks: compile to know.
    return _parsed(pattern, flags) is None


def valid_pattern(pattern: str, where: str, flags: int = 0) -> str:
    """``pattern``, or the one-line error naming ``where`` when it does not compile."""
    if could_fail(pattern, flags):
        try:
            Pattern(pattern, flags)
        except BadPattern as exc:
            raise InputError(None, f"{where}: bad pattern: {exc}") from None
    return pattern


class _LazyPattern:
    """A pattern compiled at its first use: compiling hundreds of language-data patterns costs
    more than checking a small file, and most never meet their literals in a given document.
    (What ``could_fail`` is compiled at once.) Compiled, it is a ``relecture.patterns.Pattern``:
    searched within a time budget."""

    __slots__ = ("_compiled", "flags", "pattern", "shown", "where")

    def __init__(self, pattern: str, flags: int, where: str | Callable[[], str], shown: str) -> None:
        self.pattern, self.flags, self.where, self.shown = pattern, flags, where, shown
        self._compiled: Pattern | None = None

    def compiled(self) -> Pattern:
        if self._compiled is None:
            try:
                self._compiled = Pattern(self.pattern, self.flags, self._named, self.shown)
            except BadPattern as exc:
                named = self.where() if callable(self.where) else self.where
                raise InputError(None, f"{named or 'language data'}: bad pattern “{self.shown}”: {exc}") from None
        return self._compiled

    def _named(self) -> str:
        # Read when the pattern gives up: its latest ``where`` (a cached pattern's user may change).
        return self.where() if callable(self.where) else self.where

    def finditer(self, text: str) -> list[Any]:
        return (self._compiled or self.compiled()).finditer(text)

    def match(self, text: str, pos: int = 0) -> Any:
        return (self._compiled or self.compiled()).match(text, pos)

    def search(self, text: str, pos: int = 0) -> Any:
        return (self._compiled or self.compiled()).search(text, pos)


LazyPattern = _LazyPattern  # the type, for the families that keep one


def lazy_pattern(pattern: str, flags: int, where: str | Callable[[], str], shown: str | None = None) -> _LazyPattern:
    """``pattern`` compiled at its first use, or now when it ``could_fail`` (a bad pattern is
    refused at build time, naming ``where``)."""
    lazy = _LazyPattern(pattern, flags, where, pattern if shown is None else shown)
    if could_fail(pattern, flags):
        lazy.compiled()
    return lazy


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
        shared: SharedScan | None = None,
    ) -> None:
        """``where(pattern)`` names the file and key a pattern comes from (for its warning, if it
        ever goes over the time budget; see ``relecture.patterns``). ``shared``: the literals
        are also looked for in that scan (``find(..., hits=)``)."""
        # key -> (pattern index, the required literal the key was taken from)
        self.by_key: dict[str, list[tuple[int, str]]] = {}
        self.by_substring: list[tuple[tuple[str, ...], int]] = []
        self.always: list[int] = []
        self.regexes: list[tuple[_LazyPattern, Any]] = []
        digits: list[int] = []
        self.sequences: dict[int, tuple[tuple[str, ...], ...]] = {}
        self.after_space: dict[int, tuple[str, ...]] = {}
        self.word_ends: dict[int, tuple[str, ...]] = {}
        seen: set[str] = set()
        for item in patterns:
            pattern, payload = (item, None) if isinstance(item, str) else item
            if not pattern or pattern in seen:
                continue
            seen.add(pattern)
            index = len(self.regexes)
            # Compiled when a text first holds its literals (most never match a given document).
            named = functools.partial(where, pattern) if where is not None else ""
            self.regexes.append((_LazyPattern(bounded(pattern) if whole_words else pattern, flags, named, pattern), payload))
            # A pattern starting in a script without spaces starts inside a "word" of the text.
            literals = required_literals(pattern, flags, whole_words and not unspaced(_edge(pattern, 0)))
            if needs_digit(pattern, flags):
                digits.append(index)
            # Several literals in a row ("raining", "cats", "and", "dogs"): a candidate text must
            # hold them in this order before the regex is run (the index found only one of them).
            sequence = literal_sequence(pattern, flags)
            if len(sequence) >= 2:
                self.sequences[index] = sequence
            # Literals that follow white space in every match ("\\d{1,2}\\s+mai"): a text holding
            # them only inside words ("désormais", with a digit) is not run through the regex.
            spaced = after_space_literals(pattern, flags)
            if spaced is not None:
                self.after_space[index] = spaced
            # Literals that end every match at a word end ("(?:mai|juin)(?!\\w)"): a text holding
            # them only inside words ("mais") is not run through the regex.
            ends = word_end_literals(pattern, flags, whole_words and bool(_bounds(pattern)[1]))
            if ends is not None:
                self.word_ends[index] = ends
            if literals is None or "(?<" in pattern:  # literals None: the parse rejected it
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
        # Each gated pattern's search, bound once: ``_spaced``'s cache would hash the literals'
        # tuple at every test.
        self._spaced_search = {index: _spaced(lits) for index, lits in self.after_space.items()}
        self._ended_search = {index: _ended(lits) for index, lits in self.word_ends.items()}
        self.key_set = frozenset(self.by_key)
        # Patterns that cannot match a text without a digit (a day and month: "le 3 mai"), whose
        # literals ("mai") are often inside words of such texts ("maison").
        self.digit_patterns = frozenset(digits)
        self.substring_pairs = [(lit, index) for lits, index in self.by_substring for lit in lits]
        keyed = [(key, index, lit) for key, pairs in self.by_key.items() for index, lit in pairs]
        self.all_pairs = self.substring_pairs + [(lit, index) for _, index, lit in keyed]
        self.loose_pairs = self.substring_pairs + [(key, index) for key, index, _ in keyed]
        self._all_scan = _scanner(self.all_pairs)
        self._loose_scan = _scanner(self.loose_pairs)
        self._substring_scan = _scanner(self.substring_pairs)
        # The shared scan's slot of all_pairs: what _all_scan finds, from the one shared pass.
        self.slot = shared.slot(self.all_pairs) if shared is not None else -1

    def __bool__(self) -> bool:
        return bool(self.regexes)

    def _candidates(
        self, lower: str, keys: frozenset[str] | None, hits: dict[int, list[int]] | None, trap: bool
    ) -> list[int]:
        """The patterns whose literals ``lower`` holds, and those without (``trap``: whether
        ``lower`` has a case trap). The list may be ``hits``' own: never to be changed."""
        # Order does not matter: ``find`` sorts the candidates when there are several.
        if hits is not None and keys is None and self.slot >= 0 and not trap:
            out = hits.get(self.slot, [])
            return out + self.always if self.always else out
        if keys is None:
            # No word index for this text: test the literals the keys stand for (or the keys,
            # which any text they index holds, when the text has a case trap).
            out = (self._loose_scan if trap else self._all_scan)(lower)
        else:
            out = self._substring_scan(lower)
            keyed = self.key_set.intersection(keys)
            if keyed:
                by_key = self.by_key
                if LOOSE in keys:
                    for key in keyed:
                        out += [index for index, _ in by_key[key]]
                else:
                    for key in keyed:
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
        hits: dict[int, list[int]] | None = None,
    ) -> list[tuple[Any, Any]]:
        """Matches with their payloads, in text order; overlapping ones are dropped (the
        earliest, longest wins) unless ``overlaps``. ``hits``: the shared scan's of ``lower``
        (this matcher's ``shared``), read instead of scanning again."""
        if lower is None:
            lower = text.lower()
        trap = _case_trap(lower)  # once: the candidates and the exact gates both read it
        if hits is not None and keys is None and self.slot >= 0 and not trap and not self.always and self.slot not in hits:
            return []  # most texts hold none of this matcher's literals: nothing to build
        candidates = self._candidates(lower, keys, hits, trap)
        if not candidates:
            return []
        digit_patterns = self.digit_patterns
        if digit_patterns and not digit_patterns.isdisjoint(candidates) and not has_digit(text):
            candidates = [index for index in candidates if index not in digit_patterns]
            if not candidates:
                return []
        found: list[tuple[Any, Any]] = []
        regexes = self.regexes
        sequences = self.sequences
        # Offsets in the lower-cased text follow the text's, bar the case traps (İ lower-cases
        # to two characters): there the sequences are not tested.
        spaced = self._spaced_search
        ends = self._ended_search
        exact = (bool(sequences) or bool(spaced) or bool(ends)) and not trap
        # Whether the text holds a character whose folding could hide a literal of ``lower``
        # (see ``after_space``): read at the first gate that needs it, then kept.
        unsafe: bool | None = None
        for index in sorted(set(candidates)) if len(candidates) > 1 else candidates:
            if exact:
                sequence = sequences.get(index)
                if sequence is not None and not in_order(lower, sequence):
                    continue  # no match can be there
                search = spaced.get(index)
                if search is not None:
                    if unsafe is None:
                        unsafe = _FOLD_UNSAFE(text) is not None
                    if not unsafe and search(lower) is None:
                        continue  # the literals are only inside words
                search = ends.get(index)
                if search is not None:
                    if unsafe is None:
                        unsafe = _FOLD_UNSAFE(text) is not None
                    if not unsafe and search(lower) is None:
                        continue
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
