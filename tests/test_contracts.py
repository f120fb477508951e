"""What a new check family or format signs up to: a test file of its own (tests mirror modules), a
skeleton file for the fuzz suites and a declared read-back for the round-trip contract. Each is read
from the registries, so a new family or format fails here, naming what it lacks, until it has them."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.exporters.samples import READ_BACK
from tests.importers.samples import SKELETONS

from relecture.checks.registry import MODULES
from relecture.exporters import WRITERS
from relecture.importers import READERS

TESTS = Path(__file__).resolve().parent


def _module(target: str) -> str:
    """``relecture.importers.text:read`` -> ``text``."""
    return target.split(":")[0].rsplit(".", 1)[-1]


# One test file per check family and per format module: tests/<package>/test_<module>.py.
MIRRORED = sorted(
    {("checks", module.__name__.rsplit(".", 1)[-1]) for module in MODULES.values()}
    | {("importers", _module(target)) for target in READERS.values()}
    | {("exporters", _module(target)) for target in WRITERS.values()}
)


def _tests_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name.startswith("test")]


def test_every_check_family_and_format_module_has_its_test_file() -> None:
    missing = [f"tests/{package}/test_{module}.py" for package, module in MIRRORED
               if not (TESTS / package / f"test_{module}.py").is_file()]
    assert not missing, "tests mirror modules: write " + ", ".join(missing)
    empty = [f"tests/{package}/test_{module}.py" for package, module in MIRRORED
             if not _tests_in(TESTS / package / f"test_{module}.py")]
    assert not empty, "these test files hold no test: " + ", ".join(empty)


def test_the_mirror_covers_every_family_importer_and_exporter() -> None:
    """The rule above reads the registries (a family's module, each reader's and writer's module)."""
    names = {module for _, module in MIRRORED}
    assert {"typography", "language", "spelling", "custom"} <= names  # families
    assert {"text", "tabular", "xliff", "mqm_tsv"} <= names  # importers
    assert {"xliff12", "html_report", "original", "json_export"} <= names  # exporters
    assert len(MIRRORED) == len(MODULES) + len({_module(t) for t in READERS.values()}) + len(
        {_module(t) for t in WRITERS.values()}
    )


def test_every_registered_importer_has_a_skeleton() -> None:
    """The contract a new importer signs: it joins the fuzz suites by its registry entry."""
    assert set(SKELETONS) == set(READERS), "give each importer a skeleton file in tests/importers/samples.py"


def test_every_registered_exporter_declares_what_reads_it_back() -> None:
    """The contract a new exporter signs: it joins the round-trip suite by its registry entry."""
    assert set(READ_BACK) == set(WRITERS), "declare each exporter's read-back in tests/exporters/samples.py"
