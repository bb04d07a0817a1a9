"""Feeds: RSS and Atom (read by ``feedparser``) and XML sitemaps, as lists of report URLs.

``tollbook watch FEEDS`` reads a file of feed URLs (one a line, ``#`` comments) and polls them
(``Tollbook.watch_round``): each feed is asked for with the ETag / Last-Modified of its last
answer, so an unchanged feed costs one short 304 reply; the items it lists that the store has
not seen are fetched (``ingest.fetch``), extracted and stored, and the incidents updated.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from tollbook.errors import IngestError

_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def read_feed_list(path: str | Path) -> list[str]:
    """The feed URLs of a file: one a line; blank lines and ``#`` comments are left out."""
    p = Path(path)
    try:
        lines = p.read_text("utf-8").splitlines()
    except FileNotFoundError:
        raise IngestError(str(path), "no such file (a list of feed URLs, one a line)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(str(path), f"cannot read the list of feeds: {exc}") from None
    urls = []
    for n, line in enumerate(lines, start=1):
        line = line.split(" #", 1)[0].strip()  # a comment after the URL
        if not line or line.startswith("#"):
            continue
        parts = urlsplit(line)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise IngestError(f"{path}:line {n}", f"not an http(s) feed URL: {line[:80]!r}")
        urls.append(line)
    if not urls:
        raise IngestError(str(path), "no feed URLs in the file")
    return list(dict.fromkeys(urls))


def batch_urls(path: str | Path) -> list[str]:
    """The `url` fields of a .jsonl or .csv batch (docs/ingest.md), each once, in order."""
    import csv
    import json

    p = Path(path)
    try:
        text = p.read_text("utf-8")
    except FileNotFoundError:
        raise IngestError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(str(path), f"cannot read: {exc}") from None
    if p.suffix.lower() == ".csv":
        rows = list(csv.DictReader(text.splitlines()))
        urls = [(r.get("url") or "").strip() for r in rows]
    else:
        urls = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise IngestError(f"{path}:line {n}", f"malformed JSON ({exc.msg})") from None
            urls.append(str(record.get("url") or "").strip() if isinstance(record, dict) else "")
    urls = [u for u in urls if u]
    if not urls:
        raise IngestError(str(path), "no record has a 'url' field")
    return list(dict.fromkeys(urls))


def item_urls(data: bytes, base_url: str) -> list[str]:
    """The report URLs a feed or sitemap lists, in its order, each once. Raises ``IngestError``
    when the bytes are neither."""
    head = data[:4096].lstrip()
    if re.search(rb"<(?:\w+:)?(?:urlset|sitemapindex)\b", head):
        return _sitemap_urls(data, base_url)
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": base_url})
    if parsed.get("bozo") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise IngestError(base_url, f"not an RSS/Atom feed or sitemap ({type(reason).__name__ if reason else 'empty'})")
    urls = []
    for entry in parsed.entries:
        link = entry.get("link") or next((lk.get("href") for lk in entry.get("links", []) if lk.get("href")), None)
        if link:
            urls.append(urljoin(base_url, link.strip()))
    return list(dict.fromkeys(u for u in urls if urlsplit(u).scheme in ("http", "https")))


def _sitemap_urls(data: bytes, base_url: str) -> list[str]:
    from lxml import etree

    # no entities, no network: a sitemap is data from elsewhere
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise IngestError(base_url, f"malformed sitemap XML ({exc.msg})") from None
    locs = [el.text.strip() for el in root.iter(f"{_SITEMAP_NS}loc", "loc") if el.text and el.text.strip()]
    # a sitemap index lists sitemaps, not pages: their URLs are returned for the caller to read
    return list(dict.fromkeys(urljoin(base_url, u) for u in locs))


def is_sitemap_index(data: bytes) -> bool:
    return re.search(rb"<(?:\w+:)?sitemapindex\b", data[:4096]) is not None


_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.I)
_UNIT = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}


def parse_every(text: str) -> float:
    """"15m", "90s", "2h", "1d" (a bare number is minutes) -> seconds."""
    m = _EVERY.match(text or "")
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"--every takes a duration like 15m, 90s, 2h or 1d, not {text!r}")
    return float(m.group(1)) * _UNIT[(m.group(2) or "m").lower()]
