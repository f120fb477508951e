"""Idioms: source idioms pointed at, idioms rendered word for word on the target."""

from __future__ import annotations

from tests.checks.helpers import doc_of, pairs_doc, side_flags

from relecture.checks import run_checks


def test_source_idioms_are_pointed_at_on_the_source_side() -> None:
    doc = doc_of("Ce n'est que le début.", sources=["This is only the tip of the iceberg."])
    flag = run_checks(doc, only="idiom.source")["1"][0]  # the idiom family reads [[source_idiom]]
    assert (flag.side, flag.text) == ("source", "tip of the iceberg")
    assert "1" not in run_checks(doc, only="cultural.idiom")  # and only it: one flag, not two


def test_chengyu_rendered_word_for_word_is_flagged_on_the_target() -> None:
    doc = pairs_doc(
        [
            ("他再加一段解释，简直是画蛇添足。", "Ajouter une explication, c'est dessiner un serpent et lui ajouter des pattes."),
            ("他再加一段解释，简直是画蛇添足。", "Ajouter une explication, c'est vraiment en faire trop."),
            ("这是一个测试。", "C'est un test."),
        ],
        "zh", "fr",
    )
    got = run_checks(doc, only="idiom")
    assert [f.check for f in got["1"]] == ["idiom.literal"]
    assert "serpent" in got["1"][0].text and "en faire trop" in got["1"][0].message
    assert [(f.check, f.side, f.text) for f in got["2"]] == [("idiom.source", "source", "画蛇添足")]
    assert "3" not in got


def test_english_source_idioms_and_their_literal_rendering() -> None:
    doc = pairs_doc([("This is only the tip of the iceberg.", "Ce n'est que le début.")], "en", "fr")
    assert side_flags(doc, "idiom") == [("1", "idiom.source", "source", "tip of the iceberg")]
