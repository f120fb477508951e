"""WMT / Marot MQM TSV read: rows become segments and annotations, the real WMT file, bad rows."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
from tests.importers.samples import HEADER, ROWS, WMT_FILE, _rows, _scores, _write

from relecture.errors import InputError
from relecture.exporters import export_document
from relecture.importers import import_document


def test_rows_become_segments_and_annotations(tmp_path: Path) -> None:
    doc = import_document(_write(tmp_path, [HEADER, *ROWS]))
    assert doc.imported_from["format"] == "mqm"
    assert [s.id for s in doc.segments] == ["sysA:doc1:1", "sysA:doc1:2", "sysB:doc1:1", "sysB:doc1:2"]
    a1 = doc.segment("sysA:doc1:1")
    assert a1.source == 'The "black" cat sat.'  # quotes are data (QUOTE_NONE), markers gone
    assert a1.target == "Die schwarze Katze."
    assert a1.meta["system"] == "sysA" and a1.meta["doc"] == "doc1"
    assert a1.meta["doc_id"] == "1" and a1.meta["seg_id"] == "1"
    assert a1.meta["raters"] == ["rater1", "rater2"]  # rater2's clean rating counts
    major, omission = a1.annotations
    assert (major.side, major.start, major.end, major.text) == ("target", 4, 12, "schwarze")
    assert (major.category, major.severity, major.author) == ("Accuracy/Mistranslation", "major", "rater1")
    assert major.comment == 'said "dark"'
    assert (omission.side, omission.start, omission.end, omission.text) == ("source", 16, 19, "sat")
    assert omission.severity == "minor"
    b1 = doc.segment("sysB:doc1:1")
    assert b1.annotations[0].text == "," and b1.annotations[0].severity == "minor"
    a2 = doc.segment("sysA:doc1:2")
    assert [a.category for a in a2.annotations] == ["Non-translation!", "Source issue"]
    assert a2.annotations[1].severity == "neutral"
    assert doc.segment("sysB:doc1:2").annotations == []
    assert doc.segment("sysB:doc1:2").meta["raters"] == ["rater3"]


@pytest.mark.parametrize(
    ("lines", "place", "words"),
    [
        ([HEADER, "sysA\tdoc1\t1\t1\trater1\tsrc\ttgt"], "line 2", "columns"),
        ([HEADER, "sysA\tdoc1\t1\t1\trater1\tsrc\t<v>t</v>gt\tAccuracy\tSerious\t"], "line 2", "severity"),
        ([HEADER, "sysA\tdoc1\t1\t1\tr\tsrc\t<v>a<v>b</v>\tAccuracy\tMajor\t"], "line 2", "<v> without </v>"),
        ([HEADER, ROWS[0], "sysA\tdoc1\t1\t1\trater2\tsrc\tOther text\tNo-error\tNo-error\t"], "line 3",
         "differs from line 2"),
        (["system\tdoc\trater\tsource\ttarget\tcategory\tseverity"], "line 1", "doc_id, seg_id"),
        ([HEADER.replace("comment", "metadata"), "s\td\t1\t1\tr\ts\tt\tNo-error\tNo-error\t{oops"], "line 2", "JSON"),
    ],
)
def test_bad_rows_give_one_line_errors_naming_file_and_line(
    tmp_path: Path, lines: list[str], place: str, words: str
) -> None:
    path = _write(tmp_path, lines)
    with pytest.raises(InputError) as info:
        import_document(path, fmt="mqm")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{place}:")
    assert words in message


@pytest.mark.slow  # a whole real WMT file
@pytest.mark.skipif(not WMT_FILE.exists(), reason=f"real WMT data not found at {WMT_FILE}")
def test_real_wmt_ted_file(tmp_path: Path) -> None:
    doc = import_document(WMT_FILE)
    raw_rows = WMT_FILE.read_text(encoding="utf-8").splitlines()[1:]
    per_system = collections.Counter(s.meta["system"] for s in doc.segments)
    assert len(per_system) == 14
    assert set(per_system.values()) == {529}
    assert "ref" in per_system
    errors = [r for r in raw_rows if r.split("\t")[8] != "No-error"]
    assert sum(len(s.annotations) for s in doc.segments) == len(errors)
    raters = {r.split("\t")[4] for r in raw_rows}
    assert set().union(*(s.meta["raters"] for s in doc.segments)) == raters
    for seg in doc.segments:
        for a in seg.annotations:
            assert seg.text(a.side)[a.start : a.end] == a.text
            assert "<v>" not in seg.text(a.side)
    out = tmp_path / "ted.tsv"
    export_document(doc, "mqm", out)
    assert _rows(out.read_text(encoding="utf-8")) == _rows(WMT_FILE.read_text(encoding="utf-8"))
    assert _scores(import_document(out)) == _scores(doc)


def test_wmt_mqm_files_get_their_languages_detected(tmp_path: Path) -> None:
    """WMT MQM TSV names no languages: like any import, they are detected (TMX export and the
    language-specific checks need them)."""
    from relecture.importers import ImportOptions, import_document

    header = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\n"
    rows = [
        ("The weather is nice today and the children are playing in the garden.",
         "Das Wetter ist heute schön und die Kinder spielen im Garten."),
        ("We will meet at the station after the meeting with the team.",
         "Wir treffen uns nach der Besprechung mit dem Team am Bahnhof."),
    ]
    path = tmp_path / "wmt.tsv"
    path.write_text(header + "".join(
        f"sysA\tdoc1\t1\t{i}\trater1\t{src}\t{tgt}\tNo-error\tNo-error\n" for i, (src, tgt) in enumerate(rows, 1)
    ), encoding="utf-8")
    doc = import_document(path, ImportOptions())
    assert (doc.source_lang, doc.target_lang) == ("en", "de")
    doc = import_document(path, ImportOptions(source_lang="en-GB", target_lang="de-CH"))
    assert (doc.source_lang, doc.target_lang) == ("en-GB", "de-CH")
