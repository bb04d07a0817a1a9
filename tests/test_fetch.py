"""Reports from where they are published: fetching with custody (WARC), politeness, feeds,
PDFs and syndicated copies, all on a local web (tests/_localweb.py) on 127.0.0.1."""

from __future__ import annotations

import hashlib
import time

import pytest

from _localweb import LocalWeb, Page, article, copy_of, rss, simple_pdf, story
from tollbook.errors import IngestError
from tollbook.ingest.fetch import USER_AGENT, Disallowed, Fetcher, NotModified, Politeness, read_warc

pytestmark = pytest.mark.backends  # tests on a store run on SQLite and on PostgreSQL (tests/conftest.py)

BLAST = ("TARSEL, Arvelia, March 9, 2024 - A bomb exploded in the crowded central market of Tarsel on Saturday "
         "morning, killing at least 12 people and wounding 30 others, police said.\n\nWitnesses said a man left a "
         "bag near a vegetable stall minutes before the explosion.")


@pytest.fixture()
def web():
    with LocalWeb() as w:
        w.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        yield w


def quick(tb, **kw):
    return tb.fetcher(**{"delay": 0.0, "timeout": 1.0, **kw})


# -- fetch: custody -----------------------------------------------------------------------------------


def test_fetch_keeps_the_exchange_as_warc_with_final_url_time_and_hash(tb, web):
    page = article("Bomb kills at least 12 in Tarsel market", BLAST).encode()
    final = web.add("/news/2024/03/09/tarsel-blast", page)
    short = web.redirect("/s/tb1", "/news/2024/03/09/tarsel-blast")
    with quick(tb) as fetcher:
        result = tb.fetch([short], fetcher=fetcher)
    assert result.ingest.failed == [] and result.count("stored") == 1
    rid = result.outcomes[short][1]
    report = tb.report(rid)
    assert report.url == final and report.retrieved is not None and report.published.isoformat() == "2024-03-09"
    assert "12 people" in report.text
    [cap] = tb.captures(rid)
    assert cap["url"] == short and cap["final_url"] == final and cap["status"] == 200
    assert cap["sha256"] == hashlib.sha256(page).hexdigest() == report.original_sha256
    assert tb.original(cap["sha256"]) == page  # the exact bytes, kept
    warc = tb.warc(cap["id"])
    assert hashlib.sha256(warc).hexdigest() == cap["warc_sha256"]
    records = read_warc(warc)
    # each hop as a response record and the request that asked for it (warcio's order)
    assert [(r["type"], r["uri"]) for r in records] == [("response", short), ("request", short),
                                                        ("response", final), ("request", final)]
    assert records[0]["status"] == 301 and records[2]["status"] == 200 and records[2]["body"] == page
    assert {k.lower(): v for k, v in records[3]["headers"].items()}["user-agent"] == USER_AGENT
    assert "tollbook" in USER_AGENT and all(h.get("User-Agent") == USER_AGENT for _, h in web.log)
    events = tb.events(report=rid)
    assert any(f.kind == "killed" and f.low == 12 for e in events for f in e.figures)


def test_failed_urls_are_named_in_one_line_and_the_rest_go_on(tb, web):
    good = web.add("/news/ok", article("Blast in Tarsel", BLAST))
    failing = {
        web.add("/news/gone", "no", status=404, content_type="text/plain"): "HTTP 404",
        web.add("/news/broken", "oops", status=500, content_type="text/plain"): "HTTP 500",
        web.add("/news/slow", article("Slow", BLAST), delay=3.0): "timed out",
        web.add("/news/big", "x" * 5000, content_type="text/plain"): "limit",
        web.add("/news/photo", b"\x89PNG\r\n\x1a\n....", content_type="image/png"): "not a report",
        web.add("/private/memo", article("Memo", BLAST)): "robots.txt",
        web.redirect("/loop", "/loop"): "redirects",
        "ftp://127.0.0.1/file.txt": "not an http(s) URL",
        "http://127.0.0.1:9/nothing-listens-here": "cannot fetch",
    }
    with quick(tb, max_bytes=4000) as fetcher:
        result = tb.fetch([*failing, good], fetcher=fetcher)
    assert result.count("stored") == 1 and result.outcomes[good][0] == "stored"
    reasons = {e.source: e.reason for e in result.ingest.failed}
    assert set(reasons) == set(failing)
    for url, words in failing.items():
        assert words in reasons[url], (url, reasons[url])
        assert "\n" not in reasons[url]
    assert result.outcomes[web.url("/private/memo")][0] == "disallowed"
    assert web.asked("/private/memo") == 0  # robots.txt said no: never asked for


