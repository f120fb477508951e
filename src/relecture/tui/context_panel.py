"""The side panel's "Context" section: what the CAT file or catalogue says about a segment.

Kept apart from the side panel's layout so each can change alone: gettext context, plural form,
comments, locations, the previous msgid of a fuzzy entry (as a difference), ``<alt-trans>`` TM/MT
proposals, the Trados / memoQ status and lock. Everything here is imported text: data, never markup.
"""

from __future__ import annotations

from rich.text import Text

from relecture.model import Segment
from relecture.tui.render import diff_text, safe_text

MAX_LOCATIONS = 5
MAX_PROPOSALS = 5


def context_blocks(seg: Segment) -> list[Text]:
    """The Context section of ``seg`` (empty when the file said nothing beyond the texts)."""
    meta = seg.meta
    rows: list[Text] = []

    def row(label: str, value: str, style: str = "") -> None:
        # The label on its own line: the panel is narrow, and values are often long.
        text = Text(f"{label}\n  ", style="dim", overflow="fold")
        text.append_text(safe_text(value, style))
        rows.append(text)

    def text_of(key: str) -> str:
        value = meta.get(key)
        return value if isinstance(value, str) else ""

    if text_of("plural_label"):
        row("Plural form", text_of("plural_label"), "bold")
    if text_of("msgctxt"):
        row("Context (msgctxt)", text_of("msgctxt"))
    if text_of("resname"):
        row("Resource", text_of("resname"))
    if text_of("developer_comments"):
        row("Developer comment", text_of("developer_comments"))
    if text_of("translator_comments"):
        row("Translator comment", text_of("translator_comments"))
    locations = [loc for loc in meta.get("locations") or [] if isinstance(loc, str)]
    if locations:
        more = f" (+{len(locations) - MAX_LOCATIONS})" if len(locations) > MAX_LOCATIONS else ""
        row("Locations", ", ".join(locations[:MAX_LOCATIONS]) + more)
    previous = text_of("previous_msgid")
    if previous:
        text = Text("Previous source (fuzzy)\n  ", style="dim", overflow="fold")
        text.append_text(diff_text(previous, seg.source or ""))
        rows.append(text)
    if text_of("sdl_conf"):
        row("Trados", text_of("sdl_conf"))
    if text_of("mq_status"):
        row("memoQ", text_of("mq_status"))
    if meta.get("locked"):
        rows.append(Text("locked (read-only)", style="bold"))
    proposals = [p for p in meta.get("alt_trans") or [] if isinstance(p, dict) and isinstance(p.get("target"), str)]
    for proposal in proposals[:MAX_PROPOSALS]:
        origin = " ".join(
            str(v) for v in (proposal.get("origin"), proposal.get("match-quality")) if isinstance(v, str) and v
        )
        row(f"Proposal{' (' + origin + ')' if origin else ''}", proposal["target"], "italic")
    if not rows:
        return []
    return [Text(""), Text("Context", style="bold underline"), *rows]
