"""A record a researcher can trust: no silent errors between a report and the published figure.

One test (or a few) per item of the issue: publication dates, dates that cannot be wrong silently,
sources behind archives, open ranges, flags, review that can be undone, the CLI. Texts are invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner

from tollbook import api
from tollbook.cli import main
from tollbook.export.formats import export
from tollbook.extract.dates import find_dateline, find_dates
from tollbook.ingest.sources import outlet_of, unwrap_archive
from tollbook.reconcile import build_incidents, reconcile
from tollbook.reconcile.flags import FLAG_KINDS
from tollbook.records import Actor, Event, Evidence, Figure, Place, Report, When

pytestmark = pytest.mark.backends  # tests on a store run on SQLite and on PostgreSQL (tests/conftest.py)

# -- 1. publication dates you can see -------------------------------------------------------------

OPINION = (
    "The killings at Camp Verel must be investigated\n\n"
    "The residents of Camp Verel have lived in fear since two prior massacres at the camp in 2009 and 2011. "
    "And what happened on the night of August 1 is horrific: 31 residents were shot dead by gunmen "
    "in the camp's clinic.\n"
)


def test_without_a_publication_date_no_year_is_taken_from_another_event(extractor):
    report = Report.from_text(OPINION, published=None)
    events = extractor(report)
    main_events = [e for e in events if e.role == "main"]
    assert main_events and main_events[0].figure("killed").low == 31
    # "August 1" has no year and the report no date: the 2009 of an older massacre is no clue
    assert not main_events[0].dates
    years = {w.earliest.year for e in events for w in e.dates}
    assert years <= {2009, 2011}  # only the older incidents, each with its own explicit year
    # and those stay the report's background: the record gets one incident, of unknown date
    for n, e in enumerate(events):
        e.id = n
    (incident,) = build_incidents(events, {report.id: report})
    assert incident.earliest is None and incident.figure("killed").low == 31


def test_with_a_publication_date_the_same_night_is_read(extractor):
    report = Report.from_text(OPINION, published=dt.date(2024, 8, 4))
    main_event = next(e for e in extractor(report) if e.role == "main")
    assert main_event.when.earliest == dt.date(2024, 8, 1) and main_event.when.rule == "dates.month-day"


def test_a_batch_with_its_own_field_names_is_read_and_told(tb, tmp_path):
    batch = tmp_path / "scraped.jsonl"
    records = [
        {"date": "2015-06-02", "url": "http://example-gazette.com/story/1", "title": "Two shot on Elm Street",
         "text": "Two men were shot on Elm Street in Dunmore on Monday night, police said.", "section": "local"},
        {"pubdate": "2015-06-09", "url": "http://example-gazette.com/story/2", "title": "Man killed",
         "text": "A man was shot and killed in Dunmore on Sunday, police said.", "section": "local"},
        {"url": "http://example-gazette.com/story/3", "title": "Woman wounded",
         "text": "A woman was wounded by gunfire in Dunmore on Saturday, police said.", "byline": "staff"},
    ]
    batch.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    result = tb.ingest([batch])
    assert len(result.added) == 3 and not result.failed
    published = sorted(str(r.published) for r in tb.reports())
    assert published == ["2015-06-02", "2015-06-09", "None"]
    # unknown fields are named once for the batch; the record without a date is named
    unknown = [w for w in result.warnings if "fields not read" in w.message]
    assert len(unknown) == 1 and "section" in unknown[0].message and "byline" in unknown[0].message
    undated = [w.source for w in result.warnings if "no publication date" in w.message]
    assert len(undated) == 1 and undated[0].endswith(f"{batch.name}:line 3")
    # and the undated report's "on Saturday" is left unread, not resolved against some other day
    third = next(r for r in tb.reports() if r.published is None)
    assert all(not e.dates for e in tb.events(report=third.id))


# -- 2. dates that cannot be wrong silently ---------------------------------------------------------


@pytest.mark.parametrize("phrase", ["Man Gets 15-30 Years For Deadly Shooting", "He had lived there for 30 years",
                                    "was sentenced to 25 years in prison", "a 30-year-old man",
                                    "three years in a row"])
def test_durations_terms_and_ages_are_no_dates(phrase):
    # the phrase given as the parser's DATE entity too: dateparser must not read "30 Years" as 30 years ago
    found = find_dates(phrase, dt.date(2016, 3, 21), [(0, len(phrase))])
    assert found == []


@pytest.mark.parametrize("text", ["Ilan Dorr, born March 2, 2001, in Kerrin, died on Sunday.",
                                  "Ilan Dorr was born on 2001-03-02 and died on Sunday.",
                                  "Ilan Dorr (born 3/2/2001) died on Sunday."])
def test_a_date_of_birth_is_no_event_date(text):
    found = find_dates(text, dt.date(2014, 9, 26))
    assert [text[d.start:d.end] for d in found] == ["on Sunday"]


def test_a_date_after_publication_is_no_event_date():
    text = "The gunman killed two on 2016-03-19; his trial is set for 2016-05-02."
    found = find_dates(text, dt.date(2016, 3, 21))
    assert [d.earliest for d in found] == [dt.date(2016, 3, 19)]


def test_dateparser_makes_no_year_without_one_in_the_text():
    phrase = "the 30th anniversary"
    found = find_dates(phrase, dt.date(2016, 3, 21), [(0, len(phrase))])
    assert all(d.earliest.year >= 2015 for d in found)


@pytest.mark.parametrize(("text", "place"), [
    ("BAGHDAD (Reuters) - A car bomb killed 12 people at a market.", "BAGHDAD"),
    ("KABUL, Afghanistan (AP) — A suicide bomber killed five soldiers.", "KABUL"),
    ("MOGADISHU, Jan 3 (Reuters) - Gunmen killed two clan elders.", "MOGADISHU"),
    ("Chicago (AP) — Two men were shot on the South Side.", "Chicago"),
])
def test_wire_and_title_case_datelines(text, place):
    line = find_dateline(text)
    assert line is not None and line.place == place


def test_a_dateline_in_capitals_names_the_place_in_title_case(extractor):
    report = Report.from_text("DENVER (AP) — Two men were shot dead outside a bar early Sunday, police said.",
                              published=dt.date(2015, 6, 8))
    event = next(e for e in extractor(report) if e.role == "main")
    named = [p for p in event.places if p.evidence[0].quote == "DENVER"]
    assert named and named[0].name == "Denver"


# -- 4. sources -----------------------------------------------------------------------------------


def test_archived_copies_are_their_outlets_reports():
    wrapped = "http://web.archive.org/web/20140330185038/http://www.wnct.com/story/24599653/shot"
    assert unwrap_archive(wrapped) == "http://www.wnct.com/story/24599653/shot"
    assert outlet_of(wrapped) == ("wnct.com", "WNCT")
    assert outlet_of("https://archive.ph/2016.01.02-030405/https://www.bbc.co.uk/news/world-1")[0] == "bbc.co.uk"
    assert outlet_of("https://www.chicagotribune.com/news/x")[1] == "Chicagotribune"


def _event(report: Report, low: int | None, high: int | None, qualifier: str, eid: int,
           actors: tuple[Actor, ...] = (), flags=()) -> Event:
    ev = (Evidence(report.id, 0, 4, report.text[:4]),)
    place = Place("Tarsel", ev, "Arvelia", None, "Vadra", None, -44.9, -21.6, "city", "user:tarsel", city="Tarsel")
    return Event(report.id, "bombing", "main", ev, [Figure("killed", low, high, qualifier, ev)], [place],
                 [When(dt.date(2024, 3, 9), dt.date(2024, 3, 9), "day", ev)], list(actors), list(flags), id=eid)


def test_independent_sources_count_outlets_not_copies():
    live = Report.from_text("Bomb kills 12 in Tarsel.", published=dt.date(2024, 3, 9), source="www.vadra-news.com",
                            url="https://www.vadra-news.com/2024/03/09/bomb")
    copy = Report.from_text("Bomb kills 12 in Tarsel market.", published=dt.date(2024, 3, 9),
                            source="web.archive.org",
                            url="http://web.archive.org/web/20240310000000/https://vadra-news.com/2024/03/09/bomb-2")
    inc = reconcile([_event(live, 12, 12, "exact", 1), _event(copy, 12, 12, "exact", 2)],
                    {live.id: live, copy.id: copy}, ["a#0", "b#0"])
    assert inc.sources == 1


# -- 5. open ranges stay open -------------------------------------------------------------------------


def test_at_least_stays_open_at_incident_level():
    r = Report.from_text("At least 52 people were killed in Tarsel.", published=dt.date(2024, 3, 9), source="a.example")
    inc = reconcile([_event(r, 52, None, "at least", 1)], {r.id: r}, ["a#0"])
    killed = inc.figure("killed")
    assert (killed.low, killed.best, killed.high) == (52, 52, None)
    assert killed.to_dict()["qualifier"] == "at least"
    out = io.StringIO()
    export([inc], {r.id: r}, "csv", out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["killed_low"] == "52" and row["killed_high"] == ""


def test_the_cli_prints_an_open_range_as_52_plus(tmp_path):
    db = tmp_path / "o.db"
    with api.open(db) as tb:
        tb.add_text("At least 52 people were killed when gunmen stormed the village of Tarsel on Sunday.",
                    published=dt.date(2024, 3, 11), title="Gunmen kill at least 52")
    result = CliRunner().invoke(main, ["incidents", "--db", str(db)], catch_exceptions=False)
    assert "52+" in result.stdout and "None" not in result.stdout
    shown = CliRunner().invoke(main, ["incident", result.stdout.split("\n")[4].split()[0], "--db", str(db)])
    assert "None" not in shown.stdout and "high open" in shown.stdout


# -- 6. flags that mean something --------------------------------------------------------------------


def test_a_reports_own_date_contradiction_reaches_the_incident(extractor):
    text = ("Gunmen stormed the camp on the night of August 31 and killed 52 residents. "
            "The killings of the night of August 1 were filmed by the residents, who said 52 were killed.")
    report = Report.from_text(text, published=dt.date(2013, 9, 3))
    events = extractor(report)
    for n, e in enumerate(events):
        e.id = n
    incidents = build_incidents(events, {report.id: report})
    flags = [f for inc in incidents for f in inc.flags if f.kind == "date contradiction"]
    assert flags and flags[0].rule == "flags.date-contradiction"
    assert {e.quote for e in flags[0].evidence} >= {"August 31", "August 1"}


def test_a_step_of_the_attack_dated_after_it_is_a_contradiction(extractor):
    text = ("Militiamen executed 40 prisoners at the Dorvel depot over the weekend, witnesses said. "
            "To prepare for the massacre, a squad of guards was sent on the night of May 30 to Dorvel. "
            "What the guards did the night of May 2 was filmed: 40 prisoners were shot dead.")
    report = Report.from_text(text, published=dt.date(2021, 6, 2))
    main_event = next(e for e in extractor(report) if e.role == "main")
    assert main_event.when.evidence[0].quote != "May 30"  # a step's day is never the deed's own
    flag = next(f for f in main_event.flags if f.kind == "date contradiction")
    assert {"May 30", "May 2"} <= {e.quote for e in flag.evidence}


def test_a_step_dated_before_the_attack_is_no_contradiction(extractor):
    text = ("Militiamen executed 40 prisoners at the Dorvel depot on May 29, witnesses said. "
            "To prepare for the massacre, a squad of guards was sent on May 20 to Dorvel.")
    report = Report.from_text(text, published=dt.date(2021, 6, 2))
    main_event = next(e for e in extractor(report) if e.role == "main")
    assert main_event.when.earliest == dt.date(2021, 5, 29)
    assert not [f for f in main_event.flags if f.kind == "date contradiction"]


def test_co_perpetrators_named_by_one_source_are_one_claim():
    r = Report.from_text("Agents of the ministry and their militia allies killed 12.", published=dt.date(2024, 3, 9))

    def actor(text: str, start: int) -> Actor:
        return Actor("perpetrator", text, (Evidence(r.id, start, start + len(text), r.text[start:start + len(text)]),),
                     "armed group")

    e = _event(r, 12, 12, "exact", 1, (actor("Agents of the ministry", 0), actor("their militia allies", 27)))
    inc = reconcile([e], {r.id: r}, ["a#0"])
    assert not [f for f in inc.flags if f.kind == "perpetrator claims differ"]


def test_every_incident_flag_has_a_kind_an_explanation_and_a_rule():
    r = Report.from_text("The ministry said 10569 people were killed in Tarsel.", published=dt.date(2024, 3, 9))
    inc = reconcile([_event(r, 10569, 10569, "exact", 1)], {r.id: r}, ["a#0"])
    flags = inc.to_dict()["flags"]
    assert [f["kind"] for f in flags] == ["implausible toll"]
    assert inc.figure("killed").best is None and inc.figure("killed").high == 10569  # kept, flagged, not the best
    for f in flags:
        assert f["kind"] in FLAG_KINDS and f["explanation"] and f["rule"]


def test_reconciliation_reads_typed_fields_not_the_note_written_for_people():
    from tollbook.extract.figures import R_DISAGREE
    from tollbook.reconcile import incidents as reconciling

    assert reconciling.R_DISAGREE == R_DISAGREE
    r = Report.from_text("Two men were shot in Tarsel.", published=dt.date(2024, 3, 9))
    ev = (Evidence(r.id, 0, 4, r.text[:4]),)
    cases = [(Figure("injured", 2, 2, "exact", ev, "shot", basis="shot"), (False, True)),
             (Figure("injured", 2, 2, "exact", ev, "shot"), (False, False)),  # a note is words, not a switch
             (Figure("injured", 2, 5, "vague", ev, "the counts differ", rule=R_DISAGREE), (True, False)),
             (Figure("injured", 2, 5, "vague", ev, "reports disagree"), (False, False))]
    for figure, (disputed, fate_unknown) in cases:
        e = _event(r, 1, 1, "exact", 1)
        e.figures = [figure]
        (source,) = reconcile([e], {r.id: r}, ["a#0"]).figure("injured").sources
        assert (source.disputed, source.fate_unknown) == (disputed, fate_unknown), figure


def test_a_tally_over_a_month_is_no_best_of_a_days_incident():
    r1, day = _told("Four killed in Tarsel shooting.", dt.date(2024, 3, 10), "main", dt.date(2024, 3, 9), killed=4)
    r2, month = _told("Shootings up in Tarsel.", dt.date(2024, 3, 11), "main", dt.date(2024, 3, 1), killed=80)
    month.dates = [When(dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month", month.evidence)]
    day.id, month.id = 1, 2
    killed = reconcile([day, month], {r1.id: r1, r2.id: r2}, ["a#0", "b#0"]).figure("killed")
    assert killed.best == 4 and killed.high == 80 and [s.over_span for s in killed.sources] == [False, True]


@pytest.mark.parametrize(("text", "killed"), [
    ("Officials said Ilan Dorr, 66 and Mara Dorr, 64 were found dead inside a home in Dunmore.", (1, 2)),
    ("In Dunmore, 64 were killed on Saturday.", (64, 64))])  # (a place the parser calls a person)
def test_ages_after_names_are_no_tolls(extractor, text, killed):
    report = Report.from_text(text, published=dt.date(2017, 1, 1))
    main_event = next(e for e in extractor(report) if e.role == "main")
    assert killed[0] <= main_event.figure("killed").low <= killed[1]


def test_people_shot_whose_fate_is_untold_are_stored_as_such(tb):
    tb.add_text("Two men were shot on Elm Street in Dunmore on Monday night, police said.",
                published=dt.date(2015, 6, 2), title="Two shot on Elm Street")
    (event,) = tb.events()
    assert event.figure("injured").basis == "shot" and event.figure("injured").low == 2


def test_a_store_from_before_keeps_its_people_shot(tmp_path):
    """Migration 0010 fills the new field from the note figures stored before it carried."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from tollbook.store import Store
    from tollbook.store.migrate import alembic_config

    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
        conn.execute(text("INSERT INTO originals VALUES ('o', 'x.txt', 'text/plain', 1, x'78', '2024-01-01')"))
        conn.execute(text("INSERT INTO reports (id, sha256, text, original_sha256, ingested_at) "
                          "VALUES ('r1', 'h', 'x', 'o', '2024-01-01 00:00:00')"))
        conn.execute(text("INSERT INTO events (id, report_id, idx, extractor, current, role, type, evidence, "
                          "created_at) VALUES (1, 'r1', 0, 'x', 1, 'main', 'Attack', '[]', '2024-01-01 00:00:00')"))
        for kind, note in (("injured", "shot"), ("injured", "shot, 1 of them killed"), ("injured", "wounded"),
                           ("killed", "shot")):
            conn.execute(text("INSERT INTO figures (event_id, kind, low, high, qualifier, note, evidence) "
                              "VALUES (1, :k, 2, 2, 'exact', :n, '[]')"), {"k": kind, "n": note})
    engine.dispose()
    store = Store.open(tmp_path / "old.db")
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT kind, note, basis FROM figures ORDER BY id")).fetchall()
    store.close()
    assert [r[2] for r in rows] == ["shot", "shot", "", ""]


