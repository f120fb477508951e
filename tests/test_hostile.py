"""Hostile files, races and terminals (issue 15): tried as an attacker and as an unlucky user.

Symlinks, FIFOs and devices planted as side files, a second process deleting the lock, files
changed behind a session's back, escapes in data reaching a terminal, configs naming files
outside the document's folder, modes, catastrophic regexes, XML-illegal characters, huge
glossaries. Each test fails on the code before its fix.
"""

from __future__ import annotations

import contextlib
import csv
import errno
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
from tests.checks.helpers import bilingual

from relecture.checks import Checker, run_checks
from relecture.checks.glossary import TermIndex
from relecture.cli import main


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


def test_glossary_keeps_only_terms_the_source_can_hold_and_flags_as_with_every_term(tmp_path: Path) -> None:
    """The document's source text decides which rows are kept: the flags are those of the whole
    glossary (terms inflected, in capitals, with ’ for ', in Chinese, of punctuation only,
    written twice, in a quoted field spanning lines, with CRLF line ends)."""
    rng = random.Random(3)
    rows = [
        ("dashboard", "tableau de bord", ""), ("Dashboards", "tableaux de bord", ""), ("user's guide", "guide", ""),
        ("large model", "大模型", ""), ("大模型", "large model", ""), ("(", "(", ""), ("e-mail", "courriel", ""),
        ("", "panneau de contrôle", "yes"), ("Sign  in", "connexion", ""), ("sign in", "se connecter", ""),
        ("multi\nline", "multi", ""), ("İstanbul", "Istanbul", ""), ("straße", "rue", ""),
    ]
    rows += [("".join(rng.choice("abcdefgh") for _ in range(6)), "x", "") for _ in range(3000)]
    path = tmp_path / "glossary.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([("source", "target", "forbidden"), *rows])
    doc = bilingual(
        ("Open the DASHBOARDS and the User’s  Guide.", "Ouvrez le panneau de contrôle."),
        ("A large model (大模型) for e-mail.", "Un grand modèle pour le courrier."),
        ("Sign in, multi\nline, istanbul, STRASSE, abcdef.", "Connectez-vous."),
        ("Nothing here.", "Rien ici."),
    )
    every_term = Checker(None, glossary=path, only="glossary", target_lang="fr", source_lang="en").run(doc)
    assert sum(len(flags) for flags in every_term.values()) >= 8, every_term  # the glossary does match
    kept = Checker(doc, glossary=path, only="glossary")
    assert kept.run(doc) == every_term
    assert 10 <= len(kept.ctx.glossary.entries) < 30, len(kept.ctx.glossary.entries)  # not 3,000


# --- helpers for the store findings -------------------------------------------------------------


def make_review(folder: Path, mode: int | None = None, text: str = "Bonjour tout le monde.\nAu revoir.\n") -> Path:
    document = folder / "doc.fr.txt"
    document.write_text(text, encoding="utf-8")
    if mode is not None:
        os.chmod(document, mode)
    code, _, err = run("import", str(document), "--target-lang", "fr")
    assert code == 0, err
    return folder / "doc.fr.txt.review.json"


def note(segment: str, text: str) -> dict:
    from relecture import changes

    return changes.set_note(segment, text)


