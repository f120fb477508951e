"""Shared fixtures: every test runs with its own config and data folders, never the user's."""

from __future__ import annotations

import gc
import json
import os
from functools import lru_cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus" / "courts-metrages-ia.fr.txt"
SHARED = REPO.parent / "shared"
SCHEMA_PATH = REPO / "src" / "relecture" / "schemas" / "review-v2.schema.json"

# How hard the randomised tests dig (hypothesis examples, random kill rounds, browser views).
# `make test` keeps the whole suite under three minutes on two cores, so that it is run before
# every commit; `make test-deep` (RELECTURE_TEST_DEPTH=deep) digs four times deeper, for the nightly
# run and before a release. Hypothesis keeps every failing example in .hypothesis/ and replays it
# first, whatever the depth.
DEEP = os.environ.get("RELECTURE_TEST_DEPTH", "") == "deep"


def _quick_pilot() -> None:
    """Pilot waits for the app to go idle after every key by sleeping in 20 ms steps, twice a key:
    typing a 30-character note costs over a second of sleep, half the wall time of the UI tests.
    Our tests wait for the condition they assert (``wait_until``), so the idle wait only has to
    let the app run: 5 ms steps, with the same idle ratio (a step using under 5 % of a core)."""
    import textual._wait as wait

    wait.SLEEP_GRANULARITY = 0.005
    wait.SLEEP_IDLE = wait.SLEEP_GRANULARITY / 20


_quick_pilot()

# A worker's heap holds millions of long-lived objects (modules, module fixtures, hypothesis),
# and each full collection walks them all (0.1-0.2 CPU-s): at the default thresholds the tests'
# own garbage starts one every few seconds. Collections 14x rarer for the young generation,
# twice for the older ones: on a sample of 162 tests, GC 3.7 -> 2.1 CPU-s (full ones 19 -> 2).
# The workbench sets its own young threshold while it runs and puts this one back.
gc.set_threshold(10_000, 20, 20)


def depth(n: int) -> int:
    """``n`` rounds in `make test`, four times as many in `make test-deep`."""
    return 4 * n if DEEP else n


def pytest_configure(config: pytest.Config) -> None:
    """pytest ends each session with 5 full garbage collections to surface the last unraisable
    exceptions (finalizers that fail). A worker's heap then holds millions of objects (modules,
    module fixtures, hypothesis): ~1 CPU-s a pass, at the end of both workers, so on the wall
    clock. Two passes still run every finalizer of the garbage left and of what it freed."""
    try:
        from _pytest.unraisableexception import gc_collect_iterations_key
    except ImportError:  # a pytest without the setting: its own number of passes
        return
    config.stash[gc_collect_iterations_key] = 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules holding slow tests run first, so that two workers finish together: the short tests
    fill in around them instead of one worker ending alone on a long test. A module's tests stay
    together and in their order (its module-scoped fixtures are built once)."""
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    slow_first = sorted(modules.values(), key=lambda group: not any(i.get_closest_marker("slow") for i in group))
    items[:] = [item for group in slow_first for item in group]


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RELECTURE_CONFIG", raising=False)
    monkeypatch.setenv("RELECTURE_DATA_DIR", str(tmp_path_factory.mktemp("relecture-data")))
    monkeypatch.setenv("NO_COLOR", "1")


@lru_cache(maxsize=1)
def _validator():  # type: ignore[no-untyped-def]
    # The schema is itself checked by jsonschema, the reference implementation; files are validated
    # by jsonschema-rs, which gives the same verdicts 200 times faster (1.2 s -> 6 ms for a file
    # of 3,000 segments): the fault tests validate after every kill round.
    import jsonschema
    import jsonschema_rs

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema_rs.Draft202012Validator(schema)


def assert_valid_review_file(path: Path) -> dict:
    """Every review file written in the tests must match the published JSON Schema."""
    data = json.loads(path.read_text(encoding="utf-8"))
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.instance_path))
    assert not errors, f"{path} violates the schema: " + "; ".join(
        f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in errors[:5]
    )
    return data


@pytest.fixture
def valid_review():  # type: ignore[no-untyped-def]
    return assert_valid_review_file


def shared_data(*parts: str) -> Path:
    """A file under ../shared/data, or skip with the reason (a fresh clone elsewhere lacks it)."""
    path = SHARED.joinpath("data", *parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: real third-party data lives beside the repository only")
    return path


def run(*args: str) -> tuple[int, str, str]:
    """``relecture ARGS`` in this process: (exit code, standard output, standard error)."""
    from click.testing import CliRunner

    from relecture.cli import main

    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr
