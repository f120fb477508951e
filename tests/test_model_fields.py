"""The segment record is declared once (its fields' ``_json`` metadata): the published schema,
the writer and both readers must agree with that declaration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relecture.errors import InputError
from relecture.model import KINDS, SEGMENT_FIELDS, SEVERITIES, SIDES, STATUSES, Segment

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "src" / "relecture" / "schemas" / "review-v2.schema.json").read_text(
        encoding="utf-8"
    )
)
SEGMENT = SCHEMA["$defs"]["segment"]


def test_the_schema_describes_exactly_the_declared_segment_fields() -> None:
    assert list(SEGMENT["properties"]) and set(SEGMENT["properties"]) == {f[0] for f in SEGMENT_FIELDS}
    # Every field is written except those left out when empty.
    assert SEGMENT["required"] == [name for name, _, _, _, omit_empty, _ in SEGMENT_FIELDS if not omit_empty]
    choices = {name: list(values) for name, _, _, values, _, _ in SEGMENT_FIELDS if values}
    assert choices == {name: SEGMENT["properties"][name]["enum"] for name in choices}
    assert choices == {"kind": list(KINDS), "status": list(STATUSES)}
    flag = SCHEMA["$defs"]["flag"]["properties"]
    assert flag["severity"]["enum"] == list(SEVERITIES) and flag["side"]["enum"] == list(SIDES)


def test_the_writer_puts_the_keys_in_the_declared_order() -> None:
    seg = Segment(id="s1", target="Bonjour.")
    keys = list(json.loads("{" + seg.to_json_item().strip()[1:-1] + "}"))
    assert keys == list(seg.to_dict()) == [f[0] for f in SEGMENT_FIELDS if not f[4]]


@pytest.mark.parametrize(("name", "value"), [
    ("kind", "chapter"), ("status", "done"), ("paragraph", -1), ("esa", 101), ("dismissed", [1]),
    ("target", None), ("source", 3), ("meta", []),
])
def test_both_readers_refuse_a_bad_field_with_its_path(name: str, value: object) -> None:
    data = Segment(id="s1", target="Bonjour.").to_dict()
    data[name] = value
    with pytest.raises(InputError) as caught:
        Segment.from_dict(data, "$.segments[0]")
    assert caught.value.place is not None and caught.value.place.startswith(f"$.segments[0].{name}")


def test_a_required_field_is_required_and_the_others_take_their_defaults() -> None:
    for name, _, required, _, _, _ in SEGMENT_FIELDS:
        data = Segment(id="s1", target="Bonjour.").to_dict()
        data.pop(name, None)
        if required:
            with pytest.raises(InputError, match="missing required field"):
                Segment.from_dict(data, "$.segments[0]")
        else:
            assert Segment.from_dict(data, "$.segments[0]") == Segment(id="s1", target="Bonjour.")


def test_the_schema_check_of_the_tests_refuses_a_bad_file(tmp_path: Path) -> None:
    """The validator every test uses on the files it writes (conftest) really says no."""
    from conftest import assert_valid_review_file
    from relecture.model import ReviewDocument

    path = tmp_path / "d.review.json"
    doc = ReviewDocument(id="d", title="", source_lang="en", target_lang="fr", segments=[Segment(id="s1", target="x")])
    path.write_text(doc.to_json(), encoding="utf-8")
    assert_valid_review_file(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["segments"][0]["status"] = "done"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(AssertionError, match=r"violates the schema: segments/0/status: "):
        assert_valid_review_file(path)
