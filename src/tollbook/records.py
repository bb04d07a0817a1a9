"""Typed records: one name per kind of thing, in code, schema, API and docs.

Every extracted value carries its evidence: the report and the exact characters it came
from. Records are plain dataclasses; they are turned into JSON/CSV only at the edges
(CLI, HTTP API, exporters) through ``to_dict``/``from_dict``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

# Controlled vocabularies. Each is documented in docs/model.md; tests check that.
FIGURE_KINDS = ("killed", "injured", "abducted", "missing", "arrested", "displaced", "targeted")
# Who the people of a figure were, where the report says ("12 soldiers and 3 civilians were killed");
# "" is everyone the figure counts (UCDP GED's deaths_a/deaths_b/deaths_civilians/deaths_unknown).
FIGURE_WHO = ("", "civilians", "security forces", "armed group", "unknown")
# What a figure counts the people by: "" as the report says it of them ("two were wounded"); "shot": people
# the report says were hit whose fate it does not tell, counted as injured (reconciliation takes out of them
# those another report says died). A field to compute with, where ``note`` is words for people.
FIGURE_BASES = ("", "shot")
QUALIFIERS = ("exact", "at least", "at most", "about", "vague")
PLACE_PRECISIONS = ("point", "city", "admin2", "admin1", "country", "unknown")
DATE_PRECISIONS = ("day", "week", "month", "year")
# "target": a physical target (a building, vehicle, pipeline); "weapon": the weapon or instrument used.
ACTOR_ROLES = ("perpetrator", "victim", "source", "target", "weapon")
ACTOR_KINDS = ("civilians", "security forces", "armed group", "government", "named person", "unknown")
EVENT_ROLES = ("main", "referenced")
# Event types are ACLED's sub-event types, one to one and spelled as ACLED's codebook spells them,
# plus five types for reports outside ACLED's scope (named as CASE 2021 labels them). Each sub-event
# type gives ACLED's event type and disorder type (ACLED_TYPES); docs/model.md defines them all and the
# rules that choose them (extract/types.py).
OUT_OF_SCOPE = "Out of scope"
ACLED_TYPES: dict[str, tuple[str, str]] = {
    # sub-event type: (ACLED event type, disorder type)
    "Armed clash": ("Battles", "Political violence"),
    "Government regains territory": ("Battles", "Political violence"),
    "Non-state actor overtakes territory": ("Battles", "Political violence"),
    "Chemical weapon": ("Explosions/Remote violence", "Political violence"),
    "Air/drone strike": ("Explosions/Remote violence", "Political violence"),
    "Suicide bomb": ("Explosions/Remote violence", "Political violence"),
    "Shelling/artillery/missile attack": ("Explosions/Remote violence", "Political violence"),
    "Remote explosive/landmine/IED": ("Explosions/Remote violence", "Political violence"),
    "Grenade": ("Explosions/Remote violence", "Political violence"),
    "Sexual violence": ("Violence against civilians", "Political violence"),
    "Attack": ("Violence against civilians", "Political violence"),
    "Abduction/forced disappearance": ("Violence against civilians", "Political violence"),
    "Peaceful protest": ("Protests", "Demonstrations"),
    "Protest with intervention": ("Protests", "Demonstrations"),
    "Excessive force against protesters": ("Protests", "Political violence; Demonstrations"),
    "Violent demonstration": ("Riots", "Demonstrations"),
    "Mob violence": ("Riots", "Political violence"),
    "Agreement": ("Strategic developments", "Strategic developments"),
    "Arrests": ("Strategic developments", "Strategic developments"),
    "Change to group/activity": ("Strategic developments", "Strategic developments"),
    "Disrupted weapons use": ("Strategic developments", "Strategic developments"),
    "Headquarters or base established": ("Strategic developments", "Strategic developments"),
    "Looting/property destruction": ("Strategic developments", "Strategic developments"),
    "Non-violent transfer of territory": ("Strategic developments", "Strategic developments"),
    "Other": ("Strategic developments", "Strategic developments"),
    # outside ACLED's scope: what the report tells instead of political violence
    "Organized crime": (OUT_OF_SCOPE, OUT_OF_SCOPE),
    "Natural disaster": (OUT_OF_SCOPE, OUT_OF_SCOPE),
    "Man-made disaster": (OUT_OF_SCOPE, OUT_OF_SCOPE),
    "Diplomacy": (OUT_OF_SCOPE, OUT_OF_SCOPE),
    "Attribution": (OUT_OF_SCOPE, OUT_OF_SCOPE),
}
EVENT_TYPES = tuple(ACLED_TYPES)
ACLED_EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                     "Strategic developments")
# Types that tell no violent incident: a report of one of them is recorded as what it is, but is not
# grouped into the incidents of the violent record (reconcile.incident_events). "Looting/property
# destruction" stays an incident: property burnt or wrecked is harm done (tollbook's old "arson").
NO_INCIDENT_TYPES = frozenset(
    t for t, (etype, _) in ACLED_TYPES.items() if etype in (OUT_OF_SCOPE, "Protests", "Strategic developments")
) - {"Looting/property destruction", "Excessive force against protesters"}
# tollbook's vocabulary before ACLED's (stores of schema < 0006, JSON written before): each old name
# and the sub-event type it reads as (migration 0006 rewrites stores the same way).
LEGACY_EVENT_TYPES = {
    "armed attack": "Attack",
    "bombing": "Remote explosive/landmine/IED",
    "shelling/airstrike": "Shelling/artillery/missile attack",
    "mass killing": "Attack",
    "abduction": "Abduction/forced disappearance",
    "arson": "Looting/property destruction",
    "armed clash": "Armed clash",
    "other violence": "Attack",
}
# Families of types that one incident can be reported as (one report says "a bomb", another "a
# suicide bomber"): grouping compares families, not sub-event types (reconcile/grouping.py).
TYPE_FAMILY = {
    "Suicide bomb": "explosive", "Remote explosive/landmine/IED": "explosive", "Grenade": "explosive",
    "Air/drone strike": "remote", "Shelling/artillery/missile attack": "remote", "Chemical weapon": "remote",
    "Abduction/forced disappearance": "abduction",
    "Armed clash": "battle", "Government regains territory": "battle", "Non-state actor overtakes territory": "battle",
}


def acled_event_type(sub_event_type: str) -> str:
    """ACLED's event type of a sub-event type ("Air/drone strike" -> "Explosions/Remote violence");
    "Out of scope" for the five types outside ACLED."""
    return ACLED_TYPES[read_event_type(sub_event_type)][0]


def disorder_type(sub_event_type: str) -> str:
    """ACLED's disorder type: "Political violence", "Demonstrations", "Strategic developments" (or both
    of the first two, for excessive force against protesters)."""
    return ACLED_TYPES[read_event_type(sub_event_type)][1]


def type_family(event_type: str) -> str:
    """The family of an event type for grouping: explosive, remote, abduction, battle, or the type itself."""
    return TYPE_FAMILY.get(event_type, event_type)


def read_event_type(value: str) -> str:
    """A stored or written event type as today's vocabulary: the legacy names map onto ACLED's."""
    return LEGACY_EVENT_TYPES.get(value, value)


# The report's own voice, as opposed to a source it quotes ("police said").
OWN_VOICE = "report"


def text_sha256(text: str) -> str:
    """SHA-256 of a report's text (UTF-8): what its evidence offsets are checked against."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def report_id_for(sha256: str) -> str:
    """A report's id comes from its text, so it is the same whatever the order of ingest."""
    return "r" + sha256[:16]