def one_line_error(err: str, path: Path) -> None:
    assert err.startswith(f"relecture: {path}"), err
    assert err.count("\n") == 1 and "Traceback" not in err, err


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real command in its own process (a FIFO or a hang must not take the test run with it;
    the timeout is a safety net, never a wait)."""
    return subprocess.run(
        [sys.executable, "-m", "relecture", *args], capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


# --- 1. side files: never through a link, never a FIFO or a device --------------------------------


@pytest.mark.parametrize("side", ["lock", "journal"])
@pytest.mark.parametrize("command", ["check", "info", "export", "score"])
def test_side_file_symlink_never_touches_its_target(tmp_path: Path, side: str, command: str) -> None:
    from relecture.store import journal_path, lock_path

    review = make_review(tmp_path)
    victim = tmp_path / "profile"
    victim.write_text("export PATH=$HOME/bin:$PATH\n", encoding="utf-8")
    link = lock_path(review) if side == "lock" else journal_path(review)
    link.symlink_to(victim)
    args = {"check": ["check", str(review)], "info": ["info", str(review)],
            "export": ["export", str(review), "--to", "csv"], "score": ["score", str(review)]}[command]
    # In this process: a link cannot make the command hang (FIFOs and devices get their own process).
    code, _, err = run(*args)
    if side == "journal" or command == "check":  # readers never open the lock
        assert code == 2, err
        one_line_error(err, link)
        assert "symbolic link" in err
    assert victim.read_text(encoding="utf-8") == "export PATH=$HOME/bin:$PATH\n"
    assert link.is_symlink()


def test_dangling_side_file_symlinks_create_nothing(tmp_path: Path) -> None:
    from relecture.store import journal_path, lock_path

    review = make_review(tmp_path)
    for link, target in ((lock_path(review), tmp_path / "made-by-lock"), (journal_path(review), tmp_path / "made-by-journal")):
        link.symlink_to(target)
        code, _, err = run("check", str(review))  # in this process: a link cannot hang it
        assert code == 2
        one_line_error(err, link)
        assert not target.exists()
        link.unlink()


@pytest.mark.parametrize("side", ["lock", "journal"])
def test_fifo_side_files_are_refused_not_waited_on(tmp_path: Path, side: str) -> None:
    from relecture.store import journal_path, lock_path

    review = make_review(tmp_path)
    fifo = lock_path(review) if side == "lock" else journal_path(review)
    os.mkfifo(fifo)
    commands = [["check", str(review)]] if side == "lock" else [
        ["info", str(review)], ["check", str(review)], ["export", str(review), "--to", "json", "-o", "-"],
        ["score", str(review)],
    ]
    for args in commands:
        result = cli(*args)
        assert result.returncode == 2, (args, result.stderr)
        one_line_error(result.stderr, fifo)
        assert "not a regular file" in result.stderr


def test_device_and_hard_linked_side_files_are_refused(tmp_path: Path) -> None:
    from relecture.store import journal_path, lock_path

    review = make_review(tmp_path)
    journal_path(review).symlink_to("/dev/zero")
    result = cli("info", str(review))
    assert result.returncode == 2
    one_line_error(result.stderr, journal_path(review))
    journal_path(review).unlink()
    other = tmp_path / "someone-elses-file"
    other.write_text("keep me\n", encoding="utf-8")
    os.link(other, lock_path(review))
    result = cli("check", str(review))
    assert result.returncode == 2
    one_line_error(result.stderr, lock_path(review))
    assert "hard links" in result.stderr
    assert other.read_text(encoding="utf-8") == "keep me\n"


def test_review_file_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    review = tmp_path / "d.review.json"
    os.mkfifo(review)
    for args in (["info", str(review)], ["check", str(review)]):
        result = cli(*args)
        assert result.returncode == 2, result.stderr
        one_line_error(result.stderr, review)


# --- 2. deleting the lock file does not let a second writer in -------------------------------------


def test_deleted_lock_file_keeps_second_writer_out(tmp_path: Path) -> None:
    from relecture.store import ReviewStore, lock_path

    review = make_review(tmp_path)
    store = ReviewStore.open(review)
    try:
        store.apply(note("1.1", "première session"))
        # Another process deletes the lock file (a cleanup script, a user tidying the folder).
        subprocess.run([sys.executable, "-c", f"import os; os.unlink({str(lock_path(review))!r})"], check=True)
        assert not lock_path(review).exists()
        second = cli("check", str(review))
        assert second.returncode == 2
        assert "already open for writing" in second.stderr
        store.apply(note("2.1", "toujours la première"))  # the lock file is put back, naming us
        assert json.loads(lock_path(review).read_text())["pid"] == os.getpid()
        third = cli("check", str(review))
        assert third.returncode == 2 and f"pid {os.getpid()}" in third.stderr
        store.save()
        fourth = cli("check", str(review))  # after a save the new file is held as well
        assert fourth.returncode == 2 and "already open for writing" in fourth.stderr
    finally:
        store.close()
    data = json.loads(review.read_text(encoding="utf-8"))
    assert [s["note"] for s in data["segments"]] == ["première session", "toujours la première"]
    assert cli("check", str(review)).returncode == 0  # released: the next writer gets in


# --- 3. import --force after a crash folds the journal into the backup ----------------------------


def crashed_session(review: Path, segment: str, text: str) -> None:
    """A session that journaled a change and died (the kernel closes its files, nothing more)."""
    script = (
        "import os, sys\n"
        "from relecture import changes\n"
        "from relecture.store import ReviewStore\n"
        "store = ReviewStore.open(sys.argv[1])\n"
        "store.apply(changes.set_note(sys.argv[2], sys.argv[3]))\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(review), segment, text], check=True)


def test_import_force_after_a_crash_keeps_the_journaled_work_in_the_backup(tmp_path: Path) -> None:
    from relecture.store import backup_path, journal_path

    review = make_review(tmp_path)
    crashed_session(review, "1.1", "travail non sauvegardé")
    assert journal_path(review).exists()
    code, _, err = run("import", str(tmp_path / "doc.fr.txt"), "--target-lang", "fr", "--force")
    assert code == 0, err
    assert "folded 1 unsaved change(s)" in err and str(backup_path(review)) in err
    backup = json.loads(backup_path(review).read_text(encoding="utf-8"))
    assert backup["segments"][0]["note"] == "travail non sauvegardé"
    assert not journal_path(review).exists()
    assert json.loads(review.read_text(encoding="utf-8"))["segments"][0]["note"] == ""


def test_import_force_keeps_the_journal_beside_a_backup_that_cannot_take_it(tmp_path: Path) -> None:
    from relecture.store import backup_path, journal_path

    review = make_review(tmp_path)
    crashed_session(review, "1.1", "travail non sauvegardé")
    review.write_text("{ damaged", encoding="utf-8")
    code, _, err = run("import", str(tmp_path / "doc.fr.txt"), "--target-lang", "fr", "--force")
    assert code == 0, err
    kept = journal_path(backup_path(review))
    assert "journal is kept" in err and kept.exists()
    assert b"travail non sauvegard" in kept.read_bytes()


# --- 4. a review file changed from outside during a session -----------------------------------------


def test_outside_change_during_a_session_is_kept_and_so_is_ours(tmp_path: Path) -> None:
    from relecture.errors import ConflictError, ReadOnlyError
    from relecture.store import ReviewStore, conflict_path, journal_path

    review = make_review(tmp_path)
    store = ReviewStore.open(review)
    try:
        store.apply(note("1.1", "notre note"))
        # An editor (or git checkout) rewrites the file meanwhile.
        theirs = json.loads(review.read_text(encoding="utf-8"))
        theirs["note"] = "leur note de document"
        replacement = tmp_path / "edited.json"
        replacement.write_text(json.dumps(theirs, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(replacement, review)
        before = review.read_bytes()
        with pytest.raises(ConflictError, match="changed by another program") as info:
            store.save()
        assert str(conflict_path(review)) in str(info.value) and "\n" not in str(info.value)
        assert review.read_bytes() == before  # theirs, untouched
        ours = json.loads(conflict_path(review).read_text(encoding="utf-8"))
        assert ours["segments"][0]["note"] == "notre note"
        assert not journal_path(review).exists()  # its change is in the conflict file
        with pytest.raises(ReadOnlyError):  # no more saving over their file
            store.apply(note("2.1", "plus rien"))
    finally:
        store.close()
    assert review.read_bytes() == before


def test_edit_in_place_is_noticed_and_a_touch_is_not(tmp_path: Path) -> None:
    from relecture.errors import ConflictError
    from relecture.store import ReviewStore, conflict_path

    review = make_review(tmp_path)
    with ReviewStore.open(review) as store:
        store.apply(note("1.1", "a"))
        stamp = review.stat().st_mtime_ns + 5_000_000_000
        os.utime(review, ns=(stamp, stamp))  # touch: same bytes
        store.save()
        assert not conflict_path(review).exists()
        with review.open("r+b") as handle:  # in place, same inode and size
            handle.seek(-3, os.SEEK_END)
            handle.write(b"  \n")
        store.apply(note("2.1", "b"))
        with pytest.raises(ConflictError):
            store.save()
    assert json.loads(conflict_path(review).read_text(encoding="utf-8"))["segments"][1]["note"] == "b"


def test_check_does_not_overwrite_a_file_changed_while_it_ran(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``relecture check`` stores flags with one save at the end: a file changed while the checks
    ran is kept, the flags go to the conflict file, exit 2."""
    import relecture.commands.checking as checking
    from relecture.store import conflict_path

    review = make_review(tmp_path, text="Voici la traduction en français :\nBonjour.\n")
    real_apply = checking.apply_flags

    def apply_then_someone_edits(*args, **kwargs):  # type: ignore[no-untyped-def]
        changed = real_apply(*args, **kwargs)
        data = json.loads(review.read_text(encoding="utf-8"))
        data["title"] = "edited elsewhere"
        review.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return changed

    monkeypatch.setattr(checking, "apply_flags", apply_then_someone_edits)
    code, _, err = run("check", str(review))
    assert code == 2
    one_line_error(err, review)
    assert json.loads(review.read_text(encoding="utf-8"))["title"] == "edited elsewhere"
    assert json.loads(conflict_path(review).read_text(encoding="utf-8"))["segments"][0]["flags"]


