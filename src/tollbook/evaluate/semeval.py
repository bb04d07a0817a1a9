"""SemEval-2018 Task 5, "Counting events and participants in the long tail" (Postma, Ilievski and
Vossen 2018): questions about US gun-violence incidents, answered from the incidents tollbook
builds out of the task's documents.

The folder holds ``s1.json``, ``s2.json``, ``s3.json`` (each ``{"questions": {id: question},
"answers": {id: answer}}``) and ``documents.jsonl`` (``{"doc_id", "text"}``; the text's first line
is the publication date, the second the title, then the tokenised body with `` NEWLINE`` at the
end of each paragraph). The system sees the documents and the questions, never the answers.

Questions name an event type (``killing``, ``injuring``; the task also had ``fire_burning`` and
``job_firing``, which tollbook does not record and leaves unanswered), and two of: a time (a day
``dd/mm/yyyy``, a month ``mm/yyyy`` or a year), a place (a city or a state, as a DBpedia URI; the
verbose question repeats it as ``('State', 'City')``) and a participant's first, last or full name.

- s1: which documents report the one incident that fits (the answer is always one incident);
- s2: how many incidents fit, with the documents that report them;
- s3: how many people were killed (or injured) in the incidents that fit, with their documents.

The documents go through the Python API (``Tollbook.ingest_bytes`` into a temporary SQLite store);
``Tollbook.incidents()`` groups and reconciles them, and the questions are answered from the
incidents alone (``fits``): an incident is a *killing* when its reconciled killed figure is above 0
and an *injuring* when its injured figure is (it can be both, as in the task's registry); its time
is the day most of its reports give; its places are those of its events (US places only; one its
reports never name the state of may lie in a state they do name); its people are the victims and
perpetrators the extractor named and the people its reports say were shot, killed, arrested or
charged. s1 takes the incident that fits best (``closeness``), s2 counts the incidents that fit,
s3 adds up their best killed (or injured) figures.

Scoring follows the official scorer (repository cltl/LongTailQATask, ``Evaluation/scorer``), see
``score`` and docs/evaluation.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from tollbook.errors import DatasetError
from tollbook.evaluate._jsonl import records

SUBTASKS = ("s1", "s2", "s3")
METRICS = ("s1_doc_f1", "s1_answered", "s2_accuracy", "s2_rmse", "s2_doc_f1", "s2_answered", "s3_accuracy",
           "s3_rmse", "s3_doc_f1", "s3_answered")
EVENT_FIGURE = {"killing": "killed", "injuring": "injured"}


# -- reading -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Dataset:
    questions: dict[str, dict[str, dict[str, Any]]]  # subtask -> question id -> question
    gold: dict[str, dict[str, dict[str, Any]]]  # subtask -> question id -> answer
    documents: list[dict[str, Any]]  # {"doc_id", "text", "title", "published"}


def read(path: str | Path) -> Dataset:
    """The questions, gold answers and documents of a SemEval-2018 Task 5 folder."""
    folder = Path(path)
    if not folder.is_dir():
        raise DatasetError(f"semeval2018t5: {folder} is not a folder (give the folder with s1.json, s2.json, "
                           "s3.json and documents.jsonl)")
    questions: dict[str, dict[str, dict[str, Any]]] = {}
    gold: dict[str, dict[str, dict[str, Any]]] = {}
    for sub in SUBTASKS:
        p = folder / f"{sub}.json"
        if not p.is_file():
            raise DatasetError(f"semeval2018t5: no such file {p}")
        try:
            data = json.loads(p.read_text("utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise DatasetError(f"semeval2018t5: {p}: not JSON ({exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get("questions"), dict):
            raise DatasetError(f"semeval2018t5: {p}: no \"questions\" object")
        answers = data.get("answers") or {}
        if not isinstance(answers, dict):
            raise DatasetError(f"semeval2018t5: {p}: \"answers\" is not an object")
        for qid, a in answers.items():
            if not isinstance(a, dict) or "numerical_answer" not in a or "answer_docs" not in a:
                raise DatasetError(f"semeval2018t5: {p}: answer {qid} has no numerical_answer and answer_docs")
        questions[sub] = data["questions"]
        gold[sub] = {q: a for q, a in answers.items() if q in data["questions"]}
    p = folder / "documents.jsonl"
    if not p.is_file():
        raise DatasetError(f"semeval2018t5: no such file {p}")
    documents = []
    for n, rec in enumerate(records(p, "semeval2018t5", ()), 1):
        if not isinstance(rec, dict) or not isinstance(rec.get("doc_id"), str) or not isinstance(rec.get("text"), str):
            raise DatasetError(f"semeval2018t5: {p} document {n}: not a document (no doc_id and text)")
        documents.append({"doc_id": rec["doc_id"], **document_fields(rec["text"])})
    return Dataset(questions, gold, documents)


_DATE_LINE = re.compile(r"\d{4}-\d\d-\d\d")


def document_fields(raw: str) -> dict[str, Any]:
    """Text, title and publication date of a task document: the first line is the date, the second
    the title; the body is tokenised text with ` NEWLINE` closing each paragraph, which becomes a
    blank line. Tokenisation is undone where it is unambiguous ("shot , police said" -> "shot,
    police said"; "11-year - old" -> "11-year-old")."""
    lines = raw.split("\n")
    published = None
    if lines and _DATE_LINE.fullmatch(lines[0].strip()):
        try:
            published = dt.date.fromisoformat(lines[0].strip())
        except ValueError:
            published = None
        lines = lines[1:]
    title = detokenise(lines[0].replace("NEWLINE", " ")).strip() if lines else ""
    body = "\n".join(lines[1:])
    body = re.sub(r"[ \t]*\bNEWLINE\b[ \t]*", "\n\n", body)
    body = re.sub(r"\n{3,}", "\n\n", body)
    body = "\n".join(detokenise(x) for x in body.split("\n")).strip()
    return {"text": body or title, "title": title or None, "published": published}


_SPACE_BEFORE = re.compile(r" (?=[,.;:!?%)\]}]|'s\b|'S\b|n't\b|'re\b|'ve\b|'ll\b|'d\b|'m\b)")
_SPACE_AFTER = re.compile(r"(?<=[(\[{$]) ")
_HYPHEN = re.compile(r"(?<=\w) - (?=\w)")


def detokenise(line: str) -> str:
    line = _SPACE_BEFORE.sub("", line)
    line = _SPACE_AFTER.sub("", line)
    line = _HYPHEN.sub("-", line)
    return re.sub(r"[ \t]{2,}", " ", line)


# -- building incidents ------------------------------------------------------------------------------


@dataclass(slots=True)
class Built:
    incidents: list  # tollbook.reconcile.Incident
    reports: dict[str, Any]  # report id -> Report (with text)
    docs_of_report: dict[str, list[str]]  # report id -> task doc ids (equal texts are one report)


def build(documents: Sequence[dict[str, Any]], *, db: str | Path | None = None, gazetteers: tuple[str, ...] = (),
          options=None, extractor=None) -> Built:
    """Ingest the documents into a store (a temporary SQLite file unless ``db`` is given) through
    the Python API, as a user would, and build the incidents."""
    from tollbook.api import Tollbook
    from tollbook.config import Settings
    from tollbook.ingest.readers import normalise_text, with_headline
    from tollbook.records import report_id_for, text_sha256
    from tollbook.store import Store

    if extractor is None:
        from tollbook.extract.gazetteer import Gazetteer
        from tollbook.extract.pipeline import ExtractOptions, Extractor

        extractor = Extractor(gazetteer=Gazetteer.default(user_files=[str(g) for g in gazetteers]),
                              options=options or ExtractOptions())
    batch = "".join(json.dumps({"id": d["doc_id"], "text": d["text"], "title": d.get("title"),
                                "published": d["published"].isoformat() if d.get("published") else None}) + "\n"
                    for d in documents).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="tollbook-semeval-") as tmp:
        path = Path(db) if db is not None else Path(tmp) / "semeval.db"
        settings = Settings(db=str(path), max_size_mb=max(50.0, len(batch) / 1e6 + 1))
        with Tollbook(Store.open(path), settings=settings, extractor=extractor) as tb:
            if documents:  # a document that cannot be read (no text) has no incidents
                tb.ingest_bytes("documents.jsonl", batch, fmt="jsonl")
            incidents = tb.incidents()
            reports = {r.id: r for r in tb.reports(with_text=True)}
    docs_of_report: dict[str, list[str]] = {}
    for d in documents:
        rid = report_id_for(text_sha256(with_headline(d.get("title"), normalise_text(d["text"]))))
        docs_of_report.setdefault(rid, []).append(d["doc_id"])
    return Built(incidents, reports, docs_of_report)


