"""Reading text files as a translator's tools write them.

Accepted: UTF-8 (with or without BOM), UTF-16 with BOM. CRLF line ends are kept as they are so a
document can be rebuilt byte for byte. Anything else is refused with a one-line reason naming the
file and the place: we do not guess legacy encodings, because a wrong guess silently corrupts
accented text, which is exactly what a reviewer must not have to chase.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from relecture.errors import InputError


def read_bytes(path: str | Path) -> bytes:
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError(p, "no such file") from None
    except IsADirectoryError:
        raise InputError(p, "is a directory") from None
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror}") from None


def line_col(text: str, index: int) -> str:
    """``line:column`` (both 1-based) of a character index."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{line}:{column}"


def decode(raw: bytes, path: str | Path) -> str:
    """Decode a document; errors name the file and the line (or byte) at fault."""
    if not raw:
        raise InputError(path, "empty file")
    if raw.startswith(codecs.BOM_UTF32_LE) or raw.startswith(codecs.BOM_UTF32_BE):
        raise InputError(path, "UTF-32 text is not supported; save it as UTF-8")
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, "invalid UTF-16 text", f"byte {exc.start}") from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            if b"\x00" in raw[:4096]:
                raise InputError(path, "binary file, not text", f"line {line}") from None
            raise InputError(
                path,
                f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); convert it to UTF-8 "
                "(e.g. iconv -f latin1 -t utf-8)",
                f"line {line}",
            ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(path, "NUL character: binary file, not text", line_col(text, nul))
    if not text or text.isspace():  # strip() would copy the whole text
        raise InputError(path, "no text (the file holds only white space)")
    return text


def read_text(path: str | Path) -> str:
    return decode(read_bytes(path), path)
