"""Post-edits are checked: flags on the final text are kept apart from flags on the translation,
stored in the review file by ``relecture check``, reported with ``on: post-edit`` and exported."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from relecture.cli import main
from relecture.model import POST_EDIT_KEY, ReviewDocument, Segment
from relecture.store import ReviewStore, load_review

CLEAN = "Le président a déclaré que les courts-métrages ouvrent un nouveau monde."
# Three typography errors a hurried post-edit adds: straight quotes, "..." and no space before ":".
BROKEN = 'Le président a déclaré: "les courts-métrages ouvrent un nouveau monde..."'


def _review(tmp_path: Path, post_edit: str | None = BROKEN) -> Path:
    doc = ReviewDocument(
        id="d", title="t", source_lang="en", target_lang="fr",
        segments=[
            Segment(id="p1", target=CLEAN, source="The president said short films open a new world.",
                    post_edit=post_edit),
            Segment(id="p2", target="Les entreprises ont réagi.", source="Companies reacted."),
        ],
    )
    path = tmp_path / "doc.tsv.review.json"
    ReviewStore.create(path, doc).close()
    return path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_check_reports_and_stores_flags_on_the_post_edit(tmp_path: Path) -> None:
    path = _review(tmp_path)
    _, out = _run("check", str(path), "--format", "jsonl", "--only", "typography")
    rows = [json.loads(line) for line in out.splitlines()]
    on_post_edit = [r for r in rows if r["on"] == "post-edit"]
    assert {r["check"] for r in on_post_edit} >= {"typography.straight-quotes", "typography.ellipsis"}
    assert all(r["segment"] == "p1" for r in on_post_edit)
    assert all(BROKEN[r["start"]:r["end"]] == r["text"] for r in on_post_edit if r["side"] == "target")
    assert not [r for r in rows if r["on"] == "translation"]  # the translation itself is clean

    code, out = _run("check", str(path))
    assert code == 0 and "post-edit:" in out
    doc = load_review(path)
    seg = doc.segments[0]
    assert seg.flags == [] and {f.check for f in seg.post_edit_flags} >= {"typography.straight-quotes"}


def test_post_edit_flags_go_when_the_post_edit_is_clean(tmp_path: Path) -> None:
    path = _review(tmp_path)
    _run("check", str(path))
    store = ReviewStore.open(path)
    from relecture import changes as ch

    store.apply_all([ch.set_post_edit("p1", CLEAN.replace("monde", "univers"))])
    store.close()
    _, out = _run("check", str(path), "--format", "jsonl")
    assert [r for r in map(json.loads, out.splitlines()) if r["on"] == "post-edit"] == []
    assert load_review(path).segments[0].post_edit_flags == []


def test_a_dismissed_post_edit_flag_is_not_reported(tmp_path: Path) -> None:
    path = _review(tmp_path)
    _run("check", str(path))
    doc = load_review(path)
    flag = next(f for f in doc.segments[0].post_edit_flags if f.check == "typography.ellipsis")
    store = ReviewStore.open(path)
    from relecture import changes as ch

    store.apply_all([ch.dismiss("p1", POST_EDIT_KEY + flag.key)])
    store.close()
    _, out = _run("check", str(path), "--format", "jsonl")
    assert "typography.ellipsis" not in {r["check"] for r in map(json.loads, out.splitlines())}


def test_exports_carry_both_kinds_of_flags(tmp_path: Path) -> None:
    path = _review(tmp_path)
    _run("check", str(path))
    out = tmp_path / "out.jsonl"
    assert _run("export", str(path), "--to", "jsonl", "-o", str(out))[0] == 0
    line = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert line["post_edit_flags"] and all(f["open"] for f in line["post_edit_flags"])
    csv_out = tmp_path / "out.csv"
    assert _run("export", str(path), "--to", "csv", "-o", str(csv_out))[0] == 0
    assert "post-edit flag" in csv_out.read_text(encoding="utf-8")


def test_a_v1_file_without_the_field_still_loads(tmp_path: Path) -> None:
    path = _review(tmp_path, post_edit=None)
    assert "post_edit_flags" not in path.read_text(encoding="utf-8")
    assert load_review(path).segments[0].post_edit_flags == []
