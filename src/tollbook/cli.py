"""The command line: a thin layer over ``tollbook.api``. Tables for people, --json/--csv for machines.

Errors a user can act on are one line on stderr, ``tollbook: error: ...``, and exit code 1.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from tollbook import api
from tollbook.errors import TollbookError
from tollbook.export.tables import (
    EVENT_COLUMNS,
    event_row,
    figure_cell,
    figure_span,
    perpetrator_summary,
    write_csv,
)
from tollbook.records import Event, Report


def _shown(db: str) -> str:
    """The store as messages name it: a path as given, a database URL without its password."""
    from tollbook.store.db import shown_url

    return shown_url(db) if "://" in str(db) else str(db)


def _fail(message: str) -> None:
    click.echo(f"tollbook: error: {message}", err=True)


def _handle_errors(fn: Callable) -> Callable:
    """Known errors become one line and exit 1; a traceback is kept for real bugs."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except TollbookError as exc:
            _fail(str(exc))
            sys.exit(1)
        except KeyboardInterrupt:
            _fail("interrupted; every report already stored is complete (one transaction each)")
            sys.exit(130)

    return wrapper


def _db_options(fn: Callable) -> Callable:
    fn = click.option("--config", type=click.Path(dir_okay=False), default=None,
                      help="A TOML settings file (see defaults.toml in the package).")(fn)
    fn = click.option("--db", "db", default=None, metavar="PATH",
                      help="SQLite file (default: tollbook.db, or TOLLBOOK_DB) or a SQLAlchemy URL.")(fn)
    return fn


def _cluster_options(fn: Callable) -> Callable:
    """Where extraction runs (docs/scale.md); this process alone writes the store."""
    fn = click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
                      help="Extract on the Dask cluster of this scheduler (its workers need tollbook installed).")(fn)
    fn = click.option("--cluster", metavar="local:N", default=None,
                      help="Extract on a Dask cluster of N worker processes started on this machine.")(fn)
    fn = click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
                      help="Processes that extract (each loads the model once).")(fn)
    return fn


def _output_options(fn: Callable) -> Callable:
    fn = click.option("--csv", "as_csv", is_flag=True, help="CSV for spreadsheets and scripts.")(fn)
    fn = click.option("--json", "as_json", is_flag=True, help="JSON for machines.")(fn)
    return fn


def _open(db: str | None, config: str | None, *, create: bool = False, **settings: Any) -> api.Tollbook:
    """The store of a command; only ``ingest`` (and ``demo``) create one, so a mistyped --db is an error."""
    return api.open(db, config=config, create=create, **settings)


def _parse_day(_ctx: Any, _param: Any, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2013-09-03") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="tollbook")
def main() -> None:
    """tollbook: news reports of killings, bombings and abductions in; evidence-linked records out.

    \b
    Example:
      tollbook ingest reports/ --published 2013-09-03
      tollbook events
      tollbook show r3f2a
    """


# -- ingest ----------------------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", callback=_parse_day, metavar="YYYY-MM-DD",
              help="Publication date for reports whose metadata has none (relative dates are read from it).")
@click.option("--format", "fmt", type=click.Choice(["txt", "html", "jsonl", "csv", "pdf"]), default=None,
              help="Read every file as this format (default: from the file name; '-' is txt).")
@click.option("--encoding", default=None, help="Text encoding of the files (default: UTF-8, strictly).")
@click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A user gazetteer (CSV or YAML) for camps, villages and sites; repeatable.")
@click.option("--max-size-mb", type=float, default=None, help="Refuse files bigger than this (default 50).")
@_cluster_options
@_db_options
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@_handle_errors
def ingest(paths, published, fmt, encoding, gazetteers, max_size_mb, workers, cluster, scheduler, db, config,
           as_json) -> None:
    """Read reports, extract their events and store both, with the original bytes.

    PATHS are .txt, .html/.htm, .pdf, .jsonl or .csv files, directories (read recursively) or '-'
    for standard input. A report whose text is already stored is not stored again (its new
    origin is added to the chain of custody). Bad files are named on stderr, the rest goes
    in, and the exit code is 1.

    \b
    Example:
      tollbook ingest report.txt --published 2013-09-03
      tollbook ingest reports/ batch.jsonl --db cases.db
      tollbook ingest archive/ --cluster local:2
      tollbook ingest archive/ --scheduler tcp://10.0.0.5:8786
    """
    # --gazetteer replaces the config's list (flags win, as for every setting).
    with _open(db, config, create=True, max_size_mb=max_size_mb, gazetteers=tuple(gazetteers) or None) as tb:
        result = _ingest_with_progress(tb, paths, published=published, fmt=fmt, encoding=encoding,
                                       workers=workers, cluster=cluster, scheduler=scheduler)
        for err in result.failed:
            _fail(str(err))
        for w in result.warnings:
            click.echo(f"tollbook: warning: {w.source}: {w.message}", err=True)
        if as_json:
            click.echo(json.dumps(result.to_dict(), indent=2))
        else:
            click.echo(
                f"{len(result.added)} added, {len(result.duplicates)} already stored, "
                f"{len(result.failed)} failed; {result.events} events extracted "
                f"(database: {_shown(tb.settings.db)})",
                err=True,
            )
    if result.failed:
        sys.exit(1)


