"""The seed: the report this project started from and a careful reading of it.

PATH is a folder with ``report.txt`` and ``expected.json``. The report's publication date is not
in its text; the reading says the events are of 2013, and the report was published on
2013-09-03 (``--published`` to change it). Each field the reading states is one check
(``evaluate.reading``); ``score`` is the fraction that holds.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tollbook.errors import DatasetError
from tollbook.evaluate.reading import Check, check_reading
from tollbook.records import Report

METRICS = ("score",)
PUBLISHED = dt.date(2013, 9, 3)


def read(path: str | Path, published: dt.date | None = None) -> tuple[Report, dict]:
    folder = Path(path)
    if folder.is_file():
        folder = folder.parent
    try:
        text = (folder / "report.txt").read_text("utf-8")
        reading = json.loads((folder / "expected.json").read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DatasetError(f"seed: {folder} needs report.txt and expected.json ({exc})") from None
    return Report.from_text(text, published=published or PUBLISHED), reading


def checks(report: Report, events, reading: dict) -> list[Check]:
    return check_reading(report.text, events, reading)
