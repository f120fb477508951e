"""A self-contained HTML review report: one file, inline CSS, no script, no external resource.

Every piece of document text (segments, comments, categories, titles, ids) goes through
``html.escape``: translation text is data, so a segment holding ``<script>`` shows as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape as _html_escape
from typing import TYPE_CHECKING, BinaryIO

from relecture.exporters import ExportOptions
from relecture.exporters.report_common import (
    Mark,
    Report,
    build_report,
    num,
    pct,
    pieces,
    worst,
)
from relecture.model import SEVERITIES, Code, ReviewDocument, Segment
from relecture.textsafe import report_safe

if TYPE_CHECKING:
    from relecture.exporters.charts import Chart
    from relecture.intervals import Interval

STRIP_CELLS = 200  # places in the document strip: one per segment up to this, then stretches

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;
 padding:0 1rem;color:#1b1b1b;line-height:1.45;overflow-wrap:break-word}
p{overflow-wrap:anywhere}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0 1rem}
th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}
.seg{border:1px solid #ddd;border-radius:6px;padding:.6rem .9rem;margin:.8rem 0}
.seg h3{font-size:1rem;margin:0 0 .4rem}
.status{font-size:.8rem;padding:.05rem .4rem;border-radius:4px;background:#eee}
.status-approved{background:#d4f4d4}.status-needs-work{background:#fff0c2}
.status-rejected{background:#ffd6d6}
.text{white-space:pre-wrap;margin:.2rem 0}.label{color:#666;font-size:.85rem;margin-right:.4rem}
mark{padding:0 .1rem;border-radius:3px}
mark.sev-neutral{background:#e6e6ff}mark.sev-minor{background:#fff1a8}
mark.sev-major{background:#ffc98b}mark.sev-critical{background:#ff9b9b}
mark.flag{background:none;border-bottom:2px dashed #c33}
sup.ref{font-size:.7rem;color:#555}ins.point{text-decoration:none;color:#c33;font-weight:bold}
ol.notes{margin:.3rem 0;padding-left:1.6rem;font-size:.92rem}
.sev{font-weight:600}.note{background:#f6f6f6;padding:.3rem .5rem;border-left:3px solid #bbb}
.muted{color:#777}
figure.chart{margin:.8rem 0 1.2rem}figure.chart figcaption{font-weight:600;font-size:.95rem}
svg.chart{display:block;width:100%;max-width:44rem;height:auto}
svg.chart *{stroke-linejoin:round;stroke-linecap:butt}
details.chart-table summary{cursor:pointer;color:#555;font-size:.9rem}
.wide{overflow-x:auto;max-width:100%}
@media print{figure.chart{break-inside:avoid}details.chart-table{display:none}}
"""


def escape(text: str, quote: bool = True) -> str:
    """HTML-escape data; control and bidi characters become visible signs (one each, so span
    offsets hold): a report opened in a terminal or editor must not run escape sequences."""
    return _html_escape(report_safe(text), quote)


def write(doc: ReviewDocument, stream: BinaryIO, options: ExportOptions) -> None:
    stream.write(render(doc, options).encode("utf-8"))


