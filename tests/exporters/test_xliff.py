"""XLIFF 2.1 written: schema-valid, states mapped, ITS LQI issues, re-imported into the same review, delivered back."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from tests.exporters.samples import edit, imported
from tests.importers.samples import PO, X

from conftest import SHARED, run, shared_data
from relecture.exporters import ExportOptions, export_document
from relecture.importers import ImportOptions, import_document
from relecture.importers.xliff import NS_ITS
from relecture.model import Annotation, Flag, ReviewDocument, Segment, show_codes


def test_po_goes_through_xliff_and_back(tmp_path: Path) -> None:
    path = tmp_path / "app.po"
    path.write_text(PO, encoding="utf-8")
    doc = import_document(path)
    out = tmp_path / "app.xlf"
    export_document(doc, "xliff", out)
    again = import_document(out)
    assert [(s.id, s.source, s.target, s.status, s.note) for s in again.segments] == [
        (s.id, s.source, s.target, s.status, s.note) for s in doc.segments
    ]


SCHEMA = SHARED / "reference" / "schemas" / "xliff_core_2.0.xsd"


ITS = f"{{{NS_ITS}}}"


needs_schema = pytest.mark.skipif(not SCHEMA.exists(), reason=f"XLIFF core schema not found at {SCHEMA}")


def _review() -> ReviewDocument:
    return ReviewDocument(
        id="doc",
        title="courts-metrages.txt",
        source_lang="zh",
        target_lang="fr",
        note="Client: festival",
        segments=[
            Segment(
                id="p1.s1",
                source="黑猫坐着。",
                target="Le chat noir <script>alert(1)</script> & co.",
                status="approved",
                note="vérifier <b>le</b> titre",
                annotations=[
                    Annotation(id="a1", side="target", start=3, end=7, text="chat", category="Accuracy/Mistranslation",
                               severity="major", comment="« chat » ≠ 猫?", author="alice"),
                    Annotation(id="a2", side="target", start=3, end=12, text="chat noir", category="Fluency/Grammar",
                               severity="minor"),
                    Annotation(id="a3", side="source", start=0, end=2, text="黑猫", category="Source issue",
                               severity="neutral"),
                ],
                flags=[
                    Flag(check="typo.nbsp", family="typography", severity="minor", category="Fluency/Punctuation",
                         its_type="typographical", side="target", start=39, end=40, text="&",
                         message="space before &"),
                    Flag(check="llm.preamble", family="llm", severity="major", category="Other", its_type="other",
                         side="target", start=0, end=2, text="Le", message="dismissed one"),
                ],
                dismissed=["llm.preamble|target|Le"],
            ),
            Segment(id="p1.s2", source="你好", target="Bonjour\x07", post_edit="Salut", status="needs-work",
                    esa=35,
                    annotations=[Annotation(id="b1", side="target", start=0, end=7, text="Bonjour",
                                            category="Style/Awkward style", severity="critical")]),
            Segment(id="p 3", source="再见", target="Au revoir", status="rejected"),
            Segment(id="p1.s4", source="谢谢", target="Merci", status="todo"),
        ],
    )


@needs_schema
@pytest.mark.parametrize("approved_state", ["reviewed", "final"])
def test_xliff_export_validates_and_maps_states(tmp_path: Path, approved_state: str) -> None:
    out = tmp_path / "out.xlf"
    export_document(_review(), "xliff", out, ExportOptions(approved_state=approved_state))
    tree = etree.parse(str(out))
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(tree), schema.error_log
    root = tree.getroot()
    assert root.get("version") == "2.1" and root.get(f"{ITS}version") == "2.0"
    segments = root.findall(f".//{X}segment")
    assert [(s.get("state"), s.get("subState")) for s in segments] == [
        (approved_state, None),
        ("translated", "relecture:needs-work"),
        ("translated", "relecture:rejected"),  # a machine translation is a translation
        ("translated", None),
    ]
    # Text stays text: the <script> of the translation is character data, not an element.
    first_target = segments[0].find(f"{X}target")
    assert "".join(first_target.itertext()) == "Le chat noir <script>alert(1)</script> & co."
    assert first_target.find(".//script") is None
    # The post-edit is the target; the machine translation is kept in the metadata.
    second_target = segments[1].find(f"{X}target")
    assert "".join(second_target.itertext()) == "Salut"
    assert "Bonjour" in etree.tostring(segments[1].getparent(), encoding="unicode")


@needs_schema
def test_xliff_its_issues_inline_and_standoff(tmp_path: Path) -> None:
    out = tmp_path / "out.xlf"
    export_document(_review(), "xliff", out)
    unit = etree.parse(str(out)).getroot().find(f".//{X}unit")
    source_mrk = unit.find(f"{X}segment/{X}source/{X}mrk")
    # Lone issue: inline attributes on a <mrk> around the span.
    assert source_mrk.text == "黑猫"
    assert source_mrk.get("type") == "its:generic"
    assert source_mrk.get(f"{ITS}locQualityIssueType") == "other"
    assert source_mrk.get(f"{ITS}locQualityIssueSeverity") == "0"
    target_mrks = unit.findall(f"{X}segment/{X}target/{X}mrk")
    # Overlapping issues (a1 inside a2): one <mrk> over the union pointing to a block.
    overlap = target_mrks[0]
    assert overlap.text == "chat noir"
    ref = overlap.get(f"{ITS}locQualityIssuesRef")
    assert ref and ref.startswith("#its=")
    block = unit.find(f"{ITS}locQualityIssues")
    assert block.get("{http://www.w3.org/XML/1998/namespace}id") == ref[len("#its="):]
    issues = {i.get("locQualityIssueType"): i for i in block.findall(f"{ITS}locQualityIssue")}
    assert issues["mistranslation"].get("locQualityIssueSeverity") == "70"
    assert issues["mistranslation"].get("locQualityIssueComment") == "« chat » ≠ 猫?"
    assert issues["grammar"].get("locQualityIssueSeverity") == "25"
    # The open flag is an issue too; the dismissed one is not.
    flag_mrk = target_mrks[1]
    assert flag_mrk.text == "&" and flag_mrk.get(f"{ITS}locQualityIssueComment") == "space before &"
    assert "dismissed one" not in out.read_text(encoding="utf-8")
    notes = [(n.get("category"), n.text) for n in unit.find(f"{X}notes")]
    assert ("relecture:note", "vérifier <b>le</b> titre") in notes


def test_xliff_export_reimports_into_the_same_review(tmp_path: Path) -> None:
    original = _review()
    out = tmp_path / "out.xlf"
    export_document(original, "xliff", out)
    again = import_document(out)
    assert (again.source_lang, again.target_lang, again.note) == ("zh", "fr", "Client: festival")
    for before, after in zip(original.segments, again.segments, strict=True):
        assert after.id == before.id
        assert (after.source, after.target, after.post_edit) == (before.source, before.target, before.post_edit)
        assert (after.status, after.note, after.esa) == (before.status, before.note, before.esa)
        key = lambda a: (a.id, a.side, a.start, a.end, a.text, a.category, a.severity, a.comment, a.author)  # noqa: E731
        assert sorted(map(key, after.annotations)) == sorted(map(key, before.annotations))
        assert [f.to_dict() for f in after.flags] == [f.to_dict() for f in before.open_flags]


def test_xliff_states_survive_a_round_trip_untouched(tmp_path: Path) -> None:
    """A file exported without review changes gives a CAT tool back the states it sent."""
    src = tmp_path / "st.xlf"
    src.write_text(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">'
        '<file id="f"><unit id="u1"><segment state="translated" subState="acme:draft"><source>Hello.</source>'
        '<target>Bonjour.</target>'
        '</segment></unit><unit id="u2"><segment state="final"><source>Bye.</source><target>Au revoir.</target>'
        '</segment></unit><unit id="u3"><segment state="initial"><source>Yes.</source><target>Oui.</target>'
        '</segment></unit><unit id="u4"><segment><source>No.</source></segment></unit></file></xliff>',
        encoding="utf-8",
    )
    from relecture.importers import import_document

    doc = import_document(src, ImportOptions())
    out = export_document(doc, "xliff", tmp_path / "out.xlf")
    segments = etree.parse(str(out)).getroot().findall(f".//{X}segment")
    assert [s.get("state") for s in segments] == ["translated", "final", "initial", "initial"]
    assert segments[0].get("subState") == "acme:draft"  # another tool's sub-state comes back too
    # An explicit choice for approved segments still wins.
    out = export_document(doc, "xliff", tmp_path / "out2.xlf", ExportOptions(approved_state="reviewed"))
    assert [s.get("state") for s in etree.parse(str(out)).getroot().findall(f".//{X}segment")][1] == "reviewed"


def test_xliff2_delivery(tmp_path: Path) -> None:
    path, review = imported(tmp_path, shared_data("xliff2-oasis-tests", "valid", "withReorderedCodes.xlf"))
    doc = import_document(path)
    seg = doc.segments[1]
    edit(review, seg.id, post_edit=seg.source, status="approved")
    out = tmp_path / "out.xlf"
    assert run("export", str(review), "--to", "original", "-o", str(out))[0] == 0
    after = import_document(out).segment(seg.id)
    assert show_codes(after.target, after.codes) == show_codes(seg.source or "", seg.codes)
    assert after.meta["xliff_state"] == "reviewed"


def test_xliff2_translate_no_units_are_not_reviewed_but_delivered(tmp_path: Path) -> None:
    path, review = imported(tmp_path, shared_data("xliff2-oasis-tests", "valid", "testTranslateWithTarget.xlf"))
    doc = import_document(path)
    assert doc.meta["untranslatable_units"] == 1 and all(not s.id.startswith("1") for s in doc.segments)
    edit(review, doc.segments[0].id, post_edit="changed", status="approved")
    out = tmp_path / "out.xlf"
    assert run("export", str(review), "--to", "original", "-o", str(out))[0] == 0
    from lxml import etree

    def unit_one(p: Path) -> bytes:
        unit = next(u for u in etree.parse(str(p)).iter("{*}unit") if u.get("id") == "1")
        unit.tail = None
        return etree.tostring(unit)

    assert unit_one(out) == unit_one(path)  # the translate="no" unit as it was
    assert import_document(out).segments[0].target == "changed"


@pytest.mark.parametrize(
    "parts",
    [("okapi-xliff", "test1_es.xlf"), ("okapi-xliff", "SF-12-Test03.xlf"), ("xliff2-oasis-tests", "valid", "everything-core.xlf")],
)
def test_xliff21_export_writes_codes_as_elements_and_reimports_them(tmp_path: Path, parts: tuple[str, ...]) -> None:
    from lxml import etree

    from relecture.exporters import export_document

    doc = import_document(shared_data(*parts))
    out = tmp_path / "out.xlf"
    export_document(doc, "xliff", out)
    written = out.read_text(encoding="utf-8")
    assert "&lt;bpt" not in written and "&lt;x " not in written  # never escaped markup as text
    schema = etree.XMLSchema(etree.parse(str(shared_data("..", "reference", "schemas", "xliff_core_2.0.xsd"))))
    assert schema.validate(etree.parse(str(out))), schema.error_log.last_error
    again = import_document(out)
    assert [(s.source, s.target, [c.to_dict() for c in s.codes]) for s in again.segments] == [
        (s.source, s.target, [c.to_dict() for c in s.codes]) for s in doc.segments
    ]


@pytest.mark.slow  # a whole real WMT file
def test_mqm_review_keeps_systems_documents_and_raters_through_xliff(tmp_path: Path) -> None:
    tsv = shared_data("wmt-mqm", "mqm_ted_ende.tsv")
    out = tmp_path / "ted.xlf"
    assert run("export", str(tsv), "--to", "xliff", "-o", str(out))[0] == 0
    import json

    before = json.loads(run("score", str(tsv), "--format", "json")[1])
    after = json.loads(run("score", str(out), "--format", "json")[1])
    assert after["total"] == before["total"] and after["groups"] == before["groups"]
    seg = import_document(out).segments[0]
    assert {"system", "doc", "seg_id", "raters"} <= set(seg.meta)
