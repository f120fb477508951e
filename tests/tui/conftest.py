"""Fixtures for the review workbench: small review files on disk and a way to read them back."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import pytest

from relecture.model import Flag, ReviewDocument, Segment
from relecture.store import ReviewStore

T = TypeVar("T")

TARGETS = [
    "Voici la traduction en français :",
    "Le président a déclaré que les courts-métrages ouvrent un nouveau monde.",
    "Alors que les courts-métrages connaissent un grand succès, certains créateurs ont découvert l'IA.",
    "Le 9 de ce mois, OpenAI a cessé de fournir ses services.",
    "Il est facile de conquérir, difficile de garder.",
    "Sora est devenu le centre d'attention du monde technologique.",
    "Les entreprises chinoises ont réagi très positivement.",
    "Le multimodal peut-il devenir une nouvelle opportunité ?",
]
SOURCES = [
    "",
    "小米董事长雷军最近也表示，短剧仿佛打开了新世界。",
    "在短剧大火的同时，一些创作者也发现了AI的价值。",
    "本月9日，OpenAI正式停止向中国提供API服务。",
    "打江山易，守江山难。",
    "Sora迅速成为科技界关注的焦点。",
    "中国企业的反应非常积极。",
    "多模态能否成为新的超车机会？",
]


def preamble_flag() -> Flag:
    return Flag(
        check="llm.preamble", family="llm", severity="major", category="Accuracy/Addition",
        its_type="addition", side="target", start=0, end=33,
        text="Voici la traduction en français :", message="Preamble left by the model",
        suggestion="",
    )


def date_flag() -> Flag:
    return Flag(
        check="cultural.relative-date", family="cultural", severity="minor",
        category="Locale convention/Date", its_type="locale-violation", side="target",
        start=0, end=15, text="Le 9 de ce mois", message="Relative date without a year",
        suggestion="le 9 juillet 2024",
    )


def build_document(
    bilingual: bool = True, targets: Iterable[str] | None = None, count: int | None = None
) -> ReviewDocument:
    texts = list(targets) if targets is not None else list(TARGETS)
    if count is not None:
        texts = [texts[i % len(texts)] + ("" if i < len(texts) else f" ({i + 1})") for i in range(count)]
    segments = []
    for i, target in enumerate(texts):
        source = (SOURCES[i % len(SOURCES)] or "（无）") if bilingual else None
        seg = Segment(id=f"s{i + 1}", target=target, source=source, paragraph=i)
        if targets is None and i == 0:
            seg.flags = [preamble_flag()]
        if targets is None and i == 3:
            seg.flags = [date_flag()]
        segments.append(seg)
    return ReviewDocument(
        id="doc-test", title="Courts-métrages (test)", segments=segments,
        source_lang="zh" if bilingual else None, target_lang="fr",
    )


@pytest.fixture
def review_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Factory: write a review file and return its path (the store is closed again)."""

    def make(bilingual: bool = True, targets: Iterable[str] | None = None, count: int | None = None,
             name: str = "doc.txt.review.json") -> Path:
        path = tmp_path / name
        ReviewStore.create(path, build_document(bilingual, targets, count)).close()
        return path

    return make


def make_app(path: Path, readonly: bool = False, **kwargs):  # type: ignore[no-untyped-def]
    from relecture.tui.app import ReviewApp

    store = ReviewStore.open(path, readonly=readonly)
    kwargs.setdefault("reviewer", "tester")
    kwargs.setdefault("autosave", False)
    kwargs.setdefault("cursor_blink", False)
    # Most tests approve flagged segments in passing; the question before approving one with a
    # major flag is tested on its own (test_workbench_day.py).
    confirm = kwargs.pop("confirm_approve", False)
    app = ReviewApp(store, **kwargs)
    app.confirm_serious_approvals = confirm
    app.theme = kwargs.get("theme") or "textual-dark"
    return app


def on_disk(path: Path) -> ReviewDocument:
    """What a new session would see: the review file with its journal replayed (no lock)."""
    store = ReviewStore.open(path, readonly=True)
    try:
        return store.doc
    finally:
        store.close(save=False)


# Generous: a met condition returns at once, and a loaded CI machine may take seconds.
WAIT_SECONDS = 20.0


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """The characters on the terminal right now, one line per row. Textual has no public way to
    read the composed screen as text (its SVG screenshot scatters a line into positioned spans),
    so this one helper reads the compositor."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def wait_until(pilot, predicate: Callable[[], T], what: str = "the condition",  # type: ignore[no-untyped-def]
                     timeout: float = WAIT_SECONDS) -> T:
    """Wait until ``predicate()`` is true (the app handles keys on its own tasks); return it."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: never true within {timeout:.0f} s")
        await pilot.pause(0.02)


async def wait_for_text(pilot, app, needle: str, timeout: float = WAIT_SECONDS) -> str:  # type: ignore[no-untyped-def]
    """Wait until ``needle`` is on screen; return the screen."""
    try:
        return await wait_until(pilot, lambda: needle in (text := screen_text(app)) and text, timeout=timeout)
    except AssertionError:
        raise AssertionError(f"{needle!r} never appeared on screen:\n{screen_text(app)}") from None


async def wait_for_no_text(pilot, app, needle: str) -> str:  # type: ignore[no-untyped-def]
    """Wait until ``needle`` is gone from the screen; return the screen."""
    await wait_until(pilot, lambda: needle not in screen_text(app), f"{needle!r} still on screen")
    return screen_text(app)


async def wait_on_disk(pilot, path: Path, predicate: Callable[[ReviewDocument], object],  # type: ignore[no-untyped-def]
                       what: str = "the change on disk") -> ReviewDocument:
    """Wait until the review file (journal replayed) satisfies ``predicate``; return it."""
    seen: list[ReviewDocument] = []

    def check() -> object:
        seen[:] = [on_disk(path)]
        return predicate(seen[0])

    await wait_until(pilot, check, what)
    return seen[0]
