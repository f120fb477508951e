"""A segment's empty containers are held lazily: they behave as lists and dicts it always had."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle

from relecture.model import Flag, Layer, ReviewDocument, Segment, dumps


def _flag() -> Flag:
    return Flag("typography.nbsp", "typography", "minor", "Fluency/Punctuation", "typographical", "target",
                0, 2, "Le", "espace")


def test_changes_to_an_empty_container_stay_on_the_segment() -> None:
    seg = Segment(id="s1", target="Le chat")
    seg.flags.append(_flag())
    seg.meta.setdefault("rows", []).append(1)
    seg.layers["ana"] = Layer(status="approved")
    seg.dismissed += ["k"]
    assert [f.text for f in seg.flags] == ["Le"]
    assert seg.meta == {"rows": [1]} and list(seg.layers) == ["ana"] and seg.dismissed == ["k"]


def test_an_old_empty_list_does_not_replace_one_given_since() -> None:
    seg = Segment(id="s1", target="Le chat")
    held = seg.flags
    seg.flags = [_flag()]
    held.append(_flag())  # as with any list the segment no longer holds
    assert len(seg.flags) == 1


def test_copies_replacements_and_pickles_do_not_share_containers() -> None:
    seg = Segment(id="s1", target="Le chat")
    other = dataclasses.replace(seg, id="s2")
    other.dismissed.append("x")
    assert seg.dismissed == [] and other.dismissed == ["x"]
    for twin in (copy.deepcopy(seg), pickle.loads(pickle.dumps(seg))):
        assert twin == seg
        twin.conflicts.append("note")
        assert seg.conflicts == []


def test_the_file_is_the_same_with_lazy_containers() -> None:
    segs = [Segment(id="s1", target="Le chat"), Segment(id="s2", target="Il dort", meta={"a": [1, {"b": None}]})]
    segs[0].flags.append(_flag())
    doc = ReviewDocument(id="d", title="t", segments=segs)
    text = doc.to_json()
    assert text == dumps(doc.to_dict()) == json.dumps(doc.to_dict(), ensure_ascii=False, indent=1) + "\n"
    assert ReviewDocument.from_dict(json.loads(text)) == doc


def test_the_written_out_init_takes_the_dataclass_signature() -> None:
    # Segment.__init__ is generated to write the lazy slots directly: positions and defaults
    # are the dataclass's, and a container given is the one the segment holds.
    meta = {"a": 1}
    seg = Segment("s1", "Le chat", "The cat", 3, meta=meta)
    assert (seg.id, seg.target, seg.source, seg.paragraph) == ("s1", "Le chat", "The cat", 3)
    assert seg.meta is meta and seg.flags == [] and seg == Segment(id="s1", target="Le chat", source="The cat",
                                                                   paragraph=3, meta={"a": 1})
