"""The HTML report's charts as files: present, escaped, self-contained, described in words, and
the figures behind them (strip, bins, bootstrap intervals) right."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from lxml import etree
from tests.exporters.samples import CHART_IDS, NASTY_SYSTEM, review

from relecture.exporters import ExportOptions, export_document
from relecture.exporters.report_common import tally
from relecture.intervals import mean_interval
from relecture.model import Annotation, Flag, ReviewDocument, Segment


def svgs(html: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(
        r'<figure class="chart" id="([^"]+)">\n(<svg.*?</svg>)', html, re.S)}


def parse_svg(svg: str) -> etree._Element:
    """As an XML parser would read it (the namespaces the HTML parser implies put back)."""
    svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ', 1)
    return etree.fromstring(svg.encode(), etree.XMLParser(resolve_entities=False, no_network=True))


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = export_document(review(), "html", tmp_path_factory.mktemp("charts") / "r.html")
    return out.read_text(encoding="utf-8")


def test_every_chart_is_inline_with_a_text_alternative(report_html: str) -> None:
    charts = svgs(report_html)
    assert set(charts) == set(CHART_IDS)
    for key, svg in charts.items():
        root = parse_svg(svg)
        ns = "{http://www.w3.org/2000/svg}"
        assert root.get("role") == "img" and root.get("aria-labelledby") == f"{key}-title {key}-desc"
        assert root.get("viewBox") and root.get("width") is None  # scales with the page
        title, desc = root[0], root[1]
        assert title.tag == f"{ns}title" and title.get("id") == f"{key}-title" and title.text
        assert desc.tag == f"{ns}desc" and len(desc.text or "") > 40
        texts = [t for t in root.iter(f"{ns}text")]
        assert texts, f"{key}: text is real SVG text, not glyph paths"


def test_chart_text_from_data_is_escaped_and_never_mathtext(report_html: str) -> None:
    charts = svgs(report_html)
    labels = {key: "".join(parse_svg(svg).itertext()) for key, svg in charts.items()}
    # The category and system names are drawn literally: their markup is text, `$x$` is not maths.
    assert 'Other/<script>alert("c")</script> & $x$'[:37] in labels["chart-categories"]
    assert NASTY_SYSTEM in labels["chart-systems"]
    assert "r<2>" in labels["chart-raters"]
    assert "<script>" not in report_html and "&lt;script&gt;" in charts["chart-categories"]
    assert "sys&lt;B&gt;&amp;C $1" in charts["chart-systems"]


def test_charts_load_nothing_and_their_ids_are_unique_in_the_page(report_html: str) -> None:
    ids = re.findall(r'\bid="([^"]+)"', report_html)
    assert len(ids) == len(set(ids))
    for ref in re.findall(r'(?:url\(#|href="#)([^")]+)', report_html):
        assert ref in ids, f"dangling reference #{ref}"
    for svg in svgs(report_html).values():
        assert "<image" not in svg and "data:" not in svg and "<style" not in svg and "<script" not in svg
        assert "http" not in svg and "<metadata" not in svg


def test_the_same_review_gives_the_same_bytes(tmp_path: Path, report_html: str) -> None:
    again = export_document(review(), "html", tmp_path / "again.html").read_text(encoding="utf-8")
    assert again == report_html


def test_charts_can_be_left_out(tmp_path: Path) -> None:
    out = export_document(review(), "html", tmp_path / "r.html", ExportOptions(charts=False))
    html = out.read_text(encoding="utf-8")
    assert "<svg" not in html and "<table>" in html


def test_a_single_system_review_has_no_comparison_chart(tmp_path: Path) -> None:
    doc = review(systems=("only",))
    for seg in doc.segments:
        seg.meta = {}
        for a in seg.annotations:
            a.author = ""
    html = export_document(doc, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    assert set(svgs(html)) == {"chart-strip", "chart-distribution", "chart-categories"}


def test_an_unreviewed_document_has_only_its_strip(tmp_path: Path) -> None:
    doc = ReviewDocument(id="d", title="t", segments=[Segment(id=str(i), target=f"x {i}") for i in range(5)])
    html = export_document(doc, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    assert set(svgs(html)) == {"chart-strip"}
    assert "No annotated error." in html
    empty = ReviewDocument(id="e", title="t", segments=[])
    assert "<svg" not in export_document(empty, "html", tmp_path / "e.html").read_text(encoding="utf-8")


def test_the_tables_under_the_charts_give_their_figures(report_html: str) -> None:
    assert "<th>MQM 95% CI</th>" in report_html and "<th>ESA 95% CI</th>" in report_html
    # The strip's table links each place to the segment it is about.
    anchors = re.findall(r'<td><a href="#seg-([^"]+)">', report_html)
    assert anchors and all(f'id="seg-{a}"' in report_html for a in anchors)


def test_strip_cells_cover_the_document_and_point_at_the_worst_segment() -> None:
    segments = [Segment(id=str(i), target="x") for i in range(10)]
    segments[3].annotations.append(Annotation(id="a", side="target", start=0, end=1, category="C", severity="minor"))
    segments[4].annotations.append(Annotation(id="b", side="target", start=0, end=1, category="C", severity="critical"))
    segments[8].flags.append(Flag(check="c", family="f", severity="major", category="C", its_type="t",
                                  side="target", start=0, end=1, text="x", message="m"))
    segments[9].status = "rejected"
    cells = tally(segments).strip(4)
    assert [(c.first, c.last) for c in cells] == [(0, 1), (2, 4), (5, 6), (7, 9)]
    assert cells[1].error == "critical" and cells[1].focus == 4 and cells[1].errors == 2
    assert cells[3].flag == "major" and cells[3].error is None and cells[3].focus == 8
    assert cells[3].status == "rejected" and cells[0].status == "todo"
    assert [c.label for c in tally(segments).strip(100)][:2] == ["segment 1", "segment 2"]


def test_bootstrap_interval_holds_the_mean_and_narrows_with_more_data() -> None:
    rnd = random.Random(1)
    values = [rnd.choice([0, 0, 0, 1, 5, 25]) for _ in range(5000)]
    small, big = mean_interval(values[:100]), mean_interval(values)
    assert small.low < small.mean < small.high and big.low < big.mean < big.high
    assert (big.high - big.low) < (small.high - small.low) / 4
    assert mean_interval([3.0]).low is None and mean_interval([2.0, 2.0]).low == 2.0


def test_both_bootstrap_routes_give_the_same_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above DIRECT_LIMIT the resample counts come from a multinomial draw: the same bootstrap
    distribution as scipy.stats.bootstrap's, so the same interval to within resampling noise."""
    import relecture.intervals as intervals

    rnd = random.Random(2)
    values = [rnd.choice([0, 0, 0, 0.1, 1, 5, 6, 25]) for _ in range(4000)]
    counted = intervals.mean_interval(values)
    monkeypatch.setattr(intervals, "DIRECT_LIMIT", 10**9)
    direct = intervals.mean_interval(values)
    width = direct.high - direct.low
    assert counted.mean == direct.mean
    assert abs(counted.low - direct.low) < 0.1 * width and abs(counted.high - direct.high) < 0.1 * width
