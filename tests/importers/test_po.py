"""PO read: entries, notes, fuzzy, ids and language; bad and legacy-encoded catalogues refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.importers.samples import PO

from relecture.errors import InputError
from relecture.importers import import_document


def test_po_entries_notes_fuzzy_ids_and_language(tmp_path: Path) -> None:
    path = tmp_path / "app.po"
    path.write_text(PO, encoding="utf-8")
    doc = import_document(path)
    assert doc.target_lang == "fr"
    assert [s.source for s in doc.segments] == [
        "Open file", "Save <b>now</b> & quit", "One file", "%d files", "Untranslated"
    ]
    menu, save, plural, plural_other, empty = doc.segments
    assert (menu.target, menu.status) == ("Ouvrir le fichier", "needs-work")
    assert menu.note == "Keep it short\nMenu entry"
    assert menu.meta["msgctxt"] == "menu"
    assert menu.meta["locations"] == ["src/menu.c:12", "src/menu.c:40"]
    assert (menu.meta["translator_comments"], menu.meta["developer_comments"]) == ("Keep it short", "Menu entry")
    assert save.status == "todo" and save.target == "Enregistrer <b>maintenant</b> et quitter"
    # Each plural form is its own segment, labelled from the header's Plural-Forms.
    assert [(plural.id, plural.target), (plural_other.id, plural_other.target)] == [
        ("3[0]", "Un fichier"), ("3[1]", "%d fichiers")
    ]
    assert plural_other.meta["plural_label"] == "n=2, 3, 4… (form 1 of 2)"
    assert empty.target == ""


def test_bad_po_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.po"
    path.write_text('msgid "a"\nmsgstr "b\nnot po at all\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_document(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}:line 2:")


def test_po_in_a_legacy_encoding_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "latin1.po"
    path.write_bytes(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "cafe"\nmsgstr "caf\xe9"\n')
    with pytest.raises(InputError) as info:
        import_document(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path)) and "UTF-8" in message
