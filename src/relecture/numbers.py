"""Numbers read the way each script writes them, for comparing a source with its translation.

- Digits of every script count (full-width １２, Arabic-Indic ١٢, Devanagari १२, Myanmar ၁၂...):
  ``ascii_digits`` maps them to 0-9 without moving any offset.
- Scripts written without spaces glue numbers to letters (7月13日, 第3, 1000万, 7월): a digit
  next to a Han, kana, Hangul, Thai, Lao, Khmer or Myanmar character still starts or ends a
  number, while Latin identifiers (H2O, mp3, IPv6) stay words.
- Locale formats compare by their digits (3.2 = 3,2; 10,000 = 10 000 = 10 000).
- A magnitude word after a number multiplies it (10 million = 1000万 = 10,000,000): the words
  come from the languages' data (``magnitudes`` in ``data/<lang>/numbers.toml``).
- A number the other side says in words is the same number: number words (``number_words``),
  month names (``months``: July is 7, so 7月, tháng 7 and 7월 match it) and, in Han text,
  Chinese numerals (三, 十二, 一千).

``NumberReader(data)`` holds one language's words; ``find_numbers`` and ``unmatched`` do the
comparison. mismatch.number uses them; any check comparing quantities can.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from relecture.gated import ScriptPattern

if TYPE_CHECKING:
    from fractions import Fraction

_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")
# Letters of scripts written without spaces between a number and its word.
_GLUED = ScriptPattern.of_class(
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uac00-\ud7af\u3000-\u303f\uff01-\uffef"
)
NUMBER = re.compile(
    r"(?<![\w.,])(?:\d{1,3}(?:(?:,|\.|[ \u00a0\u202f])\d{3})+(?![\d])|\d+)(?:[.,]\d+)?(?!\d)"
)
_NON_DIGIT = re.compile(r"\D")
_SPACES = " \u00a0\u202f"
_HAN_NUMERAL = re.compile("[零〇一二两兩三四五六七八九十百千万萬亿億]+")
_HAN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
               "六": 6, "七": 7, "八": 8, "九": 9}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
_HAN_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_WORD = re.compile(r"[^\W\d_]+")


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script as 0-9 (each digit is one character, so
    offsets do not move)."""
    if text.isascii():
        return text
    return _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(), 0)), text)


@dataclass(frozen=True, slots=True)
class Number:
    """A number found in a text: ``keys`` are the forms it may match on the other side, its
    digits first (``3,2`` -> ``32``), then its value when a magnitude word follows it."""

    keys: tuple[str, ...]
    start: int
    end: int


def _digits_key(number: str) -> str:
    digits = number if number.isdigit() else _NON_DIGIT.sub("", number)
    return digits.lstrip("0") or "0"


def _value(number: str) -> Fraction:
    """The value of a written number, guessing its separators: the last of two kinds is the
    decimal mark; one kind once before 1, 2 or 4+ digits is decimal; before 3 it groups."""
    from fractions import Fraction  # only before a magnitude word ("3,5 millions"): rare

    body = "".join(ch for ch in number if ch not in _SPACES)
    marks = [ch for ch in body if ch in ".,"]
    if not marks:
        return Fraction(int(body))
    if len(set(marks)) == 2:
        decimal = marks[-1]
        whole, _, frac = body.rpartition(decimal)
        whole = whole.replace("," if decimal == "." else ".", "")
        return Fraction(f"{int(whole)}.{frac}")
    mark = marks[0]
    if len(marks) == 1:
        whole, frac = body.split(mark)
        if len(frac) != 3:
            return Fraction(f"{int(whole or '0')}.{frac}")
    return Fraction(int(body.replace(mark, "")))


def _han_value(run: str) -> int | None:
    total = section = digit = 0
    seen = False
    for ch in run:
        if ch in _HAN_DIGITS:
            digit = _HAN_DIGITS[ch]
            seen = True
        elif ch in _HAN_UNITS:
            section += (digit or 1) * _HAN_UNITS[ch]
            digit = 0
            seen = True
        elif ch in _HAN_BIG:
            if not seen and not section:
                return None  # 万 alone is "ten thousand" only as a word: not here
            total += (section + digit) * _HAN_BIG[ch]
            section = digit = 0
    return total + section + digit if seen else None


def han_numbers(text: str) -> set[str]:
    """Values of the Chinese numerals in ``text`` (三 -> 3, 十二 -> 12, 一千 -> 1000)."""
    out: set[str] = set()
    for m in _HAN_NUMERAL.finditer(text):
        value = _han_value(m.group())
        if value is not None:
            out.add(str(value))
    return out


