"""Toponyms of a report, resolved against the gazetteer with a prior from the report itself.

Stage contract: ``find_places(doc, gazetteer)`` returns ``PlaceMention``s (name, span, sentence,
candidates); ``Resolver(gazetteer, mentions, doc)`` learns the report's country and region
prior (countries, nationality adjectives, regions it names) and ``resolve(mention)`` returns a
``Place``: the best candidate, with ``ambiguous`` set when the prior cannot decide.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from tollbook.extract.gazetteer import (
    DEMONYMS,
    REGION_WORDS,
    US_STATE_ABBREVIATIONS,
    Entry,
    Gazetteer,
    distance_km,
    fold,
    us_state_codes,
)
from tollbook.extract.nlp import text_of
from tollbook.extract.rules import rule
from tollbook.records import Evidence, Place

# How a place is found, in order of precedence: a mention found several ways carries the first
# rule that fits it. Resolution (choosing among the gazetteer's readings) is the same for all; the
# rule says why the name was taken as a place and how it was qualified.
R_DATELINE = rule("places.dateline", "the place of a dateline, where the report was filed: 'SAN SALVADOR, 3 JAN 90 --'")
R_CAMP = rule("places.camp", "a camp named as one ('Camp Ashraf'), and its bare name later in the report")
R_COUNTY_STATE = rule("places.county-state", "a county with its state after a comma: 'DeKalb County, Georgia'")
R_TOWN_STATE = rule("places.town-state", "a town with its state or country after a comma: 'Aurora, Colorado'")
R_REGION_WORD = rule("places.region-word", "a region named with its kind: 'San Miguel Department', 'Nineveh province'")
R_AGENCY_TOWN = rule("places.agency-town", "the town of a police force or agency: 'the Ceres Police Department'")
R_TOWN_MODIFIER = rule("places.town-modifier", "a town's name before a noun, untagged: 'Augusta man', 'Trotwood "
                       "homicide'")
R_AFTER_PREPOSITION = rule("places.after-preposition", "a place name after in, at, near, outside...: 'in Baghdad'")
R_NAMED_ENTITY = rule("places.named-entity", "any other name the parser tags as a place (or an organisation the "
                      "gazetteer knows as a country or region)")
# Made in extract/events.py from the mentions above.
R_DATELINE_COUNTRY = rule("places.dateline-country", "only a wire dateline places the story: of the incident, only "
                          "the dateline's country is known")
R_WITHIN_REGION = rule("places.within-region", "a place the gazetteer lacks, located by the county or region the "
                       "report names with it")

PLACE_LABELS = {"GPE", "LOC", "FAC"}
_CAMP = re.compile(r"\b(?:Camp|CAMP)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?")
_REGION_AFTER = re.compile(r"^\s+(" + "|".join(REGION_WORDS) + r")s?\b", re.I)
# The kind of a region at the end of its name; a US county's or parish's word is part of its name.
_REGION_AT_END = re.compile(r"\s+(?:" + "|".join(sorted(REGION_WORDS - {"county", "parish"})) + r")s?$", re.I)
# "the department of Bolivar", "the northern province of Helmand": the name after is a region's.
_REGION_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(REGION_WORDS - {"county", "parish", "state", "division"}))
                            + r")\s+of\s+(?:the\s+)?$", re.I)
# Words the parser takes for places that are not toponyms in casualty reports.
NOT_PLACES = {"the west", "the east", "the north", "the south", "downtown", "north", "south", "east", "west",
              # a compass point alone is a part of the place the report is about ("the city's West and
              # Northwest side"), not the region of that name in another country (Iceland's Northwest)
              "northwest", "northeast", "southwest", "southeast", "the northwest", "the northeast",
              "the southwest", "the southeast", "midwest", "the midwest",
              "earth", "the world", "world", "heaven", "the city", "city", "state", "the state", "nation"}


@dataclass(slots=True)
class PlaceMention:
    name: str
    start: int
    end: int
    sent: int
    label: str  # GPE, LOC, FAC, ORG (matched in the gazetteer), camp, dateline, region
    candidates: list[Entry] = field(default_factory=list)
    after_preposition: bool = False  # "in Baghdad", "at Camp Ashraf", "near Aleppo"
    qualifier: str | None = None  # the region or state named right after: "Aurora, Colorado"
    filed: bool = False  # a dated wire dateline ("LIMA, 5 JAN 90 --"): where the report was filed
    personal: bool = False  # also a word of a person's name the report gives ("Rivera"): no vote in the prior
    rule: str = ""  # the rule that found it (R_* above)


def find_places(doc: Doc, gazetteer: Gazetteer, *, dateline: tuple[str, int, int] | None = None) -> list[PlaceMention]:
    text = text_of(doc)
    sent_of = _sentence_lookup(doc)
    spans: dict[tuple[int, int], str] = {}
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS or ent.label_ in ("ORG", "PERSON", "NORP"):
            spans[(ent.start_char, ent.end_char)] = ent.label_
    for m in _CAMP.finditer(text):
        spans = {k: v for k, v in spans.items() if not (k[0] < m.end() and m.start() < k[1])}
        spans[(m.start(), m.end())] = "camp"
    if dateline:
        name, s, e = dateline
        spans = {k: v for k, v in spans.items() if not (k[0] < e and s < k[1])}
        spans[(s, e)] = "dateline"
    # "the Ceres Police Department", "Chicago Police", "Conroe police officer": the place before the agency word
    for (s, e), label in list(spans.items()):
        if label in ("ORG", "GPE", "FAC", "LOC"):  # "Indian River County Sheriff's Office" is tagged anything
            m = _AGENCY.search(text[s:e])
            if m and m.start() > 0:
                del spans[(s, e)]
                lead = re.match(r"(?:the|The)\s+", text[s:e])
                s2 = s + (lead.end() if lead else 0)
                e2 = s + m.start()
                if e2 - s2 >= 3:
                    spans[(s2, e2)] = "ORG-agency"
    modifier_spans: set[tuple[int, int]] = set()
    # "Augusta man shot", "Trotwood homicide victim": a town's name used as a modifier, which the
    # parser often leaves untagged; kept only when the gazetteer knows a town by that very name.
    for m in _TOWN_BEFORE_NOUN.finditer(text):
        s, e = m.span(1)
        if any(a < e and s < b for a, b in spans) or fold(m.group(1)) in DEMONYMS or (
                fold(m.group(1)) in STOP_WORDS or fold(m.group(1)) in _NOT_TOWN_MODIFIERS):
            continue
        if any(c.kind == "city" and c.main and c.population >= 1000 for c in gazetteer.lookup(m.group(1))):
            spans[(s, e)] = "GPE"
            modifier_spans.add((s, e))
    # words of the people the report names in full ("Laura Coleman"): alone, they are those people
    person_words = {fold(w) for ent in doc.ents if ent.label_ == "PERSON" and len(ent) >= 2 for w in ent.text.split()}
    unplaced: dict[str, list[Entry]] = {}
    out: list[PlaceMention] = []
    for (s, e), label in sorted(spans.items()):
        name = text[s:e]
        # "Diyala province", "SAN MIGUEL DEPARTMENT": take the region word into the name
        ext = _REGION_AFTER.match(text[e:e + 20])
        if ext and label != "camp":
            e += ext.end()
            name = text[s:e]
        clean = re.sub(r"^(?:the|The|THE)\s+", "", name).strip(" .,'’")
        if not clean or fold(clean) in NOT_PLACES or len(clean) < 2 or _CITY_PART.fullmatch(clean.strip()):
            continue
        if _BLOCK_OF.search(text[max(0, s - 20):s]) or _INSTITUTION_AFTER.match(text[e:e + 20]):
            # "the 3200 block of West Lexington" is a street; "Mount Sinai Hospital" a hospital, not the
            # town of that name in New York
            continue
        if fold(clean) in _NOT_TOWN_MODIFIERS and _AGENCY_AFTER.match(text[e:e + 30]):
            continue  # "Metro police", "Campus police": no town
        clean, qualifier_in = _split_qualifier(gazetteer, clean)
        cands = gazetteer.lookup(clean)
        if label in PLACE_LABELS and _country_as_adjective(doc, s, e, cands):
            continue  # "U.S. aid", "the U.S. Congress", "a U.S. nun": a nationality (it votes in the prior)
        if label == "dateline" and not cands and " " not in clean:
            # "CLANDESTINE, 13 MAR 89 (RADIO VENCEREMOS) --": a wire files from towns the gazetteer
            # knows; a single word it does not know there is a clandestine radio's, not a place
            continue
        acronym = label != "dateline" and _acronym(clean, text) and not _heads_a_line(text, s)
        if acronym:
            # "UN", "NATO", "MLK", "FMLN": initials, not the small towns of that name (Un in Gujarat,
            # Nato in the Philippines); a country's, a region's ("NC") or a big city's ("NYC") stand
            cands = [c for c in cands if c.kind != "city" or c.population >= 100_000]
            if not cands and not any(c.id.startswith("user:") for c in gazetteer.lookup(clean)):
                continue  # an organisation's initials the gazetteer does not know as a place
        compass = _COMPASS.match(clean)
        if not cands and compass:  # "West Philadelphia", "NW Houston": a part of the city
            cands = [c for c in gazetteer.lookup(clean[compass.end():]) if c.kind == "city"]
        found_as = label
        kind_word = _REGION_AT_END.search(clean) or _REGION_BEFORE.search(text[max(0, s - 40):s])
        if kind_word and kind_word.re is _REGION_AT_END and any(
                c.main and c.kind in ("country", "city") for c in cands):
            kind_word = None  # "United States", "Salt Lake City": the word is part of the name
        bare = clean[:kind_word.start()].strip() if kind_word and kind_word.re is _REGION_AT_END else clean
        if kind_word and bare:
            # "SAN MIGUEL DEPARTMENT", "Helmand province", "Borno State": the text says it is a region,
            # so the towns of that name are not meant; the region's name is the name without its kind
            # ("San Miguel"), which is also how the field's keys write it
            regions = [c for c in cands if c.kind in ("admin1", "admin2")] or [
                c for c in gazetteer.lookup(bare) if c.kind in ("admin1", "admin2")]
            if regions:
                cands = [dataclasses.replace(c, main=True) for c in regions]
            elif not cands and bare != clean:
                # "Rio Blanco municipality": named after its town (under the town's own name; a small
                # town's alternate name is no reading of a region: "Nineveh province" is not in Ohio)
                cands = [c for c in gazetteer.lookup(bare) if c.main]
        else:
            kind_word = None
        if label in ("ORG", "PERSON", "NORP", "ORG-agency") and (
            label == "ORG-agency" or _after_preposition(text, s) or _AGENCY_AFTER.match(text[e:e + 30])
        ) and fold(clean) not in DEMONYMS and any(c.kind == "city" and c.population >= 1000 for c in cands) and (
                label != "PERSON" and label != "ORG" or fold(clean) not in person_words):
            # ("in Coleman's home", "according to Fowler": the person the report names in full)
            label = "GPE"
        if label in ("ORG", "PERSON", "NORP", "ORG-agency"):
            # Names the parser took for organisations or people count only when the gazetteer
            # knows them as a country or region under their own name ("UN" is no town in India).
            if not any(c.id.startswith("user:") for c in cands):
                if fold(clean) in DEMONYMS or clean.isupper() and len(clean) <= 4 or not any(
                    c.main and c.kind in ("country", "admin1") for c in cands
                ):
                    continue
        qualifier = qualifier_in or _qualifier_after(text, e)
        if qualifier and cands and _names_region(gazetteer, qualifier) and not any(
                _qualified(c, qualifier) for c in cands):
            # "HOWLAND, Ohio": the town is in Ohio, so the Howland the gazetteer has (in Maine) is
            # not it; the state named with it places it (and the report's other mentions of the name),
            # under the town's own name
            cands = _region_named(gazetteer, qualifier)
            unplaced[fold(clean)] = cands
        personal = label in ("GPE", "LOC", "FAC") and " " not in clean and fold(clean) in person_words
        if personal and not _after_preposition(text, s) and all(
                c.kind == "city" and c.population < 100_000 for c in cands):
            continue  # "Coleman", "Fowler": the surname of someone the report names, not a town
        start = s + (len(name) - len(name.lstrip()))
        start = text.find(clean, s, e) if clean in text[s:e] else start
        end = start + len(clean)
        after_prep = _after_preposition(text, s)
        if qualifier and cands and re.search(r"\b(?:County|Parish|Borough)$", clean) and _names_region(
                gazetteer, qualifier):
            # "DeKalb County, Georgia": the county of that state, not a town or the county of another
            counties = [c for c in cands if c.kind == "admin2" and _qualified(c, qualifier)]
            cands = counties or cands
            how = R_COUNTY_STATE
        elif qualifier and _names_region(gazetteer, qualifier) and cands:
            how = R_TOWN_STATE
        elif kind_word and (cands or bare != clean):
            how = R_REGION_WORD
        elif found_as == "ORG-agency":
            how = R_AGENCY_TOWN
        elif label == "GPE" and (s, e) in modifier_spans:
            how = R_TOWN_MODIFIER
        elif after_prep:
            how = R_AFTER_PREPOSITION
        else:
            how = R_NAMED_ENTITY
        how = {"dateline": R_DATELINE, "camp": R_CAMP}.get(label, how)
        mention = PlaceMention(
            bare if kind_word else clean, start, end, sent_of(start), label, cands,
            after_preposition=after_prep, qualifier=qualifier, personal=personal, rule=how,
        )
        out.append(mention)
    for m in out:
        if fold(m.name) in unplaced:
            m.candidates = unplaced[fold(m.name)]
    # "DeKalb County, Georgia", "Aurora, Colorado": the name after the comma is the state that
    # qualifies the place before it (Georgia the state, not the country)
    for prev, m in zip(out, out[1:]):
        if prev.qualifier and fold(m.name) == fold(prev.qualifier) and re.fullmatch(r",\s*", text[prev.end:m.start]):
            region = _region_named(gazetteer, m.name)
            near = {c.country_code for c in prev.candidates}
            region = [c for c in region if c.country_code in near] or region
            if region:
                m.candidates = region
    # "Camp Ashraf ... the massacres at Ashraf": the bare name later on is the same site.
    taken = [(m.start, m.end) for m in out]
    for camp in [m for m in out if m.label == "camp"]:
        bare = re.sub(r"^(?:camp|Camp|CAMP)\s+", "", camp.name)
        for m in re.finditer(rf"(?<![\w-]){re.escape(bare)}(?![\w-])", text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            out.append(PlaceMention(
                camp.name, m.start(), m.end(), sent_of(m.start()), "camp", camp.candidates,
                after_preposition=_after_preposition(text, m.start()), qualifier=None, rule=R_CAMP,
            ))
    out.sort(key=lambda m: m.start)
    return out


# Nouns a country's name modifies where it tells where something happened, not whose it is
# ("the Iraq war", "the Syria conflict"); before a deed ("a U.S. air strike") it tells whose.
_SCENE_NOUNS = {"war", "wars", "shooting", "violence", "conflict", "massacre", "border", "crisis", "killing",
                "killings", "fighting", "front", "clash", "clashes", "region"}


def _country_as_adjective(doc: Doc, start: int, end: int, cands: list[Entry]) -> bool:
    """A country's name used as its adjective before a noun ("U.S. aid", "the U.S. Congress",
    "a U.S. nun"): whose, not where."""
    if not cands or not all(c.kind == "country" for c in cands):
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    head = root.head
    return (root.dep_ in ("compound", "amod", "nmod") and head.i >= span.end and head.pos_ in ("NOUN", "PROPN")
            and head.lower_ not in _SCENE_NOUNS)


def _split_qualifier(gazetteer: Gazetteer, name: str) -> tuple[str, str | None]:
    """'DeKalb County, Georgia' tagged as one name: the place and the state or country that qualifies it."""
    head, sep, tail = name.rpartition(", ")
    if sep and head and _names_region(gazetteer, tail):
        return head.strip(), tail.strip()
    return name, None


def _acronym(name: str, text: str) -> bool:
    """Initials in a text written in lower case ("the UN", "NATO", "FMLN"): in a wire in capitals
    every name looks like this, so there it says nothing."""
    if not re.fullmatch(r"[A-Z]{2,5}", name):
        return False
    letters = [c for c in text[:2000] if c.isalpha()]
    return not letters or sum(c.isupper() for c in letters) / len(letters) < 0.5


def _heads_a_line(text: str, start: int) -> bool:
    """A name at the head of the text or of a line: where a dateline in capitals sits ("SELMA, Ala. (AP) -")."""
    return not text[:start].strip() or text[:start].rstrip(" \t").endswith("\n")


def display_name(name: str, quote: str, entry: Entry | None) -> str:
    """The name as people write it: a name quoted from a text in capitals ("SAN SALVADOR", a wire
    dateline) or lower-cased by the parser is shown as the gazetteer writes it, else in title case
    with the particles of Spanish and English names in lower case ("San Luis de la Reina")."""
    if not (quote.isupper() or name.isupper() or name.islower()) or len(name) <= 2:
        return name
    if entry is not None and fold(entry.name) == fold(name):
        return entry.name
    words = re.split(r"(\s+|-)", name.lower())
    out = [w.upper() if re.fullmatch(r"(?:[a-z]\.)+[a-z]?", w) else w if i and w in _PARTICLES
           else w[:1].upper() + w[1:] for i, w in enumerate(words)]
    return "".join(out)


_PARTICLES = {"de", "del", "la", "las", "los", "el", "y", "of", "the", "and", "da", "do", "dos", "das"}


_BLOCK_OF = re.compile(r"\bblock of\s+(?:the\s+)?$", re.I)
_INSTITUTION_AFTER = re.compile(r"^\s+(?:Hospital|Medical Center|Medical Centre|Clinic|Health Center|High School|"
                                r"Middle School|Elementary|University|College|Church|"
                                # a school's name is often written in lower case after it ("Oak Hill
                                # elementary school"); a town's name is not followed by these words
                                r"(?i:elementary|high school|middle school|primary school))\b")
_AGENCY = re.compile(r"\s+(?:Police|police|Sheriff|sheriff|County Sheriff|Fire|Metropolitan Police|City Police)\b.*$")
# Capitalised words before "police", "man" that are no town even where a gazetteer has one by that
# name ("Metro police", "One man" at a sentence's start).
_NOT_TOWN_MODIFIERS = {"metro", "springs", "city", "county", "state", "federal", "local", "area", "police",
                       "transit", "campus", "park", "beach", "harbor", "port", "village", "township"}
_TOWN_BEFORE_NOUN = re.compile(
    r"(?<![\w'’-])((?:[A-Z][a-z]+|[A-Z]\.)(?:\s[A-Z][a-z]+){0,2})\s(?:man|woman|teen|teenager|boy|girl|"
    r"police|homicide|shooting|drive-by|murder|resident|deputies|officer)\b")
_AGENCY_AFTER = re.compile(
    r"^\s+(?:police|Police|officials|authorities|officers?|residents?|man|woman|teen|boy|girl|home)\b")


def _sentence_lookup(doc: Doc):
    starts = [s.start_char for s in doc.sents]

    def sent_of(char: int) -> int:
        lo, hi = 0, len(starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if starts[mid] <= char:
                lo = mid + 1
            else:
                hi = mid
        return max(0, lo - 1)

    return sent_of


def _after_preposition(text: str, start: int) -> bool:
    before = text[max(0, start - 16):start].lower().split()
    before = [w for w in before if w not in ("the",)]
    return bool(before) and before[-1] in ("in", "at", "near", "outside", "inside", "into", "on", "from", "of",
                                           "around", "across", "between", "within", "to")


def _qualifier_after(text: str, end: int) -> str | None:
    """'Aurora, Colorado', 'Snow Hill, N.C.', 'Wallace, Ark.': the state or country after a comma."""
    m = re.match(r",\s+((?:[A-Z][a-zA-Z]*\.?\s?){1,3})", text[end:end + 30])
    if not m:
        return None
    q = m.group(1).strip().rstrip(",")
    # "SAN CARLOS, MORAZAN DEPARTMENT", "Rio Blanco, Tolima department": the region without its kind
    q = _REGION_AT_END.sub("", q).strip() if _REGION_AT_END.sub("", q).strip() else q
    return q or None


# "the Southwest Side", "Far South Side", "West End": a part of the city the report is about, not the
# town of that name elsewhere ("West Side" is an alternate name of a Pennsylvania town, "Side" a
# town in Turkey); the report's city is found in its other names.
_CITY_PART = re.compile(r"(?:(?:far|near|lower|upper)\s+)?(?:north|south|east|west|northwest|northeast|southwest|"
                        r"southeast|[NSEW]{1,2}\.?)\s*(?:side|end)$", re.I)
_COMPASS = re.compile(r"(?:(?:(?:north|south)(?:east|west)?|east|west)(?:ern)?|central|downtown|"
                      r"N|S|E|W|NE|NW|SE|SW)\.?\s+(?=[A-Z])", re.I)


class Resolver:
    """Resolves mentions with the report's own country and region prior."""

    def __init__(self, gazetteer: Gazetteer, mentions: list[PlaceMention], doc: Doc,
                 country_hint: str | None = None, title: str | None = None) -> None:
        self.gazetteer = gazetteer
        self.countries: Counter[str] = Counter()
        self.regions: Counter[tuple[str, str]] = Counter()
        for m in mentions:
            if m.personal:
                continue  # "Luis Rivera ... Rivera said": a Uruguayan department only by name
            kinds = {c.kind for c in m.candidates if c.main}
            # A name that is also a big city elsewhere ("Toledo": Ohio's city, a district of Belize;
            # "Salinas") says nothing of the region: it would vote for the region every time it is said.
            big = {(c.country_code, c.admin1) for c in m.candidates
                   if c.kind == "city" and c.main and c.population >= 100_000}
            for c in m.candidates:
                if c.kind == "country" and (c.main or len(m.candidates) == 1):
                    self.countries[c.country_code] += 2
                elif c.kind == "admin1" and (c.main or "city" not in kinds) and not big - {(c.country_code, c.admin1)}:
                    self.regions[(c.country_code, c.admin1)] += 1
                    self.countries[c.country_code] += 1
            counties = {(c.country_code, c.admin1) for c in m.candidates if c.kind == "admin2"}
            if len(counties) == 1 and re.search(r"\b(?:County|Parish|Co)\b", m.name) and all(
                    c.kind == "admin2" for c in m.candidates):
                # "Cache County" (only in Utah) says which state the report is in; "Jefferson County" does not
                self.regions[next(iter(counties))] += 1
        for tok in doc:
            code = DEMONYMS.get(tok.lower_)
            if code and tok.pos_ in ("ADJ", "PROPN", "NOUN"):
                self.countries[code] += 1
            abbr = US_STATE_ABBREVIATIONS.get(tok.lower_.rstrip("."))
            after_comma = tok.i > 0 and doc[tok.i - 1].text == ","
            if not abbr and len(tok.text) == 2 and tok.text.isupper() and tok.text in _postal_codes() and (
                    tok.i > 1 and not doc[tok.i - 2].text.isupper()):
                abbr = tok.text  # "Birmingham, AL", "Columbus, GA" (not in a line of capitals: "SHOT, IN")
                # an outlet's name in the headline: "WOWK 13 Charleston, Huntington WV News"
                after_comma = after_comma or (tok.idx < 400 and tok.text not in _WORDLIKE_CODES and doc[
                    tok.i - 1].text[:1].isupper() and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "news")
            if abbr and tok.text[:1].isupper() and after_comma:
                self.countries["US"] += 1
                entry = gazetteer.lookup(abbr)
                for e in entry:
                    if e.kind == "admin1" and e.country_code == "US":
                        self.regions[("US", e.admin1)] += 2
        # A state's agency the report cites ("the California Highway Patrol", "Georgia Bureau of
        # Investigation"): the story is in that state, though the parser tags the name an organisation.
        for agency in _state_agency().finditer(text_of(doc)):
            state = next((n for n in us_state_codes() if fold(n) == fold(agency.group(1))), None)
            if state and (state != "Washington" or agency.group(2).startswith("State")):
                # ("Washington police" may be the capital's; "Washington State Patrol" is the state's)
                self.regions[("US", state)] += 1
                self.countries["US"] += 1
        # Countries named as adjectives ("U.S. aid", "the U.S. Attorney's Office"): no place, a vote
        for ent in doc.ents:
            if ent.label_ == "GPE" and _country_as_adjective(doc, ent.start_char, ent.end_char, cands := [
                    c for c in gazetteer.lookup(ent.text) if c.kind == "country"]) and len(cands) == 1:
                self.countries[cands[0].country_code] += 1
        if country_hint:
            self.countries[country_hint] += 1
        # A broadcaster's call sign ("CHELSEA (WHDH) -", "...-KSLA News 12"): stations whose call signs
        # begin with K or W are American (ITU prefixes), so the report is one of a US station.
        if _CALL_SIGN.search(title or "") or _CALL_SIGN_DATELINE.search(text_of(doc)[:400]):
            self.countries["US"] += 2
        # Sheriffs' offices and deputies are American county police.
        if _SHERIFF.search(text_of(doc)):
            self.countries["US"] += 1
        total = sum(self.countries.values())
        main = self.main_country
        if main and self.countries[main] >= max(3, 0.8 * total):
            # A report plainly about one country names a small town abroad only when it says so: a
            # name with readings only in countries the report never points to ("Gentilly", a Paris
            # suburb, in a New Orleans report) is a neighbourhood or a name the gazetteer lacks.
            for m in mentions:
                if m.label not in ("dateline", "camp") and m.candidates and all(
                        c.kind == "city" and c.population < 100_000 and not self.countries.get(c.country_code)
                        and not c.id.startswith("user:") for c in m.candidates):
                    m.candidates = []
        # Big cities the report names, for placing its neighbourhoods ("Kensington" -> Philadelphia).
        self.cities = [c for m in mentions for c in m.candidates if c.kind == "city" and c.population >= 50_000]
        outlet = _outlet_cities(gazetteer, title)
        self.cities += outlet
        # The big city each mention most likely is (its most populous reading), and the outlet's city:
        # a name of many places is read near them ("Englewood" in a report on Chicago is Chicago's).
        self.anchors = [max(cands, key=lambda c: c.population) for cands in (
            [c for c in m.candidates if c.kind == "city" and c.main and c.population >= 100_000] for m in mentions)
            if cands] + outlet
        total = sum(self.countries.values())
        self.share = {cc: n / total for cc, n in self.countries.items()} if total else {}
        self.neighbours = _co_located(mentions)

    @property
    def main_country(self) -> str | None:
        """The country the report is about, when one stands out."""
        if not self.countries:
            return None
        (cc, n), *rest = self.countries.most_common(2) + [(None, 0)]
        second = rest[0][1] if rest else 0
        return cc if n >= 2 * second or n >= 3 and n > second else None

    def resolve(self, m: PlaceMention, report_id: str, text: str) -> Place:
        evidence = (Evidence(report_id, m.start, m.end, text[m.start:m.end]),)
        scored = sorted(((self._score(m, c), i, c) for i, c in enumerate(m.candidates)), reverse=True)
        if not scored:
            cc = self.main_country
            country = self.gazetteer.country(cc) if cc else None
            return Place(
                name=display_name(m.name, text[m.start:m.end], None), evidence=evidence,
                country=country.name if country else None, country_code=cc,
                precision="country" if country else "unknown", lat=country.lat if country else None,
                lon=country.lon if country else None, rule=m.rule,
            )
        best_score, _, best = scored[0]
        ambiguous = False
        if len(scored) > 1:
            second_score, _, second = scored[1]
            differs = (second.country_code != best.country_code) or (
                best.kind == "city" and second.kind == "city" and second.admin1 != best.admin1)
            ambiguous = differs and best_score - second_score < 1.0 and best.kind != "country"
        return Place(
            name=display_name(m.name, text[m.start:m.end], best), evidence=evidence, country=best.country,
            country_code=best.country_code, admin1=best.admin1, admin2=best.admin2, lat=best.lat, lon=best.lon,
            precision=best.precision, gazetteer_id=best.id, ambiguous=ambiguous, city=self._containing_city(best),
            rule=m.rule,
        )

    def _containing_city(self, e: Entry) -> str | None:
        """The city a place lies in: itself for a city, else a much bigger city the report names,
        in the same region and within 20 km ("Kensington" in a report on Philadelphia)."""
        if e.kind in ("town", "village"):
            return e.name  # a user gazetteer's own settlement
        if e.kind != "city":
            return None
        around = [c for c in self.cities if c.id != e.id and c.country_code == e.country_code
                  and c.admin1 == e.admin1 and c.population > 5 * max(e.population, 1)
                  and c.lat is not None and e.lat is not None and distance_km(c.lat, c.lon, e.lat, e.lon) <= 20]
        if around:
            return max(around, key=lambda c: c.population).name
        return e.name

    def _score(self, m: PlaceMention, c: Entry) -> float:
        score = 0.0
        if c.id.startswith("user:"):
            score += 50
        if c.kind == "country":
            score += 9
        elif c.kind == "admin1":
            score += 6 if m.label != "dateline" else 3
            if any(o.kind == "city" and o.main and o.population >= 100_000 and (o.country_code, o.admin1) != (
                    c.country_code, c.admin1) for o in m.candidates):
                # "Toledo", "Salinas", "Portland": a big city's name that is also a district or parish
                # of another country is read as the city unless the report's prior says otherwise
                score -= 3
        elif c.kind == "admin2":
            score += 4
            if any(o.kind == "city" and (o.country_code, o.admin1) == (c.country_code, c.admin1) for o in m.candidates):
                # "Huanta", "Zaranj": a district named after its chief town; the bare name is the town
                # (a name written with its kind, "Huanta province", has no towns among its readings)
                score -= 3
        if c.kind in ("admin1", "admin2") and c.country_code:
            # Regions carry no population; when the report's prior cannot tell two of one name apart
            # ("Florida": a US state, a department of Uruguay), the more populous country's breaks the tie.
            country = self.gazetteer.country(c.country_code)
            score += 0.05 * math.log10((country.population if country else 0) + 10)
        else:
            score += math.log10(c.population + 10)
        if c.main:
            score += 1.5
        if c.country_code:
            score += 4 * self.share.get(c.country_code, 0)
        if c.admin1 and (c.country_code, c.admin1) in self.regions:
            score += 2.5
        if c.kind == "city" and c.lat is not None and any(
                a.id != c.id and a.lat is not None and distance_km(a.lat, a.lon, c.lat, c.lon) <= 30
                for a in self.anchors):
            score += 3
        if m.qualifier and _qualified(c, m.qualifier):
            score += 8
        score += NEIGHBOUR_POINTS * min(self.neighbours.get(c.id, 0), NEIGHBOURS_COUNTED)
        return score


# Towns a report names lie near each other: "Vernon", "Rockville" and "Manchester" in one report are
# the three Connecticut towns a few km apart, not the biggest of each name (in British Columbia,
# Maryland and England). Each reading of a town gains this for every other name of the report with
# a town within NEAR_TOWN_KM of it (up to NEIGHBOURS_COUNTED names).
NEIGHBOUR_POINTS = 1.5
NEIGHBOURS_COUNTED = 2
NEAR_TOWN_KM = 30.0
_READINGS_COMPARED = 12  # the most populous readings of each name (a name of 60 towns costs no more)


def _co_located(mentions: list[PlaceMention]) -> dict[str, int]:
    readings: dict[str, list[Entry]] = {}
    for m in mentions:
        key = fold(m.name)
        if key in readings or m.label == "camp":
            continue
        towns = [c for c in m.candidates if c.kind == "city" and c.lat is not None and c.population >= 1000]
        if towns:
            readings[key] = sorted(towns, key=lambda c: -c.population)[:_READINGS_COMPARED]
    out: dict[str, int] = {}
    names = list(readings)
    if len(names) < 2:
        return out
    for name in names:
        for c in readings[name]:
            n = 0
            for other in names:
                if other != name and any(o.id != c.id and abs(o.lat - c.lat) < 0.5 and distance_km(
                        o.lat, o.lon, c.lat, c.lon) <= NEAR_TOWN_KM for o in readings[other]):
                    n += 1
            if n:
                out[c.id] = max(out.get(c.id, 0), n)
    return out