# -- questions -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Question:
    id: str
    subtask: str
    event_type: str | None
    start: dt.date | None = None  # the time asked about, a day range
    end: dt.date | None = None
    cities: frozenset[str] = frozenset()  # folded names the city may go by
    state: str | None = None  # folded
    first: str | None = None
    last: str | None = None
    full: str | None = None


_RESOURCE = re.compile(r"^https?://(?:[a-z]+\.)?dbpedia\.org/(?:resource|page)/")
_VERBOSE_PLACE = re.compile(r"in \(((?:'[^']*'|\"[^\"]*\")(?:, (?:'[^']*'|\"[^\"]*\"))*),?\) \((city|state)\)")
# Words DBpedia adds to a place that the reports do not use ("Downtown Orlando", "Joliet Township").
_PLACE_QUALIFIERS = re.compile(r"^(downtown|uptown|midtown|greater) |"
                               r" (township|center city|metropolitan area|valley|city center)$")


@functools.lru_cache(maxsize=1 << 16)  # questions fold the same few names against every incident
def fold_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("’", "'")
    text = re.sub(r"[.\-_/,]+", " ", text)
    text = re.sub(r"^(the|saint|st) ", lambda m: "saint " if m.group(1) in ("saint", "st") else "", text.strip())
    return re.sub(r"\s+", " ", text).strip()


