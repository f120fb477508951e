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
import datetime as _dt
import errno
import fcntl
import gc
import getpass
import hashlib
import json
import os
import re
import socket
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from relecture import __version__
from relecture.atomicio import atomic_write_bytes, file_mode, fsync_dir
from relecture.changes import Change, apply_change, stamp
from relecture.errors import ConflictError, InputError, LoadingError, LockedError, ReadOnlyError, SaveError
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


def conflict_path(path: Path) -> Path:
    """Where a session's version goes when the review file was changed from outside:
    ``doc.fr.txt.review.json`` -> ``doc.fr.txt.conflict.review.json`` (a review file too)."""
    name = path.name
    base = name[: -len(REVIEW_SUFFIX)] if name.endswith(REVIEW_SUFFIX) else name
    return path.with_name(base + ".conflict" + REVIEW_SUFFIX)


def side_files(path: Path) -> list[Path]:
    """The files relecture keeps beside a review file (never a target for an export)."""
    return [journal_path(path), lock_path(path), backup_path(path)]


def export_refusal(review: Path, out: Path) -> str | None:
    """Why ``out`` must not receive an export of ``review`` (it is one of the review's side
    files: overwriting the journal or lock loses work or lets a second writer in), or None."""
    try:
        target = out.resolve()
        real = review.resolve()
    except (OSError, RuntimeError):
        return None
    for side in side_files(real):
        if target == side:
            return f"is the review's {side.name.rsplit('.', 1)[-1]} file"
    return None


_NOT_REGULAR = "is not a regular file (a FIFO, a device or a folder); relecture will not use it: remove it"
_SIDE_LINK = "is a symbolic link; relecture never follows the link of a side file: remove it"


def open_side_file(path: Path, flags: int, mode: int = 0o600) -> int:
    """Open a journal or lock file: never through a symbolic link, never a FIFO, a device or a
    file with other names (hard links), since writing there would touch a file outside the
    review. InputError (exit 2, one line) names the file; FileNotFoundError when it is absent."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(path, _SIDE_LINK) from None
        if exc.errno in (errno.ENXIO, errno.EISDIR):  # a FIFO nobody reads, a folder
            raise InputError(path, _NOT_REGULAR) from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
        os.close(fd)
        raise InputError(path, _NOT_REGULAR if not stat.S_ISREG(info.st_mode) else (
            "has other names (hard links); relecture will not write to it: remove it"
        ))
    return fd


def _check_side_file(path: Path) -> None:
    """Refuse a side file that is there but is not one relecture could have made."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise InputError(path, _SIDE_LINK)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, _NOT_REGULAR)


def _real_review_path(p: Path) -> Path:
    """A review file that is a symbolic link is read and written where it points (the target's
    folder gets the journal, lock and backup); a link to nothing is refused."""
    if not p.is_symlink():
        return p
    try:
        return p.resolve(strict=True)
    except (OSError, RuntimeError):
        raise InputError(p, "is a symbolic link to a file that does not exist") from None


def _signature(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


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
        # The file as read: (device, inode, size, mtime) and the sha256 of its bytes (known once
        # the whole file has been read), so a save can tell whether it changed from outside.
        self.signature: tuple[int, int, int, int] | None = None
        self.digest: bytes | None = None
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


def _open_review_file(p: Path) -> int:
    """A descriptor on the review file for reading; a FIFO or a device is refused (reading one
    would hang or never end)."""
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    except FileNotFoundError:
        raise InputError(p, "no such file") from None
    except IsADirectoryError:
        raise InputError(p, "is a directory, not a review file") from None
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise InputError(p, "is a directory, not a review file")
        raise InputError(p, "is not a regular file (a FIFO or a device), not a review file")
    return fd


def _read_review_bytes(p: Path) -> tuple[bytes, os.stat_result]:
    fd = _open_review_file(p)
    try:
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(), os.fstat(fd)
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)


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
                raw, info = _read_review_bytes(p)
                return _read_whole(p, raw, info)
            handle = os.fdopen(_open_review_file(p), "rb")
            with contextlib.ExitStack() as cleanup:
                cleanup.callback(handle.close)
                info = os.fstat(handle.fileno())
                start = handle.read(head)
                cut = start.rfind(b"\n") + 1
                if len(start) < head or not cut:
                    return _read_whole(p, start + handle.read(), info)
                try:
                    text = start[:cut].decode("utf-8-sig")
                except UnicodeDecodeError:
                    return _read_whole(p, start + handle.read(), info)
                kept = cleanup.pop_all()
                stream: SegmentStream | None = None

                def rest() -> str:
                    with kept:
                        handle.seek(0)
                        raw = handle.read()
                        if stream is not None:
                            stream.digest = hashlib.sha256(raw).digest()
                        return _decode_review(p, raw)

                stream = SegmentStream(text, p, rest, info.st_size)
                stream.signature = _signature(info)
                return stream
    except InputError as exc:
        raise _with_backup_hint(p, exc) from None


