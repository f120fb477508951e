"""JSON, JSONL, CSV, HTML and Markdown exports: what lands on disk, escaped and complete."""

from __future__ import annotations

import csv
import io
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from relecture.exporters import ExportOptions, export_document
from relecture.model import Annotation, Flag, ReviewDocument, Segment
from relecture.store import load_review

NASTY = (
    '<script>alert("x")</script> & *bold* _u_ [link](http://evil.example) `code` | a ~~s~~ $x$ '
    'C:\\path\n# not a heading\n- not a list\n1. not ordered\n=cmd, "quoted"\n> not a quote\n==='
)
FORMULA = "=cmd|' /C calc'!A0"


def flag(start: int, end: int, text: str, check: str = "md-emphasis") -> Flag:
    return Flag(
        check=check,
        family="llm",
        severity="minor",
        category="Style",
        its_type="style",
        side="target",
        start=start,
        end=end,
        text=text,
        message="looks like Markdown",
        suggestion="bold",
    )


def sample() -> ReviewDocument:
    bold = NASTY.index("*bold*")
    dismissed = flag(0, 8, "<script>", check="html-tag")
    return ReviewDocument(
        id="sample",
        title='Rapport <b>"test"</b>',
        source_lang="en",
        target_lang="fr",
        note="Document note <u>x</u>",
        segments=[
            Segment(
                id="1",
                source="The <b>cat</b>",
                target=NASTY,
                status="approved",
                annotations=[
                    Annotation(
                        id="a1",
                        side="target",
                        start=8,
                        end=13,
                        text="alert",
                        category="Accuracy/Mistranslation",
                        severity="major",
                        comment='<img src=x onerror=alert(1)>, "really"',
                        correction='=HYPERLINK("http://x")',
                        author="",
                    ),
                    Annotation(
                        id="a2",
                        side="source",
                        start=0,
                        end=0,
                        text="",
                        category="Accuracy/Omission",
                        severity="minor",
                        comment="missing word",
                    ),
                ],
                flags=[flag(bold, bold + 6, "*bold*"), dismissed],
                dismissed=[dismissed.key],
            ),
            Segment(
                id="2",
                source="Formula",
                target=FORMULA,
                post_edit="-1+1",
                note="note with <i>tags</i>\nand a second line",
                esa=40,
                status="needs-work",
                annotations=[
                    Annotation(
                        id="a3",
                        side="target",
                        start=0,
                        end=1,
                        text="=",
                        category="Fluency/Punctuation",
                        severity="minor",
                    )
                ],
            ),
            Segment(id="3", source="Plain", target='plain, "quoted" text\nnext line\u2028same'),
        ],
    )


# --- JSON and JSONL ----------------------------------------------------------------------------


def test_json_export_loads_back_as_the_same_review(tmp_path: Path) -> None:
    doc = sample()
    out = export_document(doc, "json", tmp_path / "out.json")
    assert load_review(out).to_dict() == doc.to_dict()
    assert out.read_text(encoding="utf-8") == doc.to_json()


def test_jsonl_has_one_complete_segment_per_line(tmp_path: Path) -> None:
    doc = sample()
    out = export_document(doc, "jsonl", tmp_path / "out.jsonl")
    raw = out.read_text(encoding="utf-8")
    # U+2028 in a segment must not split its record for line-oriented readers.
    assert len(raw.splitlines()) == len(doc.segments)
    lines = [json.loads(line) for line in raw.split("\n") if line]
    for line, seg in zip(lines, doc.segments, strict=True):
        assert line["document"] == "sample"
        assert Segment.from_dict(line, "$") == seg
        assert line["final"] == seg.final_target
    first = lines[0]
    assert [f["open"] for f in first["flags"]] == [True, False]
    assert [a["id"] for a in first["annotations"]] == ["a1", "a2"]
    assert lines[1]["status"] == "needs-work" and lines[1]["post_edit"] == "-1+1"
    assert lines[1]["note"].startswith("note with <i>")


# --- CSV ---------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_rows_per_annotation_and_open_flag(tmp_path: Path) -> None:
    out = export_document(sample(), "csv", tmp_path / "out.csv")
    rows = read_csv(out)
    assert [(r["kind"], r["segment"], r["side"]) for r in rows] == [
        ("annotation", "1", "target"),
        ("annotation", "1", "source"),
        ("flag", "1", "target"),  # the dismissed flag is not exported
        ("annotation", "2", "target"),
    ]
    a1, a2, f1, a3 = rows
    assert (a1["start"], a1["end"], a1["text"]) == ("8", "13", "alert")
    assert a1["category"] == "Accuracy/Mistranslation" and a1["severity"] == "major"
    # commas, quotes, angle brackets and line breaks survive intact
    assert a1["comment"] == '<img src=x onerror=alert(1)>, "really"'
    assert a1["target"] == NASTY and a1["source"] == "The <b>cat</b>"
    assert a1["status"] == "approved" and a1["origin"] == "manual"
    assert (a2["start"], a2["end"], a2["comment"]) == ("0", "0", "missing word")
    assert f1["origin"] == "check:md-emphasis" and f1["comment"] == "looks like Markdown"
    assert f1["correction"] == "bold" and f1["text"] == "*bold*"
    assert (a3["severity"], a3["category"], a3["status"]) == ("minor", "Fluency/Punctuation", "needs-work")


