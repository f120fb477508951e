"""A big review file opens progressively: the first screen shows while the rest is read.

The reviewer can move around at once; changes wait until the whole document is in (so nothing
is journaled against half a document), and a damaged tail stops the session like any bad input.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from relecture.errors import InputError
from relecture.store import ReviewStore, load_review
from relecture.store import reader as store_module  # the module that reads the tunables
from relecture.tui import app as app_module

from .conftest import build_document, on_disk, wait_for_text, wait_on_disk, wait_until


@pytest.fixture
def progressive(monkeypatch: pytest.MonkeyPatch) -> None:
    """Progressive opening for a small file, read in batches a second apart (so a test can act
    while it is still loading)."""
    monkeypatch.setattr(store_module, "PROGRESSIVE_MIN_BYTES", 0)
    monkeypatch.setattr(store_module, "PROGRESSIVE_HEAD", 60)
    monkeypatch.setattr(store_module, "PROGRESSIVE_HEAD_BYTES", 8192)
    monkeypatch.setattr(app_module, "LOAD_BATCH", 1000)
    monkeypatch.setattr(app_module, "LOAD_PAUSE", 1.0)


def open_app(path: Path):  # type: ignore[no-untyped-def]
    store = ReviewStore.open(path, progressive=True)
    assert store.loading
    app = app_module.ReviewApp(store, reviewer="tester", autosave=False, cursor_blink=False)
    app.theme = "textual-dark"
    return app


async def wait_loaded(pilot, app) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: not app.store.loading, "the document finished loading")


@pytest.mark.asyncio
async def test_first_screen_while_loading_then_the_whole_document(tmp_path: Path, progressive: None) -> None:
    path = tmp_path / "big.review.json"
    ReviewStore.create(path, build_document(count=3000)).close()
    before = path.read_bytes()
    app = open_app(path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        text = await wait_for_text(pilot, app, "Voici la traduction")
        assert "loading" in text
        await pilot.press("j")
        await wait_until(pilot, lambda: app.review_screen.current_index == 1)  # moving around works at once
        await pilot.press("space")  # approving must wait: the store holds part of the document
        await wait_for_text(pilot, app, "still loading")
        await pilot.press("r")  # so must a dialog whose answer is a change (the ESA score)
        await wait_until(pilot, lambda: app.screen is app.review_screen, "app.screen is app.review_screen")
        assert path.read_bytes() == before
        assert on_disk(path).segments[1].status == "todo"

        await wait_loaded(pilot, app)
        text = await wait_for_text(pilot, app, "3000 segments")
        assert "0/3000 reviewed" in text
        assert app.review_screen.current_index == 1  # the cursor stayed where the reviewer was
        await pilot.press("G")
        await wait_until(pilot, lambda: app.review_screen.current_index == 2999)
        await pilot.press("s")
        await wait_on_disk(pilot, path, lambda d: d.segments[2999].status == "approved")
        await pilot.press("q")
    assert on_disk(path).segments[2999].status == "approved"


@pytest.mark.asyncio
async def test_damaged_tail_stops_with_a_one_line_error_and_the_file_untouched(
    tmp_path: Path, progressive: None
) -> None:
    path = tmp_path / "big.review.json"
    ReviewStore.create(path, build_document(count=600)).close()
    damaged = path.read_text(encoding="utf-8").replace('"id": "s500",', '"id": "s500" x,', 1)
    path.write_text(damaged, encoding="utf-8")
    app = open_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.load_error is not None, "the damaged tail is reported")
    assert app.return_code == 2
    line = damaged[: damaged.index('" x,')].count("\n") + 1
    assert str(app.load_error).startswith(f"{path}:{line}:") and "\n" not in str(app.load_error)
    assert path.read_text(encoding="utf-8") == damaged
    with pytest.raises(InputError, match="malformed JSON"):
        load_review(path)


def _rated_document(count: int):  # type: ignore[no-untyped-def]
    """``build_document`` with a major annotation on every 7th segment (MQM counts those)."""
    from relecture.model import Annotation

    doc = build_document(count=count)
    for i, seg in enumerate(doc.segments):
        if i % 7 == 0:
            word = seg.target.split(" ")[0]
            seg.annotations.append(Annotation(id=f"a{i}", side="target", start=0, end=len(word), text=word,
                                              category="Accuracy/Mistranslation", severity="major",
                                              comment="", author="r", time="2024-07-13T10:00:00Z"))
    return doc


@pytest.mark.asyncio
@pytest.mark.parametrize("reparsed", [False, True], ids=["streamed", "whole-parse-fallback"])
async def test_the_score_is_counted_while_loading_and_shown_with_the_whole_document(
    tmp_path: Path, progressive: None, reparsed: bool
) -> None:
    """The MQM tally is counted batch by batch as the segments are read, not in a thread after
    (which took the interpreter from the first keys): the header that first shows the whole
    document shows its score, the same as a full recount, even when the reader had to fall back
    to parsing the whole file half-way (its segments replaced, each counted once)."""
    import json

    from relecture.scoring import ScoreTally

    path = tmp_path / "big.review.json"
    ReviewStore.create(path, _rated_document(2500)).close()
    if reparsed:  # a key after "segments": the stream gives up and the whole text is parsed
        data = json.loads(path.read_text(encoding="utf-8"))
        data["title"] = data.pop("title")
        assert list(data)[-1] == "title"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    expected = ScoreTally(load_review(path)).mqm
    assert expected
    app = open_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        assert app.tallied
        header = app.review_screen.query_one("#header").render()
        assert "0/2500 reviewed" in str(header) and f"MQM {expected:.2f}" in str(header)
        assert app.score() == pytest.approx(expected)
        assert not [w for w in app.workers if w.group == "score"]  # no pass after the load
        await pilot.press("q")


@pytest.mark.asyncio
async def test_segments_leave_the_collectors_walks_batch_by_batch(tmp_path: Path, progressive: None) -> None:
    """Each batch read is frozen as it comes: the collections run while the rest loads (keys
    wait for them) never walk the segments already in."""
    import gc

    path = tmp_path / "big.review.json"
    ReviewStore.create(path, build_document(count=2500)).close()
    app = open_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: len(app.session.segments) > 1000, "a batch read")
        assert app.store.loading  # the next batch is a second away (the fixture)
        walked = {id(o) for o in gc.get_objects()}
        assert not [s.id for s in app.session.segments if id(s) in walked]
        await wait_loaded(pilot, app)
        walked = {id(o) for o in gc.get_objects()}
        assert not [s.id for s in app.session.segments if id(s) in walked]
        await pilot.press("q")
