"""Hard-wrapped copy: wire text (MUC-4's newswire, many agency feeds) is cut into lines of one
width, and a line break inside a paragraph is no break of the text. The parser and the entity
tagger read such a break as a token of its own, which cuts names ("NATIONAL\\nLIBERATION FRONT")
and clauses; ``unwrap`` turns each of these breaks into a space. Paragraph breaks (a blank line,
an indented line) and lines that end a heading (a dateline ending in "--" or ":") stay.

The result has exactly the length of the text: every offset into the report stays valid.
"""

from __future__ import annotations

import re

_BREAK = re.compile(r"(?<=\S)[ \t]*\n(?=\S)")


def wrap_width(text: str) -> int:
    """The line width of hard-wrapped text (0 when the text is not wrapped): most lines of a
    paragraph end within a few characters of one width."""
    lines = [len(line.rstrip()) for line in text.split("\n")]
    full = [n for n in lines if n >= 40]
    if len(full) < 4 or len(full) < 0.5 * len([n for n in lines if n]):
        return 0
    full.sort()
    width = full[int(0.9 * (len(full) - 1))]
    near = [n for n in full if n >= width - 15]
    return width if width <= 100 and len(near) >= 0.6 * len(full) else 0


def unwrap(text: str) -> str:
    """``text`` with the line breaks that only wrap a paragraph's line made spaces (same length).
    A break wraps when the line before it is near the text's line width and ends in no heading
    mark, and the next line starts at the margin with a word (not a blank line, not an indent)."""
    width = wrap_width(text)
    if not width:
        return text
    out = list(text)
    for m in _BREAK.finditer(text):
        nl = m.end() - 1
        line_start = text.rfind("\n", 0, nl) + 1
        line = text[line_start:nl].rstrip()
        if len(line) < width - 20 or re.search(r"(?:--|:)\s*$", line):
            continue
        out[nl] = " "
    return "".join(out)
