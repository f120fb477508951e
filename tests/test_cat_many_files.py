"""`relecture check a b c` in CI: an unreadable file does not hide the others; empty files are 0 segments."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run, shared_data

HEADER_ONLY = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n'
)


def test_check_goes_on_past_unreadable_files_and_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlf"
    broken.write_text("<xliff version='1.2'><file", encoding="utf-8")
    good = tmp_path / "good.po"
    good.write_text('msgid "Hello %s"\nmsgstr "Bonjour"\n', encoding="utf-8")
    empty = tmp_path / "empty.po"
    empty.write_bytes(b"")
    code, out, err = run("check", str(broken), str(empty), str(good), str(tmp_path / "missing.po"))
    assert code == 2
    # The file after the broken ones was checked: its flag is reported.
    assert "good.po:1" in out and "mismatch.placeholder" in out
    lines = err.strip().splitlines()
    assert any(line.startswith(f"relecture: {broken}:") for line in lines)
    assert any(line.startswith(f"relecture: {empty}:") for line in lines)
    assert any("missing.po: no such file" in line for line in lines)
    assert lines[-1] == "relecture: 3 of 4 files could not be checked"
    assert "Traceback" not in err


def test_header_only_po_is_zero_segments_exit_0(tmp_path: Path) -> None:
    po = tmp_path / "header.po"
    po.write_text(HEADER_ONLY, encoding="utf-8")
    code, out, _ = run("check", str(po), "--format", "json", "--fail-on", "minor")
    assert code == 0
    report = json.loads(out)
    assert report["files"][0]["segments"] == 0 and report["files"][0]["flags"] == []


def test_import_of_a_file_without_units_says_no_segments(tmp_path: Path) -> None:
    po = tmp_path / "header.po"
    po.write_text(HEADER_ONLY, encoding="utf-8")
    code, out, _ = run("import", str(po))
    assert code == 0
    assert "no segments" in out
    assert not (tmp_path / "header.po.review.json").exists()


def test_xliff2_without_units_is_checked_as_zero_segments() -> None:
    almost_empty = shared_data("xliff2-oasis-tests", "valid", "almostEmpty.xlf")
    code, out, err = run("check", str(almost_empty), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["files"][0]["segments"] == 0
