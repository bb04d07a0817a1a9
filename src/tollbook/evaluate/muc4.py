"""MUC-4 (1991-92; raw keys as in xinyadu/gtt): Latin-American newswire of 1989-90 in capitals,
with one template per terrorist incident. The system sees the message text only.

Scope. MUC-4 templates cover terrorist acts: attacks, bombings, kidnappings, arson, robbery,
forced work stoppage. Battles between armed forces (ACLED's "Battles") are outside it, so events
of ACLED's Battles types (Armed clash, territory taken or regained) are not submitted, nor are
protests, strategic developments other than weapons defused and the out-of-scope types. Our types map
as in ``TYPE_MAP``: Attack, Chemical weapon, Air/drone strike, Shelling/artillery/missile attack and
the violent protest and riot types -> ATTACK; Remote explosive/landmine/IED, Suicide bomb, Grenade,
Disrupted weapons use (MUC-4's attempted bombing) -> BOMBING; Abduction/forced disappearance ->
KIDNAPPING; Looting/property destruction -> ARSON.
MUC-4's BOMBING is an explosive device placed, thrown or detonated; its templates file attacks with
mortars, rockets and aerial bombs as ATTACK (instrument MORTAR / ROCKET / AERIAL BOMB).

Metrics (definitions in docs/evaluation.md):

- ``incident_f1``: system events matched one-to-one to relevant gold templates; a pair matches
  when the types agree and the places agree (the system's place name, or its region, is one of
  the names in the gold location chain, or the chain names only a country and the system's place
  lies in it; either side without a place matches on type alone).
  P = matched / submitted events, R = matched / relevant templates.
- ``type_accuracy``: events matched on place alone (same rule), fraction whose type agrees.
- ``date_exact``: matched pairs whose template has a date: the event's date range equals it.
- ``place_f1``: per message, the set of system place names against the most specific names of
  the gold location chains; micro F1 over messages.
- ``perp_org_f1``, ``victim_f1``: role fillers per message (the union over its templates; each
  gold entity with its alternative strings), matched by head noun (the last word, as in the GTT
  evaluation of Du et al. 2021); micro F1. Victims are ``hum_tgt.name`` and
  ``hum_tgt.description`` entities; system victims are victim actors; system organisations are
  perpetrators of kind armed group or government that are not a generic noun ("terrorists").
- ``killed_exact``: matched pairs whose template gives a number with effect DEATH: the event's
  killed low bound equals the sum of those numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tollbook.evaluate._jsonl import records
from tollbook.extract.gazetteer import fold
from tollbook.records import Event, Report

METRICS = ("incident_f1", "type_accuracy", "date_exact", "place_f1", "perp_org_f1", "victim_f1", "killed_exact")
TYPE_MAP = {
    "Attack": "ATTACK", "Chemical weapon": "ATTACK", "Air/drone strike": "ATTACK",
    "Shelling/artillery/missile attack": "ATTACK", "Sexual violence": "ATTACK",
    "Excessive force against protesters": "ATTACK", "Violent demonstration": "ATTACK", "Mob violence": "ATTACK",
    "Remote explosive/landmine/IED": "BOMBING", "Suicide bomb": "BOMBING", "Grenade": "BOMBING",
    "Disrupted weapons use": "BOMBING",  # a bomb found or defused: MUC-4's attempted bombing
    "Abduction/forced disappearance": "KIDNAPPING", "Looting/property destruction": "ARSON",
}
GENERIC_PERPS = {
    "terrorist", "terrorists", "guerrilla", "guerrillas", "rebel", "rebels", "gunman", "gunmen", "man", "men",
    "individual", "individuals", "subversive", "subversives", "militant", "militants", "attacker", "attackers",
    "member", "members", "group", "groups", "people", "persons", "assailant", "assailants", "killers", "unit",
    "units", "commando", "commandos", "criminals", "extremists", "extremist", "elements", "squad", "squads",
}
_MONTHS = {m: i for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                                       "DEC"), 1)}


@dataclass(slots=True)
class Template:
    type: str
    date: tuple[dt.date, dt.date] | None
    places: list[str]  # every name of the location chain, most specific last
    perp_orgs: list[list[str]]  # entities, each a list of alternative strings
    victims: list[list[str]]
    killed: int | None


def read(path: str | Path) -> Iterator[tuple[Report, list[Template]]]:
    for rec in records(path, "muc4", ("text", "templates")):
        relevant = [parse_template(t) for t in rec["templates"] if t.get("message.template") != ["*"]]
        yield Report.from_text(rec["text"], title=rec.get("id")), relevant


def _strings(slot: list[str]) -> list[list[str]]:
    """Entities of a slot: '"FMLN" / "FARABUNDO ..."' -> ['FMLN', 'FARABUNDO ...']; '-', '*' -> none."""
    out = []
    for value in slot or []:
        value = value.strip()
        if value in ("-", "*", ""):
            continue
        alts = [a.strip().lstrip("?").strip().strip('"') for a in re.findall(r'"[^"]*"', value)] or [value]
        out.append([a for a in alts if a])
    return [e for e in out if e]


def _date(values: list[str]) -> tuple[dt.date, dt.date] | None:
    for v in values or []:
        days = [_day(m) for m in re.findall(r"\d{1,2} [A-Z]{3} \d{2}", v)]
        days = [d for d in days if d]
        if not days:
            continue
        if v.strip().startswith("-") and len(days) == 1:
            return None  # "- 30 DEC 89": some time up to that day; no exact day to match
        return (min(days), max(days))
    return None


def _day(s: str) -> dt.date | None:
    d, m, y = s.split()
    try:
        return dt.date(1900 + int(y), _MONTHS[m], int(d))
    except (KeyError, ValueError):
        return None


def parse_template(t: dict[str, Any]) -> Template:
    places: list[str] = []
    for loc in t.get("incident.location") or []:
        if loc.strip() in ("-", "*"):
            continue
        for part in loc.split(":"):
            name = re.sub(r"\([^)]*\)", "", part).strip().strip("?").strip()
            if name and name not in places:
                places.append(name)
    victims = _strings(t.get("hum_tgt.name")) + _strings(t.get("hum_tgt.description"))
    killed = None
    dead = set()
    for eff in t.get("hum_tgt.effect_of_incident") or []:
        if eff.startswith("DEATH"):
            dead |= {s.strip('"') for s in re.findall(r'"[^"]*"', eff)}
    if dead:
        total = 0
        for num in t.get("hum_tgt.number") or []:
            m = re.match(r"\s*(\d+)\s*:\s*(.*)", num)
            if m and {s.strip('"') for s in re.findall(r'"[^"]*"', m.group(2))} & dead:
                total += int(m.group(1))
        killed = total or None
    kind = (t.get("incident.type") or ["ATTACK"])[0]
    return Template(kind, _date(t.get("incident.date")), places, _strings(t.get("perp.organization_id")), victims,
                    killed)


def submitted(events: list[Event]) -> list[Event]:
    return [e for e in events if e.type in TYPE_MAP and (e.figures or e.actors or e.role == "main")]


def _place_names(e: Event) -> list[str]:
    names = []
    for p in e.places[:1]:
        names += [n for n in (p.name, p.admin1) if n]
    return [fold(n) for n in names]


def _places_agree(e: Event, t: Template) -> bool:
    mine = _place_names(e)
    if not mine or not t.places:
        return True
    chain = {fold(p) for p in t.places}
    if any(m in chain for m in mine):
        return True
    # a template that only names the country agrees with any place in that country
    country = fold(e.places[0].country or "") if e.places else ""
    return len(t.places) == 1 and country == fold(t.places[0])


def _types_agree(e: Event, t: Template) -> bool:
    return TYPE_MAP.get(e.type, "") in {x.strip() for x in t.type.split("/")}


def _match(events: list[Event], templates: list[Template], agree) -> list[tuple[Event, Template]]:
    pairs, used = [], set()
    for t in templates:
        for i, e in enumerate(events):
            if i not in used and agree(e, t):
                used.add(i)
                pairs.append((e, t))
                break
    return pairs


def _head(s: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(re.sub(r"\([^)]*\)|\[[^]]*\]", "", s)))
    return words[-1] if words else ""


def _fillers_f1_counts(system: list[str], gold: list[list[str]]) -> tuple[int, int, int]:
    heads_sys = {_head(s) for s in system} - {""}
    matched = 0
    gold_heads = [{_head(a) for a in alts} for alts in gold]
    used: set[str] = set()
    for heads in gold_heads:
        hit = next((h for h in heads if h in heads_sys and h not in used), None)
        if hit:
            used.add(hit)
            matched += 1
    return matched, len(heads_sys), len(gold_heads)


def score_one(events: list[Event], templates: list[Template]) -> dict[str, Any]:
    subs = submitted(events)
    pairs = _match(subs, templates, lambda e, t: _types_agree(e, t) and _places_agree(e, t))
    by_place = _match(subs, templates, _places_agree)
    out: dict[str, Any] = {
        "incidents": (len(pairs), len(subs), len(templates)),
        "types": [_types_agree(e, t) for e, t in by_place],
        "dates": [bool(e.when) and (e.when.earliest, e.when.latest) == t.date for e, t in pairs if t.date],
        "killed": [bool(e.figure("killed")) and e.figure("killed").low == t.killed for e, t in pairs if t.killed],
    }
    sys_places = {fold(e.places[0].name) for e in subs if e.places}
    gold_places = {fold(t.places[-1]) for t in templates if t.places}
    out["places"] = (len(sys_places & gold_places), len(sys_places), len(gold_places))
    orgs = [a.text for e in subs for a in e.actors
            if a.role == "perpetrator" and a.kind in ("armed group", "government")
            and _head(a.text) not in GENERIC_PERPS]
    out["orgs"] = _fillers_f1_counts(orgs, _dedupe([x for t in templates for x in t.perp_orgs]))
    victims = [a.text for e in subs for a in e.actors if a.role == "victim"]
    out["victims"] = _fillers_f1_counts(victims, _dedupe([x for t in templates for x in t.victims]))
    return out


def _dedupe(entities: list[list[str]]) -> list[list[str]]:
    seen, out = set(), []
    for alts in entities:
        key = frozenset(fold(a) for a in alts)
        if key not in seen:
            seen.add(key)
            out.append(alts)
    return out


def _f1(tp: int, n_sys: int, n_gold: int) -> float:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def aggregate(outcomes: list[dict[str, Any]]) -> dict[str, float]:
    def total(key: str) -> tuple[int, int, int]:
        return tuple(sum(o[key][i] for o in outcomes) for i in range(3))  # type: ignore[return-value]

    def frac(key: str) -> float:
        values = [v for o in outcomes for v in o[key]]
        return sum(values) / len(values) if values else 0.0

    return {
        "incident_f1": _f1(*total("incidents")),
        "type_accuracy": frac("types"),
        "date_exact": frac("dates"),
        "place_f1": _f1(*total("places")),
        "perp_org_f1": _f1(*total("orgs")),
        "victim_f1": _f1(*total("victims")),
        "killed_exact": frac("killed"),
        "n": len(outcomes),
    }