def _place_variants(name: str, strip: bool = False) -> set[str]:
    """'Chicago (Englewood)' -> chicago, englewood; with ``strip`` (a DBpedia title) also without the
    words DBpedia adds: 'Joliet Township' -> joliet township, joliet."""
    out = set()
    inner = re.findall(r"\(([^)]*)\)", name)
    outer = re.sub(r"\s*\([^)]*\)", "", name)
    for n in [outer, *inner]:
        f = fold_name(n)
        if not f or f in ("town", "city", "u s state", "state"):
            continue
        out.add(f)
        stripped = _PLACE_QUALIFIERS.sub("", f).strip() if strip else f
        if stripped and stripped != f:
            out.add(stripped)
    return out


def _state_name(name: str) -> str:
    return fold_name(re.sub(r"\s*\((?:u\.?s\.? )?state\)\s*$", "", name, flags=re.I))


def parse_question(qid: str, subtask: str, q: dict[str, Any]) -> Question:
    """What a question asks, read from its fields (and the place as its verbose form spells it)."""
    types = q.get("event_types") or q.get("event_type")
    event_type = types[0] if isinstance(types, list) and types else types if isinstance(types, str) else None
    out = Question(qid, subtask, event_type)
    time = q.get("time") or {}
    try:
        if time.get("day"):
            d = dt.datetime.strptime(time["day"], "%d/%m/%Y").date()
            out.start = out.end = d
        elif time.get("month"):
            m = dt.datetime.strptime(time["month"], "%m/%Y").date()
            nxt = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            out.start, out.end = m, nxt - dt.timedelta(days=1)
        elif time.get("year"):
            y = int(time["year"])
            out.start, out.end = dt.date(y, 1, 1), dt.date(y, 12, 31)
    except (ValueError, TypeError):
        pass
    loc = q.get("location") or {}
    cities: set[str] = set()
    state = None
    verbose = _VERBOSE_PLACE.search(q.get("verbose_question") or "")
    if verbose:
        parts = [p.strip("'\"") for p in re.findall(r"'[^']*'|\"[^\"]*\"", verbose.group(1))]
        if parts:
            state = _state_name(parts[0])
        if verbose.group(2) == "city" and len(parts) > 1:
            cities |= _place_variants(parts[1])
    # The verbose question spells the place as the incident registry has it ('Tacoma (Parkland)');
    # the DBpedia link is sometimes of a neighbouring place, so it is read only when that is missing.
    for gran, uri in loc.items() if state is None else ():
        name = unquote(_RESOURCE.sub("", str(uri))).replace("_", " ")
        if gran == "state":
            state = _state_name(name)
        elif gran == "city":
            head, *rest = [x.strip() for x in name.split(",")]
            # "Hampton, Virginia"; "Joliet Township, Will County, Illinois"; "Penile, Louisville"
            cities |= _place_variants(head, strip=True)
            for r in rest:
                if _state_name(r) in _us_states()[0].values():
                    state = _state_name(r)
                elif not r.lower().endswith("county"):
                    cities |= _place_variants(r, strip=True)
    out.cities, out.state = frozenset(cities), state
    part = q.get("participant") or {}
    out.first = (part.get("first") or "").strip() or None
    out.last = (part.get("last") or "").strip() or None
    out.full = (part.get("full_name") or "").strip() or None
    return out


# -- what the incidents say ------------------------------------------------------------------------------


