"""XLIFF: reading 1.2 and 2.x (OASIS test files), writing 2.1 with ITS LQI, hostile XML."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from relecture.errors import InputError
from relecture.exporters import ExportOptions, export_document
from relecture.importers import ImportOptions, import_document
from relecture.importers.xliff import NS_ITS, NS_XLIFF2
from relecture.importers.xliff import read as read_xliff
from relecture.model import Annotation, Flag, ReviewDocument, Segment, show_codes

SHARED = Path(__file__).parents[1].parent / "shared"
OASIS_VALID = SHARED / "data" / "xliff2-oasis-tests" / "valid"
SCHEMA = SHARED / "reference" / "schemas" / "xliff_core_2.0.xsd"
X = f"{{{NS_XLIFF2}}}"
ITS = f"{{{NS_ITS}}}"

needs_oasis = pytest.mark.skipif(not OASIS_VALID.exists(), reason=f"OASIS XLIFF test files not found at {OASIS_VALID}")
needs_schema = pytest.mark.skipif(not SCHEMA.exists(), reason=f"XLIFF core schema not found at {SCHEMA}")


def _oasis_files() -> list[Path]:
    return sorted(OASIS_VALID.glob("*.xlf")) if OASIS_VALID.exists() else []


@needs_oasis
@pytest.mark.parametrize("path", _oasis_files(), ids=lambda p: p.name)
def test_every_oasis_valid_file_reads(path: Path) -> None:
    doc = read_xliff(path, ImportOptions())
    assert doc.source_lang == etree.parse(str(path)).getroot().get("srcLang")
    segments = list(etree.parse(str(path)).getroot().iter(f"{X}segment"))

    def translatable(segment: etree._Element) -> bool:  # the nearest translate="..." decides
        said = [a.get("translate") for a in segment.iterancestors() if a.get("translate") in ("yes", "no")]
        return not said or said[0] == "yes"

    # translate="no" units stay in the file for delivery but are not offered for review.
    assert len(doc.segments) == sum(1 for s in segments if translatable(s))
    assert len({s.id for s in doc.segments}) == len(doc.segments)


@needs_oasis
def test_oasis_notes_states_and_ids_are_kept() -> None:
    notes = read_xliff(OASIS_VALID / "withNotes.xlf", ImportOptions())
    assert notes.note == "note for file"
    assert [(s.id, show_codes(s.source, s.codes), show_codes(s.target, s.codes), s.note) for s in notes.segments] == [
        ("1::s1", "{1}Sentence 1.", "{1}Phrase 1.", "note for group\nnote for unit")  # the group's note too
    ]
    join = read_xliff(OASIS_VALID / "toJoin.xlf", ImportOptions())
    by_id = {s.id: s for s in join.segments}
    assert by_id["1::s1"].meta["xliff_state"] == "translated" and by_id["1::s1"].status == "todo"
    assert by_id["1::s3"].meta["xliff_state"] == "final" and by_id["1::s3"].status == "approved"
    s2 = by_id["1::s2"]
    assert show_codes(s2.source, s2.codes) == "Sentence [  ] 2.{/1} "  # xml:space="preserve" kept exactly
    core = read_xliff(OASIS_VALID / "everything-core.xlf", ImportOptions())
    assert core.segments[0].meta["xliff_substate"] == "my:state"
    # Inline codes are one character each, their markup kept; <pc> content is text.
    # (that file sets xml:space="preserve": its line break is text)
    tu2 = core.segment("tu2::s1")
    assert show_codes(tu2.source, tu2.codes) == "{1}special text{/1} and more\n{2/}."
    assert [(c.element, c.kind) for c in tu2.codes] == [("pc", "opening"), ("pc", "closing"), ("ph", "standalone")]


XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="app.properties" source-language="en" target-language="fr" datatype="plaintext">
  <body>
   <trans-unit id="greet" approved="yes">
    <source>Hello &amp; welcome</source>
    <target state="translated">Bonjour et bienvenue</target>
    <note from="developer">Shown on the home page</note>
   </trans-unit>
   <trans-unit id="bye">
    <source>Goodbye</source>
    <target state="needs-l10n">Au revoir</target>
   </trans-unit>
   <trans-unit id="later">
    <source>Later</source>
    <target state="needs-review-translation">Plus tard</target>
   </trans-unit>
  </body>
 </file>
</xliff>
"""


def test_xliff_12_fields_and_state_mapping(tmp_path: Path) -> None:
    path = tmp_path / "app.xlf"
    path.write_text(XLIFF12, encoding="utf-8")
    doc = import_document(path)
    assert (doc.source_lang, doc.target_lang) == ("en", "fr")
    greet, bye, later = doc.segments
    assert greet.id == "app.properties:greet"
    assert (greet.source, greet.target, greet.note) == ("Hello & welcome", "Bonjour et bienvenue", "Shown on the home page")
    assert [s.status for s in doc.segments] == ["approved", "needs-work", "todo"]
    assert later.meta["xliff_state"] == "needs-review-translation"
    assert bye.meta["xliff_id"] == "bye"


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


