"""Timestamps as review files, journals and exports write them."""

from __future__ import annotations

import datetime as _dt


def now_iso() -> str:
    """Now, in UTC to the second: ``2026-01-31T09:05:00Z``."""
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
