"""LQA verdict (issue 16.5): [scoring] pass_threshold gives PASS/FAIL in score, the report and
the workbench header; score --fail-below N is a CI gate (exit 1 under it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from relecture.cli import main
from relecture.model import Annotation, ReviewDocument, Segment
from relecture.store import ReviewStore


def review(tmp_path: Path) -> Path:
    # 20 target words, one major error (5): quality 100 - 100 * 5 / 20 = 75; penalty per 1000 words 250.
    segments = [
        Segment(id="1", target="Un deux trois quatre cinq six sept huit neuf dix.", status="approved"),
        Segment(
            id="2", target="Onze douze treize quatorze quinze seize dix-sept dix-huit.", status="needs-work",
            annotations=[Annotation(id="a", side="target", start=0, end=4, category="Accuracy/Mistranslation",
                                    severity="major", author="ana")],
        ),
    ]
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, ReviewDocument(id="d", title="d", target_lang="fr", segments=segments)).close()
    return path


def config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "relecture.toml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "label", "value"),
    [
        ("[scoring]\npass_threshold = 70\npass_unit = 'quality'\n", "PASS", 75.0),
        ("[scoring]\npass_threshold = 80\n", "FAIL", 75.0),
        ("[scoring]\npass_threshold = 300\npass_unit = 'penalty'\n", "PASS", 250.0),
        ("[scoring]\npass_threshold = 200\npass_unit = 'penalty'\n", "FAIL", 250.0),
    ],
)
def test_verdict_in_text_and_json(tmp_path: Path, body: str, label: str, value: float) -> None:
    path, cfg = review(tmp_path), config(tmp_path, body)
    result = CliRunner().invoke(main, ["score", str(path), "--config", str(cfg)])
    assert result.exit_code == 0  # a verdict alone never fails the command
    assert f"LQA verdict: {label}" in result.stdout
    result = CliRunner().invoke(main, ["score", str(path), "--config", str(cfg), "--format", "json"])
    verdict = json.loads(result.stdout)["total"]["verdict"]
    assert verdict["result"] == label and verdict["value"] == pytest.approx(value)


def test_fail_below_is_a_ci_gate(tmp_path: Path) -> None:
    path = review(tmp_path)
    assert CliRunner().invoke(main, ["score", str(path), "--fail-below", "76"]).exit_code == 1
    result = CliRunner().invoke(main, ["score", str(path), "--fail-below", "75"])
    assert result.exit_code == 0 and "LQA verdict: PASS: quality 75.00 >= 75" in result.stdout


def test_nothing_rated_never_passes_the_gate(tmp_path: Path) -> None:
    path = tmp_path / "e.review.json"
    ReviewStore.create(path, ReviewDocument(id="e", title="e", segments=[Segment(id="1", target="Rien.")])).close()
    result = CliRunner().invoke(main, ["score", str(path), "--fail-below", "10"])
    assert result.exit_code == 1 and "NO VERDICT (nothing rated)" in result.stdout


def test_unit_must_be_known(tmp_path: Path) -> None:
    path, cfg = review(tmp_path), config(tmp_path, "[scoring]\npass_threshold = 9\npass_unit = 'words'\n")
    result = CliRunner().invoke(main, ["score", str(path), "--config", str(cfg)])
    assert result.exit_code == 2 and "scoring.pass_unit" in result.stderr


def test_html_report_shows_the_verdict(tmp_path: Path) -> None:
    path, cfg = review(tmp_path), config(tmp_path, "[scoring]\npass_threshold = 80\n")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["export", str(path), "--to", "html", "-o", str(out), "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    assert "<td>LQA verdict</td><td>FAIL: quality 75.00 &lt; 80</td>" in out.read_text(encoding="utf-8")


async def test_workbench_header_shows_the_verdict_and_follows_changes(tmp_path: Path) -> None:
    from tests.tui.conftest import make_app, screen_text, wait_for_text

    from relecture.config import Config

    path = review(tmp_path)
    app = make_app(path, config=Config(path=tmp_path / "relecture.toml", data={"scoring": {"pass_threshold": 80}}))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, app, "MQM 2.50 FAIL")
        await pilot.press("j", "]", "d")  # delete the major error: 0 penalty, quality 100
        await wait_for_text(pilot, app, "MQM 0.00 PASS")
        assert "FAIL" not in screen_text(app).splitlines()[0]