@dataclass(slots=True)
class Facts:
    """What a question can ask of one incident."""

    id: str
    docs: list[str]  # task documents of its reports
    killed: int  # reconciled best figures (0 when none)
    injured: int
    when: tuple[dt.date, dt.date] | None  # the days it happened in, as well as the reports tell
    places: list[tuple[frozenset[str], str | None]]  # (folded names of a place and its city/county, its state)
    text: str  # titles and texts of its reports
    participants: frozenset[str] = frozenset()  # folded names of people shot, killed, arrested, charged
    people: frozenset[str] = frozenset()  # folded names of every person named (not officials)
    states: frozenset[str] = frozenset()  # US states its reports name (folded)
    _lowered: str | None = None
    _folded: str | None = None  # " text ", folded once (every question looks for place names in it)

    def lowered(self) -> str:
        if self._lowered is None:
            self._lowered = self.text.lower()
        return self._lowered

    def folded(self) -> str:
        if self._folded is None:
            self._folded = f" {fold_name(self.text)} "
        return self._folded


def facts_of(incidents: Iterable, built: Built) -> list[Facts]:
    """The facts of each incident that has a task document among its reports and that is what one
    of its reports is about (holds the report's lead event, its first main one). The other events
    of a report are the other shootings a round-up lists ("Another man was wounded Monday"), or one
    shooting read as two: counted, each would be one more incident that no report is about."""
    incidents = list(incidents)
    events_of: dict[str, list] = {}
    for inc in incidents:
        for e in inc.events:
            events_of.setdefault(e.report_id, []).append(e)
    leads = set()
    for evs in events_of.values():
        mains = [e for e in evs if e.role == "main"] or evs
        leads.add(id(min(mains, key=lambda e: (e.id is None, e.id or 0))))
    out = []
    for inc in incidents:
        if not any(id(e) in leads for e in inc.events):
            continue
        docs = sorted({d for rid in inc.reports for d in built.docs_of_report.get(rid, ())})
        if not docs:
            continue
        places, seen = [], set()
        for p in ([inc.place] if inc.place else []) + [e.place for e in inc.events if e.place]:
            key = (p.name, p.city, p.admin2, p.admin1)
            if key in seen:
                continue
            seen.add(key)
            names = frozenset(fold_name(x) for x in (p.name, p.city, p.admin2) if x)
            names |= frozenset(n.removesuffix(" county") for n in names if n.endswith(" county"))
            # the task's places are US cities and states: a place found elsewhere places it nowhere
            places.append((names, fold_name(p.admin1) if p.admin1 and p.country_code == "US" else None))
        reports = [built.reports[r] for r in inc.reports if r in built.reports]
        text = "\n".join(f"{r.title or ''}\n{r.text}" for r in reports)
        actors = {_clean_name(fold_name(a.text).split()) for e in inc.events for a in e.actors
                  if a.kind == "named person" and a.role in ("victim", "perpetrator")}
        actors.discard("")
        involved = set()
        for r in reports:
            involved |= person_names(f"{r.title or ''}\n{r.text[:INVOLVED_CHARS]}")
        out.append(Facts(
            inc.id, docs, _best(inc, "killed"), _best(inc, "injured"), _when_of(inc, reports), places, text,
            frozenset(actors | involved), frozenset(actors | person_names(text, cued=False)),
            frozenset(state_mentions(text)),
        ))
    return out


# How far into a report the people an incident involves are looked for: its opening tells who was
# shot and who was arrested; further down come other cases, relatives, earlier victims.
INVOLVED_CHARS = 400


def _best(inc, kind: str) -> int:
    f = inc.figure(kind)
    if f is None or f.wrong:
        return 0
    return (f.best if f.best is not None else f.low) or 0


def _when_of(inc, reports) -> tuple[dt.date, dt.date] | None:
    """When the incident happened, as a day range: the day most of its events give (the earliest
    on a tie); else the span its events give ("overnight", "in March", "in 2015"); without a date
    (or with only dates over a year before its reports or after them), the day its first report was
    published."""
    whens = [e.when for e in inc.events if e.when]
    published = [r.published for r in reports if r.published]
    if published:
        # a date more than a year before its reports (a misread "1977", the first of an old case) or
        # after them is not when the incident they are about happened
        lo, hi = min(published) - dt.timedelta(days=RECENT_DAYS), max(published) + dt.timedelta(days=1)
        whens = [w for w in whens if lo <= w.earliest and w.latest <= hi]
    days = [w.earliest for w in whens if w.precision == "day" and w.earliest == w.latest]
    if days:
        d = min(set(days), key=lambda d: (-days.count(d), d))
        return d, d
    if whens:
        return min(w.earliest for w in whens), max(w.latest for w in whens)
    return (min(published), min(published)) if published else None


RECENT_DAYS = 365


