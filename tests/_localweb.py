"""A small web on 127.0.0.1 for the fetch, feed and PDF tests: pages, feeds, redirects, slow and
failing answers, robots.txt and syndicated copies, all written for the tests. Nothing here
reaches another host. Every request is logged (path, headers) so tests can say what was asked."""

from __future__ import annotations

import email.utils
import hashlib
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the answer (a slow site)
    conditional: bool = False  # answer ETag / Last-Modified and 304 when they match


class LocalWeb:
    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body go out in two writes: without this, each kept-alive request waits for
            # the client's delayed ACK (40 ms on Linux), which is the test server's cost, not ours
            disable_nagle_algorithm = True

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                with web._lock:
                    web.log.append((self.path, dict(self.headers.items())))
                page = web.pages.get(self.path)
                if page is None:
                    return self._send(404, b"not here", "text/plain")
                if page.delay:
                    time.sleep(page.delay)
                headers = dict(page.headers)
                if page.conditional:
                    etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
                    modified = email.utils.formatdate(1_700_000_000, usegmt=True)
                    headers |= {"ETag": etag, "Last-Modified": modified}
                    if self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == modified:
                        return self._send(304, b"", None, headers)
                return self._send(page.status, page.body, page.content_type, headers)

            def _send(self, status: int, body: bytes, ctype: str | None, headers: dict | None = None) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LocalWeb:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str, **kw) -> str:
        self.pages[path] = Page(body.encode() if isinstance(body, str) else body, **kw)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 301) -> str:
        return self.add(path, b"", status=status, content_type="text/plain", headers={"Location": to})

    def asked(self, path: str) -> int:
        with self._lock:
            return sum(1 for p, _ in self.log if p == path)


def article(title: str, body: str, site: str = "Test Courier") -> str:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f"<!doctype html><html><head><title>{title}</title><meta property='og:site_name' content='{site}'>"
            f"</head><body><nav>Home | World | Sport</nav><article><h1>{title}</h1>{paras}</article>"
            "<footer>All rights reserved.</footer></body></html>")


def rss(items: list[tuple[str, str]]) -> str:
    entries = "".join(f"<item><title>{t}</title><link>{u}</link><guid>{u}</guid></item>" for t, u in items)
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test wire</title>'
            f"<link>http://127.0.0.1/</link><description>invented reports</description>{entries}</channel></rss>")


# -- invented reports ------------------------------------------------------------------------------------
# Each story is made of sentences picked among many ways of saying the same kind of thing, with its
# own invented town, numbers and day, so that two stories share few runs of five words; a copy is
# a story reprinted with its own dateline, a word changed and its last sentence dropped.

