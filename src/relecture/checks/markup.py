"""Markdown the model left in prose: heading markers, emphasis, code, list bullets.

Each marker is flagged unless the source has the same marker (then it is the document's own
markup). Without a source, a heading marker is accepted only where a heading can be: alone at the
start of a short paragraph that reads as a title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from relecture.checks.base import CheckInfo, Context, Family, Finding, SegmentView

FAMILY = "markup"

INFOS = [
    CheckInfo(
        id="markup.heading",
        family=FAMILY,
        category="Design and markup/Markup tag",
        severity="major",
        description="Markdown heading marker (# to ######) inside prose",
        explanation=(
            "A Markdown heading marker sits inside a paragraph, or opens a line the source does "
            "not mark as a heading. LLMs emit these when they lose track of the format; in plain "
            "text they print as literal '#' signs. Delete the marker (and check whether the model "
            "meant to start a new section: the sentence after it may be misplaced)."
        ),
        fix="delete the marker",
    ),
    CheckInfo(
        id="markup.emphasis",
        family=FAMILY,
        category="Design and markup/Markup tag",
        severity="minor",
        description="Markdown emphasis (**bold**, __bold__) the source does not have",
        explanation=(
            "Asterisks or underscores around words are Markdown emphasis added by the model; "
            "they print literally in plain text. Remove them, or turn them into the document "
            "format's own emphasis if the source stresses these words."
        ),
        fix="keep the words, drop the markers",
    ),
    CheckInfo(
        id="markup.code",
        family=FAMILY,
        category="Design and markup/Markup tag",
        severity="minor",
        description="Code fence (```) or `inline code` the source does not have",
        explanation=(
            "Backquotes are Markdown code markup; a chat model often wraps its whole answer in "
            "a code fence. Remove the markers unless the source marks the same text as code."
        ),
    ),
    CheckInfo(
        id="markup.list",
        family=FAMILY,
        category="Design and markup/Layout",
        severity="minor",
        description="List bullet (-, *, +, 1.) at a line start where the source has none",
        explanation=(
            "The model turned prose into a list or added bullets. Check the structure against "
            "the source: a translation keeps the source's layout."
        ),
        needs_source=True,
    ),
]

_HEADING = re.compile(r"(?:(?<=\s)|^)(#{1,6})(?:[ \t]+|$)", re.MULTILINE)
_LINE_HEADING = re.compile(r"^[ \t]*#{1,6}(?:[ \t]|$)", re.MULTILINE)
_BOLD = re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*|(?<!\w)__(?=\S)([^_\n]+?)(?<=\S)__(?!\w)")
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)[^\n]*$", re.MULTILINE)
_INLINE_CODE = re.compile(r"(?<!`)`(?=\S)([^`\n]+?)(?<=\S)`(?!`)")
_BULLET = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,2}[.)])[ \t]+(?=\S)", re.MULTILINE)
_PROSE_END = frozenset(".!:;,")


def _doubled(text: str) -> bool:
    """Whether ``text`` holds "**" or "__". A one-character ``in`` is a memchr, several times
    cheaper than a two-character one: most texts have no "*" or "_" at all."""
    return ("*" in text and "**" in text) or ("_" in text and "__" in text)


def _line_start(text: str, pos: int) -> bool:
    line_begin = text.rfind("\n", 0, pos) + 1
    return not text[line_begin:pos].strip()


def _looks_like_title(view: SegmentView, line_begin: int) -> bool:
    """A heading marker is plausible on a short, unpunctuated line opening a paragraph."""
    text = view.target
    if line_begin == 0 and not view.para_start:
        return False
    line_end = text.find("\n", line_begin)
    line = text[line_begin : line_end if line_end >= 0 else len(text)].rstrip()
    return 0 < len(line) <= 120 and line[-1] not in _PROSE_END


def build(ctx: Context) -> Family:
    family = Family()
    heading_on = ctx.on("markup.heading")
    bold_on = ctx.on("markup.emphasis")
    code_on = ctx.on("markup.code")
    list_on = ctx.on("markup.list")

    def markup(view: SegmentView) -> Iterator[Finding]:
        text = view.target
        source = view.source
        if heading_on and "#" in text:
            source_headings = len(_LINE_HEADING.findall(source)) if source and "#" in source else 0
            line_headings = 0
            for m in _HEADING.finditer(text):
                marker = m.group(1)
                at_line_start = _line_start(text, m.start())
                if at_line_start:
                    line_headings += 1
                    if source is not None:
                        if line_headings <= source_headings:
                            continue
                        why = "the source has no heading here"
                    else:
                        line_begin = text.rfind("\n", 0, m.start()) + 1
                        if line_begin == 0 and not view.para_start:
                            why = "it sits inside a paragraph, after the previous sentence"
                        elif _looks_like_title(view, line_begin):
                            continue
                        else:
                            why = "it opens a line of running prose, not a title"
                else:
                    why = "it sits in the middle of a sentence"
                yield (
                    "markup.heading", "target", m.start(), m.end(),
                    f"Markdown heading marker “{marker}”: {why}", "",
                )
        if bold_on and _doubled(text) and not (source and _doubled(source)):
            for m in _BOLD.finditer(text):
                inner = m.group(1) if m.group(1) is not None else m.group(2)
                yield (
                    "markup.emphasis", "target", m.start(), m.end(),
                    f"Markdown emphasis around “{inner}”", inner,
                )
        if code_on and "`" in text and not (source and "`" in source):
            for m in _FENCE.finditer(text):
                yield ("markup.code", "target", m.start(), m.end(), "Markdown code fence", "")
            for m in _INLINE_CODE.finditer(text):
                yield (
                    "markup.code", "target", m.start(), m.end(),
                    f"Markdown inline code around “{m.group(1)}”", m.group(1),
                )
        if list_on and source is not None and ("\n" in text or text[:1] in "-*+•0123456789"):
            source_bullets = len(_BULLET.findall(source))
            for count, m in enumerate(_BULLET.finditer(text), start=1):
                if count > source_bullets:
                    yield (
                        "markup.list", "target", m.start(), m.end(),
                        f"List bullet “{m.group().strip()}” at a line start; the source has "
                        f"{source_bullets or 'no'} list item(s)", None,
                    )

    family.segment_fns.append(markup)
    return family
