"""The store: one transaction per report, duplicates stored once, custody kept, migrations."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import sqlalchemy as sa

from tollbook.errors import NotFound, StoreError
from tollbook.store import Store

pytestmark = pytest.mark.backends  # each test on SQLite and on PostgreSQL (tests/conftest.py)

TEXT = "A bomb killed seven people and wounded 20 in the market of Tarsel on Saturday, police said."


def test_ingest_twice_adds_nothing_and_keeps_custody(tb, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(TEXT)
    first = tb.ingest([f], published=dt.date(2024, 3, 9))
    assert len(first.added) == 1 and first.events >= 1
    again = tb.ingest([f, f], published=dt.date(2024, 3, 9))
    assert again.added == [] and len(again.duplicates) == 2
    assert tb.store.count_reports() == 1
    custody = tb.custody(first.added[0])
    assert len(custody) == 3 and [c["duplicate"] for c in custody] == [False, True, True]
    assert tb.original(custody[0]["original_sha256"]) == f.read_bytes()
    assert custody[0]["original_sha256"] == hashlib.sha256(f.read_bytes()).hexdigest()


def test_same_text_twice_in_one_batch_is_stored_once(tb, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "b.txt").write_text(TEXT)
    result = tb.ingest([tmp_path / "a.txt", tmp_path / "b.txt"])
    assert len(result.added) == 1 and len(result.duplicates) == 1
    assert len(tb.custody(result.added[0])) == 2


def test_a_crash_mid_report_leaves_nothing(tb, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(TEXT)

    def boom(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(Store, "_insert_events", boom)
    result = tb.ingest([tmp_path / "a.txt"])  # the report's error; the batch would go on
    assert [e.reason for e in result.failed] == ["not stored (RuntimeError: disk gone)"] and not result.added
    with tb.store.engine.connect() as conn:
        for table in ("reports", "originals", "custody", "events", "figures"):
            assert conn.execute(sa.text(f"select count(*) from {table}")).scalar() == 0, table


def test_events_round_trip_with_evidence(tb):
    report = tb.add_text(TEXT, published=dt.date(2024, 3, 9))
    (event,) = [e for e in tb.events(report=report.id) if e.role == "main"]
    killed = event.figure("killed")
    assert (killed.low, killed.high) == (7, 7)
    for _label, ev in event.all_evidence():
        assert report.text[ev.start:ev.end] == ev.quote
        assert ev.report_id == report.id


def test_report_prefix_lookup_and_not_found(tb):
    report = tb.add_text(TEXT)
    assert tb.report(report.id[:6]).id == report.id
    with pytest.raises(NotFound):
        tb.report("rzzzz")


def test_reopen_and_refuse_newer_schema(db):
    path = db
    Store.open(path).close()
    store = Store.open(path)  # already at head: a no-op
    with store.engine.begin() as conn:
        conn.execute(sa.text("update alembic_version set version_num = 'f00dfeed'"))
    store.close()
    with pytest.raises(StoreError, match="newer tollbook"):
        Store.open(path)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "no" / "such" / "x.db")


def test_a_server_that_is_not_there_is_a_clear_error(postgres):
    """One line naming the database (its password hidden) and why, not a traceback."""
    url = postgres.url("nosuchdb").replace("tollbook@", "tollbook:s3cret@")
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    message = str(caught.value)
    assert "nosuchdb" in message and "does not exist" in message and "s3cret" not in message
    assert "\n" not in message
    closed = postgres.url("x").replace(f":{postgres.port}/", ":1/")  # nothing listens on port 1
    with pytest.raises(StoreError, match="cannot open database"):
        Store.open(closed.replace("postgresql+psycopg://", "postgresql://"))  # psycopg is the default driver


def test_reextract_keeps_old_events(tb):
    report = tb.add_text(TEXT, published=dt.date(2024, 3, 9))
    before = tb.events(report=report.id)
    assert tb.reextract(all_reports=True) == 1
    after = tb.events(report=report.id)
    assert [e.to_dict()["figures"] for e in after] == [e.to_dict()["figures"] for e in before]
    all_rows = tb.store.events(report_id=report.id, current=False)
    assert len(all_rows) == 2 * len(before)


def test_a_database_of_the_first_schema_is_upgraded(db):
    from alembic import command

    from tollbook.store.db import database_url
    from tollbook.store.migrate import alembic_config

    path = db
    engine = sa.create_engine(database_url(path))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    store = Store.open(path)
    with store.engine.connect() as conn:
        cols = {c["name"] for c in sa.inspect(conn).get_columns("places")}
    store.close()
    assert "city" in cols


def test_a_store_with_the_old_event_types_reads_as_acled_types(tb, db):
    """Migration 0006: a store written with tollbook's old vocabulary ("bombing", "armed attack")
    opens with ACLED's sub-event types, and the downgrade writes the old names back."""
    from alembic import command

    from tollbook.records import EVENT_TYPES
    from tollbook.store.db import database_url
    from tollbook.store.migrate import alembic_config

    report = tb.add_text(TEXT, published=dt.date(2024, 3, 9))
    path = db
    cfg = alembic_config()
    with tb.store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")  # a store of the old vocabulary
        ids = [r[0] for r in conn.execute(sa.text("select id from events order by id"))]
        assert ids
        conn.execute(sa.text("update events set type = 'bombing'"))
        conn.execute(sa.text("update events set type = 'armed attack' where id = :i"), {"i": ids[-1]})
    tb.store.close()

    store = Store.open(path)  # upgrades to 0006
    types = [e.type for e in store.events(report_id=report.id, current=False)]
    store.close()
    assert types[-1] == "Attack" and set(types[:-1]) <= {"Remote explosive/landmine/IED"}
    assert set(types) <= set(EVENT_TYPES)

    engine = sa.create_engine(database_url(path))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    with engine.connect() as conn:
        old = [r[0] for r in conn.execute(sa.text("select type from events order by id"))]
    engine.dispose()
    assert old[-1] == "armed attack" and set(old[:-1]) <= {"bombing"}


