"""`relecture check` and `relecture checks` as a CI job and a reviewer use them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run
from relecture.changes import dismiss, put_annotation, set_note
from relecture.importers import import_document
from relecture.model import Annotation
from relecture.store import ReviewStore, load_review

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "courts-metrages-ia.fr.txt"
JSONL_KEYS = ["file", "segment", "check", "family", "severity", "category", "side", "start", "end", "text", "message", "on"]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "courts-metrages.fr.txt"
    shutil.copy(CORPUS, path)
    return path


@pytest.fixture
def tsv(tmp_path: Path) -> Path:
    path = tmp_path / "strings.tsv"
    path.write_text(
        "id\tsource\ttarget\n"
        "greet\tHello {name}, you have %d new messages.\tBonjour {nom}, vous avez %d nouveaux messages.\n"
        "units\tThe factory produces 480 units every day.\tL'usine produit 480 unités chaque jour.\n"
        "left\tThe update will be available next week.\tThe update will be available next week.\n",
        encoding="utf-8",
    )
    return path


# --- exit codes --------------------------------------------------------------------------------


def test_flags_alone_do_not_fail_by_default(corpus: Path) -> None:
    code, out, _ = run("check", str(corpus))
    assert code == 0
    assert out.rstrip().splitlines()[-1] == "49 flags in 23 segments (4 major, 45 minor)"


def test_fail_on_thresholds(corpus: Path, tsv: Path) -> None:
    assert run("check", str(corpus), "--fail-on", "major")[0] == 1
    assert run("check", str(corpus), "--fail-on", "critical")[0] == 0
    assert run("check", str(tsv), "--fail-on", "critical")[0] == 1  # placeholder renamed
    assert run("check", str(corpus), "--fail-on", "minor", "--only", "mismatch")[0] == 0


def test_fail_on_from_the_configuration(corpus: Path) -> None:
    (corpus.parent / "relecture.toml").write_text('[checks]\nfail_on = "major"\n', encoding="utf-8")
    assert run("check", str(corpus))[0] == 1
    assert run("check", str(corpus), "--fail-on", "none")[0] == 0


def test_input_errors_exit_2_with_one_line(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / "missing.txt"))
    assert code == 2 and err.strip() == f"relecture: {tmp_path / 'missing.txt'}: no such file"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9\n")
    code, _, err = run("check", str(bad))
    assert code == 2 and "bad.txt" in err and "line 1" in err and "Traceback" not in err


def test_unknown_check_id_is_a_usage_error(corpus: Path) -> None:
    code, _, err = run("check", str(corpus), "--only", "llm.nonsense")
    assert code == 2 and "unknown check 'llm.nonsense'" in err


def test_bad_glossary_exits_2(corpus: Path, tmp_path: Path) -> None:
    glossary = tmp_path / "g.csv"
    glossary.write_text("english,french\n", encoding="utf-8")
    code, _, err = run("check", str(corpus), "--glossary", str(glossary))
    assert code == 2 and "g.csv:line 1" in err


# --- formats ------------------------------------------------------------------------------------


def test_jsonl_has_exactly_the_documented_keys(corpus: Path) -> None:
    code, out, _ = run("check", str(corpus), "--format", "jsonl")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert records and all(list(r) == JSONL_KEYS for r in records)
    preamble = records[0]
    assert preamble["check"] == "llm.preamble" and preamble["segment"] == "1.1"
    assert preamble["text"] == "Voici la traduction en français :" and preamble["file"] == str(corpus)


def test_json_report(tsv: Path) -> None:
    code, out, _ = run("check", str(tsv), "--format", "json")
    data = json.loads(out)
    assert code == 0
    (report,) = data["files"]
    assert report["segments"] == 3 and report["file"] == str(tsv)
    checks = {(f["segment"], f["check"]) for f in report["flags"]}
    assert {("greet", "mismatch.placeholder"), ("left", "mismatch.identical")} <= checks
    assert data["summary"]["critical"] == 2 and data["failed"] is False


def test_text_output_shows_the_span_in_context(corpus: Path) -> None:
    code, out, _ = run("check", str(corpus), "--only", "typography.dash")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"{corpus}:8.1 minor")
    assert "typography.dash" in lines[0]
    assert lines[1] == '    … se rappeler de l\'ancien "concept divin"⟦ - ⟧Sora.'
    assert lines[-1] == "1 flag in 1 segment (1 minor)"
    assert "\x1b[" not in out  # NO_COLOR is set by the test fixtures


def test_colour_on_request(corpus: Path) -> None:
    _, out, _ = run("check", str(corpus), "--only", "llm.preamble", "--color")
    assert "\x1b[" in out


def test_control_characters_in_the_text_are_not_sent_to_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "evil.txt"
    path.write_text("Voici la traduction en français :\x1b[2J\n", encoding="utf-8")
    _, out, _ = run("check", str(path), "--only", "llm.preamble")
    assert "\x1b" not in out and "␛[2J" in out


def test_only_and_skip(corpus: Path) -> None:
    _, out, _ = run("check", str(corpus), "--format", "jsonl", "--only", "cultural,markup.heading", "--skip", "cultural.idiom")
    checks = {json.loads(line)["check"] for line in out.splitlines()}
    assert checks == {"markup.heading", "cultural.humour", "cultural.quip", "cultural.relative-date", "cultural.date-without-year", "cultural.literal-name"}


def test_no_flags_message(tmp_path: Path) -> None:
    path = tmp_path / "clean.txt"
    path.write_text("Le contrat court jusqu'en 2027.\n", encoding="utf-8")
    assert run("check", str(path)) == (0, "No flags.\n", "")


def test_text_with_source_file(tmp_path: Path) -> None:
    source = tmp_path / "a.en.txt"
    target = tmp_path / "a.fr.txt"
    source.write_text("The factory produces 480 units every day.\n", encoding="utf-8")
    target.write_text("L'usine produit 840 unités chaque jour.\n", encoding="utf-8")
    _, out, _ = run("check", str(target), "--source", str(source), "--format", "jsonl", "--only", "mismatch.number")
    assert [(r["side"], r["text"]) for r in map(json.loads, out.splitlines())] == [("target", "840"), ("source", "480")]
    code, _, err = run("check", str(target), str(target), "--source", str(source))
    assert code == 2 and "--source" in err


def test_configuration_beside_the_document_is_used(corpus: Path) -> None:
    (corpus.parent / "relecture.toml").write_text('[checks]\ndisable = ["typography", "cultural"]\n', encoding="utf-8")
    _, out, _ = run("check", str(corpus), "--format", "jsonl")
    assert {json.loads(line)["family"] for line in out.splitlines()} == {"llm", "markup"}


# --- review files -----------------------------------------------------------------------------


@pytest.fixture
def review(corpus: Path) -> Path:
    path = corpus.with_name(corpus.name + ".review.json")
    store = ReviewStore.create(path, import_document(corpus))
    store.close()
    return path


def test_flags_are_stored_in_a_review_file_keeping_the_reviewers_work(review: Path, valid_review) -> None:  # type: ignore[no-untyped-def]
    code, _, _ = run("check", str(review))
    assert code == 0
    doc = load_review(review)
    preamble = doc.segment("1.1").flags[0]
    assert preamble.check == "llm.preamble"
    valid_review(review)

    # The reviewer annotates, writes a note and dismisses the dash flag.
    dash = next(f for f in doc.segment("8.1").flags if f.check == "typography.dash")
    with ReviewStore.open(review) as store:
        store.apply(dismiss("8.1", dash.key))
        store.apply(set_note("8.1", "check the dash with the editor"))
        store.apply(
            put_annotation(
                "1.1",
                Annotation(id="a1", side="target", start=0, end=5, category="Accuracy/Addition", severity="major"),
            )
        )
    code, out, _ = run("check", str(review), "--format", "jsonl", "--fail-on", "minor", "--only", "typography.dash")
    assert code == 0 and out == ""  # the only dash flag is dismissed: nothing open, nothing fails
    code, _, _ = run("check", str(review))
    doc = load_review(review)
    seg = doc.segment("8.1")
    assert dash.key in seg.dismissed and seg.note == "check the dash with the editor"
    assert any(f.check == "typography.dash" for f in seg.flags)  # still found, still dismissed
    assert [a.id for a in doc.segment("1.1").annotations] == ["a1"]
    valid_review(review)


def test_a_partial_run_replaces_only_its_own_checks_flags(review: Path) -> None:
    run("check", str(review))
    full = {(s.id, f.check, f.start) for s in load_review(review).segments for f in s.flags}
    assert any(check.startswith("typography.") for _, check, _ in full)
    code, out, _ = run("check", str(review), "--only", "llm", "--format", "jsonl")
    assert code == 0 and {json.loads(line)["check"] for line in out.splitlines()} == {"llm.preamble"}
    # The typography, cultural and markup flags of the full run are still stored.
    assert {(s.id, f.check, f.start) for s in load_review(review).segments for f in s.flags} == full
    # --skip keeps the skipped checks' flags too (the preamble flag stays).
    code, _, _ = run("check", str(review), "--skip", "llm")
    assert code == 0
    assert {(s.id, f.check, f.start) for s in load_review(review).segments for f in s.flags} == full


def test_dry_run_leaves_the_review_file_alone(review: Path) -> None:
    before = review.read_bytes()
    code, out, _ = run("check", str(review), "--dry-run", "--format", "jsonl")
    assert code == 0 and out.count("\n") == 49
    assert review.read_bytes() == before
    assert all(not s.flags for s in load_review(review).segments)


def test_rechecking_an_unchanged_review_file_does_not_rewrite_it(review: Path) -> None:
    run("check", str(review))
    first = review.read_bytes()
    code, out, _ = run("check", str(review))
    assert code == 0 and review.read_bytes() == first and "flags stored" not in out


def test_a_partial_run_with_the_same_findings_does_not_rewrite_the_file(tmp_path: Path) -> None:
    """Kept and new flags are merged in the engine's order (target side first): equal findings
    compare equal, so neither the file nor its .bak is rewritten."""
    tsv = tmp_path / "units.tsv"
    tsv.write_text(
        "id\tsource\ttarget\n"
        "u1\tThe factory produces 480 units every day.\tL’usine produit  des unités chaque jour...\n",
        encoding="utf-8",
    )
    review = tmp_path / "units.tsv.review.json"
    ReviewStore.create(review, import_document(tsv)).close()
    run("check", str(review))  # the save keeps the file as created in the .bak
    sides = [f.side for f in load_review(review).segment("u1").flags]
    assert sides == ["target", "target", "source"]  # kept (source) and rerun (target) flags mix
    backup = review.with_name(review.name + ".bak")
    before = (review.read_bytes(), review.stat().st_mtime_ns, backup.read_bytes(), backup.stat().st_mtime_ns)
    for option in ("--only", "--skip"):
        for ids in ("typography", "mismatch"):
            code, out, _ = run("check", str(review), option, ids)
            assert code == 0 and "flags stored" not in out
    assert (review.read_bytes(), review.stat().st_mtime_ns, backup.read_bytes(), backup.stat().st_mtime_ns) == before


def test_a_review_file_named_json_is_checked_as_a_review_file(review: Path) -> None:
    """One rule for every command: a .json file is a review file (score and export read it so)."""
    plain = review.with_name("copy.json")
    plain.write_bytes(review.read_bytes())
    code, _, err = run("check", str(plain))
    assert code == 0, err
    assert any(s.flags for s in load_review(plain).segments)


def test_a_review_file_open_elsewhere_is_not_touched(review: Path) -> None:
    before = review.read_bytes()
    with ReviewStore.open(review):
        code, _, err = run("check", str(review))
    assert code == 2 and "already open for writing" in err
    assert review.read_bytes() == before


# --- relecture checks -------------------------------------------------------------------------


def test_checks_lists_every_check() -> None:
    from relecture.checks import CHECKS

    code, out, _ = run("checks")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "FAMILY", "SEVERITY", "CATEGORY", "DESCRIPTION"]
    listed = [line.split()[0] for line in lines[1 : 1 + len(CHECKS)]]
    assert listed == list(CHECKS)
    assert "llm.preamble" in out and "Accuracy/Addition" in out


def test_checks_explains_one_and_shows_config_changes(tmp_path: Path) -> None:
    config = tmp_path / "relecture.toml"
    config.write_text(
        '[checks]\ndisable = ["typography.dash"]\n[checks.severity]\n"cultural.humour" = "major"\n'
        '[[checks.rules]]\nid = "no-ok"\npattern = "\\\\bOK\\\\b"\nmessage = "Avoid OK"\n',
        encoding="utf-8",
    )
    code, out, _ = run("checks", "cultural.humour", "typography.dash", "--config", str(config))
    assert code == 0
    assert "cultural.humour  (cultural, major)" in out and "why:" in out
    assert "typography.dash  (typography, minor, disabled)" in out
    code, out, _ = run("checks", "--config", str(config), "--format", "json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["custom.no-ok"]["description"] == "Avoid OK"
    assert rows["typography.dash"]["enabled"] is False
    assert run("checks", "nonsense.id")[0] == 2


# --- large inputs: the fast paths give what the plain ones give -----------------------------------


def _corpus_doc(n: int):  # type: ignore[no-untyped-def]
    """A bilingual document that repeats segments (as translation memories do), with a
    segment repeated back to back and one source translated two ways."""
    from relecture.model import ReviewDocument, Segment

    pairs = [
        ("The factory produces 480 units every day.", "L'usine produit 480 unités chaque jour."),
        ("The factory produces 480 units every day.", "L'usine fabrique 480 unités par jour."),
        ("Hello {name}, you have 3 messages.", "Bonjour, vous avez 3 messages."),
        ("The update will be available next week.", "The update will be available next week."),
        ("Prices rose by 12 percent in 2023.", "Les prix ont augmenté de 21 % en 2023 , le 9 de ce mois."),
        ("He said it twice.", "Il l'a dit deux fois. Il l'a dit deux fois."),
    ]
    segments = []
    for i in range(n):
        source, target = pairs[(i * 5) % len(pairs)]
        if i % 50 == 1:  # the previous segment's translation again, for another source
            source, target = "Another sentence entirely.", segments[-1].target
        segments.append(Segment(id=f"s{i}", target=target, source=source, paragraph=i))
    return ReviewDocument(id="doc", title="doc", segments=segments, source_lang="en", target_lang="fr")


def test_a_parallel_run_finds_exactly_what_one_process_finds() -> None:
    from relecture.checks import run_checks

    doc = _corpus_doc(1500)  # three chunks: two workers share them
    one = run_checks(doc, workers=1)
    two = run_checks(doc, workers=2)
    assert one == two
    checks = {f.check for flags in one.values() for f in flags}
    assert {"mismatch.number", "mismatch.placeholder", "mismatch.identical", "consistency.target",
            "repetition.sentence", "cultural.relative-date"} <= checks
    # A repeated segment gets the flags of its first occurrence.
    pair = (doc.segments[1000].source, doc.segments[1000].target)
    repeats = [s.id for s in doc.segments if (s.source, s.target) == pair]
    assert len(repeats) > 100 and repeats[0] != "s1000" and all(two[i] == two["s1000"] for i in repeats)


@pytest.mark.parametrize("sep", [",", "\t"], ids=["csv", "tsv"])
def test_quoted_fields_spanning_lines_check_the_right_segments(tmp_path: Path, sep: str) -> None:
    """RFC 4180 quoting in CSV, and the same in TSV as spreadsheets write it."""
    path = tmp_path / ("mixed.csv" if sep == "," else "mixed.tsv")
    rows = [
        ["id", "source", "target"],
        ["a", 'A 5" screen for 120 euros.', 'Un écran de 5" pour 210 euros.'],
        ["b", '"Two\nlines, 7 days"', '"Deux\nlignes, 7 jours"'],
        ["c", "It costs 30 euros.", "Ça coûte 40 euros."],
    ]
    path.write_text("".join(sep.join(row) + "\n" for row in rows), encoding="utf-8")
    code, out, _ = run("check", str(path), "--only", "mismatch.number", "--format", "jsonl")
    assert code == 0
    found = [(r["segment"], r["side"], r["text"]) for r in map(json.loads, out.splitlines())]
    assert found == [("a", "target", "210"), ("a", "source", "120"), ("c", "target", "40"), ("c", "source", "30")]
    # A bad row after a multi-line field is reported on its own line of the file.
    path.write_text(path.read_text(encoding="utf-8") + f"d{sep}only two\n", encoding="utf-8")
    code, _, err = run("check", str(path))
    assert code == 2 and "line 7: row has 2 fields, the header has 3" in err  # row b spans lines 3-5


def test_tsv_cells_are_literal_quotes_and_all(tmp_path: Path) -> None:
    """TSV cells are literal: a translation starting with a quotation mark keeps it (and is
    flagged for straight quotes); a stray quote never swallows the next lines."""
    path = tmp_path / "quotes.tsv"
    path.write_text(
        "id\tsource\ttarget\n"
        '1\t"Hello" he said\t"Bonjour" dit-il\n'
        '2\t"unclosed quote\t"pas fermé\n'
        "3\tIt costs 30 euros.\tÇa coûte 40 euros.\n",
        encoding="utf-8",
    )
    code, out, _ = run("check", str(path), "--only", "typography.straight-quotes,mismatch.number",
                       "--format", "jsonl")
    assert code == 0
    found = [(r["segment"], r["check"], r["text"]) for r in map(json.loads, out.splitlines())]
    assert ("1", "typography.straight-quotes", '"Bonjour"') in found
    assert ("3", "mismatch.number", "40") in found
    path.write_text(path.read_text(encoding="utf-8") + "4\tonly two\n", encoding="utf-8")
    code, _, err = run("check", str(path))
    assert code == 2 and "line 5: row has 2 fields, the header has 3" in err


def test_jsonl_lines_are_the_json_of_each_record(tmp_path: Path) -> None:
    path = tmp_path / "odd.tsv"
    path.write_text(
        'id\tsource\ttarget\n'
        'q"1\tSee {name} \\ "here"\u2028.\tVoir \\ "ici"\x7f « là »\u00a0!\n',
        encoding="utf-8",
    )
    code, out, _ = run("check", str(path), "--format", "jsonl")
    assert code == 0
    lines = out.splitlines()
    assert lines
    for line in lines:
        record = json.loads(line)
        assert list(record) == JSONL_KEYS and record["segment"] == 'q"1'
        assert line == json.dumps(record, ensure_ascii=False)


def test_consistency_compares_a_systems_translations_with_each_other_only(tmp_path: Path) -> None:
    """WMT/MQM files hold several systems' translations of one source: they differ by nature.
    Within one system, one source translated two ways is still flagged."""
    header = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\n"
    source = "The committee approved the new budget yesterday."
    rows = [
        ("sysA", 1, "Der Ausschuss hat gestern den neuen Haushalt genehmigt."),
        ("sysB", 1, "Das Komitee billigte gestern das neue Budget."),
        ("sysA", 2, "Der Ausschuss genehmigte gestern das neue Budget."),
        ("sysB", 2, "Das Komitee billigte gestern das neue Budget."),
    ]
    path = tmp_path / "mqm.tsv"
    path.write_text(header + "".join(
        f"{system}\tnews\t1\t{seg}\trater1\t{source}\t{target}\tNo-error\tNo-error\n" for system, seg, target in rows
    ), encoding="utf-8")
    code, out, _ = run("check", str(path), "--only", "consistency", "--format", "jsonl",
                       "--source-lang", "en", "--target-lang", "de")
    assert code == 0
    flagged = sorted({json.loads(line)["segment"] for line in out.splitlines()})
    assert len(flagged) == 1 and flagged[0].startswith("sysA")  # sysA's second translation only


@pytest.mark.parametrize(("fail_on", "expected"), [("none", 0), ("minor", 1)])
def test_a_reader_that_stops_early_does_not_change_the_verdict(tmp_path: Path, fail_on: str, expected: int) -> None:
    """`relecture check doc | head` in CI (with pipefail): the exit code is still the --fail-on
    verdict, with nothing on stderr, although stdout was closed after one line."""
    import subprocess
    import sys

    doc = tmp_path / "long.fr.txt"
    doc.write_text("".join(f"Voici le bilan numéro {i} : le marché progresse ; les prix baissent !\n"
                           for i in range(3000)), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "relecture", "check", str(doc), "--fail-on", fail_on, "--target-lang", "fr"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()
    proc.stdout.close()  # the reader goes away with most of the output unread
    code = proc.wait(timeout=120)
    assert proc.stderr.read() == b""
    assert code == expected


def test_a_report_that_cannot_be_written_is_an_error_not_a_verdict(tmp_path: Path) -> None:
    """stdout on a full disk (/dev/full): exit 2 with one line, never 1 (which means a flag
    reached --fail-on) and never a traceback."""
    import subprocess
    import sys

    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full (Linux)")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "relecture", "check", str(CORPUS), "--fail-on", "none"],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["relecture: <stdout>: cannot write the report: No space left on device"]