def _ingest_with_progress(tb: api.Tollbook, paths, *, workers: int = 1, cluster: str | None = None,
                          scheduler: str | None = None, **kwargs: Any) -> api.IngestResult:
    """A progress bar with the total on a terminal; quiet on pipes and in CI. On a cluster the bar
    counts the reports stored as the workers' results come back, and says where they run."""
    _ensure_gazetteer()
    with tb.runner(workers=workers, cluster=cluster, scheduler=scheduler) as runner:
        with _progress(f"reading {runner.where}", _count_reports(paths), "reports") as tick:
            return tb.ingest(paths, stdin=sys.stdin.buffer, runner=runner,
                             progress=(lambda origin, outcome: tick(f"{outcome}: {origin[-50:]}")), **kwargs)


def _ensure_gazetteer() -> None:
    """The one-time build of the gazetteer index (half a minute or more) under a spinner that says so,
    instead of a silent wait on the first command that reads places."""
    from tollbook.extract.gazetteer import cache_dir, ensure_index, index_name

    if (cache_dir() / index_name()).is_file():
        return
    with _progress("building the place index (once, about a minute)", None, ""):
        ensure_index()


def _count_reports(paths) -> int | None:
    """About how many reports ``paths`` hold (files, and the lines or rows of batch files), for the
    progress bar's total; None when unknown (standard input). Cheap: no file is parsed."""
    import os

    total = 0
    for p in paths:
        if str(p) == "-":
            return None
        p = Path(p)
        files = [p] if p.is_file() else [Path(d) / f for d, _, fs in os.walk(p) for f in fs if not f.startswith(".")]
        for f in files:
            if f.suffix.lower() in (".jsonl", ".ndjson", ".csv"):
                try:
                    with f.open("rb") as fh:
                        lines = sum(1 for line in fh if line.strip())
                except OSError:
                    continue
                total += max(0, lines - (f.suffix.lower() == ".csv"))
            else:
                total += 1
    return total


@contextlib.contextmanager
def _progress(what: str, total: int | None, unit: str):
    """Yields ``tick(description)``: a rich progress bar (with ``total`` when known) on a terminal,
    nothing at all when stderr is not one (pipes, CI, tests)."""
    if not sys.stderr.isatty():
        yield lambda description="": None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = [SpinnerColumn(), TextColumn("{task.description}")]
    if total is not None:
        columns += [BarColumn(), MofNCompleteColumn()]
    columns += [TextColumn(unit), TimeElapsedColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=total)

        def tick(description: str = "") -> None:
            bar.update(task, advance=1, description=(description or what)[:60])

        yield tick


# -- fetch / watch: reports from where they are published ------------------------------------------


def _politeness_options(fn: Callable) -> Callable:
    fn = click.option("--timeout", type=float, default=20.0, show_default=True,
                      help="Seconds to wait for a connection or for the next bytes of a page.")(fn)
    fn = click.option("--delay", type=float, default=1.0, show_default=True,
                      help="Seconds between two requests to one host (robots.txt's Crawl-delay when longer).")(fn)
    return fn


@main.command()
@click.argument("urls", nargs=-1, required=True)
@click.option("--published", callback=_parse_day, metavar="YYYY-MM-DD",
              help="Publication date for pages whose metadata has none.")
@click.option("--max-size-mb", type=float, default=None, help="Refuse pages bigger than this (default 50).")
@_politeness_options
@_db_options
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@_handle_errors
def fetch(urls, published, max_size_mb, delay, timeout, db, config, as_json) -> None:
    """Fetch pages (HTML, text or PDF), keep each HTTP exchange as WARC records with the final
    URL, the time and the SHA-256, then extract and store the reports.

    Polite: robots.txt is honoured, requests to one host are spaced by --delay, the user agent
    names tollbook. A URL that cannot be fetched is named on stderr (one line), the rest go on,
    and the exit code is 1. @FILE reads the URLs of a file (one a line), or the `url` field of
    each record of a .jsonl or .csv batch.

    \b
    Example:
      tollbook fetch https://example.org/news/2024/03/09/market-blast
      tollbook fetch @urls.txt --db cases.db
      tollbook fetch @batch.jsonl
    """
    targets = _expand_url_files(urls)
    with _open(db, config, create=True, max_size_mb=max_size_mb) as tb:
        fetcher = tb.fetcher(delay=delay, timeout=timeout)
        try:
            result = tb.fetch(targets, published=published, fetcher=fetcher)
        finally:
            fetcher.close()
        for err in result.ingest.failed:
            _fail(str(err))
        if as_json:
            click.echo(json.dumps(result.to_dict(), indent=2))
        else:
            click.echo(f"{result.count('stored')} stored, {result.count('duplicate')} already stored, "
                       f"{result.count('failed')} failed, {result.count('disallowed')} disallowed by robots.txt; "
                       f"{result.ingest.events} events extracted (database: {_shown(tb.settings.db)})", err=True)
    if result.ingest.failed:
        sys.exit(1)


def _expand_url_files(args: tuple[str, ...]) -> list[str]:
    """URLs as given; @FILE: the URLs of a file, one a line, or the `url` fields of a .jsonl/.csv batch."""
    from tollbook.ingest.feeds import batch_urls, read_feed_list

    out: list[str] = []
    for a in args:
        if not a.startswith("@"):
            out.append(a)
        elif a.lower().endswith((".jsonl", ".ndjson", ".csv")):
            out.extend(batch_urls(a[1:]))
        else:
            out.extend(read_feed_list(a[1:]))
    return out


