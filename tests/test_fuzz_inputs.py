"""Bad input, fuzzed: every importer and the review-file loader, fed random bytes and hostile Unicode.

Each attempt must end in either a one-line InputError that starts with the file's path, or a
correct import: a document that saves as valid UTF-8, validates against the published schema,
loads back to the same bytes and (where the format allows) gives back exactly what went in.
Never another exception, never a hang, never a partly written review file (checked through
``relecture import`` for a subset).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import re
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tests.importers.samples import skeleton

from conftest import assert_valid_review_file, depth
from relecture import segmentation
from relecture.cli import main
from relecture.errors import InputError
from relecture.exporters import WRITERS
from relecture.importers import EXTENSIONS, READERS, ImportOptions, import_document, reader_for
from relecture.model import Annotation, Flag, ReviewDocument, Segment, dumps, literal_text
from relecture.store import ReviewStore, backup_path, journal_path, load_review, lock_path, parse_review_text

# Every registered importer is fuzzed: a new format joins by its registry entry (and fails until it
# has a skeleton in tests/importers/samples.py: tests/test_contracts.py). MQM TSV has no suffix of
# its own: it is told from TSV by its header.
FORMATS = tuple(READERS)
SUFFIX = {fmt: next((ext for ext, f in EXTENSIONS.items() if f == fmt), ".tsv") for fmt in FORMATS}
FUZZ = settings(
    max_examples=depth(50),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
SMALL = settings(FUZZ, max_examples=depth(20))

pytestmark = pytest.mark.slow  # hypothesis over every importer and the loader


def available(fmt: str) -> bool:
    try:
        reader_for(fmt)
    except ImportError:
        return False
    return True


def fmt_param(fmt: str):  # type: ignore[no-untyped-def]
    reason = f"importer for {fmt} is not written yet (relecture.importers.{fmt})"
    return pytest.param(fmt, marks=pytest.mark.skipif(not available(fmt), reason=reason))


EVERY_FORMAT = [fmt_param(f) for f in FORMATS]


@contextlib.contextmanager
def no_hang(seconds: float = 20.0) -> Iterator[None]:
    """Fail (instead of hanging the suite) when one attempt runs away: after ``seconds`` of this
    process's own CPU time (other jobs on a loaded machine do not count), or ten times that on
    the clock (a blocked read uses no CPU)."""

    def expired(signum: int, frame: object) -> None:
        what = "CPU seconds" if signum == signal.SIGPROF else "seconds on the clock"
        raise TimeoutError(f"no result after {seconds} {what}: a hang on this input")

    previous = {sig: signal.signal(sig, expired) for sig in (signal.SIGPROF, signal.SIGALRM)}
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds * 10)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


_scratch_root: Path | None = None


@pytest.fixture(autouse=True, scope="module")
def _scratch_under_pytest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The examples' folders live under pytest's own temporary folder, which pytest prunes:
    thousands of examples a run must not pile up in /tmp."""
    global _scratch_root
    _scratch_root = tmp_path_factory.mktemp("fuzz")
    yield
    _scratch_root = None


def scratch() -> Path:
    """A fresh folder per hypothesis example (tmp_path is shared by all examples of a test)."""
    assert _scratch_root is not None, "scratch() is only for this module's tests"
    return Path(tempfile.mkdtemp(dir=_scratch_root))


def assert_one_line_error(err: InputError, path: Path) -> None:
    message = str(err)
    assert message.startswith(str(path)), message
    assert "\n" not in message and "\r" not in message, repr(message)


def assert_sound(doc: ReviewDocument) -> str:
    """What every successful import must give: a document that saves, validates and reloads."""
    assert doc.segments
    ids = [s.id for s in doc.segments]
    assert len(set(ids)) == len(ids)
    for seg in doc.segments:
        for ann in seg.annotations:
            text = seg.text(ann.side)
            assert 0 <= ann.start <= ann.end <= len(text), (seg.id, ann)
        for flag in seg.flags:
            assert 0 <= flag.start <= flag.end <= len(seg.text(flag.side))
    text = doc.to_json()
    text.encode("utf-8")  # a lone surrogate here would make every later save fail
    assert parse_review_text(text, "<reloaded>").to_json() == text
    folder = scratch()
    out = folder / "doc.review.json"
    ReviewStore.create(out, doc).close()
    assert_valid_review_file(out)
    return text


