"""Store benchmark: the cost of one change, a full save and a load, at 1,000 / 10,000 / 100,000
segments, with peers measured in the same run.

    .venv/bin/python bench/store.py                  # all sizes, prints a table
    .venv/bin/python bench/store.py --append-results # and appends it to bench/RESULTS.md
    .venv/bin/python bench/store.py --sizes 1000 --dir /work/tmp   # elsewhere (another filesystem)

Peers: for a change, a sqlite3 single-row UPDATE + COMMIT (default rollback journal, synchronous
FULL: durable, like relecture's fsynced journal line); for a save, ``json.dumps`` (compact, the C
encoder) + write + fsync + ``os.replace`` of the same data; for a load, ``json.loads`` of the same
file. Each size runs in its own process so that peak memory (VmHWM, see memory.py) is that size's alone.
Documents are deterministic: bench/generate.py's bilingual corpus, with flags on every 7th
segment, an annotation on every 11th and a status on every 5th.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from generate import generate  # noqa: E402
from memory import peak_rss_mb  # noqa: E402
from relecture import changes  # noqa: E402
from relecture.model import Annotation, Flag, ReviewDocument, Segment  # noqa: E402
from relecture.store import ReviewStore  # noqa: E402
from results_file import replace_section  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
CHANGES = 200


def build(n: int) -> ReviewDocument:
    segments = []
    for i, pair in enumerate(generate(n)):
        seg = Segment(id=pair.id, paragraph=i, kind="sentence", source=pair.source, target=pair.target,
                      space_after="\n", source_space_after="\n")
        words = pair.target.split(" ")
        if i % 7 == 0:
            seg.flags.append(Flag(check="typography.nbsp", family="typography", severity="minor",
                                  category="Fluency/Punctuation", its_type="typographical", side="target",
                                  start=0, end=len(words[0]), text=words[0], message="Espace insécable manquante"))
        if i % 11 == 0:
            seg.annotations.append(Annotation(id=f"a{i}", side="target", start=0, end=len(words[0]), text=words[0],
                                              category="Accuracy/Mistranslation", severity="major",
                                              comment="sens", author="bench", time="2024-07-13T10:00:00Z"))
        if i % 5 == 0:
            seg.status = "approved"
        segments.append(seg)
    return ReviewDocument(id=f"bench-{n}", title=f"bench {n}", segments=segments, source_lang="en", target_lang="fr")


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def measure(n: int, folder: Path) -> dict[str, float]:
    """Runs in a child process: every figure for one size."""
    doc = build(n)
    path = folder / f"bench-{n}.review.json"
    store = ReviewStore.create(path, doc)
    size = path.stat().st_size
    ids = [s.id for s in doc.segments]

    # One change: journal append + fsync, as the UI does on every key that changes something.
    change_times = [timed(lambda i=i: store.apply(changes.set_note(ids[(i * 37) % n], f"note {i}")))
                    for i in range(CHANGES)]
    save_times = []
    for i in range(3):
        store.apply(changes.set_status(ids[i], "needs-work"))
        save_times.append(timed(store.save))
    store.close()
    load_times = [timed(lambda: ReviewStore.open(path, readonly=True)) for _ in range(3)]

    # Peers on the same data and the same filesystem.
    data = json.loads(path.read_text(encoding="utf-8"))
    peer_path = folder / f"peer-{n}.json"

    def peer_save() -> None:
        tmp = peer_path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, ensure_ascii=False))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, peer_path)

    peer_save_times = [timed(peer_save) for _ in range(3)]
    peer_load_times = [timed(lambda: json.loads(path.read_bytes())) for _ in range(3)]

    db_path = folder / f"peer-{n}.sqlite"
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE segment (id TEXT PRIMARY KEY, source TEXT, target TEXT, note TEXT)")
    db.executemany("INSERT INTO segment VALUES (?, ?, ?, '')", [(s.id, s.source, s.target) for s in doc.segments])
    db.commit()

    def sql_change(i: int) -> None:
        db.execute("UPDATE segment SET note = ? WHERE id = ?", (f"note {i}", ids[(i * 37) % n]))
        db.commit()

    sql_times = [timed(lambda i=i: sql_change(i)) for i in range(CHANGES)]
    db.close()
    return {
        "segments": n,
        "file_mb": size / 1e6,
        "change_median_ms": statistics.median(change_times) * 1e3,
        "change_p95_ms": p95(change_times) * 1e3,
        "sqlite_median_ms": statistics.median(sql_times) * 1e3,
        "sqlite_p95_ms": p95(sql_times) * 1e3,
        "save_s": statistics.median(save_times),
        "peer_save_s": statistics.median(peer_save_times),
        "load_s": statistics.median(load_times),
        "peer_load_s": statistics.median(peer_load_times),
        "peak_rss_mb": peak_rss_mb(),
    }


def load_peak(n: int, folder: Path) -> float:
    """Runs in a child process: peak memory of opening an existing review file, nothing else."""
    ReviewStore.open(folder / f"bench-{n}.review.json", readonly=True)
    return peak_rss_mb()


def child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def machine(folder: Path) -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def fs(p: Path) -> str:
        proc = subprocess.run(["df", "-T", str(p)], capture_output=True, text=True)
        rows = proc.stdout.splitlines()
        return rows[-1].split()[1] if proc.returncode == 0 and len(rows) > 1 else "?"

    return (f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()} "
            f"{platform.release()}; files written in {folder} ({fs(folder)}); /tmp is {fs(Path('/tmp'))}, "
            f"/work is {fs(Path('/work')) if Path('/work').exists() else 'absent'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--dir", type=Path, default=None, help="Folder to write in (default: a temporary one in /tmp).")
    parser.add_argument("--append-results", action="store_true", help="Append the table to bench/RESULTS.md.")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--peak", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.dir)))
        return
    if args.peak:
        print(json.dumps({"load_peak_mb": load_peak(args.peak, args.dir)}))
        return

    with tempfile.TemporaryDirectory(prefix="relecture-bench-", dir=args.dir) as tmp:
        folder = Path(tmp)
        rows = []
        for n in args.sizes:
            row = child(["--one", str(n), "--dir", str(folder)])
            row.update(child(["--peak", str(n), "--dir", str(folder)]))
            rows.append(row)
            print(f"measured {n} segments", file=sys.stderr)
        where = machine(folder)

    header = ("| segments | file MB | change median / p95 ms | sqlite UPDATE+COMMIT median / p95 ms | "
              "save s | json.dumps+fsync+replace s | save ratio | load s | json.loads s | load ratio | "
              "peak RSS MB (whole run / open only) |")
    lines = [header, "|" + "---|" * 11]
    for r in rows:
        lines.append(
            f"| {r['segments']:,} | {r['file_mb']:.1f} | {r['change_median_ms']:.2f} / {r['change_p95_ms']:.2f} | "
            f"{r['sqlite_median_ms']:.2f} / {r['sqlite_p95_ms']:.2f} | {r['save_s']:.3f} | {r['peer_save_s']:.3f} | "
            f"{r['save_s'] / r['peer_save_s']:.1f}× | {r['load_s']:.3f} | {r['peer_load_s']:.3f} | "
            f"{r['load_s'] / r['peer_load_s']:.1f}× | {r['peak_rss_mb']:.0f} / {r['load_peak_mb']:.0f} |"
        )
    table = "\n".join(lines)
    print(where)
    print(table)
    if args.append_results:
        section = (
            f"\n## Store\n\n`bench/store.py`, {time.strftime('%Y-%m-%d')}. Machine: {where}.\n\n"
            f"A change is a journal line appended and fsynced ({CHANGES} changes); a save is the whole "
            "review file written to a temporary file, fsynced, the old one kept as .bak, renamed; a load is "
            "`ReviewStore.open` (parse + validation of every field). Peers: sqlite3 single-row UPDATE + "
            "COMMIT (synchronous=FULL), compact `json.dumps` + fsync + `os.replace`, `json.loads`.\n\n"
            f"{table}\n"
        )
        replace_section("## Store", section)


if __name__ == "__main__":
    main()
