"""What the HTML and Markdown reports show, computed once: summary figures and, per segment,
the marks (annotations and open flags) to highlight with their numbered notes.

Both reports render the same ``Report``; only the escaping and layout differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from relecture.exporters import ExportOptions
from relecture.metrics import MetricSet, post_edit_metrics
from relecture.model import SEVERITIES, STATUSES, Code, ReviewDocument, Segment, show_codes
from relecture.scoring import (
    GroupScore,
    ScoringSettings,
    score_documents,
    segment_system,
)


@dataclass
class Mark:
    """One highlighted span: an annotation or an open flag, numbered within its segment."""

    number: int
    kind: str  # annotation | flag
    side: str
    start: int
    end: int
    severity: str
    category: str
    text: str
    comment: str
    correction: str
    author: str = ""
    check: str = ""


@dataclass
class Piece:
    """A run of text between mark boundaries, with the marks covering it."""

    text: str
    marks: list[Mark]
    ending: list[Mark]  # marks whose span ends right after this piece (or here, if empty)


@dataclass
class Report:
    doc: ReviewDocument
    settings: ScoringSettings
    total: GroupScore
    systems: list[GroupScore]
    by_category: dict[str, dict[str, int]]  # category -> severity -> annotations
    open_flags: dict[str, int]  # severity -> open flags
    post_edited: int
    metrics: MetricSet | None
    segments: list[tuple[Segment, list[Mark]]] = field(default_factory=list)

    @property
    def reviewed(self) -> int:
        return sum(v for k, v in self.total.statuses.items() if k != "todo")

    def status_counts(self) -> list[tuple[str, int]]:
        return [(s, self.total.statuses.get(s, 0)) for s in STATUSES]


def settings_of(options: ExportOptions) -> ScoringSettings:
    value: Any = options.settings.get("scoring")
    return value if isinstance(value, ScoringSettings) else ScoringSettings()


def build_report(doc: ReviewDocument, options: ExportOptions) -> Report:
    settings = settings_of(options)
    overall = score_documents([doc], by="document", settings=settings)
    systems: list[GroupScore] = []
    if any(segment_system(s) != "(none)" for s in doc.segments):
        by_system = score_documents([doc], by="system", settings=settings)
        systems = [g for g in by_system.groups if isinstance(g, GroupScore)]
    by_category: dict[str, dict[str, int]] = {}
    open_flags = dict.fromkeys(SEVERITIES, 0)
    report_segments: list[tuple[Segment, list[Mark]]] = []
    for seg in doc.segments:
        marks: list[Mark] = []
        for a in seg.annotations:
            counts = by_category.setdefault(a.category, dict.fromkeys(SEVERITIES, 0))
            counts[a.severity] = counts.get(a.severity, 0) + 1
            marks.append(
                Mark(
                    number=len(marks) + 1,
                    kind="annotation",
                    side=a.side,
                    start=a.start,
                    end=a.end,
                    severity=a.severity,
                    category=a.category,
                    text=a.text,
                    comment=a.comment,
                    correction=a.correction,
                    author=a.author,
                )
            )
        for f in seg.open_flags:
            open_flags[f.severity] = open_flags.get(f.severity, 0) + 1
            marks.append(
                Mark(
                    number=len(marks) + 1,
                    kind="flag",
                    side=f.side,
                    start=f.start,
                    end=f.end,
                    severity=f.severity,
                    category=f.category,
                    text=f.text,
                    comment=f.message,
                    correction=f.suggestion or "",
                    check=f.check,
                )
            )
        report_segments.append((seg, marks))
    return Report(
        doc=doc,
        settings=settings,
        total=overall.total,
        systems=systems,
        by_category=dict(sorted(by_category.items())),
        open_flags=open_flags,
        post_edited=sum(1 for s in doc.segments if s.post_edit is not None),
        metrics=post_edit_metrics(doc.segments, doc.target_lang),
        segments=report_segments,
    )


def pieces(text: str, marks: list[Mark], codes: Sequence[Code] = ()) -> list[Piece]:
    """Cut ``text`` at every mark boundary; each piece knows the marks covering it.

    Overlapping and nested spans are fine. An empty span (an insertion point, e.g. where an
    omission goes) yields an empty piece at its offset. Offsets outside the text are clamped.
    """
    length = len(text)
    spans = [(max(0, min(m.start, length)), max(0, min(m.end, length)), m) for m in marks]
    spans = [(s, max(s, e), m) for s, e, m in spans]
    cuts = sorted({0, length, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[Piece] = []
    for i, pos in enumerate(cuts):
        empties = [m for s, e, m in spans if s == e == pos]
        if empties:
            out.append(Piece("", [], empties))
        if i + 1 < len(cuts):
            nxt = cuts[i + 1]
            covering = [m for s, e, m in spans if s <= pos and nxt <= e and s < e]
            ending = [m for s, e, m in spans if e == nxt and s < e]
            # An inline code shows as its token ({1}), never as an invisible private-use character.
            out.append(Piece(show_codes(text[pos:nxt], list(codes)), covering, ending))
    return out


def worst(marks: list[Mark]) -> str:
    return max((m.severity for m in marks), key=SEVERITIES.index, default="neutral")


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
