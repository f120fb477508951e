"""Inline-code checks and PO plural forms, as `relecture check` reports them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import assert_valid_review_file, shared_data
from relecture.cli import main
from relecture.importers import import_document
from relecture.model import ReviewDocument, migrate_v1_to_v2, show_codes
from relecture.store import load_review


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def xliff12(tmp_path: Path, units: list[tuple[str, str]]) -> Path:
    body = "".join(
        f'<trans-unit id="u{i}"><source>{s}</source><target>{t}</target></trans-unit>'
        for i, (s, t) in enumerate(units, start=1)
    )
    path = tmp_path / "codes.xlf"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        f'<file original="a" source-language="en" target-language="fr" datatype="html"><body>{body}</body></file></xliff>\n',
        encoding="utf-8",
    )
    return path


def code_flags(path: Path) -> list[tuple[str, str, str]]:
    code, out, err = run("check", str(path), "--format", "json", "--only", "codes")
    assert code == 0, err
    return [(f["segment"].split(":")[-1], f["check"], f["severity"]) for f in json.loads(out)["files"][0]["flags"]]


def test_code_checks_on_xliff12(tmp_path: Path) -> None:
    path = xliff12(tmp_path, [
        ('Click <g id="1">Save</g> now.', 'Cliquez sur <g id="1">Enregistrer</g> maintenant.'),  # fine
        ('Click <g id="1">Save</g> now.', "Cliquez sur Enregistrer maintenant."),  # both codes gone
        ('Line<x id="1"/>break', 'Ligne<x id="1"/>saut<x id="2"/>'),  # one extra
        ('Line<x id="1"/>break', 'Ligne<x id="1"/>saut<x id="1"/>'),  # duplicated
        ('<bpt id="1">&lt;b&gt;</bpt>Bold<ept id="1">&lt;/b&gt;</ept> text',
         '<ept id="1">&lt;/b&gt;</ept>Gras<bpt id="1">&lt;b&gt;</bpt> texte'),  # closed before opened
        ('Click <g id="1">Save</g> now.', 'Cliquez sur<g id="1">Enregistrer</g> maintenant.'),  # space lost
    ])
    found = code_flags(path)
    assert ("u1", "codes.missing", "critical") not in found
    assert [f for f in found if f[0] == "u2"] == [("u2", "codes.missing", "critical")] * 2
    assert ("u3", "codes.extra", "major") in found
    assert ("u4", "codes.duplicated", "major") in found
    assert ("u5", "codes.unbalanced", "major") in found
    assert ("u6", "codes.whitespace", "minor") in found
    assert not [f for f in found if f[0] == "u1"]


def test_reorder_is_flagged_only_where_the_format_forbids_it(tmp_path: Path) -> None:
    path = tmp_path / "r.xlf"
    path.write_text(
        '<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">'
        '<file id="f"><unit id="free"><segment><source>A<ph id="1"/> B<ph id="2"/></source>'
        '<target>B<ph id="2"/> A<ph id="1"/></target></segment></unit>'
        '<unit id="fixed"><segment><source>A<ph id="1" canReorder="no" canDelete="no"/> B<ph id="2" canReorder="no" canDelete="no"/></source>'
        '<target>B<ph id="2" canReorder="no" canDelete="no"/> A<ph id="1" canReorder="no" canDelete="no"/></target></segment></unit>'
        '<unit id="dropped"><segment><source>A<ph id="1" canDelete="no"/> B<ph id="2"/></source>'
        '<target>A B</target></segment></unit></file></xliff>\n',
        encoding="utf-8",
    )
    found = code_flags(path)
    assert ("fixed", "codes.reordered", "major") in found
    assert not [f for f in found if f[0] == "free"]
    # XLIFF 2 lets a code be dropped unless it says canDelete="no".
    assert [f for f in found if f[0] == "dropped"] == [("dropped", "codes.missing", "critical")]


def test_migration_of_a_version_1_review_file(tmp_path: Path) -> None:
    doc = import_document(xliff12(tmp_path, [('Go <x id="1"/>now', 'Va <x id="1"/>maintenant')]))
    data = doc.to_dict()
    data["version"] = 1
    for seg in data["segments"]:
        del seg["codes"]
        seg["source"], seg["target"] = "Go now", "Va maintenant"
    migrated = migrate_v1_to_v2(json.loads(json.dumps(data)))
    assert migrated["version"] == 2 and all(s["codes"] == [] for s in migrated["segments"])
    old = tmp_path / "old.review.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    loaded = load_review(old)
    assert loaded.segments[0].target == "Va maintenant" and loaded.segments[0].codes == []
    # Saved again, it is a version-2 file that validates.
    new = tmp_path / "new.review.json"
    new.write_text(loaded.to_json(), encoding="utf-8")
    assert assert_valid_review_file(new)["version"] == 2
    # And a version-2 file with codes loads them back.
    with_codes = tmp_path / "codes.review.json"
    with_codes.write_text(doc.to_json(), encoding="utf-8")
    back = ReviewDocument.from_dict(json.loads(with_codes.read_text(encoding="utf-8")))
    assert show_codes(back.segments[0].target, back.segments[0].codes) == "Va {1/}maintenant"
    assert_valid_review_file(with_codes)


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
