"""Counts of people in words or digits: "52", "1,200", "fifty-two", "a dozen", "3 million",
and vague quantities ("dozens", "several") with documented ranges.

``parse_count(words)`` takes the words of one number expression (already split into
tokens) and returns a ``Count`` or None. It knows nothing of casualties: whether a number
is a figure is decided in ``figures.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0, "no": 0, "none": 0, "one": 1, "a": 1, "an": 1, "single": 1, "lone": 1, "two": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Words that are a count on their own.
COLLECTIVE = {"dozen": 12, "score": 20, "pair": 2, "couple": 2, "both": 2, "twins": 2, "triplets": 3}

# Vague quantities: (low, high); high None means the word sets no upper bound.
# "Plain" reading: "dozens" is at least two dozen. ACLED's conservative coding (its codebook:
# "dozens" = 12, "hundreds" = 100, "tens" = 10) is available as the "acled" reading.
VAGUE_PLAIN: dict[str, tuple[int, int | None]] = {
    "a few": (2, 5),
    "few": (2, 5),
    "a couple": (2, 3),
    "several": (3, 9),
    "a handful": (3, 6),
    "some": (2, None),
    "numerous": (10, None),
    "many": (10, None),
    "a number": (3, None),
    "tens": (20, None),
    "dozens": (24, None),
    "scores": (40, None),
    "hundreds": (200, None),
    "thousands": (2_000, None),
    "tens of thousands": (20_000, None),
    "hundreds of thousands": (200_000, None),
    "millions": (2_000_000, None),
}
VAGUE_ACLED: dict[str, tuple[int, int | None]] = {
    **VAGUE_PLAIN,
    "tens": (10, None),
    "dozens": (12, None),
    "scores": (20, None),
    "hundreds": (100, None),
    "thousands": (1_000, None),
    "tens of thousands": (10_000, None),
    "hundreds of thousands": (100_000, None),
    "millions": (1_000_000, None),
    "several": (3, None),
    "a few": (2, None),
    "few": (2, None),
    "a handful": (2, None),
}
VAGUE_READINGS = {"plain": VAGUE_PLAIN, "acled": VAGUE_ACLED}

# The largest count read as a number of people (docs/extraction.md). No single event's toll comes
# near it; a bigger number ("10000000000000000000 killed", a garbled figure) is read as "more than
# the ceiling" (low = CEILING, no high, vague) and the extractor flags it, so that an absurd value
# is never stored as exact and every count fits a 64-bit integer column.
CEILING = 1_000_000_000
_MAX_DIGITS = 12  # digit strings longer than this are over the ceiling without converting them


@dataclass(frozen=True, slots=True)
class Count:
    low: int | None
    high: int | None
    vague: bool = False


_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_DECIMAL = re.compile(r"^\d+\.\d+$")


def word_value(word: str) -> int | None:
    """The value of one number word or digit string ("fifty-two", "1,200", "12"), else None."""
    w = word.lower().strip()
    if _DIGITS.match(w):
        digits = w.replace(",", "")
        # int() of thousands of digits is slow and, past 4,300, refused by Python
        return CEILING + 1 if len(digits) > _MAX_DIGITS else int(digits)
    if "-" in w:
        parts = w.split("-")
        if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS and UNITS[parts[1]] < 10:
            return TENS[parts[0]] + UNITS[parts[1]]
        return None
    if w in UNITS:
        return UNITS[w]
    if w in TENS:
        return TENS[w]
    return None


def parse_count(words: list[str], *, reading: str = "plain") -> Count | None:
    """Value of a number expression given as its words, e.g. ["two", "dozen"] -> 24,
    ["3", "million"] -> 3_000_000, ["dozens"] -> vague (24, None)."""
    ws = [w.lower() for w in words if w.strip() and w.lower() not in ("and", "of", "-", "–")]
    if not ws:
        return None
    phrase = " ".join(ws)
    vague = VAGUE_READINGS[reading]
    if phrase in vague:
        low, high = vague[phrase]
        return Count(low, high, vague=True)
    if len(ws) == 1 and ws[0] in vague:
        low, high = vague[ws[0]]
        return Count(low, high, vague=True)
    total = 0
    current: float | None = None
    for w in ws:
        if w in SCALES:
            current = (current if current is not None else 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total += int(current)
                current = None
            continue
        if w in COLLECTIVE:
            current = (current if current is not None else 1) * COLLECTIVE[w]
            continue
        if _DECIMAL.match(w):
            value: float | None = float(w) if len(w) <= 2 * _MAX_DIGITS else CEILING + 1
        else:
            value = word_value(w)
        if value is None:
            return None
        current = value if current is None else current + value
        if current > CEILING or total > CEILING:
            return Count(CEILING, None, vague=True)
    if current is not None:
        total += int(current)
    if total > CEILING:
        return Count(CEILING, None, vague=True)
    return Count(total, total)


def is_number_word(word: str) -> bool:
    w = word.lower()
    return (
        word_value(w) is not None
        or w in SCALES
        or w in COLLECTIVE
        or bool(_DECIMAL.match(w))
        or w in VAGUE_PLAIN
    )
