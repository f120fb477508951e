"""Building ``rich.text.Text`` for segment text: never markup, spans highlighted by offset.

Shared by the reading pane, the side panel and the modals. ``Text(str)`` never parses markup,
and ``visible`` keeps offsets, so ``stylize(start, end)`` lands on the right characters.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.style import Style
from rich.text import Text

from relecture import patterns
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
# Colours for text on the light theme's panes (contrast of 4.5:1 or more on its greys).
SEVERITY_FG_LIGHT: dict[str, Style] = {
    "critical": Style(color="#b00020", bold=True),
    "major": Style(color="#8a4500"),
    "minor": Style(color="#00508a"),
    "neutral": Style(color="#4a4a4a"),
}


@dataclass(frozen=True)
class Palette:
    """Colours of text drawn by relecture itself (not by CSS), per theme brightness."""

    severity_fg: dict[str, Style]
    fix: Style  # a suggestion or correction; a good save state
    muted: Style  # secondary text ("dim" loses too much contrast on the light greys)
    insert: Style  # a post-edit's difference from the translation
    delete: Style


DARK = Palette(SEVERITY_FG, Style(color="green"), Style(color="#9a9a9a"),
               Style(color="green", bold=True, underline=True), Style(color="#ff5f5f", strike=True))
LIGHT = Palette(SEVERITY_FG_LIGHT, Style(color="#1e5f00"), Style(color="#4a4a4a"),
                Style(color="#1e5f00", bold=True, underline=True), Style(color="#b00020", strike=True))


def palette(dark: bool) -> Palette:
    return DARK if dark else LIGHT


ESCAPE_STYLE = Style(reverse=True, dim=True)
# Search hits get a colour no severity uses (critical red, major orange, minor cyan, neutral grey).
SEARCH_STYLE = Style(bgcolor="magenta", color="white", bold=True, underline=True)
CURRENT_STYLE = Style(bold=True, underline=True, overline=True)
HIGHLIGHT_BUDGET = 0.25  # seconds to mark a search's hits in one text
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


# Non-breaking spaces look like spaces; where they matter (a suggestion, a post-edit) they are
# shown as signs, one character each so offsets hold.
NBSP, NNBSP = "\u00a0", "\u202f"
SPACE_SIGNS = {NBSP: "⍽", NNBSP: "·"}
SPACE_SIGN_STYLE = Style(color="bright_blue", bold=True)
_SPACE_TABLE = str.maketrans(SPACE_SIGNS)
SPACE_LEGEND = f"{SPACE_SIGNS[NBSP]} non-breaking space, {SPACE_SIGNS[NNBSP]} narrow non-breaking space"


def safe_text(value: str, style: str | Style = "", keep_newlines: bool = True, spaces: bool = False) -> Text:
    """Literal, visible text (control characters shown as one visible character each; with
    ``spaces``, non-breaking and narrow non-breaking spaces as signs too)."""
    shown = visible(value, keep_newlines)
    if spaces:
        shown = shown.translate(_SPACE_TABLE)
    text = Text(shown, style=style, overflow="fold", end="")
    for i in escaped_positions(value):
        text.stylize(ESCAPE_STYLE, i, i + 1)
    if spaces:
        stylize_space_signs(text, value)
    return text


def stylize_space_signs(text: Text, value: str) -> None:
    """Mark the non-breaking spaces of ``value`` (shown at the same offsets in ``text``)."""
    if NBSP in value or NNBSP in value:
        for i, char in enumerate(value):
            if char in (NBSP, NNBSP):
                text.stylize(SPACE_SIGN_STYLE, i, i + 1)


def show_space_signs(value: str) -> str:
    return value.translate(_SPACE_TABLE)


def segment_text(
    value: str,
    side: str,
    flags: Iterable[Flag] = (),
    dismissed: Iterable[str] = (),
    annotations: Iterable[Annotation] = (),
    search: Any = None,  # SearchSpec.compile()
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
        with contextlib.suppress(TimeoutError):  # a pathological pattern: its hits go unmarked
            for match in patterns.finditer(search, value, HIGHLIGHT_BUDGET):
                if match.end() > match.start():
                    text.stylize(SEARCH_STYLE, match.start(), match.end())
    if current is not None:
        start, end = _clamp(current[0], current[1], length)
        text.stylize(CURRENT_STYLE, start, max(end, start + 1) if length else end)
    return with_codes(text, value, codes)


def _clamp(start: int, end: int, length: int) -> tuple[int, int]:
    start = max(0, min(start, length))
    return start, max(start, min(end, length))


def diff_text(
    original: str, edited: str, flags: Iterable[Flag] = (), dark: bool = True, codes: Sequence[Code] = ()
) -> Text:
    """Character-level difference: deletions struck through in red, insertions in green; the
    open ``flags`` found on ``edited`` highlighted by severity; non-breaking spaces as signs;
    inline codes as their tokens."""
    colours = palette(dark)
    out = Text(overflow="fold", end="")
    where: list[int] = []  # position in ``out`` of each character of ``edited``
    matcher = difflib.SequenceMatcher(a=original, b=edited, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            where.extend(range(len(out), len(out) + b1 - b0))
            out.append_text(safe_text(original[a0:a1], spaces=True))
            continue
        if op in ("delete", "replace"):
            out.append_text(safe_text(original[a0:a1], colours.delete, spaces=True))
        if op in ("insert", "replace"):
            where.extend(range(len(out), len(out) + b1 - b0))
            out.append_text(safe_text(edited[b0:b1], colours.insert, spaces=True))
    where.append(len(out))
    for flag in flags:
        if flag.side != "target":
            continue
        start, end = _clamp(flag.start, flag.end, len(edited))
        style = SEVERITY_STYLE.get(flag.severity, SEVERITY_STYLE["minor"])
        # Deletions may sit inside the span: mark the post-edit's own characters, run by run.
        i = start
        while i < end:
            j = i + 1
            while j < end and where[j] == where[j - 1] + 1:
                j += 1
            out.stylize(style, where[i], where[j - 1] + 1)
            i = j
    return with_codes(out, out.plain, codes)  # one character per cell: the plain text lines up


def map_span(original: str, edited: str | None, start: int, end: int) -> tuple[int, int] | None:
    """Where ``original[start:end]`` is in ``edited`` (itself when there is no edit), or None
    when the edit changed any of it: a correction is applied only to text still as it was."""
    if edited is None:
        return start, end
    matcher = difflib.SequenceMatcher(a=original, b=edited, autojunk=False)
    for a0, b0, size in matcher.get_matching_blocks():
        if a0 <= start and end <= a0 + size:
            return b0 + start - a0, b0 + end - a0
    return None
