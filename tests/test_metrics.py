"""sacrebleu metrics: HTER of post-edits, reference files, segment chrF for "worst first"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relecture.errors import InputError
from relecture.metrics import (
    post_edit_metrics,
    read_reference,
    reference_metrics,
    segment_chrf,
)
from relecture.model import ReviewDocument, Segment


def doc_with_edits() -> ReviewDocument:
    return ReviewDocument(
        id="d",
        title="d",
        target_lang="en",
        segments=[
            # one substitution (the -> a) over a 6-word post-edit
            Segment(id="1", target="the cat sat on the mat", post_edit="the cat sat on a mat"),
            # approved as is: a post-edit with zero edits, 2 words
            Segment(id="2", target="hello world", status="approved"),
            # still to do, no post-edit: not part of HTER
            Segment(id="3", target="nothing decided here"),
            # a change of case is an edit: 1 edit over 2 words
            Segment(id="4", target="in paris", post_edit="in Paris", status="needs-work"),
        ],
    )


def test_hter_counts_edits_over_post_edit_words() -> None:
    result = post_edit_metrics(doc_with_edits().segments, "en")
    assert result is not None
    assert result.segments == 3 and result.edited == 2
    # edits 1 + 0 + 1 = 2 over post-edit words 6 + 2 + 2 = 10 -> 20.0
    assert result.ter.score == pytest.approx(20.0)
    assert "case:mixed" in result.ter.signature and "tok:tercom" in result.ter.signature
    assert result.bleu.signature.startswith("nrefs:1|") and "tok:13a" in result.bleu.signature
    assert "nc:6" in result.chrf.signature
    assert 0 < result.bleu.score < 100 and 0 < result.chrf.score < 100


def test_unchanged_translations_score_perfectly() -> None:
    segments = [Segment(id=str(i), target=t, status="approved") for i, t in enumerate(["a b c d", "e f g h"])]
    result = post_edit_metrics(segments)
    assert result is not None
    assert result.ter.score == 0
    assert result.chrf.score == pytest.approx(100) and result.bleu.score == pytest.approx(100)
    assert result.edited == 0


def test_no_post_edits_means_no_metrics() -> None:
    assert post_edit_metrics([Segment(id="1", target="x")]) is None


def test_chinese_target_uses_the_zh_tokenizer() -> None:
    segments = [Segment(id="1", target="我们爱你", post_edit="我们喜欢你")]
    result = post_edit_metrics(segments, "zh-CN")
    assert result is not None
    assert "tok:zh" in result.bleu.signature and "asian:yes" in result.ter.signature


def test_segment_chrf_for_worst_first() -> None:
    doc = doc_with_edits()
    scores = segment_chrf(doc)
    assert set(scores) == {"1", "2", "4"}  # "3" has nothing to compare with
    assert scores["2"] == 100
    assert scores["1"] < 100
    worst_first = sorted(scores, key=scores.__getitem__)
    assert worst_first[-1] == "2"


def test_aligned_reference_file(tmp_path: Path) -> None:
    doc = doc_with_edits()
    ref = tmp_path / "ref.txt"
    # \u2028 inside a line must not split it: alignment is by newline only.
    ref.write_text(
        "the cat sat on the mat\nhallo\u2028world\nnothing decided here\nin paris\n",
        encoding="utf-8",
    )
    reference = read_reference(ref)
    reference.check_fits([s.id for s in doc.segments])
    result = reference_metrics(doc.segments, reference.align(doc.segments), "en")
    assert result is not None and result.segments == 4 and result.edited == 1
    scores = segment_chrf(doc, reference)
    assert scores["1"] == scores["3"] == scores["4"] == 100
    assert scores["2"] < 100


def test_aligned_reference_with_wrong_line_count(tmp_path: Path) -> None:
    ref = tmp_path / "ref.txt"
    ref.write_text("one\ntwo\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_reference(ref).check_fits(["1", "2", "3"])
    assert "2 lines" in str(info.value) and "3 segments" in str(info.value)
    assert str(ref) in str(info.value)


def test_reference_by_id_tsv_and_jsonl(tmp_path: Path) -> None:
    doc = doc_with_edits()
    tsv = tmp_path / "ref.tsv"
    tsv.write_text("id\treference\n4\tin Paris\n1\tthe cat sat on a mat\n", encoding="utf-8")
    jsonl = tmp_path / "ref.jsonl"
    jsonl.write_text(
        json.dumps({"id": "4", "reference": "in Paris"})
        + "\n"
        + json.dumps({"id": "1", "ref": "the cat sat on a mat"})
        + "\n",
        encoding="utf-8",
    )
    for path in (tsv, jsonl):
        reference = read_reference(path)
        reference.check_fits([s.id for s in doc.segments])
        aligned = reference.align(doc.segments)
        assert aligned == ["the cat sat on a mat", None, None, "in Paris"]
        result = reference_metrics(doc.segments, aligned, "en")
        assert result is not None and result.segments == 2
        # 2 edits over 6 + 2 reference words
        assert result.ter.score == pytest.approx(25.0)


def test_reference_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "ref.jsonl"
    bad.write_text('{"id": "1", "reference": "ok"}\n{"id": "2"\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_reference(bad)
    assert info.value.place is not None and info.value.place.startswith("2:")
    unknown = tmp_path / "ids.tsv"
    unknown.write_text("x9\tsomething\n", encoding="utf-8")
    with pytest.raises(InputError, match="none of its ids"):
        read_reference(unknown).check_fits(["1", "2"])
    with pytest.raises(InputError, match="no such file"):
        read_reference(tmp_path / "missing.txt")


def test_fast_ter_gives_sacrebleu_scores_with_identical_pairs() -> None:
    """Approved-as-is segments skip TER's shift search; the corpus score must not move."""
    from sacrebleu.metrics import TER

    from relecture.metrics import corpus_metrics

    hyps = ["le chat est sur le tapis .", "bonjour le monde", "a b c d", "Un  deux", "x"]
    refs = ["le chat est sur le tapis .", "bonjour à tout le monde", "a b c d", "Un deux", "y z"]
    expected = TER(case_sensitive=True).corpus_score(hyps, [refs])
    got = corpus_metrics(hyps, refs, "fr", "post_edit")
    assert got is not None
    assert got.ter.score == pytest.approx(expected.score)
    assert got.ter.signature.startswith("nrefs:1|case:mixed|tok:tercom")


