"""Synthetic extracted events, seeded and deterministic, with the truth of which incident each tells.

    python benchmarks/synthetic_events.py --events 10000 [--seed 1] [--years 5] [--show 5]

Used by ``grouping_scale.py``; nothing is written to disk. The records look like the extractor's
output for news of shootings and bombings, as ``tollbook extract`` would store them:

- **Incidents** happen in real places: cities of the gazetteer index (GeoNames, with their country,
  first-level region and coordinates), about 60 % in the United States and the rest in ten countries
  with armed conflict; a city is drawn with weight population^0.7, so big cities have many incidents
  and several on one day. Dates run from 2014-01-01 at ``PER_YEAR`` events a year (the density is
  the same at every size), or over ``years`` years when given.
- **Reports**: each incident is told by 1–5 reports (45/25/15/10/5 %) from a dozen outlets,
  published on the day or up to three days after; about one in twenty incidents with a named victim
  gets a follow-up months later (an arrest) that dates the arrest and names the victim.
- **Figures vary** as news does: an early report may give a lower toll ("at least"), a later one the
  final figure; large tolls come as ranges ("between 7 and 9"); some reports give no injured figure.
- **Dates and places are imperfect**: about 15 % of reports give no date (grouping then assumes the
  days before publication), 5 % a week; 10 % no place at all, and of the rest about 10 % only the
  region, 3 % only the country, 7 % a neighbouring town.
- **Text**: a title and a body built from the incident's details (street, venue, victims' ages,
  weapon, motive, vehicle, neighbourhood), each report using a random subset in its own wording,
  with sentences of local colour few reports share, so reports of one incident share words and
  different incidents in one city mostly the city's; a city's police spokesperson is named in many
  reports of different incidents.
- **Named victims** for about 40 % of incidents in the US (20 % elsewhere), named in about 60 % of
  their reports (as a "named person" actor and in the text); first names from 200, last names from
  200 or made of syllables, so names recur.
- **Referenced older incidents**: about 8 % of reports also mention an earlier incident of the same
  city (role ``referenced``, its own date, month-precise half the time, and its toll); its truth is
  that older incident.

``generate(n)`` returns exactly n events (ids 0..n-1, in order of publication, as a store would
number them), their reports, ``truth`` (event id -> incident number) and each incident's final
killed and injured figures.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import math
import random
import sqlite3
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tollbook.records import Actor, Event, Evidence, Figure, Place, Report, When  # noqa: E402

START = dt.date(2014, 1, 1)
PER_YEAR = 200_000  # events a year: about the news of every shooting the Gun Violence Archive lists, and more
# Countries other than the US, with their share of the rest and their usual kind of incident.
CONFLICT_COUNTRIES = {"IQ": 0.2, "SY": 0.1, "NG": 0.12, "MX": 0.14, "AF": 0.1, "PK": 0.1, "PH": 0.08,
                      "CO": 0.06, "YE": 0.05, "SO": 0.05}
US_SHARE = 0.6
REPORTS_PER_INCIDENT = ((1, 0.45), (2, 0.25), (3, 0.15), (4, 0.10), (5, 0.05))
OUTLETS = ("ap.example", "reuters.example", "local-news.example", "tribune.example", "channel7.example",
           "herald.example", "dailypost.example", "wire.example", "gazette.example", "radio.example",
           "citybeat.example", "morningstar.example")
FIRST = """James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony
Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary
Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond Jack
Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy Christian Keith
Roger Terry Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel Logan
Albert Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason Philip Louis Mary Patricia
Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley Kimberly Emily
Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley
Anna Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather
Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith Megan Andrea Cheryl Hannah
Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail Alice Judy Sophia Grace Denise
Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie Brittany Charlotte Marie Kayla Alexis
Lori""".split()
LAST = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson
Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker
Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter
Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers
Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez
Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell
Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan
Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran
Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells
Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder
Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice
Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold
Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley
Andrews Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Pena Richards Contreras Willis Carpenter Lawrence
Sandoval""".split()
STREETS = """Madison Halsted Western Cicero Pulaski Kedzie Ashland Damen Racine Morgan Division Chicago Grand Lake
Roosevelt Cermak Garfield Marquette Jackson Monroe Adams Harrison Washington Jefferson Lincoln Franklin Clinton
Canal Wabash
Michigan Cottage Stony Jeffery Yates Exchange Commercial Houston Baltimore Ewing Avalon Dorchester Kimbark Woodlawn
Ellis Drexel Vincennes Wentworth Princeton Harvard Yale Stewart Wallace Parnell Lowe Union Emerald Peoria Sangamon
Carpenter Aberdeen Throop Loomis Laflin Paulina Wolcott Winchester Hoyne Leavitt Oakley Claremont Artesian Campbell
Maplewood Rockwell Talman Washtenaw Fairfield California Francisco Richmond Sacramento Whipple Albany Troy Kedvale
Springfield Hamlin Avers Hayne Lawndale Ridgeway Central Lamon Lockwood Latrobe Laramie Leamington Lavergne Kilbourn
Kostner Kolmar Kenneth Keating Kilpatrick Knox Kildare Tripp Keeler Karlov Pulaski Harding Crawford Karlov Spaulding
Sawyer Christiana Trumbull Drake Homan Central Park Millard Lawndale Ridgeway Hamlin Springfield Avers Kedvale Keeler
Cypress Magnolia Juniper Sycamore Chestnut Walnut Hickory Poplar Willow Dogwood Locust Elm Pine Cedar Oak Maple Birch
Spruce Laurel Hawthorne Linden Aspen Alder Beech Holly Hemlock Redwood Sequoia Palmetto Mesquite Yucca Cactus""".split()
SYLLABLES = ("bar ken dal mor ley ton wick ash brook field ham ridge wood stan hol mere ford vale crest dor lin "
             "gar bel cor fen har jas kel lor mav nor pel quin ros sel tar ul ven wes yor zan").split()
