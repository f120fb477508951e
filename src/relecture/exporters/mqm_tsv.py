"""Write WMT / Marot MQM TSV: one row per annotation, ``No-error`` rows for clean ratings.

Importing a TSV and exporting it gives back the same rows (order aside): the importer keeps in
``meta`` whatever the model has no field for, and this writer puts it back. Documents made in
relecture get the same shape: ``rater`` = the annotation's author (unnamed work: the reviewer's
identity, as ``score --by rater`` credits it), ``system``/``doc`` from the
segment's meta or the document, ids numbered from 1.

A segment is written when somebody rated it (``scoring.segment_raters``): it has annotations,
raters recorded at import, or a reviewer approved it as is (then a ``No-error`` row for them). Open flags are machine
suggestions, not ratings, and are not written.

A post-edit goes in the metadata column (``corrected_translation``, as Marot writes it) with
what the checks found on it, ``post_edit_flags`` (check, severity, category, span offsets into the
post-edit, text, message): findings on the post-edit, never ratings, so never scored.
Inline codes of CAT files are tokens (``⟪1⟫``, see ``relecture.codetokens``) in every field, spans
marked around the token form.

TSV fields cannot hold tabs or line breaks (the format has no quoting): they become spaces, one
character for one, so spans stay where they were. TSV files open in spreadsheets too: a field
that would run as a formula gets the CSV export's guard (a leading apostrophe), unless
``ExportOptions.formula_guard`` is False (``--no-formula-guard``).
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any, BinaryIO, TypeGuard

from relecture.codetokens import TokenForm, token_form
from relecture.exporters import ExportOptions
from relecture.importers.mqm_tsv import CLOSE, OPEN, SEVERITY_LABELS, WMT_HEADER
from relecture.model import Annotation, ReviewDocument, Segment
from relecture.scoring import ScoringSettings, segment_raters
from relecture.textsafe import formula_guard as guard

_FIELD_TABLE = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def write(doc: ReviewDocument, stream: BinaryIO, options: ExportOptions) -> None:
    stream.write(render(doc, options).encode("utf-8"))


def render(doc: ReviewDocument, options: ExportOptions | None = None) -> str:
    opts = options or ExportOptions()
    mqm: dict[str, Any] = doc.meta["mqm"] if isinstance(doc.meta.get("mqm"), dict) else {}
    columns = list(mqm.get("columns") or WMT_HEADER)
    labels = list(mqm.get("header") or columns)
    if len(labels) != len(columns):
        labels = list(columns)
    if "metadata" not in columns and _needs_metadata(doc):
        columns.append("metadata")
        labels.append("metadata")
    settings = opts.scoring_settings()
    protect = opts.formula_guard
    note = [str(c) for c in mqm.get("header_note") or []] if mqm.get("header") else []
    lines = ["\t".join(_clean(label) for label in [*labels, *note])]  # Marot's "# Documentation" cell
    doc_index: dict[str, int] = {}
    for number, seg in enumerate(doc.segments, start=1):
        system = str(seg.meta.get("system") or opts.system or doc.meta.get("system") or "relecture")
        docname = str(seg.meta.get("doc") or doc.title or doc.id)
        doc_index[docname] = doc_index.get(docname, 0) + 1
        ids = {
            "system": system,
            "doc": docname,
            "doc_id": str(seg.meta.get("doc_id") or doc_index[docname]),
            "seg_id": str(seg.meta.get("seg_id") or number),
        }
        form = token_form(seg)
        for row in _segment_rows(seg, ids, columns, settings):
            # Codes as tokens on the whole line: <v> marks, tabs and guards hold no code character.
            lines.append(form.text(_row(row, columns, protect)))
        for test in seg.meta.get("hotw_rows") or []:  # Marot's attention tests, as they came
            if isinstance(test, dict):
                row = {**ids, **{k: str(v) for k, v in test.items() if isinstance(v, str)},
                       "metadata": _json(test.get("metadata"))}
                lines.append(_row(row, columns, protect))
    return "\n".join(lines) + "\n"


def _row(row: dict[str, str], columns: list[str], protect: bool) -> str:
    cells = [_clean(row.get(c, "")) for c in columns]
    return "\t".join([guard(c) for c in cells] if protect else cells)


def _needs_metadata(doc: ReviewDocument) -> bool:
    """A metadata column carries what the ten WMT columns cannot: post-edits and times."""
    for seg in doc.segments:
        if seg.post_edit is not None:
            return True
        if any(a.time or "metadata" in a.meta for a in seg.annotations):
            return True
    return False


def _segment_rows(
    seg: Segment, ids: dict[str, str], columns: list[str], settings: ScoringSettings
) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    source = seg.source or ""
    for info in seg.meta.get("info_rows") or []:
        rows.append(
            {**ids, "rater": "", "source": source, "target": seg.target, "category": "",
             "severity": "", "comment": str(info.get("comment") or ""),
             "metadata": _json(info.get("metadata"))}
        )
    rated: list[str] = []
    for a in seg.annotations:
        rater = a.author or settings.local_rater
        if rater not in rated:
            rated.append(rater)
        rows.append(_annotation_row(seg, a, rater, ids, columns))
    raters = segment_raters(seg, settings)  # who rated it, as scores count them
    no_error: dict[str, Any] = seg.meta["no_error_rows"] if isinstance(seg.meta.get("no_error_rows"), dict) else {}
    for rater in raters:
        if rater in rated:
            continue
        info = no_error[rater] if isinstance(no_error.get(rater), dict) else {}
        metadata = info.get("metadata")
        if metadata is None and seg.post_edit is not None and "metadata" in columns:
            metadata = {"corrected_translation": seg.post_edit}
        if metadata is not None and seg.post_edit is not None and "metadata" in columns:
            metadata = _with_post_edit_flags(seg, metadata)
        rows.append(
            {**ids, "rater": rater, "source": source, "target": seg.target,
             "category": str(info.get("category", "No-error")),
             "severity": str(info.get("severity", "No-error")),
             "comment": str(info.get("comment", "")), "metadata": _json(metadata)}
        )
    return rows


def _annotation_row(
    seg: Segment, a: Annotation, rater: str, ids: dict[str, str], columns: list[str]
) -> dict[str, str]:
    source = seg.source or ""
    target = seg.target
    if not a.meta.get("unmarked"):
        spans = _spans(a)
        edge = a.meta.get("edge")
        appended = a.meta.get("appended")
        if a.side == "source":
            source = _mark(source, spans, edge)
        else:
            target = _mark(target, spans, edge)
        if isinstance(appended, str) and appended:  # Marot's span past the end, as it was
            marked = source if a.side == "source" else target
            if marked.endswith(CLOSE):
                marked = marked[: -len(CLOSE)] + appended + CLOSE
            source, target = (marked, target) if a.side == "source" else (source, marked)
        extra = a.meta.get("source_spans")
        if a.side == "target" and _valid_spans(extra):
            source = _mark(source, [(int(s), int(e)) for s, e in extra])
    comment = a.comment
    metadata: dict[str, Any] | None = None
    if isinstance(a.meta.get("metadata"), dict):
        metadata = dict(a.meta["metadata"])
    if "metadata" in columns:
        wanted: dict[str, Any] = {}
        if a.time and not (metadata and "timestamp" in metadata):
            ms = _ms_from_iso(a.time)
            if ms is not None:
                wanted["timestamp"] = ms
        if comment and "comment" not in columns:
            wanted["note"] = comment
        if seg.post_edit is not None and not (metadata and "corrected_translation" in metadata):
            wanted["corrected_translation"] = seg.post_edit
        if wanted:
            metadata = {**(metadata or {}), **wanted}
        if metadata is not None and seg.post_edit is not None:
            metadata = _with_post_edit_flags(seg, metadata)
    if a.meta.get("comment_from_note"):
        comment = ""  # it came from metadata.note, which is written back as it was
    severity = str(a.meta.get("severity_label") or SEVERITY_LABELS.get(a.severity, a.severity.title()))
    row_fields = a.meta.get("row_fields")
    if isinstance(row_fields, dict) and a.start == a.meta.get("row_start") and a.end == a.meta.get("row_end"):
        # The row's own copy of the text (it differed in white space only), as it was written.
        source = str(row_fields.get("source", source))
        target = str(row_fields.get("target", target))
    return {
        **ids, "rater": rater, "source": source, "target": target, "category": a.category,
        "severity": severity, "comment": comment, "metadata": _json(metadata),
    }


def _with_post_edit_flags(seg: Segment, metadata: dict[str, Any]) -> dict[str, Any]:
    """``metadata`` with the open flags found on the post-edit (offsets into the post-edit, in
    token form), or without any stale list when there are none."""
    out = {k: v for k, v in metadata.items() if k != "post_edit_flags"}
    flags = seg.open_post_edit_flags
    if not flags:
        return out
    form = TokenForm(seg.codes)
    post_edit = seg.post_edit or ""
    found = []
    for f in flags:
        start, end = form.span(post_edit if f.side == "target" else seg.text(f.side), f.start, f.end)
        item: dict[str, Any] = {
            "check": f.check, "severity": f.severity, "category": f.category, "side": f.side,
            "start": start, "end": end, "text": form.text(f.text), "message": f.message,
        }
        if f.suggestion is not None:
            item["suggestion"] = form.text(f.suggestion)
        found.append(item)
    out["post_edit_flags"] = found
    return out


def _spans(a: Annotation) -> list[tuple[int, int]]:
    spans = a.meta.get("spans")
    if _valid_spans(spans) and spans[0][0] == a.start and spans[-1][1] == a.end:
        return [(int(s), int(e)) for s, e in spans]
    return [(a.start, a.end)]


def _valid_spans(value: Any) -> TypeGuard[list[Any]]:
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, int) for x in p) for p in value
        )
    )


def _mark(text: str, spans: list[tuple[int, int]], edge: Any = None) -> str:
    """Insert the markers; ``edge`` reproduces a marker the imported row lacked at an end."""
    out: list[str] = []
    pos = 0
    ordered = sorted(spans)
    for n, (start, end) in enumerate(ordered):
        start = min(max(start, pos), len(text))
        end = min(max(end, start), len(text))
        opening = "" if edge == "unopened" and n == 0 and start == 0 else OPEN
        closing = "" if edge == "unclosed" and n == len(ordered) - 1 and end == len(text) else CLOSE
        out += [text[pos:start], opening, text[start:end], closing]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _json(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _clean(value: str) -> str:
    return value.translate(_FIELD_TABLE)


def _ms_from_iso(value: str) -> int | None:
    try:
        moment = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    return int(moment.timestamp() * 1000)
