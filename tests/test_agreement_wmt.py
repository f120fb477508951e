"""`relecture agree` on real multi-rater data (issue 16.6): the WMT 2023 en-de side-by-side MQM
file, every segment rated by three of its ten raters, imported as one review whose segments each
hold three reviewers' layers. Its figures are checked against an independent computation from
the raw TSV (csv module, numpy pair counting; no relecture code)."""

from __future__ import annotations

import csv
import itertools
import json
import tarfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import shared_data
from relecture.cli import main
from relecture.layers import segment_reviewers
from relecture.store import load_review

# One worker imports the file once for all of them (`make test` distributes by --dist loadgroup).
pytestmark = pytest.mark.xdist_group("wmt2023")

ARCHIVE = ("wmt-mqm", "sxs_mqm_generalMT2023_ende.3ratingsPerSegment.tsv.tar.gz")


@pytest.fixture(scope="module")
def wmt2023(tmp_path_factory: pytest.TempPathFactory) -> Path:
    archive = shared_data(*ARCHIVE)
    folder = tmp_path_factory.mktemp("wmt2023")
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    [tsv] = folder.glob("*.tsv")
    return tsv


@pytest.fixture(scope="module")
def imported(wmt2023: Path) -> Path:
    out = wmt2023.with_name("wmt2023.review.json")
    result = CliRunner().invoke(main, ["import", str(wmt2023), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def report(imported: Path) -> dict:
    result = CliRunner().invoke(main, ["agree", str(imported), "--format", "json", "--resamples", "60"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def weight(category: str, severity: str) -> float:
    """WMT weights, written out independently of relecture.scoring."""
    severity = severity.lower()
    if severity in ("no-error", "neutral"):
        return 0.0
    if category.startswith("Non-translation"):
        return 25.0
    if severity == "minor" and category == "Fluency/Punctuation":
        return 0.1
    return {"minor": 1.0, "major": 5.0, "critical": 25.0}[severity]


def raw_scores(tsv: Path) -> dict[tuple[str, str, str], dict[str, float]]:
    """(system, doc, docSegId) -> rater -> that rater's summed weight, straight from the TSV."""
    scores: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    with tsv.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        for row in rows:
            system, doc, seg, rater, category, severity = row[0], row[1], row[2], row[4], row[7], row[8]
            if severity == "HOTW-test":
                continue  # rater quality control, not a rating
            per_rater = scores[(system, doc, seg)]
            per_rater[rater] = per_rater.get(rater, 0.0) + weight(category, severity)
    return scores


def tau_c(x: np.ndarray, y: np.ndarray) -> float:
    """Stuart's tau-c from concordant minus discordant pairs, counted over all pairs."""
    dx = np.sign(x[:, None] - x[None, :])
    dy = np.sign(y[:, None] - y[None, :])
    p_minus_q = float((dx * dy).sum()) / 2  # every unordered pair counted twice
    n = len(x)
    m = min(len(set(x.tolist())), len(set(y.tolist())))
    return 2 * p_minus_q / (n * n * (m - 1) / m)


@pytest.mark.slow
def test_imported_as_one_review_with_three_reviewers_per_segment(imported: Path) -> None:
    doc = load_review(imported)
    assert len(doc.segments) == 1040
    assert {len(segment_reviewers(s)) for s in doc.segments} == {3}
    reviewers = {r for s in doc.segments for r in segment_reviewers(s)}
    assert reviewers == {f"rater{i}" for i in range(1, 11)}
    assert sum(len(s.meta.get("hotw_rows", [])) for s in doc.segments) == 245  # kept aside, not counted


@pytest.mark.slow
def test_agreement_matches_an_independent_computation(wmt2023: Path, report: dict) -> None:
    scores = raw_scores(wmt2023)
    pooled_x: list[float] = []
    pooled_y: list[float] = []
    by_pair: dict[tuple[str, str], tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for per_rater in scores.values():
        for a, b in itertools.combinations(sorted(per_rater), 2):
            pooled_x.append(per_rater[a])
            pooled_y.append(per_rater[b])
            by_pair[(a, b)][0].append(per_rater[a])
            by_pair[(a, b)][1].append(per_rater[b])
    x, y = np.array(pooled_x), np.array(pooled_y)
    overall = report["overall"]
    assert report["segments"] == 1040 and overall["mqm"]["pairs"] == len(x) == 3120
    assert overall["mqm"]["kendall_tau_c"]["value"] == pytest.approx(tau_c(x, y), abs=1e-6)
    assert overall["mqm"]["pearson"]["value"] == pytest.approx(float(np.corrcoef(x, y)[0, 1]), abs=1e-6)
    # Every pair of raters that shares segments, with its own figures.
    assert {(p["a"], p["b"]) for p in report["pairs"]} == set(by_pair)
    for pair in report["pairs"]:
        px, py = (np.array(v) for v in by_pair[(pair["a"], pair["b"])])
        assert pair["segments"] == len(px)
        assert pair["mqm"]["kendall_tau_c"]["value"] == pytest.approx(tau_c(px, py), abs=1e-6)
        assert pair["mqm"]["pearson"]["value"] == pytest.approx(float(np.corrcoef(px, py)[0, 1]), abs=1e-6)
    # "Has an error": both raters say yes or both say no.
    agree = [(per[a] > 0) == (per[b] > 0) for per in scores.values() for a, b in itertools.combinations(sorted(per), 2)]
    assert overall["has_error"]["any"]["value"] == pytest.approx(sum(agree) / len(agree), abs=1e-6)


@pytest.mark.slow
def test_confidence_intervals_hold_the_estimate(report: dict) -> None:
    overall = report["overall"]
    figures = [overall["mqm"]["kendall_tau_c"], overall["mqm"]["pearson"], overall["spans"]["f1"],
               overall["spans"]["overlapped"]["any"], overall["has_error"]["major"]]
    for figure in figures:
        assert figure["low"] < figure["value"] < figure["high"]
        assert figure["high"] - figure["low"] < 0.2  # 1040 segments: a narrow interval
    # WMT-like raters agree moderately, not perfectly and not at random.
    assert 0.2 < overall["mqm"]["kendall_tau_c"]["value"] < 0.6
    assert overall["esa"]["pairs"] == 0 and overall["esa"]["kendall_tau_c"]["value"] is None


@pytest.mark.slow
def test_text_report_names_pairs_and_intervals(imported: Path) -> None:
    result = CliRunner().invoke(main, ["agree", str(imported), "--resamples", "0"])
    assert result.exit_code == 0
    assert "Agreement of 10 reviewers on 1040 segments" in result.stdout
    assert "MQM Kendall tau-c" in result.stdout and "rater1   rater2" in result.stdout


def test_marot_conventions_import_and_export_back(tmp_path: Path) -> None:
    """The conventions the WMT 2023 file uses, on a file small enough to read."""
    tsv = tmp_path / "marot.tsv"
    header = "system\tdoc\tdocSegId\tglobalSegId\trater\tsource\ttarget\tcategory\tseverity\tmetadata\t# Documentation: x"
    tsv.write_text(
        header + "\n"
        "sysA\td\t1\t1\tr1\tHello.\tHallo<v> </v>\tFluency/Punctuation\tMinor\t{}\n"
        "sysA\td\t1\t1\tr2\tHello.\tHallo\tNo-error\tNo-error\t{}\n"
        "sysA\td\t1\t1\tr1\tHello.\tHallo Welt\tFound\tHOTW-test\t{}\n",
        encoding="utf-8",
    )
    out = tmp_path / "m.review.json"
    assert CliRunner().invoke(main, ["import", str(tsv), "-o", str(out)]).exit_code == 0
    doc = load_review(out)
    [seg] = doc.segments
    [a] = seg.annotations
    assert seg.target == "Hallo" and (a.start, a.end, a.meta["appended"]) == (5, 5, " ")
    assert segment_reviewers(seg) == ["r1", "r2"]  # the HOTW row rates nothing
    exported = tmp_path / "back.tsv"
    assert CliRunner().invoke(main, ["export", str(out), "--to", "mqm", "-o", str(exported)]).exit_code == 0
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert lines[0] == header
    assert sorted(line.split("\t")[6] for line in lines[1:]) == ["Hallo", "Hallo Welt", "Hallo<v> </v>"]