def test_robots_txt_rules_for_tollbook_and_an_unreachable_robots_txt():
    with LocalWeb() as w:
        w.add("/robots.txt", "User-agent: tollbook\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
              content_type="text/plain")
        w.add("/a", "text", content_type="text/plain")
        with Fetcher(Politeness(delay=0, timeout=1)) as f, pytest.raises(Disallowed, match="robots.txt"):
            f.fetch(w.url("/a"))
    with LocalWeb() as w:
        w.add("/robots.txt", "down", status=503, content_type="text/plain")
        w.add("/a", "text", content_type="text/plain")
        with Fetcher(Politeness(delay=0, timeout=1)) as f, pytest.raises(Disallowed, match="503"):
            f.fetch(w.url("/a"))
        assert w.asked("/a") == 0
    with LocalWeb() as w:  # no robots.txt at all (404): everything may be read
        w.add("/a", "Three people were killed.", content_type="text/plain")
        with Fetcher(Politeness(delay=0, timeout=1)) as f:
            assert f.fetch(w.url("/a")).content == b"Three people were killed."


def test_requests_to_one_host_are_spaced_and_crawl_delay_is_honoured():
    with LocalWeb() as w:
        w.add("/robots.txt", "User-agent: *\nCrawl-delay: 0.3\n", content_type="text/plain")
        for n in range(3):
            w.add(f"/p{n}", f"page {n}", content_type="text/plain")
        with Fetcher(Politeness(delay=0.05, timeout=2)) as f:
            t0 = time.monotonic()
            for n in range(3):
                f.fetch(w.url(f"/p{n}"))
            took = time.monotonic() - t0
    # robots.txt first (its rules were not known yet), then three pages 0.3 s apart, not 0.05
    assert took >= 0.6


def test_conditional_requests_answered_not_modified():
    with LocalWeb() as w:
        url = w.add("/feed.xml", rss([("a", "http://127.0.0.1/a")]), content_type="application/rss+xml",
                    conditional=True)
        with Fetcher(Politeness(delay=0, timeout=1, robots=False)) as f:
            first = f.fetch(url)
            assert first.etag and first.last_modified
            assert isinstance(f.fetch(url, etag=first.etag), NotModified)
            assert isinstance(f.fetch(url, last_modified=first.last_modified), NotModified)
        assert [h.get("If-None-Match") for p, h in w.log if p == "/feed.xml"] == [None, first.etag, None]


# -- feeds -------------------------------------------------------------------------------------------------


def _local_wire(web: LocalWeb, n_stories: int, n_copies: int, n_failing: int) -> dict:
    """A feed of invented reports: stories, syndicated copies of some of them (each on another
    outlet's path), failing URLs and one item robots.txt disallows. Returns what is where."""
    items, truth = [], {"stories": {}, "copies": {}, "failing": [], "disallowed": None, "site": {}}
    for n in range(n_stories):
        title, body = story(n)
        url = web.add(f"/wire/{n}", article(title, body, site="Test Wire"))
        items.append((title, url))
        truth["stories"][url] = n
        truth["site"][url] = "Test Wire"
    outlets = ["Valley Post", "Northern Ledger", "Evening Star", "Coast Herald"]
    for i in range(n_copies):
        n = i % n_stories
        outlet = outlets[i % len(outlets)]
        title, body = copy_of(*story(n), outlet)
        url = web.add(f"/{outlet.lower().replace(' ', '-')}/story-{n}-{i}", article(title, body, site=outlet))
        items.append((title, url))
        truth["copies"][url] = n
        truth["site"][url] = outlet
    kinds = [("status", 500), ("status", 404), ("slow", 3.0), ("status", 403)]
    for i in range(n_failing):
        kind, value = kinds[i % len(kinds)]
        page = Page(b"no", status=value, content_type="text/plain") if kind == "status" else \
            Page(article("Late", "Too slow.").encode(), delay=value)
        web.pages[f"/failing/{i}"] = page
        items.append((f"failing {i}", web.url(f"/failing/{i}")))
        truth["failing"].append(web.url(f"/failing/{i}"))
    truth["disallowed"] = web.add("/private/leak", article("Leak", BLAST))
    items.append(("leak", truth["disallowed"]))
    items.sort(key=lambda it: hashlib.sha1(it[1].encode()).hexdigest())  # interleaved, as a real feed
    truth["feed"] = web.add("/feed.xml", rss(items), content_type="application/rss+xml", conditional=True)
    return truth


def _check_round(tb, web, truth, fetcher):
    first = tb.watch_round([truth["feed"]], fetcher=fetcher)
    good = list(truth["stories"]) + list(truth["copies"])
    assert first.count("stored") == len(good), first.summary()
    assert first.count("failed") == len(truth["failing"]) and first.count("disallowed") == 1
    assert web.asked("/private/leak") == 0
    failed = {e.source for e in first.fetched.ingest.failed}
    assert set(truth["failing"]) | {truth["disallowed"]} == failed
    # every good item stored once, with its WARC record and hash
    outcome = first.fetched.outcomes
    report_of = {u: outcome[u][1] for u in good}
    assert len(set(report_of.values())) == len(good)
    for url, rid in report_of.items():
        [cap] = tb.captures(rid)
        assert cap["final_url"] == url and len(cap["sha256"]) == 64 and cap["warc_sha256"]
    # copies grouped as one story with their original
    stories = tb.stories()
    for url, n in truth["copies"].items():
        original = report_of[next(u for u, m in truth["stories"].items() if m == n)]
        assert any({report_of[url], original} <= set(g) for g in stories.values())
    assert sum(len(v) for v in stories.values()) == len(truth["copies"]) + len(set(truth["copies"].values()))
    # incidents updated; independent sources count stories, not copies
    assert first.incidents.get("added", 0) > 0
    story_of = {report_of[u]: n for u, n in (truth["stories"] | truth["copies"]).items()}
    site_of = {report_of[u]: site for u, site in truth["site"].items()}
    incidents = tb.incidents()
    for inc in incidents:
        assert inc.sources == _independent(inc.reports, story_of, site_of), (inc.id, inc.reports)
    incident_of = {r: inc for inc in incidents for r in inc.reports}
    for url, n in truth["copies"].items():  # each copy is in its original's incident, listed as a copy
        original = report_of[next(u for u, m in truth["stories"].items() if m == n)]
        inc = incident_of[report_of[url]]
        assert original in inc.reports
        assert any({original, report_of[url]} <= set(g) for g in inc.copies)
    # the second round: the feed answers 304, nothing is fetched again
    asked = len(web.log)
    second = tb.watch_round([truth["feed"]], fetcher=fetcher)
    assert second.unchanged == 1 and second.new == 0
    assert [p for p, _ in web.log[asked:]] == ["/feed.xml"]
    assert "round" in second.summary() and "0 new item(s)" in second.summary()
    seen = {i["url"]: i for i in tb.feed_items()}
    assert {seen[u]["outcome"] for u in good} == {"stored"}
    assert seen[truth["disallowed"]]["outcome"] == "disallowed"
    return first


def _independent(reports, story_of, site_of) -> int:
    """What the test web knows: reports join when they are of one story or from one site."""
    groups: list[set[str]] = []
    for r in reports:
        keys = {("story", story_of.get(r, r)), ("site", site_of.get(r, r))}
        joined = [g for g in groups if g & keys]
        for g in joined:
            groups.remove(g)
            keys |= g
        groups.append(keys)
    return len(groups)


def test_watch_round_stores_new_items_once_and_a_second_round_fetches_nothing(tb, web):
    truth = _local_wire(web, n_stories=12, n_copies=4, n_failing=2)
    with quick(tb, timeout=0.5) as fetcher:
        _check_round(tb, web, truth, fetcher)


@pytest.mark.slow
def test_watch_once_over_200_items(tb, web):
    """The issue's round: 200 items, 20 % syndicated copies, 5 % failing, one disallowed."""
    truth = _local_wire(web, n_stories=149, n_copies=40, n_failing=10)
    assert len(truth["stories"]) + len(truth["copies"]) + len(truth["failing"]) + 1 == 200
    with quick(tb, timeout=0.5) as fetcher:
        first = _check_round(tb, web, truth, fetcher)
    assert first.items == 200


def test_sitemaps_and_atom_feeds_list_their_items():
    from tollbook.ingest.feeds import item_urls, parse_every

    atom = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            b'<entry><title>a</title><link href="/news/a"/><id>a</id><updated>2024-01-01T00:00:00Z</updated></entry>'
            b'</feed>')
    assert item_urls(atom, "http://127.0.0.1:1/feed") == ["http://127.0.0.1:1/news/a"]
    sitemap = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               b"<url><loc>http://127.0.0.1:1/x</loc></url><url><loc>http://127.0.0.1:1/y</loc></url></urlset>")
    assert item_urls(sitemap, "http://127.0.0.1:1/sitemap.xml") == ["http://127.0.0.1:1/x", "http://127.0.0.1:1/y"]
    with pytest.raises(IngestError, match="not an RSS/Atom feed"):
        item_urls(b"<html><body>hello</body></html>", "http://127.0.0.1:1/")
    assert parse_every("15m") == 900 and parse_every("90s") == 90 and parse_every("2h") == 7200
    with pytest.raises(ValueError, match="--every"):
        parse_every("soon")


def test_feed_list_file_errors_name_the_line(tmp_path):
    from tollbook.ingest.feeds import read_feed_list

    f = tmp_path / "feeds.txt"
    f.write_text("# my feeds\nhttp://127.0.0.1:1/a.xml  # a comment\n\nhttps://127.0.0.1:1/b.xml\n")
    assert read_feed_list(f) == ["http://127.0.0.1:1/a.xml", "https://127.0.0.1:1/b.xml"]
    f.write_text("http://127.0.0.1:1/a.xml\nfeeds.example\n")
    with pytest.raises(IngestError, match="line 2"):
        read_feed_list(f)
    with pytest.raises(IngestError, match="no such file"):
        read_feed_list(tmp_path / "none.txt")


# -- syndicated copies --------------------------------------------------------------------------------------


def test_copies_are_one_story_and_other_reports_are_not():
    from tollbook.reconcile.copies import StoryIndex, from_bytes, to_bytes

    index = StoryIndex()
    texts = {f"r{n}": "\n\n".join(story(n)) for n in range(30)}
    for rid, text in texts.items():
        assert index.add(rid, text)[0] == rid  # different stories: each its own
    story_id, sig = index.add("c1", "\n\n".join(copy_of(*story(7), "Valley Post")))
    assert story_id == "r7" and from_bytes(sig).jaccard(from_bytes(to_bytes(from_bytes(sig)))) == 1.0
    assert index.add("short", "Two killed.")[0] == "short"  # too short to compare: alone


def test_independent_sources_count_stories_and_sites_once():
    from tollbook.reconcile.copies import independent_sources
    from tollbook.records import Report

    def r(rid, source, story):
        return Report(id=rid, text="", sha256=rid, source=source, story=story)

    assert independent_sources([r("a", "x.org", "a"), r("b", "y.org", "a"), r("c", "z.org", "c")]) == 2
    assert independent_sources([r("a", "x.org", "a"), r("b", "x.org", "b")]) == 1  # one site
    assert independent_sources([r("a", "x.org", None), r("b", "y.org", None)]) == 2


def test_copies_ingested_from_files_are_grouped_too(tb, tmp_path):
    (tmp_path / "a.txt").write_text("\n\n".join(story(3)))
    (tmp_path / "b.txt").write_text("\n\n".join(copy_of(*story(3), "Coast Herald")))
    (tmp_path / "c.txt").write_text("\n\n".join(story(4)))
    result = tb.ingest([tmp_path])
    assert len(result.added) == 3
    [group] = tb.stories().values()
    assert len(group) == 2
    inc = next(i for i in tb.incidents() if set(group) <= set(i.reports))
    assert inc.copies == [sorted(group)] and inc.sources == 1


