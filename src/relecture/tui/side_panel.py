"""The side panel: the current segment's flags and annotations (one of them is the current item,
chosen with ``[``/``]``), its note and the document note.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from rich.console import Group
from rich.text import Text

from relecture.model import Annotation, Code, Flag, ReviewDocument, Segment
from relecture.textsafe import visible_line
from relecture.tui.context_panel import context_blocks
from relecture.tui.render import SEVERITY_FG, safe_text, with_codes
from relecture.tui.text_view import TextView


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
    if isinstance(info, dict):
        get = info.get
    else:
        def get(key: str, default: str = "") -> Any:
            return getattr(info, key, default)
    return (
        str(get("description", "") or ""),
        str(get("explanation", "") or ""),
        str(get("suggestion", "") or ""),
    )


def segment_items(seg: Segment) -> list[Flag | Annotation]:
    """What ``[``/``]`` move through: the flags (open and dismissed) then the annotations."""
    return [*seg.flags, *seg.annotations]


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
    def show(self, doc: ReviewDocument, seg: Segment | None, current: int | None, show_doc_note: bool = True) -> None:
        blocks: list[Text] = []
        if seg is None:
            self.set_blocks([(None, Text("(no segment)"))])
            return
        if seg.conflicts:  # reviewers' decisions a merge could not reconcile
            blocks += [conflicts_text(seg), Text("")]
        dismissed = set(seg.dismissed)
        open_count = sum(1 for f in seg.flags if f.key not in dismissed)
        blocks.append(Text(f"Flags ({open_count} open, {len(seg.flags) - open_count} dismissed)", style="bold underline"))
        if not seg.flags:
            blocks.append(Text("none", style="dim"))
        for i, flag in enumerate(seg.flags):
            blocks.append(self._flag(flag, flag.key in dismissed, i == current, seg.codes))
        blocks.append(Text(""))
        blocks.append(Text(f"Annotations ({len(seg.annotations)})", style="bold underline"))
        if not seg.annotations:
            blocks.append(Text("none", style="dim"))
        for j, ann in enumerate(seg.annotations):
            blocks.append(self._annotation(ann, len(seg.flags) + j == current, seg.codes))
        blocks += context_blocks(seg)  # what the CAT file or catalogue says about the segment
        blocks.append(Text(""))
        blocks.append(Text("Segment note", style="bold underline"))
        blocks.append(safe_text(seg.note) if seg.note else Text("none (m to write one)", style="dim"))
        if show_doc_note:
            blocks.append(Text(""))
            blocks.append(Text("Document note", style="bold underline"))
            blocks.append(safe_text(doc.note) if doc.note else Text("none (M to write one)", style="dim"))
        self.set_blocks([(None, Group(*blocks))])

    @staticmethod
    def _flag(flag: Flag, is_dismissed: bool, is_current: bool, codes: Sequence[Code] = ()) -> Text:
        text = Text(overflow="fold")
        text.append("▶ " if is_current else "  ", style="bold")
        text.append(f"{flag.severity}", style=SEVERITY_FG.get(flag.severity, ""))
        # Check ids, categories, authors and origins are free text in imported files: data too.
        text.append(f" {visible_line(flag.check)}", style="bold")
        text.append(f" [{flag.side}]", style="dim")
        if is_dismissed:
            text.append(" dismissed", style="italic dim")
        text.append("\n  ")
        text.append_text(safe_text(flag.message))
        if flag.text:
            text.append("\n  « ", style="dim")
            text.append_text(with_codes(safe_text(flag.text[:200], "italic"), flag.text[:200], codes))
            text.append(" »", style="dim")
        description, explanation, suggestion = check_details(flag.check)
        why = explanation or description
        if why:
            text.append("\n  ")
            text.append_text(safe_text(why, "dim"))
        fix = flag.suggestion or suggestion
        if fix:
            text.append("\n  → ", style="green")
            text.append_text(safe_text(fix, "green"))
        text.append(f"\n  {visible_line(flag.category)}", style="dim italic")
        if is_dismissed:
            text.stylize("dim")
        return text

    @staticmethod
    def _annotation(ann: Annotation, is_current: bool, codes: Sequence[Code] = ()) -> Text:
        text = Text(overflow="fold")
        text.append("▶ " if is_current else "  ", style="bold")
        text.append(ann.severity, style=SEVERITY_FG.get(ann.severity, ""))
        text.append(" ")
        text.append(visible_line(ann.category), style="bold")
        text.append(f" [{ann.side} {ann.start}-{ann.end}]", style="dim")
        if ann.text:
            text.append("\n  « ", style="dim")
            text.append_text(with_codes(safe_text(ann.text[:200], "underline"), ann.text[:200], codes))
            text.append(" »", style="dim")
        if ann.comment:
            text.append("\n  ")
            text.append_text(safe_text(ann.comment))
        if ann.correction:
            text.append("\n  → ", style="green")
            text.append_text(safe_text(ann.correction, "green"))
        if ann.author or ann.origin != "manual":
            text.append(f"\n  {visible_line(ann.author or 'reviewer')} · {visible_line(ann.origin)}", style="dim")
        return text