STREET_KINDS = ("Street", "Avenue", "Road", "Drive", "Boulevard", "Lane", "Place", "Court")
VENUES = ("a gas station", "a nightclub", "a convenience store", "an apartment complex", "a house party",
          "a parking lot", "a barbershop", "a liquor store", "a fast-food restaurant", "a bus stop", "a park",
          "a basketball court", "a motel", "a laundromat", "a car wash", "a church parking lot", "a sports bar",
          "a grocery store", "a pharmacy", "a hookah lounge", "a strip mall", "an alley", "a front porch",
          "a backyard barbecue", "a corner store", "a tire shop", "a pawn shop", "a school bus stop",
          "a checkpoint", "a crowded market", "a wedding", "a funeral procession", "a mosque", "a football field",
          "a police station", "a village square", "a highway", "a cafe", "an army post", "a camp")
MOTIVES = ("an argument", "a robbery", "a dispute over money", "a drug deal", "a domestic dispute", "a road-rage",
           "a drive-by", "a gang feud", "a fight over parking", "a custody dispute", "a home invasion",
           "a carjacking", "a botched burglary", "a retaliation", "an ambush", "a family quarrel")
# The generator's scenario kinds are tollbook's old type names; the events it makes read them as ACLED's
# sub-event types (records.LEGACY_EVENT_TYPES: "bombing" -> "Remote explosive/landmine/IED", ...).
WEAPONS = {"armed attack": ("a handgun", "a rifle", "a shotgun", "an assault-style rifle", "a revolver", "a pistol"),
           "bombing": ("a car bomb", "a roadside bomb", "a suicide vest", "an improvised device", "a motorcycle bomb"),
           "shelling/airstrike": ("mortar rounds", "a drone", "rockets", "artillery shells", "barrel bombs")}
VEHICLES = ("a silver sedan", "a dark minivan", "a white pickup", "a red hatchback", "a black SUV", "a blue coupe",
            "a green van", "a gray motorcycle", "a maroon station wagon", "a tan jeep")
SAYERS_US = ("officials", "police", "authorities", "a police spokesman", "witnesses", "the sheriff's office",
             "hospital staff", "the medical examiner", "a department spokeswoman")
SAYERS = ("officials", "police", "authorities", "a local official", "a security source", "the interior ministry",
          "residents", "a hospital director", "the army", "a provincial spokesman")