# -- PDFs ---------------------------------------------------------------------------------------------------


def test_pdf_read_page_by_page_and_evidence_names_the_page(tb, tmp_path):
    pdf = simple_pdf([["Bomb kills 5 in Varnok market", "", "VARNOK, March 4, 2024 - Five people were killed",
                       "when a bomb went off in the market of Varnok on Monday."],
                      ["Police said 12 others were wounded in the blast."]])
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    result = tb.ingest([path])
    assert result.failed == [] and len(result.added) == 1
    report = tb.report(result.added[0])
    assert report.text.startswith("Bomb kills 5 in Varnok market\n\n") and "killed when a bomb" in report.text
    figures = {f.kind: f for e in tb.events(report=report.id) for f in e.figures}
    assert figures["killed"].low == 5 and figures["killed"].evidence[0].page == 1
    assert figures["injured"].low == 12 and figures["injured"].evidence[0].page == 2
    assert figures["injured"].evidence[0].to_dict()["page"] == 2
    assert tb.custody(report.id)[0]["media_type"] == "application/pdf"
    # extracted again, the pages stay
    tb.reextract(all_reports=True)
    figures = {f.kind: f for e in tb.events(report=report.id) for f in e.figures}
    assert figures["injured"].evidence[0].page == 2


def test_a_pdf_without_text_layer_gets_a_clear_message(tb, tmp_path):
    (tmp_path / "scan.pdf").write_bytes(simple_pdf([[], []]))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    result = tb.ingest([tmp_path])
    reasons = {e.source.rsplit("/", 1)[-1]: e.reason for e in result.failed}
    assert "no text layer" in reasons["scan.pdf"] and "OCR" in reasons["scan.pdf"]
    assert "not a readable PDF" in reasons["broken.pdf"]
    assert all("\n" not in r for r in reasons.values())


def test_a_pdf_fetched_from_the_web(tb, web):
    url = web.add("/docs/2024/03/04/un-report.pdf", simple_pdf([["Five people were killed in Varnok on Monday."]]),
                  content_type="application/pdf")
    with quick(tb) as fetcher:
        result = tb.fetch([url], fetcher=fetcher)
    assert result.count("stored") == 1
    rid = result.outcomes[url][1]
    assert tb.captures(rid)[0]["final_url"] == url
    assert all(ev.page == 1 for e in tb.events(report=rid) for _, ev in e.all_evidence())


def test_migration_0008_builds_the_tables_of_the_schema(tmp_path):
    from sqlalchemy import inspect

    from tollbook.store import Store
    from tollbook.store import schema as s

    store = Store.open(tmp_path / "m.db")
    found = inspect(store.engine)
    for table in (s.captures, s.feeds, s.feed_items, s.stories, s.report_pages):
        columns = {c["name"]: c for c in found.get_columns(table.name)}
        assert set(columns) == {c.name for c in table.columns}, table.name
        assert {n for n, c in columns.items() if not c["nullable"]} == \
            {c.name for c in table.columns if not c.nullable}, table.name
        assert {i["name"] for i in found.get_indexes(table.name)} == \
            {i.name for i in table.indexes}, table.name
    store.close()


def test_a_compressed_answer_is_kept_as_sent_and_read_decoded():
    import gzip

    text = b"Two people were killed in Varnok on Monday, police said."
    with LocalWeb() as w:
        url = w.add("/z", gzip.compress(text), content_type="text/plain", headers={"Content-Encoding": "gzip"})
        with Fetcher(Politeness(delay=0, timeout=1)) as f:
            cap = f.fetch(url)
    assert cap.content == text and cap.sha256 == hashlib.sha256(text).hexdigest()
    response = next(r for r in read_warc(cap.warc) if r["type"] == "response")
    assert {k.lower(): v for k, v in response["headers"].items()}["content-encoding"] == "gzip"
    assert response["body"] == text  # a WARC reader undoes the encoding the record keeps


