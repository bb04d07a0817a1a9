"""Ingest: files in, ``Submission`` records out (text plus the original bytes).

The first stage of the pipeline (ingest -> extract -> reconcile -> store -> serve/export).
It reads; it never writes. Bad input becomes an ``IngestError`` naming the file and the
reason, yielded in place of the report so that the rest of a batch goes on.
"""

from tollbook.ingest.readers import (
    BATCH_FIELDS,
    FORMATS,
    Original,
    Submission,
    iter_submissions,
    read_bytes,
)

__all__ = ["BATCH_FIELDS", "FORMATS", "Original", "Submission", "iter_submissions", "read_bytes"]