def test_csv_guards_against_formulas(tmp_path: Path) -> None:
    out = export_document(sample(), "csv", tmp_path / "out.csv")
    rows = read_csv(out)
    # A spreadsheet shows these as text, never runs them.
    assert rows[0]["correction"] == "'" + '=HYPERLINK("http://x")'
    assert rows[3]["target"] == "'" + FORMULA
    assert rows[3]["text"] == "'="
    assert rows[3]["start"] == "0"  # numbers are never prefixed
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    raw = export_document(
        sample(), "csv", tmp_path / "raw.csv", ExportOptions(formula_guard=False)
    )
    assert read_csv(raw)[3]["target"] == FORMULA


def test_csv_bom_and_line_ends(tmp_path: Path) -> None:
    plain = export_document(sample(), "csv", tmp_path / "plain.csv").read_bytes()
    with_bom = export_document(sample(), "csv", tmp_path / "bom.csv", ExportOptions(bom=True)).read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert with_bom == b"\xef\xbb\xbf" + plain
    assert plain.startswith(b"kind,segment,side,start,end,text,category,severity,comment,")
    assert plain.split(b"\r\n")[0].endswith(b"source,target,post_edit,codes")


# --- HTML --------------------------------------------------------------------------------------


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


# --- Markdown ----------------------------------------------------------------------------------


class MdText(HTMLParser):
    """Text of the rendered paragraphs that start with an emphasised label ("Target:")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.paragraphs: list[tuple[str, str]] = []
        self._para: str | None = None
        self._label: str | None = None
        self._in_em = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "p":
            self._para = ""
            self._label = None
        elif tag == "em" and self._para == "":
            self._in_em = True
            self._label = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "em" and self._in_em:
            self._in_em = False
        elif tag == "p" and self._para is not None:
            if self._label:
                self.paragraphs.append((self._label, self._para))
            self._para = None

    def handle_data(self, data: str) -> None:
        if self._in_em and self._label is not None:
            self._label += data
        elif self._para is not None:
            self._para += data


def rendered_texts(markdown: str) -> tuple[list[str], list[tuple[str, str]]]:
    parser = MdText()
    parser.feed(MarkdownIt("commonmark").render(markdown))
    return parser.tags, parser.paragraphs


def test_markdown_report_escapes_markdown_in_segment_text(tmp_path: Path) -> None:
    doc = sample()
    out = export_document(doc, "markdown", tmp_path / "report.md")
    text = out.read_text(encoding="utf-8")
    tags, paragraphs = rendered_texts(text)
    # Nothing in the text became a link, heading, list, quote, code or raw HTML.
    assert "a" not in tags and "script" not in tags and "code" not in tags[: tags.index("h2")]
    assert tags.count("h1") == 1
    targets = [p for label, p in paragraphs if label == "Target:"]
    # Highlights add "[n]" note numbers after spans; everything else is the text as written.
    first = targets[0].replace("[1]", "").replace("[3]", "")
    assert first.strip() == NASTY
    assert targets[1].replace("[1]", "").strip() == FORMULA
    assert targets[2].strip() == doc.segments[2].target
    sources = [p for label, p in paragraphs if label == "Source:"]
    assert sources[0].replace("‸[2]", "").strip() == "The <b>cat</b>"
    assert "**alert**\\[1\\]" in text  # the annotated span is bold, then its note number


def test_markdown_report_summary_matches_the_html_one(tmp_path: Path) -> None:
    text = export_document(sample(), "markdown", tmp_path / "report.md").read_text(encoding="utf-8")
    assert text.startswith('# Review report: Rapport \\<b\\>"test"\\</b\\>\n')
    assert "| MQM (mean penalty per rated segment, lower is better) | 3.050 |" in text
    assert "| Accuracy/Mistranslation | 0 | 1 | 0 | 0 | 1 |" in text
    assert "| approved | 1 | 33% |" in text
    assert "Open automatic flags (not counted in MQM): 1 (1 minor)." in text


# --- atomic writes -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "html", "markdown"])
def test_a_failed_export_leaves_the_old_file_and_no_partial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    out = tmp_path / f"out.{fmt}"
    out.write_text("previous export\n", encoding="utf-8")

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        export_document(sample(), fmt, out)
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_reports_never_carry_terminal_controls_or_bidi_overrides(tmp_path: Path, fmt: str) -> None:
    """A report may be `cat` to a terminal: ESC sequences and the like show as signs, and bidi
    overrides (which reorder what a reader sees) are made visible too."""
    doc = ReviewDocument(id="d", title="t\x1b]0;owned\x07", segments=[
        Segment(id="1", source="Red \x1b[31malert\x1b[0m", target="Rouge \x1b[31malerte\x1b[0m \u202eabc\u202c fin\rX",
                note="bell\x07"),
    ])
    out = export_document(doc, fmt, tmp_path / f"report.{fmt}")
    text = out.read_text(encoding="utf-8")
    for raw in ("\x1b", "\x07", "\u202e", "\r"):
        assert raw not in text
    assert "␛[31malerte␛[0m" in text.replace("\\", "")
