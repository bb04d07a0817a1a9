"""Exports the field's tools load as they are: ACLED and UCDP GED columns in their codebooks' order
and codes (checked against export/specs/*.json and read by pandas with their dtypes), GeoJSON that
keeps every incident, CSV with date precision, outlets and report URLs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest

from tollbook.export import codes
from tollbook.export.formats import acled_row, export, spec
from tollbook.reconcile import build_incidents
from tollbook.records import Actor, Event, Evidence, Figure, Place, Report, When

ATTACK, CLASH = "Attack", "Armed clash"


def _incidents():
    """Three invented incidents: a massacre in a camp in Iraq blamed on the army by a hedged source, a clash
    in Colombia with the dead split by side, and an undated, unplaced report."""
    specs = [
        ("Gunmen killed at least 52 residents of the camp on Sunday, witnesses said.", "news.example.iq",
         "https://news.example.iq/a", dt.date(2013, 9, 2), ATTACK,
         [("killed", 52, None, "")], ("Ashraf", "IQ", "Iraq", "Diyala", 33.6, 44.6, "point"),
         [], dt.date(2013, 9, 1)),
        ("Three soldiers and eleven rebels died in a clash near the river.", "www.reuters.com",
         "https://www.reuters.com/b", dt.date(2021, 5, 4), CLASH,
         [("killed", 14, 14, ""), ("killed", 3, 3, "security forces"), ("killed", 11, 11, "armed group")],
         ("Tame", "CO", "Colombia", "Arauca", 6.46, -71.74, "city"), [], dt.date(2021, 5, 3)),
        ("People were wounded somewhere in the hills, a report said.", None, None, None, ATTACK,
         [("injured", 2, 2, "")], None, [], None),
    ]
    reports, events = {}, []
    for n, (text, source, url, published, etype, figs, place, _, day) in enumerate(specs):
        r = Report.from_text(text, published=published, source=source, url=url, title=text[:40])
        reports[r.id] = r
        ev = (Evidence(r.id, 0, 6, text[:6]),)
        actors = []
        if n == 0:
            actors = [Actor("perpetrator", "Iraqi army", ev, "security forces", hedged=True,
                            attributed_to="witnesses"),
                      Actor("victim", "residents", ev, "civilians")]
        if n == 1:
            actors = [Actor("perpetrator", "the army", ev, "security forces"),
                      Actor("victim", "REVOLUTIONARY ARMED FORCES", ev, "armed group")]
        events.append(Event(
            r.id, etype, "main", ev,
            [Figure(k, lo, hi, "exact" if lo == hi else "at least", ev, who=who) for k, lo, hi, who in figs],
            [Place(place[0], ev, place[2], place[1], place[3], None, place[4], place[5], place[6])] if place else [],
            [When(day, day, "day", ev)] if day else [], actors, id=n))
    return reports, build_incidents(events, reports)


def _export(fmt: str) -> str:
    reports, incidents = _incidents()
    out = io.StringIO()
    export(incidents, reports, fmt, out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["acled", "ucdp"])
def test_export_has_the_codebook_columns_in_order_and_pandas_reads_its_dtypes(fmt):
    pd = pytest.importorskip("pandas", reason="pandas is a dev dependency (pip install -e '.[dev]')")
    columns = spec(fmt)
    text = _export(fmt)
    assert next(csv.reader(io.StringIO(text))) == [c["name"] for c in columns]
    frame = pd.read_csv(io.StringIO(text), dtype={c["name"]: c["dtype"] for c in columns}, keep_default_na=False,
                        na_values=[""])
    assert len(frame) == 3
    for c in columns:
        if c["required"]:
            assert frame[c["name"]].notna().all(), c["name"]


def test_acled_codes():
    rows = {r["location"]: r for r in csv.DictReader(io.StringIO(_export("acled")))}
    iraq, colombia, unplaced = rows["Ashraf"], rows["Tame"], rows[""]
    assert len(spec("acled")) == 31
    assert re.fullmatch(r"IRQ\d+", iraq["event_id_cnty"]) and re.fullmatch(r"UNK\d+", unplaced["event_id_cnty"])
    assert (iraq["iso"], iraq["region"], iraq["country"]) == ("368", "Middle East", "Iraq")
    assert (iraq["time_precision"], iraq["event_date"], iraq["year"]) == ("1", "2013-09-01", "2013")
    assert (iraq["event_type"], iraq["sub_event_type"], iraq["disorder_type"]) == (
        "Violence against civilians", "Attack", "Political violence")
    # generic actors in ACLED's naming; the victims civilians; state forces against civilians is 17
    assert (iraq["actor1"], iraq["inter1"], iraq["actor2"], iraq["inter2"], iraq["interaction"]) == (
        "Military Forces of Iraq", "1", "Civilians (Iraq)", "7", "17")
    assert iraq["civilian_targeting"] == "Civilian targeting"
    # the most conservative count; an open toll is tagged; the claim keeps its hedge and who makes it
    assert iraq["fatalities"] == "52" and "at least 52" in iraq["tags"]
    assert "Iraqi army (alleged, said by witnesses)" in iraq["notes"] and "52+ killed" in iraq["notes"]
    assert colombia["actor2"] == "Revolutionary Armed Forces" and colombia["inter2"] == "2"
    assert colombia["source"] == "reuters.com" and colombia["source_scale"] == "International"
    # nothing known is empty, not 0
    assert unplaced["fatalities"] == "" and unplaced["event_date"] == "" and unplaced["time_precision"] == ""


def test_ucdp_codes():
    rows = {r["where_coordinates"]: r for r in csv.DictReader(io.StringIO(_export("ucdp")))}
    iraq, colombia, unplaced = rows["Ashraf"], rows["Tame"], rows[""]
    assert iraq["type_of_violence"] == "3" and colombia["type_of_violence"] == "1"
    assert unplaced["type_of_violence"] == "" and unplaced["tollbook_note"] == "no perpetrator is named"
    assert (iraq["country_id"], iraq["region"], colombia["country_id"], colombia["region"]) == (
        "645", "Middle East", "100", "Americas")
    assert (iraq["best"], iraq["low"], iraq["high"]) == ("52", "52", "")  # open-ended: no high
    assert (colombia["deaths_a"], colombia["deaths_b"], colombia["deaths_civilians"], colombia["deaths_unknown"]) == (
        "3", "11", "", "0")
    assert (unplaced["best"], unplaced["low"], unplaced["high"]) == ("", "", "")
    assert iraq["geom_wkt"] == "POINT (44.6 33.6)" and iraq["date_prec"] == "1" and iraq["event_clarity"] == "1"
    assert iraq["gwnoa"] == "645" and iraq["source_original"] == "witnesses"


def test_priogrid_and_precisions():
    assert codes.priogrid_gid(-89.9, -179.9) == 1
    assert codes.priogrid_gid(89.9, 179.9) == 360 * 720
    assert codes.priogrid_gid(None, 3.0) is None
    day = dt.date(2020, 1, 1)
    assert [codes.ucdp_date_prec(day, day + dt.timedelta(days=d)) for d in (0, 3, 6, 20, 200)] == [1, 2, 3, 4, 5]
    assert [codes.acled_time_precision(codes.date_precision(day, day + dt.timedelta(days=d)))
            for d in (0, 3, 20, 200)] == [1, 2, 3, 3]
    assert codes.interaction(1, 7) == 17 and codes.interaction(7, 2) == 27 and codes.interaction(3, None) == 30


def test_geojson_keeps_every_incident():
    gj = json.loads(_export("geojson"))
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 3
    unplaced = [f for f in gj["features"] if f["geometry"] is None]
    assert len(unplaced) == 1 and unplaced[0]["properties"]["place"] is None
    for f in gj["features"]:
        assert f["type"] == "Feature" and isinstance(f["properties"], dict)
        if f["geometry"] is not None:
            lon, lat = f["geometry"]["coordinates"]
            assert f["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90


def test_csv_carries_date_precision_outlets_and_urls():
    rows = {r["place"]: r for r in csv.DictReader(io.StringIO(_export("csv")))}
    assert rows["Ashraf"]["date_precision"] == "day" and rows["Ashraf"]["report_urls"] == "https://news.example.iq/a"
    assert rows["Tame"]["source_list"] == "reuters.com"


def test_acled_timestamp_and_formula_safety():
    reports, incidents = _incidents()
    row = acled_row(incidents[0], reports, now=1_700_000_000)
    assert row["timestamp"] == 1_700_000_000
    evil = Report.from_text("=cmd|' /C calc'!A0 killed two", source="=evil.example")
    ev = (Evidence(evil.id, 0, 4, evil.text[:4]),)
    incs = build_incidents([Event(evil.id, ATTACK, "main", ev, [Figure("killed", 2, 2, "exact", ev)], id=9)],
                           {evil.id: evil})
    out = io.StringIO()
    export(incs, {evil.id: evil}, "acled", out)
    cells = [c for r in csv.reader(io.StringIO(out.getvalue())) for c in r]
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
