"""Reports that speak of violence without telling a deed yield no incident; the deed a report
tells first names its type. Sentences invented for the tests."""

from __future__ import annotations

import datetime as dt

import pytest

from tollbook.records import Report

PUB = dt.date(2024, 3, 13)


def mains(extractor, text):
    return [e for e in extractor(Report.from_text(text, published=PUB)) if e.role == "main"]


@pytest.mark.parametrize("text", [
    "The rebel commander threatened to attack the garrison at Dorvale if the talks fail.",
    "The minister warned that the guerrillas could bomb the power lines near Dorvale.",
    "The bishop said such attacks against the poor must stop and called for dialogue.",
    "Troops seized five grenades, two rifles and a box of dynamite in Dorvale on Monday.",
    "The army said it did not kill anyone during the patrol near Dorvale.",
])
def test_talk_of_violence_is_no_incident(extractor, text):
    # the report may still say what it is (weapons seized: a strategic development), but it tells
    # no violent incident
    from tollbook.records import NO_INCIDENT_TYPES

    assert [e.type for e in mains(extractor, text) if e.type not in NO_INCIDENT_TYPES] == []


def test_a_dated_deed_is_still_an_incident(extractor):
    events = mains(extractor, "Gunmen attacked a police post in Dorvale on Monday, killing two officers.")
    assert len(events) == 1 and events[0].figure("killed").low == 2


def test_type_comes_from_the_sentence_that_first_tells_the_deed(extractor):
    text = ("Gunmen ambushed a bus near Dorvale on Monday and killed three passengers. "
            "Army artillery later shelled the hills where the attackers had fled.")
    events = mains(extractor, text)
    assert events and events[0].type == "Attack"


def test_a_bomb_told_after_the_attack_is_how_it_was_done(extractor):
    text = ("Rebels attacked the home of a judge in Dorvale on Monday, wounding two guards. "
            "The attack was carried out with two bombs thrown from a car.")
    events = mains(extractor, text)
    assert events and events[0].type == "Remote explosive/landmine/IED"


def test_muc4_counts_shelling_as_an_attack():
    # MUC-4 keeps BOMBING for explosive devices placed or thrown; mortar, rocket and aerial fire is ATTACK.
    from tollbook.evaluate.muc4 import muc_type

    assert muc_type("Shelling/artillery/missile attack") == "ATTACK" and muc_type("Air/drone strike") == "ATTACK"
    assert muc_type("Remote explosive/landmine/IED") == "BOMBING" and muc_type("Grenade") == "BOMBING"


def victims(extractor, text):
    return [a.text for e in extractor(Report.from_text(text, published=PUB)) for a in e.actors if a.role == "victim"]


def test_a_victim_is_named_without_where_they_were(extractor):
    # who they were, without the article (and without the count: see tests/rules/actors.yaml)
    assert victims(extractor, "A soldier in the village of Dorvale was killed by rebels on Monday.") == ["soldier"]


@pytest.mark.parametrize("text, name", [
    ("Judge Maria Tellen died in the explosion at the courthouse in Dorvale on Monday.", "Tellen"),
    ("Gunmen killed three farmers near Dorvale on Monday. The victims were identified as Pedro Lanz, "
     "Jorge Mireles and Tomas Vey.", "Mireles"),
    ("The party condemned the disappearance and kidnapping of Marco Tellen in Dorvale on Monday.", "Tellen"),
    ("Police are investigating Senator Alba Ruiz's assassination in Dorvale on Monday.", "Ruiz"),
])
def test_named_victims(extractor, text, name):
    assert any(name in v for v in victims(extractor, text)), victims(extractor, text)


def test_a_wire_report_prefers_a_scene_in_its_own_country(extractor):
    text = ("LIMA, 5 JAN 90 (EFE) -- [TEXT] A VISITING BUSINESSMAN FROM CARACAS WAS SHOT DEAD BY TERRORISTS IN "
            "HUANCAYO YESTERDAY, THE POLICE REPORTED.")
    events = [e for e in extractor(Report.from_text(text)) if e.role == "main"]
    assert events and events[0].places[0].country_code == "PE", [p.name for p in events[0].places]


