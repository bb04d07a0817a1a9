"""Dates in a report, resolved against its publication date.

Stage contract: ``find_dates(text, base, ents)`` returns ``DateMention``s with character spans:
explicit dates ("August 31", "30 DEC 89", "2013-09-01"), weekdays ("on Sunday", "early
Tuesday", "late on Wednesday"; a weekday equal to the publication day is that day),
"yesterday", "last night", "over the weekend", "last week", months and years, day ranges.
Our rules run first; dateparser (English, explicit base date) reads what they leave among the
parser's DATE entities. ``find_dateline`` reads a wire dateline ("SAN SALVADOR, 3 JAN 90 --").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from tollbook.extract.rules import rule

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
MONTHS |= {"sept": 9}
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
WEEKDAYS |= {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night|overnight))?"
_YEAR = r"(?P<year>(?:19|20)\d\d|'\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("numeric", re.compile(r"\b(?P<month>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)?\d\d)\b")),
    # "August 1-3", "Aug. 1 to 3, 2013"
    ("month-day-range", re.compile(
        rf"\b{_MONTH}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|to|and)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?"
        rf"(?:,?\s+{_YEAR})?\b", re.I)),
    # "August 31", "Aug. 31, 2013", "Tuesday, Jan. 27"
    ("month-day", re.compile(
        rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?!\d)(?:,?\s+{_YEAR})?(?!\s*(?:%|percent|people|\d))", re.I)),
    # "31 August 2013", "30 DEC 89", "the 1st of August"
    ("day-month", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+(?P<year>(?:19|20)\d\d|\d\d)\b)?", re.I)),
    ("month-year", re.compile(rf"\b{_MONTH}\s*,?\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("month", re.compile(rf"\b(?:in|during|since|early|late|mid|mid-|last|this)\s+{_MONTH}\b(?!\s+\d)", re.I)),
    ("year", re.compile(r"\b(?:in|of|since|during|from|and|or|to|until)\s+(?P<year>(?:19|20)\d\d)\b(?![-/\d])", re.I)),
    ("weekend", re.compile(r"\b(?P<which>over the|this past|this|last|on the|during the|at the)\s+weekend\b", re.I)),
    ("relative-day", re.compile(
        r"\b(?P<rel>yesterday|today|tonight|this\s+(?:morning|afternoon|evening)|last\s+night|"
        r"early\s+(?:this|today)|overnight|the\s+day\s+before\s+yesterday)\b", re.I)),
    ("days-ago", re.compile(r"\b(?P<n>\w+)\s+days?\s+(?:ago|earlier)\b", re.I)),
    ("week", re.compile(r"\b(?P<which>last|this|earlier\s+this|past)\s+week\b", re.I)),
    ("month-rel", re.compile(r"\b(?P<which>last|this|earlier\s+this)\s+month\b", re.I)),
    ("year-rel", re.compile(r"\b(?P<which>last|this|earlier\s+this)\s+year\b", re.I)),
    # "on Sunday", "early Tuesday", "late on Wednesday", "Tuesday night", "last Friday"
    ("weekday", re.compile(
        rf"\b(?:(?P<mod>last|early|late|earlier|on|this|past|by)\s+)?(?:on\s+)?{_WEEKDAY}{_PART}\b", re.I)),
]

# One registered rule per pattern, in the order they run (docs/extraction.md; cases in tests/rules/dates.yaml).
RULE_OF: dict[str, str] = {
    "iso": rule("dates.iso", "an ISO date, 2013-09-01"),
    "numeric": rule("dates.numeric", "a US numeric date with its year, 9/1/2013"),
    "month-day-range": rule("dates.month-day-range", "a range of days in one month, 'August 1-3'"),
    "month-day": rule("dates.month-day",
                      "a month and day, 'August 31' (the year: given, or the latest not after publication)"),
    "day-month": rule("dates.day-month", "a day and month, '31 August 2013', '30 DEC 89'"),
    "month-year": rule("dates.month-year", "a month of a year, 'August 2013'"),
    "month": rule("dates.month", "a month without a year, 'in August': the latest not after publication"),
    "year": rule("dates.year", "a year after a preposition, 'in 2009'"),
    "weekend": rule("dates.weekend", "'over the weekend', 'last weekend', from the publication date"),
    "relative-day": rule("dates.relative-day", "'yesterday', 'last night', 'today', from the publication date"),
    "days-ago": rule("dates.days-ago", "'three days ago' (at most 60), from the publication date"),
    "week": rule("dates.week", "'last week', 'this week', from the publication date"),
    "month-rel": rule("dates.month-rel", "'last month', 'this month', from the publication date"),
    "year-rel": rule("dates.year-rel", "'last year', 'this year', from the publication date"),
    "weekday": rule("dates.weekday", "a weekday, 'on Sunday', 'late Tuesday': the latest not after publication"),
    "dateparser": rule("dates.dateparser", "a DATE entity the rules above leave, read by dateparser behind our checks"),
}

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a": 1, "several": 3}


@dataclass(slots=True)
class DateMention:
    earliest: dt.date
    latest: dt.date
    precision: str  # day | week | month | year
    start: int
    end: int
    kind: str  # the pattern that matched, or "dateparser"
    relative: bool  # resolved against the publication date

    @property
    def rule(self) -> str:
        return RULE_OF.get(self.kind, "")


def find_dates(
    text: str, base: dt.date | None, ents: Iterable[tuple[int, int]] = (), *, use_dateparser: bool = True
) -> list[DateMention]:
    """Every date mention of ``text`` that can be resolved; ``ents`` are the parser's DATE spans.

    Without ``base`` (no publication date) only dates that give their own year are read: the year
    of another event in the text ("massacres in 2009 and 2011") is no clue to an undated "August 1".
    With it, a date after publication (+2 days: time zones, a report filed after midnight) is no
    event's date ("the trial is set for October 5") and is left out."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    ref_year = base.year if base else None
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if _is_duration(text, s, e):
                taken.append((s, e))  # "for 30 years", "15-30 years": never a date, nor for dateparser
                continue
            mention = _resolve(kind, m, base, ref_year)
            if mention is None or _after(mention, base):
                continue
            if _BIRTH.search(text[max(0, s - 30):s]):
                taken.append((s, e))  # "born June 25, 2001": a date of birth is no event's date
                continue
            if mention.relative and _FUTURE.search(text[max(0, s - 40):s].lower()):
                # "the trial opens on March 29", "will be buried on Friday": a day to come, which the
                # resolution into the past would turn into last year's
                taken.append((s, e))
                continue
            taken.append((s, e))
            found.append(mention)
    if use_dateparser and base is not None:
        for s, e in ents:
            if any(s < te and ts < e for ts, te in taken) or _is_duration(text, s, e):
                continue
            mention = _dateparser(text[s:e], s, e, base)
            if mention is not None:
                taken.append((s, e))
                found.append(mention)
    found.sort(key=lambda d: d.start)
    return found


