"""Faults: SIGKILL at random moments, full disks, failing writes, torn files, stale locks, rivals.

tests/test_store.py covers the basic journal/lock behaviour; these tests attack it: real kills of
a writing process, a real full filesystem (a tiny tmpfs, when this machine lets us mount one),
every failing system call on the save and journal paths, and damaged files on disk.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, assert_valid_review_file, depth
from relecture import changes
from relecture.cli import main
from relecture.errors import InputError, LockedError, SaveError
from relecture.model import ReviewDocument, Segment
from relecture.store import ReviewStore, backup_path, journal_path, load_review, lock_path

N_SEGMENTS = 3000  # big enough that a save takes long enough to be killed in the middle


def make_doc(n: int = 5) -> ReviewDocument:
    return ReviewDocument(
        id="doc",
        title="Faults",
        source_lang="en",
        target_lang="fr",
        segments=[
            Segment(
                id=f"s{i}", paragraph=i, source=f"The sentence number {i} is here.",
                target=f"La phrase numéro {i} est là, « entière ».", space_after="\n",
            )
            for i in range(n)
        ],
    )


def note(i: int) -> dict:
    return changes.set_note(f"s{i}", f"note {i} é")


def crash(store: ReviewStore) -> None:
    """What the kernel does when the process dies: close its files (dropping the lock), nothing more."""
    store._journal.close()
    store._lock.release()


def partial_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def one_line(message: str, path: Path) -> None:
    assert message.startswith(str(path)), message
    assert "\n" not in message


# --- SIGKILL at random moments ---------------------------------------------------------------------

CHILD = textwrap.dedent(
    """
    import sys
    from relecture import changes
    from relecture.model import Annotation
    from relecture.store import ReviewStore

    path, start, count, save_every, n_segments = sys.argv[1], *map(int, sys.argv[2:6])
    print("START", flush=True)
    store = ReviewStore.open(path)
    print("OPEN", flush=True)
    for n in range(start, start + count):
        annotation = Annotation(
            id=f"a{n}", side="target", start=0, end=2, category="Style/Awkward", severity="minor",
            comment=f"change {n} « é »",
        )
        store.apply(changes.put_annotation(f"s{n % n_segments}", annotation))
        print(f"ACK {n}", flush=True)
        if n % save_every == 0:
            print(f"SAVING {n}", flush=True)
            store.save()
            print(f"SAVED {n}", flush=True)
    store.close()
    print("DONE", flush=True)
    """
)


def present_ids(path: Path) -> set[int]:
    store = ReviewStore.open(path, readonly=True)  # replays the journal, writes nothing
    return {int(a.id[1:]) for s in store.doc.segments for a in s.annotations}


def kill_round(path: Path, rng: random.Random, start: int, mode: str) -> tuple[set[int], int | None, bool]:
    """Run the child, SIGKILL it at a random moment; return (acknowledged, in flight, killed mid-save)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(start), "400", str(rng.choice([7, 13, 25])), str(N_SEGMENTS)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )
    assert proc.stdout is not None
    acked: set[int] = set()
    lines: list[str] = []
    target_acks = rng.randint(1, 60)
    try:
        if mode == "startup":  # during import, opening, journal replay or the save that folds it in
            time.sleep(rng.uniform(0.0, 0.6))
        else:
            for line in proc.stdout:
                lines.append(line.strip())
                if line.startswith("ACK "):
                    acked.add(int(line.split()[1]))
                if mode.startswith("save") and line.startswith("SAVING") and len(acked) >= target_acks // 4:
                    # "save-now": kill at once, well inside a save of N_SEGMENTS (tens of ms).
                    time.sleep(0.0 if mode == "save-now" else rng.uniform(0.0, 0.03))
                    break
                if mode == "apply" and len(acked) >= target_acks:
                    time.sleep(rng.uniform(0.0, 0.004))
                    break
    finally:
        proc.send_signal(signal.SIGKILL)
        # Read the rest through the same text stream: iterating it read ahead into its buffer,
        # which communicate() would skip (it reads the pipe underneath), losing ACK lines.
        rest = proc.stdout.read()
        err = proc.stderr.read() if proc.stderr is not None else ""
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, err
    for line in [*lines, *rest.splitlines()]:
        if line.startswith("ACK "):
            acked.add(int(line.split()[1]))
    all_lines = [*lines, *rest.splitlines()]
    mid_save = bool(all_lines) and all_lines[-1].startswith("SAVING")
    in_flight = max(acked) + 1 if acked else (start if "OPEN" in all_lines else None)
    return acked, in_flight, mid_save


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(1, depth(2) + 1))
def test_sigkill_at_random_points_loses_no_acknowledged_change(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / "killed.review.json"
    ReviewStore.create(path, make_doc(N_SEGMENTS)).close()
    acknowledged: set[int] = set()
    start = 0
    mid_saves = 0
    in_flights: set[int] = set()
    for mode in ["apply", "save-now", "startup", "save", "apply"]:
        acked, in_flight, mid_save = kill_round(path, rng, start, mode)
        acknowledged |= acked
        mid_saves += mid_save
        if in_flight is not None:
            in_flights.add(in_flight)
        present = present_ids(path)
        missing = acknowledged - present
        assert not missing, f"acknowledged changes lost after SIGKILL ({mode}): {sorted(missing)[:10]}"
        # Nothing that was never asked for; at most the one change in flight beyond each run's last ACK.
        assert present - acknowledged <= in_flights
        assert_valid_review_file(path)
        start = max(present | acknowledged | {start - 1}) + 1
    # Reopening for writing folds the journal in and clears the leftovers of a killed save.
    store = ReviewStore.open(path)
    assert acknowledged <= {int(a.id[1:]) for s in store.doc.segments for a in s.annotations}
    store.close()
    assert not journal_path(path).exists() and not lock_path(path).exists()
    assert partial_files(tmp_path) == []
    assert_valid_review_file(path)
    assert json.loads(backup_path(path).read_text(encoding="utf-8"))["format"] == "relecture/review"
    assert mid_saves >= 1  # at least one kill landed between "SAVING" and "SAVED"


def test_kill_during_save_leaves_temp_file_that_next_open_removes(tmp_path: Path) -> None:
    path = tmp_path / "t.review.json"
    ReviewStore.create(path, make_doc()).close()
    store = ReviewStore.open(path)
    store.apply(note(1))
    # What a kill between the temporary file's write and the rename leaves behind.
    leftover = tmp_path / f".{path.name}.abcd1234.tmp"
    leftover.write_bytes(store.doc.to_json().encode()[:100])
    staging = tmp_path / f".{path.name}.bak.tmp"
    staging.write_bytes(b"{")
    other = tmp_path / ".other.review.json.abcd1234.tmp"  # another file's: not ours to remove
    other.write_bytes(b"x")
    crash(store)
    reopened = ReviewStore.open(path)
    assert reopened.doc.segment("s1").note == "note 1 é"
    assert sum("removed an unfinished save" in w for w in reopened.warnings) == 2
    reopened.close()
    assert partial_files(tmp_path) == [other.name]


# --- a real full disk (tmpfs) ---------------------------------------------------------------------


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs: the kernel, not a mock, says ENOSPC."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root (the monkeypatched fault tests below still run)")
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({proc.stderr.strip()}); the monkeypatched fault tests still run")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path) -> Path:
    """Take every free block of the filesystem."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        for size in (65536, 4096, 1):  # big chunks, then the last partial page byte by byte
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    finally:
        os.close(fd)
    return filler


def test_disk_full_during_save_keeps_file_and_journal(tiny_fs: Path) -> None:
    path = tiny_fs / "d.review.json"
    ReviewStore.create(path, make_doc(150)).close()  # ~50 KiB
    before = path.read_bytes()
    store = ReviewStore.open(path)
    store.apply(note(3))
    filler = fill(tiny_fs)
    with pytest.raises(SaveError) as info:
        store.save()
    message = str(info.value)
    one_line(message, path)
    assert "No space left on device" in message and "previous version is intact" in message
    assert str(journal_path(path)) in message
    assert path.read_bytes() == before
    assert partial_files(tiny_fs) == []
    assert '"note 3 é"' in journal_path(path).read_text(encoding="utf-8")
    # The reviewer frees some space and saves again: nothing was lost.
    filler.unlink()
    store.save()
    store.close()
    assert load_review(path).segment("s3").note == "note 3 é"
    assert_valid_review_file(path)


def test_disk_full_during_journal_append_refuses_the_change_and_keeps_the_rest(tiny_fs: Path) -> None:
    path = tiny_fs / "d.review.json"
    ReviewStore.create(path, make_doc(10)).close()
    store = ReviewStore.open(path)
    store.apply(note(0))
    filler = fill(tiny_fs)
    # Fill the journal's last page too, so that the next line truly has nowhere to go.
    refused = 0
    for i in range(1, 200):
        try:
            store.apply(changes.set_note("s1", "x" * 300 + str(i)))
        except SaveError as exc:
            one_line(str(exc), journal_path(path))
            assert "No space left on device" in str(exc) and "was not applied" in str(exc)
            refused = i
            break
    assert refused, "the disk never filled up"
    assert store.doc.segment("s1").note == ("x" * 300 + str(refused - 1) if refused > 1 else "")
    filler.unlink()
    store.apply(note(2))  # acknowledged after the failure
    crash(store)
    reopened = ReviewStore.open(path)
    assert not [w for w in reopened.warnings if "ignored" in w], reopened.warnings
    assert reopened.doc.segment("s0").note == "note 0 é"
    assert reopened.doc.segment("s2").note == "note 2 é"
    assert reopened.doc.segment("s1").note == ("x" * 300 + str(refused - 1) if refused > 1 else "")
    reopened.close()
    assert_valid_review_file(path)


def test_cli_import_onto_a_full_disk(tiny_fs: Path, tmp_path: Path) -> None:
    source = tmp_path / "doc.txt"
    source.write_text("".join(f"Phrase numéro {i}, assez longue pour peser.\n" for i in range(3000)), encoding="utf-8")
    review = tiny_fs / "doc.review.json"
    ReviewStore.create(review, make_doc(3)).close()
    before = review.read_bytes()
    fill(tiny_fs)
    result = CliRunner().invoke(main, ["import", str(source), "-o", str(review), "--force", "--target-lang", "fr"])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"relecture: {review}: could not save (No space left on device)")
    assert review.read_bytes() == before
    assert partial_files(tiny_fs) == [] and not lock_path(review).exists()


# --- failing system calls (portable: monkeypatched) -------------------------------------------------


def _fail(code: int):  # type: ignore[no-untyped-def]
    def failing(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return failing


SAVE_FAULTS = {
    "fsync EIO": ("os", "fsync", errno.EIO),
    "mkstemp ENOSPC": ("tempfile", "mkstemp", errno.ENOSPC),
    "replace ENOSPC": ("os", "replace", errno.ENOSPC),
    "replace EROFS": ("os", "replace", errno.EROFS),
    "link and copy fail": ("pathlib", "open", errno.EDQUOT),
}


@pytest.mark.parametrize("fault", sorted(SAVE_FAULTS))
def test_save_fault_keeps_previous_file_journal_and_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    import pathlib
    import tempfile

    module_name, attribute, code = SAVE_FAULTS[fault]
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    with ReviewStore.open(path) as first_session:  # a .bak exists, as in any session after the first
        first_session.apply(note(0))
    before, bak_before = path.read_bytes(), backup_path(path).read_bytes()
    store = ReviewStore.open(path)
    store.apply(note(1))
    module = {"os": os, "tempfile": tempfile, "pathlib": pathlib}[module_name]
    if fault == "link and copy fail":
        monkeypatch.setattr(os, "link", _fail(errno.EPERM))
        monkeypatch.setattr(pathlib.Path, "open", _fail(code))
    else:
        monkeypatch.setattr(module, attribute, _fail(code))
    with pytest.raises(SaveError) as info:
        store.save()
    monkeypatch.undo()
    one_line(str(info.value), path)
    assert os.strerror(code) in str(info.value) and "previous version is intact" in str(info.value)
    assert path.read_bytes() == before and backup_path(path).read_bytes() == bak_before
    assert partial_files(tmp_path) == []
    # The session goes on: later changes are journaled and a later save succeeds.
    store.apply(note(2))
    store.save()
    store.close()
    doc = load_review(path)
    assert (doc.segment("s1").note, doc.segment("s2").note) == ("note 1 é", "note 2 é")


def test_partial_journal_write_is_taken_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC after half a line: the half line must not glue itself to the next, acknowledged one."""
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    store = ReviewStore.open(path)
    store.apply(note(0))
    real_write = os.write
    calls = {"n": 0}

    def half_then_full(fd: int, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(SaveError, match="was not applied"):
        store.apply(note(1))
    monkeypatch.undo()
    assert store.doc.segment("s1").note == ""
    store.apply(note(2))
    crash(store)
    reopened = ReviewStore.open(path)
    assert reopened.warnings == [f"{path}: restored 2 unsaved change(s) from the journal"]
    assert [reopened.doc.segment(f"s{i}").note for i in range(3)] == ["note 0 é", "", "note 2 é"]
    reopened.close()


def test_fsync_failure_after_full_write_does_not_resurrect_the_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    store = ReviewStore.open(path)
    monkeypatch.setattr(os, "fsync", _fail(errno.EIO))
    with pytest.raises(SaveError, match=r"Input/output error.*was not applied"):
        store.apply(note(1))
    monkeypatch.undo()
    crash(store)
    reopened = ReviewStore.open(path)
    assert reopened.doc.segment("s1").note == ""  # the user was told it was not applied
    reopened.close()


def test_untruncatable_partial_line_is_isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If even taking the half line back fails, the next entry starts on a line of its own."""
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    store = ReviewStore.open(path)
    real_write = os.write
    calls = {"n": 0}

    def half_then_fail(fd: int, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "write", half_then_fail)
    monkeypatch.setattr(os, "ftruncate", _fail(errno.EIO))
    with pytest.raises(SaveError):
        store.apply(note(1))
    monkeypatch.undo()
    store.apply(note(2))
    store.apply(note(3))
    crash(store)
    reopened = ReviewStore.open(path)
    assert [reopened.doc.segment(f"s{i}").note for i in (1, 2, 3)] == ["", "note 2 é", "note 3 é"]
    assert any(f"{journal_path(path)}:1: ignored unreadable line" in w for w in reopened.warnings)
    reopened.close()


def test_change_with_lone_surrogate_is_refused_not_half_applied(tmp_path: Path) -> None:
    """Text from argv or a clipboard can hold surrogate escapes; it must not reach the journal."""
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    store = ReviewStore.open(path)
    with pytest.raises(InputError, match="not Unicode") as info:
        store.apply(changes.set_note("s1", "caf\udce9"))
    one_line(str(info.value), path)
    assert store.doc.segment("s1").note == ""
    store.apply(note(2))
    store.close()
    assert load_review(path).segment("s2").note == "note 2 é"


# --- damaged files on disk ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_truncated_review_file_is_named_with_place_and_backup_never_overwritten(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc(40)).close()
    with ReviewStore.open(path) as store:
        store.apply(note(4))
    full = path.read_bytes()
    cut = random.Random(seed).randint(0, len(full) - 2)
    path.write_bytes(full[:cut])
    bak_before = backup_path(path).read_bytes()
    with pytest.raises(InputError) as info:
        ReviewStore.open(path)
    message = str(info.value)
    one_line(message, path)
    if cut and full[:cut].strip():
        assert f"{path}:" in message and "malformed JSON" in message
        line, column = message[len(str(path)) + 1 :].split(":")[:2]
        assert int(line) >= 1 and int(column) >= 1
    else:
        assert "empty file" in message
    assert f"the version before the last save is {backup_path(path)}" in message
    assert path.read_bytes() == full[:cut] and backup_path(path).read_bytes() == bak_before
    assert not lock_path(path).exists() and not journal_path(path).exists()
    # The backup it points at is a good review file.
    assert load_review(backup_path(path)).segment("s4").note == ""
    result = CliRunner().invoke(main, ["info", str(path)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1


def test_journal_that_cannot_be_read_refuses_to_open(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    journal_path(path).mkdir()  # not a file relecture could have written
    with pytest.raises(InputError, match="is not a regular file") as info:
        ReviewStore.open(path)
    one_line(str(info.value), journal_path(path))
    assert not lock_path(path).exists()


HOSTILE_LINES = [
    b"\xff\xfe\x00garbage",
    b"\x00" * 50,
    b'{"seq": "\xc2\xb2", "change": {"op": "set_status", "segment": "s0", "value": "rejected"}}',  # "²".isdigit()
    b'{"seq": "' + b"9" * 5000 + b'", "change": {"op": "set_doc_note", "value": "x"}}',
    b'{"seq": 1, "change": {"op": "set_note", "segment": "s0", "value": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
    b'{"seq": 1, "change": {"op": "set_note", "segment": "s0", "value": "\\ud800"}}',
    b'{"seq": 1, "change": {"op": "put_annotation", "segment": "s0", "annotation": {"id": "z", "side": "target", '
    b'"start": 0, "end": 1, "category": "c", "severity": "minor", "meta": ' + b"[" * 300 + b"]" * 300 + b"}}}",
    b'{"seq": 1, "change": {"op": "set_status", "segment": "nope", "value": "approved"}}',
    b'{"seq": 1, "change": {"op": "drop_table"}}',
    b"[1, 2, 3]",
    b'"just a string"',
    b"{" * 10,
]


@pytest.mark.parametrize("bad", HOSTILE_LINES, ids=range(len(HOSTILE_LINES)))
def test_hostile_journal_line_is_reported_and_the_rest_replayed(tmp_path: Path, bad: bytes) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    store = ReviewStore.open(path)
    store.apply(note(1))
    store.apply(note(2))
    crash(store)
    lines = journal_path(path).read_bytes().split(b"\n")
    journal_path(path).write_bytes(lines[0] + b"\n" + bad + b"\n" + lines[1] + b"\n")
    reopened = ReviewStore.open(path)
    assert reopened.doc.segment("s1").note == "note 1 é"
    assert reopened.doc.segment("s2").note == "note 2 é"
    if bad.startswith(b'{"seq": "'):  # a readable change with an odd seq is still a change
        assert reopened.doc.segment("s0").status == "rejected" or reopened.doc.note == "x"
    else:
        assert any(f"{journal_path(path)}:2: ignored" in w for w in reopened.warnings), reopened.warnings
        assert reopened.doc.segment("s0").note == "" and reopened.doc.segment("s0").status == "todo"
    reopened.close()
    assert_valid_review_file(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.lists(st.tuples(st.integers(0, 8), st.binary(max_size=60)), max_size=4), torn=st.integers(0, 40))
def test_random_journal_damage_never_blocks_opening(tmp_path_factory: pytest.TempPathFactory, garbage: list[tuple[int, bytes]], torn: int) -> None:
    folder = tmp_path_factory.mktemp("journal")
    path = folder / "d.review.json"
    ReviewStore.create(path, make_doc(8)).close()
    store = ReviewStore.open(path)
    for i in range(8):
        store.apply(note(i))
    crash(store)
    lines = journal_path(path).read_bytes().split(b"\n")[:-1]
    damaged = list(lines)
    for position, junk in garbage:
        damaged.insert(min(position, len(damaged)), junk.replace(b"\n", b" "))
    data = b"\n".join(damaged) + b"\n"
    data = data[: len(data) - torn] if torn else data  # cut the end as a crash would
    journal_path(path).write_bytes(data)
    reopened = ReviewStore.open(path)
    intact = {line for line in data.split(b"\n")[:-1]}  # whole lines that reached the disk
    for i, line in enumerate(lines):
        if line in intact:
            assert reopened.doc.segment(f"s{i}").note == f"note {i} é"
    reopened.close()
    assert not journal_path(path).exists()
    assert_valid_review_file(path)


# --- locks ---------------------------------------------------------------------------------------------


HOLDER = textwrap.dedent(
    """
    import sys, time
    from relecture import changes
    from relecture.store import ReviewStore
    store = ReviewStore.open(sys.argv[1])
    store.apply(changes.set_status("s2", "needs-work"))
    print("HOLDING", flush=True)
    time.sleep(60)
    """
)


def start_holder(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "HOLDING"
    return proc


def test_lock_of_a_sigkilled_holder_is_recovered_with_message(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    holder = start_holder(path)
    with pytest.raises(LockedError, match=rf"already open for writing by pid {holder.pid} "):
        ReviewStore.open(path)
    holder.kill()
    holder.wait(timeout=10)
    store = ReviewStore.open(path)
    assert any(f"recovered a lock left by pid {holder.pid}" in w for w in store.warnings)
    assert store.doc.segment("s2").status == "needs-work"
    store.close()


def test_garbage_in_stale_lock_file_is_recovered(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    lock_path(path).write_bytes(b"\xff\x00 not json")  # e.g. copied from another machine
    store = ReviewStore.open(path)
    assert any("recovered a lock left by another process" in w for w in store.warnings)
    store.close()
    assert not lock_path(path).exists()


def test_lock_released_between_open_and_flock_is_not_a_second_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The holder unlinks the lock file as it releases. A process that opened the old file just
    before must not end up 'holding' a deleted file while a third process locks the new one."""
    import fcntl

    path = tmp_path / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    holder = ReviewStore.open(path)
    real_flock = fcntl.flock
    state = {"released": False}

    def flock_after_release(fd: int, operation: int) -> None:
        if not state["released"]:
            state["released"] = True
            holder.close()  # happens between this process's os.open and its flock
        real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock_after_release)
    second = ReviewStore.open(path)
    monkeypatch.undo()
    assert lock_path(path).exists()
    with pytest.raises(LockedError):
        ReviewStore.open(path)  # the third process sees the second one's lock
    second.close()


