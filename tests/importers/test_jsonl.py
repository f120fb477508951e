"""JSON Lines read: one segment a line, bad lines named."""

from __future__ import annotations

from pathlib import Path

import pytest

from relecture.errors import InputError
from relecture.importers import ImportOptions, import_document


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(
        '{"id": "a", "source": "Hello.", "target": "Bonjour.", "system": "gpt"}\n\n'
        '{"id": 2, "target": "Salut."}\n',
        encoding="utf-8",
    )
    doc = import_document(path, ImportOptions(source_lang="en", target_lang="fr"))
    assert [(s.id, s.source, s.target) for s in doc.segments] == [("a", "Hello.", "Bonjour."), ("2", None, "Salut.")]
    assert doc.segments[0].meta == {"system": "gpt"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "target": "x"}\n{"id": "b", "target": }\n', r"line 2:\d+: malformed JSON"),
        ('{"id": "a"}\n', r"line 1: missing or non-text 'target'"),
        ('["a", "b"]\n', r"line 1: expected a JSON object"),
    ],
)
def test_bad_jsonl(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        import_document(path, ImportOptions(target_lang="fr"))