def test_legacy_type_names_read_from_json():
    from tollbook.records import Event, acled_event_type, disorder_type

    e = Event.from_dict({"report_id": "r1", "type": "shelling/airstrike"})
    assert e.type == "Shelling/artillery/missile attack"
    assert acled_event_type(e.type) == "Explosions/Remote violence" and disorder_type(e.type) == "Political violence"
    assert acled_event_type("Peaceful protest") == "Protests" and acled_event_type("Natural disaster") == "Out of scope"
    with pytest.raises(ValueError, match="event type"):
        Event("r1", "flood")


SEARCHED = {
    "a": "A car bomb killed seven people at the Záhir market in Tarsel on Saturday, police said.",
    "b": "Gunmen killed four farmers on the market road near Lomir on Thursday, officials said.",
    "c": "Rebels shelled the marketplace of Varnok on Friday, killing two children, witnesses said.",
}


SEARCHES = [
    ("market", "ab"),  # a word: whole words only
    ("MARKET", "ab"),  # any case
    ("market*", "abc"),  # a prefix
    ("killed farmers", "b"),  # every word, anywhere in the text
    ('"market road"', "b"),  # a phrase: next to one another, in that order
    ('"road market"', ""),
    ("car-bomb", "a"),  # words joined by punctuation are a phrase
    ("zahir", "a"),  # diacritics do not matter
    ('"', "abc"),  # nothing to search: no filter, and no syntax error
]


def test_search_words_phrases_and_prefixes(tb):
    """What people type into the search box means the same on SQLite (FTS5) and PostgreSQL (tsvector)."""
    from tollbook.store.index import IncidentQuery

    ids = {key: tb.add_text(text, published=dt.date(2024, 3, 9)).id for key, text in SEARCHED.items()}
    tb.refresh_index(force=True)
    for typed, expected in SEARCHES:
        want = {i for key in expected for i in tb.incidents_of_report(ids[key])}
        found = {i["id"] for i in tb.find_incidents(IncidentQuery(q=typed), limit=100)["items"]}
        assert found == want and (want or not expected), typed


_OPEN = "import sys; from tollbook.store.db import Store; Store.open(sys.argv[1]).close()"


def test_three_processes_open_one_new_store(db):
    """Concurrent first opens wait for one another (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory
    lock) and the schema is made once."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from alembic.script import ScriptDirectory

    from tollbook.store.migrate import alembic_config, current_revision

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    procs = [subprocess.Popen([sys.executable, "-c", _OPEN, db], env=env, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    outcomes = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _ in outcomes), outcomes
    store = Store.open(db)
    try:
        assert current_revision(store.engine) == ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert store.count_reports() == 0
    finally:
        store.close()


def test_two_writers_refresh_the_index_at_once(tb, db, extractor):
    """Writers of the incident index (two stores, as two processes have) take turns (an advisory
    lock on PostgreSQL, the write lock on SQLite): both refreshes finish and the index holds each
    incident once."""
    import threading

    from tollbook.api import Settings, Tollbook
    from tollbook.store.index import IncidentQuery

    for text in SEARCHED.values():
        tb.add_text(text, published=dt.date(2024, 3, 9))
    other = Tollbook(Store.open(db), settings=Settings.load(db=db), extractor=extractor)
    errors = []

    def refresh(book) -> None:
        try:
            for _ in range(3):
                book.refresh_index(force=True)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=refresh, args=(book,)) for book in (tb, other)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        assert not errors, errors
        listed = [i["id"] for i in tb.find_incidents(IncidentQuery(), limit=500)["items"]]
        assert sorted(listed) == sorted({i.id for i in tb.incidents()})
    finally:
        other.close()