# -- 8. review you can undo ----------------------------------------------------------------------------


def _two_incidents(tb):
    tb.add_text("A car bomb killed 12 people at the Tarsel market on Saturday, police said.",
                published=dt.date(2024, 3, 10), source="a.example", title="Bomb kills 12 in Tarsel")
    tb.add_text("Gunmen shot dead three farmers in Kerrin on Tuesday, officials said.",
                published=dt.date(2024, 4, 3), source="b.example", title="Three farmers killed in Kerrin")
    incidents = tb.incidents()
    assert len(incidents) == 2
    return incidents


def test_a_merge_can_be_withdrawn_and_the_log_says_so(tb):
    a, b = _two_incidents(tb)
    merged = tb.merge(a.id, b.id, editor="ana", reason="same day")
    assert len(tb.incidents()) == 1
    tb.withdraw(merged["id"], editor="ben", reason="different towns, different days")
    assert len(tb.incidents()) == 2
    log = tb.review_log()
    assert [e["action"] for e in log] == ["merge", "withdraw"]
    assert log[0]["withdrawn"]["editor"] == "ben" and log[0]["withdrawn"]["reason"].startswith("different")
    assert set(log[0]["touched"]) == set(a.refs) | set(b.refs)
    with pytest.raises(Exception, match="already withdrawn"):
        tb.withdraw(merged["id"], editor="ben", reason="again")


