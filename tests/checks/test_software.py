"""Software strings (accelerators, line breaks, format strings from PO flags), paired
source->target rules, one translation for two sources, and spelling."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from relecture.checks import run_checks
from relecture.cli import main
from relecture.config import Config
from relecture.errors import InputError
from relecture.importers import import_document
from relecture.model import ReviewDocument, Segment


def doc_of(
    pairs: list[tuple[str, str]], source_lang: str = "en", target_lang: str = "fr", fmt: str = "po",
    flags: list[str] | None = None,
) -> ReviewDocument:
    segments = [
        Segment(id=str(i + 1), source=s, target=t, paragraph=i, meta={"flags": flags} if flags else {})
        for i, (s, t) in enumerate(pairs)
    ]
    return ReviewDocument(
        id="t", title="t", segments=segments, source_lang=source_lang, target_lang=target_lang,
        imported_from={"path": "x", "format": fmt, "sha256": ""},
    )


def found(doc: ReviewDocument, only: str, config: Config | None = None) -> list[tuple[str, str, str, str]]:
    return [(sid, f.check, f.side, f.text) for sid, fl in run_checks(doc, config, only=only).items() for f in fl]


def write_po(path: Path, entries: str) -> Path:
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n\n' + entries, encoding="utf-8")
    return path


# --- accelerators ---------------------------------------------------------------------------------


def test_accelerators_lost_added_or_in_the_cjk_form() -> None:
    doc = doc_of([
        ("_Delete Selection", "Supprimer la sélection"),  # lost
        ("_Delete Selection", "_Supprimer la sélection"),
        ("&Open", "打开(&O)"),  # the CJK form keeps it
        ("Open", "&Ouvrir"),  # added
        ("Tom &amp; Jerry, R&D, field_name", "Tom &amp; Jerry, R&D, field_name"),  # entities, words, identifiers
    ])
    assert found(doc, "software.accelerator") == [
        ("1", "software.accelerator", "source", "_D"), ("4", "software.accelerator", "target", "&O"),
    ]


def test_accelerators_follow_the_file_type_and_the_config() -> None:
    prose = doc_of([("_Delete Selection", "Supprimer la sélection")], fmt="text")
    assert found(prose, "software.accelerator") == []  # prose has no mnemonics
    tilde = doc_of([("~Save", "Enregistrer")], fmt="text")
    assert found(tilde, "software.accelerator", Config(data={"checks": {"accelerators": "~"}})) == [
        ("1", "software.accelerator", "source", "~S")
    ]


# --- line breaks and format strings ---------------------------------------------------------------


def test_line_breaks_and_tabs_added_or_dropped() -> None:
    doc = doc_of([
        ("Done.\n", "Terminé."),
        ("Name:\tvalue", "Nom : valeur"),
        ("First line\\nsecond line", "Première ligne\\nseconde ligne"),
        ("Installed!", "Installé !\nBravo !"),
    ])
    assert [(s, c) for s, c, _, _ in found(doc, "software.line-break")] == [
        ("1", "software.line-break"), ("2", "software.line-break"), ("4", "software.line-break"),
    ]


def test_c_format_lone_percent_and_reordered_arguments() -> None:
    doc = doc_of(
        [
            ("%d%% of the files", "50 % des fichiers"),  # "% d" is a directive in C
            ("%s has %d files", "%d fichiers pour %s"),  # reordered without positions
            ("%s has %d files", "%2$d fichiers pour %1$s"),
            ("%d%% done", "%d %% terminés"),
        ],
        flags=["c-format"],
    )
    got = found(doc, "software.format")
    assert [(s, t) for s, _, _, t in got] == [("1", "% d"), ("2", "%d")]
    # Without the flag the same text is not a format string.
    plain = doc_of([("%d%% of the files", "50 % des fichiers")])
    assert found(plain, "software.format") == []


def test_python_brace_format_unbalanced_brace() -> None:
    doc = doc_of([("{count} files", "{count} fichiers }"), ("{count} files", "{count} fichiers")], flags=["python-brace-format"])
    assert found(doc, "software.format") == [("1", "software.format", "target", "}")]


def test_po_flags_are_kept_in_meta_and_read_by_the_checks(tmp_path: Path) -> None:
    po = write_po(tmp_path / "a.po", '#, c-format\nmsgid "%d%% done"\nmsgstr "%d % terminé"\n\n#, fuzzy, python-format\nmsgid "%(n)s files"\nmsgstr "%(n)s fichiers"\n')
    doc = import_document(po)
    assert [s.meta.get("flags") for s in doc.segments] == [["c-format"], ["python-format"]]
    result = CliRunner().invoke(main, ["check", str(po), "--only", "software", "--format", "jsonl"])
    assert result.exit_code == 0
    assert '"check": "software.format"' in result.output and '"text": "% te"' in result.output


# --- paired rules and reverse consistency ----------------------------------------------------------


PAIRS = {
    "checks": {
        "pairs": [
            {"id": "gigabytes", "source": r"(\d+) ?GB\b", "target": r"\1\s?Go\b", "message": "GB is Go in French"},
        ]
    }
}


def test_paired_rules_require_the_target_with_back_references() -> None:
    doc = doc_of([("A 16 GB disk", "Un disque de 16 Go"), ("A 16 GB disk", "Un disque de 32 Go"), ("A disk", "Un disque")])
    assert found(doc, "custom", Config(data=PAIRS)) == [("2", "custom.gigabytes", "source", "16 GB")]


@pytest.mark.parametrize(
    ("rule", "where"),
    [
        ({"id": "x", "source": "(a)", "target": r"\2"}, "checks.pairs[0].target"),
        ({"id": "x", "source": "(", "target": "a"}, "checks.pairs[0].source"),
        ({"id": "x", "source": "a" * 600, "target": "a"}, "checks.pairs[0].source"),
        ({"id": "x", "target": "a"}, "checks.pairs[0].source"),
    ],
)
def test_bad_paired_rules_name_the_place(rule: dict[str, str], where: str) -> None:
    with pytest.raises(InputError) as info:
        run_checks(doc_of([("a", "a")]), Config(data={"checks": {"pairs": [rule]}}))
    assert where in str(info.value)


def test_one_translation_for_two_different_sources() -> None:
    doc = doc_of([
        ("This field cannot be null.", "Ce champ ne peut pas être vide."),
        ("This field cannot be blank.", "Ce champ ne peut pas être vide."),
        ("This field cannot be blank!", "Ce champ ne peut pas être vide."),  # same source, punctuation aside
        ("Save the file now.", "Enregistrez le fichier."),
    ])
    assert found(doc, "consistency.source") == [("2", "consistency.source", "target", "Ce champ ne peut pas être vide."), ("3", "consistency.source", "target", "Ce champ ne peut pas être vide.")]


def test_django_catalogues_raise_no_major_software_flag() -> None:
    from conftest import shared_data

    for lang in ("fr", "de", "ja", "zh_Hans", "es", "it"):
        doc = import_document(shared_data("real-catalogues", "django-5.2.19", lang, "django.po"))
        results = run_checks(doc, only="software,consistency.source,spelling")
        assert not [f for v in results.values() for f in v if f.severity != "minor"], lang
        assert sum(len(v) for v in results.values()) <= 4, lang


# --- spelling -------------------------------------------------------------------------------------


def test_post_edits_are_spelt_apart_with_offsets_into_the_post_edit() -> None:
    from relecture.checks.spelling import post_edit_errors

    doc = doc_of([("The source.", "La traduction."), ("The source.", "La traduction.")], "en", "fr", fmt="text")
    doc.segments[0].post_edit = "La tradcution est finie."
    doc.segments[1].post_edit = "La traduction est finie."
    assert post_edit_errors(doc) == {"1": [(3, 13, "tradcution", "traduction")]}


@pytest.mark.parametrize(
    ("lang", "wrong", "right", "suggestion"),
    [
        ("fr", "La tradcution est bonne.", "La traduction est bonne, qu'il dit aujourd'hui.", "traduction"),
        ("en", "The translaton is good.", "The translation isn't bad.", "translation"),
        ("de", "Die Übersetzung ist mindestends gut.", "Die Übersetzung ist mindestens gut.", "mindestens"),
        ("it", "La traduzone è buona.", "La traduzione è buona.", "traduzione"),
        ("pt", "A traduçao é boa.", "A tradução é boa.", "tradução"),
        ("nl", "De vertalnig is goed.", "De vertaling is goed.", "vertaling"),
    ],
)
def test_misspelt_words_are_flagged_with_a_suggestion(lang: str, wrong: str, right: str, suggestion: str) -> None:
    doc = doc_of([("The source.", wrong), ("The source.", right)], "en", lang, fmt="text")
    results = run_checks(doc, only="spelling")
    assert list(results) == ["1"]
    (flag,) = results["1"]
    assert (flag.severity, flag.category, flag.suggestion) == ("minor", "Fluency/Spelling", suggestion)


def test_names_code_source_words_and_personal_words_are_never_flagged(tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# project words\nkubectlage\n", encoding="utf-8")
    config = tmp_path / "relecture.toml"
    config.write_text('[checks]\nwords = ["traducteurz"]\nwords_file = "words.txt"\n', encoding="utf-8")
    from relecture.config import load_config

    doc = doc_of(
        [
            ("Run it.", "Lancez Kubernetz avec NASAX et https://exemple.fr/tradcution ou `tradcution` ou foo_tradcution."),
            ("The zorblax module.", "Le module zorblax."),  # a word of the source
            ("Ask the translator.", "Demandez au traducteurz, puis kubectlage."),
        ],
        "en", "fr", fmt="text",
    )
    assert run_checks(doc, load_config(explicit=config), only="spelling") == {}


def test_spanish_needs_hunspell_because_its_shipped_list_lacks_common_words() -> None:
    doc = doc_of([("It is here.", "Está aquí y hay más."), ("It is here.", "La tradcción está aquí.")], "en", "es", fmt="text")
    assert run_checks(doc, only="spelling") == {}  # no system dictionary here: no judgement rather than noise


def test_hunspell_dictionary_confirms_words_the_list_lacks(tmp_path: Path) -> None:
    # spylls is optional (it installs a top-level "tests" package that would shadow this one).
    pytest.importorskip("spylls.hunspell", reason="spylls is not installed: Hunspell confirmation is optional")
    (tmp_path / "fr_TEST.aff").write_text("SET UTF-8\n", encoding="utf-8")
    (tmp_path / "fr_TEST.dic").write_text("1\ntradcution\n", encoding="utf-8")
    config = Config(data={"checks": {"hunspell": str(tmp_path / "fr_TEST")}})
    doc = doc_of([("The source.", "La tradcution est bonne.")], "en", "fr", fmt="text")
    assert run_checks(doc, config, only="spelling") == {}
    assert list(run_checks(doc, only="spelling")) == ["1"]


def test_a_bad_word_list_is_one_line_naming_the_place(tmp_path: Path) -> None:
    po = write_po(tmp_path / "a.po", 'msgid "Open"\nmsgstr "Ouvrir"\n')
    config = tmp_path / "relecture.toml"
    config.write_text('[checks]\nwords = "tokeniseur"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(po), "--config", str(config)])
    assert result.exit_code == 2
    assert "checks.words" in result.output and "Traceback" not in result.output
    config.write_text('[checks]\nwords_file = "missing.txt"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(po), "--config", str(config)])
    assert result.exit_code == 2
    assert "missing.txt" in result.output and "Traceback" not in result.output


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
