"""Inline-code checks (missing, extra, duplicated, reordered, unbalanced codes), as `relecture check` reports them."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import assert_valid_review_file, run
from relecture.importers import import_document
from relecture.model import ReviewDocument, migrate_v1_to_v2, show_codes
from relecture.store import load_review


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