LEADS = {
    "armed attack": (("A gunman", "Gunmen", "An unidentified shooter", "Two men", "A masked attacker",
                      "Someone in a passing car", "An assailant", "A group of men", "A teenager", "A lone attacker"),
                     ("opened fire", "fired several rounds", "started shooting", "sprayed bullets", "began firing",
                      "shot at a crowd", "fired into a group")),
    "mass killing": (("A gunman", "A heavily armed man", "A shooter", "An attacker"),
                     ("went on a rampage", "opened fire on a crowd", "killed several people")),
    "bombing": (("A bomb", "A car bomb", "An explosive device", "A suicide bomber", "A roadside bomb", "A blast"),
                ("exploded", "went off", "tore through a crowd", "detonated", "struck")),
    "shelling/airstrike": (("An airstrike", "Artillery fire", "Shells", "A drone strike", "Rockets", "Warplanes"),
                           ("hit", "struck", "pounded", "slammed into buildings")),
    "abduction": (("Gunmen", "Armed men", "Kidnappers", "Militants"), ("seized", "abducted", "snatched", "took")),
    "armed clash": (("Fighters", "Rebels", "Militants", "Insurgents"),
                    ("clashed with troops", "battled soldiers", "attacked an army post", "fought security forces")),
    "other violence": (("A mob", "A crowd", "Attackers", "Rioters"), ("attacked", "stormed", "beat")),
}
CONTEXT = (
    "Neighbors said they heard several loud bangs before the street filled with sirens.",
    "Paramedics rushed the injured to a nearby trauma center.",
    "No arrests had been made by late evening.",
    "The motive remained unclear.",
    "Detectives canvassed the block for surveillance footage.",
    "It was the latest in a string of violent weekends.",
    "Community leaders called for calm and for more patrols.",
    "The mayor promised additional resources for the neighborhood.",
    "A vigil was planned for the weekend.",
    "Crime scene tape surrounded the intersection for hours.",
    "Investigators recovered shell casings at the scene.",
    "Family members gathered outside the hospital.",
    "Schools in the area were briefly locked down.",
    "The road stayed closed until early morning.",
    "Authorities urged witnesses to come forward.",
    "A reward was offered for information leading to an arrest.",
    "Residents described the area as usually quiet.",
    "Security was tightened across the province.",
    "No group immediately claimed responsibility.",
    "The government condemned the attack.",
    "Rescue workers searched the rubble for survivors.",
    "Hospitals appealed for blood donations.",
    "Local television showed burning vehicles and shattered windows.",
    "The United Nations envoy called for restraint.",
    "Several shops nearby were damaged.",
    "Officers were still interviewing witnesses.",
    "Footage circulating online appeared to show the aftermath.",
    "Relatives described the victim as a devoted parent.",
    "The suspect fled before officers arrived.",
    "A person of interest was being questioned.",
    "Classmates remembered a cheerful student who loved basketball.",
    "Prosecutors said charges could follow.",
    "The state police crime lab was assisting.",
    "Funeral arrangements were pending.",
    "Churches opened their doors to grieving families.",
    "Traffic was diverted around the scene.",
    "Bystanders tried to help the wounded before ambulances came.",
    "The department's homicide unit took over the case.",
    "Curfew was imposed in the surrounding districts.",
    "Troops sealed off the area.",
    "Aid agencies warned of a worsening humanitarian situation.",
    "The provincial governor visited the wounded.",
    "Dozens of mourners marched through the town.",
    "Gunfire was reported again later that night.",
    "Police believe the victims were targeted.",
    "The building's owner said the cameras were not working.",
    "An autopsy was scheduled.",
    "Investigators have not released a description of the gunman.",
)
SPEAKERS = ("A neighbor", "The landlord", "A shop owner", "A bus driver", "The school principal", "A local pastor",
            "A cousin of one victim", "A longtime resident", "A nurse at the clinic", "A taxi driver", "An imam",
            "The block club president", "A city council member", "A former classmate", "A street vendor",
            "A retired teacher", "A tribal elder", "A volunteer medic", "The restaurant manager", "A young mother")
SPEAKER_VERBS = ("said she feared", "complained about", "recalled", "blamed", "told reporters about", "described",
                 "warned of", "pointed to", "spoke angrily about", "worried aloud about", "mentioned", "lamented")
QUOTE_OBJECTS = ("the darkness of the street at night", "the lack of patrols", "an earlier robbery",
                 "the broken streetlights", "young men loitering", "the noise of gunfire", "rising rents",
                 "the closed community center", "drug dealing on the corner", "the slow ambulance",
                 "unemployment among youths", "the flood of weapons", "the nearby checkpoint",
                 "children playing outside", "a feud between families", "the power cuts", "the empty lots",
                 "fear among shopkeepers", "the militia's roadblocks", "the summer heat", "the funeral costs",
                 "overcrowded hospitals", "traffic on the bridge", "the abandoned factory")