def test_split_by_event(tb):
    a, b = _two_incidents(tb)
    tb.merge(a.id, b.id, editor="ana", reason="test")
    (merged,) = tb.incidents()
    one = merged.refs[0]
    tb.split(merged.id, [one], editor="ana", reason="the second attack is another incident")
    incidents = tb.incidents()
    assert len(incidents) == 2 and [one] in [i.refs for i in incidents]
    entry = tb.review_log()[-1]
    assert entry["action"] == "split" and entry["touched"] and "out:" in entry["summary"]


def test_the_log_shows_what_each_decision_touched_in_cli_and_json(tb):
    a, b = _two_incidents(tb)
    tb.merge(a.id, b.id, editor="ana", reason="same")
    db = tb.settings.db
    result = CliRunner().invoke(main, ["log", "--db", str(db), "--json"], catch_exceptions=False)
    entries = json.loads(result.stdout)
    assert entries[0]["touched"] and " + " in entries[0]["summary"] and entries[0]["withdrawn"] is None


# -- 9. the CLI as users expect --------------------------------------------------------------------


@pytest.mark.parametrize("command", ["reports", "events", "incidents", "log", "export"])
def test_reading_a_missing_store_is_one_line_and_creates_nothing(tmp_path, command):
    db = tmp_path / "typo.db"
    result = CliRunner().invoke(main, [command, "--db", str(db)])
    assert result.exit_code == 1 and not db.exists()
    assert result.stderr.strip().count("\n") == 0 and "no store at" in result.stderr


