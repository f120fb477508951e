"""Software strings: accelerators, line breaks and format strings (from PO flags)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from tests.checks.helpers import side_flags, software_doc, write_po

from relecture.checks import run_checks
from relecture.cli import main
from relecture.config import Config
from relecture.importers import import_document

# --- accelerators ---------------------------------------------------------------------------------


def test_accelerators_lost_added_or_in_the_cjk_form() -> None:
    doc = software_doc([
        ("_Delete Selection", "Supprimer la sélection"),  # lost
        ("_Delete Selection", "_Supprimer la sélection"),
        ("&Open", "打开(&O)"),  # the CJK form keeps it
        ("Open", "&Ouvrir"),  # added
        ("Tom &amp; Jerry, R&D, field_name", "Tom &amp; Jerry, R&D, field_name"),  # entities, words, identifiers
    ])
    assert side_flags(doc, "software.accelerator") == [
        ("1", "software.accelerator", "source", "_D"), ("4", "software.accelerator", "target", "&O"),
    ]


def test_accelerators_follow_the_file_type_and_the_config() -> None:
    prose = software_doc([("_Delete Selection", "Supprimer la sélection")], fmt="text")
    assert side_flags(prose, "software.accelerator") == []  # prose has no mnemonics
    tilde = software_doc([("~Save", "Enregistrer")], fmt="text")
    assert side_flags(tilde, "software.accelerator", Config(data={"checks": {"accelerators": "~"}})) == [
        ("1", "software.accelerator", "source", "~S")
    ]


# --- line breaks and format strings ---------------------------------------------------------------


def test_line_breaks_and_tabs_added_or_dropped() -> None:
    doc = software_doc([
        ("Done.\n", "Terminé."),
        ("Name:\tvalue", "Nom : valeur"),
        ("First line\\nsecond line", "Première ligne\\nseconde ligne"),
        ("Installed!", "Installé !\nBravo !"),
    ])
    assert [(s, c) for s, c, _, _ in side_flags(doc, "software.line-break")] == [
        ("1", "software.line-break"), ("2", "software.line-break"), ("4", "software.line-break"),
    ]


def test_c_format_lone_percent_and_reordered_arguments() -> None:
    doc = software_doc(
        [
            ("%d%% of the files", "50 % des fichiers"),  # "% d" is a directive in C
            ("%s has %d files", "%d fichiers pour %s"),  # reordered without positions
            ("%s has %d files", "%2$d fichiers pour %1$s"),
            ("%d%% done", "%d %% terminés"),
        ],
        flags=["c-format"],
    )
    got = side_flags(doc, "software.format")
    assert [(s, t) for s, _, _, t in got] == [("1", "% d"), ("2", "%d")]
    # Without the flag the same text is not a format string.
    plain = software_doc([("%d%% of the files", "50 % des fichiers")])
    assert side_flags(plain, "software.format") == []


def test_python_brace_format_unbalanced_brace() -> None:
    doc = software_doc([("{count} files", "{count} fichiers }"), ("{count} files", "{count} fichiers")], flags=["python-brace-format"])
    assert side_flags(doc, "software.format") == [("1", "software.format", "target", "}")]


def test_po_flags_are_kept_in_meta_and_read_by_the_checks(tmp_path: Path) -> None:
    po = write_po(tmp_path / "a.po", '#, c-format\nmsgid "%d%% done"\nmsgstr "%d % terminé"\n\n#, fuzzy, python-format\nmsgid "%(n)s files"\nmsgstr "%(n)s fichiers"\n')
    doc = import_document(po)
    assert [s.meta.get("flags") for s in doc.segments] == [["c-format"], ["python-format"]]
    result = CliRunner().invoke(main, ["check", str(po), "--only", "software", "--format", "jsonl"])
    assert result.exit_code == 0
    assert '"check": "software.format"' in result.output and '"text": "% te"' in result.output


# --- real catalogues ------------------------------------------------------------------------------


def test_django_catalogues_raise_no_major_software_flag() -> None:
    from conftest import shared_data

    for lang in ("fr", "de", "ja", "zh_Hans", "es", "it"):
        doc = import_document(shared_data("real-catalogues", "django-5.2.19", lang, "django.po"))
        results = run_checks(doc, only="software,consistency.source,spelling")
        assert not [f for v in results.values() for f in v if f.severity != "minor"], lang
        assert sum(len(v) for v in results.values()) <= 4, lang