def test_scores_computed_a_chunk_at_a_time_equal_sacrebleus_own(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """References are cached a chunk at a time (memory: sacrebleu would hold every reference's
    n-grams at once); TER, chrF and BLEU and their signatures must not change."""
    import random

    from sacrebleu.metrics import BLEU, CHRF, TER

    from relecture import metrics

    rng = random.Random(3)
    words = ["le", "chat", "noir", "dort", "sur", "la", "table", "du", "salon", "pendant", "que", "les", "enfants", "jouent", "dehors"]
    refs = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 12))) + "." for _ in range(53)]
    hyps = [r if i % 3 == 0 else " ".join(rng.sample(r.rstrip(".").split(), len(r.split()))) + "."
            for i, r in enumerate(refs)]
    monkeypatch.setattr(metrics, "SCORE_CHUNK", 7)
    got = metrics.corpus_metrics(hyps, refs, "fr", "post-edit")
    assert got is not None
    for mine, theirs in ((got.ter, TER(case_sensitive=True)), (got.chrf, CHRF()), (got.bleu, BLEU())):
        expected = theirs.corpus_score(hyps, [refs])
        assert mine.score == pytest.approx(float(expected.score), abs=1e-9)
        assert mine.detail == str(expected) and mine.signature == str(theirs.get_signature())