def test_tables_fit_100_columns(tmp_path, examples):
    db = tmp_path / "d.db"
    runner = CliRunner()
    runner.invoke(main, ["demo", "--db", str(db)], catch_exceptions=False)
    for command in ("incidents", "events", "reports"):
        out = runner.invoke(main, [command, "--db", str(db)], catch_exceptions=False).stdout
        assert max(len(line) for line in out.splitlines()) <= 100, command
    out = runner.invoke(main, ["incidents", "--db", str(db)], catch_exceptions=False).stdout
    # an incident id and a date are never cut or wrapped
    assert any(line.split()[:1] and len(line.split()[0]) == 9 and line.split()[0].startswith("i")
               for line in out.splitlines())


# -- 3. follow-ups and tolls beyond belief -------------------------------------------------------------


def test_a_sentencing_report_makes_no_incident_of_its_own_day(extractor):
    title = "Man Gets 15-30 Years For Deadly Shooting"
    text = (f"{title}\n\nA Dunmore man was sentenced Monday to 15 to 30 years in prison for the shooting death of "
            "his neighbor. Police said he shot the man outside a bar.")
    report = Report.from_text(text, title=title, published=dt.date(2016, 3, 23))
    events = extractor(report)
    assert events and all(w.earliest.year == 2016 and w.earliest != dt.date(2016, 3, 21)
                          for e in events for w in e.dates)


