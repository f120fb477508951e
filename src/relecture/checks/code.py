"""Text that is code, not language: placeholders, tags, URLs, e-mail addresses, format patterns.

Software strings mix prose with things a translator must copy as they are (``%(name)s``,
``<a href="…">``, ``https://docs…/en/``, ``[[HH:]MM:]ss``, ``Referrer-Policy: no-referrer``,
``yes,no,maybe``). Their letters are not words of any language, their parentheses are not
asides, their digits are not quantities and their colons and commas follow no typography. The
word, bracket, number and typography checks look at the text with these spans masked; the
mismatch checks compare the spans themselves between source and target.

``code_spans(text)`` is cached by text: every family asks for the same segment's spans.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Placeholders of the formats relecture knows: {{x}} (Jinja, Handlebars), ${x}, {0} {name}
# {x:.2f} {} (Python, .NET, ICU arguments), %(x)d (Python), %s %1$s %.2f %@ (printf, Apple),
# %{x} (Ruby).
PLACEHOLDER = re.compile(
    r"\{\{\s*[\w.]+\s*\}\}"
    r"|\$\{\w+\}"
    r"|%\{\w+\}"
    r"|\{[\w.]*(?::[^{}\s]*)?\}"
    r"|%\([\w.]+\)[-+#0 ]*\d*(?:\.\d+)?[sdifrxXeEgGc]"
    r"|%(?:\d+\$)?[-+#0]*\d*(?:\.\d+)?(?:l{0,2}|h)[sdiufxXoeEgGc@]"
)
# "%" followed by a space is French "50 %", never a placeholder: a cheap test first.
_PERCENT_HINT = re.compile(r"%[^\s%]")
# An attribute may be "…" or "...": documentation writes <a rel="noreferrer" …>.
TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s+[\w:.…-]+(?:\s*=\s*(?:\\?\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>")
URL = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>\"'«»“”]*[^\s<>\"'«»“”.,;:!?)\]]")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_BACKTICK = re.compile(r"`[^`\n]+`")
# Date and time format patterns: two or more tokens (YYYY, MM, HH, ss, uuuuuu, TZ, or any letter
# repeated, as translators localise them: JJJJ-MM-TT, µµµµµµ), joined by separators, with the
# optional parts in brackets ("YYYY-MM-DD", "[[HH:]MM:]ss", "HH:MM[:ss[.uuuuuu]][TZ]").
_FORMAT = re.compile(
    r"(?<![^\W\d_])\[*(?:TZ|(?P<a>[^\W\d_])(?P=a){1,5})"
    r"(?:[\]\[\-:./ ]{0,4}(?:TZ|(?P<b>[^\W\d_])(?P=b){1,5}))+\]*(?![^\W\d_])"
)
# An HTTP header written out: Capitalised-Hyphenated name, colon, a token value.
_HEADER = re.compile(r"\b(?:[A-Z][A-Za-z0-9]*-)+[A-Z][A-Za-z0-9]*:[ \u00a0]?[\w-]+(?:[,;=][ ]?[\w-]+)*")
# Arguments of a template filter or an option list: three or more items joined by bare commas.
_COMMA_LIST = re.compile(r"(?<![\w,])\w[\w-]*(?:,\w[\w-]*){2,}(?![\w,])")
# What any such list holds: two bare commas with a word between (prose puts a space after its
# commas). Found by a scan for the comma, where the list's pattern is tried at every word.
_COMMA_LIST_HINT = re.compile(r",\w[\w-]*,\w")


def _hint_placeholder(text: str) -> bool:
    return "{" in text or ("%" in text and _PERCENT_HINT.search(text) is not None)


@lru_cache(maxsize=16384)
def code_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) spans of code in ``text``, sorted and merged (empty for plain prose)."""
    spans: list[tuple[int, int]] = []
    # The hints test one character before a longer string: a one-character search runs at
    # memchr's speed, three times faster, and most texts lack the character.
    colon = ":" in text
    if _hint_placeholder(text):
        spans += [m.span() for m in PLACEHOLDER.finditer(text)]
    if "<" in text:
        spans += [m.span() for m in TAG.finditer(text)]
    if (colon and "://" in text) or ("w" in text and "www." in text):
        spans += [m.span() for m in URL.finditer(text)]
    if "@" in text:
        spans += [m.span() for m in EMAIL.finditer(text)]
    if "`" in text:
        spans += [m.span() for m in _BACKTICK.finditer(text)]
    if (("M" in text and "MM" in text) or ("H" in text and "HH" in text) or ("Y" in text and "YY" in text)
            or ("D" in text and "DD" in text) or (colon and "mm:" in text)):
        spans += [m.span() for m in _FORMAT.finditer(text)]
    if colon and "-" in text:
        spans += [m.span() for m in _HEADER.finditer(text)]
    if text.count(",") >= 2 and _COMMA_LIST_HINT.search(text) is not None:
        spans += [m.span() for m in _COMMA_LIST.finditer(text)]
    if not spans:
        return ()
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end:
            merged[-1] = (last_start, max(last_end, end))
        else:
            merged.append((start, end))
    return tuple(merged)


def masked(text: str, fill: str = " ") -> str:
    """``text`` with its code spans replaced by ``fill`` (same length: offsets stay valid)."""
    spans = code_spans(text)
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for start, end in spans:
        parts.append(text[pos:start])
        parts.append(fill * (end - start))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def in_code(text: str, start: int, end: int) -> bool:
    """Whether the span [start, end) touches code in ``text`` (a flag there is about code)."""
    for s, e in code_spans(text):
        if s < end and start < e:
            return True
        if s >= end:
            break
    return False


def placeholder_hint(text: str) -> bool:
    return _hint_placeholder(text)
