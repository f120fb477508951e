"""Run every benchmark and refresh bench/RESULTS.md: `make bench` (about 10 minutes here).

Each script measures relecture against a peer in the same run and writes its own section:
store (journal, save, load), checks (vs pofilter), precision on real catalogues (vs pofilter), UI (first paint, key latency, filter, memory),
scores/exports (vs translate-toolkit, csv, json) and several reviewers (merge, agree). Pass sizes to shorten a run, e.g.
`python bench/run_all.py 1000 10000`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    sizes = sys.argv[1:] or ["1000", "10000", "100000"]
    runs = [
        ["store.py", "--sizes", *sizes, "--append-results"],
        ["checks.py", *sizes, "--write-results"],
        ["precision.py", "--write-results"],
        ["ui.py", "--sizes", *sizes, "--append-results"],
        ["exports.py", "--sizes", *sizes, "--append-results"],
        ["reviewers.py", "--sizes", *sizes, "--append-results"],
    ]
    failed = []
    for script, *args in runs:
        print(f"== {script} {' '.join(args)}", flush=True)
        code = subprocess.call([sys.executable, str(HERE / script), *args])
        if code:
            failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
