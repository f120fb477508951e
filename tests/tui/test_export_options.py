"""An export from the workbench is built with the same options as `relecture export`: the
`[scoring]` weights of the relecture.toml on disk, and the reviewer's name."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from tests.tui.conftest import build_document, make_app, wait_for_text, wait_until

from relecture.cli import main
from relecture.config import load_config
from relecture.model import Annotation
from relecture.store import ReviewStore


def _review(tmp_path: Path) -> Path:
    doc = build_document()
    seg = doc.segments[1]
    seg.annotations = [Annotation(
        id="a1", side="target", start=0, end=3, text=seg.target[:3],
        category="Accuracy/Mistranslation", severity="major", author="",
    )]
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, doc).close()
    (tmp_path / "relecture.toml").write_text(
        'reviewer = "Camille Roux"\n[scoring]\nmajor = 12\n', encoding="utf-8"
    )
    return path


async def test_workbench_reports_use_the_configured_scoring_weights(tmp_path: Path) -> None:
    path = _review(tmp_path)
    config = load_config(path, None)  # found beside the document, as `relecture review` finds it
    app = make_app(path, config=config, reviewer="Camille Roux")
    reports = {"markdown": tmp_path / "ui.md", "mqm": tmp_path / "ui.tsv"}
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_text(pilot, app, "MQM 12.00")  # the header scores with the config
        for fmt, out in reports.items():
            app.review_screen.action_export(fmt)
            await wait_until(pilot, lambda: app.screen.query("#export-path"), "the export dialog opened")
            app.screen.query_one("#export-path").value = str(out)
            await pilot.press("enter")
            await wait_until(pilot, out.is_file, f"the {fmt} export on disk")
            await wait_until(pilot, lambda: not app.review_screen.busy, "the export finished")
    markdown = reports["markdown"].read_text(encoding="utf-8")
    assert "| MQM (mean penalty per rated segment, lower is better) | 12.000 |" in markdown
    rows = [line.split("\t") for line in reports["mqm"].read_text(encoding="utf-8").splitlines()[1:]]
    assert {row[4] for row in rows} == {"Camille Roux"}  # unnamed work credited to the reviewer
    # The same export from the command line is the same file.
    cli_out = tmp_path / "cli.md"
    result = CliRunner().invoke(main, ["export", str(path), "--to", "markdown", "-o", str(cli_out)])
    assert result.exit_code == 0, result.output
    assert cli_out.read_text(encoding="utf-8") == markdown