# A person's name as news writes it: "Taliek K. Brown", "De'Maree Adkins", "Casey McLean", "Tiris Coleman Jr.".
_NAME_WORD = r"(?:[A-Z][a-z]{0,2}[A-Z][a-z]+|[A-Z]['’][A-Z][a-z]+|[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*)"
_NAME = re.compile(rf"(?<![\w.'’-])({_NAME_WORD}(?:\s+(?:[A-Z]\.|{_NAME_WORD})){{1,3}})(?![\w'’])")
# What makes a named person one the incident involves: an age, a role word before, being shot after.
_AGE_AFTER = re.compile(r"^(?:,?\s*(?:Jr|Sr|II|III)\.?)?\s*(?:,\s*|\(\s*)(?:aged?\s+)?\d{1,3}\b")
_CUE_BEFORE = re.compile(r"(?:\d+\s*-?\s*years?\s*-?\s*old|identified (?:him |her |them )?as|victims?|suspects?|"
                         r"shooter|gunman|accused|charged|arrested|named|son|daughter|brother|sister|boy|girl|man|"
                         r"woman|teen|teenager|toddler|child|mother|father|wife|husband|girlfriend|boyfriend)"
                         r"(?:,| was| is)?\s*$", re.I)
_CUE_AFTER = re.compile(r"^(?:,?\s*(?:Jr|Sr|II|III)\.?)?\s*(?:,[^,.]{0,40},\s*)?(?:was|were|is|had been|has been)?\s*"
                        r"(?:fatally\s+|accidentally\s+)?(?:shot|killed|wounded|injured|hit|struck|died|dead|"
                        r"pronounced|hospitali[sz]ed|arrested|charged|booked|taken into custody|accused|sentenced|"
                        r"indicted|pleaded|faces)\b", re.I)
# Officials, clergy, bylines and photo credits are named in reports but are not who the incident involves.
_TITLE_BEFORE = re.compile(r"(?:sheriff|chief|spokes(?:man|woman|person)|superintendent|detective|sgt\.?|sergeant|"
                           r"lt\.?|lieutenant|capt\.?|captain|mayor|judge|attorney|prosecutor|coroner|examiner|"
                           r"professor|reporter|commissioner|councilman|councilwoman|alderman|director|photo:?|by|"
                           r"rev\.?|reverend|pastor|dr\.?|rep\.?|sen\.?|gov\.?|president|officer|deputy|trooper|"
                           r"agent)\s*$", re.I)
_NOT_FIRST = frozenset("""police county city state street avenue road drive boulevard lane court north south east west
new san los las fort lake mount park high school university hospital center church news the a an and but in on at of
for from with by after before when while his her their this that these those old monday tuesday wednesday thursday
friday saturday sunday january february march april may june july august september october november december
officers officer sheriff deputies deputy neighbor neighbour witness resident friend relative cousin uncle aunt
victim victims suspect suspects shooter gunman man woman boy girl teen mother father brother sister son daughter wife
husband grandmother grandfather""".split())
_NOT_NAME = frozenset("""police county city state street avenue road drive boulevard lane court park high school
university hospital center centre church news department office apartments apartment mall station club motel hotel
restaurant library""".split())
_SUFFIXES = ("jr", "sr", "ii", "iii", "iv")


_TITLES = frozenset("""chief sheriff spokesman spokeswoman spokesperson superintendent detective sgt sergeant lt
lieutenant capt captain mayor judge attorney prosecutor coroner examiner professor reporter commissioner councilman
councilwoman alderman director rev reverend pastor dr rep sen gov president officer deputy trooper agent""".split())


def _clean_name(words: list[str]) -> str:
    """Folded name words without what surrounds a name ("old Jennifer Delgado", "Sunday Randy
    Coffland", "Tiris Coleman Jr"); "" when fewer than two name words are left, or when a title
    leads it ("Police Chief Maria Lopez")."""
    while words and (words[0] in _NOT_FIRST or words[0] in _TITLES):
        if words[0] in _TITLES:
            return ""
        words = words[1:]
    while words and words[-1] in _SUFFIXES:
        words = words[:-1]
    words = [w for w in words if len(w) > 1]
    if len(words) < 2 or any(w in _NOT_NAME for w in words):
        return ""
    return " ".join(words)


def person_names(text: str, *, cued: bool = True) -> set[str]:
    """Folded names of the people a text says were shot, killed, arrested or charged: a name with
    an age ("Taliek K. Brown, 15"), a role before it ("the victim", "17-year-old") or being shot
    after it. With ``cued`` False, every person's name. Officials' names are left out."""
    out = set()
    for m in _NAME.finditer(text):
        name = _clean_name(fold_name(m.group(1)).split())
        if not name:
            continue
        before = text[max(0, m.start() - 40):m.start()]
        after = text[m.end():m.end() + 60]
        if _TITLE_BEFORE.search(before):
            continue
        if not cued or _AGE_AFTER.match(after) or _CUE_BEFORE.search(before) or _CUE_AFTER.match(after):
            out.add(name)
    return out


