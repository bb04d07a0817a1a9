"""tollbook: news reports of violent incidents in; evidence-linked casualty records out.

    import tollbook
    tb = tollbook.open("tollbook.db")
    tb.ingest(["reports/"])
    for event in tb.events():
        print(event.type, event.figure("killed"))
"""

from importlib.metadata import PackageNotFoundError, version

from tollbook.api import IngestResult, Tollbook, open
from tollbook.records import Actor, Event, Evidence, Figure, Flag, Place, Report, When

try:
    __version__ = version("tollbook")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"


def extract(report: Report) -> list[Event]:
    """Events of one report with the default extractor (spaCy and the gazetteer load on first use)."""
    from tollbook.extract import extract as _extract

    return _extract(report)


__all__ = [
    "Actor", "Event", "Evidence", "Figure", "Flag", "IngestResult", "Place", "Report", "Tollbook", "When",
    "__version__", "extract", "open",
]
