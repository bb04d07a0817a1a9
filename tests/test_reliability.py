"""On a bad day: hostile files in a batch, fuzzed texts, long texts, kills during schema changes,
concurrent opens and ingests, hostile HTTP requests. Big counts are in the slow tests."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _hostile import GOOD, write_hostile_batch
from tollbook.ingest.readers import FORMATS, read_bytes

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _python(code: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


# -- a batch always finishes ------------------------------------------------------------------------


def test_hostile_batch_finishes_with_one_line_per_bad_record(tb, tmp_path):
    written = write_hostile_batch(tmp_path / "in", tmp_path / "elsewhere")
    result = tb.ingest([tmp_path / "in"])
    failed = {e.source: e.reason for e in result.failed}
    for name in written["bad"]:
        assert any(src.endswith(name) for src in failed), (name, failed)
    assert len(result.failed) == len(written["bad"]), failed
    assert all("\n" not in f"{s}: {r}" and len(r) < 400 for s, r in failed.items())
    assert len(result.added) == int(written["good"][0])
    # the absurd number is stored as "more than the ceiling", flagged, never as exact
    from tollbook.extract.numbers import CEILING

    huge = [e for e in tb.events() if any(f.low == CEILING for f in e.figures)]
    assert huge and all(f.qualifier != "exact" for e in huge for f in e.figures if f.low == CEILING)
    assert any(fl.kind == "figure over ceiling" for e in huge for fl in e.flags)
    # the URL that does not parse is kept; the name that is not UTF-8 is shown escaped
    assert any(r.url == "http://[::1/broken" for r in tb.reports())
    assert any("\\xff" in c["origin"] for r in tb.reports() for c in tb.custody(r.id))
    with sqlite3.connect(tb.store.url.removeprefix("sqlite:///")) as conn:
        assert conn.execute("SELECT count(*) FROM runs WHERE finished_at IS NULL").fetchone()[0] == 0


@pytest.mark.skipif(IS_ROOT, reason="root lists every folder: a folder cannot be made unreadable to it")
def test_unreadable_folder_is_an_error(tmp_path):
    from tollbook.ingest.readers import iter_submissions

    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "ok.txt").write_text(GOOD.format(n=3), encoding="utf-8")
    (folder / "locked" / "hidden.txt").write_text(GOOD.format(n=4), encoding="utf-8")
    os.chmod(folder / "locked", 0)
    try:
        items = list(iter_submissions([folder]))
    finally:
        os.chmod(folder / "locked", 0o755)
    kinds = [(type(i).__name__, getattr(i, "source", None) or i.origin) for i in items]
    assert kinds == [("Submission", str(folder / "ok.txt")), ("IngestError", str(folder / "locked"))], kinds


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux's /proc")
def test_the_size_limit_does_not_trust_the_file_system():
    """/proc files report a size of 0: the limit is counted on the bytes read."""
    from tollbook.ingest.readers import iter_submissions

    [item] = list(iter_submissions(["/proc/self/maps"], max_bytes=64, fmt="txt"))
    assert type(item).__name__ == "IngestError" and "over the" in item.reason


def test_a_folder_that_cannot_be_listed_is_an_error(tmp_path):
    """The same path as an unreadable folder, for any user: a sub-folder removed while the batch is
    read cannot be listed, and that is an error line, not a silent gap."""
    import shutil

    from tollbook.ingest.readers import iter_submissions

    folder = tmp_path / "in"
    (folder / "gone").mkdir(parents=True)
    (folder / "gone" / "a.txt").write_text(GOOD.format(n=4), encoding="utf-8")
    (folder / "ok.txt").write_text(GOOD.format(n=3), encoding="utf-8")
    items = []
    for item in iter_submissions([folder]):
        items.append(item)
        if len(items) == 1:
            shutil.rmtree(folder / "gone")
    assert [type(i).__name__ for i in items] == ["Submission", "IngestError"]
    assert items[1].source == str(folder / "gone") and "cannot read folder" in items[1].reason


def test_cli_hostile_batch_exit_code_and_no_traceback(tmp_path, examples):
    written = write_hostile_batch(tmp_path / "in", tmp_path / "elsewhere")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "tollbook", "ingest", str(tmp_path / "in"), "--db",
                           str(tmp_path / "c.db"), "--gazetteer", str(examples / "gazetteer.csv")],
                          env=env, capture_output=True, timeout=600)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 1, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("tollbook: error:")]
    assert len(lines) == len(written["bad"]), err
    assert f"{written['good'][0]} added" in err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(FORMATS))
def test_readers_never_raise(data, fmt):
    for item in read_bytes("fuzz", data, fmt=fmt):
        assert type(item).__name__ in ("Submission", "IngestError", "Skipped")


_JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                     max_size=3), max_leaves=20)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=st.dictionaries(st.sampled_from(["text", "title", "url", "published", "id", "source", "html"]),
                              _JSONISH, max_size=5))
def test_jsonl_records_never_raise(record):
    line = json.dumps(record).encode("utf-8", "surrogatepass")
    for item in read_bytes("fuzz.jsonl", line, fmt="jsonl"):
        assert type(item).__name__ in ("Submission", "IngestError")


_WORDS = st.sampled_from(["killed", "wounded", "people", "soldiers", "in", "Osk", "on", "Monday", "police",
                          "said", "the", "bomb", "12", "1,200", "99999999999999999999999", "dozens", "-", ".",
                          "\n\n", "at least", "between", "and", "three", "million", "1e400", "\u00a0", "ÉTÉ"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(words=st.lists(_WORDS | st.text(max_size=12), min_size=1, max_size=60))
def test_fuzzed_texts_ingest_without_a_crash(tb, words):
    text = " ".join(words)
    result = tb.ingest_bytes("fuzz.txt", text.encode("utf-8", "surrogatepass"))
    assert len(result.added) + len(result.duplicates) + len(result.failed) == 1
    for e in result.failed:
        assert e.reason and "\n" not in e.reason


@pytest.mark.slow
def test_ten_thousand_fuzzed_texts(tb):
    import random

    rng = random.Random(13)
    vocab = ["killed", "wounded", "people", "soldiers", "in", "Osk", "on", "Monday", "police", "said", "the",
             "12", "1,200", "99999999999999999999999", "dozens", "at least", "three", "million", ".", "\n\n",
             "\ud800", "\x00", "between", "and", "1e400", "𝟗"]
    crashed = 0
    for i in range(int(os.environ.get("TOLLBOOK_FUZZ_TEXTS", "10000"))):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 40))) + f" {i}"
        try:
            tb.ingest_bytes(f"f{i}.txt", text.encode("utf-8", "surrogatepass"))
        except Exception:  # noqa: BLE001 - counted: there must be none
            crashed += 1
    assert crashed == 0


# -- long texts: linear work, a budget --------------------------------------------------------------


def test_pieces_cover_the_text_at_sentence_ends():
    from tollbook.extract.pipeline import _pieces

    text = ("Gunmen killed three people. " * 40 + "\n\n") * 30
    pieces = list(_pieces(text, 2000))
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
    assert all(0 < e - s <= 2000 for s, e in pieces)
    assert all(text[e - 1] in " \n" for _, e in pieces[:-1])


def test_a_1mb_text_is_read_within_its_token_budget(extractor):
    """Work is counted in tokens parsed: a 1 MB text under a budget of 3,000 tokens costs at most
    that, and every event says the rest was not read."""
    from dataclasses import replace

    from tollbook.extract import Extractor
    from tollbook.records import Report

    small = Extractor(nlp=extractor.nlp, gazetteer=extractor.gazetteer,
                      options=replace(extractor.options, max_tokens=3000))
    text = (GOOD.format(n=7) + " ") * 12_000
    assert len(text) > 1_000_000
    events = small(Report.from_text(text))
    assert 0 < small.tokens_read <= 3000
    assert events and all(any(f.kind == "text not read" for f in e.flags) for e in events)


def test_a_text_over_spacys_max_length_is_read_in_pieces(extractor):
    """spaCy's max_length (1,000,000 characters) no longer decides whether a report is read: the
    text is parsed in pieces and every piece is read (tokens counted, not timed)."""
    from tollbook.extract.pipeline import CHUNK_CHARS
    from tollbook.records import Report

    text = ("A quiet day in Osk. " * (CHUNK_CHARS // 20)) + GOOD.format(n=9) + " " + "Markets opened. " * 1000
    before = extractor.tokens_read
    events = extractor(Report.from_text(text))
    read = extractor.tokens_read - before
    assert read == len(extractor.nlp.make_doc(text))  # each token once: linear work
    killed = [f for e in events for f in e.figures if f.kind == "killed"]
    assert any(f.low == 9 for f in killed)
    assert all(e.evidence[0].quote == text[e.evidence[0].start:e.evidence[0].end] for e in events)


@pytest.mark.slow
def test_a_text_over_a_million_characters(extractor):
    from tollbook.records import Report

    text = (GOOD.format(n=5) + "\n\n") * 12_500
    assert len(text) > 1_000_000
    before = extractor.tokens_read
    events = extractor(Report.from_text(text))
    # the tokenizer alone (make_doc refuses texts over spaCy's max_length, which tollbook no longer needs)
    assert events and extractor.tokens_read - before == len(extractor.nlp.tokenizer(text))


# -- the schema: atomic, race-free, repaired -----------------------------------------------------------

_OPEN = "import sys; from tollbook.store.db import Store; Store.open(sys.argv[1]).close()"
_UPGRADE_FROM_FIRST = """
import sys
from alembic import command
from sqlalchemy import create_engine
from tollbook.store.migrate import alembic_config
engine = create_engine("sqlite:///" + sys.argv[1])
with engine.begin() as conn:
    cfg = alembic_config(); cfg.attributes["connection"] = conn; command.upgrade(cfg, "0001")
    conn.exec_driver_sql("INSERT INTO originals (sha256, name, media_type, size, content, received_at) "
                         "VALUES ('o1', 'a.txt', 'text/plain', 1, x'41', '2024-01-01 00:00:00')")
    conn.exec_driver_sql("INSERT INTO reports (id, sha256, text, original_sha256, ingested_at) "
                         "VALUES ('r1', 's1', 'A', 'o1', '2024-01-01 00:00:00')")
