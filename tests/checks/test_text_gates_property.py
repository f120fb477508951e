"""The code-point facts the repetition, consistency and glossary shortcuts rely on, and the
shortcuts (and the length model's lazy sentence counts) against the code they replace."""

from __future__ import annotations

import random
import sys

from relecture.checks import consistency, glossary, length, repetition
from relecture.checks.base import Context

ALL = [chr(i) for i in range(sys.maxunicode + 1)]


def test_printable_text_has_no_whitespace_but_space() -> None:
    # repetition._spaced and consistency._key skip the split of a printable text.
    assert [c for c in ALL if c.isprintable() and c.isspace()] == [" "]


def test_lowering_keeps_sentence_classes_and_whitespace() -> None:
    # repetition splits the lower-cased text into sentences (any Σ aside).
    marks = set(".!?…。！？\n\"'»”’)")
    for c in ALL:
        if c == "\u03a3":
            continue
        low = c.lower()
        if c in marks or c.isspace():
            assert low == c
        else:
            assert not any(x in marks or x.isspace() for x in low), hex(ord(c))


_PIECES = ["a", "B", "é", "İ", "Σ", "ß", " ", "  ", "\t", "\n", "\u202f", "\xa0", ".", "!", "?", "…", "»", "’", "de", "la"]


def _texts(seed: int, count: int = 3000) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randrange(0, 16))) for _ in range(count)]


def test_spaced_and_key_match_split_join() -> None:
    for text in _texts(1):
        assert repetition._spaced(text) == " ".join(text.split())
        assert consistency._key(text) == " ".join(text.split()).rstrip(" .!?…。！？").casefold()


def test_sentences_of_the_lowered_text() -> None:
    for text in _texts(2):
        if "\u03a3" in text:
            continue
        old = [" ".join(m.group().split()).lower() for m in repetition._SENTENCE.finditer(text)]
        new = [repetition._spaced(s) for s in repetition._SENTENCE.findall(text.lower())]
        assert new == old


def test_few_keys_find_what_the_automaton_finds() -> None:
    terms = [("board", 1), ("settings page", 2), ("straße", 3), ("ǅx", 4), ("la", 5)]
    few = glossary.TermIndex(terms)
    walk = glossary.TermIndex(terms)
    walk._few = None
    assert few._few is not None
    for text in [*_texts(3), "The Board", "STRASSE", "settings  page", "ǆx LA"]:
        lower = text.lower()
        assert [(m.span(), p) for m, p in few.find(text, lower)] == [(m.span(), p) for m, p in walk.find(text, lower)]
        assert [(m.span(), p) for m, p in few.find(text)] == [(m.span(), p) for m, p in walk.find(text)]


def _judge_before(fit: length.Fit, center: float, scale: float, su: float, tu: float, zi: float, source: str, target: str) -> object:
    """``Fit.judge`` as it was, counting both sides' sentences before deciding."""
    model, threshold = fit.model, fit.threshold
    cut = fit.cut(scale)
    if -cut < zi < cut:
        return None
    score = zi / scale
    s_sent, t_sent = length.sentences(source), length.sentences(target)
    diff = s_sent - t_sent
    if diff and (diff > 0) == (score < 0):
        score -= model.sentence_weight * min(abs(diff), 2) * (1 if diff > 0 else -1)
    if -threshold < score < threshold:
        return None
    if not (fit.on_short if score < 0 else fit.on_long):
        return None
    return "short" if score < 0 else "long", s_sent, t_sent


def test_judge_counts_sentences_only_when_they_can_tip_it() -> None:
    ctx = Context(enabled=frozenset({"length.short", "length.long"}), source_lang="en", target_lang="fr")
    fit = length.Fit(ctx)
    rng = random.Random(4)
    sentences = ["One.", "Two words here.", "Is it?", "  ", "Yes; no", "x", "Fin. ", "Ah !"]
    for _ in range(20000):
        source = " ".join(rng.choice(sentences) for _ in range(rng.randrange(0, 5)))
        target = " ".join(rng.choice(sentences) for _ in range(rng.randrange(0, 5)))
        zi, scale = rng.uniform(-6, 6), rng.uniform(0.75, 2.5)
        found = fit.judge(0.1, scale, 30.0, 20.0, zi, source, target)
        before = _judge_before(fit, 0.1, scale, 30.0, 20.0, zi, source, target)
        assert (found is None) == (before is None)
        if found is not None:
            assert f"; {before[1]} sentence(s)" in found[4] and f"{before[2]} and " in found[4]  # type: ignore[index]
            assert found[0] == f"length.{before[0]}"  # type: ignore[index]
