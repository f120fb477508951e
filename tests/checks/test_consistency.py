"""Consistency: one source translated two ways, one translation for two sources."""

from __future__ import annotations

from pathlib import Path

from tests.checks.helpers import bilingual, side_flags, software_doc

from relecture.checks import run_checks
from relecture.importers import import_document


def test_same_source_translated_differently() -> None:
    doc = bilingual(
        ("The update will be available next week.", "La mise à jour sera disponible la semaine prochaine."),
        ("The outage affected customers.", "La panne a touché des clients."),
        ("The update will be available next week.", "La mise à jour sera disponible la semaine prochaine."),
        ("The update will be available next week.", "Le correctif arrivera dans sept jours."),
        ("Yes.", "Oui."),
        ("Yes.", "Si."),
    )
    results = run_checks(doc, only="consistency")
    assert list(results) == ["4"]
    assert "segment 1" in results["4"][0].message
    assert results["4"][0].suggestion == "La mise à jour sera disponible la semaine prochaine."


def test_one_translation_for_two_different_sources() -> None:
    doc = software_doc([
        ("This field cannot be null.", "Ce champ ne peut pas être vide."),
        ("This field cannot be blank.", "Ce champ ne peut pas être vide."),
        ("This field cannot be blank!", "Ce champ ne peut pas être vide."),  # same source, punctuation aside
        ("Save the file now.", "Enregistrez le fichier."),
    ])
    assert side_flags(doc, "consistency.source") == [("2", "consistency.source", "target", "Ce champ ne peut pas être vide."), ("3", "consistency.source", "target", "Ce champ ne peut pas être vide.")]


def test_the_forms_of_one_plural_entry_may_share_a_translation(tmp_path: Path) -> None:
    """Italian "form" is invariable: msgstr[1] and msgstr[2] equal msgstr[0] while msgid and
    msgid_plural differ. Only another entry with the same translation is a reverse inconsistency."""
    po = tmp_path / "it.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: it\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Please submit at most %(num)d form."\nmsgid_plural "Please submit at most %(num)d forms."\n'
        'msgstr[0] "Si prega di inviare al massimo %(num)d form."\n'
        'msgstr[1] "Si prega di inviare al massimo %(num)d form."\n\n'
        'msgid "Send no more than %(num)d forms."\nmsgstr "Si prega di inviare al massimo %(num)d form."\n',
        encoding="utf-8",
    )
    results = run_checks(import_document(po), only="consistency.source")
    assert {seg_id: [f.check for f in fl] for seg_id, fl in results.items()} == {"2": ["consistency.source"]}
