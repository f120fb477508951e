"""Repetition: a sentence or a long run of words said twice in a row (a known failure of LLM and
NMT decoding), within a segment or across two neighbouring segments."""

from __future__ import annotations

import re

from relecture.checks.base import WORD_RE, CheckInfo, Context, Family, Finding, SegmentView

FAMILY = "repetition"

# The [checks] settings this family reads (any other key there is an error).
SETTINGS = ("repeat_min_words", "repeat_min_chars")

INFOS = [
    CheckInfo(
        id="repetition.sentence",
        family=FAMILY,
        category="Accuracy/Addition",
        severity="major",
        description="Sentence repeated back to back (within a segment or in the next segment)",
        explanation=(
            "The same sentence appears twice in a row. Decoders loop like this when they lose "
            "their place; check the source: usually one copy must go, and sometimes the sentence "
            "that should have been there is missing."
        ),
        fix="delete the repeated sentence",
        reads_neighbours=True,  # "in the next segment": compared with the previous one
    ),
    CheckInfo(
        id="repetition.ngram",
        family=FAMILY,
        category="Accuracy/Addition",
        severity="minor",
        description="Run of words repeated back to back (\"de la production de la production\")",
        explanation=(
            "A group of several words is repeated immediately. Unless the source repeats it for "
            "effect, it is a decoding loop: delete the copy."
        ),
        fix="delete the repeated words",
    ),
]

_SENTENCE = re.compile(r"[^.!?…。！？\n]+[.!?…。！？]+[\"'»”’)]*")


def _spaced(text: str) -> str:
    """``" ".join(text.split())``, without splitting a text that is printable (it then holds no
    whitespace but U+0020: the tests check every code point) and has no double space."""
    if text.isprintable() and "  " not in text:
        return text.strip(" ")
    return " ".join(text.split())


def _norm(text: str) -> str:
    return _spaced(text).lower()


def _unlike(source: str, prev_source: str) -> bool:
    """Sources different enough that one translation cannot serve both: two sources sharing
    half their words ("cannot be blank", "cannot be null") may rightly share a translation."""
    a, b = set(WORD_RE.findall(source.lower())), set(WORD_RE.findall(prev_source.lower()))
    return len(a & b) * 2 < len(a | b)


def _repeated_run(words: list[str], min_words: int) -> tuple[int, int] | None:
    """(start word, length) of the longest back-to-back repeat of at least ``min_words``."""
    n = len(words)
    if n < 2 * min_words:
        return None
    # A back-to-back repeat of k >= min_words words repeats a min_words-gram: none, no repeat.
    if min_words == 3:
        if len(set(zip(words, words[1:], words[2:], strict=False))) == n - 2:
            return None
    else:
        grams = list(zip(*(words[i:] for i in range(min_words)), strict=False))
        if len(set(grams)) == len(grams):
            return None
    positions: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        positions.setdefault(w, []).append(i)
    if len(positions) == n:
        return None
    best: tuple[int, int] | None = None
    for occurrences in positions.values():
        if len(occurrences) < 2:
            continue
        for a_index, i in enumerate(occurrences):
            for j in occurrences[a_index + 1 :]:
                k = j - i
                if k < min_words or j + k > n or (best and k <= best[1]):
                    continue
                if words[i:j] == words[j : j + k]:
                    best = (i, k)
    return best


def _repeated_block(sentences: list[str]) -> tuple[int, int] | None:
    """(start, size) of the first run of sentences immediately repeated."""
    n = len(sentences)
    for size in range(1, n // 2 + 1):
        for i in range(n - 2 * size + 1):
            if sentences[i : i + size] == sentences[i + size : i + 2 * size]:
                return i, size
    return None


def build(ctx: Context) -> Family:
    family = Family()
    sentence_on = ctx.on("repetition.sentence")
    ngram_on = ctx.on("repetition.ngram")
    min_words = int(ctx.settings.get("repeat_min_words", 3))
    min_chars = int(ctx.settings.get("repeat_min_chars", 12))

    def within(view: SegmentView) -> list[Finding]:
        """Repeats inside the segment: they depend on its texts only."""
        text = view.target
        out: list[Finding] = []
        if sentence_on and (
            text.count(".") + text.count("!") + text.count("?") + (0 if text.isascii() else text.count("。")) >= 2
        ):
            # A sentence, or a run of sentences, said twice in a row. Without a Σ (lowered by its
            # neighbours) the shared lower-case text splits into the same sentences lower-cased:
            # lowering moves no character into or out of the pattern's classes or whitespace
            # (the tests check every code point), so no sentence is lowered on its own.
            if "\u03a3" in text:
                normed = [_norm(s) for s in _SENTENCE.findall(text)]
            else:
                normed = [_spaced(s) for s in _SENTENCE.findall(view.lower)]
            block = _repeated_block(normed)
            if block is not None:
                sentences = list(_SENTENCE.finditer(text))
                i, size = block
                first, last = sentences[i + size], sentences[i + 2 * size - 1]
                repeated = text[first.start() : last.end()].strip()
                if len(repeated) >= 15 and (view.source is None or view.source.count(repeated) < 2):
                    start = first.start() + (len(first.group()) - len(first.group().lstrip()))
                    what = "sentence repeats the one" if size == 1 else f"{size} sentences repeat the ones"
                    out.append(("repetition.sentence", "target", start, last.end(), f"This {what} just before", ""))
                    return out
        if ngram_on:
            words = view.words
            # The copy of a repeat of k words is k words met before: fewer repeated words than
            # min_words (two in five segments), no repeat; the distinct words are shared.
            run = _repeated_run(words, min_words) if len(words) - len(view.distinct) >= min_words else None
            if run is not None:
                i, k = run
                spans = [(m.start(), m.end()) for m in WORD_RE.finditer(text)]
                if len(spans) == len(words):
                    # The span takes the gap before the copy so that deleting it leaves clean text.
                    start, end = spans[i + k - 1][1], spans[i + 2 * k - 1][1]
                    repeated = text[start:end].strip()
                    source_words = view.source_words if view.source is not None else []
                    if len(repeated) >= min_chars and not (source_words and _repeated_run(source_words, k)):
                        out.append((
                            "repetition.ngram", "target", start, end,
                            f"“{repeated}” repeats the {k} words just before it", "",
                        ))
        return out

    # The family looks at the previous segment, so the engine cannot cache it by text; the
    # part that depends on the segment's own texts is cached here (corpora repeat segments).
    memo: dict[tuple[str, str | None], list[Finding]] = {}

    def repetition(view: SegmentView) -> list[Finding]:
        text = view.target
        if sentence_on:
            # Across segments: this segment says again what the previous one said.
            prev = view.prev_target
            if (
                prev is not None
                and len(text) >= 20
                and abs(len(text) - len(prev)) <= 8
                and _norm(text) == _norm(prev)
                and (view.source is None or view.prev_source is None or _unlike(view.source, view.prev_source))
            ):
                return [("repetition.sentence", "target", 0, len(text), "Same text as the previous segment", "")]
        key = (text, view.source)
        found = memo.get(key)
        if found is None:
            if len(memo) >= 65536:  # a corpus streamed through one checker: bounded memory
                memo.clear()
            found = memo[key] = within(view)
        return found

    family.segment_fns.append(repetition)
    return family
