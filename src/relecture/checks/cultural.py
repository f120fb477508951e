"""What a machine cannot judge but must point at: humour, relative dates, idioms and names
rendered word for word. These flags ask a human to look; they do not claim an error.

Cue words, date expressions and the idiom/name lexicon live in ``data/<lang>/cultural.toml`` and
``idioms.toml``; a user extends them in ``relecture.toml`` (``[checks.data.fr]``) or with
``[checks] data_dirs``.
"""

from __future__ import annotations

import functools
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
from relecture.checks.dates import months_alternation
from relecture.checks.langdata import str_list
from relecture.checks.matcher import lazy_pattern, valid_pattern
from relecture.errors import InputError

FAMILY = "cultural"

# The [checks] settings this family reads (any other key there is an error).
SETTINGS = ("literal_name_min_capitals",)

INFOS = [
    CheckInfo(
        id="cultural.humour",
        family=FAMILY,
        category="Audience appropriateness/Culture-specific reference",
        severity="minor",
        description="Humour, irony or wordplay announced by a cue word (plaisant*, blague, jeu de mots, joke, pun…)",
        explanation=(
            "The text announces a joke, irony or wordplay. Jokes rarely survive a literal "
            "translation: check that the target is funny (or at least understandable) for its "
            "readers, and that a pun was adapted rather than translated word for word."
        ),
    ),
    CheckInfo(
        id="cultural.quip",
        family=FAMILY,
        category="Audience appropriateness/Culture-specific reference",
        severity="minor",
        description="Quoted question answered in the same breath (a quip: «X est-il loin ? Altman : Oui, il l'est !»)",
        explanation=(
            "A question immediately answered, inside a quotation, is usually a joke built on "
            "wordplay or on a reference the source readers share (here: a pun on a name or a "
            "product). Check what the source plays on and whether the target keeps the point."
        ),
    ),
    CheckInfo(
        id="cultural.relative-date",
        family=FAMILY,
        category="Locale convention/Date",
        severity="minor",
        description="Relative date or time (\"le 9 de ce mois\", \"mardi dernier\", \"récemment\")",
        explanation=(
            "A date relative to when the source was written loses its anchor once the "
            "translation is published later or elsewhere. Check the source's date and write an "
            "absolute date if the reader cannot know 'this month' or 'recently'."
        ),
    ),
    CheckInfo(
        id="cultural.date-without-year",
        family=FAMILY,
        category="Locale convention/Date",
        severity="minor",
        description="Day and month without a year (\"le 13 juillet\")",
        explanation=(
            "A day and a month without a year is clear to the source's first readers only. "
            "Check the year in the source context and add it where the reader needs it."
        ),
    ),
    CheckInfo(
        id="cultural.deixis",
        family=FAMILY,
        category="Audience appropriateness/Culture-specific reference",
        severity="minor",
        description="Place deixis relative to the writer (\"notre pays\", \"hierzulande\", 我国)",
        explanation=(
            "The text says 'our country', 'here', 'domestic' from where the source was written. "
            "Translated for readers elsewhere, it points at their country instead: name the "
            "place (China, France...) unless the reader shares the writer's place."
        ),
    ),
    CheckInfo(
        id="cultural.idiom",
        family=FAMILY,
        category="Style/Unidiomatic style",
        severity="minor",
        description="Idiom or slogan rendered word for word (from the language's idiom lexicon)",
        explanation=(
            "This phrase is a known word-for-word rendering of an idiom, saying or slogan of "
            "another language (the note says which). Check the meaning against the source and use "
            "the target language's own expression."
        ),
    ),
    CheckInfo(
        id="cultural.literal-name",
        family=FAMILY,
        category="Accuracy/Mistranslation",
        severity="minor",
        description="Proper name translated literally (\"La Maison des Grands Modèles\")",
        explanation=(
            "The names of organisations, media, works and products have official forms; a "
            "literal translation makes them unrecognisable and unsearchable. Check the official "
            "name (keep the original, transliterate it, or use its established translation)."
        ),
    ),
]

_CAPITALS = "A-ZÀ-ÖØ-Þ"
# A capitalised word. Possessive: whatever follows one in the name heuristic opens with white
# space or is (?!\w), so giving back one of its letters (a \w) cannot lead to a match; without
# the backtracking, the regex gives up sooner at each of the many capitals that start no name.
_CAP = rf"[{_CAPITALS}][a-zà-öø-ÿœæ]++"
_ARTICLES = frozenset({"le", "la", "les", "l", "the", "a", "an", "un", "une"})
_WORDS = re.compile(r"\w+")


