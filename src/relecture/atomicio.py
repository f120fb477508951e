"""Write files so that a crash or a full disk never leaves a partial file behind."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


def fsync_dir(folder: Path) -> None:
    """Make a rename durable: the directory entry itself must reach the disk."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on directories; the rename is still atomic
    finally:
        os.close(fd)


def atomic_write_bytes(
    path: str | Path,
    data: bytes,
    keep_backup: bool = False,
    like: str | Path | None = None,
    before_replace: Callable[[int], None] | None = None,
) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename over ``path``
    (see ``atomic_writer``)."""
    with atomic_writer(path, keep_backup=keep_backup, like=like, before_replace=before_replace) as handle:
        handle.write(data)


@contextlib.contextmanager
def atomic_writer(
    path: str | Path,
    keep_backup: bool = False,
    like: str | Path | None = None,
    before_replace: Callable[[int], None] | None = None,
) -> Iterator[BinaryIO]:
    """A binary stream into a temporary file beside ``path``, fsynced and renamed over ``path``
    when the block ends without an exception (then nothing changes on disk).

    With ``keep_backup`` the file being replaced survives as ``<path>.bak``. ``like`` is the file
    the new one derives from (the document of a review file, the review of an export): the new
    file is never more readable than it (see ``file_mode``). ``before_replace`` is called with
    the written file's descriptor just before the rename (the review store locks it there).
    Raises OSError with nothing changed on disk when any step fails.
    """
    import tempfile  # here: it loads shutil, bz2 and lzma, which a command that writes nothing never needs

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp creates 0600; the file then gets its final mode before it has any content.
        os.fchmod(fd, file_mode(target, like))
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            if before_replace is not None:
                before_replace(handle.fileno())
        if keep_backup and target.exists():
            _backup(target)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_dir(folder)


def file_mode(target: str | Path, like: str | Path | None = None) -> int:
    """The permission bits for a file written at ``target``: the ones it has when it exists,
    else the umask's; never more than ``like`` allows (a 0600 document gets a 0600 review file,
    journal and exports), and never an execute, setuid, setgid or sticky bit."""
    try:
        mode = os.stat(target).st_mode & 0o666
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    if like is not None:
        with contextlib.suppress(OSError):
            mode &= os.stat(like).st_mode
    return mode


def atomic_write_text(
    path: str | Path,
    text: str,
    encoding: str = "utf-8",
    keep_backup: bool = False,
    like: str | Path | None = None,
) -> None:
    atomic_write_bytes(path, text.encode(encoding), keep_backup=keep_backup, like=like)


def _backup(target: Path) -> None:
    """Keep the current version as ``.bak`` (a hard link costs nothing; copy where links fail)."""
    backup = target.with_name(target.name + ".bak")
    staging = target.with_name(f".{target.name}.bak.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(staging)
    try:
        try:
            os.link(target, staging)
        except OSError:
            # A new file of our own ("x": never through a link planted meanwhile).
            with staging.open("xb") as handle:
                os.fchmod(handle.fileno(), file_mode(target))
                handle.write(target.read_bytes())
        os.replace(staging, backup)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(staging)
        raise