def _read_whole(p: Path, raw: bytes, info: os.stat_result) -> SegmentStream:
    stream = SegmentStream(_decode_review(p, raw), p)
    # What was read, to notice a change from outside before a save overwrites it.
    stream.signature = _signature(info)
    stream.digest = hashlib.sha256(raw).digest()
    return stream


# A progressive open reads this many segments before returning (a screenful and then some),
# and is used only for files big enough to take noticeably long to read whole.
PROGRESSIVE_HEAD = 400
PROGRESSIVE_HEAD_BYTES = 1 << 20  # read first: ~1,500 typical segments
PROGRESSIVE_MIN_BYTES = 2_000_000


def _worth_streaming(p: Path) -> bool:
    """Big enough to matter, and no journal to replay (replaying needs the whole document)."""
    try:
        return p.stat().st_size >= PROGRESSIVE_MIN_BYTES and not os.path.lexists(journal_path(p))
    except OSError:
        return False


def load_review(path: str | Path) -> ReviewDocument:
    """Read a review file without locking or replaying (a snapshot, e.g. for export)."""
    return _load_stream(Path(path)).doc


def _load_stream(p: Path) -> SegmentStream:
    stream = open_stream(p)
    try:
        with gc_paused():
            stream.step(sys.maxsize)
    except InputError as exc:
        raise _with_backup_hint(p, exc) from None
    return stream


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
    """The writer's lock: an advisory ``flock`` on ``<review>.lock``, whose content names the
    holder, and one on the review file itself.

    The ``.lock`` file can be deleted from outside (a cleanup script, a user tidying up); the
    review file's inode cannot be taken from a process that holds it open, and every save locks
    the new file before renaming it into place (``adopt``), so a second writer always finds one
    of the two held. ``verify`` puts a deleted ``.lock`` file back, so the holder stays named.
    """

    def __init__(self, path: Path, mode: int = 0o644) -> None:
        self.review = path
        self.path = lock_path(path)
        self.mode = mode
        self.fd: int | None = None
        self.review_fd: int | None = None
        self.recovered_from: str | None = None

    def acquire(self) -> None:
        fd = self._lock_file()
        try:
            self._lock_review()
        except BaseException:
            os.close(fd)
            raise
        previous = os.pread(fd, 4096, 0)
        if previous.strip():
            # We got the lock, yet a holder wrote its name: that process died without closing.
            self.recovered_from = _holder_text(previous)
        self.fd = fd
        self._write_holder()

    def _lock_file(self) -> int:
        while True:
            try:
                fd = open_side_file(self.path, os.O_RDWR | os.O_CREAT, self.mode)
            except InputError:
                raise
            except OSError as exc:  # read-only folder, no permission, no room for a new file
                raise SaveError(
                    f"{self.review}: cannot take the writer's lock ({exc.strerror}); "
                    "open it read-only or check the folder"
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise LockedError(self.review, describe_holder(self.path)) from None
                raise
            # The holder removes the lock file as it releases: if that happened between our open
            # and our flock, we hold a file nobody else sees and must lock the one on disk.
            if _same_file(self.path, fd):
                return fd
            os.close(fd)

    def _lock_review(self) -> None:
        while True:
            try:
                fd = _open_review_file(self.review)
            except InputError:
                if not os.path.lexists(self.review):
                    return  # a new review file: its first save locks it (adopt)
                raise
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise LockedError(self.review, describe_holder(self.path)) from None
                raise
            if _same_file(self.review, fd, follow=True):
                self.review_fd = fd
                return
            os.close(fd)  # a save renamed a new file in meanwhile: lock that one

    def adopt(self, fd: int) -> None:
        """After a save: hold the new review file (``fd``, already flocked), let the old go."""
        old, self.review_fd = self.review_fd, fd
        if old is not None:
            os.close(old)

    def holds_review(self) -> bool:
        return self.review_fd is not None and _same_file(self.review, self.review_fd, follow=True)

    def relock_review(self) -> None:
        """The review file was replaced by one with the same content: hold the new one."""
        old, self.review_fd = self.review_fd, None
        try:
            self._lock_review()
        except BaseException:
            self.review_fd = old
            raise
        if old is not None:
            os.close(old)

    def verify(self) -> None:
        """Put the ``.lock`` file back when something deleted or replaced it (the review file's
        own lock still keeps other writers out; this keeps the holder named for them)."""
        if self.fd is None or _same_file(self.path, self.fd):
            return
        try:
            fd = open_side_file(self.path, os.O_RDWR | os.O_CREAT, self.mode)
        except (OSError, InputError):
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # a would-be writer holds it for a moment; it cannot get the review file
            return
        if not _same_file(self.path, fd):
            os.close(fd)
            return
        os.close(self.fd)
        self.fd = fd
        self._write_holder()

    def _write_holder(self) -> None:
        info = {
            "pid": os.getpid(),
            "user": _user(),
            "host": socket.gethostname(),
            "since": now_iso(),
            "program": f"relecture {__version__}",
        }
        assert self.fd is not None
        try:
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, json.dumps(info).encode(), 0)
            os.fsync(self.fd)
        except OSError:
            pass  # a full disk: the flock is the lock, the holder's name is only a courtesy

    def release(self) -> None:
        if self.review_fd is not None:
            os.close(self.review_fd)
            self.review_fd = None
        if self.fd is None:
            return
        if _same_file(self.path, self.fd):  # never another process's lock file
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        os.close(self.fd)  # closing drops the flock
        self.fd = None


