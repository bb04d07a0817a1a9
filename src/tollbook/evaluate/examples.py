"""The bundled example reports against their reading (``data/examples/expected.json``).

Used by the tests and by ``tollbook eval examples``: every example is read as ``tollbook
ingest`` reads it (metadata, dateline), extracted with the examples' own gazetteer, and
checked field by field.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from tollbook.evaluate.reading import Check, check_reading
from tollbook.ingest.readers import Submission, iter_submissions
from tollbook.records import Report


def examples_dir() -> Path:
    return Path(str(resources.files("tollbook").joinpath("data", "examples")))


def example_reports() -> dict[tuple[str, str | None], Report]:
    """(file name, record id) -> Report, for every example report."""
    out: dict[tuple[str, str | None], Report] = {}
    for item in iter_submissions([examples_dir() / "reports"]):
        if not isinstance(item, Submission):
            raise RuntimeError(f"example report unreadable: {item}")
        out[(Path(item.original.name).name, item.external_id)] = Report.from_text(
            item.text, title=item.title, source=item.source, url=item.url, published=item.published)
    return out


def check_examples(extractor) -> list[Check]:
    reading = json.loads((examples_dir() / "expected.json").read_text("utf-8"))
    reports = example_reports()
    checks: list[Check] = []
    for entry in reading["reports"]:
        key = (entry["file"], entry.get("record"))
        report = reports[key]
        label = entry["file"] + (f"#{entry['record']}" if entry.get("record") else "")
        if entry.get("published"):
            ok = report.published is not None and report.published.isoformat() == entry["published"]
            checks.append(Check(f"{label}: published", ok, f"read {report.published}"))
        checks.extend(check_reading(report.text, extractor(report), entry, prefix=f"{label}: "))
    return checks
