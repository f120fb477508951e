"""MQM and ESA scores: hand-computed fixtures with several raters and systems, settings from
TOML, the incremental tally an editor uses, and the published WMT TED en-de system means."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import shared_data
from relecture.changes import apply_change, delete_annotation, put_annotation, set_esa, set_status
from relecture.config import load_config
from relecture.errors import InputError
from relecture.identity import login_name
from relecture.model import Annotation, ReviewDocument, Segment
from relecture.scoring import (
    GroupScore,
    ScoreTally,
    ScoringSettings,
    document_esa,
    document_mqm,
    score_documents,
    score_segment,
    settings_from_config,
    word_count,
)

_ids = iter(range(1_000_000))


def err(category: str, severity: str, author: str = "", side: str = "target") -> Annotation:
    return Annotation(
        id=f"a{next(_ids)}",
        side=side,
        start=0,
        end=0,
        category=category,
        severity=severity,
        author=author,
    )


def seg(
    sid: str,
    *annotations: Annotation,
    system: str | None = None,
    raters: list[str] | None = None,
    status: str = "todo",
    target: str = "x",
    esa: int | None = None,
    doc: str | None = None,
) -> Segment:
    meta: dict = {}
    if system is not None:
        meta["system"] = system
    if raters is not None:
        meta["raters"] = raters
    if doc is not None:
        meta["doc"] = doc
    return Segment(
        id=sid,
        source="src",
        target=target,
        annotations=list(annotations),
        meta=meta,
        status=status,
        esa=esa,
    )


def two_systems() -> ReviewDocument:
    """Systems A and B rated by r1 and r2 (as an MQM TSV import gives them)."""
    return ReviewDocument(
        id="wmt",
        title="wmt",
        segments=[
            # r1: major 5 + minor punctuation 0.1 = 5.1; r2: minor 1 -> (5.1 + 1) / 2 = 3.05
            seg(
                "A1",
                err("Accuracy/Mistranslation", "major", "r1"),
                err("Fluency/Punctuation", "minor", "r1"),
                err("Style/Awkward", "minor", "r2"),
                system="A",
                raters=["r1", "r2"],
            ),
            # r1 rated it clean -> 0
            seg("A2", system="A", raters=["r1"]),
            # nobody rated it and it is still to do -> unrated, left out of every mean
            seg("A3", system="A", raters=[]),
            # r2: Non-translation! 25 -> 25
            seg("B1", err("Non-translation!", "major", "r2"), system="B", raters=["r2"]),
            # r1: neutral 0; r2: major punctuation 5 (only minor punctuation is 0.1)
            #     + source issue minor 1 -> r2 = 6 -> (0 + 6) / 2 = 3
            seg(
                "B2",
                err("Style/Awkward", "neutral", "r1"),
                err("Fluency/Punctuation", "major", "r2"),
                err("Source issue", "minor", "r2", side="source"),
                system="B",
                raters=["r1", "r2"],
            ),
        ],
    )


def groups(report) -> dict[str, GroupScore]:  # type: ignore[no-untyped-def]
    return {g.key: g for g in report.groups}


def test_segment_scores_average_over_raters() -> None:
    doc = two_systems()
    scores = [score_segment(s).score for s in doc.segments]
    assert scores == pytest.approx([3.05, 0.0, None, 25.0, 3.0])
    assert score_segment(doc.segments[0]).by_rater == pytest.approx({"r1": 5.1, "r2": 1.0})


def test_scores_by_system_and_total() -> None:
    doc = two_systems()
    report = score_documents([doc], by="system")
    by = groups(report)
    assert list(by) == ["A", "B"]
    # A: (3.05 + 0) / 2 rated segments = 1.525 (A3 is unrated)
    assert by["A"].mqm == pytest.approx(1.525)
    assert (by["A"].segments, by["A"].rated) == (3, 2)
    # B: (25 + 3) / 2 = 14
    assert by["B"].mqm == pytest.approx(14.0)
    # all: (3.05 + 0 + 25 + 3) / 4 = 31.05 / 4 = 7.7625
    assert report.total.mqm == pytest.approx(7.7625)
    assert document_mqm(doc) == pytest.approx(7.7625)  # the editor's fast path agrees
    assert report.total.errors == {"neutral": 1, "minor": 3, "major": 3, "critical": 0}


def test_scores_by_rater() -> None:
    by = groups(score_documents([two_systems()], by="rater"))
    # r1 rated A1 (5.1), A2 (0), B2 (0): 5.1 / 3 = 1.7
    assert by["r1"].mqm == pytest.approx(1.7)
    assert by["r1"].rated == 3
    # r2 rated A1 (1), B1 (25), B2 (6): 32 / 3
    assert by["r2"].mqm == pytest.approx(32 / 3)
    assert by["r2"].errors == {"neutral": 0, "minor": 2, "major": 2, "critical": 0}


def test_category_shares_sum_to_the_score() -> None:
    report = score_documents([two_systems()], by="category")
    by = {c.key: c for c in report.groups}
    # Each error's weight is divided by its segment's rater count, then by the 4 rated segments.
    assert by["Non-translation!"].mqm == pytest.approx(25 / 1 / 4)  # 6.25
    assert by["Accuracy/Mistranslation"].mqm == pytest.approx(5 / 2 / 4)  # 0.625
    # minor 0.1 / 2 (A1) + major 5 / 2 (B2) = 2.55; / 4 = 0.6375
    assert by["Fluency/Punctuation"].mqm == pytest.approx(0.6375)
    assert by["Fluency/Punctuation"].errors["minor"] == 1
    assert by["Fluency/Punctuation"].errors["major"] == 1
    assert report.groups[0].key == "Non-translation!"  # largest share first
    assert sum(c.mqm for c in report.groups) == pytest.approx(report.total.mqm)


def test_source_issues_can_be_left_out(tmp_path: Path) -> None:
    config = tmp_path / "relecture.toml"
    config.write_text("[scoring]\ncount_source_issues = false\n", encoding="utf-8")
    settings = settings_from_config(load_config(explicit=config))
    by = groups(score_documents([two_systems()], by="system", settings=settings))
    # B2: r2 = 5 (the source issue weighs 0) -> (0 + 5) / 2 = 2.5; B = (25 + 2.5) / 2 = 13.75
    assert by["B"].mqm == pytest.approx(13.75)
    assert by["A"].mqm == pytest.approx(1.525)


def test_local_reviewer_and_unrated_segments() -> None:
    doc = ReviewDocument(
        id="local",
        title="local",
        segments=[
            seg("1", status="approved"),  # looked at, clean: one rater, 0
            seg("2", err("Accuracy/Mistranslation", "major")),  # annotated while todo: rated, 5
            seg("3"),  # todo, nothing: unrated
            # minor 1 + critical 25 = 26
            seg(
                "4", err("Style/Awkward", "minor"), err("Accuracy/Omission", "critical"), status="needs-work"
            ),
        ],
    )
    # (0 + 5 + 26) / 3 rated = 31 / 3
    assert document_mqm(doc) == pytest.approx(31 / 3)
    report = score_documents([doc], by="rater")
    assert [g.key for g in report.groups] == [login_name()]  # unnamed work is the reviewer's own
    assert report.total.rated == 3 and report.total.segments == 4


def test_nothing_rated_gives_no_score() -> None:
    doc = ReviewDocument(id="d", title="d", segments=[seg("1"), seg("2")])
    assert document_mqm(doc) is None
    assert score_documents([doc]).total.mqm is None
    assert document_esa(doc) is None


def test_esa_mean_per_document() -> None:
    doc = ReviewDocument(
        id="d",
        title="d",
        segments=[
            seg("1", esa=80, doc="x"),
            seg("2", esa=65, doc="x"),
            seg("3", doc="x"),
            seg("4", esa=10, doc="y"),
        ],
    )
    by = groups(score_documents([doc], by="document"))
    assert by["x"].esa == pytest.approx((80 + 65) / 2)
    assert by["x"].esa_count == 2
    assert by["y"].esa == pytest.approx(10)
    assert document_esa(doc) == pytest.approx((80 + 65 + 10) / 3)


def test_document_key_defaults_to_the_review_id() -> None:
    first = ReviewDocument(id="first", title="", segments=[seg("1", status="approved")])
    second = ReviewDocument(
        id="second", title="", segments=[seg("1", err("Style", "minor"), status="approved")]
    )
    by = groups(score_documents([first, second], by="document"))
    assert by["first"].mqm == 0 and by["second"].mqm == 1


def test_per_word_forms() -> None:
    # 10 target words, one major (5) and one minor (1) by the local reviewer: penalty 6.
    doc = ReviewDocument(
        id="d",
        title="d",
        segments=[
            seg(
                "1",
                err("Accuracy/Mistranslation", "major"),
                err("Style", "minor"),
                target="un deux trois quatre cinq six sept huit neuf dix",
            ),
            seg("2", target="pas encore relu du tout"),  # unrated: its 5 words do not count
        ],
    )
    total = score_documents([doc]).total
    assert total.words == 10
    assert total.penalty_per_words(1000) == pytest.approx(6 * 1000 / 10)  # 600
    assert total.quality_score == pytest.approx(100 - 100 * 6 / 10)  # 40


def test_word_count_counts_cjk_characters() -> None:
    assert word_count("le 9 de ce mois, l'été") == 7  # le 9 de ce mois l été
    assert word_count("我们爱你") == 4
    assert word_count("GPT-5 发布了") == 5  # GPT 5 发 布 了


def test_weights_from_config(tmp_path: Path) -> None:
    config = tmp_path / "relecture.toml"
    config.write_text(
        "[scoring]\nmajor = 10\ncritical = 100\nnon_translation = 50\n"
        '[scoring.categories]\n"Style" = { minor = 0.5 }\n"Fluency/Punctuation" = { major = 2 }\n',
        encoding="utf-8",
    )
    settings = settings_from_config(load_config(explicit=config))
    assert settings.weight("Accuracy/Mistranslation", "major") == 10
    assert settings.weight("Accuracy/Mistranslation", "critical") == 100
    assert settings.weight("Style/Awkward", "minor") == 0.5  # a dimension covers its subtypes
    assert settings.weight("Style/Awkward", "major") == 10
    # A configured category replaces the default override: minor punctuation is 1 again.
    assert settings.weight("Fluency/Punctuation", "minor") == 1
    assert settings.weight("Fluency/Punctuation", "major") == 2
    assert settings.weight("Non-translation!", "major") == 50
    # MQM Core and WMT names of a dimension are the same dimension.
    assert settings.weight("Linguistic conventions/Punctuation", "major") == 2


def test_default_weights_are_the_wmt_ones() -> None:
    s = ScoringSettings()
    assert [s.weight("Accuracy", v) for v in ("neutral", "minor", "major", "critical")] == [0, 1, 5, 25]
    assert s.weight("Fluency/Punctuation", "minor") == 0.1
    assert s.weight("Fluency/Punctuation", "major") == 5
    assert s.weight("Non-translation!", "major") == 25
    assert s.weight("Source error", "minor") == 1  # counted, like the published tables


@pytest.mark.parametrize(
    ("toml", "place"),
    [
        ("major = 'five'", "scoring.major"),
        ("minor = -1", "scoring.minor"),
        ("majr = 5", "scoring.majr"),
        ("count_source_issues = 'no'", "scoring.count_source_issues"),
        ("reference_word_count = 0", "scoring.reference_word_count"),
        ("word_count_side = 'both'", "scoring.word_count_side"),
        ("[scoring.categories]\nStyle = { severe = 2 }", "scoring.categories.Style"),
    ],
)
def test_bad_settings_name_the_key(tmp_path: Path, toml: str, place: str) -> None:
    config = tmp_path / "relecture.toml"
    config.write_text(f"[scoring]\n{toml}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        settings_from_config(load_config(explicit=config))
    assert info.value.place == place
    assert str(config) in str(info.value)


def test_tally_follows_changes_like_a_full_recount() -> None:
    doc = two_systems()
    tally = ScoreTally(doc)
    assert tally.mqm == pytest.approx(7.7625)
    changes = [
        put_annotation("A2", err("Accuracy/Omission", "major", "r1")),  # A2: 0 -> 5
        set_status("A3", "approved"),  # A3 becomes rated (clean)
        set_esa("A1", 90),
    ]
    for change in changes:
        apply_change(doc, change)
        tally.update(change["segment"])
        assert tally.mqm == pytest.approx(document_mqm(doc))
    # (3.05 + 5 + 0 + 25 + 3) / 5 = 36.05 / 5
    assert tally.mqm == pytest.approx(36.05 / 5)
    assert tally.esa == 90 and tally.rated == 5
    annotation_id = doc.segment("B1").annotations[0].id
    apply_change(doc, delete_annotation("B1", annotation_id))
    tally.update("B1")
    assert tally.segment_score("B1") == 0  # r2 still rated it, now clean
    assert tally.mqm == pytest.approx(document_mqm(doc))


# --- the published WMT 2021 TED en-de numbers ----------------------------------------------------

# google/wmt-mqm-human-evaluation README, "TED talks / English to German", expert-based MQM.
# The data's "ref" system is the README's "ref.A".
PUBLISHED_TED_ENDE = {
    "ref": 0.91,
    "Facebook-AI": 1.06,
    "Online-W": 1.12,
    "VolcTrans-AT": 1.24,
    "metricsystem3": 1.44,
    "VolcTrans-GLAT": 1.49,
    "HuaweiTSC": 1.50,
    "metricsystem1": 1.63,
    "metricsystem2": 1.69,
    "metricsystem5": 1.72,
    "UEdin": 1.77,
    "metricsystem4": 1.78,
    "eTranslation": 1.96,
    "Nemo": 2.14,
}


def independent_wmt_means(path: Path) -> dict[str, float]:
    """The WMT recipe written out plainly on the raw TSV, sharing no code with relecture."""
    per_segment: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        for system, doc, _doc_id, seg_id, rater, _src, _tgt, category, severity, *_ in rows:
            if severity == "Major":
                weight = 25.0 if category.startswith("Non-translation") else 5.0
            elif severity == "Minor":
                weight = 0.1 if category == "Fluency/Punctuation" else 1.0
            else:
                weight = 0.0  # No-error, Neutral
            raters = per_segment[(system, doc, seg_id)]
            raters[rater] = raters.get(rater, 0.0) + weight
    sums: dict[str, list[float]] = defaultdict(list)
    for (system, _, _), raters in per_segment.items():
        sums[system].append(sum(raters.values()) / len(raters))
    return {system: sum(v) / len(v) for system, v in sums.items()}


def test_reproduces_the_published_ted_ende_system_scores() -> None:
    from relecture.importers import import_document

    path = shared_data("wmt-mqm", "mqm_ted_ende.tsv")
    doc = import_document(path, fmt="mqm")
    by = groups(score_documents([doc], by="system"))
    expected = independent_wmt_means(path)
    assert set(by) == set(expected) == set(PUBLISHED_TED_ENDE)
    for system, published in PUBLISHED_TED_ENDE.items():
        assert by[system].segments == by[system].rated == 529
        assert by[system].mqm == pytest.approx(expected[system], abs=1e-9), system
        # The README rounds to two decimals. eTranslation computes to 1.9688 on this data
        # revision where the README prints 1.96: within 0.01, and every other system rounds exactly.
        if system == "eTranslation":
            assert abs(by[system].mqm - published) < 0.01
        else:
            assert round(by[system].mqm, 2) == published, system
    ranking = sorted(by, key=lambda s: by[s].mqm)
    assert ranking == sorted(PUBLISHED_TED_ENDE, key=lambda s: PUBLISHED_TED_ENDE[s])


def test_needs_work_without_an_annotation_is_not_a_clean_rating(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Approved with no annotation: the reviewer found it clean (score 0). Needs-work or rejected
    with no annotation says something is wrong without saying what: not rated, not clean."""
    from relecture.exporters import export_document
    from relecture.scoring import score_documents

    doc = ReviewDocument(id="d", title="t", segments=[
        Segment(id="1", source="One two three.", target="Un deux trois.", status="approved"),
        Segment(id="2", source="Four five six.", target="Quatre cinq six.", status="needs-work"),
        Segment(id="3", source="Seven eight.", target="Sept huit.", status="rejected"),
        Segment(id="4", source="Nine ten.", target="Neuf dix.", status="approved", annotations=[
            Annotation(id="a", side="target", start=0, end=4, category="Accuracy/Mistranslation", severity="major"),
        ]),
    ])
    total = score_documents([doc], by="document").total
    assert total.rated == 2 and total.mqm == 2.5  # (0 + 5) / 2: segments 2 and 3 are left out
    rows = export_document(doc, "mqm", tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()
    assert [r.split("\t")[3] for r in rows[1:]] == ["1", "4"]  # seg_id column: no "No-error" row for 2 or 3
