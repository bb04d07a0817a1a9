"""Pages that work offline: the bundled base map, the API docs, facet counts, the timeline's outliers,
the store described for Datasette. Through Starlette's test client over a real SQLite store."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import json
import re
import sqlite3

import pytest


@pytest.fixture(scope="module")
def built(tmp_path_factory, extractor, examples):
    from tollbook.api import Settings, Tollbook
    from tollbook.store import Store

    path = tmp_path_factory.mktemp("pages") / "pages.db"
    tb = Tollbook(Store.open(path), settings=Settings.load(db=str(path)), extractor=extractor)
    tb.ingest([examples / "reports"])
    tb.refresh_index()
    tb.close()
    return path


@pytest.fixture()
def app_tb(built, extractor):
    from tollbook.api import Settings, Tollbook
    from tollbook.store import Store

    tb = Tollbook(Store.open(built), settings=Settings.load(db=str(built)), extractor=extractor)
    yield tb
    tb.close()


def _client(tb, **kw):
    from fastapi.testclient import TestClient

    from tollbook.serve import create_app

    return TestClient(create_app(tb=tb, **kw), follow_redirects=False)


@pytest.fixture()
def client(app_tb):
    with _client(app_tb) as c:
        yield c


# -- the base map ---------------------------------------------------------------------------------


def test_bundled_tiles_are_served_with_their_type_and_caching(client):
    from tollbook.serve.tiles import bundled_path

    r = client.get("/tiles/0/0/0.png")
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/png"
    assert r.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert "max-age=" in r.headers["cache-control"]
    # web maps count rows from the north, MBTiles from the south: row 0 at zoom 1 is the file's row 1
    with sqlite3.connect(bundled_path()) as db:
        north_west = db.execute("SELECT tile_data FROM tiles WHERE zoom_level = 1 AND tile_column = 0 "
                                "AND tile_row = 1").fetchone()[0]
    assert client.get("/tiles/1/0/0.png").content == north_west
    for missing in ("/tiles/7/0/0.png", "/tiles/2/4/0.png", "/tiles/1/0/-1.png"):
        assert client.get(missing).status_code == 404, missing


def test_pages_use_the_bundled_map_by_default(client):
    page = client.get("/").text
    assert 'data-tiles="/tiles/{z}/{x}/{y}.png"' in page
    assert "OpenStreetMap contributors" in page  # the tiles' licence asks for the attribution
    csp = client.get("/").headers["content-security-policy"]
    assert "img-src 'self' data:;" in csp  # nothing from another host


def test_tile_url_none_and_online(app_tb):
    from tollbook.errors import TollbookError

    with _client(app_tb, tile_url="none") as c:
        assert 'data-tiles=""' in c.get("/").text
        assert c.get("/tiles/0/0/0.png").status_code == 404
    online = "https://tile.example.org/{z}/{x}/{y}.png"
    with _client(app_tb, tile_url=online, tile_attribution="© Example") as c:
        r = c.get("/")
        assert f'data-tiles="{online}"' in r.text and "© Example" in r.text
        assert "https://tile.example.org" in r.headers["content-security-policy"]
    with pytest.raises(TollbookError, match="tile_url"):
        _client(app_tb, tile_url="ftp://tiles/{z}/{x}/{y}")


def test_tile_url_setting_is_checked(tmp_path):
    from tollbook.config import ConfigError, Settings

    bad = tmp_path / "bad.toml"
    bad.write_text('tile_url = "https://tiles.example.org/tile.png"\n')
    with pytest.raises(ConfigError, match=r"\{z\}"):
        Settings.load(bad)
    assert Settings.load().tile_url == ""


def test_incident_page_has_its_own_map(client, app_tb):
    placed = next(i for i in app_tb.find_incidents(limit=100)["items"] if i["lat"] is not None)
    page = client.get(f"/incidents/{placed['id']}").text
    m = re.search(r'<div id="incident-map"[^>]*data-lat="([^"]+)" data-lon="([^"]+)"', page)
    assert m and (float(m.group(1)), float(m.group(2))) == pytest.approx((placed["lat"], placed["lon"]))
    assert "/vendor/leaflet/leaflet.js" in page and "/static/map.js" in page


# -- API docs ---------------------------------------------------------------------------------------


def test_api_docs_load_only_local_assets(client):
    r = client.get("/api/docs")
    assert r.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert "/vendor/swagger-ui/swagger-ui-bundle.js" in assets and "/static/api-docs.js" in assets
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))], assets
    assert "<script>" not in r.text  # no inline script: the content security policy forbids it
    for asset in ("/vendor/swagger-ui/swagger-ui-bundle.js", "/vendor/swagger-ui/swagger-ui.css",
                  "/static/api-docs.js"):
        assert client.get(asset).status_code == 200, asset
    assert "validatorUrl: null" in client.get("/static/api-docs.js").text  # no online validator badge
    assert "/api/facets" in client.get("/openapi.json").json()["paths"]


# -- facets -----------------------------------------------------------------------------------------


def test_facet_counts_agree_with_the_filters_they_link_to(client):
    facets = client.get("/api/facets", params={"size": 100}).json()["facets"]
    assert set(facets) == {"country", "admin1", "type", "claim", "flag", "source"}
    assert facets["country"]["values"] and facets["source"]["values"] and facets["flag"]["values"]
    total = client.get("/api/incidents").json()["total"]
    assert sum(n for _, n in facets["type"]["values"]) == total  # one type each
    param = {"country": "country", "admin1": "admin1", "type": "type", "flag": "flag", "source": "source"}
    for name, key in param.items():
        for value, n in facets[name]["values"]:
            assert client.get("/api/incidents", params={key: value}).json()["total"] == n, (name, value)
    counts = [n for _, n in facets["source"]["values"]]
    assert counts == sorted(counts, reverse=True)


def test_facets_follow_the_filters_and_size(client):
    everything = client.get("/api/facets", params={"size": 100}).json()["facets"]
    country, n = everything["country"]["values"][0]
    within = client.get("/api/facets", params={"country": country, "size": 100}).json()["facets"]
    assert within["country"]["values"] == [[country, n]]
    assert sum(c for _, c in within["type"]["values"]) == n
    one = client.get("/api/facets", params={"size": 1}).json()["facets"]
    assert len(one["type"]["values"]) == 1 and one["type"]["truncated"] == (len(everything["type"]["values"]) > 1)
    bad = client.get("/api/facets", params={"size": "0"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"


def test_index_page_shows_counts_beside_the_filters(client):
    facets = client.get("/api/facets").json()["facets"]
    page = client.get("/").text
    country, n = facets["country"]["values"][0]
    block = page[page.index('id="facet-country"'):page.index('id="facet-admin1"')]
    assert f">{country}</a> <span class=\"count\">{n}</span>" in block
    source, n = facets["source"]["values"][0]
    filtered = client.get("/", params={"source": source})
    assert re.search(r'id="total">(\d+)<', filtered.text).group(1) == str(n)
    assert 'name="source"' in filtered.text  # the filter form keeps it


def test_facet_rows_follow_index_rewrites(tmp_path):
    """Changed and removed incidents leave no stale facet values behind."""
    from tollbook.reconcile.incidents import Incident
    from tollbook.records import Evidence, Flag, Place
    from tollbook.store import Store, index
    from tollbook.store import schema as s

    def inc(i, country, flag=None):
        ev = Evidence(f"r{i:016x}", 0, 4, "Town")
        place = Place("Town", (ev,), country=country, country_code=country[:2].upper(), lat=1.0, lon=2.0,
                      precision="city")
        return Incident(id=f"i{i:08x}", type="Attack", events=[], reports=[ev.report_id], figures=[], place=place,
                        earliest=dt.date(2020, 1, 1), latest=dt.date(2020, 1, 1), sources=1,
                        flags=[Flag(flag, "x", (ev,))] if flag else [])

    store = Store.open(tmp_path / "f.db")
    def row(i, country, flag=None):
        # a report without an outlet is listed by its URL or, without one, by its id: neither is an outlet
        summary = {"perpetrators_said": "Gunmen (alleged); the Army",
                   "source_list": f"Daily Post; https://www.news.example/a; javascript:alert(1); r{i:016x}"}
        return index.row_of(inc(i, country, flag), summary)

    with store.engine.begin() as conn:
        index.write(conn, [row(1, "Aland", "toll contradiction"), row(2, "Aland")], "one")
        counts = index.facet_counts(conn, index.IncidentQuery(), fts=True)
        assert counts["country"]["values"] == [["Aland", 2]]
        assert counts["claim"]["values"] == [["gunmen", 2], ["the army", 2]]
        assert counts["source"]["values"] == [["Daily Post", 2], ["news.example", 2]]
        assert counts["flag"]["values"] == [["toll contradiction", 1]]
        index.write(conn, [row(1, "Borea")], "two")  # 1 changed, 2 gone
        counts = index.facet_counts(conn, index.IncidentQuery(), fts=True)
        assert counts["country"]["values"] == [["Borea", 1]] and counts["flag"]["values"] == []
        assert {n for (n,) in conn.execute(s.incident_facets.select().with_only_columns(s.incident_facets.c.n))} \
            == {n for (n,) in conn.execute(s.incident_index.select().with_only_columns(s.incident_index.c.n))}
    store.close()


# -- the timeline ------------------------------------------------------------------------------------


def test_scale_top_clips_only_a_period_far_above_the_rest():
    from tollbook.serve.render import scale_top

    assert scale_top([3, 5, 4, 6]) == 6  # nothing dominates
    assert scale_top([3, 5, 400, 6]) == 6  # one period dominates: clipped
    assert scale_top([3, 900, 5, 700, 6] + [4] * 15) == 6  # two do, among twenty
    assert scale_top([3, 900, 5, 700, 6]) == 900  # two among five are not "a few"
    assert scale_top([0, 0, 7]) == 7 and scale_top([]) == 0
    assert scale_top([24, 21, 16, 5, 4, 3, 1, 1]) == 24  # three tall among eight: not "a few"
    assert scale_top([3] * 30 + [5, 90, 120, 400]) == 5  # up to three among many


def test_timeline_names_the_period_it_clips():
    from tollbook.serve.render import chart

    periods = [{"period": f"2020-{m:02d}", "start": f"2020-{m:02d}-01", "incidents": n, "killed": k}
               for m, n, k in ((1, 4, 10), (2, 5, 12), (3, 250, 14), (4, 6, 2000), (5, 3, 9))]
    periods += [{"period": f"2021-{m:02d}", "start": f"2021-{m:02d}-01", "incidents": 2, "killed": 3}
                for m in range(1, 11)]
    c = chart(periods)
    assert c["max_n"] == 6 and c["max_k"] == 14
    assert [(o["period"], o["incidents"], o["killed"]) for o in c["clipped"]] == [("2020-03", 250, None),
                                                                                 ("2020-04", None, 2000)]
    tallest = max(b["h"] for b in c["bars"])
    assert [b["period"] for b in c["bars"] if b["clipped"]] == ["2020-03"]
    assert next(b for b in c["bars"] if b["period"] == "2020-04")["h"] == tallest  # 6 is the axis top
    assert chart(periods[:2])["clipped"] == []


# -- Datasette ---------------------------------------------------------------------------------------


def test_datasette_metadata_matches_the_schema():
    from tollbook.serve.datasette import TABLES
    from tollbook.store import schema as s

    tables = {t.name: {c.name for c in t.columns} for t in s.metadata.sorted_tables}
    assert set(TABLES) == set(tables)  # every table described, none invented
    for name, meta in TABLES.items():
        named = set(meta.get("facets", ())) | set(meta.get("sortable_columns", ())) | set(meta.get("columns", ()))
        named |= {meta["label_column"]} if "label_column" in meta else set()
        assert named <= tables[name], (name, named - tables[name])
    assert all(TABLES[t].get("allow") is False for t in ("editors", "api_tokens", "sessions"))


def test_the_store_opens_in_datasette(built, tmp_path):
    from click.testing import CliRunner
    from datasette.app import Datasette

    from tollbook.cli import main

    out = CliRunner().invoke(main, ["datasette-metadata", "--db", str(built)])
    assert out.exit_code == 0, out.output
    metadata = json.loads(out.output)
    name = built.stem
    ds = Datasette([str(built)], metadata=metadata)

    async def visit():
        table = await ds.client.get(f"/{name}/incident_index.json")
        denied = await ds.client.get(f"/{name}/editors.json")
        db = await ds.client.get(f"/{name}.json")
        return table, denied, db

    # Playwright's sync API keeps an event loop running on this thread while the shared browser
    # fixture lives, so the coroutine gets a thread (and a loop) of its own.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        table, denied, db = pool.submit(asyncio.run, visit()).result()
    assert table.status_code == 200
    assert set(table.json()["facet_results"]) >= {"country", "admin1", "type"}
    assert table.json()["filtered_table_rows_count"] > 0
    assert denied.status_code == 403  # password hashes are nobody's business
    shown = {t["name"] for t in db.json()["tables"] if not t["hidden"]}
    assert {"incident_index", "reports", "events"} <= shown and not shown & {"editors", "sessions", "report_fts"}


def test_a_lone_incident_far_away_in_time_leaves_the_axis_named():
    from tollbook.store.index import split_outlying

    day = dt.date
    months = [(day(2024, 3, 1) + dt.timedelta(days=9 * i), 2, 1) for i in range(12)]
    kept, outside = split_outlying([(day(2019, 1, 1), 1, 8)] + months)
    assert kept == months
    assert outside == [{"side": "before", "from": "2019-01-01", "to": "2019-01-01", "incidents": 1, "killed": 8}]
    # spread evenly: nothing is outlying; a gap no longer than the rest's span is no outlier either
    assert split_outlying(months)[1] == []
    assert split_outlying(months + [(day(2024, 12, 1), 1, 0)])[1] == []
    late = months + [(day(2031, 5, 5), 2, 0), (day(2031, 6, 5), 1, 0)]
    assert split_outlying(late)[1] == [{"side": "after", "from": "2031-05-05", "to": "2031-06-05", "incidents": 3,
                                        "killed": 0}]
    # many incidents are not "a few", however far
    assert split_outlying([(day(2001, 1, 1), 40, 0)] + months)[1] == []


def test_timeline_page_and_api(client, app_tb):
    line = client.get("/api/timeline").json()
    assert "outside" in line and line["outside"] == []  # the API's axis keeps everything
    page = client.get("/").text
    trimmed = app_tb.timeline(trim_outlying=True)
    for o in trimmed["outside"]:
        assert f"since={o['from']}" in page and 'id="timeline-outside"' in page
    assert sum(p["incidents"] for p in trimmed["periods"]) + sum(o["incidents"] for o in trimmed["outside"]) \
        == sum(p["incidents"] for p in line["periods"])


def test_a_store_from_before_the_facets_is_reindexed_on_open(built, tmp_path, extractor):
    """Upgrading empties the incident index (a cache), so the next refresh writes the facet values too."""
    import shutil

    from alembic import command

    from tollbook.api import Settings, Tollbook
    from tollbook.store import Store
    from tollbook.store.migrate import alembic_config

    path = tmp_path / "old.db"
    shutil.copy(built, path)
    store = Store.open(path)
    cfg = alembic_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
        assert conn.exec_driver_sql("SELECT count(*) FROM incident_index").scalar() > 0
    store.close()
    tb = Tollbook(Store.open(path), settings=Settings.load(db=str(path)), extractor=extractor)
    try:
        with tb.store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM incident_index").scalar() == 0
        facets = tb.facet_counts()["facets"]
        assert sum(n for _, n in facets["type"]["values"]) == tb.find_incidents()["total"] > 0
    finally:
        tb.close()


def test_kept_map_and_facets_follow_an_edit(built, tmp_path, extractor):
    """The map and the facet counts are kept between requests, but never past a change of the index."""
    import shutil

    from tollbook.api import Settings, Tollbook
    from tollbook.store import Store

    path = tmp_path / "edit.db"
    shutil.copy(built, path)
    tb = Tollbook(Store.open(path), settings=Settings.load(db=str(path)), extractor=extractor)
    try:
        target = next(i for i in tb.find_incidents(sort="-killed", limit=100)["items"] if i["lat"] is not None)
        before = {p[0]: p[3] for p in tb.map_points()["points"]}
        types = tb.facet_counts()["facets"]["type"]
        tb.correct(target["id"], "killed", part="best", value=before[target["id"]] + 5, editor="amira",
                   reason="a later count")
        tb.refresh_index(force=True)
        after = {p[0]: p[3] for p in tb.map_points()["points"]}
        assert after[target["id"]] == before[target["id"]] + 5
        assert tb.facet_counts()["facets"]["type"] == types  # same incidents, same types
    finally:
        tb.close()
