"""The review report in Markdown (CommonMark / GitHub): same content as the HTML report.

Document text is escaped so it renders as written: every character Markdown gives a meaning to
inline (``\\ ` * _ [ ] < > & | ~ $``) gets a backslash, and a line of segment text that would
start a heading, quote, list or setext underline has its first marker escaped. Highlighted spans
are bold, followed by their note number in brackets; an insertion point shows as ``‸``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import BinaryIO

from relecture.exporters import ExportOptions
from relecture.exporters.report_common import Mark, Report, build_report, num, pct, pieces
from relecture.model import SEVERITIES, Code, ReviewDocument, Segment
from relecture.textsafe import report_safe

_INLINE = re.compile(r"([\\`*_\[\]<>&|~$])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+(?=[.)]))")
# Markdown ends a line at CR, LF or CRLF: each is a line of its own, escaped at its start, or a
# "\r# Title" in a translation would become a heading of the report.
_LINE_END = re.compile(r"\r\n?|\n")


def escape_md(text: str) -> str:
    """Escape ``text`` for a Markdown paragraph; line ends become hard line breaks. Control
    and bidi characters become visible signs (ESC as ␛): `cat report.md` must not run them."""
    lines = [_INLINE.sub(r"\\\1", line) for line in _LINE_END.split(report_safe(text))]
    lines = [_escape_line_start(line) for line in lines]
    return "\\\n".join(lines)


def _escape_line_start(line: str) -> str:
    match = _LINE_START.match(line)
    if match is None:
        return line
    indent, marker = match.group(1), match.group(2)
    if marker.isdigit():
        # "1. " / "1) " starts an ordered list: escape the dot or parenthesis after the number.
        end = match.end()
        return line[:end] + "\\" + line[end:]
    return indent + "\\" + line[len(indent) :]


def _cell(text: str) -> str:
    """Escape for a table cell (one line)."""
    return escape_md(" ".join(text.split()))


def write(doc: ReviewDocument, stream: BinaryIO, options: ExportOptions) -> None:
    stream.write(render(doc, options).encode("utf-8"))


def render(doc: ReviewDocument, options: ExportOptions | None = None) -> str:
    report = build_report(doc, options or ExportOptions())
    lines = _summary(report)
    lines += ["## Segments", ""]
    for seg, marks in report.segments:
        lines += _segment(seg, marks)
    return "\n".join(lines).rstrip("\n") + "\n"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["--:"] * (len(header) - 1)) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return [*out, ""]


def _summary(report: Report) -> list[str]:
    doc = report.doc
    total = report.total
    lines = [f"# Review report: {_cell(doc.title or doc.id)}", ""]
    facts = [f"Document {_cell(doc.id)}"]
    langs = " → ".join(x for x in (doc.source_lang, doc.target_lang) if x)
    if langs:
        facts.append(f"languages {_cell(langs)}")
    source = doc.imported_from.get("path")
    if isinstance(source, str) and source:
        facts.append(f"imported from {_cell(source)}")
    lines += [", ".join(facts) + ".", ""]
    if doc.note:
        lines += ["> " + escape_md(doc.note).replace("\n", "\n> "), ""]

    lines += ["## Progress", ""]
    rows = [[s, str(c), pct(c, total.segments)] for s, c in report.status_counts()]
    rows.append(["reviewed", str(report.reviewed), pct(report.reviewed, total.segments)])
    rows.append(["post-edited", str(report.post_edited), pct(report.post_edited, total.segments)])
    lines += _table(["status", "segments", "share"], rows)

    n = report.settings.reference_word_count
    lines += ["## Scores", ""]
    rows = [
        ["MQM (mean penalty per rated segment, lower is better)", num(total.mqm, 3)],
        ["rated segments", f"{total.rated} of {total.segments}"],
        [f"penalty per {n} words", num(total.penalty_per_words(n))],
        ["quality score (MQM 2.0, 100 = no error)", num(total.quality_score)],
        ["ESA (mean 0-100)", num(total.esa, 1) + f" ({total.esa_count} scored)"],
    ]
    m = report.metrics
    if m is not None:
        rows += [
            [f"HTER ({m.segments} post-edited or approved segments)", f"{m.ter.score:.2f}"],
            ["chrF of the translation against the post-edits", f"{m.chrf.score:.2f}"],
            ["BLEU of the translation against the post-edits", f"{m.bleu.score:.2f}"],
        ]
    lines += _table(["measure", "value"], rows)
    if m is not None:
        lines += [
            "sacrebleu signatures: "
            + ", ".join(
                f"{name}: `{s.signature}`" for name, s in (("TER", m.ter), ("chrF", m.chrf), ("BLEU", m.bleu))
            ),
            "",
        ]
    if report.systems:
        rows = [
            [_cell(g.key), str(g.rated), num(g.mqm, 3), num(g.penalty_per_words(n)), num(g.esa, 1)]
            for g in report.systems
        ]
        lines += _table(["system", "rated", "MQM", f"per {n} words", "ESA"], rows)

    lines += ["## Errors by category and severity", ""]
    if report.by_category:
        rows = [
            [_cell(category)]
            + [str(counts.get(s, 0)) for s in reversed(SEVERITIES)]
            + [str(sum(counts.values()))]
            for category, counts in report.by_category.items()
        ]
        rows.append(
            ["**all**"]
            + [str(total.errors.get(s, 0)) for s in reversed(SEVERITIES)]
            + [str(sum(total.errors.values()))]
        )
        lines += _table(["category", *reversed(SEVERITIES), "all"], rows)
    else:
        lines += ["No annotated error.", ""]
    flags = sum(report.open_flags.values())
    detail = ", ".join(f"{c} {s}" for s, c in reversed(report.open_flags.items()) if c)
    lines += [
        f"Open automatic flags (not counted in MQM): {flags}" + (f" ({detail})" if detail else "")
        + (f"; on the post-edits: {report.post_edit_flags}" if report.post_edit_flags else "") + ".",
        "",
    ]
    return lines


def _highlight(text: str, marks: list[Mark], codes: Sequence[Code] = ()) -> str:
    out: list[str] = []
    run: list[str] = []  # consecutive highlighted text, bolded as one run
    refs_after_run: list[Mark] = []

    def close_run() -> None:
        if run:
            raw = "".join(run)
            # Bold only works when ** touches non-space text: keep outer spaces outside.
            stripped = raw.strip()
            lead = raw[: len(raw) - len(raw.lstrip())]
            trail = raw[len(raw.rstrip()) :]
            body = f"**{escape_md(stripped)}**" if stripped else escape_md(raw)
            out.append(escape_md(lead) + body + _refs(refs_after_run) + escape_md(trail))
            run.clear()
            refs_after_run.clear()

    for piece in pieces(text, marks, codes):
        if not piece.text:
            close_run()
            out.append("‸" + _refs(piece.ending))
        elif piece.marks:
            run.append(piece.text)
            refs_after_run.extend(piece.ending)
        else:
            close_run()
            out.append(escape_md(piece.text))
    close_run()
    return "".join(out)


def _refs(marks: list[Mark]) -> str:
    return "".join(f"\\[{m.number}\\]" for m in marks)


def _segment(seg: Segment, marks: list[Mark]) -> list[str]:
    head = f"### Segment {_cell(seg.id)} · {seg.status}"
    system = seg.meta.get("system")
    if isinstance(system, str) and system:
        head += f" · {_cell(system)}"
    if seg.esa is not None:
        head += f" · ESA {seg.esa}"
    lines = [head, ""]
    if seg.source is not None:
        source = _highlight(seg.source, [m for m in marks if m.side == "source"], seg.codes)
        lines += [f"*Source:* {source}", ""]
    target = _highlight(seg.target, [m for m in marks if m.side == "target"], seg.codes)
    lines += [f"*Target:* {target}", ""]
    if seg.post_edit is not None:
        post_edit = _highlight(seg.post_edit, [m for m in marks if m.side == "post-edit"], seg.codes)
        lines += [f"*Post-edit:* {post_edit}", ""]
    if seg.note:
        lines += ["> " + escape_md(seg.note).replace("\n", "\n> "), ""]
    for m in marks:
        what = "error" if m.kind == "annotation" else f"flag {m.check}"
        side = "on the post-edit" if m.side == "post-edit" else m.side
        item = f"{m.number}\\. **{m.severity}** {_cell(m.category)} ({_cell(what)}, {side})"
        if m.text:
            item += f" “{_cell(m.text)}”"
        if m.comment:
            item += f" — {_cell(m.comment)}"
        if m.correction:
            item += f" → **{_cell(m.correction)}**"
        if m.author:
            item += f" by {_cell(m.author)}"
        lines.append("- " + item)
    if marks:
        lines.append("")
    return lines
