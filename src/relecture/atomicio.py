"""Write files so that a crash or a full disk never leaves a partial file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


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


def atomic_write_bytes(path: str | Path, data: bytes, keep_backup: bool = False) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename over ``path``.

    With ``keep_backup`` the file being replaced survives as ``<path>.bak``.
    Raises OSError with nothing changed on disk when any step fails.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp creates 0600; a saved file keeps the mode it had, a new one gets the umask's.
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_backup and target.exists():
            _backup(target)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_dir(folder)


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_text(
    path: str | Path, text: str, encoding: str = "utf-8", keep_backup: bool = False
) -> None:
    atomic_write_bytes(path, text.encode(encoding), keep_backup=keep_backup)


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
            staging.write_bytes(target.read_bytes())
        os.replace(staging, backup)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(staging)
        raise
