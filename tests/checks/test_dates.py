"""Dates compared as dates: a numeric date and its written form in the other language are one
date, not three numbers; a changed date is one flag; an ambiguous day/month order is a cue."""

from __future__ import annotations

import pytest

from relecture.checks import run_checks
from relecture.model import ReviewDocument, Segment


def flags(source: str, target: str, source_lang: str, target_lang: str) -> list[tuple[str, str, str]]:
    doc = ReviewDocument(
        id="t", title="t", segments=[Segment(id="1", target=target, source=source, paragraph=0)],
        target_lang=target_lang, source_lang=source_lang,
    )
    found = run_checks(doc, only="mismatch.number,mismatch.date,mismatch.date-order")
    return [(f.check, f.side, f.text) for fl in found.values() for f in fl]


@pytest.mark.parametrize(
    ("source", "source_lang", "target", "target_lang"),
    [
        ("Erschienen am 03.04.2025.", "de", "Released on 3 April 2025.", "en"),
        ("Erschienen am 3. April 2025.", "de", "Publié le 03/04/2025.", "fr"),
        ("Le 3 avril 2025, la version sort.", "fr", "2025年4月3日，新版本发布。", "zh"),
        ("2025年4月3日，新版本发布。", "zh", "Am 3. April 2025 erscheint die neue Version.", "de"),
        ("Released on 2025-04-03.", "en", "Publicado el 3 de abril de 2025.", "es"),
        ("Released on April 3, 2025.", "en", "Вышло 3 апреля 2025 г.", "ru"),
        ("Released on April 3, 2025.", "en", "Wydano 3 kwietnia 2025 r.", "pl"),
        ("Released on April 3, 2025.", "en", "Uscito il 3 aprile 2025.", "it"),
        ("Released on April 3, 2025.", "en", "Lançado em 3 de abril de 2025.", "pt"),
        ("Released on April 3, 2025.", "en", "Uitgebracht op 3 april 2025.", "nl"),
        ("Released on April 3, 2025.", "en", "2025年4月3日に公開された。", "ja"),
        ("Released on 13/04/2025.", "en", "Erschienen am 13. April 2025.", "de"),  # 13 is no month
    ],
)
def test_one_date_in_two_forms_is_no_mismatch(source: str, source_lang: str, target: str, target_lang: str) -> None:
    assert flags(source, target, source_lang, target_lang) == []


def test_the_issues_date_is_not_a_wrong_number_but_its_order_is_a_cue() -> None:
    # English writes 03/04/2025 for 4 March (US) and for 3 April (UK): the reviewer must know.
    got = flags("Released on 03/04/2025.", "Erschienen am 3. April 2025.", "en", "de")
    assert got == [("mismatch.date-order", "source", "03/04/2025")]


def test_a_changed_day_is_one_date_flag_not_numbers() -> None:
    got = flags("Released on 03/04/2025.", "Erschienen am 5. April 2025.", "en", "de")
    assert got == [("mismatch.date", "target", "5. April 2025")]


def test_a_changed_month_is_found_though_every_digit_is_there() -> None:
    got = flags("The film opens on 3 April 2025.", "Le film sort le 3 mai 2025.", "en", "fr")
    assert got == [("mismatch.date", "target", "3 mai 2025")]


def test_a_numeric_date_read_in_an_order_its_language_does_not_write_is_wrong() -> None:
    # German 04.03.2025 is 4 March; "April 3" takes the American reading.
    got = flags("Erschienen am 04.03.2025.", "Released on April 3, 2025.", "de", "en")
    assert got == [("mismatch.date", "target", "April 3, 2025")]
    got = flags("Released on April 3, 2025.", "Publié le 04/03/2025.", "en", "fr")
    assert got == [("mismatch.date", "target", "04/03/2025")]


def test_a_numeric_date_copied_as_it_is_needs_no_cue() -> None:
    assert flags("Released on 03/04/2025.", "Publié le 03/04/2025.", "en", "fr") == []


def test_numbers_beside_a_date_are_still_compared() -> None:
    got = flags("On 03/04/2025, 12 people came.", "Am 3. April 2025 kamen 13 Menschen.", "en", "de")
    assert ("mismatch.number", "target", "13") in got
    assert ("mismatch.number", "source", "12") in got
    assert not any(check == "mismatch.number" and text in ("3", "4", "2025") for check, _, text in got)


def test_versions_and_times_are_not_dates() -> None:
    got = flags("Update 1.10.12 is out at 10:30.", "Update 1.10.13 ist um 10:30 erschienen.", "en", "de")
    assert not any(check.startswith("mismatch.date") for check, _, _ in got)


@pytest.mark.parametrize(
    "text",
    [
        "", "no digits", "12 and 34", "1.2.3", "1.23.4", "12/3/45", "1-2", "123", "2025", "v 12 3 45",
        "a 1234 b", "1 2 3 4", "٢٠٢٥", "١.٢.٣", "٢٠ 2025", "Le 3 avril 2025", "3’4’5 2024", "٢٠٢٥ و 12",
        "12,5 € le 03/04/2025", "2025年4月3日", "１２３４", "5 ٣٣٣٣", "12 2025", "٢٠ ٢٠٢٥", "1 2 2025",
    ],
)
def test_the_digit_runs_settle_dateish_as_the_search_does(text: str) -> None:
    from relecture.checks.dates import _DATEISH, _dateish
    from relecture.checks.mismatch import _digit_key

    assert _dateish(text, _digit_key(text)) == (_DATEISH.search(text) is not None)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Released on 03/04/2025.", "Publié le 3 avril 2025."),
        ("Released on 03/04/2025.", "Publié le 04/03/2025."),
        ("Version 1.2.3 on 3.4.25", "Version 1.2.3 le 3.4.25"),
        ("On 3/4/25.", "Le 4/3/25."),
        ("On 3/4/25 and 2025.", "Le ４/3/25 et 2025."),
        ("On 3 April 2025.", "Le ٣ avril ٢٠٢٥."),
        ("On April 3, 2025.", "Le 3 avril 2025."),
        ("On April 3, 2025.", "Le 4 avril 2025."),
    ],
)
def test_compare_with_the_digit_runs_finds_what_it_finds_without(source: str, target: str) -> None:
    from relecture.checks import dates
    from relecture.checks.base import SegmentView
    from relecture.checks.langdata import load_language
    from relecture.checks.mismatch import _digit_key

    source_forms = dates.forms_of(load_language("en", [], None), "en")
    target_forms = dates.forms_of(load_language("fr", [], None), "fr")
    view = SegmentView(0, "1", target, source)
    runs = (_digit_key(source), _digit_key(target))
    assert dates.compare(view, source_forms, target_forms, runs) == dates.compare(view, source_forms, target_forms)
