"""Review files on disk: atomic saves, a journal of every change, and a writer's lock.

Files beside ``doc.review.json``:

- ``doc.review.json.journal``: one JSON line per change, fsynced before the change is
  acknowledged; replayed when the file is next opened, folded in (and removed) by a clean save.
- ``doc.review.json.lock``: held with ``flock`` by the one process that may write; it names the
  holder (pid, user, host, time). The kernel drops the lock when that process dies, so a lock left
  by a crash is recovered on the next open.
- ``doc.review.json.bak``: the version before the last save.

Side files are opened without following symbolic links and only when they are regular files: a
committed ``doc.review.json.lock -> ~/.profile`` must not empty ``~/.profile``, and a FIFO or a
device must not hang or flood a reader. The writer also holds a ``flock`` on the review file
itself (each save locks the new file before renaming it over the old one), so deleting the
``.lock`` file from outside does not let a second writer in.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from relecture import __version__
from relecture.atomicio import atomic_writer, file_mode, fsync_dir
from relecture.changes import Change, apply_change, stamp
from relecture.errors import ConflictError, InputError, LoadingError, LockedError, ReadOnlyError, SaveError
from relecture.gcpause import gc_paused
from relecture.model import ReviewDocument
from relecture.store import reader as _reader
from relecture.store.journal import Journal, read_journal
from relecture.store.lock import _Lock
from relecture.store.paths import (
    _check_side_file,
    _real_review_path,
    _signature,
    backup_path,
    conflict_path,
    journal_path,
)
from relecture.store.reader import (
    SegmentStream,
    _load_stream,
    _with_backup_hint,
    _worth_streaming,
    open_stream,
)


def _apply_in_memory(doc: ReviewDocument, changes: list[Change]) -> list[Change]:
    """Apply all or none: on a change that does not fit, the ones before it are undone."""
    inverses: list[Change] = []
    try:
        for change in changes:
            inverses.append(apply_change(doc, change))
    except BaseException:
        _undo_in_memory(doc, inverses[::-1])
        raise
    return inverses[::-1]


def _undo_in_memory(doc: ReviewDocument, inverses: list[Change]) -> None:
    for inverse in inverses:
        apply_change(doc, inverse)


def _remove_partial_saves(path: Path) -> list[str]:
    """Delete temporary files of saves cut short by a crash (call only while holding the lock)."""
    pattern = re.compile(r"\." + re.escape(path.name) + r"\.(?:[a-z0-9_]{8}|bak)\.tmp")
    removed: list[str] = []
    try:
        names = os.listdir(path.parent)
    except OSError:
        return removed
    for name in names:
        if pattern.fullmatch(name):
            with contextlib.suppress(OSError):
                os.unlink(path.parent / name)
                removed.append(f"{path.parent / name}: removed an unfinished save left by an interrupted process")
    return removed


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
        self._journal = Journal(path)
        self._seq = 0
        self._stream: SegmentStream | None = None  # the rest of a progressive open
        self.reviewer: str | None = None  # stamped on the changes that name no reviewer
        # The review file as this session last read or wrote it (see SegmentStream.signature).
        self._signature: tuple[int, int, int, int] | None = None
        self._digest: bytes | None = None
        self._like: Path | None = None  # a new review file's document: its mode bounds ours
        self.conflict: Path | None = None  # where this session's version went (see save)

    # --- progressive opening ------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        """Part of the document is still to be read (see ``open(progressive=True)``)."""
        return self._stream is not None

    @property
    def loaded_fraction(self) -> float:
        return 1.0 if self._stream is None else self._stream.fraction

    def load_more(self, count: int = 2000) -> bool:
        """Read up to ``count`` more segments; True when the whole document is in memory.

        InputError (file and place) when the rest of the file is damaged: the caller stops.
        """
        stream = self._stream
        if stream is None:
            return True
        try:
            with gc_paused():
                done = stream.step(count)
        except InputError as exc:
            self._stream = None
            raise _with_backup_hint(self.path, exc) from None
        if done:
            self._digest = stream.digest
            self._stream = None
        return done

    def _refuse_while_loading(self, what: str) -> None:
        if self._stream is not None:
            raise LoadingError(f"{self.path}: still loading ({self.loaded_fraction:.0%}); {what} in a moment")

    # --- opening --------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, readonly: bool = False, progressive: bool = False) -> ReviewStore:
        """Open a review file, replaying any journal left by a crash.

        Writable opening takes the lock first (LockedError names the holder). A file that fails
        to load raises InputError and is never written to.

        With ``progressive``, a large file without a journal returns once its header and first
        segments are read: the caller shows them and calls ``load_more`` until it returns True.
        Until then the store refuses changes and saves (it holds part of the document).
        """
        p = _real_review_path(Path(path))
        _check_side_file(journal_path(p))
        lock: _Lock | None = None
        if not readonly:
            if not p.exists():
                raise InputError(p, "no such file")
            lock = _Lock(p, file_mode(p))
            lock.acquire()
        try:
            stream: SegmentStream | None = None
            if progressive and _worth_streaming(p):
                stream = open_stream(p, head=_reader.PROGRESSIVE_HEAD_BYTES)
                try:
                    stream.step(_reader.PROGRESSIVE_HEAD)
                except InputError as exc:
                    raise _with_backup_hint(p, exc) from None
            else:
                stream = _load_stream(p)
            doc = stream.doc
            store = cls(p, doc, readonly)
            store._signature, store._digest = stream.signature, stream.digest
            if stream.done:
                stream = None
            store._stream = stream
            store._lock = lock
            if lock is not None and lock.recovered_from:
                store.warnings.append(
                    f"{p}: recovered a lock left by {lock.recovered_from}, which is no longer running"
                )
            if lock is not None:
                store.warnings.extend(_remove_partial_saves(p))
            # (A progressive open only starts when there is no journal: see _worth_streaming.)
            replayed = store._replay_journal() if stream is None else 0
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
    def create(
        cls, path: str | Path, doc: ReviewDocument, force: bool = False, like: str | Path | None = None
    ) -> ReviewStore:
        """Write a new review file and open it for writing.

        Refuses to replace an existing review file unless ``force``; then the old one is kept as
        ``.bak`` (with any unsaved changes of its journal folded in) and must not be held by
        another process. ``like`` is the document the review comes from: the review file, its
        journal and lock are never more readable than it.
        """
        p = Path(path)
        if p.is_symlink():
            raise InputError(p, "is a symbolic link; name the file it points to (or another path) with -o")
        if p.exists() and not force:
            raise InputError(p, "review file exists already; use --force to replace it (a .bak is kept)")
        _check_side_file(journal_path(p))
        lock = _Lock(p, file_mode(p, like))
        lock.acquire()
        try:
            store = cls(p, doc, readonly=False)
            store._lock = lock
            store._like = Path(like) if like is not None else None
            store.warnings.extend(_remove_partial_saves(p))
            # A journal left from the file being replaced holds unsaved work on the old content.
            store.warnings.extend(store._fold_into_backup())
            store.save()
        except BaseException:
            lock.release()
            raise
        return store

    def _fold_into_backup(self) -> list[str]:
        """Before ``create`` replaces a review file: fold the journal a crash left into the old
        version, which the save then keeps as ``.bak``; when the old version cannot be read, keep
        the journal beside the backup (``.bak.journal``, replayed when the .bak is opened)."""
        jpath = journal_path(self.path)
        if not jpath.exists() or not self.path.exists():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(jpath)
            return []
        backup = backup_path(self.path)
        try:
            old = ReviewStore(self.path, _load_stream(self.path).doc, readonly=False)
            folded = old._replay_journal()
            if folded:
                self._write_review((c.encode("utf-8") for c in old.doc.json_chunks()), keep_backup=False)
        except (InputError, OSError, UnicodeEncodeError, RecursionError):
            kept = journal_path(backup)
            os.replace(jpath, kept)
            fsync_dir(self.path.parent)
            return [f"{self.path}: the old version could not take its unsaved changes; their journal is kept "
                    f"as {kept} (opening {backup} replays it)"]
        os.unlink(jpath)
        if not folded:
            return []
        return [*old.warnings, f"{self.path}: folded {folded} unsaved change(s) from the journal into the old "
                               f"version, kept as {backup}"]

    def _replay_journal(self) -> int:
        jpath = journal_path(self.path)
        applied = 0
        for number, changes, seq, unreadable in read_journal(self.path):
            if changes is None:
                self.warnings.append(f"{jpath}:{number}: ignored {unreadable}")
                continue
            try:
                _apply_in_memory(self.doc, changes)
            except InputError as exc:
                self.warnings.append(f"{jpath}:{number}: ignored change that no longer fits: {exc.message}")
                continue
            if seq is not None:
                self._seq = max(self._seq, seq)
            applied += 1
        return applied

    # --- changing ---------------------------------------------------------------------------
    def apply(self, change: Change) -> Change:
        """Apply a change, journal it durably, and return its inverse (for undo)."""
        return self.apply_all([change])[0]

    def apply_all(self, changes: list[Change]) -> list[Change]:
        """Apply changes as one: one journal line, fsynced, so a crash keeps all or none of them
        (an annotation made from a flag must not come back without the flag's dismissal).

        Returns the inverses in the order that undoes them (last change first).
        """
        if self.readonly:
            raise ReadOnlyError(self._readonly_reason("changes are not allowed"))
        self._refuse_while_loading("changes are possible")
        if self.reviewer:
            changes = [stamp(c, self.reviewer) for c in changes]
        if self._lock is not None:
            self._lock.verify()
        inverses = _apply_in_memory(self.doc, changes)
        try:
            self._append_journal(changes)
        except UnicodeEncodeError:
            _undo_in_memory(self.doc, inverses)
            raise InputError(
                self.path, "the change holds text that is not Unicode (a lone surrogate); it was not applied"
            ) from None
        except OSError as exc:
            _undo_in_memory(self.doc, inverses)
            raise SaveError(
                f"{journal_path(self.path)}: could not record the change ({exc.strerror or exc}); "
                "it was not applied"
            ) from None
        except InputError as exc:  # the journal's path holds a link, a FIFO...: refused
            _undo_in_memory(self.doc, inverses)
            raise InputError(exc.path, f"{exc.message}; the change was not applied") from None
        self.unsaved_changes += 1
        return inverses

    def _append_journal(self, changes: list[Change]) -> None:
        self._journal.append(self._seq + 1, changes)
        self._seq += 1

    # --- saving -----------------------------------------------------------------------------
    def _readonly_reason(self, what: str) -> str:
        if self.conflict is not None:
            return (f"{self.path}: changed by another program during this session, whose version is in "
                    f"{self.conflict}; {what}")
        return f"{self.path}: opened read-only; {what}"

    def _write_review(self, data: bytes | Iterable[bytes], keep_backup: bool = True) -> None:
        """Write the review file atomically (``data``: its bytes, or its pieces in order); the
        new file is locked before it replaces the old one, so the writer's lock never lapses
        (see ``_Lock``). An exception while the pieces are made leaves the old file as it was."""
        taken: list[int] = []
        digest = hashlib.sha256()

        def lock_new(fd: int) -> None:
            if self._lock is not None:
                new = os.dup(fd)
                taken.append(new)
                fcntl.flock(new, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody else knows this file yet

        try:
            with atomic_writer(self.path, keep_backup=keep_backup, like=self._like, before_replace=lock_new) as handle:
                for chunk in [data] if isinstance(data, bytes) else data:
                    digest.update(chunk)
                    handle.write(chunk)
        except BaseException:
            for fd in taken:
                os.close(fd)
            raise
        self._like = None
        if taken and self._lock is not None:
            self._lock.adopt(taken[0])
            self._signature = _signature(os.fstat(taken[0]))
        else:
            self._signature = _signature(os.stat(self.path))
        self._digest = digest.digest()

    def _changed_outside(self) -> str | None:
        """Why the review file on disk is no longer the one this session read or wrote, or None.

        An editor, ``git checkout`` or another tool may have rewritten it: a save would silently
        throw that work away. Device, inode, size and modification time say it is untouched;
        when they differ, the same bytes (a ``touch``, a copy of the same content) are no change.
        """
        if self._signature is None:
            return None
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return None  # deleted: the save puts this session's version back
        except OSError as exc:
            return f"cannot be checked ({exc.strerror})"
        if _signature(info) == self._signature:
            return None
        same = False
        if self._digest is not None:
            with contextlib.suppress(OSError), self.path.open("rb") as handle:
                same = hashlib.file_digest(handle, "sha256").digest() == self._digest
        if not same:
            return "changed by another program"
        if self._lock is not None and not self._lock.holds_review():
            try:
                self._lock.relock_review()  # same bytes in a new file: hold that one
            except (LockedError, InputError):
                return "replaced by a file another process holds"
        self._signature = _signature(info)
        return None

    def _keep_both(self, why: str) -> None:
        """The file changed from outside: write this session's version beside it, leave theirs
        alone, stop saving (the store turns read-only) and say so."""
        conflict = conflict_path(self.path)
        try:
            with gc_paused(), atomic_writer(conflict, like=self.path) as handle:
                for chunk in self.doc.json_chunks():
                    handle.write(chunk.encode("utf-8"))
        except (OSError, UnicodeEncodeError) as exc:
            raise SaveError(
                f"{self.path}: {why} during this session; this session's version could not be written to "
                f"{conflict} ({getattr(exc, 'strerror', None) or exc}); its changes are kept in "
                f"{journal_path(self.path)}"
            ) from None
        self._close_journal()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(journal_path(self.path))  # its changes are in the conflict file
        self.unsaved_changes = 0
        self.readonly = True
        self.conflict = conflict
        raise ConflictError(
            f"{self.path}: {why} during this session; it was left as it is now and this session's "
            f"version, with every change, was written to {conflict}; compare the two and keep one "
            "(this session is now read-only)"
        )

    def save(self) -> None:
        """Write the whole document atomically (keeping ``.bak``), then drop the journal.

        When the file was changed from outside since this session read it, nothing is
        overwritten: ConflictError, with this session's version in ``conflict_path``.
        """
        if self.readonly:
            raise ReadOnlyError(self._readonly_reason("cannot save"))
        self._refuse_while_loading("saving is possible")
        if self._lock is not None:
            self._lock.verify()
        why = self._changed_outside()
        if why is not None:
            self._keep_both(why)
        self.doc.relecture_version = __version__
        try:
            with gc_paused():
                self._write_review(chunk.encode("utf-8") for chunk in self.doc.json_chunks())
        except (OSError, UnicodeEncodeError, RecursionError) as exc:
            jpath = journal_path(self.path)
            kept = f"; unsaved changes are kept in {jpath}" if jpath.exists() else ""
            if isinstance(exc, OSError):
                reason = exc.strerror or str(exc)
            elif isinstance(exc, UnicodeEncodeError):
                reason = "the document holds text that is not Unicode (a lone surrogate)"
            else:
                reason = "the document nests too deeply"
            raise SaveError(
                f"{self.path}: could not save ({reason}); the previous version is intact{kept}"
            ) from None
        self._close_journal()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(journal_path(self.path))
        self._seq = 0
        self.unsaved_changes = 0

    def _close_journal(self) -> None:
        self._journal.close()

    def close(self, save: bool = True) -> None:
        """Save pending changes (unless told not to) and release the lock."""
        try:
            # A store still loading has no change (apply refuses them) and no journal (then it
            # would have loaded at once): there is nothing to save, and half a document must not be.
            if save and not self.readonly and self._stream is None and (
                self.unsaved_changes or journal_path(self.path).exists()
            ):
                self.save()
        finally:
            self._close_journal()
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close(save=exc_info[0] is None)
