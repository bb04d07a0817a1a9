"""Exports of incidents in the formats the field uses: CSV and JSON (tollbook's own columns),
GeoJSON (RFC 7946: one feature per incident, geometry null where it is not placed), and ACLED and
UCDP GED CSV with every column of their codebooks, in their order, coded as the codebooks say
(export/codes.py; the column specs are export/specs/acled.json and ucdp.json, checked by the tests).
Unknown is an empty cell, never 0. Every text cell goes through ``safe_cell`` (no spreadsheet formulas).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import time
import zlib
from collections.abc import Iterable
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from tollbook.export import codes
from tollbook.export.tables import write_csv
from tollbook.reconcile import Incident
from tollbook.records import Actor, Report, acled_event_type, disorder_type, read_event_type

FORMATS = ("csv", "json", "geojson", "acled", "ucdp")

# Sub-event types in which the one acted upon are civilians unless the report names someone else.
CIVILIAN_TARGET_TYPES = {"Attack", "Sexual violence", "Abduction/forced disappearance", "Mob violence"}
# Outlets that report from abroad (ACLED source_scale "International"); the others are national where their
# domain is the country's own (.iq for Iraq), "Other" otherwise.
INTERNATIONAL_OUTLETS = ("reuters.", "apnews.", "afp.", "bbc.", "aljazeera.", "france24.", "dw.com", "cnn.",
                         "nytimes.", "washingtonpost.", "theguardian.", "xinhuanet.", "aa.com.tr", "rferl.")


def acled_types(incident_type: str) -> tuple[str, str, str]:
    """(disorder type, event type, sub-event type) of an incident's type: tollbook's types are ACLED's
    sub-event types (records.ACLED_TYPES), so the export writes the one the extractor found."""
    sub = read_event_type(incident_type)
    return disorder_type(sub), acled_event_type(sub), sub


@functools.cache
def spec(fmt: str) -> list[dict[str, Any]]:
    """The column spec of an export format (acled, ucdp): name, pandas dtype, required, description."""
    text = resources.files("tollbook.export").joinpath(f"specs/{fmt}.json").read_text(encoding="utf-8")
    return json.loads(text)["columns"]


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


def _outlet(report: Report) -> str | None:
    """The outlet of a report: its source, else the host of its URL."""
    host = report.source
    if not host and report.url:
        try:
            host = urlsplit(report.url).hostname
        except ValueError:  # a malformed URL ("http://[::1") names no outlet
            host = None
    return host.removeprefix("www.") if host else None


def _reports_of(inc: Incident, reports: dict) -> list[Report]:
    out = [reports[r] for r in inc.reports if r in reports]
    return sorted(out, key=lambda r: (r.published or dt.date.min, r.id))


def _sources(inc: Incident, reports: dict) -> str:
    return "; ".join(sorted({_outlet(reports[r]) or r for r in inc.reports if r in reports}))


def row(inc: Incident, reports: dict) -> dict[str, Any]:
    p = inc.place
    out: dict[str, Any] = {
        "incident_id": inc.id, "type": inc.type,
        "date_earliest": inc.earliest.isoformat() if inc.earliest else None,
        "date_latest": inc.latest.isoformat() if inc.latest else None,
        "date_precision": codes.date_precision(inc.earliest, inc.latest),
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
    out["report_urls"] = " ".join(r.url for r in _reports_of(inc, reports) if r.url)
    out["flags"] = "; ".join(str(f) for f in inc.flags)
    return out


def _claims(inc: Incident, role: str) -> list[Actor]:
    """The incident's actors of one role, each text once, the report's own voice first."""
    seen, out = set(), []
    for e in inc.events:
        for a in e.actors:
            if a.role == role and a.text.lower() not in seen:
                seen.add(a.text.lower())
                out.append(a)
    return sorted(out, key=lambda a: a.attributed_to != "report")


def _coded_sides(inc: Incident, country) -> tuple[list[codes.CodedActor], list[codes.CodedActor]]:
    """Who is said to have acted and who was acted upon, in ACLED's naming, each name once."""
    def unique(items: list[codes.CodedActor]) -> list[codes.CodedActor]:
        names: dict[str, codes.CodedActor] = {}
        for c in items:
            names.setdefault(c.name, c)
        return list(names.values())

    perps = unique([codes.code_actor(a, country) for a in _claims(inc, "perpetrator")])
    victims = unique([codes.code_actor(a, country) for a in _claims(inc, "victim")
                      if a.kind in ("civilians", "security forces", "government", "armed group")])
    _, _, sub = acled_types(inc.type)
    if not victims and sub in CIVILIAN_TARGET_TYPES:
        victims = [codes.civilians_of(country)]
    return perps, victims


def _stable_number(incident_id: str) -> int:
    return zlib.crc32(incident_id.encode("utf-8"))


