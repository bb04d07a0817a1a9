"""The web pages in a real headless Chromium (Debian's package), driven by Playwright.

Chromium comes from the system (`apt-get install chromium`; `.ci/run` does it), not from a
Playwright download. Without it these tests skip with the reason, except where
TOLLBOOK_REQUIRE_BROWSER=1 (as in CI), where they fail. Screenshots go to the test's temporary
folder, or to TOLLBOOK_SCREENSHOTS when set, to be looked at.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from _hostile import HOSTILE_TEXT, HOSTILE_TITLE

pytestmark = pytest.mark.slow

@pytest.fixture(scope="module")
def site(tmp_path_factory, extractor, examples):
    """The app over a store of the examples plus a hostile report, served by uvicorn on a free port."""
    import datetime as dt

    import uvicorn

    from tollbook.api import Settings, Tollbook
    from tollbook.serve import create_app
    from tollbook.store import Store

    path = tmp_path_factory.mktemp("site") / "site.db"
    tb = Tollbook(Store.open(path), settings=Settings.load(db=str(path)), extractor=extractor)
    tb.ingest([examples / "reports"])
    hostile = tb.add_text(HOSTILE_TEXT, title=HOSTILE_TITLE, url="javascript:alert(1)",
                          published=dt.date(2024, 6, 3))
    tb.add_editor("amira", "correct horse battery")
    tb.refresh_index()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(tb=tb), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield {"base": f"http://127.0.0.1:{port}", "tb": tb, "hostile": hostile.id}
    server.should_exit = True
    thread.join(5)
    tb.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("TOLLBOOK_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.dialogs = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def test_list_map_chart_and_filter(page, site, shots):
    page.goto(site["base"] + "/")
    page.wait_for_selector("#map[data-markers]", state="attached")
    assert int(page.get_attribute("#map", "data-markers")) >= 3
    drawn = page.locator("#map .leaflet-interactive, #map .marker-cluster").count()
    assert drawn >= 1
    assert page.locator("#timeline rect.bar").count() >= 3
    rows = page.locator("#incidents tbody tr")
    assert rows.count() >= 8
    page.screenshot(path=str(shots / "list.png"), full_page=True)
    page.locator("#map").screenshot(path=str(shots / "map.png"))

    page.select_option("select[name=type]", "Remote explosive/landmine/IED")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**type=Remote*")
    types = page.locator("#incidents tbody tr td:nth-child(2)").all_inner_texts()
    assert types and all(t == "Remote explosive/landmine/IED" for t in types)

    page.click("#incidents tbody tr a")
    page.wait_for_selector("#figures")
    assert page.inner_text("#incident-title").startswith("Remote explosive/landmine/IED")
    assert page.locator("blockquote.passage mark").count() >= 1  # the passage each figure came from
    page.screenshot(path=str(shots / "incident.png"), full_page=True)
    assert page.errors == []


def test_hostile_report_runs_no_script(page, site, shots):
    page.goto(site["base"] + f"/reports/{site['hostile']}")
    page.wait_for_selector("#report-text")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    assert "<script>window.__pwned" in page.inner_text("#report-text")  # shown as text
    assert page.locator("#report-text script, #report-text img").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    page.goto(site["base"] + "/?q=HYPERLINK")
    page.wait_for_selector("#map[data-markers]", state="attached")
    page.click("#incidents tbody tr a")
    page.wait_for_selector("#figures")
    assert page.evaluate("typeof window.__pwned") == "undefined" and page.dialogs == []
    page.goto(site["base"] + f"/reports/{site['hostile']}")
    page.screenshot(path=str(shots / "report-hostile.png"), full_page=True)


def test_report_page_highlights_evidence(page, site, shots):
    tb = site["tb"]
    busiest = tb.find_incidents(sort="-reports", limit=1)["items"][0]
    report = tb.incident_record(busiest["id"])["reports"][0]
    page.goto(site["base"] + f"/reports/{report}")
    assert page.locator("#report-text mark.ev-killed").count() >= 1
    assert page.locator("#report-text .lbl-killed").count() >= 1
    page.screenshot(path=str(shots / "report.png"), full_page=True)


def test_login_correct_and_see_the_log(page, site, shots):
    tb = site["tb"]
    target = tb.find_incidents(sort="-killed", limit=1)["items"][0]
    page.goto(site["base"] + f"/incidents/{target['id']}")
    assert page.locator("#correct-form").count() == 0
    page.click("text=Log in as an editor")
    page.fill("input[name=name]", "amira")
    page.fill("input[name=password]", "correct horse battery")
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#correct-form")
    page.select_option("#correct-form select[name=kind]", "killed")
    page.fill("#correct-form input[name=value]", str(target["killed_best"] + 1))
    page.fill("#correct-form input[name=reason]", "a later hospital count")
    page.click("#correct-form button[value=correct]")
    page.wait_for_selector("#done")
    assert page.inner_text("#figure-killed td.best") == str(target["killed_best"] + 1)
    assert "amira" in page.inner_text("#incident-log") and "a later hospital count" in page.inner_text("#incident-log")
    page.screenshot(path=str(shots / "corrected.png"), full_page=True)
    last = tb.review_log()[-1]
    assert (last["editor"], last["action"], last["target"]["value"]) == ("amira", "correct", target["killed_best"] + 1)


def test_phone_layout(browser, site, shots):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2)
    pg = context.new_page()
    pg.goto(site["base"] + "/")
    pg.wait_for_selector("#map[data-markers]", state="attached")
    # nothing wider than the screen but the scrollable tables
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    pg.screenshot(path=str(shots / "phone.png"), full_page=True)
    context.close()


# -- pages that work offline: every request must go to the test's own server ------------------------


@pytest.fixture()
def local_page(browser, site):
    """A page whose every request is recorded; any to another host is refused and fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors, pg.requests, pg.elsewhere, pg.console = [], [], [], []
    own = site["base"].split("//", 1)[1]

    def route(r):
        url = r.request.url
        pg.requests.append(url)
        if url.startswith(("data:", "blob:")) or url.split("//", 1)[1].split("/", 1)[0] == own:
            r.continue_()
        else:
            pg.elsewhere.append(url)
            r.abort()

    context.route("**/*", route)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.console.append(m.text) if m.type in ("error", "warning") else None)
    yield pg
    context.close()
    assert pg.elsewhere == [], f"requests to other hosts: {pg.elsewhere}"


