"""Casualty-figure rules on invented sentences: one test per rule of extract/figures.py and of
reconcile/incidents.py's best figure (docs/extraction.md, docs/reconcile.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from tollbook.reconcile import build_incidents
from tollbook.records import Event, Evidence, Figure, Place, Report, When

PUB = dt.date(2024, 3, 13)
# A first sentence is read as a headline; these rules are about body text.
LEAD = "Officers were called to Quarry Lane on Tuesday. "


def figures_of(extractor, text):
    events = extractor(Report.from_text(LEAD + text, published=PUB))
    mains = [e for e in events if e.role == "main"]
    return {f.kind: (f.low, f.high) for f in mains[0].figures if not f.who} if mains else {}


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        # a person singled out by an article is one of a counted toll, not a rival figure
        ("A retired baker was killed in the attack. Police said three people were killed.", "killed", (3, 3)),
        # "another" standing alone is one more person
        ("Two men were shot dead at the bar and another was injured.", "injured", (1, 1)),
        ("Another 9-year-old was hurt in the crash of gunfire.", "injured", (1, 1)),
        # a possessed kinship noun is a person
        ("He is charged with killing his stepmother and injuring two others.", "killed", (1, 1)),
        ("He is charged with killing his stepmother and injuring two others.", "injured", (2, 2)),
        # a numbered subject and nothing after the verb: the participle is passive
        ("The blast outside the depot left a guard dead and seven other people wounded.", "injured", (7, 7)),
        # the shooter who turns the gun on himself is one more person hit
        ("Deputies said the farmer shot his neighbour and then himself.", "injured", (2, 2)),
        # "the 6-year-old" names one person again
        ("The 7-year-old was taken to a clinic but later died.", "killed", (1, 1)),
        ("The clerk succumbed to his injuries on Friday.", "killed", (1, 1)),
        # a total given first, then the victims told apart: the parts are not added again
        ("Four guards were killed in the raid. Three other guards also died, the company said.", "killed", (4, 4)),
        # but in one sentence "other" people are more people
        ("The raid killed four guards and three other workers.", "killed", (7, 7)),
        # the killed are among those shot, even when the killed are told in parts
        ("Five people were shot at the party. Two of them died, and a third victim also died.", "injured", (2, 2)),
        # the attacker's own death is one more beside those he killed, told once
        ("The farmer killed his two brothers and then killed himself. He killed himself in the barn.", "killed",
         (3, 3)),
        ("The farmer killed his wife and son before he turned the gun on himself.", "killed", (3, 3)),
        ("The farmer shot his neighbour, then took his own life.", "killed", (1, 1)),
        # ...but a total of the dead most often counts him already
        ("Three people are dead. The farmer shot his wife and son before turning the gun on himself.", "killed",
         (3, 3)),
        # ...and with no one else harmed he is the one person counted
        ("The boy fatally shot himself with a rifle. He died at the scene.", "killed", (1, 1)),
        # a bare conjunct takes the first one's determiner
        ("A man and woman were wounded by the blast.", "injured", (2, 2)),
        # a deed named as a noun counts its people when nothing else in the report does
        ("He was found guilty on Friday of the murder of an 8-year-old girl.", "killed", (1, 1)),
        ("The farmer is accused of a double homicide near the mill.", "killed", (2, 2)),
        ("He faces trial over the shooting of seven people at the depot.", "injured", (7, 7)),
        # ...and gives way to a count the report makes with a casualty word
        ("Two guards were killed at the depot. He faces trial over the murder of a guard.", "killed", (2, 2)),
        # being treated is being hurt, fate not said: a death told elsewhere takes the person
        ("The boy was being treated at a clinic. He died on Friday.", "injured", (0, 0)),
    ],
)
def test_figure_rules(extractor, text, kind, value):
    assert figures_of(extractor, text).get(kind) == value, figures_of(extractor, text)


def _event(report, figure, eid):
    ev = (Evidence(report.id, 0, 4, report.text[:4]),)
    return Event(report.id, "Attack", "main", ev, [figure],
                 [Place("Tarsel", ev, "Arvelia", None, "Vadra", None, -44.9, -21.6, "city", "user:tarsel",
                        city="Tarsel")],
                 [When(dt.date(2024, 3, 9), dt.date(2024, 3, 9), "day", ev)], id=eid)


def test_best_is_the_largest_count_not_the_latest_partial_one():
    """A later report about one victim ('the man who died was 34') does not lower the toll."""
    reports, events = {}, []
    for n, (text, day, low, high, q) in enumerate((
        ("Three killed in Tarsel shooting on Saturday.", 9, 3, 3, "exact"),
        ("Man killed in Tarsel shooting was a teacher.", 11, 1, 1, "exact"),
    )):
        r = Report.from_text(text, published=dt.date(2024, 3, day), source=f"s{n}.example")
        reports[r.id] = r
        ev = (Evidence(r.id, 0, 4, r.text[:4]),)
        events.append(_event(r, Figure("killed", low, high, q, ev), n))
    (inc,) = build_incidents(events, reports)
    killed = inc.figure("killed")
    assert (killed.low, killed.best, killed.high) == (1, 3, 3)


def test_a_report_that_contradicts_itself_offers_its_larger_count():
    r = Report.from_text("A man was killed ... three people were killed in Tarsel.", published=dt.date(2024, 3, 9))
    ev = (Evidence(r.id, 0, 4, r.text[:4]),)
    # (known by the rule that made the range, not by its note: reconcile computes with no words for people)
    disputed = Figure("killed", 1, 3, "vague", ev, "reports disagree", rule="figures.reports-disagree")
    (inc,) = build_incidents([_event(r, disputed, 0)], {r.id: r})
    assert inc.figure("killed").best == 3
    # a vague word's range ("several": 3..9) is not a contradiction: its low end stays the best
    r2 = Report.from_text("Several people were killed in Tarsel.", published=dt.date(2024, 3, 9))
    ev2 = (Evidence(r2.id, 0, 4, r2.text[:4]),)
    (inc2,) = build_incidents([_event(r2, Figure("killed", 3, 9, "vague", ev2, "several"), 0)], {r2.id: r2})
    assert inc2.figure("killed").best == 3


@pytest.mark.parametrize(
    "text",
    [
        "He was convicted last week in the 2009 shooting death of a cashier.",  # a year, not a count
        "Her aunt said nobody should have to bury such a young life.",  # one already counted, or none
        "Detectives said 14 search warrants were executed across the county.",  # warrants, not people
        "The van turned into a dead end behind the mill.",  # an end, not a person
    ],
)
def test_numbers_and_words_that_are_not_a_toll(extractor, text):
    killed = figures_of(extractor, text).get("killed")
    assert killed is None or killed == (1, 1) and "cashier" in text, killed


def test_people_shot_in_one_report_and_dead_in_another_are_not_injured():
    """An early report: 'a man was shot' (fate not told); a later one: 'the man died'."""
    reports, events = {}, []
    for n, (text, day, kind, note) in enumerate((
        ("A man was shot in Tarsel on Saturday.", 9, "injured", "shot"),
        ("The man shot in Tarsel on Saturday has died.", 10, "killed", ""),
    )):
        r = Report.from_text(text, published=dt.date(2024, 3, day), source=f"s{n}.example")
        reports[r.id] = r
        ev = (Evidence(r.id, 0, 4, r.text[:4]),)
        # (the people shot whose fate is not told are known by Figure.basis, the note is for people)
        events.append(_event(r, Figure(kind, 1, 1, "exact", ev, note, basis=note), n))
    (inc,) = build_incidents(events, reports)
    assert inc.figure("killed").best == 1
    injured = inc.figure("injured")
    assert injured.best == 0 and injured.low <= injured.best <= injured.high


@pytest.mark.parametrize("text", [
    "A 20 y/o was killed in a shooting on Main Street on Sunday.",
    "A 20 y/o man was killed in a shooting on Main Street on Sunday.",
])
def test_an_age_written_short_is_one_person(extractor, text):
    event = extractor(Report.from_text(text))[0]
    assert (event.figure("killed").low, event.figure("killed").high) == (1, 1)


def test_a_year_after_of_is_no_count(extractor):
    events = extractor(Report.from_text("It was the first officer-involved shooting of 2017 for the city police."))
    assert not any(f.low and f.low > 100 for e in events for f in e.figures)


@pytest.mark.parametrize("text", [
    "So far in 2024, at least 47 people have been killed in Tacoma, according to police records.",
    "A study found 141 minors die in unintentional shootings each year.",
    "The holiday weekend saw at least 55 people shot across the city.",
    "The buyer shot down the $100 asking price.",
])
def test_statistics_and_money_are_no_incident_toll(extractor, text):
    events = extractor(Report.from_text(text))
    assert not any(f.low and f.low >= 40 for e in events for f in e.figures)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        # counts of the shot that disagree are the whole and its parts: the largest is the number hit
        ("Six people were shot outside the hall. Three people were taken to a clinic by friends.", "injured",
         (6, 6)),
        # a fatal shooting named as a noun is a death, even beside a plain "was shot"
        ("A farmer is charged in the fatal shooting of a neighbour. The neighbour was shot near the barn.",
         "killed", (1, 1)),
        ("A farmer is charged in the fatal shooting of a neighbour. The neighbour was shot near the barn.",
         "injured", (0, 0)),
        ("Deputies are looking into a double fatal shooting near the mill.", "killed", (2, 2)),
        # "the three others who were shot" tells again some of the four shot: the dead are among the four
        ("Four teenagers were shot at the park. One teenager was declared dead at the scene. The three other "
         "teenagers who were shot were taken to a clinic.", "injured", (3, 3)),
        # ...while others shot beside the dead are not the dead
        ("One man was killed at the park. Three other men were shot.", "injured", (3, 3)),
    ],
)
def test_figure_rules_shot_and_deeds(extractor, text, kind, value):
    assert figures_of(extractor, text).get(kind) == value, figures_of(extractor, text)


def _main_figures(extractor, text):
    events = extractor(Report.from_text(text, published=PUB))
    mains = [e for e in events if e.role == "main"]
    return {f.kind: (f.low, f.high) for f in mains[0].figures if not f.who} if mains else {}


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        # a headline tells the outcome in words the parse may not count: the one person shot died
        ("Quarry Boy Dies After Being Accidentally Shot\n\nThe boy was shot at a house on Elm Street on Sunday.",
         (1, 1), (0, 0)),
        ("Teen shot near Quarry Lane has died, deputies say\n\nThe teen was shot at a party on Sunday.",
         (1, 1), (0, 0)),
        # ...but not an attempted murder, nor a deadly weapon
        ("Farmer charged with attempted murder in Quarry shooting\n\nA man was shot at a house on Sunday.",
         None, (1, 1)),
        ("Farmer charged with assault with a deadly weapon\n\nA man was shot at a house on Sunday.",
         None, (1, 1)),
    ],
)
def test_a_death_told_by_the_headline(extractor, text, killed, injured):
    figs = _main_figures(extractor, text)
    assert (figs.get("killed"), figs.get("injured")) == (killed, injured), figs


def test_a_headline_about_non_fatal_shootings_tells_no_death(extractor):
    figs = _main_figures(extractor, "Non-fatal shootings rise in Quarry\n\nA man was shot at a house on Sunday.")
    assert figs.get("killed") is None and figs.get("injured") == (1, 1), figs


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        # of two subjects of one verb, the one with its own casualty word is counted there
        ("Police said one dead, four others wounded in the gunfire at the fair.", "injured", (4, 4)),
        # a number with its own casualty word is no part of the next number
        ("Police counted three dead, two wounded after the gunfire at the fair.", "injured", (2, 2)),
        # an apposition that tells a count apart does not add to it
        ("Six people, three men and three women, were wounded at the fair.", "injured", (6, 6)),
        # "one of the others" is part of the others counted before
        ("Three others were injured. Police said one of the others injured is a cousin.", "injured", (3, 3)),
        # a person told after an "other" count is among those it counted
        ("The gunman killed one and injured three others. He shot a baker and wounded Tom Reese, 26.",
         "injured", (3, 3)),
        # "he and four others" is a stated total; "four others" later tells the same people apart
        ("A man died after he and four others were shot. Officers found him and four others suffering "
         "from gunshot wounds.", "injured", (4, 4)),
    ],
)
def test_counts_told_apart_are_not_added(extractor, text, kind, value):
    assert figures_of(extractor, text).get(kind) == value


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        # an age spelled out before "year-old" is one person, not a count
        ("A sixteen year-old boy was accidentally shot at the farm.", "injured", (1, 1)),
        # "neither ... nor" counts no one
        ("Neither the driver nor the other passenger was injured.", "injured", (0, 0)),
        # the shot who died are as many as the larger of the report's disagreeing counts of the dead
        ("Two children were killed. Four people were found dead. All four people were shot.", "injured", (0, 0)),
    ],
)
def test_ages_neither_and_disputed_dead(extractor, text, kind, value):
    assert figures_of(extractor, text).get(kind) == value


def test_one_called_injured_in_passing_beside_a_death_is_the_dead(extractor):
    figs = figures_of(extractor, "A boy has died. Police said an injured child was taken to a hospital.")
    assert figs.get("killed") == (1, 1) and figs.get("injured") in (None, (0, 0))
    # told as a clause of its own, the injured is another person
    figs = figures_of(extractor, "A boy has died. Police said a girl was injured.")
    assert figs.get("injured") == (1, 1)
    # someone's kin is not the dead
    figs = figures_of(extractor, "A woman has died. Police said her wounded son was taken to a hospital.")
    assert figs.get("injured") == (1, 1)


def test_best_injured_is_the_middle_of_the_reports_counts():
    """Counts of the wounded do not grow as the dead do; one report's inflated count is not the best."""
    reports, events = {}, []
    for n, (text, day, low) in enumerate((
        ("Three wounded in Tarsel shooting on Saturday.", 9, 3),
        ("Three hurt in Tarsel shooting.", 10, 3),
        ("Five wounded in Tarsel shooting, police say.", 10, 5),
    )):
        r = Report.from_text(text, published=dt.date(2024, 3, day), source=f"s{n}.example")
        reports[r.id] = r
        ev = (Evidence(r.id, 0, 4, r.text[:4]),)
        events.append(_event(r, Figure("injured", low, low, "exact", ev), n))
    (inc,) = build_incidents(events, reports)
    injured = inc.figure("injured")
    assert (injured.low, injured.best, injured.high) == (3, 3, 5)
    # two reports: the upper of the two
    (inc,) = build_incidents(events[1:], {e.report_id: reports[e.report_id] for e in events[1:]})
    assert inc.figure("injured").best == 5


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        # "N of the M victims": the M are the people hit; those not said to have died are injured
        ("Police said three of the four victims were treated at a clinic.", "injured", (4, 4)),
        ("Two of the five victims died at the scene.", "injured", (3, 3)),
        # a count of those cared for is fewer than the people hit
        ("Four people were shot on the porch. Two were hospitalized.", "injured", (4, 4)),
        # but a count of the wounded is not overruled by the shot
        ("Four people were shot on the porch. One man was killed and two were wounded.", "injured", (2, 2)),
    ],
)
def test_the_whole_hit_beside_a_part_cared_for(extractor, text, kind, value):
    assert figures_of(extractor, text).get(kind) == value


