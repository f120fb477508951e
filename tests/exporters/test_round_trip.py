"""The round-trip contract: every export an importer reads gives back what was reviewed.

Each exporter with a read-back (``READ_BACK``, declared per registered exporter) is given the
documents of every importer's skeleton file (``SKELETONS``) and a Trados file, each post-edited
and approved: the export is either refused whole (one InputError, nothing written: a TMX or a new
PO catalogue of a target-only document, a delivery into a format the document did not come from)
or imports back to the same source and reviewed text. A new exporter or importer joins by its registry entry.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.exporters.samples import READ_BACK
from tests.importers.samples import DATA, SKELETONS

from relecture.codetokens import code_tokens, to_tokens
from relecture.errors import InputError
from relecture.exporters import SUFFIXES, export_document
from relecture.importers import EXTENSIONS, ImportOptions, import_document
from relecture.model import ReviewDocument, show_codes

# Text that each format must escape or keep: markup, entities, quotes, a CDATA end, an emoji, a
# right-to-left mark and a combining accent.
SOURCE = 'The <b>cat</b> & "dogs" ]]> sleep 😀 \u200fe\u0301.'
TARGET = "Le <b>chat</b> & « chiens » ]]> dort 😀 \u200fe\u0301."
POST_EDIT = "Les <b>chats</b> & « chiens » dorment."
OPTIONS = ImportOptions(source_lang="en", target_lang="fr")


def _suffix(fmt: str) -> str:
    return next((ext for ext, f in EXTENSIONS.items() if f == fmt), ".tsv")  # MQM: a TSV told by its header


def _originals(folder: Path) -> list[Path]:
    """One file of each importer (its skeleton) and a Trados file, the one SDLXLIFF delivers to."""
    paths = []
    for fmt, make in SKELETONS.items():
        path = folder / f"{fmt}{_suffix(fmt)}"
        path.write_text(make(SOURCE, TARGET), encoding="utf-8")
        paths.append(path)
    paths.append(Path(shutil.copy(DATA / "review.sdlxliff", folder / "trados.sdlxliff")))
    return paths


def _reviewed(path: Path) -> ReviewDocument:
    doc = import_document(path, OPTIONS)
    for seg in doc.segments:
        if seg.meta.get("locked"):  # a locked segment is not the reviewer's to change
            continue
        seg.post_edit = POST_EDIT
        seg.status = "approved"
    return doc


def _kept(doc: ReviewDocument, what: str) -> list[tuple[str, ...]]:
    """What the read-back must give: a missing source is an empty one (MQM and XLIFF 1.2 always
    write a source cell); the data exports (JSON Lines, MQM) write inline codes as tokens (``⟪1⟫``),
    which their importers keep as text."""
    if what == "final":
        return [(s.source or "", s.final_target) for s in doc.segments]
    if what == "final, codes shown":
        return [(show_codes(s.source or "", s.codes), show_codes(s.final_target, s.codes)) for s in doc.segments]
    out: list[tuple[str, ...]] = []
    for s in doc.segments:
        tokens = code_tokens(s.codes)
        texts = [s.source or "", s.target] + ([s.post_edit or ""] if what == "post-edit" else [])
        out.append(tuple(to_tokens(text, tokens) for text in texts))
    return out


@pytest.mark.parametrize("fmt", [fmt for fmt, what in READ_BACK.items() if what is not None])
def test_every_export_an_importer_reads_gives_back_the_reviewed_text(tmp_path: Path, fmt: str) -> None:
    what = READ_BACK[fmt]
    assert what is not None
    given_back = []
    for original in _originals(tmp_path):
        doc = _reviewed(original)
        out = tmp_path / "out" / f"{original.stem}{SUFFIXES[fmt] or original.suffix}"
        out.parent.mkdir(exist_ok=True)
        try:
            export_document(doc, fmt, out)
        except InputError as err:  # refused whole: one line, no file
            assert err.path is None and "\n" not in str(err), (original.name, str(err))
            assert not out.exists(), original.name
            continue
        back = import_document(out, OPTIONS)
        assert _kept(back, what) == _kept(doc, what), (original.name, out.read_text(encoding="utf-8")[:2000])
        given_back.append(original.name)
    assert given_back, f"no document made the round trip through {fmt}"
