"""The README stays true: its set-up commands exist and its configuration example works."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from conftest import CORPUS, REPO
from relecture.cli import COMMANDS, main

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_leads_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert "make review" in first_block and "make test" in first_block
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^review:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_every_command_is_documented() -> None:
    for name in COMMANDS:
        assert f"relecture {name}" in README, name


def test_config_example_is_accepted(tmp_path: Path) -> None:
    toml = README.split("```toml", 1)[1].split("```", 1)[0]
    (tmp_path / "relecture.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "glossary.csv").write_text("source,target\nshort film,court-métrage\n", encoding="utf-8")
    (tmp_path / "lang-data").mkdir()
    (tmp_path / "words.txt").write_text("# the example's personal word list\ntokeniseur\n", encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_bytes(CORPUS.read_bytes())
    result = CliRunner().invoke(main, ["check", str(doc), "--format", "jsonl", "--fail-on", "none"])
    assert result.exit_code == 0, result.stderr
    checks = {line.split('"check": "')[1].split('"')[0] for line in result.stdout.splitlines()}
    # The example disables straight quotes and the cultural family but re-enables relative dates.
    assert "typography.straight-quotes" not in checks
    assert "cultural.relative-date" in checks
    assert "cultural.humour" not in checks
    assert "llm.preamble" in checks