# A length of time, a prison term or an age is no date: "for 30 years", "15-30 years", "sentenced to
# 25 years", "a 30-year-old", "three years in prison". Only "ago"/"earlier" make one of them a date.
_DURATION = re.compile(
    r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|many|few)"
    r"(?:\s*(?:-|–|to|or)\s*\d+)?[\s-]+(?:years?|months?|weeks?|days?|hours?|decades?)\b", re.I)
_AGO = re.compile(r"^\W{0,2}(?:ago|earlier|before|later|prior)\b", re.I)


def _is_duration(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is (in) a length of time rather than a point in it."""
    phrase = text[start:end]
    for m in _DURATION.finditer(phrase):
        after = text[start + m.end():start + m.end() + 12]
        if not _AGO.match(after) and not re.search(r"\b(?:ago|earlier)\b", phrase[m.end():], re.I):
            return True
    return False


# Words that put the date that follows in the future: "will be buried on Friday", "the trial is set for
# March 29", "opens on Monday", "next Tuesday". Only right before the date, so that "shot next to his car on
# Sunday" or "died due to wounds suffered Sunday" stay dates of the deed.
_FUTURE = re.compile(
    r"(?:\b(?:will|shall)\s+(?:not\s+)?(?:be\s+)?\w+(?:\s+\w+)?\s+(?:on\s+|at\s+|in\s+)?|"
    r"\b(?:set|scheduled|slated|planned|due)\s+(?:to\s+\w+\s+)?(?:for|on)\s+|"
    r"\b(?:opens?|begins?|starts?|resumes?)\s+(?:on\s+)?|"
    r"\b(?:postponed|adjourned|continued|delayed)\s+(?:to|until)\s+|\bnext\s+)$", re.I)


# A date of birth (obituaries, victims' profiles): "born June 25, 2001", "was born on March 3", "(b. 1990)".
# Right before the date, so that "a newborn was shot on Sunday" keeps its day.
_BIRTH = re.compile(r"\b(?:born|b\.)\s+(?:on\s+|in\s+)?$", re.I)


def _after(mention: DateMention, base: dt.date | None) -> bool:
    return base is not None and mention.earliest > base + dt.timedelta(days=2)


def _year(raw: str | None, base: dt.date | None, ref_year: int | None) -> int | None:
    if raw:
        raw = raw.strip("'")
        y = int(raw)
        if y < 100:
            pivot = (base.year if base else dt.date.today().year) % 100 + 1
            y += 2000 if y <= pivot else 1900
        return y
    return ref_year


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _infer_year(month: int, day: int, base: dt.date | None, ref_year: int | None) -> dt.date | None:
    """A month and day without a year: the latest such date not after publication (+2 days)."""
    if base is None:
        return _safe_date(ref_year, month, day) if ref_year else None
    d = _safe_date(base.year, month, day)
    if d is None:
        return None
    if d > base + dt.timedelta(days=2):
        d = _safe_date(base.year - 1, month, day)
    return d


def _resolve(kind: str, m: re.Match[str], base: dt.date | None, ref_year: int | None) -> DateMention | None:
    s, e = m.span()
    g = m.groupdict()

    def day(d: dt.date | None, relative: bool = False) -> DateMention | None:
        return DateMention(d, d, "day", s, e, kind, relative) if d else None

    if kind == "iso":
        return day(_safe_date(int(g["year"]), int(g["month"]), int(g["day"])))
    if kind == "numeric":
        y = _year(g["year"], base, ref_year)
        return day(_safe_date(y, int(g["month"]), int(g["day"]))) if y else None
    if kind in ("month-day", "day-month", "month-day-range"):
        month = MONTHS.get(g["month"].lower().rstrip("."))
        if month is None:
            return None
        d1 = int(g["day"])
        if not 1 <= d1 <= 31:
            return None
        if g.get("year"):
            y = _year(g["year"], base, ref_year)
            first = _safe_date(y, month, d1) if y else None
        else:
            first = _infer_year(month, d1, base, ref_year)
        if first is None:
            return None
        if kind == "month-day-range":
            last = _safe_date(first.year, month, int(g["day2"]))
            if last is None or last < first:
                return None
            return DateMention(first, last, "day" if last == first else "week", s, e, kind, not g.get("year"))
        return day(first, relative=not g.get("year"))
    if kind == "month-year":
        month = MONTHS.get(g["month"].lower().rstrip("."))
        y = int(g["year"])
        return DateMention(dt.date(y, month, 1), _month_end(y, month), "month", s, e, kind, False) if month else None
    if kind == "month":
        month = MONTHS.get(g["month"].lower().rstrip("."))
        if month is None or base is None and ref_year is None:
            return None
        y = base.year if base else ref_year
        if base and month > base.month:
            y -= 1
        return DateMention(dt.date(y, month, 1), _month_end(y, month), "month", s, e, kind, True)
    if kind == "year":
        y = int(g["year"])
        if base and y > base.year:
            return None
        return DateMention(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", s, e, kind, False)
    if base is None:
        return None
    if kind == "weekend":
        which = g["which"].lower()
        wd = base.weekday()
        if wd >= 5 and which != "last":
            sat = base - dt.timedelta(days=wd - 5)
        else:
            sat = base - dt.timedelta(days=(wd - 5) % 7 or 7)
        return DateMention(sat, sat + dt.timedelta(days=1), "week", s, e, kind, True)
    if kind == "relative-day":
        rel = " ".join(g["rel"].lower().split())
        back = {"yesterday": 1, "last night": 1, "the day before yesterday": 2}.get(rel, 0)
        if rel == "overnight":
            return DateMention(base - dt.timedelta(days=1), base, "week", s, e, kind, True)
        return day(base - dt.timedelta(days=back), relative=True)
    if kind == "days-ago":
        n = g["n"].lower()
        k = int(n) if n.isdigit() else _NUMBER_WORDS.get(n)
        if k is None or k > 60:
            return None
        return day(base - dt.timedelta(days=k), relative=True)
    if kind == "week":
        which = " ".join(g["which"].lower().split())
        monday = base - dt.timedelta(days=base.weekday())
        if which == "last":
            monday -= dt.timedelta(days=7)
            return DateMention(monday, monday + dt.timedelta(days=6), "week", s, e, kind, True)
        if which == "past":
            return DateMention(base - dt.timedelta(days=7), base, "week", s, e, kind, True)
        return DateMention(monday, base, "week", s, e, kind, True)
    if kind == "month-rel":
        which = " ".join(g["which"].lower().split())
        if which == "last":
            y, mo = (base.year, base.month - 1) if base.month > 1 else (base.year - 1, 12)
            return DateMention(dt.date(y, mo, 1), _month_end(y, mo), "month", s, e, kind, True)
        return DateMention(base.replace(day=1), base, "month", s, e, kind, True)
    if kind == "year-rel":
        which = " ".join(g["which"].lower().split())
        y = base.year - 1 if which == "last" else base.year
        end = dt.date(y, 12, 31) if which == "last" else base
        return DateMention(dt.date(y, 1, 1), end, "year", s, e, kind, True)
    if kind == "weekday":
        wd = WEEKDAYS[g["weekday"].lower()]
        mod = (g.get("mod") or "").lower()
        back = (base.weekday() - wd) % 7
        if mod == "last" and back == 0:
            back = 7
        return day(base - dt.timedelta(days=back), relative=True)
    return None


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


_dateparser_settings: dict | None = None


def _dateparser(phrase: str, s: int, e: int, base: dt.date) -> DateMention | None:
    """Fallback for DATE entities our rules do not read ("the third of March", "two weeks ago")."""
    if len(phrase) > 40 or not re.search(r"\d|" + "|".join(MONTHS) + r"|ago|week|month", phrase, re.I):
        return None
    if re.fullmatch(r"\s*\d+(-|\s)?(year|month|week|day|hour)s?(-|\s)old\s*|\s*\d{1,3}\s*", phrase, re.I):
        return None  # ages and bare numbers are not dates
    if not re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b|\bago\b|yesterday|today|tonight|day\b|week", phrase, re.I):
        return None  # "2006", "March 2016": dateparser would fill in the day from the base; our rules read these
    import dateparser

    settings = {
        "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day, 12, 0),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "STRICT_PARSING": False,
    }
    try:
        parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    d = parsed.date()
    if d > base + dt.timedelta(days=2) or d.year < 1900:
        return None
    if d < base - dt.timedelta(days=366) and not re.search(r"\b(?:19|20)\d\d\b|\bago\b", phrase):
        return None  # a year or more back, and the phrase names no year nor counts back: dateparser made it up
    return DateMention(d, d, "day", s, e, "dateparser", True)


_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Za-z .'\-]{1,40}?)(?:,\s*[A-Z][A-Za-z.'\-]+(?:\s[A-Z][A-Za-z.'\-]+){0,3})?"
    r"(?:\s*\([^)]*\))?,\s*"
    r"(?:(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?\s+(?P<year>\d{2,4})|"
    r"(?P<month2>[A-Za-z]{3,9})\.?\s+(?P<day2>\d{1,2}),?\s+(?P<year2>\d{4}))"
    r"\s*(?:\([^)]*\)\s*)?(?:--|—|–|-|\()",
)


# AP style, no date or a date in brackets: "DETROIT (WXYZ) - ", "STOCKTON, Calif. (KCRA) - ",
# "INDIANAPOLIS, Ind. (Dec. 10, 2015) –", and "(Cincinnati, OH)--". The place must be in capitals (or
# bracketed with a state), so an ordinary opening clause is never taken for one.
_DASH = r"(?:--|—|–|(?<=[\s)])-)"
_DATELINE_NODATE = re.compile(
    r"(?P<place>[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,3})(?P<region>,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)?"
    rf"\s*(?:\((?P<paren>[^)]{{1,40}})\))?\s*{_DASH}\s*(?=\S)"
)
_DATELINE_BRACKETED = re.compile(rf"\((?P<place>[A-Z][A-Za-z .'\-]{{2,30}}),\s*[A-Z][A-Za-z.]{{1,12}}\)\s*{_DASH}")
# Wire copy with a day but no year: "MOGADISHU, Jan 3 (Reuters) -" (the agency's bracket makes it a dateline).
_DATELINE_WIRE_NOYEAR = re.compile(
    r"(?P<place>[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,3})(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)?,\s*"
    rf"(?P<month>[A-Za-z]{{3,9}})\.?\s+(?P<day>\d{{1,2}})\s*\((?P<paren>[^)]{{1,40}})\)\s*{_DASH}\s*(?=\S)"
)
# A dateline in title case, as many sites print it: "Chicago (AP) —", "Kabul, Afghanistan (Reuters) -". Only
# with a news agency or a broadcaster's call sign in the bracket: an ordinary opening clause has none.
_AGENCY = r"AP|Reuters|AFP|UPI|CNN|Xinhua|dpa|DPA|IANS|PTI|ANI|Bloomberg|EFE|ANSA|Kyodo|[KW][A-Z]{2,4}(?:-TV)?"
_DATELINE_TITLE = re.compile(
    r"(?P<place>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})(?P<region>,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)?"
    rf"\s*\((?P<paren>{_AGENCY})\)\s*{_DASH}\s*(?=\S)"
)
_PAREN_DATE = re.compile(r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d\d)")


@dataclass(slots=True)
class Dateline:
    place: str
    place_start: int
    place_end: int
    date: dt.date | None
    start: int
    end: int
    wire: bool = False  # the date follows the place on the line ("LIMA, 5 JAN 90 --"), as wire copy files it


def find_dateline(text: str, body_start: int = 0) -> Dateline | None:
    """A wire dateline at the start of a report's body: 'SAN SALVADOR, 3 JAN 90 -- ...',
    'TARSEL, Arvelia, March 9, 2024 —', or without a date 'DETROIT (WXYZ) - '. The body may
    follow a headline line or two, or start at ``body_start`` (a headline glued to it)."""
    starts = [body_start] if body_start else []
    starts += [line.end() for line in re.finditer(r"^[ \t]*(?=\S)", text[:400], re.M) if line.end() <= 300]
    m = None
    for start in starts:
        m = _DATELINE.match(text, start)
        if m:
            break
    if not m:
        for start in starts:
            wire = _DATELINE_WIRE_NOYEAR.match(text, start)
            if wire and MONTHS.get(wire["month"].lower()[:3]):
                place = wire.group("place").rstrip(".")
                return Dateline(place, wire.start("place"), wire.start("place") + len(place), None,
                                wire.start(), wire.end(), wire=True)
            bare = (_DATELINE_NODATE.match(text, start) or _DATELINE_BRACKETED.match(text, start)
                    or _DATELINE_TITLE.match(text, start))
            if bare is None and not text[:200].isupper():
                # a dateline a few words into the body, after a byline or a date: "... 2014 AUBURN, Alabama --"
                bare = next((b for b in _DATELINE_NODATE.finditer(text, start, start + 200)
                             if b.group("region") or b.group("paren")), None)
            if bare and len(bare.group("place")) >= 3:
                place = bare.group("place").rstrip(".")
                paren = bare.groupdict().get("paren") or ""
                when = _PAREN_DATE.search(paren)
                day = None
                if when and MONTHS.get(when["month"].lower()[:3]):
                    day = _safe_date(int(when["year"]), MONTHS[when["month"].lower()[:3]], int(when["day"]))
                return Dateline(place, bare.start("place"), bare.start("place") + len(place), day,
                                bare.start(), bare.end())
        return None
    g = m.groupdict()
    month = MONTHS.get((g["month"] or g["month2"] or "").lower()[:4].rstrip(".")) or MONTHS.get(
        (g["month"] or g["month2"] or "").lower()[:3]
    )
    day_s = g["day"] or g["day2"]
    year_s = g["year"] or g["year2"]
    date = None
    if month and day_s and year_s:
        y = int(year_s)
        if y < 100:
            y += 1900 if y > (dt.date.today().year % 100 + 1) else 2000
        date = _safe_date(y, month, int(day_s))
    return Dateline(g["place"].strip(), m.start("place"), m.start("place") + len(g["place"].strip()), date,
                    m.start(), m.end(), wire=date is not None)
