"""The command line as a user meets it: exit codes, one-line errors, tables, JSON, CSV."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from click.testing import CliRunner

from tollbook import api
from tollbook.cli import main

pytestmark = pytest.mark.backends  # each test on SQLite and on PostgreSQL (tests/conftest.py)


@pytest.fixture()
def run():
    runner = CliRunner()

    def invoke(*args: str, input: bytes | None = None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


@pytest.mark.parametrize("command", ["ingest", "reports", "events", "show", "extract", "demo", "incidents",
                                     "incident", "export", "eval", "merge", "split", "move", "correct", "log",
                                     "regroup"])
def test_every_help_has_an_example(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and f"tollbook {command}" in result.output


def test_batch_with_a_corrupt_file(run, tmp_path, examples, db):
    folder = tmp_path / "in"
    shutil.copytree(examples / "reports", folder)
    (folder / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    result = run("ingest", folder, "--db", db, "--gazetteer", examples / "gazetteer.csv")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("tollbook: error:")]
    assert len(errors) == 1 and "broken.txt" in errors[0] and "PNG" in errors[0]
    assert "13 added" in result.stderr
    again = run("ingest", folder / "tarsel-market-bombing.txt", "--db", db)
    assert again.exit_code == 0 and "0 added, 1 already stored" in again.stderr

    listed = json.loads(run("reports", "--db", db, "--json").stdout)
    assert len(listed) == 13 and all("text" not in r for r in listed)

    events = json.loads(run("events", "--db", db, "--json").stdout)
    bombing = [e for e in events if e["type"] == "Remote explosive/landmine/IED" and any(
        f["kind"] == "killed" and f["low"] == 12 for f in e["figures"])]
    assert len(bombing) == 1
    killed = next(f for f in bombing[0]["figures"] if f["kind"] == "killed")
    assert killed["qualifier"] == "at least" and killed["evidence"][0]["quote"]

    rows = list(csv.DictReader(io.StringIO(run("events", "--db", db, "--csv").stdout)))
    assert len(rows) == len(events) and rows[0]["event_id"]

    shown = run("show", bombing[0]["report_id"][:7], "--db", db)
    assert shown.exit_code == 0
    assert "killed: 12+" in shown.stdout and "at least 12 people" in shown.stdout


def test_unknown_report_is_one_line(run, db):
    api.open(db).close()  # an empty store (reading commands do not create one)
    result = run("show", "rnope", "--db", db)
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "no report 'rnope'" in result.stderr


def test_stdin_and_missing_file(run, tmp_path, db):
    result = run("ingest", "-", tmp_path / "missing.txt", "--db", db, "--published", "2024-01-05",
                 input=b"Gunmen shot dead four farmers near Lomir on Thursday, officials said.")
    assert result.exit_code == 1 and "missing.txt: no such file" in result.stderr
    events = json.loads(run("events", "--db", db, "--json").stdout)
    assert events[0]["figures"][0]["low"] == 4
    assert events[0]["dates"][0]["earliest"] == "2024-01-04"


def test_bad_published_flag(run, tmp_path):
    result = run("ingest", "-", "--published", "yesterday", "--db", tmp_path / "x.db", input=b"x")
    assert result.exit_code == 2 and "not a date" in result.stderr


def test_demo_is_repeatable(run, tmp_path, db):
    first = run("demo", "--db", db)
    assert first.exit_code == 0 and "13 reports added" in first.stderr
    second = run("demo", "--db", db)
    assert "0 reports added, 13 already stored" in second.stderr
    assert first.stdout == second.stdout
    assert "Tarsel" in first.stdout and "Events (" in first.stdout and "Incidents" in first.stdout
    incidents = json.loads(run("incidents", "--db", db, "--json").stdout)
    tarsel = next(i for i in incidents if i["place"] and i["place"]["city"] == "Tarsel")
    killed = next(f for f in tarsel["figures"] if f["kind"] == "killed")
    assert (killed["low"], killed["best"], killed["high"]) == (12, 21, 21) and len(killed["history"]) == 3
    out = tmp_path / "x.geojson"
    assert run("export", "--format", "geojson", "-o", out, "--db", db).exit_code == 0
    assert json.loads(out.read_text())["type"] == "FeatureCollection"
    assert run("regroup", "--db", db).exit_code == 0
    again = run("regroup", "--db", db)  # the same collection, the same words: nothing moves
    assert again.exit_code == 0 and "incidents (0 new, 0 changed, 0 gone)" in again.stderr


def test_tables_show_each_acled_type_whole_by_a_short_name(run, tmp_path):
    from tollbook.cli import SHORT_TYPES
    from tollbook.records import ACLED_TYPES

    # every short name is distinct and fits the type column whole; JSON keeps ACLED's own spelling
    shorts = [SHORT_TYPES.get(t, t) for t in ACLED_TYPES]
    assert len(set(shorts)) == len(shorts) and max(map(len, shorts)) <= 13
    db = tmp_path / "d.db"
    run("demo", "--db", str(db))
    table = run("incidents", "--db", str(db)).stdout
    listed = json.loads(run("incidents", "--db", str(db), "--json").stdout)
    rows = [line for line in table.splitlines() if line.split()[:1] and line.split()[0] in {i["id"] for i in listed}]
    assert len(rows) == len(listed)
    for row, incident in zip(rows, listed):
        assert f" {SHORT_TYPES.get(incident['type'], incident['type'])} " in row, row
    assert any("/" in i["type"] for i in listed)


def test_a_password_in_the_database_url_is_not_shown(run, postgres):
    url = postgres.create_database().replace("tollbook@", "tollbook:s3cret@")  # the test cluster trusts anyone
    result = run("ingest", "-", "--db", url, "--published", "2024-01-05",
                 input=b"Gunmen shot dead four farmers near Lomir on Thursday, officials said.")
    assert result.exit_code == 0 and "1 added" in result.stderr
    assert "s3cret" not in result.stderr and "tollbook:***@" in result.stderr
