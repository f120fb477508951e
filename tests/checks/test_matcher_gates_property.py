"""The matcher's gates (digits, literals in order, literals after white space or at a word's
end) only skip a regex where it cannot match: over every matcher the families build from the
shipped language data, on texts made of the patterns' own words glued, spaced and cased in
every way, ``Matcher.find`` gives what running every pattern on the text gives."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import depth
from relecture.checks import Checker
from relecture.checks.matcher import LiteralGate, Matcher
from relecture.patterns import Pattern

from .helpers import pairs_doc

LANGS = ("fr", "en", "de", "es", "it")

# Glue between the words: spaces of every kind (a narrow no-break space is French's), digits,
# punctuation, apostrophes, the case-folding traps and the characters only Python's re calls \w.
GLUE = [
    " ",
    "  ",
    "\u00a0",
    "\u202f",
    "\u2003",
    "",
    "3",
    "12",
    "2024",
    "1er",
    ",",
    ".",
    "'",
    "’",
    "-",
    "s",
    "x",
    "é",
    "ſ",
    "İ",
    "ß",
    "²",
    "½",
    "\n",
    ":",
    "(",
    ")",
    "«",
    "»",
]
SPACES = ["\u00a0", "\u202f", "\u2003", "\t", "\n", ""]


def _matchers(lang: str) -> list[Matcher]:
    """Every matcher the families build for a bilingual document into ``lang``."""
    built: list[Matcher] = []
    original = Matcher.__init__

    def recording(self: Matcher, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        built.append(self)

    doc = pairs_doc([("Text.", "Texte.")], "en" if lang != "en" else "fr", lang)
    Matcher.__init__ = recording  # type: ignore[method-assign]
    try:
        Checker(doc)
    finally:
        Matcher.__init__ = original  # type: ignore[method-assign]
    return [m for m in built if m.regexes]


def _words(matcher: Matcher) -> list[str]:
    words: set[str] = set()
    for regex, _ in matcher.regexes:
        words.update(w for w in re.findall(r"[^\W\d_]+", regex.shown) if len(w) > 1)
    return sorted(words)


def _everything(matcher: Matcher, text: str) -> list[tuple[tuple[int, int], Any]]:
    """What the matcher would find with no gate: every pattern run on the text."""
    found = [
        (m.span(), payload)
        for regex, payload in matcher.regexes
        for m in regex.finditer(text)
        if m.end() > m.start()
    ]
    return sorted(found, key=lambda f: (f[0][0], -f[0][1]))


def _matching(patterns: list[str], flags: int) -> list[st.SearchStrategy[str]]:
    """Strings each pattern matches (hypothesis writes them from the pattern), for the patterns
    Python's ``re`` reads: the texts then hold matches, near-matches and their pieces."""
    out: list[st.SearchStrategy[str]] = []
    for pattern in patterns:
        try:
            out.append(
                st.from_regex(re.compile(pattern, flags & (re.IGNORECASE | re.MULTILINE)), fullmatch=True)
            )
        except re.error:
            continue
    return out


def _text(words: list[str], matching: list[st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
    pieces = [
        st.sampled_from(words),
        st.sampled_from(words).map(str.upper),
        st.sampled_from(words).map(str.capitalize),
        st.sampled_from(GLUE),
    ]
    if matching:
        match = st.one_of(matching)
        pieces.append(match)
        # The same matches with their spaces turned into another white space (a no-break space
        # before a French month) or into none.
        pieces.append(st.tuples(match, st.sampled_from(SPACES)).map(lambda m: m[0].replace(" ", m[1])))
    return st.lists(st.one_of(pieces), min_size=1, max_size=8).map("".join)


SEARCH = settings(
    max_examples=depth(60),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _gated(matcher: Matcher, text: str) -> list[tuple[tuple[int, int], Any]]:
    found = [(m.span(), payload) for m, payload in matcher.find(text, overlaps=True)]
    return sorted(found, key=lambda f: (f[0][0], -f[0][1]))


def _search_matcher(matcher: Matcher) -> None:
    matching = _matching([regex.shown for regex, _ in matcher.regexes], matcher.regexes[0][0].flags)

    @SEARCH
    @given(_text(_words(matcher), matching))
    def same(text: str) -> None:
        assert _gated(matcher, text) == _everything(matcher, text), text

    same()


@pytest.mark.parametrize("lang", LANGS)
def test_the_gates_never_hide_a_match(lang: str) -> None:
    matchers = _matchers(lang)
    assert matchers, f"no matcher built for {lang}"
    for matcher in matchers:
        _search_matcher(matcher)


def _gates(lang: str) -> list[tuple[LiteralGate, list[str], int, Any]]:
    """Every literal gate the families build for ``lang``, with its patterns, flags and scan."""
    built: list[tuple[LiteralGate, list[str], int, Any]] = []
    original = LiteralGate.__init__

    def recording(self: LiteralGate, patterns: Any, flags: int = re.IGNORECASE, shared: Any = None) -> None:
        patterns = list(patterns)
        original(self, patterns, flags, shared)
        built.append((self, patterns, flags, shared))

    doc = pairs_doc([("Text.", "Texte.")], "en" if lang != "en" else "fr", lang)
    LiteralGate.__init__ = recording  # type: ignore[method-assign]
    try:
        Checker(doc)
    finally:
        LiteralGate.__init__ = original  # type: ignore[method-assign]
    return [g for g in built if g[1] and not g[0].always]


def _search_gate(gate: LiteralGate, patterns: list[str], flags: int, shared: Any) -> None:
    compiled = [Pattern(p, flags) for p in patterns]
    words = sorted({w for p in patterns for w in re.findall(r"[^\W\d_]+", p) if len(w) > 1})

    @SEARCH
    @given(_text(words, _matching(patterns, flags)))
    def opens(text: str) -> None:
        lower = text.lower()
        if any(p.search(text) is not None for p in compiled):
            assert gate.open(lower), text
            if shared is not None:
                assert gate.open_in(shared.scanner()(lower), lower), text

    opens()


@pytest.mark.parametrize("lang", LANGS)
def test_a_literal_gate_opens_wherever_one_of_its_patterns_matches(lang: str) -> None:
    gates = _gates(lang)
    assert gates, f"no literal gate built for {lang}"
    for gate, patterns, flags, shared in gates:
        _search_gate(gate, patterns, flags, shared)


# Texts at the gates' edges: a no-break space or a line break before a month, a month inside a
# word or before a character only Python's re calls \w, a preamble's words out of order.
EDGES = [
    "Le 3\u00a0septembre",
    "le 3\u202fmai",
    "Le 1er\u2003juin",
    "le 3\nmai",
    "Mais 3 mai.",
    "désormais 3 mais",
    "le 3 mai²",
    "le 3 mai½ et le 4 mai",
    "lundi\u00a0prochain",
    "Voici la traduction :",
    "La traduction, voici",
    "next\u00a0Monday",
    "am Ende\u00a0des Tages",
    "ſeptembre 3 mai",
    "İ 3 mai",
]


@pytest.mark.parametrize("lang", LANGS)
def test_the_gates_at_their_edges(lang: str) -> None:
    for matcher in _matchers(lang):
        for text in EDGES:
            assert _gated(matcher, text) == _everything(matcher, text), text
