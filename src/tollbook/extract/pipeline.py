"""The extractor: one report in, its events out, every value with its evidence.

``Extractor`` holds the services (spaCy pipeline, gazetteer, options) and runs the stages:
parse -> figures -> dates -> places -> actors -> events. It knows nothing of the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tollbook.extract.actors import find_actors
from tollbook.extract.dates import find_dateline, find_dates
from tollbook.extract.events import build_events
from tollbook.extract.figures import find_figures
from tollbook.extract.gazetteer import Gazetteer
from tollbook.extract.nlp import load_nlp, model_version, prepare_text
from tollbook.extract.places import PlaceMention, Resolver, find_places
from tollbook.records import Event, Report

RULES_VERSION = "1"


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """How to read vague quantities, and a country to prefer when a report names none."""

    vague_reading: str = "plain"  # "plain" (dozens = 24+) or "acled" (dozens = 12+)
    country_hint: str | None = None  # ISO code, e.g. "US"
    use_dateparser: bool = True


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

    @property
    def version(self) -> str:
        return f"tollbook-rules-{RULES_VERSION}+{model_version()}"

    def __call__(self, report: Report) -> list[Event]:
        return next(self.pipe([report]))

    def pipe(self, reports: Iterable[Report], *, batch_size: int = 16) -> Iterator[list[Event]]:
        """Events of each report, in order; spaCy parses the texts in batches."""
        reports = list(reports) if not isinstance(reports, list) else reports
        docs = (self._tokenize(r) for r in reports)
        for report, doc in zip(reports, self.nlp.pipe(docs, batch_size=batch_size)):
            yield self.events_from_doc(report, doc)

    def _tokenize(self, report: Report):
        """The report tokenized for the pipeline. A headline glued to the body by a scraper
        ("...west sideDETROIT (WXYZ) - Police") is cut off as its own sentence."""
        text = prepare_text(report.text)
        cut = glued_title_end(report)
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
        return build_events(report, doc, figures, dates, places, resolver, actors, base, dateline_place)


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
