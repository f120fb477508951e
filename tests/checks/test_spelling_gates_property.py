"""The spelling check's gates (words judged harmless for good, the share of unknown words counted
from the list's answer) only skip work: on texts of listed words, typos, numbers, names, elisions
and English words, ``errors`` with a speller that has judged many texts before gives what the
plain gate (every unknown word judged again in each text) gives with a fresh speller."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import depth
from relecture.checks.base import WORD_RE
from relecture.checks.spelling import _TOKEN, Speller, errors, misspellings

WORDS = [
    "la", "traduction", "est", "très", "bonne", "pour", "le", "livre", "fichier", "page", "code",
    "tradcution", "fihcier", "livres", "bonnee", "pagee", "Genève", "genève", "Lisbonne",
    "lisbonne", "Munich", "munich", "12", "2024", "x1", "b2", "qu'il", "c'est", "peut-être",
    "d'accord", "jusqu'à", "the", "board", "people", "project", "that", "LA", "DU", "café",
]
GLUE = [" ", " ", " ", ", ", ". ", " (", ") ", "'", "-", " https://exemple.fr/page ", " {nom} "]


def plain(text: str, speller: Speller, skip: frozenset[str], source: str) -> Iterator[tuple[int, int, str, str]]:
    """The gate without its shortcuts: every unknown word of every text judged again."""
    if not text or text.isupper():
        return
    distinct = set(WORD_RE.findall(text.lower()))
    rare = {w for w in distinct if w not in speller.words}
    if not rare or (len(distinct) >= 4 and len(rare) * 3 > len(distinct)):
        return
    if not [w for w in rare if w not in skip and w in text and w not in source and speller.suspect(w)]:
        return
    skip = skip | frozenset(_TOKEN.findall(source)) if source else skip
    for start, end, word in misspellings(text, speller, skip):
        suggestion = speller.suggestion(word)
        if suggestion is not None:
            yield start, end, word, suggestion


PRIMED = Speller("fr", frozenset(), None)  # judges every text of every example, in turn

texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=9).flatmap(
    lambda words: st.lists(st.sampled_from(GLUE), min_size=len(words), max_size=len(words)).map(
        lambda glue: "".join(w + g for w, g in zip(words, glue, strict=True)).strip()
    )
)


@settings(max_examples=depth(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(texts, texts, st.booleans()), min_size=1, max_size=5))
def test_primed_gate_answers_as_the_plain_one(pairs: list[tuple[str, str, bool]]) -> None:
    fresh = Speller("fr", frozenset(), None)
    for target, source, with_source in pairs:
        src = source.lower() if with_source else ""
        skip = frozenset(re.findall(r"\w+", "livre page"))
        expected = list(plain(target, fresh, skip, src))
        assert list(errors(target, PRIMED, skip, source=src)) == expected
