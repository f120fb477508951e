"""The [checks] table: disabling checks and families, severities, bad keys named by file and place."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.checks.helpers import config_file, doc_of

from relecture.checks import run_checks
from relecture.errors import InputError


def test_disable_a_check_and_a_family(tmp_path: Path) -> None:
    config = config_file(tmp_path, '[checks]\ndisable = ["typography", "cultural.relative-date"]\nenable = ["typography.dash"]\n')
    doc = doc_of('Il a dit "oui" récemment - enfin.')
    checks = {f.check for fl in run_checks(doc, config=config).values() for f in fl}  # type: ignore[arg-type]
    assert "typography.dash" in checks
    assert not {"typography.straight-quotes", "cultural.relative-date"} & checks


def test_change_a_severity(tmp_path: Path) -> None:
    config = config_file(tmp_path, '[checks.severity]\n"cultural.relative-date" = "major"\ntypography = "neutral"\n')
    doc = doc_of("Il a parlé récemment ; enfin.")
    flags = {f.check: f.severity for fl in run_checks(doc, config=config).values() for f in fl}  # type: ignore[arg-type]
    assert flags == {"cultural.relative-date": "major", "typography.fr-nbsp": "neutral"}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[checks.rules]]\nid = "x"\npattern = "("\n', "bad regular expression"),
        ('[[checks.rules]]\nid = "x"\npattern = "a"\nseverity = "huge"\n', "severity"),
        ('[[checks.rules]]\nid = "x"\npattern = "a"\ncategory = "Nonsense/Thing"\n', "unknown MQM category"),
        ('[checks]\ndisable = ["llm.nope"]\n', "unknown check"),
        ('[checks.severity]\n"llm.preamble" = "huge"\n', "severity must be one of"),
    ],
)
def test_bad_configuration_names_the_file_and_the_place(tmp_path: Path, toml: str, message: str) -> None:
    config = config_file(tmp_path, toml)
    with pytest.raises(InputError) as err:
        run_checks(doc_of("Bonjour."), config=config)  # type: ignore[arg-type]
    assert message in str(err.value) and "relecture.toml" in str(err.value)
