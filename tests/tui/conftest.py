"""Fixtures for the review workbench: small review files on disk and a way to read them back."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from relecture.model import Flag, ReviewDocument, Segment
from relecture.store import ReviewStore

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
    app = ReviewApp(store, **kwargs)
    app.theme = "textual-dark"
    return app


def on_disk(path: Path) -> ReviewDocument:
    """What a new session would see: the review file with its journal replayed (no lock)."""
    store = ReviewStore.open(path, readonly=True)
    try:
        return store.doc
    finally:
        store.close(save=False)


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """The characters on the terminal right now, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def wait_for_text(pilot, app, needle: str, timeout: float = 3.0) -> str:  # type: ignore[no-untyped-def]
    """Wait until ``needle`` is on screen (notifications take a few frames); return the screen."""
    import time

    deadline = time.monotonic() + timeout
    text = screen_text(app)
    while needle not in text and time.monotonic() < deadline:
        await pilot.pause(0.05)
        text = screen_text(app)
    assert needle in text, f"{needle!r} never appeared on screen:\n{text}"
    return text
