"""WMT / Marot MQM annotation TSV: one row per marked error, spans marked with ``<v>…</v>``.

Columns (WMT, google/wmt-mqm-human-evaluation): ``system doc doc_id seg_id rater source target
category severity comment``. Marot names the id columns ``docSegId``/``globalSegId`` and uses a
JSON ``metadata`` object as the last column (formerly a free ``note``). Fields are never quoted:
like the WMT scripts (``csv`` / pandas with ``QUOTE_NONE``) a ``"`` is an ordinary character.

Mapping to the review model:

- one Segment per (system, doc, doc_id, seg_id), holding the source and target WITHOUT markers;
  ``segment.meta`` keeps ``system``, ``doc``, ``doc_id``, ``seg_id`` and ``raters`` (every rater
  who rated the segment, including those whose only row is ``No-error``, so a clean rating still
  counts in the per-rater average);
- every error row becomes an Annotation: ``author`` = rater, ``side`` = the column holding the
  ``<v>`` markers, ``start``/``end`` = code-point offsets in the clean text, ``category`` exactly as
  in the file, severity lower-cased (``major``, ``minor``, ``neutral``, ``critical``);
- Marot metadata: kept whole in ``annotation.meta["metadata"]``; ``timestamp`` (ms since the
  epoch) also fills ``annotation.time``, ``note`` the comment when the comment column is absent,
  ``corrected_translation`` the rater's post-edit (their layer), the segment's post-edit when the
  raters who corrected it agree (otherwise a post-edit conflict to settle).

Whatever the file held that the model has no field for (label spelling, rows without a span,
rater-less info rows) is kept in ``meta`` so that the exporter writes the same rows back.

Marot's own conventions (WMT 2023 and later):

- a header cell starting with ``#`` (``# Documentation: https://...``) documents the file; it
  names no column and is kept in the header labels;
- ``HOTW-test`` rows ("hands on the wheel": an error the tool injected to test the rater's
  attention, ``Found`` / ``Missed``) are quality control, not ratings: kept apart in
  ``segment.meta["hotw_rows"]`` (their target is the altered text), never annotations, never in
  scores or rater lists, as WMT's own scripts leave them out;
- rows of one segment whose texts differ only in white space (one rater's copy has a double
  space) are the same segment: the first row's text is kept and later spans are moved onto it.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from pathlib import Path
from typing import Any, cast

from relecture.errors import InputError
from relecture.importers import ImportOptions, new_document_header
from relecture.langid import detect_language
from relecture.model import Annotation, Layer, ReviewDocument, Segment, Severity, Side
from relecture.textio import decode, read_bytes
from relecture.textsafe import formula_unguard

OPEN, CLOSE = "<v>", "</v>"

# Column roles and the header labels that name them (lower-cased).
ROLES: tuple[str, ...] = (
    "system", "doc", "doc_id", "seg_id", "rater", "source", "target", "category", "severity",
)
ALIASES: dict[str, str] = {
    "system": "system",
    "doc": "doc",
    "doc_id": "doc_id",
    "docsegid": "doc_id",
    "seg_id": "seg_id",
    "globalsegid": "seg_id",
    "rater": "rater",
    "source": "source",
    "target": "target",
    "category": "category",
    "severity": "severity",
    "comment": "comment",
    "note": "comment",
    "metadata": "metadata",
}
WMT_HEADER: tuple[str, ...] = (*ROLES, "comment")

NO_ERROR = "no-error"
SEVERITY_LABELS: dict[str, str] = {
    "neutral": "Neutral",
    "minor": "Minor",
    "major": "Major",
    "critical": "Critical",
    NO_ERROR: "No-error",
}


def read(path: Path, options: ImportOptions) -> ReviewDocument:
    raw = read_bytes(path)
    text = decode(raw, path)
    csv.field_size_limit(1 << 30)  # the default 128 KiB limit would end in a traceback
    rows = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    parser = _Parser(path)
    try:
        for row in rows:
            # A field guarded against spreadsheet formulas by the export reads back as it was.
            parser.add([formula_unguard(cell) for cell in row], rows.line_num)
    except csv.Error as exc:
        raise InputError(path, f"malformed MQM TSV: {exc}", f"line {rows.line_num}") from None
    header = new_document_header(path, "mqm", raw, options.title)
    return parser.document(header, options)


class _Parser:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.columns: list[str] | None = None  # role of each column
        self.labels: list[str] | None = None  # header labels as written
        self.has_header = False
        self.segments: dict[tuple[str, str, str, str], Segment] = {}
        self.first_line: dict[str, int] = {}  # segment id -> line that defined its text
        self.order: dict[str, int] = {}  # system -> first appearance
        self.ids: set[str] = set()
        self.langs: tuple[str | None, str | None] = (None, None)
        self.header_note: list[str] = []  # Marot's "# Documentation" header cell(s), kept
        self.hotw: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}

    # --- rows --------------------------------------------------------------------------------

    def add(self, row: list[str], line: int) -> None:
        if not row or (len(row) == 1 and not row[0].strip()):
            return  # blank line
        if self.columns is None:
            lowered = [c.strip().lower() for c in row]
            if {"system", "doc"} <= set(lowered) and "rater" in lowered:
                self._header(row, lowered, line)
                return
            # No header: the WMT column order, with a 10th column (comment or metadata) sniffed
            # per row and an 11th taken as metadata.
            self.columns = list(WMT_HEADER)
            self.labels = list(WMT_HEADER)
        self._row(row, line)

    def _header(self, row: list[str], lowered: list[str], line: int) -> None:
        roles: list[str] = []
        for i, name in enumerate(lowered):
            if name.startswith("#"):
                # Marot's documentation cell ("# Documentation: URL") ends the column names.
                self.header_note = row[i:]
                break
            role = ALIASES.get(name)
            if role is None:
                raise InputError(self.path, f"unknown MQM column {row[i]!r}", f"line {line}")
            if role in roles:
                raise InputError(self.path, f"column {row[i]!r} appears twice", f"line {line}")
            roles.append(role)
        missing = [r for r in ROLES if r not in roles]
        if missing:
            raise InputError(
                self.path, f"MQM header lacks column(s): {', '.join(missing)}", f"line {line}"
            )
        self.columns, self.labels, self.has_header = roles, list(row[: len(roles)]), True

    def _row(self, row: list[str], line: int) -> None:
        assert self.columns is not None
        if len(row) < len(ROLES):
            raise InputError(
                self.path,
                f"expected at least {len(ROLES)} tab-separated columns, found {len(row)}",
                f"line {line}",
            )
        if len(row) > len(self.columns) + 1 or (
            len(row) == len(self.columns) + 1 and "metadata" in self.columns
        ):
            raise InputError(
                self.path,
                f"expected {len(self.columns)} tab-separated columns, found {len(row)}",
                f"line {line}",
            )
        fields: dict[str, str] = {}
        for role, value in zip(self.columns, row, strict=False):
            fields[role] = value
        metadata: dict[str, Any] | None = None
        extra = row[len(self.columns)] if len(row) > len(self.columns) else None
        if extra is not None:
            # A metadata column beyond the header (Marot files whose header omits it).
            metadata = self._json(extra, line)
            if "metadata" not in self.columns:
                self.columns.append("metadata")
                if self.labels is not None:
                    self.labels.append("metadata")
        elif "metadata" in fields:
            metadata = self._json(fields.pop("metadata"), line) if fields["metadata"] else None
        if not self.has_header and "comment" in fields and fields["comment"].startswith("{"):
            # Headerless Marot file: the 10th column is the JSON metadata, not a comment.
            try:
                sniffed = json.loads(fields["comment"])
            except (ValueError, RecursionError):
                sniffed = None
            if isinstance(sniffed, dict):
                metadata = sniffed
                fields["comment"] = ""
                self.columns[self.columns.index("comment")] = "metadata"
                if self.labels is not None:
                    self.labels[self.labels.index("comment")] = "metadata"
        self._record(fields, metadata, line)

    def _json(self, value: str, line: int) -> dict[str, Any] | None:
        if not value.strip():
            return None
        try:
            data = json.loads(value)
        except ValueError as exc:
            reason = str(exc).split(";")[0]  # int_max_str_digits advice is for programmers
            raise InputError(self.path, f"metadata column is not valid JSON ({reason})", f"line {line}") from None
        except RecursionError:
            raise InputError(self.path, "metadata column is not valid JSON (nested too deeply)", f"line {line}") from None
        if not isinstance(data, dict):
            raise InputError(self.path, "metadata column must hold a JSON object", f"line {line}")
        return data

    # --- building segments and annotations ----------------------------------------------------

    def _record(self, f: dict[str, str], metadata: dict[str, Any] | None, line: int) -> None:
        source, source_spans, source_edge = self._strip(f["source"], line, "source")
        target, target_spans, target_edge = self._strip(f["target"], line, "target")
        source, source_spans, source_appended = _marked_past_the_end(source, source_spans, f["source"])
        target, target_spans, target_appended = _marked_past_the_end(target, target_spans, f["target"])
        system, doc, doc_id, seg_id = f["system"], f["doc"], f["doc_id"], f["seg_id"]
        if f["severity"].strip().lower() == HOTW:
            self._hotw(f, metadata, line)
            return
        seg = self._segment(system, doc, doc_id, seg_id, source, target, line)
        row_fields: dict[str, str] | None = None
        if seg.source != source or seg.target != target:
            # Only white space differs (see _segment): spans move onto the segment's own text,
            # and the row's own fields are kept so that the export writes the row as it was.
            row_fields = {"source": f["source"], "target": f["target"]}
            source_spans = [_moved(s, source, seg.source or "") for s in source_spans]
            target_spans = [_moved(s, target, seg.target) for s in target_spans]
        if metadata and isinstance(metadata.get("evaluation"), dict):
            ev = metadata["evaluation"]
            self.langs = (ev.get("source_language") or None, ev.get("target_language") or None)
        rater = f["rater"]
        category = f["category"]
        severity_raw = f["severity"]
        comment = f.get("comment", "")
        if not rater and not category and not severity_raw:
            # Marot info row (metrics, references): no rating, kept for export.
            seg.meta.setdefault("info_rows", []).append(
                {"comment": comment, "metadata": metadata, "line": line}
            )
            return
        if not rater:
            raise InputError(self.path, "rater column is empty", f"line {line}")
        severity = severity_raw.strip().lower()
        if severity not in SEVERITY_LABELS:
            raise InputError(
                self.path,
                f"unknown severity {severity_raw!r} (expected Major, Minor, Neutral, Critical "
                "or No-error)",
                f"line {line}",
            )
        raters: list[str] = seg.meta["raters"]
        if rater not in raters:
            raters.append(rater)
            raters.sort()
        if metadata and isinstance(metadata.get("corrected_translation"), str):
            correction = metadata["corrected_translation"]
            if correction and correction != seg.target:
                seg.layers.setdefault(rater, Layer()).post_edit = correction  # this rater's own
        if severity == NO_ERROR or category.strip().lower() == NO_ERROR:
            if source_spans or target_spans:
                raise InputError(self.path, "a No-error row marks a span with <v>", f"line {line}")
            info: dict[str, Any] = {}
            if category != "No-error":
                info["category"] = category
            if severity_raw != "No-error":
                info["severity"] = severity_raw
            if comment:
                info["comment"] = comment
            if metadata is not None:
                info["metadata"] = metadata
            if info:
                seg.meta.setdefault("no_error_rows", {})[rater] = info
            return
        if not category:
            raise InputError(self.path, "category column is empty", f"line {line}")
        meta: dict[str, Any] = {"mqm_line": line}
        if source_spans and target_spans:
            # Both sides marked: the target span is the annotation, the source span is kept.
            side, spans = "target", target_spans
            meta["source_spans"] = [list(s) for s in source_spans]
        elif source_spans:
            side, spans = "source", source_spans
        elif target_spans:
            side, spans = "target", target_spans
        else:
            side, spans = "target", [(0, 0)]
            meta["unmarked"] = True
        edge = target_edge if side == "target" else source_edge
        if edge:
            meta["edge"] = edge
        appended = target_appended if side == "target" else source_appended
        if appended:
            meta["appended"] = appended  # written back inside the span by the exporter
        if len(spans) > 1:
            meta["spans"] = [list(s) for s in spans]
        if severity_raw != SEVERITY_LABELS[severity]:
            meta["severity_label"] = severity_raw
        time = ""
        if metadata is not None:
            meta["metadata"] = metadata
            time = _iso_from_ms(metadata.get("timestamp"))
            if not comment and isinstance(metadata.get("note"), str):
                comment = metadata["note"]
                meta["comment_from_note"] = True
        start, end = spans[0][0], spans[-1][1]
        if row_fields is not None:
            meta.update(row_fields=row_fields, row_start=start, row_end=end)
        text = seg.text(side)
        seg.annotations.append(
            Annotation(
                id=f"mqm{line}",
                side=cast(Side, side),
                start=start,
                end=end,
                category=category,
                severity=cast(Severity, severity),
                text=text[start:end],
                comment=comment,
                author=rater,
                time=time,
                origin="import:mqm",
                meta=meta,
            )
        )

    def _strip(
        self, value: str, line: int, column: str
    ) -> tuple[str, list[tuple[int, int]], str | None]:
        """The text without ``<v>``/``</v>``, the marked spans as clean offsets, and how a
        span was left open at the edge of the field (``"unclosed"``/``"unopened"``) if it was.

        Real WMT data has a ``<v>`` whose ``</v>`` is missing at the very end of the target
        (en-de TED, line 6444): read as a span running to the end, and written back the same.
        """
        if OPEN not in value and CLOSE not in value:
            return value, [], None
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        pos = 0
        length = 0
        edge: str | None = None
        first_close = value.find(CLOSE)
        first_open = value.find(OPEN)
        if first_close >= 0 and (first_open < 0 or first_close < first_open):
            # A closing marker before any opening one: the span starts at the field's start.
            if value.count(CLOSE) != value.count(OPEN) + 1:
                raise InputError(self.path, f"</v> without <v> in the {column} column", f"line {line}")
            inner = value[:first_close]
            parts.append(inner)
            length = len(inner)
            spans.append((0, length))
            pos = first_close + len(CLOSE)
            edge = "unopened"
        while True:
            i = value.find(OPEN, pos)
            j = value.find(CLOSE, pos)
            if i < 0 and j < 0:
                break
            if i < 0 or (0 <= j < i):
                raise InputError(self.path, f"</v> without <v> in the {column} column", f"line {line}")
            parts.append(value[pos:i])
            length += i - pos
            start = length
            j = value.find(CLOSE, i + len(OPEN))
            k = value.find(OPEN, i + len(OPEN))
            if k >= 0 and (j < 0 or k < j):
                raise InputError(self.path, f"<v> without </v> in the {column} column", f"line {line}")
            if j < 0:
                if edge is not None:
                    raise InputError(self.path, f"<v> without </v> in the {column} column", f"line {line}")
                j = len(value)
                edge = "unclosed"
            inner = value[i + len(OPEN) : j]
            parts.append(inner)
            length += len(inner)
            spans.append((start, length))
            pos = j + len(CLOSE)
        parts.append(value[pos:])
        return "".join(parts), spans, edge

    def _hotw(self, f: dict[str, str], metadata: dict[str, Any] | None, line: int) -> None:
        """A hands-on-the-wheel test row: kept apart with the segment, out of every score."""
        key = (f["system"], f["doc"], f["doc_id"], f["seg_id"])
        row: dict[str, Any] = {k: f.get(k, "") for k in ("rater", "source", "target", "category", "severity", "comment")}
        row["line"] = line
        if metadata is not None:
            row["metadata"] = metadata
        self.hotw.setdefault(key, []).append(row)

    def _segment(
        self, system: str, doc: str, doc_id: str, seg_id: str, source: str, target: str, line: int
    ) -> Segment:
        key = (system, doc, doc_id, seg_id)
        seg = self.segments.get(key)
        if seg is not None:
            if (seg.source != source or seg.target != target) and not (
                _same_but_space(seg.source or "", source) and _same_but_space(seg.target, target)
            ):
                side = "source" if seg.source != source else "target"
                raise InputError(
                    self.path,
                    f"{side} text of {system} {doc} {seg_id} differs from line "
                    f"{self.first_line[seg.id]} (after removing <v> markers)",
                    f"line {line}",
                )
            return seg
        base = f"{system}:{doc}:{seg_id if seg_id == doc_id else doc_id + '/' + seg_id}"
        seg_ident = base
        n = 1
        while seg_ident in self.ids:
            n += 1
            seg_ident = f"{base}#{n}"
        self.ids.add(seg_ident)
        self.order.setdefault(system, len(self.order))
        seg = Segment(
            id=seg_ident,
            source=source,
            target=target,
            kind="sentence",
            meta={"system": system, "doc": doc, "doc_id": doc_id, "seg_id": seg_id, "raters": []},
        )
        self.segments[key] = seg
        self.first_line[seg_ident] = line
        return seg

    # --- the document ---------------------------------------------------------------------------

    def document(self, header: dict[str, Any], options: ImportOptions) -> ReviewDocument:
        for key, rows in self.hotw.items():
            seg = self.segments.get(key)
            if seg is None:  # a segment only ever seen in a test row: reviewable text all the same
                first = rows[0]
                seg = self._segment(*key, self._strip(first["source"], first["line"], "source")[0],
                                    self._strip(first["target"], first["line"], "target")[0], first["line"])
            seg.meta["hotw_rows"] = rows
        # Group by system (in order of first appearance), keeping the file's order within one.
        segs = sorted(
            self.segments.values(),
            key=lambda s: (self.order[s.meta["system"]], self.first_line[s.id]),
        )
        paragraph = -1
        last: tuple[str, str] | None = None
        for seg in segs:
            edits = list(dict.fromkeys(layer.post_edit for layer in seg.layers.values() if layer.post_edit))
            if len(edits) == 1:
                seg.post_edit = edits[0]
            elif edits:
                seg.conflicts = ["post_edit"]  # raters corrected it differently: to settle
            group = (seg.meta["system"], seg.meta["doc"])
            if group != last:
                paragraph += 1
                last = group
            seg.paragraph = paragraph
            seg.space_after = "\n"
            seg.source_space_after = "\n"
        return ReviewDocument(
            id=str(header["id"]),
            title=str(header["title"]),
            segments=segs,
            # WMT files name no languages: detected as for any import (Marot files name them).
            source_lang=options.source_lang or self.langs[0] or detect_language(
                " ".join(s.source or "" for s in segs[:200])
            ),
            target_lang=options.target_lang or self.langs[1] or detect_language(" ".join(s.target for s in segs[:200])),
            imported_from=dict(header["imported_from"]),
            relecture_version=str(header["relecture_version"]),
            created=str(header["created"]),
            meta={
                "mqm": {
                    "columns": list(self.columns or WMT_HEADER),
                    "header": list(self.labels or WMT_HEADER) if self.has_header else None,
                    **({"header_note": self.header_note} if self.header_note else {}),
                },
                "systems": sorted(self.order, key=self.order.__getitem__),
            },
        )


HOTW = "hotw-test"


def _marked_past_the_end(text: str, spans: list[tuple[int, int]], raw: str) -> tuple[str, list[tuple[int, int]], str]:
    """Marot points at something missing at the end of a text by appending a space inside the
    last span (``Hallo<v> </v>``): the text is the one without it, the span a zero-width one at
    its end, and the appended white space is returned to be kept (``""`` when there is none)."""
    if spans and raw.endswith(CLOSE):
        start, end = spans[-1]
        if end == len(text) and start < end and not text[start:end].strip(" "):  # Marot appends spaces
            return text[:start], [*spans[:-1], (start, start)], text[start:end]
    return text, spans, ""


def _same_but_space(a: str, b: str) -> bool:
    return a.split() == b.split()


def _moved(span: tuple[int, int], text: str, onto: str) -> tuple[int, int]:
    """``span`` of ``text`` as a span of ``onto``, the same text but for white space: offsets
    follow the non-space characters."""

    def place(offset: int) -> int:
        count = sum(1 for c in text[:offset] if not c.isspace())
        seen = 0
        for i, c in enumerate(onto):
            if not c.isspace():
                if seen == count:
                    return i
                seen += 1
        return len(onto)

    start, end = place(span[0]), place(span[1])
    if span[1] > span[0] and end > start:
        # The end follows the last marked non-space character, not the next one.
        last = span[1] - 1
        while last > span[0] and text[last].isspace():
            last -= 1
        end = place(last) + 1
    return start, max(start, end)


def _iso_from_ms(value: Any) -> str:
    """Marot timestamps are milliseconds since the epoch; the model stores ISO 8601 UTC."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    try:
        moment = _dt.datetime.fromtimestamp(value / 1000, _dt.UTC)
    except (OverflowError, OSError, ValueError):
        return ""
    text = moment.isoformat(timespec="milliseconds" if value % 1000 else "seconds")
    return text.replace("+00:00", "Z")
