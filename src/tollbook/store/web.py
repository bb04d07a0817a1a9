"""The store's side of reports from the web (migration 0008): captures with their WARC records,
the feeds `tollbook watch` polls and the items it has seen, stories of syndicated copies, and
the page starts of PDF reports. Functions over a connection, called from ``tollbook.api``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from tollbook.store import schema as s


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def put_capture(conn: Connection, capture: Any, report_id: str | None) -> int:
    return conn.execute(insert(s.captures).values(
        url=capture.url, final_url=capture.final_url, status=capture.status, retrieved_at=capture.retrieved_at,
        sha256=capture.sha256, report_id=report_id, warc=capture.warc, warc_sha256=capture.warc_sha256,
    )).inserted_primary_key[0]


def captures(conn: Connection, report_id: str) -> list[dict[str, Any]]:
    """The captures of a report, without their WARC bytes."""
    cols = [c for c in s.captures.c if c.name != "warc"]
    rows = conn.execute(select(*cols).where(s.captures.c.report_id == report_id).order_by(s.captures.c.id))
    return [dict(r._mapping) for r in rows]


def warc(conn: Connection, capture_id: int) -> bytes | None:
    data = conn.execute(select(s.captures.c.warc).where(s.captures.c.id == capture_id)).scalar()
    return bytes(data) if data is not None else None


# -- feeds ----------------------------------------------------------------------------------------

def feed_validators(conn: Connection, url: str) -> tuple[str | None, str | None]:
    row = conn.execute(select(s.feeds.c.etag, s.feeds.c.last_modified).where(s.feeds.c.url == url)).first()
    return (row[0], row[1]) if row else (None, None)


def save_feed(conn: Connection, url: str, etag: str | None, last_modified: str | None) -> None:
    now = _now()
    if conn.execute(select(s.feeds.c.url).where(s.feeds.c.url == url)).first():
        values: dict[str, Any] = {"checked_at": now}
        if etag is not None or last_modified is not None:
            values |= {"etag": etag, "last_modified": last_modified}
        conn.execute(update(s.feeds).where(s.feeds.c.url == url).values(**values))
    else:
        conn.execute(insert(s.feeds).values(url=url, etag=etag, last_modified=last_modified, checked_at=now))


def seen_items(conn: Connection, urls: Iterable[str]) -> dict[str, tuple[str, int]]:
    """The items among ``urls`` already seen: url -> (outcome, attempts)."""
    urls = list(dict.fromkeys(urls))
    out: dict[str, tuple[str, int]] = {}
    for i in range(0, len(urls), 500):
        chunk = urls[i:i + 500]
        for r in conn.execute(select(s.feed_items.c.url, s.feed_items.c.outcome, s.feed_items.c.attempts)
                              .where(s.feed_items.c.url.in_(chunk))):
            out[r[0]] = (r[1], r[2])
    return out


def mark_item(conn: Connection, url: str, feed: str, outcome: str, *, reason: str | None = None,
              report_id: str | None = None) -> None:
    row = conn.execute(select(s.feed_items.c.attempts).where(s.feed_items.c.url == url)).first()
    if row is None:
        conn.execute(insert(s.feed_items).values(url=url, feed=feed, first_seen=_now(), outcome=outcome,
                                                 attempts=1, reason=reason, report_id=report_id))
    else:
        conn.execute(update(s.feed_items).where(s.feed_items.c.url == url).values(
            outcome=outcome, attempts=row[0] + 1, reason=reason, report_id=report_id))


def feed_items(conn: Connection, feed: str | None = None) -> list[dict[str, Any]]:
    q = select(s.feed_items).order_by(s.feed_items.c.first_seen, s.feed_items.c.url)
    if feed is not None:
        q = q.where(s.feed_items.c.feed == feed)
    return [dict(r._mapping) for r in conn.execute(q)]


# -- stories and pages ------------------------------------------------------------------------------

def story_rows(conn: Connection) -> list[tuple[str, str, bytes | None]]:
    return [(r[0], r[1], bytes(r[2]) if r[2] is not None else None)
            for r in conn.execute(select(s.stories.c.report_id, s.stories.c.story_id, s.stories.c.signature))]


def count_stories(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(s.stories)).scalar_one()


def stories(conn: Connection) -> dict[str, str]:
    """report id -> story id, for every report filed."""
    return {r[0]: r[1] for r in conn.execute(select(s.stories.c.report_id, s.stories.c.story_id))}


def put_story(conn: Connection, report_id: str, story_id: str, signature: bytes | None) -> None:
    if conn.execute(select(s.stories.c.report_id).where(s.stories.c.report_id == report_id)).first() is None:
        conn.execute(insert(s.stories).values(report_id=report_id, story_id=story_id, signature=signature))


def put_pages(conn: Connection, report_id: str, starts: Iterable[int]) -> None:
    if conn.execute(select(s.report_pages.c.report_id).where(s.report_pages.c.report_id == report_id)).first():
        return
    conn.execute(insert(s.report_pages).values(report_id=report_id, starts=list(starts)))


def pages(conn: Connection, report_id: str) -> tuple[int, ...]:
    starts = conn.execute(select(s.report_pages.c.starts).where(s.report_pages.c.report_id == report_id)).scalar()
    return tuple(starts or ())
