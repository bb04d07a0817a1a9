"""Exports of incidents in the formats the field uses: CSV and JSON (tollbook's own columns),
GeoJSON (one point feature per located incident), ACLED-style and UCDP GED-style CSV.

ACLED columns follow its codebook (event_date, event_type, sub_event_type, actor1, actor2,
country, admin1, location, latitude, longitude, geo_precision, source, notes, fatalities); the
type mapping is the table in docs/model.md. UCDP GED columns: best, low, high, date_start,
date_end, where_prec, ... Every text cell goes through ``safe_cell`` (no spreadsheet formulas).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

from tollbook.export.tables import write_csv
from tollbook.reconcile import Incident

FORMATS = ("csv", "json", "geojson", "acled", "ucdp")

# tollbook type -> (ACLED event type, sub-event type); see docs/model.md.
ACLED_TYPES = {
    "armed attack": ("Violence against civilians", "Attack"),
    "bombing": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "shelling/airstrike": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "mass killing": ("Violence against civilians", "Attack"),
    "abduction": ("Violence against civilians", "Abduction/forced disappearance"),
    "arson": ("Violence against civilians", "Attack"),
    "armed clash": ("Battles", "Armed clash"),
    "other violence": ("Violence against civilians", "Attack"),
}
# ACLED geo_precision: 1 the place itself, 2 a nearby or part of a region, 3 a larger region.
ACLED_PRECISION = {"point": 1, "city": 1, "admin2": 2, "admin1": 3, "country": 3}
# UCDP GED where_prec: 1 exact location, 2 within 25 km, 3 second-order region, 4 first-order region,
# 6 country.
UCDP_PRECISION = {"point": 1, "city": 1, "admin2": 3, "admin1": 4, "country": 6}


def _fig(inc: Incident, kind: str, part: str) -> int | None:
    f = inc.figure(kind)
    return getattr(f, part) if f else None


def _perpetrators(inc: Incident) -> list[str]:
    seen, out = set(), []
    for e in inc.events:
        for a in e.actors:
            if a.role == "perpetrator" and a.text.lower() not in seen:
                seen.add(a.text.lower())
                out.append(a.text + (" (alleged)" if a.hedged else ""))
    return out


def _victims(inc: Incident) -> list[str]:
    kinds = sorted({a.kind for e in inc.events for a in e.actors if a.role == "victim" and a.kind != "unknown"})
    return kinds


def _sources(inc: Incident, reports: dict) -> str:
    return "; ".join(sorted({(reports[r].source or reports[r].url or r) for r in inc.reports if r in reports}))


def row(inc: Incident, reports: dict) -> dict[str, Any]:
    p = inc.place
    out: dict[str, Any] = {
        "incident_id": inc.id, "type": inc.type,
        "date_earliest": inc.earliest.isoformat() if inc.earliest else None,
        "date_latest": inc.latest.isoformat() if inc.latest else None,
        "place": p.name if p else None, "city": p.city if p else None, "admin1": p.admin1 if p else None,
        "country": p.country if p else None, "latitude": p.lat if p else None, "longitude": p.lon if p else None,
        "geo_precision": p.precision if p else None,
    }
    for kind in ("killed", "injured", "abducted"):
        for part in ("low", "best", "high"):
            out[f"{kind}_{part}"] = _fig(inc, kind, part)
    out["perpetrators_said"] = "; ".join(_perpetrators(inc))
    out["reports"] = len(inc.reports)
    out["sources"] = inc.sources
    out["source_list"] = _sources(inc, reports)
    out["flags"] = "; ".join(str(f) for f in inc.flags)
    return out


def acled_row(inc: Incident, reports: dict) -> dict[str, Any]:
    p = inc.place
    event_type, sub = ACLED_TYPES.get(inc.type, ACLED_TYPES["other violence"])
    perps = _perpetrators(inc)
    victims = _victims(inc)
    killed = inc.figure("killed")
    return {
        "event_id_cnty": inc.id, "event_date": inc.earliest.isoformat() if inc.earliest else None,
        "year": inc.earliest.year if inc.earliest else None, "event_type": event_type, "sub_event_type": sub,
        "actor1": perps[0] if perps else "Unidentified Armed Group", "actor2": victims[0].title() if victims else "",
        "country": p.country if p else None, "admin1": p.admin1 if p else None, "admin2": p.admin2 if p else None,
        "location": (p.city or p.name) if p else None, "latitude": p.lat if p else None,
        "longitude": p.lon if p else None, "geo_precision": ACLED_PRECISION.get(p.precision) if p else None,
        "source": _sources(inc, reports),
        "notes": f"tollbook {inc.type}; reports: {len(inc.reports)}; perpetrators as claimed: "
                 + ("; ".join(perps) or "not named"),
        # ACLED records one number, the most conservative reported: our low bound
        "fatalities": killed.low if killed and killed.low is not None else 0,
    }


def ucdp_row(inc: Incident, reports: dict) -> dict[str, Any]:
    p = inc.place
    killed = inc.figure("killed")
    perps = _perpetrators(inc)
    return {
        "id": inc.id, "type_of_violence_tollbook": inc.type, "side_a": perps[0] if perps else "",
        "side_b": ", ".join(_victims(inc)), "where_coordinates": (p.city or p.name) if p else None,
        "where_prec": UCDP_PRECISION.get(p.precision) if p else None, "adm_1": p.admin1 if p else None,
        "country": p.country if p else None, "latitude": p.lat if p else None, "longitude": p.lon if p else None,
        "date_start": inc.earliest.isoformat() if inc.earliest else None,
        "date_end": inc.latest.isoformat() if inc.latest else None,
        "best": killed.best if killed and killed.best is not None else 0,
        "low": killed.low if killed and killed.low is not None else 0,
        "high": killed.high if killed and killed.high is not None else (killed.low if killed else 0) or 0,
        "number_of_sources": inc.sources, "source_article": _sources(inc, reports),
    }


def geojson(incidents: Iterable[Incident], reports: dict) -> dict[str, Any]:
    features = []
    for inc in incidents:
        p = inc.place
        if not p or p.lat is None or p.lon is None:
            continue
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(p.lon, 6), round(p.lat, 6)]},
            "properties": row(inc, reports),
        })
    return {"type": "FeatureCollection", "features": features}


def export(incidents: list[Incident], reports: dict, fmt: str, out: io.TextIOBase) -> None:
    if fmt == "json":
        json.dump([{**i.to_dict(), "summary": row(i, reports)} for i in incidents], out, indent=2, default=str)
    elif fmt == "geojson":
        json.dump(geojson(incidents, reports), out, indent=2)
    else:
        make = {"csv": row, "acled": acled_row, "ucdp": ucdp_row}[fmt]
        rows = [make(i, reports) for i in incidents]
        write_csv(rows, list(rows[0]) if rows else ["incident_id"], out)
