"""WMT / Marot MQM TSV written out: the same rows and annotations back, raters, post-edits, metadata."""

from __future__ import annotations

import json
from pathlib import Path

from tests.importers.samples import HEADER, ROWS, _annotation_keys, _compact, _rows, _scores, _write

from relecture.exporters import ExportOptions, export_document
from relecture.importers import import_document
from relecture.model import Annotation, ReviewDocument, Segment


def test_export_gives_back_the_same_rows_and_annotations(tmp_path: Path) -> None:
    original = _write(tmp_path, [HEADER, *ROWS])
    doc = import_document(original)
    out = tmp_path / "out.tsv"
    export_document(doc, "mqm", out)
    assert _rows(out.read_text(encoding="utf-8")) == _rows(original.read_text(encoding="utf-8"))
    again = import_document(out)
    assert _annotation_keys(again) == _annotation_keys(doc)
    assert [s.meta["raters"] for s in again.segments] == [s.meta["raters"] for s in doc.segments]
    assert _scores(again) == _scores(doc)
    # By hand (WMT weights): sysA seg 1: rater1 5 + 1, rater2 0 -> 3; sysA seg 2: rater2 25
    # (non-translation), rater3 0 -> 12.5; sysB seg 1: punctuation 0.1; sysB seg 2: 0.
    assert _scores(doc) == {
        "sysA:doc1:1": 3.0, "sysA:doc1:2": 12.5, "sysB:doc1:1": 0.1, "sysB:doc1:2": 0.0,
    }


def test_marot_metadata_column_round_trips(tmp_path: Path) -> None:
    meta_error = {"timestamp": 1700000000123, "note": "wrong sense", "corrected_translation": "Die dunkle Katze."}
    meta_clean = {"timestamp": 1700000001000}
    lines = [
        "system\tdoc\tdocSegId\tglobalSegId\trater\tsource\ttarget\tcategory\tseverity\tmetadata",
        f"s1\td1\t1\t0\tr1\tThe cat.\tDie <v>schwarze</v> Katze.\tAccuracy/Mistranslation\tMajor\t{_compact(meta_error)}",
        f"s1\td1\t2\t0\tr1\tA dog.\tEin Hund.\tno-error\tno-error\t{_compact(meta_clean)}",
    ]
    path = _write(tmp_path, lines)
    doc = import_document(path)
    # globalSegId is 0 everywhere in Marot files: docSegId keeps the segments apart.
    assert len(doc.segments) == 2
    seg = doc.segments[0]
    a = seg.annotations[0]
    assert a.comment == "wrong sense"
    assert a.time == "2023-11-14T22:13:20.123Z"
    assert seg.post_edit == "Die dunkle Katze."
    out = tmp_path / "out.tsv"
    export_document(doc, "mqm", out)
    written = out.read_text(encoding="utf-8").splitlines()
    assert written[0] == lines[0]
    assert _rows("\n".join(written[1:])) == _rows("\n".join(lines[1:]))


def test_review_made_in_relecture_exports_raters_no_error_rows_and_post_edits(tmp_path: Path) -> None:
    doc = ReviewDocument(
        id="d",
        title="courts.txt",
        source_lang="zh",
        target_lang="fr",
        segments=[
            Segment(id="p1.s1", source="你好。", target="Bonjour\tà tous.", status="needs-work",
                    post_edit="Bonjour à toutes et à tous.",
                    annotations=[Annotation(id="a1", side="target", start=8, end=15, text="à tous.",
                                            category="Accuracy/Omission", severity="minor",
                                            author="alice", time="2024-05-01T10:00:00Z")]),
            Segment(id="p1.s2", source="谢谢。", target="Merci.", status="approved"),
            Segment(id="p1.s3", source="再见。", target="Au revoir.", status="todo"),
        ],
    )
    out = tmp_path / "review.tsv"
    export_document(doc, "mqm", out, ExportOptions(rater="bob"))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == [*HEADER.split("\t"), "metadata"]
    rows = [line.split("\t") for line in lines[1:]]
    assert len(rows) == 2  # the todo segment was not rated
    error, clean = rows
    assert error[4] == "alice" and error[6] == "Bonjour <v>à tous.</v>"  # tab became a space
    assert json.loads(error[10]) == {"timestamp": 1714557600000, "corrected_translation": "Bonjour à toutes et à tous."}
    assert clean[4] == "bob" and clean[7:9] == ["No-error", "No-error"]
    again = import_document(out)
    seg = again.segments[0]
    assert seg.post_edit == "Bonjour à toutes et à tous."
    assert (seg.annotations[0].text, seg.annotations[0].time) == ("à tous.", "2024-05-01T10:00:00Z")
    assert again.segments[1].meta["raters"] == ["bob"] and again.segments[1].annotations == []


def test_unclosed_marker_at_the_end_of_a_field_is_read_and_written_back(tmp_path: Path) -> None:
    # As in the real WMT en-de TED file (line 6444): "<v>?" with no "</v>".
    row = "m1\ttalk.6\t28\t475\trater4\tA question.\tEine Frage. <v>?\tFluency/Punctuation\tMinor\t"
    path = _write(tmp_path, [HEADER, row])
    doc = import_document(path)
    a = doc.segments[0].annotations[0]
    assert doc.segments[0].target == "Eine Frage. ?" and a.text == "?"
    out = tmp_path / "out.tsv"
    export_document(doc, "mqm", out)
    assert out.read_text(encoding="utf-8").splitlines()[1] == row
