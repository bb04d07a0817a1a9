"""The extractor: one report in, its events out, every value with its evidence.

``Extractor`` holds the services (spaCy pipeline, gazetteer, options) and runs the stages:
parse -> figures -> dates -> places -> actors -> events. It knows nothing of the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from tollbook.extract.actors import find_actors
from tollbook.extract.dates import find_dateline, find_dates
from tollbook.extract.events import build_events
from tollbook.extract.figures import find_figures
from tollbook.extract.gazetteer import Gazetteer
from tollbook.extract.nlp import load_nlp, model_version, prepare_text
from tollbook.extract.numbers import CEILING
from tollbook.extract.places import PlaceMention, Resolver, find_places
from tollbook.extract.rules import rule
from tollbook.records import Event, Evidence, Flag, Report

RULES_VERSION = "1"

# Long texts (docs/ingest.md, "Limits"): a text over CHUNK_CHARS is read in pieces cut at
# paragraph or sentence ends, each as a report of its own, so that spaCy's ``max_length``
# (1,000,000 characters) never decides whether a report can be read, the parser's memory stays
# that of one piece, and the work grows linearly with the length. The work on one report is bounded by
# ``ExtractOptions.max_tokens``: the pieces past it are not read, and each event of the report
# carries a "text not read" flag saying where reading stopped.
CHUNK_CHARS = 50_000
MAX_TOKENS = 400_000  # about 2 MB of English news text: every report under the 50 MB limit ends
_CUTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"'”’)]*\s"), re.compile(r"\s"))

R_TEXT_NOT_READ = rule("flags.text-not-read", "the report is over the per-report work budget: its end was not read")
R_OVER_CEILING = rule("flags.figure-over-ceiling",
                      "a count above the ceiling of numbers.CEILING, read as 'more than' and not as exact")


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """How to read vague quantities, and a country to prefer when a report names none."""

    vague_reading: str = "plain"  # "plain" (dozens = 24+) or "acled" (dozens = 12+)
    country_hint: str | None = None  # ISO code, e.g. "US"
    use_dateparser: bool = True
    max_tokens: int = MAX_TOKENS  # tokens read per report at most (the work budget)


class Extractor:
    """Callable: ``extractor(report) -> list[Event]``; ``pipe(reports)`` for batches."""

    def __init__(
        self,
        *,
        gazetteer: Gazetteer | None = None,
        nlp=None,
        options: ExtractOptions = ExtractOptions(),
    ) -> None:
        self.nlp = nlp if nlp is not None else load_nlp()
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.default()
        self.options = options
        # Tokens parsed so far: the work done, counted (tests bound it without a clock).
        self.tokens_read = 0

    @property
    def version(self) -> str:
        return f"tollbook-rules-{RULES_VERSION}+{model_version()}"

    def __call__(self, report: Report) -> list[Event]:
        return next(self.pipe([report]))

    def pipe(self, reports: Iterable[Report], *, batch_size: int = 16) -> Iterator[list[Event]]:
        """Events of each report, in order; spaCy parses the texts in batches (a long text alone,
        in pieces)."""
        reports = list(reports) if not isinstance(reports, list) else reports
        for i in range(0, len(reports), max(1, batch_size)):
            batch = reports[i:i + max(1, batch_size)]
            short = [r for r in batch if len(r.text) <= min(CHUNK_CHARS, self.options.max_tokens)]
            parsed = iter(self.nlp.pipe((self._tokenize(r) for r in short), batch_size=batch_size))
            for report in batch:
                if len(report.text) <= min(CHUNK_CHARS, self.options.max_tokens):  # a token has a character
                    doc = next(parsed)
                    self.tokens_read += len(doc)
                    yield self.events_from_doc(report, doc)
                else:
                    yield self._long_events(report, batch_size)

    def _long_events(self, report: Report, batch_size: int) -> list[Event]:
        """A text over CHUNK_CHARS, read piece by piece up to the work budget. Each piece is read as
        a report of its own (a text of more than 50,000 characters is a compilation of stories far
        more often than one story), and the events' evidence is moved to its place in the report:
        the work is the same per piece, so it grows linearly with the length."""
        text = prepare_text(report.text)
        cut = glued_title_end(report)
        pieces, spans, budget = [], [], self.options.max_tokens
        for start, end in _pieces(text, CHUNK_CHARS):
            if budget <= 0:
                break
            piece = self._make_doc(text[start:end], cut - start if 0 < cut - start < end - start else 0)
            if len(piece) > budget:  # the last piece read: up to the last sentence end within the budget
                stop = piece[budget].idx
                end = max(start + _cut_before(text[start:start + stop], stop // 2, stop), start + max(1, stop))
                piece = self._make_doc(text[start:end], cut - start if 0 < cut - start < end - start else 0)
                budget = 0
            pieces.append(piece)
            spans.append((start, end))
            budget -= len(piece)
        events: list[Event] = []
        for (start, end), doc in zip(spans, self.nlp.pipe(pieces, batch_size=batch_size)):
            self.tokens_read += len(doc)
            for ev in self.events_from_doc(replace(report, text=report.text[start:end]), doc):
                events.append(_moved(ev, start))
        read = spans[-1][1]
        if read >= len(report.text):
            return events
        last_start = max(0, len(report.text[:read].rstrip()) - 1)
        note = (f"only the first {read:,} of {len(report.text):,} characters were read: the report is over "
                f"the work budget of {self.options.max_tokens:,} tokens")
        for ev in events:
            ev.flags.append(Flag("text not read", note, (Evidence.of(report.id, report.text, last_start,
                                                                      last_start + 1),), rule=R_TEXT_NOT_READ))
        return events

    def _tokenize(self, report: Report):
        """The report tokenized for the pipeline. A headline glued to the body by a scraper
        ("...west sideDETROIT (WXYZ) - Police") is cut off as its own sentence."""
        return self._make_doc(prepare_text(report.text), glued_title_end(report))

    def _make_doc(self, text: str, cut: int):
        if not cut:
            return self.nlp.make_doc(text)
        from spacy.tokens import Doc

        doc = Doc.from_docs([self.nlp.make_doc(text[:cut]), self.nlp.make_doc(text[cut:])], ensure_whitespace=False)
        for tok in doc:
            if tok.idx == cut:
                tok.is_sent_start = True
        return doc

    def events_from_doc(self, report: Report, doc) -> list[Event]:
        text = report.text
        dateline = find_dateline(text, glued_title_end(report))
        base = report.published or (dateline.date if dateline else None)
        figures = find_figures(doc, reading=self.options.vague_reading)
        date_ents = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "DATE"]
        dates = find_dates(text, base, date_ents, use_dateparser=self.options.use_dateparser)
        if dateline is not None:  # the dateline's date is when the report was filed, not the incident
            dates = [d for d in dates if not dateline.start <= d.start < dateline.end]
        dateline_span = (dateline.place, dateline.place_start, dateline.place_end) if dateline else None
        places = find_places(doc, self.gazetteer, dateline=dateline_span)
        dateline_place: PlaceMention | None = next((p for p in places if p.label == "dateline"), None)
        if dateline_place is not None and dateline is not None and dateline.wire:
            dateline_place.filed = True
        resolver = Resolver(self.gazetteer, places, doc, country_hint=self.options.country_hint, title=report.title)
        actors = find_actors(doc, figures)
        events = build_events(report, doc, figures, dates, places, resolver, actors, base, dateline_place)
        return [_flag_over_ceiling(ev) for ev in events]


def _moved(ev: Event, by: int) -> Event:
    """``ev`` with every evidence span moved ``by`` characters on (from a piece into the report)."""
    if by:
        for rec in (ev, *ev.figures, *ev.places, *ev.dates, *ev.actors, *ev.flags):
            rec.evidence = tuple(Evidence(e.report_id, e.start + by, e.end + by, e.quote) for e in rec.evidence)
    return ev


def _flag_over_ceiling(ev: Event) -> Event:
    """A count read as "more than the ceiling" is a garbled or absurd number, not a toll: say so."""
    for f in ev.figures:
        if f.low is not None and f.low >= CEILING and f.high is None:
            ev.flags.append(Flag("figure over ceiling", f"a {f.kind} count over {CEILING:,} is not read as a "
                                 "number of people; check the report", f.evidence, rule=R_OVER_CEILING))
    return ev


def _cut_before(text: str, lo: int, hi: int) -> int:
    """The last paragraph break, line break, sentence end or space in ``text[lo:hi]`` (its end), else hi."""
    window = text[lo:hi]
    for pattern in _CUTS:
        found = list(pattern.finditer(window))
        if found:
            return lo + found[-1].end()
    return hi


def _pieces(text: str, size: int) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive pieces of ``text`` of at most ``size`` characters, each cut at
    the last paragraph break, line break, sentence end or space of its window (hard cut if none)."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            end = _cut_before(text, start + size // 2, end)
        yield start, end
        start = end


def glued_title_end(report: Report) -> int:
    """Where the body starts when the text opens with the title and no break ("...sideDETROIT")."""
    title = (report.title or "").strip()
    text = report.text
    if len(title) >= 12 and text.startswith(title) and len(text) > len(title) and not text[len(title)].isspace():
        return len(title)
    return 0


_default: Extractor | None = None


def extract(report: Report) -> list[Event]:
    """Events of one report with the default extractor (made on first use)."""
    global _default
    if _default is None:
        _default = Extractor()
    return _default(report)
