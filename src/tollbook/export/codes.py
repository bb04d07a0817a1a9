"""The codes ACLED's and UCDP GED's codebooks use, derived from tollbook's records.

Each function reads one thing an incident says (its country, its dates, who is said to have done
it to whom) and returns the code the codebook gives it, or None where the records cannot say:
an export leaves such a cell empty rather than guessing. docs/export.md shows every rule beside the
codebook's definition.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import math
import re
from dataclasses import dataclass
from importlib import resources

from tollbook.records import Actor, Place

# ACLED's actor types, the codes of inter1/inter2 (ACLED codebook, "Actor types").
INTER_STATE, INTER_REBEL, INTER_POLITICAL_MILITIA, INTER_IDENTITY_MILITIA = 1, 2, 3, 4
INTER_RIOTERS, INTER_PROTESTERS, INTER_CIVILIANS, INTER_EXTERNAL = 5, 6, 7, 8

# Words that make a named armed group a rebel group (fights the state for power or territory) rather than a
# political militia (ACLED codes unnamed and unknown armed groups as political militias).
REBEL_WORDS = ("rebel", "insurgen", "guerrilla", "liberation", "revolutionary", "front", "army", "islamic state",
               "shining path", "taliban", "jihad", "al-qaeda", "al qaeda", "al-shabaab", "boko haram")
POLICE_WORDS = ("police", "policeman", "policemen", "officer", "constable", "gendarme", "sheriff", "deputy", "deputies",
                "trooper")


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str
    iso_numeric: int | None
    gwno: int | None  # Gleditsch-Ward state number (UCDP GED's country_id)
    acled_region: str
    ucdp_region: str
    name: str


@functools.cache
def countries() -> dict[str, Country]:
    """Countries by ISO 3166-1 alpha-2 code, from ``tollbook/data/countries.csv``."""
    text = resources.files("tollbook").joinpath("data/countries.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {
        r["iso2"]: Country(r["iso2"], r["iso3"], int(r["iso_numeric"]) if r["iso_numeric"] else None,
                           int(r["gwno"]) if r["gwno"] else None, r["acled_region"], r["ucdp_region"], r["name"])
        for r in rows
    }


def country_of(place: Place | None) -> Country | None:
    if place is None or not place.country_code:
        return None
    return countries().get(place.country_code.upper())


# -- dates ------------------------------------------------------------------------------------------------


def date_precision(earliest: dt.date | None, latest: dt.date | None) -> str | None:
    """tollbook's precision of an incident's date range: day, week, month or year (None when undated)."""
    if earliest is None or latest is None:
        return None
    span = (latest - earliest).days
    if span == 0:
        return "day"
    if span < 7:
        return "week"
    if span < 32:
        return "month"
    return "year"


def acled_time_precision(precision: str | None) -> int | None:
    """ACLED time_precision: 1 the day is known, 2 the week (or a few days), 3 only the month (or less)."""
    return {"day": 1, "week": 2, "month": 3, "year": 3}.get(precision or "")


def ucdp_date_prec(earliest: dt.date | None, latest: dt.date | None) -> int | None:
    """UCDP GED date_prec: 1 exact day, 2 within 2-6 days, 3 the week, 4 within 8-30 days or the month,
    5 more than a month (a year)."""
    if earliest is None or latest is None:
        return None
    span = (latest - earliest).days + 1
    if span == 1:
        return 1
    if span <= 6:
        return 2
    if span <= 7:
        return 3
    if span <= 31:
        return 4
    return 5


# -- places -----------------------------------------------------------------------------------------------

# ACLED geo_precision: 1 the place itself (a town or a point), 2 near it or part of a region, 3 a larger region.
ACLED_PRECISION = {"point": 1, "city": 1, "admin2": 2, "admin1": 3, "country": 3}
# UCDP GED where_prec: 1 the exact location, 2 within 25 km, 3 a second-order region, 4 a first-order region,
# 5 a linear feature or a larger area, 6 the country, 7 international waters or air space.
UCDP_PRECISION = {"point": 1, "city": 1, "admin2": 3, "admin1": 4, "country": 6}


def priogrid_gid(lat: float | None, lon: float | None) -> int | None:
    """The PRIO-GRID cell (0.5 by 0.5 degrees, numbered row by row from (-90, -180)) of a point."""
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    row = min(int(math.floor((lat + 90) / 0.5)), 359)
    col = min(int(math.floor((lon + 180) / 0.5)), 719)
    return row * 720 + col + 1


# -- actors -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodedActor:
    """An actor named as ACLED names actors, with its actor type (inter code)."""

    name: str
    inter: int
    said: Actor | None  # the claim it comes from; None for an actor the codebook implies (civilians)

    @property
    def hedged(self) -> bool:
        return bool(self.said and self.said.hedged)


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()) + " "


def _has(text: str, words: tuple[str, ...]) -> bool:
    folded = _words(text)
    return any(f" {w}" in folded for w in words)


def code_actor(actor: Actor, country: Country | None) -> CodedActor:
    """ACLED's name and type for one actor of tollbook's: generic actors in ACLED's conventions
    ("Police Forces of Iraq", "Unidentified Armed Group (Iraq)", "Civilians (Iraq)"), named groups as named."""
    where = country.name if country else None
    of = f" of {where}" if where else ""
    paren = f" ({where})" if where else ""
    if actor.kind == "security forces":
        force = "Police Forces" if _has(actor.text, POLICE_WORDS) else "Military Forces"
        return CodedActor(f"{force}{of}", INTER_STATE, actor)
    if actor.kind == "government":
        return CodedActor(f"Government{of}", INTER_STATE, actor)
    if actor.kind == "civilians":
        return CodedActor(f"Civilians{paren}", INTER_CIVILIANS, actor)
    if actor.kind == "armed group":
        if _is_generic(actor.text):
            return CodedActor(f"Unidentified Armed Group{paren}", INTER_POLITICAL_MILITIA, actor)
        inter = INTER_REBEL if _has(actor.text, REBEL_WORDS) else INTER_POLITICAL_MILITIA
        return CodedActor(_title(actor.text), inter, actor)
    # a named person or someone the report does not describe: ACLED names no individuals
    return CodedActor(f"Unidentified Armed Group{paren}", INTER_POLITICAL_MILITIA, actor)


GENERIC_GROUP_WORDS = ("gunmen", "gunman", "militants", "militant", "attackers", "attacker", "assailants",
                       "assailant", "armed men", "unknown", "unidentified", "terrorists", "terrorist", "fighters",
                       "bandits", "armed group", "armed groups")


def _is_generic(text: str) -> bool:
    folded = _words(text).strip()
    folded = re.sub(r"^(the|a|an|some|several|suspected|alleged|unknown|unidentified)\s+", "", folded)
    return not folded or any(folded == w or folded.endswith(" " + w) for w in GENERIC_GROUP_WORDS)


def _title(text: str) -> str:
    """A group's name as written, without a leading article; an all-capitals wire text in title case."""
    name = re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.I)
    if name.isupper() and " " in name:  # "SHINING PATH" -> "Shining Path"; an acronym ("FMLN") stays
        name = " ".join(w.capitalize() for w in name.split())
    return name


