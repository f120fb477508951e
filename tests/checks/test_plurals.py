"""PO plural forms: each form a labelled segment, checked against the header's nplurals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run, shared_data
from relecture.importers import import_document

# --- plural forms --------------------------------------------------------------------------------

PLURAL_PO = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: uk\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"

msgid "%(count)d file"
msgid_plural "%(count)d files"
msgstr[0] "%(count)d файл"
msgstr[1] "%(count)d файли"
msgstr[2] "файлів"

msgid "%d item"
msgid_plural "%d items"
msgstr[0] "%d елемент"
msgstr[1] "%d елементи"
'''


def test_more_forms_than_the_header_declares_is_a_minor_flag(tmp_path: Path) -> None:
    """Django 5.2's French catalogue: nplurals=2, 15 entries with three forms (msgfmt -c refuses)."""
    po = tmp_path / "fr.po"
    po.write_text(PLURAL_PO.replace("nplurals=3", "nplurals=2").replace(
        "n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2", "n > 1"), encoding="utf-8")
    code, out, _ = run("check", str(po), "--format", "json")
    assert code == 0
    flags = [(f["segment"], f["check"], f["severity"]) for f in json.loads(out)["files"][0]["flags"]]
    assert ("1[0]", "plurals.count", "minor") in flags
    assert not any(check == "plurals.count" for segment, check, _ in flags if segment.startswith("2"))


def test_every_plural_form_is_a_labelled_segment_and_checked(tmp_path: Path) -> None:
    po = tmp_path / "uk.po"
    po.write_text(PLURAL_PO, encoding="utf-8")
    doc = import_document(po)
    assert [s.id for s in doc.segments] == ["1[0]", "1[1]", "1[2]", "2[0]", "2[1]", "2[2]"]
    first = doc.segments[0]
    assert first.meta["plural_label"] == "n=1, 21, 31… (form 0 of 3)"
    assert doc.segments[1].meta["plural_label"].startswith("n=2, 3, 4")
    assert doc.segments[2].source == "%(count)d files" and doc.segments[2].target == "файлів"
    assert doc.segments[5].target == "" and doc.segments[5].meta["plural_index"] == 2
    code, out, _ = run("check", str(po), "--format", "json")
    assert code == 0
    flags = {(f["segment"], f["check"]) for f in json.loads(out)["files"][0]["flags"]}
    assert ("1[2]", "mismatch.placeholder") in flags  # the third form lost %(count)d
    assert ("2[2]", "plurals.empty") in flags  # two forms where nplurals=3: the third is missing
    assert not {check for _, check in flags} & {"plurals.count"}  # no entry has more forms than 3


def test_django_ukrainian_plural_forms_are_all_reviewable() -> None:
    doc = import_document(shared_data("real-catalogues", "django-5.2.19", "uk", "django.po"))
    forms = [s for s in doc.segments if "plural_index" in s.meta]
    assert forms and {s.meta["plural_index"] for s in forms} == {0, 1, 2, 3}
    assert all(s.meta["nplurals"] == 4 for s in forms)


@pytest.mark.parametrize("lang", ["fr", "ru", "ar", "ja"])
def test_django_plural_forms_against_nplurals(lang: str) -> None:
    path = shared_data("real-catalogues", "django-5.2.19", lang, "django.po")
    doc = import_document(path)
    forms = [s for s in doc.segments if "plural_index" in s.meta]
    by_entry: dict[int, list] = {}
    for seg in forms:
        by_entry.setdefault(seg.meta["po_entry"], []).append(seg)
    nplurals = forms[0].meta["nplurals"]
    for segs in by_entry.values():  # every msgstr[i], and every form the header asks for
        assert len(segs) == max(segs[0].meta["plural_forms"], nplurals)
    wrong = {e for e, segs in by_entry.items() if segs[0].meta["plural_forms"] != nplurals}
    code, out, _ = run("check", str(path), "--format", "json", "--only", "plurals.count")
    assert code == 0
    flagged = {f["segment"] for f in json.loads(out)["files"][0]["flags"]}
    assert flagged == {f"{e}[0]" for e in wrong}
    if lang == "fr":  # Django 5.2's French catalogue has three forms where its header says two
        assert len(wrong) == 15
