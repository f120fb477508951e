"""Where partition results live: a folder, local or any fsspec URL a cluster's workers share
(``s3://bucket/run``, an NFS path). A result is written under a temporary name and renamed (or, on
an object store, written whole), and each task writes its completion marker last: a marker means
every file it vouches for is complete, whatever interrupted the run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any


def is_url(location: str) -> bool:
    return "://" in location and not location.startswith("file://")


def _fs(location: str) -> tuple[Any, str]:
    import fsspec  # only for URLs: the `dask` extra brings it

    fs, path = fsspec.core.url_to_fs(location)
    return fs, path


def join(location: str, *names: str) -> str:
    return "/".join([location.rstrip("/"), *names]) if is_url(location) else os.path.join(location, *names)


def open_read(location: str) -> IO[bytes]:
    if is_url(location):
        fs, path = _fs(location)
        return fs.open(path, "rb")
    return open(location, "rb")


def exists(location: str) -> bool:
    if is_url(location):
        fs, path = _fs(location)
        return bool(fs.exists(path))
    return os.path.exists(location)


def size(location: str) -> int:
    if is_url(location):
        fs, path = _fs(location)
        return int(fs.size(path))
    return os.path.getsize(location)


def makedirs(location: str) -> None:
    if is_url(location):
        fs, path = _fs(location)
        fs.makedirs(path, exist_ok=True)
    else:
        os.makedirs(location, exist_ok=True)


def remove_tree(location: str) -> None:
    if is_url(location):
        fs, path = _fs(location)
        if fs.exists(path):
            fs.rm(path, recursive=True)
    else:
        shutil.rmtree(location, ignore_errors=True)


def listdir(location: str) -> list[str]:
    """File names in a folder (not paths), sorted; [] when it does not exist."""
    if is_url(location):
        fs, path = _fs(location)
        if not fs.exists(path):
            return []
        return sorted(p.rstrip("/").rsplit("/", 1)[-1] for p in fs.ls(path, detail=False))
    try:
        return sorted(os.listdir(location))
    except FileNotFoundError:
        return []


@contextmanager
def write_atomic(location: str) -> Iterator[IO[bytes]]:
    """A file that appears whole under its name, or not at all."""
    if is_url(location):
        fs, path = _fs(location)
        with fs.open(path, "wb") as handle:
            yield handle
        return
    temporary = f"{location}.tmp{os.getpid()}"
    try:
        with open(temporary, "wb") as handle:
            yield handle
        os.replace(temporary, location)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_bytes(location: str, data: bytes) -> None:
    with write_atomic(location) as handle:
        handle.write(data)


def read_bytes(location: str) -> bytes:
    with open_read(location) as handle:
        return handle.read()
