"""The web app: JSON API under /api/ and HTML pages, both thin layers over ``tollbook.api``.

    from tollbook.serve import create_app
    app = create_app("tollbook.db")          # uvicorn can serve it; `tollbook serve` does

Read-only for everyone; edits need an editor's login (cookie session, CSRF token on every
form) or an API token (``Authorization: Bearer tb_...``). Every edit goes through the review
API, so it lands in the append-only log with the editor's name.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from tollbook import api
from tollbook.config import check_tile_url
from tollbook.errors import NotFound, ReviewError, TollbookError
from tollbook.records import FIGURE_KINDS
from tollbook.serve import render
from tollbook.serve.tiles import TileSource, bundled_path
from tollbook.store.index import SORTS, IncidentQuery

SESSION_COOKIE = "tb_session"
LOGIN_CSRF_COOKIE = "tb_login_csrf"
PAGE_SIZE = 50
MAX_PAGE = 500
# Bounds of every whole-number parameter without its own (offsets, min_killed): SQLite's integers
# are 64-bit, and no page or toll comes near a billion.
MAX_INT = 1_000_000_000
# Request bodies (review actions, the login form) are a few hundred bytes: anything over this is
# refused from its Content-Length, or once this much has arrived, before the route reads it.
MAX_BODY_BYTES = 64 * 1024
FACET_SIZE = 10  # values shown per facet, most incidents first (as Datasette's facets)
EXPORT_FORMATS = {"csv": "text/csv", "acled": "text/csv", "ucdp": "text/csv", "json": "application/json",
                  "geojson": "application/geo+json"}


# each facet and the filter parameter its values set
FACET_PARAMS = {"country": "country", "admin1": "admin1", "type": "type", "claim": "actor", "flag": "flag",
                "source": "source"}


class BadRequest(HTTPException):
    def __init__(self, message: str) -> None:
        super().__init__(400, message)


# -- parameters ---------------------------------------------------------------------------------


def _param(request: Request, name: str) -> str | None:
    v = request.query_params.get(name)
    return v.strip() if v and v.strip() else None  # an empty form field is no filter


def _day(request: Request, name: str) -> dt.date | None:
    v = _param(request, name)
    if v is None:
        return None
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        raise BadRequest(f"{name}: {v!r} is not a date (YYYY-MM-DD)") from None


def _int(request: Request, name: str, default: int | None, lo: int = 0, hi: int = MAX_INT) -> int | None:
    v = _param(request, name)
    if v is None:
        return default
    if len(v) > 20:  # int() of a long digit string is slow, and the value is out of range anyway
        raise BadRequest(f"{name}: {v[:20]!r}... is out of range ({lo}..{hi})")
    try:
        n = int(v)
    except ValueError:
        raise BadRequest(f"{name}: {v!r} is not a whole number") from None
    if n < lo or n > hi:
        raise BadRequest(f"{name}: {n} is out of range ({lo}..{hi})")
    return n


def query_of(request: Request) -> IncidentQuery:
    bbox = None
    if (raw := _param(request, "bbox")) is not None:
        try:
            west, south, east, north = (float(x) for x in raw.split(","))
        except ValueError:
            raise BadRequest(f"bbox: {raw!r} is not west,south,east,north in degrees") from None
        if not (-90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
            raise BadRequest(f"bbox: {raw!r} is outside -180..180 / -90..90 or south > north")
        bbox = (west, south, east, north)
    q = IncidentQuery(since=_day(request, "since"), until=_day(request, "until"),
                      country=_param(request, "country"), admin1=_param(request, "admin1"),
                      place=_param(request, "place"), type=_param(request, "type"), actor=_param(request, "actor"),
                      flag=_param(request, "flag"), source=_param(request, "source"),
                      min_killed=_int(request, "min_killed", None), bbox=bbox, q=_param(request, "q"))
    if q.since and q.until and q.since > q.until:
        raise BadRequest(f"since {q.since} is after until {q.until}")
    return q


def _sort(request: Request) -> str:
    sort = _param(request, "sort") or "-date"
    if sort not in SORTS:
        raise BadRequest(f"sort: one of {', '.join(SORTS)}, not {sort!r}")
    return sort


# -- the app --------------------------------------------------------------------------------------
# API endpoints return JSONResponse themselves: FastAPI's generic encoder costs more than the
# query on a page of thousands of map points.


def create_app(db: str | Path | None = None, *, config: str | Path | None = None,
               tb: api.Tollbook | None = None, tile_url: str | None = None,
               tile_attribution: str | None = None) -> FastAPI:
    tb = tb or api.open(db, config=config)
    tb.index_check_seconds = 2.0
    tile_url = check_tile_url(tile_url if tile_url is not None else tb.settings.tile_url)
    attribution = tile_attribution if tile_attribution is not None else tb.settings.tile_attribution
    tiles = None
    if tile_url == "" and (bundled := bundled_path()) is not None:
        # the base map tollbook ships (served below under /tiles/); works with no internet
        tiles = TileSource(bundled)
        tile_url, attribution = "/tiles/{z}/{x}/{y}.png", attribution or tiles.attribution
    elif tile_url == "none":
        tile_url = ""
    # docs_url=None: the API docs page below loads Swagger UI from this server, not from a CDN
    app = FastAPI(title="tollbook", version=_version(), docs_url=None, redoc_url=None,
                  description="Incidents reconciled from news reports, each value with its evidence. "
                              "Read-only without a token; edits go to the review log.")
    app.state.tb = tb
    templates = Jinja2Templates(directory=str(resources.files("tollbook.serve") / "templates"))
    templates.env.globals.update(kinds=FIGURE_KINDS, version=_version(), tile_url=tile_url or "",
                                 tile_attribution=attribution or "",
                                 tile_native_zoom=tiles.max_zoom if tiles else 18)
    app.mount("/static", StaticFiles(directory=str(resources.files("tollbook.serve") / "static")), name="static")
    for name, folder in _vendor_dirs().items():
        app.mount(f"/vendor/{name}", StaticFiles(directory=folder), name=f"vendor-{name}")

    tile_origin = ""
    if tile_url.startswith(("http://", "https://")):
        parts = urlsplit(tile_url.replace("{s}", "a"))
        tile_origin = f"{parts.scheme}://{parts.netloc}".replace("://a.", "://*.")

    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        # No inline script may run: pages load their JavaScript from /static and /vendor only.
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src 'self' data: {tile_origin}".rstrip() + "; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'; form-action 'self'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    # -- errors: one JSON shape under /api/, a page elsewhere ---------------------------------------

    def error_response(request: Request, status: int, message: str) -> Response:
        codes = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "not_allowed",
                 422: "bad_request"}
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": {"status": status, "code": codes.get(status, "error"),
                                           "message": message}}, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message,
                                                                  **_who(request)}, status_code=status)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x != "body")
        return error_response(request, 400, f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return error_response(request, 404, str(exc))

    @app.exception_handler(TollbookError)
    async def tollbook_error(request: Request, exc: TollbookError) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        # the error's shape holds even for a fault of ours; the details stay in the server's log
        import logging

        logging.getLogger("tollbook.serve").exception("error serving %s", request.url.path)
        return error_response(request, 500, "internal error; see the server's log")

    # -- who is asking ------------------------------------------------------------------------------

    def _who(request: Request) -> dict[str, Any]:
        live = tb.session(request.cookies.get(SESSION_COOKIE, ""))
        return {"editor": live[0] if live else None, "csrf": live[1] if live else ""}

    def editor_for_api(request: Request) -> str:
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            editor = tb.token_editor(auth[7:].strip())
            if editor is None:
                raise HTTPException(401, "the API token is not valid")
            return editor
        live = tb.session(request.cookies.get(SESSION_COOKIE, ""))
        if live is None:
            raise HTTPException(401, "editing needs an API token (Authorization: Bearer ...) or a login")
        # a browser session must prove the request comes from our own page
        if not secrets.compare_digest(request.headers.get("x-csrf-token", ""), live[1]):
            raise HTTPException(403, "missing or wrong X-CSRF-Token header")
        return live[0]

    async def editor_for_form(request: Request) -> tuple[str, Any]:
        live = tb.session(request.cookies.get(SESSION_COOKIE, ""))
        if live is None:  # before the body is read: a stranger's upload is not read at all
            raise HTTPException(401, "log in as an editor to change the record")
        form = await request.form()
        if not secrets.compare_digest(str(form.get("csrf", "")), live[1]):
            raise HTTPException(403, "the form's CSRF token is missing or stale; reload the page and try again")
        return live[0], form

    # -- JSON API -------------------------------------------------------------------------------------

    encoded: dict[int, tuple[dict, bytes]] = {}  # map answers and their JSON (see api_map)

    @app.get("/api/incidents", tags=["incidents"], summary="Incidents, filtered and paginated")
    def api_incidents(request: Request, since: str | None = None, until: str | None = None,
                      country: str | None = None, admin1: str | None = None, place: str | None = None,
                      type: str | None = None, actor: str | None = None, flag: str | None = None,
                      source: str | None = None, min_killed: int | None = None,
                      bbox: str | None = None, q: str | None = None, sort: str = "-date", limit: int = PAGE_SIZE,
                      offset: int = 0) -> dict:
        """Filters combine with AND. ``bbox`` is west,south,east,north; ``q`` searches report text."""
        query = query_of(request)
        limit = _int(request, "limit", PAGE_SIZE, 1, MAX_PAGE)
        offset = _int(request, "offset", 0)
        page = tb.find_incidents(query, limit=limit, offset=offset, sort=_sort(request))
        params = {**query.to_params(), "sort": _sort(request), "limit": limit}
        page["next"] = (f"/api/incidents?{urlencode({**params, 'offset': offset + limit})}"
                        if offset + limit < page["total"] else None)
        page["items"] = [_listed(r) for r in page["items"]]
        return JSONResponse(page)

    @app.get("/api/incidents/{incident_id}", tags=["incidents"], summary="One incident with its figures")
    def api_incident(incident_id: str) -> dict:
        return JSONResponse(_incident_view(incident_id, for_json=True))

    @app.get("/api/reports/{report_id}", tags=["reports"], summary="One report with its evidence spans")
    def api_report(report_id: str) -> dict:
        return JSONResponse(_report_view(report_id, for_json=True))

    @app.get("/api/timeline", tags=["incidents"], summary="Incidents and killed per day, week or month")
    def api_timeline(request: Request, by: str = "auto") -> dict:
        return JSONResponse(tb.timeline(query_of(request), by=by))

    @app.get("/api/map", tags=["incidents"], summary="Map points [id, lat, lon, killed, place, date, type]")
    def api_map(request: Request, limit: int = 20000) -> dict:
        answer = tb.map_points(query_of(request), limit=_int(request, "limit", 20000, 1, 200000))
        # the API keeps its answers until the index changes (the same object each time); keep their
        # encoding alongside, so that the home page's megabyte of points is not encoded per visitor
        kept = encoded.get(id(answer))
        if kept is None or kept[0] is not answer:
            if len(encoded) >= 16:
                encoded.clear()
            kept = encoded[id(answer)] = (answer, JSONResponse(answer).body)
        return Response(kept[1], media_type="application/json")

    @app.get("/api/facets", tags=["incidents"], summary="How many incidents per country, admin1, type, claim, "
                                                         "flag kind and source")
    def api_facets(request: Request, since: str | None = None, until: str | None = None,
                   country: str | None = None, admin1: str | None = None, place: str | None = None,
                   type: str | None = None, actor: str | None = None, flag: str | None = None,
                   source: str | None = None, min_killed: int | None = None, bbox: str | None = None,
                   q: str | None = None, size: int = FACET_SIZE) -> dict:
        """Counts of the filtered incidents by each facet's values, most first: ``{"facets": {name:
        {"values": [[value, count], ...], "truncated"}}}``. Same filters as /api/incidents."""
        return JSONResponse(tb.facet_counts(query_of(request), size=_int(request, "size", FACET_SIZE, 1, 1000)))

    @app.get("/tiles/{z}/{x}/{y}.png", include_in_schema=False)
    def base_map_tile(z: int, x: int, y: int) -> Response:
        data = tiles.tile(z, x, y) if tiles else None
        if data is None:
            return Response(status_code=404, headers={"Cache-Control": "public, max-age=3600"})
        # the tiles change only with the installed package: let browsers keep them a day
        return Response(data, media_type=tiles.media_type, headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def page_api_docs(request: Request) -> Response:
        return templates.TemplateResponse(request, "api-docs.html", {"openapi_url": app.openapi_url,
                                                                     **_who(request)})

    @app.get("/api/export", tags=["export"], summary="The filtered incidents as csv, json, geojson, acled, ucdp")
    def api_export(request: Request, format: str = "csv") -> Response:
        from tollbook.export.formats import export

        if format not in EXPORT_FORMATS:
            raise BadRequest(f"format: one of {', '.join(EXPORT_FORMATS)}, not {format!r}")
        page = tb.find_incidents(query_of(request), limit=10**9, offset=0)
        wanted = {r["id"] for r in page["items"]}
        reports = {r.id: r for r in tb.reports()}
        chosen = [i for i in tb.incidents() if i.id in wanted]
        out = io.StringIO()
        export(chosen, reports, format, out)
        ext = "json" if format in ("json", "geojson") else "csv"
        return Response(out.getvalue(), media_type=EXPORT_FORMATS[format],
                        headers={"Content-Disposition": f'attachment; filename="tollbook-{format}.{ext}"'})

    @app.get("/api/log", tags=["review"], summary="The review log, oldest first")
    def api_log() -> list[dict]:
        return JSONResponse([_jsonable(e) for e in tb.review_log()])

    @app.post("/api/log/{review_id}/withdraw", tags=["review"], summary="Withdraw a decision (kept in the log)")
    async def api_withdraw(review_id: int, request: Request) -> dict:
        editor = editor_for_api(request)
        body = await _json(request)
        return _jsonable(tb.withdraw(review_id, editor=editor, reason=str(body.get("reason", ""))))

    @app.post("/api/incidents/{incident_id}/correct", tags=["review"], summary="Correct a figure or mark it wrong")
    async def api_correct(incident_id: str, request: Request) -> dict:
        editor = editor_for_api(request)
        body = await _json(request)
        entry = tb.correct(incident_id, str(body.get("kind", "")), part=str(body.get("part", "best")),
                           value=_as_int(body.get("value")), wrong=bool(body.get("wrong")), editor=editor,
                           reason=str(body.get("reason", "")))
        return _jsonable(entry)

    @app.post("/api/incidents/{incident_id}/merge", tags=["review"], summary="Merge another incident into this")
    async def api_merge(incident_id: str, request: Request) -> dict:
        editor = editor_for_api(request)
        body = await _json(request)
        return _jsonable(tb.merge(incident_id, str(body.get("other", "")), editor=editor,
                                  reason=str(body.get("reason", ""))))

    @app.post("/api/incidents/{incident_id}/split", tags=["review"], summary="Split reports off into a new incident")
    async def api_split(incident_id: str, request: Request) -> dict:
        editor = editor_for_api(request)
        body = await _json(request)
        reps = body.get("reports") or []
        if not isinstance(reps, list):
            raise BadRequest("reports: a list of report ids")
        return _jsonable(tb.split(incident_id, [str(r) for r in reps], editor=editor,
                                  reason=str(body.get("reason", ""))))

    @app.post("/api/reports/{report_id}/move", tags=["review"], summary="Move a report to another incident")
    async def api_move(report_id: str, request: Request) -> dict:
        editor = editor_for_api(request)
        body = await _json(request)
        return _jsonable(tb.move(report_id, str(body.get("to", "")), editor=editor,
                                 reason=str(body.get("reason", ""))))

    # -- pages ----------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_index(request: Request) -> Response:
        query = query_of(request)
        sort = _sort(request)
        offset = _int(request, "offset", 0)
        page = tb.find_incidents(query, limit=PAGE_SIZE, offset=offset, sort=sort)
        params = query.to_params()
        line = tb.timeline(query, trim_outlying=True)
        ctx = {
            "page": page, "items": page["items"], "query": query, "params": params, "sort": sort,
            "facets": tb.facets(), "chart": render.chart(line["periods"]), "by": line["by"],
            "outside": line["outside"],
            "counts": tb.facet_counts(query, size=FACET_SIZE)["facets"], "facet_links": _facet_links(params),
            "unfaceted": urlencode({k: v for k, v in params.items() if k not in ("flag", "source")}),
            "prev": urlencode({**params, "sort": sort, "offset": max(0, offset - PAGE_SIZE)}) if offset else None,
            "next": (urlencode({**params, "sort": sort, "offset": offset + PAGE_SIZE})
                     if offset + PAGE_SIZE < page["total"] else None),
            "map_query": urlencode(params), "sorts": list(SORTS), **_who(request),
        }
        return templates.TemplateResponse(request, "index.html", ctx)

    @app.get("/incidents/{incident_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_incident(incident_id: str, request: Request) -> Response:
        view = _incident_view(incident_id, for_json=False)
        log = [e for e in tb.review_log() if _touches(e, view["refs"])]
        who = _who(request)
        nearby = _nearby(view) if who["editor"] else []
        return templates.TemplateResponse(request, "incident.html", {**view, "log": log, **who, "nearby": nearby,
                                                                     "done": _param(request, "done")})

    @app.get("/reports/{report_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_report(report_id: str, request: Request) -> Response:
        view = _report_view(report_id, for_json=False)
        who = _who(request)
        # where the report could go: incidents near the one it is in now (same country, within a week)
        nearby = _nearby(_incident_view(view["incidents"][0], for_json=False)) if who["editor"] and view[
            "incidents"] else []
        return templates.TemplateResponse(request, "report.html", {**view, **who, "nearby": nearby})

    @app.get("/log", response_class=HTMLResponse, include_in_schema=False)
    def page_log(request: Request) -> Response:
        entries = list(reversed(tb.review_log()))
        return templates.TemplateResponse(request, "log.html", {"entries": entries, **_who(request)})

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def page_login(request: Request) -> Response:
        token = secrets.token_urlsafe(24)
        response = templates.TemplateResponse(request, "login.html", {"login_csrf": token, "failed": False,
                                                                      "next": _local(_param(request, "next")),
                                                                      **_who(request)})
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
        return response

    @app.post("/login", include_in_schema=False)
    async def do_login(request: Request) -> Response:
        form = await request.form()
        cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not cookie or not secrets.compare_digest(str(form.get("csrf", "")), cookie):
            raise HTTPException(403, "the login form is stale; reload it and try again")
        name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
        if not tb.check_password(name, password):
            token = secrets.token_urlsafe(24)
            response = templates.TemplateResponse(request, "login.html", {
                "login_csrf": token, "failed": True, "next": _local(str(form.get("next", ""))), "editor": None,
                "csrf": ""}, status_code=401)
            response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
            return response
        sid, _csrf = tb.start_session(name)
        response = RedirectResponse(_local(str(form.get("next", ""))) or "/", status_code=303)
        response.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="lax", max_age=7 * 86400,
                            secure=request.url.scheme == "https")
        response.delete_cookie(LOGIN_CSRF_COOKIE)
        return response

    @app.post("/logout", include_in_schema=False)
    async def do_logout(request: Request) -> Response:
        await editor_for_form(request)
        tb.end_session(request.cookies.get(SESSION_COOKIE, ""))
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.post("/incidents/{incident_id}/correct", include_in_schema=False)
    async def form_correct(incident_id: str, request: Request) -> Response:
        editor, form = await editor_for_form(request)
        wrong = form.get("action") == "wrong"
        value = None if wrong else _form_int(form.get("value"), "value")
        tb.correct(incident_id, str(form.get("kind", "")), part=str(form.get("part", "best")), value=value,
                   wrong=wrong, editor=editor, reason=str(form.get("reason", "")))
        return RedirectResponse(f"/incidents/{incident_id}?done=corrected", status_code=303)

    @app.post("/incidents/{incident_id}/merge", include_in_schema=False)
    async def form_merge(incident_id: str, request: Request) -> Response:
        editor, form = await editor_for_form(request)
        inc = tb.incident_record(incident_id)
        tb.merge(incident_id, str(form.get("other", "")).strip(), editor=editor, reason=str(form.get("reason", "")))
        return RedirectResponse(f"/incidents/{_incident_holding(inc['refs'][0])}?done=merged", status_code=303)

    @app.post("/incidents/{incident_id}/split", include_in_schema=False)
    async def form_split(incident_id: str, request: Request) -> Response:
        editor, form = await editor_for_form(request)
        reps = [str(r) for r in form.getlist("reports")]
        inc = tb.incident_record(incident_id)
        tb.split(incident_id, reps, editor=editor, reason=str(form.get("reason", "")))
        stay = next((r for r in inc["refs"] if r.split("#")[0] not in reps), inc["refs"][0])
        return RedirectResponse(f"/incidents/{_incident_holding(stay)}?done=split", status_code=303)

    @app.post("/reports/{report_id}/move", include_in_schema=False)
    async def form_move(report_id: str, request: Request) -> Response:
        editor, form = await editor_for_form(request)
        to = str(form.get("to", "")).strip()
        rid = tb.report(report_id).id
        tb.move(rid, to, editor=editor, reason=str(form.get("reason", "")))
        return RedirectResponse(f"/incidents/{_incident_holding(rid + '#0')}?done=moved", status_code=303)

    # -- views shared by pages and API -------------------------------------------------------------------

    def _incident_holding(ref: str) -> str:
        tb.refresh_index()
        rid = ref.split("#")[0]
        for iid in tb.incidents_of_report(rid):
            if ref in tb.incident_record(iid)["refs"]:
                return iid
        return tb.incidents_of_report(rid)[0]

    def _nearby(view: dict[str, Any]) -> list[dict[str, Any]]:
        """Candidates for a merge: incidents of the same country within a week of this one."""
        if not view.get("earliest"):
            return []
        first = dt.date.fromisoformat(view["earliest"])
        last = dt.date.fromisoformat(view["latest"] or view["earliest"])
        place = view.get("place") or {}
        q = IncidentQuery(since=first - dt.timedelta(days=7), until=last + dt.timedelta(days=7),
                          country=place.get("country"))
        found = tb.find_incidents(q, limit=30, sort="-killed")["items"]
        return [i for i in found if i["id"] != view["id"]]

    def _incident_view(incident_id: str, *, for_json: bool) -> dict[str, Any]:
        data = tb.incident_record(incident_id)
        reports = {rid: tb.report(rid) for rid in data["reports"]}
        events = {e.id: e for e in tb.store.events_by_id(data["events"])}
        figures = []
        for f in data["figures"]:
            history = []
            for h in f["history"]:
                r = reports.get(h["report_id"])
                ev = events.get(h["event_id"])
                fig = ev.figure(f["kind"]) if ev else None
                spans = [{"start": e.start, "end": e.end, "quote": e.quote} for e in (fig.evidence if fig else ())]
                item = {**h, "title": r.title if r else None, "evidence": spans}
                if not for_json and r is not None:
                    item["passages"] = [render.passage(r.text, sp["start"], sp["end"]) for sp in spans]
                history.append(item)
            figures.append({**f, "history": history})
        out = {**data, "figures": figures,
               "report_list": [{"id": r.id, "title": r.title, "source": r.source, "published": r.published,
                                "url": render.safe_url(r.url)} for r in sorted(
                                    reports.values(), key=lambda r: (r.published or dt.date.min, r.id))]}
        if for_json:
            return _jsonable(out)
        out["claims"] = _claims(events.values())
        return out

    def _report_view(report_id: str, *, for_json: bool) -> dict[str, Any]:
        report = tb.report(report_id)
        events = tb.events(report=report.id)
        # evidence from a PDF names its page ("killed 12 · p. 3")
        spans = [render.Span(e.start, e.end, label + (f" · p. {e.page}" if e.page else ""), render.kind_of(label))
                 for ev in events for label, e in ev.all_evidence() if e.report_id == report.id]
        incidents = tb.incidents_of_report(report.id)
        if for_json:
            return _jsonable({**report.to_dict(), "url": report.url, "events": [e.to_dict() for e in events],
                              "spans": [{"start": s.start, "end": s.end, "label": s.label} for s in spans],
                              "incidents": incidents})
        return {"report": report, "url": render.safe_url(report.url), "events": events, "incidents": incidents,
                "text": render.highlight(report.text, spans), "legend": sorted({s.kind for s in spans})}

    return app


# -- helpers ------------------------------------------------------------------------------------------


def _claims(events) -> list[dict[str, Any]]:
    out = []
    for ev in events:
        for a in ev.actors:
            if a.role == "perpetrator":
                out.append({"text": a.text, "hedged": a.hedged, "attributed_to": a.attributed_to, "kind": a.kind,
                            "report_id": ev.report_id, "quote": a.evidence[0].quote if a.evidence else ""})
    return out


def _listed(row: dict[str, Any]) -> dict[str, Any]:
    out = _jsonable(row)
    out["url"] = f"/api/incidents/{row['id']}"
    return out


def _facet_links(params: dict[str, str]) -> dict[str, str]:
    """The query string each facet's values add themselves to (the perpetrator facet filters ``actor``)."""
    out = {}
    for name in FACET_PARAMS:
        rest = {k: v for k, v in params.items() if k not in (FACET_PARAMS[name], "offset")}
        out[name] = urlencode(rest) + ("&" if rest else "") + FACET_PARAMS[name] + "="
    return out