def test_its_issues_written_by_another_tool_become_annotations(tmp_path: Path) -> None:
    path = tmp_path / "lqi.xlf"
    path.write_text(
        f"""<?xml version="1.0"?>
<xliff xmlns="{NS_XLIFF2}" xmlns:its="{NS_ITS}" version="2.1" srcLang="en" trgLang="fr" its:version="2.0">
 <file id="f"><unit id="u1">
  <its:locQualityIssues xml:id="lq1">
   <its:locQualityIssue locQualityIssueType="misspelling" locQualityIssueSeverity="50"/>
   <its:locQualityIssue locQualityIssueType="terminology" locQualityIssueComment="use the glossary"
       locQualityIssueEnabled="no"/>
  </its:locQualityIssues>
  <segment state="translated">
   <source>The green door</source>
   <target>La <mrk id="m1" type="its:generic" its:locQualityIssueType="mistranslation"
     its:locQualityIssueComment="wrong colour" its:locQualityIssueSeverity="90">porte rouge</mrk>
     <mrk id="m2" type="its:generic" its:locQualityIssuesRef="#its=lq1">ici</mrk></target>
  </segment></unit></file></xliff>
""",
        encoding="utf-8",
    )
    seg = import_document(path).segments[0]
    assert seg.target == "La porte rouge ici"  # xml:space default: layout white space collapsed
    first, second = seg.annotations
    assert (first.text, first.category, first.severity, first.comment) == (
        "porte rouge", "Accuracy/Mistranslation", "critical", "wrong colour")
    assert (second.text, second.category, second.severity) == ("ici", "Fluency/Spelling", "major")
    assert len(seg.annotations) == 2  # the disabled issue is not imported


# --- hostile and broken XML ---------------------------------------------------------------------


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    return secret


XXE_XLIFF = """<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file://{secret}">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">
 <file id="f"><unit id="u"><segment><source>&xxe;</source><target>x</target></segment></unit></file>
</xliff>
"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en">
 <file id="f"><unit id="u"><segment><source>&lol9;</source></segment></unit></file>
</xliff>
"""


def test_xxe_in_xliff_is_refused_without_reading_the_file(tmp_path: Path) -> None:
    path = tmp_path / "evil.xlf"
    path.write_text(XXE_XLIFF.format(secret=_secret(tmp_path)), encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_document(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    assert "entity" in message
    assert "TOP-SECRET-CONTENT" not in message


def test_billion_laughs_in_xliff_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlf"
    path.write_text(BOMB, encoding="utf-8")
    with pytest.raises(InputError, match="entity"):
        import_document(path)


@pytest.mark.parametrize(
    ("content", "words", "place"),
    [
        ('<?xml version="1.0"?>\n<xliff version="2.0" srcLang="en">\n<file id="f">\n</xliff>', "not well-formed", ":line 4:"),
        ('<?xml version="1.0"?>\n<html/>', "not an XLIFF file", ":line 1:"),
        ("", "empty file", ": "),
    ],
)
def test_broken_xliff_gives_one_line_error(tmp_path: Path, content: str, words: str, place: str) -> None:
    path = tmp_path / "broken.xlf"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_document(path)
    message = str(info.value)
    assert "\n" not in message and words in message
    assert message.startswith(str(path) + place)


def test_cli_import_of_a_malicious_xliff_exits_2_on_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from relecture.cli import main

    path = tmp_path / "evil.xlf"
    path.write_text(XXE_XLIFF.format(secret=_secret(tmp_path)), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 2
    output = result.output.strip()
    assert len(output.splitlines()) == 1 and "entity" in output
    assert "TOP-SECRET-CONTENT" not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "evil.xlf.review.json").exists()


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
    from relecture.importers import ImportOptions, import_document

    doc = import_document(src, ImportOptions())
    out = export_document(doc, "xliff", tmp_path / "out.xlf")
    segments = etree.parse(str(out)).getroot().findall(f".//{X}segment")
    assert [s.get("state") for s in segments] == ["translated", "final", "initial", "initial"]
    assert segments[0].get("subState") == "acme:draft"  # another tool's sub-state comes back too
    # An explicit choice for approved segments still wins.
    out = export_document(doc, "xliff", tmp_path / "out2.xlf", ExportOptions(approved_state="reviewed"))
    assert [s.get("state") for s in etree.parse(str(out)).getroot().findall(f".//{X}segment")][1] == "reviewed"
