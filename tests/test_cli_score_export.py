"""`relecture score` and `relecture export` from the command line: output, files, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run, shared_data
from relecture.changes import set_post_edit, set_status
from relecture.model import Annotation, ReviewDocument, Segment
from relecture.store import ReviewStore, load_review


def annotation(aid: str, severity: str, author: str, category: str = "Accuracy/Mistranslation") -> Annotation:
    return Annotation(
        id=aid, side="target", start=0, end=2, category=category, severity=severity, author=author
    )


def write_review(path: Path, doc: ReviewDocument) -> Path:
    path.write_text(doc.to_json(), encoding="utf-8")
    return path


def systems_doc() -> ReviewDocument:
    return ReviewDocument(
        id="eval",
        title="eval",
        target_lang="de",
        segments=[
            # sysA: r1 major 5, r2 minor 1 -> 3
            Segment(
                id="a1",
                target="Das ist gut",
                source="This is good",
                annotations=[annotation("x1", "major", "r1"), annotation("x2", "minor", "r2")],
                meta={"system": "sysA", "raters": ["r1", "r2"]},
            ),
            # sysA: r1 clean -> 0
            Segment(id="a2", target="Hallo", source="Hello", meta={"system": "sysA", "raters": ["r1"]}),
            # sysB: r2 major 5 + major 5 -> 10
            Segment(
                id="b1",
                target="Das ist schlecht",
                source="This is good",
                annotations=[annotation("x3", "major", "r2"), annotation("x4", "major", "r2")],
                meta={"system": "sysB", "raters": ["r2"]},
            ),
        ],
    )


def test_score_text_table_by_system(tmp_path: Path) -> None:
    review = write_review(tmp_path / "eval.review.json", systems_doc())
    code, out, err = run("score", str(review))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("MQM by system")
    rows = {line.split()[0]: line.split() for line in lines if line.startswith(("sysA", "sysB", "all"))}
    # columns: key segments rated critical major minor neutral MQM per-1000 quality ESA
    assert rows["sysA"][1:3] == ["2", "2"] and rows["sysA"][7] == "1.500"  # (3 + 0) / 2
    assert rows["sysB"][7] == "10.000"
    assert rows["all"][7] == "4.333"  # (3 + 0 + 10) / 3
    assert rows["all"][4] == "3" and rows["all"][5] == "1"  # 3 major, 1 minor


def test_score_json_is_stable_and_complete(tmp_path: Path) -> None:
    review = write_review(tmp_path / "eval.review.json", systems_doc())
    code, out, err = run("score", str(review), "--by", "rater", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["by"] == "rater" and data["inputs"] == [str(review)]
    by = {g["key"]: g for g in data["groups"]}
    assert by["r1"]["mqm"] == 2.5  # r1: a1 5, a2 0 -> 2.5
    assert by["r2"]["mqm"] == 5.5  # r2: a1 1, b1 10 -> 5.5
    assert data["total"]["mqm"] == pytest.approx(13 / 3, abs=1e-6)
    assert data["settings"]["severity_weights"] == {
        "neutral": 0.0,
        "minor": 1.0,
        "major": 5.0,
        "critical": 25.0,
    }
    assert data["total"]["metrics"] == {"post_edit": None}
    code2, out2, _ = run("score", str(review), "--by", "rater", "--format", "json")
    assert code2 == 0 and out2 == out


def test_score_with_post_edits_and_reference(tmp_path: Path) -> None:
    doc = ReviewDocument(
        id="pe",
        title="pe",
        target_lang="en",
        segments=[
            Segment(id="1", target="the cat sat on the mat", post_edit="the cat sat on a mat"),
            Segment(id="2", target="hello world", status="approved"),
        ],
    )
    review = write_review(tmp_path / "pe.review.json", doc)
    reference = tmp_path / "ref.txt"
    reference.write_text("the cat sat on the mat\nhello world\n", encoding="utf-8")
    code, out, err = run("score", str(review), "--reference", str(reference), "--format", "json")
    assert code == 0, err
    metrics = json.loads(out)["total"]["metrics"]
    # 1 edit over 6 + 2 post-edit words
    assert metrics["post_edit"]["ter"]["score"] == 12.5
    assert metrics["post_edit"]["ter"]["signature"].startswith("nrefs:1|case:mixed|tok:tercom")
    assert metrics["reference"]["ter"]["score"] == 0.0 and metrics["reference"]["segments"] == 2
    code, out, err = run("score", str(review), "--reference", str(reference))
    assert code == 0, err
    assert "HTER" in out and "12.50" in out and "Reference metrics" in out


def test_reference_ids_that_match_no_segment_are_named(tmp_path: Path) -> None:
    doc = ReviewDocument(id="r", title="r", target_lang="en", segments=[
        Segment(id="1", target="the cat sat on the mat", status="approved"),
        Segment(id="2", target="hello world", status="approved"),
    ])
    review = write_review(tmp_path / "r.review.json", doc)
    reference = tmp_path / "ref.tsv"
    reference.write_text("1\tthe cat sat on the mat\n7\tsomething else\n9\tmore\n", encoding="utf-8")
    code, out, err = run("score", str(review), "--reference", str(reference), "--format", "json")
    assert code == 0
    assert f"{reference}: 2 id(s) match no segment ('7', '9'); left out" in err
    assert json.loads(out)["total"]["metrics"]["reference"]["segments"] == 1


def test_score_by_category_with_config(tmp_path: Path) -> None:
    review = write_review(tmp_path / "eval.review.json", systems_doc())
    config = tmp_path / "weights.toml"
    config.write_text("[scoring]\nmajor = 10\n", encoding="utf-8")
    code, out, err = run(
        "score", str(review), "--by", "category", "--config", str(config), "--format", "json"
    )
    assert code == 0, err
    data = json.loads(out)
    # a1: (10 + 1) / 2 = 5.5, a2: 0, b1: 20 -> (5.5 + 0 + 20) / 3 = 8.5
    assert data["total"]["mqm"] == 8.5
    assert [g["key"] for g in data["groups"]] == ["Accuracy/Mistranslation"]
    assert data["groups"][0]["mqm"] == 8.5


def test_score_a_wmt_mqm_tsv_directly() -> None:
    path = shared_data("wmt-mqm", "mqm_ted_ende.tsv")
    code, out, err = run("score", str(path), "--format", "json")
    assert code == 0, err
    by = {g["key"]: g["mqm"] for g in json.loads(out)["groups"]}
    assert round(by["Facebook-AI"], 2) == 1.06 and round(by["Nemo"], 2) == 2.14


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["missing.review.json"], "missing.review.json: no such file"),
        (["bad.review.json"], "bad.review.json:1:"),
        (["eval.review.json", "--reference", "short.txt"], "has 1 lines but the review has 3 segments"),
        (["eval.review.json", "--config", "bad.toml"], "scoring.major"),
    ],
)
def test_score_errors_exit_2_on_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], needle: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_review(tmp_path / "eval.review.json", systems_doc())
    (tmp_path / "bad.review.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "short.txt").write_text("one line\n", encoding="utf-8")
    (tmp_path / "bad.toml").write_text("[scoring]\nmajor = 'x'\n", encoding="utf-8")
    code, out, err = run("score", *args)
    assert code == 2 and out == ""
    assert needle in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


# --- export --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "suffix"),
    [("json", ".json"), ("jsonl", ".jsonl"), ("csv", ".csv"), ("html", ".html"), ("markdown", ".md")],
)
def test_export_default_output_name(tmp_path: Path, fmt: str, suffix: str) -> None:
    review = write_review(tmp_path / "article.fr.txt.review.json", systems_doc())
    code, _, err = run("export", str(review), "--to", fmt)
    assert code == 0, err
    out = tmp_path / f"article.fr.txt{suffix}"
    assert out.exists() and out.stat().st_size > 0
    assert str(out) in err


def test_export_json_includes_unsaved_journaled_changes(tmp_path: Path) -> None:
    review = write_review(tmp_path / "doc.review.json", systems_doc())
    store = ReviewStore.open(review)
    store.apply(set_status("a2", "approved"))
    store.apply(set_post_edit("b1", "Das ist gut"))
    store.close(save=False)  # as after a crash: the changes live only in the journal
    out = tmp_path / "snapshot.json"
    code, _, err = run("export", str(review), "--to", "json", "-o", str(out))
    assert code == 0, err
    exported = load_review(out)
    assert exported.segment("a2").status == "approved"
    assert exported.segment("b1").post_edit == "Das ist gut"
    assert load_review(review).segment("a2").status == "todo"  # the review file is untouched


def test_export_csv_with_bom(tmp_path: Path) -> None:
    review = write_review(tmp_path / "doc.review.json", systems_doc())
    out = tmp_path / "doc.csv"
    code, _, err = run("export", str(review), "--to", "csv", "-o", str(out), "--bom")
    assert code == 0, err
    assert out.read_bytes().startswith(b"\xef\xbb\xbfkind,segment,")


def test_export_overwrites_an_older_export(tmp_path: Path) -> None:
    review = write_review(tmp_path / "doc.review.json", systems_doc())
    out = tmp_path / "doc.html"
    out.write_text("old", encoding="utf-8")
    code, _, err = run("export", str(review), "--to", "html", "-o", str(out))
    assert code == 0, err
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_export_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    review = write_review(tmp_path / "doc.review.json", systems_doc())
    before = review.read_bytes()
    code, _, err = run("export", str(review), "--to", "json", "-o", str(review))
    assert code == 2 and "is the input file" in err and len(err.strip().splitlines()) == 1
    assert review.read_bytes() == before


def test_export_to_an_unwritable_place_exits_2(tmp_path: Path) -> None:
    review = write_review(tmp_path / "doc.review.json", systems_doc())
    out = tmp_path / "no-such-folder" / "doc.csv"
    code, _, err = run("export", str(review), "--to", "csv", "-o", str(out))
    assert code == 2 and "cannot write" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.parent.exists()


def test_export_errors_exit_2(tmp_path: Path) -> None:
    code, _, err = run("export", str(tmp_path / "missing.review.json"), "--to", "csv")
    assert code == 2 and "no such file" in err
    review = write_review(tmp_path / "doc.review.json", systems_doc())
    code, _, err = run("export", str(review), "--to", "docx")
    assert code == 2 and "docx" in err


def test_export_to_standard_output_with_dash(tmp_path: Path) -> None:
    review = write_review(tmp_path / "eval.review.json", systems_doc())
    code, out, err = run("export", str(review), "--to", "jsonl", "-o", "-")
    assert code == 0 and "Wrote standard output (jsonl" in err
    code, _, _ = run("export", str(review), "--to", "jsonl", "-o", str(tmp_path / "file.jsonl"))
    assert out == (tmp_path / "file.jsonl").read_text(encoding="utf-8")
    assert not (tmp_path / "-").exists() and not Path("-").exists()
