"""Where a report comes from: its outlet from the URL (archive wrappers unwrapped), and the
publication date from a batch record's own field names.

An archived copy (``web.archive.org/web/20140330185038/http://www.wnct.com/story/...``,
``archive.today/2016.01.02-030405/http://...``) is the outlet's report, not the archive's: the
outlet is the registrable domain of the original URL (``wnct.com``), with a readable name
(``WNCT``). Two copies of one outlet's report are one source, not two.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import unquote, urlsplit

# Archive services that keep a copy of a page under their own address, the original URL inside it.
ARCHIVE_HOSTS = ("web.archive.org", "wayback.archive.org", "archive.org", "archive.today", "archive.is",
                 "archive.ph", "archive.li", "archive.vn", "archive.md", "archive.fo", "webcache.googleusercontent.com",
                 "webarchive.loc.gov", "webarchive.nationalarchives.gov.uk", "arquivo.pt", "archive-it.org",
                 "wayback.archive-it.org")
_INNER_URL = re.compile(r"(?:https?:/{1,2}|(?<=/)www\.)[^\s]+", re.I)
# Second-level labels under which a country's domains are registered ("bbc.co.uk", "smh.com.au").
_SECOND_LEVEL = {"co", "com", "net", "org", "gov", "ac", "edu", "news", "go", "or", "ne", "gob", "nic", "mil"}

# A batch record's publication date goes by many names (scrapers, GVA, schema.org); the first present wins.
DATE_FIELDS = ("published", "date", "pubdate", "publication_date", "datePublished", "date_published",
               "published_at", "publishedAt")


def _host(url: str) -> str:
    """The lower-case host of a URL; "" for none, or for a malformed URL ("http://[::1")."""
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


def unwrap_archive(url: str | None) -> str | None:
    """The original URL of an archived copy; any other URL as it is."""
    if not url:
        return url
    host = _host(url)
    if not any(host == h or host.endswith("." + h) for h in ARCHIVE_HOSTS):
        return url
    path = url.strip().split(host, 1)[-1]
    m = _INNER_URL.search(unquote(path))
    if not m:
        return url
    inner = m.group(0)
    if not inner.lower().startswith("http"):
        inner = "http://" + inner
    return re.sub(r"^(https?):/(?=[^/])", r"\1://", inner, flags=re.I)  # "http:/www.x.com" as some archives write it


def registrable_domain(url: str | None) -> str | None:
    """'http://www.wnct.com/story/1' -> 'wnct.com'; 'https://news.bbc.co.uk/x' -> 'bbc.co.uk'."""
    host = _host(url).rstrip(".") if url else ""
    if not host or re.fullmatch(r"[\d.]+", host):
        return host or None
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def outlet_name(domain: str | None) -> str | None:
    """A readable name for a domain: 'wnct.com' -> 'WNCT', 'chicagotribune.com' -> 'Chicagotribune',
    'bbc.co.uk' -> 'BBC'. Call signs and short names are in capitals, as the outlets write them."""
    if not domain:
        return None
    label = domain.split(".")[0]
    if re.fullmatch(r"[kw][a-z]{2,3}(?:tv|fm|am)?", label) or len(label) <= 4:
        return label.upper()
    return label.replace("-", " ").title()


def outlet_of(url: str | None) -> tuple[str | None, str | None]:
    """(registrable domain, readable name) of the outlet that published ``url`` (archives unwrapped)."""
    domain = registrable_domain(unwrap_archive(url))
    return domain, outlet_name(domain)


def outlet_key(report: Any) -> str:
    """What counts as one source of a report: its outlet's domain (from the URL, an archived copy
    unwrapped), else the source it was given, else the report itself."""
    source = (getattr(report, "source", None) or "").strip().lower()
    domain = registrable_domain(unwrap_archive(getattr(report, "url", None)))
    if domain and not any(domain == h or h.endswith("." + domain) for h in ARCHIVE_HOSTS):
        return domain
    if source and not any(source == h or source.endswith("." + h) for h in ARCHIVE_HOSTS):
        return registrable_domain("http://" + source) if "." in source and " " not in source else source
    return getattr(report, "id", "") or ""


def published_field(record: dict[str, Any]) -> tuple[str | None, Any]:
    """(field name, value) of a record's publication date under any of ``DATE_FIELDS``."""
    for name in DATE_FIELDS:
        value = record.get(name)
        if value not in (None, ""):
            return name, value
    return None, None


def parse_published(value: Any) -> dt.date | None:
    """An ISO date or date-time ('2014-01-31', '2014-01-31T10:00:00Z'), or None when it is not one."""
    s = str(value).strip() if value is not None else ""
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None