def _check(value: Any, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}; got {value!r}")


@dataclass(frozen=True, slots=True)
class Evidence:
    """The characters ``text[start:end]`` of report ``report_id``; ``quote`` repeats them.
    ``page``: the page of a PDF report they stand on (1-based), None for other reports."""

    report_id: str
    start: int
    end: int
    quote: str
    page: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"evidence span {self.start}..{self.end} is not a span")
        if len(self.quote) != self.end - self.start:
            raise ValueError(f"evidence quote {self.quote!r} does not fit {self.start}..{self.end}")

    @classmethod
    def of(cls, report_id: str, text: str, start: int, end: int) -> Evidence:
        return cls(report_id, start, end, text[start:end])

    def to_dict(self) -> dict[str, Any]:
        d = {"report_id": self.report_id, "start": self.start, "end": self.end, "quote": self.quote}
        if self.page is not None:
            d["page"] = self.page
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Evidence:
        page = d.get("page")
        return cls(d["report_id"], int(d["start"]), int(d["end"]), d["quote"], int(page) if page else None)


def _evidence_tuple(value: Any, what: str) -> tuple[Evidence, ...]:
    ev = tuple(value)
    if not ev:
        raise ValueError(f"{what} without evidence: every value needs the words it came from")
    return ev


@dataclass(slots=True)
class Report:
    """One news report as ingested. ``text`` never changes after ingest; ``sha256`` is its
    SHA-256 (UTF-8), so evidence offsets can always be checked against it. The bytes the
    report came from are kept separately with their own SHA-256 (``original_sha256``)."""

    id: str
    text: str
    sha256: str
    title: str | None = None
    source: str | None = None  # the site or outlet, e.g. "example-news.org"
    url: str | None = None
    published: dt.date | None = None
    retrieved: dt.datetime | None = None
    language: str | None = "en"
    original_sha256: str | None = None
    # The story it is a copy of (syndicated copies: reconcile/copies.py); None: not looked up
    story: str | None = None

    @classmethod
    def from_text(cls, text: str, **fields: Any) -> Report:
        """A report for a text that is not (yet) in a store."""
        sha = text_sha256(text)
        return cls(id=report_id_for(sha), text=text, sha256=sha, **fields)

    def to_dict(self, *, with_text: bool = True) -> dict[str, Any]:
        d = {
            "id": self.id,
            "sha256": self.sha256,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "retrieved": self.retrieved.isoformat() if self.retrieved else None,
            "language": self.language,
            "original_sha256": self.original_sha256,
        }
        if self.story is not None and self.story != self.id:
            d["copy_of_story"] = self.story
        if with_text:
            d["text"] = self.text
        return d