def _same_file(path: Path, fd: int, follow: bool = False) -> bool:
    """Whether ``path`` names the file open as ``fd``."""
    try:
        on_disk = os.stat(path, follow_symlinks=follow)
        mine = os.fstat(fd)
    except OSError:
        return False
    return (on_disk.st_ino, on_disk.st_dev) == (mine.st_ino, mine.st_dev)


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
        fd = open_side_file(lock_file, os.O_RDONLY)
    except (OSError, InputError):
        return "another process"
    try:
        return _holder_text(os.pread(fd, 4096, 0))
    except OSError:
        return "another process"
    finally:
        os.close(fd)


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
                stream = open_stream(p, head=PROGRESSIVE_HEAD_BYTES)
                try:
                    stream.step(PROGRESSIVE_HEAD)
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
                self._write_review(old.doc.to_json().encode("utf-8"), keep_backup=False)
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
        try:
            fd = open_side_file(jpath, os.O_RDONLY)
            with os.fdopen(fd, "rb") as handle:
                raw = handle.read()
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
            existed = os.path.lexists(jpath)
            self._journal = open_side_file(jpath, os.O_WRONLY | os.O_APPEND | os.O_CREAT, file_mode(self.path))
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
    def _readonly_reason(self, what: str) -> str:
        if self.conflict is not None:
            return (f"{self.path}: changed by another program during this session, whose version is in "
                    f"{self.conflict}; {what}")
        return f"{self.path}: opened read-only; {what}"

    def _write_review(self, data: bytes, keep_backup: bool = True) -> None:
        """Write the review file atomically; the new file is locked before it replaces the old
        one, so the writer's lock never lapses (see ``_Lock``)."""
        taken: list[int] = []

        def lock_new(fd: int) -> None:
            if self._lock is not None:
                new = os.dup(fd)
                taken.append(new)
                fcntl.flock(new, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody else knows this file yet

        try:
            atomic_write_bytes(self.path, data, keep_backup=keep_backup, like=self._like, before_replace=lock_new)
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
        self._digest = hashlib.sha256(data).digest()

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
        with gc_paused():
            text = self.doc.to_json()
        try:
            atomic_write_bytes(conflict, text.encode("utf-8"), like=self.path)
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
                text = self.doc.to_json()
            self._write_review(text.encode("utf-8"))
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
