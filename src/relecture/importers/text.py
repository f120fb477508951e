"""Plain text: target only, or paragraph-aligned with a source file (``--source``).

Paragraphs are the file's lines, or blank-line-separated blocks when the file uses blank lines.
A short line without final punctuation between two paragraphs is a heading. With
``segment="sentence"`` each paragraph is split into sentences; in a bilingual document a
paragraph stays whole when source and target do not split into the same number of sentences
(a one-to-one sentence alignment would otherwise be a guess).
"""

from __future__ import annotations

from pathlib import Path

from relecture.errors import InputError
from relecture.importers import ImportOptions, new_document_header
from relecture.langid import detect_language
from relecture.model import Kind, ReviewDocument, Segment
from relecture.segmentation import Piece, is_heading, split_paragraphs, split_sentences
from relecture.textio import decode, read_bytes


def _headings(paragraphs: list[Piece]) -> list[bool]:
    last = len(paragraphs) - 1
    # A title line opens a document; a short last line is a signature or a fragment, not a heading.
    return [i < last and is_heading(text) for i, (text, _) in enumerate(paragraphs)]


def _line_of(prefix: str, paragraphs: list[Piece], index: int) -> int:
    consumed = prefix + "".join(t + s for t, s in paragraphs[:index])
    return consumed.count("\n") + 1


def read(path: Path, options: ImportOptions) -> ReviewDocument:
    raw = read_bytes(path)
    target_text = decode(raw, path)
    prefix, paragraphs = split_paragraphs(target_text)
    target_lang = options.target_lang or detect_language(target_text)

    source_prefix = ""
    source_paragraphs: list[Piece] | None = None
    source_lang = options.source_lang
    if options.source_path is not None:
        source_text = decode(read_bytes(options.source_path), options.source_path)
        source_prefix, source_paragraphs = split_paragraphs(source_text)
        source_lang = source_lang or detect_language(source_text)
        _check_alignment(path, options.source_path, prefix, paragraphs, source_prefix, source_paragraphs)

    headings = _headings(paragraphs)
    segments: list[Segment] = []
    for p_index, (paragraph, gap) in enumerate(paragraphs):
        source_par = source_paragraphs[p_index] if source_paragraphs is not None else None
        if headings[p_index] or options.segment == "paragraph":
            kind: Kind = "heading" if headings[p_index] else "paragraph"
            segments.append(
                Segment(
                    id=f"{p_index + 1}",
                    paragraph=p_index,
                    kind=kind,
                    target=paragraph,
                    space_after=gap,
                    source=source_par[0] if source_par else None,
                    source_space_after=source_par[1] if source_par else "",
                )
            )
            continue
        target_sents = split_sentences(paragraph, target_lang)
        source_sents = split_sentences(source_par[0], source_lang) if source_par else None
        if source_par is not None and (source_sents is None or len(source_sents) != len(target_sents)):
            segments.append(
                Segment(
                    id=f"{p_index + 1}",
                    paragraph=p_index,
                    kind="paragraph",
                    target=paragraph,
                    space_after=gap,
                    source=source_par[0],
                    source_space_after=source_par[1],
                    meta={"segmentation": "paragraph kept whole: source and target sentence counts differ"},
                )
            )
            continue
        last = len(target_sents) - 1
        for s_index, (sentence, space) in enumerate(target_sents):
            src = source_sents[s_index] if source_sents is not None else None
            src_space = ""
            if src is not None:
                src_space = src[1] + (source_par[1] if s_index == last and source_par else "")
            segments.append(
                Segment(
                    id=f"{p_index + 1}.{s_index + 1}",
                    paragraph=p_index,
                    kind="sentence",
                    target=sentence,
                    space_after=space + (gap if s_index == last else ""),
                    source=src[0] if src is not None else None,
                    source_space_after=src_space,
                )
            )

    header = new_document_header(path, "text", raw, options.title)
    if options.source_path is not None:
        header["imported_from"]["source_path"] = str(options.source_path)  # type: ignore[index]
    return ReviewDocument(
        segments=segments,
        source_lang=source_lang,
        target_lang=target_lang,
        prefix=prefix,
        source_prefix=source_prefix,
        **header,  # type: ignore[arg-type]
    )


def _check_alignment(
    target_path: Path,
    source_path: Path,
    target_prefix: str,
    target: list[Piece],
    source_prefix: str,
    source: list[Piece],
) -> None:
    if len(target) == len(source):
        return
    # Point at the first place the structure diverges (a heading facing a body paragraph),
    # else at the first paragraph that has no counterpart.
    t_head, s_head = _headings(target), _headings(source)
    first = min(len(target), len(source))
    for i in range(first):
        if t_head[i] != s_head[i]:
            first = i
            break
    if first < len(target):
        where_path, place = target_path, f"line {_line_of(target_prefix, target, first)}"
    else:
        where_path, place = source_path, f"line {_line_of(source_prefix, source, first)}"
    raise InputError(
        where_path,
        f"paragraph counts differ (source {len(source)}, target {len(target)}); "
        f"first mismatch at paragraph {first + 1}",
        place,
    )