@main.command()
@click.argument("feeds_file", metavar="FEEDS")
@click.option("--every", default="15m", show_default=True, help="Time between rounds: 90s, 15m, 2h, 1d.")
@click.option("--once", is_flag=True, help="One round, then stop.")
@_politeness_options
@_db_options
@click.option("--json", "as_json", is_flag=True, help="One JSON object per round on stdout.")
@_handle_errors
def watch(feeds_file, every, once, delay, timeout, db, config, as_json) -> None:
    """Poll RSS/Atom feeds and sitemaps; fetch, extract and store their new items; update the
    incidents. One summary line per round; Ctrl-C stops between two reports.

    FEEDS is a file of feed or sitemap URLs, one a line (# comments). Feeds are asked for with
    the ETag / Last-Modified of their last answer, and the items seen are remembered in the
    store, so a round over unchanged feeds fetches nothing.

    \b
    Example:
      tollbook watch feeds.txt --every 15m --db cases.db
      tollbook watch feeds.txt --once
    """
    from tollbook.ingest.feeds import parse_every, read_feed_list

    try:
        seconds = None if once else parse_every(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None
    feeds = read_feed_list(feeds_file)
    rounds = 0

    def report(rnd) -> None:
        nonlocal rounds
        rounds = rnd.number
        for err in rnd.feed_errors:
            _fail(str(err))
        if rnd.fetched:
            for err in rnd.fetched.ingest.failed:
                _fail(str(err))
        if as_json:
            click.echo(json.dumps(rnd.to_dict()))
        click.echo(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%SZ} {rnd.summary()}", err=True)

    with _open(db, config, create=True) as tb:
        fetcher = tb.fetcher(delay=delay, timeout=timeout)
        try:
            tb.watch(feeds, every=seconds, on_round=report, fetcher=fetcher)
        except KeyboardInterrupt:
            click.echo(f"stopped after {rounds} round(s); every report already stored is complete", err=True)
        finally:
            fetcher.close()


# -- reports / events --------------------------------------------------------------------------------


@main.command()
@_db_options
@_output_options
@click.option("--limit", type=int, default=None, help="At most this many reports.")
@_handle_errors
def reports(db, config, as_json, as_csv, limit) -> None:
    """List the stored reports.

    \b
    Example:
      tollbook reports --db cases.db
      tollbook reports --json | jq '.[].title'
    """
    with _open(db, config) as tb:
        rows = [r.to_dict(with_text=False) for r in tb.reports(limit=limit)]
        counts = _event_counts(tb.events())
    for row in rows:
        row["events"] = counts.get(row["id"], 0)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif as_csv:
        write_csv(rows, list(rows[0]) if rows else ["id"], sys.stdout)
    else:
        _table("Reports", ["id", "published", "source", "title", "events"],
               [[r["id"], r["published"] or "unknown", r["source"] or "", (r["title"] or "")[:70], r["events"]]
                for r in rows])


def _event_counts(events: list[Event]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for e in events:
        counts[e.report_id] = counts.get(e.report_id, 0) + 1
    return counts


@main.command()
@_db_options
@_output_options
@click.option("--report", "report_ref", default=None, help="Only the events of this report (id or id prefix).")
@click.option("--main-only", is_flag=True, help="Leave out older incidents that reports only mention.")
@_handle_errors
def events(db, config, as_json, as_csv, report_ref, main_only) -> None:
    """List the events extracted from the reports, one per incident a report tells.

    JSON has every value with its evidence (report id, character offsets, quote).

    \b
    Example:
      tollbook events
      tollbook events --json --report r3f2a
      tollbook events --csv > events.csv
    """
    with _open(db, config) as tb:
        found = tb.events(report=report_ref, role="main" if main_only else None)
        titles = {r.id: r.title or "" for r in tb.reports()} if not (as_json or as_csv) else {}
    if as_json:
        click.echo(json.dumps([e.to_dict() for e in found], indent=2, ensure_ascii=False, default=str))
    elif as_csv:
        write_csv((event_row(e) for e in found), EVENT_COLUMNS, sys.stdout)
    else:
        print_events(found, titles)


def print_events(found: list[Event], titles: dict[str, str]) -> None:
    rows = []
    for e in found:
        when, place = e.when, e.place
        date = "" if when is None else date_span(when.earliest, when.latest)
        where = "" if place is None else ", ".join(x for x in (place.name, place.country) if x)
        rows.append([
            str(e.id), e.report_id[:9], e.role if e.role == "main" else "older", short_type(e.type), date, where,
            figure_cell(e, "killed"), figure_cell(e, "injured"), figure_cell(e, "abducted"),
            perpetrator_summary(e)[:60], "!" * len(e.flags),
        ])
    _table("Events", ["id", "report", "role", "type", "date", "place", "killed", "injured", "abducted",
                      "said to be done by", "flags"], rows)


# ACLED's sub-event types are long ("Shelling/artillery/missile attack"); a table cut them to "Shellin…".
# Tables show these short names whole instead (JSON, CSV and the exports keep ACLED's own spelling).
SHORT_TYPES = {
    "Government regains territory": "Gov regains", "Non-state actor overtakes territory": "NSA takes",
    "Chemical weapon": "Chemical", "Air/drone strike": "Air strike", "Shelling/artillery/missile attack": "Shelling",
    "Remote explosive/landmine/IED": "IED/mine", "Sexual violence": "Sexual viol.",
    "Abduction/forced disappearance": "Abduction", "Peaceful protest": "Protest",
    "Protest with intervention": "Protest+int.", "Excessive force against protesters": "Force v prot",
    "Violent demonstration": "Violent demo", "Change to group/activity": "Group change",
    "Disrupted weapons use": "Disrupted wpn", "Headquarters or base established": "Base set up",
    "Looting/property destruction": "Looting", "Non-violent transfer of territory": "Territory",
    "Organized crime": "Org. crime", "Natural disaster": "Nat. disaster", "Man-made disaster": "Man-made dis.",
}


def short_type(name: str) -> str:
    return SHORT_TYPES.get(name, name)


# Columns of free text: cut with an ellipsis to fit; every other value (ids, dates, counts) is never wrapped.
_TEXT_COLUMNS = {"title": 40, "place": 20, "said to be done by": 24, "reason": 30, "touched": 34, "source": 20,
                 "value": 22, "words": 22, "what the rule reads": 30, "wrong fields": 30}
TABLE_WIDTH = 100  # what a table fits in when the output is not a terminal (a file, a pipe, a narrow window)


def _table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    """A table that fits the terminal (``TABLE_WIDTH`` when not on one): ids, dates and counts
    whole on one line, free text cut with an ellipsis to the room that is left."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    width = console.width if console.is_terminal else TABLE_WIDTH
    widths = [max([len(h)] + [len(str(r[n])) for r in rows]) for n, h in enumerate(header)]
    text_cols = [n for n, h in enumerate(header) if h in _TEXT_COLUMNS]
    room = width - 2 * len(header) - 2 - sum(w for n, w in enumerate(widths) if n not in text_cols)
    want = {n: min(widths[n], _TEXT_COLUMNS[header[n]]) for n in text_cols}
    if text_cols and sum(want.values()) > room:
        share = max(room, 4 * len(text_cols)) / sum(want.values())
        want = {n: max(4, int(w * share)) for n, w in want.items()}
    table = Table(title=f"{title} ({len(rows)})", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  padding=(0, 1), collapse_padding=True)
    for n, h in enumerate(header):
        table.add_column(h, no_wrap=True, overflow="ellipsis", width=want.get(n, widths[n]),
                         justify="right" if h in ("killed", "injured", "abducted") else "left")
    for row in rows:
        # Values are passed as plain Text: report text must never be read as rich markup; a line break
        # inside a quote would make a row of its own
        table.add_row(*[Text(" ".join(str(v).split())) for v in row])
    Console(width=width).print(table)


# -- incidents / export --------------------------------------------------------------------------------


@main.command()
@_db_options
@_output_options
@_handle_errors
def incidents(db, config, as_json, as_csv) -> None:
    """List incidents: the events of all reports grouped and their figures reconciled into
    low / best / high, with the number of reports and distinct sources behind each.

    \b
    Example:
      tollbook incidents
      tollbook incidents --json
    """
    from tollbook.export.formats import export

    with _open(db, config) as tb:
        found = tb.incidents()
        reports = {r.id: r for r in tb.reports()}
    if as_json or as_csv:
        export(found, reports, "json" if as_json else "csv", sys.stdout)
        return
    print_incidents(found)


@main.command()
@_db_options
@click.option("--cluster", metavar="local:N", default=None,
              help="Group in partitions by place and time on a Dask cluster of N processes started here.")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Group in partitions on the Dask cluster of this scheduler.")
@_handle_errors
def regroup(db, config, cluster, scheduler) -> None:
    """Group every report again, weighing words by the whole collection as it is now.

    Adding reports regroups only the incidents they reach, with the word weights of the last full
    grouping, so that incidents nobody touched stay as they are; these weights are renewed by
    themselves when the collection has doubled. Reviewed decisions are kept either way.

    With --cluster or --scheduler the grouping runs in partitions by place and time, as Dask
    tasks, and gives the same incidents (docs/scale.md).

    \b
    Example:
      tollbook regroup --db cases.db
      tollbook regroup --db cases.db --cluster local:2
    """
    with _open(db, config) as tb, _progress("grouping every report again", None, ""):
        done = tb.regroup(cluster=cluster, scheduler=scheduler)
    click.echo(f"{done.get('total', 0)} incidents ({done.get('added', 0)} new, {done.get('changed', 0)} changed, "
               f"{done.get('removed', 0)} gone)", err=True)


def _lbh(inc, kind: str) -> str:
    """'14', '52+' (low 52, high open), '3–5–8' (low–best–high); never 'None'."""
    f = inc.figure(kind)
    if f is None:
        return ""
    return figure_span(f.low, f.best, f.high)


def print_incidents(found) -> None:
    rows = []
    for inc in found:
        date = date_span(inc.earliest, inc.latest)
        p = inc.place
        where = "" if p is None else ", ".join(x for x in (p.city or p.name, p.country) if x)
        rows.append([inc.id, short_type(inc.type), date, where, _lbh(inc, "killed"), _lbh(inc, "injured"),
                     _lbh(inc, "abducted"), f"{len(inc.reports)}/{inc.sources}", "!" * len(inc.flags)])
    _table("Incidents (killed etc. as low–best–high; reports/sources)",
           ["id", "type", "date", "place", "killed", "injured", "abducted", "rep/src", "flags"], rows)


@main.command()
@click.argument("incident_ref", metavar="INCIDENT")
@_db_options
@click.option("--json", "as_json", is_flag=True, help="The incident as JSON.")
@_handle_errors
def incident(incident_ref, db, config, as_json) -> None:
    """Show one incident: its reconciled figures with the history of each, its reports and flags.

    \b
    Example:
      tollbook incident i3
    """
    with _open(db, config) as tb:
        inc = tb.incident(incident_ref)
        reports = {r.id: r for r in tb.reports()}
    if as_json:
        click.echo(json.dumps(inc.to_dict(), indent=2, default=str))
        return
    print_incidents([inc])
    from rich.console import Console
    from rich.text import Text

    console = Console()
    for f in inc.figures:
        console.print(Text(f"{f.kind}: low {_n(f.low)}, best {_n(f.best)}, high {_n(f.high, 'open')}", style="bold"))
        for s in f.sources:
            value = figure_span(s.low, None, s.high)
            console.print(Text(f"  {s.published or '?'}  {s.source or s.report_id}: {value} ({s.qualifier})"))
    for rid in inc.reports:
        r = reports.get(rid)
        console.print(Text(f"report {rid}  {r.published if r else ''}  {(r.title or '') if r else ''}", style="dim"))
    for flag in inc.flags:
        console.print(Text(f"flag: {flag}", style="bold red"))
        for ev in flag.evidence:
            console.print(Text(f"  {ev.report_id} [{ev.start}:{ev.end}] {ev.quote!r}", style="red"))


def date_span(earliest: dt.date | None, latest: dt.date | None) -> str:
    """'2024-05-01', '2024-05-01..03', '2024-04-28..05-02', '2019' (a whole year), 'unknown'."""
    if earliest is None or latest is None:
        return "unknown"  # no date the report gives can be trusted (none, or no publication date to read it)
    if earliest == latest:
        return earliest.isoformat()
    if (earliest.month, earliest.day, latest.month, latest.day) == (1, 1, 12, 31) and earliest.year == latest.year:
        return str(earliest.year)
    if earliest.year != latest.year:
        return f"{earliest}..{latest}"
    if earliest.month != latest.month:
        return f"{earliest}..{latest.isoformat()[5:]}"
    return f"{earliest}..{latest.isoformat()[8:]}"


def _n(value: int | None, none: str = "?") -> str:
    return none if value is None else str(value)


def _review_options(fn: Callable) -> Callable:
    fn = click.option("--reason", required=True, help="Why (kept in the review log).")(fn)
    fn = click.option("--editor", envvar="TOLLBOOK_EDITOR", required=True,
                      help="Who decides (or TOLLBOOK_EDITOR); kept in the review log.")(fn)
    return fn


def _logged(entry: dict) -> None:
    click.echo(f"logged review {entry['id']}: {entry['action']} by {entry['editor']} at {entry['at']}", err=True)


@main.command()
@click.argument("a")
@click.argument("b")
@_review_options
@_db_options
@_handle_errors
def merge(a, b, editor, reason, db, config) -> None:
    """Merge two incidents into one (kept when extraction or grouping runs again).

    \b
    Example:
      tollbook merge i1a2b3c4 i5d6e7f8 --editor ana --reason "same market, same day"
    """
    with _open(db, config) as tb:
        _logged(tb.merge(a, b, editor=editor, reason=reason))


@main.command()
@click.argument("incident_ref", metavar="INCIDENT")
@click.argument("reports", nargs=-1, required=True, metavar="REPORT|EVENT...")
@_review_options
@_db_options
@_handle_errors
def split(incident_ref, reports, editor, reason, db, config) -> None:
    """Split reports or single events out of an incident into an incident of their own.

    Name a report (all its events in the incident), an event ref like r42f36ceb#1 (see
    `tollbook incident INCIDENT --json`, "refs") or an event id (see `tollbook events`).

    \b
    Example:
      tollbook split i1a2b3c4 r42f36ceb --editor ana --reason "a second blast, in another street"
      tollbook split i1a2b3c4 r42f36ceb#1 --editor ana --reason "the report's second attack"
    """
    with _open(db, config) as tb:
        _logged(tb.split(incident_ref, list(reports), editor=editor, reason=reason))


@main.command()
@click.argument("report_ref", metavar="REPORT")
@click.argument("to", metavar="INCIDENT")
@_review_options
@_db_options
@_handle_errors
def move(report_ref, to, editor, reason, db, config) -> None:
    """Move a report (its events) to another incident.

    \b
    Example:
      tollbook move r42f36ceb i5d6e7f8 --editor ana --reason "the report is about the Kerrin raid"
    """
    with _open(db, config) as tb:
        _logged(tb.move(report_ref, to, editor=editor, reason=reason))


@main.command()
@click.argument("incident_ref", metavar="INCIDENT")
@click.argument("kind")
@click.option("--low", type=int, default=None)
@click.option("--best", type=int, default=None)
@click.option("--high", type=int, default=None)
@click.option("--wrong", is_flag=True, help="Mark the reconciled figure wrong instead.")
@_review_options
@_db_options
@_handle_errors
def correct(incident_ref, kind, low, best, high, wrong, editor, reason, db, config) -> None:
    """Correct a reconciled figure of an incident (the machine's value is kept beside it).

    \b
    Example:
      tollbook correct i1a2b3c4 killed --best 22 --editor ana --reason "hospital list of 12 March"
    """
    parts = [(p, v) for p, v in (("low", low), ("best", best), ("high", high)) if v is not None]
    with _open(db, config) as tb:
        if wrong:
            _logged(tb.correct(incident_ref, kind, wrong=True, editor=editor, reason=reason))
            return
        if not parts:
            raise click.UsageError("give --low, --best or --high (or --wrong)")
        for part, value in parts:
            _logged(tb.correct(incident_ref, kind, part=part, value=value, editor=editor, reason=reason))


@main.command("log")
@_db_options
@click.option("--json", "as_json", is_flag=True, help="The log as JSON.")
@_handle_errors
def review_log(db, config, as_json) -> None:
    """The review log: every decision people took, with who, when and why (append-only).

    \b
    Example:
      tollbook log --json
    """
    with _open(db, config) as tb:
        entries = tb.review_log()
    if as_json:
        click.echo(json.dumps(entries, indent=2, default=str))
        return
    _table("Review log", ["id", "at", "editor", "action", "touched", "reason"],
           [[e["id"], str(e["at"])[:16], e["editor"],
             e["action"] + (f" (withdrawn in {e['withdrawn']['review']})" if e["withdrawn"] else ""),
             e["summary"], e["reason"]] for e in entries])


@main.command()
@click.argument("review_id", metavar="DECISION", type=int)
@_review_options
@_db_options
@_handle_errors
def withdraw(review_id, editor, reason, db, config) -> None:
    """Withdraw a decision of the review log: it stays in the log, marked withdrawn, and no longer counts.

    \b
    Example:
      tollbook withdraw 7 --editor ana --reason "the two markets are different places"
    """
    with _open(db, config) as tb:
        _logged(tb.withdraw(review_id, editor=editor, reason=reason))


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "geojson", "acled", "ucdp"]), default="csv",
              show_default=True, help="csv/json: tollbook's columns; acled/ucdp: those datasets' columns.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file (default: standard output).")
@_db_options
@_handle_errors
def export_(fmt, output, db, config) -> None:
    """Export the incidents for spreadsheets, GIS and the field's datasets.

    \b
    Example:
      tollbook export --format geojson -o incidents.geojson
      tollbook export --format acled > acled.csv
    """
    from tollbook.export.formats import export

    with _open(db, config) as tb:
        found = tb.incidents()
        reports = {r.id: r for r in tb.reports()}
    if output is None:
        export(found, reports, fmt, sys.stdout)
        return
    tmp = Path(output).with_suffix(Path(output).suffix + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        export(found, reports, fmt, fh)
    tmp.replace(output)  # never a half-written export
    click.echo(f"{len(found)} incidents written to {output}", err=True)


def _by_rule(dataset: str, details) -> list[dict]:
    from tollbook.evaluate import by_rule

    rules = by_rule(details)
    if not rules:
        raise click.UsageError(f"--by-rule: the {dataset} scorer does not judge values one by one")
    return rules


# -- show ----------------------------------------------------------------------------------------------


@main.command()
@click.argument("report_ref", metavar="REPORT")
@_db_options
@click.option("--json", "as_json", is_flag=True, help="The report, its events and custody as JSON.")
@click.option("--trace", is_flag=True, help="Also list every value with the extraction rule that made it.")
@_handle_errors
def show(report_ref, db, config, as_json, trace) -> None:
    """Show a report with every extracted value highlighted and labelled.

    REPORT is a report id or the start of one (see `tollbook reports`). With --trace, every value is
    listed with the id and summary of the rule that read it (docs/extraction.md lists the rules).

    \b
    Example:
      tollbook show r3f2a --trace
    """
    with _open(db, config) as tb:
        report = tb.report(report_ref)
        found = tb.events(report=report.id)
        custody = tb.custody(report.id)
    if as_json:
        out = {"report": report.to_dict(), "events": [e.to_dict() for e in found], "custody": custody}
        click.echo(json.dumps(out, indent=2, ensure_ascii=False, default=str))
        return
    print_report(report, found, custody)
    if trace:
        print_trace(found)


def print_trace(found: list[Event]) -> None:
    """One row per value: what it is, its words, and the rule that read them."""
    from tollbook.extract.rules import all_rules

    summaries = {r.id: r.summary for r in all_rules()}
    rows = []
    for e in found:
        for label, record in e.traced_values():
            quote = record.evidence[0].quote if record.evidence else ""
            rule = record.rule or "-"
            rows.append([e.role, label, quote, rule, summaries.get(record.rule, "(made before rules were recorded)"
                                                                   if not record.rule else "(unknown rule)")])
    _table("rules that read the values", ["event", "value", "words", "rule", "what the rule reads"], rows)


def print_report(report: Report, found: list[Event], custody: list[dict] | None = None) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console()
    styles = {"killed": "bold white on red", "injured": "black on yellow", "abducted": "white on magenta",
              "date": "black on cyan", "place": "black on green", "perpetrator": "bold underline",
              "event": "italic", "victim": "underline"}
    head = Text(report.title or "(no title)", style="bold")
    head.append(f"\n{report.id}  published {report.published or '?'}  {report.source or ''}  sha256 {report.sha256}",
                style="dim")
    console.print(head)
    text = Text(report.text)
    legend: list[tuple[int, str, str, str]] = []
    marks: list[tuple[int, int]] = []
    for e in found:
        for label, ev in e.all_evidence():
            key = label.split(":")[0].split(" ")[0]
            style = styles.get(key, "reverse")
            text.stylize(style, ev.start, ev.end)
            legend.append((len(legend) + 1, f"{'older ' if e.role != 'main' else ''}{label}", ev.quote, style))
            marks.append((ev.end, len(legend)))
    # Numbers after each span, inserted from the end so that earlier offsets stay right.
    for end, n in sorted(marks, reverse=True):
        text = text[:end] + Text(f"[{n}]", style="dim") + text[end:]
    console.print(text)
    console.print()
    for n, label, quote, style in legend:
        line = Text(f"[{n}] ", style="dim")
        line.append(label, style=style)
        line.append(f"  \u201c{quote}\u201d", style="dim")
        console.print(line)
    for e in found:
        for f in e.flags:
            console.print(Text(f"flag ({e.type}, {e.role}): {f.message}", style="bold red"))
    if custody:
        console.print(Text("custody: " + "; ".join(
            f"{c['origin']} at {c['received_at']} (original sha256 {c['original_sha256'][:12]}…)" for c in custody),
            style="dim"))


# -- extract / demo --------------------------------------------------------------------------------------


@main.command()
@_db_options
@click.option("--all", "all_reports", is_flag=True,
              help="Re-read every report, not only those an older extractor read.")
@_cluster_options
@_handle_errors
def extract(db, config, all_reports, workers, cluster, scheduler) -> None:
    """Extract events again with the current extractor. Earlier events are kept, marked not current.

    \b
    Example:
      tollbook extract --db cases.db --all
      tollbook extract --db cases.db --all --cluster local:2
    """
    _ensure_gazetteer()
    with _open(db, config) as tb, tb.runner(workers=workers, cluster=cluster, scheduler=scheduler) as runner:
        stale = tb.reports_to_extract(all_reports=all_reports)
        with _progress(f"extracting {runner.where}", len(stale), "reports") as tick:
            n = tb.reextract(all_reports=all_reports, runner=runner,
                             progress=lambda report_id, outcome: tick(f"{outcome}: {report_id}"))
    click.echo(f"{n} reports extracted again", err=True)


@main.command()
@click.option("--db", "db", default="demo.db", show_default=True, metavar="PATH", help="Where to build the demo store.")
@_handle_errors
def demo(db) -> None:
    """Build a demo store from the example reports bundled with tollbook and print its events.

    Re-running it adds nothing (the reports are already stored) and prints the same table.

    \b
    Example:
      tollbook demo --db demo.db
    """
    from tollbook.evaluate.examples import examples_dir

    folder = examples_dir()
    gazetteer = folder / "gazetteer.csv"
    with api.open(db, gazetteers=(str(gazetteer),)) as tb:
        result = tb.ingest([folder / "reports"])
        for err in result.failed:
            _fail(str(err))
        click.echo(f"{len(result.added)} reports added, {len(result.duplicates)} already stored "
                   f"(database: {db})", err=True)
        found = tb.events()
        titles = {r.id: r.title or "" for r in tb.reports()}
        grouped = tb.incidents()
    print_events(found, titles)
    print_incidents(grouped)
    if result.failed:
        sys.exit(1)


@main.command("eval")
@click.argument("dataset", type=click.Choice(["gvdb", "muc4", "seed", "gva", "semeval2018t5", "case2021"]))
@click.argument("path", type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="One JSON object: the metrics (fractions 0..1) and n.")
@click.option("--workers", type=int, default=None, help="Processes for extraction (default: up to 4, one per core).")
@click.option("--limit", type=int, default=None, help="Score only the first N records.")
@click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A user gazetteer (CSV or YAML); repeatable.")
@click.option("--vague-reading", type=click.Choice(["plain", "acled"]), default="plain",
              help="How to read 'dozens', 'hundreds' (see docs/extraction.md).")
@click.option("--answers-out", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="semeval2018t5: write DIR/s1/answers.json, s2/..., s3/... in the task's answer format.")
@click.option("--by-rule", is_flag=True,
              help="Break the errors down by the extraction rule that made each value scored.")
@click.option("--gtt-out", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="muc4: write the predicted templates to FILE in GTT's preds format (for GTT's eval.py).")
@_handle_errors
def eval_(dataset, path, as_json, workers, limit, gazetteers, vague_reading, answers_out, by_rule, gtt_out) -> None:
    """Measure tollbook on gold data: gvdb, muc4, gva (a dev.jsonl or its folder), seed (a folder
    with report.txt and expected.json), semeval2018t5 (a folder with s1.json, s2.json, s3.json and
    documents.jsonl; --limit keeps the first N documents) or case2021 (a dev.jsonl of labelled
    snippets: ACLED's sub-event types). Metrics are defined in docs/evaluation.md.

    \b
    Example:
      tollbook eval gvdb ../shared/data/gvdb/dev.jsonl --json
      tollbook eval seed ../shared/data/seed
      tollbook eval semeval2018t5 ../shared/data/semeval2018t5/trial --answers-out answers/
      tollbook eval muc4 ../shared/data/muc4/dev.jsonl --gtt-out preds.json
      tollbook eval case2021 ../shared/data/case2021/dev.jsonl
    """
    if answers_out and dataset != "semeval2018t5":
        raise click.UsageError("--answers-out is for semeval2018t5 only")
    if gtt_out and dataset != "muc4":
        raise click.UsageError("--gtt-out is for muc4 only")
    from tollbook.evaluate import evaluate
    from tollbook.extract.parallel import default_workers
    from tollbook.extract.pipeline import ExtractOptions

    _ensure_gazetteer()
    with _progress(f"evaluating on {dataset}", None, ""):
        metrics, details = evaluate(dataset, path, workers=workers or default_workers(), limit=limit,
                                    gazetteers=tuple(gazetteers), options=ExtractOptions(vague_reading=vague_reading))
    written = details.write(answers_out) if answers_out else []
    if gtt_out:
        from tollbook.evaluate.muc4 import write_gtt

        written = [write_gtt(details, gtt_out)]
    rules = _by_rule(dataset, details) if by_rule else None
    if as_json:
        out = {k: round(v, 4) if isinstance(v, float) else v for k, v in metrics.items()}
        if rules is not None:
            out["by_rule"] = rules
        click.echo(json.dumps(out))
        for p in written:
            click.echo(f"answers written to {p}", err=True)
        return
    click.echo(f"{dataset}: {path}", err=True)
    _table(dataset, ["metric", "value"],
           [[k, f"{v:.3f}" if isinstance(v, float) else v] for k, v in metrics.items()])
    if dataset == "case2021":
        from tollbook.evaluate.case2021 import label_table

        _table("case2021 per label", ["label", "precision", "recall", "F1", "support", "most often taken for"],
               label_table(details))
    if dataset == "seed":
        for c in details:
            if not c.ok:
                click.echo(f"  not held: {c.name}  ({c.detail})")
    if rules is not None:
        _table("errors by rule", ["rule", "scored", "wrong", "wrong fields"],
               [[r["rule"], r["scored"], r["wrong"], ", ".join(f"{f} {n}" for f, n in r["fields"].items())]
                for r in rules])
    for p in written:
        click.echo(f"answers written to {p}", err=True)


@main.command("datasette-metadata")
@_db_options
@_handle_errors
def datasette_metadata(db, config) -> None:
    """Print Datasette's metadata for the store (tables, columns, facets; editors' tables denied).

    The incident index is brought up to date first, so Datasette shows the incidents as the web
    app does. See docs/serve.md.

    \b
    Example:
      tollbook datasette-metadata --db cases.db > metadata.json
      datasette cases.db --metadata metadata.json
    """
    from tollbook.serve.datasette import metadata_of

    tb = _open(db, config)
    try:
        tb.refresh_index()
        click.echo(json.dumps(metadata_of(tb.store), indent=2))
    finally:
        tb.close()


@main.command()
@_db_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface: put a TLS proxy in front).")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--tile-url", default=None, metavar="URL",
              help="A map tile server, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png, or 'none' "
                   "(default: the bundled offline base map).")
@_handle_errors
def serve(db, config, host, port, tile_url) -> None:
    """Serve the record: web pages (map, timeline, incidents, reports) and the JSON API under /api/.

    Read-only for everyone; editing needs an editor's login (`tollbook editor add NAME`) or an API
    token (`tollbook token create NAME`). Stop with Ctrl-C.

    \b
    Example:
      tollbook serve --db demo.db --port 8000
    """
    import uvicorn

    from tollbook.serve import create_app

    tb = _open(db, config)
    done = tb.refresh_index()  # regroup now, not on the first visitor's request
    if not done.get("fresh"):
        click.echo(f"incident index: {done['total']} incidents ({done['added']} new, {done['changed']} changed)",
                   err=True)
    app = create_app(tb=tb, tile_url=tile_url)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    click.echo(f"tollbook: serving {tb.store.url} at http://{shown}:{port}/ (API docs at /api/docs; Ctrl-C stops)",
               err=True)
    from tollbook.store import accounts

    with tb.store.engine.connect() as conn:
        if not accounts.editors(conn):
            click.echo("read-only: no editors yet (add one with `tollbook editor add NAME"
                       + (f" --db {db}`)" if db else "`)"), err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.group()
def editor() -> None:
    """Editor accounts: people who may merge, split and correct from the web pages."""


@editor.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@_db_options
@_handle_errors
def editor_add(name, password_stdin, db, config) -> None:
    """Add an editor; asks for the password (stored as an Argon2id hash, never in clear).

    \b
    Example:
      tollbook editor add amira --db demo.db
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _open(db, config, create=True) as tb:
        tb.add_editor(name, password)
    click.echo(f"editor {name} added", err=True)


@editor.command("list")
@_db_options
@_handle_errors
def editor_list(db, config) -> None:
    """The editors' names.

    \b
    Example:
      tollbook editor list --db demo.db
    """
    from tollbook.store import accounts

    with _open(db, config) as tb, tb.store.engine.connect() as conn:
        for name in accounts.editors(conn):
            click.echo(name)


@main.group()
def token() -> None:
    """API tokens: let a script edit through the HTTP API as an editor."""


@token.command("create")
@click.argument("editor_name", metavar="EDITOR")
@click.option("--label", default="", help="What the token is for (kept with it).")
@_db_options
@_handle_errors
def token_create(editor_name, label, db, config) -> None:
    """Create a token for EDITOR and print it once (only its SHA-256 is stored).

    \b
    Example:
      tollbook token create amira --label "import script" --db demo.db
    """
    with _open(db, config) as tb:
        click.echo(tb.create_token(editor_name, label))


if __name__ == "__main__":  # pragma: no cover
    main()
