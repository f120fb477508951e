"""Flags a reviewer can trust on professional files: each cause of false alarms found on real
catalogues, with the true problem of the same kind that must still be flagged beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import shared_data
from relecture.checks import Checker, run_checks
from relecture.checks.code import code_spans, masked
from relecture.cli import main
from relecture.importers import import_document
from relecture.model import ReviewDocument, Segment
from relecture.numbers import NumberReader, ascii_digits, han_numbers, unmatched


def pairs(*items: tuple[str, str], target: str = "fr", source: str = "en") -> ReviewDocument:
    segments = [Segment(id=str(i + 1), source=s, target=t, paragraph=i) for i, (s, t) in enumerate(items)]
    return ReviewDocument(id="t", title="t", segments=segments, source_lang=source, target_lang=target)


def flags(doc: ReviewDocument, only: str) -> list[tuple[str, str, str, str]]:
    """(segment, check, severity, flagged text), in document order."""
    return [(k, f.check, f.severity, f.text) for k, fl in run_checks(doc, only=only).items() for f in fl]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout


PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: {lang}\\n"\n\n'


def write_po(path: Path, lang: str, body: str) -> Path:
    path.write_text(PO_HEADER.format(lang=lang) + body, encoding="utf-8")
    return path


# --- code is masked ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Relation %(from)s-%(to)s", ["%(from)s", "%(to)s"]),
        ("Use {name}, {{ user }}, ${x}, %{count} and %1$s", ["{name}", "{{ user }}", "${x}", "%{count}", "%1$s"]),
        ('See <a href="https://docs.example.com/en/" target="_blank">docs</a>', ['<a href="https://docs.example.com/en/" target="_blank">', "</a>"]),
        ("Format: [[HH:]MM:]ss or YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]", ["[[HH:]MM:]ss", "YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]"]),
        ("formato JJJJ-MM-TT HH:MM[:ss[.µµµµµµ]]", ["JJJJ-MM-TT HH:MM[:ss[.µµµµµµ]]"]),
        ("the “Referrer-Policy: no-referrer” header", ["Referrer-Policy: no-referrer"]),
        ("for example “oui,non,peut-être”", ["oui,non,peut-être"]),
    ],
)
def test_code_spans(text: str, code: list[str]) -> None:
    assert [text[s:e] for s, e in code_spans(text)] == code
    assert len(masked(text)) == len(text)


@pytest.mark.parametrize("text", ["Le marché a progressé, mais lentement.", "a, b, c", "We’ll see them all tomorrow."])
def test_prose_is_not_code(text: str) -> None:
    assert code_spans(text) == ()


def test_placeholder_names_are_not_words() -> None:
    doc = pairs(
        ("Relation %(from)s-%(to)s", "Relation %(from)s-%(to)s"),
        ("%(num)d minute", "%(num)d Minute"),
        ("The update will be available to all customers next week.", "The update will be available to all customers next week."),
    )
    assert flags(doc, "language.wrong") == [("3", "language.wrong", "major", doc.segments[2].target)]
    assert [f[0] for f in flags(doc, "mismatch.identical")] == ["3"]


def test_copied_tags_and_attributes_are_not_copied_prose() -> None:
    tag = '<a href="https://docs.djangoproject.com/en/%(version)s/releases/" target="_blank" rel="noopener">'
    doc = pairs(
        (f"View {tag}release notes</a> for Django %(version)s", f"Voir les {tag}notes de version</a> de Django %(version)s"),
        ("If you are using the <meta name=\"referrer\" content=\"no-referrer\"> tag, remove it.",
         "Si vous utilisez la balise <meta name=\"referrer\" content=\"no-referrer\">, retirez-la."),
        ("The company said the model was trained on a large collection of public documents.",
         "L'entreprise a indiqué que the model was trained on a large collection of public documents."),
    )
    assert [f[0] for f in flags(doc, "mismatch.copied-source")] == ["3"]


def test_localised_documentation_paths_are_the_same_link() -> None:
    doc = pairs(
        ("See https://docs.djangoproject.com/en/5.2/ref/settings/#debug.", "Voir https://docs.djangoproject.com/fr/5.2/ref/settings/#debug."),
        ("See https://docs.djangoproject.com/en/5.2/releases/.", "Voir https://docs.djangoproject.com/en/5.2/releases/\\."),
        ("See https://example.com/en/page.", "Voir https://example.org/fr/page."),
    )
    assert [(k, t) for k, _, _, t in flags(doc, "mismatch.url") if k] == [
        ("2", "https://docs.djangoproject.com/en/5.2/releases/\\"),
        ("2", "https://docs.djangoproject.com/en/5.2/releases/"),
        ("3", "https://example.org/fr/page"),
        ("3", "https://example.com/en/page"),
    ]


def test_glosses_and_placeholder_parentheses_are_not_asides() -> None:
    doc = pairs(
        ("Brazilian Portuguese", "Portugais (Brésil)"),
        ("(Hidden field %(name)s) %(error)s", "(champ masqué %(name)s) %(error)s"),
        ("A file path (URL)", "مسیر فایل (URL) (نشانی)"),
        ("The Senate (upper house) voted.", "Le Sénat a voté."),
        ("The Senate voted.", "Le Sénat (chambre haute) a voté."),
    )
    assert [(k, t) for k, _, _, t in flags(doc, "mismatch.brackets")] == [("4", "(upper house)"), ("5", "(chambre haute)")]


def test_typography_inside_code_is_not_judged() -> None:
    doc = pairs(
        ("Format: [[HH:]MM:]ss", "Format\u00a0: [[HH:]MM:]ss"),
        ("the “Referrer-Policy: no-referrer” header", "l’en-tête « Referrer-Policy: no-referrer »"),
        ("for example “yes,no,maybe”", "par exemple « oui,non,peut-être »"),
        ("%(count)s items", "%(count)s s s éléments"),
        ("It is done: good.", "C'est fait: bien,mais lent."),
    )
    got = flags(doc, "typography.fr-nbsp,typography.whitespace,typography.repeated-word,typography.unbalanced")
    assert [(k, c) for k, c, _, _ in got] == [
        ("4", "typography.repeated-word"),
        ("5", "typography.fr-nbsp"),
        ("5", "typography.whitespace"),
    ]


def test_indic_vowel_signs_do_not_split_words() -> None:
    doc = pairs(("Do it.", "ठीक कर दो।"), ("Very very good.", "बहुत बहुत अच्छा।"), target="hi")
    assert [(k, t) for k, _, _, t in flags(doc, "typography.repeated-word")] == [("2", "बहुत बहुत")]


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "lang"),
    [
        ("July", "7月", "ja"),
        ("jan.", "1月", "ja"),
        ("midnight", "0時", "ja"),
        ("noon", "12:00", "nb"),
        ("More than 10 million views", "超过1000万次观看", "zh"),
        ("Released on July 13", "7月13日发布", "zh"),
        ("3 files", "３个文件", "zh"),
        ("3 files", "三个文件", "zh"),
        ("IPv4 address", "आइ.पी.भी४ ठेगाना", "ne"),
        ("Decimal number", "10 進数", "ja"),
        ("Null characters are not allowed.", "0-байт белгілерге рұқсат жоқ.", "kk"),
        ("It sold 10,000 units.", "Il a vendu 10 000 unités.", "fr"),
    ],
)
def test_numbers_as_each_script_writes_them(source: str, target: str, lang: str) -> None:
    assert flags(pairs((source, target), target=lang), "mismatch.number,mismatch.number-added") == []


@pytest.mark.parametrize(
    ("source", "target", "lang", "expected"),
    [
        ("Released on July 13", "7月14日发布", "zh", [("target", "14"), ("source", "13")]),
        ("More than 1 million views", "超过1000万次观看", "zh", [("target", "1000"), ("source", "1")]),
        ("The outage lasted 12 hours.", "La panne a duré des heures.", "fr", [("source", "12")]),
    ],
)
def test_changed_numbers_in_any_script_are_still_major(
    source: str, target: str, lang: str, expected: list[tuple[str, str]]
) -> None:
    results = run_checks(pairs((source, target), target=lang), only="mismatch.number")
    assert [(f.side, f.text) for f in results["1"]] == expected
    assert {f.severity for f in results["1"]} == {"major"}


def test_an_added_year_or_a_repeated_number_is_major() -> None:
    doc = pairs(
        ("The model was trained on public documents.", "Le modèle a été entraîné sur des documents publics en 2019."),
        ("The market grew by 9.5 percent in 2019.", "Le marché a progressé de 9,5 % en 2019 en 2019."),
    )
    assert flags(doc, "mismatch.number,mismatch.number-added") == [
        ("1", "mismatch.number", "major", "2019"), ("2", "mismatch.number", "major", "2019"),
    ]


def test_a_number_only_added_is_minor() -> None:
    doc = pairs(("Small integer", "2 байта цяло число"), ("Monday", "Thứ 2"), target="bg")
    got = flags(doc, "mismatch.number,mismatch.number-added")
    assert got == [("1", "mismatch.number-added", "minor", "2"), ("2", "mismatch.number-added", "minor", "2")]


def test_number_module() -> None:
    assert ascii_digits("１２ ٣٤ ४") == "12 34 4"
    assert han_numbers("一千二百三十四 和 十二 个") == {"1234", "12"}
    zh = NumberReader({"magnitudes": {"万": 10000, "亿": 100000000}})
    en = NumberReader({"magnitudes": {"million": 1000000}, "months": ["january", "february"]})
    assert [n.keys for n in zh.find("3.5亿人")] == [("35", "350000000")]
    assert unmatched(en.find("350 million people"), zh.find("3.5亿人")) == ([], [])
    assert en.says("due in Feb.", "2") and not en.says("due in Feb.", "3")
    assert [n.keys for n in en.find("a millionaire of 3 millionaires")] == [("3",)]


# --- scripts and languages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ky", "Бул талаа бош болбошу керек, сураныч толтуруңуз."),
        ("mn", "Энэ талбарыг хоосон орхиж болохгүй, бөглөнө үү."),
        ("tg", "Ин майдон набояд холӣ бошад, лутфан пур кунед."),
        ("kk", "Бұл өріс бос болмауы керек, толтырыңыз."),
        ("tt", "Бу кыр буш булырга тиеш түгел, тутырыгыз."),
        ("os", "Ацы быдыр афтид ма уӕд, дӕ хорзӕхӕй."),
        ("udm", "Та интыез буш луыны уг быгатэ, тырмытэ."),
        ("ckb", "ئەم خانەیە نابێت بەتاڵ بێت، تکایە پڕی بکەرەوە."),
        ("ug", "بۇ بۆلەك بوش قالسا بولمايدۇ، تولدۇرۇڭ."),
        ("bn", "এই ক্ষেত্রটি ফাঁকা রাখা যাবে না।"),
        ("pa", "ਇਹ ਖੇਤਰ ਖਾਲੀ ਨਹੀਂ ਹੋ ਸਕਦਾ।"),
        ("sr_Latn", "Ovo polje ne može biti prazno."),
    ],
)
def test_every_language_script_is_known(lang: str, text: str) -> None:
    doc = pairs(("This field cannot be blank.", text), target=lang)
    assert flags(doc, "language") == []


def test_foreign_scripts_are_still_found() -> None:
    doc = pairs(
        ("This field cannot be blank.", "Бул талаа 这个字段不能为空 керек."),
        ("This field cannot be blank.", "Ce champ ne peut pas être vide।"),
        ("This field cannot be blank.", "Этот поле не может быть пустым."),
        target="ky",
    )
    assert flags(doc, "language.mixed-script") == [
        ("1", "language.mixed-script", "minor", "这个字段不能为空"),
        ("2", "language.mixed-script", "minor", "।"),  # the danda is no Cyrillic mark
    ]
    doc = pairs(("This field cannot be blank.", "Ce champ ne peut pas être vide।"), target="fr")
    assert flags(doc, "language.mixed-script") == [("1", "language.mixed-script", "minor", "।")]
    doc = pairs(("This field cannot be blank.", "Это поле не может быть пустым, заполните его."), target="fr")
    assert [c for _, c, _, _ in flags(doc, "language")] == ["language.wrong"]


def test_a_name_in_its_own_script_is_not_a_wrong_language() -> None:
    doc = pairs(("Russian", "Русский"), ("Japanese", "日本語"), ("Greek", "Ελληνικά"), target="io")
    assert [c for _, c, _, _ in flags(doc, "language")] == ["language.mixed-script"] * 3


def test_short_strings_get_no_langdetect_verdict() -> None:
    doc = pairs(
        ("Boolean (Either True or False)", "Booleano (Verdadero o Falso)"),
        ("No %(verbose_name_plural)s available", "Keine %(verbose_name_plural)s verfügbar"),
        target="es",
    )
    assert flags(doc, "language.wrong") == []
    checker = Checker(pairs(("x", "y"), target="ky"))
    assert checker.target_lang == "ky"  # no langdetect profile: no statistical verdict either
    long_cyrillic = "Бул талаа бош болбошу керек, сураныч туура маанини киргизиңиз жана кайра аракет кылыңыз."
    assert flags(pairs(("This field cannot be blank, enter a valid value and try again.", long_cyrillic), target="ky"), "language") == []


# --- truncation ----------------------------------------------------------------------------------


def test_cjk_and_indic_endings_are_finished_sentences() -> None:
    doc = pairs(
        ("Enter a valid value for this field, then save it.", "请为此字段输入一个有效的值然后保存这个表单的内容"),
        ("Enter a valid value for this field, then save it.", "请为此字段输入一个有效的值然后保存这个表单的内容，"),
        target="zh",
    )
    assert [(k, s) for k, _, s, _ in flags(doc, "llm.truncated")] == [("2", "minor")]
    doc = pairs(("This field cannot be blank.", "यह फ़ील्ड खाली नहीं हो सकता।"), target="hi")
    assert flags(doc, "llm.truncated") == []
    doc = pairs(
        ("This field cannot be blank at all.", "Ce champ ne peut pas être vide et"),
        ("This field cannot be blank at all.", "Ce champ ne peut pas être vide"),
        ("The engineers fixed the problem and published a detailed explanation.",
         "Les ingénieurs ont corrigé le problème et publié une explication"),
    )
    assert [(k, s) for k, _, s, _ in flags(doc, "llm.truncated")] == [("1", "minor"), ("3", "minor")]


# --- placeholders, tags, repeats -----------------------------------------------------------------


def test_a_repeated_named_placeholder_is_minor_a_missing_one_critical() -> None:
    doc = pairs(
        ("Ensure this value is %(limit_value)s (it is %(show_value)s).", "یہ قیمت %(limit_value)s ھے۔ (یہ %(show_value)s ھے)%(show_value)s"),
        ("Hello {name}!", "Bonjour !"),
        ("%s of %s", "%s de %s %s"),
        target="ur",
    )
    got = flags(doc, "mismatch.placeholder,mismatch.placeholder-count")
    assert got == [
        ("1", "mismatch.placeholder-count", "minor", "%(show_value)s"),
        ("2", "mismatch.placeholder", "critical", "{name}"),
        ("3", "mismatch.placeholder", "critical", "%s"),
    ]


def test_a_plural_form_may_drop_the_count(tmp_path: Path) -> None:
    po = write_po(
        tmp_path / "he.po", "he",
        '#, python-format\nmsgid "%(num)d minute"\nmsgid_plural "%(num)d minutes"\n'
        'msgstr[0] "דקה"\nmsgstr[1] "%(num)d דקות"\n\n'
        '#, python-format\nmsgid "%(num)d file"\nmsgstr "קובץ"\n\n'
        '#, python-format\nmsgid "%(num)d year"\nmsgid_plural "%(num)d years"\n'
        'msgstr[0] "%(count)d שנה"\nmsgstr[1] "%(num)d שנים"\n',
    )
    results = run_checks(import_document(po), only="mismatch.placeholder")
    assert {k: [f.text for f in fl] for k, fl in results.items()} == {"2": ["%(num)d"], "3[0]": ["%(count)d"]}


def test_added_formatting_is_minor_a_leaked_tag_major() -> None:
    doc = pairs(
        ("because DEBUG=True is set", "parce que DEBUG vaut <i>True</i>"),
        ("Ensure this value is a multiple.", "<text_to_translate>Assurez-vous que la valeur est un multiple.</text_to_translate>"),
        ("Click <a href=\"/help\">here</a>.", "Cliquez ici."),
    )
    got = [(k, c, s) for k, c, s, _ in flags(doc, "mismatch.tag,mismatch.tag-added")]
    assert got == [
        ("1", "mismatch.tag-added", "minor"), ("1", "mismatch.tag-added", "minor"),
        ("2", "mismatch.tag", "major"), ("2", "mismatch.tag", "major"),
        ("3", "mismatch.tag", "major"), ("3", "mismatch.tag", "major"),
    ]


def test_neighbouring_strings_with_similar_sources_may_share_a_translation() -> None:
    doc = pairs(
        ("This field cannot be blank.", "Ce champ ne peut pas être vide."),
        ("This field cannot be null.", "Ce champ ne peut pas être vide."),
        ("The model was released last week.", "Le modèle a été publié la semaine dernière."),
        ("Critics say the price is too high.", "Le modèle a été publié la semaine dernière."),
    )
    assert [k for k, _, _, _ in flags(doc, "repetition.sentence")] == ["4"]


def test_same_language_variants_are_not_untranslated() -> None:
    doc = pairs(("Please submit at least %d form.", "Please submit at least %d form."), target="en", source="en")
    assert flags(doc, "mismatch.identical,mismatch.copied-source,language") == []


# --- untranslated entries are progress -----------------------------------------------------------


def test_untranslated_entries_are_status_not_flags(tmp_path: Path) -> None:
    po = write_po(
        tmp_path / "fr.po", "fr",
        'msgid "Arabic"\nmsgstr "Arabe"\n\nmsgid "Asturian"\nmsgstr ""\n\nmsgid "Welsh"\nmsgstr ""\n',
    )
    code, out = run("check", str(po), "--fail-on", "major", "--no-color")
    assert code == 0
    assert "2 of 3 segments untranslated (status, not flags)." in out
    code, out = run("check", str(po), "--format", "json")
    report = json.loads(out)
    assert report["summary"]["untranslated"] == 2 and report["files"][0]["untranslated"] == 2
    assert report["summary"]["flags"] == 0
    code, out = run("check", str(po), "--only", "mismatch.empty", "--fail-on", "major", "--format", "jsonl")
    assert code == 1 and [json.loads(line)["segment"] for line in out.splitlines()] == ["2", "3"]
    code, out = run("import", str(po))
    code, out = run("info", str(po) + ".review.json")
    assert code == 0 and any(line.split() == ["untranslated", "2"] for line in out.splitlines())
    code, out = run("checks", "mismatch.empty")
    assert "disabled" in out


# --- the real catalogues -------------------------------------------------------------------------


def test_django_catalogues_raise_almost_no_serious_flag() -> None:
    folder = shared_data("real-catalogues", "django-5.2.19")
    serious = 0
    found: dict[str, set[tuple[str, str]]] = {}
    untranslated = 0
    for lang in ("fr", "de", "ja", "zh_Hans", "ur"):
        doc = import_document(folder / lang / "django.po")
        untranslated += sum(1 for seg in doc.segments if seg.untranslated)
        results = run_checks(doc)
        for fl in results.values():
            for f in fl:
                found.setdefault(lang, set()).add((f.check, f.text))
                if lang != "ur" and f.severity in ("major", "critical"):
                    serious += 1
    assert serious <= 6
    # The real problems of these files stay found.
    assert ("mismatch.placeholder-count", "%(show_value)s") in found["ur"]
    assert any(check == "typography.unbalanced" for check, _ in found["zh_Hans"])
    assert untranslated > 0
