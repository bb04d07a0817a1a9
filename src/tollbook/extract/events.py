"""Assembly: from the mentions of every stage to the events of one report.

Stage contract: ``build_events(...)`` splits a report into its main incident and the older
incidents it refers to ("two prior massacres at Ashraf in 2009 and 2011"), attaches each
figure, date, place and actor to the event its sentence tells, picks the event type, and
raises flags for what the report leaves in doubt (two dates for one night, two tolls).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from tollbook.extract import lexicon as lx
from tollbook.extract import places as places_rules
from tollbook.extract.actors import R_SOURCE, ActorMention
from tollbook.extract.dates import DateMention
from tollbook.extract.figures import FigureMention, combine, hypothetical, negated
from tollbook.extract.gazetteer import fold
from tollbook.extract.nlp import text_of
from tollbook.extract.places import PlaceMention, Resolver
from tollbook.extract.rules import rule
from tollbook.extract.types import classify, lead_sentence
from tollbook.records import Actor, Event, Evidence, Flag, Place, Report, When

PAST_MARKERS = {"prior", "previous", "earlier", "past", "former", "last", "similar", "older", "preceding"}
# Nouns that name a violent incident (for finding the incidents a report refers to).
INCIDENT_NOUNS = {
    "massacre", "attack", "bombing", "killing", "shooting", "assault", "ambush", "raid", "execution", "murder",
    "kidnapping", "abduction", "slaughter", "shelling", "airstrike", "strike", "blast", "explosion", "incident",
    "homicide", "stabbing", "clash", "atrocity", "pogrom",
}
# The family of violence of an event, chosen from the cues of its triggers in this order of priority
# (lexicon.TYPE_CUES); extract/types.py then chooses ACLED's sub-event type with the family as a clue.
FAMILY_PRIORITY = ["explosive", "remote", "massacre", "abduction", "arson", "battle", "attack"]
DATE_TOLERANCE_DAYS = 1
R_DATE_CONTRADICTION = rule(
    "flags.date-contradiction", "one report dates its incident twice, days apart ('night of August 31' ... 'August 1')")
R_AMBIGUOUS_PLACE = rule("flags.ambiguous-place", "a place name the gazetteer knows in several places")


@dataclass(slots=True)
class _Draft:
    role: str
    trigger_sents: set[int] = field(default_factory=set)
    triggers: list[Token] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    figures: list[FigureMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    # days of a step that led to the incident ("to prepare for the attack, agents were deployed on the
    # night of August 31"): not the deed's day, but one that cannot come after it
    steps: list[DateMention] = field(default_factory=list)


def build_events(
    report: Report,
    doc: Doc,
    figures: list[FigureMention],
    dates: list[DateMention],
    places: list[PlaceMention],
    resolver: Resolver,
    actors: list[ActorMention],
    base: dt.date | None,
    dateline: PlaceMention | None = None,
) -> list[Event]:
    text = report.text
    sents = list(doc.sents)
    sent_starts = [s.start_char for s in sents]

    def sent_of(char: int) -> int:  # by bisection: a scan per mention made long reports quadratic
        i = bisect.bisect_right(sent_starts, char) - 1
        return i if i >= 0 and char < sents[i].end_char else len(sents) - 1

    triggers = _violence_triggers(doc)
    if not figures and not triggers:
        calm = _calm_event(report, sents)
        return [calm] if calm is not None else []
    referenced: list[_Draft] = []
    used_dates: set[int] = set()
    ref_tokens: set[int] = set()
    for tok in triggers:
        past = _referenced_dates(tok, dates, base, sent_of)
        if past is None:
            continue
        ref_tokens.add(tok.i)
        # the weapon or deed named with the verb ("a car bomb ... killed") tells the type
        named = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN"]
        for d in past or [None]:
            draft = _Draft("referenced", {sent_of(tok.idx)}, [tok, *named])
            if d is not None:
                draft.dates.append(d)
                used_dates.add(d.start)
            referenced.append(draft)
    main_triggers = [tok for tok in triggers if tok.i not in ref_tokens]
    # A report of a sentencing, trial, funeral or anniversary tells of an earlier incident: the days
    # it names for those steps are not the incident's (sentences that tell the step, not the deed)
    lead = " ".join(s.text for s in sents[:2])  # the headline (glued or on its line) and the lede
    follow_up = ({i for i, s in enumerate(sents) if _FOLLOW_UP.search(s.text)}
                 if _FOLLOW_UP.search(lead) else set())
    episode_of = _episodes(doc, sents, main_triggers, places, sent_of)
    step_sents = {i for i, s in enumerate(sents) if _prepares(s)}
    mains: dict[int, _Draft] = {}
    for tok in main_triggers:
        d = mains.setdefault(episode_of[sent_of(tok.idx)], _Draft("main"))
        d.triggers.append(tok)
        d.trigger_sents.add(sent_of(tok.idx))
    main_sents_all = {s for d in mains.values() for s in d.trigger_sents}
    ref_sents = {s for r in referenced for s in r.trigger_sents} - main_sents_all

    # Figures: to a referenced incident only when their sentence tells of it alone.
    for m in figures:
        own = next((r for r in referenced if any(t.i == m.trigger for t in r.triggers)), None)
        if own is not None:
            own.figures.append(m)
        elif m.sent in ref_sents:
            next(r for r in referenced if m.sent in r.trigger_sents).figures.append(m)
        else:
            target = mains.setdefault(episode_of[m.sent], _Draft("main"))
            target.figures.append(m)
            target.trigger_sents.add(m.sent)
    drafts = [mains[k] for k in sorted(mains) if mains[k].figures or mains[k].triggers]
    first = True
    for main in drafts:
        _fill_main(main, dates, places, used_dates, ref_sents, base, dateline, sent_of, first, text=text,
                   follow_up=follow_up, step_sents=step_sents)
        first = False
    main_sents_all = {s for d in drafts for s in d.trigger_sents}
    for r in referenced:
        r.places = [p for p in places if p.sent in r.trigger_sents and p.sent not in main_sents_all]
    for a in actors:
        if a.sent in ref_sents:
            target = next((r for r in referenced if a.sent in r.trigger_sents), None)
        else:
            target = mains.get(episode_of[a.sent]) if mains.get(episode_of[a.sent]) in drafts else (
                drafts[0] if drafts else None)
        if target is not None:
            target.actors.append(a)

    def ev(start: int, end: int) -> Evidence:
        return Evidence(report.id, start, end, text[start:end])

    # A passing word of violence ("the attacks must stop"), with no toll, no one named and no
    # other word of the deed, tells no incident of its own.
    # (a target or weapon named in passing does not make one either: only people do, as before)
    weak = [d for d in drafts if not d.figures and not any(a.role in ("perpetrator", "victim") for a in d.actors)
            and len(_distinct(d.triggers)) < 2]
    if len(weak) < len(drafts):
        drafts = [d for d in drafts if d not in weak]
    out: list[Event] = []
    for draft in drafts + referenced:
        event = _finish(draft, report, resolver, ev, text, sents, lead=bool(drafts) and draft is drafts[0])
        if event is not None:
            out.append(event)
    return out


# A report with no violent deed is read for what it tells instead in its lead: the headline and
# first sentences (where news puts what happened).
LEAD_SENTENCES = 3


def _calm_event(report: Report, sents: list) -> Event | None:
    """The event of a report that tells no violence: a protest, an arrest, an agreement, a disaster
    (extract/types.py); None when the lead says none of these. It has no figures, places or dates:
    it says what the report is, and is kept out of the violent record's incidents
    (records.NO_INCIDENT_TYPES)."""
    lead = sents[:LEAD_SENTENCES]
    found = classify(None, lead)
    if found is None:
        return None
    event_type, type_rule = found
    first = lead[0]
    quote = first.text.strip()[:200]
    start = first.start_char + (len(first.text) - len(first.text.lstrip()))
    evidence = (Evidence(report.id, start, start + len(quote), report.text[start:start + len(quote)]),)
    return Event(report_id=report.id, type=event_type, role="main", evidence=evidence, rule=type_rule)


def _fill_main(main: _Draft, dates, places, used_dates, ref_sents, base, dateline, sent_of, first: bool,
               *, text: str = "", follow_up: set[int] = frozenset(), step_sents: set[int] = frozenset()) -> None:
    """Dates and places of one incident the report tells: in its sentences, or just before a
    sentence that counts victims. In a follow-up report (``follow_up``: the sentences that tell the
    sentencing, trial, funeral...), a day resolved from the publication date in such a sentence is
    the step's day, not the incident's, here and in the fallback to the report's first recent date."""
    figure_sents = {m.sent for m in main.figures}
    near = main.trigger_sents | {s - 1 for s in figure_sents}
    for d in dates:
        si = sent_of(d.start)
        if d.start in used_dates or si in ref_sents or si not in near:
            continue
        if si in follow_up and d.kind in _FROM_PUBLICATION:
            continue
        if base is not None and d.earliest > base + dt.timedelta(days=1):
            continue
        if dateline is not None and dateline.start <= d.start < dateline.end + 30 and si == 0:
            continue  # the dateline's own date is when the report was filed
        main.dates.append(d)
    if not main.dates:
        # No date beside the violence: the report's first recent date, as a reader would assume (in a
        # follow-up, not the day of the sentencing or the funeral it tells).
        recent = [d for d in dates if d.start not in used_dates and sent_of(d.start) not in ref_sents
                  and not (sent_of(d.start) in follow_up and d.kind in _FROM_PUBLICATION)
                  and d.precision in ("day", "week") and (base is None or (
                      base - dt.timedelta(days=30) <= d.earliest and d.latest <= base + dt.timedelta(days=1)))]
        main.dates = recent[:1]
    # "police said Monday", "was arrested on Friday": the day of a statement or of a later step, not of
    # the violence; such a date comes after any other the sentences give
    # Nor is a date years before the report ("a decade ago", "arrested in November 2010") the day of
    # the incident it reports as news, when it is not a follow-up (a trial years on): history comes last
    main.dates.sort(key=lambda d: (not follow_up and base is not None and d.latest < base - _HISTORY,
                                   bool(_AFTER_THE_FACT.search(text[max(0, d.start - 40):d.start])),
                                   _date_rank(d, figure_sents, main.trigger_sents, sent_of), d.start))
    if first:
        # the report's own account of how its incident was prepared: those days are checked against the deed's
        taken = {d.start for d in main.dates}
        main.steps = [d for d in dates if sent_of(d.start) in step_sents - ref_sents and d.start not in taken
                      and d.start not in used_dates and d.precision == "day"]
    main.places = [p for p in places if p.sent in main.trigger_sents and p.sent not in ref_sents]
    if dateline is not None and (not main.places or dateline.candidates) and dateline not in main.places:
        main.places.append(dateline)
    if not any(p.candidates or p.label == "camp" for p in main.places):
        # The violence is told with only a street or no place at all ("shot in the 4800 block of
        # South Laflin Street"): a reader places it where the report is, the first town or region
        # it names outside older incidents (often in the headline: "Man shot in Augusta").
        # only names the gazetteer knows under their own name: an alternate name alone ("GOP", a
        # code of an Indian town) is too weak a clue when nothing ties it to the violence
        known = [p for p in places if p.sent not in ref_sents and p.label not in ("ORG", "PERSON", "NORP")
                 and any(c.main for c in p.candidates)]
        local = [p for p in known if any(c.main and c.kind != "country" for c in p.candidates)]
        if local or known:
            main.places.append((local or known)[0])
    main.places = sorted(main.places, key=lambda p: _place_rank(p, main, sent_of))


