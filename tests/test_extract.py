"""The extractor on sentences, on the bundled examples, and its model files."""

from __future__ import annotations

import datetime as dt

import pytest

from tollbook.evaluate.reading import score
from tollbook.extract.dates import find_dateline, find_dates
from tollbook.extract.numbers import parse_count
from tollbook.records import Report

PUB = dt.date(2024, 3, 13)  # a Wednesday


def main_event(extractor, text, published=PUB):
    events = extractor(Report.from_text(text, published=published))
    mains = [e for e in events if e.role == "main"]
    return mains[0] if mains else None


@pytest.mark.parametrize(
    ("words", "low", "high"),
    [
        (["fifty-two"], 52, 52),
        (["a", "dozen"], 12, 12),
        (["3", "million"], 3_000_000, 3_000_000),
        (["1,200"], 1200, 1200),
        (["two", "hundred"], 200, 200),
        (["dozens"], 24, None),
        (["several"], 3, 9),
    ],
)
def test_parse_count(words, low, high):
    c = parse_count(words)
    assert (c.low, c.high) == (low, high)


def test_acled_reading_of_vague_words():
    assert parse_count(["dozens"], reading="acled").low == 12
    assert parse_count(["hundreds"], reading="acled").low == 100


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "qualifier"),
    [
        ("Gunmen killed 12 people in Lomir on Tuesday.", "killed", 12, 12, "exact"),
        ("At least 52 civilians were killed in the attack.", "killed", 52, None, "at least"),
        ("More than 30 people were wounded in the blast.", "injured", 31, None, "at least"),
        ("Up to 40 people died in the fire.", "killed", None, 40, "at most"),
        ("Nearly 50 people were injured.", "injured", 50, 50, "about"),
        ("About 20 people were killed, officials said.", "killed", 20, 20, "about"),
        ("Between 40 and 50 people were killed in the raid.", "killed", 40, 50, "exact"),
        ("Two officers and three civilians were killed in the ambush.", "killed", 5, 5, "exact"),
        ("Three or four people were hurt in the crush.", "injured", 3, 4, "exact"),
        ("Fewer than 10 people were injured.", "injured", None, 9, "at most"),
        ("Fifty-two people were killed on Sunday.", "killed", 52, 52, "exact"),
        ("Dozens were wounded when the bomb went off.", "injured", 24, None, "vague"),
        ("Militants kidnapped 14 aid workers near the border.", "abducted", 14, 14, "exact"),
        ("Police arrested three suspects after the shooting.", "arrested", 3, 3, "exact"),
        ("The bomb killed 52 people on Monday. The death toll rose to 60 on Tuesday.", "killed", 60, 60, "exact"),
        ("A toddler was fatally wounded in her crib when shots hit the house.", "killed", 1, 1, "exact"),
    ],
)
def test_figures(extractor, text, kind, low, high, qualifier):
    event = main_event(extractor, text)
    f = event.figure(kind)
    assert f is not None, [x.to_dict() for x in event.figures]
    assert (f.low, f.high, f.qualifier) == (low, high, qualifier)
    for ev in f.evidence:
        assert text[ev.start:ev.end] == ev.quote


def test_wounded_who_died_are_killed_and_those_in_hospital_injured(extractor):
    text = ("A 22-year-old woman who was wounded in Sunday's shooting in Springfield died on Monday, bringing the "
            "death toll to three, police said. Two other victims remain in hospital in stable condition.")
    event = main_event(extractor, text)
    killed, injured = event.figure("killed"), event.figure("injured")
    assert (killed.low, killed.high) == (3, 3)
    assert (injured.low, injured.high) == (2, 2), injured.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "The town has a population of 45,000 people and 3000 refugees live in the camp.",
        "The 34-year-old man was born in 1989 and paid $5,000 for the car.",
        "The school has 320 pupils aged 11 to 17.",
        "No one was hurt when 30 homes were searched at 11 p.m. on Elm Street.",
    ],
)
def test_numbers_that_are_not_casualties(extractor, text):
    events = extractor(Report.from_text(text, published=PUB))
    assert [f.to_dict() for e in events for f in e.figures if f.low] == []


def test_repeated_figure_is_not_added_twice(extractor):
    text = "Twelve people were killed in the blast in Tarsel. The 12 people killed were all traders."
    assert main_event(extractor, text).figure("killed").low == 12


@pytest.mark.parametrize(
    ("phrase", "earliest", "latest", "precision"),
    [
        ("on Sunday", "2024-03-10", "2024-03-10", "day"),
        ("on Wednesday", "2024-03-13", "2024-03-13", "day"),  # the publication day itself
        ("late on Tuesday", "2024-03-12", "2024-03-12", "day"),
        ("yesterday", "2024-03-12", "2024-03-12", "day"),
        ("last night", "2024-03-12", "2024-03-12", "day"),
        ("over the weekend", "2024-03-09", "2024-03-10", "week"),
        ("on March 2", "2024-03-02", "2024-03-02", "day"),
        ("in February", "2024-02-01", "2024-02-29", "month"),
    ],
)
def test_dates(phrase, earliest, latest, precision):
    text = f"Gunmen killed three people {phrase}, police said."
    found = find_dates(text, PUB)
    assert found, phrase
    d = found[0]
    assert (d.earliest.isoformat(), d.latest.isoformat()) == (earliest, latest)
    assert d.precision == precision