def render(doc: ReviewDocument, options: ExportOptions | None = None) -> str:
    """The report; ``options.charts = False`` leaves the charts out (smaller, faster)."""
    options = options or ExportOptions()
    charts = options.charts
    report = build_report(doc, options, charts=charts)
    lang = escape(doc.target_lang or "", quote=True)
    parts = [
        "<!DOCTYPE html>\n",
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        # No script and no remote resource may run or load, whatever the content.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">\n",
        f"<title>Review report: {escape(doc.title or doc.id)}</title>\n",
        f"<style>{_CSS}</style>\n</head>\n<body>\n",
    ]
    parts += _summary(report, charts)
    parts.append("<h2>Segments</h2>\n")
    for seg, marks in report.segments:
        parts += _segment(seg, marks)
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _summary(report: Report, charts: bool) -> list[str]:
    doc = report.doc
    total = report.total
    out = [f"<h1>Review report: {escape(doc.title or doc.id)}</h1>\n", "<p>"]
    langs = " → ".join(x for x in (doc.source_lang, doc.target_lang) if x)
    facts = [f"Document <code>{escape(doc.id)}</code>"]
    if langs:
        facts.append(f"languages {escape(langs)}")
    source = doc.imported_from.get("path")
    if isinstance(source, str) and source:
        facts.append(f"imported from <code>{escape(source)}</code>")
    out.append(", ".join(facts) + ".</p>\n")
    if doc.note:
        out.append(f'<p class="note text">{escape(doc.note)}</p>\n')

    out.append("<h2>Progress</h2>\n<table><tr><th>status</th><th>segments</th><th>share</th></tr>\n")
    for status, count in report.status_counts():
        out.append(
            f"<tr><td>{escape(status)}</td><td>{count}</td><td>{pct(count, total.segments)}</td></tr>\n"
        )
    out.append(
        f"<tr><td>reviewed</td><td>{report.reviewed}</td>"
        f"<td>{pct(report.reviewed, total.segments)}</td></tr>\n"
        f"<tr><td>post-edited</td><td>{report.post_edited}</td>"
        f"<td>{pct(report.post_edited, total.segments)}</td></tr>\n</table>\n"
    )
    if charts and report.tally is not None and doc.segments:
        out += _strip(report)

    n = report.settings.reference_word_count
    out.append("<h2>Scores</h2>\n<table>\n<tr><th>measure</th><th>value</th></tr>\n")
    rows = [
        ("MQM (mean penalty per rated segment, lower is better)", num(total.mqm, 3)),
        ("rated segments", f"{total.rated} of {total.segments}"),
        (f"penalty per {n} words", num(total.penalty_per_words(n))),
        ("quality score (MQM 2.0, 100 = no error)", num(total.quality_score)),
        ("ESA (mean 0-100)", num(total.esa, 1) + f" ({total.esa_count} scored)"),
    ]
    verdict = total.verdict(report.settings)
    if verdict is not None:
        rows.insert(0, ("LQA verdict", verdict.describe(n)))
    if report.metrics is not None:
        m = report.metrics
        rows += [
            (f"HTER ({m.segments} post-edited or approved segments)", f"{m.ter.score:.2f}"),
            ("chrF of the translation against the post-edits", f"{m.chrf.score:.2f}"),
            ("BLEU of the translation against the post-edits", f"{m.bleu.score:.2f}"),
        ]
    for label, value in rows:
        out.append(f"<tr><td>{escape(label)}</td><td>{escape(value)}</td></tr>\n")
    out.append("</table>\n")
    if report.metrics is not None:
        sigs = ", ".join(
            f"{name}: {escape(s.signature)}"
            for name, s in (
                ("TER", report.metrics.ter),
                ("chrF", report.metrics.chrf),
                ("BLEU", report.metrics.bleu),
            )
        )
        out.append(f'<p class="muted">sacrebleu signatures: {sigs}</p>\n')
    scores = report.scores if charts else None
    if scores is not None:
        out += _distribution(scores.mqm, scores.esa)
    if report.systems:
        out += _systems(report, n)
    if scores is not None and scores.by_rater:
        out += _raters(scores.by_rater)

    out.append("<h2>Errors by category and severity</h2>\n")
    if report.by_category:
        if charts:
            from relecture.exporters.charts import category_chart

            out += _figure(category_chart(report.by_category))
        head = "".join(f"<th>{s}</th>" for s in reversed(SEVERITIES))
        out.append(f'<div class="wide"><table><tr><th>category</th>{head}<th>all</th></tr>\n')
        for category, counts in report.by_category.items():
            cells = "".join(f"<td>{counts.get(s, 0)}</td>" for s in reversed(SEVERITIES))
            out.append(f"<tr><td>{escape(category)}</td>{cells}<td>{sum(counts.values())}</td></tr>\n")
        totals = "".join(f"<td>{total.errors.get(s, 0)}</td>" for s in reversed(SEVERITIES))
        out.append(f"<tr><th>all</th>{totals}<td>{sum(total.errors.values())}</td></tr>\n</table></div>\n")
    else:
        out.append("<p>No annotated error.</p>\n")
    flags = sum(report.open_flags.values())
    detail = ", ".join(f"{c} {s}" for s, c in reversed(report.open_flags.items()) if c)
    out.append(
        f"<p>Open automatic flags (not counted in MQM): {flags}"
        + (f" ({escape(detail)})" if detail else "")
        + (f"; on the post-edits: {report.post_edit_flags}" if report.post_edit_flags else "")
        + ".</p>\n"
    )
    return out


