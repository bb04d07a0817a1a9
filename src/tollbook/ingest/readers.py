"""Readers for .txt, .html/.htm, .jsonl and .csv reports, directories and standard input.

Contract: ``iter_submissions(paths)`` yields, in a stable order, one ``Submission`` per
report, an ``IngestError`` per report that cannot be read (the batch goes on), or a
``Skipped`` for a file in a directory that is not a report format. Nothing is written.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from tollbook.errors import IngestError
from tollbook.ingest.sources import DATE_FIELDS, outlet_of, published_field, unwrap_archive

FORMATS = ("txt", "html", "jsonl", "csv", "pdf")
SUFFIXES = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".pdf": "pdf",
}
MEDIA_TYPES = {"txt": "text/plain", "html": "text/html", "jsonl": "application/x-ndjson", "csv": "text/csv",
               "pdf": "application/pdf"}

# Field names of one record in a .jsonl or .csv batch (documented in docs/ingest.md).
BATCH_FIELDS = {
    "text": "the report's plain text (this or `html` is required)",
    "html": "the report as an HTML page; its main text is extracted as for .html files",
    "title": "headline",
    "url": "where the report was published",
    "source": "the outlet or site (default: the URL's host name)",
    "published": "publication date, ISO 8601 (2013-09-03 or 2013-09-03T10:00:00Z); also read from `date`, "
                 "`pubdate`, `publication_date` or `datePublished`",
    "retrieved": "when the report was fetched, ISO 8601",
    "language": "ISO 639-1 code (default: en)",
    "id": "your own identifier for the record; kept in the chain of custody",
}

# Magic numbers of formats people drop into a folder of reports by mistake.
_MAGIC = {
    b"PK\x03\x04": "ZIP or Office document",
    b"\x1f\x8b": "gzip",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"SQLite format 3": "SQLite database",
}


@dataclass(frozen=True, slots=True)
class Original:
    """The bytes a report came from, exactly as received: a whole file or standard input."""

    name: str
    content: bytes
    sha256: str
    media_type: str
    received_at: dt.datetime

    @classmethod
    def of(cls, name: str, content: bytes, fmt: str) -> Original:
        return cls(
            name, content, hashlib.sha256(content).hexdigest(), MEDIA_TYPES[fmt],
            dt.datetime.now(dt.UTC),
        )


@dataclass(slots=True)
class Submission:
    """A report as it arrives, before it is stored."""

    original: Original
    text: str
    locator: str | None = None  # "line 4" or "row 3" inside a batch file
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    retrieved: dt.datetime | None = None
    language: str | None = "en"
    external_id: str | None = None
    pages: tuple[int, ...] = ()  # where each page starts in ``text`` (PDF reports; ingest/pdf.py)

    @property
    def origin(self) -> str:
        return f"{self.original.name}:{self.locator}" if self.locator else self.original.name


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file in a directory that is not a report format (not an error)."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user should know about an input that is still read (unknown batch fields)."""

    source: str
    message: str


Item = Submission | IngestError | Skipped | Notice


def iter_submissions(
    paths: Iterable[str | os.PathLike[str]],
    *,
    max_bytes: int = 50 * 1024 * 1024,
    published: dt.date | None = None,
    fmt: str | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Item]:
    """Yield the reports in ``paths`` (files, directories recursively, ``-`` for stdin).

    ``published`` is used where a report's own metadata has no date. ``fmt`` forces a
    format instead of guessing it from the file name; ``encoding`` decodes text that is
    not UTF-8.
    """
    for raw in paths:
        name = os.fspath(raw)
        if name == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_stream(stream, "<stdin>", max_bytes, published, fmt, encoding)
            continue
        path = Path(name)
        if path.is_dir():
            for child in _walk(path):
                if isinstance(child, IngestError):
                    yield child
                    continue
                kind = fmt or SUFFIXES.get(child.suffix.lower())
                if kind is None:
                    yield Skipped(shown_name(child), f"not a report format ({', '.join(sorted(SUFFIXES))})")
                    continue
                yield from _read_file(child, kind, max_bytes, published, encoding, tree=path)
            continue
        kind = fmt or SUFFIXES.get(path.suffix.lower())
        if kind is None:
            if not path.exists():
                yield IngestError(shown_name(name), "no such file or directory")
                continue
            kind = "txt"  # a file named explicitly is read as text; decoding checks the rest
        yield from _read_file(path, kind, max_bytes, published, encoding)


