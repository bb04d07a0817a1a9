"""`tollbook fetch` and `tollbook watch` as a user meets them, against a local web on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from _localweb import LocalWeb, article, rss, story
from tollbook.cli import main


@pytest.fixture()
def web():
    with LocalWeb() as w:
        w.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        yield w


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("command", ["fetch", "watch"])
def test_help_has_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example:" in result.output and f"tollbook {command}" in result.output


def test_fetch_names_each_failed_url_on_one_line_and_stores_the_rest(web, tmp_path):
    good = web.add("/news/a", article(*story(1)))
    gone = web.add("/news/gone", "no", status=404, content_type="text/plain")
    private = web.add("/private/b", article(*story(2)))
    db = tmp_path / "c.db"
    result = run("fetch", good, gone, private, "--db", db, "--delay", "0", "--json")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("tollbook: error:")]
    assert len(errors) == 2 and any(gone in e and "HTTP 404" in e for e in errors)
    assert any(private in e and "robots.txt" in e for e in errors)
    out = json.loads(result.stdout)
    assert out["outcomes"][good]["outcome"] == "stored" and len(out["captured"]) == 1
    assert out["captured"][0]["final_url"] == good and len(out["captured"][0]["sha256"]) == 64


def test_fetch_reads_the_url_fields_of_a_batch(web, tmp_path):
    url = web.add("/news/b", article(*story(5)))
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"url": url, "title": "x"}) + "\n" + json.dumps({"text": "no url here"}) + "\n")
    result = run("fetch", f"@{batch}", "--db", tmp_path / "b.db", "--delay", "0", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["outcomes"][url]["outcome"] == "stored"


def test_watch_once_then_again_fetches_nothing_new(web, tmp_path):
    items = [(story(n)[0], web.add(f"/wire/{n}", article(*story(n)))) for n in range(3)]
    feed = web.add("/feed.xml", rss(items), content_type="application/rss+xml", conditional=True)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# test feeds\n{feed}\n")
    db = tmp_path / "w.db"
    first = run("watch", feeds, "--once", "--db", db, "--delay", "0")
    assert first.exit_code == 0, first.output
    assert "round 1: 1 feed(s) (0 unchanged, 0 failed), 3 new item(s): 3 stored" in first.stderr
    second = run("watch", feeds, "--once", "--db", db, "--delay", "0")
    assert "(1 unchanged, 0 failed), 0 new item(s)" in second.stderr
    assert run("watch", feeds, "--every", "soon", "--db", db).exit_code == 2


@pytest.mark.slow
def test_watch_stops_cleanly_on_ctrl_c(web, tmp_path):
    feed = web.add("/feed.xml", rss([("a", web.add("/wire/0", article(*story(0))))]),
                   content_type="application/rss+xml", conditional=True)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(feed + "\n")
    proc = subprocess.Popen([sys.executable, "-m", "tollbook", "watch", str(feeds), "--every", "1s", "--delay", "0",
                             "--db", str(tmp_path / "w.db")], stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        lines.append(line)
        if "round 2:" in line:
            break
    proc.send_signal(signal.SIGINT)
    _, rest = proc.communicate(timeout=60)
    out = "".join(lines) + rest
    assert proc.returncode == 0, out
    assert "round 1:" in out and "stopped after" in out and "Traceback" not in out
