"""The matcher's digit gate: a pattern every match of which holds a digit is not run on a text
without one, and still finds what it found before on every other text."""

from __future__ import annotations

import re

import pytest

from relecture.checks.matcher import Matcher, after_space_literals, has_digit, needs_digit


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


def test_matches_without_word_keys_are_those_with_them() -> None:
    # The families call find without the view's word keys: the substring scan's candidates are
    # a superset of the keyed ones, so the matches must be the same, word starts or not.
    from relecture.checks.base import SegmentView

    matcher = Matcher(
        [(r"dans (?:\d+|un|une) (?:jours|semaines)", 1), (r"tableau\s+de\s+bord", 2), (r"plaisant\w*", 3), ("ıssız", 4)]
    )
    texts = [
        "Revenez dans 3 jours voir le tableau de bord.",
        "Cadans 3 jours, soustableau de bord déplaisant",
        "C'est plaisanterie, IŞIK ıssız ISSIZ",
        "",
    ]
    for text in texts:
        view = SegmentView(0, "1", text, None, True, True, None, None, ())
        keyed = [(m.span(), p) for m, p in matcher.find(text, view.lower, view.keys)]
        assert [(m.span(), p) for m, p in matcher.find(text, view.lower)] == keyed
    assert [p for _, p in matcher.find(texts[0])] == [1, 2]


def test_a_shared_scan_gives_each_matcher_and_gate_what_its_own_scan_gives() -> None:
    # The cultural and LLM families read their candidates from one pass over the target: the
    # matches and gate verdicts must be those of each one's own scan, case traps included.
    from relecture.checks.base import SegmentView
    from relecture.checks.matcher import LiteralGate, SharedScan

    scan = SharedScan()
    lexicon = Matcher(
        [(r"dans (?:\d+|un|une) (?:jours|semaines)", 1), (r"tableau\s+de\s+bord", 2), (r"plaisant\w*", 3), ("ıssız", 4)]
        + [(f"mot{i}xyz", 10 + i) for i in range(8)],  # enough literals for an automaton of its own
        shared=scan,
    )
    remarks = Matcher([(r"j'espère que cela (?:aide|convient)", "closing"), (r"plaisant", "same literal")], shared=scan)
    gate = LiteralGate([r"voici (?:la|une) traduction", r"here is"], re.IGNORECASE, shared=scan)
    alone = LiteralGate([r"voici (?:la|une) traduction", r"here is"], re.IGNORECASE)
    texts = [
        "Voici la traduction : revenez dans 3 jours voir le tableau de bord, j'espère que cela aide.",
        "Cadans 3 jours, soustableau de bord déplaisant mot3xyz",
        "C'est plaisanterie, IŞIK ıssız ISSIZ",
        "Nothing here",
        "",
    ]
    for text in texts:
        view = SegmentView(0, "1", text, None, True, True, None, None, ())
        for matcher in (lexicon, remarks):
            own = [(m.span(), p) for m, p in matcher.find(text, view.lower, overlaps=True)]
            assert [(m.span(), p) for m, p in matcher.find(text, view.lower, overlaps=True, hits=view.hits(scan))] == own
        assert gate.open_in(view.hits(scan), view.lower) == alone.open(view.lower)
    assert [p for _, p in lexicon.find(texts[0], hits=SegmentView(0, "1", texts[0], None).hits(scan))] == [1, 2]
    assert gate.open_in(SegmentView(0, "1", texts[0], None).hits(scan), texts[0].lower())
    assert not gate.open_in(SegmentView(0, "1", texts[1], None).hits(scan), texts[1].lower())
    # A matcher built after the first scan (a family built late) is found too: the scan is
    # made again, and a view's cached hits with it.
    view = SegmentView(0, "1", "Il est trop tard.", None)
    before = view.hits(scan)  # cached by the view
    late = Matcher(["trop tard"], shared=scan)
    assert late.slot not in before
    assert [m.group() for m, _ in late.find(view.target, view.lower, hits=view.hits(scan))] == ["trop tard"]


