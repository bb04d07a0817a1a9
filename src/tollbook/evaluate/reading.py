"""Check the events of one report against a careful human reading of it, field by field.

A reading (the seed's ``expected.json``, the bundled examples' ``expected.json``) lists the
incidents a recorder takes from the report: role, type, place, date, figures (min/max with
the evidence words), perpetrators (as claims: hedged or not, said by whom), flags, and the
numbers that are *not* casualties. Each field that the reading states becomes one ``Check``;
the score is the fraction of checks that hold. Evidence is compared by character ranges in
the report's text, so "52 civilians were initially killed" matches any evidence overlapping it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from tollbook.records import Event, Evidence

# Free-text types of a reading mapped onto our taxonomy, ACLED's sub-event types (docs/model.md).
TYPE_WORDS = {
    "Attack": ("attack", "armed attack", "shooting", "mass killing", "massacre", "execution", "executions"),
    "Remote explosive/landmine/IED": ("bombing", "explosion", "car bomb", "ied", "landmine", "roadside bomb"),
    "Suicide bomb": ("suicide", "bombing"),
    "Grenade": ("grenade",),
    "Shelling/artillery/missile attack": ("shelling", "artillery", "mortar", "rocket", "missile"),
    "Air/drone strike": ("airstrike", "air strike", "air raid", "drone"),
    "Chemical weapon": ("chemical", "gas attack"),
    "Abduction/forced disappearance": ("abduction", "kidnapping", "hostage"),
    "Looting/property destruction": ("arson", "looting", "property destruction"),
    "Armed clash": ("armed clash", "clash", "fighting"),
    "Sexual violence": ("rape", "sexual"),
}


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


def _fold(s: str | None) -> str:
    return re.sub(r"\s+", " ", (s or "").lower()).strip()


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Where ``quote`` stands in ``text`` (case- and space-insensitive)."""
    pattern = r"\s+".join(re.escape(w) for w in quote.split())
    return [m.span() for m in re.finditer(pattern, text, re.I)]


def _overlaps(evidence: tuple[Evidence, ...] | list[Evidence], spans: list[tuple[int, int]]) -> bool:
    return any(e.start < b and a < e.end for e in evidence for a, b in spans)


def _type_ok(gold: str, system: str) -> bool:
    g = _fold(gold)
    if g == system:
        return True
    words = TYPE_WORDS.get(system, ())
    return any(w in g for w in words)


def _match_incidents(gold: list[dict], events: list[Event]) -> list[Event | None]:
    """The main gold incident takes the system's main event; each referenced one takes the
    unused referenced event whose dates share a year with it (or the next unused one)."""
    used: set[int] = set()
    out: list[Event | None] = []
    for g in gold:
        pool = [(i, e) for i, e in enumerate(events) if e.role == g.get("role", "main") and i not in used]
        pick = None
        years = _gold_years(g)
        for i, e in pool:
            if years and any(w.earliest.year in years or w.latest.year in years for w in e.dates):
                pick = (i, e)
                break
        if pick is None and pool:
            pick = pool[0]
        if pick is not None:
            used.add(pick[0])
        out.append(pick[1] if pick else None)
    return out


def _gold_years(g: dict) -> set[int]:
    date = g.get("date") or {}
    years = {int(y) for s in date.get("stated", []) for y in re.findall(r"\b(?:19|20)\d\d\b", s)}
    for key in ("earliest", "latest"):
        if date.get(key):
            years.add(int(date[key][:4]))
    return years


def check_reading(text: str, events: list[Event], reading: dict[str, Any], *, prefix: str = "") -> list[Check]:
    checks: list[Check] = []

    def add(name: str, ok: bool, detail: str = "") -> None:
        checks.append(Check(prefix + name, bool(ok), detail))

    gold_incidents = reading.get("incidents", [])
    if not gold_incidents:
        with_figures = [e for e in events if e.figures]
        add("no casualty events", not with_figures,
            "; ".join(f"{f.kind} {f.low}" for e in with_figures for f in e.figures))
    for n, (g, e) in enumerate(zip(gold_incidents, _match_incidents(gold_incidents, events))):
        tag = f"{g.get('role', 'main')}[{n}]"
        add(f"{tag}.found", e is not None)
        if e is None:
            continue
        if "type" in g:
            add(f"{tag}.type", _type_ok(g["type"], e.type), f"system {e.type!r}, reading {g['type']!r}")
        checks.extend(_check_place(tag, g.get("place"), e, prefix))
        checks.extend(_check_date(tag, g.get("date"), e, text, prefix))
        for kind, gf in (g.get("figures") or {}).items():
            checks.extend(_check_figure(f"{tag}.{kind}", gf, e.figure(kind), text, prefix))
        if "perpetrators" in g:
            checks.extend(_check_perpetrators(tag, g["perpetrators"], e, text, prefix))
        for v in g.get("victims", []):
            add(f"{tag}.victim {v!r}", _victim_found(v, e), "")
        for flag in g.get("flags", []):
            kind = _fold(flag).split(":")[0]
            add(f"{tag}.flag {kind}", any(_fold(f.kind) == kind for f in e.flags),
                "; ".join(f.kind for f in e.flags))
    # Report-level flags of a seed reading ("date contradiction: ..."); others are notes for people.
    for flag in reading.get("flags", []):
        kind = _fold(flag).split(":")[0]
        if kind in ("date contradiction", "toll contradiction"):
            add(f"flag {kind}", any(_fold(f.kind) == kind for e in events for f in e.flags))
    for nc in reading.get("not_casualty_figures", []):
        spans = _spans(text, nc["text"])
        if not spans:
            add(f"not a casualty: {nc['text']!r}", False, "the reading's text is not in the report")
            continue
        # A figure fails this when it counts the number that is not a casualty count: "a
        # 22-year-old woman ... died" may count one death, never 22.
        values = _numbers_in(nc["text"])
        wrong = [ev for e in events for f in e.figures for ev in f.evidence
                 if _overlaps((ev,), spans) and (not values or {f.low, f.high} & values)]
        add(f"not a casualty: {nc['text']!r}", not wrong, "; ".join(ev.quote for ev in wrong))
    return checks


