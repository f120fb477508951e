"""Glossary (termbase) checks: required target terms and forbidden ones.

A glossary is a CSV or TSV file with a header naming at least ``source`` and ``target``
columns (``forbidden`` and ``note`` optional); several acceptable target terms are separated
by ``|``. A row with ``forbidden`` set to yes/true/1/x, or with an empty source, makes its
target term(s) forbidden. TBX files (``.tbx``) are read too: a term whose
``administrativeStatus`` is deprecated or superseded is forbidden.

Terms match whole words, case-insensitively, with inflectional endings tolerated on each word
(plural ``s``/``x``/``es``, feminine ``e``, German case endings ``n``/``en``/``er``/``ern``);
an elided article before a term is no obstacle (``l'intelligence artificielle``). A term in a
script written without spaces (大模型) matches inside the text's runs of characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick

from relecture.checks.base import (
    CheckInfo,
    Context,
    Family,
    Finding,
    SegmentView,
    bounded,
    literal_pattern,
    unspaced,
)
from relecture.checks.langdata import base_lang
from relecture.errors import InputError
from relecture.textio import decode, read_bytes

FAMILY = "glossary"

INFOS = [
    CheckInfo(
        id="glossary.missing-term",
        family=FAMILY,
        category="Terminology/Inconsistent with terminology resource",
        severity="major",
        description="Source term whose required target term is missing",
        explanation=(
            "The source uses a glossary term, and none of the target terms the glossary requires "
            "for it appears in the target. Check the term is translated as agreed (or that the "
            "sentence legitimately avoids it, e.g. with a pronoun)."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="glossary.forbidden-term",
        family=FAMILY,
        category="Terminology/Wrong term",
        severity="major",
        description="Target uses a term the glossary forbids",
        explanation=(
            "The glossary marks this term as forbidden (deprecated, a competitor's name, a wrong "
            "rendering). Replace it with the approved term."
        ),
    ),
]

_TRUE = {"yes", "y", "true", "1", "x", "forbidden", "oui"}


@dataclass(slots=True)
class Entry:
    source: str
    targets: list[str]
    note: str = ""
    target_regex: re.Pattern[str] | None = None


@dataclass
class Glossary:
    path: Path
    entries: list[Entry] = field(default_factory=list)
    forbidden: list[tuple[str, str]] = field(default_factory=list)  # (term, note)

    def __len__(self) -> int:
        return len(self.entries) + len(self.forbidden)


def _inflected(term: str) -> str:
    """A term as a regex where each word may take a plural ending ("tableaux de bord")."""
    words = term.split()
    return r"\s+".join(
        literal_pattern(w) + _ENDINGS if w[-1:].isalpha() and not unspaced(w[-1:]) else literal_pattern(w)
        for w in words
    )


_ENDINGS = "(?:s|x|es|e|en|er|ern|n|ns)?"


def _term_regex(terms: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(bounded(_inflected(t)) for t in sorted(terms, key=len, reverse=True))
    return re.compile(alternatives, re.IGNORECASE)


# What ``literal_pattern`` relaxes inside a term (spaces, apostrophes, quotes): a term's key is
# the longest run of the other characters, which every match holds as written (case aside).
_RELAXED = re.compile(r"[\s'’ʼ\"«»“”]+")


def _fold(text: str) -> str:
    """The text as the index compares it: case-folded, the way a case-insensitive regex equates
    letters (İ is i there, as are ſ and s, ς and σ), so a key that a match holds is found."""
    return text.replace("\u0130", "i").casefold()


# The characters by which ``_fold`` can differ from ``str.lower``: those whose case folding is
# not their lowercase (ß, ſ, ς, ﬁ, Cherokee…, in these ranges: the tests check every code
# point), İ (which ``_fold`` makes i) and Σ (lowered by its context). A text without any is
# folded as it is lowered, so the lowercase text, which the checks share, serves the index.
_FOLDS_APART = re.compile(
    "[\u00b5\u00df\u0130\u0149\u017f\u01f0\u0345\u0390\u03a3\u03b0\u03c2\u03d0\u03d1\u03d5\u03d6"
    "\u03f0\u03f1\u03f5\u0587\u13a0-\u13fd\u1c80-\u1c88\u1e96-\u1e9e\u1f50-\u1ffc\uab70-\uabbf\ufb00-\ufb17]"
).search


def _pieces(term: str) -> tuple[str, str]:
    """(the term as the index tells duplicates apart, its key: the longest run of characters
    that every match holds as written, case aside; "" for a term of punctuation only)."""
    pieces = _RELAXED.split(_fold(term))
    return " ".join(pieces), max(pieces, key=len)


# Glossary rows are kept in chunks of this many while a big file is read: each chunk's keys go
# into one automaton, run over the document's text, and only the terms found there stay.
CHUNK = 50_000


def _occurring(entries: list[Entry], folded_text: str) -> list[Entry]:
    """The entries whose source term can occur in ``folded_text`` (``_fold``-ed): its key is in
    it. ``TermIndex`` tries a term only where its key is, so dropping the others changes no flag."""
    keys = [_pieces(entry.source)[1] for entry in entries]
    automaton = ahocorasick.Automaton()
    for key in keys:
        if key:
            automaton.add_word(key, key)
    if not len(automaton):
        return entries
    automaton.make_automaton()
    found: set[str] = set()
    distinct = len(set(keys) - {""})
    for _, key in automaton.iter(folded_text):
        found.add(key)
        if len(found) == distinct:  # every key seen: the rest of a large text changes nothing
            break
    return [entry for entry, key in zip(entries, keys, strict=True) if not key or key in found]


# Up to this many distinct keys, ``TermIndex`` looks for each with ``in`` (measured: faster
# than the automaton up to about eight keys).
_FEW_KEYS = 8


class TermIndex:
    """Glossary terms (each with a payload) found in a text, fast whatever the glossary's size.

    One Aho-Corasick automaton (pyahocorasick, in C) holds each term's key, the longest run of
    its characters that any match must contain; one pass over the case-folded text gives the
    terms that can occur, and only their patterns run (compiled on first use: compiling 100,000
    patterns up front took minutes). Keys are substrings, not words, so terms in scripts without
    spaces are found the same way. Overlapping matches keep the earliest, longest.
    """

    def __init__(self, items: Iterable[tuple[str, Any]]) -> None:
        self._terms: list[str] = []
        self._payloads: list[Any] = []
        self._compiled: dict[int, re.Pattern[str]] = {}
        self._always: list[int] = []  # terms without a key (punctuation only): always tried
        automaton = ahocorasick.Automaton()
        seen: set[str] = set()
        for term, payload in items:
            same, key = _pieces(term)  # a term written twice (spacing or quotes aside) counts once
            if not same.strip() or same in seen:
                continue
            seen.add(same)
            index = len(self._terms)
            self._terms.append(term)
            self._payloads.append(payload)
            if not key:
                self._always.append(index)
                continue
            found = automaton.get(key, None)
            if found is None:
                automaton.add_word(key, index)  # one int per key: a list only when keys repeat
            elif isinstance(found, list):
                found.append(index)
            else:
                automaton.add_word(key, [found, index])
        self._automaton = automaton if len(automaton) else None
        # A few keys (a project's glossary) are found faster by substring search than by the
        # automaton's walk over every character (five times faster over accented text); the
        # keys found, hence the candidates, are the same.
        self._few: list[tuple[str, Any]] | None = None
        if self._automaton is not None:
            automaton.make_automaton()
            if len(automaton) <= _FEW_KEYS:
                self._few = list(automaton.items())

    def __bool__(self) -> bool:
        return bool(self._terms)

    def _regex(self, index: int) -> re.Pattern[str]:
        regex = self._compiled.get(index)
        if regex is None:
            pattern = bounded(_inflected(self._terms[index]))
            regex = self._compiled[index] = re.compile(pattern, re.IGNORECASE)
        return regex

    def find(self, text: str, lower: str | None = None) -> list[tuple[re.Match[str], Any]]:
        """Matches with their payloads, in text order, without overlaps. ``lower``:
        ``text.lower()`` when the caller has it (the text's fold unless it holds one of
        ``_FOLDS_APART``, which then saves folding it)."""
        values: list[Any] = []  # the payloads of the keys in the text (an int or a list of ints)
        if self._automaton is not None and text:
            folded = lower if lower is not None and (text.isascii() or _FOLDS_APART(text) is None) else _fold(text)
            if self._few is not None:
                values = [value for key, value in self._few if key in folded]
            else:
                values = [value for _, value in self._automaton.iter(folded)]
        if not values and not self._always:
            return []  # no key in the text: most texts, for a small glossary
        candidates: set[int] = set(self._always)
        for value in values:
            if isinstance(value, list):
                candidates.update(value)
            else:
                candidates.add(value)
        found: list[tuple[re.Match[str], Any]] = []
        for index in sorted(candidates):
            payload = self._payloads[index]
            found += [(m, payload) for m in self._regex(index).finditer(text) if m.end() > m.start()]
        if len(found) < 2:
            return found
        found.sort(key=lambda mp: (mp[0].start(), -mp[0].end()))
        kept: list[tuple[re.Match[str], Any]] = []
        for mp in found:
            if not kept or mp[0].start() >= kept[-1][0].end():
                kept.append(mp)
        return kept


def load_glossary(
    path: str | Path, source_lang: str | None = None, target_lang: str | None = None, source_text: str | None = None
) -> Glossary:
    """The glossary at ``path``. With ``source_text`` (a document's source segments, joined by
    line breaks) only the entries whose source term can occur in it are kept: a glossary of a
    million rows then costs what the few terms of the document cost (the rows are still all
    read and validated)."""
    p = Path(path)
    folded = _fold(source_text) if source_text is not None else None
    if p.suffix.lower() == ".tbx":
        glossary = _load_tbx(p, source_lang, target_lang)
        if folded is not None:
            glossary.entries = _occurring(glossary.entries, folded)
        return glossary
    import csv  # a glossary file is read: most checks have none

    text = decode(read_bytes(p), p)
    delimiter = "\t" if p.suffix.lower() in (".tsv", ".tab", ".txt") or "\t" in text.split("\n", 1)[0] else ","
    # Lines one at a time, as a file reads them (a StringIO would hold a second, wider copy).
    reader = csv.reader((m.group() for m in _LINE.finditer(text)), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError(p, "empty glossary", "line 1") from None
    except csv.Error as exc:
        raise InputError(p, f"malformed glossary: {exc}", "line 1") from None
    if "source" not in header or "target" not in header:
        # Never quote the line: the file may not be one the user chose (a config names it).
        raise InputError(
            p, f"glossary header must name 'source' and 'target' columns (it has {len(header)} column(s))", "line 1"
        )
    col = {name: header.index(name) for name in header}
    glossary = Glossary(p)
    pending: list[Entry] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(row) < len(header):
                row = row + [""] * (len(header) - len(row))
            source = row[col["source"]].strip()
            targets = [t.strip() for t in row[col["target"]].split("|") if t.strip()]
            note = row[col["note"]].strip() if "note" in col else ""
            forbidden = "forbidden" in col and row[col["forbidden"]].strip().lower() in _TRUE
            if not targets:
                if source:
                    raise InputError(p, "a source term without a target term", f"line {line}")
                continue
            if forbidden or not source:
                glossary.forbidden.extend((t, note) for t in targets)
            else:
                pending.append(Entry(source, targets, note))
                if folded is not None and len(pending) >= CHUNK:
                    glossary.entries += _occurring(pending, folded)
                    pending = []
    except csv.Error as exc:
        raise InputError(p, f"malformed glossary: {exc}", f"line {reader.line_num}") from None
    glossary.entries += _occurring(pending, folded) if folded is not None else pending
    return glossary


# A line as csv reads it from a file opened with newline="": its end (\n, \r\n or \r) kept.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _load_tbx(path: Path, source_lang: str | None, target_lang: str | None) -> Glossary:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(read_bytes(path))
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise InputError(path, f"malformed TBX: {exc}") from None
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    glossary = Glossary(path)
    langs_seen: list[str] = []
    entries: list[dict[str, list[tuple[str, bool]]]] = []
    for entry in root.iter():
        if local(entry.tag) not in ("termEntry", "conceptEntry"):
            continue
        by_lang: dict[str, list[tuple[str, bool]]] = {}
        for lang_set in entry:
            if local(lang_set.tag) != "langSet":
                continue
            lang = base_lang(lang_set.get(xml_lang) or lang_set.get("lang")) or ""
            if lang not in langs_seen:
                langs_seen.append(lang)
            # tig / ntig / termSec: one term with its notes (TBX-Basic, TBX 2 and TBX 3 layouts).
            for container in lang_set:
                status = ""
                for note in container.iter():
                    if local(note.tag) in ("termNote", "descrip") and note.get("type") == "administrativeStatus":
                        status = (note.text or "").strip().lower()
                deprecated = status.startswith(("deprecated", "superseded", "forbidden"))
                for element in container.iter():
                    if local(element.tag) == "term" and (element.text or "").strip():
                        by_lang.setdefault(lang, []).append((element.text.strip(), deprecated))
        entries.append(by_lang)
    src = base_lang(source_lang) or (langs_seen[0] if langs_seen else "")
    tgt = base_lang(target_lang) or next((lang for lang in langs_seen if lang != src), "")
    for by_lang in entries:
        sources = [t for t, bad in by_lang.get(src, []) if not bad]
        good = [t for t, bad in by_lang.get(tgt, []) if not bad]
        bad_terms = [t for t, bad in by_lang.get(tgt, []) if bad]
        for s in sources:
            if good:
                glossary.entries.append(Entry(s, good))
        glossary.forbidden.extend((t, "deprecated in the termbase") for t in bad_terms)
    return glossary


def build(ctx: Context) -> Family:
    family = Family()
    glossary: Glossary | None = ctx.glossary
    if glossary is None or not len(glossary):
        return family
    entries = glossary.entries
    # Source terms and forbidden terms go through TermIndexes: a term's regex runs only when its
    # key is in the segment, so a glossary of a million terms costs little per segment.
    source_terms = (
        TermIndex((e.source, e) for e in entries) if entries and ctx.on("glossary.missing-term") else None
    )
    forbidden = (
        TermIndex(glossary.forbidden) if glossary.forbidden and ctx.on("glossary.forbidden-term") else None
    )

    def terms(view: SegmentView) -> list[Finding]:
        out: list[Finding] = []
        target = view.target
        if source_terms is not None and view.source:
            seen: set[int] = set()
            for m, entry in source_terms.find(view.source, view.source_lower):
                if id(entry) in seen:
                    continue
                seen.add(id(entry))
                if entry.target_regex is None:
                    entry.target_regex = _term_regex(entry.targets)
                if not entry.target_regex.search(target):
                    wanted = " or ".join(f"“{t}”" for t in entry.targets)
                    note = f" ({entry.note})" if entry.note else ""
                    out.append((
                        "glossary.missing-term", "source", m.start(), m.end(),
                        f"Glossary: “{m.group()}” should be translated {wanted}{note}",
                        entry.targets[0],
                    ))
        if forbidden is not None:
            for m, note in forbidden.find(target, view.lower):
                out.append((
                    "glossary.forbidden-term", "target", m.start(), m.end(),
                    f"Glossary forbids “{m.group()}”" + (f": {note}" if note else ""), None,
                ))
        return out

    family.segment_fns.append(terms)
    return family

