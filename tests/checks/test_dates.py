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
