"""Building ``rich.text.Text`` for segment text: never markup, spans highlighted by offset.

Shared by the reading pane, the side panel and the modals. ``Text(str)`` never parses markup,
and ``visible`` keeps offsets, so ``stylize(start, end)`` lands on the right characters.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

from rich.style import Style
from rich.text import Text

from relecture.model import Annotation, Code, Flag, code_index, has_codes
from relecture.textsafe import escaped_positions, visible

SEVERITY_STYLE: dict[str, Style] = {
    "critical": Style(color="white", bgcolor="red", bold=True),
    "major": Style(color="black", bgcolor="dark_orange"),
    "minor": Style(color="black", bgcolor="cyan"),
    "neutral": Style(color="black", bgcolor="grey70"),
}
SEVERITY_FG: dict[str, Style] = {
    "critical": Style(color="red", bold=True),
    "major": Style(color="dark_orange"),
    "minor": Style(color="cyan"),
    "neutral": Style(color="grey70"),
}
ESCAPE_STYLE = Style(reverse=True, dim=True)
SEARCH_STYLE = Style(bgcolor="yellow", color="black", bold=True)
CURRENT_STYLE = Style(bold=True, underline=True, overline=True)
INSERT_STYLE = Style(color="green", bold=True, underline=True)
DELETE_STYLE = Style(color="red", strike=True)
CODE_STYLE = Style(color="magenta", bold=True)


def with_codes(text: Text, value: str, codes: Sequence[Code]) -> Text:
    """``text`` (the rendering of ``value``, one cell per character) with each inline code shown
    as its compact token (``{1}``, ``{/1}``, its display text), never its XML; the styles of the
    code's character (a flag, an annotation, the cursor) carry over to the token."""
    if not has_codes(value):
        return text
    cuts = [i for i, char in enumerate(value) if code_index(char) is not None]
    bounds = sorted({0, *cuts, *(i + 1 for i in cuts), len(value)})
    pieces = text.divide(bounds[1:-1])
    out = Text(overflow=text.overflow, end=text.end, style=text.style)
    for start, piece in zip(bounds, pieces, strict=False):
        index = code_index(value[start]) if start < len(value) and start in cuts else None
        if index is None:
            out.append_text(piece)
            continue
        label = codes[index].label if index < len(codes) else "{?}"
        token = Text(label, style=CODE_STYLE)
        for span in piece.spans:
            token.stylize(span.style, 0, len(label))
        out.append_text(token)
    return out


def safe_text(value: str, style: str | Style = "", keep_newlines: bool = True) -> Text:
    """Literal, visible text (control characters shown as one visible character each)."""
    text = Text(visible(value, keep_newlines), style=style, overflow="fold", end="")
    for i in escaped_positions(value):
        text.stylize(ESCAPE_STYLE, i, i + 1)
    return text


def segment_text(
    value: str,
    side: str,
    flags: Iterable[Flag] = (),
    dismissed: Iterable[str] = (),
    annotations: Iterable[Annotation] = (),
    search: re.Pattern[str] | None = None,
    current: tuple[int, int] | None = None,
    style: str | Style = "",
    codes: Sequence[Code] = (),
) -> Text:
    """A segment's text with its open flags highlighted by severity and annotations underlined."""
    text = safe_text(value, style)
    length = len(value)
    gone = set(dismissed)
    for flag in flags:
        if flag.side != side or flag.key in gone:
            continue
        start, end = _clamp(flag.start, flag.end, length)
        text.stylize(SEVERITY_STYLE.get(flag.severity, SEVERITY_STYLE["minor"]), start, end)
    for ann in annotations:
        if ann.side != side:
            continue
        start, end = _clamp(ann.start, ann.end, length)
        if start == end:
            continue
        colour = SEVERITY_FG.get(ann.severity, SEVERITY_FG["minor"]).color
        text.stylize(Style(underline=True, bold=True, color=colour), start, end)
    if search is not None:
        for match in search.finditer(value):
            if match.end() > match.start():
                text.stylize(SEARCH_STYLE, match.start(), match.end())
    if current is not None:
        start, end = _clamp(current[0], current[1], length)
        text.stylize(CURRENT_STYLE, start, max(end, start + 1) if length else end)
    return with_codes(text, value, codes)


def _clamp(start: int, end: int, length: int) -> tuple[int, int]:
    start = max(0, min(start, length))
    return start, max(start, min(end, length))


def diff_text(original: str, edited: str, codes: Sequence[Code] = ()) -> Text:
    """Character-level difference: deletions struck through in red, insertions in green."""
    if codes and (has_codes(original) or has_codes(edited)):
        return _diff_with_codes(original, edited, codes)  # a code is one character on both sides
    out = Text(overflow="fold", end="")
    matcher = difflib.SequenceMatcher(a=original, b=edited, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.append_text(safe_text(original[a0:a1]))
            continue
        if op in ("delete", "replace"):
            out.append_text(safe_text(original[a0:a1], DELETE_STYLE))
        if op in ("insert", "replace"):
            out.append_text(safe_text(edited[b0:b1], INSERT_STYLE))
    return out


def _diff_with_codes(original: str, edited: str, codes: Sequence[Code]) -> Text:
    out = Text(overflow="fold", end="")
    matcher = difflib.SequenceMatcher(a=original, b=edited, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.append_text(with_codes(safe_text(original[a0:a1]), original[a0:a1], codes))
            continue
        if op in ("delete", "replace"):
            out.append_text(with_codes(safe_text(original[a0:a1], DELETE_STYLE), original[a0:a1], codes))
        if op in ("insert", "replace"):
            out.append_text(with_codes(safe_text(edited[b0:b1], INSERT_STYLE), edited[b0:b1], codes))
    return out
