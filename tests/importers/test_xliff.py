"""XLIFF read: 1.2 and 2.x (the OASIS test files), ITS issues of other tools, hostile XML."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from tests.importers.samples import DATA, X, shown

from conftest import SHARED, assert_valid_review_file, run, shared_data
from relecture.errors import InputError
from relecture.importers import ImportOptions, import_document
from relecture.importers.xliff import NS_ITS, NS_XLIFF2
from relecture.importers.xliff import read as read_xliff
from relecture.model import CODE_BASE, show_codes

OASIS_VALID = SHARED / "data" / "xliff2-oasis-tests" / "valid"

needs_oasis = pytest.mark.skipif(not OASIS_VALID.exists(), reason=f"OASIS XLIFF test files not found at {OASIS_VALID}")


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


def test_sdlxliff_one_segment_per_mrk_statuses_locks_and_comments(tmp_path: Path) -> None:
    doc = import_document(DATA / "review.sdlxliff")
    assert doc.imported_from["format"] == "sdlxliff"
    assert doc.meta["untranslatable_units"] == 1  # translate="no" kept out of the review
    first, second, third, fourth = doc.segments
    # Two Trados segments of one unit stay two segments.
    assert (first.source, first.target) == ("Open the lid.", "Ouvrez le couvercle.")
    assert shown(second, "source") == "Press {7/}Start." and shown(second) == "Appuyez sur {7/}Démarrer."
    assert [s.status for s in doc.segments] == ["todo", "todo", "approved", "needs-work"]
    assert third.meta["sdl_conf"] == "ApprovedSignOff" and third.meta["locked"] is True
    assert "locked" not in first.meta
    # The previous reviewer's Trados comment is the segment's note.
    assert first.note == "anna, Medium: Check the brand name"
    assert fourth.meta["sdl_conf"] == "RejectedTranslation"
    out = tmp_path / "r.review.json"
    assert run("import", str(DATA / "review.sdlxliff"), "-o", str(out))[0] == 0
    assert_valid_review_file(out)


def test_xliff12_codes_are_kept_with_their_markup() -> None:
    path = shared_data("okapi-xliff", "test1_es.xlf")
    doc = import_document(path)
    seg = next(s for s in doc.segments if s.meta["xliff_id"] == "0000000004")
    assert shown(seg, "source") == "{1/}{2/}Home{3/}{4/}"
    # The native code stays in the code's markup, never in the text.
    assert "<" not in (seg.source or "") and all(c.markup.startswith("<") for c in seg.codes)
    total = sum(len(s.codes) for s in doc.segments)
    assert total > 100


def test_every_okapi_file_reads_with_codes_as_single_characters() -> None:
    folder = shared_data("okapi-xliff")
    readable = 0
    for path in sorted(folder.glob("*.xlf")):
        try:
            doc = import_document(path, allow_empty=True)
        except Exception as exc:
            assert type(exc).__name__ == "InputError", (path, exc)
            continue
        readable += 1
        for seg in doc.segments:
            for text in (seg.source or "", seg.target):
                for char in text:
                    if ord(char) >= CODE_BASE:
                        assert ord(char) - CODE_BASE < len(seg.codes), (path, seg.id)
    assert readable >= 23


def test_xliff2_codes_ph_pc_sc_ec() -> None:
    doc = import_document(shared_data("xliff2-oasis-tests", "valid", "withReorderedCodes.xlf"))
    seg = doc.segments[0]
    assert shown(seg, "source") == "{1} text {2/} {/1} {3/}"
    assert shown(seg) == "{3/} {1} text {2/} {/1}"
    elements = {c.element for s in doc.segments for c in s.codes}
    assert {"sc", "ec", "ph"} <= elements or {"pc", "ph"} <= elements
