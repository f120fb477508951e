"""The matcher's digit gate: a pattern every match of which holds a digit is not run on a text
without one, and still finds what it found before on every other text."""

from __future__ import annotations

import re

import pytest

from relecture.checks.matcher import Matcher, has_digit, needs_digit


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (r"(?:le\s+)?(?:1er|\d{1,2})\s+mai", True),
        (r"[0-9]+\s*h", True),
        (r"(?:\d+|un|une) jours?", False),  # "un jour" has no digit
        (r"mai(?=\s*\d)", False),  # a lookahead's digit is not in the match
        (r"\d?x", False),
        (r"(?:a|\d)b", False),
    ],
)
def test_needs_digit(pattern: str, needs: bool) -> None:
    assert needs_digit(pattern, re.IGNORECASE) is needs


def test_gated_pattern_finds_the_same_dates() -> None:
    matcher = Matcher([(r"(?:1er|\d{1,2}) mai", "date"), (r"maison", "house")])
    assert [m.group() for m in matcher.finditer("La maison du 3 mai")] == ["maison", "3 mai"]
    assert [m.group() for m in matcher.finditer("La maison de mai")] == ["maison"]
    # A digit of another script is a digit to the patterns' engine, and so to the gate.
    assert has_digit("٣ mai")
    assert [m.group() for m in matcher.finditer("le ٣ mai")] == ["٣ mai"]
    assert not has_digit("Le premier mai")
