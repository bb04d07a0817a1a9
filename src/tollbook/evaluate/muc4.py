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

The split. As for case2021, the development file is divided by a stable hash of each message's id
(``half``, the same function): the first byte of SHA-256 of the id, even -> ``tune``, odd ->
``check``. Errors are studied on the tune half only; every run reports the metrics of the whole
file and of each half (``tune_*``, ``check_*``).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tollbook.evaluate._jsonl import records
from tollbook.evaluate.case2021 import HALVES, half
from tollbook.extract.gazetteer import fold
from tollbook.records import Event, Report

METRICS = ("incident_f1", "type_accuracy", "date_exact", "place_f1", "perp_org_f1", "victim_f1", "killed_exact",
           "micro_f1", "role_micro_f1")
# One table from an event type to MUC-4's incident type. It holds tollbook's own type names and
# ACLED's sub-event types (the names the extractor is moving to), matched without regard to case.
# Battles ("armed clash") are outside MUC-4 and absent; so are types with no MUC-4 incident.
TYPE_MAP = {
    # tollbook's older types (stores made before the types were ACLED's)
    "armed attack": "ATTACK", "mass killing": "ATTACK", "other violence": "ATTACK",
    "bombing": "BOMBING", "shelling/airstrike": "ATTACK", "abduction": "KIDNAPPING", "arson": "ARSON",
    # ACLED sub-event types. MUC-4's BOMBING is an explosive placed, thrown or detonated (remote
    # devices, suicide bombs, grenades), attempted ones included (a bomb found or defused); mortars,
    # rockets and aerial bombs are ATTACK with that instrument; property destroyed (mostly burned) is ARSON.
    "attack": "ATTACK", "remote explosive/landmine/ied": "BOMBING", "suicide bomb": "BOMBING",
    "grenade": "BOMBING", "disrupted weapons use": "BOMBING", "air/drone strike": "ATTACK",
    "shelling/artillery/missile attack": "ATTACK", "abduction/forced disappearance": "KIDNAPPING",
    "looting/property destruction": "ARSON", "sexual violence": "ATTACK", "chemical weapon": "ATTACK",
    "excessive force against protesters": "ATTACK", "violent demonstration": "ATTACK", "mob violence": "ATTACK",
}


def muc_type(event_type: str) -> str:
    """MUC-4's incident type of an event type ("" when MUC-4 has none: battles, protests, ...)."""
    return TYPE_MAP.get(event_type.strip().lower(), "")
GENERIC_PERPS = {
    "terrorist", "terrorists", "guerrilla", "guerrillas", "rebel", "rebels", "gunman", "gunmen", "man", "men",
    "individual", "individuals", "subversive", "subversives", "militant", "militants", "attacker", "attackers",
    "member", "members", "group", "groups", "people", "persons", "assailant", "assailants", "killers", "unit",
    "units", "commando", "commandos", "criminals", "extremists", "extremist", "elements", "squad", "squads",
}
# Heads that name a force as a body ("the army") rather than its members ("soldiers").
INSTITUTIONS = {"army", "military", "police", "force", "forces", "guard", "battalion", "brigade", "navy",
                "detachment", "command", "corps", "government", "regime", "administration", "ministry"}
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


@dataclass(slots=True)
class Message:
    """The gold of one message: its id, its relevant templates, and the same templates as GTT's
    scorer reads them (``gtt_gold``)."""

    id: str
    templates: list[Template]
    gtt: list[dict[str, Any]]


def read(path: str | Path) -> Iterator[tuple[Report, Message]]:
    for rec in records(path, "muc4", ("text", "templates")):
        raw = [t for t in rec["templates"] if t.get("message.template") != ["*"]]
        mid = str(rec.get("id") or "")
        yield (Report.from_text(rec["text"], title=rec.get("id")),
               Message(mid, [parse_template(t) for t in raw], gtt_gold(raw, rec["text"])))


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
    return [e for e in events if muc_type(e.type) and (e.figures or e.actors or e.role == "main")]


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
    return muc_type(e.type) in {x.strip() for x in t.type.split("/")}


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
        # in sorted order: a set's order changes with the hash seed of each process, the score must not
        hit = next((h for h in sorted(heads) if h in heads_sys and h not in used), None)
        if hit:
            used.add(hit)
            matched += 1
    return matched, len(heads_sys), len(gold_heads)


