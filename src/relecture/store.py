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
import gc
import getpass
import json
import os
import re
import socket
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from relecture import __version__
from relecture.atomicio import atomic_write_text, fsync_dir
from relecture.changes import Change, apply_change, stamp
from relecture.errors import InputError, LoadingError, LockedError, ReadOnlyError, SaveError
from relecture.model import ReviewDocument, Segment, check_unique_ids, find_lone_surrogate, upgrade_segment
from relecture.textio import line_col

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


# A JSON escape of a UTF-16 surrogate; only these can put a lone surrogate into decoded text.
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONG_NUMBER = re.compile(r"\d{4301,}")


def parse_review_text(text: str, path: str | Path) -> ReviewDocument:
    """Parse and validate review JSON; errors name the file and the line:column or JSON path."""
    return _parse_review([text], path)


def _parse_review(holder: list[str], path: str | Path) -> ReviewDocument:
    # The text arrives in a list we empty, so that once parsed it can be freed: at 100,000
    # segments the text, the parsed tree and the objects would otherwise coexist (~400 MB).
    text = holder.pop()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if not text.lstrip().startswith(("{", "[")):
            raise InputError(
                path, "not a review file (not JSON); `relecture import` reads a document into one", "1:1"
            ) from None
        raise InputError(path, f"malformed JSON: {exc.msg}", f"{exc.lineno}:{exc.colno}") from None
    except RecursionError:
        raise InputError(path, "malformed JSON: nested too deeply") from None
    except ValueError:
        # Python refuses integers of more than 4300 digits (int_max_str_digits).
        match = _LONG_NUMBER.search(text)
        raise InputError(
            path, "malformed JSON: a number is too long", line_col(text, match.start()) if match else None
        ) from None
    if SURROGATE_ESCAPE.search(text):
        where = find_lone_surrogate(data, "$")
        if where is not None:
            raise InputError(path, "text holds a lone surrogate escape (\\udXXX), which is not Unicode", where)
    del text  # the caller's copy is gone too (see load_review): only the tree stays
    try:
        return ReviewDocument.from_dict(data, consume=True)
    except InputError as exc:
        raise InputError(path, exc.message, exc.place) from None


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building a large acyclic structure.

    Parsing a review file allocates millions of objects; each allocation burst triggers
    collections that rescan everything built so far (100,000 segments: 2.0 s -> 1.1 s without).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_T = TypeVar("_T")


class _Unusual(Exception):
    """The text is not laid out as the segment stream expects: parse it whole instead."""


_WS = re.compile(r"[ \t\n\r]*")