def test_second_process_cannot_write_through_the_cli(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("Bonjour le monde.\nAu revoir.\n", encoding="utf-8")
    review = tmp_path / "doc.txt.review.json"
    assert CliRunner().invoke(main, ["import", str(doc), "--target-lang", "fr"]).exit_code == 0
    holder = start_holder_on(review)
    try:
        before = review.read_bytes()
        for args in (["import", str(doc), "--force", "--target-lang", "fr"], ["check", str(review)]):
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 2, (args, result.output)
            assert result.stderr.count("\n") == 1
            assert f"{review}: already open for writing by pid {holder.pid}" in result.stderr
            assert review.read_bytes() == before
        result = CliRunner().invoke(main, ["info", str(review)])  # reading still works
        assert result.exit_code == 0 and "segments" in result.stdout
    finally:
        holder.kill()
        holder.wait(timeout=10)


def start_holder_on(path: Path) -> subprocess.Popen[str]:
    script = textwrap.dedent(
        """
        import sys, time
        from relecture.store import ReviewStore
        store = ReviewStore.open(sys.argv[1])
        print("HOLDING", flush=True)
        time.sleep(60)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "HOLDING"
    return proc


def test_read_only_filesystem_refuses_writing_with_message_but_reads(tiny_fs: Path) -> None:
    path = tiny_fs / "d.review.json"
    ReviewStore.create(path, make_doc()).close()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_fs)], check=True)
    with pytest.raises(SaveError) as info:
        ReviewStore.open(path)
    one_line(str(info.value), path)
    assert "cannot take the writer's lock (Read-only file system)" in str(info.value)
    assert len(ReviewStore.open(path, readonly=True).doc.segments) == 5
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
    assert "Read-only file system" in result.stderr