# --- 5. a review file that is a symbolic link -------------------------------------------------------


def test_symlinked_review_file_is_written_through_to_its_target(tmp_path: Path) -> None:
    from relecture.store import ReviewStore, backup_path, journal_path

    (tmp_path / "real").mkdir()
    real = make_review(tmp_path / "real")
    link = tmp_path / "shortcut.review.json"
    link.symlink_to(real)
    with ReviewStore.open(link) as store:
        store.apply(note("1.1", "par le lien"))
        assert journal_path(real).exists()
    assert link.is_symlink() and link.resolve() == real
    assert json.loads(real.read_text(encoding="utf-8"))["segments"][0]["note"] == "par le lien"
    assert backup_path(real).exists() and not backup_path(link).exists()
    code, _, err = run("import", str(real.parent / "doc.fr.txt"), "-o", str(link), "--force", "--target-lang", "fr")
    assert code == 2 and "symbolic link" in err
    assert json.loads(real.read_text(encoding="utf-8"))["segments"][0]["note"] == "par le lien"


def test_dangling_symlink_review_file_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "gone.review.json"
    link.symlink_to(tmp_path / "nowhere.review.json")
    code, _, err = run("check", str(link))
    assert code == 2
    one_line_error(err, link)


# --- 8. modes: never wider than the source, never setuid ------------------------------------------


def test_private_document_gives_private_review_journal_backup_and_exports(tmp_path: Path) -> None:
    from relecture.store import ReviewStore, backup_path, journal_path, lock_path

    review = make_review(tmp_path, mode=0o600)
    assert stat.S_IMODE(review.stat().st_mode) == 0o600
    with ReviewStore.open(review) as store:
        assert stat.S_IMODE(lock_path(review).stat().st_mode) == 0o600
        store.apply(note("1.1", "secret"))
        assert stat.S_IMODE(journal_path(review).stat().st_mode) == 0o600
    assert stat.S_IMODE(backup_path(review).stat().st_mode) == 0o600
    for fmt in ("json", "jsonl", "csv", "mqm", "xliff", "html", "markdown"):
        out = tmp_path / f"export.{fmt}"
        code, _, err = run("export", str(review), "--to", fmt, "-o", str(out))
        assert code == 0, err
        assert stat.S_IMODE(out.stat().st_mode) == 0o600, fmt


