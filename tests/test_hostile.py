"""Hostile files, races and terminals (issue 15): tried as an attacker and as an unlucky user.

Symlinks, FIFOs and devices planted as side files, a second process deleting the lock, files
changed behind a session's back, escapes in data reaching a terminal, configs naming files
outside the document's folder, modes, catastrophic regexes, XML-illegal characters, huge
glossaries. Each test fails on the code before its fix.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from relecture.checks import run_checks
from relecture.checks.glossary import TermIndex
from relecture.cli import main
from relecture.model import ReviewDocument, Segment

REPO = Path(__file__).resolve().parents[1]


def bilingual(*pairs: tuple[str, str]) -> ReviewDocument:
    segments = [Segment(id=str(i + 1), source=s, target=t, paragraph=i) for i, (s, t) in enumerate(pairs)]
    return ReviewDocument(id="t", title="t", segments=segments, source_lang="en", target_lang="fr")


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


# --- 11. big glossaries are indexed -------------------------------------------------------------


def test_term_index_matches_as_the_term_regexes_did() -> None:
    index = TermIndex([
        ("tableau de bord", "a"), ("l'art", "b"), ("İstanbul", "c"), ("人工智能", "d"), ("(", "e"),
        ("Tableau  de bord", "duplicate: spacing aside, the first one counts"),
    ])
    found = [(m.group(), p) for m, p in index.find("Les TABLEAUX   de bord, l’art à istanbul (人工智能)")]
    assert found == [("TABLEAUX   de bord", "a"), ("l’art", "b"), ("istanbul", "c"), ("人工智能", "d")]
    # A term inside a longer word is not a match (whole words, as before).
    assert index.find("Les tableaux de bordure") == []


def test_hundred_thousand_row_glossary_still_finds_its_terms(tmp_path: Path) -> None:
    rng = random.Random(7)
    path = tmp_path / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target", "forbidden"])
        for i in range(100_000):
            word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(9))
            writer.writerow([f"{word} {i}", f"{word}{i}", "x" if i % 10 == 0 else ""])
        writer.writerow(["dashboard", "tableau de bord", ""])
        writer.writerow(["", "panneau de contrôle", "yes"])
    doc = bilingual(("Open the dashboard.", "Ouvrez le panneau de contrôle."), ("Nothing here.", "Rien ici."))
    results = run_checks(doc, only="glossary", glossary=path)
    assert [(f.check, f.text) for f in results["1"]] == [
        ("glossary.forbidden-term", "panneau de contrôle"),
        ("glossary.missing-term", "dashboard"),
    ]
    assert not results.get("2")
