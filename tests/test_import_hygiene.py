"""The domain core never imports Textual: only relecture.tui may (as Harlequin enforces)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import relecture

SRC = Path(relecture.__file__).parent


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(SRC)], prefix="relecture."):
        if info.name.startswith("relecture.tui") or info.name == "relecture.__main__":
            continue
        names.append(info.name)
    return sorted(names)


def test_core_modules_exist() -> None:
    names = core_modules()
    for expected in ("relecture.model", "relecture.store", "relecture.segmentation", "relecture.cli"):
        assert expected in names


def test_domain_never_loads_textual() -> None:
    modules = core_modules()
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"textual loaded by the domain core: {proc.stdout.strip()}"


def test_no_core_source_mentions_textual_import() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if "tui" in path.relative_to(SRC).parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import textual", "from textual")):
                offenders.append(f"{path.relative_to(SRC)}: {stripped}")
    assert not offenders