def test_a_candidate_without_its_literals_in_order_is_not_run() -> None:
    # "raining cats and dogs" is indexed by one literal; a text must also hold the others, in
    # order, before the regex runs (a pattern is compiled at its first run: never here).
    from relecture.checks.matcher import in_order, literal_sequence

    matcher = Matcher([(r"raining\s+cats\s+and\s+dogs", 1), (r"dans (?:\d+|un|une) (?:jours|semaines)", 2)])
    assert matcher.find("The training of dogs and cats, raining.") == []
    assert matcher.find("Des jours, il reste dans le sac") == []
    assert all(regex._compiled is None for regex, _ in matcher.regexes)
    text = "It was Raining  cats and DOGS, dans 3 jours, dans une semaines"
    assert [(m.group(), p) for m, p in matcher.find(text)] == [
        ("Raining  cats and DOGS", 1), ("dans 3 jours", 2), ("dans une semaines", 2)
    ]
    groups = literal_sequence(r"(?:si vous avez|pour) (?:d'autres|des) questions?", re.IGNORECASE)
    assert groups[0] == ("si vous avez", "pour") and groups[-1] == (" question",)
    assert in_order("pour des questions", groups) and not in_order("des questions pour", groups)
    # A literal found early but ending late does not hide a later, shorter one that fits.
    assert in_order("xx abcdef cd yy", (("abcdef", "cd"), ("yy",)))
    assert not in_order("abcd", (("abc",), ("cd",)))  # overlapping: not both


def test_a_pattern_that_cannot_fail_waits_for_its_first_use_and_a_bad_one_is_refused_at_once() -> None:
    from relecture.checks.matcher import could_fail, lazy_pattern, valid_pattern
    from relecture.errors import InputError

    assert not could_fail(r"(?:le )?\d{1,2} mai")
    assert could_fail("(unclosed") and could_fail("(?<=x)y")  # a parse error; a look-behind
    assert valid_pattern("chat noir", "here") == "chat noir"
    with pytest.raises(InputError, match=r"fr/idioms.toml #3: bad pattern"):
        valid_pattern("(unclosed", "fr/idioms.toml #3")
    lazy = lazy_pattern(r"[ \t]*(?:voici la traduction)", re.IGNORECASE, "preamble")
    assert lazy._compiled is None  # nothing compiled at build time
    assert lazy.match("  Voici la traduction :").end() == 21
    with pytest.raises(InputError, match="preamble"):
        lazy_pattern("(?<=(a|bb))x[", 0, "preamble")


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"(?:1er|\d{1,2})\s+(?:mai|juin)", ("mai", "juin")),
        (r"\d+ mai", None),  # the space is part of the literal " mai": its substring test settles it
        (r"le\s*mai", None),  # \s* may be empty: "lemai" matches
        (r"mai\s+\d", None),  # the literal opens the pattern: no white space before it
        (r"\d+\s+sıcak", None),  # a dotless ı: lower-casing does not place it
    ],
)
def test_literals_after_white_space(pattern: str, literals: tuple[str, ...] | None) -> None:
    assert after_space_literals(pattern, re.IGNORECASE) == literals


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Désormais 14 langues", []),  # "mai" only inside a word: the regex is not run
        ("Le 3 mai et désormais", ["3 mai"]),
        ("Le 3\u00a0MAI", ["3\u00a0MAI"]),  # no-break space, upper case
        ("Le 3\u2003mai", ["3\u2003mai"]),  # em space
        ("ſ 3 mai désormais", ["3 mai"]),  # a folding trap in the text: the regex decides
    ],
)
def test_after_space_gate_finds_the_same(text: str, found: list[str]) -> None:
    matcher = Matcher([(r"(?:1er|\d{1,2})\s+mai", "date")])
    assert [m.group() for m in matcher.finditer(text)] == found
