"""`relecture import`, `relecture info`, `--version`, `--help` and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CORPUS, run
from relecture import __version__
from relecture.cli import COMMANDS, main


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0, out
    assert "Usage:" in out and command in out and "--help" in out


def test_help_lists_every_command_as_click_would_without_importing_them() -> None:
    import click

    listing = CliRunner().invoke(main, ["--help"], terminal_width=80).output
    ctx = click.Context(main, terminal_width=80)
    formatter = ctx.make_formatter()
    # click's own listing, which imports every command to read its help
    click.Group.format_commands(main, ctx, formatter)
    assert formatter.getvalue() and formatter.getvalue() in listing
    probe = ("import sys\nfrom click.testing import CliRunner\nfrom relecture.cli import main\n"
             "CliRunner().invoke(main, ['--help'])\n"
             "print(sorted(m for m in sys.modules if m.startswith('relecture.commands.') or m == 'scipy'))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_import_corpus_then_info(tmp_path: Path, valid_review) -> None:
    doc = tmp_path / CORPUS.name
    doc.write_bytes(CORPUS.read_bytes())
    code, out, err = run("import", str(doc))
    assert code == 0, err
    review = tmp_path / (CORPUS.name + ".review.json")
    assert f"{review}: 51 segments" in out
    data = valid_review(review)
    assert data["target_lang"] == "fr"
    assert "".join(s["target"] + s["space_after"] for s in data["segments"]) == CORPUS.read_text(encoding="utf-8")

    code, out, _ = run("info", str(review))
    assert code == 0
    assert "segments       51 (heading 3, sentence 48)" in out
    assert "status         todo 51, approved 0, needs-work 0, rejected 0" in out
    assert "languages      - -> fr" in out


def test_import_refuses_overwrite_without_force(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("Bonjour le monde.\n", encoding="utf-8")
    assert run("import", str(doc), "--target-lang", "fr")[0] == 0
    review = tmp_path / "a.txt.review.json"
    review_bytes = review.read_bytes()
    code, _, err = run("import", str(doc))
    assert code == 2
    assert err.strip() == f"relecture: {review}: review file exists already; use --force to replace it (a .bak is kept)"
    assert review.read_bytes() == review_bytes
    doc.write_text("Bonjour le monde.\nEt au revoir.\n", encoding="utf-8")
    assert run("import", str(doc), "--force", "--target-lang", "fr")[0] == 0
    assert (tmp_path / "a.txt.review.json.bak").read_bytes() == review_bytes
    assert len(json.loads(review.read_text())["segments"]) == 2


def test_import_options_output_and_paragraphs(tmp_path: Path) -> None:
    out = tmp_path / "custom.review.json"
    code, _, err = run("import", str(CORPUS), "--segment", "paragraph", "-o", str(out), "--source-lang", "zh")
    assert code == 0, err
    data = json.loads(out.read_text())
    assert len(data["segments"]) == 28 and data["source_lang"] == "zh"


def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9\n")
    code, out, err = run("import", str(bad))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"relecture: {bad}:line 1: not UTF-8 text")
    assert "Traceback" not in err + out
    assert not (tmp_path / "bad.txt.review.json").exists()


def test_info_on_malformed_review_names_line_and_column(tmp_path: Path) -> None:
    review = tmp_path / "x.review.json"
    review.write_text('{\n  "format": "relecture/review",\n  oops\n}', encoding="utf-8")
    code, _, err = run("info", str(review))
    assert code == 2
    assert err.startswith(f"relecture: {review}:3:3: malformed JSON")


def test_debug_shows_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "absent.txt"
    proc = subprocess.run(
        [sys.executable, "-m", "relecture", "--debug", "import", str(missing)], capture_output=True, text=True
    )
    assert proc.returncode != 0 and "Traceback" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "relecture", "import", str(missing)], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr == f"relecture: {missing}: no such file\n"


def test_a_directory_or_a_document_where_a_file_or_review_is_expected_is_one_line(tmp_path: Path) -> None:


    folder = tmp_path / "adir"
    folder.mkdir()
    text = tmp_path / "t.txt"
    text.write_text("Bonjour le monde.\n", encoding="utf-8")
    for args, needle in [
        (["score", str(folder)], f"File '{folder}' is a directory"),
        (["export", str(folder), "--to", "json"], f"File '{folder}' is a directory"),
        (["check", str(text), "--glossary", str(folder)], f"File '{folder}' is a directory"),
        (["info", str(text)], f"{text}:1:1: not a review file (not JSON)"),
    ]:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith("relecture: ") and needle in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1 and "Usage:" not in result.stderr