def attempt(path: Path, fmt: str | None, options: ImportOptions | None = None) -> ReviewDocument | None:
    opts = options or ImportOptions(source_lang="en", target_lang="fr")
    with no_hang():
        try:
            doc = import_document(path, opts, fmt)
        except InputError as err:
            assert_one_line_error(err, path)
            return None
    assert_sound(doc)
    return doc


def write(data: bytes, fmt: str) -> Path:
    path = scratch() / f"input{SUFFIX[fmt]}"
    path.write_bytes(data)
    return path


# --- hostile text ------------------------------------------------------------------------------

NASTY = [
    "\x00", "\u200f", "\u200e", "\u202e", "\u2066", "\u0301", "e\u0301", "\u0300\u0301\u0302", "\ufeff",
    "\u2028", "\u2029", "\x85", "\x1c", "\x0b", "\x0c", "\r\n", "\r", "\n", "\n\n", "\t", " ", "\u00a0",
    "\u202f", "\u200b", "😀", "👩🏽‍💻", "\U0010ffff", "\ufffd", "中文。", "مرحبا", "שלום", "«", "»", '"', "'",
    ",", ";", "\\", "{", "}", "[", "]", ":", "<v>", "</v>", "<", ">", "&", "&amp;", "]]>", "\\ud800",
    "\\udc00", "\\u0000", "#", "#, fuzzy", "msgid", "msgstr", "\x1b[31m", "[bold]", "[/]", "9" * 40,
    ".", "?", "!", "…", "Dr.", "M. ", "Le chat dort. ", "Il pleut! ", "id", "source", "target",
]
nasty_text = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(max_size=8)),
    max_size=60,
).map("".join)


def encode(text: str, how: str) -> bytes:
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "utf-32":
        return text.encode("utf-32", "surrogatepass")
    if how == "latin-1":
        return text.encode("latin-1", "replace")
    return text.encode(how, "surrogatepass")  # lone surrogates become invalid UTF-8 bytes


encodings = st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1"])


def decoded(data: bytes) -> str | None:
    """What relecture's decoder would read, or None if it must refuse the bytes."""
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(
            (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
        ):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


# --- every importer: random bytes and random Unicode -------------------------------------------


@pytest.mark.parametrize("fmt", EVERY_FORMAT)
@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes_end_in_error_or_sound_import(fmt: str, data: bytes) -> None:
    attempt(write(data, fmt), fmt)


# A valid file of each format with hostile text in its fields; then the bytes are cut or spliced.
@pytest.mark.parametrize("fmt", EVERY_FORMAT)
@FUZZ
@given(
    source=nasty_text,
    target=nasty_text,
    how=encodings,
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=4000)),
    splice=st.one_of(st.none(), st.binary(min_size=1, max_size=20)),
)
def test_hostile_unicode_in_valid_skeleton(
    fmt: str, source: str, target: str, how: str, cut: int | None, splice: bytes | None
) -> None:
    data = encode(skeleton(fmt, source, target), how)
    if cut is not None:
        data = data[:cut] + (splice or b"") + data[cut:] if splice else data[:cut]
    path = write(data, fmt)
    doc = attempt(path, fmt)
    text = decoded(data)
    if doc is not None and fmt == "text":
        assert text is not None
        assert doc.rebuild_target() == text


# --- correct imports give back exactly what went in --------------------------------------------

# Text any editor can save: no NUL, no lone surrogates (those have their own tests below).
clean_text = st.lists(
    st.one_of(st.sampled_from([n for n in NASTY if n != "\x00"]), st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=8)),
    max_size=60,
).map("".join)


