"""What the size-by-size benchmarks share: a timer, and each size measured in a fresh process."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def size_arguments(description: str | None, sizes: Sequence[int]) -> argparse.ArgumentParser:
    """``--sizes``, ``--append-results`` and the hidden ``--one N`` a fresh process is started with."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(sizes))
    parser.add_argument("--append-results", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    return parser


def each_size_alone(script: str, sizes: Iterable[int]) -> list[dict]:
    """Run ``script --one N`` for each size: a fresh process, so its peak memory is its own."""
    results = []
    for n in sizes:
        proc = subprocess.run([sys.executable, script, "--one", str(n)], capture_output=True, text=True, check=True)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"measured {n} segments", file=sys.stderr)
    return results
