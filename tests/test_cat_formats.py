"""Real CAT files read whole: formats by content, SDLXLIFF segments and statuses, inline codes kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_valid_review_file, run, shared_data
from relecture.importers import detect_format, import_document
from relecture.model import CODE_BASE, show_codes

DATA = Path(__file__).parent / "data" / "cat"


def shown(seg, side: str = "target") -> str:  # type: ignore[no-untyped-def]
    return show_codes(seg.text(side), seg.codes)


# --- formats by content --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ("<resources><string name='a'>b</string></resources>", "Android strings.xml"),
        ("<!DOCTYPE TS>\n<TS version='2.1'><context/></TS>", "Qt Linguist"),
        ("<root><data name='a'><value>b</value></data></root>", ".resx"),
        ("<martif type='TBX'/>", "TBX"),
        ("<html><body>hi</body></html>", "<html>"),
    ],
)
def test_other_xml_under_an_unknown_extension_is_refused_by_name(tmp_path: Path, root: str, expected: str) -> None:
    path = tmp_path / "strings.xml"
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n{root}\n', encoding="utf-8")
    code, _out, err = run("import", str(path))
    assert code == 2 and expected in err and err.startswith(f"relecture: {path}:")
    assert not (tmp_path / "strings.xml.review.json").exists()
    code, _, err = run("check", str(path))
    assert code == 2 and expected in err


def test_xliff_and_po_under_unknown_extensions_are_read_by_content(tmp_path: Path) -> None:
    xliff = tmp_path / "export.xml"
    xliff.write_bytes((DATA / "review.sdlxliff").read_bytes())
    assert detect_format(xliff) == "xliff"
    po = tmp_path / "messages.catalog"
    po.write_text('# comment\nmsgid "Hello"\nmsgstr "Bonjour"\n', encoding="utf-8")
    assert detect_format(po) == "po"
    assert import_document(po).segments[0].target == "Bonjour"


@pytest.mark.parametrize("suffix", [".sdlxliff", ".mqxliff", ".poxliff", ".xlf", ".xliff"])
def test_cat_extensions_are_xliff(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"file{suffix}"
    path.write_bytes((DATA / "review.sdlxliff").read_bytes())
    doc = import_document(path)
    assert [s.id for s in doc.segments] == ["1", "2", "3", "4"]  # an SDLXLIFF by its namespace


# --- SDLXLIFF ------------------------------------------------------------------------------------


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


# --- inline codes --------------------------------------------------------------------------------


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


def test_tmx_bpt_ept_are_codes_not_literal_tags(tmp_path: Path) -> None:
    tmx = tmp_path / "m.tmx"
    tmx.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en" datatype="html" segtype="sentence" '
        'adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="x"/><body>'
        '<tu tuid="1"><tuv xml:lang="en"><seg>Click <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept>'
        '<ph x="2">&lt;br/&gt;</ph></seg></tuv>'
        '<tuv xml:lang="fr"><seg>Cliquez sur <bpt i="1">&lt;b&gt;</bpt>Enregistrer<ept i="1">&lt;/b&gt;</ept>'
        '<ph x="2">&lt;br/&gt;</ph></seg></tuv></tu></body></tmx>\n',
        encoding="utf-8",
    )
    seg = import_document(tmx).segments[0]
    assert "<b>" not in seg.target
    assert [c.element for c in seg.codes] == ["bpt", "ept", "ph"]
    assert seg.codes[0].kind == "opening" and seg.codes[1].kind == "closing" and seg.codes[0].pair == 1
    assert shown(seg).startswith("Cliquez sur {1}Enregistrer{/1}")


# --- XLIFF 2.1 export keeps codes and the review's metadata -----------------------------------------


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


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_reports_show_codes_as_tokens(tmp_path: Path, fmt: str) -> None:
    from relecture.exporters import export_document

    doc = import_document(DATA / "review.sdlxliff")
    out = tmp_path / f"report.{fmt}"
    export_document(doc, fmt, out)
    text = out.read_text(encoding="utf-8")
    assert "Appuyez sur {7/}Démarrer." in text
    assert not any(ord(c) >= CODE_BASE for c in text)