@FUZZ
@given(text=clean_text, mode=st.sampled_from(["sentence", "paragraph"]), how=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_text_import_rebuilds_hostile_text_exactly(text: str, mode: str, how: str) -> None:
    data = encode(text, how)
    expected = decoded(data)  # a leading U+FEFF is read as a byte-order mark
    assert expected is not None
    doc = attempt(write(data, "text"), "text", ImportOptions(target_lang="fr", segment=mode))
    if expected.strip():
        assert doc is not None
        assert doc.rebuild_target() == expected
    else:
        assert doc is None


@FUZZ
@given(text=st.lists(st.sampled_from(["Phrase courte. ", "Une autre ! ", "mot ", "«cité» ", "\n", "3.5 ", "Dr. X "]), min_size=1, max_size=200).map("".join))
def test_long_paragraphs_cut_into_windows_still_rebuild(text: str) -> None:
    """Paragraphs longer than the pysbd window are cut first; not one character may move."""
    assume(text.strip())
    window = segmentation.WINDOW_CHARS
    segmentation.WINDOW_CHARS = 40
    try:
        prefix, paragraphs = segmentation.split_paragraphs(text)
        rebuilt = prefix
        for paragraph, gap in paragraphs:
            sentences = segmentation.split_sentences(paragraph, "fr")
            for sentence, space in sentences:
                assert sentence and sentence == sentence.strip() and not space.strip()
            rebuilt += "".join(s + sp for s, sp in sentences) + gap
    finally:
        segmentation.WINDOW_CHARS = window
    assert rebuilt == text


cells = st.lists(st.tuples(clean_text, clean_text), min_size=1, max_size=6)


@FUZZ
@given(rows=cells, how=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_csv_gives_back_every_cell(rows: list[tuple[str, str]], how: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "source", "target"])
    writer.writerows([f"r{i}", s, t] for i, (s, t) in enumerate(rows))
    path = write(encode(buffer.getvalue(), how), "csv")
    doc = attempt(path, "csv")
    assert doc is not None
    assert [(s.id, s.source, s.target) for s in doc.segments] == [(f"r{i}", s, t) for i, (s, t) in enumerate(rows)]


# Quotes included: TSV cells are literal.
def spreadsheet_quoted(cell: str) -> bool:
    """The one form the TSV reader unquotes (see importers/tabular.py)."""
    return len(cell) >= 2 and cell[0] == cell[-1] == '"' and '""' in cell[1:-1]


# Literal cells: every cell but the spreadsheet-quoted form comes back exactly as written.
tsv_cell = clean_text.map(lambda t: "".join(c for c in t if c not in "\t\n\r")).filter(
    lambda t: not spreadsheet_quoted(t)
)


@FUZZ
@given(rows=st.lists(st.tuples(tsv_cell, tsv_cell), min_size=1, max_size=6))
def test_tsv_gives_back_every_cell(rows: list[tuple[str, str]]) -> None:
    text = "id\tsource\ttarget\n" + "".join(f"r{i}\t{s}\t{t}\n" for i, (s, t) in enumerate(rows))
    doc = attempt(write(text.encode(), "tsv"), "tsv")
    assert doc is not None
    assert [(s.source, s.target) for s in doc.segments] == rows


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ('""', '""'),  # a target that is an empty pair of quotes: no spreadsheet writes an empty cell so
        ('"Je pars."', '"Je pars."'),  # a translation in quotes
        ('"Bonjour" dit-il', '"Bonjour" dit-il'),
        ('"dit ""oui"""', 'dit "oui"'),  # quoted because it holds quotes
        ('"Deux\nlignes"', "Deux\nlignes"),  # quoted because it holds a line break
        ('"a\tb"', "a\tb"),
    ],
)
def test_tsv_unquotes_only_what_a_spreadsheet_quoted(cell: str, value: str) -> None:
    doc = attempt(write(f"id\tsource\ttarget\nr0\tsrc\t{cell}\n".encode(), "tsv"), "tsv")
    assert doc is not None
    assert [s.target for s in doc.segments] == [value]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | clean_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(clean_text, inner, max_size=3),
    max_leaves=8,
)


