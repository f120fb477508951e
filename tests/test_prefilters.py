"""The short cuts taken for speed give the flags of the plain path: the Aho-Corasick prefilter of
``Matcher`` (against its substring tests), the bisected word list of the spelling check
(against the parsed JSON) and the one parse of a pattern its analyses share (against a parse
each), on the corpus, the benchmark corpus and a real catalogue."""

from __future__ import annotations

import re
import re._parser as sre_parse
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


def _unshared_parse(pattern: str, flags: int) -> tuple[object, ...] | None:
    """The parse each analysis made for itself before one parse served them all."""
    try:
        return tuple(sre_parse.parse(pattern, flags))
    except Exception:
        return None


def test_one_shared_parse_gives_the_flags_of_one_parse_per_analysis(
    documents: list[tuple[Path, Path | None]], usual: list[set[tuple[object, ...]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    for (path, glossary), shared in zip(documents, usual, strict=True):
        with monkeypatch.context() as patch:
            patch.setattr(matcher, "_parsed", _unshared_parse)  # each call parses, with its own flags
            apart = _flags(path, glossary)
        assert shared == apart, path.name


def _tree(items: object) -> object:
    """A parsed pattern as nested tuples (the parser's SubPattern has no equality of its own)."""
    if isinstance(items, sre_parse.SubPattern):
        return ("sub", tuple(_tree(item) for item in items))
    if isinstance(items, (list, tuple)):
        return tuple(_tree(item) for item in items)
    return items


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return []


def test_case_and_line_flags_do_not_change_a_parse() -> None:
    """Why one parse serves a pattern with or without IGNORECASE, MULTILINE and DOTALL: on every
    string of the built-in language data (patterns, words, lexicons), the parser gives the same
    items, or fails alike."""
    import tomllib

    from relecture.checks.langdata import BUILTIN_DIR

    strings = {s for path in sorted(BUILTIN_DIR.rglob("*.toml")) for s in _strings(tomllib.loads(path.read_text("utf-8")))}
    strings |= {r"(?i)abc", r"(?m)^a$", r"a.b", r"(?x) a b # c", r"[", r"(?<=a)b", r"\bété\b", r"(?P<n>x)(?P=n)"}
    assert len(strings) > 1000
    for flags in (re.IGNORECASE, re.MULTILINE, re.DOTALL, re.IGNORECASE | re.MULTILINE | re.DOTALL):
        for text in strings:
            plain, flagged = _unshared_parse(text, 0), _unshared_parse(text, flags)
            assert (plain is None) == (flagged is None), text
            assert _tree(plain) == _tree(flagged), text
            assert matcher._parsed(text, flags) is matcher._parsed(text, 0)  # one parse for both
