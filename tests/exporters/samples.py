"""Review documents and delivered CAT files the exporter tests share: hostile text, formulas, flags
and annotations; an original imported beside its review file, edited as a reviewer would."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from conftest import run
from relecture.changes import put_annotation, set_note, set_post_edit, set_status
from relecture.model import Annotation, Flag, ReviewDocument, Segment
from relecture.store import ReviewStore

NASTY = (
    '<script>alert("x")</script> & *bold* _u_ [link](http://evil.example) `code` | a ~~s~~ $x$ '
    'C:\\path\n# not a heading\n- not a list\n1. not ordered\n=cmd, "quoted"\n> not a quote\n==='
)


FORMULA = "=cmd|' /C calc'!A0"


def flag(start: int, end: int, text: str, check: str = "md-emphasis") -> Flag:
    return Flag(
        check=check,
        family="llm",
        severity="minor",
        category="Style",
        its_type="style",
        side="target",
        start=start,
        end=end,
        text=text,
        message="looks like Markdown",
        suggestion="bold",
    )


def sample() -> ReviewDocument:
    bold = NASTY.index("*bold*")
    dismissed = flag(0, 8, "<script>", check="html-tag")
    return ReviewDocument(
        id="sample",
        title='Rapport <b>"test"</b>',
        source_lang="en",
        target_lang="fr",
        note="Document note <u>x</u>",
        segments=[
            Segment(
                id="1",
                source="The <b>cat</b>",
                target=NASTY,
                status="approved",
                annotations=[
                    Annotation(
                        id="a1",
                        side="target",
                        start=8,
                        end=13,
                        text="alert",
                        category="Accuracy/Mistranslation",
                        severity="major",
                        comment='<img src=x onerror=alert(1)>, "really"',
                        correction='=HYPERLINK("http://x")',
                        author="",
                    ),
                    Annotation(
                        id="a2",
                        side="source",
                        start=0,
                        end=0,
                        text="",
                        category="Accuracy/Omission",
                        severity="minor",
                        comment="missing word",
                    ),
                ],
                flags=[flag(bold, bold + 6, "*bold*"), dismissed],
                dismissed=[dismissed.key],
            ),
            Segment(
                id="2",
                source="Formula",
                target=FORMULA,
                post_edit="-1+1",
                note="note with <i>tags</i>\nand a second line",
                esa=40,
                status="needs-work",
                annotations=[
                    Annotation(
                        id="a3",
                        side="target",
                        start=0,
                        end=1,
                        text="=",
                        category="Fluency/Punctuation",
                        severity="minor",
                    )
                ],
            ),
            Segment(id="3", source="Plain", target='plain, "quoted" text\nnext line\u2028same'),
        ],
    )




def imported(tmp_path: Path, original: Path) -> tuple[Path, Path]:
    path = tmp_path / original.name
    if path != original:
        shutil.copy(original, path)
    review = tmp_path / (original.name + ".review.json")
    code, _, err = run("import", str(path), "-o", str(review))
    assert code == 0, err
    return path, review


def edit(review: Path, seg_id: str, post_edit: str | None = None, status: str | None = None,
         note: str | None = None, annotation: Annotation | None = None) -> None:
    with ReviewStore.open(review) as store:
        if post_edit is not None:
            store.apply(set_post_edit(seg_id, post_edit))
        if status is not None:
            store.apply(set_status(seg_id, status))
        if note is not None:
            store.apply(set_note(seg_id, note))
        if annotation is not None:
            store.apply(put_annotation(seg_id, annotation))


NASTY_CATEGORY = 'Other/<script>alert("c")</script> & $x$'


NASTY_SYSTEM = "sys<B>&C $1"


CHART_IDS = ("chart-strip", "chart-distribution", "chart-systems", "chart-systems-esa", "chart-raters",
             "chart-categories")


def review(n: int = 60, seed: int = 7, systems: tuple[str, ...] = ("sys-A", NASTY_SYSTEM, "sys-C")) -> ReviewDocument:
    """Several systems and raters, ESA scores, flags, every status; names that look like markup."""
    rnd = random.Random(seed)
    categories = ["Accuracy/Mistranslation", "Fluency/Grammar", "Style/Awkward", NASTY_CATEGORY]
    segments = []
    for i in range(n):
        seg = Segment(id=f"s{i + 1}", source=f"Source {i}.", target=f"Cible {i}.", paragraph=i)
        seg.meta = {"system": systems[i % len(systems)], "raters": ["r1", "r<2>"]}
        for rater in ("r1", "r<2>"):
            for k in range(rnd.choice([0, 0, 1, 2])):
                seg.annotations.append(Annotation(
                    id=f"a{i}-{rater}-{k}", side="target", start=0, end=5, text="Cible",
                    category=rnd.choice(categories), severity=rnd.choice(["minor", "major", "critical", "neutral"]),
                    author=rater,
                ))
        if i % 5 == 0:
            seg.flags.append(Flag(check="typography.nbsp", family="typography", severity="minor",
                                  category="Fluency/Punctuation", its_type="typographical", side="target",
                                  start=0, end=5, text="Cible", message="m"))
        seg.status = ("todo", "approved", "needs-work", "rejected")[i % 4]
        seg.esa = rnd.randint(10, 100) if i % 2 else None
        segments.append(seg)
    return ReviewDocument(id="charts", title="Charts <test>", segments=segments, source_lang="en",
                          target_lang="fr")


# What an importer reads back from each export: the round-trip contract (test_round_trip.py) holds
# each exporter to it; a new exporter fails tests/test_contracts.py until it is declared here.
#   "final": the reviewed text (the post-edit, else the translation) as the target: delivery formats;
#   "final, codes shown": the same, inline codes written as their text ({1}, {/1}): a new PO catalogue;
#   "post-edit": the translation and its post-edit, each in its place;
#   "translation": the translation (the post-edit is in the line but no importer field reads it);
#   None: no importer reads it (reports; CSV, a row per finding; JSON, read by load_review).
READ_BACK: dict[str, str | None] = {
    "json": None,
    "jsonl": "translation",
    "csv": None,
    "mqm": "post-edit",
    "xliff": "post-edit",
    "tmx": "final",
    "original": "final",
    "po": "final, codes shown",
    "xliff12": "final",
    "sdlxliff": "final",
    "html": None,
    "markdown": None,
}
