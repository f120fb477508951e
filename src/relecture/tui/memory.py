"""What the workbench remembers between sessions: per document (position, source pane, export
folder and format) and per user (theme, compact side panel, last export folder and format).

One small JSON file in the user's state folder (platformdirs; ``RELECTURE_STATE_DIR``, else a
``state`` folder in ``RELECTURE_DATA_DIR`` when that is set, so tests never touch the user's).
It is a convenience, never work: an unreadable file is ignored and replaced.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from relecture.atomicio import atomic_write_text

STATE_DIR_ENV = "RELECTURE_STATE_DIR"
MAX_DOCUMENTS = 200  # the most recently used are kept


def state_dir() -> Path:
    override = os.environ.get(STATE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    data = os.environ.get("RELECTURE_DATA_DIR")
    if data:
        return Path(data).expanduser() / "state"
    import platformdirs

    return Path(platformdirs.user_state_dir("relecture"))


@dataclass
class Remembered:
    """A document's session as it was left (None: never set)."""

    position: str | None = None  # a segment id
    show_source: bool | None = None
    compact: bool | None = None
    theme: str | None = None
    export_dir: str | None = None
    export_format: str | None = None


_USER_KEYS = ("theme", "compact", "export_dir", "export_format")
_DOCUMENT_KEYS = ("position", "show_source", "export_dir", "export_format")


@dataclass
class Memory:
    path: Path
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> Memory:
        path = path or state_dir() / "sessions.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if not isinstance(data, dict):
            data = {}
        return cls(path, data)

    def recall(self, review: Path) -> Remembered:
        """The document's own memory, completed by the user's."""
        user = self.data.get("user")
        doc = self.data.get("documents", {})
        doc = doc.get(_key(review)) if isinstance(doc, dict) else None
        out = Remembered()
        types = {f.name: f.type for f in fields(Remembered)}
        for source, keys in ((user, _USER_KEYS), (doc, _DOCUMENT_KEYS)):
            if not isinstance(source, dict):
                continue
            for key in keys:
                value = source.get(key)
                wanted = bool if "bool" in str(types[key]) else str
                if isinstance(value, wanted):
                    setattr(out, key, value)
        return out

    def remember(self, review: Path, state: Remembered) -> None:
        """Record ``state`` (None values leave what was there) and write the file."""
        values = {k: v for k, v in asdict(state).items() if v is not None}
        user = self.data.get("user")
        user = dict(user) if isinstance(user, dict) else {}
        user.update({k: values[k] for k in _USER_KEYS if k in values})
        documents = self.data.get("documents")
        documents = dict(documents) if isinstance(documents, dict) else {}
        key = _key(review)
        entry = documents.pop(key, None)
        entry = dict(entry) if isinstance(entry, dict) else {}
        entry.update({k: values[k] for k in _DOCUMENT_KEYS if k in values})
        documents[key] = entry  # last: the most recent
        while len(documents) > MAX_DOCUMENTS:
            documents.pop(next(iter(documents)))
        self.data = {"user": user, "documents": documents}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, json.dumps(self.data, ensure_ascii=False, indent=1) + "\n")
        except OSError:
            pass  # a read-only home: the session is simply not remembered


def _key(review: Path) -> str:
    return str(review.expanduser().resolve())
