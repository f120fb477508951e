"""Where a review file's side files live, and opening them safely.

Side files are opened without following symbolic links and only when they are regular files: a
committed ``doc.review.json.lock -> ~/.profile`` must not empty ``~/.profile``, and a FIFO or a
device must not hang or flood a reader.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from relecture.errors import InputError

REVIEW_SUFFIX = ".review.json"


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


def is_review_file(path: Path) -> bool:
    """Whether ``path`` is read as a review file rather than imported: any ``.json`` file (no
    importer reads plain JSON, so the review loader says what is wrong with a damaged one)."""
    return path.name.lower().endswith(".json")


def review_path_for(source_file: str | Path) -> Path:
    """Where ``relecture import FILE`` writes: ``FILE.review.json`` beside the input."""
    p = Path(source_file)
    return p.with_name(p.name + REVIEW_SUFFIX)
