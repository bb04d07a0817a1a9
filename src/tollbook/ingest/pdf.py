"""PDF reports (NGO and UN reports, printed pages): the text layer, read page by page.

``pdfminer.six`` lays out each page's characters into text boxes (paragraphs, headings). The
lines of a box are joined with a space (a PDF breaks lines where the page is full, not where a
sentence ends; a line ending in a hyphen is joined without one, keeping the hyphen), boxes are
separated by a blank line, and so are pages. Where each page starts in the text is kept
(``Submission.pages``) so that every piece of evidence can say on which page it stands.

A PDF without a text layer (a scan, a photo of a page) has nothing to read: it is refused with
a message that says so. There is no OCR here.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from tollbook.errors import IngestError


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page. Raises ``ValueError`` with the reason a PDF cannot be read."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    pages: list[str] = []
    try:
        for layout in extract_pages(io.BytesIO(data), laparams=LAParams()):
            boxes = [_box_text(el.get_text()) for el in layout if isinstance(el, LTTextContainer)]
            pages.append("\n\n".join(b for b in boxes if b))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ValueError("encrypted PDF: save a copy without a password and ingest that") from None
    except (PDFSyntaxError, PSException) as exc:
        raise ValueError(f"not a readable PDF ({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises plain errors on broken files
        raise ValueError(f"not a readable PDF ({type(exc).__name__}: {str(exc)[:80]})") from None
    return pages


_SPACES = re.compile(r"[ \t\u00a0]+")


def _box_text(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n")]
    out = ""
    for line in lines:
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and line[:1].islower():
            out += line  # a word or compound broken at the line's end: "well-" + "known"
        else:
            out += " " + line
    return out


def join_pages(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """The report's text and where each page starts in it (pages without text still count)."""
    parts: list[str] = []
    starts: list[int] = []
    at = 0
    for text in pages:
        if parts and text:
            at += 2  # the blank line between the previous text and this page
        starts.append(at if text else max(0, at))
        if text:
            parts.append(text)
            at += len(text)
    return "\n\n".join(parts), tuple(starts)


def page_of(starts: tuple[int, ...] | list[int], offset: int) -> int | None:
    """The 1-based page an offset of the text falls on, or None for a text without pages."""
    if not starts:
        return None
    page = 1
    for n, start in enumerate(starts, start=1):
        if start <= offset:
            page = n
        else:
            break
    return page


def with_pages(events, starts) -> None:
    """Every piece of evidence of ``events`` told the page it stands on (in place)."""
    import dataclasses

    if not starts:
        return

    def paged(evidence):
        return tuple(dataclasses.replace(e, page=page_of(starts, e.start)) for e in evidence)

    for ev in events:
        ev.evidence = paged(ev.evidence)
        for part in (*ev.figures, *ev.places, *ev.dates, *ev.actors, *ev.flags):
            part.evidence = paged(part.evidence)


def read_pdf(name: str, data: bytes, published) -> Iterator:
    """One Submission (or an IngestError) for a PDF's bytes. Titles, dates and sources are read
    from the text as for a .txt report; ``Submission.pages`` holds the page starts."""
    from tollbook.ingest.readers import Original, _submission

    try:
        pages = pdf_pages(data)
    except ValueError as bad:
        yield IngestError(name, str(bad))
        return
    if not any(p.strip() for p in pages):
        yield IngestError(name, f"PDF of {len(pages)} page(s) has no text layer (a scan or images of text?); "
                                "tollbook does not do OCR: run OCR first (e.g. ocrmypdf) and ingest the result")
        return
    text, starts = join_pages(pages)
    sub = _submission(Original.of(name, data, "pdf"), None, {"text": text}, published, from_txt=True)
    if sub.text != text:  # the offsets of the pages are offsets of this text
        raise ValueError("PDF text changed on the way in")  # pragma: no cover - join_pages strips already
    sub.pages = starts
    yield sub
