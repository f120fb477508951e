"""Search over 100,000 segments scans their joined text once; it must find exactly what a
segment-by-segment search finds (matches never run across segments or fields)."""

from __future__ import annotations

import random
from pathlib import Path

from relecture import changes
from relecture.model import ReviewDocument, Segment
from relecture.store import ReviewStore
from relecture.tui.session import SearchSpec, Session


def open_session(tmp_path: Path, segments: list[Segment]) -> Session:
    path = tmp_path / "s.review.json"
    ReviewStore.create(path, ReviewDocument(id="d", title="t", segments=segments)).close()
    return Session(ReviewStore.open(path))


def slow(session: Session, spec: SearchSpec) -> list[int]:
    pattern = spec.compile()
    return [
        i for i, s in enumerate(session.segments)
        if pattern.search(s.target) or (s.source and pattern.search(s.source))
        or (s.post_edit is not None and pattern.search(s.post_edit))
    ]


def test_plain_search_finds_exactly_the_segments_holding_the_text(tmp_path: Path) -> None:
    segments = [
        Segment(id="a", target="Le mois prochain", source="next month"),
        Segment(id="b", target="MOIS en capitales", source=None),
        Segment(id="c", target="fin de phrase mo", source="is"),  # "mo" + "is" only across fields
        Segment(id="d", target="rien", source="ici mo"),
        Segment(id="e", target="is rien", source="Élan"),  # "mo|is" only across segments
        Segment(id="f", target="élan vital", source="x"),
    ]
    session = open_session(tmp_path, segments)
    try:
        for text, expected in [("mois", [0, 1]), ("mo", [0, 1, 2, 3]), ("ÉLAN", [4, 5]), ("n m", []),
                               ("\x00", []), ("rien", [3, 4])]:
            spec = SearchSpec(text)
            session.set_view(None, spec)
            assert list(session.view) == expected == slow(session, spec), text
        session.set_view(None, SearchSpec("Élan", case_sensitive=True))
        assert list(session.view) == [4]
        # A post-edit is searchable as soon as it is made (and its old text no longer is).
        session.apply([changes.set_post_edit("f", "souffle vital")], "edit", 5)
        session.set_view(None, SearchSpec("souffle"))
        assert list(session.view) == [5]
        session.set_view(None, SearchSpec("élan"))
        assert list(session.view) == [4, 5]  # the original target still holds it
        session.undo()
        session.set_view(None, SearchSpec("souffle"))
        assert list(session.view) == []
    finally:
        session.store.close()


def test_plain_search_agrees_with_a_segment_by_segment_scan_on_random_text(tmp_path: Path) -> None:
    rng = random.Random(7)
    alphabet = "ab é\nÉA"
    segments = [
        Segment(id=f"s{i}", target="".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))),
                source=None if i % 3 == 0 else "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4))))
        for i in range(300)
    ]
    session = open_session(tmp_path, segments)
    try:
        for needle in ["a", "ab", "é a", "\n", "bb", "aÉ", "é\né", " "]:
            for case_sensitive in (False, True):
                spec = SearchSpec(needle, case_sensitive=case_sensitive)
                session.set_view(None, spec)
                assert list(session.view) == slow(session, spec), (needle, case_sensitive)
        spec = SearchSpec(r"^a|b$", regex=True)  # regular expressions keep the per-segment scan
        session.set_view(None, spec)
        assert list(session.view) == slow(session, spec)
    finally:
        session.store.close()


def test_letters_that_ignorecase_matches_with_ascii_are_still_found(tmp_path: Path) -> None:
    # "ſ" (long s) and "K" (Kelvin sign) match "s" and "k" under IGNORECASE: a byte scan would miss them.
    segments = [Segment(id="a", target="Maſſe"), Segment(id="b", target="masse"),
                Segment(id="c", target="5 \u212aelvin"), Segment(id="d", target="rien")]
    session = open_session(tmp_path, segments)
    try:
        session.set_view(None, SearchSpec("MASSE"))
        assert list(session.view) == [0, 1]
        session.set_view(None, SearchSpec("kelvin"))
        assert list(session.view) == [2]
    finally:
        session.store.close()


def test_positions_in_a_filtered_view(tmp_path: Path) -> None:
    """A search keeps segments 1, 3 and 4: where each segment is shown, and where the cursor goes
    for one that is filtered out (the next one shown, or the last)."""
    segments = [Segment(id=str(i), target=text) for i, text in enumerate(["a", "chat", "b", "chat", "chat", "c"])]
    session = open_session(tmp_path, segments)
    try:
        session.set_view(None, SearchSpec("chat"))
        assert list(session.view) == [1, 3, 4]
        assert [session.position_of(i) for i in range(6)] == [None, 0, None, 1, 2, None]
        assert [session.nearest_position(i) for i in range(6)] == [0, 0, 1, 1, 2, 2]
    finally:
        session.store.close()