def test_watch_reads_a_sitemap_index_and_its_sitemaps(tb, web):
    pages = [web.add(f"/news/{n}", article(*story(n))) for n in (20, 21)]
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    child = web.add("/sitemap-news.xml", f'<?xml version="1.0"?><urlset {ns}>'
                    + "".join(f"<url><loc>{u}</loc></url>" for u in pages) + "</urlset>", content_type="text/xml")
    index = web.add("/sitemap.xml", f'<?xml version="1.0"?><sitemapindex {ns}><sitemap><loc>{child}</loc></sitemap>'
                    "</sitemapindex>", content_type="text/xml")
    with quick(tb) as fetcher:
        rnd = tb.watch_round([index], fetcher=fetcher)
    assert rnd.feeds == 2 and rnd.count("stored") == 2
    assert {i["url"] for i in tb.feed_items()} == set(pages)


def test_the_incident_page_shows_copies_of_one_story(tb, tmp_path):
    from fastapi.testclient import TestClient

    from tollbook.serve import create_app

    (tmp_path / "a.txt").write_text("\n\n".join(story(8)))
    (tmp_path / "b.txt").write_text("\n\n".join(copy_of(*story(8), "Evening Star")))
    tb.ingest([tmp_path])
    [group] = tb.stories().values()
    inc = next(i for i in tb.incidents() if set(group) <= set(i.reports))
    with TestClient(create_app(tb=tb)) as client:
        page = client.get(f"/incidents/{inc.id}").text
        data = client.get(f"/api/incidents/{inc.id}").json()
    assert "2 reports are copies of one story" in page and "from 1 source(s)" in page
    assert data["copies"] == [sorted(group)] and data["sources"] == 1


def test_copies_are_found_across_two_processes_on_one_store(tmp_path, extractor):
    from tollbook.api import Settings, Tollbook
    from tollbook.store import Store

    path = tmp_path / "shared.db"
    one = Tollbook(Store.open(path), settings=Settings.load(db=str(path)), extractor=extractor)
    two = Tollbook(Store.open(path), settings=Settings.load(db=str(path)), extractor=extractor)
    one.add_text("\n\n".join(story(11)))  # each has its story index loaded now
    original = two.add_text("\n\n".join(story(12)))
    copy = one.add_text("\n\n".join(copy_of(*story(12), "Coast Herald")))  # a copy of what `two` stored
    assert one.stories() == {original.id: sorted([original.id, copy.id])}
    one.close()
    two.close()


def test_plain_text_is_decoded_as_its_content_type_says(tb, web):
    text = "Caf\u00e9 attack in Varnok: three people were killed on Monday, police said."
    url = web.add("/t.txt", text.encode("latin-1"), content_type="text/plain; charset=ISO-8859-1")
    with quick(tb) as fetcher:
        result = tb.fetch([url], fetcher=fetcher)
    assert result.count("stored") == 1
    assert tb.report(result.outcomes[url][1]).text.startswith("Caf\u00e9 attack")


def test_robots_txt_is_read_again_after_a_failure_and_after_a_day():
    from tollbook.ingest.fetch import ROBOTS_KEEP, ROBOTS_RETRY

    now = [0.0]
    with LocalWeb() as w:
        w.add("/robots.txt", "down", status=503, content_type="text/plain")
        w.add("/a", "Two people were killed.", content_type="text/plain")
        with Fetcher(Politeness(delay=0, timeout=1), clock=lambda: now[0], sleep=lambda s: None) as f:
            with pytest.raises(Disallowed):
                f.fetch(w.url("/a"))
            w.add("/robots.txt", "User-agent: *\nDisallow:\n", content_type="text/plain")
            now[0] += ROBOTS_RETRY + 1
            assert f.fetch(w.url("/a")).status == 200
            w.add("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
            assert f.fetch(w.url("/a")).status == 200  # the rules read are kept for a day
            now[0] += ROBOTS_KEEP + 1
            with pytest.raises(Disallowed):
                f.fetch(w.url("/a"))
        assert w.asked("/robots.txt") == 3