@dataclass(slots=True)
class Figure:
    """A count of people: ``low``..``high`` (``high`` None = open-ended)."""

    kind: str
    low: int | None
    high: int | None
    qualifier: str
    evidence: tuple[Evidence, ...]
    # Words around the number that shape its reading ("initially", "rose to", "dozens").
    note: str = ""
    rule: str = ""  # id of the extraction rule that read it (tollbook.extract.rules)
    who: str = ""  # a FIGURE_WHO: the part of the people it counts, "" for all of them
    basis: str = ""  # a FIGURE_BASES: "shot" when the people were hit and their fate is not told

    def __post_init__(self) -> None:
        _check(self.kind, FIGURE_KINDS, "figure kind")
        _check(self.who, FIGURE_WHO, "figure who")
        _check(self.basis, FIGURE_BASES, "figure basis")
        _check(self.qualifier, QUALIFIERS, "figure qualifier")
        self.evidence = _evidence_tuple(self.evidence, f"{self.kind} figure")
        if self.low is not None and self.high is not None and self.high < self.low:
            raise ValueError(f"{self.kind} figure: high {self.high} below low {self.low}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "low": self.low,
            "high": self.high,
            "qualifier": self.qualifier,
            "note": self.note,
            "who": self.who,
            "basis": self.basis,
            "rule": self.rule,
            "evidence": [e.to_dict() for e in self.evidence],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Figure:
        return cls(
            d["kind"], d["low"], d["high"], d["qualifier"],
            tuple(Evidence.from_dict(e) for e in d["evidence"]), d.get("note", ""),
            rule=d.get("rule", ""), who=d.get("who", ""), basis=d.get("basis", ""),
        )


@dataclass(slots=True)
class Place:
    """A toponym of the report, resolved to a gazetteer entry where one fits."""

    name: str
    evidence: tuple[Evidence, ...]
    country: str | None = None  # country name, e.g. "Iraq"
    country_code: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str = "unknown"
    gazetteer_id: str | None = None  # e.g. "geonames:98182", "user:camp-ashraf"
    ambiguous: bool = False
    city: str | None = None  # the city the place is or lies in ("Kensington" -> "Philadelphia")
    rule: str = ""  # id of the extraction rule that found and resolved it

    def __post_init__(self) -> None:
        _check(self.precision, PLACE_PRECISIONS, "place precision")
        self.evidence = _evidence_tuple(self.evidence, f"place {self.name!r}")

    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        d["evidence"] = [e.to_dict() for e in self.evidence]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Place:
        d = dict(d)
        d["evidence"] = tuple(Evidence.from_dict(e) for e in d["evidence"])
        d.setdefault("rule", "")
        return cls(**d)


@dataclass(slots=True)
class When:
    """When an event happened: a day range ``earliest``..``latest`` and its precision."""

    earliest: dt.date
    latest: dt.date
    precision: str
    evidence: tuple[Evidence, ...]
    rule: str = ""  # id of the extraction rule that read it

    def __post_init__(self) -> None:
        _check(self.precision, DATE_PRECISIONS, "date precision")
        self.evidence = _evidence_tuple(self.evidence, "date")
        if self.latest < self.earliest:
            raise ValueError(f"date range {self.earliest}..{self.latest} runs backwards")

    def to_dict(self) -> dict[str, Any]:
        return {
            "earliest": self.earliest.isoformat(),
            "latest": self.latest.isoformat(),
            "precision": self.precision,
            "rule": self.rule,
            "evidence": [e.to_dict() for e in self.evidence],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> When:
        return cls(
            dt.date.fromisoformat(d["earliest"]), dt.date.fromisoformat(d["latest"]), d["precision"],
            tuple(Evidence.from_dict(e) for e in d["evidence"]), rule=d.get("rule", ""),
        )


@dataclass(slots=True)
class Actor:
    """A perpetrator, victim or source as the report names it. A perpetrator is always a
    claim: ``attributed_to`` says who makes it (``"report"`` for the report's own voice)
    and ``hedged`` whether it is put as an allegation ("allegedly", "suspected")."""

    role: str
    text: str
    evidence: tuple[Evidence, ...]
    kind: str = "unknown"
    hedged: bool = False
    attributed_to: str = OWN_VOICE
    rule: str = ""  # id of the extraction rule that found it

    def __post_init__(self) -> None:
        _check(self.role, ACTOR_ROLES, "actor role")
        _check(self.kind, ACTOR_KINDS, "actor kind")
        self.evidence = _evidence_tuple(self.evidence, f"actor {self.text!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "text": self.text,
            "kind": self.kind,
            "hedged": self.hedged,
            "attributed_to": self.attributed_to,
            "rule": self.rule,
            "evidence": [e.to_dict() for e in self.evidence],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Actor:
        return cls(
            d["role"], d["text"], tuple(Evidence.from_dict(e) for e in d["evidence"]),
            d.get("kind", "unknown"), bool(d.get("hedged", False)), d.get("attributed_to", OWN_VOICE),
            rule=d.get("rule", ""),
        )


@dataclass(slots=True)
class Flag:
    """A contradiction or doubt, with the evidence on each side."""

    kind: str  # e.g. "date contradiction", "toll contradiction", "ambiguous place"
    message: str
    evidence: tuple[Evidence, ...]
    rule: str = ""  # id of the rule that raised it

    def __post_init__(self) -> None:
        self.evidence = _evidence_tuple(self.evidence, f"flag {self.kind!r}")

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "rule": self.rule,
                "evidence": [e.to_dict() for e in self.evidence]}

    def __str__(self) -> str:
        return self.message

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Flag:
        return cls(d["kind"], d["message"], tuple(Evidence.from_dict(e) for e in d["evidence"]), rule=d.get("rule", ""))


@dataclass(slots=True)
class Event:
    """One incident as one report tells it. ``role`` is ``main`` for the incident the report
    is about and ``referenced`` for older incidents it mentions."""

    report_id: str
    type: str
    role: str = "main"
    evidence: tuple[Evidence, ...] = ()  # the words that say what happened ("were killed")
    figures: list[Figure] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    dates: list[When] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    id: int | None = None  # set by the store
    rule: str = ""  # id of the rule that chose its type

    def __post_init__(self) -> None:
        self.type = read_event_type(self.type)  # a legacy name ("bombing") reads as ACLED's
        _check(self.type, EVENT_TYPES, "event type")
        _check(self.role, EVENT_ROLES, "event role")

    def figure(self, kind: str) -> Figure | None:
        """The figure of ``kind`` for everyone it counts (``who`` ""), or None when the report gives
        none; its parts by who they were are the other figures of that kind."""
        return next((f for f in self.figures if f.kind == kind and not f.who), None)

    @property
    def place(self) -> Place | None:
        return self.places[0] if self.places else None

    @property
    def when(self) -> When | None:
        return self.dates[0] if self.dates else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "report_id": self.report_id,
            "type": self.type,
            "role": self.role,
            "rule": self.rule,
            "evidence": [e.to_dict() for e in self.evidence],
            "figures": [f.to_dict() for f in self.figures],
            "places": [p.to_dict() for p in self.places],
            "dates": [w.to_dict() for w in self.dates],
            "actors": [a.to_dict() for a in self.actors],
            "flags": [f.to_dict() for f in self.flags],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(
            report_id=d["report_id"],
            type=read_event_type(d["type"]),
            role=d.get("role", "main"),
            evidence=tuple(Evidence.from_dict(e) for e in d.get("evidence", ())),
            figures=[Figure.from_dict(x) for x in d.get("figures", ())],
            places=[Place.from_dict(x) for x in d.get("places", ())],
            dates=[When.from_dict(x) for x in d.get("dates", ())],
            actors=[Actor.from_dict(x) for x in d.get("actors", ())],
            flags=[Flag.from_dict(x) for x in d.get("flags", ())],
            id=d.get("id"),
            rule=d.get("rule", ""),
        )

    def traced_values(self) -> list[tuple[str, Any]]:
        """(label, record) of the event's type and of every value, each record with its ``rule``."""
        out: list[tuple[str, Any]] = [(f"type: {self.type}", self)]
        out += [(f"{f.kind}{' (' + f.who + ')' if f.who else ''}: {format_range(f)}", f) for f in self.figures]
        out += [(f"date: {w.earliest}" + ("" if w.earliest == w.latest else f"..{w.latest}"), w) for w in self.dates]
        out += [(f"place: {p.name}", p) for p in self.places]
        out += [(f"{a.role}: {a.text}", a) for a in self.actors]
        out += [(f"flag: {f.kind}", f) for f in self.flags]
        return out

    def all_evidence(self) -> list[tuple[str, Evidence]]:
        """Every (label, evidence) of the event, for highlighting a report."""
        out: list[tuple[str, Evidence]] = [(f"event: {self.type}", e) for e in self.evidence]
        for f in self.figures:
            out += [(f"{f.kind}: {format_range(f)}", e) for e in f.evidence]
        for w in self.dates:
            span = w.earliest.isoformat() if w.earliest == w.latest else f"{w.earliest}..{w.latest}"
            out += [(f"date: {span}", e) for e in w.evidence]
        for p in self.places:
            out += [(f"place: {p.name}", e) for e in p.evidence]
        for a in self.actors:
            label = f"{a.role}{' (hedged)' if a.hedged else ''}: {a.kind}"
            out += [(label, e) for e in a.evidence[:1]]
        return out


def format_range(figure: Figure) -> str:
    """'52+', '12-24', '14', '~30' — a figure for people."""
    lo, hi = figure.low, figure.high
    if lo is None and hi is None:
        return "?"
    if hi is None:
        return f"{lo}+"
    if lo is None:
        return f"≤{hi}"
    if lo == hi:
        return f"~{lo}" if figure.qualifier == "about" else str(lo)
    return f"{lo}-{hi}"
