"""What the HTML and Markdown reports show, computed once: summary figures and, per segment,
the marks (annotations and open flags) to highlight with their numbered notes.

Both reports render the same ``Report``; only the escaping and layout differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from relecture.exporters import ExportOptions
from relecture.metrics import MetricSet, post_edit_metrics
from relecture.model import (
    SEVERITIES,
    SEVERITY_RANK,
    STATUSES,
    Code,
    Flag,
    ReviewDocument,
    Segment,
    show_codes,
)
from relecture.scoring import (
    GroupScore,
    ScoringSettings,
    score_documents,
    score_segment,
    segment_mqm,
    segment_raters,
    segment_system,
)

# What a strip cell shows when a stretch of segments holds several statuses: the worst one, as
# for errors (one rejected segment among approved ones is what a lead must see).
STATUS_GRAVITY: tuple[str, ...] = ("approved", "todo", "needs-work", "rejected")


@dataclass
class Mark:
    """One highlighted span: an annotation, an open flag or an open flag on the post-edit
    (``side`` "post-edit": its offsets index the post-edit), numbered within its segment."""

    number: int
    kind: str  # annotation | flag | post-edit flag
    side: str  # source | target | post-edit
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


@dataclass(frozen=True)
class StripCell:
    """A stretch of consecutive segments, one place of the document strip."""

    first: int  # index of the first segment
    last: int  # index of the last segment (inclusive)
    error: str | None  # worst annotated severity in the stretch
    flag: str | None  # worst open-flag severity in the stretch
    status: str  # worst status in the stretch (STATUS_GRAVITY)
    errors: int  # annotated errors in the stretch (how dense they are where "worst" saturates)
    focus: int  # the segment to go to: the first with the worst error, else flag, else ``first``

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    @property
    def label(self) -> str:
        return f"segment {self.first + 1}" if self.first == self.last else f"segments {self.first + 1}-{self.last + 1}"


@dataclass
class Tally:
    """Counts over a document in one pass: what the summary screen and the reports chart."""

    by_category: dict[str, dict[str, int]]  # category -> severity -> annotations (sorted)
    open_flags: dict[str, int]  # severity -> open flags
    flags_by_family: dict[str, dict[str, int]]  # family -> severity -> open flags (sorted)
    statuses: dict[str, int]
    # Per segment, compactly (100,000 segments): worst annotation / open flag severity rank + 1
    # (0 = none) and the status's index in STATUS_GRAVITY.
    error_rank: bytearray
    flag_rank: bytearray
    status_rank: bytearray
    error_count: list[int]  # annotations per segment
    # family -> severity -> open flags on post-edits (the final text), kept apart (sorted)
    post_edit_flags_by_family: dict[str, dict[str, int]] = field(default_factory=dict)

    def strip(self, cells: int) -> list[StripCell]:
        """The document cut into at most ``cells`` equal stretches, in order (O(segments))."""
        n = len(self.error_rank)
        cells = max(1, min(cells, n))
        out: list[StripCell] = []
        errors, flags, statuses = self.error_rank, self.flag_rank, self.status_rank
        for c in range(cells if n else 0):
            first, end = c * n // cells, (c + 1) * n // cells
            error, flag = max(errors[first:end]), max(flags[first:end])
            focus = first
            if error:
                focus = errors.index(error, first, end)
            elif flag:
                focus = flags.index(flag, first, end)
            out.append(StripCell(
                first=first,
                last=end - 1,
                error=SEVERITIES[error - 1] if error else None,
                flag=SEVERITIES[flag - 1] if flag else None,
                status=STATUS_GRAVITY[max(statuses[first:end])],
                errors=sum(self.error_count[first:end]),
                focus=focus,
            ))
        return out


def tally(segments: Sequence[Segment]) -> Tally:
    by_category: dict[str, dict[str, int]] = {}
    open_flags = dict.fromkeys(SEVERITIES, 0)
    by_family: dict[str, dict[str, int]] = {}
    post_edit_by_family: dict[str, dict[str, int]] = {}
    statuses = dict.fromkeys(STATUSES, 0)
    n = len(segments)
    error_rank, flag_rank, status_rank = bytearray(n), bytearray(n), bytearray(n)
    error_count = [0] * n
    gravity = {s: i for i, s in enumerate(STATUS_GRAVITY)}
    for i, seg in enumerate(segments):
        statuses[seg.status] = statuses.get(seg.status, 0) + 1
        status_rank[i] = gravity.get(seg.status, 0)
        worst = 0
        for a in seg.annotations:
            counts = by_category.setdefault(a.category, dict.fromkeys(SEVERITIES, 0))
            counts[a.severity] += 1
            worst = max(worst, SEVERITY_RANK[a.severity] + 1)
        error_rank[i] = worst
        error_count[i] = len(seg.annotations)
        if seg.flags:
            worst = 0
            for f in seg.open_flags:
                open_flags[f.severity] += 1
                family = by_family.setdefault(f.family, dict.fromkeys(SEVERITIES, 0))
                family[f.severity] += 1
                worst = max(worst, SEVERITY_RANK[f.severity] + 1)
            flag_rank[i] = worst
        if seg.post_edit_flags:
            for f in seg.open_post_edit_flags:
                family = post_edit_by_family.setdefault(f.family, dict.fromkeys(SEVERITIES, 0))
                family[f.severity] += 1
    return Tally(
        by_category=dict(sorted(by_category.items())),
        open_flags=open_flags,
        flags_by_family=dict(sorted(by_family.items())),
        statuses=statuses,
        error_rank=error_rank,
        flag_rank=flag_rank,
        status_rank=status_rank,
        error_count=error_count,
        post_edit_flags_by_family=dict(sorted(post_edit_by_family.items())),
    )


@dataclass
class Scores:
    """Segment scores as the charts need them: every rated segment's MQM score, every ESA score,
    and the same per system and per rater (only when there are several of them)."""

    mqm: list[float]
    esa: list[int]
    by_system: dict[str, list[float]]
    esa_by_system: dict[str, list[int]]
    by_rater: dict[str, list[float]]


def segment_scores(segments: Sequence[Segment], settings: ScoringSettings) -> Scores:
    mqm: list[float] = []
    esa: list[int] = []
    by_system: dict[str, list[float]] = {}
    esa_by_system: dict[str, list[int]] = {}
    raters: set[str] = set()
    rated: list[Segment] = []
    for seg in segments:
        system = segment_system(seg)
        if seg.esa is not None:
            esa.append(seg.esa)
            esa_by_system.setdefault(system, []).append(seg.esa)
        # segment_mqm, not score_segment: counting words (unused here) is most of the latter's cost.
        score = segment_mqm(seg, settings)
        if score is None:
            continue
        mqm.append(score)
        by_system.setdefault(system, []).append(score)
        raters.update(segment_raters(seg, settings))
        rated.append(seg)
    by_rater: dict[str, list[float]] = {}
    if len(raters) > 1:
        for seg in rated:
            for rater, value in score_segment(seg, settings).by_rater.items():
                by_rater.setdefault(rater, []).append(value)
    return Scores(
        mqm=mqm,
        esa=esa,
        by_system=by_system if len(by_system) > 1 else {},
        esa_by_system=esa_by_system if len(esa_by_system) > 1 else {},
        by_rater=by_rater,
    )


@dataclass
class Report:
    doc: ReviewDocument
    settings: ScoringSettings
    total: GroupScore
    systems: list[GroupScore]
    by_category: dict[str, dict[str, int]]  # category -> severity -> annotations
    open_flags: dict[str, int]  # severity -> open flags
    post_edited: int
    post_edit_flags: int  # open flags found on post-edits (not counted in MQM either)
    metrics: MetricSet | None
    segments: list[tuple[Segment, list[Mark]]] = field(default_factory=list)
    tally: Tally | None = None
    scores: Scores | None = None

    @property
    def reviewed(self) -> int:
        return sum(v for k, v in self.total.statuses.items() if k != "todo")

    def status_counts(self) -> list[tuple[str, int]]:
        return [(s, self.total.statuses.get(s, 0)) for s in STATUSES]


def settings_of(options: ExportOptions) -> ScoringSettings:
    return options.scoring_settings()


def build_report(doc: ReviewDocument, options: ExportOptions, charts: bool = False) -> Report:
    """Everything a report shows; ``charts`` adds the per-segment scores the charts plot."""
    settings = settings_of(options)
    overall = score_documents([doc], by="document", settings=settings)
    systems: list[GroupScore] = []
    if any(segment_system(s) != "(none)" for s in doc.segments):
        by_system = score_documents([doc], by="system", settings=settings)
        systems = [g for g in by_system.groups if isinstance(g, GroupScore)]
    counts = tally(doc.segments)
    report_segments: list[tuple[Segment, list[Mark]]] = []
    for seg in doc.segments:
        marks: list[Mark] = []
        for a in seg.annotations:
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
        flags: list[tuple[str, str, Flag]] = [("flag", f.side, f) for f in seg.open_flags]
        flags += [("post-edit flag", "post-edit" if f.side == "target" else f.side, f) for f in seg.open_post_edit_flags]
        for kind, side, f in flags:
            marks.append(
                Mark(
                    number=len(marks) + 1,
                    kind=kind,
                    side=side,
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
        if seg.codes:  # a span's text and correction read as the segment does: codes as tokens
            for m in marks:
                m.text, m.correction = show_codes(m.text, seg.codes), show_codes(m.correction, seg.codes)
        report_segments.append((seg, marks))
    return Report(
        doc=doc,
        settings=settings,
        total=overall.total,
        systems=systems,
        by_category=counts.by_category,
        open_flags=counts.open_flags,
        post_edited=sum(1 for s in doc.segments if s.post_edit is not None),
        post_edit_flags=sum(len(s.open_post_edit_flags) for s in doc.segments),
        metrics=post_edit_metrics(doc.segments, doc.target_lang),
        segments=report_segments,
        tally=counts,
        scores=segment_scores(doc.segments, settings) if charts else None,
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
