"""Latency of the HTTP API's list and filter endpoints over a large incident index.

    .venv/bin/python benchmarks/serve_latency.py --incidents 100000 --requests 200
    .venv/bin/python benchmarks/serve_latency.py --backend postgresql      # on a throwaway cluster
    .venv/bin/python benchmarks/serve_latency.py --db postgresql://user@host/db   # on a server of yours

Builds a store (SQLite, or PostgreSQL) with N synthetic incidents in the incident index (rows made by the
same ``index.row_of`` the app uses, written by ``index.write``) and one synthetic report per incident for
full-text search (SQLite: in its FTS5 table; PostgreSQL: report rows, which its GIN index reads; VACUUM
ANALYZE once built, as autovacuum does on a live server), serves it with `tollbook serve` in another
process, and times real HTTP requests from an httpx client, one at a time ("first": the first request of
each, before anything the app keeps between requests; then p50/p95/max over the repeats). The baseline in
the same run is a static file from the same server: the floor that uvicorn + Starlette + httpx cost
before any query runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("gunmen killed people market police said attack village convoy soldiers rebels bomb car checkpoint "
         "hospital wounded abducted militia clashes shelling school mosque church bus station border camp").split()
PLACES = [  # (country, code, admin1, city, lat, lon)
    ("Iraq", "IQ", "Diyala", "Baqubah", 33.75, 44.64), ("Iraq", "IQ", "Baghdad", "Baghdad", 33.34, 44.40),
    ("Nigeria", "NG", "Borno", "Maiduguri", 11.85, 13.16), ("Nigeria", "NG", "Kaduna", "Kaduna", 10.52, 7.44),
    ("Mexico", "MX", "Guerrero", "Acapulco", 16.86, -99.89), ("Mexico", "MX", "Sinaloa", "Culiacan", 24.80, -107.39),
    ("United States", "US", "Illinois", "Chicago", 41.88, -87.63),
    ("United States", "US", "Texas", "Houston", 29.76, -95.37),
    ("Syria", "SY", "Idlib", "Idlib", 35.93, 36.63), ("Yemen", "YE", "Taiz", "Taiz", 13.58, 44.02),
    ("Afghanistan", "AF", "Kabul", "Kabul", 34.53, 69.17), ("Colombia", "CO", "Cauca", "Popayan", 2.44, -76.61),
    ("Philippines", "PH", "Sulu", "Jolo", 6.05, 121.00), ("Sudan", "SD", "Khartoum", "Khartoum", 15.50, 32.56),
]
TYPES = ("Attack", "Remote explosive/landmine/IED", "Shelling/artillery/missile attack", "Air/drone strike",
         "Abduction/forced disappearance", "Suicide bomb", "Armed clash", "Looting/property destruction")
ACTORS = ("gunmen", "militants", "the army", "police", "unknown attackers", "rebels", "a militia")
OUTLETS = [f"Outlet {i}" for i in range(40)]
FLAGS = ("toll contradiction", "date contradiction", "place contradiction", "perpetrator claims differ")


def build(path: str, n: int, seed: int = 7) -> None:
    from tollbook.reconcile.incidents import FigureSource, Incident, Reconciled
    from tollbook.records import Evidence, Flag, Place
    from tollbook.store import Store, index

    rng = random.Random(seed)
    store = Store.open(path)
    start = dt.date(2013, 1, 1)

    def incidents():
        for i in range(n):
            country, code, admin1, city, lat, lon = rng.choice(PLACES)
            day = start + dt.timedelta(days=rng.randrange(0, 3650))
            killed = max(0, int(rng.expovariate(1 / 4)))
            rid = f"r{i:016x}"
            figs = [Reconciled("killed", killed, killed + rng.randrange(0, 3), killed,
                               [FigureSource(rid, i, "example.org", day, killed, killed, "exact")])]
            place = Place(city, (Evidence(rid, 0, len(city), city),), country=country, country_code=code,
                          admin1=admin1, city=city,
                          lat=lat + rng.uniform(-0.5, 0.5), lon=lon + rng.uniform(-0.5, 0.5), precision="city")
            # one incident in ten carries a flag; each names one to three outlets (Zipf-like: a few big ones)
            flags = ([Flag(rng.choice(FLAGS), "synthetic", (Evidence(rid, 0, len(city), city),))]
                     if rng.random() < 0.1 else [])
            outlets = sorted({OUTLETS[min(int(rng.paretovariate(1.0)) - 1, len(OUTLETS) - 1)]
                              for _ in range(rng.randrange(1, 4))})
            inc = Incident(id=f"i{i:08x}", type=rng.choice(TYPES), events=[], reports=[rid], figures=figs,
                           place=place, earliest=day, latest=day + dt.timedelta(days=rng.randrange(0, 2)),
                           sources=len(outlets), refs=[f"{rid}#0"], flags=flags)
            summary = {"perpetrators_said": rng.choice(ACTORS) + (" (alleged)" if rng.random() < 0.5 else ""),
                       "source_list": "; ".join(outlets)}
            yield index.row_of(inc, summary), rid

    texts = []
    rows = []
    for row, rid in incidents():
        rows.append(row)
        # 80 words: one in ten from the event vocabulary, the rest a Zipf-like spread over 20k words
        texts.append((rid, "", " ".join(rng.choice(WORDS) if rng.random() < 0.1
                                        else f"w{int(rng.paretovariate(0.8)) % 20000}" for _ in range(80))))
    with store.engine.begin() as conn:
        if store.fts == "postgresql":  # search reads the reports themselves (an expression index)
            from tollbook.store import schema as s

            now = dt.datetime.now(dt.UTC)
            conn.execute(s.originals.insert().values(sha256="0" * 64, name="synthetic", media_type="text/plain",
                                                     size=0, content=b"", received_at=now))
            for i in range(0, len(texts), 5000):
                conn.execute(s.reports.insert(), [
                    {"id": rid, "sha256": rid[1:].rjust(64, "0"), "text": text, "original_sha256": "0" * 64,
                     "ingested_at": now} for rid, _, text in texts[i:i + 5000]])
        # the fingerprint of this store (no events, no reviews): the app then takes the index as fresh
        index.write(conn, rows, index.fingerprint(conn))
        if store.fts == "sqlite":
            conn.exec_driver_sql("INSERT INTO report_fts (report_id, title, text) VALUES (?, ?, ?)", texts)
    if store.fts == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    store.close()


def size_mb(target: str) -> float:
    if "://" not in target:
        return Path(target).stat().st_size / 1e6
    from tollbook.store import Store

    store = Store.open(target)
    with store.engine.connect() as conn:
        size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
    store.close()
    return size / 1e6


def is_built(target: str) -> bool:
    if "://" not in target:
        return Path(target).exists()
    from tollbook.store import Store

    store = Store.open(target)
    with store.engine.connect() as conn:
        n = conn.exec_driver_sql("SELECT count(*) FROM incident_index").scalar()
    store.close()
    return n > 0


QUERIES = {
    "static file (baseline)": "/static/tollbook.css",
    "list, newest first": "/api/incidents",
    "list, page 400": "/api/incidents?offset=20000",
    "country": "/api/incidents?country=Nigeria",
    "admin1 + date range": "/api/incidents?admin1=Illinois&since=2016-01-01&until=2016-12-31",
    "place contains": "/api/incidents?place=acap",
    "type + min killed": "/api/incidents?type=bombing&min_killed=10",
    "actor": "/api/incidents?actor=militia",
    "bounding box": "/api/incidents?bbox=40,30,50,37",
    "full-text words": "/api/incidents?q=convoy%20checkpoint",
    "everything combined": "/api/incidents?country=IQ&since=2014-01-01&until=2019-12-31&min_killed=2&q=market"
                           "&sort=-killed",
    "sort by killed": "/api/incidents?sort=-killed",
    "map points, one country": "/api/map?country=Syria",
    "map points, the biggest country": "/api/map?country={biggest}",
    "map points, everything (the 20,000 biggest tolls)": "/api/map",
    "source filter": "/api/incidents?source=Outlet%205",
    "flag filter + country": "/api/incidents?flag=toll%20contradiction&country=Mexico",
    "facets, everything": "/api/facets",
    "facets, one country": "/api/facets?country=Nigeria",
    "facets, type + min killed": "/api/facets?type=bombing&min_killed=10",
    "facets, full-text words": "/api/facets?q=convoy%20checkpoint",
    "facets, everything combined": "/api/facets?country=IQ&since=2014-01-01&until=2019-12-31&min_killed=2&q=market",
    "timeline, filtered": "/api/timeline?country=Yemen",
    "page /: list, map frame, timeline": "/",
    "page / filtered": "/?country=Nigeria&since=2015-01-01&min_killed=3",
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200, help="per endpoint, after 5 warm-up requests")
    ap.add_argument("--db", default=None, help="keep the store here, a file or a database URL (default: a "
                    "temporary folder, or with --backend postgresql a throwaway cluster)")
    ap.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite",
                    help="postgresql: start a throwaway cluster (tollbook.store.pgcluster) for the run")
    ap.add_argument("--only", default="", help="only the requests whose name contains this (e.g. facets)")
    args = ap.parse_args()

    cluster = None
    folder = tempfile.mkdtemp(prefix="tollbook-bench-")
    if args.db:
        path = args.db
    elif args.backend == "postgresql":
        from tollbook.store.pgcluster import Cluster

        cluster = Cluster().start()
        path = cluster.create_database("bench")
    else:
        path = str(Path(folder) / "bench.db")
    try:
        return run(args, path)
    finally:
        if cluster is not None:
            cluster.stop()


def run(args: argparse.Namespace, path: str) -> int:
    import httpx

    if not is_built(path):
        t = time.perf_counter()
        build(path, args.incidents)
        print(f"built {args.incidents:,} incidents in {time.perf_counter() - t:.1f} s "
              f"({size_mb(path):.0f} MB)", file=sys.stderr)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # the server in its own process, as `tollbook serve` runs, so the client does not share its GIL
    server = subprocess.Popen([sys.executable, "-m", "tollbook", "serve", "--db", str(path), "--port", str(port)],
                              stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/tollbook.css", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    base = f"http://127.0.0.1:{port}"
    print("| request | matches | first ms | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|---|")
    with httpx.Client(base_url=base, timeout=30) as client:
        # the country with the most incidents, from the facets: its map is the largest a country filter gives
        top = client.get("/api/facets?size=1").json()["facets"]["country"]["values"][0][0]
        for name, url in QUERIES.items():
            if args.only not in name and name != "static file (baseline)":
                continue
            url = url.format(biggest=top)
            # the first request: nothing kept yet (facets and timelines are kept until the index changes)
            t = time.perf_counter()
            client.get(url).raise_for_status()
            first = (time.perf_counter() - t) * 1000
            for _ in range(4):
                r = client.get(url)
                r.raise_for_status()
            times = []
            for _ in range(args.requests):
                t = time.perf_counter()
                r = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
            body = r.json() if "json" in r.headers.get("content-type", "") else {}
            listed = body.get("points", body.get("periods", body.get("facets", [])))
            total = body.get("total", len(listed)) if body else ""
            if "{biggest}" in QUERIES[name]:
                name = f"{name} ({top})"
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            print(f"| {name} | {total} | {first:.1f} | {statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f} |",
                  flush=True)
    server.terminate()
    server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
