"""Checking corpora too large for memory: streaming, partitioned, resumable, local or on Dask.

A corpus (TSV, CSV, JSONL, Parquet or MQM TSV files, or folders of shards) is cut into
partitions (``partitions``), each read by the worker that checks it (``readers``, ``tasks``);
the segment checks give their flags at once, while the document-wide checks (consistency in both
directions, the length model refitted on the corpus) are a map/reduce over hashed buckets on
disk (``buckets``). Every partition's results end with a completion marker (``workdir``), so a
run interrupted or failed is resumed where it stopped. ``executors`` runs the tasks in local
processes or on a Dask cluster; ``run`` drives it all.
"""

from __future__ import annotations

CORPUS_FORMATS = frozenset({"tsv", "csv", "jsonl", "parquet", "mqm"})

__all__ = ["CORPUS_FORMATS"]
