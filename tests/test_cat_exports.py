"""Exports of CAT reviews as people and tools read them: inline codes as tokens in the data
exports (with offsets that still index the text), XLIFF 2 native codes (originalData) and code
ids kept, memoQ statuses both ways, Trados comments kept apart, and flags on the post-edit in
every export that can hold them."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from conftest import run, shared_data
from relecture.changes import put_annotation, set_note, set_post_edit, set_status
from relecture.codetokens import code_tokens, from_tokens
from relecture.exporters import export_document
from relecture.importers import import_document
from relecture.model import Annotation, Flag, ReviewDocument, Segment
from relecture.store import ReviewStore

DATA = Path(__file__).parent / "data" / "cat"
CODE_PLANE = re.compile("[\U000f0000-\U000ffffd]")
NS2 = "urn:oasis:names:tc:xliff:document:2.0"


def _annotated(path: Path) -> ReviewDocument:
    """The file's review with, on every segment with codes, an annotation from just after its
    first code to the end of the text (so offsets before and inside the span move)."""
    doc = import_document(path)
    for seg in doc.segments:
        for side in ("source", "target"):
            text = seg.text(side)
            first = CODE_PLANE.search(text)
            if first is None or first.end() >= len(text):
                continue
            seg.annotations.append(Annotation(
                id=f"a-{side}", side=side, start=first.end(), end=len(text), text=text[first.end():],
                category="Accuracy/Mistranslation", severity="major", author="camille",
            ))
    assert any(s.annotations for s in doc.segments), f"{path.name}: no segment with codes"
    return doc


OKAPI = ["RB-12-Test02.xlf", "Test-XLIFF01.xlf", "Xslt-Test01.xlf", "test2_es.xlf", "SF-12-Test03.xlf"]


@pytest.mark.parametrize("name", OKAPI)
def test_data_exports_write_codes_as_tokens_with_offsets_into_the_token_form(tmp_path: Path, name: str) -> None:
    doc = _annotated(shared_data("okapi-xliff", name))
    by_id = {s.id: s for s in doc.segments}
    outputs = {fmt: export_document(doc, fmt, tmp_path / f"out.{fmt}") for fmt in ("csv", "jsonl", "mqm")}
    for fmt, out in outputs.items():
        assert not CODE_PLANE.search(out.read_text(encoding="utf-8")), f"{fmt}: a raw code character"

    rows = [r for r in csv.DictReader(io.StringIO(outputs["csv"].read_text(encoding="utf-8"), newline=""))
            if r["kind"] == "annotation"]
    assert rows
    for row in rows:
        seg = by_id[row["segment"]]
        tokens = {c["token"]: chr(0xF0000 + i) for i, c in enumerate(json.loads(row["codes"]))}
        assert tokens == code_tokens(seg.codes)
        text = row[row["side"]]
        assert text[int(row["start"]):int(row["end"])] == row["text"]  # the span, in token form
        assert from_tokens(text, tokens) == seg.text(row["side"])  # and back to the review's text
        assert "⟪" in row["source"] + row["target"]

    for line in map(json.loads, outputs["jsonl"].read_text(encoding="utf-8").splitlines()):
        seg = by_id[line["id"]]
        if not seg.codes:
            continue
        tokens = {c["token"]: chr(0xF0000 + i) for i, c in enumerate(line["codes"])}
        assert from_tokens(line["source"], tokens) == seg.source
        assert from_tokens(line["final"], tokens) == seg.final_target
        for a in line["annotations"]:
            assert line[a["side"]][a["start"]:a["end"]] == a["text"]

    tsv = outputs["mqm"].read_text(encoding="utf-8").splitlines()
    header = tsv[0].split("\t")
    marked = [dict(zip(header, r.split("\t"), strict=False)) for r in tsv[1:]]
    for row in marked:
        spans = re.findall(r"<v>(.*?)</v>", row["source"] + row["target"])
        assert spans and all(s for s in spans)
    assert any("⟪" in r["source"] + r["target"] for r in marked)


# --- XLIFF 2: originalData and code ids ------------------------------------------------------------


def _data(root: etree._Element) -> list[tuple[str, str, str | None]]:
    """(id, native code, dir) of every unit-level ``<data>`` a code of its unit points to."""
    out = []
    for unit in root.iter(f"{{{NS2}}}unit"):
        refs = {v for e in unit.iter() for k, v in e.attrib.items() if k.startswith("dataRef")}
        holder = unit.find(f"{{{NS2}}}originalData")
        if holder is not None:
            out += [(d.get("id"), "".join(d.itertext()), d.get("dir")) for d in holder if d.get("id") in refs]
    return sorted(out)


@pytest.mark.parametrize("name", ["everything-core.xlf", "allExtensions.xlf"])
def test_xliff2_original_data_survives_xliff21_export_and_schema(tmp_path: Path, name: str) -> None:
    source = shared_data("xliff2-oasis-tests", "valid", name)
    expected = _data(etree.parse(str(source)).getroot())
    assert expected
    out = tmp_path / "out.xlf"
    assert run("export", str(source), "--to", "xliff", "-o", str(out))[0] == 0
    tree = etree.parse(str(out))
    schema = etree.XMLSchema(etree.parse(str(shared_data("..", "reference", "schemas", "xliff_core_2.0.xsd"))))
    assert schema.validate(tree), schema.error_log.last_error
    assert _data(tree.getroot()) == expected
    # Every code that points at native data points at data in its own unit.
    for unit in tree.getroot().iter(f"{{{NS2}}}unit"):
        ids = {d.get("id") for d in unit.iter(f"{{{NS2}}}data")}
        refs = {e.get("dataRef") for e in unit.iter() if e.get("dataRef")}
        assert refs <= ids
    def codes(doc: ReviewDocument) -> list[tuple[str, str, str, str]]:
        # The markup compared canonically: namespace declarations may come in another order.
        return [(c.id, c.kind, c.element, etree.tostring(etree.fromstring(c.markup), method="c14n").decode()
                 if c.markup else "") for s in doc.segments for c in s.codes]

    assert codes(import_document(out)) == codes(import_document(source))


def test_xliff2_codes_keep_their_ids_and_native_data_in_xliff12(tmp_path: Path) -> None:
    out = tmp_path / "r.xlf"
    assert run("export", str(shared_data("xliff2-oasis-tests", "valid", "everything-core.xlf")),
               "--to", "xliff12", "-o", str(out))[0] == 0
    written = out.read_text(encoding="utf-8")
    # <pc id="1" dataRefStart="d1" dataRefEnd="d2"> and <ph id="2" dataRef="d3">, ids kept.
    assert '<bpt id="1">[b [#$tu3]   ]</bpt>special text<ept id="1">[/b [#t3end]   ]</ept>' in written
    assert '<ph id="2">[rtl-data   ]</ph>' in written
    out = tmp_path / "codes.xlf"
    source = shared_data("xliff2-oasis-tests", "valid", "withReorderedCodes.xlf")
    assert run("export", str(source), "--to", "xliff12", "-o", str(out))[0] == 0
    for before, after in zip(import_document(source).segments, import_document(out).segments, strict=True):
        assert {c.id for c in after.codes} == {c.id for c in before.codes}  # never renumbered
    assert '<bx id="1" rid="1"/>' in out.read_text(encoding="utf-8")


# --- memoQ -----------------------------------------------------------------------------------------

MQXLIFF = """<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:mq="MQXliff" version="1.2">
<file original="guide.docx" source-language="en" target-language="fr" datatype="x-docx"><body>
<trans-unit id="1" mq:status="NotStarted"><source>One.</source><target></target></trans-unit>
<trans-unit id="2" mq:status="Pretranslated"><source>Two.</source><target>Deux.</target></trans-unit>
<trans-unit id="3" mq:status="PartiallyEdited"><source>Three.</source><target>Trois</target></trans-unit>
<trans-unit id="4" mq:status="ManuallyConfirmed"><source>Four.</source><target>Quatre.</target></trans-unit>
<trans-unit id="5" mq:status="Reviewer1Confirmed"><source>Five.</source><target>Cinq.</target></trans-unit>
<trans-unit id="6" mq:status="Proofread"><source>Six.</source><target>Six.</target></trans-unit>
<trans-unit id="7" mq:status="Rejected"><source>Seven.</source><target>Sep.</target></trans-unit>
<trans-unit id="8" mq:status="MachineTranslated"><source>Eight.</source><target>Huit.</target></trans-unit>
<trans-unit id="9" mq:status="ManuallyConfirmed" mq:locked="locked"><source>Nine.</source><target>Neuf.</target></trans-unit>
</body></file></xliff>
"""


def test_memoq_statuses_are_read_and_written_back_as_memoq_names_them(tmp_path: Path) -> None:
    path = tmp_path / "guide.mqxliff"
    path.write_text(MQXLIFF, encoding="utf-8")
    doc = import_document(path)
    statuses = {s.meta["xliff_id"]: s.status for s in doc.segments}
    assert statuses == {
        "1": "todo", "2": "todo", "3": "todo", "4": "todo", "5": "approved", "6": "approved",
        "7": "needs-work", "8": "todo", "9": "todo",
    }
    review = tmp_path / "guide.mqxliff.review.json"
    assert run("import", str(path), "-o", str(review))[0] == 0
    with ReviewStore.open(review) as store:
        store.apply(set_status("guide.docx:4", "approved"))  # a translator's confirmation, now reviewed
        store.apply(set_status("guide.docx:6", "approved"))  # unchanged: stays Proofread
        store.apply(set_post_edit("guide.docx:6", "Six !"))
        store.apply(set_post_edit("guide.docx:3", "Trois."))  # edited, not approved
        store.apply(set_status("guide.docx:2", "rejected"))
        store.apply(set_status("guide.docx:7", "approved"))
        store.apply(set_status("guide.docx:9", "approved"))  # locked: never written
    out = tmp_path / "out.mqxliff"
    assert run("export", str(review), "--to", "original", "-o", str(out))[0] == 0
    root = etree.parse(str(out)).getroot()
    written = {u.get("id"): u.get("{MQXliff}status") for u in root.iter("{*}trans-unit")}
    assert written == {
        "1": "NotStarted", "2": "Rejected", "3": "PartiallyEdited", "4": "Reviewer1Confirmed",
        "5": "Reviewer1Confirmed", "6": "Proofread", "7": "Reviewer1Confirmed", "8": "MachineTranslated",
        "9": "ManuallyConfirmed",
    }
    final = tmp_path / "final.mqxliff"
    assert run("export", str(review), "--to", "original", "--approved-state", "final", "-o", str(final))[0] == 0
    root = etree.parse(str(final)).getroot()
    assert {u.get("id"): u.get("{MQXliff}status") for u in root.iter("{*}trans-unit")}["4"] == "Proofread"
    assert {s.id: s.status for s in import_document(out).segments}["guide.docx:4"] == "approved"


# --- Trados comments -------------------------------------------------------------------------------


def test_trados_comments_stay_apart_and_on_their_ranges(tmp_path: Path) -> None:
    path = tmp_path / "review.sdlxliff"
    shutil.copy(DATA / "review.sdlxliff", path)
    review = tmp_path / "review.sdlxliff.review.json"
    assert run("import", str(path), "-o", str(review))[0] == 0
    with ReviewStore.open(review) as store:
        store.apply(set_post_edit("1", "Ouvrez bien le couvercle."))  # the range comment's text is still there
        store.apply(put_annotation("4", Annotation(
            id="a1", side="target", start=0, end=6, text="Fermez", category="Accuracy/Mistranslation",
            severity="critical", comment="wrong verb", author="bo",
        )))
        store.apply(set_note("4", "Vu"))
    out = tmp_path / "out.sdlxliff"
    assert run("export", str(review), "--to", "sdlxliff", "-o", str(out))[0] == 0
    written = out.read_text(encoding="utf-8")
    assert 'Ouvrez bien le <mrk mtype="x-sdl-comment" sdl:cid="cmt-a">couvercle</mrk>.' in written
    root = etree.parse(str(out)).getroot()
    sdl = "http://sdl.com/FileTypes/SdlXliff/1.0"
    comments = {d.get("id"): [(c.get("severity"), c.text) for c in d.iter(f"{{{sdl}}}Comment")]
                for d in root.iter(f"{{{sdl}}}cmt-def")}
    assert len(comments) == 3 and all(len(c) == 1 for c in comments.values())  # one comment each
    ranges = {m.get(f"{{{sdl}}}cid"): "".join(m.itertext()) for m in root.iter("{*}mrk")
              if m.get("mtype") == "x-sdl-comment"}
    by_text = {texts[0][1]: (texts[0][0], ranges[cid]) for cid, texts in comments.items()}
    assert by_text["Vu"] == ("Medium", "Fermez-le.")
    assert by_text["relecture: critical Accuracy/Mistranslation: «Fermez» — wrong verb (bo)"] == ("High", "Fermez")
    back = {s.id: s for s in import_document(out).segments}
    assert back["1"].note == "anna, Medium: Check the brand name"
    assert back["4"].note.splitlines() == [
        "bo, Medium: Vu", "bo, High: relecture: critical Accuracy/Mistranslation: «Fermez» — wrong verb (bo)",
    ]


# --- flags on the post-edit in every export --------------------------------------------------------


def _post_edited() -> ReviewDocument:
    flag = Flag(
        check="typography.straight-quotes", family="typography", severity="minor",
        category="Fluency/Punctuation", its_type="typographical", side="target", start=3, end=8,
        text='"Oui"', message="straight quotes in French", suggestion="« Oui »",
    )
    seg = Segment(
        id="1", source="He said yes.", target="Il a dit oui.", post_edit='Il "Oui" dit.', status="approved",
        annotations=[Annotation(id="a1", side="target", start=0, end=2, text="Il",
                                category="Fluency/Grammar", severity="minor", author="camille")],
        post_edit_flags=[flag],
    )
    return ReviewDocument(id="pe", title="pe", source_lang="en", target_lang="fr", segments=[seg])


def test_flags_on_the_post_edit_are_in_reports_xliff_and_mqm(tmp_path: Path) -> None:
    doc = _post_edited()
    html = export_document(doc, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    assert re.search(r'<span class="label">post-edit</span>Il <mark class="flag"[^>]*>&quot;Oui&quot;</mark>', html)
    assert "(flag typography.straight-quotes, on the post-edit)" in html
    assert "on the post-edits: 1" in html
    md = export_document(doc, "markdown", tmp_path / "r.md").read_text(encoding="utf-8")
    assert '*Post-edit:* Il **"Oui"**\\[2\\] dit.' in md.splitlines()
    assert "(flag typography.straight-quotes, on the post-edit)" in md

    xlf = export_document(doc, "xliff", tmp_path / "r.xlf")
    tree = etree.parse(str(xlf))
    schema = etree.XMLSchema(etree.parse(str(shared_data("..", "reference", "schemas", "xliff_core_2.0.xsd"))))
    assert schema.validate(tree), schema.error_log.last_error  # an issue <mrk> inside the whole-target one
    rl = "urn:x-relecture:review:1"
    target = next(tree.getroot().iter(f"{{{NS2}}}target"))
    inner = [m for m in target.iter(f"{{{NS2}}}mrk") if m.get(f"{{{rl}}}kind") == "post-edit-flag"]
    assert [("".join(m.itertext()), m.get("{http://www.w3.org/2005/11/its}locQualityIssueType")) for m in inner] == [
        ('"Oui"', "typographical")
    ]
    notes = [n.text for n in tree.getroot().iter(f"{{{NS2}}}note")]
    assert any(n.startswith("On the post-edit: Minor Fluency/Punctuation [typography.straight-quotes]") for n in notes)
    back = import_document(xlf).segments[0]
    assert back.post_edit == doc.segments[0].post_edit
    assert back.post_edit_flags == doc.segments[0].post_edit_flags
    assert [a.text for a in back.annotations] == ["Il"]  # the annotation on the translation stays there

    tsv = export_document(doc, "mqm", tmp_path / "r.tsv").read_text(encoding="utf-8").splitlines()
    header = tsv[0].split("\t")
    row = dict(zip(header, tsv[1].split("\t"), strict=True))
    metadata = json.loads(row["metadata"])
    assert metadata["corrected_translation"] == 'Il "Oui" dit.'
    assert [(f["check"], f["start"], f["end"], f["text"]) for f in metadata["post_edit_flags"]] == [
        ("typography.straight-quotes", 3, 8, '"Oui"')
    ]
