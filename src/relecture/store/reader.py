"""Reading a review file: validated, streamed one segment at a time (``SegmentStream``), so a
large file shows its first segments before the rest is read."""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

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


class _Chunks:
    """The rest of a review file, decoded a chunk at a time from the one open handle.

    Reading it whole (bytes, then text) cost two copies of the file at once: at 1,000,000
    segments 631 MB of bytes and, the text holding a character past U+00FF (a narrow no-break
    space), 1.26 GB of text, beside the segments being built. A window of a few MB now moves
    along the file; the sha256 of the bytes is computed as they pass.
    """

    def __init__(self, handle: BinaryIO, head: bytes, path: Path) -> None:
        self._handle = handle
        self._path = path
        self._decode = codecs.getincrementaldecoder("utf-8-sig")().decode
        self._sha = hashlib.sha256(head)
        self.read_bytes = len(head)
        self.eof = False
        self.digest: bytes | None = None
        self.first = self._decode(head)  # may raise UnicodeDecodeError: the caller reads whole

    def more(self) -> str:
        """The next piece of text ("" once at the end; a character cut between chunks waits)."""
        if self.eof:
            return ""
        try:
            data = self._handle.read(PROGRESSIVE_CHUNK_BYTES)
            self.read_bytes += len(data)
            self._sha.update(data)
            if not data:
                self._end()
                return self._decode(b"", True)
            return self._decode(data)
        except UnicodeDecodeError:
            raise _Unusual("not UTF-8: the whole read names the byte") from None
        except OSError as exc:
            raise InputError(self._path, f"cannot read: {exc.strerror}") from None

    def whole(self) -> str:
        """The whole file's text, read again from the start of the same handle (the canonical
        parse reports an error, or reads a file the stream found unusual)."""
        try:
            self._handle.seek(0)
            raw = self._handle.read()
        except OSError as exc:
            raise InputError(self._path, f"cannot read: {exc.strerror}") from None
        finally:
            self.eof = True
            self.close()
        self.digest = hashlib.sha256(raw).digest()
        return _decode_review(self._path, raw)

    def _end(self) -> None:
        if not self.eof:
            self.eof = True
            self.digest = self._sha.digest()

    def close(self) -> None:
        self._handle.close()


