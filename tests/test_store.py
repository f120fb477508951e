"""The review file on disk: stable bytes, atomic saves, the journal, the lock, loading errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from relecture import changes
from relecture.errors import InputError, LockedError, ReadOnlyError, SaveError
from relecture.model import Annotation, ReviewDocument, Segment
from relecture.store import (
    ReviewStore,
    backup_path,
    journal_path,
    load_review,
    lock_path,
)


def make_doc(n: int = 3) -> ReviewDocument:
    return ReviewDocument(
        id="doc-1",
        title="Essai",
        source_lang="zh",
        target_lang="fr",
        segments=[
            Segment(id=f"s{i}", paragraph=i, source=f"源文本 {i}。", target=f"Texte « {i} » é.", space_after="\n")
            for i in range(n)
        ],
    )


def annotation(start: int = 0, end: int = 5) -> Annotation:
    return Annotation(
        id="a1", side="target", start=start, end=end, category="Accuracy/Mistranslation",
        severity="major", comment="sens", correction="Texto", author="rev",
    )


def test_same_content_gives_same_bytes_utf8_without_escapes(tmp_path: Path, valid_review) -> None:
    a, b = tmp_path / "a.review.json", tmp_path / "b.review.json"
    ReviewStore.create(a, make_doc()).close()
    ReviewStore.create(b, make_doc()).close()
    assert a.read_bytes() == b.read_bytes()
    raw = a.read_text(encoding="utf-8")
    assert "« 1 » é" in raw and "源文本" in raw and "\\u" not in raw
    data = valid_review(a)
    assert list(data)[:3] == ["format", "version", "id"]
    assert data["format"] == "relecture/review" and data["version"] == 2


def test_change_is_in_journal_before_save_and_replayed_after_crash(tmp_path: Path, valid_review) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    store = ReviewStore.open(path)
    store.apply(changes.put_annotation("s1", annotation()))
    store.apply(changes.set_status("s2", "approved"))
    store.apply(changes.set_note("s0", "vérifier le nom"))
    # Simulate a crash: no save, no close; only the lock's file descriptor is dropped.
    assert journal_path(path).exists()
    assert len(journal_path(path).read_text().splitlines()) == 3
    on_disk = json.loads(path.read_text())
    assert on_disk["segments"][1]["annotations"] == []
    store._lock.release()  # the kernel would do this when the process dies

    reopened = ReviewStore.open(path)
    assert any("restored 3 unsaved change" in w for w in reopened.warnings)
    seg = reopened.doc.segment("s1")
    assert seg.annotations[0].text == "Texte" and seg.annotations[0].severity == "major"
    assert reopened.doc.segment("s2").status == "approved"
    assert reopened.doc.segment("s0").note == "vérifier le nom"
    # Reopening folded the journal into the file.
    assert not journal_path(path).exists()
    reopened.close()
    data = valid_review(path)
    assert data["segments"][1]["annotations"][0]["comment"] == "sens"


def test_torn_last_journal_line_is_ignored_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    store = ReviewStore.open(path)
    store.apply(changes.set_status("s0", "approved"))
    store.apply(changes.set_status("s1", "rejected"))
    store._lock.release()
    journal = journal_path(path)
    data = journal.read_bytes()
    journal.write_bytes(data[: len(data) - 12])  # cut the last line mid-write
    reopened = ReviewStore.open(path)
    assert reopened.doc.segment("s0").status == "approved"
    assert reopened.doc.segment("s1").status == "todo"
    assert any("torn last line" in w and ":2:" in w for w in reopened.warnings)
    reopened.close()


def test_garbage_line_in_middle_is_reported_and_rest_replayed(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    store = ReviewStore.open(path)
    store.apply(changes.set_status("s0", "approved"))
    store.apply(changes.set_status("s1", "rejected"))
    store._lock.release()
    journal = journal_path(path)
    lines = journal.read_bytes().split(b"\n")
    journal.write_bytes(lines[0] + b"\n\xff\xfegarbage\n" + lines[1] + b"\n")
    reopened = ReviewStore.open(path)
    assert reopened.doc.segment("s0").status == "approved"
    assert reopened.doc.segment("s1").status == "rejected"
    assert any("unreadable line" in w and ":2:" in w for w in reopened.warnings)
    reopened.close()


def test_replaying_twice_is_harmless(tmp_path: Path) -> None:
    """A crash after the save's rename but before the journal's removal replays it again."""
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    store = ReviewStore.open(path)
    store.apply(changes.put_annotation("s1", annotation()))
    saved_journal = journal_path(path).read_bytes()
    store.close()
    journal_path(path).write_bytes(saved_journal)
    reopened = ReviewStore.open(path)
    assert len(reopened.doc.segment("s1").annotations) == 1
    reopened.close()


def test_save_keeps_backup_of_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    first = path.read_bytes()
    with ReviewStore.open(path) as store:
        store.apply(changes.set_status("s0", "approved"))
    assert backup_path(path).read_bytes() == first
    assert json.loads(path.read_text())["segments"][0]["status"] == "approved"


def test_failed_save_leaves_previous_file_and_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    before = path.read_bytes()
    store = ReviewStore.open(path)
    store.apply(changes.set_status("s0", "approved"))

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(SaveError, match=r"No space left on device.*previous version is intact.*journal"):
        store.save()
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert journal_path(path).exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    store._lock.release()
    reopened = ReviewStore.open(path)
    assert reopened.doc.segment("s0").status == "approved"
    reopened.close()


def test_failed_journal_write_does_not_apply_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    store = ReviewStore.open(path)

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(SaveError, match="was not applied"):
        store.apply(changes.set_status("s0", "approved"))
    monkeypatch.undo()
    assert store.doc.segment("s0").status == "todo"
    store.close()


def test_undo_inverse_restores_previous_state(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    with ReviewStore.open(path) as store:
        inverse = store.apply(changes.put_annotation("s1", annotation()))
        assert store.doc.segment("s1").annotations
        redo = store.apply(inverse)
        assert not store.doc.segment("s1").annotations
        store.apply(redo)
        inverse_note = store.apply(changes.set_post_edit("s0", "Texte corrigé."))
        store.apply(inverse_note)
        assert store.doc.segment("s0").post_edit is None
    assert len(load_review(path).segment("s1").annotations) == 1


def test_readonly_store_refuses_changes(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    store = ReviewStore.open(path, readonly=True)
    with pytest.raises(ReadOnlyError):
        store.apply(changes.set_status("s0", "approved"))


def test_second_process_cannot_write_but_can_read(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    holder = ReviewStore.open(path)
    script = textwrap.dedent(
        f"""
        import sys
        from relecture.errors import LockedError
        from relecture.store import ReviewStore
        try:
            ReviewStore.open({str(path)!r})
        except LockedError as exc:
            print("LOCKED", exc)
        ro = ReviewStore.open({str(path)!r}, readonly=True)
        print("READ", len(ro.doc.segments))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert f"LOCKED {path}: already open for writing by pid {os.getpid()}" in out
    assert "READ 3" in out
    holder.close()