def test_a_headlines_opening_count_is_its_own(extractor):
    # "4 injured" opening a headline names no one before it: a count, not people told again
    events = extractor(Report.from_text("4 injured, 1 critically, in shooting at a mall\n\nOne person was "
                                        "hospitalized, police said.", published=PUB))
    figs = {f.kind: (f.low, f.high) for f in events[0].figures if not f.who}
    assert figs["injured"][1] == 4


@pytest.mark.parametrize(
    ("headline", "value"),
    [
        # a terse headline's "shot" the tagger calls a noun, with a number of its own: the people hit
        ("Riverside Tavern shooting: 3 shot in bar on Elm Street", (3, 3)),
        ("Five Shot During Party At Quarry Hall", (5, 5)),
    ],
)
def test_a_headlines_numbered_shot_noun_counts_people(extractor, headline, value):
    events = extractor(Report.from_text(headline + "\n\nPolice are investigating.", published=PUB))
    assert {f.kind: (f.low, f.high) for f in events[0].figures if not f.who}.get("injured") == value


def test_shots_fired_are_not_people(extractor):
    events = extractor(Report.from_text("Officers fired 4 shots at a truck\n\nNo one was hit.", published=PUB))
    assert all(f.kind != "injured" or f.low == 0 for e in events for f in e.figures)


