"""Language data for the checks: built-in ``relecture/data/<lang>/*.toml`` merged with the user's.

A user adds words and patterns without code, either with more TOML files
(``[checks] data_dirs = ["my-data"]`` -> ``my-data/fr/*.toml``) or inline in ``relecture.toml``
(``[checks.data.fr] humour_cues = ["rigol\\\\w*"]``). Lists are appended to, tables merged,
strings of words (``function_words``) joined, other values replaced.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from relecture.errors import InputError

BUILTIN_DIR = Path(__file__).resolve().parents[1] / "data"


def base_lang(code: str | None) -> str | None:
    """``fr-FR``, ``fr_CA``, ``FR`` -> ``fr``; ``zh-cn`` -> ``zh``."""
    if not code:
        return None
    return code.replace("_", "-").split("-")[0].strip().lower() or None


def merge(into: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        old = into.get(key)
        if isinstance(old, list) and isinstance(value, list):
            into[key] = old + value
        elif isinstance(old, dict) and isinstance(value, dict):
            into[key] = merge(dict(old), value)
        elif key == "function_words" and isinstance(old, str) and isinstance(value, str):
            into[key] = old + " " + value
        else:
            into[key] = value
    return into


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(path, "language data is not UTF-8", f"byte {exc.start}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"invalid TOML: {exc}") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None


def _load_dir(folder: Path, lang: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    lang_dir = folder / lang
    if lang_dir.is_dir():
        for path in sorted(lang_dir.glob("*.toml")):
            merge(data, _read_toml(path))
    return data


@lru_cache(maxsize=32)
def _builtin(lang: str) -> dict[str, Any]:
    return _load_dir(BUILTIN_DIR, lang)


def available_languages(extra_dirs: Iterable[Path] = ()) -> list[str]:
    langs = {p.name for p in BUILTIN_DIR.iterdir() if p.is_dir()}
    for folder in extra_dirs:
        if folder.is_dir():
            langs.update(p.name for p in folder.iterdir() if p.is_dir())
    return sorted(langs)


def load_language(
    lang: str, extra_dirs: Iterable[Path] = (), inline: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The merged data of one language (``{}`` for a language nobody described)."""
    data = copy.deepcopy(_builtin(lang))
    for folder in extra_dirs:
        merge(data, _load_dir(folder, lang))
    if inline:
        merge(data, inline)
    return data


def word_set(data: dict[str, Any], key: str = "function_words") -> frozenset[str]:
    value = data.get(key, "")
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return frozenset(str(value).lower().split())


def str_list(data: dict[str, Any], key: str, where: str = "") -> list[str]:
    value = data.get(key, [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(None, f"{where or key}: expected a list of strings")
    return value
