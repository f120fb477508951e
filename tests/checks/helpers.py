"""Documents and flag lists the check tests share (one definition each, whichever family uses it)."""

from __future__ import annotations

from pathlib import Path

from relecture.checks import run_checks
from relecture.config import Config, load_config
from relecture.model import Flag, ReviewDocument, Segment


def doc_of(
    *targets: str, lang: str | None = "fr", sources: list[str] | None = None, paragraphs: list[int] | None = None,
) -> ReviewDocument:
    """One segment a target (a paragraph each unless ``paragraphs``), English sources if given."""
    segments = [
        Segment(
            id=str(i + 1),
            target=t,
            source=sources[i] if sources else None,
            paragraph=paragraphs[i] if paragraphs else i,
        )
        for i, t in enumerate(targets)
    ]
    return ReviewDocument(
        id="t", title="t", segments=segments, target_lang=lang, source_lang="en" if sources else None
    )


def bilingual(*pairs: tuple[str, str]) -> ReviewDocument:
    segments = [Segment(id=str(i + 1), source=s, target=t, paragraph=i) for i, (s, t) in enumerate(pairs)]
    return ReviewDocument(id="t", title="t", segments=segments, source_lang="en", target_lang="fr")


def pairs_doc(pairs: list[tuple[str, str]], source_lang: str, target_lang: str) -> ReviewDocument:
    segments = [Segment(id=str(i + 1), source=s, target=t, paragraph=i) for i, (s, t) in enumerate(pairs)]
    return ReviewDocument(id="t", title="t", segments=segments, source_lang=source_lang, target_lang=target_lang)


def software_doc(
    pairs: list[tuple[str, str]], source_lang: str = "en", target_lang: str = "fr", fmt: str = "po",
    flags: list[str] | None = None,
) -> ReviewDocument:
    """Pairs as a catalogue of ``fmt`` would give them (its PO ``flags`` in each segment's meta)."""
    segments = [
        Segment(id=str(i + 1), source=s, target=t, paragraph=i, meta={"flags": flags} if flags else {})
        for i, (s, t) in enumerate(pairs)
    ]
    return ReviewDocument(
        id="t", title="t", segments=segments, source_lang=source_lang, target_lang=target_lang,
        imported_from={"path": "x", "format": fmt, "sha256": ""},
    )


def texts(doc: ReviewDocument, only: str, config: object = None) -> list[tuple[str, str, str]]:
    """(segment id, check, flagged text) of the flags of ``only``."""
    return [(k, f.check, f.text) for k, fl in run_checks(doc, config=config, only=only).items() for f in fl]  # type: ignore[arg-type]


def found(doc: ReviewDocument, only: str, glossary: Path | None = None) -> list[tuple[str, str, str]]:
    """(segment, side, text) of the flags of ``only``."""
    results = run_checks(doc, only=only, glossary=glossary)
    return [(seg_id, f.side, f.text) for seg_id, fl in results.items() for f in fl]


def side_flags(
    doc: ReviewDocument, only: str, config: Config | None = None, glossary: Path | None = None,
) -> list[tuple[str, str, str, str]]:
    """(segment, check, side, text) of the flags of ``only``."""
    results = run_checks(doc, config, only=only, glossary=glossary)
    return [(sid, f.check, f.side, f.text) for sid, fl in results.items() for f in fl]


def only_check(doc: ReviewDocument, check: str) -> list[Flag]:
    return [f for fl in run_checks(doc, only=check).values() for f in fl]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def write_po(path: Path, entries: str) -> Path:
    """A French PO catalogue of ``entries`` after its header."""
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n\n' + entries, encoding="utf-8")
    return path


def config_file(tmp_path: Path, text: str) -> object:
    path = tmp_path / "relecture.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(None, path)
