"""`relecture merge` and the git merge driver (issue 16.2): several reviewers' files of one
document become one, every layer kept, conflicts kept to settle, never silently chosen."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from relecture import changes as ch
from relecture.cli import main
from relecture.model import Annotation, Layer, ReviewDocument, Segment
from relecture.store import ReviewStore, load_review


def document() -> ReviewDocument:
    return ReviewDocument(id="d", title="d", target_lang="fr", segments=[
        Segment(id=f"s{i}", source=f"Sentence {i}.", target=f"Phrase numéro {i}.") for i in range(1, 5)
    ])


def annotation(aid: str, start: int = 0, end: int = 6, severity: str = "major") -> Annotation:
    return Annotation(id=aid, side="target", start=start, end=end, category="Accuracy/Mistranslation",
                      severity=severity, time=aid)


def reviewed(path: Path, reviewer: str, changes: list[dict]) -> Path:
    store = ReviewStore.open(path) if path.exists() else ReviewStore.create(path, document())
    with store:
        store.reviewer = reviewer
        for change in changes:
            store.apply(change)
    return path


def test_merge_keeps_layers_dedupes_and_keeps_conflicts(tmp_path: Path, valid_review) -> None:
    a = reviewed(tmp_path / "ana.review.json", "ana", [
        ch.set_status("s1", "approved"),
        ch.set_status("s2", "approved"),
        ch.set_post_edit("s3", "Phrase n° 3."),
        ch.put_annotation("s4", annotation("x1")),
    ])
    b = reviewed(tmp_path / "bo.review.json", "bo", [
        ch.set_status("s1", "approved"),
        ch.set_status("s2", "needs-work"),
        ch.set_post_edit("s3", "La phrase 3."),
        ch.put_annotation("s4", annotation("y1")),  # same judgement as ana's? no: another author
        ch.set_esa("s4", 60),
    ])
    out = tmp_path / "both.review.json"
    result = CliRunner().invoke(main, ["merge", str(a), str(b), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 reviewer(s) (ana, bo), 2 conflict(s) to settle" in result.stdout
    valid_review(out)
    s1, s2, s3, s4 = load_review(out).segments
    assert s1.status == "approved" and s1.conflicts == []  # both agree
    assert s2.status == "todo" and s2.conflicts == ["status"]  # never silently chosen
    assert (s2.layers["ana"].status, s2.layers["bo"].status) == ("approved", "needs-work")
    assert s3.post_edit is None and s3.conflicts == ["post_edit"]
    assert (s3.layers["ana"].post_edit, s3.layers["bo"].post_edit) == ("Phrase n° 3.", "La phrase 3.")
    assert sorted(a.author for a in s4.annotations) == ["ana", "bo"] and s4.esa == 60


def test_identical_annotations_are_not_duplicated(tmp_path: Path) -> None:
    base = reviewed(tmp_path / "base.review.json", "ana", [ch.put_annotation("s1", annotation("x1"))])
    copy = tmp_path / "copy.review.json"
    copy.write_bytes(base.read_bytes())
    out = tmp_path / "out.review.json"
    assert CliRunner().invoke(main, ["merge", str(base), str(copy), "-o", str(out)]).exit_code == 0
    assert len(load_review(out).segments[0].annotations) == 1


def test_different_documents_are_refused_naming_the_segment(tmp_path: Path) -> None:
    a = reviewed(tmp_path / "a.review.json", "ana", [])
    other = document()
    other.segments[2].target = "Autre phrase."
    b = tmp_path / "b.review.json"
    ReviewStore.create(b, other).close()
    out = tmp_path / "out.review.json"
    result = CliRunner().invoke(main, ["merge", str(a), str(b), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"relecture: {b}:$.segments[2].target: not the same document as {a}: the target of segment 's3' differs"
    )
    assert not out.exists()


def test_existing_output_is_not_overwritten(tmp_path: Path) -> None:
    a = reviewed(tmp_path / "a.review.json", "ana", [ch.set_status("s1", "approved")])
    b = reviewed(tmp_path / "b.review.json", "bo", [])
    before = a.read_bytes()
    result = CliRunner().invoke(main, ["merge", str(a), str(b), "-o", str(a)])
    assert result.exit_code == 2 and "exists already" in result.stderr
    assert a.read_bytes() == before


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return proc.stdout


@pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0, reason="git absent")
def test_git_merge_of_two_reviewers_branches_has_no_conflict_markers(tmp_path: Path, valid_review) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    # The README's lines, with this interpreter standing for the `relecture` command.
    driver = f"{shlex.quote(sys.executable)} -m relecture merge-driver %O %A %B %P"
    git(repo, "config", "merge.relecture.name", "relecture review files")
    git(repo, "config", "merge.relecture.driver", driver)
    (repo / ".gitattributes").write_text("*.review.json merge=relecture\n", encoding="utf-8")
    (repo / ".gitignore").write_text("*.review.json.lock\n*.review.json.bak\n*.review.json.journal\n", encoding="utf-8")
    path = repo / "doc.review.json"
    ReviewStore.create(path, document()).close()
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "import")
    git(repo, "checkout", "-qb", "ana")
    reviewed(path, "ana", [ch.set_status("s1", "approved"), ch.put_annotation("s2", annotation("x1")),
                           ch.set_status("s3", "approved")])
    git(repo, "commit", "-qam", "ana reviews")
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-qb", "bo")
    reviewed(path, "bo", [ch.set_status("s1", "approved"), ch.set_note("s2", "terme à vérifier"),
                          ch.set_status("s3", "rejected"), ch.set_esa("s4", 80)])
    git(repo, "commit", "-qam", "bo reviews")
    git(repo, "merge", "-q", "--no-edit", "ana")  # exit 0: merged by the driver
    text = path.read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    data = valid_review(path)
    s1, s2, s3, s4 = data["segments"]
    assert s1["status"] == "approved" and set(s1["layers"]) == {"ana", "bo"}
    assert [a["author"] for a in s2["annotations"]] == ["ana"] and s2["note"] == "terme à vérifier"
    assert s3["status"] == "todo" and s3["conflicts"] == ["status"]  # to settle, not chosen
    assert s4["esa"] == 80
    assert "Merge branch 'ana'" in git(repo, "log", "-1", "--format=%s")
    assert json.loads(git(repo, "show", "HEAD:doc.review.json"))["segments"][2]["conflicts"] == ["status"]


def test_merge_driver_refuses_different_documents_and_leaves_ours(tmp_path: Path) -> None:
    base = reviewed(tmp_path / "o.review.json", "ana", [])
    ours = reviewed(tmp_path / "a.review.json", "ana", [ch.set_status("s1", "approved")])
    other = document()
    other.segments.pop()
    theirs = tmp_path / "b.review.json"
    ReviewStore.create(theirs, other).close()
    before = ours.read_bytes()
    result = CliRunner().invoke(main, ["merge-driver", str(base), str(ours), str(theirs), "doc.review.json"])
    assert result.exit_code == 1
    assert "relecture merge-driver: doc.review.json:" in result.stderr and "3 segments there, 4" in result.stderr
    assert ours.read_bytes() == before


def test_three_way_keeps_a_settlement_made_on_one_side(tmp_path: Path) -> None:
    d = document()
    d.segments[0].conflicts = ["status"]
    d.segments[0].layers = {"ana": Layer(status="approved"), "bo": Layer(status="rejected")}
    base = tmp_path / "o.review.json"
    ReviewStore.create(base, d).close()
    ours = tmp_path / "a.review.json"
    ours.write_bytes(base.read_bytes())
    theirs = reviewed(tmp_path / "b.review.json", "lead", [])
    theirs.write_bytes(base.read_bytes())
    reviewed(theirs, "lead", [ch.set_status("s1", "approved")])  # the lead settles it on a branch
    reviewed(ours, "ana", [ch.set_note("s2", "vu")])
    result = CliRunner().invoke(main, ["merge-driver", str(base), str(ours), str(theirs)])
    assert result.exit_code == 0, result.output
    s1, s2 = load_review(ours).segments[:2]
    assert s1.status == "approved" and s1.conflicts == [] and s1.layers["lead"].status == "approved"
    assert s2.note == "vu"