def test_setuid_or_executable_document_gives_a_plain_review_file(tmp_path: Path) -> None:
    review = make_review(tmp_path, mode=0o4755)
    assert stat.S_IMODE(review.stat().st_mode) == 0o644 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- 6. nothing from data reaches the terminal raw ---------------------------------------------------

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # sets the terminal's clipboard to "echo pwned"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_terminal_safe(*outputs: str) -> None:
    for output in outputs:
        assert not RAW.search(output), repr(output)


def test_ids_file_names_and_messages_from_data_are_shown_as_signs(tmp_path: Path) -> None:
    folder = tmp_path / f"dossier{OSC52}"
    folder.mkdir()
    vendor = folder / "vendor.tsv"
    vendor.write_text(
        f"id\tsource\ttarget\n{OSC52}\tHere is the text.\tVoici la traduction en français : le texte.\u202e\n",
        encoding="utf-8",
    )
    code, out, err = run("check", str(vendor), "--source-lang", "en", "--target-lang", "fr")
    assert code == 0 and "llm.preamble" in out
    assert_terminal_safe(out, err)
    assert "␛]52;c;ZWNobyBwd25lZA==␇" in out
    # JSON and JSONL stay exact: the id comes back as it was.
    code, out, _ = run("check", str(vendor), "--format", "jsonl", "--source-lang", "en", "--target-lang", "fr")
    assert {json.loads(line)["segment"] for line in out.splitlines()} == {OSC52}
    assert {json.loads(line)["file"] for line in out.splitlines()} == {str(vendor)}


def test_info_score_and_checks_show_data_as_signs(tmp_path: Path) -> None:
    review = make_review(tmp_path)
    data = json.loads(review.read_text(encoding="utf-8"))
    data["title"] = f"titre{OSC52}"
    data["imported_from"]["path"] = "chemin\x1b[2J"
    review.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run("info", str(review))
    assert code == 0 and "titre␛]52" in out
    assert_terminal_safe(out, err)

    mqm = tmp_path / "ratings.tsv"
    mqm.write_text(
        "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\tcomment\n"
        f"sys{OSC52}\tdoc1\t1\t1\trater1\tHello.\t<v>Salut</v>.\tFluency/Grammar\tMinor\t\n",
        encoding="utf-8",
    )
    code, out, err = run("score", str(mqm))
    assert code == 0 and "sys␛]52" in out
    assert_terminal_safe(out, err)
    code, out, _ = run("score", str(mqm), "--format", "json")
    assert json.loads(out)["groups"][0]["key"] == f"sys{OSC52}"

    config = tmp_path / "rules.toml"
    config.write_text(
        '[[checks.rules]]\nid = "evil"\npattern = "x"\nmessage = "m\\u001b]52;c;ZWNobyBwd25lZA==\\u0007"\n'
        'explanation = "e\\u009b2J"\n',
        encoding="utf-8",
    )
    for args in (["checks", "--config", str(config)], ["checks", "custom.evil", "--config", str(config)]):
        code, out, err = run(*args)
        assert code == 0 and "custom.evil" in out
        assert_terminal_safe(out, err)


def test_stale_lock_warning_and_error_messages_show_data_as_signs(tmp_path: Path) -> None:
    from relecture.store import lock_path

    review = make_review(tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock_path(review).write_text(
        json.dumps({"pid": int(dead.stdout), "user": f"mallory{OSC52}", "host": "h\x1b[2J", "since": "x"}),
        encoding="utf-8",
    )
    code, out, err = run("check", str(review))
    assert code == 0 and "recovered a lock left by" in err and "mallory␛]52" in err
    assert_terminal_safe(out, err)
    missing = tmp_path / f"absent{OSC52}.review.json"
    code, out, err = run("info", str(missing))
    assert code == 2 and err.count("\n") == 1
    assert_terminal_safe(out, err)


# --- 7. a config found beside the document names files in its folder only ------------------------


@pytest.mark.parametrize("value", ["~/.netrc", "/etc/passwd", "../secrets/netrc", "inside/../../secrets/netrc", "escape"])
def test_found_config_cannot_name_files_outside_the_documents_folder(tmp_path: Path, value: str) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "netrc").write_text("machine example.com login me password hunter2\n", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "escape").symlink_to(secrets / "netrc")
    document = project / "doc.fr.txt"
    document.write_text("Bonjour.\n", encoding="utf-8")
    (project / "relecture.toml").write_text(f'[checks]\nglossary = "{value}"\n', encoding="utf-8")
    code, out, err = run("check", str(document), "--target-lang", "fr")
    assert code == 2
    one_line_error(err, project / "relecture.toml")
    assert "outside the document's folder" in err and "checks.glossary" in err
    assert "hunter2" not in out + err and "machine" not in out + err
    # Named by the user, the same config may name any file; the error still quotes nothing of it.
    code, out, err = run("check", str(document), "--target-lang", "fr", "--config", str(project / "relecture.toml"))
    if value in ("escape", "../secrets/netrc"):
        assert code == 2 and "glossary header" in err
        assert "hunter2" not in out + err and "machine" not in out + err