"""


def _kill_during(code: str, db: Path, delay: float) -> None:
    proc = _python(code, str(db))
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def _opens_and_holds(db: Path, *, report: bool) -> None:
    from tollbook.store.db import Store
    from tollbook.store.migrate import current_revision

    store = Store.open(db)
    try:
        from alembic.script import ScriptDirectory

        from tollbook.store.migrate import alembic_config

        assert current_revision(store.engine) == ScriptDirectory.from_config(alembic_config()).get_current_head()
        if report:
            assert store.report("r1").text == "A"
        store.count_reports()
    finally:
        store.close()


def _kill_trials(tmp_path: Path, trials: int, *, upgrade: bool) -> None:
    for i in range(trials):
        db = tmp_path / f"k{i}.db"
        if upgrade:
            done = _python(_UPGRADE_FROM_FIRST, str(db))
            assert done.wait() == 0, done.stderr.read().decode()
        # a spread of moments: from interpreter start-up to the end of the migrations
        _kill_during(_OPEN, db, 0.3 + (i % 10) * 0.25)
        _opens_and_holds(db, report=upgrade)


def test_kill_during_creation_and_upgrade(tmp_path):
    _kill_trials(tmp_path, 3, upgrade=False)
    _kill_trials(tmp_path, 3, upgrade=True)


@pytest.mark.slow
def test_a_hundred_kills(tmp_path):
    _kill_trials(tmp_path, 50, upgrade=False)
    _kill_trials(tmp_path, 50, upgrade=True)


def test_half_made_store_of_an_older_version_is_repaired(tmp_path):
    """An older tollbook committed each DDL statement: a kill during the 0003 -> 0004 upgrade left
    incident_index made and the revision at 0003 ("table incident_index already exists")."""
    from alembic import command
    from sqlalchemy import create_engine

    from tollbook.store.migrate import alembic_config

    db = tmp_path / "half.db"
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        conn.exec_driver_sql("CREATE TABLE incident_index (n INTEGER PRIMARY KEY, id VARCHAR(16))")
        conn.exec_driver_sql("CREATE TABLE _alembic_tmp_reports (id VARCHAR(20))")
    engine.dispose()
    _opens_and_holds(db, report=False)

    # creation killed after some tables: no revision, no reports
    db2 = tmp_path / "half2.db"
    with sqlite3.connect(db2) as conn:
        conn.execute("CREATE TABLE originals (sha256 TEXT PRIMARY KEY)")
    _opens_and_holds(db2, report=False)


def _concurrent_first_opens(tmp_path: Path, trials: int) -> None:
    for i in range(trials):
        db = tmp_path / f"c{i}.db"
        procs = [_python(_OPEN, str(db)) for _ in range(3)]
        codes = [(p.wait(timeout=300), p.stderr.read().decode()) for p in procs]
        assert all(code == 0 for code, _ in codes), codes
        _opens_and_holds(db, report=False)


def test_three_processes_open_one_new_store(tmp_path):
    _concurrent_first_opens(tmp_path, 2)


@pytest.mark.slow
def test_three_processes_open_one_new_store_twenty_times(tmp_path):
    _concurrent_first_opens(tmp_path, 20)


# -- concurrent ingests, custody, runs ------------------------------------------------------------------


def test_a_text_stored_meanwhile_by_another_process_is_an_arrival(tb, tmp_path):
    """Two ingests of the same file: both looked the text up before either stored it. The second
    insert finds it stored; its arrival goes to the chain of custody, the report is stored once."""
    from tollbook.ingest.readers import read_bytes
    from tollbook.store.db import AlreadyStored, Store

    [first] = read_bytes("a.txt", GOOD.format(n=3).encode())
    [second] = read_bytes("a.txt", GOOD.format(n=3).encode())
    other = Store.open(tb.store.url.removeprefix("sqlite:///"))
    try:
        report, _ = tb.store.add_report(first, [], extractor="x")
        with pytest.raises(AlreadyStored) as caught:
            other.add_report(second, [], extractor="x")
        assert caught.value.report_id == report.id
    finally:
        other.close()
    assert tb.store.count_reports() == 1
    assert [c["duplicate"] for c in tb.store.custody(report.id)] == [False, True]


# -- HTTP holds its shape ---------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory, extractor):
    """A served store on SQLite and on PostgreSQL."""
    from tollbook.api import Settings, Tollbook
    from tollbook.store import Store

    if request.param == "sqlite":
        path = str(tmp_path_factory.mktemp("http") / "h.db")
    else:
        path = request.getfixturevalue("postgres").create_database("http")
    tb = Tollbook(Store.open(path), settings=Settings.load(db=path), extractor=extractor)
    tb.add_text(GOOD.format(n=6), title="Border attack")
    tb.add_text(GOOD.format(n=8).replace("Tuesday", "Friday"), title="Post attack", url="http://[::1/broken")
    tb.add_editor("amira", "correct horse battery")
    token = tb.create_token("amira")
    tb.refresh_index()
    from fastapi.testclient import TestClient

    from tollbook.serve import create_app

    with TestClient(create_app(tb=tb), follow_redirects=False, raise_server_exceptions=False) as client:
        yield client, {"Authorization": f"Bearer {token}"}, tb
    tb.close()


@pytest.mark.parametrize("params", [{"offset": str(2**63)}, {"min_killed": str(2**63)}, {"limit": str(2**64)},
                                    {"offset": "9" * 5000}, {"min_killed": "-1"}, {"bbox": "nan,nan,nan,nan"},
                                    {"since": "9999-99-99"}, {"q": '"'}, {"q": "\x00"}])
def test_out_of_range_parameters_are_json_errors(served, params):
    client, _, _ = served
    for path in ("/api/incidents", "/api/map", "/api/timeline"):
        r = client.get(path, params=params)
        assert r.status_code < 500, (path, params, r.text)
        if r.status_code >= 400:
            assert r.json()["error"]["status"] == r.status_code


def test_absurd_correction_is_refused_and_pages_hold(served):
    client, auth, _ = served
    iid = client.get("/api/incidents").json()["items"][0]["id"]
    for value in (10**20, 10**12):
        r = client.post(f"/api/incidents/{iid}/correct", json={"kind": "killed", "part": "best", "value": value,
                                                                "reason": "test"}, headers=auth)
        assert r.status_code == 400 and ("ceiling" in r.text or "out of range" in r.text), r.text
    r = client.post(f"/api/incidents/{iid}/correct", json={"kind": "killed", "part": "low", "value": 1000,
                                                            "reason": "low above best"}, headers=auth)
    assert r.status_code == 400 and "low <= best <= high" in r.json()["error"]["message"]
    for path in ("/", "/api/incidents", "/api/map", f"/incidents/{iid}"):
        assert client.get(path).status_code == 200
    for item in client.get("/api/incidents").json()["items"]:  # a stored URL that does not parse
        for rid in client.get(f"/api/incidents/{item['id']}").json()["reports"]:
            assert client.get(f"/reports/{rid}").status_code == 200
            assert client.get(f"/api/reports/{rid}").status_code == 200


def test_bodies_are_limited_and_authentication_comes_first(served):
    client, auth, _ = served
    iid = client.get("/api/incidents").json()["items"][0]["id"]
    big = b"{" + b" " * (2 * 1024 * 1024) + b"}"
    r = client.post(f"/api/incidents/{iid}/correct", content=big, headers={"content-type": "application/json"})
    assert r.status_code in (401, 413) and r.json()["error"]["status"] == r.status_code
    r = client.post(f"/api/incidents/{iid}/correct", content=big, headers={**auth, "content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"

    def chunks():  # no Content-Length: refused once the limit has arrived
        for _ in range(100):
            yield b" " * 4096

    r = client.post(f"/api/incidents/{iid}/correct", content=chunks(), headers=auth)
    assert r.status_code == 413
    r = client.post(f"/incidents/{iid}/correct", data={"value": "3"})  # a form without a login: 401 at once
    assert r.status_code == 401


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["offset", "limit", "min_killed", "since", "until", "bbox", "sort", "q", "country",
                             "by", "type", "actor", "place", "admin1", "format"]),
       value=st.text(max_size=30) | st.integers().map(str) | st.floats().map(str))
def test_no_request_returns_a_500(served, name, value):
    client, _, _ = served
    for path in ("/api/incidents", "/api/map", "/api/timeline", "/api/export", "/"):
        r = client.get(path, params={name: value})
        assert r.status_code < 500, (path, name, value, r.text[:300])


# JSON has no infinities or NaN (the client cannot send them; the raw literals are posted below)
_BODY_VALUES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(
    max_size=20) | st.lists(
    st.text(max_size=20) | st.integers(), max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=st.sampled_from(["correct", "merge", "split"]),
       body=st.dictionaries(st.sampled_from(["kind", "part", "value", "wrong", "reason", "other", "reports", "to"]),
                            _BODY_VALUES, max_size=6) | st.lists(st.integers(), max_size=2) | st.text(max_size=10))
def test_no_edit_returns_a_500(served, action, body):
    client, auth, _ = served
    iid = client.get("/api/incidents").json()["items"][0]["id"]
    r = client.post(f"/api/incidents/{iid}/{action}", json=body, headers=auth)
    assert r.status_code < 500, (action, body, r.text[:300])
    for raw in (b'{"value": 1' + b"0" * 5000 + b"}", b'{"value": Infinity}', b'{"value": NaN, "kind": "killed"}'):
        r = client.post(f"/api/incidents/{iid}/{action}", content=raw, headers=auth)
        assert r.status_code < 500, r.text[:300]


def test_a_nul_character_is_a_client_error(served):
    """PostgreSQL's text cannot hold a NUL character: on either store, one in a filter, an address
    or a review's reason gets an answer of the error's shape, not a 500."""
    client, auth, _ = served
    iid = client.get("/api/incidents").json()["items"][0]["id"]
    for name in ("country", "admin1", "type", "source", "flag", "q", "place", "actor"):
        for path in ("/api/incidents", "/api/map", "/api/timeline", "/api/facets"):
            r = client.get(path, params={name: "Arv\x00elia"})
            assert r.status_code < 500, (path, name, r.text[:300])
    for path in ("/api/incidents/i%00x", "/api/reports/r%00x", "/incidents/i%00x"):
        assert client.get(path).status_code in (400, 404)
    r = client.post(f"/api/incidents/{iid}/correct", json={"kind": "killed", "part": "best", "value": 3,
                                                            "reason": "hospital\x00list"}, headers=auth)
    assert r.status_code < 500 and (r.status_code == 200 or r.json()["error"]["message"]), r.text[:300]
