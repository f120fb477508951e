"""Files shipped inside other installed packages (langdetect's profiles, pyspellchecker's word
lists), found without importing those packages: importing them (and ``importlib.resources``)
costs more than a small file's check."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path


def package_file(package: str, *parts: str) -> Path | None:
    """``package``'s installed folder joined with ``parts``, or None when it is not installed."""
    try:
        spec = find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)), *parts)