def test_dateline():
    line = find_dateline("SAN SALVADOR, 3 JAN 90 (ACAN-EFE) -- [TEXT] GUERRILLAS ATTACKED")
    assert line.place == "SAN SALVADOR" and line.date == dt.date(1990, 1, 3)
    assert find_dateline("The attack on 3 January 1990 -- a note") is None


def test_hedged_perpetrator_is_a_claim(extractor):
    text = "Police said the attack was allegedly carried out by the Red Ridge Front. Five people were killed."
    event = main_event(extractor, text)
    perps = [a for a in event.actors if a.role == "perpetrator"]
    assert perps and perps[0].hedged and "Red Ridge Front" in perps[0].text
    assert perps[0].attributed_to.lower() == "police"


def test_place_resolves_with_country_prior(extractor):
    text = "Two people were shot dead in Springfield, Illinois, on Sunday, police said."
    place = main_event(extractor, text).place
    assert (place.name, place.admin1, place.country_code) == ("Springfield", "Illinois", "US")
    assert place.lat and place.lon and place.precision == "city"


def test_upper_case_wire_copy(extractor):
    text = ("SAN SALVADOR, 3 JAN 90 (ACAN-EFE) -- [TEXT] URBAN GUERRILLAS KILLED TWO SOLDIERS AND WOUNDED "
            "FIVE CIVILIANS IN AN ATTACK ON A MILITARY POST IN SAN SALVADOR LAST NIGHT, THE ARMED FORCES REPORTED.")
    event = main_event(extractor, text, published=None)
    assert event.figure("killed").low == 2 and event.figure("injured").low == 5
    assert event.place.country_code == "SV"
    assert event.when.earliest == dt.date(1990, 1, 2)


def test_bundled_examples_match_their_reading(extractor):
    from tollbook.evaluate.examples import check_examples

    checks = check_examples(extractor)
    failed = [f"{c.name} ({c.detail})" for c in checks if not c.ok]
    assert score(checks) == 1.0, "\n".join(failed)


def test_model_files_are_the_recorded_ones():
    from tollbook.extract.nlp import verify_model

    assert verify_model() == []


def test_attribution_after_the_verb_gives_a_proper_span(extractor):
    text = "Gunmen killed two farmers near Lomir on Monday, said police spokesman Ali Hassan."
    for event in extractor(Report.from_text(text, published=PUB)):
        for _label, ev in event.all_evidence():
            assert ev.start < ev.end and text[ev.start:ev.end] == ev.quote


def test_a_suspects_hometown_is_not_another_incident(extractor):
    text = ("A woman wounded in Sunday's shooting outside a bar in Springfield died on Monday, police said.\n\n"
            "Two other victims remain in hospital. The suspect, a 34-year-old man from Decatur, was charged with "
            "murder.")
    mains = [e for e in extractor(Report.from_text(text, published=PUB)) if e.role == "main"]
    assert len(mains) == 1


# Where an incident happened: the rules of docs/extraction.md ("Where an incident happened"), one report each.
@pytest.mark.parametrize(("text", "where"), [
    pytest.param("Man wounded in Tacoma shooting\n\n"
                 "A 40-year-old man was shot in the leg in the 300 block of Pine Crest Lane early Sunday, police said.",
                 ("Tacoma", "Washington"), id="violence_told_at_a_street_is_placed_in_the_reports_town"),
    pytest.param("Tacoma man shot in the leg\n\nA 40-year-old man was shot in the leg early Sunday, police said.",
                 ("Tacoma", "Washington"), id="a_town_named_as_a_modifier_is_a_place"),
    pytest.param("A 22-year-old man was shot and killed Sunday night in Englewood, police said. "
                 "It was the third shooting in Chicago this weekend.",
                 ("Englewood", "Illinois"), id="a_name_of_many_towns_is_read_near_the_big_city_the_report_names"),
    # "West Side" is also a name of a Pennsylvania town and "Side" a town in Turkey
    pytest.param("Man shot on the West Side\n\nA 30-year-old man was shot Sunday on the West Side, Chicago police "
                 "said. He was taken to Stroger Hospital.",
                 ("Chicago", "Illinois"), id="a_side_of_the_city_is_no_town_elsewhere"),
    pytest.param("Teen shot while walking home-FOX News-Birmingham, AL\n\n"
                 "A teen was shot Tuesday in Birmingham, police said.",
                 ("Birmingham", "Alabama"), id="a_postal_state_code_after_a_comma_is_the_reports_state"),
    pytest.param("Metro police said a man was shot and wounded Sunday in Nashville, Tennessee.",
                 ("Nashville", "Tennessee"), id="metro_police_is_no_town"),
    pytest.param("Two shot at motel-WOWK 13 Charleston, Huntington WV News\n\n"
                 "Two people were shot overnight in Charleston, police said.",
                 ("Charleston", "West Virginia"),
                 id="an_outlets_state_code_in_the_headline_places_a_town_of_many_states"),
    # the biggest Manchester is in England, the biggest Rockville in Maryland
    pytest.param("A 15-year-old was shot and critically injured in Manchester on Saturday. He was taken to a "
                 "hospital in Rockville, where a friend was charged.",
                 ("Manchester", "Connecticut"), id="towns_a_report_names_are_read_near_each_other"),
    pytest.param("A 14-year-old girl was found shot in a ditch in Smithfield on Friday, Cache County deputies said.",
                 ("Smithfield", "Utah"), id="a_county_of_one_state_tells_the_reports_state"),
])
def test_where_an_incident_happened(extractor, text, where):
    place = main_event(extractor, text).place
    assert (place.name, place.admin1) == where


