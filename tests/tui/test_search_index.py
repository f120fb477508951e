"""The plain-search index is built a chunk of segments at a time and keeps only the variants
searches asked for: across chunk edges, across fields and segments, case-sensitive or not, it
finds what a segment-by-segment scan (and the regular-expression search) finds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from relecture.model import ReviewDocument, Segment
from relecture.store import ReviewStore
from relecture.tui import session as session_module
from relecture.tui.session import SearchSpec, Session


def _session(tmp_path: Path, segments: list[Segment]) -> Session:
    path = tmp_path / "s.review.json"
    ReviewStore.create(path, ReviewDocument(id="d", title="t", segments=segments)).close()
    return Session(ReviewStore.open(path))


def _scan(session: Session, spec: SearchSpec) -> list[int]:
    pattern = spec.compile()
    return [i for i, s in enumerate(session.segments)
            if pattern.search(s.target) or (s.source and pattern.search(s.source))
            or (s.post_edit is not None and pattern.search(s.post_edit))]


def test_chunked_index_finds_what_a_scan_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_module, "_INDEX_CHUNK", 3)  # many chunk edges in a small document
    rng = random.Random(7)
    words = ["mois", "Mois", "été", "mo", "is", "chat", "CHAT", "[b]", "x"]
    segments = [Segment(id=f"s{i}", target=" ".join(rng.choice(words) for _ in range(3)),
                        source=" ".join(rng.choice(words) for _ in range(2)) if i % 2 else None)
                for i in range(40)]
    session = _session(tmp_path, segments)
    try:
        for spec in [SearchSpec("mois"), SearchSpec("Mois", case_sensitive=True), SearchSpec("chat"),
                     SearchSpec("is mo"), SearchSpec("[b]"), SearchSpec("été", case_sensitive=True),
                     SearchSpec(r"mo\s*is", regex=True), SearchSpec(r"^chat", regex=True)]:
            session.set_view(None, spec)
            assert list(session.view) == _scan(session, spec), spec
            assert session.view, spec  # each of these is in the document
        index = session._haystacks
        assert index is not None and index.lowered is not None and index.exact is not None
        assert len(index.starts) == len(segments) + 1
        assert index.starts[-1] == len(index.lowered) == len(index.exact)
    finally:
        session.store.close()


def test_a_case_insensitive_search_builds_only_the_lowered_text(tmp_path: Path) -> None:
    session = _session(tmp_path, [Segment(id="a", target="Le Mois"), Segment(id="b", target="rien")])
    try:
        session.set_view(None, SearchSpec("mois"))
        assert list(session.view) == [0]
        index = session._haystacks
        assert index is not None and index.exact is None  # half the memory of both
        session.set_view(None, SearchSpec("mois", case_sensitive=True))
        assert list(session.view) == []
        session.set_view(None, SearchSpec("Mois", case_sensitive=True))
        assert list(session.view) == [0]
    finally:
        session.store.close()
