"""Plain text read: target-only and bilingual, paragraphs and sentences, encodings, rebuilt exactly."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS
from relecture.errors import InputError
from relecture.importers import ImportOptions, import_document


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