def test_lock_left_by_dead_process_is_recovered(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    script = textwrap.dedent(
        f"""
        import os
        from relecture import changes
        from relecture.store import ReviewStore
        s = ReviewStore.open({str(path)!r})
        s.apply(changes.set_status("s2", "needs-work"))
        os._exit(9)  # die holding the lock, without saving
        """
    )
    subprocess.run([sys.executable, "-c", script], check=False)
    assert lock_path(path).read_text().strip()  # the dead holder's name is still there
    store = ReviewStore.open(path)
    assert any("recovered a lock left by pid" in w for w in store.warnings)
    assert store.doc.segment("s2").status == "needs-work"
    store.close()
    assert not lock_path(path).exists()


def test_lock_error_names_holder(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    holder = ReviewStore.open(path)
    with pytest.raises(LockedError, match=r"pid \d+ \(.*@.*since"):
        ReviewStore.open(path)
    holder.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": "relecture/review",\n "version": 1,\n "segments": [}', r":3:\d+: malformed JSON"),
        ('{"format": "relecture/review", "version": 7, "id": "x", "segments": []}', r"\$\.version: review format version 7 is newer"),
        ('{"format": "other", "version": 1}', r"\$\.format: not a relecture review file"),
        (
            '{"format": "relecture/review", "version": 1, "id": "x", "segments": [{"id": "a", "paragraph": 0, "kind": "sentence"}]}',
            r"\$\.segments\[0\]\.target: missing required field",
        ),
        (
            '{"format": "relecture/review", "version": 1, "id": "x", "segments": [{"id": "a", "paragraph": 0, "kind": "sentence", "target": "t", "status": "done"}]}',
            r"\$\.segments\[0\]\.status: 'done' is not one of",
        ),
        ("", "empty file"),
    ],
)
def test_bad_review_file_is_named_and_never_overwritten(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.review.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        ReviewStore.open(path)
    assert str(info.value).startswith(str(path))
    assert path.read_text(encoding="utf-8") == content
    assert not journal_path(path).exists()
    assert not lock_path(path).exists()


def test_create_refuses_existing_file_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc(2)).close()
    first = path.read_bytes()
    with pytest.raises(InputError, match="exists already"):
        ReviewStore.create(path, make_doc(4))
    assert path.read_bytes() == first
    ReviewStore.create(path, make_doc(4), force=True).close()
    assert backup_path(path).read_bytes() == first
    assert len(load_review(path).segments) == 4


def test_one_action_of_several_changes_is_one_journal_line_kept_whole(tmp_path: Path) -> None:
    """Turning a flag into an annotation is two changes (annotation + dismissal): a crash must
    keep both or neither, never an annotation whose flag still asks for attention."""
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    store = ReviewStore.open(path)
    inverses = store.apply_all([changes.put_annotation("s1", annotation()), changes.dismiss("s1", "llm.x|target|Texte")])
    lines = journal_path(path).read_bytes().splitlines()
    assert len(lines) == 1 and len(json.loads(lines[0])["changes"]) == 2
    assert [c["op"] for c in inverses] == ["undismiss", "delete_annotation"]  # last change undone first
    store._lock.release()  # killed here

    reopened = ReviewStore.open(path)
    seg = reopened.doc.segment("s1")
    assert len(seg.annotations) == 1 and seg.dismissed == ["llm.x|target|Texte"]
    reopened.close()

    # The same line cut short by the crash: neither change comes back.
    store = ReviewStore.open(path)
    store.apply_all([changes.set_status("s2", "approved"), changes.set_note("s2", "relu")])
    store._close_journal()
    store._lock.release()
    raw = journal_path(path).read_bytes()
    journal_path(path).write_bytes(raw[: len(raw) // 2])
    reopened = ReviewStore.open(path)
    assert any("torn last line" in w for w in reopened.warnings)
    assert reopened.doc.segment("s2").status == "todo" and reopened.doc.segment("s2").note == ""
    reopened.close()


def test_a_change_that_does_not_fit_applies_none_of_its_action(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    store = ReviewStore.open(path)
    with pytest.raises(InputError):
        store.apply_all([changes.set_status("s0", "approved"), changes.set_note("no-such-segment", "x")])
    assert store.doc.segment("s0").status == "todo"
    assert not journal_path(path).exists() or not journal_path(path).read_bytes()
    store.close()
    assert load_review(path).segment("s0").status == "todo"
