"""Gun Violence Archive incidents with the news articles that reported them (as assembled for
SemEval-2018 Task 5). The system sees only the articles (text, title, URL, publication date); it
extracts their events, groups them into incidents and reconciles the figures.

Metrics (docs/evaluation.md):

- ``grouping_precision``, ``grouping_recall``, ``grouping_f1``: B-cubed over articles. An article
  belongs to the incident of its lead (first main) event; an article without events is alone.
- For each gold incident, the system incident that holds most of its articles:
  ``killed_exact`` / ``injured_exact`` (its best figure, 0 when none, equals the registry's),
  ``killed_within`` (the registry figure lies in low..high; an open high is unbounded),
  ``date_exact`` (the incident's earliest date is the registry date), ``state_exact``,
  ``city_exact`` (the incident's place or the city it lies in is the registry's city or county),
  ``geo_km_median`` (median km between the incident's coordinates and the registry's, where both
  exist; a number, not a fraction).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tollbook.evaluate._jsonl import records
from tollbook.extract.gazetteer import distance_km, fold
from tollbook.ingest.readers import normalise_text, with_headline
from tollbook.reconcile import build_incidents, incident_events
from tollbook.records import Report

METRICS = ("grouping_f1", "grouping_precision", "grouping_recall", "killed_exact", "injured_exact",
           "killed_within", "date_exact", "state_exact", "city_exact", "geo_km_median")


def read(path: str | Path) -> tuple[list[dict[str, Any]], dict[str, Report]]:
    gold, reports = [], {}
    for rec in records(path, "gva", ("incident_id", "articles")):
        docs = []
        for a in rec["articles"]:
            published = dt.date.fromisoformat(a["published"][:10]) if a.get("published") else None
            url = a.get("url") or ""
            # archived copies: the outlet is the host of the original URL
            host = urlsplit(url.split("/http", 1)[-1] if "web.archive.org" in url else url).hostname
            text = with_headline(a.get("title"), normalise_text(a["text"]))  # as `tollbook ingest` reads it
            reports[a["doc_id"]] = Report.from_text(text, title=a.get("title"), url=url or None,
                                                    published=published, source=host)
            docs.append(a["doc_id"])
        gold.append({**{k: v for k, v in rec.items() if k != "articles"}, "docs": docs})
    return gold, reports


def score(gold: list[dict[str, Any]], reports: dict[str, Report], events_by_doc: dict[str, list]) -> dict:
    by_id = {r.id: r for r in reports.values()}
    events, lead_of = [], {}
    seen_reports: set[str] = set()
    for doc, evs in events_by_doc.items():
        rid = reports[doc].id
        if rid not in seen_reports:  # the same text reached through two gold incidents is one report
            seen_reports.add(rid)
            for e in evs:
                e.id = len(events)
                events.append(e)
        # only events incidents are built from can lead a document into one (reconcile.incident_events:
        # a report typed a protest or an arrest stands alone)
        kept = incident_events(evs)
        mains = [e for e in kept if e.role == "main"] or kept
        lead_of[doc] = mains[0].id if mains else None
    incidents = build_incidents(events, by_id)
    incident_of_event = {e.id: inc for inc in incidents for e in inc.events}
    cluster_of: dict[str, Any] = {}
    for doc, lead in lead_of.items():
        # (an article whose lead event is only background, in no incident: reconcile/background.py, is alone)
        inc = incident_of_event.get(lead) if lead is not None else None
        cluster_of[doc] = inc.id if inc is not None else f"alone:{doc}"
    gold_of = {doc: g["incident_id"] for g in gold for doc in g["docs"]}
    members_sys: dict[Any, set[str]] = {}
    members_gold: dict[Any, set[str]] = {}
    for doc in gold_of:
        members_sys.setdefault(cluster_of[doc], set()).add(doc)
        members_gold.setdefault(gold_of[doc], set()).add(doc)
    prec = [len(members_sys[cluster_of[d]] & members_gold[gold_of[d]]) / len(members_sys[cluster_of[d]])
            for d in gold_of]
    rec = [len(members_sys[cluster_of[d]] & members_gold[gold_of[d]]) / len(members_gold[gold_of[d]])
           for d in gold_of]
    p, r = sum(prec) / len(prec), sum(rec) / len(rec)
    by_incident_id = {inc.id: inc for inc in incidents}
    rows = []
    for g in gold:
        # an article in no incident (no event, or only background: reconcile/background.py) holds no
        # figures: it is no candidate for the gold incident's system incident when one of its articles is in one
        votes = Counter(cluster_of[d] for d in g["docs"] if cluster_of[d] in by_incident_id) or Counter(
            cluster_of[d] for d in g["docs"])
        cid = votes.most_common(1)[0][0]
        inc = by_incident_id.get(cid)
        rows.append(_compare(g, inc))
    km = [x["km"] for x in rows if x["km"] is not None]

    def frac(key: str) -> float:
        vals = [x[key] for x in rows if x[key] is not None]
        return sum(vals) / len(vals) if vals else 0.0

    return {
        "grouping_f1": 2 * p * r / (p + r) if p + r else 0.0, "grouping_precision": p, "grouping_recall": r,
        "killed_exact": frac("killed"), "injured_exact": frac("injured"), "killed_within": frac("within"),
        "date_exact": frac("date"), "state_exact": frac("state"), "city_exact": frac("city"),
        "geo_km_median": statistics.median(km) if km else 0.0, "n": len(gold),
    }


def _compare(g: dict[str, Any], inc) -> dict[str, Any]:
    def best(kind: str) -> int:
        f = inc.figure(kind) if inc else None
        return f.best if f and f.best is not None else 0

    killed = inc.figure("killed") if inc else None
    low = killed.low if killed and killed.low is not None else 0
    high = killed.high if killed else 0
    within = low <= g["num_killed"] and (high is None or g["num_killed"] <= high)
    place = inc.place if inc else None
    names = {fold(x) for x in ((place.name, place.city, place.admin2) if place else ()) if x}
    gold_city = fold(g.get("city_or_county") or "")
    km = None
    if place and place.lat is not None and g.get("lat") is not None and place.precision in ("city", "point"):
        km = distance_km(place.lat, place.lon, g["lat"], g["lon"])
    return {
        "killed": best("killed") == g["num_killed"], "injured": best("injured") == g["num_injured"],
        "within": within,
        "date": (inc.earliest.isoformat() == g["date"]) if inc and inc.earliest and g.get("date") else False,
        "state": (bool(place) and fold(place.admin1 or "") == fold(g["state"])) if g.get("state") else None,
        "city": (gold_city in names or gold_city.replace(" county", "") in names) if gold_city else None,
        "km": km,
    }
