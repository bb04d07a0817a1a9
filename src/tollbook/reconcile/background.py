"""Context, not incidents: what a report tells only as the background of its news.

News tells history in passing: "he was convicted of a 2005 robbery", "his father died 26 years ago
in a similar incident", "two deputies were killed on Sept. 23, 1997". And a report of a sentencing,
a trial, a funeral or an anniversary tells an incident that happened before it. Such an event stays
an event of its report (in ``events``, with its evidence); it is part of an incident only when it
joins one that some report tells as its own news (grouping: same people, same place and words). A
group made only of such events is no incident: an incident of its own would stand in the record
dated years back (or on the day of a sentencing) and counted again beside the incident it follows.

The rules, in order (``context_reason``):

1. an older incident the report refers to (``role == "referenced"``) with no date, or dated more
   than ``BACKGROUND_DAYS`` before the report was published: history, not news;
2. the main event of a follow-up report, one whose headline or lead tells a sentencing, a plea, a
   trial or verdict, a funeral, vigil or memorial, or an anniversary (``FOLLOW_UP``); or an arrest or
   charge told more than ``LATE_ARREST_DAYS`` after the deed's date it gives.

A referenced incident of the last year ("last month's bombing of the same market killed eight") is
still an incident of its own, as before: it is recent news that the record may not hold yet.
"""

from __future__ import annotations

import datetime as dt
import re

from tollbook.records import Event, Report

BACKGROUND_DAYS = 365
LATE_ARREST_DAYS = 30
LEAD_CHARS = 300  # the headline and the first sentence or two, where news says what the report is about

# The steps after an incident that a follow-up report is about (its headline or lead names them).
FOLLOW_UP = re.compile(
    r"\b(?:sentenc(?:ed|ing|e)|convict(?:ed|ion)(?!\s+(?:felon|sex|killer|murderer|offender))|plead(?:s|ed)?|"
    r"pled|guilty|trial|jury|jurors|verdict|arraign(?:ed|ment)|indicted|acquitted|funerals?|vigils?|"
    r"memorial (?:service|for)|anniversary|laid to rest|"
    r"years? (?:in|behind) (?:prison|jail|bars)|life in prison)\b", re.I)
ARREST = re.compile(r"\b(?:arrest(?:s|ed)?|charged|charges|in custody|surrender(?:s|ed)?|caught)\b", re.I)


def lead_of(report: Report) -> str:
    text = report.text[:LEAD_CHARS]
    return f"{report.title}\n{text}" if report.title and report.title not in text else text


def context_reason(event: Event, report: Report) -> str | None:
    """Why ``event`` makes no incident on its own (module docstring), or None when it does."""
    when = event.when
    published = report.published
    if event.role == "referenced":
        if when is None:
            return "an older incident the report mentions without a date"
        if published is not None and when.latest < published - dt.timedelta(days=BACKGROUND_DAYS):
            return f"an older incident the report mentions, {when.earliest.year}, as history"
        return None
    if event.role != "main":
        return None
    lead = lead_of(report)
    if FOLLOW_UP.search(lead):
        return "a follow-up report (sentencing, trial, funeral, anniversary) of an earlier incident"
    if ARREST.search(lead) and when is not None and published is not None and \
            when.latest < published - dt.timedelta(days=LATE_ARREST_DAYS):
        return "an arrest or charge weeks after the incident it follows"
    return None