def _lexicon_items(data: dict[str, Any], key: str, lang: str) -> list[tuple[str, dict[str, Any]]]:
    """``[[idiom]]``/``[[name]]``/``[[source_idiom]]`` tables (``text`` literal or ``pattern``
    regex) as (pattern, table) pairs."""
    raw = data.get(key, [])
    if not isinstance(raw, list):
        raise InputError(None, f"language data {lang}: [[{key}]] must be an array of tables")
    entries: list[tuple[str, dict[str, Any]]] = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or item.get("enabled", True) is False:
            continue
        text, pattern = item.get("text"), item.get("pattern")
        body = literal_pattern(str(text)) if text else relax_apostrophes(str(pattern or ""))
        if not body:
            continue
        _valid(body, f"language data {lang}: [[{key}]] #{i + 1}")
        entries.append((body, item))
    return entries


def _lexicon(data: dict[str, Any], key: str, lang: str, check_id: str) -> list[tuple[str, tuple[str, str]]]:
    """Lexicon tables as (pattern, (check id, note)) pairs for a Matcher."""
    return [(body, (check_id, str(item.get("note", "")))) for body, item in _lexicon_items(data, key, lang)]


def _valid(pattern: str, where: str) -> str:
    return valid_pattern(pattern, where)


def _patterns(data: dict[str, Any], key: str, lang: str, check_id: str) -> list[tuple[str, tuple[str, str]]]:
    return [
        (_valid(relax_apostrophes(p), f"language data {lang}: {key}"), (check_id, ""))
        for p in str_list(data, key, f"{lang} {key}")
    ]


_MESSAGES = {
    "cultural.humour": "“{m}” announces humour or wordplay: does the joke work for this audience?",
    "cultural.relative-date": "Relative date “{m}”: relative to when? Check the source's date",
    "cultural.date-without-year": "“{m}” has no year: which year?",
    "cultural.deixis": "“{m}” points at the writer's own place or group: whose, for this reader?",
    "cultural.idiom": "“{m}” reads as a word-for-word rendering",
    "cultural.literal-name": "“{m}” looks like a name translated word for word",
}