def test_a_vigil_report_keeps_the_incidents_own_date(extractor):
    title = "Vigil held for Dunmore shooting victims"
    text = (f"{title}\n\nHundreds gathered Sunday for a vigil for the two men who were shot dead outside a bar in "
            "Dunmore on March 12.")
    report = Report.from_text(text, title=title, published=dt.date(2016, 3, 23))
    main_event = next(e for e in extractor(report) if e.role == "main")
    assert [w.earliest for w in main_event.dates] == [dt.date(2016, 3, 12)]


def test_years_back_is_history_not_the_day_of_the_news(extractor):
    text = ("Gunman kills three at Dunmore diner\n\nA man who spent time in prison a decade ago for the shooting "
            "death of his brother shot dead three people at a Dunmore diner, police said Thursday.")
    report = Report.from_text(text, published=dt.date(2014, 9, 19), title=text.split("\n")[0])
    main_event = next(e for e in extractor(report) if e.role == "main")
    assert main_event.when.earliest == dt.date(2014, 9, 18)


def test_an_event_dated_years_before_its_report_is_no_incident_of_its_own():
    r, biography = _told("Bomb kills 3 in Tarsel.", dt.date(2024, 3, 10), "main", dt.date(2016, 1, 1), "year")
    _, news = _told("Bomb kills 3 in Tarsel.", dt.date(2024, 3, 10), "main", dt.date(2024, 3, 9), killed=3)
    biography.id, news.id = 0, 1
    news.report_id = r.id
    incidents = build_incidents([biography, news], {r.id: r})
    assert [[e.id for e in i.events] for i in incidents] == [[1]]


