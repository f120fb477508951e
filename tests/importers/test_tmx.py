"""TMX read: languages, ids, notes; hostile (XXE, entity bombs) and broken files refused by line."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.importers.samples import TMX, shown

from relecture.errors import InputError
from relecture.importers import import_document


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