def score_one(events: list[Event], gold: Message | list[Template]) -> dict[str, Any]:
    message = gold if isinstance(gold, Message) else Message("", list(gold), [])
    templates = message.templates
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
    out["id"] = message.id
    out["half"] = half(message.id)
    out["gtt_id"] = gtt_docid(message.id) if message.id else ""
    out["gtt_pred"] = gtt_templates(events)
    out["gtt"] = gtt_score_doc(out["gtt_pred"], message.gtt)
    # for --by-rule: the rules behind the values judged one by one (type and killed of the matched incidents)
    out["rules"] = [("type", e.rule or "(unrecorded)", _types_agree(e, t)) for e, t in by_place] + [
        ("killed", (e.figure("killed").rule or "(unrecorded)") if e.figure("killed") else "(none)",
         bool(e.figure("killed")) and e.figure("killed").low == t.killed) for e, t in pairs if t.killed]
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
    """The metrics of the whole file, then of each half (``tune_micro_f1``, ``check_micro_f1``, ...)."""
    out = _metrics(outcomes)
    for h in HALVES:
        for k, v in _metrics([o for o in outcomes if o.get("half") == h]).items():
            out[f"{h}_{k}"] = v
    return out


def _metrics(outcomes: list[dict[str, Any]]) -> dict[str, float]:
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
        **gtt_metrics([o["gtt"] for o in outcomes if "gtt" in o]),
        "n": len(outcomes),
    }


# ---------------------------------------------------------------------------------------------
# The field's scorer: GTT's eval.py (Du, Rush, Cardie 2021), re-implemented to give the same
# numbers. docs/evaluation.md states its rules; the unit tests in tests/test_muc4_gtt.py pin them.

GTT_ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
GTT_SLOTS = {"PerpInd": "perp.individual_id", "PerpOrg": "perp.organization_id", "Target": "phys_tgt.id",
             "Victim": "hum_tgt.name", "Weapon": "incident.instrument_id"}
