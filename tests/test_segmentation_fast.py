"""Plain-text sentence splitting takes two short cuts (a paragraph of plain sentences split without
pysbd; pysbd's processor called without its per-sentence regex location pass): the boundaries
must stay those of pysbd's ``segment``, as they were, on the corpus, the benchmark texts and real
bilingual data in several languages."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, REPO, shared_data
from relecture import segmentation as S

sys.path.insert(0, str(REPO / "bench"))

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generate import write_corpus
from relecture.segmentation import split_paragraphs, split_sentences


def reference_boundaries(paragraph: str, lang: str) -> list[int]:
    """The sentence starts as relecture found them before the short cuts: every window through
    pysbd's ``Segmenter.segment``, each sentence located by ``find``."""
    boundaries = [0]
    starts = S._windows(paragraph)
    for start, end in zip(starts, [*starts[1:], len(paragraph)], strict=True):
        if start > boundaries[-1] and paragraph[boundaries[-1] : start].strip():
            boundaries.append(start)
        window = paragraph[start:end]
        if not S._MAY_END_SENTENCE.search(window):
            continue
        cursor = 0
        for sentence in S._segmenter(lang).segment(window):
            core = sentence.strip()
            found = window.find(core, cursor) if core else -1
            if found < 0:
                continue
            previous = boundaries[-1] - start
            if found > previous and window[max(previous, 0) : found].strip():
                boundaries.append(found + start)
            cursor = found + len(core)
    return boundaries


def new_boundaries(paragraph: str, lang: str) -> list[int]:
    plain = S._plain_boundaries(paragraph, lang)
    return plain if plain is not None else S._pysbd_boundaries(paragraph, lang)


def paragraphs(text: str) -> list[str]:
    return [p for p, _ in S.split_paragraphs(text)[1]]


def assert_same(items: list[tuple[str, str]]) -> int:
    """Compare every paragraph; returns how many took the plain path."""
    plain = 0
    for paragraph, lang in items:
        plain += S._plain_boundaries(paragraph, lang) is not None
        assert new_boundaries(paragraph, lang) == reference_boundaries(paragraph, lang), (lang, paragraph[:200])
    return plain


def test_corpus_text_splits_as_before() -> None:
    items = [(p, "fr") for p in paragraphs(CORPUS.read_text(encoding="utf-8"))]
    assert_same(items)


def test_benchmark_text_splits_as_before(tmp_path: Path) -> None:
    text = write_corpus(tmp_path, 2000)["text"].read_text(encoding="utf-8")
    items = [(p, "fr") for p in paragraphs(text)]
    plain = assert_same(items)
    assert plain > len(items) // 2  # the short cut is taken on most of this prose


def test_real_bilingual_sentences_split_as_before() -> None:
    """English and German TED sentences (WMT MQM), and Django's messages in the languages of the
    plain path, one paragraph each."""
    path = shared_data("wmt-mqm", "mqm_ted_ende.tsv")
    items: dict[tuple[str, str], None] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            for text, lang in ((row[3:4], "en"), (row[4:5], "de")):
                cleaned = re.sub(r"</?v>", "", text[0]).strip() if text else ""
                if cleaned:
                    items[(cleaned, lang)] = None
            if len(items) > 3000:
                break
    catalogues = shared_data("real-catalogues", "django-5.2.19")
    for lang in ("fr", "de", "es", "it", "nl", "pt"):
        po = (catalogues / lang / "django.po").read_text(encoding="utf-8")
        for m in re.finditer(r'^msgstr "(.+)"$', po, re.M):
            items[(m.group(1).strip(), lang)] = None
    pairs = [(p, lang) for p, lang in items if p]
    assert assert_same(pairs) > 100


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Il vit à Genève. Il travaille ici.", "fr", ["Il vit à Genève.", "Il travaille ici."]),
        ("Voir M. Dupont. Il attend.", "fr", None),  # an abbreviation: pysbd decides
        ("Bonjour\u202f! Comment allez-vous\u202f? Bien.", "fr", ["Bonjour\u202f!", "Comment allez-vous\u202f?", "Bien."]),
        ("The rate rose by 6.3 percent. Then it fell.", "en", None),  # a number's point
        ("Ça coûte 12 %. Le reste suit.", "fr", ["Ça coûte 12 %.", "Le reste suit."]),
        ("Hello world. this is lower.", "en", None),  # no capital after the point
    ],
)
def test_plain_path_takes_only_plain_sentences(text: str, lang: str, expected: list[str] | None) -> None:
    found = S._plain_boundaries(text, lang)
    if expected is None:
        assert found is None
    else:
        assert [t for t, _ in S._pieces(text, found or [])] == expected
    assert S.split_sentences(text, lang) == S._pieces(text, reference_boundaries(text, lang))


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
