"""Places of armed conflict (regions of every country, wire copy in capitals) and the defects of
issue 17 item 7 (initials taken for towns, counties with their state, the state a report points to,
datelines shown in capitals). Texts are invented."""

from __future__ import annotations

import datetime as dt

import pytest

from tollbook.extract.gazetteer import region_alternates, region_name
from tollbook.extract.rules import all_rules
from tollbook.records import Report

PUB = dt.date(2024, 3, 13)


def main_place(extractor, text, title=None):
    events = extractor(Report.from_text(text, title=title, published=PUB))
    mains = [e for e in events if e.role == "main"]
    assert mains, f"no main event in {text!r}"
    return mains[0].place


@pytest.mark.parametrize(("raw", "name"), [
    ("Muhafazat Kirkuk", "Kirkuk"), ("Basra Governorate", "Basra"), ("Municipio de Chajul", "Chajul"),
    ("Wilayat-e Baghlan", "Baghlan"), ("Departamento de Morazan", "Morazan"), ("Helmand", "Helmand"),
])
def test_geonames_region_names_are_written_as_people_write_them(raw, name):
    assert region_name(raw) == name


def test_regions_have_their_english_names_and_names_without_the_arabic_article():
    assert {"Raqqa", "Raqqah"} <= set(region_alternates("SY", "Ar-Raqqah"))
    assert "Nineveh" in region_alternates("IQ", "Ninawa") and "Marib" in region_alternates("YE", "Ma'rib")


@pytest.mark.parametrize(("text", "name", "cc", "precision"), [
    ("Two civilians were killed when a car bomb exploded in Anbar governorate on Tuesday.", "Anbar", "IQ", "admin1"),
    ("An air strike killed five people in Helmand province on Monday, officials said.", "Helmand", "AF", "admin1"),
    ("Gunmen killed seven villagers in Borno State on Sunday, residents said.", "Borno", "NG", "admin1"),
    ("Rebels killed four soldiers in an ambush in Huanta province on Friday.", "Huanta", "PE", "admin2"),
    ("Two civilians were killed when a car bomb exploded in Nineveh province on Tuesday.", "Nineveh", "IQ", "admin1"),
    ("   SAN SALVADOR, 9 FEB 90 -- [TEXT] TERRORISTS KILLED THREE PEASANTS IN USULUTAN DEPARTMENT "
     "YESTERDAY, THE ARMED FORCES REPORTED.", "Usulutan", "SV", "admin1"),
], ids=["governorate", "province", "nigerian-state", "second-level-province", "english-name", "wire-in-capitals"])
def test_regions_of_conflict_countries_are_places(extractor, text, name, cc, precision):
    place = main_place(extractor, text)
    assert (place.name, place.country_code, place.precision) == (name, cc, precision)
    assert place.rule == "places.region-word"
    assert place.lat and place.lon


def test_a_town_named_like_its_district_is_the_town(extractor):
    place = main_place(extractor, "Rebels killed four soldiers in an ambush near Huanta on Friday, the army said.")
    assert (place.name, place.country_code, place.precision) == ("Huanta", "PE", "city")


def test_a_wire_dateline_in_capitals_is_shown_in_title_case(extractor):
    text = ("   BOGOTA, 12 MAR 90 -- [TEXT] A BOMB EXPLODED TODAY IN A MARKET OF THIS CAPITAL, KILLING FOUR "
            "PEOPLE, POLICE SAID.")
    events = extractor(Report.from_text(text, published=PUB))
    dateline = next(p for e in events for p in e.places if p.rule == "places.dateline")
    assert dateline.name == "Bogotá" and dateline.evidence[0].quote == "BOGOTA"


@pytest.mark.parametrize("text", [
    "Two aid workers were killed in the attack on Monday, the UN said.",
    "NATO said two soldiers were killed when their convoy was attacked on Monday.",
])
def test_initials_of_organisations_are_no_places(extractor, text):
    events = extractor(Report.from_text(text, published=PUB))
    names = {p.name for e in events for p in e.places}
    assert not names & {"UN", "Un", "NATO", "Nato"}


