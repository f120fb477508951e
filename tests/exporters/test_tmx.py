"""TMX written: approved segments with their post-edits, round trips, codes as TMX elements, languages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.exporters.samples import edit, imported
from tests.importers.samples import TMX

from conftest import run
from relecture.errors import InputError
from relecture.exporters import export_document
from relecture.importers import import_document


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
