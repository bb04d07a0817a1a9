"""The HTTP API and pages, through Starlette's test client over a real store: SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest

from _hostile import HOSTILE_TEXT, HOSTILE_TITLE


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def built(request, tmp_path_factory, extractor, examples):
    """A store of the bundled examples plus one hostile report, on SQLite and on PostgreSQL; tests
    that edit copy it (a file copy, or a database made from it as a template)."""
    import datetime as dt

    from tollbook.api import Settings, Tollbook
    from tollbook.store import Store

    if request.param == "sqlite":
        path = str(tmp_path_factory.mktemp("serve") / "base.db")
    else:
        path = request.getfixturevalue("postgres").create_database("serve_base")
    tb = Tollbook(Store.open(path), settings=Settings.load(db=path), extractor=extractor)
    tb.ingest([examples / "reports"])
    tb.add_text(HOSTILE_TEXT, title=HOSTILE_TITLE, url="javascript:alert(document.cookie)",
                published=dt.date(2024, 6, 3), source="=cmd|' /C calc'!A0")
    tb.add_editor("amira", "correct horse battery")
    tb.refresh_index()
    tb.close()  # no connection left: PostgreSQL copies a template only then
    yield path
    if request.param == "postgresql":
        request.getfixturevalue("postgres").drop_database("serve_base")


@pytest.fixture()
def app_tb(built, tmp_path, extractor, request):
    from tollbook.api import Settings, Tollbook
    from tollbook.store import Store

    if "://" in built:
        path = request.getfixturevalue("postgres").create_database(template="serve_base")
    else:
        path = str(tmp_path / "copy.db")
        shutil.copy(built, path)
    tb = Tollbook(Store.open(path), settings=Settings.load(db=path), extractor=extractor)
    yield tb
    tb.close()


@pytest.fixture()
def client(app_tb):
    from fastapi.testclient import TestClient

    from tollbook.serve import create_app

    with TestClient(create_app(tb=app_tb), follow_redirects=False) as c:
        yield c


def _hostile_report_id(client) -> str:
    page = client.get("/api/incidents", params={"q": "HYPERLINK"}).json()
    assert page["total"] == 1, page
    return page["items"][0]["id"], client.get(f"/api/incidents/{page['items'][0]['id']}").json()["reports"][0]


def _error(resp, status: int) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    assert body["error"]["code"] and body["error"]["message"]
    return body["error"]["message"]


def test_incident_list_filters_and_pagination(client):
    everything = client.get("/api/incidents").json()
    assert everything["total"] >= 8 and len(everything["items"]) == everything["total"]
    page = client.get("/api/incidents", params={"limit": 3}).json()
    assert [i["id"] for i in page["items"]] == [i["id"] for i in everything["items"][:3]]
    nxt = client.get(page["next"]).json()
    assert [i["id"] for i in nxt["items"]] == [i["id"] for i in everything["items"][3:6]]

    arvelia = client.get("/api/incidents", params={"country": "Arvelia"}).json()
    assert arvelia["total"] >= 5 and all(i["country"] == "Arvelia" for i in arvelia["items"])
    us = client.get("/api/incidents", params={"country": "us"}).json()  # ISO code, any case
    assert us["total"] >= 1 and all(i["country"] == "United States" for i in us["items"])
    big = client.get("/api/incidents", params={"min_killed": 20}).json()
    assert big["total"] >= 1 and all(i["killed_best"] >= 20 for i in big["items"])
    bombs = client.get("/api/incidents", params={"type": "Remote explosive/landmine/IED"}).json()
    assert bombs["total"] >= 1 and all(i["type"] == "Remote explosive/landmine/IED" for i in bombs["items"])
    july = client.get("/api/incidents", params={"since": "2024-07-01", "until": "2024-07-31"}).json()
    assert july["total"] >= 1 and all(i["latest"] >= "2024-07-01" and i["earliest"] <= "2024-07-31"
                                      for i in july["items"])
    boxed = client.get("/api/incidents", params={"bbox": "-100,30,-80,45"}).json()  # around Illinois
    assert boxed["total"] >= 1 and all(-100 <= i["lon"] <= -80 and 30 <= i["lat"] <= 45 for i in boxed["items"])
    alleged = client.get("/api/incidents", params={"actor": "red ridge"}).json()
    assert alleged["total"] >= 1
    words = client.get("/api/incidents", params={"q": "mass grave"}).json()
    assert words["total"] >= 1
    assert client.get("/api/incidents", params={"q": 'grave" OR ('}).status_code == 200  # no FTS syntax errors
    most = client.get("/api/incidents", params={"sort": "-killed"}).json()["items"]
    killed = [i["killed_best"] or 0 for i in most if i["killed_best"] is not None]
    assert killed == sorted(killed, reverse=True)


def test_bad_parameters_get_one_error_shape(client):
    assert "since" in _error(client.get("/api/incidents", params={"since": "last week"}), 400)
    assert "bbox" in _error(client.get("/api/incidents", params={"bbox": "1,2,3"}), 400)
    assert "limit" in _error(client.get("/api/incidents", params={"limit": 100000}), 400)
    _error(client.get("/api/incidents", params={"min_killed": "many"}), 400)
    _error(client.get("/api/incidents", params={"sort": "random"}), 400)
    assert "no incident" in _error(client.get("/api/incidents/i00000000"), 404)
    _error(client.get("/api/reports/rnothere"), 404)
    _error(client.get("/api/export", params={"format": "xls"}), 400)
    page = client.get("/incidents/i00000000")
    assert page.status_code == 404 and "no incident" in page.text


def test_openapi_document_lists_the_endpoints(client):
    doc = client.get("/openapi.json").json()
    for path in ("/api/incidents", "/api/incidents/{incident_id}", "/api/reports/{report_id}", "/api/timeline",
                 "/api/map", "/api/export", "/api/incidents/{incident_id}/correct"):
        assert path in doc["paths"], path


def test_incident_and_report_carry_their_evidence(client):
    items = client.get("/api/incidents", params={"sort": "-reports"}).json()["items"]
    inc = client.get(f"/api/incidents/{items[0]['id']}").json()
    assert len(inc["reports"]) >= 2
    killed = next(f for f in inc["figures"] if f["kind"] == "killed")
    assert killed["low"] <= killed["best"] <= killed["high"]
    assert killed["history"] and all(h["evidence"] for h in killed["history"])
    rep = client.get(f"/api/reports/{inc['reports'][0]}").json()
    assert rep["spans"] and inc["id"] in rep["incidents"]
    for span in rep["spans"]:
        assert 0 <= span["start"] < span["end"] <= len(rep["text"])
    tl = client.get("/api/timeline", params={"by": "month"}).json()
    assert tl["by"] == "month" and sum(p["incidents"] for p in tl["periods"]) >= 8
    months = [p["period"] for p in tl["periods"]]
    assert months == sorted(months) and len(months) == len(set(months))  # empty months included, in order
    pts = client.get("/api/map").json()
    assert pts["points"] and all(len(p) == 7 for p in pts["points"])


def test_pages_render(client):
    home = client.get("/")
    assert home.status_code == 200 and 'id="incidents"' in home.text and "<svg id=\"timeline\"" in home.text
    assert "/vendor/leaflet/leaflet.js" in home.text and "unpkg" not in home.text and "cdn" not in home.text.lower()
    assert client.get("/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/vendor/markercluster/leaflet.markercluster.js").status_code == 200
    filtered = client.get("/", params={"country": "United States", "since": ""})
    assert filtered.status_code == 200 and "Springfield" in filtered.text and "KERRIN" not in filtered.text
    first = re.search(r'href="/incidents/(i[0-9a-f]+)"', home.text).group(1)
    page = client.get(f"/incidents/{first}")
    assert page.status_code == 200 and 'id="figures"' in page.text and "Log in as an editor" in page.text
    assert 'id="correct-form"' not in page.text  # read-only without a login


def test_hostile_report_is_inert_everywhere(client):
    incident_id, report_id = _hostile_report_id(client)
    page = client.get(f"/reports/{report_id}")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    html = page.text
    assert "<script>window.__pwned" not in html and "&lt;script&gt;window.__pwned" in html
    assert "<img src=x" not in html and "onerror=\"window" not in html
    assert 'href="javascript:' not in html and "link not shown" in html
    inc = client.get(f"/incidents/{incident_id}").text
    assert "<img src=x" not in inc and 'href="javascript:' not in inc
    assert "&lt;img src=x onerror=" in inc  # the title is shown, as text
    api = client.get(f"/api/reports/{report_id}").json()
    assert "<script>window.__pwned" in api["text"]  # the API returns the text as it is, JSON-encoded
    csv_text = client.get("/api/export", params={"format": "csv"}).text
    for row in csv.reader(io.StringIO(csv_text)):
        for cell in row:
            if re.fullmatch(r"-?\d+(\.\d+)?", cell):
                continue  # a negative coordinate is a number, not a formula
            assert cell[:1] not in ("=", "+", "-", "@"), cell
    assert "'=cmd" in csv_text  # the hostile source name was defused, not dropped


def test_edits_need_a_login_or_token_and_are_logged(client, app_tb):
    incident_id, _ = _hostile_report_id(client)
    body = {"kind": "killed", "part": "best", "value": 6, "reason": "hospital confirmed a sixth death"}
    _error(client.post(f"/api/incidents/{incident_id}/correct", json=body), 401)
    _error(client.post(f"/api/incidents/{incident_id}/correct", json=body,
                       headers={"Authorization": "Bearer tb_forged"}), 401)
    page_form = client.post(f"/incidents/{incident_id}/correct", data={**body, "csrf": "x"})
    assert page_form.status_code == 401
    assert app_tb.review_log() == []

    token = app_tb.create_token("amira", "test")
    ok = client.post(f"/api/incidents/{incident_id}/correct", json=body, headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["editor"] == "amira"
    killed = next(f for f in client.get(f"/api/incidents/{incident_id}").json()["figures"] if f["kind"] == "killed")
    assert killed["best"] == 6 and killed["machine"]["best"] == 5

    # the browser way: a wrong password is refused, a right one gives a session; forms need its CSRF token
    login = client.get("/login")
    login_csrf = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
    bad = client.post("/login", data={"name": "amira", "password": "wrong password!", "csrf": login_csrf})
    assert bad.status_code == 401 and "Wrong name or password" in bad.text
    login = client.get("/login")
    login_csrf = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
    good = client.post("/login", data={"name": "amira", "password": "correct horse battery", "csrf": login_csrf,
                                       "next": f"/incidents/{incident_id}"})
    assert good.status_code == 303 and good.headers["location"] == f"/incidents/{incident_id}"
    page = client.get(f"/incidents/{incident_id}")
    assert 'id="correct-form"' in page.text
    assert '<datalist id="nearby">' in page.text  # merge candidates offered to an editor
    report_page = client.get(f"/reports/{app_tb.incident_record(incident_id)['reports'][0]}").text
    assert 'id="move-form"' in report_page and '<datalist id="nearby">' in report_page  # where it could go
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    form = {"kind": "injured", "part": "best", "value": "2", "reason": "second report", "action": "correct"}
    assert client.post(f"/incidents/{incident_id}/correct", data=form).status_code == 403  # no CSRF token
    assert client.post(f"/api/incidents/{incident_id}/correct", json=body).status_code == 403  # cookie, no header
    done = client.post(f"/incidents/{incident_id}/correct", data={**form, "csrf": csrf})
    assert done.status_code == 303
    log = app_tb.review_log()
    assert [(e["editor"], e["action"], e["target"]["kind"]) for e in log] == [
        ("amira", "correct", "killed"), ("amira", "correct", "injured")]
    shown = client.get(done.headers["location"]).text
    assert "second report" in shown and "Saved" in shown


def test_timeline_periods_fill_gaps():
    import datetime as dt

    from tollbook.store.index import periods

    days = [(dt.date(2024, 1, 30), 1, 3), (dt.date(2024, 4, 2), 2, 0)]
    out = periods(days, "month")
    assert [p["period"] for p in out["periods"]] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert [p["incidents"] for p in out["periods"]] == [1, 0, 0, 2]
    assert periods(days)["by"] == "day"  # 64 days fit in 120 periods
    assert periods([(dt.date(2000, 1, 1), 1, 1), (dt.date(2024, 1, 1), 1, 1)])["by"] == "year"


def test_highlight_escapes_and_labels_overlaps():
    from tollbook.serve.render import Span, highlight, safe_url

    html = str(highlight("<b>5 killed</b> in Osk", [Span(3, 11, "killed: 5", "killed"), Span(3, 4, "n", "n"),
                                                      Span(19, 22, "place: <Osk>", "place")]))
    assert "<b>" not in html and "&lt;b&gt;" in html and "place: &lt;Osk&gt;" in html
    assert html.count("<mark") == 3  # "5", " killed", "Osk"
    assert safe_url("javascript:alert(1)") is None and safe_url(" JAVASCRIPT:x") is None
    assert safe_url("https://example.org/a") == "https://example.org/a"


def test_merge_and_split_through_the_api_and_the_index_follows(client, app_tb):
    token = app_tb.create_token("amira")
    auth = {"Authorization": f"Bearer {token}"}
    items = client.get("/api/incidents", params={"country": "Arvelia", "sort": "-reports"}).json()["items"]
    a, b = items[0]["id"], items[1]["id"]
    total = client.get("/api/incidents").json()["total"]
    assert "reason" in _error(client.post(f"/api/incidents/{a}/merge", json={"other": b}, headers=auth), 400)
    merged = client.post(f"/api/incidents/{a}/merge", json={"other": b, "reason": "same attack"}, headers=auth)
    assert merged.status_code == 200, merged.text
    assert client.get("/api/incidents").json()["total"] == total - 1  # seen at once, no waiting for the index
    whole = next(i for i in client.get("/api/incidents").json()["items"]
                 if i["reports"] == items[0]["reports"] + items[1]["reports"])
    reports = client.get(f"/api/incidents/{whole['id']}").json()["reports"]
    split = client.post(f"/api/incidents/{whole['id']}/split", json={"reports": reports[:1], "reason": "not it"},
                        headers=auth)
    assert split.status_code == 200, split.text
    assert client.get("/api/incidents").json()["total"] == total
    assert [e["action"] for e in client.get("/api/log").json()] == ["merge", "split"]


def test_new_reports_reach_the_index(app_tb):
    import datetime as dt

    before = app_tb.find_incidents()["total"]
    app_tb.add_text("Gunmen killed 3 villagers in Tarsel on Friday, officials said.", title="Tarsel again",
                    published=dt.date(2025, 1, 11))
    after = app_tb.find_incidents()
    assert after["total"] in (before, before + 1)
    assert app_tb.find_incidents(__import__("tollbook.store.index", fromlist=["x"]).IncidentQuery(
        q="villagers Tarsel"))["total"] == 1
