"""The check engine's own contracts: settings validation, the neighbour declaration, and the
regex pre-filter's fallback when the standard library's private parser changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from relecture.checks import Checker
from relecture.checks.base import CheckInfo, Context, Family, SegmentView
from relecture.checks.registry import CHECKS, MODULES
from relecture.checks.settings import known_keys
from relecture.cli import main
from relecture.model import ReviewDocument, Segment


def test_an_unknown_checks_setting_is_a_one_line_error_naming_file_and_key(tmp_path: Path) -> None:
    text = tmp_path / "doc.txt"
    text.write_text("Bonjour le monde.\n", encoding="utf-8")
    config = tmp_path / "relecture.toml"
    config.write_text('[checks]\nlength_treshold = 3\n', encoding="utf-8")  # misspelt
    result = CliRunner().invoke(main, ["check", str(text)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(config) in lines[0] and "checks.length_treshold" in lines[0]
    assert "length_threshold" in lines[0] and "Traceback" not in result.output  # the known keys


def test_every_setting_a_family_reads_is_declared() -> None:
    read: set[str] = set()

    class Recording(dict):  # type: ignore[type-arg]
        def get(self, key, default=None):  # type: ignore[no-untyped-def]
            read.add(key)
            return super().get(key, default)

    ctx = Context(enabled=frozenset(CHECKS), target_lang="fr", source_lang="en", settings=Recording())
    for module in MODULES.values():
        for fn in module.build(ctx).segment_fns:
            list(fn(SegmentView(0, "s1", "Il a dit bonjour.", "He said hello.")))
    assert read and read <= known_keys()


def _doc(*pairs: tuple[str, str]) -> ReviewDocument:
    segments = [Segment(id=f"s{i}", source=s, target=t, paragraph=0) for i, (s, t) in enumerate(pairs)]
    return ReviewDocument(id="d", title="d", segments=segments, source_lang="en", target_lang="fr")


def test_a_repeated_segment_after_different_neighbours_gets_its_own_context_flags() -> None:
    """repetition.sentence declares it reads the previous segment: its findings are not copied
    from the first occurrence of a segment to its repeats."""
    line = "Le rapport annuel sera publié la semaine prochaine."
    doc = _doc(("Our sales grew by a third in spring.", line),
               ("The annual report will be published next week.", line),
               ("Something else entirely, said differently.", "Tout autre chose, dite autrement."),
               ("The annual report will be published next week.", line))
    flags = Checker(doc).run(doc, workers=1)
    assert [f.check for f in flags.get("s1", [])].count("repetition.sentence") == 1
    assert "repetition.sentence" not in [f.check for f in flags.get("s3", [])]


def test_a_family_reading_neighbours_undeclared_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    module = MODULES["question"]
    info = CheckInfo(id="question.peek", family="question", category="Other", severity="minor",
                     description="peeks", explanation="peeks")

    def build(ctx: Context) -> Family:
        return Family(segment_fns=[lambda view: [("question.peek", "target", 0, 1, "m", None)] if view.prev_target else []])

    monkeypatch.setattr(module, "INFOS", [info])
    monkeypatch.setattr(module, "build", build)
    monkeypatch.setitem(CHECKS, "question.peek", info)
    doc = _doc(("One.", "Un."), ("Two.", "Deux."))
    with pytest.raises(RuntimeError, match="reads neighbouring segments"):
        Checker(doc).run(doc, workers=1)


_PROBE = """
import re, sys, types
{setup}
from relecture.checks import matcher
m = matcher.Matcher(["chat(?:on|te)s? noirs", "(?:chien|loup)s", "café", "µs"])
text = "Deux chatons noirs, des loups, un Café et 3 µs."
print(matcher._sre_parse is None, matcher._EXTRA_CASES is None, sorted(m.always) == [0, 1, 2, 3])
print([x.group() for x in m.finditer(text)])
print(matcher._verifiable("abc"), matcher._verifiable("é"))
"""


@pytest.mark.parametrize(
    "setup",
    [
        "sys.modules['re._parser'] = None; sys.modules['re._casefix'] = None",  # removed
        # changed: a parse that yields nothing, a case table of another shape
        "fake = types.ModuleType('re._parser'); fake.parse = lambda p, f=0: []\n"
        "sys.modules['re._parser'] = fake\n"
        "case = types.ModuleType('re._casefix'); case._EXTRA_CASES = ()\nsys.modules['re._casefix'] = case",
    ],
    ids=["removed", "changed"],
)
def test_the_prefilter_falls_back_when_re_privates_change(setup: str) -> None:
    """Without a trustworthy parser every pattern runs: the same matches, only slower."""
    out = subprocess.run([sys.executable, "-c", _PROBE.format(setup=setup)], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [
        "True True True",
        "['chatons noirs', 'loups', 'Café', 'µs']",
        "True False",
    ]
    normal = subprocess.run([sys.executable, "-c", _PROBE.format(setup="")], capture_output=True, text=True, check=True)
    lines = normal.stdout.splitlines()
    assert lines[0] == "False False False" and lines[1:] == ["['chatons noirs', 'loups', 'Café', 'µs']", "True True"]


def test_an_error_in_a_forked_worker_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers inherit the checker by fork; a check that fails in one of them fails the run
    (no hang, no partial result)."""
    module = MODULES["question"]

    def build(ctx: Context) -> Family:
        def boom(view: SegmentView) -> list:  # type: ignore[type-arg]
            if view.index == 1100:
                raise ValueError("check bug on segment 1100")
            return []

        return Family(segment_fns=[boom])

    monkeypatch.setattr(module, "build", build)
    doc = _doc(*[(f"Source number {i}.", f"Traduction numéro {i}.") for i in range(1500)])
    with pytest.raises(ValueError, match="segment 1100"):
        Checker(doc).run(doc, workers=2)