_GTT_KEYS = ("incident_type",) + GTT_ROLES
_PUNCT = set(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def gtt_normalize(s: str) -> str:
    """SQuAD's answer normalisation, as GTT applies it: lower case, ASCII punctuation removed,
    the articles a/an/the removed, whitespace folded."""
    s = "".join(ch for ch in s.lower() if ch not in _PUNCT)
    return " ".join(_ARTICLES.sub(" ", s).split())


def gtt_docid(message_id: str) -> str:
    """GTT's key of a message: the digit that ends the id's first part x 10000 + its number
    (TST3-MUC4-0001 -> "30001"). GTT only scores TST1-4 ids; a first part that ends in no digit
    ("DEV-MUC3-0001", whose formula would fail) counts as 0, so DEV-MUC3-0001 -> "1"."""
    parts = message_id.split("-")
    last = parts[0][-1:] if parts and parts[0] else ""
    try:
        number = int(parts[-1])
    except ValueError:
        return message_id
    return str((int(last) if last.isdigit() else 0) * 10000 + number)


def _gtt_text(text: str) -> str:
    """The message text as GTT's preprocessing keeps it: lower case, line breaks as spaces, and
    without the dateline header (everything up to "[TEXT]" when it opens the message)."""
    head = text.find("[TEXT]", 0, 600)
    if head >= 0:
        text = text[head + len("[TEXT]"):]
    return text.lower().replace("\n\n", " ").replace("\n", " ")


def _gtt_entity(value: str) -> list[str]:
    """The alternative strings of one slot value, as GTT's key reader takes them: a leading "?"
    (uncertain) dropped, alternatives split on " / ", quotes removed, lower case."""
    value = value.strip()
    if value in ("", "*", "-"):
        return []
    m = re.search(r"\? *(.*)", value)
    if m:
        value = m.group(1)
    if '"' not in value:
        value = f'"{value}"'
    out = []
    for part in re.split(r" */ *", value.strip()):
        part = part.strip()
        if part in ("", "-"):
            continue
        if part[:1] == '"' and part[-1:] == '"' and len(part) >= 2:
            part = part[1:-1]
        part = part.strip().lower()
        if part:
            out.append(part)
    return out


def gtt_gold(raw_templates: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """GTT's gold templates of one message (relevant templates only): ``incident_type`` lower case,
    and per role a list of entities, each the list of its alternative mentions that occur in the
    text (an entity none of whose strings occurs in the text is dropped, as GTT's preprocessing
    does). Identical templates count once, as in GTT's eval.py."""
    doc = _gtt_text(text)
    out: list[dict[str, Any]] = []
    for raw in raw_templates:
        kind = re.sub(r"\s*\(.*$", "", ((raw.get("incident.type") or ["ATTACK"])[0]).strip()).lower()
        if kind == "*":
            continue
        template: dict[str, Any] = {"incident_type": kind}
        for role in GTT_ROLES:
            entities = []
            for value in raw.get(GTT_SLOTS[role]) or []:
                mentions = [m for m in _gtt_entity(value) if m in doc]
                if mentions:
                    entities.append(sorted(dict.fromkeys(mentions), key=doc.index))
            template[role] = entities
        if template not in out:
            out.append(template)
    return out


def gtt_templates(events: list[Event]) -> list[dict[str, Any]]:
    """The predicted templates of a message in GTT's format: one per submitted event, each role a
    list of entities, each entity one mention (the actor's words as the report has them)."""
    out = []
    for e in submitted(events):
        template: dict[str, Any] = {"incident_type": gtt_incident_type(e)}
        for role in GTT_ROLES:
            template[role] = []
        for a in e.actors:
            role = gtt_role(a)
            # the report's own characters (the actor's text may be the parser's truecased copy)
            mention = " ".join((a.evidence[0].quote if a.evidence else a.text).split())
            if role and all(gtt_normalize(mention) != gtt_normalize(m[0]) for m in template[role]):
                template[role].append([mention])
        out.append(template)
    return out


# MUC-4's instrument types: explosives make a BOMBING, guns and launched projectiles an ATTACK.
EXPLOSIVES = {"bomb", "bombs", "dynamite", "explosive", "explosives", "device", "devices", "charge", "charges",
              "grenade", "grenades", "mine", "mines", "carbomb", "car-bomb", "tnt", "stick", "sticks", "firebomb"}
GUNS = {"mortar", "mortars", "rocket", "rockets", "missile", "missiles", "rifle", "rifles", "machinegun",
        "machineguns", "gun", "guns", "artillery"}


def gtt_incident_type(e: Event) -> str:
    """MUC-4's incident type of an event, lower case: its type through the table, corrected by its
    weapons as MUC-4 defines the types (an attack with explosives is a BOMBING; a "bombing" by
    mortar or rocket fire only is an ATTACK, and so is one whose first word of the deed and whose
    weapons name no explosive)."""
    kind = muc_type(e.type).lower()
    heads = {_head(a.text) for a in e.actors if a.role == "weapon"}
    if kind == "attack" and heads & EXPLOSIVES:
        return "bombing"
    if kind == "bombing" and heads and heads <= GUNS:
        return "attack"
    if kind == "bombing" and not heads & EXPLOSIVES and e.evidence and not _EXPLOSIVE_WORD.search(e.evidence[0].quote):
        # told first as an attack, a shooting or a killing, with no explosive among its weapons: an
        # explosive named further on (a bomb found later, a grenade among seized arms) does not make it a bombing
        return "attack"
    return kind


_EXPLOSIVE_WORD = re.compile(r"bomb|explo|dynamit|blast|grenade|device|detonat|charge|mine", re.I)


def gtt_role(actor) -> str:
    """The GTT role of an actor: named organisations are PerpOrg, other perpetrators PerpInd;
    victims are Victim only when named (MUC-4's HUM TGT: NAME; a description such as "peasants"
    is another slot, which GTT does not score); targets and weapons are Target and Weapon. A force
    named as a body ("the army", "the air force") is an organisation; its men ("soldiers") are not."""
    if actor.role == "perpetrator":
        head = _head(actor.text)
        if actor.kind in ("armed group", "government") and head not in GENERIC_PERPS:
            return "PerpOrg"
        if actor.kind == "security forces" and head in INSTITUTIONS:
            return "PerpOrg"  # "the army", "the National Police": the body, not its men
        return "PerpInd"
    if actor.role == "victim":
        return "Victim" if actor.kind == "named person" else ""
    if actor.role == "target":
        return "Target"
    if actor.role == "weapon":
        return "Weapon"
    return ""


def _gtt_norm_templates(templates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"incident_type": t.get("incident_type", "attack") if isinstance(t.get("incident_type"), str)
             else "attack",
             **{r: [[gtt_normalize(m) for m in ent] for ent in t.get(r) or []] for r in GTT_ROLES}}
            for t in templates]


def _gtt_pair(pred: dict[str, Any], gold: dict[str, Any]) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """Numerators (precision, recall; per key of _GTT_KEYS) when ``pred`` is mapped to ``gold``:
    None when the types disagree (the predicted type must be a substring of the gold one, so
    "attack" fits "bombing / attack"). A predicted entity is right if all its mentions are among
    one gold entity's mentions; a gold entity is found if some predicted entity is right for it."""
    if pred["incident_type"] not in gold["incident_type"]:
        return None
    pn, rn = [1], [1]
    for role in GTT_ROLES:
        def fits(g: list[str], p: list[str]) -> bool:
            return all(m in g for m in p)
        pn.append(sum(1 for p in pred[role] if any(fits(g, p) for g in gold[role])))
        rn.append(sum(1 for g in gold[role] if any(fits(g, p) for p in pred[role])))
    return tuple(pn), tuple(rn)


def _prf(p_num: float, p_den: float, r_num: float, r_den: float) -> tuple[float, float, float]:
    p = p_num / p_den if p_den and p_num else 0.0
    r = r_num / r_den if r_den and r_num else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# Beyond this many one-to-one mappings of a message, the search keeps only type-compatible
# pairs (a pair of disagreeing types scores as no pair; the best F1 is the same).
_GTT_MAX_MAPPINGS = 200_000


def gtt_score_doc(pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> dict[str, tuple[int, int, int, int]]:
    """(p_num, p_den, r_num, r_den) per key of _GTT_KEYS for one message, under the mapping of
    predicted to gold templates that GTT's eval.py picks: every one-to-one partial mapping is
    tried, in the order of ``itertools.product`` over gold indices then "unmapped", and the first
    with the highest micro F1 of the message wins."""
    pred, gold = _gtt_norm_templates(pred), _gtt_norm_templates(gold)
    n = len(_GTT_KEYS)
    p_den = [len(pred)] + [sum(len(t[r]) for t in pred) for r in GTT_ROLES]
    r_den = [len(gold)] + [sum(len(t[r]) for t in gold) for r in GTT_ROLES]
    pairs = [[_gtt_pair(p, g) for g in gold] for p in pred]
    order = list(range(len(gold))) + [-1]
    total = 1
    for _ in pred:
        total *= len(gold) + 1
        if total > _GTT_MAX_MAPPINGS:
            break
    exhaustive = total <= _GTT_MAX_MAPPINGS
    best: list[Any] = [None, -1.0]  # numerators, F1
    pd, rd = sum(p_den), sum(r_den)

    def walk(i: int, used: set[int], pn: list[int], rn: list[int]) -> None:
        if i == len(pred):
            f = _prf(sum(pn), pd, sum(rn), rd)[2]
            if f > best[1]:
                best[0], best[1] = (list(pn), list(rn)), f
            return
        for j in order:
            if j >= 0 and j in used:
                continue
            pair = pairs[i][j] if j >= 0 else None
            if j >= 0 and pair is None and not exhaustive:
                continue
            if pair is None:
                walk(i + 1, used | {j} if j >= 0 else used, pn, rn)
            else:
                walk(i + 1, used | {j}, [a + b for a, b in zip(pn, pair[0])], [a + b for a, b in zip(rn, pair[1])])

    walk(0, set(), [0] * n, [0] * n)
    pn, rn = best[0]
    return {k: (pn[x], p_den[x], rn[x], r_den[x]) for x, k in enumerate(_GTT_KEYS)}


def gtt_metrics(docs: list[dict[str, tuple[int, int, int, int]]]) -> dict[str, float]:
    """Micro P/R/F1 over messages: ``micro_f1`` over incident type and the five roles (GTT's
    "micro_avg"), ``role_micro_f1`` over the five roles alone, and ``gtt_<role>_p/_r/_f1``."""
    sums = {k: [sum(d[k][i] for d in docs) for i in range(4)] for k in _GTT_KEYS}
    out: dict[str, float] = {}
    for keys, name in ((_GTT_KEYS, "micro"), (GTT_ROLES, "role_micro")):
        tot = [sum(sums[k][i] for k in keys) for i in range(4)]
        p, r, f = _prf(*tot)
        out[f"{name}_f1"], out[f"{name}_p"], out[f"{name}_r"] = f, p, r
    for k in _GTT_KEYS:
        p, r, f = _prf(*sums[k])
        name = "type" if k == "incident_type" else k.lower()
        out[f"gtt_{name}_p"], out[f"gtt_{name}_r"], out[f"gtt_{name}_f1"] = p, r, f
    return out


def write_gtt(outcomes: list[dict[str, Any]], path: str | Path) -> Path:
    """Predictions in GTT's preds format, ``{docid: {"pred_templates": [...]}}``, so that GTT's
    eval.py runs on them unchanged."""
    import json

    out = {o["gtt_id"]: {"pred_templates": o["gtt_pred"]} for o in outcomes if o.get("gtt_id")}
    target = Path(path)
    target.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return target