# Steps after an incident that make a report a follow-up of it (UCDP and ACLED code the incident once, on its
# own date): a sentencing, a trial, a plea, a funeral, a vigil, an anniversary.
_FOLLOW_UP = re.compile(
    r"\b(?:sentenc(?:ed|ing|e)|convict(?:ed|ion)|plead(?:s|ed)?|pled|guilty|trial|jury|jurors|verdict|"
    r"arraign(?:ed|ment)|indicted|acquitted|funerals?|vigils?|memorial|anniversary|laid to rest|mourn(?:ers|ed)|"
    r"years? (?:in|behind) (?:prison|jail|bars)|life in prison)\b",
    re.I)


# Dates that are a number of days from the publication day ("on Monday", "yesterday"): in a follow-up report's
# sentence of the step, the step's day. A date with its month ("March 12") is told for itself.
_FROM_PUBLICATION = {"weekday", "relative-day", "weekend", "days-ago", "week"}


# Words that open a paragraph on another incident: "MEANWHILE, ...", "In another attack, ...".
_NEW_INCIDENT = re.compile(
    r"^\W*(?:meanwhile|elsewhere|separately|in (?:an)?other (?:incident|attack|development|action|event)s?|"
    r"in a (?:separate|similar|different) (?:incident|attack|action|event)|in other (?:news|actions|incidents)|"
    r"in addition|also|on another occasion|"
    # "ANOTHER EXPLOSION TOOK PLACE ...", "A THIRD BOMB ...", "The second attack ...": a count of deeds
    r"(?:another|the other|(?:a|the) (?:second|third|fourth|fifth|further|new)) (?:\w+ )?"
    r"(?:explosion|blast|bomb|attack|bombing|killing|murder|kidnapping|ambush|raid|assault|incident)s?)\b", re.I)