def _source_scale(inc: Incident, reports: dict, country) -> str:
    scales = set()
    for r in _reports_of(inc, reports):
        outlet = (_outlet(r) or "").lower()
        if any(w in outlet for w in INTERNATIONAL_OUTLETS):
            scales.add("International")
        elif country and outlet.endswith("." + country.iso2.lower()):
            scales.add("National")
        elif outlet:
            scales.add("Other")
    if scales == {"National", "International"}:
        return "National-International"
    for s in ("International", "National", "Other"):
        if s in scales:
            return s
    return ""


def _date_words(inc: Incident) -> str:
    if not inc.earliest:
        return "on a date the reports do not give"
    if inc.earliest == inc.latest:
        return f"on {inc.earliest.isoformat()}"
    return f"between {inc.earliest.isoformat()} and {inc.latest.isoformat()}"


def _claim_words(actor: Actor) -> str:
    who = actor.text
    if actor.hedged:
        who += " (alleged"
        who += f", said by {actor.attributed_to})" if actor.attributed_to != "report" else ")"
    elif actor.attributed_to != "report":
        who += f" (said by {actor.attributed_to})"
    return who


def notes(inc: Incident) -> str:
    """One sentence for people: what happened, when, where, the toll, and who is said to have done it."""
    p = inc.place
    where = f"in {p.name}" + (f" ({', '.join(x for x in (p.admin1, p.country) if x and x != p.name)})"
                              if p and (p.admin1 or p.country) else "") if p else "at a place the reports do not fix"
    tolls = []
    for kind in ("killed", "injured", "abducted"):
        f = inc.figure(kind)
        if f is not None and f.low is not None:
            tolls.append(f"{f.low}{'+' if f.high is None else ('-' + str(f.high) if f.high != f.low else '')} {kind}")
    perps = _claims(inc, "perpetrator")
    said = "; perpetrator as claimed: " + "; ".join(_claim_words(a) for a in perps) if perps else \
        "; no perpetrator named"
    _, _, sub = acled_types(inc.type)
    return (f"{sub} {_date_words(inc)} {where}" + (f": {', '.join(tolls)}" if tolls else "") + said
            + f" ({len(inc.reports)} report{'s' if len(inc.reports) != 1 else ''}).")


def acled_row(inc: Incident, reports: dict, *, now: float | None = None) -> dict[str, Any]:
    p = inc.place
    country = codes.country_of(p)
    disorder, event_type, sub = acled_types(inc.type)
    perps, victims = _coded_sides(inc, country)
    a1, a2 = (perps[0] if perps else None), (victims[0] if victims else None)
    if a1 is None and event_type in ("Violence against civilians", "Explosions/Remote violence", "Battles"):
        a1 = codes.CodedActor(f"Unidentified Armed Group ({country.name})" if country else "Unidentified Armed Group",
                              codes.INTER_POLITICAL_MILITIA, None)
    precision = codes.date_precision(inc.earliest, inc.latest)
    killed = inc.figure("killed")
    tags = []
    if precision in ("month", "year"):
        tags.append(f"date known to the {precision} only")
    if killed is not None and killed.low is not None and killed.high is None:
        tags.append(f"toll open-ended: at least {killed.low}")
    inter1, inter2 = (a1.inter if a1 else None), (a2.inter if a2 else None)
    return {
        "event_id_cnty": f"{country.iso3 if country else 'UNK'}{_stable_number(inc.id)}",
        "event_date": inc.earliest.isoformat() if inc.earliest else None,
        "year": inc.earliest.year if inc.earliest else None,
        "time_precision": codes.acled_time_precision(precision),
        "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub,
        "actor1": a1.name if a1 else None, "assoc_actor_1": "; ".join(c.name for c in perps[1:]),
        "inter1": inter1,
        "actor2": a2.name if a2 else None, "assoc_actor_2": "; ".join(c.name for c in victims[1:]),
        "inter2": inter2, "interaction": codes.interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if inter2 == codes.INTER_CIVILIANS else "",
        "iso": country.iso_numeric if country else None, "region": country.acled_region if country else None,
        "country": (country.name if country else p.country) if p else None,
        "admin1": p.admin1 if p else None, "admin2": p.admin2 if p else None, "admin3": None,
        "location": (p.city or p.name) if p else None, "latitude": p.lat if p else None,
        "longitude": p.lon if p else None, "geo_precision": codes.ACLED_PRECISION.get(p.precision) if p else None,
        "source": _sources(inc, reports), "source_scale": _source_scale(inc, reports, country),
        "notes": notes(inc),
        # ACLED records one number, the most conservative the sources support: our low bound
        "fatalities": killed.low if killed is not None else None,
        "tags": "; ".join(tags),
        "timestamp": int(now if now is not None else time.time()),
    }


