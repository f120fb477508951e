"""Progressive opening: the header and first segments at once, the rest read in batches.

`relecture review` opens big files this way so the first screen appears before the whole file is
read. Until the end the store must refuse changes and never write half a document; a damaged
tail is reported like any bad input; files written by other tools load the same.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from relecture import changes
from relecture.errors import InputError, LoadingError
from relecture.model import Flag, ReviewDocument, Segment
from relecture.store import ReviewStore, journal_path, load_review
from relecture.store import reader as store_module  # the module that reads the tunables


def big_doc(n: int) -> ReviewDocument:
    segments = []
    for i in range(n):
        seg = Segment(id=f"s{i}", paragraph=i, source=f"Source {i}.", target=f"Cible « {i} » n° {i}.",
                      space_after="\n", status="approved" if i % 5 == 0 else "todo")
        if i % 7 == 0:
            seg.flags.append(Flag(check="llm.preamble", family="llm", severity="major",
                                  category="Accuracy/Addition", its_type="addition", side="target",
                                  start=0, end=5, text="Cible", message="m"))
        segments.append(seg)
    return ReviewDocument(id="big", title="Gros", segments=segments, source_lang="en", target_lang="fr")


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Progressive opening for any file, so tests stay small."""
    monkeypatch.setattr(store_module, "PROGRESSIVE_MIN_BYTES", 0)
    monkeypatch.setattr(store_module, "PROGRESSIVE_HEAD", 50)
    # Only the first 4 KiB are read before the first segments show: a segment, the header or a
    # character may be cut there, and the rest of the file is read when needed.
    monkeypatch.setattr(store_module, "PROGRESSIVE_HEAD_BYTES", 4096)
    # The rest comes 700 bytes at a time (segments, escapes and characters cut between chunks),
    # a segment parsed with at least 100 characters after it in the window.
    monkeypatch.setattr(store_module, "PROGRESSIVE_CHUNK_BYTES", 700)
    monkeypatch.setattr(store_module, "_LOOKAHEAD", 100)


def write(path: Path, n: int) -> bytes:
    ReviewStore.create(path, big_doc(n)).close()
    return path.read_bytes()


def test_progressive_open_shows_the_head_then_loads_everything(tmp_path: Path, small_threshold: None) -> None:
    path = tmp_path / "big.review.json"
    before = write(path, 1000)
    store = ReviewStore.open(path, progressive=True)
    try:
        assert store.loading and len(store.doc.segments) == 50
        assert store.doc.title == "Gros" and store.doc.target_lang == "fr"
        assert 0 < store.loaded_fraction < 0.2
        segments = store.doc.segments  # the list a UI holds on to grows in place
        batches = 0
        while not store.load_more(300):
            batches += 1
        assert batches == 3 and not store.loading and store.loaded_fraction == 1.0
        assert segments is store.doc.segments and len(segments) == 1000
        assert store.doc.to_json().encode() == before
    finally:
        store.close()
    assert path.read_bytes() == before


def test_no_change_and_no_save_while_loading(tmp_path: Path, small_threshold: None) -> None:
    path = tmp_path / "big.review.json"
    before = write(path, 400)
    store = ReviewStore.open(path, progressive=True)
    with pytest.raises(LoadingError, match="still loading"):
        store.apply(changes.set_status("s1", "approved"))
    with pytest.raises(LoadingError):
        store.save()
    assert not journal_path(path).exists()
    store.close()  # quitting before the end writes nothing: the file is whole and unchanged
    assert path.read_bytes() == before

    store = ReviewStore.open(path, progressive=True)
    while not store.load_more(100):
        pass
    store.apply(changes.set_status("s399", "rejected"))
    store.close()
    assert load_review(path).segments[399].status == "rejected"


def test_a_journal_to_replay_means_a_whole_load(tmp_path: Path, small_threshold: None) -> None:
    path = tmp_path / "big.review.json"
    write(path, 300)
    writer = ReviewStore.open(path)
    writer.apply(changes.set_note("s299", "dernier"))
    writer._close_journal()
    writer._lock.release()  # as if killed: the journal stays, the lock goes
    store = ReviewStore.open(path, progressive=True)
    try:
        assert not store.loading and store.doc.segments[299].note == "dernier"
    finally:
        store.close()


