"""Delivery in the file's own format (`--to original`): unchanged input given back byte for byte,
what delivery cannot do refused, the original never written over."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.exporters.samples import imported
from tests.importers.samples import DATA

from conftest import run, shared_data

REAL = [
    ("real-catalogues", "django-5.2.19", "uk", "django.po"),
    ("real-catalogues", "django-5.2.19", "fr", "django.po"),
    ("okapi-xliff", "SF-12-Test03.xlf"),
    ("okapi-xliff", "test1_es.xlf"),
    ("okapi-xliff", "MQ-12-Test01.xlf"),
    ("okapi-xliff", "Manual-12-AltTrans.xlf"),
    ("xliff2-oasis-tests", "valid", "everything-core.xlf"),
    ("xliff2-oasis-tests", "valid", "withReorderedCodes.xlf"),
    ("xliff2-oasis-tests", "valid", "testTranslateWithTarget.xlf"),
]


@pytest.mark.parametrize("parts", REAL, ids=["/".join(p[-2:]) for p in REAL])
def test_no_change_gives_back_the_input_byte_for_byte(tmp_path: Path, parts: tuple[str, ...]) -> None:
    path, review = imported(tmp_path, shared_data(*parts))
    out = tmp_path / "delivered"
    code, _, err = run("export", str(review), "--to", "original", "-o", str(out))
    assert code == 0, err
    assert out.read_bytes() == path.read_bytes()


def test_delivery_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Bonjour le monde.\n", encoding="utf-8")
    review = tmp_path / "a.txt.review.json"
    assert run("import", str(text), "--target-lang", "fr")[0] == 0
    code, _, err = run("export", str(review), "--to", "original")
    assert code == 2 and "writes back PO, XLIFF" in err and "Traceback" not in err
    code, _, err = run("export", str(review), "--to", "sdlxliff")
    assert code == 2 and "not imported from one" in err
    # A changed original is refused, not patched.
    other = tmp_path / "other"
    other.mkdir()
    path, review = imported(other, DATA / "review.sdlxliff")
    path.write_bytes(path.read_bytes().replace(b"Close it.", b"Close it now."))
    code, _, err = run("export", str(review), "--to", "original", "-o", str(tmp_path / "x.sdlxliff"))
    assert code == 2 and "changed since it was imported" in err
    assert not (tmp_path / "x.sdlxliff").exists()


def test_delivery_never_writes_over_the_original(tmp_path: Path) -> None:
    path, review = imported(tmp_path, DATA / "review.sdlxliff")
    before = path.read_bytes()
    code, _, err = run("export", str(review), "--to", "original", "-o", str(path))
    assert code == 2 and "the review was imported from" in err
    assert path.read_bytes() == before