def test_found_config_may_name_files_in_the_documents_folder_tree(tmp_path: Path) -> None:
    (tmp_path / "terms").mkdir()
    (tmp_path / "terms" / "glossary.csv").write_text("source,target,forbidden\n,panneau,yes\n", encoding="utf-8")
    document = tmp_path / "doc.fr.txt"
    document.write_text("Ouvrez le panneau.\n", encoding="utf-8")
    (tmp_path / "relecture.toml").write_text('[checks]\nglossary = "terms/glossary.csv"\n', encoding="utf-8")
    code, out, err = run("check", str(document), "--target-lang", "fr", "--only", "glossary")
    assert code == 0 and "glossary.forbidden-term" in out, err


# --- 9. catastrophic user regexes are bounded -------------------------------------------------------


def _cpu_limited(seconds: int):  # type: ignore[no-untyped-def]
    def limit() -> None:  # in the child: the kernel kills it (SIGXCPU) past this CPU time
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
        # ctrl+c as a terminal delivers it: a test run from a background job (a CI script's
        # `&`) inherits SIGINT ignored, and Python then keeps it ignored in the child.
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    return limit


def _check_under_cpu_limit(*args: str) -> subprocess.CompletedProcess[str]:
    """``relecture check`` in a child the kernel kills past 30 s of CPU time (a hang shows as
    SIGXCPU, -24, whatever the machine's load: wall time is not counted)."""
    return subprocess.run(
        [sys.executable, "-m", "relecture", "check", *args],
        capture_output=True, text=True, preexec_fn=_cpu_limited(30), stdin=subprocess.DEVNULL,
    )


def one_line_warning(err: str, *parts: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("relecture: ") and "gave up after 0.25 s" in lines[0], err
    for part in parts:
        assert part in lines[0], (part, err)


SLOW_TEXT = "a" * 41 + "b"


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a|aa)+$", r"^(a|a?)+$", r"(\\w+\\s?)+!$"])
def test_catastrophic_rule_pattern_ends_within_a_cpu_budget(tmp_path: Path, pattern: str) -> None:
    document = tmp_path / "doc.fr.txt"
    document.write_text("Un texte ordinaire.\n" + SLOW_TEXT + "\n" + "Fin ordinaire.\n", encoding="utf-8")
    config = tmp_path / "rules.toml"
    config.write_text(
        f'[[checks.rules]]\nid = "slow"\npattern = "{pattern}"\n'
        '[[checks.rules]]\nid = "fin"\npattern = "ordinaire"\n',  # a later rule still runs
        encoding="utf-8",
    )
    result = _check_under_cpu_limit(str(document), "--config", str(config), "--target-lang", "fr", "--only", "custom")
    assert result.returncode == 0, (result.returncode, result.stderr)  # -24 (SIGXCPU): it hung
    assert result.stdout.count("custom.fin") == 2, result.stdout  # the run went on, every segment
    if result.stderr:  # the regex package defuses some of them outright; the others give up once
        one_line_warning(result.stderr, str(config), "checks.rules[0].pattern", "custom.slow")


def test_pattern_over_budget_in_several_check_workers_is_named_once(tmp_path: Path) -> None:
    """Forked workers (a big document) each meet the slow pattern: one line all the same."""
    document = tmp_path / "doc.fr.txt"
    document.write_text("".join(f"{i} {SLOW_TEXT}\n\n" for i in range(1200)), encoding="utf-8")
    config = tmp_path / "rules.toml"
    config.write_text('[[checks.rules]]\nid = "slow"\npattern = "(a|aa)+$"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "relecture", "check", str(document), "--config", str(config), "--target-lang", "fr",
         "--only", "custom"],
        capture_output=True, text=True, preexec_fn=_cpu_limited(60), stdin=subprocess.DEVNULL,
        env={**os.environ, "RELECTURE_CHECK_WORKERS": "2"},
    )
    assert result.returncode == 0, (result.returncode, result.stderr)
    one_line_warning(result.stderr, str(config), "checks.rules[0].pattern", "custom.slow")


def test_catastrophic_target_side_of_a_paired_rule_gives_up_once(tmp_path: Path) -> None:
    document = tmp_path / "doc.tsv"
    rows = [("8 GB", "8 Go"), ("12 GB free", "12 " + SLOW_TEXT), ("30 GB used", "30 " + SLOW_TEXT)]
    document.write_text("source\ttarget\n" + "".join(f"{s}\t{t}\n" for s, t in rows), encoding="utf-8")
    config = tmp_path / "rules.toml"
    config.write_text(
        '[[checks.pairs]]\nid = "gigabytes"\nsource = "(\\\\d+) ?GB"\ntarget = "\\\\1 (a|aa)+$"\n', encoding="utf-8"
    )
    result = _check_under_cpu_limit(
        str(document), "--config", str(config), "--source-lang", "en", "--target-lang", "fr", "--only", "custom",
    )
    assert result.returncode == 0, (result.returncode, result.stderr)
    one_line_warning(result.stderr, str(config), "checks.pairs[0].target", "custom.gigabytes")
    # Judged before it gave up: the first pair (flagged); then skipped, it flags nothing it did not judge.
    assert result.stdout.count("custom.gigabytes") == 1 and "doc.tsv:1" in result.stdout, result.stdout