FIRST = ("Two men shot dead outside Dunmore bar\n\nIlan Dorr, 24, and Marek Voss, 31, were shot dead outside the "
         "Blue Heron bar in Dunmore early Saturday, police said. Police are looking for the gunman.")
SENTENCING = ("Dunmore man sentenced to life for bar killings\n\nTomas Keller was sentenced Tuesday to life in prison "
              "for the shooting deaths of Ilan Dorr and Marek Voss outside the Blue Heron bar in Dunmore in March.")


def test_a_follow_up_joins_the_incident_it_follows(tb):
    tb.add_text(FIRST, published=dt.date(2016, 3, 13), title=FIRST.split("\n")[0])
    tb.add_text(SENTENCING, published=dt.date(2016, 11, 2), title=SENTENCING.split("\n")[0])
    (incident,) = tb.incidents()
    assert len(incident.reports) == 2 and incident.figure("killed").best == 2
    # dated by the day the first report gives, not the sentencing's Tuesday nor the whole of "in March"
    assert (incident.earliest, incident.latest) == (dt.date(2016, 3, 12), dt.date(2016, 3, 12))


def test_a_follow_up_alone_stays_its_reports_event(tb):
    tb.add_text(SENTENCING, published=dt.date(2016, 11, 2), title=SENTENCING.split("\n")[0])
    assert tb.incidents() == []
    (event,) = [e for e in tb.events() if e.role == "main"]
    assert event.figure("killed").low == 2  # kept, with its evidence, as what the report tells