QUOTE_TAILS = ("", " for years", " since spring", " in recent months", " every weekend", " after dark",
               " during the holidays", " since the election", " this year")
CLOSING = ("Anyone with information was asked to call the authorities.", "The investigation continues.",
           "Check back for updates.", "This story will be updated.", "Tips can be left anonymously.",
           "Reporters contributed to this story.", "Officials were expected to give more details on Monday.", "")
NUM_WORDS = ("no one", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@dataclass(slots=True)
class City:
    gid: str
    name: str
    cc: str
    country: str
    admin1: str | None
    admin2: str | None
    lat: float
    lon: float


@dataclass(slots=True)
class Incident:
    number: int
    city: City
    day: dt.date
    type: str
    killed: int
    injured: int
    victims: list[str]  # names (may be empty)
    details: list[tuple[str, ...]]  # facts only this incident has, each in a few wordings
    street: str
    spokesperson: str | None
    reports: list[tuple[dt.date, str]] = field(default_factory=list)  # (published, kind)


def load_cities(index: Path | None = None, min_population: int = 15000) -> dict[str, list[tuple[City, float]]]:
    """Cities of the gazetteer index (building it once if absent) by country, with their weights."""
    from tollbook.extract.gazetteer import ensure_index

    conn = sqlite3.connect(f"file:{index or ensure_index()}?mode=ro", uri=True)
    ccs = ["US", *CONFLICT_COUNTRIES]
    rows = conn.execute(
        f"SELECT id, name, cc, country, admin1, admin2, lat, lon, population FROM places WHERE kind = 'city' "
        f"AND cc IN ({','.join('?' * len(ccs))}) AND population >= ? AND admin1 IS NOT NULL ORDER BY id",
        (*ccs, min_population)).fetchall()
    conn.close()
    out: dict[str, list[tuple[City, float]]] = defaultdict(list)
    for gid, name, cc, country, admin1, admin2, lat, lon, pop in rows:
        out[cc].append((City(gid, name, cc, country, admin1, admin2, lat, lon), pop ** 0.7))
    return out


class _Chooser:
    """Weighted choice by bisection over cumulative weights (random.choices is slow when called per item)."""

    def __init__(self, items: list, weights: list[float]) -> None:
        self.items = items
        self.cum = []
        total = 0.0
        for w in weights:
            total += w
            self.cum.append(total)
        self.total = total

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


class _Text:
    """A report's text built piece by piece, with the span of each marked piece for its evidence."""

    def __init__(self, report_id_placeholder: str = "") -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: dict[str, list[tuple[int, int]]] = defaultdict(list)

    def add(self, s: str, mark: str | None = None) -> None:
        if mark:
            self.spans[mark].append((self.length, self.length + len(s)))
        self.parts.append(s)
        self.length += len(s)

    def text(self) -> str:
        return "".join(self.parts)


class Generator:
    def __init__(self, seed: int = 1, years: float = 5.0, index: Path | None = None) -> None:
        self.rng = random.Random(seed)
        self.days = max(1, round(years * 365.25))
        cities = load_cities(index)
        shares = {"US": US_SHARE, **{cc: (1 - US_SHARE) * w for cc, w in CONFLICT_COUNTRIES.items()}}
        ccs = [cc for cc in shares if cities.get(cc)]
        self.country = _Chooser(ccs, [shares[cc] for cc in ccs])
        self.city_in = {cc: _Chooser([c for c, _ in cs], [w for _, w in cs]) for cc, cs in cities.items()}
        # neighbours: another city of the same region within 25 km (suburbs, the next town)
        self.near: dict[str, list[City]] = {}
        for cs in cities.values():
            by_region: dict[str | None, list[City]] = defaultdict(list)
            for c, _ in cs:
                by_region[c.admin1].append(c)
            for group in by_region.values():
                for c in group:
                    self.near[c.gid] = [o for o in group if o is not c and _km(c, o) <= 25][:8]
        self.spokesperson: dict[str, str] = {}
        self.by_city: dict[str, list[Incident]] = defaultdict(list)  # incidents so far, for references

    # -- incidents -----------------------------------------------------------------------------
    def incident(self, number: int) -> Incident:
        rng = self.rng
        cc = self.country(rng)
        city = self.city_in[cc](rng)
        us = cc == "US"
        r = rng.random()
        if us:
            etype = "armed attack" if r < 0.93 else "mass killing" if r < 0.97 else "other violence"
            killed = _draw(rng, (0.35, 0.5, 0.1, 0.03, 0.02))
            injured = _draw(rng, (0.3, 0.45, 0.15, 0.05, 0.05)) + (rng.randrange(5, 30) if etype == "mass killing"
                                                                  else 0)
            if etype == "mass killing":
                killed = max(killed, 4)
            if not killed and not injured:
                injured = 1  # news seldom tells a shooting that hurt no one
        else:
            etype = ("armed attack" if r < 0.45 else "bombing" if r < 0.7 else "shelling/airstrike" if r < 0.82
                     else "abduction" if r < 0.9 else "armed clash")
            killed = 0 if etype == "abduction" else int(rng.expovariate(1 / 6)) + 1
            injured = int(killed * rng.uniform(0.5, 3)) if etype != "abduction" else 0
        victims = []
        if rng.random() < (0.45 if us else 0.2):
            for _ in range(max(1, min(3, killed or 1))):
                victims.append(f"{rng.choice(FIRST)} {rng.choice(LAST) if rng.random() < 0.6 else _name(rng)}")
        street = f"{rng.choice(STREETS) if rng.random() < 0.5 else _name(rng)} {rng.choice(STREET_KINDS)}"
        # each detail: a fact of this incident, in the words one report or another may use
        block, venue = rng.randrange(1, 99) * 100, rng.choice(VENUES)
        shop = f"{_name(rng)}{rng.choice((' Tavern', ' Market', ' Plaza', ' Lounge', ' Foods', ' Motors', ''))}"
        motive, weapon = rng.choice(MOTIVES), rng.choice(WEAPONS.get(etype, WEAPONS["armed attack"]))
        age, noun = _person(rng)
        vehicle, road, area = rng.choice(VEHICLES), f"{_name(rng)} {rng.choice(STREET_KINDS)}", _name(rng)
        details = [
            (f"on the {block} block of {street}", f"in the {block} block of {street}", f"along {street}"),
            (f"near {venue}, {shop}", f"outside {shop}", f"in front of {venue} called {shop}"),
            (f"after {motive}", f"following {motive}", f"apparently over {motive}"),
            (f"with {weapon}", f"using {weapon}"),
            (f"targeting a {age}-year-old {noun}", f"hitting a {noun}, {age},"),
            (f"as witnesses saw {vehicle} speed toward {road}", f"before fleeing in {vehicle} down {road}"),
            (f"in the {area} neighborhood", f"in {area}"),
        ]
        spokes = None
        if rng.random() < 0.5:
            spokes = self.spokesperson.setdefault(city.gid, f"{rng.choice(FIRST)} {_name(rng)}")
        day = START + dt.timedelta(days=rng.randrange(self.days))
        return Incident(number, city, day, etype, killed, injured, victims, details, street, spokes)

    def plan(self, inc: Incident) -> None:
        rng = self.rng
        k = _draw(rng, [p for _, p in REPORTS_PER_INCIDENT]) + 1
        for _ in range(k):
            inc.reports.append((inc.day + dt.timedelta(days=_draw(rng, (0.45, 0.35, 0.12, 0.08))), "news"))
        if inc.victims and rng.random() < 0.05:
            inc.reports.append((inc.day + dt.timedelta(days=rng.randrange(20, 300)), "follow-up"))

    # -- reports -------------------------------------------------------------------------------
    def report(self, inc: Incident, published: dt.date, kind: str, nth: int, of: int,
               older: Incident | None) -> tuple[Report, list[tuple[Event, int]]]:
        rng = self.rng
        t = _Text()
        c = inc.city
        # the place the report names
        r = rng.random()
        place_city: City | None = c
        region_only = country_only = unplaced = False
        if r < 0.1:
            unplaced = True  # the extractor found no place (a dateline it could not read, a street only)
            r = rng.random()
        if r < 0.07 and self.near.get(c.gid):
            place_city = rng.choice(self.near[c.gid])
        elif r < 0.17:
            region_only = True
        elif r < 0.20:
            country_only = True
        where = (c.country if country_only else c.admin1 if region_only else place_city.name)
        # figures as this report gives them: early reports may be lower, large tolls ranges
        early = nth == 0 and of > 1 and rng.random() < 0.35
        killed_lo = max(0, inc.killed - rng.randrange(1, 3)) if early and inc.killed else inc.killed
        killed_hi = killed_lo if early or inc.killed < 6 or rng.random() < 0.7 else killed_lo + rng.randrange(1, 4)
        give_injured = rng.random() < (0.8 if inc.injured else 0.3)
        victims_named = inc.victims and rng.random() < 0.6
        if kind == "follow-up":
            title = f"Suspect charged in {inc.day:%B} killing of {inc.victims[0]}"
        elif inc.type in ("bombing", "shelling/airstrike"):  # scenario kinds, not event types
            title = f"{'Blast' if inc.type == 'bombing' else 'Strike'} kills {killed_lo} in {where}"
        elif inc.killed:
            title = f"{NUM_WORDS[min(killed_lo, 10)].capitalize()} killed in {where} {inc.type.split()[-1]}"
        else:
            title = f"{NUM_WORDS[min(inc.injured, 10)].capitalize()} wounded in {where} shooting"
        t.add(f"{where.upper()} — ")
        if kind == "follow-up":
            arrest = published - dt.timedelta(days=1)
            who = rng.choice(("Police", "Detectives", "Investigators"))
            t.add(f"{who} arrested a {rng.randrange(18, 50)}-year-old man on ")
            t.add(f"{arrest:%A, %B} {arrest.day}", "date")
            t.add(f" and charged him with {rng.choice(('murder', 'homicide', 'manslaughter'))} in the death of ")
            t.add(inc.victims[0], "victim")
            t.add(f", who was shot {inc.details[0][0]} in {c.name} in {inc.day:%B}. ")
        else:
            date_mode = rng.random()
            t.add(_lead(rng, inc.type), "event")
            if date_mode < 0.15:
                t.add(" ")
            elif date_mode < 0.2:
                t.add(" ")
                t.add("last week", "week")
                t.add(" ")
            else:
                t.add(" ")
                t.add(f"on {inc.day:%A, %B} {inc.day.day}", "date")
                t.add(" ")
            details = [rng.choice(inc.details[i]) for i in sorted(rng.sample(range(len(inc.details)),
                                                                             k=rng.randrange(2, 6)))]
            t.add(" ".join(details) + ", ")
            give_killed = bool(inc.killed) or rng.random() < 0.3
            if not inc.killed:
                give_injured = True
            form = rng.randrange(3)
            if give_killed:
                k = (f"at least {killed_lo}" if early else str(killed_lo) if killed_lo == killed_hi
                     else f"between {killed_lo} and {killed_hi}")
                t.add(("killing ", "leaving ", "and ")[form])
                t.add(k, "killed")
                t.add(("", " dead", " people died")[form])
                if give_injured:
                    t.add((" and wounding ", " and ", " while ")[form])
                    t.add(str(inc.injured), "injured")
                    t.add(("", " hurt", " were injured")[form])
            else:
                t.add(("wounding ", "leaving ", "and ")[form])
                t.add(str(inc.injured), "injured")
                t.add(("", " injured", " people were hurt")[form])
            if inc.type == "abduction":
                t.add(" and took ")
                t.add(f"{max(1, inc.injured + 3)}", "abducted")
                t.add(" hostages")
            sayer = rng.choice(SAYERS_US if c.cc == "US" else SAYERS)
            t.add(rng.choice((f", {sayer} said. ", f", according to {sayer}. ", ". ")))
        if victims_named and kind != "follow-up":
            t.add(rng.choice(("The dead were identified as ", "Relatives named the victims as ",
                              "The victims were identified as ")) if inc.killed else "The wounded included ")
            for n, name in enumerate(inc.victims):
                t.add(", " if n else "")
                t.add(name, "victim")
            t.add(". ")
        for sentence in [_quote(rng) for _ in range(rng.randrange(1, 3))] + rng.sample(CONTEXT, k=rng.randrange(0, 2)):
            t.add(sentence + " ")
        if inc.spokesperson and rng.random() < 0.7:
            said = rng.choice(CONTEXT)
            t.add(f"{rng.choice(('Police spokesperson', 'Spokesperson', 'A police spokesperson,'))} "
                  f"{inc.spokesperson} said {said[0].lower()}{said[1:]} ")
        if older is not None:
            t.add(rng.choice(("It was the second attack there since ", "The area was last hit in ",
                              "Residents recalled the attack of ")))
            t.add(f"{older.day:%B} {older.day.year}", "older-date")
            t.add(", when ")
            t.add(f"{older.killed}", "older-killed")
            t.add(f" people died {older.details[0][-1]}. ")
        t.add(rng.choice(CLOSING))
        text = t.text()
        report = Report.from_text(text, title=title, source=rng.choice(OUTLETS), published=published,
                                  url=f"https://{rng.choice(OUTLETS)}/{published:%Y/%m/%d}/{inc.number}-{nth}")
        rid = report.id

        def ev(mark: str) -> tuple[Evidence, ...]:
            return tuple(Evidence.of(rid, text, a, b) for a, b in t.spans[mark][:1]) or (Evidence.of(rid, text, 0, 1),)

        main = Event(rid, inc.type if kind != "follow-up" else "armed attack", "main", ev("event"))
        if kind == "follow-up":
            arrest = published - dt.timedelta(days=1)
            main.dates.append(When(arrest, arrest, "day", ev("date")))
        elif t.spans.get("date"):
            main.dates.append(When(inc.day, inc.day, "day", ev("date")))
        elif t.spans.get("week"):
            wk = published - dt.timedelta(days=published.weekday() + 7)
            main.dates.append(When(wk, wk + dt.timedelta(days=6), "week", ev("week")))
        if t.spans.get("killed"):
            qual = "exact" if killed_lo == killed_hi and not early else "at least" if early else "about"
            main.figures.append(Figure("killed", killed_lo, None if early else killed_hi, qual, ev("killed")))
        if t.spans.get("injured"):
            main.figures.append(Figure("injured", inc.injured, inc.injured, "exact", ev("injured")))
        if t.spans.get("abducted"):
            n = max(1, inc.injured + 3)
            main.figures.append(Figure("abducted", n, n, "exact", ev("abducted")))
        if not unplaced:
            main.places.append(_place(c, place_city, region_only, country_only, ev("event")))
        for a, b in t.spans.get("victim", ()):
            main.actors.append(Actor("victim", text[a:b], (Evidence.of(rid, text, a, b),), "named person"))
        events = [(main, inc.number)]
        if older is not None:
            month = rng.random() < 0.5
            start = older.day.replace(day=1) if month else older.day
            end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1) if month \
                else older.day
            ref = Event(rid, "armed attack", "referenced", ev("older-date"))
            ref.dates.append(When(start, end, "month" if month else "day", ev("older-date")))
            ref.figures.append(Figure("killed", older.killed, older.killed, "exact", ev("older-killed")))
            ref.places.append(_place(older.city, older.city, False, False, ev("event")))
            events.append((ref, older.number))
        return report, events

    def generate(self, n_events: int) -> Synthetic:
        """Exactly ``n_events`` events (ids in order of publication), their reports and the truth."""
        rng = self.rng
        incidents: list[Incident] = []
        planned = 0
        while planned < n_events:
            inc = self.incident(len(incidents))
            self.plan(inc)
            incidents.append(inc)
            planned += len(inc.reports)  # and some reports add a referenced event: cut at n below
        for inc in sorted(incidents, key=lambda i: (i.day, i.number)):
            self.by_city[inc.city.gid].append(inc)
        queue = sorted((pub, inc.number, nth, kind) for inc in incidents
                       for nth, (pub, kind) in enumerate(inc.reports))
        events: list[Event] = []
        reports: dict[str, Report] = {}
        truth: dict[int, int] = {}
        for pub, number, nth, kind in queue:
            if len(events) >= n_events:
                break
            inc = incidents[number]
            older = None
            if rng.random() < 0.08:
                earlier = self.by_city[inc.city.gid]
                i = _bisect_day(earlier, inc.day)
                if i > 0:
                    older = earlier[rng.randrange(max(0, i - 20), i)]
            report, evs = self.report(inc, pub, kind, nth, len(inc.reports), older)
            if report.id in reports:  # the same words twice: one report, as ingest would keep it
                continue
            reports[report.id] = report
            for e, truth_number in evs:
                if len(events) >= n_events:
                    break
                e.id = len(events)
                truth[e.id] = truth_number
                events.append(e)
        kept = set(truth.values())
        return Synthetic(events, reports, truth, {i.number: i.killed for i in incidents if i.number in kept},
                         {i.number: i.injured for i in incidents if i.number in kept})