def shown_name(path: str | os.PathLike[str]) -> str:
    """A file name as text that can be printed and stored: bytes of a name that are not UTF-8
    (kept by Python as lone surrogates) are shown as \\xNN escapes."""
    name = os.fspath(path)
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _walk(root: Path) -> Iterator[Path | IngestError]:
    """Files under ``root`` in a stable order, hidden files and folders left out. A folder that
    cannot be listed is an error (not a silent gap in the batch)."""
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        while errors:
            exc = errors.pop(0)
            yield IngestError(shown_name(exc.filename or dirpath), f"cannot read folder: {exc.strerror or exc}")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if not f.startswith("."):
                yield Path(dirpath) / f
    for exc in errors:
        yield IngestError(shown_name(exc.filename or root), f"cannot read folder: {exc.strerror or exc}")


def _read_file(
    path: Path, fmt: str, max_bytes: int, published: dt.date | None, encoding: str | None,
    tree: Path | None = None,
) -> Iterator[Item]:
    name = shown_name(path)
    try:
        refused = _refused(path, tree)
        if refused:
            yield IngestError(name, refused)
            return
        size = path.stat().st_size
        if size > max_bytes:
            yield IngestError(name, f"file is {_mb(size)}, over the {_mb(max_bytes)} limit (raise it with --max-size)")
            return
        data = _read_bounded(path, max_bytes)
        if data is None:
            yield IngestError(name, f"file grew over the {_mb(max_bytes)} limit while read (raise it with --max-size)")
            return
    except FileNotFoundError:
        yield IngestError(name, "no such file or directory")
        return
    except IsADirectoryError:
        yield IngestError(name, "is a directory")
        return
    except OSError as exc:
        yield IngestError(name, f"cannot read: {exc.strerror or exc}")
        return
    yield from _parse(name, data, fmt, published, encoding)


def _refused(path: Path, tree: Path | None) -> str | None:
    """Why ``path`` is not read at all, or None. Decided from its type before it is opened: a FIFO
    would block forever and a device (/dev/zero) never ends; a link found in a folder must stay
    inside that folder."""
    st = path.stat()  # follows links: the type of what would be read
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode)
                or stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        return f"refused: {kind}, not a report file"
    if tree is not None and path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(tree.resolve()):
            return f"refused: a link to {shown_name(target)}, outside the folder being read"
    return None