@functools.cache
def _us_states() -> tuple[dict[str, str], dict[str, str]]:
    """(state name -> folded name, postal or AP abbreviation -> folded name)."""
    from tollbook.extract.gazetteer import US_STATE_ABBREVIATIONS, us_state_codes

    codes = us_state_codes()
    by_code = {c: fold_name(n) for n, c in codes.items()}
    abbr = {c: n for c, n in by_code.items()}
    abbr.update({a: by_code[c] for a, c in US_STATE_ABBREVIATIONS.items() if c in by_code})
    return {n: fold_name(n) for n in codes}, abbr


_STREET_AFTER = r"(?! (?:Avenue|Ave|Street|St|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Way|Court|Parkway))"


def state_mentions(text: str) -> set[str]:
    """The US states a text names: "Ohio" (not "Colorado Avenue"), ", Ind.", ", TN"."""
    names, abbr = _us_states()
    out = {folded for name, folded in names.items() if re.search(rf"\b{re.escape(name)}\b{_STREET_AFTER}", text)}
    for m in re.finditer(r",\s+([A-Z][A-Za-z.]{1,5})(?=[\s,)]|$)", text):
        raw = m.group(1)
        a = raw.rstrip(".")
        if len(a) == 2 and a.isalpha() and a.isupper():  # a postal code: "TN"
            folded = abbr.get(a)
        else:  # AP style, with its full stop: "Tenn.", "N.C."
            folded = abbr.get(a.lower()) if raw.endswith(".") else None
        if folded:
            out.add(folded)
    return out


# -- answering -----------------------------------------------------------------------------------------------


def fits(q: Question, f: Facts) -> bool:
    """Does incident ``f`` meet every constraint of question ``q``?"""
    return fits_type(q, f) and fits_time(q, f) and fits_place(q, f) and fits_person(q, f)


_DEATH = re.compile(r"\b(?:killed|dead|dies|died|death|deadly|fatal(?:ly)?|murder(?:ed)?|homicide|slain|kills?)\b",
                    re.I)


def fits_type(q: Question, f: Facts) -> bool:
    """A killing has a killed figure above 0; an incident whose reports give no figure is a killing
    when a death word opens its reports ("found shot to death").

    An injuring is any shooting the registry holds, fatal ones included: in the task's answers a
    person shot dead was also shot (on the trial questions, of the incidents that meet an injuring
    question's time, place and name, those with only a killed figure are in its answer 463 times
    and not 318 times, about as often as those with an injured figure, 1,223 and 510)."""
    kind = EVENT_FIGURE.get(q.event_type or "")
    if kind is None:
        return False
    if kind == "injured":
        return True
    if f.killed or f.injured:
        return f.killed > 0
    return _DEATH.search(f.text[:300]) is not None


def fits_time(q: Question, f: Facts) -> bool:
    """The incident's days lie inside the day, month or year asked about."""
    if q.start is None:
        return True
    return f.when is not None and q.start <= f.when[0] and f.when[1] <= q.end


def fits_place(q: Question, f: Facts) -> bool:
    """One of the incident's places is the city asked about (by name, or the city or county it lies
    in) in the state asked about; or, for a state, lies in it. An incident placed nowhere fits when
    its reports name the place."""
    if not q.cities and not q.state:
        return True
    resolved = [(names, state) for names, state in f.places if state]
    for names, state in resolved:
        if q.state and q.state != state:
            continue
        if not q.cities or names & q.cities:
            return True
    if not resolved or not (f.states & {state for _, state in resolved}):
        # placed nowhere, or only in states its reports never name (the gazetteer's "Englewood"
        # in Colorado for a Chicago neighbourhood): what the reports say is all there is
        return named_in_text(q, f)
    return False


def named_in_text(q: Question, f: Facts, *, lenient: bool = False) -> bool:
    """Do the incident's reports name the city asked about ("Stockton", "FORT WAYNE, Ind.") and no
    other state than the one asked about (``lenient``: other states too)?"""
    if q.state and f.states and q.state not in f.states and not lenient:
        return False
    if q.cities:
        folded = f.folded()
        return any(f" {c} " in folded for c in q.cities) and (
            not q.state or q.state in f.states or not f.states or lenient)
    return q.state in f.states


