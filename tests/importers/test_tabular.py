"""TSV and CSV read: headers and mapped columns, quoted cells, spreadsheet quoting, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relecture.errors import InputError
from relecture.importers import ImportOptions, import_document


def test_tsv_with_header_and_mapped_columns(tmp_path: Path) -> None:
    path = tmp_path / "d.tsv"
    path.write_text("key\ten\tfr\tnote\nk1\tHello.\tBonjour.\tx\nk2\tBye.\tAu revoir.\ty\n", encoding="utf-8")
    doc = import_document(path, ImportOptions(columns={"id": "key", "source": "en", "target": "fr"}))
    assert [(s.id, s.source, s.target) for s in doc.segments] == [
        ("k1", "Hello.", "Bonjour."),
        ("k2", "Bye.", "Au revoir."),
    ]


def test_csv_with_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text('id,source,target\n1,"Two\nlines","Deux\nlignes, ici"\n', encoding="utf-8")
    doc = import_document(path, ImportOptions(source_lang="en", target_lang="fr"))
    assert doc.segments[0].target == "Deux\nlignes, ici"
    assert doc.segments[0].source == "Two\nlines"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id\tsource\nx\ty\n", r"line 1: no 'target' column"),
        ("id\tsource\ttarget\n1\ta\tb\n2\ta\n", r"line 3: row has 2 fields"),
        ("id\tsource\ttarget\n1\ta\tb\n1\tc\td\n", r"line 3: duplicate id '1' \(first on line 2\)"),
    ],
)
def test_bad_tsv(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        import_document(path, ImportOptions(target_lang="fr", source_lang="en"))


# Cells with quotes and line breaks (a tab inside a translation is too rare to weigh against
# literal files: a line that reads as whole records is taken as written).
_cells = st.text(alphabet=st.sampled_from(list('ab é"\n\r«')), max_size=12)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(_cells, _cells), min_size=1, max_size=5))
def test_tsv_cells_quoted_by_a_spreadsheet_come_back_whole(tmp_path_factory, rows) -> None:  # type: ignore[no-untyped-def]
    """What csv.writer (a spreadsheet) writes with tabs: cells holding tabs, line breaks or
    quotes are enclosed in quotes; they come back as they were."""
    import csv
    import io

    from relecture.importers.tabular import _tsv_records

    rows = [(s.replace("\r", ""), t.replace("\r", "")) for s, t in rows]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(["id", "source", "target"])
    writer.writerows([[f"r{i}", s, t] for i, (s, t) in enumerate(rows)])
    parsed = list(_tsv_records(buffer.getvalue(), "\t", [0]))
    assert parsed[1:] == [[f"r{i}", s, t] for i, (s, t) in enumerate(rows)]


_literal = st.text(alphabet=st.sampled_from(list('ab é"«')), max_size=12).filter(
    lambda c: not (len(c) >= 2 and c.startswith('"') and c.endswith('"'))
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(_literal, _literal), min_size=1, max_size=5))
def test_tsv_cells_written_as_is_are_read_as_is(rows) -> None:  # type: ignore[no-untyped-def]
    """MT files write cells as they are: quotes anywhere but around a whole cell stay."""
    from relecture.importers.tabular import _tsv_records

    text = "id\tsource\ttarget\n" + "".join(f"r{i}\t{s}\t{t}\n" for i, (s, t) in enumerate(rows))
    assert list(_tsv_records(text, "\t", [0]))[1:] == [[f"r{i}", s, t] for i, (s, t) in enumerate(rows)]


def _csv_outcome(read) -> list[list[str]] | str:  # type: ignore[no-untyped-def]
    import csv

    try:
        return [list(row) for row in read()]
    except csv.Error:
        return "csv.Error"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list('ab é,"\n\r«\x00')), max_size=60))
def test_csv_rows_and_line_numbers_are_what_csv_reader_gives(text: str) -> None:
    """The CSV reader splits its lines without StringIO and releases them as it goes: it yields
    exactly what ``csv.reader`` does on the file (quoted line breaks, lone CRs, stray quotes,
    malformed input), with the line number csv counts."""
    import csv
    import io

    from relecture.importers.tabular import _records

    reference = csv.reader(io.StringIO(text, newline=""))
    where = [0]
    ours = _records(text, ",", where)
    expected = _csv_outcome(lambda: reference)
    assert _csv_outcome(lambda: ours) == expected
    if expected != "csv.Error":
        assert where[0] == reference.line_num


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab\n\r\x0b\x0c\x1c\x85\u2028\u2029é")), max_size=30))
def test_lines_split_where_csv_splits_them(text: str) -> None:
    import io

    from relecture.importers.tabular import split_lines

    assert split_lines(text) == io.StringIO(text, newline="").readlines()
