"""Project rules: regular-expression rules and paired source->target rules from the configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.checks.helpers import config_file, doc_of, side_flags, software_doc

from relecture.checks import check_info, run_checks
from relecture.config import Config
from relecture.errors import InputError


def test_custom_regex_rule(tmp_path: Path) -> None:
    config = config_file(
        tmp_path,
        """
[[checks.rules]]
id = "no-abbreviations"
pattern = "\\\\bcàd\\\\b"
message = "Write « c'est-à-dire » in full"
severity = "major"
category = "Style/Organization style"
suggestion = "c'est-à-dire"
""",
    )
    doc = doc_of("Le service est gratuit, càd sans abonnement.", "Rien à signaler.")
    results = run_checks(doc, config=config)  # type: ignore[arg-type]
    flag = next(f for f in results["1"] if f.family == "custom")
    assert (flag.check, flag.text, flag.severity, flag.category, flag.suggestion) == (
        "custom.no-abbreviations", "càd", "major", "Style/Organization style", "c'est-à-dire",
    )
    assert check_info("custom.no-abbreviations", config).explanation  # type: ignore[arg-type]
    assert run_checks(doc, config=config, skip="custom") == {}  # type: ignore[arg-type]


PAIRS = {
    "checks": {
        "pairs": [
            {"id": "gigabytes", "source": r"(\d+) ?GB\b", "target": r"\1\s?Go\b", "message": "GB is Go in French"},
        ]
    }
}


def test_paired_rules_require_the_target_with_back_references() -> None:
    doc = software_doc([("A 16 GB disk", "Un disque de 16 Go"), ("A 16 GB disk", "Un disque de 32 Go"), ("A disk", "Un disque")])
    assert side_flags(doc, "custom", Config(data=PAIRS)) == [("2", "custom.gigabytes", "source", "16 GB")]


@pytest.mark.parametrize(
    ("rule", "where"),
    [
        ({"id": "x", "source": "(a)", "target": r"\2"}, "checks.pairs[0].target"),
        ({"id": "x", "source": "(", "target": "a"}, "checks.pairs[0].source"),
        ({"id": "x", "source": "a" * 600, "target": "a"}, "checks.pairs[0].source"),
        ({"id": "x", "target": "a"}, "checks.pairs[0].source"),
    ],
)
def test_bad_paired_rules_name_the_place(rule: dict[str, str], where: str) -> None:
    with pytest.raises(InputError) as info:
        run_checks(software_doc([("a", "a")]), Config(data={"checks": {"pairs": [rule]}}))
    assert where in str(info.value)
