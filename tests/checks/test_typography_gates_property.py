"""The shortcuts of the typography and question checks give what the plain scans give: the
fr-nbsp gate is _MARKS's search, the possessive patterns match as the backtracking ones did,
the closing-guillemet and quotation-pair scans find the same matches from their first mark, and
the question-mark test is the class's search."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import depth
from relecture.checks import question, typography

SETTINGS = settings(
    max_examples=depth(300),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

# The characters the patterns turn on, a word that repeats in both cases, and white space of
# every kind (a no-break space is not an ordinary one, a newline ends a pair of quotes).
PIECES = [
    "a", "le", "Le", "LE", "plus", "ठीक", "क", "é", "e\u0301", "3", " ", "  ", "\t", "\n",
    "\u00a0", "\u202f", "\u2003", ";", ":", "!", "?", ",", ".", "»", "«", "„", "“", "”", "「", "」",
    "『", "』", "(", ")", "\"", "'", "_", "\uff1f", "\u061f", "\u037e", "\u00bf", "\u2e2e", "\u055e", "\u1367",
]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)

_W = typography._W
# The patterns as they were written before they were made possessive.
REPEATED_BACKTRACKING = re.compile(rf"(?<!{_W})({_W}+)(\s+)(\1)(?!{_W})", re.IGNORECASE)
QUOTE_PAIR_LAZY = re.compile(r"([„“”«»「『])([^„“”«»「」『』\n]{1,300}?)([“”«»」』])")


def _spans(matches: object) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in matches]  # type: ignore[attr-defined]


@SETTINGS
@given(TEXTS)
def test_unspaced_mark_is_the_marks_search(text: str) -> None:
    assert typography._unspaced_mark(text, ";:!?") == (typography._MARKS.search(text) is not None)


@SETTINGS
@given(TEXTS)
def test_possessive_patterns_match_as_before(text: str) -> None:
    assert _spans(typography._REPEATED.finditer(text)) == _spans(REPEATED_BACKTRACKING.finditer(text))
    assert _spans(typography._QUOTE_PAIR.finditer(text)) == _spans(QUOTE_PAIR_LAZY.finditer(text))


@SETTINGS
@given(TEXTS)
def test_scans_from_the_first_mark(text: str) -> None:
    close = text.find("»")
    while close > 0 and text[close - 1] in " \t":
        close -= 1
    every = _spans(typography._GUILLEMET_CLOSE.finditer(text))
    assert (_spans(typography._GUILLEMET_CLOSE.finditer(text, close)) if close >= 0 else []) == every
    first = typography._QUOTE_CHAR.search(text)
    pairs = _spans(typography._QUOTE_PAIR.finditer(text))
    assert (_spans(typography._QUOTE_PAIR.finditer(text, first.start())) if first else []) == pairs
    first = typography._BRACKET_OR_QUOTE.search(text)
    brackets = _spans(typography._BRACKET.finditer(text))
    assert (_spans(typography._BRACKET.finditer(text, first.start())) if first else []) == brackets


@SETTINGS
@given(TEXTS, st.sampled_from(["fr", "el", "ja", "ar", None]))
def test_holds_mark_is_the_class_search(text: str, lang: str | None) -> None:
    assert question._holds_mark(text, lang) == (question._marks(lang).search(text) is not None)
