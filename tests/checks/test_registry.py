"""The registry of checks: every check described for the UI, custom ids and unknown ids."""

from __future__ import annotations

import pytest

from relecture.checks import CHECKS, check_info


def test_every_check_has_metadata_the_ui_can_show() -> None:
    for check_id, info in CHECKS.items():
        assert check_info(check_id) is info
        assert info.id.startswith(info.family + ".")
        assert info.severity in ("minor", "major", "critical")
        assert info.description and len(info.explanation) > 60
        assert info.its_type
    with pytest.raises(KeyError):
        check_info("llm.unknown")
    assert check_info("custom.gone").family == "custom"