class SegmentStream:
    """Builds a review document from its JSON text one segment at a time.

    ``json.loads`` would first build the whole tree (a dict per segment, ~100 MB at 100,000
    segments) beside the objects made from it; here each segment's dict lives only until its
    Segment is made, and the header is ready before any segment, so a caller can show the first
    segments while the rest loads (``step``). It may start from the head of the file only
    (``rest`` reads the whole text when the head is used up), so the first screen does not wait
    for 65 MB to be read and decoded. Any surprise (a JSON error, a field that fails validation,
    keys after ``segments``) falls back to parsing the whole text the ordinary way, which gives the
    one canonical error message, or the document if the stream was only too strict.
    """

    def __init__(self, text: str, path: Path, rest: Callable[[], str] | None = None, size: int = 0) -> None:
        self._text = text
        self._rest = rest  # returns the whole text (of which ``text`` is the head)
        self._size = max(size, len(text), 1)
        self.path = path
        self._scan = json.JSONDecoder().raw_decode
        self._seen: set[str] = set()
        self._checked = 0  # segments whose ids are known unique
        self._surrogates_checked = -1  # length of the text last searched for surrogate escapes
        self.done = False
        try:
            self._pos, header = self._partial_safe(self._read_header)
            self.doc = ReviewDocument.header_from_dict(header)
        except (_Unusual, ValueError, RecursionError, InputError):
            self.doc = self._parse_whole()

    @property
    def fraction(self) -> float:
        """How much of the text has been read (0..1)."""
        return 1.0 if self.done else min(1.0, self._pos / self._size)

    def _partial_safe(self, read: Callable[[], _T]) -> _T:
        """Run ``read`` on the head; if it fails there, on the whole text (the head may simply
        have ended in the middle of what it reads)."""
        if self._rest is None:
            self._check_surrogates()
            return read()
        try:
            self._check_surrogates()
            return read()
        except (_Unusual, ValueError, RecursionError, InputError):
            self._complete()
            self._check_surrogates()
            return read()

    def _complete(self) -> None:
        if self._rest is not None:
            rest, self._rest = self._rest, None
            self._text = rest()
            self._size = max(1, len(self._text))
            self._surrogates_checked = 0

    def _check_surrogates(self) -> None:
        """Once per text (the head, then the whole): a lone surrogate escape could never be
        saved again, and the whole-tree parse reports where it is."""
        if self._surrogates_checked == len(self._text):
            return
        if SURROGATE_ESCAPE.search(self._text):
            raise _Unusual("may hold a lone surrogate")
        self._surrogates_checked = len(self._text)

    def _read_header(self) -> tuple[int, dict[str, object]]:
        text, ws = self._text, _WS.match
        pos = ws(text, 0).end()
        if text[pos : pos + 1] != "{":
            raise _Unusual("not an object")
        pos = ws(text, pos + 1).end()
        header: dict[str, object] = {}
        while text[pos : pos + 1] == '"':
            key, pos = json.decoder.scanstring(text, pos + 1)
            pos = ws(text, pos).end()
            if text[pos : pos + 1] != ":":
                raise _Unusual("no colon")
            pos = ws(text, pos + 1).end()
            if key == "segments":
                if text[pos : pos + 1] != "[":
                    raise _Unusual("segments is not a list")
                return ws(text, pos + 1).end(), header
            header[key], pos = self._scan(text, pos)
            pos = ws(text, pos).end()
            if text[pos : pos + 1] == ",":
                pos = ws(text, pos + 1).end()
        raise _Unusual("no segments before the end of the header")

    def step(self, count: int) -> bool:
        """Read up to ``count`` more segments; True once the document is complete."""
        if self.done:
            return True
        segments = self.doc.segments
        before = len(segments)
        try:
            # A retry on the whole text reads only what the head did not (count stays a bound).
            return self._partial_safe(lambda: self._step(count - (len(segments) - before)))
        except (_Unusual, ValueError, RecursionError, InputError):
            whole = self._parse_whole()
            self.doc.__dict__.update({k: v for k, v in whole.__dict__.items() if k != "segments"})
            self.doc.segments[:] = whole.segments  # the same list object, which callers may hold
            self.doc._index = {}
            return True

    def _step(self, count: int) -> bool:
        text, ws, scan = self._text, _WS.match, self._scan
        segments = self.doc.segments
        pos = self._pos
        try:
            if text[pos : pos + 1] == "]":
                return self._finish(pos + 1)
            for _ in range(count):
                raw, end = scan(text, pos)
                segments.append(
                    upgrade_segment(Segment.from_dict(raw, f"$.segments[{len(segments)}]"), self.doc.loaded_version)
                )
                pos = ws(text, end).end()
                if text[pos : pos + 1] == ",":
                    pos = ws(text, pos + 1).end()
                elif text[pos : pos + 1] == "]":
                    self._check_ids()
                    return self._finish(pos + 1)
                else:
                    raise _Unusual("no comma between segments")
            self._check_ids()
            return False
        finally:
            self._pos = pos

    def _check_ids(self) -> None:
        # From the last checked one: a step retried on the whole text has kept its first segments.
        segments = self.doc.segments
        check_unique_ids(segments, self._checked, self._seen)
        self._checked = len(segments)

    def _finish(self, pos: int) -> bool:
        if self._rest is not None:
            raise _Unusual("the end of the segments is known only from the whole text")
        text = self._text
        pos = _WS.match(text, pos).end()
        if text[pos : pos + 1] != "}" or text[pos + 1 :].strip(" \t\n\r"):
            raise _Unusual("keys after the segments")
        self._pos = len(text)
        self.done = True
        self._text = ""
        self._seen = set()
        return True

    def _parse_whole(self) -> ReviewDocument:
        self._complete()
        text, self._text = self._text, ""
        self.done = True
        self._seen = set()
        return _parse_review([text], self.path)


def _read_review_text(p: Path) -> str:
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(p, "no such file") from None
    except IsADirectoryError:
        raise InputError(p, "is a directory, not a review file") from None
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror}") from None
    return _decode_review(p, raw)


