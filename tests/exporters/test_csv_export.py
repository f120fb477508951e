"""CSV export: a row per annotation and open flag, formulas guarded, BOM and line ends."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.exporters.samples import FORMULA, NASTY, sample

from relecture.exporters import ExportOptions, export_document


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_rows_per_annotation_and_open_flag(tmp_path: Path) -> None:
    out = export_document(sample(), "csv", tmp_path / "out.csv")
    rows = read_csv(out)
    assert [(r["kind"], r["segment"], r["side"]) for r in rows] == [
        ("annotation", "1", "target"),
        ("annotation", "1", "source"),
        ("flag", "1", "target"),  # the dismissed flag is not exported
        ("annotation", "2", "target"),
    ]
    a1, a2, f1, a3 = rows
    assert (a1["start"], a1["end"], a1["text"]) == ("8", "13", "alert")
    assert a1["category"] == "Accuracy/Mistranslation" and a1["severity"] == "major"
    # commas, quotes, angle brackets and line breaks survive intact
    assert a1["comment"] == '<img src=x onerror=alert(1)>, "really"'
    assert a1["target"] == NASTY and a1["source"] == "The <b>cat</b>"
    assert a1["status"] == "approved" and a1["origin"] == "manual"
    assert (a2["start"], a2["end"], a2["comment"]) == ("0", "0", "missing word")
    assert f1["origin"] == "check:md-emphasis" and f1["comment"] == "looks like Markdown"
    assert f1["correction"] == "bold" and f1["text"] == "*bold*"
    assert (a3["severity"], a3["category"], a3["status"]) == ("minor", "Fluency/Punctuation", "needs-work")


def test_csv_guards_against_formulas(tmp_path: Path) -> None:
    out = export_document(sample(), "csv", tmp_path / "out.csv")
    rows = read_csv(out)
    # A spreadsheet shows these as text, never runs them.
    assert rows[0]["correction"] == "'" + '=HYPERLINK("http://x")'
    assert rows[3]["target"] == "'" + FORMULA
    assert rows[3]["text"] == "'="
    assert rows[3]["start"] == "0"  # numbers are never prefixed
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    raw = export_document(
        sample(), "csv", tmp_path / "raw.csv", ExportOptions(formula_guard=False)
    )
    assert read_csv(raw)[3]["target"] == FORMULA


def test_csv_bom_and_line_ends(tmp_path: Path) -> None:
    plain = export_document(sample(), "csv", tmp_path / "plain.csv").read_bytes()
    with_bom = export_document(sample(), "csv", tmp_path / "bom.csv", ExportOptions(bom=True)).read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert with_bom == b"\xef\xbb\xbf" + plain
    assert plain.startswith(b"kind,segment,side,start,end,text,category,severity,comment,")
    assert plain.split(b"\r\n")[0].endswith(b"source,target,post_edit,codes")