def _qualified(c: Entry, qualifier: str) -> bool:
    """Does the entry lie in the state or country named after it ("Aurora, Colorado", "Wallace, Ark.")?"""
    q = fold(qualifier)
    code = US_STATE_ABBREVIATIONS.get(q.replace(" ", ".").rstrip("."))
    if not code and qualifier.strip().isupper() and qualifier.strip() in _postal_codes():
        code = qualifier.strip()
    names = {fold(c.admin1 or ""), fold(c.country or "")}
    return q in names or bool(code and c.country_code == "US" and code == _state_code(c))


def _region_named(gazetteer: Gazetteer, qualifier: str) -> list[Entry]:
    """The state or country a qualifier names ("Ohio", "Ore.", "GA")."""
    q = qualifier.strip()
    code = US_STATE_ABBREVIATIONS.get(fold(q).replace(" ", ".").rstrip(".")) or (
        q if q.isupper() and q in _postal_codes() else None)
    if code:
        name = next((n for n, c in us_state_codes().items() if c == code), None)
        return [c for c in gazetteer.lookup(name or "") if c.kind == "admin1" and c.country_code == "US"]
    return [c for c in gazetteer.lookup(q) if c.main and c.kind in ("admin1", "country") and fold(c.name) == fold(q)]


def _names_region(gazetteer: Gazetteer, qualifier: str) -> bool:
    """Is the word after a comma a state or a country ("Ohio", "Ark.", "GA"), not anything else?"""
    q = qualifier.strip()
    if US_STATE_ABBREVIATIONS.get(fold(q).replace(" ", ".").rstrip(".")) or (q.isupper() and q in _postal_codes()):
        return True
    return any(c.main and c.kind in ("admin1", "country") and fold(c.name) == fold(q) for c in gazetteer.lookup(q))