def test_damaged_tail_is_reported_with_its_place_and_nothing_is_written(
    tmp_path: Path, small_threshold: None
) -> None:
    path = tmp_path / "big.review.json"
    good = write(path, 500).decode()
    # Break segment 400 only: the head still reads, the error comes while loading the rest.
    damaged = good.replace('"id": "s400",', '"id": "s400" "oops",', 1)
    path.write_text(damaged, encoding="utf-8")
    store = ReviewStore.open(path, progressive=True)
    assert store.loading
    with pytest.raises(InputError) as info:
        while not store.load_more(100):
            pass
    line = damaged[: damaged.index('"oops"')].count("\n") + 1
    assert str(info.value).startswith(f"{path}:{line}:")
    assert "malformed JSON" in str(info.value)
    store.close()
    assert path.read_text(encoding="utf-8") == damaged


def test_invalid_field_in_the_tail_names_its_json_path(tmp_path: Path, small_threshold: None) -> None:
    path = tmp_path / "big.review.json"
    good = write(path, 300).decode()
    path.write_text(good.replace('"id": "s250",\n   "paragraph": 250', '"id": "s250",\n   "paragraph": -1'),
                    encoding="utf-8")
    store = ReviewStore.open(path, progressive=True)
    with pytest.raises(InputError, match=r"\$\.segments\[250\]\.paragraph"):
        while not store.load_more(100):
            pass
    store.close()


def test_duplicate_ids_across_batches_are_refused(tmp_path: Path, small_threshold: None) -> None:
    path = tmp_path / "big.review.json"
    good = write(path, 300).decode()
    path.write_text(good.replace('"id": "s280",', '"id": "s3",', 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"\$\.segments\[280\]\.id: duplicate segment id 's3'"):
        load_review(path)


@pytest.mark.parametrize("layout", ["compact", "segments-first", "indented-4"])
def test_files_written_by_other_tools_load_the_same(tmp_path: Path, layout: str, small_threshold: None) -> None:
    path = tmp_path / "other.review.json"
    doc = big_doc(200)
    data = doc.to_dict()
    if layout == "compact":
        text = json.dumps(data, separators=(",", ":"))
    elif layout == "segments-first":
        text = json.dumps({"segments": data.pop("segments"), **data}, indent=2)
    else:
        text = json.dumps(data, indent=4, ensure_ascii=True)
    path.write_text(text, encoding="utf-8")
    assert load_review(path).to_json() == doc.to_json()
    store = ReviewStore.open(path, progressive=True, readonly=True)
    while not store.load_more(60):
        pass
    assert store.doc.to_json() == doc.to_json()
    store.close()


def test_a_header_longer_than_the_head_and_a_file_replaced_while_loading(tmp_path: Path, small_threshold: None) -> None:
    path = tmp_path / "big.review.json"
    doc = big_doc(300)
    doc.note = "Note « longue » é" * 2000  # ~34 KB of header, far past the 4 KiB head
    ReviewStore.create(path, doc).close()
    expected = path.read_bytes()
    store = ReviewStore.open(path, progressive=True, readonly=True)
    assert store.doc.note == doc.note and len(store.doc.segments) == 50
    # Another session saves meanwhile (rename over the file): this reader keeps reading its own version.
    writer = ReviewStore.open(path)
    writer.apply(changes.set_note("s299", "changed"))
    writer.close()
    while not store.load_more(100):
        pass
    assert store.doc.to_json().encode() == expected
    store.close()


def test_a_lone_surrogate_escape_in_the_tail_is_refused_with_its_place(tmp_path: Path, small_threshold: None) -> None:
    path = tmp_path / "big.review.json"
    good = write(path, 300).decode()
    path.write_text(good.replace('"Cible « 250 » n° 250."', '"Cible \\ud800 250."', 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"\$\.segments\[250\]\.target: .*lone surrogate"):
        store = ReviewStore.open(path, progressive=True, readonly=True)
        while not store.load_more(100):
            pass


def test_the_rest_is_read_through_a_window_never_the_whole_file(tmp_path: Path, small_threshold: None) -> None:
    path = tmp_path / "big.review.json"
    size = len(write(path, 2000))
    store = ReviewStore.open(path, progressive=True, readonly=True)
    widest = 0
    fractions = []
    while store.loading:
        stream = store._stream
        assert stream is not None
        widest = max(widest, len(stream._text))
        fractions.append(store.loaded_fraction)
        store.load_more(40)
    # The head, or a chunk, the lookahead and one segment: not the file's 2,000 segments.
    assert widest < 4096 + 1000 < size / 50
    assert fractions == sorted(fractions) and fractions[-1] > 0.9
    assert store.doc.to_json() == load_review(path).to_json()
    assert store.doc.segments == big_doc(2000).segments
    # The digest of the bytes as they passed: a save knows the file is the one it read.
    assert store._digest == hashlib.sha256(path.read_bytes()).digest()
    store.close()