def _read_bounded(path: Path, max_bytes: int) -> bytes | None:
    """The file's bytes, or None when there are more than ``max_bytes`` (the size the file system
    reports is not trusted: /proc files say 0, a file may grow). O_NONBLOCK: a file swapped for a
    FIFO after the type check cannot block the open."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        chunks, have = [], 0
        while have <= max_bytes:  # in pieces: no buffer of the whole limit for a small file
            chunk = f.read(min(1 << 20, max_bytes + 1 - have))
            if not chunk:
                break
            chunks.append(chunk)
            have += len(chunk)
    return None if have > max_bytes else b"".join(chunks)


def _read_stream(
    stream: BinaryIO, name: str, max_bytes: int, published: dt.date | None, fmt: str | None, encoding: str | None
) -> Iterator[Item]:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield IngestError(name, f"input is over the {_mb(max_bytes)} limit (raise it with --max-size)")
        return
    if fmt is None:
        head = data[:2048].lstrip().lower()
        fmt = "html" if head.startswith((b"<!doctype html", b"<html")) else "txt"
    yield from _parse(name, data, fmt, published, encoding)


def read_bytes(
    name: str, data: bytes, *, fmt: str = "txt", published: dt.date | None = None, encoding: str | None = None
) -> list[Item]:
    """Parse bytes already in memory (the HTTP API and tests use this)."""
    return list(_parse(name, data, fmt, published, encoding))


def _parse(name: str, data: bytes, fmt: str, published: dt.date | None, encoding: str | None) -> Iterator[Item]:
    if fmt not in FORMATS:
        yield IngestError(name, f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
        return
    try:
        if fmt == "pdf" or data.startswith(b"%PDF-"):  # the text layer, page by page: ingest/pdf.py
            from tollbook.ingest.pdf import read_pdf

            yield from read_pdf(name, data, published)
            return
        _check_not_binary(data)
        original = Original.of(name, data, fmt)
        if fmt == "txt":
            text = decode_text(data, encoding)
            yield _submission(original, None, {"text": text}, published, from_txt=True)
        elif fmt == "html":
            yield _submission(original, None, _from_html(data), published)
        elif fmt == "jsonl":
            yield from _batch(original, _jsonl_records(decode_text(data, encoding), name), published)
        else:
            yield from _batch(original, _csv_records(decode_text(data, encoding), name), published)
    except _Bad as bad:
        yield IngestError(name, str(bad))
    except Exception as exc:  # noqa: BLE001 - one unreadable file is that file's error, the batch goes on
        yield IngestError(name, f"cannot read: {_why(exc)}")


def _why(exc: BaseException) -> str:
    """An unexpected exception as one line: its type and message, cut short."""
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _Bad(ValueError):
    """A reason a whole file or one record cannot be read."""


# Fields a batch record may have that are read (BATCH_FIELDS, the date's other names) or named elsewhere.
_KNOWN_FIELDS = set(BATCH_FIELDS) | set(DATE_FIELDS) | {"site", "doc_id"}


def _batch(original: Original, records: Iterator[tuple[str, dict[str, Any] | _Bad]], published: dt.date | None):
    unknown: dict[str, None] = {}
    yield from _batch_records(original, records, published, unknown)
    if unknown:  # once per batch, not once per record
        yield Notice(original.name, f"fields not read: {', '.join(unknown)} (read are: "
                                    f"{', '.join(BATCH_FIELDS)}; dates also as {', '.join(DATE_FIELDS[1:5])})")


def _batch_records(original: Original, records, published: dt.date | None, unknown: dict[str, None]):
    for locator, record in records:
        if isinstance(record, _Bad):
            yield IngestError(f"{original.name}:{locator}", str(record))
            continue
        unknown.update((k, None) for k in record if k not in _KNOWN_FIELDS)
        try:
            if record.get("html") and not record.get("text"):
                record = {**_from_html(str(record["html"]).encode("utf-8")), **{k: v for k, v in record.items() if v}}
            yield _submission(original, locator, record, published)
        except _Bad as bad:
            yield IngestError(f"{original.name}:{locator}", str(bad))
        except Exception as exc:  # noqa: BLE001 - one bad record is that record's error, the batch goes on
            yield IngestError(f"{original.name}:{locator}", f"cannot read: {_why(exc)}")


def _jsonl_records(text: str, name: str) -> Iterator[tuple[str, dict[str, Any] | _Bad]]:
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_int=_json_int)
        except json.JSONDecodeError as exc:
            yield f"line {n}", _Bad(f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        except _Bad as bad:
            yield f"line {n}", bad
            continue
        except RecursionError:
            yield f"line {n}", _Bad("JSON nested too deeply")
            continue
        except ValueError as exc:
            yield f"line {n}", _Bad(f"malformed JSON ({_why(exc)})")
            continue
        if _depth(record) > MAX_JSON_DEPTH:
            yield f"line {n}", _Bad(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
            continue
        if not isinstance(record, dict):
            yield f"line {n}", _Bad(f"a record must be a JSON object, got {type(record).__name__}")
            continue
        yield f"line {n}", record


# Limits on one JSON record (docs/ingest.md): a report is a flat object of strings, so a deep
# nesting or a number of hundreds of digits is a malformed or hostile record, not a report.
MAX_JSON_DEPTH = 32
MAX_JSON_DIGITS = 100


def _json_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_JSON_DIGITS:
        raise _Bad(f"a JSON number of {len(digits.lstrip('-'))} digits (the limit is {MAX_JSON_DIGITS})")
    return int(digits)


def _depth(value: Any, level: int = 1) -> int:
    """How deep ``value`` nests (1 for a flat object); stops counting past the limit."""
    if level > MAX_JSON_DEPTH or not isinstance(value, dict | list):
        return level
    items = value.values() if isinstance(value, dict) else value
    return max((_depth(v, level + 1) for v in items if isinstance(v, dict | list)), default=level)


def _csv_records(text: str, name: str) -> Iterator[tuple[str, dict[str, Any] | _Bad]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise _Bad("empty CSV file") from None
    except csv.Error as exc:
        raise _Bad(f"malformed CSV header ({exc})") from None
    if "text" not in header and "html" not in header:
        raise _Bad(f"CSV header has no 'text' or 'html' column (columns: {', '.join(header)})")
    row_no = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row_no += 1
            yield f"row {row_no}", _Bad(f"malformed CSV row ({exc})")
            continue
        row_no += 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield f"row {row_no}", _Bad(f"has {len(row)} fields, the header has {len(header)}")
            continue
        yield f"row {row_no}", dict(zip(header, row))


def _submission(
    original: Original, locator: str | None, record: dict[str, Any], published: dt.date | None, from_txt: bool = False
) -> Submission:
    text = record.get("text")
    if not isinstance(text, str):
        raise _Bad("no 'text' field" if text is None else "'text' must be a string")
    text = normalise_text(text)
    if not text:
        raise _Bad("empty: no text")
    for key, value in record.items():
        lone = _SURROGATE.search(value) if isinstance(value, str) else None
        if lone:
            raise _Bad(f"'{key}' holds a lone surrogate ({ascii(lone.group())}), not valid Unicode")
    if _control_ratio(text) > 0.05:
        raise _Bad("text is mostly control characters: looks like a binary file")
    url = _opt_str(record.get("url"))
    # an archived copy's outlet is the original's (web.archive.org/web/<ts>/<url>): ingest/sources.py
    source = _opt_str(record.get("source") or record.get("site")) or outlet_of(url)[0]
    title = _opt_str(record.get("title"))
    if title is None and from_txt:
        title = _title_line(text)
    else:
        text = with_headline(title, text)
    return Submission(
        original=original,
        text=text,
        locator=locator,
        title=title,
        source=source,
        url=url,
        published=_parse_date(*reversed(published_field(record))) or published or date_in_url(unwrap_archive(url))
        or _dateline_date(text),
        retrieved=_parse_datetime(record.get("retrieved"), "retrieved"),
        language=_opt_str(record.get("language")) or "en",
        external_id=_opt_str(record.get("id") or record.get("doc_id")),
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def decode_text(data: bytes, encoding: str | None = None) -> str:
    """Bytes to str: UTF-8 (with or without BOM) or UTF-16 with BOM, or ``encoding``.

    Refuses to guess: a wrong or mixed encoding would silently corrupt the evidence.
    """
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise _Bad(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise _Bad(f"not valid {encoding}: byte 0x{data[exc.start]:02X} at offset {exc.start}") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _Bad(f"broken UTF-16 at byte {exc.start}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        if _UTF8_MULTIBYTE.search(data):
            raise _Bad(
                f"mixed encoding: valid UTF-8 text with an invalid byte 0x{bad:02X} at offset {exc.start}; "
                "re-save the file as UTF-8"
            ) from None
        raise _Bad(
            f"not UTF-8 (byte 0x{bad:02X} at offset {exc.start}); if it is Windows or Latin-1 text, "
            "pass --encoding cp1252"
        ) from None


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def with_headline(title: str | None, body: str) -> str:
    """The report's text as a reader meets it: the headline, then the body. Headlines carry the toll
    ("Man shoots 4 relatives, killing 2") and many scraped bodies are only a paywall notice, so a
    headline the body does not already open with is put before it, after a blank line."""
    title = " ".join((title or "").split())
    if not title:
        return body
    head = " ".join(body[:len(title) + 400].split()).casefold()
    # "Four wounded in shooting - The Daily Star": the body may open with the headline alone
    lead = re.split(r"\s(?:[|«»–—:-]|::)\s", title)[0]
    if title.casefold() in head or (len(lead) >= 12 and lead.casefold() in head):
        return body
    return f"{title}\n\n{body}"


def normalise_text(text: str) -> str:
    """One newline convention and no outer blank space; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _check_not_binary(data: bytes) -> None:
    if not data.strip():
        raise _Bad("empty file: no text")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise _Bad(f"binary file ({kind}), not a text report")
    head = data[:8192]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _Bad("binary file (contains NUL bytes), not a text report")


