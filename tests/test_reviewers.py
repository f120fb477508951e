"""Reviewers as a dimension of the review file: identity, layers, migration from version 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from relecture import changes as ch
from relecture.cli import main
from relecture.config import Config
from relecture.errors import InputError
from relecture.identity import login_name, resolve_reviewer
from relecture.model import Annotation, Layer, ReviewDocument, Segment
from relecture.store import ReviewStore, load_review


def doc() -> ReviewDocument:
    return ReviewDocument(
        id="d", title="d", target_lang="fr",
        segments=[Segment(id="s1", target="Bonjour le monde."), Segment(id="s2", target="Au revoir.")],
    )


def test_identity_from_option_then_config_then_login() -> None:
    config = Config(path=Path("relecture.toml"), data={"reviewer": "Ana"})
    assert resolve_reviewer("Bo", config) == "Bo"
    assert resolve_reviewer(None, config) == "Ana"
    assert resolve_reviewer(None, Config()) == login_name() != ""
    with pytest.raises(InputError, match="reviewer: must be a printable"):
        resolve_reviewer(None, Config(path=Path("relecture.toml"), data={"reviewer": 3}))


def test_store_stamps_its_reviewer_and_undo_restores_both_values(tmp_path: Path, valid_review) -> None:
    path = tmp_path / "d.review.json"
    with ReviewStore.create(path, doc()) as store:
        store.reviewer = "ana"
        undo_status = store.apply(ch.set_status("s1", "approved"))
        store.apply(ch.set_esa("s1", 70))
        store.apply(ch.set_post_edit("s2", "Au revoir !"))
        store.apply(ch.put_annotation("s2", Annotation(id="a1", side="target", start=0, end=2,
                                                         category="Style/Awkward", severity="minor")))
        store.reviewer = "bo"
        store.apply(ch.set_status("s1", "needs-work"))  # bo revises: final value is his, ana's stays
    data = valid_review(path)
    assert data["version"] == 2
    seg1, seg2 = data["segments"]
    assert seg1["status"] == "needs-work"
    assert seg1["layers"] == {
        "ana": {"status": "approved", "post_edit": None, "note": "", "esa": 70},
        "bo": {"status": "needs-work", "post_edit": None, "note": "", "esa": None},
    }
    assert seg2["layers"]["ana"]["post_edit"] == "Au revoir !"
    assert seg2["annotations"][0]["author"] == "ana"
    # Undoing ana's approval (the inverse names her) clears her layer's status, not bo's.
    with ReviewStore.open(path) as store:
        store.apply(undo_status)
    seg1 = load_review(path).segments[0]
    assert seg1.status == "todo" and seg1.layers["ana"].status == "todo" and seg1.layers["bo"].status == "needs-work"


def test_setting_a_field_settles_its_conflict_and_undo_brings_it_back(tmp_path: Path) -> None:
    d = doc()
    d.segments[0].conflicts = ["status"]
    path = tmp_path / "d.review.json"
    with ReviewStore.create(path, d) as store:
        inverse = store.apply(ch.set_status("s1", "approved", reviewer="lead"))
        assert store.doc.segments[0].conflicts == []
        store.apply(inverse)
        assert store.doc.segments[0].conflicts == ["status"]
        assert "lead" not in store.doc.segments[0].layers


V1 = {
    "format": "relecture/review", "version": 1, "id": "old", "title": "old", "source_lang": None,
    "target_lang": "fr", "imported_from": {}, "relecture_version": "0.1.0", "created": "", "note": "",
    "prefix": "", "source_prefix": "", "meta": {},
    "segments": [
        {"id": "1", "paragraph": 0, "kind": "sentence", "source": None, "target": "Un.", "status": "approved",
         "post_edit": None, "note": "vu", "esa": 90, "flags": [], "dismissed": [], "meta": {},
         "annotations": [{"id": "a", "side": "target", "start": 0, "end": 2, "text": "Un", "category": "Style/Awkward",
                          "severity": "minor", "author": "claire", "origin": "manual"}]},
        {"id": "2", "paragraph": 1, "kind": "sentence", "source": None, "target": "Deux.", "status": "approved",
         "post_edit": None, "note": "", "esa": None, "flags": [], "dismissed": [], "annotations": [], "meta": {}},
    ],
}


def test_version_1_file_migrates_statuses_to_its_annotator(tmp_path: Path, valid_review) -> None:
    path = tmp_path / "old.review.json"
    path.write_text(json.dumps(V1), encoding="utf-8")
    with ReviewStore.open(path) as store:
        first, second = store.doc.segments
        assert first.layers["claire"].status == "approved" and first.layers["claire"].esa == 90
        assert second.layers == {}  # nobody named: credited to the current identity when scored
        store.save()
    data = valid_review(path)
    assert data["version"] == 2 and data["segments"][0]["layers"]["claire"]["note"] == "vu"
    result = CliRunner().invoke(main, ["score", str(path), "--by", "rater", "--format", "json"])
    keys = sorted(g["key"] for g in json.loads(result.stdout)["groups"])
    assert keys == sorted({"claire", login_name()})


def test_import_reviewer_owns_the_files_statuses(tmp_path: Path) -> None:
    xliff = tmp_path / "a.xlf"
    xliff.write_text(
        '<?xml version="1.0"?><xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" '
        'trgLang="fr"><file id="f"><unit id="u1"><segment state="final"><source>Hello.</source>'
        "<target>Bonjour.</target></segment></unit></file></xliff>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["import", str(xliff), "--reviewer", "Dana"])
    assert result.exit_code == 0, result.output
    [seg] = load_review(tmp_path / "a.xlf.review.json").segments
    assert seg.status == "approved" and seg.layers["Dana"].status == "approved"


def test_mqm_raters_post_edits_are_their_layers_and_differing_ones_a_conflict(tmp_path: Path) -> None:
    tsv = tmp_path / "m.tsv"
    tsv.write_text(
        "system\tdoc\tdocSegId\tglobalSegId\trater\tsource\ttarget\tcategory\tseverity\tmetadata\n"
        's\td\t1\t1\tr1\tThe cat.\tDie <v>Katz</v>.\tFluency/Spelling\tMinor\t{"corrected_translation":"Die Katze."}\n'
        's\td\t1\t1\tr2\tThe cat.\tDie <v>Katz</v>.\tFluency/Spelling\tMinor\t{"corrected_translation":"Eine Katze."}\n'
        's\td\t2\t2\tr1\tA dog.\tEin <v>Hunt</v>.\tFluency/Spelling\tMinor\t{"corrected_translation":"Ein Hund."}\n'
        "s\td\t2\t2\tr2\tA dog.\tEin Hunt.\tNo-error\tNo-error\t{}\n",
        encoding="utf-8",
    )
    out = tmp_path / "m.review.json"
    assert CliRunner().invoke(main, ["import", str(tsv), "-o", str(out)]).exit_code == 0
    first, second = load_review(out).segments
    assert (first.layers["r1"].post_edit, first.layers["r2"].post_edit) == ("Die Katze.", "Eine Katze.")
    assert first.post_edit is None and first.conflicts == ["post_edit"]
    assert second.post_edit == "Ein Hund." and second.conflicts == []


def test_info_names_reviewers_and_conflicts_and_csv_credits_unnamed_work(tmp_path: Path) -> None:
    d = doc()
    d.segments[0].annotations = [Annotation(id="a", side="target", start=0, end=7, category="Style/Awkward",
                                            severity="minor")]  # no author: from another tool
    d.segments[1].layers = {"ana": Layer(status="approved"), "bo": Layer(status="rejected")}
    d.segments[1].conflicts = ["status"]
    path = tmp_path / "d.review.json"
    ReviewStore.create(path, d).close()
    result = CliRunner().invoke(main, ["info", str(path)])
    assert "reviewers      ana, bo\n" in result.stdout and "conflicts      1 segment(s) to settle" in result.stdout
    config = tmp_path / "relecture.toml"
    config.write_text('reviewer = "Eve"\n', encoding="utf-8")
    out = tmp_path / "d.csv"
    result = CliRunner().invoke(main, ["export", str(path), "--to", "csv", "-o", str(out), "--config", str(config)])
    assert result.exit_code == 0, result.output
    import csv

    [row] = [r for r in csv.DictReader(out.open(encoding="utf-8")) if r["category"] == "Style/Awkward"]
    assert row["author"] == "Eve"
