"""Adjudication: a lead settles what the reviewers of a document disagree on.

A segment needs adjudication when its reviewers differ: a merge left a conflict (status,
post-edit, note, ESA score), their MQM scores of it are ``gap`` or more apart (default 5, one
major error), or a major (or critical) error span of one reviewer is marked by no other reviewer
who rated it. It is settled once no conflict is left and the lead has decided on every other
reviewer's annotation.

The lead's decisions make the final layer, in the lead's name, as Anthea lets a rater revise an
earlier rater's (or a machine's) annotations: accepting an annotation puts a copy of it in the
lead's name (``origin`` ``adjudicated:REVIEWER``), editing puts the edited copy, rejecting puts
none; the original stays in its reviewer's layer, marked with the decision
(``meta["adjudication"]``), so agreement figures still see what each reviewer said. Automatic
flags are a layer too: accepting one makes it the lead's annotation, rejecting dismisses it.
Taking a reviewer's decisions sets each conflicting field to that reviewer's value in the lead's
name, which settles it. ``score --by rater`` then shows the final layer as the lead's row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from relecture import changes as ch
from relecture.changes import Change
from relecture.layers import MAJOR_SEVERITIES, error_spans, layer_value
from relecture.model import Annotation, Flag, ReviewDocument, Segment
from relecture.scoring import ScoringSettings, score_segment

DEFAULT_GAP = 5.0
DECISIONS = ("accepted", "edited", "rejected")
CHECKS = "(checks)"  # the column of automatic flags


@dataclass
class Disagreement:
    index: int  # of the segment in the document
    reasons: list[str]


def decision_of(annotation: Annotation) -> str | None:
    value = annotation.meta.get("adjudication")
    return value.get("decision") if isinstance(value, dict) else None


def reasons(seg: Segment, settings: ScoringSettings, lead: str, gap: float = DEFAULT_GAP) -> list[str]:
    """Why the reviewers of ``seg`` (the lead aside) disagree; empty when they do not."""
    out: list[str] = []
    if seg.conflicts:
        out.append("they set " + ", ".join(f.replace("_", "-") for f in seg.conflicts) + " differently")
    scores = {r: s for r, s in score_segment(seg, settings).by_rater.items() if r != lead}
    if len(scores) >= 2 and max(scores.values()) - min(scores.values()) >= gap:
        worst = max(scores, key=scores.__getitem__)
        best = min(scores, key=scores.__getitem__)
        out.append(f"MQM {scores[worst]:g} by {worst}, {scores[best]:g} by {best}")
    by_rater: dict[str, list[Annotation]] = {r: [] for r in scores}
    for a in seg.annotations:
        name = a.author or settings.local_rater
        if name in by_rater:
            by_rater[name].append(a)
    for name, marked in by_rater.items():
        others = [s for other, anns in by_rater.items() if other != name for s in error_spans(anns)]
        for span in error_spans(marked):
            if span.severity in MAJOR_SEVERITIES and not any(span.overlaps(o) for o in others):
                out.append(f"a {span.severity} error only {name} marked")
                break
    return out


def settled(seg: Segment, lead: str) -> bool:
    return not seg.conflicts and all(a.author == lead or decision_of(a) for a in seg.annotations)


def disagreements(
    doc: ReviewDocument, settings: ScoringSettings, lead: str, gap: float = DEFAULT_GAP
) -> list[Disagreement]:
    """The segments still to adjudicate, in document order."""
    out = []
    for i, seg in enumerate(doc.segments):
        if settled(seg, lead):
            continue
        why = reasons(seg, settings, lead, gap)
        if why:
            out.append(Disagreement(i, why))
    return out


def columns(seg: Segment, lead: str) -> list[tuple[str, list[Annotation | Flag]]]:
    """The layers side by side: each reviewer's annotations (name order), the open automatic
    flags, then the lead's final layer."""
    names = sorted({a.author for a in seg.annotations if a.author and a.author != lead} | set(seg.layers) - {lead})
    out: list[tuple[str, list[Annotation | Flag]]] = [
        (name, [a for a in seg.annotations if a.author == name]) for name in names
    ]
    flags = seg.open_flags
    if flags:
        out.append((CHECKS, list(flags)))
    out.append((lead, [a for a in seg.annotations if a.author == lead]))
    return out


def final_id(annotation: Annotation, lead: str) -> str:
    return f"{annotation.id}@{lead}"


def decide(
    seg: Segment, item: Annotation | Flag, decision: str, lead: str, time: str, edited: Annotation | None = None
) -> list[Change]:
    """The changes that record the lead's ``decision`` on ``item`` (one undo step)."""
    assert decision in DECISIONS
    if isinstance(item, Flag):
        out: list[Change] = []
        if decision != "rejected":
            length = len(seg.text(item.side))
            start, end = (item.start, item.end) if 0 <= item.start <= item.end <= length else (0, length)
            base = Annotation(
                id=f"flag-{item.check}-{start}-{end}", side=item.side, start=start, end=end,
                category=item.category, severity=item.severity, comment=item.message,
                correction=item.suggestion or "", origin=f"flag:{item.check}",
            )
            final = edited or base
            out.append(ch.put_annotation(seg.id, dataclasses.replace(final, id=base.id, author=lead, time=time)))
        out.append(ch.dismiss(seg.id, item.key))
        return out
    marked = dataclasses.replace(item, meta={**item.meta, "adjudication": {"by": lead, "decision": decision}})
    out = [ch.put_annotation(seg.id, marked)]
    if decision == "rejected":
        out.append(ch.delete_annotation(seg.id, final_id(item, lead)))  # a change of mind
    else:
        source = edited or item
        out.append(ch.put_annotation(seg.id, dataclasses.replace(
            source, id=final_id(item, lead), author=lead, time=time, origin=f"adjudicated:{item.author}",
            meta={"adjudicated_from": item.id},
        )))
    return out


def take_decisions(seg: Segment, reviewer: str, lead: str) -> list[Change]:
    """Settle every conflicting field of ``seg`` with ``reviewer``'s own value, in the lead's name."""
    setters: dict[str, Callable[..., Change]] = {"status": ch.set_status, "post_edit": ch.set_post_edit, "note": ch.set_note, "esa": ch.set_esa}
    return [setters[name](seg.id, layer_value(seg, reviewer, name), reviewer=lead) for name in seg.conflicts]