LANGUAGE_DATA_KEYS = ["humour_cues", "relative_dates", "date_patterns", "instruction_cues", "preamble"]


@pytest.mark.parametrize("where", ["config", "data_dirs"])
def test_catastrophic_language_data_patterns_end_within_a_cpu_budget(tmp_path: Path, where: str) -> None:
    """Every kind of language-data pattern, from the config and from a data folder, in one run:
    each gives up on its own, named in its own line, and the run ends."""
    document = tmp_path / "doc.tsv"
    text = "Le 12 mai 2024, " + SLOW_TEXT  # a date, so that date patterns run too
    # Patterns tried at the start of a target (preambles, instruction cues after an English one).
    opening = f"Explain this to me now.\t{SLOW_TEXT}\n"
    document.write_text(f"source\ttarget\nOn 12 May 2024, {SLOW_TEXT}\t{text}\n{opening}Fin.\tFin.\n", encoding="utf-8")
    config = tmp_path / "relecture.toml"
    # One pattern each (the same text twice would be one compiled pattern, reported once).
    entries = "".join(f'{key} = ["(a|aa)+{c}?$"]\n' for key, c in zip(LANGUAGE_DATA_KEYS, "cdefg", strict=True))
    if where == "config":
        config.write_text("[checks.data.fr]\n" + entries, encoding="utf-8")
        named = {key: f"{config}: [checks.data.fr] {key}" for key in LANGUAGE_DATA_KEYS}
    else:
        (tmp_path / "my-data" / "fr").mkdir(parents=True)
        data = tmp_path / "my-data" / "fr" / "house.toml"
        data.write_text(entries, encoding="utf-8")
        config.write_text('[checks]\ndata_dirs = ["my-data"]\n', encoding="utf-8")
        named = {key: f"{data}: {key}" for key in LANGUAGE_DATA_KEYS}
    result = _check_under_cpu_limit(
        str(document), "--config", str(config), "--source-lang", "en", "--target-lang", "fr", "--format", "jsonl",
    )
    assert result.returncode == 0, (result.returncode, result.stderr)  # -24 (SIGXCPU): it hung
    lines = result.stderr.splitlines()
    assert len(lines) == len(LANGUAGE_DATA_KEYS) and "Traceback" not in result.stderr, result.stderr
    for key, place in named.items():
        [line] = [line for line in lines if line.split("“")[0].rstrip().endswith(place + ":")]
        assert line.startswith("relecture: ") and "gave up after 0.25 s" in line, (key, result.stderr)
    assert all(json.loads(line)["file"] == str(document) for line in result.stdout.splitlines())


def _open_when_read(fifo: Path, process: subprocess.Popen[str]) -> int:
    """Open ``fifo`` for writing once ``process`` opens it for reading (the moment is known: the
    open succeeds then). A process that ends first fails the test rather than hanging it."""
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:  # ENXIO: no reader yet
            assert exc.errno == errno.ENXIO, exc
            assert process.poll() is None, process.communicate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(0.01)  # a condition wait: it returns early when the process ends
            continue
        os.set_blocking(fd, True)
        return fd


def _wait_blocked_on_a_pipe(process: subprocess.Popen[str]) -> None:
    """Until ``process`` sleeps in a read of a pipe (Linux: its wait channel). A signal sent
    before that, between the open and the read, waits for the read to return (CPython checks
    for signals between bytecodes and when a system call is interrupted, not in that gap)."""
    wchan = Path(f"/proc/{process.pid}/wchan")
    while "pipe" not in wchan.read_text(encoding="ascii", errors="replace"):
        assert process.poll() is None, process.communicate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(0.01)  # a condition wait: it returns early when the process ends


INTERRUPTED = "relecture: interrupted (ctrl+c); the file in progress was left as it was\n"