def build(ctx: Context) -> Family:
    family = Family()
    lang = ctx.target_lang or ""
    data = ctx.data(ctx.target_lang)
    on = ctx.on
    # Every lexical pointer (cue words, date expressions, idioms, names) in one matcher; the
    # payload is (check id, note).
    entries: list[tuple[str, tuple[str, str]]] = []
    if on("cultural.humour", "cultural.quip"):
        entries += _patterns(data, "humour_cues", lang, "cultural.humour")
    if on("cultural.relative-date"):
        entries += _patterns(data, "relative_dates", lang, "cultural.relative-date")
    if on("cultural.date-without-year"):
        months = months_alternation(data, lang)
        # A year right after the day and month anchors the date: no flag. ``year_link``: words
        # between them ("of", "de l'an"); scripts without spaces put the year first and say so
        # in their own patterns.
        links = "|".join(relax_apostrophes(w).replace(" ", r"\s+") for w in str_list(data, "year_link", f"{lang} year_link"))
        no_year = rf"(?!\s*,?\s*(?:(?:{links})\s+)?'?\d{{2,4}}\b)" if links else r"(?!\s*,?\s*'?\d{2,4}\b)"
        entries += [
            (_valid(f"(?:{p.replace('{months}', months)}){no_year}", f"{lang} day_month"), ("cultural.date-without-year", ""))
            for p in str_list(data, "day_month", f"{lang} day_month")
            if months or "{months}" not in p
        ]
    if on("cultural.deixis"):
        entries += _patterns(data, "deixis", lang, "cultural.deixis")
    if on("cultural.idiom"):
        entries += _lexicon(data, "idiom", lang, "cultural.idiom")
    if on("cultural.literal-name"):
        entries += _lexicon(data, "name", lang, "cultural.literal-name")
    # The data key of each pattern, to name it should it ever go over its time budget.
    keys = {"cultural.humour": "humour_cues", "cultural.relative-date": "relative_dates", "cultural.deixis": "deixis",
            "cultural.date-without-year": "day_month", "cultural.idiom": "idiom", "cultural.literal-name": "name"}
    key_of = {body: keys[check_id] for body, (check_id, _) in entries}
    scan = ctx.scan  # the target's literals are found in the pass shared with other families
    lexical = Matcher(entries, where=lambda pattern: ctx.data_where(lang, key_of.get(pattern, "")), shared=scan)
    # Source-side idioms ([[source_idiom]]) are the idiom family's (idiom.source, idiom.literal).
    quip = quip_answer = None
    if on("cultural.quip"):
        answers = str_list(data, "quip_answers", f"{lang} quip_answers") or ["oui", "non", "yes", "no"]
        alternatives = "|".join(relax_apostrophes(a) for a in sorted(answers, key=len, reverse=True))
        answer = rf"\s*(?:[\w .'’-]{{1,30}}?\s*:\s*)?(?P<a>(?:{alternatives})(?!\w)[^.!?\n]{{0,60}}[.!?]*)"
        where = functools.partial(ctx.data_where, lang, "quip_answers")
        named = f"language data {lang}: quip_answers"
        # Compiled at the first target with a "?" (a bad answer is refused now). The question
        # part is tried from every position before a "?" (slow on long texts): first look for
        # an answer right after a "?", which any match needs: one search, which the engine
        # skips from "?" to "?" (not a match of the answer at each "?", a call each).
        quip = lazy_pattern(valid_pattern(r"(?P<q>[^.!?«»\"“”\n,;:]{3,}\?)" + answer, named, re.IGNORECASE), re.IGNORECASE, where)
        quip_answer = lazy_pattern(r"\?" + answer, re.IGNORECASE, where, shown=answer)
    name_heuristic = None
    linkers = str_list(data, "name_linkers", f"{lang} name_linkers")
    if on("cultural.literal-name") and linkers:
        link = "|".join(
            relax_apostrophes(re.escape(w)).replace(r"\ ", r"\s+") for w in sorted(linkers, key=len, reverse=True)
        )
        # No lookbehind at the start: the regex engine then skips fast to capital letters; the
        # word boundary before the match is checked afterwards.
        name_heuristic = re.compile(
            rf"{_CAP}(?:\s+{_CAP})*(?:\s+(?:{link})(?:\s+|(?<=['’])){_CAP}(?:\s+{_CAP})*)+(?!\w)"
        )
    min_caps = int(ctx.settings.get("literal_name_min_capitals", 3))
    # Each capitalised word a flagged name counts opens with one of _CAP's capitals, and the
    # heuristic's regex matches two such words at least: a text with fewer than min_caps (or
    # two) of them holds no such name, and the regex, tried at every capital, is not run.
    enough_caps = re.compile(rf"(?:[^{_CAPITALS}]*+[{_CAPITALS}]){{{max(min_caps, 2)}}}").match

    humour_on = on("cultural.humour")

    def cultural(view: SegmentView) -> Iterator[Finding]:
        text = view.target
        humour_found = False
        names_found: list[tuple[int, int]] = []
        if lexical:
            last_end: dict[str, int] = {}
            # Without the view's word keys: the one Aho-Corasick scan of the lower-cased text
            # for the keyed literals too finds a superset of the keyed candidates (the same
            # matches), for less than the keys cost to build (frozenset of 60,000 texts' words).
            for m, (check_id, note) in lexical.find(text, view.lower, overlaps=True, hits=view.hits(scan)):
                if m.start() < last_end.get(check_id, -1):
                    continue  # overlaps a match of the same check
                last_end[check_id] = m.end()
                if check_id == "cultural.humour":
                    humour_found = True
                    if not humour_on:
                        continue
                elif check_id == "cultural.literal-name":
                    names_found.append((m.start(), m.end()))
                message = _MESSAGES[check_id].format(m=m.group()) + (f": {note}" if note else "")
                yield (check_id, "target", m.start(), m.end(), message, None)
        if quip is not None and quip_answer is not None and "?" in text and quip_answer.search(text) is not None:
            for m in quip.finditer(text):
                q_start = m.start("q") + (len(m.group("q")) - len(m.group("q").lstrip()))
                before = text[:q_start]
                quoted = (
                    before.count('"') % 2 == 1
                    or before.count("«") > before.count("»")
                    or before.count("“") > before.count("”")
                )
                if quoted or humour_found:
                    yield (
                        "cultural.quip", "target", q_start, m.end(),
                        f"Question answered in the same breath: “{text[q_start:m.end()]}” is likely a joke",
                        None,
                    )
        if name_heuristic is not None and enough_caps(text) is not None:
            for m in name_heuristic.finditer(text):
                if m.start() and text[m.start() - 1].isalnum():
                    continue
                if any(s < m.end() and m.start() < e for s, e in names_found):
                    continue
                capitals = [w for w in _WORDS.findall(m.group()) if w[0].isupper() and w.lower() not in _ARTICLES]
                if len(capitals) < min_caps:
                    continue
                yield (
                    "cultural.literal-name", "target", m.start(), m.end(),
                    f"“{m.group()}”: capitalised common words, as in a name translated word for word; "
                    "check the official name",
                    None,
                )

    family.segment_fns.append(cultural)
    return family