def _numbers_in(phrase: str) -> set[int]:
    from tollbook.extract.numbers import parse_count

    out = set()
    for w in re.findall(r"[\d,]+|[A-Za-z]+(?:-[A-Za-z]+)?", phrase):
        c = parse_count([w])
        if c is not None:
            out |= {c.low, c.high} - {None}
    return out


def _check_place(tag: str, gp: dict | None, e: Event, prefix: str) -> list[Check]:
    if not gp:
        return []
    p = e.place
    out = []
    name = _fold(p.name if p else "")
    gold_name = _fold(gp["name"])
    ok = bool(p) and (gold_name in name or bool(name) and name in gold_name)
    out.append(Check(f"{prefix}{tag}.place", ok, f"system {p.name if p else None!r}"))
    for key in ("country", "admin1"):
        if gp.get(key):
            have = getattr(p, key) if p else None
            out.append(Check(f"{prefix}{tag}.{key}", _fold(have) == _fold(gp[key]), f"system {have!r}"))
    return out


def _check_date(tag: str, gd: dict | None, e: Event, text: str, prefix: str) -> list[Check]:
    if not gd:
        return []
    out = []
    w = e.when
    shown = f"system {w.earliest}..{w.latest}" if w else "system none"
    if gd.get("earliest"):
        ok = w is not None and w.earliest == dt.date.fromisoformat(gd["earliest"]) \
            and w.latest == dt.date.fromisoformat(gd.get("latest") or gd["earliest"])
        out.append(Check(f"{prefix}{tag}.date", ok, shown))
    if gd.get("within"):
        lo, hi = (dt.date.fromisoformat(x) for x in gd["within"])
        out.append(Check(f"{prefix}{tag}.date", w is not None and lo <= w.earliest and w.latest <= hi, shown))
    for phrase in gd.get("stated", []):
        spans = _spans(text, phrase)
        ok = bool(spans) and any(_overlaps(d.evidence, spans) for d in e.dates)
        out.append(Check(f"{prefix}{tag}.date stated {phrase!r}", ok, shown))
    return out


def _check_figure(tag: str, gf: dict, f, text: str, prefix: str) -> list[Check]:
    shown = f"system {f.low}..{f.high} ({f.qualifier})" if f else "system none"
    out = [Check(f"{prefix}{tag}.found", f is not None, shown)]
    if f is None:
        return out
    acceptable = gf.get("min_acceptable") or [gf.get("min")]
    out.append(Check(f"{prefix}{tag}.min", f.low in acceptable, shown))
    if "max" in gf:
        out.append(Check(f"{prefix}{tag}.max", f.high == gf["max"], shown))
    if gf.get("qualifier"):
        out.append(Check(f"{prefix}{tag}.qualifier", f.qualifier == gf["qualifier"], shown))
    for quote in gf.get("evidence", []):
        out.append(Check(f"{prefix}{tag}.evidence {quote!r}", _overlaps(f.evidence, _spans(text, quote)),
                         "; ".join(ev.quote for ev in f.evidence)))
    return out


def _check_perpetrators(tag: str, gold: list[dict], e: Event, text: str, prefix: str) -> list[Check]:
    perps = [a for a in e.actors if a.role == "perpetrator"]
    if not gold:
        return [Check(f"{prefix}{tag}.no perpetrator", not perps, "; ".join(a.text for a in perps))]
    out = []
    for g in gold:
        spans = _spans(text, g["evidence"])
        match = next((a for a in perps if _overlaps(a.evidence, spans)), None)
        name = f"{prefix}{tag}.perpetrator {g['actor']!r}"
        out.append(Check(f"{name}.found", match is not None, "; ".join(a.text for a in perps)))
        if match is None:
            continue
        out.append(Check(f"{name}.hedged", match.hedged == g["hedged"], f"system hedged={match.hedged}"))
        if g.get("attributed_to"):
            out.append(Check(f"{name}.attributed_to", _fold(g["attributed_to"]) in _fold(match.attributed_to),
                             f"system {match.attributed_to!r}"))
    return out


def _victim_found(phrase: str, e: Event) -> bool:
    """A victim phrase is found when a victim actor's text shares its head noun ("residents of
    Camp Ashraf" -> "residents"; "members of the ... (MEK)" -> "members")."""
    head = _fold(re.split(r"\s+of\s+|\s*\(", phrase)[0]).split()[-1:]
    victims = [_fold(a.text) for a in e.actors if a.role == "victim"]
    return bool(head) and any(head[0] in v.split() or head[0].rstrip("s") in v for v in victims)


def score(checks: list[Check]) -> float:
    return sum(c.ok for c in checks) / len(checks) if checks else 0.0