# The outlet after a separator at the end of a title; scraped titles often glue it on with a bare
# hyphen ("...at party-WMC Action News 5-Memphis, Tennessee").
_OUTLET = re.compile(r"(?:\s(?:[-|«»:–—]|::)|-(?=[A-Z]))\s*([^-|«»:–—]+)$")
_OUTLET_CITY_STATE = re.compile(r"([A-Z][a-z]+(?:\s[A-Z][a-z]+)?),\s*([A-Z][a-z]+(?:\s[A-Z][a-z]+)?|[A-Z]{2})\b")


def _outlet_cities(gazetteer: Gazetteer, title: str | None) -> list[Entry]:
    """Big cities in the outlet's name at the end of a scraped title ("... « CBS Chicago",
    "... - Chicago Tribune"): the city a local outlet covers, used only to place neighbourhoods."""
    m = _OUTLET.search(title or "")
    if not m:
        return []
    words = re.findall(r"[A-Z][a-z]+(?:\s[A-Z][a-z]+)?", m.group(1))
    out = []
    # "KSLA News 12 Shreveport, Louisiana", "Columbus, GA": a city with its state is that city, big or not
    codes = us_state_codes()
    for city, state in _OUTLET_CITY_STATE.findall(m.group(1)):
        name = next((n for n, c in codes.items() if state in (n, c)), None)
        if name:
            out += [c for c in gazetteer.lookup(city) if c.kind == "city" and c.main and c.country_code == "US"
                    and c.admin1 == name and c.population >= 20_000]
            words = [w for w in words if w != city]  # not also the bigger Columbus of another state
    for w in words:
        for name in (w, w.split()[0]):
            out += [c for c in gazetteer.lookup(name) if c.kind == "city" and c.main and c.population >= 300_000]
    return out


