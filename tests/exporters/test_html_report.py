"""The HTML report: segment text kept as text, self-contained, with a summary."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from tests.exporters.samples import FORMULA, NASTY, sample

from relecture.exporters import export_document


class Collector(HTMLParser):
    """Tags used, resource attributes, and the visible text of each segment's text paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.paragraphs: dict[tuple[str, str], str] = {}
        self._section = ""
        self._para: str | None = None
        self._label = ""
        self._skip = 0
        self._in_label = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "action")]
        if tag == "section":
            self._section = a.get("id") or ""
        elif tag == "p" and "text" in (a.get("class") or "").split():
            self._para = ""
            self._label = ""
        elif tag == "span" and a.get("class") == "label":
            self._in_label = True
        elif tag in ("sup", "ins"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._para is not None:
            self.paragraphs[(self._section, self._label)] = self._para
            self._para = None
        elif tag == "span" and self._in_label:
            self._in_label = False
        elif tag in ("sup", "ins"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._in_label:
            self._label += data
        elif self._para is not None and not self._skip:
            self._para += data


def test_html_report_keeps_segment_text_as_text(tmp_path: Path) -> None:
    doc = sample()
    out = export_document(doc, "html", tmp_path / "report.html")
    html = out.read_text(encoding="utf-8")
    parser = Collector()
    parser.feed(html)
    # No markup from the document became markup: no script, image, link or external resource.
    assert "script" not in parser.tags and "img" not in parser.tags and "b" not in parser.tags
    # Only links within the page (the strip's table points at its segments).
    assert [u for u in parser.urls if not u.startswith("#seg-")] == []
    assert "<script>" not in html and "</script>" not in html
    assert "&lt;script&gt;" in html and "(&quot;x&quot;)&lt;/script&gt;" in html
    # The visible text of each paragraph is exactly the segment text.
    assert parser.paragraphs[("seg-1", "target")] == NASTY
    assert parser.paragraphs[("seg-1", "source")] == "The <b>cat</b>"
    assert parser.paragraphs[("seg-2", "target")] == FORMULA
    assert parser.paragraphs[("seg-2", "post-edit")] == "-1+1"
    assert parser.paragraphs[("seg-3", "target")] == doc.segments[2].target
    # The annotated span is highlighted with its severity; the open flag too.
    assert '<mark class="sev-major"' in html and ">alert</mark>" in html
    assert '<mark class="flag"' in html and ">*bold*</mark>" in html
    assert "&lt;img src=x onerror=alert(1)&gt;, &quot;really&quot;" in html


def test_html_report_is_self_contained_with_a_summary(tmp_path: Path) -> None:
    out = export_document(sample(), "html", tmp_path / "report.html")
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert "http://" not in html.replace("http://x", "").replace("http://evil.example", "")
    assert "<title>Review report: Rapport &lt;b&gt;&quot;test&quot;&lt;/b&gt;</title>" in html
    # MQM: segment 1 = major 5 + minor 1 = 6, segment 2 = minor punctuation 0.1,
    # segment 3 unrated: (6 + 0.1) / 2 = 3.05
    assert "<td>3.050</td>" in html and "<td>2 of 3</td>" in html
    assert "<td>Accuracy/Mistranslation</td><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td>" in html
    assert "<td>approved</td><td>1</td><td>33%</td>" in html
    assert "ESA (mean 0-100)</td><td>40.0 (1 scored)" in html
    assert "Open automatic flags (not counted in MQM): 1 (1 minor)" in html
    assert "HTER (2 post-edited or approved segments)" in html
