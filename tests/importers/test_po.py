"""PO and TMX: import, export (TMX), round trips, hostile and broken input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from relecture.errors import InputError
from relecture.exporters import export_document
from relecture.importers import import_document

PO = r'''# SOME DESCRIPTIVE TITLE.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: fr\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

# Keep it short
#. Menu entry
#: src/menu.c:12 src/menu.c:40
#, fuzzy
msgctxt "menu"
msgid "Open file"
msgstr "Ouvrir le fichier"

msgid "Save <b>now</b> & quit"
msgstr "Enregistrer <b>maintenant</b> et quitter"

msgid "One file"
msgid_plural "%d files"
msgstr[0] "Un fichier"
msgstr[1] "%d fichiers"

msgid "Untranslated"
msgstr ""

#~ msgid "Old"
#~ msgstr "Vieux"
'''


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


def test_bad_po_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.po"
    path.write_text('msgid "a"\nmsgstr "b\nnot po at all\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_document(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}:line 2:")


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en"
          srclang="en" datatype="plaintext"/>
  <body>
    <tu tuid="t1">
      <note>client glossary</note>
      <prop type="x-domain">legal</prop>
      <tuv xml:lang="en"><seg>The contract &amp; the annex.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Le contrat et l'annexe.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="fr-FR"><seg>Bonjour</seg></tuv>
      <tuv xml:lang="en"><seg>Hello</seg></tuv>
    </tu>
    <tu tuid="t3">
      <tuv xml:lang="en"><seg>Goodbye</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Au revoir</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_tmx_import_languages_ids_notes(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    path.write_text(TMX, encoding="utf-8")
    doc = import_document(path)
    assert (doc.source_lang, doc.target_lang) == ("en", "fr-FR")
    assert [(s.id, s.source, s.target) for s in doc.segments] == [
        ("t1", "The contract & the annex.", "Le contrat et l'annexe."),
        ("2", "Hello", "Bonjour"),
        ("t3", "Goodbye", "Au revoir"),
    ]
    assert doc.segments[0].note == "client glossary"
    assert doc.segments[0].meta["props"] == {"x-domain": "legal"}
    assert {s.status for s in doc.segments} == {"todo"}


def test_tmx_export_holds_approved_segments_with_post_edits_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    path.write_text(TMX, encoding="utf-8")
    doc = import_document(path)
    doc.segments[0].status = "approved"
    doc.segments[1].status = "approved"
    doc.segments[1].post_edit = "Salut <b> & co"
    doc.segments[2].status = "needs-work"
    out = tmp_path / "approved.tmx"
    export_document(doc, "tmx", out)
    again = import_document(out)
    assert (again.source_lang, again.target_lang) == ("en", "fr-FR")
    assert [(s.id, s.source, s.target, s.note) for s in again.segments] == [
        ("t1", "The contract & the annex.", "Le contrat et l'annexe.", "client glossary"),
        ("2", "Hello", "Salut <b> & co", ""),
    ]


def test_tmx_export_without_languages_fails_cleanly_and_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    path.write_text(TMX, encoding="utf-8")
    doc = import_document(path)
    doc.target_lang = None
    for seg in doc.segments:
        seg.status = "approved"
    out = tmp_path / "approved.tmx"
    out.write_text("previous export", encoding="utf-8")
    with pytest.raises(InputError, match="target language"):
        export_document(doc, "tmx", out)
    assert out.read_text(encoding="utf-8") == "previous export"
    assert sorted(os.listdir(tmp_path)) == ["approved.tmx", "memory.tmx"]


def test_tmx_xxe_and_bomb_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    evil = tmp_path / "evil.tmx"
    evil.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&xxe;</seg></tuv>'
        '<tuv xml:lang="fr"><seg>x</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        import_document(evil)
    assert "\n" not in str(info.value) and "entity" in str(info.value)
    assert "TOP-SECRET-CONTENT" not in str(info.value)
    bomb = tmp_path / "bomb.tmx"
    entities = "".join(
        f'<!ENTITY e{i} "{("&e" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    bomb.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY e0 "ha">{entities}]>\n'
        '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&e9;</seg></tuv>'
        "</tu></body></tmx>\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="entity"):
        import_document(bomb)


def test_broken_tmx_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.tmx"
    path.write_text('<?xml version="1.0"?>\n<tmx version="1.4">\n<body>\n</tmx>\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_document(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}:line 4:")


def test_po_in_a_legacy_encoding_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "latin1.po"
    path.write_bytes(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "cafe"\nmsgstr "caf\xe9"\n')
    with pytest.raises(InputError) as info:
        import_document(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path)) and "UTF-8" in message