@FUZZ
@given(
    rows=st.lists(st.tuples(st.one_of(st.none(), clean_text), clean_text, json_values), min_size=1, max_size=5),
    ascii_only=st.booleans(),
    crlf=st.booleans(),
)
def test_jsonl_gives_back_every_field(rows: list[tuple[str | None, str, object]], ascii_only: bool, crlf: bool) -> None:
    lines = []
    for i, (source, target, extra) in enumerate(rows):
        obj: dict[str, object] = {"id": f"r{i}", "target": target, "extra": extra}
        if source is not None:
            obj["source"] = source
        lines.append(json.dumps(obj, ensure_ascii=ascii_only))
    text = ("\r\n" if crlf else "\n").join(lines) + "\n"
    doc = attempt(write(text.encode(), "jsonl"), "jsonl")
    assert doc is not None
    assert [(s.source, s.target, s.meta["extra"]) for s in doc.segments] == [tuple(r) for r in rows]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "a", "target": "x\\ud800y"}', r":line 2: lone surrogate escape .* at \$\.target"),
        ('{"id": "a", "target": "x", "note": {"\\udfff": 1}}', r":line 2: lone surrogate escape"),
        ('{"id": "a", "target": "x", "n": ' + "7" * 5000 + "}", r":line 2: malformed JSON: a number is too long"),
        ('{"id": "a", "target": "x", "deep": ' + "[" * 50_000 + "]" * 50_000 + "}", r":line 2: malformed JSON: nested too deeply"),
        ('{"id": "a", "target": "x", "deep": ' + "[" * 500 + "]" * 500 + "}", r":line 2: nested deeper than 64 levels"),
        ('{"id": "a", "target": "un\u2028deux"} {', r":line 2:\d+: malformed JSON"),
    ],
)
def test_jsonl_hostile_lines_are_refused_by_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "0", "target": "ok"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        import_document(path, ImportOptions(target_lang="fr"))
    assert_one_line_error(info.value, path)


def test_jsonl_keeps_line_separator_characters_inside_text(tmp_path: Path) -> None:
    """U+2028, U+0085 and friends are legal unescaped in JSON strings; only \\n ends a line."""
    path = tmp_path / "d.jsonl"
    targets = ["un\u2028deux", "trois\x85quatre", "cinq\x1cfin", "six\u2029sept"]
    path.write_text("".join(json.dumps({"target": t}, ensure_ascii=False) + "\n" for t in targets), encoding="utf-8")
    doc = import_document(path, ImportOptions(target_lang="fr"))
    assert [s.target for s in doc.segments] == targets


def xml_carries(c: str) -> bool:
    """XML 1.0 has no control characters and reads \\r as \\n."""
    return c in "\t\n" or 0x20 <= ord(c) <= 0xD7FF or 0xE000 <= ord(c) <= 0xFFFD or ord(c) > 0xFFFF


# What the interchange formats can carry at all, drawn as such (mapped, not filtered: filtering left
# hypothesis with too few examples on some seeds, a FailedHealthCheck).
carried_text = clean_text.map(lambda t: "".join(c for c in t if xml_carries(c)))


@pytest.mark.parametrize("fmt", [fmt_param("xliff"), fmt_param("tmx"), fmt_param("po")])
@FUZZ
@given(source=carried_text, target=carried_text)
def test_interchange_gives_back_source_and_target(fmt: str, source: str, target: str) -> None:
    # A PO msgid "" is the header.
    if fmt == "po":
        assume(source and "\x85" not in source + target)
    path = write(skeleton(fmt, source, target).encode("utf-8"), fmt)
    doc = attempt(path, fmt)
    assert doc is not None, path.read_text(encoding="utf-8")
    # A character of the inline-code plane is held as a code of element "char" (model.CODE_BASE).
    assert [(literal_text(s.source or "", s.codes), literal_text(s.target, s.codes)) for s in doc.segments] == [
        (source, target)
    ]