def fits_person(q: Question, f: Facts, names: frozenset[str] | None = None) -> bool:
    """A person the incident involves has the first, last or full name asked about."""
    if not (q.first or q.last or q.full):
        return True
    names = f.participants if names is None else names
    if q.full:
        parts = fold_name(q.full).split()
        return bool(parts) and any(f" {n} ".startswith(f" {parts[0]} ") and f" {n} ".endswith(f" {parts[-1]} ")
                                   for n in names)
    if q.first:
        first = fold_name(q.first)
        return bool(first) and any(f" {n} ".startswith(f" {first} ") for n in names)
    last = fold_name(q.last or "")
    return bool(last) and any(f" {n} ".endswith(f" {last} ") for n in names)


# Subtask 1: the event type weighs half (the tolls it rests on are what reports get wrong most), a
# name one and a half (the most specific thing a question can ask).
W_TYPE = 0.5
W_PERSON = 1.5


def closeness(q: Question, f: Facts) -> float:
    """How well incident ``f`` fits question ``q``: time and place add 1 when they hold, the type
    ``W_TYPE``, the name ``W_PERSON``; a constraint that nearly holds adds part (a day or two off;
    the place named in the text only; the name given to someone not said to be involved, or only
    appearing in the text)."""
    total = W_TYPE if fits_type(q, f) else 0.0
    if fits_time(q, f):
        total += 1.0
    elif f.when is not None and q.start is not None:
        gap = max((q.start - f.when[1]).days, (f.when[0] - q.end).days)
        total += 0.5 if gap <= 2 else 0.0
    if fits_place(q, f):
        total += 1.0
    elif named_in_text(q, f, lenient=True):
        total += 0.5
    if q.first or q.last or q.full:
        if fits_person(q, f):
            total += W_PERSON
        elif fits_person(q, f, f.people):
            total += 0.75 * W_PERSON
        else:
            words = (q.full or q.first or q.last or "").split()
            pattern = r"\s+(?:\S+\s+)?".join(map(re.escape, words))
            # the words as they are written, near each other (a quick look for the last one first)
            present = words and words[-1].lower() in f.lowered()
            total += 0.5 * W_PERSON if present and re.search(rf"\b{pattern}\b", f.text) else 0.0
    return total


@dataclass(slots=True)
class Answer:
    numerical_answer: int
    incidents: list[Facts]
    kind: str | None = None  # "killed" or "injured" for subtask 3

    def docs(self) -> list[str]:
        return sorted({d for f in self.incidents for d in f.docs})

    def to_json(self, subtask: str) -> dict[str, Any]:
        """The task's answer format: the scorer reads ``numerical_answer`` and ``answer_docs`` (a
        list); ``part_info`` (subtask 3) and ``incidents`` (which documents tell which incident)
        are for people."""
        out: dict[str, Any] = {"numerical_answer": self.numerical_answer, "answer_docs": self.docs()}
        if subtask != "s1":
            out["incidents"] = {f.id: f.docs for f in self.incidents}
        if subtask == "s3":
            out["part_info"] = {f.id: {"num_killed": f.killed, "num_injured": f.injured} for f in self.incidents}
        return out


def answer(q: Question, facts: Sequence[Facts]) -> Answer | None:
    """The answer to one question, or None when it asks of an event type tollbook does not record."""
    kind = EVENT_FIGURE.get(q.event_type or "")
    if kind is None:
        return None
    if q.subtask == "s1":
        return Answer(1, best_fits(q, facts))
    found = [f for f in facts if fits(q, f)]
    if q.subtask == "s2":
        return Answer(len(found), found)
    return Answer(sum(f.killed if kind == "killed" else f.injured for f in found), found, kind)


def best_fits(q: Question, facts: Sequence[Facts]) -> list[Facts]:
    """Subtask 1 says one incident fits: the incident that fits best (``closeness``); several that
    fit equally well are given together (often one incident the grouping left in pieces)."""
    scored = [(closeness(q, f), f) for f in facts]
    top = max((c for c, _ in scored), default=0.0)
    return [f for c, f in scored if c == top] if top > 0 else []


def answer_all(questions: dict[str, dict[str, dict[str, Any]]], facts: Sequence[Facts]
               ) -> dict[str, dict[str, Answer]]:
    """Answers per subtask, question id -> Answer; questions tollbook cannot answer are left out."""
    out: dict[str, dict[str, Answer]] = {}
    for sub in SUBTASKS:
        out[sub] = {}
        for qid, q in questions.get(sub, {}).items():
            a = answer(parse_question(qid, sub, q), facts) if isinstance(q, dict) else None
            if a is not None:
                out[sub][qid] = a
    return out