def _figure(chart: Chart | None) -> list[str]:
    """An inline SVG chart in a figure; its title and description are its text alternative."""
    if chart is None:
        return []
    return [
        f'<figure class="chart" id="{chart.key}">\n',
        chart.svg,
        f"<figcaption>{escape(chart.title)}</figcaption>\n</figure>\n",
    ]


def _details(caption: str, head: list[str], rows: list[list[str]]) -> list[str]:
    """A chart's data as a table (already escaped cells), folded under the chart."""
    out = [f'<details class="chart-table"><summary>{escape(caption)}</summary>\n<div class="wide"><table><tr>']
    out += [f"<th>{escape(h)}</th>" for h in head]
    out.append("</tr>\n")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>\n")
    out.append("</table></div></details>\n")
    return out


def _strip(report: Report) -> list[str]:
    from relecture.exporters.charts import strip_chart

    assert report.tally is not None
    segments = report.doc.segments
    cells = report.tally.strip(STRIP_CELLS)
    out = ["<h2>Where the errors are</h2>\n"]
    out += _figure(strip_chart(cells, len(segments)))
    rows = [
        [
            f'<a href="#seg-{escape(segments[c.focus].id, quote=True)}">{escape(c.label)}</a>',
            escape(c.error or "-"),
            escape(c.flag or "-"),
            escape(c.status),
        ]
        for c in cells
        if c.error or c.flag or c.status in ("needs-work", "rejected")
    ]
    if rows:
        out += _details("The places with an error, a flag or a segment to rework, as a table",
                        ["segments", "worst error", "worst open flag", "worst status"], rows)
    return out


def _distribution(mqm: list[float], esa: list[int]) -> list[str]:
    from relecture.exporters.charts import distribution_chart, esa_bins, mqm_bins

    chart = distribution_chart(mqm, esa)
    if chart is None:
        return []
    out = _figure(chart)
    if mqm:
        out += _details("MQM penalty per rated segment, as a table", ["penalty", "rated segments"],
                        [[escape(name), str(count)] for name, count in mqm_bins(mqm)])
    if esa:
        out += _details("ESA scores, as a table", ["ESA", "scored segments"],
                        [[escape(name), str(count)] for name, count in esa_bins(esa)])
    return out


def _interval(iv: Interval | None, digits: int = 2) -> str:
    if iv is None or iv.low is None or iv.high is None:
        return "-"
    return f"{iv.low:.{digits}f}–{iv.high:.{digits}f}"


def _systems(report: Report, n: int) -> list[str]:
    scores = report.scores
    mqm: dict[str, Interval] = {}
    esa: dict[str, Interval] = {}
    out: list[str] = []
    if scores is not None and scores.by_system:
        from relecture.exporters.charts import group_chart
        from relecture.intervals import mean_interval

        mqm = {k: mean_interval(v) for k, v in scores.by_system.items()}
        esa = {k: mean_interval(v) for k, v in scores.esa_by_system.items()}
        out += _figure(group_chart(mqm, "MQM per system", "chart-systems"))
        out += _figure(group_chart(esa, "ESA per system", "chart-systems-esa", lower_is_better=False))
    ci = bool(mqm)
    out.append(
        '<div class="wide"><table><tr><th>system</th><th>rated</th><th>MQM</th>'
        + ("<th>MQM 95% CI</th>" if ci else "")
        + f"<th>per {n} words</th><th>ESA</th>"
        + ("<th>ESA 95% CI</th>" if esa else "")
        + "</tr>\n"
    )
    for g in report.systems:
        out.append(
            f"<tr><td>{escape(g.key)}</td><td>{g.rated}</td><td>{num(g.mqm, 3)}</td>"
            + (f"<td>{_interval(mqm.get(g.key))}</td>" if ci else "")
            + f"<td>{num(g.penalty_per_words(n))}</td><td>{num(g.esa, 1)}</td>"
            + (f"<td>{_interval(esa.get(g.key), 1)}</td>" if esa else "")
            + "</tr>\n"
        )
    out.append("</table></div>\n")
    return out


