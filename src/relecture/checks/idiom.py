"""Idioms of the source language (chengyu, proverbs, English idioms) and their word-for-word
renderings in the target.

The lexicon is ``[[source_idiom]]`` in the source language's data (``data/zh/chengyu.toml``,
``data/en/idioms.toml``): ``text`` (literal) or ``pattern`` (regex), ``note`` (the sense), and
optionally ``literal.<target lang>`` (the word-for-word rendering) and ``idiomatic.<target lang>``
(the equivalent to suggest). Terms in scripts without spaces match inside the text (画蛇添足 in
"他这样做是画蛇添足。"). When the target holds most content words of the literal rendering
("dessiner un serpent … des pattes"), the rendering itself is flagged; otherwise the idiom is
pointed at on the source side, for a human to check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from relecture.checks.base import (
    CheckInfo,
    Context,
    Family,
    Finding,
    Matcher,
    SegmentView,
    literal_pattern,
    relax_apostrophes,
)
from relecture.checks.langdata import word_set
from relecture.checks.matcher import valid_pattern
from relecture.errors import InputError

FAMILY = "idiom"

INFOS = [
    CheckInfo(
        id="idiom.source",
        family=FAMILY,
        category="Style/Unidiomatic style",
        severity="minor",
        description="Idiom, chengyu or proverb in the source (from the source language's lexicon)",
        explanation=(
            "The source uses an idiom whose image does not carry its meaning (the note gives the "
            "sense). Check the target renders the meaning, with the target language's own "
            "expression, and not the image word for word."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="idiom.literal",
        family=FAMILY,
        category="Style/Unidiomatic style",
        severity="minor",
        description="Source idiom rendered word for word (画蛇添足 → « dessiner un serpent et lui ajouter des pattes »)",
        explanation=(
            "The target reproduces the image of a source idiom word for word, which a reader of "
            "the target language does not understand as an idiom. Use the target language's "
            "equivalent (suggested in the message) or say what it means."
        ),
        needs_source=True,
    ),
]

_WORD = re.compile(r"[^\W\d_]+")
STEM = 5  # words are compared by their first letters, so "pattes" finds "patte"


def _entries(data: dict[str, Any], lang: str) -> list[tuple[str, dict[str, Any]]]:
    raw = data.get("source_idiom", [])
    if not isinstance(raw, list):
        raise InputError(None, f"language data {lang}: [[source_idiom]] must be an array of tables")
    out: list[tuple[str, dict[str, Any]]] = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or item.get("enabled", True) is False:
            continue
        text, pattern = item.get("text"), item.get("pattern")
        body = literal_pattern(str(text)) if text else relax_apostrophes(str(pattern or ""))
        if not body:
            continue
        out.append((valid_pattern(body, f"language data {lang}: [[source_idiom]] #{i + 1}"), item))
    return out


def _stems(phrase: str, function_words: frozenset[str]) -> list[str]:
    """The content words of a literal rendering, as stems."""
    return [w[:STEM] for w in _WORD.findall(phrase.lower()) if len(w) >= 3 and w not in function_words]


def _per_lang(item: dict[str, Any], key: str, lang: str | None) -> str:
    value = item.get(key)
    if isinstance(value, dict) and lang:
        found = value.get(lang)
        return str(found) if found else ""
    return ""


def build(ctx: Context) -> Family:
    family = Family()
    if not ctx.on("idiom.source", "idiom.literal") or not ctx.source_lang:
        return family
    entries = _entries(ctx.data(ctx.source_lang), ctx.source_lang)
    if not entries:
        return family
    t_lang = ctx.target_lang
    function_words = word_set(ctx.data(t_lang))
    literals: dict[int, list[str]] = {}
    for _, item in entries:
        phrase = _per_lang(item, "literal", t_lang)
        if phrase:
            literals[id(item)] = _stems(phrase, function_words)
    matcher = Matcher(entries, where=lambda _: ctx.data_where(ctx.source_lang, "source_idiom"))
    on_source, on_literal = ctx.on("idiom.source"), ctx.on("idiom.literal")

    def idiom(view: SegmentView) -> Iterator[Finding]:
        source = view.source
        if not source:
            return
        found = matcher.find(source, view.source_lower)
        if not found:
            return
        target_stems = {w[:STEM] for w in _WORD.findall(view.lower)}
        for m, item in found:
            note = str(item.get("note", ""))
            stems = literals.get(id(item), [])
            equivalent = _per_lang(item, "idiomatic", t_lang)
            hint = f"; say instead e.g. {equivalent}" if equivalent else ""
            if stems and on_literal and sum(1 for s in stems if s in target_stems) * 3 >= len(stems) * 2:
                span = _span(view.target, view.lower, stems)
                yield (
                    "idiom.literal", "target", span[0], span[1],
                    f"“{m.group()}” ({note}) rendered word for word{hint}",
                    None,
                )
            elif on_source:
                yield (
                    "idiom.source", "source", m.start(), m.end(),
                    f"Idiom in the source “{m.group()}”" + (f": {note}" if note else "")
                    + f"; check it is not rendered word for word{hint}",
                    None,
                )

    family.segment_fns.append(idiom)
    return family


def _span(target: str, lower: str, stems: list[str]) -> tuple[int, int]:
    """From the first to the last word of the target that belongs to the literal rendering."""
    wanted = set(stems)
    hits = [m.span() for m in _WORD.finditer(lower) if m.group()[:STEM] in wanted]
    if not hits:
        return 0, len(target)
    return hits[0][0], hits[-1][1]
