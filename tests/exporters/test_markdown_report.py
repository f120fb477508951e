"""The Markdown report: Markdown in segment text escaped, the summary the HTML one gives."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from tests.exporters.samples import FORMULA, NASTY, sample

from relecture.exporters import export_document


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