def civilians_of(country: Country | None) -> CodedActor:
    return CodedActor(f"Civilians ({country.name})" if country else "Civilians", INTER_CIVILIANS, None)


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: the two actor types, lower first (17: state forces and civilians); an event
    with one actor is its type times ten (10: state forces alone)."""
    if not inter1:
        return None
    if not inter2:
        return inter1 * 10
    lo, hi = sorted((inter1, inter2))
    return lo * 10 + hi


def ucdp_type_of_violence(side_a: CodedActor | None, side_b: CodedActor | None) -> tuple[int | None, str]:
    """UCDP's type_of_violence and why: 1 state-based (a government against an organised armed group),
    2 non-state (two organised armed groups, neither a government), 3 one-sided (a government or an
    organised group against civilians). None with the reason where the actors do not say."""
    if side_a is None:
        return None, "no perpetrator is named"
    organised = (INTER_REBEL, INTER_POLITICAL_MILITIA, INTER_IDENTITY_MILITIA, INTER_EXTERNAL)
    a, b = side_a.inter, side_b.inter if side_b else None
    if b == INTER_CIVILIANS and (a == INTER_STATE or a in organised):
        return 3, ""
    if {a, b} & {INTER_STATE} and ({a, b} - {INTER_STATE}) & set(organised):
        return 1, ""
    if a in organised and b in organised and side_b and side_a.name != side_b.name:
        return 2, ""
    if b is None:
        return None, "the report names no one on the other side"
    return None, "the actors fit none of UCDP's three types"
