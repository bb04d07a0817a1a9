"""A report printed as a PDF by Chromium (print-to-PDF) reads the same figures as its text file,
with the page of every piece of evidence; the report page shows it.

Chromium comes from the system (Debian's package, as for tests/test_browser.py); without it the
tests skip with the reason, unless TOLLBOOK_REQUIRE_BROWSER=1."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow



@pytest.fixture(scope="module")
def print_pdf(browser):
    """A text printed to PDF by Chromium (the session's browser, tests/conftest.py)."""

    def to_pdf(text: str, *, font_px: int = 30) -> bytes:
        """The text as a printed page: each paragraph a <p>, large type so it runs over pages."""
        paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
        page = browser.new_page()
        page.set_content(f"<!doctype html><html><head><meta charset='utf-8'><title>report</title>"
                         f"<style>body{{font: {font_px}px serif}}</style></head><body>{paras}</body></html>")
        data = page.pdf(format="A5")
        page.close()
        return data

    return to_pdf


def _book(path: Path, extractor):
    from tollbook.api import Settings, Tollbook
    from tollbook.store import Store

    return Tollbook(Store.open(path), settings=Settings.load(db=str(path)), extractor=extractor)


def _figures(tb, report_id):
    return sorted((f.kind, f.low, f.high, f.qualifier, f.who) for e in tb.events(report=report_id) for f in e.figures)


def _same_reading(text: str, pdf: bytes, tmp_path: Path, extractor):
    (tmp_path / "report.txt").write_text(text, encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(pdf)
    with _book(tmp_path / "txt.db", extractor) as a, _book(tmp_path / "pdf.db", extractor) as b:
        ra = a.ingest([tmp_path / "report.txt"])
        rb = b.ingest([tmp_path / "report.pdf"])
        assert ra.failed == [] and rb.failed == []
        report = b.report(rb.added[0])
        assert b.custody(report.id)[0]["media_type"] == "application/pdf"
        assert _figures(b, report.id) == _figures(a, ra.added[0])
        # each piece of evidence names the printed page its words are on
        from tollbook.ingest.pdf import pdf_pages

        printed = pdf_pages(pdf)
        evidence = [ev for e in b.events(report=report.id) for _, ev in e.all_evidence()]
        for ev in evidence:
            assert ev.quote in printed[ev.page - 1], (ev.quote, ev.page)
        return b, report, [ev.page for ev in evidence], len(printed)


def test_a_bundled_report_printed_as_pdf_reads_the_same_figures(print_pdf, examples, tmp_path, extractor):
    text = (examples / "reports" / "tarsel-market-bombing.txt").read_text("utf-8")
    pdf = print_pdf(text, font_px=44)
    assert pdf.startswith(b"%PDF-")
    tb, report, pages, printed = _same_reading(text, pdf, tmp_path, extractor)
    assert printed > 1 and pages and all(p is not None and p >= 1 for p in pages)
    # the report page shows the page beside the evidence
    from fastapi.testclient import TestClient

    from tollbook.serve import create_app

    with TestClient(create_app(tb=tb)) as client:
        page = client.get(f"/reports/{report.id}").text
    assert "p. 1" in page
    tb.close()


def test_the_seed_report_printed_as_pdf_reads_the_same_figures(print_pdf, shared_data, tmp_path, extractor):
    text = (shared_data / "seed" / "report.txt").read_text("utf-8")
    tb, report, pages, printed = _same_reading(text, print_pdf(text, font_px=16), tmp_path, extractor)
    assert printed > 1 and pages and max(pages) > 1
    tb.close()
