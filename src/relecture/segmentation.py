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
    for sentence in _segmenter(lang or "en").segment(paragraph):
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


def split_sentences(paragraph: str, lang: str | None) -> list[Piece]:
    """Split one paragraph (no leading/trailing white space) into sentences."""
    if not paragraph:
        return []
    boundaries = [0]
    starts = _windows(paragraph)
    for start, end in zip(starts, [*starts[1:], len(paragraph)], strict=True):
        if start > boundaries[-1] and paragraph[boundaries[-1] : start].strip():
            boundaries.append(start)
        window = paragraph[start:end]
        if _MAY_END_SENTENCE.search(window):
            _boundaries(window, lang, start, boundaries)
    pieces: list[Piece] = []
    for start, end in zip(boundaries, [*boundaries[1:], len(paragraph)], strict=True):
        pieces.append(split_trailing_space(paragraph[start:end]))
    return [p for p in pieces if p[0]] or [(paragraph, "")]


def is_heading(text: str, max_length: int = 150) -> bool:
    """A short line without final punctuation (a question mark is allowed: titles ask)."""
    if not text or len(text) > max_length or "\n" in text:
        return False
    return text[-1] not in ".,;:…!\"»)]'’”-–—" and not text.startswith(("-", "*", "•"))
