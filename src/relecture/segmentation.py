"""Splitting text into paragraphs and sentences without losing a single character.

Every function returns pieces that concatenate back to the input exactly: each piece is
``(text, space_after)`` where ``text`` has no leading or trailing white space and
``space_after`` is the white space that followed it. Sentence boundaries come from pysbd's
language rules (French, English, Chinese, ...); we only use pysbd to *find* boundaries and then
cut the original string ourselves, because pysbd's own output may normalise or drop characters.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

Piece = tuple[str, str]

_PYSBD_LANGS = frozenset(pysbd.languages.LANGUAGE_CODES)
_TRAILING_WS = re.compile(r"\s+\Z")


@lru_cache(maxsize=32)
def _segmenter(lang: str) -> pysbd.Segmenter:
    code = (lang or "en").split("-")[0].split("_")[0].lower()
    return pysbd.Segmenter(language=code if code in _PYSBD_LANGS else "en", clean=False)


def split_trailing_space(text: str) -> Piece:
    match = _TRAILING_WS.search(text)
    if match is None:
        return text, ""
    return text[: match.start()], text[match.start() :]


def split_paragraphs(text: str) -> tuple[str, list[Piece]]:
    """Split a document into paragraphs.

    When the document separates paragraphs with blank lines, a paragraph is a block between
    them (line breaks inside a block stay in the paragraph); otherwise every line is one.
    Returns ``(prefix, pieces)``: the leading white space, then ``(paragraph, space_after)``.
    """
    lines = text.split("\n")
    offsets: list[int] = []
    position = 0
    for line in lines:
        offsets.append(position)
        position += len(line) + 1
    blank = [not line.strip() for line in lines]
    visible = [i for i, is_blank in enumerate(blank) if not is_blank]
    if not visible:
        return text, []
    blocks_mode = any(blank[i] for i in range(visible[0], visible[-1]))
    groups: list[tuple[int, int]] = []  # first and last line of each paragraph
    for i in visible:
        if blocks_mode and groups and groups[-1][1] == i - 1:
            groups[-1] = (groups[-1][0], i)
        else:
            groups.append((i, i))
    spans: list[tuple[int, int]] = []
    for first, last in groups:
        first_line, last_line = lines[first], lines[last]
        start = offsets[first] + len(first_line) - len(first_line.lstrip())
        end = offsets[last] + len(last_line.rstrip())
        spans.append((start, end))
    pieces: list[Piece] = []
    for index, (start, end) in enumerate(spans):
        gap_end = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        pieces.append((text[start:end], text[end:gap_end]))
    return text[: spans[0][0]], pieces


# pysbd's cost grows faster than linearly with the paragraph (a 1 MB line takes ~45 s), so a
# longer paragraph is cut into windows first, at a sentence end when there is one.
WINDOW_CHARS = 10_000
_WINDOW_CUT = re.compile(r"[.!?。！？…][\"'»”’)\]]*\s+(?=\S)")


def _windows(paragraph: str) -> list[int]:
    """Start offsets of windows of at most ``WINDOW_CHARS`` characters (cut after white space)."""
    starts = [0]
    while len(paragraph) - starts[-1] > WINDOW_CHARS:
        start = starts[-1]
        limit = start + WINDOW_CHARS
        cut = -1
        for match in _WINDOW_CUT.finditer(paragraph, start + WINDOW_CHARS // 2, limit):
            cut = match.end()
        if cut < 0:
            space = max(paragraph.rfind(" ", start + 1, limit), paragraph.rfind("\n", start + 1, limit))
            cut = space + 1 if space > start else limit
        while cut < len(paragraph) and paragraph[cut].isspace():
            cut += 1  # a sentence never starts with white space
        starts.append(cut)
    return starts


# Every sentence end pysbd knows is one of these (Latin, CJK, Armenian, also written as a colon,
# Arabic, Urdu, Devanagari, Greek question mark, Burmese, Amharic); a window with none of them is
# one sentence as it is, and pysbd's English rules take ~0.4 s per 10,000 characters of such text.
_MAY_END_SENTENCE = re.compile(r"[.!?:;。！？…։؟۔।॥;‼⁇⁈⁉။፧።\n]")


def _boundaries(paragraph: str, lang: str | None, offset: int, boundaries: list[int]) -> None:
    """Append to ``boundaries`` the sentence starts pysbd finds in ``paragraph`` (at ``offset``)."""
    cursor = 0
    segmenter = _segmenter(lang or "en")
    # The processor's sentences, as ``segment`` gets them before it locates each in the text
    # with a regex compiled per sentence (half of pysbd's time): they are located here by
    # ``find``, from the end of the previous one.
    for sentence in segmenter.processor(paragraph).process():
        core = sentence.strip()
        if not core:
            continue
        found = paragraph.find(core, cursor)
        if found < 0:
            continue  # pysbd altered the text; the piece stays with its neighbour
        previous = boundaries[-1] - offset
        if found > previous and paragraph[max(previous, 0) : found].strip():
            boundaries.append(found + offset)
        cursor = found + len(core)


# pysbd's rules for these languages have been compared with the plain path below on the corpus,
# the benchmark texts and real bilingual data (tests/test_segmentation_fast.py).
_PLAIN_LANGS = frozenset({"en", "fr", "de", "es", "it", "pt", "nl"})
_PLAIN_END = re.compile(r"[.!?] +")
_WORD_LEADS = frozenset(" '’-\xa0")  # what may precede the word before a full stop (l'année.)
_SPACES = frozenset(" \xa0\u202f")  # before ! and ? in French typography
_MARK_LEADS = _SPACES | frozenset("»”%")


@lru_cache(maxsize=16)
def _abbreviations(lang: str) -> frozenset[str]:
    """Every abbreviation pysbd knows for ``lang`` (lower case, without the final point)."""
    rules = pysbd.languages.LANGUAGE_CODES[lang].Abbreviation
    words: set[str] = set()
    for name in ("ABBREVIATIONS", "PREPOSITIVE_ABBREVIATIONS", "NUMBER_ABBREVIATIONS"):
        words.update(w.lower().rstrip(".") for w in getattr(rules, name, ()))
    return frozenset(words)


def _plain_boundaries(paragraph: str, lang: str | None) -> list[int] | None:
    """The sentence starts of a paragraph of plain sentences, as pysbd finds them, or None when
    the paragraph needs pysbd: every mark that may end a sentence is either a lone ``.``, ``!``
    or ``?`` after a word that is no abbreviation, an initial or a number's part, followed by
    spaces and a capital letter (a boundary), a lone one at the very end, or a colon or a
    semicolon followed by a space (never a boundary in these languages). pysbd costs ~1 ms a
    sentence; most prose is made of such paragraphs."""
    code = (lang or "en").split("-")[0].split("_")[0].lower()
    if code not in _PLAIN_LANGS:
        return None
    abbreviations = _abbreviations(code if code in _PYSBD_LANGS else "en")  # as _segmenter does
    last = len(paragraph) - 1
    starts = [0]
    for m in _MAY_END_SENTENCE.finditer(paragraph):
        pos = m.start()
        mark = m.group()
        if mark in ":;":
            if pos < last and paragraph[pos + 1] == " ":
                continue
            return None
        if mark not in ".!?":
            return None
        before = paragraph[pos - 1] if pos else ""
        if before.isalnum():
            start = pos - 1
            while start and (paragraph[start - 1].isalnum() or paragraph[start - 1] == "_"):
                start -= 1
            lead = paragraph[start - 1] if start else " "
            text = paragraph[start:pos]
            if mark == "." and (
                lead not in _WORD_LEADS or len(text) < 2 or text.lower() in abbreviations
                or text[0].isdigit() != text[-1].isdigit()  # "3e.", "A4."
            ):
                return None
        elif before not in _MARK_LEADS or (before in _SPACES and mark == "."):
            return None
        if pos == last:
            break
        end = _PLAIN_END.match(paragraph, pos)
        if end is None:
            return None
        after = paragraph[end.end() : end.end() + 1]
        if not (after.isalpha() and after.isupper()):
            return None
        starts.append(end.end())
    return starts


def split_sentences(paragraph: str, lang: str | None) -> list[Piece]:
    """Split one paragraph (no leading/trailing white space) into sentences."""
    if not paragraph:
        return []
    plain = _plain_boundaries(paragraph, lang) if len(paragraph) <= WINDOW_CHARS else None
    if plain is not None:
        return _pieces(paragraph, plain)
    return _pieces(paragraph, _pysbd_boundaries(paragraph, lang))


def _pieces(paragraph: str, boundaries: list[int]) -> list[Piece]:
    pieces: list[Piece] = []
    for start, end in zip(boundaries, [*boundaries[1:], len(paragraph)], strict=True):
        pieces.append(split_trailing_space(paragraph[start:end]))
    return [p for p in pieces if p[0]] or [(paragraph, "")]


def _pysbd_boundaries(paragraph: str, lang: str | None) -> list[int]:
    boundaries = [0]
    starts = _windows(paragraph)
    for start, end in zip(starts, [*starts[1:], len(paragraph)], strict=True):
        if start > boundaries[-1] and paragraph[boundaries[-1] : start].strip():
            boundaries.append(start)
        window = paragraph[start:end]
        if _MAY_END_SENTENCE.search(window):
            _boundaries(window, lang, start, boundaries)
    return boundaries


def is_heading(text: str, max_length: int = 150) -> bool:
    """A short line without final punctuation (a question mark is allowed: titles ask)."""
    if not text or len(text) > max_length or "\n" in text:
        return False
    return text[-1] not in ".,;:…!\"»)]'’”-–—" and not text.startswith(("-", "*", "•"))
