"""Extraction on a Dask cluster (``--cluster local:N``, ``--scheduler``): the same events as one
process, every report stored once, a lost worker's chunk run again, bad addresses one line."""

from __future__ import annotations

import json
import os
import signal

import pytest

from tollbook.api import Settings, Tollbook
from tollbook.errors import ClusterError
from tollbook.extract.parallel import DaskRunner, check_scheduler, parse_cluster
from tollbook.store import Store

# Invented reports, one incident each, in a handful of shapes.
TOWNS = ["Springfield, Illinois", "Dayton, Ohio", "Tulsa, Oklahoma", "Macon, Georgia", "Fresno, California",
         "Mosul, Iraq", "Aden, Yemen", "Kano, Nigeria"]
SHAPES = [
    "{n} people were shot dead outside a bar in {town} on Saturday night, police said.",
    "A car bomb killed {n} civilians and wounded {m} others at a market in {town} on Monday.",
    "Gunmen abducted {n} farmers near {town} on Tuesday, local officials said.",
    "An air strike on a village near {town} killed {n} people, residents said on Friday.",
]


def _records(count: int) -> list[dict]:
    out = []
    for k in range(count):
        text = SHAPES[k % len(SHAPES)].format(n=2 + k % 7, m=3 + k % 5, town=TOWNS[k % len(TOWNS)])
        out.append({"text": f"{text} (report {k})", "published": f"2024-03-{1 + k % 27:02d}", "title": f"Report {k}"})
    return out


def _write(path, records) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def _book(tmp_path, name: str, examples, batch_size: int = 4) -> Tollbook:
    db = tmp_path / f"{name}.db"
    settings = Settings.load(db=str(db), gazetteers=(str(examples / "gazetteer.csv"),), batch_size=batch_size)
    return Tollbook(Store.open(db), settings=settings)


def _stored(book: Tollbook) -> list[dict]:
    rows = [e.to_dict() for e in book.events()]
    for r in rows:
        r.pop("id", None)
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))


def test_cluster_and_this_process_store_the_same_events(tmp_path, examples):
    records = _records(10)
    records.append(dict(records[2]))  # the same text again (another line), while the first is in flight
    path = _write(tmp_path / "in.jsonl", records)
    with _book(tmp_path, "one", examples) as one:
        alone = one.ingest([path])
        want = _stored(one)
    with _book(tmp_path, "dask", examples) as book, \
            DaskRunner(local=1, processes=False, gazetteers=book.settings.gazetteers) as runner:
        seen: list[str] = []
        result = book.ingest([path], runner=runner, progress=lambda origin, outcome: seen.append(outcome))
        assert sorted(result.added) == sorted(alone.added) and len(result.added) == 10
        assert [o for _, o in result.duplicates] == [alone.duplicates[0][1]]
        assert seen.count("added") == 10 and seen.count("duplicate") == 1
        assert _stored(book) == want
        assert len(book.custody(result.duplicates[0][1])) == 2  # the copy's arrival is kept
        # extract --all on the cluster: every report read again, the same events current
        assert book.reextract(all_reports=True, runner=runner) == 10
        assert _stored(book) == want


def test_bad_cluster_and_scheduler_are_one_line_errors(tmp_path):
    for bad in ("local", "local:0", "local:x", "remote:2"):
        with pytest.raises(ClusterError, match="local:N"):
            parse_cluster(bad)
    for bad in ("", "no port", "tcp://host:", "http://host:8786"):
        with pytest.raises(ClusterError, match="tcp://HOST:PORT"):
            check_scheduler(bad)
    assert check_scheduler("10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    with socket_closed() as port, pytest.raises(ClusterError, match="cannot reach the Dask scheduler") as err:
        DaskRunner(scheduler=f"tcp://127.0.0.1:{port}", timeout=1)
    assert "\n" not in str(err.value)


def test_cli_names_a_bad_scheduler_in_one_line(tmp_path):
    from click.testing import CliRunner

    from tollbook.cli import main

    (tmp_path / "r.txt").write_text("Two men were shot dead in Dayton, Ohio, on Sunday.", encoding="utf-8")
    out = CliRunner().invoke(main, ["ingest", str(tmp_path / "r.txt"), "--db", str(tmp_path / "t.db"),
                                    "--scheduler", "tcp://nowhere"])
    assert out.exit_code == 1
    assert out.output.strip().splitlines() == [
        "tollbook: error: --scheduler 'tcp://nowhere' is not a scheduler address: give tcp://HOST:PORT "
        "(what `dask scheduler` prints)"]


class socket_closed:
    """A local TCP port nothing listens on."""

    def __enter__(self) -> int:
        import socket

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        return port

    def __exit__(self, *exc: object) -> None:
        pass


@pytest.mark.slow
def test_a_lost_worker_s_chunk_runs_again_and_every_report_is_stored_once(tmp_path, examples):
    """Two worker processes; one is killed once the first results are stored. The scheduler runs
    its chunks on the other (or on the one its nanny starts again): every report is stored once."""
    records = _records(24)
    path = _write(tmp_path / "in.jsonl", records)
    with _book(tmp_path, "one", examples) as one:
        one.ingest([path])
        want = _stored(one)
    with _book(tmp_path, "dask", examples, batch_size=2) as book, \
            DaskRunner(local=2, gazetteers=book.settings.gazetteers) as runner:
        pids = runner.client.run(os.getpid)  # worker address -> process id
        killed: list[int] = []

        def progress(origin: str, outcome: str) -> None:
            if not killed:  # the first result is in; the others are on the workers
                victim = sorted(pids.values())[-1]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        result = book.ingest([path], runner=runner, progress=progress)
        assert killed and not result.failed
        assert killed[0] not in runner.client.run(os.getpid).values()  # it was gone, not idle
        assert len(result.added) == len(set(result.added)) == 24
        assert len(book.reports()) == 24
        assert _stored(book) == want


@pytest.mark.slow
def test_cli_ingest_with_processes_and_extract_on_a_local_cluster(tmp_path, examples):
    from click.testing import CliRunner

    from tollbook.cli import main

    path = _write(tmp_path / "in.jsonl", _records(12))
    db = str(tmp_path / "t.db")
    gaz = str(examples / "gazetteer.csv")
    cli = CliRunner()
    out = cli.invoke(main, ["ingest", path, "--db", db, "--gazetteer", gaz, "--workers", "2", "--json"])
    assert out.exit_code == 0, out.output
    assert len(json.loads(out.stdout)["added"]) == 12
    with _book(tmp_path, "one", examples) as one:
        one.ingest([path])
        want = _stored(one)
    out = cli.invoke(main, ["extract", "--all", "--db", db, "--cluster", "local:1"])
    assert out.exit_code == 0, out.output
    assert "12 reports extracted again" in out.output
    with Tollbook(Store.open(db), settings=Settings.load(db=db)) as book:
        assert _stored(book) == want