def _raters(by_rater: dict[str, list[float]]) -> list[str]:
    from relecture.exporters.charts import group_chart
    from relecture.intervals import mean_interval

    intervals = {k: mean_interval(v) for k, v in by_rater.items()}
    out = _figure(group_chart(intervals, "MQM per rater", "chart-raters"))
    out.append('<div class="wide"><table><tr><th>rater</th><th>rated</th><th>MQM</th><th>MQM 95% CI</th></tr>\n')
    for rater, iv in intervals.items():
        out.append(f"<tr><td>{escape(rater)}</td><td>{iv.n}</td><td>{iv.mean:.3f}</td><td>{_interval(iv)}</td></tr>\n")
    out.append("</table></div>\n")
    return out


def _highlight(text: str, marks: list[Mark], codes: Sequence[Code] = ()) -> str:
    out: list[str] = []
    for piece in pieces(text, marks, codes):
        if not piece.text:
            refs = "".join(_ref(m) for m in piece.ending)
            out.append(f'<ins class="point" title="insertion point">‸</ins>{refs}')
            continue
        body = escape(piece.text)
        if piece.marks:
            annotations = [m for m in piece.marks if m.kind == "annotation"]
            cls = f"sev-{worst(annotations)}" if annotations else "flag"
            title = "; ".join(f"[{m.number}] {m.severity} {m.category}" for m in piece.marks)
            body = f'<mark class="{cls}" title="{escape(title, quote=True)}">{body}</mark>'
        out.append(body + "".join(_ref(m) for m in piece.ending))
    return "".join(out)


def _ref(mark: Mark) -> str:
    return f'<sup class="ref">[{mark.number}]</sup>'


def _segment(seg: Segment, marks: list[Mark]) -> list[str]:
    sid = escape(seg.id, quote=True)
    out = [
        f'<section class="seg" id="seg-{sid}">\n',
        f'<h3>Segment {escape(seg.id)} <span class="status status-{escape(seg.status, quote=True)}">'
        f"{escape(seg.status)}</span>",
    ]
    system = seg.meta.get("system")
    if isinstance(system, str) and system:
        out.append(f' <span class="muted">{escape(system)}</span>')
    if seg.esa is not None:
        out.append(f' <span class="muted">ESA {seg.esa}</span>')
    out.append("</h3>\n")
    if seg.source is not None:
        source_marks = [m for m in marks if m.side == "source"]
        out.append(
            f'<p class="text"><span class="label">source</span>{_highlight(seg.source, source_marks, seg.codes)}</p>\n'
        )
    target_marks = [m for m in marks if m.side == "target"]
    out.append(
        f'<p class="text"><span class="label">target</span>{_highlight(seg.target, target_marks, seg.codes)}</p>\n'
    )
    if seg.post_edit is not None:
        post_edit_marks = [m for m in marks if m.side == "post-edit"]
        out.append(
            f'<p class="text"><span class="label">post-edit</span>{_highlight(seg.post_edit, post_edit_marks, seg.codes)}</p>\n'
        )
    if seg.note:
        out.append(f'<p class="note text">{escape(seg.note)}</p>\n')
    if marks:
        out.append('<ol class="notes">\n')
        for m in marks:
            out.append(f'<li value="{m.number}">{_note(m)}</li>\n')
        out.append("</ol>\n")
    out.append("</section>\n")
    return out


def _side(m: Mark) -> str:
    return "on the post-edit" if m.side == "post-edit" else m.side


def _note(m: Mark) -> str:
    what = "error" if m.kind == "annotation" else f"flag {m.check}"
    parts = [
        f'<span class="sev">{escape(m.severity)}</span> {escape(m.category)} '
        f'<span class="muted">({escape(what)}, {escape(_side(m))})</span>'
    ]
    if m.text:
        parts.append(f"“{escape(m.text)}”")
    if m.comment:
        parts.append(f"— {escape(m.comment)}")
    if m.correction:
        parts.append(f"→ <strong>{escape(m.correction)}</strong>")
    if m.author:
        parts.append(f'<span class="muted">by {escape(m.author)}</span>')
    return " ".join(parts)