@pytest.mark.parametrize("text", [
    "The governor ordered his militia to carry out a massacre of the villagers of Dorvale on Monday.",
    "Police are looking for two men after a robbery attempt and a shooting outside a bar in Dorvale on Monday.",
    "Three armed men held a family at gunpoint in their home in Dorvale on Sunday night.",
    "The attack on the market in Dorvale on Monday may portend worse violence, the mayor said.",
])
def test_deeds_told_around_intent_words_are_incidents(extractor, text):
    assert len(mains(extractor, text)) == 1


def test_victims_named_after_including(extractor):
    found = victims(extractor, "Five people, including two journalists, were wounded when gunmen attacked a bus "
                               "in Dorvale on Monday.")
    assert any("journalists" in v for v in found), found


def test_a_place_is_no_victim(extractor):
    found = victims(extractor, "Rebels attacked Dorvale province on Monday, killing two farmers.")
    assert not any("province" in v for v in found), found


def test_a_possessor_victim_is_named_without_the_possessive(extractor):
    found = victims(extractor, "Police are investigating Senator Alba Ruiz's assassination in Dorvale on Monday.")
    assert any(v.endswith("Ruiz") for v in found), found


@pytest.mark.parametrize("text, name", [
    ("Gunmen killed two farmers near Dorvale on Monday. One of the dead was Pedro Lanz.", "Lanz"),
    ("A bomb exploded at the market in Dorvale on Monday. Mayor Tomas Vey was among the wounded.", "Vey"),
    ("Gunmen shot the businessman, Jorge Mireles, outside his home in Dorvale on Monday.", "Mireles"),
])
def test_victims_named_by_copula_or_apposition(extractor, text, name):
    assert any(name in v for v in victims(extractor, text)), victims(extractor, text)


def test_rebels_killed_in_fighting_are_no_victims(extractor):
    found = victims(extractor, "Soldiers killed four rebels near Dorvale on Monday, the army said.")
    assert not any("rebels" in v for v in found), found


def test_every_member_of_a_victim_list(extractor):
    found = victims(extractor, "The bishop condemned the murders of the two priests, their cook and her daughter "
                               "in Dorvale on Monday.")
    assert any("cook" in v for v in found) and any("daughter" in v for v in found), found


def test_the_death_of_people_names_them(extractor):
    found = victims(extractor, "Gunmen attacked a farm in Dorvale on Monday. The council condemned the death of "
                               "the peasants.")
    assert any("peasants" in v for v in found), found


def test_an_attack_on_troops_is_a_clash(extractor):
    # both sides armed: ACLED's Battles / Armed clash (docs/model.md)
    events = mains(extractor, "Rebels ambushed an army patrol near Dorvale on Monday, killing three soldiers.")
    assert events and events[0].type == "Armed clash"


def test_an_attack_on_villagers_stays_an_attack(extractor):
    events = mains(extractor, "Rebels ambushed a bus near Dorvale on Monday, killing three villagers.")
    assert events and events[0].type == "Attack"


def test_two_scenes_the_gazetteer_lacks_are_two_incidents(extractor):
    text = ("Rebels attacked a bus near San Ulpiano on Monday, killing two farmers.\n\n"
            "Gunmen shot dead a teacher in Santa Brisela on Tuesday, police said.")
    assert len(mains(extractor, text)) == 2


def test_struck_by_a_bullet_is_no_airstrike(extractor):
    from tollbook.records import Report

    shot = extractor(Report.from_text("A 9-year-old girl was struck by a stray bullet on Sunday night in Tacoma."))
    assert shot and shot[0].type == "Attack"
    strike = extractor(Report.from_text("A drone strike killed four people in a village near Marib on Sunday."))
    assert strike and strike[0].type == "Air/drone strike"
