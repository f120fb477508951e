"""Review files on disk: atomic saves, a journal of every change, and a writer's lock.

Files beside ``doc.review.json``:

- ``doc.review.json.journal``: one JSON line per change, fsynced before the change is
  acknowledged; replayed when the file is next opened, folded in (and removed) by a clean save.
- ``doc.review.json.lock``: held with ``flock`` by the one process that may write; it names the
  holder (pid, user, host, time). The kernel drops the lock when that process dies, so a lock left
  by a crash is recovered on the next open.
- ``doc.review.json.bak``: the version before the last save.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import fcntl
import getpass
import json
import os
import socket
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from relecture import __version__
from relecture.atomicio import atomic_write_text, fsync_dir
from relecture.changes import Change, apply_change
from relecture.errors import InputError, LockedError, ReadOnlyError, SaveError
from relecture.model import ReviewDocument

REVIEW_SUFFIX = ".review.json"


def now_iso() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def review_path_for(source_file: str | Path) -> Path:
    """Where ``relecture import FILE`` writes: ``FILE.review.json`` beside the input."""
    p = Path(source_file)
    return p.with_name(p.name + REVIEW_SUFFIX)


def parse_review_text(text: str, path: str | Path) -> ReviewDocument:
    """Parse and validate review JSON; errors name the file and the line:column or JSON path."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"malformed JSON: {exc.msg}", f"{exc.lineno}:{exc.colno}") from None
    except RecursionError:
        raise InputError(path, "malformed JSON: nested too deeply") from None
    try:
        return ReviewDocument.from_dict(data)
    except InputError as exc:
        raise InputError(path, exc.message, exc.place) from None