_NOT_A_SCENE = re.compile(r"(?:\b(?:from|of)|(?:hospital|taken|transported|airlifted|rushed|flown)\b[\w\s]{0,20}"
                          r"\b(?:in|to|at))\s+(?:the\s+)?$", re.I)


def _episodes(doc: Doc, sents, triggers: list[Token], places: list[PlaceMention], sent_of) -> list[int]:
    """The incident (episode) each sentence tells of. A report that tells several incidents
    starts a paragraph on another one with a marker ("MEANWHILE, ...", "In another attack") or
    names another scene for it; one paragraph is never split, and a paragraph with no violence
    stays with the incident before it."""
    text = text_of(doc)
    n = len(sents)
    para_start = [False] * n
    for i, s in enumerate(sents):
        if i == 0:
            continue
        gap = text[sents[i - 1].end_char - 1:s.start_char + 1] if s.start_char > 0 else ""
        before = text[max(0, s.start_char - 8):s.start_char]
        para_start[i] = bool(re.search(r"\n\s*\n", before + gap)) or bool(re.search(r"\n[ \t]+$", before))
    trig_sents = {sent_of(t.idx) for t in triggers}
    scenes: dict[int, list[PlaceMention]] = {}
    for p in places:
        if p.label == "dateline" or not p.after_preposition or not (p.candidates or p.label in ("GPE", "LOC")):
            continue  # a named place the gazetteer lacks ("near La Casona") is still a scene
        if _NOT_A_SCENE.search(text[max(0, p.start - 40):p.start]):
            continue  # "a man from Decatur", "taken to a hospital in Baltimore": not where it happened
        if p.candidates and not any(c.kind != "country" for c in p.candidates):
            continue
        scenes.setdefault(p.sent, []).append(p)
    out = [0] * n
    episode = 0
    cur_scenes: list[PlaceMention] = []
    cur_has_violence = False
    i = 0
    while i < n:
        j = i + 1
        while j < n and not para_start[j]:
            j += 1
        para = range(i, j)
        violent = any(k in trig_sents for k in para)
        para_scenes = [p for k in para for p in scenes.get(k, [])] if violent else []
        if violent and cur_has_violence and i > 0 and (
            _NEW_INCIDENT.match(sents[i].text) or (para_scenes and cur_scenes and not any(
                _same_area(p, q) for p in para_scenes for q in cur_scenes))
        ):
            episode += 1
            cur_scenes = []
        for k in para:
            out[k] = episode
        if violent:
            cur_has_violence = True
            cur_scenes += para_scenes
        i = j
    return out


