"""import_document itself: missing files and folders, the target language detected."""

from __future__ import annotations

from pathlib import Path

import pytest

from relecture.errors import InputError
from relecture.importers import import_document


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        import_document(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="is a directory"):
        import_document(tmp_path)


def test_target_language_detection_is_deterministic(tmp_path: Path) -> None:
    path = tmp_path / "en.txt"
    path.write_text("The committee approved the budget after a long debate about schools.", encoding="utf-8")
    langs = {import_document(path).target_lang for _ in range(3)}
    assert langs == {"en"}