def test_one_of_the_counted_victims_died(extractor):
    # the injured were counted before one of them died: that one is now among the killed
    figs = figures_of(extractor, "Five people were wounded by the gunfire. One of the five victims died on Thursday.")
    assert figs["killed"] == (1, 1) and figs["injured"] == (4, 4)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        # "a fourth victim" is one of four people hit
        ("Three men were shot in the yard. A fourth victim was also injured.", "injured", (4, 4)),
        ("One deputy was killed in the ambush. A second deputy was injured.", "injured", (1, 1)),
        # "the third child shot this year" ranks a series, not the people of this shooting
        ("A boy was shot on the porch. He was the third child in the county who has been shot since May.",
         "injured", (1, 1)),
        # "a total of six people": the six, not one total
        ("A total of six people, including four children and two men, were injured.", "injured", (6, 6)),
    ],
)
def test_ordinals_and_totals(extractor, text, kind, value):
    assert figures_of(extractor, text).get(kind) == value


@pytest.mark.parametrize(
    ("headline", "kind", "value"),
    [
        # a headline lists the people hit with a comma where a sentence says "and"
        ("Mother, 2 teenage sons shot in Riverside", "injured", (3, 3)),
        ("Man, woman wounded in shooting on Quarry Lane", "injured", (2, 2)),
        # a count with its own word is told there, not added to the next
        ("Update: Four Shot, Two Dead on Quarry Lane", "killed", (2, 2)),
        # a place before the comma is no person
        ("Riverside, 3 shot in shootout", "injured", (3, 3)),
    ],
)
def test_a_headline_lists_people_with_commas(extractor, headline, kind, value):
    events = extractor(Report.from_text(headline + "\n\nPolice are investigating.", published=PUB))
    assert {f.kind: (f.low, f.high) for f in events[0].figures if not f.who}.get(kind) == value