def test_a_neighbourhood_the_gazetteer_lacks_is_kept_with_its_region(extractor):
    text = ("A 19-year-old man was shot dead on Sunday in Quillbrook Heights, according to Multnomah County "
            "sheriff's deputies.")
    place = main_event(extractor, text).place
    assert place.name == "Quillbrook Heights"
    assert (place.admin2, place.admin1, place.precision) == ("Multnomah County", "Oregon", "admin2")
    assert place.lat and place.lon


def test_a_region_named_in_two_countries_goes_to_the_more_populous_one_when_nothing_else_tells(extractor):
    place = main_event(extractor, "A Florida mother shot and killed her daughter on Sunday, police said.").place
    assert (place.admin1, place.country_code, place.ambiguous) == ("Florida", "US", True)


def test_the_day_of_a_statement_is_not_the_day_of_the_violence(extractor):
    # PUB is a Wednesday: Tuesday is the 12th, Sunday the 10th
    event = main_event(extractor, "Police said Tuesday that a man was shot dead on Sunday night in Tacoma.")
    assert event.when.earliest == dt.date(2024, 3, 10)


def test_a_big_citys_name_is_not_a_small_countrys_district(extractor):
    # Toledo is also a district of Belize, Salinas a municipality of Puerto Rico
    for town, state in (("Toledo", "Ohio"), ("Salinas", "California")):
        text = f"A {town} man was shot and killed Sunday night, police said. The shooting happened in {town}."
        place = main_event(extractor, text).place
        assert (place.name, place.admin1, place.country_code) == (town, state, "US")


def test_an_american_stations_call_sign_points_to_the_united_states(extractor):
    text = "CHELSEA (WHDH) - A 15-year-old has died following a shooting in Chelsea on Friday, police said."
    place = main_event(extractor, text).place
    assert (place.name.title(), place.country_code) == ("Chelsea", "US")


def test_a_small_town_abroad_is_not_taken_in_a_report_plainly_about_one_country(extractor):
    # Gentilly is a suburb of Paris and a New Orleans neighbourhood the gazetteer lacks
    text = ("Three killed in Gentilly shooting\n\nNEW ORLEANS (WWL) - Three people were shot dead Sunday in Gentilly, "
            "New Orleans police said. It was the deadliest shooting in Louisiana this year.")
    place = main_event(extractor, text).place
    assert place.country_code == "US" and place.admin1 == "Louisiana"


def test_the_outlet_glued_to_a_title_names_its_city_with_its_state(extractor):
    from tollbook.extract.places import _outlet_cities

    cities = _outlet_cities(extractor.gazetteer, "Teen shot at party-WTVM Action News 9-Columbus, GA")
    assert {(c.name, c.admin1) for c in cities} == {("Columbus", "Georgia")}
    assert _outlet_cities(extractor.gazetteer, "Officer-involved shooting in a park") == []


def test_initials_are_no_small_towns_alternate_name(extractor):
    # "MLK" is an alternate name (an airport code) of Malta, Montana
    place = main_event(extractor, "A teen was shot at an MLK celebration in southeast Houston on Monday.").place
    assert (place.name, place.admin1) == ("Houston", "Texas")


def test_a_town_of_another_state_than_the_one_named_with_it_is_not_it(extractor):
    # the gazetteer's only Howland is in Maine
    text = "HOWLAND, Ohio (WKBN) - Police said a man was shot dead at a Howland home on Saturday."
    event = main_event(extractor, text)
    assert event.place.admin1 == "Ohio" and not any(p.admin1 == "Maine" for p in event.places)


def test_the_surname_of_someone_the_report_names_is_no_town(extractor):
    text = ("Laura Coleman, 32, and her two children were found shot dead at a home near Doniphan on Thursday, "
            "the sheriff said. The bodies were discovered in Coleman's home.")
    place = main_event(extractor, text).place
    assert place.name != "Coleman"


def test_a_street_after_block_of_and_a_hospital_are_no_towns(extractor):
    # "West Lexington" would be read as Lexington, Kentucky; Mount Sinai is also a town in New York
    text = ("Two men were shot in the 3200 block of West Lexington in Chicago on Tuesday. One was taken to "
            "Mount Sinai Hospital, where he died.")
    event = main_event(extractor, text)
    assert (event.place.name, event.place.admin1) == ("Chicago", "Illinois")
    assert not any(p.admin1 in ("Kentucky", "New York") for p in event.places)