def _touches(entry: dict[str, Any], refs: list[str]) -> bool:
    target = entry.get("target") or {}
    mentioned = set()
    for v in target.values():
        if isinstance(v, list):
            mentioned.update(x for x in v if isinstance(x, str))
        elif isinstance(v, str):
            mentioned.add(v)
    return bool(mentioned & set(refs))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise BadRequest("the request body must be a JSON object") from None
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    return body


def _as_int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ReviewError("value must be a whole number")
    return _form_int(value, "value")


def _form_int(value: Any, name: str) -> int:
    text = str(value).strip()
    if len(text) > 20:
        raise ReviewError(f"{name}: {text[:20]!r}... is out of range (0..{MAX_INT})")
    try:
        return int(text)
    except ValueError:
        raise ReviewError(f"{name}: {value!r} is not a whole number") from None


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes gets 413 before the app reads it (from
    Content-Length), or as soon as that much has arrived (chunked bodies); nothing is buffered."""

    def __init__(self, app, limit: int) -> None:  # noqa: ANN001 - an ASGI app
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001 - ASGI
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None and (not length.isdigit() or len(length) > 18 or int(length) > self.limit):
            await self._refuse(scope, send)
            return
        seen = 0

        async def bounded():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, bounded, send)
        except _TooLarge:
            await self._refuse(scope, send)

    async def _refuse(self, scope, send) -> None:  # noqa: ANN001 - ASGI
        import json

        message = f"the request body is over the limit of {self.limit:,} bytes"
        body = json.dumps({"error": {"status": 413, "code": "too_large", "message": message}}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def _local(path: str | None) -> str:
    """Only same-site paths as redirect targets (no open redirect)."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return ""


def _vendor_dirs() -> dict[str, str]:
    """Leaflet and its marker clustering from the XStatic packages, Swagger UI from fastapi-offline:
    packages the project installs (no CDN)."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as cluster

    return {"leaflet": leaflet.BASE_DIR, "markercluster": cluster.BASE_DIR,
            # Swagger UI for the API docs page
            "swagger-ui": str(resources.files("fastapi_offline") / "static")}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tollbook")
    except PackageNotFoundError:
        return "dev"