def test_offline_base_map_legend_and_facets(local_page, site, shots):
    pg = local_page
    pg.goto(site["base"] + "/")
    pg.wait_for_selector("#map[data-markers]", state="attached")
    pg.wait_for_function("document.querySelectorAll('#map img.leaflet-tile-loaded').length >= 2")
    tiles = [u for u in pg.requests if "/tiles/" in u]
    assert tiles and all(u.startswith(site["base"] + "/tiles/") for u in tiles)
    assert "OpenStreetMap contributors" in pg.inner_text("#map .leaflet-control-attribution")
    legend = pg.locator("#map-legend")
    assert legend.is_visible()
    assert pg.locator("#map-legend circle.legend-marker").count() == 3
    assert pg.locator("#map-legend .legend-cluster").count() == 3
    # facet counts beside the filters; a count's link narrows the list to that many incidents
    assert pg.locator("#facets .facet").count() == 6
    first = pg.locator("#facet-source li").first
    n = first.locator(".count").inner_text()
    pg.screenshot(path=str(shots / "offline-list.png"), full_page=True)
    pg.locator("#map").screenshot(path=str(shots / "offline-map.png"))
    first.locator("a").click()
    pg.wait_for_url("**source=**")
    assert pg.inner_text("#total") == n
    assert pg.errors == []


def test_incident_page_mini_map(local_page, site, shots):
    pg = local_page
    placed = next(i for i in site["tb"].find_incidents(limit=100)["items"] if i["lat"] is not None)
    pg.goto(site["base"] + f"/incidents/{placed['id']}")
    pg.wait_for_selector("#incident-map[data-ready]")
    pg.wait_for_function("document.querySelectorAll('#incident-map img.leaflet-tile-loaded').length >= 1")
    assert pg.locator("#incident-map path.leaflet-interactive").count() == 1  # the place's marker
    pg.locator("#incident-map").screenshot(path=str(shots / "incident-mini-map.png"))
    pg.screenshot(path=str(shots / "incident-with-map.png"), full_page=True)
    # past the bundled tiles' zoom 6 Leaflet enlarges them: no request for a tile the file does not have
    for _ in range(4):
        pg.click("#incident-map .leaflet-control-zoom-in")
        pg.wait_for_timeout(350)
    zooms = {int(u.split("/tiles/")[1].split("/")[0]) for u in pg.requests if "/tiles/" in u}
    assert zooms and max(zooms) <= 6, zooms
    assert pg.errors == []


def test_api_docs_offline(local_page, site, shots):
    pg = local_page
    pg.goto(site["base"] + "/api/docs")
    pg.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    assert pg.locator(".swagger-ui .opblock").count() >= 8  # the API's operations, drawn from /openapi.json
    assert "/api/facets" in pg.inner_text(".swagger-ui")
    assert any(u.endswith("/openapi.json") for u in pg.requests)
    assert not [m for m in pg.console if "Content Security Policy" in m], pg.console
    pg.screenshot(path=str(shots / "api-docs.png"), full_page=False)
    assert pg.errors == []


def test_timeline_brush_lists_the_dates_dragged_across(local_page, site, shots):
    pg = local_page
    pg.goto(site["base"] + "/")
    bars = pg.locator("#timeline rect.bar")
    assert bars.count() >= 3
    first, last = bars.nth(0), bars.nth(bars.count() - 1)
    since, until = first.get_attribute("data-start"), last.get_attribute("data-end")
    a, b = first.bounding_box(), last.bounding_box()
    y = a["y"] + a["height"] - 1 if a["height"] >= 2 else pg.locator("#timeline").bounding_box()["y"] + 50
    pg.mouse.move(a["x"] + 1, y)
    pg.mouse.down()
    pg.mouse.move((a["x"] + b["x"]) / 2, y, steps=4)
    pg.screenshot(path=str(shots / "timeline-brushing.png"), clip={**pg.locator("#timeline").bounding_box()})
    pg.mouse.move(b["x"] + b["width"] - 1, y, steps=4)
    pg.mouse.up()
    pg.wait_for_url("**until=**")
    assert f"since={since}" in pg.url and f"until={until}" in pg.url
    assert pg.errors == []
