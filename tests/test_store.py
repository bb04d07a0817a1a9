"""The store: one transaction per report, duplicates stored once, custody kept, migrations."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import sqlalchemy as sa

from tollbook.errors import NotFound, StoreError
from tollbook.store import Store

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


def test_reopen_and_refuse_newer_schema(tmp_path):
    path = tmp_path / "s.db"
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


def test_reextract_keeps_old_events(tb):
    report = tb.add_text(TEXT, published=dt.date(2024, 3, 9))
    before = tb.events(report=report.id)
    assert tb.reextract(all_reports=True) == 1
    after = tb.events(report=report.id)
    assert [e.to_dict()["figures"] for e in after] == [e.to_dict()["figures"] for e in before]
    all_rows = tb.store.events(report_id=report.id, current=False)
    assert len(all_rows) == 2 * len(before)


def test_a_database_of_the_first_schema_is_upgraded(tmp_path):
    from alembic import command

    from tollbook.store.migrate import alembic_config

    path = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{path}")
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
