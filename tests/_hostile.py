"""Hostile inputs, written by the tests: a report that attacks the pages (scripts, event handlers,
javascript: links, formulas), and a folder of files that attack the reader and the store."""

from __future__ import annotations

import json
import os
from pathlib import Path

HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1">Gunmen attack'
HOSTILE_TEXT = (
    "<script>window.__pwned = 2; alert('xss')</script> Gunmen killed 5 people in Springfield, Illinois "
    "on Monday, police said. <img src=x onerror=\"window.__pwned=3\"> "
    "<a href=\"javascript:alert(1)\">more</a> =HYPERLINK(\"http://evil.example\",\"x\")"
)

GOOD = "Militants killed {n} soldiers near the border post of Osk on Tuesday, officials said."


def write_hostile_batch(folder: Path, outside: Path) -> dict[str, list[str]]:
    """Write a batch folder with good reports among bad ones; return which names must fail and how
    many good records there are. ``outside`` is a folder beside it (a link points there)."""
    folder.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    bad: list[str] = []
    good = 0

    def text(name: str, body: str) -> None:
        (folder / name).write_text(body, encoding="utf-8")

    # a number of 24 digits in a text: stored, read as "more than the ceiling" (never an overflow)
    text("a-huge-number.txt", "Gunmen killed 100000000000000000000000 people in Osk on Monday, police said.")
    good += 1
    for i in range(3):
        text(f"b-good-{i}.txt", GOOD.format(n=i + 3))
        good += 1
    lines = [
        json.dumps({"text": GOOD.format(n=11), "title": "Border attack"}),
        '{"text": "Gunmen killed 4 people.", "id": ' + "9" * 5000 + "}",  # a number over 4,300 digits
        "[" * 100_000 + "]" * 100_000,  # deeply nested JSON
        json.dumps({"text": GOOD.format(n=12), "url": "http://[::1/broken"}),  # a bad IPv6 URL: kept, no host
        '{"text": "Gunmen killed 2 people in Osk.", "title": "\\ud800 lone"}',  # a lone surrogate in the title
        json.dumps({"text": GOOD.format(n=13)}),
    ]
    (folder / "c-batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    good += 3
    bad += ["c-batch.jsonl:line 2", "c-batch.jsonl:line 3", "c-batch.jsonl:line 5"]
    # a file name that is not UTF-8
    with open(os.path.join(os.fsencode(folder), b"d-name-\xff.txt"), "w", encoding="utf-8") as f:
        f.write(GOOD.format(n=21))
    good += 1
    # a FIFO (reading it would block forever) and a link to /dev/zero (never ends)
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "e-pipe.txt")
        bad.append("e-pipe.txt")
    if Path("/dev/zero").exists():
        os.symlink("/dev/zero", folder / "f-zero.txt")
        bad.append("f-zero.txt")
    # a link to a report outside the folder being read
    (outside / "secret.txt").write_text(GOOD.format(n=30), encoding="utf-8")
    os.symlink(outside / "secret.txt", folder / "g-outside.txt")
    bad.append("g-outside.txt")
    text("h-binary.txt", "")
    (folder / "h-binary.txt").write_bytes(b"\x00\x01\x02" * 10)
    bad.append("h-binary.txt")
    return {"bad": bad, "good": [str(good)]}