def _deaths_by_side(inc: Incident) -> dict[str, int | None]:
    """The dead by who they were, where the reports say: per kind of people, the largest count any report
    gives (``Figure.who``); the rest of the best estimate is of unknown side."""
    parts: dict[str, int] = {}
    for e in inc.events:
        for f in e.figures:
            if f.kind == "killed" and f.who and f.low is not None:
                parts[f.who] = max(parts.get(f.who, 0), f.low)
    killed = inc.figure("killed")
    best = killed.best if killed is not None else None
    if best is None:
        return {"a": None, "b": None, "civilians": None, "unknown": None}
    a, b, civ = parts.get("security forces"), parts.get("armed group"), parts.get("civilians")
    told = sum(x for x in (a, b, civ) if x)
    return {"a": a, "b": b, "civilians": civ, "unknown": max(best - told, 0) if best >= told else None}


def ucdp_row(inc: Incident, reports: dict) -> dict[str, Any]:
    p = inc.place
    country = codes.country_of(p)
    perps, victims = _coded_sides(inc, country)
    side_a, side_b = (perps[0] if perps else None), (victims[0] if victims else None)
    # UCDP's side A is the government where one takes part
    state = codes.INTER_STATE
    if side_b is not None and side_b.inter == state and (side_a is None or side_a.inter != state):
        side_a, side_b = side_b, side_a
    violence, why = codes.ucdp_type_of_violence(side_a, side_b)
    killed = inc.figure("killed")
    deaths = _deaths_by_side(inc)
    rs = _reports_of(inc, reports)
    sayers = sorted({a.attributed_to for a in _claims(inc, "perpetrator") if a.attributed_to != "report"})
    clear = bool(p and p.precision in ("point", "city") and inc.earliest and inc.earliest == inc.latest)
    gw = country.gwno if country else None
    return {
        "id": _stable_number(inc.id), "relid": inc.id, "year": inc.earliest.year if inc.earliest else None,
        "active_year": None, "code_status": None, "type_of_violence": violence,
        "conflict_dset_id": None, "conflict_new_id": None, "conflict_name": None,
        "dyad_dset_id": None, "dyad_new_id": None,
        "dyad_name": f"{side_a.name} - {side_b.name}" if side_a and side_b else None,
        "side_a_dset_id": None, "side_a_new_id": None, "side_a": side_a.name if side_a else None,
        "side_b_dset_id": None, "side_b_new_id": None, "side_b": side_b.name if side_b else None,
        "number_of_sources": inc.sources,
        "source_article": "; ".join(
            f"{_outlet(r) or r.id}, {r.published.isoformat() if r.published else 'undated'}, {r.title or 'untitled'}"
            for r in rs),
        "source_office": _sources(inc, reports),
        "source_date": "; ".join(r.published.isoformat() for r in rs if r.published),
        "source_headline": "; ".join(r.title for r in rs if r.title),
        "source_original": "; ".join(sayers),
        "where_prec": codes.UCDP_PRECISION.get(p.precision) if p else None,
        "where_coordinates": (p.city or p.name) if p else None,
        "where_description": p.evidence[0].quote if p else None,
        "adm_1": p.admin1 if p else None, "adm_2": p.admin2 if p else None,
        "latitude": p.lat if p else None, "longitude": p.lon if p else None,
        "geom_wkt": f"POINT ({p.lon} {p.lat})" if p and p.lat is not None and p.lon is not None else None,
        "priogrid_gid": codes.priogrid_gid(p.lat, p.lon) if p else None,
        "country": (country.name if country else p.country) if p else None,
        "country_id": gw, "region": country.ucdp_region if country else None,
        "event_clarity": 1 if clear else 2,
        "date_prec": codes.ucdp_date_prec(inc.earliest, inc.latest),
        "date_start": inc.earliest.isoformat() if inc.earliest else None,
        "date_end": inc.latest.isoformat() if inc.latest else None,
        "deaths_a": deaths["a"], "deaths_b": deaths["b"], "deaths_civilians": deaths["civilians"],
        "deaths_unknown": deaths["unknown"],
        "best": killed.best if killed is not None else None,
        "high": killed.high if killed is not None else None,
        "low": killed.low if killed is not None else None,
        "gwnoa": gw if side_a and side_a.inter == codes.INTER_STATE else None,
        "gwnob": gw if side_b and side_b.inter == codes.INTER_STATE else None,
        "tollbook_note": why,
    }


def geojson(incidents: Iterable[Incident], reports: dict) -> dict[str, Any]:
    """Every incident as a feature; one tollbook could not place has geometry null (RFC 7946, 3.2)."""
    features = []
    for inc in incidents:
        p = inc.place
        placed = p is not None and p.lat is not None and p.lon is not None
        features.append({
            "type": "Feature",
            "id": inc.id,
            "geometry": {"type": "Point", "coordinates": [round(p.lon, 6), round(p.lat, 6)]} if placed else None,
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
        columns = [c["name"] for c in spec(fmt)] if fmt in ("acled", "ucdp") else (
            list(rows[0]) if rows else ["incident_id"])
        write_csv(rows, columns, out)