def write_answers(answers: dict[str, dict[str, Answer]], folder: str | Path,
                  gold: dict[str, dict[str, Any]] | None = None) -> list[Path]:
    """``folder``/s1/answers.json, s2/..., s3/... in the task's answer format. With ``gold``, only
    the questions of a subtask that have a gold answer (where it has any): the official scorer
    looks every answered question up in its gold."""
    written = []
    for sub in SUBTASKS:
        p = Path(folder) / sub / "answers.json"
        keep = (gold or {}).get(sub)
        mine = {q: a.to_json(sub) for q, a in sorted(answers.get(sub, {}).items()) if not keep or q in keep}
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(json.dumps(mine, indent=1) + "\n", "utf-8")
        except OSError as exc:
            raise DatasetError(f"semeval2018t5: cannot write {p}: {exc.strerror or exc}") from None
        written.append(p)
    return written


# -- scoring (the official scorer's arithmetic) ----------------------------------------------------------------


def doc_set(a: Any) -> set[str]:
    """Answer documents: a list (system answers, trial gold) or lists keyed by incident (test gold)."""
    if isinstance(a, Answer):
        return set(a.docs())
    docs = a.get("answer_docs") or []
    if isinstance(docs, dict):
        return {d for ds in docs.values() for d in ds}
    return set(docs)


def doc_f1(system: set[str], gold: set[str]) -> float:
    """F1 of one question's documents; 1 when both sets are empty."""
    tp, fp, fn = len(system & gold), len(system - gold), len(gold - system)
    if tp + fp + fn == 0:
        return 1.0
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score(answers: dict[str, dict[str, Any]], gold: dict[str, dict[str, dict[str, Any]]]) -> dict[str, float]:
    """The metrics of the official scorer (cltl/LongTailQATask, Evaluation/scorer), per subtask, over
    the questions that have a gold answer. ``answered`` is the fraction of them the system answered.
    Over the answered ones: doc F1 is the mean of the per-question F1 of the answer documents (both
    sets empty count 1); accuracy is the fraction whose numerical answer is the gold one and RMSE the
    root mean squared difference (subtasks 2 and 3; subtask 1's answer is always 1). Unanswered
    questions count only in ``answered``. ``answers``: subtask -> question id -> Answer or
    {"numerical_answer", "answer_docs"}."""
    out: dict[str, float] = {}
    for sub in SUBTASKS:
        g = gold.get(sub, {})
        system = answers.get(sub, {})
        asked = [q for q in g if q in system]
        f1s, right, squares = [], 0, 0.0
        for q in asked:
            a = system[q]
            num = a.numerical_answer if isinstance(a, Answer) else a.get("numerical_answer")
            f1s.append(doc_f1(doc_set(a), doc_set(g[q])))
            want = g[q]["numerical_answer"]
            if isinstance(num, (int, float)):
                right += num == want
                squares += (num - want) ** 2
            else:  # no number given: as far off as answering 0
                squares += want ** 2
        out[f"{sub}_doc_f1"] = sum(f1s) / len(f1s) if f1s else 0.0
        out[f"{sub}_answered"] = len(asked) / len(g) if g else 0.0
        if sub != "s1":
            out[f"{sub}_accuracy"] = right / len(asked) if asked else 0.0
            out[f"{sub}_rmse"] = math.sqrt(squares / len(asked)) if asked else 0.0
        out[f"{sub}_n"] = len(g)
    metrics: dict[str, float] = {k: out[k] for k in METRICS}
    metrics.update({f"{sub}_n": out[f"{sub}_n"] for sub in SUBTASKS})
    metrics["n"] = sum(len(gold.get(sub, {})) for sub in SUBTASKS)
    return metrics


@dataclass(slots=True)
class Outcome:
    """The answers of a run, with the gold they were scored against."""

    answers: dict[str, dict[str, Answer]]  # subtask -> question id -> Answer
    gold: dict[str, dict[str, dict[str, Any]]]

    def write(self, folder: str | Path) -> list[Path]:
        return write_answers(self.answers, folder, self.gold)


def evaluate(path: str | Path, *, gazetteers: tuple[str, ...] = (), options=None, limit: int | None = None,
             extractor=None) -> tuple[dict[str, float], Outcome]:
    """Read the folder, build the incidents of its documents (the first ``limit`` only, if given),
    answer every question and score the answers that have gold."""
    data = read(path)
    built = build(data.documents[:limit], gazetteers=gazetteers, options=options, extractor=extractor)
    answers = answer_all(data.questions, facts_of(built.incidents, built))
    return score(answers, data.gold), Outcome(answers, data.gold)
