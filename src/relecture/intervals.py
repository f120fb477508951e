"""Confidence intervals of mean scores (MQM, ESA) by the percentile bootstrap, as WMT reports them.

``scipy.stats.bootstrap`` does the resampling. Its cost is values x resamples, which at 100,000
segment scores is seconds. A resample's mean depends only on how many times each distinct value
was drawn, and those counts follow a multinomial law; segment scores take few distinct values
(sums of severity weights, ESA's 0-100), so above ``DIRECT_LIMIT`` values the counts are drawn from
a multinomial law instead (numpy's ``Generator.multinomial``: scipy.stats alone takes a second or
more to import): the same bootstrap distribution, at a cost that no longer grows with the
number of segments. ``tests/exporters/test_charts.py`` checks both give the same interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

RESAMPLES = 999
CONFIDENCE = 0.95
SEED = 20240713  # fixed: the same review always gives the same report
DIRECT_LIMIT = 2_000


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float | None  # None when one value cannot say anything about spread
    high: float | None
    n: int


def mean_interval(values: Sequence[float], confidence: float = CONFIDENCE, resamples: int = RESAMPLES) -> Interval:
    """The mean of ``values`` with its percentile-bootstrap interval (seeded, reproducible)."""
    import numpy as np

    data = np.asarray(values, dtype=float)
    n = int(data.size)
    if n == 0:
        raise ValueError("no value to average")
    mean = float(data.mean())
    if n == 1:
        return Interval(mean, None, None, 1)
    if float(data.min()) == float(data.max()):
        return Interval(mean, mean, mean, n)  # every resample has the same mean
    rng = np.random.default_rng(SEED)
    distinct, counts = np.unique(data, return_counts=True)
    if n <= DIRECT_LIMIT or distinct.size * 4 > n:
        from scipy.stats import bootstrap

        result = bootstrap((data,), np.mean, n_resamples=resamples, confidence_level=confidence,
                           method="percentile", rng=rng, vectorized=True, batch=100)
        low, high = result.confidence_interval
        return Interval(mean, float(low), float(high), n)
    drawn = rng.multinomial(n, counts / n, size=resamples)
    means = drawn @ distinct / n
    alpha = (1 - confidence) / 2
    low, high = np.percentile(means, [100 * alpha, 100 * (1 - alpha)])
    return Interval(mean, float(low), float(high), n)
