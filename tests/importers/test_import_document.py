"""import_document itself: missing files and folders, the target language detected."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.importers.samples import DATA

from conftest import run
from relecture.errors import InputError
from relecture.importers import detect_format, import_document


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


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ("<resources><string name='a'>b</string></resources>", "Android strings.xml"),
        ("<!DOCTYPE TS>\n<TS version='2.1'><context/></TS>", "Qt Linguist"),
        ("<root><data name='a'><value>b</value></data></root>", ".resx"),
        ("<martif type='TBX'/>", "TBX"),
        ("<html><body>hi</body></html>", "<html>"),
    ],
)
def test_other_xml_under_an_unknown_extension_is_refused_by_name(tmp_path: Path, root: str, expected: str) -> None:
    path = tmp_path / "strings.xml"
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n{root}\n', encoding="utf-8")
    code, _out, err = run("import", str(path))
    assert code == 2 and expected in err and err.startswith(f"relecture: {path}:")
    assert not (tmp_path / "strings.xml.review.json").exists()
    code, _, err = run("check", str(path))
    assert code == 2 and expected in err


def test_xliff_and_po_under_unknown_extensions_are_read_by_content(tmp_path: Path) -> None:
    xliff = tmp_path / "export.xml"
    xliff.write_bytes((DATA / "review.sdlxliff").read_bytes())
    assert detect_format(xliff) == "xliff"
    po = tmp_path / "messages.catalog"
    po.write_text('# comment\nmsgid "Hello"\nmsgstr "Bonjour"\n', encoding="utf-8")
    assert detect_format(po) == "po"
    assert import_document(po).segments[0].target == "Bonjour"


@pytest.mark.parametrize("suffix", [".sdlxliff", ".mqxliff", ".poxliff", ".xlf", ".xliff"])
def test_cat_extensions_are_xliff(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"file{suffix}"
    path.write_bytes((DATA / "review.sdlxliff").read_bytes())
    doc = import_document(path)
    assert [s.id for s in doc.segments] == ["1", "2", "3", "4"]  # an SDLXLIFF by its namespace
