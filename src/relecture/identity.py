"""Who is reviewing: the one name recorded on every annotation, status, ESA score and note.

Resolved once, the same way by every command: ``--reviewer NAME``, else ``reviewer = "NAME"`` at
the top of ``relecture.toml``, else the login name. Scores (``score --by rater``) and exports
(the MQM TSV's rater column) credit work that carries no name (files written before names were
recorded) to this same identity, so one person is never two raters.
"""

from __future__ import annotations

from relecture.config import Config
from relecture.errors import InputError

FALLBACK = "reviewer"  # no login name at all (some containers): still one stable name


def login_name() -> str:
    import getpass  # at the first name asked: ``check`` never asks

    try:
        return getpass.getuser() or FALLBACK
    except (KeyError, OSError):
        return FALLBACK


def resolve_reviewer(explicit: str | None = None, config: Config | None = None) -> str:
    """The reviewer's identity; an empty or non-string name is an InputError naming its place."""
    if explicit is not None:
        name = explicit.strip()
        if not name or not name.isprintable():
            raise InputError(None, "--reviewer needs a printable, non-empty name")
        return name
    if config is not None and "reviewer" in config.data:
        value = config.data["reviewer"]
        if not isinstance(value, str) or not value.strip() or not value.strip().isprintable():
            raise InputError(config.path, "must be a printable, non-empty string", "reviewer")
        return value.strip()
    return login_name()
