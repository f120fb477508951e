"""Project settings from TOML: ``relecture.toml`` next to the document, ``--config FILE``, or the
file named by ``RELECTURE_CONFIG`` (tests point it at a temporary file so a user's own settings
never leak in).

This module only finds, parses and validates the file's shape; each domain module interprets its
own table (``[checks]``, ``[scoring]``, ``[glossary]``...).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relecture.errors import InputError

CONFIG_NAME = "relecture.toml"
ENV_VAR = "RELECTURE_CONFIG"


@dataclass
class Config:
    path: Path | None = None
    data: dict[str, Any] = field(default_factory=dict)
    # Found beside the document rather than named by the user (--config, RELECTURE_CONFIG): it
    # may come with the document (a cloned repository, an unpacked archive) and is not trusted
    # to name files outside the document's folder tree.
    found: bool = False

    def table(self, name: str) -> dict[str, Any]:
        """A top-level table (``{}`` when absent); InputError when it is not a table."""
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            raise InputError(self.path, f"[{name}] must be a table", name)
        return value

    def resolve(self, value: str, where: str | None = None) -> Path:
        """A path written in the config is relative to the config file's folder.

        A config found beside the document may only name files inside that folder's tree (no
        absolute path, ``~``, ``..`` or symbolic link out of it): otherwise a committed
        ``relecture.toml`` could make relecture read ``~/.netrc`` as a glossary. Given with
        ``--config``, it may name any file.
        """
        if self.found and self.path is not None:
            folder = self.path.parent.resolve()
            p = (folder / value).resolve()
            if value.startswith("~") or not p.is_relative_to(folder):
                raise InputError(
                    self.path,
                    f"names a file outside the document's folder ({folder}); a relecture.toml found "
                    "beside the document may only name files in that folder tree (give it with "
                    "--config to allow others)",
                    where,
                )
            return p
        p = Path(value).expanduser()
        if not p.is_absolute() and self.path is not None:
            p = self.path.parent / p
        return p


def find_config(document: str | Path | None = None, explicit: str | Path | None = None) -> Path | None:
    if explicit is not None:
        return Path(explicit)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    if document is not None:
        candidate = Path(document).resolve().parent / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(document: str | Path | None = None, explicit: str | Path | None = None) -> Config:
    path = find_config(document, explicit)
    if path is None:
        return Config()
    found = explicit is None and not os.environ.get(ENV_VAR)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "config file not found") from None
    except OSError as exc:
        raise InputError(path, f"cannot read config: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(path, "config is not UTF-8", f"byte {exc.start}") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts "(at line L, column C)" in its message.
        raise InputError(path, f"invalid TOML: {exc}") from None
    return Config(path=path, data=data, found=found)
