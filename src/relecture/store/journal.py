"""The journal of unsaved changes beside a review file (``doc.review.json.journal``).

One JSON line per acknowledged change (or group of changes applied as one), written with
``os.write`` and fsynced before ``ReviewStore.apply`` returns; replayed when the file is next
opened, removed by a clean save. A line a crash cut short is recognised and skipped.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from relecture.atomicio import file_mode, fsync_dir
from relecture.changes import Change
from relecture.clock import now_iso
from relecture.errors import InputError
from relecture.model import find_lone_surrogate
from relecture.store.paths import journal_path, open_side_file


class Journal:
    """The append side of a review file's journal, opened on the first change."""

    def __init__(self, review: Path) -> None:
        self.review = review
        self.fd: int | None = None
        self.torn = False  # a failed append left bytes we could not take back

    def append(self, seq: int, changes: list[Change]) -> None:
        """Write one entry and fsync it. OSError (nothing kept: the partial line is taken back
        when possible), UnicodeEncodeError (text that is not Unicode), InputError (the journal's
        path holds a link, a FIFO...)."""
        entry: dict[str, object] = {"seq": seq, "time": now_iso()}
        if len(changes) == 1:
            entry["change"] = changes[0]
        else:
            entry["changes"] = changes
        data = json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n"
        if self.torn:
            data = b"\n" + data  # start on a line of our own after bytes we could not take back
        if self.fd is None:
            jpath = journal_path(self.review)
            existed = os.path.lexists(jpath)
            self.fd = open_side_file(jpath, os.O_WRONLY | os.O_APPEND | os.O_CREAT, file_mode(self.review))
            if not existed:
                fsync_dir(self.review.parent)
        fd = self.fd
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
                self.torn = False
            except OSError:
                self.torn = True
            raise
        self.torn = False

    def close(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None


def read_journal(review: Path) -> Iterator[tuple[int, list[Change] | None, int | None, str | None]]:
    """The journal's entries in order: (line number, changes, seq, None), or (line number, None,
    None, why) for a line that cannot be read. Nothing when there is no journal; InputError when
    it is there but cannot be read (unsaved work may be in it)."""
    jpath = journal_path(review)
    try:
        fd = open_side_file(jpath, os.O_RDONLY)
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(jpath, f"cannot read the journal of unsaved changes ({exc.strerror})") from None
    lines = raw.split(b"\n")
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
            yield number, None, None, "torn last line (interrupted write)" if torn else "unreadable line"
            continue
        seq = entry.get("seq")
        yield number, changes, seq if isinstance(seq, int) and not isinstance(seq, bool) else None, None