@dataclass(slots=True)
class Synthetic:
    events: list[Event]  # ids 0..n-1 in order of publication
    reports: dict[str, Report]
    truth: dict[int, int]  # event id -> incident number
    killed: dict[int, int]  # incident number -> its final toll
    injured: dict[int, int]


def generate(n_events: int, *, seed: int = 1, years: float | None = None, per_year: int = PER_YEAR,
             index: Path | None = None) -> Synthetic:
    """The events, their reports and the truth: see the module docstring. The dates span ``years``,
    or by default as long as ``per_year`` events a year take (the density stays the same)."""
    return Generator(seed, years if years is not None else n_events / per_year, index).generate(n_events)


def _bisect_day(incs: list[Incident], day: dt.date) -> int:
    lo, hi = 0, len(incs)
    while lo < hi:
        mid = (lo + hi) // 2
        if incs[mid].day < day:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _place(c: City, named: City, region_only: bool, country_only: bool, ev: tuple[Evidence, ...]) -> Place:
    if country_only:
        return Place(c.country, ev, c.country, c.cc, None, None, None, None, "country", f"country:{c.cc}")
    if region_only:
        return Place(c.admin1, ev, c.country, c.cc, c.admin1, None, None, None, "admin1", None)
    return Place(named.name, ev, named.country, named.cc, named.admin1, named.admin2, named.lat, named.lon, "city",
                 named.gid, city=named.name)


