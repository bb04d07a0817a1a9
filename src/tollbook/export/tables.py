"""Flat rows of events for tables, CSV and spreadsheets.

One row per event; the main figure kinds get three columns each (low, high, qualifier).
Cells are made safe for spreadsheets: report text is untrusted, and a cell starting with
``=``, ``+``, ``-`` or ``@`` would be run as a formula by Excel or LibreOffice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from tollbook.records import Event, format_range

ROW_FIGURES = ("killed", "injured", "abducted", "missing", "arrested")
EVENT_COLUMNS = (
    ["event_id", "report_id", "role", "type", "date_earliest", "date_latest", "date_precision",
     "place", "admin1", "country", "latitude", "longitude", "geo_precision"]
    + [f"{k}_{part}" for k in ROW_FIGURES for part in ("low", "high", "qualifier")]
    + ["perpetrators", "flags"]
)


def perpetrator_summary(event: Event) -> str:
    """'militia (allegedly, per police); gunmen' — hedged claims stay marked as claims."""
    parts = []
    for a in event.actors:
        if a.role != "perpetrator":
            continue
        notes = []
        if a.hedged:
            notes.append("hedged")
        if a.attributed_to and a.attributed_to != "report":
            notes.append(f"per {a.attributed_to}")
        parts.append(a.text + (f" ({', '.join(notes)})" if notes else ""))
    return "; ".join(parts)


def event_row(event: Event) -> dict[str, Any]:
    when, place = event.when, event.place
    row: dict[str, Any] = {
        "event_id": event.id,
        "report_id": event.report_id,
        "role": event.role,
        "type": event.type,
        "date_earliest": when.earliest.isoformat() if when else None,
        "date_latest": when.latest.isoformat() if when else None,
        "date_precision": when.precision if when else None,
        "place": place.name if place else None,
        "admin1": place.admin1 if place else None,
        "country": place.country if place else None,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "geo_precision": place.precision if place else None,
    }
    for kind in ROW_FIGURES:
        f = event.figure(kind)
        row[f"{kind}_low"] = f.low if f else None
        row[f"{kind}_high"] = f.high if f else None
        row[f"{kind}_qualifier"] = f.qualifier if f else None
    row["perpetrators"] = perpetrator_summary(event)
    row["flags"] = "; ".join(f.message for f in event.flags)
    return row


def figure_cell(event: Event, kind: str) -> str:
    f = event.figure(kind)
    return format_range(f) if f else ""


def figure_span(low: int | None, best: int | None, high: int | None) -> str:
    """A figure for people: '14', '52+' (high open), '52–60+', '≤9', '3–5–8' (low–best–high); never 'None'."""
    if low is None and high is None:
        return "?" if best is None else f"{best}+"
    if high is None:
        return f"{low}+" if best is None or best == low else f"{low}–{best}+"
    if low is None:
        return f"≤{high}"
    if low == high:
        return str(low)
    return f"{low}–{high}" if best is None else f"{low}–{best}–{high}"


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: prefix a quote to text cells starting with = + - @ (or tab/CR)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(rows: Iterable[dict[str, Any]], columns: list[str] | tuple[str, ...], out: io.TextIOBase) -> None:
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell("" if v is None else v) for k, v in row.items()})