def load_review(path: str | Path) -> ReviewDocument:
    """Read a review file without locking or replaying (a snapshot, e.g. for export)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(p, "no such file") from None
    except IsADirectoryError:
        raise InputError(p, "is a directory, not a review file") from None
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror}") from None
    if not raw.strip():
        raise InputError(p, "empty file (a save was interrupted? see the .bak beside it)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(p, "not UTF-8 text", f"byte {exc.start}") from None
    return parse_review_text(text, p)


class _Lock:
    """An advisory ``flock`` on ``<review>.lock`` whose content names the holder."""

    def __init__(self, path: Path) -> None:
        self.path = lock_path(path)
        self.fd: int | None = None
        self.recovered_from: str | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise LockedError(self.path.with_suffix(""), describe_holder(self.path)) from None
            raise
        previous = os.pread(fd, 4096, 0)
        if previous.strip():
            # We got the lock, yet a holder wrote its name: that process died without closing.
            self.recovered_from = _holder_text(previous)
        info = {
            "pid": os.getpid(),
            "user": _user(),
            "host": socket.gethostname(),
            "since": now_iso(),
            "program": f"relecture {__version__}",
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        os.fsync(fd)
        self.fd = fd

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self.fd, 0)
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        os.close(self.fd)  # closing drops the flock
        self.fd = None


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def _holder_text(raw: bytes) -> str:
    try:
        info = json.loads(raw.decode("utf-8", "replace"))
        return (
            f"pid {info.get('pid')} ({info.get('user')}@{info.get('host')}, "
            f"since {info.get('since')})"
        )
    except (ValueError, AttributeError):
        return "another process"


def describe_holder(lock_file: Path) -> str:
    try:
        return _holder_text(lock_file.read_bytes())
    except OSError:
        return "another process"


class ReviewStore:
    """An open review file: the document in memory plus its journal, lock and saves.

    ``apply`` is the only way to change a writable store: the change is applied in memory and
    appended (fsynced) to the journal before it returns, so an acknowledged change survives a
    crash. ``save`` writes the whole file atomically and folds the journal in.
    """

    def __init__(self, path: Path, doc: ReviewDocument, readonly: bool) -> None:
        self.path = path
        self.doc = doc
        self.readonly = readonly
        self.warnings: list[str] = []
        self.unsaved_changes = 0
        self._lock: _Lock | None = None
        self._journal: Any = None
        self._seq = 0

    # --- opening --------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, readonly: bool = False) -> ReviewStore:
        """Open a review file, replaying any journal left by a crash.

        Writable opening takes the lock first (LockedError names the holder). A file that fails
        to load raises InputError and is never written to.
        """
        p = Path(path)
        lock: _Lock | None = None
        if not readonly:
            if not p.exists():
                raise InputError(p, "no such file")
            lock = _Lock(p)
            lock.acquire()
        try:
            doc = load_review(p)
            store = cls(p, doc, readonly)
            store._lock = lock
            if lock is not None and lock.recovered_from:
                store.warnings.append(
                    f"{p}: recovered a lock left by {lock.recovered_from}, which is no longer running"
                )
            replayed = store._replay_journal()
            if replayed and not readonly:
                store.save()
                store.warnings.append(
                    f"{p}: restored {replayed} unsaved change(s) from the journal"
                )
            elif replayed:
                store.warnings.append(
                    f"{p}: showing {replayed} unsaved change(s) from the journal (read-only)"
                )
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return store

    @classmethod
    def create(cls, path: str | Path, doc: ReviewDocument, force: bool = False) -> ReviewStore:
        """Write a new review file and open it for writing.

        Refuses to replace an existing review file unless ``force``; then the old one is kept as
        ``.bak`` and must not be held by another process.
        """
        p = Path(path)
        lock = _Lock(p)
        if p.exists() and not force:
            raise InputError(p, "review file exists already; use --force to replace it (a .bak is kept)")
        lock.acquire()
        try:
            store = cls(p, doc, readonly=False)
            store._lock = lock
            # A journal left from the file being replaced belongs to the old content.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(journal_path(p))
            store.save()
        except BaseException:
            lock.release()
            raise
        return store

    def _replay_journal(self) -> int:
        jpath = journal_path(self.path)
        try:
            raw = jpath.read_bytes()
        except FileNotFoundError:
            return 0
        lines = raw.split(b"\n")
        applied = 0
        last_index = len(lines) - 1
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            torn = number - 1 == last_index  # no newline after it: the write was cut short
            try:
                entry = json.loads(line.decode("utf-8"))
                if not isinstance(entry, dict) or not isinstance(entry.get("change"), dict):
                    raise ValueError("not a journal entry")
            except (ValueError, UnicodeDecodeError):
                what = "torn last line (interrupted write)" if torn else "unreadable line"
                self.warnings.append(f"{jpath}:{number}: ignored {what}")
                continue
            try:
                apply_change(self.doc, entry["change"])
            except InputError as exc:
                self.warnings.append(f"{jpath}:{number}: ignored change that no longer fits: {exc.message}")
                continue
            self._seq = max(self._seq, int(entry.get("seq", 0)) if str(entry.get("seq", "0")).isdigit() else 0)
            applied += 1
        return applied

    # --- changing ---------------------------------------------------------------------------
    def apply(self, change: Change) -> Change:
        """Apply a change, journal it durably, and return its inverse (for undo)."""
        if self.readonly:
            raise ReadOnlyError(f"{self.path}: opened read-only; changes are not allowed")
        inverse = apply_change(self.doc, change)
        try:
            self._append_journal(change)
        except OSError as exc:
            apply_change(self.doc, inverse)
            raise SaveError(
                f"{journal_path(self.path)}: could not record the change ({exc.strerror or exc}); "
                "it was not applied"
            ) from None
        self.unsaved_changes += 1
        return inverse

    def apply_many(self, changes: Iterable[Change]) -> list[Change]:
        return [self.apply(c) for c in changes]

    def _append_journal(self, change: Change) -> None:
        if self._journal is None:
            jpath = journal_path(self.path)
            existed = jpath.exists()
            self._journal = open(jpath, "ab")  # noqa: SIM115 - kept open for the session
            if not existed:
                fsync_dir(self.path.parent)
        self._seq += 1
        entry = {"seq": self._seq, "time": now_iso(), "change": change}
        self._journal.write(json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n")
        self._journal.flush()
        os.fsync(self._journal.fileno())

    # --- saving -----------------------------------------------------------------------------
    def save(self) -> None:
        """Write the whole document atomically (keeping ``.bak``), then drop the journal."""
        if self.readonly:
            raise ReadOnlyError(f"{self.path}: opened read-only; cannot save")
        self.doc.relecture_version = __version__
        try:
            atomic_write_text(self.path, self.doc.to_json(), keep_backup=True)
        except OSError as exc:
            jpath = journal_path(self.path)
            kept = f"; unsaved changes are kept in {jpath}" if jpath.exists() else ""
            raise SaveError(
                f"{self.path}: could not save ({exc.strerror or exc}); the previous version is intact{kept}"
            ) from None
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        with contextlib.suppress(FileNotFoundError):
            os.unlink(journal_path(self.path))
        self._seq = 0
        self.unsaved_changes = 0

    def close(self, save: bool = True) -> None:
        """Save pending changes (unless told not to) and release the lock."""
        try:
            if save and not self.readonly and (
                self.unsaved_changes or journal_path(self.path).exists()
            ):
                self.save()
        finally:
            if self._journal is not None:
                self._journal.close()
                self._journal = None
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close(save=exc_info[0] is None)