class NumberReader:
    """One language's ways of writing numbers in words, from its data."""

    def __init__(self, data: dict[str, Any]) -> None:
        # Each value's words, as a pattern compiled the first time a number of that value is
        # looked for in words (a language lists dozens; a small file meets a few).
        self._word_patterns: dict[str, str] = {}
        self._word_regexes: dict[str, re.Pattern[str]] = {}
        raw = data.get("number_words")
        if isinstance(raw, dict):
            for value, words in raw.items():
                if isinstance(words, list) and words:
                    alternatives = "|".join(re.escape(str(w)) for w in words)
                    self._word_patterns[str(value)] = rf"(?<!\w)(?:{alternatives})s?(?!\w)"
        # The cardinal of each value from 2 to 99 (the first word its data lists, but the
        # language's homographs), compared word for word with the other side's ("three weeks" ->
        # "vier Wochen"); one and its articles, ordinals, "pair" and magnitudes are left out.
        homographs = data.get("number_homographs")
        skipped = {str(w).lower() for w in homographs} if isinstance(homographs, list) else set()
        self.cardinals: dict[str, str] = {}
        if isinstance(raw, dict):
            for value, words in raw.items():
                if str(value).isdigit() and 2 <= int(value) < 100 and isinstance(words, list) and words:
                    word = str(words[0]).lower()
                    if word.isalpha() and word not in skipped:
                        self.cardinals[word] = str(value)
        self.cardinal_words = frozenset(self.cardinals)
        # Units a translation converts ("eight-foot" -> "2,5 Meter"): a number before one is
        # not compared word for word.
        units = data.get("convertible_units")
        self.units = frozenset(str(u).lower() for u in units) if isinstance(units, list) else frozenset()
        months = data.get("months")
        self.months = [str(m).lower() for m in months] if isinstance(months, list) else []
        raw_magnitudes = data.get("magnitudes")
        self.magnitudes: list[tuple[str, int]] = []
        if isinstance(raw_magnitudes, dict):
            self.magnitudes = sorted(
                ((str(w).lower(), int(v)) for w, v in raw_magnitudes.items() if isinstance(v, int) and v > 0),
                key=lambda wv: -len(wv[0]),
            )

    def _magnitude(self, text: str, end: int) -> int | None:
        if not self.magnitudes:
            return None
        pos = end
        while pos < len(text) and text[pos] in _SPACES:
            pos += 1
        rest = text[pos : pos + 16].lower()
        for word, value in self.magnitudes:
            if rest.startswith(word):
                if not _GLUED.match(word):
                    tail = _WORD.match(rest, len(word))
                    if tail is not None and len(tail.group()) > 2:
                        continue  # "millionaire" is no multiplier
                return value
        return None

    def find(self, text: str) -> list[Number]:
        """The numbers of ``text`` (mask code first: see ``relecture.checks.code``)."""
        text = ascii_digits(text)
        scan = _GLUED.sub(" ", text) if not text.isascii() else text
        out: list[Number] = []
        for m in NUMBER.finditer(scan):
            number = m.group()
            if m.start() and text[m.start() - 1] == ":" and not number.strip("0"):
                continue  # the zero minutes of 12:00: "noon" says it all
            key = _digits_key(number)
            magnitude = self._magnitude(text, m.end())
            if magnitude is not None:
                value = _value(number) * magnitude
                if value.denominator == 1 and str(value.numerator) != key:
                    out.append(Number((key, str(value.numerator)), m.start(), m.end()))
                    continue
            out.append(Number((key,), m.start(), m.end()))
        return out

    def says(self, text: str, key: str) -> bool:
        """Whether ``text`` states the number ``key`` in words (a number word, a month name,
        a Chinese numeral)."""
        regex = self._word_regexes.get(key)
        if regex is None and key in self._word_patterns:
            regex = self._word_regexes[key] = re.compile(self._word_patterns[key], re.IGNORECASE)
        if regex is not None and regex.search(text):
            return True
        if self.months and key.isdigit() and 1 <= int(key) <= 12:
            name = self.months[int(key) - 1] if len(self.months) >= int(key) else ""
            if name:
                for word in _WORD.findall(text.lower()):
                    if len(word) >= 3 and name.startswith(word):
                        return True
        return bool(_HAN_NUMERAL.search(text)) and key in han_numbers(text)


def unmatched(
    source: list[Number], target: list[Number]
) -> tuple[list[Number], list[Number]]:
    """(source numbers the target lacks, target numbers the source lacks), matching each
    number once, by any of its keys."""
    if Counter(n.keys[0] for n in source) == Counter(n.keys[0] for n in target):
        return [], []
    left = list(target)
    missing: list[Number] = []
    # Exact first keys first, so an alternative key does not take another number's match.
    for strict in (True, False):
        still: list[Number] = []
        for number in source if strict else missing:
            for i, other in enumerate(left):
                if (number.keys[0] == other.keys[0]) if strict else (set(number.keys) & set(other.keys)):
                    del left[i]
                    break
            else:
                still.append(number)
        missing = still
    return missing, left