# A call sign in a title's outlet ("-WBRC FOX6 News", "| WBTV Charlotte", "KMOV.com") or as a dateline's
# source ("(WHDH)"); words of a title in capitals are not call signs.
_CALL_SIGN = re.compile(r"[-|:(]\s*[KW][A-Z]{2,3}(?:-?TV|-FM|-DT)?(?=[\s.:,)]|tv\b|$)")
_CALL_SIGN_DATELINE = re.compile(r"\(\s*[KW][A-Z]{2,3}(?:-?TV)?\s*\)")


@functools.cache
def _state_agency() -> re.Pattern[str]:
    """A US state's name before the name of one of its agencies ("California Highway Patrol")."""
    states = "|".join(sorted((re.escape(n) for n in us_state_codes()), key=len, reverse=True))
    return re.compile(rf"\b({states})\s+((?:State\s+)?(?:Highway Patrol|Patrol|Police|Bureau of Investigation|"
                      r"Department of|Attorney General|National Guard|Medical Examiner|Division of|Office of))\b")
_SHERIFF = re.compile(r"\b(?:[Ss]heriff['’]s (?:[Oo]ffice|[Dd]epartment|[Dd]eputies)|County [Ss]heriff)")


# Postal codes that are also words or other names ("IN", "OR", "LA" for Los Angeles): taken only after a comma.
_WORDLIKE_CODES = frozenset({"IN", "OR", "ME", "OK", "HI", "LA", "DE", "CO", "MS", "PA", "MD", "ID"})


@functools.cache
def _postal_codes() -> frozenset[str]:
    return frozenset(us_state_codes().values())


def _state_code(c: Entry) -> str | None:
    if c.country_code != "US" or not c.admin1:
        return None
    return us_state_codes().get(c.admin1)
