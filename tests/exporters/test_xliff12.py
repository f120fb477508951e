"""XLIFF 1.2 and SDLXLIFF written: byte-identical without change, codes, locks, comments, plurals."""

from __future__ import annotations

from pathlib import Path

from tests.exporters.samples import edit, imported
from tests.importers.samples import DATA

from conftest import run, shared_data
from relecture.importers import import_document
from relecture.model import show_codes


def test_sdlxliff_without_change_is_byte_identical(tmp_path: Path) -> None:
    path, review = imported(tmp_path, DATA / "review.sdlxliff")
    assert run("export", str(review), "--to", "sdlxliff")[0] == 0
    assert (tmp_path / "review.reviewed.sdlxliff").read_bytes() == path.read_bytes()
    assert path.read_bytes() == (DATA / "review.sdlxliff").read_bytes()  # the original untouched


def test_sdlxliff_delivery_conf_locks_codes_and_comments(tmp_path: Path) -> None:
    _, review = imported(tmp_path, DATA / "review.sdlxliff")
    edit(review, "2", post_edit="Appuyez sur \U000f0000Démarrer maintenant.", status="approved", note="Vérifié")
    edit(review, "3", post_edit="Changed a locked segment")  # locked: never written back
    out = tmp_path / "out.sdlxliff"
    code, _, err = run("export", str(review), "--to", "sdlxliff", "-o", str(out))
    assert code == 0, err
    written = out.read_text(encoding="utf-8")
    assert '<x id="7"/>Démarrer maintenant.' in written  # the code as the file's own element
    assert "Changed a locked segment" not in written
    back = {s.id: s for s in import_document(out).segments}
    assert back["2"].meta["sdl_conf"] == "ApprovedSignOff" and back["2"].status == "approved"
    assert "Vérifié" in back["2"].note  # a Trados comment
    assert back["1"].note == "anna, Medium: Check the brand name" and back["1"].meta["sdl_conf"] == "Translated"
    assert back["3"].target == "Ouvrez le couvercle."
    assert "u-struct" in written  # the translate="no" unit is still there


def test_xliff12_delivery_keeps_codes_and_other_units(tmp_path: Path) -> None:
    path, review = imported(tmp_path, shared_data("okapi-xliff", "SF-12-Test03.xlf"))
    doc = import_document(path)
    seg = next(s for s in doc.segments if len(s.codes) >= 2 and s.source and s.source.strip())
    edit(review, seg.id, post_edit=seg.source + " !", status="approved", note="ok")
    out = tmp_path / "out.xlf"
    assert run("export", str(review), "--to", "xliff12", "-o", str(out))[0] == 0
    back = import_document(out)
    after = back.segment(seg.id)
    assert show_codes(after.target, after.codes) == show_codes(seg.source or "", seg.codes) + " !"
    from lxml import etree

    unit = next(u for u in etree.parse(str(out)).iter("{*}trans-unit") if u.get("id") == seg.meta["xliff_id"])
    target = unit.find("{*}target")
    own_text = (target.text or "") + "".join(child.tail or "" for child in target)
    assert [child.get("id") for child in target] == ["0", "1", "2", "3"] and "<" not in own_text  # elements
    assert after.status == "approved" and "ok" in after.note
    for before, again in zip(doc.segments, back.segments, strict=True):
        if before.id != seg.id:
            assert (before.source, before.target, [c.to_dict() for c in before.codes]) == (
                again.source, again.target, [c.to_dict() for c in again.codes]
            )


def test_po_review_to_xliff12_keeps_plurals_and_context(tmp_path: Path) -> None:
    po = tmp_path / "p.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr "Ouvrir"\n\n'
        'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "%d fichier"\nmsgstr[1] "%d fichiers"\n',
        encoding="utf-8",
    )
    _, review = imported(tmp_path, po)
    out = tmp_path / "p.xlf"
    assert run("export", str(review), "--to", "xliff12", "-o", str(out))[0] == 0
    written = out.read_text(encoding="utf-8")
    assert 'version="1.2"' in written and "x-gettext-plurals" in written and "menu" in written
    again = import_document(out)
    assert [s.target for s in again.segments] == ["Ouvrir", "%d fichier", "%d fichiers"]
    # The plural group reads back as the forms of one entry.
    assert [(s.meta.get("plural_index"), s.meta.get("plural_label")) for s in again.segments] == [
        (None, None), (0, "form 0 of 2"), (1, "form 1 of 2")
    ]
    assert again.segments[0].meta["msgctxt"] == "menu"
    assert again.source_lang == "en"


def test_an_xliff2_review_to_xliff12_writes_codes_as_elements(tmp_path: Path) -> None:
    source = shared_data("xliff2-oasis-tests", "valid", "withReorderedCodes.xlf")
    out = tmp_path / "r.xlf"
    assert run("export", str(source), "--to", "xliff12", "-o", str(out))[0] == 0
    written = out.read_text(encoding="utf-8")
    assert "<bx " in written and "<ex " in written and "{" not in written
    before, after = import_document(source), import_document(out)
    for a, b in zip(before.segments, after.segments, strict=True):
        kinds = [a.codes[ord(c) - 0xF0000].kind for c in a.target if ord(c) >= 0xF0000]
        assert kinds == [b.codes[ord(c) - 0xF0000].kind for c in b.target if ord(c) >= 0xF0000]
