"""What an export is written with, built once from the command line or the workbench.

``export_options`` reads the configuration the same way for ``relecture export`` and the
workbench's export dialog, so a report from the UI scores with the ``[scoring]`` weights the
header shows, and credits unnamed work to the same reviewer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relecture.config import Config
    from relecture.scoring import ScoringSettings

APPROVED_STATES = ("reviewed", "final")


@dataclass
class ExportOptions:
    bom: bool = False  # CSV: UTF-8 BOM so spreadsheet programs detect the encoding
    # XLIFF state for approved segments: reviewed | final; None keeps the imported one (else reviewed)
    approved_state: str | None = None
    scoring: ScoringSettings | None = None  # [scoring] weights and the reviewer (local_rater)
    formula_guard: bool = True  # CSV, MQM TSV: a cell a spreadsheet would run gets an apostrophe
    review_path: Path | None = None  # the review file (delivery finds the original beside it)
    charts: bool = True  # HTML report: inline SVG charts
    rater: str | None = None  # MQM TSV: who unnamed work is credited to (default: the reviewer)
    system: str | None = None  # MQM TSV: the system column when segments name none
    source_lang: str | None = None  # TMX: languages when the review lacks them
    target_lang: str | None = None
    # The file the export derives from (the review file): the export is never more readable.
    like: Path | None = None

    def scoring_settings(self) -> ScoringSettings:
        from relecture.scoring import ScoringSettings

        settings = self.scoring if self.scoring is not None else ScoringSettings()
        return replace(settings, local_rater=self.rater) if self.rater else settings


def export_options(
    review: Path | None,
    config: Config | None,
    reviewer: str | None = None,
    *,
    bom: bool = False,
    formula_guard: bool = True,
    approved_state: str | None = None,
) -> ExportOptions:
    """The options of an export of ``review``: ``[scoring]`` from ``config`` (an InputError
    naming the key when it is wrong), ``reviewer`` (else the config's, else the login name) for
    unnamed work, the review file as the bound of the export's permissions."""
    from relecture.scoring import settings_from_config

    settings = settings_from_config(config)
    if reviewer:
        settings = replace(settings, local_rater=reviewer)
    return ExportOptions(
        bom=bom,
        approved_state=approved_state if approved_state in APPROVED_STATES else None,
        scoring=settings,
        formula_guard=formula_guard,
        review_path=review,
        like=review,
    )