def test_an_age_after_a_comma_in_a_headline_is_no_count(extractor):
    events = extractor(Report.from_text("Boy, 7, accidentally shot on a farm dies\n\nA 7-year-old boy who was "
                                        "shot on Sunday has died, police said.", published=PUB))
    assert {f.kind: (f.low, f.high) for f in events[0].figures if not f.who}.get("killed") == (1, 1)


def test_also_killed_adds_to_a_victim_named_after(extractor):
    # "also killed" is not an "other" count: the minister named after it is one more dead
    figs = figures_of(extractor, "Two of the minister's bodyguards were also killed. The gunmen killed "
                                 "minister Rodriguez in his car.")
    assert figs.get("killed") == (3, 3)


# -- tolls of armed conflict: the total and its parts by who they were (UCDP GED's deaths by side) -------


def _by_who(extractor, text, kind="killed"):
    events = extractor(Report.from_text(LEAD + text, published=PUB))
    (main,) = [e for e in events if e.role == "main"]
    total = main.figure(kind)
    parts = {f.who: (f.low, f.high) for f in main.figures if f.kind == kind and f.who}
    return (total.low, total.high, total.who) if total else None, parts


@pytest.mark.parametrize(
    ("text", "total", "parts"),
    [
        # casualties on both sides of a clash: the total, and each side apart
        ("Three soldiers and eleven insurgents were killed in the clash near the pass.", (14, 14, ""),
         {"security forces": (3, 3), "armed group": (11, 11)}),
        # a list the parse makes an apposition is still a list; a person's noun without a side is unknown
        ("One army lieutenant, four soldiers, and three civilians were killed during the attacks.", (8, 8, ""),
         {"security forces": (5, 5), "civilians": (3, 3)}),
        ("Two policemen and a driver were killed when the convoy was ambushed.", (3, 3, ""),
         {"security forces": (2, 2), "unknown": (1, 1)}),
        # the toll of a strike or a shelling
        ("The drone strike killed nine civilians at a wedding.", (9, 9, ""), {"civilians": (9, 9)}),
        ("THE GUERRILLAS KILLED 12 PEASANTS IN THE HAMLET.", (12, 12, ""), {"civilians": (12, 12)}),
        ("The shelling left six dead in the market.", (6, 6, ""), {}),
        # a side named on the noun wins: rebel soldiers are an armed group
        ("Seven rebel soldiers were killed in the fighting.", (7, 7, ""), {"armed group": (7, 7)}),
        # a part of a toll told apart: among the dead, including
        ("At least 20 people were killed in the bombing, including three soldiers.", (20, None, ""),
         {"security forces": (3, 3)}),
        ("The attack killed nine people. Among the dead were four policemen.", (9, 9, ""),
         {"security forces": (4, 4)}),
        # people said of no side give no part
        ("Fourteen people were killed in the clash.", (14, 14, ""), {}),
    ],
)
def test_tolls_of_conflict_by_who(extractor, text, total, parts):
    assert _by_who(extractor, text) == (total, parts)