def _decode_review(p: Path, raw: bytes) -> str:
    if not raw or raw.isspace():  # isspace, unlike strip, copies nothing
        raise InputError(p, "empty file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(p, "not UTF-8 text", f"byte {exc.start}") from None


def _with_backup_hint(p: Path, exc: InputError) -> InputError:
    backup = backup_path(p)
    if not p.name.endswith(".bak") and backup.exists():
        # The file was damaged outside relecture (saves are atomic): point at the last good one.
        return InputError(p, f"{exc.message}; the version before the last save is {backup}", exc.place)
    return exc


def open_stream(path: str | Path, head: int = 0) -> SegmentStream:
    """Start reading a review file: the header is parsed (and validated), no segment yet.

    With ``head``, only that many bytes are read now (cut after a line end, so never inside a
    character); the rest when the stream needs it, from the same open file (a save that renames
    a new file over this one meanwhile does not mix two versions).
    """
    p = Path(path)
    try:
        with gc_paused():
            if not head:
                return SegmentStream(_read_review_text(p), p)
            try:
                handle = p.open("rb")
            except IsADirectoryError:
                raise InputError(p, "is a directory, not a review file") from None
            except OSError as exc:
                raise InputError(p, f"cannot read: {exc.strerror}") from None
            with contextlib.ExitStack() as cleanup:
                cleanup.callback(handle.close)
                size = os.fstat(handle.fileno()).st_size
                start = handle.read(head)
                cut = start.rfind(b"\n") + 1
                if len(start) < head or not cut:
                    return SegmentStream(_decode_review(p, start + handle.read()), p)
                try:
                    text = start[:cut].decode("utf-8-sig")
                except UnicodeDecodeError:
                    return SegmentStream(_decode_review(p, start + handle.read()), p)
                kept = cleanup.pop_all()

                def rest() -> str:
                    with kept:
                        handle.seek(0)
                        return _decode_review(p, handle.read())

                return SegmentStream(text, p, rest, size)
    except InputError as exc:
        raise _with_backup_hint(p, exc) from None


# A progressive open reads this many segments before returning (a screenful and then some),
# and is used only for files big enough to take noticeably long to read whole.
PROGRESSIVE_HEAD = 400
PROGRESSIVE_HEAD_BYTES = 1 << 20  # read first: ~1,500 typical segments
PROGRESSIVE_MIN_BYTES = 2_000_000


def _worth_streaming(p: Path) -> bool:
    """Big enough to matter, and no journal to replay (replaying needs the whole document)."""
    try:
        return p.stat().st_size >= PROGRESSIVE_MIN_BYTES and not journal_path(p).exists()
    except OSError:
        return False


def load_review(path: str | Path) -> ReviewDocument:
    """Read a review file without locking or replaying (a snapshot, e.g. for export)."""
    p = Path(path)
    stream = open_stream(p)
    try:
        with gc_paused():
            stream.step(sys.maxsize)
    except InputError as exc:
        raise _with_backup_hint(p, exc) from None
    return stream.doc


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


class _Lock:
    """An advisory ``flock`` on ``<review>.lock`` whose content names the holder."""

    def __init__(self, path: Path) -> None:
        self.path = lock_path(path)
        self.fd: int | None = None
        self.recovered_from: str | None = None

    def acquire(self) -> None:
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:  # read-only folder, no permission, no room for a new file
                raise SaveError(
                    f"{self.path.with_suffix('')}: cannot take the writer's lock ({exc.strerror}); "
                    "open it read-only or check the folder"
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise LockedError(self.path.with_suffix(""), describe_holder(self.path)) from None
                raise
            # The holder removes the lock file as it releases: if that happened between our open
            # and our flock, we hold a file nobody else sees and must lock the one on disk.
            try:
                on_disk = os.stat(self.path)
                mine = os.fstat(fd)
                if (on_disk.st_ino, on_disk.st_dev) == (mine.st_ino, mine.st_dev):
                    break
            except FileNotFoundError:
                pass
            os.close(fd)
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
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
            os.fsync(fd)
        except OSError:
            pass  # a full disk: the flock is the lock, the holder's name is only a courtesy
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
        self._journal: int | None = None  # file descriptor, opened for appending
        self._journal_torn = False  # a failed append left bytes we could not take back
        self._seq = 0
        self._stream: SegmentStream | None = None  # the rest of a progressive open
        self.reviewer: str | None = None  # stamped on the changes that name no reviewer

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
        p = Path(path)
        lock: _Lock | None = None
        if not readonly:
            if not p.exists():
                raise InputError(p, "no such file")
            lock = _Lock(p)
            lock.acquire()
        try:
            stream: SegmentStream | None = None
            if progressive and _worth_streaming(p):
                stream = open_stream(p, head=PROGRESSIVE_HEAD_BYTES)
                try:
                    stream.step(PROGRESSIVE_HEAD)
                except InputError as exc:
                    raise _with_backup_hint(p, exc) from None
                doc = stream.doc
                if stream.done:
                    stream = None
            else:
                doc = load_review(p)
            store = cls(p, doc, readonly)
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
            store.warnings.extend(_remove_partial_saves(p))
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
        except OSError as exc:
            # Unsaved work may be in there: refuse to open rather than silently drop it.
            raise InputError(jpath, f"cannot read the journal of unsaved changes ({exc.strerror})") from None
        lines = raw.split(b"\n")
        applied = 0
        last_index = len(lines) - 1
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            torn = number - 1 == last_index  # no newline after it: the write was cut short
            try:
                entry = json.loads(line.decode("utf-8"))
                if not isinstance(entry, dict):
                    raise ValueError("not a journal entry")
                changes = [entry["change"]] if "change" in entry else entry.get("changes")
                if not isinstance(changes, list) or not changes or not all(isinstance(c, dict) for c in changes):
                    raise ValueError("not a journal entry")
                if b"\\u" in line and find_lone_surrogate(entry, "$") is not None:
                    raise ValueError("not Unicode")  # could never be saved
            except (ValueError, RecursionError):
                what = "torn last line (interrupted write)" if torn else "unreadable line"
                self.warnings.append(f"{jpath}:{number}: ignored {what}")
                continue
            try:
                _apply_in_memory(self.doc, changes)
            except InputError as exc:
                self.warnings.append(f"{jpath}:{number}: ignored change that no longer fits: {exc.message}")
                continue
            seq = entry.get("seq")
            if isinstance(seq, int) and not isinstance(seq, bool):
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
            raise ReadOnlyError(f"{self.path}: opened read-only; changes are not allowed")
        self._refuse_while_loading("changes are possible")
        if self.reviewer:
            changes = [stamp(c, self.reviewer) for c in changes]
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
        self.unsaved_changes += 1
        return inverses

    def apply_many(self, changes: Iterable[Change]) -> list[Change]:
        return [self.apply(c) for c in changes]

    def _append_journal(self, changes: list[Change]) -> None:
        entry: dict[str, object] = {"seq": self._seq + 1, "time": now_iso()}
        if len(changes) == 1:
            entry["change"] = changes[0]
        else:
            entry["changes"] = changes
        data = json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n"
        if self._journal_torn:
            data = b"\n" + data  # start on a line of our own after bytes we could not take back
        if self._journal is None:
            jpath = journal_path(self.path)
            existed = jpath.exists()
            self._journal = os.open(jpath, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            if not existed:
                fsync_dir(self.path.parent)
        fd = self._journal
        size = os.fstat(fd).st_size
        try:
            # os.write, not a buffered file: a buffer would keep a failed line and write it later.
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except OSError:
            # Take the line back: the next entry must not be glued to a partial one (replay would
            # drop both), and a change reported as not applied must not come back when reopened.
            try:
                os.ftruncate(fd, size)
                self._journal_torn = False
            except OSError:
                self._journal_torn = True
            raise
        self._journal_torn = False
        self._seq += 1

    # --- saving -----------------------------------------------------------------------------
    def save(self) -> None:
        """Write the whole document atomically (keeping ``.bak``), then drop the journal."""
        if self.readonly:
            raise ReadOnlyError(f"{self.path}: opened read-only; cannot save")
        self._refuse_while_loading("saving is possible")
        self.doc.relecture_version = __version__
        try:
            with gc_paused():
                text = self.doc.to_json()
            atomic_write_text(self.path, text, keep_backup=True)
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
        if self._journal is not None:
            with contextlib.suppress(OSError):
                os.close(self._journal)
            self._journal = None

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
