"""CSV for spreadsheets: one row per annotation and per open (not dismissed) flag.

Columns: ``kind`` (annotation | flag | post-edit flag: a flag found on the post-edit, whose
target offsets index it), ``segment``, ``side``, ``start``, ``end`` (code-point offsets, end
exclusive), ``text`` (the span), ``category``, ``severity``, ``comment`` (a flag's
message), ``correction`` (a flag's suggestion), ``author`` (annotations), ``origin`` (an
annotation's origin, ``check:<id>`` for a flag), ``status``, ``source``, ``target``,
``post_edit`` (empty when there is none), ``codes``.

Inline codes of CAT files are tokens (``⟪1⟫``, ``⟪/1⟫``, see ``relecture.codetokens``) in every
text cell, and ``start``/``end`` index the text in that token form (``target[start:end]`` is the
span); ``codes`` is the segment's code table as JSON (token, id, kind, element, markup, display),
empty when it has none.

RFC 4180 quoting (commas, quotes and line breaks inside cells are safe) with CRLF row ends;
``ExportOptions.bom`` adds a UTF-8 BOM so Excel detects the encoding.

Formula injection: a spreadsheet runs a cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or
carriage return; after leading spaces, no-break spaces or a BOM; or their full-width forms) as a
formula, and LLM output is not trusted text. Such text cells are written
with a leading apostrophe (the OWASP advice): the spreadsheet shows the text, never runs it. The
apostrophe is visible, which is what a reviewer expects from a guarded export; set
``ExportOptions.formula_guard = False`` (``--no-formula-guard``) for a raw file meant
for programs. Number columns are never prefixed.
"""

from __future__ import annotations

import csv
import io
import json
from typing import BinaryIO

from relecture.codetokens import token_form
from relecture.exporters import ExportOptions
from relecture.model import ReviewDocument
from relecture.textsafe import formula_guard

COLUMNS: tuple[str, ...] = (
    "kind",
    "segment",
    "side",
    "start",
    "end",
    "text",
    "category",
    "severity",
    "comment",
    "correction",
    "author",
    "origin",
    "status",
    "source",
    "target",
    "post_edit",
    "codes",
)
_NUMERIC = {"start", "end"}
guard = formula_guard  # the cell text a spreadsheet will show but never evaluate


def rows(doc: ReviewDocument) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for seg in doc.segments:
        if not seg.annotations and not seg.flags and not seg.post_edit_flags:
            continue  # no row (most segments): nothing to write, nothing to convert
        form = token_form(seg)
        common = {
            "segment": seg.id, "status": seg.status, "source": form.text(seg.source or ""),
            "target": form.text(seg.target), "post_edit": form.text(seg.post_edit or ""),
            "codes": json.dumps(form.table(), ensure_ascii=False) if seg.codes else "",
        }
        for a in seg.annotations:
            start, end = form.span(seg.text(a.side), a.start, a.end)
            out.append(
                {
                    "kind": "annotation",
                    **common,
                    "side": a.side,
                    "start": str(start),
                    "end": str(end),
                    "text": form.text(a.text),
                    "category": a.category,
                    "severity": a.severity,
                    "comment": a.comment,
                    "correction": form.text(a.correction),
                    "author": a.author,
                    "origin": a.origin,
                }
            )
        pe_text = seg.post_edit if seg.post_edit is not None else seg.target
        flags = [("flag", f, seg.text(f.side)) for f in seg.open_flags] + [
            ("post-edit flag", f, pe_text if f.side == "target" else seg.text(f.side))
            for f in seg.open_post_edit_flags
        ]
        for kind, f, text in flags:
            start, end = form.span(text, f.start, f.end)
            out.append(
                {
                    "kind": kind,
                    **common,
                    "side": f.side,
                    "start": str(start),
                    "end": str(end),
                    "text": form.text(f.text),
                    "category": f.category,
                    "severity": f.severity,
                    "comment": f.message,
                    "correction": form.text(f.suggestion or ""),
                    "author": "",
                    "origin": f"check:{f.check}",
                }
            )
    return out


def render(doc: ReviewDocument, options: ExportOptions | None = None) -> str:
    options = options or ExportOptions()
    protect = options.formula_guard
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for row in rows(doc):
        writer.writerow([guard(row[c]) if protect and c not in _NUMERIC else row[c] for c in COLUMNS])
    return buffer.getvalue()


def write(doc: ReviewDocument, stream: BinaryIO, options: ExportOptions) -> None:
    text = render(doc, options)
    stream.write(text.encode("utf-8-sig" if options.bom else "utf-8"))
