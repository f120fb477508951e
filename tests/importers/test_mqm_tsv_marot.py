"""WMT 2023 / Marot MQM TSV conventions: the documentation header cell, HOTW-test rows, white space."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from conftest import run, shared_data
from relecture.exporters import export_document
from relecture.importers import import_document

HEADER = "system\tdoc\tdocSegId\tglobalSegId\trater\tsource\ttarget\tcategory\tseverity\tmetadata\t# Documentation: https://example.org/marot\n"


def marot(tmp_path: Path) -> Path:
    meta = json.dumps({"timestamp": 1725456558197}, separators=(",", ":"))  # as Marot writes it
    rows = [
        ("sysA", "d1", "1", "1", "r1", "Hello world.", "Hallo <v>Welt</v>.", "Accuracy/Mistranslation", "Major", meta),
        # The same segment in another rater's copy, with a double space: the same segment.
        ("sysA", "d1", "1", "1", "r2", "Hello world.", "Hallo  <v>Welt</v>.", "Fluency/Spelling", "Minor", meta),
        ("sysA", "d1", "1", "1", "r3", "Hello world.", "Hallo Welt.", "No-error", "No-error", meta),
        # An attention test: the tool altered the target; the rater found it. Not a rating.
        ("sysA", "d1", "1", "1", "r3", "Hello world.", "Hallo Welten Welt.", "Found", "HOTW-test", meta),
        ("sysA", "d1", "2", "2", "r1", "Bye.", "Tschüss.", "No-error", "No-error", meta),
    ]
    path = tmp_path / "marot.tsv"
    path.write_text(HEADER + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_marot_header_hotw_rows_and_white_space(tmp_path: Path) -> None:
    path = marot(tmp_path)
    doc = import_document(path)
    first, second = doc.segments
    assert first.target == "Hallo Welt."  # the first row's text
    assert [(a.author, a.text, a.start, a.end) for a in first.annotations] == [
        ("r1", "Welt", 6, 10), ("r2", "Welt", 6, 10)  # r2's span moved onto the segment's text
    ]
    assert first.meta["raters"] == ["r1", "r2", "r3"]
    assert [r["category"] for r in first.meta["hotw_rows"]] == ["Found"]
    assert all(a.category != "Found" for a in first.annotations)
    # Scores leave the test row out: r3 is a clean rating, so segment 1 scores (5 + 1 + 0) / 3 = 2,
    # segment 2 scores 0, and the system (2 + 0) / 2 = 1.
    score = json.loads(run("score", str(path), "--format", "json")[1])
    assert abs(score["groups"][0]["mqm"] - 1.0) < 1e-9
    assert second.annotations == []
    # Exported again: the same rows, the documentation cell and the test row included.
    out = tmp_path / "back.tsv"
    export_document(doc, "mqm", out)
    assert sorted(out.read_text(encoding="utf-8").splitlines()) == sorted(path.read_text(encoding="utf-8").splitlines())


def test_text_differing_beyond_white_space_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(
        HEADER
        + "sysA\td1\t1\t1\tr1\tHello.\tHallo.\tNo-error\tNo-error\t{}\n"
        + "sysA\td1\t1\t1\tr2\tHello.\tHallo!\tNo-error\tNo-error\t{}\n",
        encoding="utf-8",
    )
    code, _, err = run("import", str(path))
    assert code == 2 and "differs from line 2" in err and "line 3" in err


@pytest.mark.slow  # a whole real WMT file
def test_the_real_wmt_2023_marot_file(tmp_path: Path) -> None:
    archive = shared_data("wmt-mqm", "sxs_mqm_generalMT2023_ende.3ratingsPerSegment.tsv.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path, filter="data")
    path = next(tmp_path.rglob("*.tsv"))
    doc = import_document(path)
    hotw = sum(len(s.meta.get("hotw_rows", [])) for s in doc.segments)
    assert hotw == path.read_text(encoding="utf-8").count("\tHOTW-test\t")
    assert not any(a.severity not in ("minor", "major", "critical", "neutral") for s in doc.segments for a in s.annotations)
    assert len(doc.meta["systems"]) == 10 and all(len(s.meta["raters"]) >= 1 for s in doc.segments)
