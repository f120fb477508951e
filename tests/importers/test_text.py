"""Importers: text (target-only and bilingual), TSV/CSV, JSONL, encodings and bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS
from relecture.errors import InputError
from relecture.importers import ImportOptions, import_document
from relecture.segmentation import split_paragraphs, split_sentences


def test_corpus_round_trip_and_headings() -> None:
    doc = import_document(CORPUS)
    assert doc.rebuild_target() == CORPUS.read_text(encoding="utf-8")
    assert doc.target_lang == "fr"
    assert doc.source_lang is None and not doc.bilingual
    headings = [s for s in doc.segments if s.kind == "heading"]
    # Lines 7, 18 and 27 of the document are its section titles.
    assert [s.paragraph + 1 for s in headings] == [7, 18, 27]
    assert headings[0].target == "Attentes réduites, comment OpenAI peut-il sauver la situation"
    assert doc.segments[0].target == "Voici la traduction en français :"
    assert len({s.paragraph for s in doc.segments}) == 28
    assert len(doc.segments) > 28  # paragraphs were split into sentences
    assert len({s.id for s in doc.segments}) == len(doc.segments)


def test_corpus_paragraph_mode() -> None:
    doc = import_document(CORPUS, ImportOptions(segment="paragraph"))
    assert len(doc.segments) == 28
    assert doc.rebuild_target() == CORPUS.read_text(encoding="utf-8")


def test_bilingual_text_aligns_paragraphs_and_sentences(tmp_path: Path) -> None:
    source = tmp_path / "a.zh.txt"
    target = tmp_path / "a.fr.txt"
    source.write_text("标题\n第一句。第二句。\n只有一句，但很长。", encoding="utf-8")
    target.write_text("Titre\nPremière phrase. Deuxième phrase.\nUne phrase. Et une autre.", encoding="utf-8")
    doc = import_document(target, ImportOptions(source_path=source, source_lang="zh", target_lang="fr"))
    assert [(s.kind, s.source, s.target) for s in doc.segments] == [
        ("heading", "标题", "Titre"),
        ("sentence", "第一句。", "Première phrase."),
        ("sentence", "第二句。", "Deuxième phrase."),
        ("paragraph", "只有一句，但很长。", "Une phrase. Et une autre."),
    ]
    assert doc.rebuild_target() == target.read_text(encoding="utf-8")
    assert doc.rebuild_source() == source.read_text(encoding="utf-8")


def test_bilingual_count_mismatch_names_first_position(tmp_path: Path) -> None:
    source = tmp_path / "s.txt"
    target = tmp_path / "t.txt"
    source.write_text("Intro one.\nSection\nBody text here.\nMore body.\n", encoding="utf-8")
    target.write_text("Intro un.\nCorps du texte ici.\nPlus de corps.\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_document(target, ImportOptions(source_path=source))
    message = str(info.value)
    assert "paragraph counts differ (source 4, target 3)" in message
    assert message.startswith(f"{target}:line 2:") and "first mismatch at paragraph 2" in message


def test_blank_line_separated_blocks(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    text = "Premier paragraphe\nsur deux lignes.\n\nDeuxième paragraphe.\n\n\n"
    path.write_text(text, encoding="utf-8")
    doc = import_document(path, ImportOptions(segment="paragraph", target_lang="fr"))
    assert [s.target for s in doc.segments] == ["Premier paragraphe\nsur deux lignes.", "Deuxième paragraphe."]
    assert doc.rebuild_target() == text


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)],
)
def test_encodings_and_crlf(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = tmp_path / "e.txt"
    text = "Première ligne à vérifier.\r\nDeuxième ligne, « citée ».\r\n"
    path.write_bytes(prefix + text.encode(encoding))
    doc = import_document(path, ImportOptions(target_lang="fr"))
    assert [s.target for s in doc.segments] == ["Première ligne à vérifier.", "Deuxième ligne, « citée »."]
    assert doc.rebuild_target() == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"   \n\n  ", "only white space"),
        (b"Bonjour\x00 le monde", r"1:8: NUL character"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8", "binary file"),
        (b"Ligne un.\nCaf\xe9 cr\xe8me\n", r"line 2: not UTF-8 text \(byte 0xe9\)"),
    ],
)
def test_bad_text_input(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as info:
        import_document(path)
    assert str(info.value).startswith(str(path))


def test_tsv_with_header_and_mapped_columns(tmp_path: Path) -> None:
    path = tmp_path / "d.tsv"
    path.write_text("key\ten\tfr\tnote\nk1\tHello.\tBonjour.\tx\nk2\tBye.\tAu revoir.\ty\n", encoding="utf-8")
    doc = import_document(path, ImportOptions(columns={"id": "key", "source": "en", "target": "fr"}))
    assert [(s.id, s.source, s.target) for s in doc.segments] == [
        ("k1", "Hello.", "Bonjour."),
        ("k2", "Bye.", "Au revoir."),
    ]


def test_csv_with_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text('id,source,target\n1,"Two\nlines","Deux\nlignes, ici"\n', encoding="utf-8")
    doc = import_document(path, ImportOptions(source_lang="en", target_lang="fr"))
    assert doc.segments[0].target == "Deux\nlignes, ici"
    assert doc.segments[0].source == "Two\nlines"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id\tsource\nx\ty\n", r"line 1: no 'target' column"),
        ("id\tsource\ttarget\n1\ta\tb\n2\ta\n", r"line 3: row has 2 fields"),
        ("id\tsource\ttarget\n1\ta\tb\n1\tc\td\n", r"line 3: duplicate id '1' \(first on line 2\)"),
    ],
)
def test_bad_tsv(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        import_document(path, ImportOptions(target_lang="fr", source_lang="en"))


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(
        '{"id": "a", "source": "Hello.", "target": "Bonjour.", "system": "gpt"}\n\n'
        '{"id": 2, "target": "Salut."}\n',
        encoding="utf-8",
    )
    doc = import_document(path, ImportOptions(source_lang="en", target_lang="fr"))
    assert [(s.id, s.source, s.target) for s in doc.segments] == [("a", "Hello.", "Bonjour."), ("2", None, "Salut.")]
    assert doc.segments[0].meta == {"system": "gpt"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "target": "x"}\n{"id": "b", "target": }\n', r"line 2:\d+: malformed JSON"),
        ('{"id": "a"}\n', r"line 1: missing or non-text 'target'"),
        ('["a", "b"]\n', r"line 1: expected a JSON object"),
    ],
)
def test_bad_jsonl(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        import_document(path, ImportOptions(target_lang="fr"))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        import_document(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="is a directory"):
        import_document(tmp_path)


def test_target_language_detection_is_deterministic(tmp_path: Path) -> None:
    path = tmp_path / "en.txt"
    path.write_text("The committee approved the budget after a long debate about schools.", encoding="utf-8")
    langs = {import_document(path).target_lang for _ in range(3)}
    assert langs == {"en"}


# Pieces rather than characters, so abbreviations, ellipses and blank lines occur often.
_text = st.lists(
    st.sampled_from([*"abc éà.?!:;«» \n\t\r中文。", "M. ", "...", "\n\n", "  ", "Dr. Who", "3.5"]),
    max_size=120,
).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text, st.sampled_from(["fr", "en", "zh", "xx"]))
def test_segmentation_rebuilds_any_text_exactly(text: str, lang: str) -> None:
    prefix, paragraphs = split_paragraphs(text)
    rebuilt = prefix
    for paragraph, gap in paragraphs:
        assert paragraph and paragraph == paragraph.strip()
        sentences = split_sentences(paragraph, lang)
        for sentence, space in sentences:
            assert sentence and sentence == sentence.strip() and not space.strip()
        rebuilt += "".join(s + sp for s, sp in sentences) + gap
    assert rebuilt == text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.sampled_from(list("Ab é.!? «»\t")), min_size=1, max_size=60), min_size=1, max_size=8))
def test_text_import_rebuilds_file_exactly(tmp_path_factory: pytest.TempPathFactory, lines: list[str]) -> None:
    text = "\n".join(lines)
    if not text.strip():
        return
    path = tmp_path_factory.mktemp("prop") / "p.txt"
    path.write_text(text, encoding="utf-8", newline="")
    doc = import_document(path, ImportOptions(target_lang="fr"))
    assert doc.rebuild_target() == text


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab cd EF.!?;:,…。？\u0589\u061f\u0964\u037e\u104b\u1362\u1367«»\"'")),
                 min_size=1, max_size=80),
    lang=st.sampled_from(["en", "fr", "zh", "hy", "ar", "hi", "el", "my", "am", "de"]),
)
def test_windows_without_a_sentence_end_skip_pysbd_with_the_same_result(text: str, lang: str) -> None:
    """pysbd is not asked about text without any sentence-final mark (its English rules take
    minutes on a megabyte of such text): the split must be what pysbd itself gives."""
    import re as _re

    from relecture import segmentation

    paragraph = text.strip()
    quick = segmentation.split_sentences(paragraph, lang)
    original = segmentation._MAY_END_SENTENCE
    segmentation._MAY_END_SENTENCE = _re.compile(r"(?s).")  # always ask pysbd
    try:
        assert segmentation.split_sentences(paragraph, lang) == quick
    finally:
        segmentation._MAY_END_SENTENCE = original


# Cells with quotes and line breaks (a tab inside a translation is too rare to weigh against
# literal files: a line that reads as whole records is taken as written).
_cells = st.text(alphabet=st.sampled_from(list('ab é"\n\r«')), max_size=12)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(_cells, _cells), min_size=1, max_size=5))
def test_tsv_cells_quoted_by_a_spreadsheet_come_back_whole(tmp_path_factory, rows) -> None:  # type: ignore[no-untyped-def]
    """What csv.writer (a spreadsheet) writes with tabs: cells holding tabs, line breaks or
    quotes are enclosed in quotes; they come back as they were."""
    import csv
    import io

    from relecture.importers.tabular import _tsv_records

    rows = [(s.replace("\r", ""), t.replace("\r", "")) for s, t in rows]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(["id", "source", "target"])
    writer.writerows([[f"r{i}", s, t] for i, (s, t) in enumerate(rows)])
    parsed = list(_tsv_records(buffer.getvalue(), "\t", [0]))
    assert parsed[1:] == [[f"r{i}", s, t] for i, (s, t) in enumerate(rows)]


_literal = st.text(alphabet=st.sampled_from(list('ab é"«')), max_size=12).filter(
    lambda c: not (len(c) >= 2 and c.startswith('"') and c.endswith('"'))
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(_literal, _literal), min_size=1, max_size=5))
def test_tsv_cells_written_as_is_are_read_as_is(rows) -> None:  # type: ignore[no-untyped-def]
    """MT files write cells as they are: quotes anywhere but around a whole cell stay."""
    from relecture.importers.tabular import _tsv_records

    text = "id\tsource\ttarget\n" + "".join(f"r{i}\t{s}\t{t}\n" for i, (s, t) in enumerate(rows))
    assert list(_tsv_records(text, "\t", [0]))[1:] == [[f"r{i}", s, t] for i, (s, t) in enumerate(rows)]
