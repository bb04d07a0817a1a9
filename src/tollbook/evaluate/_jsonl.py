"""Reading a development set's JSON Lines file, with errors that name the file and the line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tollbook.errors import DatasetError


def records(path: str | Path, dataset: str, required: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """The records of ``path`` (a .jsonl file, or a folder holding dev.jsonl), each with ``required`` keys."""
    p = Path(path)
    if p.is_dir():
        p = p / "dev.jsonl"
    if not p.is_file():
        raise DatasetError(f"{dataset}: no such file {p} (give the dev.jsonl file or its folder)")
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{dataset}: {p} line {n}: not JSON ({exc})") from None
            missing = [k for k in required if k not in rec]
            if missing:
                raise DatasetError(f"{dataset}: {p} line {n}: not a {dataset} record (no {', '.join(missing)})")
            yield rec
