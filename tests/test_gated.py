"""Script patterns compiled on demand: the same matches as the plain pattern, and a Latin text
never pays for compiling them."""

from __future__ import annotations

import re

import pytest

from relecture import langid, numbers
from relecture.checks import language, length, matcher, typography
from relecture.gated import ScriptPattern, _ranges
from relecture.scripts import foreign_pattern, language_scripts


def _declared() -> list[ScriptPattern]:
    """Every script pattern of the modules and the foreign-script pattern of a few languages."""
    found = [
        value for module in (langid, numbers, language, length, matcher, typography)
        for value in vars(module).values() if isinstance(value, ScriptPattern)
    ]
    for lang in ("fr", "ru", "zh", "ja", "hi", "ar", "el"):
        pattern = foreign_pattern(language_scripts(lang))
        if pattern is not None:
            found.append(pattern)
    return found


PATTERNS = _declared()
LATIN = "Le modèle « génère » des courts-métrages en 3 mois — dit-il — à 12 € l’unité…\u202f!"
MIXED = [
    "上周 我们 发布了 Sora 模型", "これは テスト です。", "한국어 문장 입니다", "Русский текст и 日本語",
    "ठीक कर ठीक कर", "สวัสดี ครับ", "ΑΒΓ αβγ", "שלום עולם", "مرحبا بالعالم", "１２３ ＡＢＣ、。",
    LATIN + " 模型 " + LATIN,
]


def test_the_modules_declare_their_script_patterns() -> None:
    assert len(PATTERNS) >= 12


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:24])
def test_a_text_without_the_needed_letters_never_matches(pattern: ScriptPattern) -> None:
    """What the gate relies on: every match holds a character of ``needs``, none of which is ASCII."""
    needed = _ranges(pattern.needs)
    assert needed[0][0] >= 0x80
    inside = re.compile(f"[{pattern.needs}]")
    others = "".join(ch for ch in map(chr, [*range(0, 0x3000), *range(0x3000, 0x110000, 97)])
                     if not inside.match(ch) and not 0xD800 <= ord(ch) <= 0xDFFF)
    plain = re.compile(pattern.pattern, pattern.flags)
    for start in range(0, len(others), 4000):
        chunk = others[start : start + 4000]
        assert plain.search(chunk) is None
        assert plain.search(" ".join(chunk[:2000])) is None


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:24])
def test_the_same_matches_as_the_plain_pattern(pattern: ScriptPattern) -> None:
    plain = re.compile(pattern.pattern, pattern.flags)
    for text in [LATIN, "", "ascii only", *MIXED]:
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]
        assert pattern.findall(text) == plain.findall(text)
        assert pattern.sub("#", text) == plain.sub("#", text)
        for pos in range(len(text)):
            got, want = pattern.match(text, pos), plain.match(text, pos)
            assert (got and got.span()) == (want and want.span())
            got, want = pattern.search(text, pos), plain.search(text, pos)
            assert (got and got.span()) == (want and want.span())


def test_checking_a_latin_document_compiles_none_of_them() -> None:
    from relecture.checks.engine import Checker
    from relecture.model import ReviewDocument, Segment

    for p in PATTERNS:
        p._compiled = None
    doc = ReviewDocument(
        id="latin", title="latin", source_lang="en", target_lang="fr",
        segments=[Segment(id=str(i), paragraph=i, source="The model makes short films, he said.", target=LATIN)
                  for i in range(20)],
    )
    Checker().run(doc, workers=1)
    assert [p.pattern for p in PATTERNS if p._compiled is not None] == []
