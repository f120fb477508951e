"""Reading a review file: validated, streamed one segment at a time (``SegmentStream``), so a
large file shows its first segments before the rest is read."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from relecture.errors import InputError
from relecture.gcpause import gc_paused
from relecture.model import ReviewDocument, Segment, check_unique_ids, find_lone_surrogate, upgrade_segment
from relecture.store.paths import _signature, backup_path, journal_path
from relecture.textio import line_col

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


_T = TypeVar("_T")


class _Unusual(Exception):
    """The text is not laid out as the segment stream expects: parse it whole instead."""


_WS = re.compile(r"[ \t\n\r]*")
# It matches everywhere (possibly nothing), so its match is never None.
_ws: Callable[[str, int], re.Match[str]] = _WS.match  # type: ignore[assignment]


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
        text, ws = self._text, _ws
        pos = ws(text, 0).end()
        if text[pos : pos + 1] != "{":
            raise _Unusual("not an object")
        pos = ws(text, pos + 1).end()
        header: dict[str, object] = {}
        while text[pos : pos + 1] == '"':
            key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
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
        text, ws, scan = self._text, _ws, self._scan
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
        pos = _ws(text, pos).end()
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
