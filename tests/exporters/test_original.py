"""Delivery in the file's own format: `relecture export REVIEW --to original|po|xliff12|sdlxliff`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run, shared_data
from relecture.changes import put_annotation, set_note, set_post_edit, set_status
from relecture.importers import import_document
from relecture.model import Annotation, show_codes
from relecture.store import ReviewStore

DATA = Path(__file__).parent / "data" / "cat"


def imported(tmp_path: Path, original: Path) -> tuple[Path, Path]:
    path = tmp_path / original.name
    if path != original:
        shutil.copy(original, path)
    review = tmp_path / (original.name + ".review.json")
    code, _, err = run("import", str(path), "-o", str(review))
    assert code == 0, err
    return path, review


REAL = [
    ("real-catalogues", "django-5.2.19", "uk", "django.po"),
    ("real-catalogues", "django-5.2.19", "fr", "django.po"),
    ("okapi-xliff", "SF-12-Test03.xlf"),
    ("okapi-xliff", "test1_es.xlf"),
    ("okapi-xliff", "MQ-12-Test01.xlf"),
    ("okapi-xliff", "Manual-12-AltTrans.xlf"),
    ("xliff2-oasis-tests", "valid", "everything-core.xlf"),
    ("xliff2-oasis-tests", "valid", "withReorderedCodes.xlf"),
    ("xliff2-oasis-tests", "valid", "testTranslateWithTarget.xlf"),
]


@pytest.mark.parametrize("parts", REAL, ids=["/".join(p[-2:]) for p in REAL])
def test_no_change_gives_back_the_input_byte_for_byte(tmp_path: Path, parts: tuple[str, ...]) -> None:
    path, review = imported(tmp_path, shared_data(*parts))
    out = tmp_path / "delivered"
    code, _, err = run("export", str(review), "--to", "original", "-o", str(out))
    assert code == 0, err
    assert out.read_bytes() == path.read_bytes()


def test_sdlxliff_without_change_is_byte_identical(tmp_path: Path) -> None:
    path, review = imported(tmp_path, DATA / "review.sdlxliff")
    assert run("export", str(review), "--to", "sdlxliff")[0] == 0
    assert (tmp_path / "review.reviewed.sdlxliff").read_bytes() == path.read_bytes()
    assert path.read_bytes() == (DATA / "review.sdlxliff").read_bytes()  # the original untouched


def edit(review: Path, seg_id: str, post_edit: str | None = None, status: str | None = None,
         note: str | None = None, annotation: Annotation | None = None) -> None:
    with ReviewStore.open(review) as store:
        if post_edit is not None:
            store.apply(set_post_edit(seg_id, post_edit))
        if status is not None:
            store.apply(set_status(seg_id, status))
        if note is not None:
            store.apply(set_note(seg_id, note))
        if annotation is not None:
            store.apply(put_annotation(seg_id, annotation))


def test_po_delivery_post_edits_statuses_notes_plurals_and_msgfmt(tmp_path: Path) -> None:
    path, review = imported(tmp_path, shared_data("real-catalogues", "django-5.2.19", "uk", "django.po"))
    doc = import_document(path)
    plain, fuzzy_later = doc.segments[0], doc.segments[3]
    form = next(s for s in doc.segments if s.meta.get("plural_index") == 1)
    edit(review, plain.id, post_edit=plain.target + " (випр.)", status="approved")
    edit(review, fuzzy_later.id, status="needs-work", note="Перевірити термін")
    edit(review, form.id, post_edit="Щонайменше %(limit_value)d символи (зараз %(show_value)d).")
    edit(review, doc.segments[5].id, annotation=Annotation(
        id="a1", side="target", start=0, end=3, category="Accuracy/Mistranslation", severity="major",
        text=doc.segments[5].target[:3], comment="wrong word", author="olena",
    ))
    out = tmp_path / "uk.delivered.po"
    code, _, err = run("export", str(review), "--to", "po", "-o", str(out))
    assert code == 0, err
    back = import_document(out)
    by_id = {s.id: s for s in back.segments}
    assert by_id[plain.id].target == plain.target + " (випр.)" and by_id[plain.id].status == "todo"
    assert by_id[fuzzy_later.id].status == "needs-work"  # fuzzy
    assert "Перевірити термін" in by_id[fuzzy_later.id].note
    assert by_id[form.id].target.startswith("Щонайменше")
    assert by_id[form.id.replace("[1]", "[0]")].target == doc.segment(form.id.replace("[1]", "[0]")).target
    assert "relecture: major Accuracy/Mistranslation" in by_id[doc.segments[5].id].note
    # Every other entry is as it was.
    changed = {plain.id, fuzzy_later.id, form.id, doc.segments[5].id}
    for before, after in zip(doc.segments, back.segments, strict=True):
        if before.id not in changed:
            assert (before.id, before.source, before.target, before.status, before.note, before.meta) == (
                after.id, after.source, after.target, after.status, after.note, after.meta
            )
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed: the catalogue was checked by translate-toolkit only")
    result = subprocess.run(["msgfmt", "-c", "-o", str(tmp_path / "uk.mo"), str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_approving_a_fuzzy_po_entry_clears_fuzzy_and_the_previous_msgid(tmp_path: Path) -> None:
    po = tmp_path / "f.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n\n'
        '#, fuzzy\n#| msgid "Old text"\nmsgid "New text"\nmsgstr "Ancien texte"\n',
        encoding="utf-8",
    )
    _, review = imported(tmp_path, po)
    seg = import_document(tmp_path / "f.po").segments[0]
    assert seg.meta["previous_msgid"] == "Old text" and seg.status == "needs-work"
    edit(review, seg.id, post_edit="Nouveau texte", status="approved")
    out = tmp_path / "out.po"
    assert run("export", str(review), "--to", "original", "-o", str(out))[0] == 0
    text = out.read_text(encoding="utf-8")
    assert "fuzzy" not in text and "#|" not in text and 'msgstr "Nouveau texte"' in text


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


def test_tmx_delivery_writes_codes_as_tmx_elements(tmp_path: Path) -> None:
    tmx = tmp_path / "m.tmx"
    tmx.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en" datatype="html" segtype="sentence" '
        'adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="x"/><body>'
        '<tu tuid="1"><tuv xml:lang="en"><seg>Click <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept></seg></tuv>'
        '<tuv xml:lang="fr"><seg>Cliquez sur <bpt i="1">&lt;b&gt;</bpt>Enregister<ept i="1">&lt;/b&gt;</ept></seg></tuv></tu>'
        "</body></tmx>\n",
        encoding="utf-8",
    )
    _, review = imported(tmp_path, tmx)
    seg = import_document(tmx).segments[0]
    edit(review, seg.id, post_edit=seg.target.replace("Enregister", "Enregistrer"))
    out = tmp_path / "out.tmx"
    assert run("export", str(review), "--to", "original", "-o", str(out))[0] == 0
    assert '<bpt i="1">&lt;b&gt;</bpt>Enregistrer<ept i="1">&lt;/b&gt;</ept>' in out.read_text(encoding="utf-8")


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


def test_delivery_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Bonjour le monde.\n", encoding="utf-8")
    review = tmp_path / "a.txt.review.json"
    assert run("import", str(text), "--target-lang", "fr")[0] == 0
    code, _, err = run("export", str(review), "--to", "original")
    assert code == 2 and "writes back PO, XLIFF" in err and "Traceback" not in err
    code, _, err = run("export", str(review), "--to", "sdlxliff")
    assert code == 2 and "not imported from one" in err
    # A changed original is refused, not patched.
    other = tmp_path / "other"
    other.mkdir()
    path, review = imported(other, DATA / "review.sdlxliff")
    path.write_bytes(path.read_bytes().replace(b"Close it.", b"Close it now."))
    code, _, err = run("export", str(review), "--to", "original", "-o", str(tmp_path / "x.sdlxliff"))
    assert code == 2 and "changed since it was imported" in err
    assert not (tmp_path / "x.sdlxliff").exists()


def test_delivery_never_writes_over_the_original(tmp_path: Path) -> None:
    path, review = imported(tmp_path, DATA / "review.sdlxliff")
    before = path.read_bytes()
    code, _, err = run("export", str(review), "--to", "original", "-o", str(path))
    assert code == 2 and "the review was imported from" in err
    assert path.read_bytes() == before


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


def test_a_po_review_goes_to_tmx_and_xliff_with_its_languages_and_context(tmp_path: Path) -> None:
    po = tmp_path / "c.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr "Ouvrir"\n',
        encoding="utf-8",
    )
    _, review = imported(tmp_path, po)
    edit(review, "1", status="approved")
    tmx = tmp_path / "c.tmx"
    code, _, err = run("export", str(review), "--to", "tmx", "-o", str(tmx))
    assert code == 0, err
    written = tmx.read_text(encoding="utf-8")
    assert 'srclang="en"' in written and '<prop type="x-context">menu</prop>' in written
    xlf = tmp_path / "c.xlf"
    assert run("export", str(review), "--to", "xliff", "-o", str(xlf))[0] == 0
    assert 'srcLang="en"' in xlf.read_text(encoding="utf-8")
    assert import_document(xlf).segments[0].meta["msgctxt"] == "menu"


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
