"""The writer's lock: one process may write a review file; the lock names it."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
from pathlib import Path

from relecture import __version__
from relecture.clock import now_iso
from relecture.errors import InputError, LockedError, SaveError
from relecture.store.paths import lock_path, open_side_file
from relecture.store.reader import _open_review_file


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
        import socket  # here: a command that only reads (``check``) never loads the network stack

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
    import getpass

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