def _told(text: str, published: dt.date, role: str, day: dt.date, precision: str = "day", killed: int = 8) -> Event:
    r = Report.from_text(text, published=published, source=f"{published.year}.example", title=text)
    ev = (Evidence(r.id, 0, 4, text[:4]),)
    place = Place("Tarsel", ev, "Arvelia", None, "Vadra", None, -44.9, -21.6, "city", "user:tarsel", city="Tarsel")
    last = dt.date(day.year, 12, 31) if precision == "year" else day
    return r, Event(r.id, "Remote explosive/landmine/IED", role, ev, [Figure("killed", killed, killed, "exact", ev)],
                    [place], [When(day, last, precision, ev)])


def test_history_a_report_mentions_is_no_incident_unless_the_store_holds_it():
    old_r, old = _told("A car bomb killed eight at the Tarsel market.", dt.date(2019, 5, 5), "main",
                       dt.date(2019, 5, 4))
    new_r, new = _told("Bomb kills 3 in Tarsel.", dt.date(2024, 3, 10), "main", dt.date(2024, 3, 9), killed=3)
    _, history = _told("Bomb kills 3 in Tarsel.", dt.date(2024, 3, 10), "referenced", dt.date(2019, 5, 4))
    history.report_id = new_r.id
    _, undated = _told("Bomb kills 3 in Tarsel.", dt.date(2024, 3, 10), "referenced", dt.date(2019, 1, 1))
    undated.report_id, undated.dates = new_r.id, []
    for n, e in enumerate((new, history, undated, old)):
        e.id = n
    reports = {new_r.id: new_r, old_r.id: old_r}
    # alone, the 2019 bombing the report recalls (and a "prior attack" without a date) make no incident
    alone = build_incidents([new, history, undated], reports)
    assert [[e.id for e in i.events] for i in alone] == [[0]]
    # with the 2019 report in the store, the recollection joins its incident
    both = build_incidents([new, history, undated, old], reports)
    assert sorted(sorted(e.id for e in i.events) for i in both) == [[0], [1, 3]]


@pytest.mark.slow
def test_the_gva_articles_as_one_scraped_batch(shared_data, tmp_path):
    """The GVA development articles as a scraper would give them (`date`, `url`, `title`, `text`), in one
    batch: no incident before 2012 (the set runs 2013-2016), no killed best above 60, and the records
    without a usable date are named in the warnings."""
    batch = tmp_path / "gva.jsonl"
    undated = 0
    with batch.open("w", encoding="utf-8") as out, (shared_data / "gva" / "dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            for a in json.loads(line)["articles"]:
                undated += not a.get("published")
                out.write(json.dumps({"date": a.get("published"), "url": a.get("url"), "title": a.get("title"),
                                      "text": a.get("text")}) + "\n")
    with api.open(tmp_path / "gva.db") as tb:
        result = tb.ingest([batch])
        incidents = tb.incidents()
        reports = tb.reports()
    assert not [w for w in result.warnings if "fields not read" in w.message]
    named = {w.source for w in result.warnings if "no publication date" in w.message}
    assert len(named) == sum(1 for r in reports if r.published is None) <= undated
    early = [i.id for i in incidents if i.earliest is not None and i.earliest.year < 2012]
    assert early == []
    big = [(i.id, i.figure("killed").best) for i in incidents
           if i.figure("killed") and (i.figure("killed").best or 0) > 60]
    assert big == []

