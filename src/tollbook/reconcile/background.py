"""Context, not incidents: what a report tells only as the background of its news.

News tells history in passing: "he was convicted of a 2005 robbery", "his father died 26 years ago
in a similar incident", "two deputies were killed on Sept. 23, 1997". And a report of a sentencing,
a trial, a funeral or an anniversary tells an incident that happened before it. Such an event stays
an event of its report (in ``events``, with its evidence); it is part of an incident only when it
joins one that some report tells as its own news (grouping: same people, same place and words). A
group made only of such events is no incident: an incident of its own would stand in the record
dated years back (or on the day of a sentencing) and counted again beside the incident it follows.

The rules, in order (``context_reason``):

1. an event dated well before its report was published: history told in passing, not news. An older
   incident the report refers to, more than ``REFERENCED_DAYS`` (a year) back; a scene of the report's
   own story (a paragraph of a biography the extractor read as one: "arrested in November 2010"), more
   than ``BACKGROUND_DAYS`` (two years) back: a follow-up years on (a trial) joins its incident when
   the store holds it;
2. an older incident the report refers to (``role == "referenced"``) without a date ("a prior
   shooting", "had been convicted of robbery"), or in a report without a publication date, which cannot
   tell whether what it recalls is recent;
3. the main event of a follow-up report, one whose headline or lead tells a sentencing, a plea, a
   trial or verdict, a funeral, vigil or memorial, or an anniversary (``FOLLOW_UP``), when it names no
   day of the incident (a month or a year at most): on its own it could only be placed on the day of
   the follow-up, which is no incident's day. (An arrest is not among them: "a man was arrested after
   a shooting that killed two" is how many first reports open.)

A referenced incident of the last year ("last month's bombing of the same market killed eight")
is still an incident of its own, as before, and so is a follow-up that gives the incident's day: it is
the record of that incident, and the first report of it may be missing from the store.
"""

from __future__ import annotations

import datetime as dt
import re

from tollbook.records import Event, Report

BACKGROUND_DAYS = 730  # "years before": an event of its report's main story dated earlier is history
REFERENCED_DAYS = 365  # an older incident a report refers to, dated more than a year before it, is history
PRECISE_DAYS = 7  # a date of at most this many days names the incident's day (as grouping.SPAN_DAYS)
LEAD_CHARS = 300  # the headline and the first sentence or two, where news says what the report is about

# The steps after an incident that a follow-up report is about (its headline or lead names them).
FOLLOW_UP = re.compile(
    r"\b(?:sentenc(?:ed|ing|e)|convict(?:ed|ion)(?!\s+(?:felon|sex|killer|murderer|offender))|plead(?:s|ed)?|"
    r"pled|guilty|trial|jury|jurors|verdict|arraign(?:ed|ment)|indicted|acquitted|funerals?|vigils?|"
    r"memorial (?:service|for)|anniversary|laid to rest|"
    r"years? (?:in|behind) (?:prison|jail|bars)|life in prison)\b", re.I)


def lead_of(report: Report) -> str:
    text = report.text[:LEAD_CHARS]
    return f"{report.title}\n{text}" if report.title and report.title not in text else text


def context_reason(event: Event, report: Report) -> str | None:
    """Why ``event`` makes no incident on its own (module docstring), or None when it does."""
    when = event.when
    published = report.published
    days = REFERENCED_DAYS if event.role == "referenced" else BACKGROUND_DAYS
    if when is not None and published is not None and when.latest < published - dt.timedelta(days=days):
        return f"history the report tells, of {when.earliest.year}"
    if event.role == "referenced":
        if when is None:
            return "an older incident the report mentions without a date"
        if published is None:
            # a report with no publication date cannot tell whether what it recalls is recent: "two prior
            # massacres in 2009 and 2011" in an undated opinion piece is background, not news
            return "an older incident an undated report mentions"
        return None
    if event.role != "main":
        return None
    precise = any((w.latest - w.earliest).days <= PRECISE_DAYS for w in event.dates)
    lead = lead_of(report)
    if not precise and FOLLOW_UP.search(lead):
        return "a follow-up (a sentencing, trial, funeral...) that names no day of the incident"
    return None
