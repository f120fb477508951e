"""Adding a word to the personal word list the spelling check reads (``[checks] words`` and
``words_file``, see checks/spelling.py): the workbench's "add to dictionary".

The word goes where the user keeps the list: appended to ``words_file`` when the config names
one, else into ``[checks] words`` of the config file (``relecture.toml`` beside the document when
there is none yet), edited with tomlkit so the user's comments and layout stay as written. Each
write is atomic (a temporary file renamed over the old one): a crash leaves the old list or the
new one, never half of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit

from relecture.atomicio import atomic_write_text
from relecture.config import CONFIG_NAME, Config, load_config
from relecture.errors import InputError
from relecture.textio import decode, read_bytes

# How the spelling check compares words (Speller.extra): lower case, one apostrophe, ligatures.
_FOLD = str.maketrans({"’": "'", "ʼ": "'", "œ": "oe", "æ": "ae"})


def fold(word: str) -> str:
    """``word`` as the spelling check compares it with the personal word list."""
    return word.lower().translate(_FOLD)


@dataclass(frozen=True)
class Added:
    path: Path  # the file written
    config: Config  # the configuration as it reads now (the checks are rebuilt from it)
    already: bool = False  # the list had the word: nothing was written


def destination(config: Config | None, document: Path) -> tuple[Path, bool]:
    """The file a word is added to, and whether it is a word file (else a TOML config)."""
    config = config if config is not None else Config()
    checks = config.data.get("checks", {})
    name = checks.get("words_file") if isinstance(checks, dict) else None
    if isinstance(name, str):
        return config.resolve(name, "checks.words_file"), True
    return (config.path if config.path is not None else document.resolve().parent / CONFIG_NAME), False


def add_word(word: str, config: Config | None, document: Path) -> Added:
    """Add ``word`` to the personal word list of ``config`` (found beside ``document`` when it
    has no file); raises InputError naming the file when it cannot be read or written."""
    word = word.strip()
    if not word or any(c.isspace() for c in word) or "#" in word:
        raise InputError(None, f"not a single word: {word!r}")
    config = config if config is not None else Config()
    path, word_file = destination(config, document)
    return _append_line(path, word, config) if word_file else _add_to_toml(path, word, config)


def _append_line(path: Path, word: str, config: Config) -> Added:
    raw = read_bytes(path)
    text = decode(raw, path) if raw.strip() else raw.decode("utf-8", "replace")
    listed = {fold(line.split("#", 1)[0].strip()) for line in text.splitlines()}
    if fold(word) in listed:
        return Added(path, config, already=True)
    if text and not text.endswith("\n"):
        text += "\n"
    _write(path, text + word + "\n")
    return Added(path, config)


def _add_to_toml(path: Path, word: str, config: Config) -> Added:
    try:
        document: Any = tomlkit.parse(path.read_text(encoding="utf-8-sig")) if path.exists() else tomlkit.document()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read the config to add {word!r}: {exc}") from None
    except tomlkit.exceptions.TOMLKitError as exc:
        raise InputError(path, f"invalid TOML: {exc}") from None
    checks = document.get("checks")
    if checks is None:
        checks = tomlkit.table()
        document["checks"] = checks
    words = checks.get("words")
    if words is None:
        words = tomlkit.array()
        checks["words"] = words
    if not isinstance(words, list):
        raise InputError(path, "expected a list of words", "checks.words")
    if fold(word) in {fold(str(w)) for w in words}:
        return Added(path, config, already=True)
    words.append(word)
    _write(path, tomlkit.dumps(document))
    # Read back as the checks will: the same rules as at startup (found beside the document or not).
    fresh = load_config(explicit=path)
    return Added(path, Config(path=path, data=fresh.data, found=config.found or config.path is None))


def _write(path: Path, text: str) -> None:
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise InputError(path, f"cannot write the word list: {exc.strerror or exc}") from None
