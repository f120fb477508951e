"""One flag as one JSON line: the record of ``relecture check --format jsonl`` and ``--out``."""

from __future__ import annotations

import json

from relecture.model import Flag

json_str = json.encoder.encode_basestring  # json's C string encoder, as json.dumps(ensure_ascii=False)

ON_TRANSLATION, ON_POST_EDIT = "translation", "post-edit"

# The columns of a flag record, in order (also the Parquet schema's).
FIELDS = ("file", "segment", "check", "family", "severity", "category", "side", "start", "end", "text", "message", "on")


def flag_line(file_json: str, seg_id: str, flag: Flag, on: str = ON_TRANSLATION) -> str:
    """``json.dumps`` of the flag's record (same keys, order and bytes), built directly: a
    corpus may have millions of flags. ``file_json`` is the file name already JSON-encoded."""
    return (
        f'{{"file": {file_json}, "segment": {json_str(seg_id)}, "check": {json_str(flag.check)}, '
        f'"family": {json_str(flag.family)}, "severity": {json_str(flag.severity)}, '
        f'"category": {json_str(flag.category)}, "side": {json_str(flag.side)}, '
        f'"start": {int(flag.start)}, "end": {int(flag.end)}, "text": {json_str(flag.text)}, '
        f'"message": {json_str(flag.message)}, "on": "{on}"}}'
    )
