"""Review workbench benchmark: first paint, per-key latency, filter time and peak memory at
1,000 and 100,000 segments, with a peer (Textual's DataTable holding the same rows).

    .venv/bin/python bench/ui.py                   # 1,000 and 100,000 segments, prints a table
    .venv/bin/python bench/ui.py --sizes 1000      # quicker
    .venv/bin/python bench/ui.py --append-results  # and writes the table into bench/RESULTS.md

Measured per size, each in its own process (peak memory is VmHWM, that process image's own):

- first paint from process start: ``python -m relecture review FILE`` in a pseudo-terminal,
  from ``exec`` until the terminal has received the first frame (the header line);
- first paint in process: ``ReviewStore.open`` + ``App.run_test`` until the screen is mounted
  and drawn (Textual's headless driver), split into load and UI;
- next segment (``j``) and next flag (``n``): median and p95 over 200 presses in that pseudo-
  terminal, from the key's byte written to the frame that shows the new segment's label, and
  how many took over two frames; they start once the app has gone idle after the load (its CPU
  still for a second: what runs after loading is over) and follow one another without pauses;
  ``--no-idle-wait`` presses them as soon as the document is in (the worst case: what follows
  the load, such as compiling the checks, still runs);
- filter: applying "status todo" and a plain search over all segments, then drawing;
- peak RSS of the in-process run.

Peer: a Textual ``DataTable`` with the same rows (number, status, severity, preview) until its
first frame, in its own process: the widget the issue rules out, measured beside ours.
The documents are deterministic (bench/generate.py's corpus): a flag on every 7th segment
(severities cycling), an annotation on every 11th, every 5th approved.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
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
from relecture.model import SEVERITIES, Annotation, Flag, ReviewDocument, Segment  # noqa: E402
from relecture.store import ReviewStore  # noqa: E402

SIZES = (1_000, 100_000)
PRESSES = 200
FAMILIES = ("typography", "llm", "cultural", "mismatch")


def build(n: int) -> ReviewDocument:
    segments = []
    for i, pair in enumerate(generate(n)):
        seg = Segment(id=pair.id, paragraph=i, source=pair.source, target=pair.target,
                      space_after="\n", source_space_after="\n")
        first = pair.target.split(" ")[0]
        if i % 7 == 0:
            severity = SEVERITIES[1 + (i // 7) % 3]
            family = FAMILIES[(i // 7) % len(FAMILIES)]
            seg.flags.append(Flag(check=f"{family}.bench", family=family, severity=severity,
                                  category="Fluency/Punctuation", its_type="typographical", side="target",
                                  start=0, end=len(first), text=first, message="bench flag"))
        if i % 11 == 0:
            seg.annotations.append(Annotation(id=f"a{i}", side="target", start=0, end=len(first), text=first,
                                              category="Accuracy/Mistranslation", severity="major",
                                              comment="sens", author="bench", time="2024-07-13T10:00:00Z"))
        if i % 5 == 0:
            seg.status = "approved"
        segments.append(seg)
    return ReviewDocument(id=f"bench-{n}", title=f"bench {n}", segments=segments,
                          source_lang="en", target_lang="fr")


def review_file(n: int, folder: Path) -> Path:
    path = folder / f"ui-{n}.review.json"
    if not path.exists():
        ReviewStore.create(path, build(n)).close()
    return path


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- in-process measures (run in a child process per size) ----------------------------------
async def _in_process(path: Path) -> dict[str, float]:
    from relecture.tui.app import ReviewApp
    from relecture.tui.header import ReviewHeader
    from relecture.tui.screen import ReviewScreen
    from relecture.tui.session import FilterSpec, SearchSpec

    t0 = time.perf_counter()
    store = ReviewStore.open(path, progressive=True)  # as `relecture review` opens it
    t_load = time.perf_counter() - t0
    app = ReviewApp(store, autosave=False, cursor_blink=False, reviewer="bench")
    out: dict[str, float] = {"load_s": t_load}
    async with app.run_test(size=(120, 40)) as pilot:
        # First paint: the review screen is up with its header drawn (the loader may still run).
        while not (isinstance(app.screen, ReviewScreen) and app.screen.query_one(ReviewHeader)._shown):
            await asyncio.sleep(0.002)
        out["first_paint_s"] = time.perf_counter() - t0
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        while store.loading or not app.tallied:  # the whole document in, the MQM tally built
            await asyncio.sleep(0.01)
        await pilot.pause()
        out["all_loaded_s"] = time.perf_counter() - t0

        t = time.perf_counter()
        screen._set_view(FilterSpec(statuses=frozenset({"todo"})), None)
        await pilot.pause()
        out["filter_ms"] = (time.perf_counter() - t) * 1000
        out["filter_shown"] = len(app.session.view)
        # The index is built when the search dialog opens, while the reviewer types.
        t = time.perf_counter()
        app.session.prepare_search()
        out["search_index_ms"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        screen._set_view(None, SearchSpec("mois"))
        await pilot.pause()
        out["search_ms"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        screen._set_view(None, None)
        await pilot.pause()
        out["clear_ms"] = (time.perf_counter() - t) * 1000
        await pilot.press("q")
    out["peak_mb"] = peak_rss_mb()
    return out


async def _peer(path: Path) -> dict[str, float]:
    """DataTable with the same rows, until its first frame."""
    from rich.text import Text
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from relecture.store import load_review

    t0 = time.perf_counter()
    doc = load_review(path)

    class Peer(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("#", "status", "sev", "target")
            table.add_rows(
                (str(i + 1), s.status, s.flags[0].severity if s.flags else "", Text(s.target[:60]))
                for i, s in enumerate(doc.segments)
            )

    async with Peer().run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first = time.perf_counter() - t0
    return {"peer_first_paint_s": first,
            "peer_peak_mb": peak_rss_mb()}


# --- from process start, in a pseudo-terminal ------------------------------------------------
class Terminal:
    """``relecture review FILE`` in a 120x40 pseudo-terminal; output is read as it comes."""

    def __init__(self, path: Path, src: Path | None = None) -> None:
        import fcntl
        import pty
        import struct
        import termios

        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        # The session memory (where the last run stopped) goes to a throw-away folder: each run
        # starts at the first segment, and the user's own memory is left alone.
        self.state = tempfile.mkdtemp(prefix="bench-state-")  # removed by close()
        env = {**os.environ, "TERM": "xterm-256color", "RELECTURE_STATE_DIR": self.state}
        if src is not None:  # another tree's relecture (the peer of --baseline)
            env["PYTHONPATH"] = str(src)
        self.master = master
        self.seen = bytearray()
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "relecture", "review", str(path)],
                                     stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)

    def wait(self, needle: bytes | tuple[bytes, ...], timeout: float = 60.0) -> float:
        """Seconds until ``needle`` (or one of them) arrives (counted from the last ``mark``)."""
        import select

        needles = needle if isinstance(needle, tuple) else (needle,)
        deadline = time.perf_counter() + timeout
        while not any(n in self.seen for n in needles):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{needle!r} not shown: {bytes(self.seen[-400:])!r}")
            ready, _, _ = select.select([self.master], [], [], 0.005)
            if ready:
                self.seen.extend(os.read(self.master, 1 << 16))
        return time.perf_counter() - self.t0

    def drain(self, quiet: float = 0.3) -> None:
        import select

        end = time.perf_counter() + quiet
        while time.perf_counter() < end:
            ready, _, _ = select.select([self.master], [], [], 0.02)
            if ready:
                os.read(self.master, 1 << 16)
                end = time.perf_counter() + quiet

    def press(self, key: bytes, needle: bytes) -> float:
        """Latency of one key: from the byte written to the frame that shows ``needle``."""
        self.seen.clear()
        self.t0 = time.perf_counter()
        os.write(self.master, key)
        return self.wait(needle, timeout=20)

    def close(self) -> None:
        os.write(self.master, b"q")
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)
        shutil.rmtree(self.state, ignore_errors=True)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, every thread) the process has used: unlike wall time, what a
    key costs in CPU barely moves when other jobs share the cores (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, quiet: float = 1.0, timeout: float = 120.0) -> float:
    """Wait until the process has used (almost) no CPU for ``quiet`` seconds, not before the
    checks are compiled in the first pause (CHECKER_DELAY after the load): whatever runs after
    the load is over, so the keys measure a session a reviewer is in (who reads the first
    segment before pressing a key). Returns the seconds waited."""
    from relecture.tui.app import CHECKER_DELAY

    start = time.perf_counter()
    time.sleep(CHECKER_DELAY)
    last = cpu_seconds(pid)
    while time.perf_counter() - start < timeout:
        time.sleep(quiet)
        now = cpu_seconds(pid)
        if now - last < 0.02:  # two clock ticks: the terminal check and a blink, not work
            break
        last = now
    return time.perf_counter() - start


def slow(latencies: list[float], frames: int = 2) -> int:
    """How many keys took more than ``frames`` 60 Hz frames (the p95 hides which and how many)."""
    return sum(t > frames / 60 for t in latencies)


def flagged_to_review(n: int) -> list[int]:
    """What ``n`` visits in ``build(n)``: a flag and still todo (see ``build``)."""
    return [i for i in range(n) if i % 7 == 0 and i % 5 != 0]


def in_terminal(path: Path, n: int, idle_first: bool = True) -> dict[str, float]:
    """First paint from process start (and the keys: ``keys_in_terminal``), in a real pty."""
    starts, loaded, start_cpu = [], [], []
    for _ in range(3):
        term = Terminal(path)
        try:
            # The header line of the first frame: progress, or how far a progressive open has read.
            starts.append(term.wait((b"reviewed (", b"segments read)")))
            start_cpu.append(cpu_seconds(term.proc.pid))
            loaded.append(term.wait(b"reviewed ("))  # the whole document is in
        finally:
            term.close()
    return {
        "start_paint_s": statistics.median(starts),
        "start_loaded_s": statistics.median(loaded),
        "start_paint_cpu_s": statistics.median(start_cpu),
        **keys_in_terminal(path, n, idle_first=idle_first),
    }


def keys_in_terminal(path: Path, n: int, src: Path | None = None, idle_first: bool = True) -> dict[str, float]:
    """``j`` and ``n`` latencies and the CPU each costs the app, in a real pty (``src``: the
    relecture tree to run, default this one; ``idle_first=False``: the keys start as soon as
    the whole document is in, while what follows the load still runs: the worst case)."""
    term = Terminal(path, src)
    try:
        term.wait(b"reviewed (", timeout=300)
        term.drain()
        waited = wait_idle(term.proc.pid) if idle_first else 0.0
        # The reading pane names the segment by its id (bench/generate.py's ids: s1, s2...).
        cpu = cpu_seconds(term.proc.pid)
        j = [term.press(b"j", f"segment s{k + 1} ·".encode())
             for k in range(1, min(PRESSES, n - 1) + 1)]
        j_cpu = (cpu_seconds(term.proc.pid) - cpu) / len(j)
        targets = [t for t in flagged_to_review(n) if t > min(PRESSES, n - 1)][:PRESSES]
        cpu = cpu_seconds(term.proc.pid)
        nn = [term.press(b"n", f"segment s{t + 1} ·".encode())
              for t in targets]
        n_cpu = (cpu_seconds(term.proc.pid) - cpu) / len(nn)
    finally:
        term.close()
    return {
        "j_median_ms": statistics.median(j) * 1000, "j_p95_ms": pct(j, 0.95) * 1000,
        "n_median_ms": statistics.median(nn) * 1000, "n_p95_ms": pct(nn, 0.95) * 1000,
        "j_cpu_ms": j_cpu * 1000, "n_cpu_ms": n_cpu * 1000,
        "j_slow": slow(j), "n_slow": slow(nn), "idle_wait_s": waited,
    }


def compare_keys(sizes: list[int], folder: Path, baseline: Path, rounds: int) -> None:
    """Keys of this tree and of ``baseline`` (another checkout's ``src``), alternately, in the
    same minutes: on a shared machine only such pairs (and CPU per key) compare."""
    for n in sizes:
        path = review_file(n, folder)
        runs: dict[str, list[dict[str, float]]] = {"this tree": [], "baseline": []}
        for r in range(rounds):
            for name, src in (("baseline", baseline), ("this tree", None)) if r % 2 == 0 else \
                    (("this tree", None), ("baseline", baseline)):
                result = keys_in_terminal(path, n, src)
                result["load"] = os.getloadavg()[0]
                runs[name].append(result)
                print(f"{n:>9,} {name:9} round {r + 1}: j {result['j_median_ms']:.1f} / {result['j_p95_ms']:.1f} ms, "
                      f"n {result['n_median_ms']:.1f} / {result['n_p95_ms']:.1f} ms (median / p95), over 2 frames "
                      f"j {result['j_slow']} n {result['n_slow']} of {PRESSES}, CPU per key "
                      f"j {result['j_cpu_ms']:.1f} ms, n {result['n_cpu_ms']:.1f} ms, load average {result['load']:.1f}",
                      flush=True)
        for key in ("j_cpu_ms", "n_cpu_ms", "j_median_ms", "n_median_ms", "j_p95_ms", "n_p95_ms"):
            mine = statistics.median(r[key] for r in runs["this tree"])
            base = statistics.median(r[key] for r in runs["baseline"])
            print(f"{n:>9,} {key:12} this tree {mine:6.1f}  baseline {base:6.1f}  ratio {mine / base:.2f}")


def child(args: list[str]) -> dict:
    result = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"bench/ui.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import textual

    return (f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, Python "
            f"{platform.python_version()}, Textual {textual.__version__}, {platform.system()} {platform.release()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--dir", type=Path, default=None, help="where to write the generated review files")
    parser.add_argument("--append-results", action="store_true")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-idle-wait", action="store_true",
                        help="press the keys as soon as the document is in, without waiting for the app to go idle")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another tree's src/: only the keys, this tree and that one alternately")
    parser.add_argument("--rounds", type=int, default=2, help="pairs of runs with --baseline")
    parser.add_argument("--child", choices=["ui", "peer"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "ui":
        print(json.dumps(asyncio.run(_in_process(args.file))))
        return
    if args.child == "peer":
        print(json.dumps(asyncio.run(_peer(args.file))))
        return

    # Generated files go to a throw-away folder removed at the end, unless --dir keeps them
    # (worth it at 1,000,000 segments: a minute or more to write).
    folder = args.dir or Path(tempfile.mkdtemp(prefix="relecture-ui-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        run(args, folder)
    finally:
        if args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: Path) -> None:
    if args.baseline is not None:
        compare_keys(args.sizes, folder, args.baseline.resolve(), args.rounds)
        return
    rows = []
    for n in args.sizes:
        path = review_file(n, folder)
        mb = path.stat().st_size / 1e6
        ui = child(["--child", "ui", "--file", str(path)])
        ui.update(in_terminal(path, n, idle_first=not args.no_idle_wait))
        start = ui["start_paint_s"]
        peer = {} if args.no_peer else child(["--child", "peer", "--file", str(path)])
        rows.append((n, mb, start, ui, peer))
        print(f"{n:>7,} segments ({mb:.1f} MB): start→paint {start:.2f} s, all loaded {ui['start_loaded_s']:.2f} s, "
              f"in-process {ui['first_paint_s']:.2f} s (load {ui['load_s']:.2f} s), "
              f"j {ui['j_median_ms']:.1f}/{ui['j_p95_ms']:.1f} ms, n {ui['n_median_ms']:.1f}/{ui['n_p95_ms']:.1f} ms, "
              f"over 2 frames j {ui['j_slow']} n {ui['n_slow']} of {PRESSES} (idle after {ui['idle_wait_s']:.1f} s), "
              f"CPU: first paint {ui['start_paint_cpu_s']:.2f} s, j {ui['j_cpu_ms']:.1f} ms, n {ui['n_cpu_ms']:.1f} ms a key, "
              f"load average {os.getloadavg()[0]:.1f}, "
              f"filter {ui['filter_ms']:.0f} ms, search {ui['search_ms']:.0f} ms (index {ui['search_index_ms']:.0f} ms), peak {ui['peak_mb']:.0f} MB"
              + (f"; DataTable {peer['peer_first_paint_s']:.2f} s, {peer['peer_peak_mb']:.0f} MB" if peer else ""),
              flush=True)

    lines = [
        "## UI",
        "",
        f"`bench/ui.py`, {time.strftime('%Y-%m-%d')}. Machine: {machine()}.",
        "",
        "First paint from process start: `python -m relecture review FILE` in a 120x40 pseudo-terminal until "
        "the first frame's header arrives (median of 3); a big file opens progressively (the first "
        "megabyte, then the rest between frames), and \"all loaded\" is when the header shows the whole "
        "document's progress. In process: `ReviewStore.open(progressive=True)` (its time in brackets) + "
        "`App.run_test` until the screen is drawn. Keys, once all is loaded: median / p95 of 200 presses in the "
        "same pseudo-terminal, from the byte written to the frame showing the new segment (the real latency a "
        "reviewer feels). Filter: \"status todo\" over all segments, then the repaint; search: plain "
        "text, then the repaint; its index (all text joined, for one scan) is built when the search dialog "
        "opens, while the pattern is typed, and timed apart. Peer: Textual `DataTable` with the same rows, "
        "until its first frame.",
        "",
        "| segments | file MB | start→first paint s | start→all loaded s | in-process paint s (load s) | j median / p95 ms "
        "| n median / p95 ms | filter ms | search ms (index ms) | peak RSS MB | DataTable paint s | DataTable MB "
        "| paint ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, mb, start, ui, peer in rows:
        ratio = (f"{peer['peer_first_paint_s'] / ui['first_paint_s']:.1f}x" if peer else "-")
        lines.append(
            f"| {n:,} | {mb:.1f} | {start:.2f} | {ui['start_loaded_s']:.2f} | {ui['first_paint_s']:.2f} ({ui['load_s']:.2f}) | "
            f"{ui['j_median_ms']:.1f} / {ui['j_p95_ms']:.1f} | {ui['n_median_ms']:.1f} / {ui['n_p95_ms']:.1f} | "
            f"{ui['filter_ms']:.0f} | {ui['search_ms']:.0f} ({ui['search_index_ms']:.0f}) | {ui['peak_mb']:.0f} | "
            + (f"{peer['peer_first_paint_s']:.2f} | {peer['peer_peak_mb']:.0f} | {ratio} |" if peer else "- | - | - |")
        )
    table = "\n".join(lines) + "\n"
    print()
    print(table)
    if args.append_results:
        results = HERE / "RESULTS.md"
        text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
        if "\n## UI\n" in text:
            head, _, rest = text.partition("\n## UI\n")
            tail = rest[rest.find("\n## "):] if "\n## " in rest else ""
            text = head.rstrip("\n") + "\n\n" + table + tail
        else:
            text = text.rstrip("\n") + "\n\n" + table
        results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