def _control_ratio(text: str) -> float:
    head = text[:8192]
    return len(_CONTROL.findall(head)) / max(1, len(head))


_trafilatura_config = None


def _from_html(data: bytes) -> dict[str, Any]:
    """Main text and metadata of an HTML page; scripts, styles and navigation are dropped."""
    global _trafilatura_config
    import trafilatura
    from trafilatura.settings import use_config

    if _trafilatura_config is None:
        cfg = use_config()
        # Short news items are reports too; trafilatura's defaults drop texts under 250 chars.
        cfg.set("DEFAULT", "MIN_EXTRACTED_SIZE", "20")
        cfg.set("DEFAULT", "MIN_OUTPUT_SIZE", "20")
        cfg.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # its timeout uses signals: main thread only
        _trafilatura_config = cfg
    doc = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=False, config=_trafilatura_config
    )
    if doc is None or not (doc.text or "").strip():
        raise _Bad("no article text found in the HTML (only scripts, navigation or markup)")
    return {
        "text": doc.text,
        "title": doc.title,
        "published": doc.date,
        "source": doc.sitename or doc.hostname,
        "url": doc.url,
        "language": doc.language,
    }


def _title_line(text: str) -> str | None:
    """A plain-text report's first line is its headline when it stands alone and is short."""
    first, sep, rest = text.partition("\n")
    first = first.strip()
    if sep and rest.startswith("\n") and 0 < len(first) <= 150 and not first.endswith((".", ":")):
        return first
    return None


