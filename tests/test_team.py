"""A team on one store: three `tollbook ingest` processes on overlapping files, an editor taking
decisions with the CLI and a running `tollbook serve` read over HTTP, all at once; then the counts
and hashes. On SQLite and on PostgreSQL (the store a team shares on a server)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.backends  # on SQLite and on PostgreSQL (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[1]
# Invented reports (places of the bundled example gazetteer). The first four, which the editor
# works on, each have a town of their own, so that no later report joins their incidents (an
# incident's id would change under the editor); the other twenty share three towns.
SEEDED_PLACES = ("Tarsel", "Lomir", "Osk", "Dunmere")
PLACES = ("Hallow Pass", "Kerrin", "Ostmark")
WHO = ("farmers", "traders", "students", "miners")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday")


def _texts() -> list[str]:
    out = []
    for i in range(24):
        place = SEEDED_PLACES[i] if i < 4 else PLACES[i % 3]
        who, day = WHO[(i // 6) % 4], WEEKDAYS[i % 4]
        out.append(f"Gunmen shot dead {i + 3} {who} near {place} on {day}, local officials said. "
                   f"Witnesses said the attackers came at dawn and fled before soldiers arrived (report {i}).")
    return out


def _cli(*args: str, log: Path | None = None) -> subprocess.Popen:
    """A tollbook command in a process of its own; a long-running one writes to ``log`` (a pipe
    nobody reads would fill and stop it)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = open(log, "w") if log else subprocess.PIPE  # noqa: SIM115 - closed with the process
    return subprocess.Popen([sys.executable, "-m", "tollbook", *args], env=env, stdout=out,
                            stderr=subprocess.STDOUT if log else subprocess.PIPE, text=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_three_writers_an_editor_and_a_reader_at_once(tb, db, tmp_path, examples, request):
    from tollbook.api import Settings, Tollbook
    from tollbook.store import Store

    folder = tmp_path / "reports"
    folder.mkdir()
    files = []
    for i, text in enumerate(_texts()):
        files.append(folder / f"r{i:02d}.txt")
        files[-1].write_text(text)
    gazetteer = ["--gazetteer", str(examples / "gazetteer.csv")]
    published = ["--published", "2024-05-03"]

    # what the editor works on: four reports stored and grouped before the others arrive
    seeded = tb.ingest(files[:4], published=dt.date(2024, 5, 3))
    assert len(seeded.added) == 4
    tb.add_editor("amira", "correct horse battery")
    incidents = sorted(tb.incidents(), key=lambda i: i.id)
    assert len(incidents) >= 3

    # three writers on overlapping files (every file in two batches, the seeded ones again too)
    batches = [files[0:14], files[8:24], files[16:24] + files[0:8]]
    port = _free_port()
    server_log = tmp_path / "serve.log"
    server = _cli("serve", "--db", db, "--port", str(port), "--tile-url", "none", log=server_log)
    writers = [_cli("ingest", *map(str, batch), "--db", db, *published, *gazetteer) for batch in batches]
    request.addfinalizer(lambda: [p.kill() for p in (server, *writers) if p.poll() is None])  # even on failure

    # the editor: a merge, a correction and a withdrawal through the CLI while the writers run
    decisions = []

    def edit() -> None:
        steps = [("merge", incidents[0].id, incidents[1].id),
                 ("correct", incidents[2].id, "killed", "--best", "9"),
                 ("log",)]
        for step in steps:
            extra = [] if step[0] == "log" else ["--editor", "amira", "--reason", "same attack, two reports"]
            p = _cli(*step, *extra, "--db", db)
            out, err = p.communicate(timeout=300)
            decisions.append((step[0], p.returncode, err.strip()[-300:]))

    editor = threading.Thread(target=edit)
    editor.start()

    # the reader: the running server's list and search while all that happens
    answers = []
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    with httpx.Client(timeout=30) as client:
        while any(w.poll() is None for w in writers) or editor.is_alive():
            assert time.monotonic() < deadline, "the writers did not finish"
            assert server.poll() is None, server_log.read_text()[-2000:]
            for path in ("/api/incidents", "/api/incidents?q=gunmen%20officials", "/api/facets"):
                try:
                    answers.append(client.get(base + path).status_code)
                except httpx.TransportError:
                    break  # not listening yet
            time.sleep(0.3)
        editor.join()
        outcomes = [(w.wait(), *w.communicate()) for w in writers]
        assert all(code == 0 for code, _, _ in outcomes), [err[-500:] for _, _, err in outcomes]
        assert all(code == 0 for _, code, _ in decisions), decisions
        assert answers and set(answers) == {200}, answers

        # the server comes to the same incidents as a fresh process (its index follows the writers)
        fresh = Tollbook(Store.open(db), settings=Settings.load(db=db), extractor=tb.extractor)
        try:
            expected = {i.id for i in fresh.incidents()}
            for _ in range(60):
                served = client.get(base + "/api/incidents", params={"limit": 500}).json()
                assert "items" in served, served
                if {i["id"] for i in served["items"]} == expected:
                    break
                time.sleep(0.5)
            assert {i["id"] for i in served["items"]} == expected
        finally:
            fresh.close()
    server.terminate()
    server.wait(timeout=30)

    texts = {f: f.read_text() for f in files}
    store = tb.store
    # every report stored once
    assert store.count_reports() == len(set(texts.values())) == 24
    reports = store.reports(with_text=True)
    assert sorted(r.sha256 for r in reports) == sorted(hashlib.sha256(t.encode()).hexdigest() for t in texts.values())
    # every arrival kept: the seeded four, then each file of each batch; one first arrival per report
    arrivals = 4 + sum(len(b) for b in batches)
    custody = [c for r in reports for c in store.custody(r.id)]
    assert len(custody) == arrivals
    assert sorted(c["report_id"] for c in custody if not c["duplicate"]) == sorted(r.id for r in reports)
    # hashes equal to the files': each arrival's original is the file's bytes
    by_name = {f.name: f.read_bytes() for f in files}
    for c in custody:
        content = by_name[Path(c["origin"]).name]
        assert c["original_sha256"] == hashlib.sha256(content).hexdigest()
        assert store.original(c["original_sha256"]) == content
    # the runs: what each process said it did adds up
    with store.engine.connect() as conn:
        import sqlalchemy as sa

        runs = conn.execute(sa.text("select added, duplicates, failed, finished_at from runs")).all()
    assert len(runs) == 4 and all(r.finished_at is not None for r in runs)
    assert sum(r.added for r in runs) == 24 and sum(r.added + r.duplicates for r in runs) == arrivals
    # no duplicate incidents: every current event in exactly one incident
    incidents_now = tb.incidents()
    refs = [ref for i in incidents_now for ref in i.refs]
    assert len(refs) == len(set(refs)) == len(store.current_event_ids())
    assert len({i.id for i in incidents_now}) == len(incidents_now)
    # the review log complete: the merge and the correction, in the order taken
    assert [e["action"] for e in tb.review_log()] == ["merge", "correct"]
    merged = [i for i in incidents_now if set(incidents[0].refs) | set(incidents[1].refs) <= set(i.refs)]
    assert len(merged) == 1
