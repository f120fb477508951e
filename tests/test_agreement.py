"""Agreement figures on a small review worked out by hand (spans, partial credit, ESA)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from relecture.cli import main
from relecture.model import Annotation, Layer, ReviewDocument, Segment
from relecture.store import ReviewStore


def ann(author: str, severity: str, start: int, end: int, category: str = "Accuracy/Mistranslation") -> Annotation:
    return Annotation(id=f"{author}{start}{severity}", side="target", start=start, end=end, category=category,
                      severity=severity, author=author)


def two_reviewers() -> ReviewDocument:
    text = "Bonjour le monde entier."
    return ReviewDocument(id="d", title="d", segments=[
        Segment(id="1", target=text, annotations=[ann("ana", "major", 0, 5), ann("bo", "minor", 3, 8)],
                layers={"ana": Layer(esa=40), "bo": Layer(esa=50)}),
        Segment(id="2", target=text, annotations=[ann("bo", "minor", 0, 2, "Fluency/Spelling")],
                layers={"ana": Layer(status="approved", esa=90), "bo": Layer(esa=70)}),
        Segment(id="3", target=text, annotations=[ann("ana", "major", 0, 4, "Style/Awkward"),
                                                  ann("bo", "major", 0, 4, "Style/Awkward")],
                layers={"ana": Layer(esa=20), "bo": Layer(esa=30)}),
    ])


def test_span_overlap_partial_credit_and_error_agreement() -> None:
    # Imported here, not at the top: relecture.agreement imports scipy.stats (1.3 CPU-s), which
    # every test worker would otherwise pay while collecting.
    from scipy import stats

    from relecture.agreement import agreement

    report = agreement(two_reviewers(), resamples=0)
    [pair] = report.pairs
    v = pair.values
    assert (pair.a, pair.b, pair.segments) == ("ana", "bo", 3)
    assert v["a_by_b_any"] == 1.0 and v["a_by_b_severity"] == 0.5 and v["a_by_b_category"] == 1.0
    assert v["b_by_a_any"] == pytest.approx(2 / 3, abs=1e-6)
    assert v["overlap_any"] == pytest.approx(4 / 5, abs=1e-6)
    # Characters: ana 9, bo 11; both marked 2 (severities differ: half credit) + 4 (same) = 5.
    assert v["precision"] == pytest.approx(5 / 9, abs=1e-6) and v["recall"] == pytest.approx(5 / 11, abs=1e-6)
    assert v["f1"] == pytest.approx(0.5, abs=1e-6)
    assert v["has_error_any"] == pytest.approx(2 / 3, abs=1e-6) and v["has_error_major"] == pytest.approx(2 / 3, abs=1e-6)
    assert v["mqm_tau"] == pytest.approx(stats.kendalltau([5, 0, 5], [1, 1, 5], variant="c").statistic, abs=1e-6)
    assert v["esa_pearson"] == pytest.approx(stats.pearsonr([40, 90, 20], [50, 70, 30]).statistic, abs=1e-6)
    assert report.overall.values["f1"] == v["f1"]  # one pair: overall is that pair


def test_agree_command_json_and_refusal(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, two_reviewers()).close()
    result = CliRunner().invoke(main, ["agree", str(path), "--format", "json", "--resamples", "50"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["reviewers"] == ["ana", "bo"] and data["bootstrap"]["resamples"] == 50
    single = tmp_path / "one.review.json"
    ReviewStore.create(single, ReviewDocument(id="o", title="o", segments=[Segment(id="1", target="x")])).close()
    result = CliRunner().invoke(main, ["agree", str(single)])
    assert result.exit_code == 2 and "no segment has two reviewers" in result.stderr