_TOWNS = ["Varnok", "Osmerel", "Tiberau", "Kelvash", "Dunmora", "Pellagrin", "Rasquet", "Holvenne", "Zamirat",
          "Quorrel", "Estavin", "Brunnack", "Lissadel", "Morvaine", "Caldrec", "Fennimor", "Gorlasse", "Yvrenne"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_LEADS = [
    "A car bomb exploded near the {place} in {town} on {day}, killing {k} people and wounding {w} others, {src} said.",
    "Gunmen stormed the {place} in {town} on {day} and shot dead {k} people, {src} said; {w} were hurt.",
    "At least {k} people were killed and {w} injured when a roadside device went off by the {place} in {town} "
    "on {day}, according to {src}.",
    "{k_cap} civilians died on {day} after mortar rounds landed on the {place} of {town}; {w} more were "
    "taken to hospital, {src} reported.",
    "An explosion tore through the {place} of {town} early on {day}, leaving {k} dead and {w} wounded, "
    "{src} told reporters.",
]
_PLACES = ["main market", "bus depot", "grain store", "police post", "wedding hall", "river ferry landing",
           "textile factory", "water pumping station", "school gate", "cattle market"]
_SOURCES = ["the provincial governor", "a hospital director", "local police", "an army spokesman",
            "the district council", "residents reached by telephone", "a health ministry official"]
_MIDDLES = [
    "Witnesses described smoke rising over the {place2} as ambulances struggled through narrow streets.",
    "Shops along the {place2} stayed shut for the rest of the day while investigators combed the area.",
    "Relatives gathered outside the {place2} waiting for news of the missing.",
    "The {place2} had been reopened only last {month} after repairs paid for by a charity.",
    "Traders said the {place2} was unusually busy because a holiday begins at the end of the week.",
    "A curfew was declared around the {place2} and the road to {other} was closed.",
    "Local radio broadcast appeals for blood donors to come to the {place2} before nightfall.",
]
_ENDS = [
    "No group has said it carried out the attack.",
    "A little-known faction claimed responsibility in a statement posted online.",
    "Officials blamed insurgents who have been active in the hills near {other} since {year}.",
    "The interior minister promised an inquiry and ordered more checkpoints on the roads into {town}.",
    "It was the {nth} such attack in the province this {month}.",
]
_GIVEN = ["Amira", "Tomas", "Lejla", "Oskar", "Nadia", "Ibrahim", "Selma", "Piotr", "Hana", "Yusuf", "Marta",
          "Dario", "Ines", "Karim", "Vesna", "Omar", "Lucia", "Farid", "Zora", "Emil"]
_FAMILY = ["Halloran", "Mestrovic", "Okonjo", "Varga", "Delacroix", "Sandoval", "Brankovic", "Achterberg",
           "Quispe", "Lindqvist", "Moradi", "Castellan", "Novak", "Ferreira", "Kowalczyk", "Rahimi"]
_JOBS = ["baker", "teacher", "taxi driver", "nurse", "student", "farmer", "tailor", "mechanic", "shopkeeper"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]


def story(n: int) -> tuple[str, str]:
    """The n-th invented report: (headline, body). Deterministic."""
    rng = random.Random(n * 7919)
    town = f"{rng.choice(_TOWNS)}{'' if n < len(_TOWNS) else '-' + str(n)}"
    k, w = rng.randint(2, 40), rng.randint(3, 80)
    fill = {
        "town": town, "day": rng.choice(_DAYS), "k": k, "w": w, "k_cap": str(k), "place": rng.choice(_PLACES),
        "place2": rng.choice(_PLACES), "src": rng.choice(_SOURCES), "month": rng.choice(_MONTHS),
        "other": rng.choice(_TOWNS), "year": rng.randint(2001, 2019), "nth": rng.choice(["second", "third", "fourth"]),
    }
    lead = rng.choice(_LEADS).format(**fill)
    middles = rng.sample(_MIDDLES, 3)
    rng.shuffle(middles)
    end = rng.choice(_ENDS).format(**fill)
    names = [f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}" for _ in range(3)]
    dead = f"Neighbours named the dead as {names[0]}, {names[1]} and {names[2]}, a {rng.choice(_JOBS)}."
    body = "\n\n".join([lead, dead, " ".join(m.format(**fill) for m in middles), end,
                        f"Report number {n} of the test wire, filed from {town}."])
    return f"{k} killed in {town} attack", body


def copy_of(title: str, body: str, outlet: str) -> tuple[str, str]:
    """A syndicated copy: the outlet's dateline, one word changed, the last sentence dropped."""
    paras = body.split("\n\n")
    paras[0] = f"({outlet}) - " + paras[0].replace(" said", " stated", 1)
    return f"{title} | {outlet}", "\n\n".join(paras[:-1])


def simple_pdf(pages: list[list[str]]) -> bytes:
    """A PDF written here, one list of lines per page in Helvetica (an empty list: a page with only a
    drawn box and no text, as a scan's page has no text layer)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    page_ids = []
    pages_id = len(objects) + 1 + 2 * len(pages)  # after each page's content and page object
    for lines in pages:
        ops = [b"0.5 g 50 50 200 200 re f"] if not lines else [b"BT /F1 11 Tf 14 TL 56 780 Td"]
        for line in lines:
            esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
            ops.append(b"(" + esc + b") Tj T*")
        if lines:
            ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)))
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)