class SegmentStream:
    """Builds a review document from its JSON text one segment at a time.

    ``json.loads`` would first build the whole tree (a dict per segment, ~100 MB at 100,000
    segments) beside the objects made from it; here each segment's dict lives only until its
    Segment is made, and the header is ready before any segment, so a caller can show the first
    segments while the rest loads (``step``). Given ``chunks`` (the rest of the file), ``text``
    is only its head, and the text is a window that moves along the file as segments are read:
    neither the file's bytes nor its text are ever held whole. Any surprise (a JSON error, a field
    that fails validation, keys after ``segments``) falls back to parsing the whole text the
    ordinary way, which gives the one canonical error message, or the document if the stream was
    only too strict.
    """

    def __init__(self, text: str, path: Path, chunks: _Chunks | None = None, size: int = 0) -> None:
        self._text = text
        self._chunks = chunks
        self._size = max(size, len(text), 1)
        self.path = path
        self._scan = json.JSONDecoder().raw_decode
        self._seen: set[str] = set()
        self._checked = 0  # segments whose ids are known unique
        self._surrogates_from = 0  # the window is free of surrogate escapes before this
        self.done = False
        # The file as read: (device, inode, size, mtime) and the sha256 of its bytes (known once
        # the whole file has been read), so a save can tell whether it changed from outside.
        self.signature: tuple[int, int, int, int] | None = None
        self.digest: bytes | None = None
        self._pos = 0
        try:
            self._pos, header = self._growing(self._read_header)
            self.doc = ReviewDocument.header_from_dict(header)
        except (_Unusual, ValueError, RecursionError, InputError):
            self.doc = self._parse_whole()

    @property
    def fraction(self) -> float:
        """How much of the file has been read (0..1)."""
        if self.done:
            return 1.0
        if self._chunks is None:
            return min(1.0, self._pos / self._size)
        # Bytes read minus what the window still holds (in characters: an estimate).
        return max(0.0, min(1.0, (self._chunks.read_bytes - (len(self._text) - self._pos)) / self._size))

    def _more(self, pos: int) -> int | None:
        """Drop the window's text before ``pos`` and add the next chunk: the new ``pos``, or
        None at the end of the file."""
        chunks = self._chunks
        if chunks is None or chunks.eof:
            return None
        kept = len(self._text) - pos
        self._text = self._text[pos:] + chunks.more()
        self._check_surrogates(max(0, kept - 5))  # an escape may straddle the two
        return 0

    def _growing(self, read: Callable[[], _T]) -> _T:
        """Run ``read`` from the window's start, adding chunks until it succeeds (the header may
        be longer than the head) or the file ends (then its error stands)."""
        self._check_surrogates(0)
        while True:
            try:
                return read()
            except (_Unusual, ValueError, RecursionError, InputError):
                chunks = self._chunks
                if chunks is None or chunks.eof:
                    raise
                self._text += chunks.more()
                self._check_surrogates(max(0, self._surrogates_from - 5))

    def _check_surrogates(self, start: int) -> None:
        """A lone surrogate escape could never be saved again: the whole-tree parse reports
        where it is (searched once per piece of text, from ``start``)."""
        if SURROGATE_ESCAPE.search(self._text, start):
            raise _Unusual("may hold a lone surrogate")
        self._surrogates_from = len(self._text)

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
        try:
            return self._step(count)
        except (_Unusual, ValueError, RecursionError, InputError):
            whole = self._parse_whole()
            self.doc.__dict__.update({k: v for k, v in whole.__dict__.items() if k != "segments"})
            self.doc.segments[:] = whole.segments  # the same list object, which callers may hold
            self.doc._index = {}
            return True

    def _skip(self, pos: int) -> int:
        """``pos`` past the whitespace there, reading on when the window ends in it."""
        pos = _ws(self._text, pos).end()
        while pos == len(self._text):
            more = self._more(pos)
            if more is None:
                break
            pos = _ws(self._text, more).end()
        return pos

    def _step(self, count: int) -> bool:
        scan, ws = self._scan, _ws
        segments = self.doc.segments
        pos = self._skip(self._pos)
        text = self._text
        # Refill when fewer than this many characters are left (never, for a whole text).
        low = _LOOKAHEAD if self._chunks is not None else -1
        try:
            if text[pos : pos + 1] == "]":
                return self._finish(pos + 1)
            for _ in range(count):
                if len(text) - pos < low:
                    more = self._more(pos)
                    pos, text = (pos, text) if more is None else (more, self._text)
                while True:
                    try:
                        raw, end = scan(text, pos)
                        break
                    except ValueError:  # cut by the window's end, or malformed (then at the end)
                        more = self._more(pos)
                        if more is None:
                            raise
                        pos, text = more, self._text
                segments.append(
                    upgrade_segment(Segment.from_dict(raw, f"$.segments[{len(segments)}]"), self.doc.loaded_version)
                )
                pos = ws(text, end).end()
                if pos == len(text):
                    pos = self._skip(pos)
                    text = self._text
                following = text[pos : pos + 1]
                if following == ",":
                    pos = ws(text, pos + 1).end()
                    if pos == len(text):
                        pos = self._skip(pos)
                        text = self._text
                elif following == "]":
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
        chunks = self._chunks
        while chunks is not None and not chunks.eof:  # the file's tail: a few bytes
            self._more(pos)
            pos = 0
        pos = _ws(self._text, pos).end()
        if self._text[pos : pos + 1] != "}" or self._text[pos + 1 :].strip(" \t\n\r"):
            raise _Unusual("keys after the segments")
        if chunks is not None:
            self.digest = chunks.digest
            chunks.close()
        self._pos = len(self._text)
        self.done = True
        self._text = ""
        self._seen = set()
        return True

    def _parse_whole(self) -> ReviewDocument:
        text, self._text = self._text, ""
        if self._chunks is not None:
            text = self._chunks.whole()
            self.digest = self._chunks.digest
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

    With ``head``, only that many bytes are read now; the rest a chunk at a time as the stream
    needs it, from the same open file (a save that renames a new file over this one meanwhile
    does not mix two versions).
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
                if len(start) < head:
                    return _read_whole(p, start + handle.read(), info)
                try:
                    chunks = _Chunks(handle, start, p)
                except UnicodeDecodeError:
                    return _read_whole(p, start + handle.read(), info)
                cleanup.pop_all()  # the handle is the stream's now: closed at the end of the file
                stream = SegmentStream(chunks.first, p, chunks, info.st_size)
                stream.signature = _signature(info)
                if stream.done:
                    stream.digest = chunks.digest
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
# The rest of a progressive open is read this many bytes at a time; a segment is parsed only with
# at least _LOOKAHEAD characters of text after it in the window (or the end of the file).
PROGRESSIVE_CHUNK_BYTES = 4 << 20
_LOOKAHEAD = 1 << 16


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