@pytest.mark.parametrize("fmt", [fmt_param("mqm")])
@FUZZ
@given(
    target=tsv_cell.filter(lambda t: "<v>" not in t and "</v>" not in t),
    span=st.tuples(st.integers(0, 60), st.integers(0, 60)),
)
def test_mqm_span_marks_become_exact_offsets(fmt: str, target: str, span: tuple[int, int]) -> None:
    start, end = sorted(min(x, len(target)) for x in span)
    marked = target[:start] + "<v>" + target[start:end] + "</v>" + target[end:]
    header = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\tcomment\n"
    row = f"sys\tdoc1\t1\t1\trater1\tThe source.\t{marked}\tAccuracy/Mistranslation\tMajor\tvu\n"
    doc = attempt(write((header + row).encode(), fmt), fmt)
    assert doc is not None
    (seg,) = doc.segments
    (ann,) = seg.annotations
    if end == len(target) and start < end and not target[start:end].strip(" "):
        # Marot's mark of something missing at the end (``Hallo<v> </v>``, the WMT 2023 files):
        # the text without the appended spaces, a zero-width span at its end, the spaces kept.
        assert seg.target == target[:start]
        assert (ann.side, ann.start, ann.end, ann.meta["appended"]) == ("target", start, start, target[start:end])
        return
    assert seg.target == target
    assert (ann.side, ann.start, ann.end) == ("target", start, end)
    assert target[ann.start : ann.end] == target[start:end]


