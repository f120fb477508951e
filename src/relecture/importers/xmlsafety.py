"""Refuse hostile XML before any XML library builds a tree from it.

XLIFF and TMX files come from clients and vendors. A file can declare entities that read local
files (``<!ENTITY x SYSTEM "file:///etc/passwd">``), fetch URLs, or expand exponentially (the
"billion laughs"). No translation file needs entity declarations, so any is refused outright:
the raw bytes are first parsed by defusedxml (expat with entity declarations forbidden), and
only a document that passes goes to translate-toolkit, whose own lxml parser also runs with
``resolve_entities=False`` and ``no_network=True``. A plain DOCTYPE without entities (TMX files
often name ``tmx14.dtd``) is accepted and the DTD is never loaded.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from relecture.errors import InputError


def check(raw: bytes, path: str | Path) -> Element:
    """Parse ``raw`` safely and return its root (for sniffing); InputError when refused."""
    if not raw.strip():
        raise InputError(path, "empty file")
    try:
        return SafeET.fromstring(raw, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        name = getattr(exc, "name", None) or getattr(exc, "sysid", None) or ""
        what = f" {name!r}" if name else ""
        raise InputError(
            path,
            f"refused: the file declares the XML entity{what}; relecture never expands "
            "entities (they can read local files or explode in memory)",
        ) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        message = str(exc).split(":")[0]
        raise InputError(path, f"not well-formed XML ({message})", f"line {line}:{column + 1}") from None


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
