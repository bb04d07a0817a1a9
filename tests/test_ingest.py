"""Ingest: every format in, bad input named with its reason, the rest of a batch still in."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from tollbook.errors import IngestError
from tollbook.ingest import Submission, iter_submissions, read_bytes

pytestmark = pytest.mark.backends  # each test on SQLite and on PostgreSQL (tests/conftest.py)

TEXT = "Gunmen killed three villagers in Lomir on Sunday, police said."


def one(items):
    assert len(items) == 1, items
    return items[0]


def test_txt_keeps_original_bytes_and_title(tmp_path):
    data = ("Headline here\n\n" + TEXT + "\n").encode()
    sub = one(read_bytes("a.txt", data, published=dt.date(2024, 3, 3)))
    assert isinstance(sub, Submission)
    assert sub.original.content == data
    import hashlib

    assert sub.original.sha256 == hashlib.sha256(data).hexdigest()
    assert sub.title == "Headline here"
    assert sub.published == dt.date(2024, 3, 3)


def test_published_from_url_and_dateline():
    rec = {"text": TEXT, "url": "https://news.example/2016/02/14/story"}
    sub = one(read_bytes("b.jsonl", json.dumps(rec).encode(), fmt="jsonl"))
    assert sub.published == dt.date(2016, 2, 14)
    sub = one(read_bytes("c.txt", b"Title\n\nTARSEL, Arvelia, March 9, 2024 \xe2\x80\x94 " + TEXT.encode()))
    assert sub.published == dt.date(2024, 3, 9)


def test_metadata_date_wins_over_flag():
    rec = {"text": TEXT, "published": "2015-06-01T10:00:00Z"}
    sub = one(read_bytes("b.jsonl", json.dumps(rec).encode(), fmt="jsonl", published=dt.date(2020, 1, 1)))
    assert sub.published == dt.date(2015, 6, 1)


def test_html_main_text_without_scripts():
    html = b"""<html><head><title>Blast in Tarsel</title><script>var x = 'killed 999';</script>
    <meta property="article:published_time" content="2024-03-10"></head><body>
    <script>document.write('<p>ignore me</p>')</script><nav>Home | World</nav>
    <article><h1>Blast in Tarsel</h1><p>A bomb killed nine people in the market of Tarsel on Saturday,
    officials said. Dozens were wounded in the blast, which destroyed several stalls.</p></article>
    <script>track(1)</script></body></html>"""
    sub = one(read_bytes("p.html", html, fmt="html"))
    assert "bomb killed nine people" in sub.text
    assert "999" not in sub.text and "ignore me" not in sub.text and "track(" not in sub.text
    assert sub.title == "Blast in Tarsel"
    assert sub.published == dt.date(2024, 3, 10)


def test_html_that_is_only_scripts_is_an_error():
    html = b"<html><head><script>" + b"var a=1;" * 500 + b"</script></head><body><script>x()</script></body></html>"
    err = one(read_bytes("s.html", html, fmt="html"))
    assert isinstance(err, IngestError) and "s.html" in str(err)


def test_jsonl_bad_line_does_not_stop_the_batch():
    lines = [json.dumps({"text": TEXT, "id": "a"}), "{not json", json.dumps({"title": "no text"}),
             json.dumps({"text": TEXT + " Again.", "id": "b"})]
    items = read_bytes("batch.jsonl", "\n".join(lines).encode(), fmt="jsonl")
    subs = [i for i in items if isinstance(i, Submission)]
    errs = [i for i in items if isinstance(i, IngestError)]
    assert [s.external_id for s in subs] == ["a", "b"]
    assert [e.source for e in errs] == ["batch.jsonl:line 2", "batch.jsonl:line 3"]
    assert all(e.reason for e in errs)


def test_csv_rows_and_a_malformed_row():
    data = 'text,title,published\n"' + TEXT + '",T1,2024-01-02\n"Second report, two killed.",T2,not-a-date\n'
    items = read_bytes("b.csv", data.encode(), fmt="csv")
    assert isinstance(items[0], Submission) and items[0].published == dt.date(2024, 1, 2)
    assert isinstance(items[1], IngestError) and "row" in items[1].source and "published" in items[1].reason


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("doc.txt", b"%PDF-1.7\n\x00\x01binary", "PDF"),
        ("nul.txt", b"text\x00\x00\x00\x01\x02 more", "binary"),
        ("latin.txt", "Caf\u00e9 bombing killed 3".encode("latin-1"), "UTF-8"),
        ("mixed.txt", "Caf\u00e9 killed 3 ".encode() + "na\u00efve".encode("latin-1"), "UTF-8"),
    ],
)
def test_bad_files_name_the_reason(name, data, reason):
    err = one(read_bytes(name, data))
    assert isinstance(err, IngestError)
    assert str(err).startswith(name) and reason.lower() in str(err).lower()
    assert "\n" not in str(err)


def test_explicit_encoding_reads_latin1():
    sub = one(read_bytes("latin.txt", "Caf\u00e9 bombing killed 3".encode("latin-1"), encoding="latin-1"))
    assert sub.text.startswith("Caf\u00e9")


def test_missing_file_size_limit_and_directories(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "a.txt").write_text(TEXT)
    (tmp_path / "d" / "sub" / "b.txt").write_text(TEXT + " More.")
    (tmp_path / "d" / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "big.txt").write_text("x" * 2000)
    items = list(iter_submissions([tmp_path / "d", tmp_path / "nope.txt", tmp_path / "big.txt"], max_bytes=1000))
    subs = [i for i in items if isinstance(i, Submission)]
    errs = {i.source: i.reason for i in items if isinstance(i, IngestError)}
    assert sorted(s.original.name.rsplit("/", 1)[-1] for s in subs) == ["a.txt", "b.txt"]
    assert "no such file" in errs[str(tmp_path / "nope.txt")]
    assert "limit" in errs[str(tmp_path / "big.txt")]


def test_stdin():
    items = list(iter_submissions(["-"], stdin=io.BytesIO(TEXT.encode())))
    assert one(items).text == TEXT


def test_a_headline_the_body_lacks_is_read_before_it():
    from tollbook.ingest.readers import with_headline

    body = "Subscribe to read this story."
    assert with_headline("Man shoots 4 relatives, killing 2", body) == (
        "Man shoots 4 relatives, killing 2\n\nSubscribe to read this story.")
    opened = "Two wounded in Tacoma shooting\n\nTwo men were shot on Sunday."
    assert with_headline("Two wounded in Tacoma shooting", opened) == opened
    assert with_headline("Two wounded in Tacoma shooting | The Daily Star", opened) == opened
    assert with_headline(None, body) == body and with_headline("  ", body) == body