_URL_DATES = (
    # /2014/03/12/slug, /2014-03-12/
    re.compile(r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>[01]?\d)[/-](?P<d>[0-3]?\d)(?=/|-|_|\.|$)"),
    # /2016/jan/26/slug
    re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*/(?P<d>[0-3]?\d)/",
               re.I),
    # /20150803/ or -20160223- in a slug
    re.compile(r"[/_-](?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?=[/_.-]|$)"),
)
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), 1)}


def date_in_url(url: str | None) -> dt.date | None:
    """Many news sites put the publication day in the path: /2014/03/12/slug, /2016/jan/26/, /20150803/."""
    for pattern in _URL_DATES:
        m = pattern.search(url or "")
        if not m:
            continue
        g = m.groupdict()
        month = _MONTHS[g["mon"][:3].lower()] if g.get("mon") else int(g["m"])
        try:
            return dt.date(int(g["y"]), month, int(g["d"]))
        except ValueError:
            continue
    return None


def _dateline_date(text: str) -> dt.date | None:
    """A wire dateline's date ("TARSEL, Arvelia, March 9, 2024 —") is the day the report was filed."""
    from tollbook.extract.dates import find_dateline  # a pure-regex module: no model is loaded

    line = find_dateline(text)
    return line.date if line else None


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def _parse_date(value: Any, field: str) -> dt.date | None:
    s = _opt_str(value)
    if s is None:
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        raise _Bad(f"'{field}' is not an ISO date (YYYY-MM-DD): {s[:40]!r}") from None


def _parse_datetime(value: Any, field: str) -> dt.datetime | None:
    s = _opt_str(value)
    if s is None:
        return None
    try:
        when = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        raise _Bad(f"'{field}' is not an ISO date-time: {s[:40]!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"
