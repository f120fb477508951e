"""Language-data patterns compiled at their first use: a bad one is still refused before any
check runs, in one line naming the file and the key; a good one never met is never compiled."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import run

BAD = "(unclosed"


@pytest.mark.parametrize("key, value", [
    ("date_patterns", f'["{BAD} {{month}}"]'),
    ("instruction_cues", f'["{BAD}"]'),
    ("quip_answers", f'["{BAD}"]'),
])
def test_a_bad_pattern_is_refused_at_once_naming_its_key(tmp_path: Path, key: str, value: str) -> None:
    document = tmp_path / "doc.tsv"
    document.write_text("source\ttarget\nHello.\tBonjour.\n", encoding="utf-8")
    config = tmp_path / "relecture.toml"
    config.write_text(f"[checks.data.fr]\n{key} = {value}\n", encoding="utf-8")
    code, out, err = run("check", str(document), "--config", str(config), "--source-lang", "en", "--target-lang", "fr")
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and key in lines[0] and "bad pattern" in lines[0] and "Traceback" not in err, err


def test_patterns_never_met_are_never_compiled() -> None:
    from relecture.checks import dates, question
    from relecture.checks.base import Context
    from relecture.checks.registry import CHECKS

    ctx = Context(enabled=frozenset(CHECKS), source_lang="en", target_lang="fr")
    dates._compiled.cache_clear()  # the date forms are cached per process: a check run earlier compiled them
    cues = question._cues(ctx, "fr")
    forms = dates.forms_of(ctx.data("fr"), "fr")
    assert cues is not None and cues._compiled is None
    assert forms.written and all(p._compiled is None for p, _ in forms.written)
    assert [m.group("d") for m in forms.written[0][0].finditer("le 12 mai 2024")] == ["12"]
