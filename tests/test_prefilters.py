"""The short cuts taken for speed give the flags of the plain path: the Aho-Corasick prefilter of
``Matcher`` (against its substring tests), and the bisected word list of the spelling check
(against the parsed JSON), on the corpus, the benchmark corpus and a real catalogue."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import CORPUS, REPO, shared_data
from relecture.checks import Checker, matcher, spelling
from relecture.importers import import_document

sys.path.insert(0, str(REPO / "bench"))
from generate import write_corpus


def _flags(path: Path, glossary: Path | None = None) -> set[tuple[object, ...]]:
    spelling.word_frequencies.cache_clear()  # a fresh word list for each way of reading it
    doc = import_document(path)
    results = Checker(doc, glossary=glossary).run(doc, workers=1)
    return {(seg_id, f.check, f.side, f.start, f.end, f.message) for seg_id, flags in results.items() for f in flags}


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Path | None]]:
    tmp_path = tmp_path_factory.mktemp("prefilters")
    paths = write_corpus(tmp_path, 3000)
    typos = tmp_path / "typos.tsv"
    typos.write_text(
        "id\tsource\ttarget\n1\tChoose a colour\tChoisissez une couluer\n"
        "2\tThe file was saved\tLe fichier a été enregsitré\n3\tThe report is ready\tLe rapport est prêt\n",
        encoding="utf-8",
    )
    django = shared_data("real-catalogues", "django-5.2.19", "fr", "django.po")
    return [(CORPUS, None), (paths["tsv"], paths["glossary"]), (typos, None), (django, None)]


@pytest.fixture(scope="module")
def usual(documents: list[tuple[Path, Path | None]]) -> list[set[tuple[object, ...]]]:
    """The flags with both short cuts on, as a user gets them: computed once for the two
    comparisons below (each then runs the documents again with one short cut off)."""
    return [_flags(path, glossary) for path, glossary in documents]


def test_aho_corasick_prefilter_gives_the_substring_tests_flags(
    documents: list[tuple[Path, Path | None]], usual: list[set[tuple[object, ...]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    for (path, glossary), fast in zip(documents, usual, strict=True):
        with monkeypatch.context() as patch:
            patch.setattr(matcher, "SCAN_MIN", 10**9)  # every Matcher tests its literals one by one
            plain = _flags(path, glossary)
        assert fast == plain, path.name
        assert fast  # the documents do raise flags


def test_scanner_finds_the_literals_the_substring_tests_find() -> None:
    pairs = [("cat", 0), ("at", 1), ("", 2), ("chat", 3), ("cat", 4), ("tac", 5), ("é t", 6), ("zz", 7), ("a", 8)]
    scan = matcher._scanner(pairs)
    for text in ("", "the cat sat", "chat", "été tacite", "zzz", "nothing here"):
        expected = {i for lit, i in pairs if lit in text}
        assert set(scan(text)) == expected, text


def test_bisected_word_list_gives_the_parsed_lists_flags(
    documents: list[tuple[Path, Path | None]], usual: list[set[tuple[object, ...]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: set[object] = set()
    for (path, glossary), lazy in zip(documents, usual, strict=True):
        with monkeypatch.context() as patch:
            patch.setattr(spelling.WordList, "_index", lambda self: False)  # parse the file whole
            parsed = _flags(path, glossary)
        assert lazy == parsed, path.name
        checks |= {check for _, check, *_ in lazy}
    assert "spelling.unknown-word" in checks