def _lead(rng: random.Random, etype: str) -> str:
    subjects, verbs = LEADS[etype]
    return f"{rng.choice(subjects)} {rng.choice(verbs)}"


def _name(rng: random.Random) -> str:
    """A street, shop or neighbourhood name nobody else uses, made of syllables."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randrange(2, 4))).capitalize()


def _person(rng: random.Random) -> tuple[int, str]:
    noun = rng.choice(("man", "woman", "teenager", "father", "mother", "student", "boy"))
    return (rng.randrange(14, 19) if noun in ("teenager", "boy", "student") else rng.randrange(19, 70)), noun


def _quote(rng: random.Random) -> str:
    """A sentence of local colour; few reports share one."""
    return (f"{rng.choice(SPEAKERS)} {rng.choice(SPEAKER_VERBS)} {rng.choice(QUOTE_OBJECTS)}"
            f"{rng.choice(QUOTE_TAILS)}.")


def _draw(rng: random.Random, probs) -> int:
    r = rng.random() * sum(probs)
    for i, p in enumerate(probs):
        r -= p
        if r < 0:
            return i
    return len(probs) - 1


def _km(a: City, b: City) -> float:
    dlat = math.radians(b.lat - a.lat)
    dlon = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return 6371 * math.hypot(dlat, dlon)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--years", type=float, default=None, help=f"the span of dates (default: n / {PER_YEAR:,} years)")
    ap.add_argument("--show", type=int, default=3, help="print this many reports with their events")
    args = ap.parse_args()
    syn = generate(args.events, seed=args.seed, years=args.years)
    events, reports, truth = syn.events, syn.reports, syn.truth
    print(f"{len(events)} events, {len(reports)} reports, {len(set(truth.values()))} incidents")
    shown = 0
    for e in events:
        if shown >= args.show:
            break
        if e.role != "main":
            continue
        r = reports[e.report_id]
        print(f"\n[{r.published} {r.source}] {r.title}\n{r.text}")
        for x in (x for x in events if x.report_id == r.id):
            print(f"  -> incident {truth[x.id]}: {x.role} {x.type} {[(f.kind, f.low, f.high) for f in x.figures]} "
                  f"{[(p.name, p.admin1, p.country_code, p.precision) for p in x.places]} "
                  f"{[(str(w.earliest), str(w.latest), w.precision) for w in x.dates]} "
                  f"{[a.text for a in x.actors]}")
        shown += 1


if __name__ == "__main__":
    main()
