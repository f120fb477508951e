"""The side panel: the current segment's flags (on the translation, then on the post-edit) and
annotations (one of them is the current item, chosen with ``[``/``]``, always scrolled into
view), its note and the document note. In compact mode every item but the current one is one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from rich.style import Style
from rich.text import Text

from relecture.model import Annotation, Code, Flag, ReviewDocument, Segment
from relecture.textsafe import visible_line
from relecture.tui.context_panel import context_blocks
from relecture.tui.render import Palette, palette, safe_text, with_codes
from relecture.tui.text_view import Block, TextView


@lru_cache(maxsize=256)
def check_details(check_id: str) -> tuple[str, str, str]:
    """(description, explanation, suggestion) of a check, or empty strings when unknown."""
    try:
        from relecture.checks import check_info
    except ImportError:
        return "", "", ""
    try:
        info: Any = check_info(check_id)
    except (KeyError, LookupError, ValueError):
        return "", "", ""
    if info is None:
        return "", "", ""
    def get(key: str, default: str = "") -> Any:
        return info.get(key, default) if isinstance(info, dict) else getattr(info, key, default)
    return (
        str(get("description", "") or ""),
        str(get("explanation", "") or ""),
        str(get("suggestion", "") or ""),
    )


# Free text shown in the panel is cut here: wrapping a 10 MB note on every key kept the screen
# blank for a minute and a half. The whole text is in its editor (m / M), which renders lazily.
PREVIEW_CHARS = 4000


def preview(text: str, style: str = "", more: str = "") -> Text:
    """``text`` as data, at most PREVIEW_CHARS of it, saying how much was left out."""
    if len(text) <= PREVIEW_CHARS:
        return safe_text(text, style)
    shown = Text(f"(the first {PREVIEW_CHARS:,} of {len(text):,} characters{more})\n", style="dim italic", end="")
    shown.append_text(safe_text(text[:PREVIEW_CHARS], style))
    shown.append("…", style="dim")
    return shown


def segment_items(seg: Segment) -> list[Flag | Annotation]:
    """What ``[``/``]`` move through: the flags on the translation (open and dismissed), the
    flags on the post-edit (while there is one), then the annotations."""
    return [*seg.flags, *post_edit_items(seg), *seg.annotations]


def post_edit_items(seg: Segment) -> list[Flag]:
    return seg.post_edit_flags if seg.post_edit is not None else []


def on_post_edit(seg: Segment, position: int | None) -> bool:
    """Item ``position`` of ``segment_items(seg)`` is a flag found on the post-edit."""
    return position is not None and len(seg.flags) <= position < len(seg.flags) + len(post_edit_items(seg))


def annotation_position(seg: Segment, ann_index: int) -> int:
    """The item position of ``seg.annotations[ann_index]``."""
    return len(seg.flags) + len(post_edit_items(seg)) + ann_index


def flag_state(seg: Segment, flag: Flag, post_edit: bool) -> tuple[str, Annotation | None]:
    """("open" | "dismissed" | "confirmed", the annotation a confirmed flag became)."""
    if post_edit:
        return ("dismissed" if seg.post_edit_flag_dismissed(flag) else "open"), None
    if flag.key not in seg.dismissed:
        return "open", None
    ann = seg.confirmed_by(flag)
    return ("confirmed", ann) if ann is not None else ("dismissed", None)


def conflicts_text(seg: Segment) -> Text:
    """Each conflicting field with every reviewer's value (names and values are data)."""
    text = Text("Conflicts (A settles)", style="bold underline red")
    for name in seg.conflicts:
        values = " · ".join(
            f"{reviewer}: {getattr(layer, name) if getattr(layer, name) not in (None, '') else '-'}"
            for reviewer, layer in seg.layers.items()
        )
        text.append(f"\n{name.replace('_', '-')}  ", style="bold")
        text.append(visible_line(values[:300]))
    return text