def test_a_county_with_its_state_is_that_states_county(extractor):
    events = extractor(Report.from_text("A man was shot and killed Saturday in DeKalb County, Georgia, police said.",
                                        published=PUB))
    place = events[0].place
    assert (place.name, place.admin1, place.precision, place.rule) == (
        "DeKalb County", "Georgia", "admin2", "places.county-state")
    # the state after the comma is the US state, not the country of that name
    assert all(p.country_code == "US" for p in events[0].places)


@pytest.mark.parametrize("text", [
    "A man was shot and killed in Pasadena on Tuesday. California Highway Patrol officers closed the freeway.",
    "PASADENA, Calif. - A man was shot and killed on Tuesday night, police said.",
], ids=["state-agency", "dateline-state"])
def test_the_state_a_report_points_to_outweighs_a_bigger_namesake(extractor, text):
    place = main_place(extractor, text)
    assert (place.name, place.admin1) == ("Pasadena", "California")


def test_every_place_names_a_registered_rule(extractor):
    known = {r.id for r in all_rules("places")}
    text = ("   LIMA, 5 JAN 90 -- [TEXT] A BOMB EXPLODED TODAY IN HUANCAYO, JUNIN DEPARTMENT, KILLING TWO "
            "PEOPLE, AND GUERRILLAS KILLED A MAYOR NEAR AYACUCHO, POLICE SAID.")
    places = [p for e in extractor(Report.from_text(text, published=PUB)) for p in e.places]
    assert places and all(p.rule in known for p in places)


@pytest.mark.parametrize(("title", "text", "state"), [
    ("Man shot dead in Pasadena - Los Angeles Times", "A man was shot and killed in Pasadena on Tuesday.",
     "California"),
    ("Man shot dead in Pasadena - Houston Chronicle", "A man was shot and killed in Pasadena on Tuesday.", "Texas"),
    (None, "ALTADENA (CNS) - A man was shot and killed in Pasadena on Tuesday night, police said.", "California"),
], ids=["outlet-los-angeles", "outlet-houston", "dateline-town-nearby"])
def test_the_outlet_and_the_dateline_place_a_town_of_two_states(extractor, title, text, state):
    events = extractor(Report.from_text(text, title=title, published=PUB))
    pasadena = next(p for e in events for p in e.places if p.name == "Pasadena")
    assert pasadena.admin1 == state


@pytest.mark.parametrize(("text", "where"), [
    ("Two people were killed in a U.S. air strike in Syria on Monday.", {"SY"}),
    ("   SAN SALVADOR, 9 FEB 90 -- [TEXT] A U.S. NUN WAS SERIOUSLY WOUNDED TODAY WHEN SOLDIERS FIRED ON HER CAR "
     "IN SOYAPANGO.", {"SV"}),
    ("A man was shot and killed in the United States on Monday.", {"US"}),
], ids=["air-strike", "wire-in-capitals", "country-after-in"])
def test_a_country_named_as_its_adjective_is_no_place(extractor, text, where):
    events = extractor(Report.from_text(text, published=PUB))
    assert {p.country_code for e in events for p in e.places} == where


def test_a_user_gazetteer_with_an_unknown_field_or_kind_is_refused(tmp_path):
    from tollbook.errors import GazetteerError
    from tollbook.extract.gazetteer import read_user_gazetteer

    good = tmp_path / "good.csv"
    good.write_text("name,lat,lon,kind\nCamp Orla,33.1,44.2,camp\n", encoding="utf-8")
    assert read_user_gazetteer(good)[0][0].kind == "camp"
    typo = tmp_path / "typo.csv"
    typo.write_text("name,lat,lon,kidn\nCamp Orla,33.1,44.2,camp\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="unknown field.*kidn"):
        read_user_gazetteer(typo)
    kind = tmp_path / "kind.csv"
    kind.write_text("name,lat,lon,kind\nCamp Orla,33.1,44.2,campsite\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="kind 'campsite' is not one of"):
        read_user_gazetteer(kind)
