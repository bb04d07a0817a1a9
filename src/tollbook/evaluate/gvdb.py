"""Gun Violence Database (Pavlick et al. 2016; splits of Ebner et al. 2020): one article per record,
crowd-annotated. The system sees the article's text, title and URL; never the annotation.

Metrics (fractions in 0..1; definitions in docs/evaluation.md):

- ``killed_exact`` / ``injured_exact``: the main event's killed / injured figure (its low bound; 0
  when the article gives none) equals the number of gold victims marked killed / injured (a victim
  marked killed is not also counted injured). Over all records.
- ``date_exact``: the main event's first date is one day and equals the gold date. Over records
  with a gold date.
- ``city_exact``: the main event's place, the city it lies in, or its county has the gold city's
  name (case, accents, a leading "the" and stray blanks ignored). Over records with a gold city.
- ``state_exact``: the main place's first-level region equals the gold state ("CA - California"
  -> California). Over records with a gold state.
- ``victim_name_f1``: micro F1 of victim-name spans; a system span (a victim actor that names a
  person) matches a gold name span when they overlap; each gold span is matched at most once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tollbook.evaluate._jsonl import records
from tollbook.extract.gazetteer import fold
from tollbook.ingest.readers import date_in_url
from tollbook.records import Event, Report

METRICS = ("killed_exact", "injured_exact", "date_exact", "city_exact", "state_exact", "victim_name_f1")


@dataclass(slots=True)
class Gold:
    killed: int
    injured: int
    date: str | None
    city: str | None
    state: str | None
    names: list[tuple[int, int]]


def read(path: str | Path) -> Iterator[tuple[Report, Gold, dict[str, Any]]]:
    for rec in records(path, "gvdb", ("text", "annotation")):
        report = Report.from_text(rec["text"], title=rec.get("title"), url=rec.get("url"),
                                  published=date_in_url(rec.get("url")))
        yield report, gold_of(rec["annotation"]), rec


def gold_of(ann: dict[str, Any]) -> Gold:
    killed = injured = 0
    names = []
    for v in ann.get("victim-section", []):
        was = set(v.get("victim-was") or [])
        if "killed" in was:
            killed += 1
        elif "injured" in was or "hospitalized" in was:
            injured += 1
        name = v.get("name") or {}
        if name.get("value") and name.get("startIndex", -1) >= 0:
            names.append((name["startIndex"], name["endIndex"]))
    dt_ = ann.get("date-and-time", {})
    # Spans carry stray blanks, and a few start far too early ("publication date: 1/27/2016<headline>\nDETROIT"):
    # the city is the span's last line.
    city = ((dt_.get("city") or {}).get("value") or "").strip(" \t\r\n,.;:").splitlines()
    city = city[-1].strip(" \t,.;:") or None if city else None
    state = _state_name(dt_.get("state") or "")
    return Gold(killed, injured, dt_.get("date") or None, city, state, names)


def _state_name(value: str) -> str | None:
    """Gold states are 'CA - California', sometimes 'Calif', 'Wis.', 'NC'; 'Unclear' is none."""
    from tollbook.extract.gazetteer import US_STATE_ABBREVIATIONS, us_state_codes

    value = value.split(" - ", 1)[-1].strip()
    if not value or value.lower() in ("unclear", "unknown", "n/a", "none"):
        return None
    by_code = {code: name for name, code in us_state_codes().items()}
    names = {name.lower(): name for name in by_code.values()}
    key = value.lower().rstrip(".")
    if key in names:
        return names[key]
    code = US_STATE_ABBREVIATIONS.get(key) or (value.upper().replace(".", "") if len(key.replace(".", "")) == 2
                                                  else None)
    return by_code.get(code or "", value)


def main_event(events: list[Event]) -> Event | None:
    return next((e for e in events if e.role == "main"), None)


def _count(event: Event | None, kind: str) -> int:
    f = event.figure(kind) if event else None
    if f is None:
        return 0
    return f.low if f.low is not None else (f.high or 0)


def _same_place(a: str | None, b: str | None) -> bool:
    def norm(s: str) -> str:
        s = fold(s)
        return s[4:] if s.startswith("the ") else s

    return bool(a) and bool(b) and norm(a) == norm(b)


def score_one(events: list[Event], gold: Gold) -> dict[str, Any]:
    """Per-record outcomes; ``aggregate`` turns a list of them into the metrics."""
    e = main_event(events)
    out: dict[str, Any] = {
        "killed": (_count(e, "killed"), gold.killed),
        "injured": (_count(e, "injured"), gold.injured),
    }
    when = e.when if e else None
    system_date = when.earliest.isoformat() if when and when.earliest == when.latest else None
    out["date"] = (system_date, gold.date) if gold.date else None
    place = e.place if e else None
    candidates = [place.name, place.city, place.admin2] if place else []
    out["city"] = ((place.name if place else None), gold.city) if gold.city else None
    out["city_ok"] = any(_same_place(c, gold.city) for c in candidates) if gold.city else None
    out["state"] = ((place.admin1 if place else None), gold.state) if gold.state else None
    system_names = [a.evidence[0] for ev in events if ev.role == "main" for a in ev.actors
                    if a.role == "victim" and a.kind == "named person"]
    matched_gold: set[int] = set()
    tp = 0
    for s in system_names:
        for i, (gs, ge) in enumerate(gold.names):
            if i not in matched_gold and s.start < ge and gs < s.end:
                matched_gold.add(i)
                tp += 1
                break
    out["names"] = (tp, len(system_names), len(gold.names))
    out["rules"] = _judged_rules(e, out)
    return out


def _judged_rules(e: Event | None, out: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(field, rule that made the system's value, right?) for ``--by-rule``; "(none)" where no value was made."""
    def rule_of(record) -> str:
        return (record.rule or "(unrecorded)") if record is not None else "(none)"

    judged = [
        ("killed", rule_of(e.figure("killed") if e else None), out["killed"][0] == out["killed"][1]),
        ("injured", rule_of(e.figure("injured") if e else None), out["injured"][0] == out["injured"][1]),
    ]
    if out["date"]:
        judged.append(("date", rule_of(e.when if e else None), out["date"][0] == out["date"][1]))
    if out["city"]:
        judged.append(("city", rule_of(e.place if e else None), bool(out["city_ok"])))
    if out["state"]:
        judged.append(("state", rule_of(e.place if e else None), _same_place(*out["state"])))
    return judged


def aggregate(outcomes: list[dict[str, Any]]) -> dict[str, float]:
    def frac(pairs: list[bool]) -> float:
        return sum(pairs) / len(pairs) if pairs else 0.0

    tp = sum(o["names"][0] for o in outcomes)
    n_sys = sum(o["names"][1] for o in outcomes)
    n_gold = sum(o["names"][2] for o in outcomes)
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {
        "killed_exact": frac([o["killed"][0] == o["killed"][1] for o in outcomes]),
        "injured_exact": frac([o["injured"][0] == o["injured"][1] for o in outcomes]),
        "date_exact": frac([o["date"][0] == o["date"][1] for o in outcomes if o["date"]]),
        "city_exact": frac([o["city_ok"] for o in outcomes if o["city"]]),
        "state_exact": frac([_same_place(*o["state"]) for o in outcomes if o["state"]]),
        "victim_name_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "n": len(outcomes),
    }
