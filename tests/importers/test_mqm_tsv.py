"""WMT / Marot MQM TSV: import, export, round trips, the real WMT file, bad input."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from relecture.errors import InputError
from relecture.exporters import ExportOptions, export_document
from relecture.importers import import_document
from relecture.model import Annotation, ReviewDocument, Segment
from relecture.scoring import segment_mqm

SHARED = Path(__file__).parents[1].parent / "shared" / "data"
WMT_FILE = SHARED / "wmt-mqm" / "mqm_ted_ende.tsv"

HEADER = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\tcomment"
ROWS = [
    # sysA seg 1: rater1 two errors (one on the source: an omission), rater2 clean.
    'sysA\tdoc1\t1\t1\trater1\tThe "black" cat sat.\tDie <v>schwarze</v> Katze.\tAccuracy/Mistranslation\tMajor\tsaid "dark"',
    'sysA\tdoc1\t1\t1\trater1\tThe "black" cat <v>sat</v>.\tDie schwarze Katze.\tAccuracy/Omission\tMinor\t',
    'sysA\tdoc1\t1\t1\trater2\tThe "black" cat sat.\tDie schwarze Katze.\tNo-error\tNo-error\t',
    # sysB seg 1: same source, another system; rater1 finds a punctuation error.
    "sysB\tdoc1\t1\t1\trater1\tThe \"black\" cat sat.\tDie schwarze Katze saß<v>,</v>\tFluency/Punctuation\tminor\t",
    # sysA seg 2: non-translation, and a neutral one by another rater.
    "sysA\tdoc1\t2\t2\trater2\tIt rained.\t<v>It rained.</v>\tNon-translation!\tMajor\t",
    "sysA\tdoc1\t2\t2\trater3\tIt rained.\tIt <v>rained</v>.\tSource issue\tNeutral\tok",
    # sysB seg 2: clean for rater3.
    "sysB\tdoc1\t2\t2\trater3\tIt rained.\tEs regnete.\tNo-error\tNo-error\t",
]


def _write(tmp_path: Path, lines: list[str], name: str = "ratings.tsv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _compact(data: object) -> str:
    # Marot and Anthea write JSON.stringify's compact form.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _rows(text: str) -> collections.Counter[str]:
    return collections.Counter(line for line in text.splitlines() if line)


def _scores(doc: ReviewDocument) -> dict[str, float | None]:
    return {s.id: segment_mqm(s) for s in doc.segments}


def _annotation_keys(doc: ReviewDocument) -> set[tuple[object, ...]]:
    return {
        (s.id, a.author, a.side, a.start, a.end, a.text, a.category, a.severity, a.comment)
        for s in doc.segments
        for a in s.annotations
    }


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
