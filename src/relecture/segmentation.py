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
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
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
    stripped = text.lstrip()
    prefix = text[: len(text) - len(stripped)]
    if not stripped:
        return prefix, []
    separator = _BLANK_LINE if _BLANK_LINE.search(stripped) else re.compile(r"\n")
    pieces: list[Piece] = []
    position = 0
    for match in separator.finditer(stripped):
        block = stripped[position : match.start()]
        position = match.start()
        if not block.strip():
            continue
        content, space = split_trailing_space(block)
        # The separator and any white space after it (indentation, extra blank lines) belong
        # to the gap; the next block starts at its first visible character.
        gap_end = match.end()
        while gap_end < len(stripped) and stripped[gap_end].isspace():
            gap_end += 1
        pieces.append((content, space + stripped[match.start() : gap_end]))
        position = gap_end
    tail = stripped[position:]
    if tail.strip():
        content, space = split_trailing_space(tail)
        pieces.append((content, space))
    elif pieces and tail:
        last_text, last_space = pieces[-1]
        pieces[-1] = (last_text, last_space + tail)
    return prefix, pieces


def split_sentences(paragraph: str, lang: str | None) -> list[Piece]:
    """Split one paragraph (no leading/trailing white space) into sentences."""
    if not paragraph:
        return []
    boundaries = [0]
    cursor = 0
    for sentence in _segmenter(lang or "en").segment(paragraph):
        core = sentence.strip()
        if not core:
            continue
        found = paragraph.find(core, cursor)
        if found < 0:
            continue  # pysbd altered the text; the piece stays with its neighbour
        if found > boundaries[-1] and paragraph[boundaries[-1] : found].strip():
            boundaries.append(found)
        cursor = found + len(core)
    pieces: list[Piece] = []
    for start, end in zip(boundaries, [*boundaries[1:], len(paragraph)], strict=True):
        pieces.append(split_trailing_space(paragraph[start:end]))
    return [p for p in pieces if p[0]] or [(paragraph, "")]


def is_heading(text: str, max_length: int = 150) -> bool:
    """A short line without final punctuation (a question mark is allowed: titles ask)."""
    if not text or len(text) > max_length or "\n" in text:
        return False
    return text[-1] not in ".,;:…!\"»)]'’”-–—" and not text.startswith(("-", "*", "•"))
