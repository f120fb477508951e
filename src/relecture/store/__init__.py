"""Review files on disk: atomic saves, a journal of every change, and a writer's lock.

This package face only re-exports; each job has its module:

- ``paths``: the side files' names (``journal_path``, ``lock_path``, ``backup_path``,
  ``conflict_path``), which files are review files, and opening side files safely;
- ``reader``: reading a review file, streamed one segment at a time (``load_review``);
- ``lock``: the writer's lock, which names its holder;
- ``journal``: the journal of unsaved changes, fsynced line by line and replayed after a crash;
- ``review_store``: ``ReviewStore``, an open review file (apply, save, close).
"""

from __future__ import annotations

from relecture.clock import now_iso  # kept for importers of the old name: the clock has its own module
from relecture.gcpause import gc_paused
from relecture.store.lock import describe_holder
from relecture.store.paths import (
    REVIEW_SUFFIX,
    backup_path,
    conflict_path,
    export_refusal,
    is_review_file,
    journal_path,
    lock_path,
    open_side_file,
    review_path_for,
    side_files,
)
from relecture.store.reader import (
    PROGRESSIVE_HEAD,
    PROGRESSIVE_HEAD_BYTES,
    PROGRESSIVE_MIN_BYTES,
    SURROGATE_ESCAPE,
    SegmentStream,
    load_review,
    open_stream,
    parse_review_text,
)
from relecture.store.review_store import ReviewStore

__all__ = [
    "PROGRESSIVE_HEAD",
    "PROGRESSIVE_HEAD_BYTES",
    "PROGRESSIVE_MIN_BYTES",
    "REVIEW_SUFFIX",
    "SURROGATE_ESCAPE",
    "ReviewStore",
    "SegmentStream",
    "backup_path",
    "conflict_path",
    "describe_holder",
    "export_refusal",
    "gc_paused",
    "is_review_file",
    "journal_path",
    "load_review",
    "lock_path",
    "now_iso",
    "open_side_file",
    "open_stream",
    "parse_review_text",
    "review_path_for",
    "side_files",
]
