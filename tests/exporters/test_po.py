"""PO delivered back: post-edits, statuses, notes, plurals (msgfmt accepts it), fuzzy cleared."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from tests.exporters.samples import edit, imported

from conftest import run, shared_data
from relecture.importers import import_document
from relecture.model import Annotation


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


def test_a_target_only_review_is_refused_as_a_new_catalogue(tmp_path: Path) -> None:
    """Every msgid would be empty: gettext could not read the catalogue back (msgfmt refuses it)."""
    text = tmp_path / "doc.fr.txt"
    text.write_text("Bonjour.\n\nAu revoir.\n", encoding="utf-8")
    out = tmp_path / "doc.po"
    code, _, err = run("export", str(text), "--to", "po", "-o", str(out))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "target-only" in err, err
    assert "Traceback" not in err and not out.exists()
