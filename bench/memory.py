"""Peak memory of this process, for the benchmarks."""

from __future__ import annotations

import resource


def peak_rss_mb() -> float:
    """Peak resident set of this process image, in MB.

    ``ru_maxrss`` is kept across ``exec`` on Linux: a child started by a parent that held a big
    document would report the parent's peak. ``VmHWM`` belongs to the current image only.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