def test_ctrl_c_during_a_check_exits_130_and_leaves_the_file_in_progress_as_it_was(tmp_path: Path) -> None:
    """Two review files; the glossary is a FIFO, which each file's checks read in turn: when the
    second reader opens it, the first file is done and stored and the second is under way (its
    lock taken, its flags not stored). SIGINT then, with half a glossary read."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = make_review(tmp_path / "a"), make_review(tmp_path / "b")
    first_before, second_before = first.read_bytes(), second.read_bytes()
    fifo = tmp_path / "terms.csv"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [sys.executable, "-m", "relecture", "check", str(first), str(second), "--glossary", str(fifo)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
        preexec_fn=_cpu_limited(60),
    )
    try:
        with os.fdopen(_open_when_read(fifo, process), "w", encoding="utf-8") as writer:
            writer.write("source,target,forbidden\n,monde,yes\n")
        assert process.stdout is not None
        shown = [process.stdout.readline()]  # the first file's report, up to its last line
        while shown[-1] and "flags stored" not in shown[-1]:
            shown.append(process.stdout.readline())
        assert shown[-1] == f"{first}: flags stored\n", shown  # the first file is done
        with os.fdopen(_open_when_read(fifo, process), "w", encoding="utf-8") as writer:
            writer.write("source,target,forbidden\n")
            writer.flush()
            assert second.with_name(second.name + ".lock").exists()  # the second file is under way
            _wait_blocked_on_a_pipe(process)
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, (process.returncode, err)
    assert err == INTERRUPTED, err  # one line, no traceback, no "Aborted!"
    assert second.read_bytes() == second_before  # byte for byte
    assert sorted(p.name for p in second.parent.iterdir()) == ["doc.fr.txt", "doc.fr.txt.review.json"]
    assert first.read_bytes() != first_before and "glossary.forbidden-term" in first.read_text(encoding="utf-8")
    assert not [p.name for p in first.parent.iterdir() if p.name.endswith((".lock", ".tmp", ".journal"))]


def test_ctrl_c_while_check_saves_leaves_the_review_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGINT at the worst moment: the new version fully written beside the review file, not yet
    renamed over it. The file stays as it was, and neither the new version nor the lock stays."""
    from relecture import atomicio

    review = make_review(tmp_path)
    before = review.read_bytes()
    glossary = tmp_path / "terms.csv"  # a flag to store, so that the check saves
    glossary.write_text("source,target,forbidden\n,monde,yes\n", encoding="utf-8")
    replace = os.replace

    def interrupted(src: str, dst: str | Path) -> None:
        if Path(dst) == review:
            assert Path(src).read_bytes().startswith(b"{")  # the whole new version is there
            raise KeyboardInterrupt
        replace(src, dst)

    monkeypatch.setattr(atomicio.os, "replace", interrupted)
    result = CliRunner().invoke(main, ["check", str(review), "--glossary", str(glossary)])
    monkeypatch.undo()
    assert result.exit_code == 130, (result.exit_code, result.output)
    assert result.stderr == INTERRUPTED and result.stdout == ""
    assert review.read_bytes() == before
    # The backup made just before the rename is of the file as it is; no temporary file, no lock.
    names = ["doc.fr.txt", "doc.fr.txt.review.json", "doc.fr.txt.review.json.bak", "terms.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert (tmp_path / names[2]).read_bytes() == before


# --- 12. smaller ones -----------------------------------------------------------------------------



# --- 10. characters XML 1.0 cannot hold ---------------------------------------------------------------


def test_control_characters_in_notes_and_annotations_export_to_xliff_and_tmx(tmp_path: Path) -> None:
    from lxml import etree

    from relecture.store import ReviewStore

    document = tmp_path / "doc.fr.txt"
    document.write_text("Bonjour \x1b[31mrouge\x1b[0m.\n", encoding="utf-8")  # an ANSI escape in plain text
    source = tmp_path / "doc.en.txt"
    source.write_text("Hello \x1b[31mred\x1b[0m.\n", encoding="utf-8")
    code, _, err = run("import", str(document), "--source", str(source), "--source-lang", "en", "--target-lang", "fr")
    assert code == 0, err
    review = tmp_path / "doc.fr.txt.review.json"
    from relecture import changes
    from relecture.model import Annotation

    with ReviewStore.open(review) as store:
        seg = store.doc.segments[0]
        store.apply(changes.put_annotation(seg.id, Annotation(
            id="a1", side="target", start=0, end=7, text="Bonjour", category="Fluency/Grammar",
            severity="minor", comment="voir \x1b[2J ici\x07", correction="Salut\x0b",
        )))
        store.apply(changes.set_note(seg.id, "note \x1b"))
        store.apply(changes.set_status(seg.id, "approved"))
    for fmt in ("xliff", "tmx"):
        out = tmp_path / f"out.{fmt}"
        code, _, err = run("export", str(review), "--to", fmt, "-o", str(out))
        assert code == 0, err
        root = etree.fromstring(out.read_bytes())
        text = out.read_text(encoding="utf-8")
        assert "voir ␛[2J ici␇" in text or fmt == "tmx"
        assert "note ␛" in text
        if fmt == "xliff":
            assert [cp.get("hex") for cp in root.iter("{urn:oasis:names:tc:xliff:document:2.0}cp")] == ["001B"] * 4
        else:
            assert "Bonjour ␛[31mrouge␛[0m." in text  # TMX has no escape: a visible sign, nothing dropped


# --- 12. smaller ones -----------------------------------------------------------------------------------


def test_carriage_returns_cannot_add_structure_to_the_markdown_report(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": "1", "target": "Première ligne\r# Titre injecté\r- puce\r1. liste"}) + "\n")
    code, _, err = run("import", str(pairs), "--target-lang", "fr")
    assert code == 0, err
    review = tmp_path / "pairs.jsonl.review.json"
    out = tmp_path / "report.md"
    code, _, err = run("export", str(review), "--to", "markdown", "-o", str(out))
    assert code == 0, err
    lines = re.split(r"\r\n?|\n", out.read_text(encoding="utf-8"))
    assert not any(line.startswith(("# Titre", "- puce", "1. liste")) for line in lines)
    assert any(line.startswith("\\# Titre injecté") for line in lines)


def test_score_json_never_prints_infinity(tmp_path: Path) -> None:
    mqm = tmp_path / "ratings.tsv"
    mqm.write_text(
        "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\tcomment\n"
        "sys\tdoc1\t1\t1\tr1\tHello.\t<v>Salut</v>.\tFluency/Grammar\tMajor\t\n"
        "sys\tdoc1\t1\t1\tr1\tHello.\t<v>Salut</v>.\tAccuracy/Mistranslation\tMajor\t\n",
        encoding="utf-8",
    )
    config = tmp_path / "weights.toml"
    config.write_text("[scoring]\nmajor = 1e308\n", encoding="utf-8")  # a sum overflows
    code, out, err = run("score", str(mqm), "--config", str(config), "--format", "json")
    assert code == 0, err
    assert "Infinity" not in out and "NaN" not in out
    assert json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))["total"]["mqm"] is None