def _same_area(a: PlaceMention, b: PlaceMention) -> bool:
    """Two toponyms of one scene: the same name, or one is a region the other lies in."""
    def names(p: PlaceMention) -> set[str]:
        return {fold(p.name)} | {fold(c.name) for c in p.candidates}

    def regions(p: PlaceMention) -> set[str]:
        return {fold(c.admin1) for c in p.candidates if c.admin1} | {fold(c.admin2) for c in p.candidates if c.admin2}

    na, nb = names(a), names(b)
    return bool(na & nb or na & regions(b) or nb & regions(a))


def _violence_triggers(doc: Doc) -> list[Token]:
    cues = set().union(*lx.TYPE_CUES.values()) - {"set", "fire", "device", "suicide", "gun", "strike", "mine",
                                                  "jet", "helicopter", "drone", "burn", "robbery", "rifle", "pistol",
                                                  "handgun", "knife", "machete"}
    out = []
    for tok in doc:
        lemma = tok.lemma_.lower()
        if lemma == "set" and any(c.lower_ in ("fire", "ablaze", "alight") for c in tok.children):
            out.append(tok)  # "set fire to 30 homes": arson
        elif tok.pos_ == "NOUN" and (lemma == "gunpoint" or lemma == "robbery" and any(
                c.lower_ == "armed" for c in tok.children)):
            out.append(tok)  # "held the family at gunpoint", "an armed robbery": a deed with weapons
        elif lemma in cues or tok.lower_ in cues or lemma in INCIDENT_NOUNS - {"incident"}:
            if tok.pos_ in ("NOUN", "VERB", "PROPN") and _tells_deed(tok):
                out.append(tok)
        elif lemma in lx.TRANSITIVE or lemma in lx.INTRANSITIVE:
            if tok.pos_ == "VERB" and lx.TRANSITIVE.get(lemma, lx.INTRANSITIVE.get(lemma)) in (
                "killed", "injured", "shot", "abducted"
            ) and _tells_deed(tok):
                out.append(tok)
    return out


# Weapons and explosives are named in many sentences that tell no deed: arms seized or handed
# over, shipments, arsenals. Such a word is a trigger unless it sits under one of these verbs.
WEAPON_WORDS = {"bomb", "explosive", "dynamite", "grenade", "rocket", "mortar", "missile", "artillery", "ied",
                "landmine", "warplane"}
HOLDING_VERBS = {"seize", "confiscate", "capture", "possess", "supply", "ship", "smuggle", "sell", "buy", "carry",
                 "have", "store", "deliver", "send", "acquire", "manufacture", "produce", "receive", "provide",
                 "stockpile", "hide", "transport", "surrender", "hand", "give", "request", "need", "obtain",
                 "recover", "include", "contain", "purchase", "import", "train", "arm", "equip"}
# Words that make a plural incident noun a kind of deed, not a count of deeds: "such attacks", "any attacks".
GENERIC_DETS = {"such", "any", "all", "many", "more", "most", "some", "several", "frequent", "these", "those", "no",
                "future", "further", "other", "new", "possible", "terrorist", "violent", "selective", "indiscriminate",
                "continued", "constant", "recent"}


# Heads that make a violence noun below them a prospect or a kind of deed: "the threat of attacks",
# "to prevent kidnappings", "a wave of bombings" (not "wanted in a shootout").
INTENT_HEADS = {"threaten", "threat", "plan", "prevent", "avoid", "stop", "fear", "plot", "intend", "prepare", "warn",
                "warning", "risk", "possibility", "conspire", "vow", "wave", "campaign", "series"}


# "To prepare for the attack", "in preparation for the massacre", "in the run-up to the bombing": a sentence
# that tells how the report's own incident (a definite incident noun) was prepared.
STEP_HEADS = {"prepare", "preparation", "run-up", "lead-up", "prelude"}