# --- 1 MB lines and empty files ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", EVERY_FORMAT)
def test_empty_and_blank_files_are_refused(tmp_path: Path, fmt: str) -> None:
    for data in (b"", b"\n\n  \n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE):
        path = tmp_path / f"e{SUFFIX[fmt]}"
        path.write_bytes(data)
        with pytest.raises(InputError) as info:
            import_document(path, ImportOptions(target_lang="fr"), fmt)
        assert_one_line_error(info.value, path)


def test_one_megabyte_line_imports_quickly_and_exactly(tmp_path: Path) -> None:
    words = ["Le", "chat", "dort.", "Il", "pleut", "!", "«", "cité", "»", "3.5", "M.", "Dupont", "e\u0301", "\u200f"]
    line = " ".join(words[(i * 5) % len(words)] for i in range(200_000))[:1_000_000]
    path = tmp_path / "long.txt"
    path.write_text(line + "\n", encoding="utf-8")
    with no_hang(30):
        doc = import_document(path, ImportOptions(target_lang="fr"))
    assert doc.rebuild_target() == line + "\n"
    assert len(doc.segments) > 1000  # it was split into sentences, not given up on


@pytest.mark.parametrize("fmt", [fmt_param("jsonl"), fmt_param("csv"), fmt_param("tsv")])
def test_one_megabyte_field(tmp_path: Path, fmt: str) -> None:
    target = ("é" * 999 + "\u0301") * 1000
    path = tmp_path / f"big{SUFFIX[fmt]}"
    if fmt == "jsonl":
        path.write_text(json.dumps({"id": "x", "target": target}, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        sep = "," if fmt == "csv" else "\t"
        path.write_text(f"id{sep}target\nx{sep}{target}\n", encoding="utf-8")
    with no_hang(30):
        doc = import_document(path, ImportOptions(target_lang="fr"), fmt)
    assert doc.segments[0].target == target


# --- the review-file loader ------------------------------------------------------------------------


def review_text(doc: ReviewDocument) -> str:
    return doc.to_json()


def load_outcome(path: Path) -> ReviewDocument | None:
    with no_hang():
        try:
            doc = load_review(path)
        except InputError as err:
            assert_one_line_error(err, path)
            return None
        try:
            store = ReviewStore.open(path)
        except InputError as err:  # pragma: no cover - load_review and open must agree
            raise AssertionError(f"load_review accepted what open refused: {err}") from None
    # Whatever loads must save again: a reviewer would otherwise lose the session's work.
    store.save()
    store.close()
    assert_valid_review_file(path)
    return doc


@FUZZ
@given(data=st.binary(max_size=3000))
def test_review_loader_random_bytes(data: bytes) -> None:
    path = scratch() / "r.review.json"
    path.write_bytes(data)
    before = path.read_bytes()
    if load_outcome(path) is None:
        assert path.read_bytes() == before
        assert not journal_path(path).exists() and not lock_path(path).exists()


segment_text = clean_text


@st.composite
def review_docs(draw: st.DrawFn) -> ReviewDocument:
    segments = []
    for i in range(draw(st.integers(1, 5))):
        target = draw(segment_text)
        source = draw(st.one_of(st.none(), segment_text))
        seg = Segment(
            id=draw(st.sampled_from([f"{i}", f"{i}.1", f"seg-{i}", f"‏{i}"])),
            target=target, source=source, paragraph=i,
            kind=draw(st.sampled_from(["heading", "sentence", "paragraph"])),
            space_after=draw(st.sampled_from(["", " ", "\n", "\r\n", "\n\n", "\u2028"])),
            status=draw(st.sampled_from(["todo", "approved", "needs-work", "rejected"])),
            note=draw(segment_text), post_edit=draw(st.one_of(st.none(), segment_text)),
            esa=draw(st.one_of(st.none(), st.integers(0, 100))),
            meta=draw(st.dictionaries(segment_text, json_values, max_size=2)),
        )
        if target:
            a, b = sorted(draw(st.tuples(st.integers(0, len(target)), st.integers(0, len(target)))))
            seg.annotations.append(Annotation(
                id=f"a{i}", side="target", start=a, end=b, text=target[a:b], category="Fluency/Grammar",
                severity=draw(st.sampled_from(["neutral", "minor", "major", "critical"])), comment=draw(segment_text),
            ))
            seg.flags.append(Flag(
                check="fuzz", family="llm", severity="minor", category="Style", its_type="style",
                side="target", start=a, end=b, text=target[a:b], message=draw(segment_text),
            ))
            seg.dismissed.append(seg.flags[0].key)
        segments.append(seg)
    unique = {s.id: s for s in segments}
    return ReviewDocument(
        id=draw(segment_text) or "doc", title=draw(segment_text), segments=list(unique.values()),
        source_lang="en", target_lang="fr", note=draw(segment_text), meta=draw(st.dictionaries(segment_text, json_values, max_size=2)),
    )


@FUZZ
@given(doc=review_docs())
def test_any_review_document_survives_save_and_open(doc: ReviewDocument) -> None:
    # The fast writer lays out exactly what json.dumps(indent=1) would: files stay byte-stable.
    assert doc.to_json() == json.dumps(doc.to_dict(), ensure_ascii=False, indent=1) + "\n"
    path = scratch() / "d.review.json"
    ReviewStore.create(path, doc).close()
    assert_valid_review_file(path)
    with ReviewStore.open(path) as store:
        assert store.doc.to_dict() | {"relecture_version": ""} == doc.to_dict() | {"relecture_version": ""}
        first = path.read_bytes()
    assert path.read_bytes() == first  # nothing to save: same bytes


@FUZZ
@given(value=st.recursive(
    json_values | st.floats() | st.dictionaries(st.integers(), st.none(), max_size=2),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(clean_text, inner, max_size=3),
    max_leaves=12,
))
def test_review_serialiser_matches_json_byte_for_byte(value: object) -> None:
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=1) + "\n"


def _paths(value: object, here: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    found = [here]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*here, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*here, i))
    return found


hostile_json = st.one_of(
    json_values,
    st.sampled_from(["\ud800", "x\udfffy", "<big>", -1, 1e308, True, "", [], {}, "NaN", 2**63]),
)


@FUZZ
@given(doc=review_docs(), data=st.data())
def test_mutated_review_file_is_refused_by_place_or_loads_and_saves(doc: ReviewDocument, data: st.DataObject) -> None:
    tree = json.loads(doc.to_json())
    paths = [p for p in _paths(tree) if p]
    where = data.draw(st.sampled_from(paths))
    parent = tree
    for key in where[:-1]:
        parent = parent[key]
    action = data.draw(st.sampled_from(["delete", "replace", "replace"]))
    if action == "delete":
        del parent[where[-1]]
    else:
        parent[where[-1]] = data.draw(hostile_json)
    # ensure_ascii: lone surrogates become \\ud800 escapes; "<big>" a number json cannot read.
    text = json.dumps(tree, ensure_ascii=True).replace('"<big>"', "1" + "0" * 5000)
    path = scratch() / "m.review.json"
    path.write_text(text, encoding="utf-8")
    load_outcome(path)


def test_hostile_numbers_are_refused_with_place(tmp_path: Path) -> None:
    path = tmp_path / "n.review.json"
    path.write_text('{"format": "relecture/review", "version": 1, "id": "x",\n "meta": {"n": ' + "9" * 5000 + '},\n "segments": []}')
    with pytest.raises(InputError, match=r":2:16: malformed JSON: a number is too long") as info:
        load_review(path)
    assert_one_line_error(info.value, path)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ('"target": "a\\ud800b"', r":\$\.segments\[0\]\.target: text holds a lone surrogate"),
        ('"target": "t", "meta": {"\\udc80": 1}', r":\$\.segments\[0\]\.meta \(key\): text holds a lone surrogate"),
        ('"target": "t", "meta": {"x": ' + "[" * 100 + "]" * 100 + "}", r":\$\.segments\[0\]\.meta\.x(\[0\])+: nested deeper than 64"),
        ('"target": "t", "meta": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}", r": malformed JSON: nested too deeply"),
    ],
)
def test_review_file_that_could_never_be_saved_again_is_refused(tmp_path: Path, payload: str, message: str) -> None:
    path = tmp_path / "s.review.json"
    path.write_text(
        '{"format": "relecture/review", "version": 1, "id": "x", "segments": '
        '[{"id": "a", "paragraph": 0, "kind": "sentence", ' + payload + "}]}",
        encoding="utf-8",
    )
    before = path.read_bytes()
    with pytest.raises(InputError, match=message) as info:
        ReviewStore.open(path)
    assert_one_line_error(info.value, path)
    assert path.read_bytes() == before


