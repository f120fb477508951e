"""One reviewer identity (issue 14.5): the workbench's name on everything it writes, and the same
name in `score --by rater` and the MQM TSV export, for annotations and clean approvals alike."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner
from tests.tui.conftest import make_app, wait_for_text, wait_on_disk

from relecture.cli import main
from relecture.config import Config

SIZE = (120, 40)


async def test_every_change_of_a_session_carries_the_configured_reviewer(review_file, tmp_path: Path) -> None:
    path = review_file()
    config_file = tmp_path / "relecture.toml"
    config_file.write_text('reviewer = "Camille Roux"\n', encoding="utf-8")
    app = make_app(path, reviewer=None, config=Config(path=config_file, data={"reviewer": "Camille Roux"}))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space")  # segment 1 approved as is: a clean rating
        await pilot.press("a", *"mistrans", "2", "enter")  # segment 2: a major error
        await wait_for_text(pilot, app, "Annotated: major")
        await pilot.press("m", *"nom à vérifier", "enter")
        await pilot.press("r", *"40", "enter")
        doc = await wait_on_disk(pilot, path, lambda d: d.segments[1].esa == 40, "the ESA score on disk")
    first, second = doc.segments[0], doc.segments[1]
    assert first.layers["Camille Roux"].status == "approved"
    [ann] = second.annotations
    assert ann.author == "Camille Roux"
    assert second.layers["Camille Roux"].note == "nom à vérifier"
    assert second.layers["Camille Roux"].esa == 40
    assert set(first.layers) | set(second.layers) == {"Camille Roux"}

    runner = CliRunner()
    result = runner.invoke(main, ["score", str(path), "--by", "rater", "--format", "json", "--config", str(config_file)])
    assert result.exit_code == 0, result.output
    import json

    groups = json.loads(result.stdout)["groups"]
    assert [g["key"] for g in groups] == ["Camille Roux"]  # one person, one rater
    assert groups[0]["rated"] == 2 and groups[0]["mqm"] == 2.5

    out = tmp_path / "out.tsv"
    result = runner.invoke(main, ["export", str(path), "--to", "mqm", "-o", str(out), "--config", str(config_file)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert {r["rater"] for r in rows} == {"Camille Roux"}
    assert sorted(r["severity"] for r in rows) == ["Major", "No-error"]