def _prepares(sent) -> bool:
    for tok in sent:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in INCIDENT_NOUNS or tok.dep_ != "pobj":
            continue
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children):
            continue
        prep = tok.head
        if prep.head.lemma_.lower() in STEP_HEADS or prep.head.lower_ in STEP_HEADS:
            return True
    return False


def _intended(verb: Token) -> bool:
    """A deed not (yet) done: 'could attack', 'threatened to kill'. One that someone ordered
    others to do ('ordered his militia to undertake a massacre') is told as done."""
    node = verb
    for _ in range(3):
        if node.head.i == node.i:
            break
        node = node.head
        if node.lemma_.lower() in ("order", "command", "send", "direct"):
            return False
    return hypothetical(verb)


def _tells_deed(tok: Token) -> bool:
    """Whether a violence word tells that a deed happened, not only that violence is spoken of:
    'could attack', 'threatened to kill', 'did not kill' tell no deed (nor do their nouns under
    'the threat of' / 'to prevent'); a bare plural ('attacks must stop', 'such bombings') speaks
    of a kind of deed; a weapon seized or shipped is no attack."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        return not (_intended(tok) or negated(tok))
    head = tok.head
    # "the threat of attacks", "plans for an attack", "to prevent kidnappings" (not "a robbery
    # attempt and a shooting": a conjunct is no complement)
    node = head
    for _ in range(3 if tok.dep_ in ("pobj", "dobj") else 0):
        if node.lemma_.lower() in INTENT_HEADS:
            return False
        if node.dep_ not in ("prep", "pobj") or node.head.i == node.i:
            break
        node = node.head
    if head.pos_ in ("VERB", "AUX") and tok.dep_ in ("dobj", "nsubjpass") and (_intended(head) or negated(head)):
        return False  # "will not tolerate attacks", "could launch an attack"
    if lemma in WEAPON_WORDS:
        node = tok
        for _ in range(6):
            if node.head.i == node.i:
                break
            if node.dep_ in ("dobj", "nsubjpass", "conj", "pobj", "prep", "appos") and \
                    node.head.lemma_.lower() in HOLDING_VERBS and not any(
                        c.dep_ == "prt" for c in node.head.children):  # "carried out with bombs" is a use
                return False  # "seized rifles and five grenades", "shipments of missiles"
            if node.dep_ not in ("conj", "pobj", "prep", "appos", "dobj", "nsubjpass"):
                break
            node = node.head
    if tok.tag_ == "NNS" and lemma in INCIDENT_NOUNS | {"bombing", "assassination", "kidnapping", "murder"}:
        dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "amod", "nummod", "poss", "compound")}
        if (not dets or dets & GENERIC_DETS) and not any(c.dep_ == "nummod" for c in tok.children):
            # a bare or generic plural speaks of a kind of deed ("attacks against the people must
            # stop", "such murders"), unless it is what did something ("Clashes ... killed five")
            return tok.dep_ == "nsubj" and head.pos_ == "VERB" and not dets & GENERIC_DETS
    return True


def _referenced_dates(tok: Token, dates: list[DateMention], base: dt.date | None, sent_of) -> list | None:
    """None when ``tok`` tells of the main incident; else the dates of the older incident(s)
    it names ([] when it has none)."""
    if tok.pos_ == "VERB":
        # "a car bomb at the same market killed eight people in 2019": a deed dated, on its own
        # verb, well before the report.
        own = _attached_dates(tok, dates)
        old = [d for d in own if base is not None and d.latest < base - dt.timedelta(days=60)]
        return old if own and len(old) == len(own) else None
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in INCIDENT_NOUNS:
        return None
    marked = any(c.lower_ in PAST_MARKERS for c in tok.children) or (
        tok.i > 0 and tok.doc[tok.i - 1].lower_ in PAST_MARKERS
    )
    sent = tok.sent
    # dates inside the incident noun's own phrase ("massacres at Ashraf in 2009 and 2011")
    sub_start = min(t.idx for t in tok.subtree)
    sub_end = max(t.idx + len(t) for t in tok.subtree)
    own = [d for d in dates if sub_start <= d.start < sub_end and sent.start_char <= d.start < sent.end_char]
    old = [d for d in own if base is None or d.latest < base - dt.timedelta(days=60)]
    if own and old and len(old) == len(own):
        return old
    if marked:
        if old:
            return old
        # "two prior massacres at Ashraf in 2009 and 2011": years a few words on, in the sentence
        window_end = tok.doc[min(len(tok.doc) - 1, tok.i + 12)].idx
        later = [d for d in dates if tok.idx < d.start <= window_end and d.start < sent.end_char]
        return [d for d in later if base is None or d.latest < base - dt.timedelta(days=60)]
    return None


_DATE_PATH = {"prep", "pobj", "npadvmod", "nummod", "compound", "amod", "tmod", "nmod", "appos"}


def _attached_dates(verb: Token, dates: list[DateMention]) -> list[DateMention]:
    """Dates that modify ``verb`` itself ("killed ... in 2019"), not a phrase inside its subject
    or object ("the gunman, released in 2019, killed ...")."""
    doc = verb.doc
    out = []
    sent = verb.sent  # once: each call walks the sentence
    for d in dates:
        if not sent.start_char <= d.start < sent.end_char:
            continue
        tok = doc.char_span(d.start, d.end, alignment_mode="expand")
        if tok is None:
            continue
        node = tok.root
        for _ in range(6):
            if node.head.i == verb.i and node.dep_ in _DATE_PATH - {"appos"}:
                out.append(d)
                break
            if node.dep_ not in _DATE_PATH or node.head.i == node.i:
                break
            node = node.head
    return out


_AFTER_THE_FACT = re.compile(
    r"\b(?:said|says|told|confirmed|announced|reported|stated|added|arrested|charged|booked|arraigned|"
    r"identified|released|closed|locked|surrendered|appeared)\s+(?:on\s+|late\s+|early\s+)?$", re.I)


_HISTORY = dt.timedelta(days=365)


def _date_rank(d: DateMention, figure_sents: set[int], trigger_sents: set[int], sent_of) -> int:
    si = sent_of(d.start)
    rank = 0 if si in figure_sents else 1 if si in trigger_sents else 2
    # a named day ("Saturday") before a span ("overnight", "over the weekend"), before a month
    exactness = 0 if d.earliest == d.latest else 1 if d.precision in ("day", "week") else 2
    return rank * 3 + exactness


def _place_rank(p: PlaceMention, draft: _Draft, sent_of) -> tuple:
    precision_rank = {"point": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4}
    best = min((precision_rank.get(c.precision, 5) for c in p.candidates), default=3 if p.label == "camp" else 5)
    if p.label == "camp":
        best = 0
    if p.label == "dateline" and p.candidates:
        scenes = [q for q in draft.places if q.candidates and q.label != "dateline" and q.sent != p.sent
                  and (q.after_preposition or q.label == "camp")
                  and any(c.precision != "country" for c in q.candidates)]
        if p.filed and scenes and not any(fold(q.name) == fold(p.name) for q in scenes):
            # a dated wire dateline names where the report was filed: the scene the text names first
            return (0, 2, best, p.start)
        return (-1, -1, 0, 0)
    in_figure_sent = any(m.sent == p.sent for m in draft.figures)
    unresolved = 1 if not p.candidates and p.label != "camp" else 0
    # A report filed from a country ("SAN SALVADOR, 3 JAN 90 --") tells mostly of that country:
    # a scene there comes before a place abroad (where someone came from or was flown to, or a
    # name that also exists elsewhere).
    home = {c.country_code for q in draft.places if q.label == "dateline" and q.filed for c in q.candidates[:1]}
    abroad = 1 if home and p.candidates and not any(c.country_code in home for c in p.candidates) else 0
    return (unresolved, abroad, 0 if in_figure_sent or p.after_preposition else 1, best, p.start)


def _finish(draft: _Draft, report: Report, resolver: Resolver, ev, text: str, doc_sents: list,
            lead: bool = False) -> Event | None:
    figures, flags = combine(draft.figures, ev)
    places: list[Place] = []
    seen_places: set[str] = set()
    for pm in draft.places:
        place = resolver.resolve(pm, report.id, text)
        key = place.gazetteer_id or place.name.lower()
        if key in seen_places:
            places[[p.gazetteer_id or p.name.lower() for p in places].index(key)].evidence += place.evidence
            continue
        seen_places.add(key)
        if pm.label == "dateline" and place.name.isupper():
            # "CHICAGO (AP) -": a dateline is set in capitals; the place is Chicago (the evidence keeps the letters)
            place.name = _title_case(place.name)
        places.append(place)
        if place.ambiguous:
            flags.append(Flag("ambiguous place", f"{place.name!r} fits several places; chose {place.gazetteer_id}",
                              place.evidence, rule=R_AMBIGUOUS_PLACE))
    places = _name_within_region(draft, places, report.id, text)
    if places and draft.places and draft.places[0].label == "dateline" and draft.places[0].filed and not any(
        q.candidates and q.label != "dateline" and q.after_preposition for q in draft.places
    ) and places[0].country and places[0].precision != "country":
        # Only a wire dateline ("LIMA, 5 JAN 90 --") says where: it tells where the report was
        # filed, so of the incident only the country is known.
        d = places[0]
        places.insert(0, Place(name=d.country, evidence=d.evidence, country=d.country, country_code=d.country_code,
                               precision="country", rule=places_rules.R_DATELINE_COUNTRY))
    whens = [When(d.earliest, d.latest, d.precision, (ev(d.start, d.end),), rule=d.rule) for d in draft.dates]
    whens = _merge_same_dates(whens)
    # A step that led to the incident dated after the deed cannot be true: it joins the deed's dates in the
    # contradiction check (and is kept after them, so the deed's own day stays the event's date).
    deed_days = [w for w in whens if w.precision in ("day", "week")]
    late = [When(d.earliest, d.latest, d.precision, (ev(d.start, d.end),), rule=d.rule) for d in draft.steps
            if any(d.earliest > w.latest + dt.timedelta(days=DATE_TOLERANCE_DAYS) for w in deed_days)]
    flags += _date_flags(whens + late, text)
    whens += late
    actors = _actors(draft.actors, report, text)
    family = _event_type(draft, figures)
    if family == "attack" and _both_sides_armed(draft.actors):
        family = "battle"
    if draft.role == "main" and not figures and not draft.triggers:
        return None
    sents = sorted({t.sent for t in draft.triggers}, key=lambda s: s.start) or [
        doc_sents[i] for i in sorted({m.sent for m in draft.figures})]
    first = lead_sentence(doc_sents[:2]) if lead else None
    if first is not None and first not in sents:
        # the report's main incident is read with its lead: the first sentence says what the report is about
        sents = [first, *sents]
    event_type, type_rule = classify(family, sents, figures, victims=any(a.role == "victim" for a in actors))
    evidence = tuple(ev(t.idx, t.idx + len(t)) for t in _distinct(draft.triggers)[:5])
    return Event(report_id=report.id, type=event_type, role=draft.role, evidence=evidence, figures=figures,
                 places=places, dates=whens, actors=actors, flags=flags, rule=type_rule)


def _title_case(name: str) -> str:
    """'NEW YORK' -> 'New York', "O'FALLON" -> "O'Fallon", 'ST. LOUIS' -> 'St. Louis'."""
    return re.sub(r"[A-Za-z]+", lambda m: m.group(0).capitalize(), name.lower())


_STREET = re.compile(r"\b(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|way|place|pl|court|ct|"
                     r"highway|hwy|parkway|pkwy|terrace|circle|interstate|route|jail|prison|hospital|division|"
                     r"department|center|centre|school|church|mall|store)\.?$", re.I)


def _name_within_region(draft: _Draft, places: list[Place], report_id: str, text: str) -> list[Place]:
    """'shot in Granada Hills, according to Los Angeles County coroner's records': the gazetteer
    knows the county but not the neighbourhood. The place is the one the text names, located as
    precisely as the report allows: the region's coordinates, with the region's precision."""
    if not places or places[0].precision not in ("admin1", "admin2") or not places[0].country_code:
        return places
    named = next((pm for pm in draft.places if not pm.candidates and pm.label in ("GPE", "LOC", "FAC")
                  and pm.after_preposition and pm.sent in draft.trigger_sents and not _STREET.search(pm.name)
                  and not any(ch.isdigit() for ch in pm.name)), None)
    if named is None:
        return places
    region = places[0]
    place = Place(name=named.name, evidence=(Evidence(report_id, named.start, named.end, text[named.start:named.end]),),
                  country=region.country, country_code=region.country_code, admin1=region.admin1,
                  admin2=region.admin2, lat=region.lat, lon=region.lon, precision=region.precision,
                  rule=places_rules.R_WITHIN_REGION)
    return [place] + [p for p in places if p.name.lower() != named.name.lower() or p.gazetteer_id]


# Victims that are troops: when every victim of an attack is one, both sides are armed and the
# attack is a battle (ACLED's Battles / Armed clash; docs/model.md).
TROOP_WORDS = {"soldier", "troop", "army", "military", "battalion", "brigade", "patrol", "regiment", "marine",
               "garrison", "unit", "detachment", "platoon", "sergeant", "corporal", "lieutenant",
               "captain", "serviceman", "paratrooper", "commando"}  # not "private", "company": a private guard


def _both_sides_armed(actors: list[ActorMention]) -> bool:
    victims = [a for a in actors if a.role == "victim"]
    if not victims:
        return False
    return all(set(re.findall(r"[a-z]+", a.text.lower())) & (TROOP_WORDS | {w + "s" for w in TROOP_WORDS})
               for a in victims)


def _distinct(tokens: list[Token]) -> list[Token]:
    seen, out = set(), []
    for t in tokens:
        if t.lemma_.lower() not in seen:
            seen.add(t.lemma_.lower())
            out.append(t)
    return out


def _merge_same_dates(whens: list[When]) -> list[When]:
    out: list[When] = []
    for w in whens:
        same = next((o for o in out if (o.earliest, o.latest) == (w.earliest, w.latest)), None)
        if same:
            same.evidence += w.evidence
        else:
            out.append(w)
    return out


def _date_flags(whens: list[When], text: str) -> list[Flag]:
    """Day-precise dates of one incident that cannot all be true: one flag with both sides.

    A day apart is allowed (a night crosses midnight; a victim dies the next day) unless both
    mentions name a night or an evening: then they must be the same day."""
    days = [w for w in whens if w.precision in ("day", "week")]
    if len(days) < 2:
        return []
    first = days[0]

    def agrees(w: When) -> bool:
        tol = dt.timedelta(days=0 if _at_night(first, text) and _at_night(w, text) else DATE_TOLERANCE_DAYS)
        return w.earliest - tol <= first.latest and first.earliest <= w.latest + tol

    agree = [w for w in days if agrees(w)]
    clash = [w for w in days if w not in agree]
    if not clash:
        return []
    left = ", ".join(f"'{w.evidence[0].quote}' ({_fmt_when(w)})" for w in agree)
    right = ", ".join(f"'{w.evidence[0].quote}' ({_fmt_when(w)})" for w in clash)
    evidence = tuple(e for w in agree + clash for e in w.evidence)
    return [Flag("date contradiction", f"the report dates the incident {left} but also {right}", evidence,
                 rule=R_DATE_CONTRADICTION)]


_NIGHT = re.compile(r"\b(?:night|overnight|evening|midnight|p\.?m\b)", re.I)


def _at_night(w: When, text: str) -> bool:
    ev = w.evidence[0]
    return bool(_NIGHT.search(text[max(0, ev.start - 14):ev.end + 8]))


def _fmt_when(w: When) -> str:
    return w.earliest.isoformat() if w.earliest == w.latest else f"{w.earliest}..{w.latest}"


def _actors(mentions: list[ActorMention], report: Report, text: str) -> list[Actor]:
    out: list[Actor] = []
    # One actor per name, role and claim: the same group named again with the same hedge and the
    # same source gathers its mentions; said by someone else or hedged differently, it is another claim.
    seen: dict[tuple[str, str, bool, str], Actor] = {}
    sources: dict[str, list[Evidence]] = {}
    for a in mentions:
        key = (a.role, a.text.lower(), a.hedged, a.attributed_to)
        evidence = (Evidence(report.id, a.start, a.end, text[a.start:a.end]),) + tuple(
            Evidence(report.id, s, e, text[s:e]) for s, e in a.cues if s < e
        )
        if key in seen:
            seen[key].evidence += tuple(e for e in evidence if e not in seen[key].evidence)
            continue
        seen[key] = Actor(a.role, a.text, evidence, a.kind, a.hedged, a.attributed_to, rule=a.rule)
        out.append(seen[key])
        if a.attributed_to != "report" and a.cues:
            s, e = a.cues[-1]
            sources.setdefault(a.attributed_to, []).append(Evidence(report.id, s, e, text[s:e]))
    for name, evs in sources.items():
        out.append(Actor("source", name, tuple(evs[:1]), "unknown", False, name, rule=R_SOURCE))
    return out


def _event_type(draft: _Draft, figures) -> str:
    kinds = {f.kind for f in figures}
    overall = _type_of(draft.triggers, draft, figures) or (
        "abduction" if "abducted" in kinds and "killed" not in kinds else "other")
    if overall in ("explosive", "remote", "battle") and draft.triggers:
        # A weapon or a fight named after the deed ("... the troops later found a grenade", "mortar fire
        # followed") does not retype the ambush or shooting the report tells first.
        lead = min(t.sent.start for t in draft.triggers)
        first = _type_of([t for t in draft.triggers if t.sent.start == lead], draft, figures)
        # a bomb told after an attack is usually how it was done ("The attack, carried out with
        # two bombs, ..."): only a fight told first keeps a later bomb from typing the event
        if first is not None and (overall != "explosive" or first == "battle"):
            return first
    return overall


_AIR_WORDS = {"air", "airstrike", "airstrikes", "drone", "drones", "missile", "missiles", "rocket", "rockets",
              "warplane", "warplanes", "jets", "artillery", "shell", "shells", "aircraft", "bomber", "bombers"}


def _type_of(triggers: list[Token], draft: _Draft, figures) -> str | None:
    lemmas = {t.lemma_.lower() for t in triggers} | {t.lower_ for t in triggers}
    if "strike" in lemmas and not any(t.lemma_.lower() == "strike" and _AIR_WORDS & {w.lower_ for w in t.sent}
                                      for t in triggers):
        # "struck by a bullet", "struck by a car": only an air, drone or missile strike is a strike
        lemmas.discard("strike")
        lemmas.discard("struck")
        if any({"bullet", "bullets", "gunfire", "gunshot"} & {w.lower_ for w in t.sent} for t in triggers):
            lemmas.add("shoot")
    doc_text = " ".join(t.sent.text.lower() for t in triggers[:20])
    if "mass murder" in doc_text or "mass killing" in doc_text or "summarily executed" in doc_text:
        lemmas.add("massacre")
    kinds = {f.kind for f in figures}
    for t in FAMILY_PRIORITY:
        if lemmas & lx.TYPE_CUES[t]:
            if t == "abduction" and "killed" in kinds and not lemmas & {"kidnap", "kidnapping", "abduct",
                                                                           "abduction"}:
                continue
            if t == "arson" and not lemmas & {"arson", "torch", "firebomb", "blaze", "set"}:
                continue
            return t
    return None