@pytest.mark.parametrize(("start", "end"), [(5, 3), (0, 10_000), (40, 41)])
def test_annotation_offsets_outside_the_text_are_refused_on_load(tmp_path: Path, start: int, end: int) -> None:
    review = make_review(tmp_path)
    data = json.loads(review.read_text(encoding="utf-8"))
    data["segments"][1]["annotations"] = [{
        "id": "a1", "side": "target", "start": start, "end": end, "text": "", "category": "Fluency/Grammar",
        "severity": "minor", "comment": "", "correction": "", "author": "", "time": "", "origin": "manual", "meta": {},
    }]
    review.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = review.read_bytes()
    code, _, err = run("info", str(review))
    assert code == 2
    one_line_error(err, review)
    assert "$.segments[1].annotations[0].end" in err and "does not fit the target" in err
    assert run("check", str(review))[0] == 2
    assert review.read_bytes() == before


def test_check_dry_run_replays_the_journal_as_export_and_score_do(tmp_path: Path) -> None:
    from relecture.store import journal_path

    review = make_review(tmp_path, text="Bonjour.\nVoici la traduction en français : au revoir.\n")
    _, out, _ = run("check", str(review), "--format", "jsonl")
    [preamble] = [json.loads(line) for line in out.splitlines() if json.loads(line)["check"] == "llm.preamble"]
    # A crashed session had dismissed that flag; its change is only in the journal.
    from relecture import changes
    from relecture.store import load_review

    [flag] = [f for f in load_review(review).segments[1].flags if f.check == "llm.preamble"]
    journal_path(review).write_text(
        json.dumps({"seq": 1, "time": "t", "change": changes.dismiss(preamble["segment"], flag.key)}) + "\n",
        encoding="utf-8",
    )
    before = review.read_bytes()
    _, out, err = run("check", str(review), "--dry-run", "--format", "jsonl")
    assert "1 unsaved change(s) from the journal" in err
    assert not any(json.loads(line)["check"] == "llm.preamble" for line in out.splitlines())
    assert review.read_bytes() == before and journal_path(review).exists()


@pytest.mark.parametrize("cell", ["=1+1", " =1+1", "\u00a0=1+1", "\ufeff=1+1", "＝1+1", "\u3000+SUM(A1)", "\t=x", "－1", "@cmd"])
def test_formula_guard_sees_through_leading_spaces_and_full_width_signs(tmp_path: Path, cell: str) -> None:
    from relecture.exporters import ExportOptions
    from relecture.exporters.csv_export import render
    from relecture.exporters.mqm_tsv import render as render_mqm
    from relecture.model import Annotation

    doc = bilingual(("Hello.", cell))
    doc.segments[0].annotations.append(Annotation(
        id="a1", side="target", start=0, end=len(cell), text=cell, category="Fluency/Grammar",
        severity="minor", comment=cell, correction=cell, author="r1",
    ))
    rows = list(csv.DictReader(render(doc).splitlines()))
    assert all(rows[0][c].startswith("'") for c in ("text", "comment", "correction", "target"))
    header, row = render_mqm(doc).splitlines()[:2]
    assert dict(zip(header.split("\t"), row.split("\t"), strict=True))["comment"].startswith("'")
    _, raw = render_mqm(doc, ExportOptions(formula_guard=False)).splitlines()[:2]
    assert dict(zip(header.split("\t"), raw.split("\t"), strict=True))["comment"] == cell.replace("\t", " ")


def test_guarded_mqm_tsv_reads_back_as_it_was(tmp_path: Path) -> None:
    from relecture.exporters.mqm_tsv import render
    from relecture.importers import ImportOptions, import_document
    from relecture.model import Annotation

    doc = bilingual(("Hello.", "- Salut"))
    doc.segments[0].annotations.append(Annotation(
        id="a1", side="target", start=2, end=7, text="Salut", category="Fluency/Grammar", severity="minor",
        comment="=HYPERLINK(x)", author="r1",
    ))
    path = tmp_path / "out.tsv"
    path.write_text(render(doc), encoding="utf-8")
    assert "\t'=HYPERLINK(x)" in path.read_text(encoding="utf-8")
    back = import_document(path, ImportOptions(target_lang="fr"))
    assert back.segments[0].target == "- Salut"
    assert back.segments[0].annotations[0].comment == "=HYPERLINK(x)"