def test_parts_never_add_up_to_more_than_the_total(extractor):
    # "five soldiers" cannot be a part of a toll of three
    total, parts = _by_who(extractor, "Three people were killed in the raid. Among the dead were five soldiers.")
    assert total == (3, 3, "") and parts == {}


def test_reconciliation_reads_the_total_not_the_parts(extractor):
    text = LEAD + "Three soldiers and eleven insurgents were killed in the clash near Tarsel."
    r = Report.from_text(text, published=PUB, source="a.example")
    events = [e for e in extractor(r) if e.role == "main"]
    for n, e in enumerate(events):
        e.id = n
    (inc,) = build_incidents(events, {r.id: r})
    killed = inc.figure("killed")
    assert (killed.low, killed.best, killed.high) == (14, 14, 14)


def test_passes_return_new_mentions_and_leave_the_old_ones():
    """The passes over the mentions (here: 'shot and killed' once) make new values; the readers'
    mentions stay as they were read, so each rule's own reading can be checked apart."""
    from dataclasses import astuple

    from tollbook.extract.figures import R_PASSIVE_TOLL, R_SHOT_AND_KILLED, FigureMention, _absorb_fatal_shootings

    shot = FigureMention("shot", 1, 1, "exact", 0, 12, 0, 3, victims=(1,), rule=R_PASSIVE_TOLL)
    killed = FigureMention("killed", 1, 1, "exact", 10, 20, 0, 5, victims=(1,), rule=R_PASSIVE_TOLL)
    before = [astuple(shot), astuple(killed)]
    (out,) = _absorb_fatal_shootings([shot, killed])
    assert [astuple(shot), astuple(killed)] == before
    assert (out.kind, out.start, out.end, out.rule, out.absorbed_shot) == ("killed", 0, 20, R_SHOT_AND_KILLED, True)