def test_a_place_taken_from_the_file_is_shown_on_one_line(tmp_path: Path) -> None:
    """Found by hypothesis: a meta key holding a carriage return or ESC was printed raw in the error."""
    path = tmp_path / "k.review.json"
    path.write_text(
        '{"format": "relecture/review", "version": 1, "id": "x", "segments": [{"id": "a", "paragraph": 0, '
        '"kind": "sentence", "target": "t", "meta": {"a\\rb\\u001b[2J": "\\ud800"}}]}',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        ReviewStore.open(path)
    assert_one_line_error(info.value, path)
    assert "\x1b" not in str(info.value)
    assert "meta.a␍b␛[2J: text holds a lone surrogate" in str(info.value)


def test_surrogate_pair_escapes_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "p.review.json"
    path.write_text(
        '{"format": "relecture/review", "version": 1, "id": "x", "segments": '
        '[{"id": "a", "paragraph": 0, "kind": "sentence", "target": "\\ud83d\\ude00 \\u200f\\u0301"}]}',
        encoding="utf-8",
    )
    with ReviewStore.open(path) as store:
        assert store.doc.segments[0].target == "😀 \u200f\u0301"


def test_one_megabyte_segment_in_review_file(tmp_path: Path) -> None:
    doc = ReviewDocument(id="big", title="big", segments=[Segment(id="1", target="ש" * 1_000_000 + "\u202e")])
    path = tmp_path / "b.review.json"
    with no_hang(30):
        ReviewStore.create(path, doc).close()
        assert load_review(path).segments[0].target == doc.segments[0].target


# --- through the CLI: exit code, one line, nothing partly written ------------------------------


def run_import(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["import", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


@pytest.mark.parametrize("fmt", [fmt_param(f) for f in ("text", "csv", "jsonl", "xliff", "po")])
@SMALL
@given(source=nasty_text, target=nasty_text, how=encodings, cut=st.one_of(st.none(), st.integers(0, 600)))
def test_cli_import_exits_0_or_2_and_writes_all_or_nothing(fmt: str, source: str, target: str, how: str, cut: int | None) -> None:
    data = encode(skeleton(fmt, source, target), how)[:cut]
    folder = scratch()
    path = folder / f"in{SUFFIX[fmt]}"
    path.write_bytes(data)
    review = folder / f"in{SUFFIX[fmt]}.review.json"
    args = [str(path), "--format", fmt, "--source-lang", "en", "--target-lang", "fr"]
    with no_hang():
        code, out, err = run_import(*args)
    assert code in (0, 2), (code, out, err)
    if code == 2:
        assert err.count("\n") == 1 and err.startswith(f"relecture: {path}"), err
        assert leftovers(folder, {path.name}) == []
        return
    if "no segments" in out:  # a valid file with nothing to review (e.g. only a PO header)
        assert leftovers(folder, {path.name}) == []
        return
    assert_valid_review_file(review)
    assert leftovers(folder, {path.name, review.name}) == []

    # A second, failing import with --force leaves the review file exactly as it was.
    first = review.read_bytes()
    path.write_bytes(b"\x00\x01 not a document \xff")
    with no_hang():
        code, out, err = run_import(*args, "--force")
    assert code == 2 and err.count("\n") == 1 and err.startswith(f"relecture: {path}"), err
    assert review.read_bytes() == first
    assert not backup_path(review).exists()
    assert leftovers(folder, {path.name, review.name}) == []


MQM_HEADER = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\tmetadata\n"


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", r":line 2: metadata column is not valid JSON \(nested too deeply\)"),
        ('{"a": ' + "9" * 5000 + "}", r":line 2: metadata column is not valid JSON \(Exceeds the limit \(4300 digits\)[^;]*\)$"),
        ('{"a": "\\ud800"}', r": text holds a lone surrogate.*annotations\[0\]\.meta\.metadata\.a"),
        ('{"corrected_translation": "x\\udc00"}', r": text holds a lone surrogate.*(post_edit|corrected_translation)"),
        ('{"a": ' + "[" * 200 + "]" * 200 + "}", r": nested deeper than"),
    ],
)
def test_mqm_hostile_metadata_is_refused_naming_the_input(tmp_path: Path, metadata: str, message: str) -> None:
    path = tmp_path / "m.tsv"
    path.write_text(MQM_HEADER + f"sys\td\t1\t1\tr1\tsrc\t<v>tgt</v>\tAccuracy/Mistranslation\tMajor\t{metadata}\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        import_document(path, ImportOptions(target_lang="fr"))
    assert_one_line_error(info.value, path)


def test_mqm_field_longer_than_csv_default_limit_in_a_fresh_process(tmp_path: Path) -> None:
    """csv's 128 KiB field limit is process-wide: only a fresh process shows the importer's own."""
    import subprocess
    import sys

    path = tmp_path / "m.tsv"
    target = "mot " * 50_000
    path.write_text(MQM_HEADER + f"sys\td\t1\t1\tr1\tsrc\t<v>{target}</v>\tAccuracy/Mistranslation\tMajor\t\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "relecture", "import", str(path), "--target-lang", "fr"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    data = assert_valid_review_file(tmp_path / "m.tsv.review.json")
    assert data["segments"][0]["target"] == target


# --- every export of any document: written whole, XML that parses, no raw control characters ----

EXPORTS = tuple(WRITERS)  # every registered exporter
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@SMALL
@given(doc=review_docs(), fmt=st.sampled_from(EXPORTS))
def test_every_export_of_any_document_is_written_whole(doc: ReviewDocument, fmt: str) -> None:
    """Control characters in text, notes, comments, ids and titles (an ANSI escape from a plain
    text import) never crash an export; in XML they are <cp> (XLIFF 2 text) or visible signs."""
    from lxml import etree

    from relecture.exporters import export_document

    out = scratch() / f"export.{fmt}"
    try:
        export_document(doc, fmt, out)
    except InputError as err:  # refused whole, nothing written: TMX or a new PO catalogue of a
        # target-only document, a delivery back into an original file this document never had
        target_only = fmt in ("tmx", "po") and not doc.bilingual
        assert (target_only or fmt in ("original", "sdlxliff")) and err.path is None, err
        assert not out.exists()
        return
    data = out.read_bytes()
    text = data.decode("utf-8-sig")
    if fmt in ("xliff", "tmx"):
        assert not XML_ILLEGAL.search(text)
        etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    if fmt == "xliff":  # every character of every target is there, <cp> included
        root = etree.fromstring(data)
        ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
        for seg, target in zip(doc.segments, root.iterfind(".//x:target", ns), strict=True):
            written = "".join(
                chr(int(node.get("hex"), 16)) if isinstance(node.tag, str) and node.tag.endswith("}cp") else ""
                for node in target.iter()
            )
            assert len("".join(target.itertext())) + len(written) == len(seg.final_target)
