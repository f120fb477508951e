"""`relecture check` on a small file loads only what the check needs (CI and pre-commit hooks run
it on many small files, one process each): the mechanism behind bench/startup.py's figures."""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from relecture.checks.spelling import LANGUAGES, WordList
from relecture.packagedata import package_file

# Modules a check of a PO file with known languages has no use for: the workbench, statistics
# and chart libraries, the version lookup, regex (custom rules only), XML and the sentence
# segmenter (other formats), langdetect (the languages are known), pyspellchecker's code (its
# word list is read as a file).
# `regex` is needed: every language-data pattern runs on it, within a time budget (a data folder
# or a configuration table may hold a pattern that backtracks for ever); its import costs ~50 ms.
NOT_NEEDED = (
    "textual", "scipy", "matplotlib", "numpy", "sacrebleu", "importlib.metadata", "importlib.resources",
    "lxml", "pysbd", "langdetect", "spellchecker", "jsonschema",
    # A check writes nothing to disk and takes no lock: no temporary files (tempfile loads shutil,
    # bz2, lzma), no host name (socket), no login name (getpass).
    "tempfile", "shutil", "socket", "getpass",
    # The length check's median is computed in place (statistics imports random), numbers are
    # valued as fractions only before a magnitude word ("3,5 millions"), csv reads a glossary.
    "statistics", "random", "fractions", "decimal", "csv",
)

PO = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: fr\n"

#, python-format
msgid "Delete %(name)s"
msgstr "Supprimer %(name)s"

msgid "The file could not be saved because the disk is full."
msgstr "Le fichier n'a pas pu être enregistré car le disque est plein."

msgid "Choose a colour"
msgstr "Choisissez une couluer"
'''


def _modules_after_check(path: Path) -> tuple[int, str, list[str]]:
    script = (
        "import json, sys\n"
        "from relecture.cli import main\n"
        f"sys.argv = ['relecture', 'check', {str(path)!r}, '--format', 'jsonl']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "print(json.dumps([code, sorted(sys.modules)]), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    code, modules = json.loads(proc.stderr.strip().splitlines()[-1])
    return code, proc.stdout, modules


def test_check_of_a_small_catalogue_loads_only_what_it_needs(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(PO, encoding="utf-8")
    code, out, modules = _modules_after_check(po)
    assert code == 0
    # The checks ran, spelling included (its word list read without pyspellchecker's code).
    flags = [json.loads(line) for line in out.splitlines()]
    assert any(f["check"] == "spelling.unknown-word" and f["text"] == "couluer" for f in flags), flags
    loaded = sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in NOT_NEEDED))
    assert loaded == [], f"loaded by `relecture check` on a small PO file: {loaded}"


def test_a_small_catalogue_has_the_same_flags_in_its_own_process_as_in_a_warm_one(tmp_path: Path) -> None:
    """The command's own process (modules left unloaded, objects frozen for the collector) finds
    the flags a process that has everything loaded finds, and the runner of the tests, which
    goes on after the command, keeps its collector as it was (nothing frozen, not paused)."""
    import gc

    from click.testing import CliRunner

    from relecture.checks import length, spelling  # noqa: F401  (loaded here: a warm process)
    from relecture.cli import main

    po = tmp_path / "django.po"
    po.write_text(PO + '\n#, python-format\nmsgid "%(count)s files"\nmsgstr "%(count)s fichiers"\n', encoding="utf-8")
    code, own_process, modules = _modules_after_check(po)
    assert code == 0 and "fractions" not in modules
    frozen, enabled = gc.get_freeze_count(), gc.isenabled()
    warm = CliRunner().invoke(main, ["check", str(po), "--format", "jsonl"])
    assert warm.exit_code == 0, warm.output
    assert own_process == warm.output and own_process.count("\n") >= 1
    assert (gc.get_freeze_count(), gc.isenabled()) == (frozen, enabled)


def test_the_cli_alone_loads_no_command() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "import sys, relecture.cli; print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    )
    modules = proc.stdout.split()
    assert "relecture.cli" in modules
    assert not [m for m in modules if m.startswith(("relecture.checks", "relecture.commands.", "textual"))]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_word_list_lookups_equal_the_parsed_file(lang: str) -> None:
    """The bisected word list answers as the parsed JSON does, for listed and unlisted words,
    and for a suggestion's candidates (one edit away)."""
    path = package_file("spellchecker", "resources", f"{lang}.json.gz")
    if path is None or not path.is_file():
        pytest.skip(f"pyspellchecker ships no {lang} word list")
    blob = gzip.decompress(path.read_bytes())
    parsed = json.loads(blob)
    words = WordList(blob)
    assert words._full is None  # the shipped layout is bisected, not parsed
    rng = random.Random(7)
    listed = list(parsed)
    sample = rng.sample(listed, 400) + [w + "q" for w in rng.sample(listed, 200)]
    sample += [listed[0], listed[-1], listed[0][:-1] or "0", "", "zzzzzzzz", "\uffff", "é"]
    assert [words.get(w) for w in sample] == [parsed.get(w) for w in sample]
    letters = words.letters()
    assert set("".join(parsed)) - set("'-. ") <= set(letters)
    for word in rng.sample([w for w in listed if len(w) > 5], 5):
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        edits = {a + b[1:] for a, b in splits if b} | {a + c + b for a, b in splits for c in letters}
        assert words.present(edits) == {e: parsed[e] for e in edits if e in parsed}


def test_word_list_in_another_layout_is_parsed_whole() -> None:
    unsorted = json.dumps({"zèbre": 3, "abeille": 5, "maison": 9}).encode()
    words = WordList(unsorted)
    assert words._full is not None
    assert words.get("abeille") == 5 and "zèbre" in words and "chat" not in words
    assert words.missing({"maison", "chat"}) == {"chat"}