class SidePanel(TextView):
    def show(
        self,
        doc: ReviewDocument,
        seg: Segment | None,
        current: int | None,
        show_doc_note: bool = True,
        *,
        compact: bool = False,
        reveal_note: bool = False,
        keep_scroll: bool = False,
    ) -> None:
        if seg is None:
            self.set_blocks([(None, Text("(no segment)"))])
            return
        dark = self.app.current_theme.dark
        context = context_blocks(seg)  # what the CAT file says about it
        # A segment with nothing of its own (most of them) shows what the last such one showed:
        # the same blocks, which the view then neither builds nor renders again.
        bare = not (seg.flags or seg.annotations or seg.conflicts or seg.post_edit is not None or seg.note
                    or context or reveal_note)
        key = (doc.note, dark, show_doc_note)
        if bare and self._bare is not None and self._bare[0] == key:
            self.set_blocks(self._bare[1], keep_scroll=keep_scroll)
            return
        self._palette = colours = palette(dark)
        self._codes: Sequence[Code] = seg.codes
        blocks: list[Block] = []
        if seg.conflicts:  # reviewers' decisions a merge could not reconcile
            blocks += [(None, conflicts_text(seg)), (None, Text(""))]
        states = [flag_state(seg, f, False) for f in seg.flags]
        counts = {name: sum(1 for state, _ in states if state == name) for name in ("open", "confirmed", "dismissed")}
        heading = f"Flags ({counts['open']} open"
        heading += f", {counts['confirmed']} confirmed" if counts["confirmed"] else ""
        heading += f", {counts['dismissed']} dismissed)"
        blocks.append((None, Text(heading, style="bold underline")))
        if not seg.flags:
            blocks.append((None, Text("none", style=colours.muted)))
        position = 0
        for flag, (state, ann) in zip(seg.flags, states, strict=True):
            link = seg.annotations.index(ann) + 1 if ann is not None else None
            blocks.append((f"item{position}", self._flag(flag, state, link, position == current, compact, False)))
            position += 1
        edited = post_edit_items(seg)
        if seg.post_edit is not None:
            open_count = sum(1 for f in edited if not seg.post_edit_flag_dismissed(f))
            blocks.append((None, Text("")))
            blocks.append((None, Text(f"Flags on the post-edit ({open_count} open)", style="bold underline")))
            if not edited:
                blocks.append((None, Text("none: the checks find nothing in it", style=colours.muted)))
            for flag in edited:
                state, _ = flag_state(seg, flag, True)
                blocks.append((f"item{position}", self._flag(flag, state, None, position == current, compact, True)))
                position += 1
        blocks.append((None, Text("")))
        blocks.append((None, Text(f"Annotations ({len(seg.annotations)})", style="bold underline")))
        if not seg.annotations:
            blocks.append((None, Text("none", style=colours.muted)))
        for j, ann in enumerate(seg.annotations):
            blocks.append((f"item{position}", self._annotation(ann, j + 1, position == current, compact)))
            position += 1
        blocks += [(None, block) for block in context]
        blocks.append((None, Text("")))
        note = Text("Segment note", style="bold underline", end="")
        note.append("\n")
        note.append_text(preview(seg.note, more="; m shows it all") if seg.note else Text("none (m to write one)", style=colours.muted))
        blocks.append(("note", note))
        if show_doc_note:
            blocks.append((None, Text("")))
            blocks.append((None, Text("Document note", style="bold underline")))
            blocks.append((None, preview(doc.note, more="; M shows it all") if doc.note else Text("none (M to write one)", style=colours.muted)))
        self._bare = (key, blocks) if bare else self._bare
        reveal = "note" if reveal_note else (f"item{current}" if current is not None else None)
        # A saved note goes as high as it can: the toast confirming it covers the panel's foot.
        self.set_blocks(blocks, keep_scroll=keep_scroll, reveal=reveal, at_top=reveal_note)

    _palette: Palette = palette(True)
    _bare: tuple[tuple[object, ...], list[Block]] | None = None  # see show
    _codes: Sequence[Code] = ()

    def _flag(
        self, flag: Flag, state: str, link: int | None, is_current: bool, compact: bool, on_edit: bool
    ) -> Text:
        colours = self._palette
        severity_fg = colours.severity_fg
        closed = state != "open"
        if compact and not is_current:
            # One line: a sign for its state (· open, ✓ confirmed, ✗ dismissed) first, so that
            # the state survives the cut at the panel's edge.
            line = Text(no_wrap=True, overflow="ellipsis", end="")
            line.append({"open": "  · ", "confirmed": "  ✓ ", "dismissed": "  ✗ "}[state])
            line.append(flag.severity, style=severity_fg.get(flag.severity, ""))
            line.append(f" {visible_line(flag.check)}", style="bold")
            line.append(" ")
            line.append_text(safe_text(flag.message, keep_newlines=False))
            if closed:
                line.stylize(colours.muted)
            return line
        text = Text(overflow="fold", end="")
        text.append("▶ " if is_current else "  ", style="bold")
        text.append(f"{flag.severity}", style=severity_fg.get(flag.severity, ""))
        # Check ids, categories, authors and origins are free text in imported files: data too.
        text.append(f" {visible_line(flag.check)}", style="bold")
        text.append(f" [{'post-edit' if on_edit and flag.side == 'target' else flag.side}]", style=colours.muted)
        if state == "confirmed":
            text.append(f"\n  confirmed → annotation {link}", style="bold")
        elif closed:
            text.append(" dismissed", style=colours.muted + Style(italic=True))
        text.append("\n  ")
        text.append_text(preview(flag.message))
        if flag.text:
            text.append("\n  « ", style=colours.muted)
            text.append_text(with_codes(safe_text(flag.text[:200], "italic", spaces=True), flag.text[:200], self._codes))
            text.append(" »", style=colours.muted)
        description, explanation, suggestion = check_details(flag.check)
        why = explanation or description
        if why and not compact:  # compact: the current item without its long explanation
            text.append("\n  ")
            text.append_text(safe_text(why, colours.muted))
        if flag.suggestion is not None and not closed:
            text.append("\n  → ", style=colours.fix)
            text.append_text(safe_text(flag.suggestion, colours.fix, spaces=True) if flag.suggestion
                             else Text("(delete it)", style=colours.fix + Style(italic=True)))
            text.append("  A applies it", style=colours.muted)
        elif suggestion and not closed:
            text.append("\n  → ", style=colours.fix)
            text.append_text(safe_text(suggestion, colours.fix, spaces=True))
        text.append(f"\n  {visible_line(flag.category)}", style=colours.muted + Style(italic=True))
        if closed:
            text.stylize(colours.muted)
        return text

    def _annotation(self, ann: Annotation, number: int, is_current: bool, compact: bool) -> Text:
        colours = self._palette
        severity_fg = colours.severity_fg
        if compact and not is_current:
            line = Text(no_wrap=True, overflow="ellipsis", end="")
            line.append(f"  {number}. ")
            line.append(ann.severity, style=severity_fg.get(ann.severity, ""))
            line.append(f" {visible_line(ann.category)}", style="bold")
            if ann.text:
                line.append(" « ", style=colours.muted)
                line.append_text(safe_text(ann.text[:80], "underline", keep_newlines=False))
                line.append(" »", style=colours.muted)
            return line
        text = Text(overflow="fold", end="")
        text.append("▶ " if is_current else "  ", style="bold")
        text.append(f"{number}. ")
        text.append(ann.severity, style=severity_fg.get(ann.severity, ""))
        text.append(" ")
        text.append(visible_line(ann.category), style="bold")
        text.append(f" [{ann.side} {ann.start}-{ann.end}]", style=colours.muted)
        if ann.text:
            text.append("\n  « ", style=colours.muted)
            text.append_text(with_codes(safe_text(ann.text[:200], "underline", spaces=True), ann.text[:200], self._codes))
            text.append(" »", style=colours.muted)
        if ann.comment:
            text.append("\n  ")
            text.append_text(preview(ann.comment))
        if ann.correction:
            text.append("\n  → ", style=colours.fix)
            text.append_text(safe_text(ann.correction, colours.fix, spaces=True))
            if ann.side == "target":
                text.append("  A applies it", style=colours.muted)
        if ann.author or ann.origin != "manual":
            text.append(f"\n  {visible_line(ann.author or 'reviewer')} · {visible_line(ann.origin)}", style=colours.muted)
        return text
