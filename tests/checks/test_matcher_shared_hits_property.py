"""A matcher read from the shared scan's hits (``find(..., hits=)``, with its early exit when the
hits hold nothing of its own) finds what running every pattern on the text finds: over every
matcher the families build with a shared scan from the shipped language data, on texts made
of the patterns' own words (see test_matcher_gates_property)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from relecture.checks import Checker
from relecture.checks.matcher import Matcher, SharedScan

from .helpers import pairs_doc
from .test_matcher_gates_property import EDGES, LANGS, SEARCH, _everything, _matching, _text, _words


def _shared_matchers(lang: str) -> list[tuple[Matcher, SharedScan]]:
    """Every matcher the families build with a shared scan for a document into ``lang``."""
    built: list[tuple[Matcher, SharedScan]] = []
    original = Matcher.__init__

    def recording(self: Matcher, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        shared = kwargs.get("shared", args[4] if len(args) > 4 else None)
        if shared is not None:
            built.append((self, shared))

    doc = pairs_doc([("Text.", "Texte.")], "en" if lang != "en" else "fr", lang)
    Matcher.__init__ = recording  # type: ignore[method-assign]
    try:
        Checker(doc)
    finally:
        Matcher.__init__ = original  # type: ignore[method-assign]
    return [(m, s) for m, s in built if m.regexes]


def _from_hits(matcher: Matcher, shared: SharedScan, text: str) -> list[tuple[tuple[int, int], Any]]:
    lower = text.lower()
    found = [(m.span(), payload) for m, payload in matcher.find(text, lower, overlaps=True, hits=shared.hits(lower))]
    return sorted(found, key=lambda f: (f[0][0], -f[0][1]))


def _search_matcher(matcher: Matcher, shared: SharedScan) -> None:
    matching = _matching([regex.shown for regex, _ in matcher.regexes], matcher.regexes[0][0].flags)

    @SEARCH
    @given(_text(_words(matcher), matching))
    def same(text: str) -> None:
        assert _from_hits(matcher, shared, text) == _everything(matcher, text), text

    same()


@pytest.mark.parametrize("lang", LANGS)
def test_the_shared_hits_never_hide_a_match(lang: str) -> None:
    matchers = _shared_matchers(lang)
    assert matchers, f"no matcher with a shared scan built for {lang}"
    for matcher, shared in matchers:
        assert matcher.slot >= 0
        for text in [*EDGES, "", "Texte sans rien."]:
            assert _from_hits(matcher, shared, text) == _everything(matcher, text), text
        _search_matcher(matcher, shared)
