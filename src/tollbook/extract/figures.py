"""Casualty figures from the dependency parse.

Stage contract: ``find_figures(doc)`` returns every ``FigureMention`` of a parsed report —
a count of people attached to a casualty word ("52 civilians were killed", "dozens
wounded", "14 taken hostage") with its character span. ``combine(mentions)`` turns the
mentions of one event into its ``Figure`` list: repeated figures merged, updates
superseding earlier ones, parts summed, the same people counted once across killed and
injured. Numbers that are not attached to a casualty word (populations, ages, years, money)
never become figures, because only the parse links a number to a casualty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token

from tollbook.extract import lexicon as lx
from tollbook.extract.nlp import text_of
from tollbook.extract.numbers import Count, is_number_word, parse_count
from tollbook.extract.rules import rule
from tollbook.records import FIGURE_KINDS, Figure, Flag

# The rules of this stage, in the order they run (docs/extraction.md, "How figures are read").
# Readers: each makes mentions from one shape of sentence.
R_FATAL_PART = rule("figures.fatal-part", "'two men were shot, one fatally': the number with 'fatally' counts the dead")
R_SELF_CONJUNCT = rule("figures.self-conjunct", "'shot his wife and then himself': the shooter is one more person hit")
R_SUICIDE = rule("figures.suicide", "'turned the gun on himself', 'took his own life': the attacker's own death")
R_DEED_NOUN = rule("figures.deed-noun", "'the murder of an 8-year-old', 'a double homicide': the deed named as a noun")
R_CONDITION = rule("figures.condition", "'left a man in critical condition', 'taken to hospital': hurt, fate not said")
R_AMONG_THE_DEAD = rule("figures.among-the-dead", "'among the dead were four policemen', 'including three soldiers'")
R_DEATH_TOLL = rule("figures.death-toll", "'the death toll rose to 60', 'the toll is 12'")
R_NUMBER_OF = rule("figures.number-of", "'the number of people killed has reached 21': a toll by another name")
R_CASUALTY_NOUN = rule("figures.casualty-noun", "'12 deaths', 'the 14 hostages', 'the bodies of 3 men'")
R_LEFT_DEAD = rule("figures.left-dead", "'left 7 dead', '3 dead', 'found dead': a casualty adjective or participle")
R_DIED = rule("figures.died", "'four died', 'forcing 200 residents to flee': a casualty verb without an object")
R_PASSIVE_TOLL = rule("figures.passive-toll", "'three villagers were killed', 'four wounded': the passive subject")
R_OBJECT_TOLL = rule("figures.object-toll", "'the strike killed 12', 'gunmen wounded two guards': the object")
R_PEOPLE_KILLED = rule("figures.people-killed",
                       "'people killed in the attack', 'dozens wounded': a participle on people")
R_HEADLINE_COUNT = rule("figures.headline-count", "'Four shot in nightclub': a headline's number before its participle")
R_NTH_VICTIM = rule("figures.nth-victim", "'a fourth victim was also injured': as many hit as the ordinal says")
R_WHOLE_OF_PARTS = rule("figures.whole-of-parts", "'two of the five people were treated': the five were hit")
R_HEADLINE_LIST = rule("figures.headline-list", "'Woman, 3 daughters shot': a headline's comma list is one count")
R_HEADLINE_DEATH = rule("figures.headline-death", "'Boy Dies After Being Shot': one death told only by the headline")
R_SHOT_AND_KILLED = rule("figures.shot-and-killed", "'was shot and killed': the shooting and the killing, once")
# Combining the mentions of one event (``combine``): the rule that decided the figure.
R_UPDATE = rule("figures.update-supersedes", "'the toll rose to 60': an update supersedes the earlier figures")
R_DISAGREE = rule("figures.reports-disagree", "counts that disagree without an update become a range")
R_OTHERS_ADDED = rule("figures.others-added", "'three others were wounded': an 'other' count adds people")
R_SHOT_NOT_DEAD = rule("figures.shot-not-dead", "people shot whose death is not said are the injured")
R_BY_WHO = rule("figures.by-who", "'3 soldiers and 11 insurgents were killed': the parts by who they were")

PERSON_PRONOUNS = {"he": 1, "she": 1, "him": 1, "her": 1, "himself": 1, "herself": 1}
ZERO_WORDS = {"no one", "nobody", "none", "no-one", "noone"}
NON_COUNT_ENTS = {"MONEY", "PERCENT", "TIME", "QUANTITY", "ORDINAL"}


@dataclass(slots=True)
class FigureMention:
    """One count of people in the text, before it is combined with the others."""

    kind: str  # a FIGURE_KIND, or "shot" (hit by gunfire, fate not said) until combined
    low: int | None
    high: int | None
    qualifier: str
    start: int  # character span of the evidence
    end: int
    sent: int  # sentence index in the doc
    trigger: int  # token index of the casualty word
    relation: str = "base"  # base | additive | subset | anaphoric
    update: bool = False  # "the toll rose to 60": supersedes earlier figures of its kind
    vague: bool = False
    note: str = ""  # words for people ("at least", "so far"); never read by a rule
    absorbed_shot: bool = False  # "shot and killed": the shooting is this killing
    victims: tuple[int, ...] = field(default=())  # token indices of the counted noun phrase heads
    # One person singled out by an article, a name or a pronoun ("a man was killed", "Smith died"),
    # not by a number: in a report that also counts the killed ("three people were killed") such a
    # person is one of them, not a rival toll.
    single: bool = False
    # the casualty word only describes a person named for something else ("an injured child",
    # "the wounded man"): said most often of a victim whose fate the report tells elsewhere
    attributive: bool = False
    # counted by their care ("three were treated", "two hospitalized"), not by their wounds: often
    # only some of the people hit
    care: bool = False
    # additive only by its clause ("... were also killed"), not by an "other" word in the count
    also: bool = False
    # the whole of a part that died ("one of the five victims died"): the dead are among these
    dead_among: bool = False
    rule: str = ""  # id of the rule that read it (or that last decided it)
    # read from a deed named as a noun ("the murder of ..."): counted only when nothing else is
    deed: bool = False
    # the attacker's own death: "self" (one more dead beside his victims) or "again" (that death
    # told once more), "" for everyone else
    selfharm: str = ""
    # the parts of the count by who they were, where the noun phrase says ("3 soldiers and 11
    # insurgents"): (who, low) pairs, who a FIGURE_WHO other than ""
    parts: tuple[tuple[str, int], ...] = ()


def find_figures(doc: Doc, *, reading: str = "plain") -> list[FigureMention]:
    out: list[FigureMention] = []
    sent_index = {s.start: i for i, s in enumerate(doc.sents)}
    seen: set[tuple[str, tuple[int, ...]]] = set()
    for sent in doc.sents:
        si = sent_index[sent.start]
        for tok in sent:
            fatal = _fatal_part(doc, tok, si, reading)
            if fatal is not None:
                out.append(fatal)
            own = _reflexive_conjunct(doc, tok, si) or _suicide(doc, tok, si) or _deed_noun(doc, tok, si, reading)
            if own is not None:
                out.append(own)
            for part in (_condition_mention(doc, tok, si, reading), _among_the_dead(doc, tok, si, reading)):
                if part is not None and (part.kind, part.victims) not in seen:
                    seen.add((part.kind, part.victims))
                    out.append(part)
            for kind in _trigger_kinds(tok):
                m = _mention(doc, tok, kind, si, reading)
                if m is None or (kind in ("injured", "shot") and _died_later(doc, m)):
                    continue
                key = (m.kind, m.victims)
                if m.victims and key in seen:
                    continue  # the same people reached through two words ("shot dead")
                seen.add(key)
                out.append(m)
    # A toll over a period or a whole place ("so far in 2017, 47 people have been killed in Chicago",
    # "55 people shot across the city") is a statistic, not the count of one incident. A bare year is
    # not enough: "a car bomb killed eight people in 2019" is one older incident.
    out, wholes = _wholes_of_parts(doc, out, reading)
    out = _headline_lists(doc, out + wholes, reading)
    sents = list(doc.sents)
    out = [m for m in out if not _AGGREGATE.search(sents[m.sent].text)]
    out = _deeds_as_fallback(out)
    if not any(m.kind == "killed" for m in out):
        death = _headline_death(doc)
        if death is not None:
            out.append(death)
    return _absorb_fatal_shootings(_selves_beside_victims(doc, out))


_HIT_NOUNS = {"victim", "people", "person", "man", "woman", "men", "women", "teen", "teenager", "child",
              "boy", "girl", "adult", "juvenile"}


def _wholes_of_parts(doc: Doc, mentions: list[FigureMention], reading: str) -> list[FigureMention]:
    """'three of the four victims were treated', 'two of the five people died': a part counted
    out of a numbered whole of victims tells how many were hit; the whole is read as shot (fate
    not said), so the part that died is taken out of it and the rest are the injured.
    Returns the mentions (an Nth victim made a part) and the wholes found."""
    out: list[FigureMention] = []
    subset: set[int] = set()
    for m in mentions:
        nth = _ordinal_of(doc[m.victims[0]]) if m.victims and m.kind in ("injured", "shot") else None
        if nth is not None and m.low == 1 and m.high == 1 and not m.attributive:
            # "a fourth victim was also injured", "an 8th teen was hurt": the one told is among as
            # many people hit as the ordinal says (the dead among them too)
            subset.add(id(m))
            out.append(FigureMention(
                kind="shot", low=nth, high=nth, qualifier="exact", start=m.start, end=m.end, sent=m.sent,
                trigger=m.victims[0], relation="base", victims=(), rule=R_NTH_VICTIM,
            ))
            continue
        if m.relation != "subset" or m.kind not in ("killed", "injured", "shot") or not m.victims:
            continue
        of = _pobj_of(doc[m.victims[0]], "of")
        if of is None or of.lemma_.lower() not in _HIT_NOUNS:
            continue
        if not any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in of.children):
            continue
        nums = [c for c in of.children if c.dep_ == "nummod"]
        if not nums:
            continue
        count = parse_count([t.text for t in _number_phrase(nums[0])], reading=reading)
        if count is None or count.low is None or count.vague or m.low is None or count.low <= m.low:
            continue
        if any(o.kind == "shot" and of.i in o.victims for o in mentions):
            continue  # "two of the five people shot died": the shot are counted there already
        out.append(FigureMention(
            kind="shot", low=count.low, high=count.high, qualifier="exact", start=nums[0].idx,
            end=of.idx + len(of), sent=m.sent, trigger=of.i, relation="base", victims=(of.i,),
            dead_among=m.kind == "killed", rule=R_WHOLE_OF_PARTS,
        ))
    # the one told as the Nth is now a part of those hit: a new value, not the old one changed
    return [replace(m, relation="subset") if id(m) in subset else m for m in mentions], out


def _headline_lists(doc: Doc, mentions: list[FigureMention], reading: str) -> list[FigureMention]:
    """'Woman, 3 teenage daughters shot', 'Officer, suspect wounded in shootout': a headline lists
    the people hit with a comma where a sentence says 'and'; the parse seldom makes the first a
    conjunct, so the person (or people) before the comma are added to the count after it (a new
    mention in place of the old one, its rule ``figures.headline-list``)."""
    sents = list(doc.sents)
    if not sents:
        return mentions
    head = sents[0]
    taken = {v for m in mentions for v in m.victims}
    out: list[FigureMention] = []
    for m in mentions:
        out.append(m)
        if m.sent != 0 or m.kind not in ("killed", "injured", "shot") or m.low is None or not m.victims:
            continue
        v = doc[m.victims[0]]
        if _trigger_kinds(v):
            continue  # "Four Shot, Two Dead": the parse hung one count on the other's word
        sibs = [c for c in v.children if c.dep_ in ("nmod", "appos", "dep", "compound") and c.i < v.i]
        if v.dep_ in ("nsubj", "nsubjpass"):
            sibs += [c for c in v.head.children if c.dep_ in ("nsubj", "nsubjpass", "dep") and c.i != v.i]
        for c in sibs:
            # "Man, woman wounded", "Pregnant woman, 2 others shot": two people joined by a comma
            lo, hi = sorted((c.i, v.i))
            if "," not in [t.text for t in doc[lo:hi]] or any(t.dep_ == "cc" for t in doc[lo:hi]):
                continue
            if c.i in taken or c.pos_ not in ("NOUN", "PROPN") or _own_trigger(c) or c.ent_type_ in ("GPE", "LOC"):
                continue  # "Four Shot, Two Dead": a count with its own word is told there
            if not _is_personal(c) and c.lower_ not in ("others",):
                continue
            counted = _count_one(c, reading)
            if counted is None and c.tag_ in ("NN", "NNP") and not any(t.dep_ == "det" for t in c.children):
                counted = Count(1, 1), [c], "base"  # a bare singular in a headline: one person
            if counted is None or counted[0].low is None:
                continue
            out[-1] = replace(
                m, low=m.low + counted[0].low,
                high=None if m.high is None or counted[0].high is None else m.high + counted[0].high,
                start=min(m.start, c.left_edge.idx), end=max(m.end, c.idx + len(c)), single=False,
                victims=tuple(sorted(set(m.victims) | {c.i})), rule=R_HEADLINE_LIST, parts=())
            taken.add(c.i)
            break
        else:
            c = None
        if c is not None:
            continue
        first = next((t.i for t in head if t.idx >= m.start), None)
        if first is None or first - 2 < head.start or doc[first - 1].text != ",":
            continue
        np_end = first - 2
        np_start = np_end
        while np_start - 1 >= head.start and doc[np_start - 1].pos_ in ("ADJ", "NUM", "NOUN", "PROPN") \
                and doc[np_start - 1].text not in (",", ":"):
            np_start -= 1
        if np_start != head.start and doc[np_start - 1].text != ":":
            continue  # only a list that opens the headline (or its part after a colon)
        noun = doc[np_end]
        if noun.i in taken or noun.pos_ not in ("NOUN", "PROPN") or noun.ent_type_ in ("GPE", "LOC", "ORG", "FAC") \
                or _own_trigger(noun):
            continue
        if not _is_personal(noun) or np_end - np_start > 3:
            continue
        nums = [t for t in doc[np_start:np_end] if t.like_num or is_number_word(t.text)]
        count = parse_count([nums[0].text], reading=reading) if nums else None
        n = count.low if count is not None and count.low is not None else (None if nums else 1)
        if n is None or (noun.tag_ in ("NNS", "NNPS") and not nums):
            continue
        out[-1] = replace(m, low=m.low + n, high=None if m.high is None else m.high + n, start=doc[np_start].idx,
                          single=False, victims=tuple(sorted(set(m.victims) | {noun.i})), rule=R_HEADLINE_LIST,
                          parts=())
    return out


_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10}


def _ordinal_of(head: Token) -> int | None:
    """The N of 'a fourth victim', 'an 8th teen': a person told as the Nth of those hit."""
    if head.lemma_.lower() not in _HIT_NOUNS | {"officer", "deputy", "student", "person", "bystander"}:
        return None
    if not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children):
        return None  # "the third child shot this year" ranks a series, not the people of one incident
    for c in head.children:
        if c.dep_ == "amod" and c.i < head.i:
            word = c.lower_
            n = _ORDINALS.get(word)
            if n is None and re.fullmatch(r"([2-9]|10)(nd|rd|th)", word):
                n = int(word[:-2])
            if n is not None:
                return n
    return None


_DEATH_LEMMAS = {"die", "dead", "death", "kill", "fatal", "fatally", "murder", "homicide", "slay", "slaying",
                 "deadly"}
# the same in their inflected forms: a title-case headline is often mis-tagged ("Dies" as a plural noun)
_DEATH_FORMS = _DEATH_LEMMAS | {"dies", "died", "killed", "kills", "murdered", "slain"}
_DEATHS = {"deaths", "murders", "homicides", "killings", "slayings"}


def _headline_death(doc: Doc) -> FigureMention | None:
    """'Boy Dies After Being Accidentally Shot', 'Teen shot in Wichita has died', 'Man charged in
    child's death': a headline tells the outcome, often in words whose people the parse cannot
    count (title case, no article). When the report counts no dead at all, such a headline tells
    one death: of the one person it is about (a person shot is then killed, not injured)."""
    sents = list(doc.sents)
    if not sents:
        return None
    head = sents[0]
    if not any(t.is_alpha for t in head) or len(head) > 40 or _AGGREGATE.search(head.text):
        return None
    for tok in head:
        lemma = tok.lemma_.lower()
        if lemma not in _DEATH_LEMMAS and tok.lower_ not in _DEATH_FORMS:
            continue
        if tok.lower_ in _DEATHS or negated(tok) or hypothetical(tok):
            continue  # "deaths": how many is not said
        before = doc[max(head.start, tok.i - 2):tok.i].text.lower()
        if "attempt" in before or "near" in before or re.search(r"\bnon\W*$", before):
            continue  # "attempted murder", "nearly killed", "non-fatal shootings"
        if tok.lower_ == "deadly" and tok.head.lemma_.lower() not in ("shooting", "attack", "incident", "crash"):
            continue  # "deadly weapon"
        if any(c.like_num or c.pos_ == "NUM" for c in tok.subtree if c.i != tok.i) and lemma != "death":
            continue  # a number with it is a count the other rules read (or chose not to)
        return FigureMention(
            kind="killed", low=1, high=1, qualifier="exact", start=tok.idx, end=tok.idx + len(tok), sent=0,
            trigger=tok.i, relation="anaphoric", victims=(tok.i,), single=True, rule=R_HEADLINE_DEATH,
        )
    return None


_AGGREGATE = re.compile(
    r"\b(?:so far (?:this|in)\b|this year\b|last year\b|since (?:january|the (?:start|beginning))\b|"
    r"(?:each|every|per|a) year\b|annually\b|nationwide\b|statewide\b|"
    r"across the (?:city|state|country|nation|county)\b|(?:year|month)-to-date\b|"
    # a war's or a decade's toll: "during 10 years of civil war", "in the past five years", "since 1985"
    r"(?:during|in|over|for) (?:the (?:last|past) )?(?:\d+|[a-z]+) (?:years|decades)\b|since (?:1[89]|20)\d\d\b)",
    re.I)


def _reflexive_conjunct(doc: Doc, tok: Token, si: int) -> FigureMention | None:
    """'shot his wife and then himself': the parse hangs 'himself' on the verb as a conjunct, not
    on the wife; the shooter is one more person hit (GVA and most tallies count him)."""
    if tok.lower_ not in ("himself", "herself") or tok.dep_ != "conj":
        return None
    verb = tok.head
    verbs = [verb] + [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"]  # "shot and killed"
    kinds = {k for v in verbs for k in _trigger_kinds(v) if k in ("killed", "shot", "injured")}
    if not kinds or not any(_dobj_like(v) for v in verbs) or hypothetical(verb) or negated(verb):
        return None
    return FigureMention(
        kind="killed" if "killed" in kinds else sorted(kinds)[0], low=1, high=1, qualifier="exact", start=verb.idx,
        end=tok.idx + len(tok), sent=si,
        trigger=verb.i, relation="additive", selfharm="self", victims=(tok.i,), single=True, rule=R_SELF_CONJUNCT,
    )


_DEED_NOUNS = {"death": "killed", "murder": "killed", "killing": "killed", "slaying": "killed", "homicide": "killed",
               "assassination": "killed", "execution": "killed",
               "shooting": "shot", "stabbing": "injured"}
_MULTIPLES = {"double": 2, "triple": 3, "quadruple": 4, "quintuple": 5}
_FATAL_ADJ = {"fatal", "deadly", "lethal"}


def _deed_noun(doc: Doc, tok: Token, si: int, reading: str) -> FigureMention | None:
    """The deed named as a noun: 'the shooting death of a 5-month-old', 'the murder of an 8-year-old
    girl', 'the 2013 shooting of seven people' count the people after 'of'; 'a double homicide',
    'a quadruple shooting' count by the multiple."""
    kind = _DEED_NOUNS.get(tok.lemma_.lower())
    if kind is None or tok.pos_ != "NOUN" or negated(tok) or hypothetical(tok):
        return None
    if tok.lemma_.lower() == "shooting" and any(c.lower_ == "death" for c in [tok.head] if tok.dep_ == "compound"):
        return None  # "shooting death": the death is counted
    if kind == "shot" and any(c.dep_ in ("amod", "compound") and c.lower_ in _FATAL_ADJ for c in tok.children):
        kind = "killed"  # "the fatal shooting of a man", "a double fatal shooting": the people died
    multiple = next((_MULTIPLES[c.lower_] for c in tok.children if c.dep_ in ("amod", "compound")
                     and c.lower_ in _MULTIPLES), None)
    if multiple is not None:
        count, tokens, relation = Count(multiple, multiple), [c for c in tok.children if c.lower_ in _MULTIPLES], "base"
        victims: tuple[int, ...] = (tok.i,)
    else:
        of = _pobj_of(tok, "of")
        if of is None:
            # "Galan's murder", "the magistrate's assassination": the victim as the deed's owner
            # (a name or a person's noun; not "his death", said of someone told already)
            of = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
        if of is None or not (_is_personal(of) or of.lower_ == "old" or of.like_num or _numbered(of) or _named(of)):
            return None
        counted = _count_heads([of], reading)
        if counted is None or counted[0].low is None or counted[0].vague:
            return None
        (count, tokens, relation), victims = counted, (of.i,)
        # "the assassination of X and of Y": the second "of" is a conjunct of the first
        for prep in of.head.conjuncts if of.dep_ == "pobj" else ():
            more = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep.lower_ == "of" else None
            added = _count_one(more, reading) if more is not None and (_is_personal(more) or _named(more)) else None
            if added is not None and added[0].low is not None and count.low is not None and not added[0].vague:
                count = Count(count.low + added[0].low, None if count.high is None or added[0].high is None
                              else count.high + added[0].high)
                tokens, victims = tokens + added[1], victims + (more.i,)
    span = list(tokens) + [tok]
    return FigureMention(
        kind=kind, low=count.low, high=count.high, qualifier="exact", start=min(t.idx for t in span),
        end=max(t.idx + len(t) for t in span), sent=si, trigger=tok.i,
        relation="anaphoric" if relation == "base" and count.low == 1 and multiple is None else relation,
        victims=victims, single=count.low == 1 and multiple is None, rule=R_DEED_NOUN, deed=True,
    )


def _deeds_as_fallback(mentions: list[FigureMention]) -> list[FigureMention]:
    """A deed named as a noun is often told in passing, in a sentence about a trial or an arrest:
    it counts only when the report counts no one hurt by a casualty word of its own."""
    told = any(not m.deed and m.kind in ("killed", "shot", "injured") for m in mentions)
    # but a death the report tells only by its deed ("charged in the fatal shooting of a man" beside
    # "the man was shot") is still a death: the people shot are not thereby injured
    dead = any(not m.deed and m.kind == "killed" for m in mentions)
    return [m for m in mentions if not (told and m.deed) or (m.kind == "killed" and not dead)]


_WEAPONS = {"gun", "weapon", "rifle", "pistol", "shotgun", "handgun", "revolver", "firearm", "knife"}


def _named(tok: Token) -> bool:
    """A person's name the tagger did not call one ('Minister Dr Antonio Rodriguez Porth', 'Ms
    Dolores Casanova'): a proper noun of two words or more that no entity calls a place, a group or
    a thing."""
    return tok.pos_ == "PROPN" and tok.ent_type_ in ("", "PERSON") and any(
        c.dep_ == "compound" and c.pos_ == "PROPN" and c.ent_type_ in ("", "PERSON") for c in tok.children)


def _suicide(doc: Doc, tok: Token, si: int) -> FigureMention | None:
    """The attacker's own death: 'turned the gun on himself', 'took his own life', 'committed
    suicide'. One killed person beside those he killed (see ``_selves_beside_victims``)."""
    lemma = tok.lemma_.lower()
    person = None
    if lemma == "turn" and any(c.dep_ == "dobj" and c.lemma_.lower() in _WEAPONS for c in tok.children):
        on = _pobj_of(tok, "on")
        person = on if on is not None and on.lower_ in ("himself", "herself") else None
    elif lemma == "take" and any(c.dep_ == "dobj" and c.lemma_ == "life" and any(a.lower_ == "own" for a in c.children)
                                 for c in tok.children):
        person = _doer(tok)
    elif lemma == "commit" and any(c.dep_ == "dobj" and c.lemma_.lower() == "suicide" for c in tok.children):
        person = _doer(tok)
    if person is None or hypothetical(tok) or negated(tok):
        return None
    return FigureMention(
        kind="killed", low=1, high=1, qualifier="exact", start=min(tok.idx, person.idx),
        end=max(t.idx + len(t) for t in tok.subtree if t.i >= tok.i), sent=si, trigger=tok.i, relation="additive",
        selfharm="self", victims=(person.i,), single=True, rule=R_SUICIDE,
    )


def _doer(verb: Token) -> Token | None:
    """The subject of a verb, or of the verb it continues ('shot his neighbour, then took his own life')."""
    node = verb
    for _ in range(3):
        subj = _subject(node)
        if subj:
            return subj[0]
        if node.dep_ not in ("conj", "dep", "advcl") or node.head.i == node.i:
            return None
        node = node.head
    return None


def _selves_beside_victims(doc: Doc, mentions: list[FigureMention]) -> list[FigureMention]:
    """'killed his two sons and then killed himself': a person who killed himself is one more
    dead beside those he killed or shot, whom the report counts apart. Without such victims ('the
    boy shot himself'; 'the boy died') he is the one person the report counts, not one more.
    Returns new mentions (their ``selfharm`` and relation decided), the others as they were."""
    mentions = [
        replace(m, relation="additive", selfharm="self")
        if m.kind == "killed" and m.victims and all(doc[i].lower_ in ("himself", "herself") for i in m.victims)
        and doc[m.victims[0]].dep_ == "dobj" else m
        for m in mentions
    ]
    harmed_others = any(
        m.kind in ("killed", "shot", "injured") and m.selfharm != "self" and m.victims
        and not any(doc[i].lower_ in ("himself", "herself") for i in m.victims)
        and _done_by_someone(doc, m)
        for m in mentions
    )
    # "killed his son and then himself" already counts him (a conjunct); and a report tells one
    # attacker's death however often it repeats it
    counted_self = any(m.selfharm != "self" and m.kind == "killed"
                       and re.search(r"\b(him|her)self\b", text_of(doc)[m.start:m.end]) for m in mentions)
    # "Three people are dead" after a murder-suicide most often counts him already: he is one more
    # only beside people counted as those he killed ("killed his two sons")
    total_of_dead = any(m.kind == "killed" and m.selfharm != "self" and m.relation == "base" and not m.single
                        and not _done_by_someone(doc, m) for m in mentions)
    first = True
    out: list[FigureMention] = []
    for m in mentions:
        if m.selfharm != "self":
            out.append(m)
            continue
        if m.kind == "killed" and harmed_others and first and not counted_self and not total_of_dead:
            first = False
        elif m.kind == "killed" or not harmed_others:
            # the same death told again, or no one else harmed: evidence, not one more person
            m = replace(m, relation="additive", selfharm="again") if not first else replace(
                m, relation="anaphoric", selfharm="")
        out.append(m)
    return out


def _done_by_someone(doc: Doc, m: FigureMention) -> bool:
    """The counted people are the object of someone's deed ('shot his wife', 'shot dead by her
    husband'), not people who died or were found dead."""
    trigger = doc[m.trigger]
    if trigger.lemma_.lower() not in lx.TRANSITIVE:
        return False
    if any(doc[i].dep_ in ("dobj", "obj") and doc[i].head.i == trigger.i for i in m.victims):
        return True
    return any(c.dep_ == "agent" for c in trigger.children)


def _died_later(doc: Doc, m: FigureMention) -> bool:
    """'A woman who was wounded in Sunday's shooting died on Monday': she is among the killed,
    not the injured."""
    for i in m.victims:
        head = doc[i]
        if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_ in ("die", "succumb"):
            return True
    return False


def _fatal_part(doc: Doc, tok: Token, si: int, reading: str) -> FigureMention | None:
    """'Two men were shot, one fatally': the number with 'fatally' counts the killed among them."""
    if not (tok.like_num or tok.pos_ == "NUM"):
        return None
    adv = [c for c in tok.children if c.lower_ in lx.FATAL_ADVERBS]
    if not adv and not (tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in lx.FATAL_ADVERBS):
        return None
    count = parse_count([p.text for p in _number_phrase(tok)], reading=reading)
    if count is None:
        return None
    end_tok = adv[0] if adv else doc[tok.i + 1]
    return FigureMention(
        kind="killed", low=count.low, high=count.high, qualifier="exact", start=tok.idx,
        end=end_tok.idx + len(end_tok), sent=si, trigger=end_tok.i, relation="subset", victims=(tok.i,),
        rule=R_FATAL_PART,
    )


def _among_the_dead(doc: Doc, tok: Token, si: int, reading: str) -> FigureMention | None:
    """A part of a toll: 'among the dead were four policemen', 'among those killed were two
    children', 'the dead included three soldiers', '20 people were killed, including three
    soldiers'. A subset (at least that many), which tells who some of the people were."""
    people: Token | None = None
    kinds: list[str] = []
    if tok.lower_ == "among" and tok.dep_ == "prep" and tok.head.lemma_ in ("be", "include"):
        whole = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if whole is None:
            return None
        kinds = _whole_kinds(whole)
        people = next((c for c in tok.head.children if c.dep_ in ("nsubj", "attr", "dobj") and c.i != whole.i), None)
    elif tok.lower_ == "including" and tok.dep_ == "prep":
        people = next((c for c in tok.children if c.dep_ == "pobj"), None)
        # "were killed in the bombing, including ...": the parse often hangs the part on the
        # nearest noun; the casualty word is a few heads up
        anchor = tok.head
        for _ in range(3):
            kinds = _trigger_kinds(anchor) if anchor.pos_ in ("VERB", "AUX", "ADJ") else _whole_kinds(anchor)
            if kinds or anchor.head.i == anchor.i:
                break
            anchor = anchor.head
        if people is not None and not (_is_personal(people) or _pobj_of(people, "of") is not None):
            return None
    elif tok.lemma_ == "include" and tok.pos_ == "VERB":
        whole = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        kinds = _whole_kinds(whole) if whole is not None else []
        people = next((c for c in tok.children if c.dep_ == "dobj"), None)
    kinds = [k for k in kinds if k in ("killed", "injured", "abducted")]
    if people is None or not kinds or hypothetical(tok) or negated(tok.head):
        return None
    counted = _count_heads([people], reading)
    if counted is None or counted[0].low is None or counted[0].vague:
        return None
    count, tokens, _ = counted
    span = list(tokens) + [tok, people]
    return FigureMention(
        kind=kinds[0], low=count.low, high=None, qualifier="at least", start=min(t.idx for t in span),
        end=max(t.idx + len(t) for t in span), sent=si, trigger=tok.i, relation="subset", victims=(people.i,),
        rule=R_AMONG_THE_DEAD, parts=_by_who([people], reading, count.low),
    )


def _whole_kinds(whole: Token) -> list[str]:
    """The casualty kind of a whole of people: 'the dead', 'those killed', 'the victims killed'."""
    return _trigger_kinds(whole) or [k for c in whole.children if c.dep_ in ("acl", "relcl", "amod")
                                     for k in _trigger_kinds(c)]


_CONDITIONS = {"critical", "serious", "stable", "fair", "grave", "good", "life-threatening"}
_CARRY = {"take", "transport", "rush", "airlift", "fly", "carry", "drive", "hospitalize", "treat", "admit"}


def _condition_mention(doc: Doc, tok: Token, si: int, reading: str) -> FigureMention | None:
    """People hurt by their state, not a casualty verb: 'left a man in critical condition',
    'is in stable condition', 'suffering from a gunshot wound', 'with a gunshot wound to the leg',
    'was taken to the hospital'. Read as shot (hit, fate not said): a death said elsewhere wins."""
    lemma = tok.lemma_.lower()
    people: list[Token] = []
    if lemma == "condition" and any(c.lower_ in _CONDITIONS for c in tok.children):
        prep = tok.head if tok.dep_ == "pobj" and tok.head.lower_ == "in" else None
        if prep is not None:
            h = prep.head
            if h.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "ADJ") and h.dep_ not in ("pobj",):
                people = [h]
            elif h.pos_ in ("VERB", "AUX"):
                people = _dobj_like(h) or _passive_subject(h) or _subject(h)
    elif lemma == "wound" and any(c.lower_ in ("gunshot", "bullet") for c in tok.children):
        h = tok.head
        if h.lower_ in ("with", "from") and h.dep_ == "prep":
            h = h.head
            if h.lemma_ == "suffer":
                people = _subject(h) or ([h.head] if h.dep_ in ("acl", "amod", "dobj") else [])
            elif h.pos_ in ("NOUN", "PROPN", "PRON"):
                people = [h]
            elif h.pos_ == "VERB":
                people = _dobj_like(h) or _passive_subject(h)
        elif tok.dep_ == "dobj" and h.lemma_ in ("suffer", "sustain", "receive", "have"):
            people = _subject(h)
    elif lemma == "hospital" and tok.dep_ == "pobj" and tok.head.lower_ == "to":
        v = tok.head.head
        if v.lemma_ in _CARRY:
            people = _passive_subject(v) or _dobj_like(v)
    elif lemma == "hospital" and tok.dep_ == "pobj" and tok.head.lower_ == "in":
        v = tok.head.head  # "two other victims remain in hospital", "three are still in the hospital"
        if v.lemma_ in ("remain", "be", "stay", "lie") and v.pos_ in ("VERB", "AUX"):
            people = _subject(v)
    if not people or hypothetical(tok):
        return None
    counted = _count_heads(people, reading)
    if counted is None:
        return None
    count, tokens, relation = counted
    if count.low is None or count.vague:
        return None
    span = list(tokens) + [tok]
    return FigureMention(
        kind="shot", low=count.low, high=count.high, qualifier="exact", start=min(t.idx for t in span),
        end=max(t.idx + len(t) for t in span), sent=si, trigger=tok.i, relation=relation,
        victims=tuple(sorted(p.i for p in people)), rule=R_CONDITION,
    )


# -- triggers ---------------------------------------------------------------------------------


def _trigger_kinds(tok: Token) -> list[str]:
    lemma = tok.lemma_.lower()
    text = tok.lower_
    pos = tok.pos_
    if pos in ("VERB", "AUX") or (tok.tag_ in ("VBN", "VBD", "VBG") and pos != "NOUN"):
        if lemma in lx.TRANSITIVE or text in lx.ADJECTIVES and tok.tag_ == "VBN":
            kind = lx.TRANSITIVE.get(lemma) or lx.ADJECTIVES[text]
            if kind == "shot" and _is_fatal(tok):
                kind = "killed"
            if kind == "injured" and _is_fatal(tok):  # "fatally wounded", "stabbed to death", "beaten to death"
                kind = "killed"
            if lemma == "take" or lemma == "hold":
                return []
            return [kind]
        if lemma in lx.INTRANSITIVE:
            return [lx.INTRANSITIVE[lemma]]
        if lemma == "pass" and any(c.dep_ == "prt" and c.lower_ == "away" for c in tok.children):
            return ["killed"]  # "he passed away": died
        if lemma in ("take", "hold") and any(c.lower_ in ("hostage", "hostages", "captive") for c in tok.children):
            return ["abducted"]
        return []
    if pos == "ADJ" and text in lx.ADJECTIVES:
        return [lx.ADJECTIVES[text]]
    if _headline_shot_noun(tok):
        return ["shot"]
    if pos in ("NOUN", "PROPN"):
        if lemma == "toll" or text == "toll":
            return ["killed"] if _is_death_toll(tok) else []
        if lemma in ("number", "tally", "count") and _counted_kind(tok):
            return [_counted_kind(tok)]
        kind = lx.NOUNS.get(lemma) or lx.NOUNS.get(text)
        if kind:
            return [kind]
        if text in lx.ADJECTIVES and tok.dep_ not in ("compound",):
            return [lx.ADJECTIVES[text]]
    return []


def _headline_shot_noun(tok: Token) -> bool:
    """'Envy Nightclub shooting: 4 shot in club', 'Five Shot During Party': a title-case or terse
    headline whose participle the tagger calls a noun ('a shot'), counted by a number of its own.
    'fired 4 shots' is plural, and a shot that is fired or heard is an object, not people."""
    if tok.lower_ != "shot" or tok.pos_ not in ("NOUN", "PROPN") or not _headline(tok):
        return False
    if tok.dep_ in ("dobj", "pobj", "compound") or tok.head.lemma_.lower() in ("fire", "hear", "take"):
        return False
    nums = [c for c in tok.children if c.dep_ == "nummod" and c.i < tok.i]
    return bool(nums) and (nums[0].like_num or is_number_word(nums[0].text)) and nums[0].lower_ not in ("one", "1")


def _is_fatal(tok: Token) -> bool:
    """'fatally shot', 'shot dead', 'shot to death', 'shot and killed' (the last via absorb)."""
    for c in tok.children:
        if c.lower_ in lx.FATAL_ADVERBS:
            return True
        if c.lower_ == "dead" and c.dep_ in ("oprd", "acomp", "advmod", "xcomp", "dobj", "npadvmod"):
            return True
        if c.dep_ == "prep" and c.lower_ == "to" and any(g.lemma_ in lx.TO_DEATH for g in c.children):
            return True
    return False


def _counted_kind(tok: Token) -> str | None:
    """'the number of people killed', 'the tally of those wounded': a toll by another name."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for p in prep.children:
                for c in p.children:
                    if c.dep_ in ("acl", "relcl", "amod"):
                        kind = lx.TRANSITIVE.get(c.lemma_.lower()) or lx.ADJECTIVES.get(c.lower_)
                        if kind in ("killed", "injured", "abducted", "missing", "arrested", "displaced"):
                            return kind
    return None


def _is_death_toll(tok: Token) -> bool:
    left = [c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "nmod")]
    prev = tok.doc[tok.i - 1].lower_ if tok.i > 0 else ""
    return "death" in left or prev in ("death", "casualty", "fatality") or "casualty" in left


# -- one mention --------------------------------------------------------------------------------


def _mention(doc: Doc, tok: Token, kind: str, si: int, reading: str) -> FigureMention | None:
    if hypothetical(tok) or negated(tok):
        return None
    if tok.lemma_.lower() == "toll" or tok.lower_ == "toll":
        return _toll_mention(doc, tok, si, reading)
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in ("number", "tally", "count"):
        return _toll_mention(doc, tok, si, reading, kind=kind, verb_only=True)
    victims = _victim_heads(tok, kind)
    if not victims:
        return None
    counted = _count_heads(victims, reading)
    if counted is None:
        return None
    count, tokens, relation = counted
    if count.low is None and count.high is None:
        return None
    if kind == "targeted" and (count.low or 0) < 2:
        return None  # "a man was attacked" is the event itself, not a count of targets
    qualifier, note = _qualifier(doc, tokens, tok)
    if count.vague:
        qualifier = "vague" if qualifier == "exact" else qualifier
    low, high = count.low, count.high
    stated = _stated_range(doc, tokens, reading)
    if stated is not None:
        (low, high), tokens = stated[0], tokens + stated[1]
        qualifier = "about" if qualifier == "about" else "exact"
    low, high = _strict_bound(note, qualifier, low, high)
    if qualifier == "at least":
        high = None
    elif qualifier == "at most" and low is not None and high is not None and low == high:
        low = None if "up to" in note or "as many as" in note else low
    span_tokens = list(tokens) + [tok] + [v.left_edge for v in victims if v.i - v.left_edge.i <= 6]
    span_tokens += [c for c in tok.children if c.lower_ in ("hostage", "hostages", "captive", "dead")]
    start = min(t.idx for t in span_tokens)
    end = max(t.idx + len(t) for t in span_tokens)
    single = (low, high) == (1, 1) and not any(
        (t.like_num or is_number_word(t.text)) and t.lower_ not in ("a", "an") for t in tokens
    )
    if single and tok.lemma_.lower() == "treat":
        kind = "shot"  # "doctors treated him", and he may have died: hurt, fate not said
    return FigureMention(
        kind=kind, low=low, high=high, qualifier=qualifier, start=start, end=end, sent=si, trigger=tok.i,
        relation=relation if relation != "base" else _relation_from_clause(tok), vague=count.vague, note=note,
        also=relation == "base" and _relation_from_clause(tok) == "additive",
        victims=tuple(sorted(v.i for v in victims)), update=_is_update(tok), single=single,
        care=tok.lemma_.lower() in ("treat", "hospitalize", "hospitalise"),
        attributive=single and tok.dep_ == "amod" and tok.i < tok.head.i and not any(
            c.dep_ == "poss" for c in tok.head.children),  # "her wounded son" is someone else's kin
        rule=_reader(tok), parts=_by_who(victims, reading, low),
    )


def _by_who(heads: list[Token], reading: str, low: int | None) -> tuple[tuple[str, int], ...]:
    """'3 soldiers and 11 insurgents', '12 peasants': the counted people by who they were, when the
    noun of at least one part says it (the other parts are then "unknown") and the parts add up to
    the count read. Nothing when no part says who ('12 people')."""
    if not heads or low is None:
        return ()
    parts: dict[str, int] = {}
    for part in _parts_of(heads[0], reading):
        counted = _count_one(part, reading)
        if counted is None or counted[0].low is None or counted[0].low != counted[0].high:
            return ()
        who = _who(part)
        parts[who] = parts.get(who, 0) + counted[0].low
    if not any(parts) or sum(parts.values()) != low:
        return ()
    return tuple(sorted((who or "unknown", n) for who, n in parts.items()))


def _who(tok: Token) -> str:
    """Who the people of a noun phrase were: "security forces", "armed group", "civilians" or ""
    (not said). A number stands for its "of" phrase ("three of the soldiers"); a side named on
    the noun wins over the noun ("rebel soldiers" are an armed group)."""
    noun = tok
    if noun.pos_ == "NUM" or noun.like_num or noun.lemma_.lower() in ("member", "one"):
        of = _pobj_of(noun, "of")
        if of is not None:
            noun = of
    lemma = noun.lemma_.lower()
    mods = {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound", "nmod")}
    if lemma in ("force", "forces", "member"):
        if mods & lx.WHO_ARMED:
            return "armed group"
        return "security forces" if mods & lx.STATE_FORCES else ""
    if lemma in lx.WHO_ARMED or {m.rstrip("s") for m in mods} & lx.WHO_ARMED:
        return "armed group"
    if lemma in lx.WHO_SECURITY or noun.lower_ in lx.WHO_SECURITY:
        return "security forces"
    if lemma in lx.WHO_CIVILIANS or noun.lower_ in lx.WHO_CIVILIANS or "civilian" in mods:
        return "civilians"
    return ""


def _reader(tok: Token) -> str:
    """The rule that reads a casualty word's people: the branch ``_victim_heads`` takes."""
    if _headline_shot_noun(tok):
        return R_HEADLINE_COUNT
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("NOUN", "PROPN") and (lx.NOUNS.get(lemma) or lx.NOUNS.get(tok.lower_)):
        return R_CASUALTY_NOUN
    people = ("NOUN", "PROPN", "NUM", "PRON")
    if tok.pos_ == "ADJ" or (tok.tag_ == "VBN" and tok.dep_ in ("oprd", "acomp", "amod", "acl", "xcomp")):
        return R_PEOPLE_KILLED if tok.dep_ in ("amod", "acl") and tok.head.pos_ in people else R_LEFT_DEAD
    if lemma in lx.INTRANSITIVE or lemma == "pass":
        return R_DIED
    if _passive_subject(tok):
        return R_PASSIVE_TOLL
    if _dobj_like(tok):
        return R_OBJECT_TOLL
    if tok.dep_ in ("acl", "amod", "relcl"):
        return R_PEOPLE_KILLED
    if tok.dep_ == "conj":
        return R_PASSIVE_TOLL
    return R_HEADLINE_COUNT


_RANGE_WORD = r"(?:\d[\d,]*|[a-z]+(?:-[a-z]+)?)"
_RANGE = re.compile(rf"\b(between\s+)?({_RANGE_WORD})\s*(and|to|or|-|–)\s*({_RANGE_WORD})\b", re.I)


def _stated_range(doc: Doc, tokens: list[Token], reading: str) -> tuple[tuple[int, int], list[Token]] | None:
    """'between 40 and 50 people', '40 to 50', 'three or four': the two ends of a stated range.
    'and' makes a range only after 'between' ('two officers and three civilians' is a sum)."""
    if not tokens:
        return None
    first, last = min(t.i for t in tokens), max(t.i for t in tokens)
    lo_i, hi_i = max(first - 4, tokens[0].sent.start), min(last + 4, tokens[0].sent.end)
    start_char = doc[lo_i].idx
    window = text_of(doc)[start_char:doc[hi_i - 1].idx + len(doc[hi_i - 1])]
    t0, t1 = doc[first].idx - start_char, doc[last].idx + len(doc[last]) - start_char
    for m in _RANGE.finditer(window):
        if not (m.start(2) < t1 and t0 < m.end(4)):
            continue
        if m.group(3).lower() == "and" and not m.group(1):
            continue
        a = parse_count([m.group(2)], reading=reading)
        b = parse_count([m.group(4)], reading=reading)
        if a is None or b is None or a.vague or b.vague or a.low is None or b.low is None or not a.low < b.low:
            continue
        extra = [t for t in doc[lo_i:hi_i] if start_char + m.start() <= t.idx < start_char + m.end()]
        return (a.low, b.low), extra
    return None


def _strict_bound(note: str, qualifier: str, low: int | None, high: int | None) -> tuple[int | None, int | None]:
    """'more than 30' is at least 31; 'fewer than 10' at most 9 (whole people)."""
    first = note.split(" and ")[0]
    if qualifier == "at least" and low is not None and first.startswith(("more than", "over", "upwards of")):
        return low + 1, high
    if qualifier == "at most" and high is not None and first.startswith(("fewer than", "less than", "under")):
        return (None if low == high else low), high - 1
    return low, high


def _toll_mention(doc: Doc, tok: Token, si: int, reading: str, *, kind: str = "killed",
                  verb_only: bool = False) -> FigureMention | None:
    """'the death toll rose to 60', 'Death Toll ... at 52 and Rising', 'the toll is 12'."""
    sent = tok.sent
    # The number the toll's verb reaches, however long the subject: "The toll from ... rose to 19".
    verb_numbers = []
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ in ("VERB", "AUX"):
        for c in tok.head.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "at"):
                verb_numbers += [g for g in c.children if g.dep_ == "pobj" and (g.like_num or is_number_word(g.text))]
            elif c.dep_ in ("dobj", "attr") and (c.like_num or is_number_word(c.text)):
                verb_numbers.append(c)
    window = [] if verb_only else [doc[j] for j in range(tok.i + 1, min(sent.end, tok.i + 10))]
    for t in verb_numbers + window:
        if t.like_num or is_number_word(t.text):
            if t.ent_type_ in NON_COUNT_ENTS:
                return None
            phrase = _number_phrase(t)
            count = parse_count([p.text for p in phrase], reading=reading)
            if count is None:
                return None
            qualifier, note = _qualifier(doc, phrase, tok)
            update = _is_update(tok) or any(_raises(a) for a in [tok.head, *tok.head.children] if a.i < t.i)
            low, high = count.low, count.high
            if qualifier == "at least":
                high = None
            start = min(tok.idx, phrase[0].idx)
            end = max(phrase[-1].idx + len(phrase[-1]), _rising_end(doc, phrase[-1]))
            return FigureMention(
                kind=kind, low=low, high=high, qualifier=qualifier if not count.vague else "vague",
                start=_phrase_start(doc, tok), end=end, sent=si, trigger=tok.i, update=update,
                vague=count.vague, note=note, victims=(t.i,), rule=R_NUMBER_OF if verb_only else R_DEATH_TOLL,
            ) if start >= 0 else None
    return None


def _phrase_start(doc: Doc, tok: Token) -> int:
    """Start of 'death toll' / 'Death Toll' including its compound modifier."""
    left = [c for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i]
    return min([tok.idx] + [c.idx for c in left])


def _rising_end(doc: Doc, last: Token) -> int:
    """Extend a toll's evidence over 'and rising'."""
    j = last.i + 1
    if j + 1 < len(doc) and doc[j].lower_ == "and" and doc[j + 1].lower_ in ("rising", "climbing", "counting"):
        return doc[j + 1].idx + len(doc[j + 1])
    return last.idx + len(last)


def _victim_heads(tok: Token, kind: str) -> list[Token]:
    """The noun-phrase heads that name the people a casualty word counts."""
    lemma = tok.lemma_.lower()
    dep = tok.dep_
    if _headline_shot_noun(tok):
        return [c for c in tok.children if c.dep_ == "nummod"][:1]  # "4 shot in club": the four
    # Nouns that are the people ("12 deaths", "14 hostages", "the bodies of 3 men").
    if tok.pos_ in ("NOUN", "PROPN") and (lx.NOUNS.get(lemma) or lx.NOUNS.get(tok.lower_)):
        if lemma == "life":
            # "claimed 12 lives" counts; "lost their lives" points to the subject; "such a young
            # life" is said of someone already counted.
            if any(c.dep_ == "nummod" for c in tok.children):
                return [tok]
            if tok.head.lemma_ == "lose":
                return _subject(tok.head)
            return []
        if lemma in ("body", "corpse"):
            of = _pobj_of(tok, "of")
            return [of] if of is not None and _has_number(of) else ([tok] if _has_number(tok) else [])
        if lemma in ("hostage", "captive") and tok.dep_ in ("dobj", "oprd", "attr") and tok.head.lemma_ in (
            "take", "hold", "seize"
        ) and not _has_number(tok):
            subj = _passive_subject(tok.head) or _dobj_like(tok.head, exclude=tok)
            return subj
        if tok.dep_ == "compound":
            return []  # "death" in "death toll", "hostage" in "hostage crisis"
        if lemma in ("hostage", "captive", "wounded", "injured", "dead", "detainee", "evacuee", "abductee"):
            return [tok]  # the people themselves: "the 14 hostages", "the dead"
        return [tok] if _has_number(tok) else []  # "12 deaths", "three injuries", "two arrests"
    # Adjectives: "3 dead", "left 5 wounded", "found dead", "the man was pronounced dead".
    if tok.pos_ == "ADJ" or (tok.tag_ == "VBN" and dep in ("oprd", "acomp", "amod", "acl", "xcomp")):
        if dep in ("amod", "acl") and tok.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
            return [tok.head]
        if dep in ("oprd", "xcomp", "acomp", "advcl", "ccomp"):
            head = tok.head
            obj = _dobj_like(head, exclude=tok)
            if obj:
                return obj
            subj = _passive_subject(head) or _subject(head)
            if subj:
                return subj
        nums = [c for c in tok.children if c.pos_ == "NUM" or c.like_num]
        if nums:
            return [nums[0]]
        if tok.head.pos_ == "NUM" and dep in ("amod", "npadvmod", "conj"):
            return [tok.head]
        subj = _subject(tok)
        if subj:
            return subj
        if dep == "conj":
            return _victim_heads(tok.head, kind) if tok.head.pos_ in ("ADJ", "VERB") else []
        return []
    # Verbs.
    if lemma in lx.INTRANSITIVE or kind == "killed" and lemma == "pass":
        # "forcing 200 residents to flee", "caused dozens to die": the causative verb's object.
        if dep in ("xcomp", "ccomp") and tok.head.lemma_ in ("force", "cause", "drive", "prompt", "leave"):
            obj = _dobj_like(tok.head, exclude=tok)
            if obj:
                return obj
        subj = _subject(tok)
        if subj:
            return subj
        if dep == "relcl":
            return [tok.head]
        if dep == "conj":
            return _subject_through_conj(tok)
        return []
    passive = _passive_subject(tok)
    if passive:
        return passive
    obj = _dobj_like(tok)
    if obj:
        return obj
    if dep in ("acl", "amod") and tok.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
        return [tok.head]  # "people killed in the attack", "dozens wounded"
    if dep == "relcl" and tok.tag_ == "VBN":
        return [tok.head]
    if dep == "conj" and tok.tag_ in ("VBN",):
        return _subject_through_conj(tok)
    if tok.tag_ == "VBN" and dep in ("ROOT", "ccomp") and not any(c.dep_ == "nsubj" for c in tok.children):
        # Headline style: "5 killed in Baghdad": the number is the subject-less participle's left.
        nums = [c for c in tok.lefts if c.pos_ in ("NUM", "NOUN")]
        return nums[-1:] if nums else []
    return []


def _subject(tok: Token) -> list[Token]:
    subj = _untold_first([c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")])[:1]
    return _resolve_relative(subj[0]) if subj else []


def _untold_first(subjects: list[Token]) -> list[Token]:
    """'One dead, four others wounded': of two subjects, the one with a casualty word of its own
    ('One dead') is counted there, not by this verb."""
    if len(subjects) > 1:
        return sorted(subjects, key=lambda c: _own_trigger(c))
    return subjects


def _passive_subject(tok: Token) -> list[Token]:
    subj = [c for c in tok.children if c.dep_ == "nsubjpass"]
    if subj:
        return _resolve_relative(subj[0])
    own = _untold_first([c for c in tok.children if c.dep_ == "nsubj"])
    if own and tok.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") and c.lemma_ == "have" for c in tok.children):
        return _resolve_relative(own[0])  # reduced passive: "four wounded", "scores of others wounded"
    if own and tok.tag_ == "VBD" and _numbered(own[0]) and not any(
        c.dep_ in ("dobj", "obj", "ccomp", "xcomp", "aux") for c in tok.children
    ):
        # "...left a boy dead and six other people wounded": tagged as a past tense, but people
        # with a number and nothing wounded after the verb are its patients, not its agents
        return [own[0]]
    if own and not _headline(tok):
        return []
    if tok.dep_ in ("conj", "advcl") and tok.tag_ in ("VBN", "VBD"):
        head = tok.head
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in head.children) or head.tag_ == "VBN":
            return _passive_subject(head)
        if _headline(tok) and head.lemma_ in ("shoot", "stab", "wound", "find") and not _dobj_like(head):
            return _subject(head)
    if (own and _headline(tok) and tok.tag_ in ("VBD", "VBN") and not _dobj_like(tok)
            and own[0].pos_ in ("NOUN", "PROPN") and not any(c.dep_ == "aux" for c in tok.children)):
        return _resolve_relative(own[0])
    return []


def _numbered(tok: Token) -> bool:
    """A noun phrase that carries its own count ("six other people", "two")."""
    return tok.like_num or tok.pos_ == "NUM" or any(c.dep_ == "nummod" for c in tok.children)


def _headline(tok: Token) -> bool:
    """In the report's first sentence (the headline, glued or on its own line)."""
    return tok.sent.start == 0 or tok.doc[tok.sent.start].is_title and tok.sent.start < 5


def _resolve_relative(subj: Token) -> list[Token]:
    """'who'/'that' as a subject stands for the noun the relative clause hangs on."""
    if subj.lower_ in ("who", "that", "which", "whom") and subj.head.dep_ == "relcl":
        return [subj.head.head]
    return [subj]


def _subject_through_conj(tok: Token) -> list[Token]:
    head = tok
    while head.dep_ == "conj":
        head = head.head
        subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return _resolve_relative(subj[0])
    return []


def _dobj_like(tok: Token, exclude: Token | None = None) -> list[Token]:
    for c in tok.children:
        if exclude is not None and c.i == exclude.i:
            continue
        if c.dep_ in ("dobj", "obj"):
            return [c]
    return []


def _pobj_of(tok: Token, prep: str) -> Token | None:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == prep:
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _has_number(tok: Token) -> bool:
    return any(
        c.dep_ in ("nummod", "quantmod") or (c.dep_ in ("det", "predet") and c.lower_ in ("a", "an", "one", "both"))
        for c in tok.children
    ) or tok.like_num


# -- counting a noun phrase --------------------------------------------------------------------------


def _count_heads(heads: list[Token], reading: str) -> tuple[Count, list[Token], str] | None:
    """Count the people of a noun phrase, adding up conjuncts ("two officers and three civilians")."""
    head = heads[0]
    if any(c.dep_ == "preconj" and c.lower_ == "neither" for c in head.children):
        return Count(0, 0), [head], "base"  # "neither the driver nor the passenger was hurt"
    parts = _parts_of(head, reading)
    total_low: int | None = 0
    total_high: int | None = 0
    tokens: list[Token] = []
    relation = "base"
    vague = False
    if len(parts) >= 3 and _enumerates(parts, reading):
        parts = parts[:1]  # "Six people, three men and three women": the six told apart, not added to
    for n, part in enumerate(parts):
        counted = _count_one(part, reading)
        if counted is None and n > 0 and _shares_determiner(head, part):
            counted = Count(1, 1), [part], "base"  # "his wife and son", "a man and woman"
        if counted is None:
            if n == 0:
                return None
            break  # "a man and his dogs": count what we can read
        count, toks, rel = counted
        if n == 0:
            relation = rel
        tokens += toks
        vague = vague or count.vague
        if n > 0 and _open_ended(part, toks):
            count = Count(count.low, None, count.vague)  # "five soldiers and at least 11 militants"
        total_low = None if total_low is None or count.low is None else total_low + count.low
        total_high = None if total_high is None or count.high is None else total_high + count.high
    return Count(total_low, total_high, vague), tokens, relation


def _parts_of(head: Token, reading: str) -> list[Token]:
    """The heads of a noun phrase's parts: the head and its conjuncts ("two officers and three
    civilians"). A list whose second item the parse makes an apposition ("one lieutenant, four
    soldiers, and three civilians": "soldiers" appos, "civilians" its conjunct) is a list too,
    unless its items add up to the head's count ("six people, three men and three women")."""
    def conjuncts(tok: Token) -> list[Token]:
        return [c for c in tok.conjuncts
                if c.i > tok.i and c.pos_ in ("NOUN", "PROPN", "NUM", "PRON") and not _own_trigger(c)]

    parts = [head] + conjuncts(head)
    appos = next((c for c in head.children if c.dep_ == "appos" and c.i > head.i and _numbered(c)
                  and not _own_trigger(c)), None)
    if len(parts) == 1 and appos is not None and conjuncts(appos):
        chain = [appos] + conjuncts(appos)
        counts = [_count_one(p, reading) for p in [head] + chain]
        if all(c is not None and c[0].low is not None for c in counts) and \
                counts[0][0].low != sum(c[0].low for c in counts[1:]):
            parts += chain
    return parts


def _enumerates(parts: list[Token], reading: str) -> bool:
    """A counted head set off by a comma whose conjuncts add up to its count is an apposition
    that tells the same people apart ('Six people, three men and three women, were wounded')."""
    head, first = parts[0], parts[1]
    between = head.doc[head.i + 1:first.i]
    if not any(t.text == "," for t in between) or any(t.dep_ == "cc" and t.head.i == head.i for t in between):
        return False
    counts = [_count_one(p, reading) for p in parts]
    if any(c is None or c[0].low is None for c in counts):
        return False
    return counts[0][0].low == sum(c[0].low for c in counts[1:])


def _shares_determiner(head: Token, part: Token) -> bool:
    """A bare singular conjunct takes the determiner of the first ('his wife and son'): one person."""
    if part.tag_ not in ("NN",) or any(c.dep_ in ("det", "poss", "nummod") for c in part.children):
        return False
    if part.lemma_.lower() in lx.NOT_PEOPLE or not _is_personal(part):
        return False
    return head.tag_ == "NN" and any(c.dep_ in ("det", "poss") for c in head.children)


def _open_ended(part: Token, toks: list[Token]) -> bool:
    """A conjunct's own 'at least' / 'more than' makes the sum a lower bound."""
    if not toks:
        return False
    first = min(t.i for t in toks)
    before = " ".join(t.lower_ for t in part.doc[max(0, first - 2):first])
    return any(before.endswith(q) for q, kind in lx.QUALIFIERS_BEFORE.items() if kind == "at least")


def _own_trigger(tok: Token) -> bool:
    """A conjunct with a casualty word of its own ("..., and 14 taken hostage") is counted there."""
    if _trigger_kinds(tok):
        return True
    return any(c.dep_ in ("acl", "amod", "relcl") and _trigger_kinds(c) for c in tok.children)


def _count_one(tok: Token, reading: str) -> tuple[Count, list[Token], str] | None:
    lower = tok.lower_
    if tok.ent_type_ in NON_COUNT_ENTS and not tok.like_num:
        return None
    relation = _np_relation(tok)
    # "No one was hurt", "none were injured"
    det_no = any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children)
    if lower in ZERO_WORDS or (det_no and tok.lemma_ in ("one", "person", "people", "injury", "casualty", "death")):
        return Count(0, 0), [tok] + [c for c in tok.children if c.dep_ == "det"], "base"
    doc = tok.doc
    if tok.i + 2 < len(doc) and doc[tok.i + 1].lower_ == "by" and doc[tok.i + 2].lower_ == lower:
        return None  # "executed one by one" is a manner, not a count
    # "a 17-year-old": an age used as a noun
    if lower == "old" and any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in tok.children):
        return Count(1, 1), [tok], relation
    if lower == "old" and any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "his", "her", "their")
                              for c in tok.children):
        return Count(1, 1), [tok], "anaphoric"  # "the 6-year-old later died": one named before
    # "three were shot dead and another was injured": one more person, standing alone
    if lower == "another" and tok.pos_ in ("PRON", "DET") and tok.dep_ in ("nsubj", "nsubjpass", "dobj"):
        return Count(1, 1), [tok], "additive"
    # The head is itself a number: "four were killed", "dozens wounded", "a dozen were hurt".
    if tok.pos_ == "NUM" or tok.like_num or (is_number_word(tok.text) and tok.pos_ in ("NOUN", "ADJ", "PRON")):
        if tok.lemma_.lower() in lx.NOT_PEOPLE:
            return None
        if _age_after(tok):
            return Count(1, 1), [tok], relation  # "a 20 y/o was killed": one person of that age
        if _age_of_name(tok):
            return None  # "Dennie Reeves, 66 and Ginger Reeves, 64 were found dead": their ages, not counts
        if tok.ent_type_ in ("MONEY", "PERCENT", "QUANTITY") or (tok.i > 0 and doc[tok.i - 1].text in ("$", "€", "£")):
            return None  # "shot down the $100 asking price"
        if _year(tok) or (tok.dep_ == "pobj" and len(tok.text) == 4 and tok.text.isdigit()
                          and 1900 <= int(tok.text) <= 2100):
            return None  # "the first shooting of 2017": a year
        phrase = _number_phrase(tok)
        count = parse_count([p.text for p in phrase], reading=reading)
        if count is None:
            return None
        # "one of them", "two of the victims": a part of people already counted.
        of = _pobj_of(tok, "of")
        if of is not None and (of.pos_ == "PRON" or any(c.lower_ in ("the", "these", "those") for c in of.children)):
            relation = "subset"
        elif relation == "base" and not any(c.dep_ == "prep" for c in tok.children):
            relation = "anaphoric" if _bare_number(tok) else relation
        return count, phrase + ([of] if of is not None else []), relation
    if tok.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    if tok.lemma_.lower() in lx.NOT_PEOPLE:
        return None
    if tok.lemma_.lower() == "total" and not any(c.dep_ == "nummod" for c in tok.children):
        whole = _pobj_of(tok, "of")  # "a total of six people were injured": the six
        counted = _count_one(whole, reading) if whole is not None else None
        return (counted[0], [tok] + counted[1], counted[2]) if counted is not None else None
    nummods = [c for c in tok.children if c.dep_ in ("nummod",) or (c.dep_ == "quantmod" and c.like_num)]
    if nummods:
        num = nummods[0]
        if num.ent_type_ in ("MONEY", "PERCENT", "TIME", "QUANTITY") or _year(num):
            return None
        if _age_after(num):
            return Count(1, 1), [num, tok], relation  # "a 20 y/o man": his age, one man
        phrase = _number_phrase(num)
        count = parse_count([p.text for p in phrase], reading=reading)
        if count is None:
            return None
        return count, phrase + [tok], relation
    # "dozens of people": the number is the head of "of".
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and is_number_word(tok.head.head.text):
        phrase = _number_phrase(tok.head.head)
        count = parse_count([p.text for p in phrase], reading=reading)
        if count is not None:
            if any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in tok.children):
                relation = "subset"  # "one of the others injured": part of people counted before
            return count, phrase + [tok], relation
    dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "predet")}
    if "both" in dets:
        return Count(2, 2), [tok], relation
    if tok.pos_ == "PRON":
        if lower in PERSON_PRONOUNS:
            return Count(1, 1), [tok], "anaphoric"
        return None
    if tok.tag_ in ("NNS", "NNPS") or tok.lemma_.lower() in ("people", "police"):
        return None  # a plural without a number: how many is not said
    if tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON":
        if tok.ent_type_ in ("GPE", "ORG", "LOC", "FAC", "NORP", "DATE"):
            return None
        return Count(1, 1), [tok], relation if dets & {"a", "an"} else "anaphoric"
    if dets & {"a", "an", "one", "another"}:
        return Count(1, 1), [tok], relation
    if not dets and tok.tag_ in ("NN", "NNP") and _headline(tok) and tok.lemma_.lower() in lx.CIVILIANS | {
        "officer", "deputy", "suspect", "teen", "teenager", "trooper", "cop", "gunman"}:
        return Count(1, 1), [tok], relation
    if dets & {"the", "this", "that"} or any(c.dep_ == "poss" for c in tok.children):
        if _is_personal(tok):
            return Count(1, 1), [tok], "anaphoric"
        return None
    return None


def _year(tok: Token) -> bool:
    """'the 2007 shooting death': four digits a parser calls a date are a year, not people."""
    return tok.ent_type_ == "DATE" and len(tok.text) == 4 and tok.text.isdigit() and 1800 <= int(tok.text) <= 2100


_AGE_MARK = re.compile(r"[\s-]*(?:y/o|y\.o\.?|yo|yrs?\.?|years?[\s-]*old)(?![\w/])", re.I)


def _age_after(num: Token) -> bool:
    """'20 y/o', '17 yo', '40-yr': an age written short, not a count of people."""
    end = num.idx + len(num)
    return bool(_AGE_MARK.match(text_of(num.doc), end, end + 12))


def _age_of_name(num: Token) -> bool:
    """'Ginger Reeves, 64': a number right after a person's name and a comma is the person's age
    (news style), whatever the parser hangs it on."""
    doc = num.doc
    if num.i < 2 or doc[num.i - 1].text != "," or not num.text.isdigit() or int(num.text) > 120:
        return False
    name = doc[num.i - 2]
    # (not "In Dunmore, 64 were killed": a place after a preposition the parser took for a person)
    return name.ent_type_ == "PERSON" and name.pos_ == "PROPN" and name.dep_ != "pobj"


def _is_personal(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    return (lemma in lx.CIVILIANS or lx.is_kin(lemma) or lemma in lx.SECURITY_FORCES or lemma in lx.ARMED_GROUPS
            or lemma in ("victim", "suspect", "gunman", "shooter", "officer", "deputy", "teen", "teenager")
            or tok.ent_type_ == "PERSON")


def _bare_number(tok: Token) -> bool:
    """'One died', 'two were hurt': a number standing for people named before."""
    doc = tok.doc
    if tok.sent.start == 0 and tok.i <= 2 and (tok.i == 0 or doc[tok.i - 1].text == ":") and not (
            tok.i + 1 < len(doc) and doc[tok.i + 1].text == ","):
        # "4 injured in shooting": a headline's opening count has no one before it ("Boy, 9,
        # dies" is an age)
        return False
    return tok.dep_ in ("nsubj", "nsubjpass") and not any(
        c.dep_ in ("amod", "compound", "prep", "det") for c in tok.children
    ) and tok.lower_ not in ("dozens", "hundreds", "scores", "thousands", "several")


def _number_phrase(tok: Token) -> list[Token]:
    """The tokens of a number expression headed by ``tok``: 'two hundred', '3 million', 'a dozen'."""
    toks = [tok]
    for c in tok.children:
        if c.dep_ in ("compound", "nummod", "quantmod", "det") and (
            c.like_num or is_number_word(c.text) or c.lower_ in ("-",)
        ):
            if c.dep_ == "det" and c.lower_ not in ("a", "an"):
                continue
            if c.lower_ in lx.QUALIFIERS_BEFORE:
                continue  # "some 200": a qualifier, read by _qualifier
            if c.dep_ == "nummod" and _own_trigger(c):
                continue  # "Three dead, two wounded": the three are counted by their own word
            toks += _number_phrase(c) if c.i != tok.i else []
    # "fifty - two" split by the tokenizer
    for c in tok.children:
        if c.text == "-" and c not in toks:
            toks.append(c)
    return sorted(set(toks), key=lambda t: t.i)


def _np_relation(tok: Token) -> str:
    words = {c.lower_ for c in tok.children}
    if tok.lower_ in ("others", "another") or words & lx.ADDITIVE:
        return "additive"
    if tok.dep_ == "pobj" and tok.head.lower_ in ("including", "among"):
        return "subset"
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.like_num:
        return "subset"
    return "base"


def _relation_from_clause(trigger: Token) -> str:
    """'...were also killed' adds to a toll; 'including two children' is part of one."""
    for c in trigger.children:
        if c.lower_ == "also" and c.dep_ == "advmod":
            return "additive"
    head = trigger
    for _ in range(3):
        if head.dep_ == "pobj" and head.head.lower_ in ("including", "among"):
            return "subset"
        if head.lower_ in ("including",):
            return "subset"
        head = head.head
    return "base"


def _qualifier(doc: Doc, tokens: Iterable[Token], trigger: Token) -> tuple[str, str]:
    """'at least', 'more than', 'about', 'up to', 'nearly' before the number; 'and rising',
    'or more' after it; 'initially', 'so far' on the verb."""
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks:
        return "exact", ""
    first = toks[0]
    before = [t.lower_ for t in doc[max(0, first.i - 3):first.i]]
    note = ""
    qualifier = "exact"
    for n in (3, 2, 1):
        phrase = " ".join(before[-n:]) if len(before) >= n else None
        if phrase and phrase in lx.QUALIFIERS_BEFORE:
            qualifier, note = lx.QUALIFIERS_BEFORE[phrase], phrase
            break
    last = max(toks[-1].i, trigger.i)
    after = " ".join(t.lower_ for t in doc[last + 1:last + 3])
    for phrase, q in lx.QUALIFIERS_AFTER.items():
        if after.startswith(phrase):
            qualifier, note = q, (note + " " + phrase).strip()
    nums_end = toks[-1].i
    after_num = " ".join(t.lower_ for t in doc[nums_end + 1:nums_end + 3])
    if after_num.startswith(("and rising", "or more")):
        qualifier, note = "at least", (note + " " + after_num).strip()
    mods = {c.lower_ for c in trigger.children if c.dep_ in ("advmod", "npadvmod", "prep")}
    mods |= {c.lower_ for c in trigger.head.children if c.dep_ == "advmod" and trigger.dep_ == "conj"}
    for word in lx.LOWER_BOUND_ADVERBS:
        if word in mods:
            far = word in ("so", "thus")
            if far and not any(c.lower_ in ("far",) for c in trigger.subtree):
                continue
            if qualifier in ("exact", "about"):
                qualifier = "at least"
            note = (note + " " + ("so far" if far else word)).strip()
    return qualifier, note


def _is_update(tok: Token) -> bool:
    """'the death toll rose to 60', 'raising the toll to 60', '... has risen to 60'."""
    if tok.lower_ in ("toll", "tolls") or tok.lemma_ == "toll":
        return _raises(tok.head)
    return False


def _raises(verb: Token) -> bool:
    """A verb that raises a toll: 'rose to', 'climbed to', 'raising ... to'. 'stands at', 'reached',
    'hit' state a toll; only 'now' or a perfect ('has reached 21') makes them an update."""
    if verb.lemma_ not in lx.UPDATE_VERBS:
        return False
    if verb.lemma_ in ("stand", "hit", "reach"):
        return any(a.lower_ in ("now", "has", "have") for a in verb.children)
    return True


def hypothetical(tok: Token) -> bool:
    """'could have been killed', 'threatened to kill', 'are likely going to be executed'."""
    node = tok
    for _ in range(4):
        for c in node.children:
            if c.dep_ == "aux" and c.lower_ in lx.MODAL_AUX:
                return True
            if c.dep_ == "aux" and c.lower_ == "to" and node.head.lemma_ in ("go", "be") and node.i != tok.i:
                return True
        if node.dep_ in ("xcomp", "ccomp", "advcl") and node.head.lemma_ in lx.HYPOTHETICAL_HEADS:
            return True
        if node.dep_ == "xcomp" and node.head.lemma_ == "go" and node.head.tag_ == "VBG":
            return True  # "going to be executed"
        if node.dep_ in ("xcomp", "conj", "advcl", "relcl") and node.head.i != node.i:
            node = node.head
            continue
        break
    return False


def negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _absorb_fatal_shootings(mentions: list[FigureMention]) -> list[FigureMention]:
    """'was shot and killed': the shooting and the killing are the same people once. The killing
    becomes a new mention over both words (rule ``figures.shot-and-killed``); the shooting goes."""
    shots = [m for m in mentions if m.kind == "shot" and m.victims]
    out = []
    for m in mentions:
        if m.kind == "shot" and any(k.kind == "killed" and k.victims and k.victims == m.victims for k in mentions):
            continue
        same = [s for s in shots if m.kind == "killed" and s.victims == m.victims] if m.victims else []
        if same:
            m = replace(m, absorbed_shot=True, start=min([m.start] + [s.start for s in same]),
                        end=max([m.end] + [s.end for s in same]), rule=R_SHOT_AND_KILLED)
        out.append(m)
    return out


# -- combining the mentions of one event ----------------------------------------------------------


@dataclass(slots=True)
class _Value:
    low: int | None
    high: int | None
    qualifier: str
    mentions: list[FigureMention]
    note: str = ""
    conflict: list[FigureMention] = field(default_factory=list)
    # an "other"/"another" count that made the value (not one told again or part of a stated total):
    # the people it counts are besides others, e.g. besides the killed
    besides: bool = False
    rule: str = ""  # the rule that decided the value (a reader's, or a combining rule's)
    basis: str = ""  # records.FIGURE_BASES: "shot" for the people hit whose fate is not told


def combine(mentions: list[FigureMention], make_evidence) -> tuple[list[Figure], list[Flag]]:
    """The figures of one event from its mentions. ``make_evidence(start, end)`` builds the
    ``Evidence`` of a span. Returns the figures and the contradictions found."""
    by_kind: dict[str, list[FigureMention]] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        by_kind.setdefault(m.kind, []).append(m)
    values = {kind: _combine_kind(ms) for kind, ms in by_kind.items()}
    values = {k: v for k, v in values.items() if v is not None}
    injured, killed = values.get("injured"), values.get("killed")
    if injured is not None and killed is not None and (killed.low or 0) >= 1 and all(
        m.attributive for m in injured.mentions
    ):
        # "A boy has died ... an injured child was taken to hospital": the one person the report
        # only calls injured in passing, beside a death, is most often the one who died
        del values["injured"]
    _shot_to_injured(values, by_kind)
    figures: list[Figure] = []
    flags: list[Flag] = []
    for kind in FIGURE_KINDS:
        v = values.get(kind)
        if v is None:
            continue
        evidence = tuple(make_evidence(m.start, m.end) for m in v.mentions)
        total = Figure(kind, v.low, v.high, v.qualifier, evidence, v.note, rule=v.rule or v.mentions[0].rule,
                       basis=v.basis)
        figures.append(total)
        figures += _parts(total, v, by_kind.get(kind, []), make_evidence)
        if v.conflict:
            flags.append(Flag(
                "toll contradiction",
                f"the report gives different {kind} figures: "
                + " vs ".join(_fmt(m) for m in v.conflict),
                tuple(make_evidence(m.start, m.end) for m in v.conflict),
            ))
    return figures, flags


def _parts(total: Figure, v: _Value, mentions: list[FigureMention], make_evidence) -> list[Figure]:
    """The parts of a total by who they were (``who`` set; the total keeps ``who=""``): from the
    mentions that made the value and from those that tell a part of it ("including three
    soldiers", "among the dead were two policemen"). Each who once, at its largest count; none
    when the parts would add up to more than the total."""
    if total.low is None:
        return []
    largest: dict[str, tuple[int, FigureMention]] = {}
    for m in v.mentions + [m for m in mentions if m.relation == "subset" and m not in v.mentions]:
        for who, n in m.parts:
            if who not in largest or n > largest[who][0]:
                largest[who] = (n, m)
    if not largest or sum(n for n, _ in largest.values()) > total.low:
        return []
    out = []
    for who, (n, m) in sorted(largest.items()):
        whole = n == total.low and len(largest) == 1  # everyone counted is of this side
        out.append(Figure(total.kind, n, total.high if whole else n, total.qualifier if whole else "exact",
                          (make_evidence(m.start, m.end),), rule=R_BY_WHO, who=who))
    return out


def _fmt(m: FigureMention) -> str:
    if m.high is None:
        return f"{m.low}+"
    return str(m.low) if m.low == m.high else f"{m.low}-{m.high}"


def _combine_kind(ms: list[FigureMention]) -> _Value | None:
    updates = [m for m in ms if m.update]
    if updates:
        last = updates[-1]
        same = [m for m in ms if (m.low, m.high) == (last.low, last.high) and m is not last]
        earlier = sorted({_fmt(m) for m in ms if m.start < last.start and (m.low, m.high) != (last.low, last.high)})
        note = last.note
        if earlier:
            note = (note + "; " if note else "") + "supersedes " + ", ".join(earlier)
        return _Value(last.low, last.high, last.qualifier, [last] + same, note, rule=R_UPDATE)
    base = [m for m in ms if m.relation == "base"]
    additive = [m for m in ms if m.relation == "additive"]
    rest = [m for m in ms if m.relation in ("anaphoric", "subset")]
    # "...killed one and injured three others. ... wounded Emerson Ware": people told after an
    # "other" count, with no count of their own kind before it, are among those it counted
    # not the killer himself; and not a count added by "also" ("Two of his bodyguards were also
    # killed ... killed minister Rodriguez": the minister is one more, not one of the two)
    # (said of the dead only: on the GVA set a shot person named after "was also shot" is more
    # often besides the dead, which the "other" reading keeps)
    others = [m for m in additive if not m.selfharm and not (m.also and m.kind == "killed")]
    told_after = not base and bool(rest) and bool(others) and others[0].start < min(m.start for m in rest)
    if base:
        value = _agree(base)
    elif rest and not told_after:
        top = max(rest, key=lambda m: (m.low or 0))
        value = _Value(top.low, top.high, top.qualifier, [m for m in rest if (m.low, m.high) == (top.low, top.high)],
                       top.note, rule=top.rule)
    elif additive:
        first = others[0] if told_after else additive[0]
        additive.remove(first)
        value = _Value(first.low, first.high, first.qualifier, [first], first.note, besides=first.selfharm != "self",
                       rule=first.rule)
        if told_after:
            value.mentions += [m for m in rest if m.low is not None and first.low is not None and m.low <= first.low]
    else:
        return None
    added = {value.low}
    # a plain count ("he and four others were shot") is a stated total, as a base count is
    stated = value.low if (base or rest) and not value.mentions[0].single and not told_after else None
    first_sent = min((m.sent for m in value.mentions), default=None)
    for m in additive:
        if m.low in added and m.selfharm != "self":
            value.mentions.append(m)  # "3 wounded ... three others wounded": the same people again
            continue
        if (stated is not None and m.low is not None and m.low < stated and first_sent is not None
                and m.sent > first_sent and m.selfharm != "self"):
            # "Five officers were killed. ... Four other officers also died": a report that gave
            # its total first and then tells the victims apart is not adding people
            value.mentions.append(m)
            continue
        added.add(m.low)
        value.besides = value.besides or m.selfharm != "self"
        if value.rule != R_DISAGREE:
            # the attacker's own death is added by the rule that read it ("... and then himself")
            value.rule = m.rule if m.selfharm else R_OTHERS_ADDED
        value.low = None if value.low is None or m.low is None else value.low + m.low
        value.high = None if value.high is None or m.high is None else value.high + m.high
        value.mentions.append(m)
        if m.qualifier == "at least":
            value.qualifier = "at least"
    if value.low is not None and value.high is not None and value.low == value.high and value.qualifier == "vague":
        value.qualifier = "exact"
    return value


def _agree(base: list[FigureMention]) -> _Value:
    """Base mentions of one kind: the same number said twice, a vague word and a number that
    fits it, or a real disagreement (a range, flagged)."""
    exact = [m for m in base if not m.vague]
    pool = exact or base
    # "A man was killed ... Three people were killed": the man is one of the three.
    counted = [m for m in pool if not m.single and (m.low or 0) > 1]
    if counted and len(counted) < len(pool) and pool[0].kind == "killed":
        pool = [m for m in pool if not m.single]
    distinct = sorted({(m.low, m.high) for m in pool}, key=lambda v: (v[0] or 0, v[1] or 0))
    if len(distinct) == 1:
        low, high = distinct[0]
        qualifier = _strongest([m.qualifier for m in pool])
        support = [m for m in base if (m.low, m.high) == (low, high) or _fits(low, m)]
        notes = "; ".join(sorted({m.note for m in pool if m.note}))
        return _Value(low, high, qualifier, support, notes, rule=pool[0].rule)
    # Disagreeing numbers: a lower bound that a larger exact figure satisfies is no contradiction.
    exact_values = [m for m in pool if m.qualifier == "exact"]
    bounds = [m for m in pool if m.qualifier == "at least"]
    if exact_values and len({(m.low, m.high) for m in exact_values}) == 1 and all(
        (m.low or 0) <= (exact_values[0].low or 0) for m in bounds
    ):
        e = exact_values[0]
        return _Value(e.low, e.high, "exact", [m for m in pool if m in exact_values or m in bounds], e.note,
                      rule=e.rule)
    lows = [m.low for m in pool if m.low is not None]
    highs = [m.high if m.high is not None else m.low for m in pool]
    low = min(lows) if lows else None
    high = None if any(m.high is None and m.qualifier == "at least" for m in pool) else max(
        h for h in highs if h is not None
    )
    return _Value(low, high, "vague", list(pool), "reports disagree", conflict=list(pool), rule=R_DISAGREE)


def _fits(value: int | None, m: FigureMention) -> bool:
    if value is None or not m.vague:
        return False
    return (m.low is None or m.low <= value) and (m.high is None or value <= m.high)


def _strongest(qualifiers: list[str]) -> str:
    for q in ("at least", "at most", "about", "vague", "exact"):
        if q in qualifiers:
            return q
    return "exact"


def _partial_injured(v: _Value) -> bool:
    """An injured count made only of those cared for or of a part of the victims."""
    return all(m.relation == "subset" or m.care for m in v.mentions)


def _shot_to_injured(values: dict[str, _Value], by_kind: dict[str, list[FigureMention]]) -> None:
    """People shot whose death is not said are injured; those said to have died among them
    ('two men were shot, one fatally') are counted once, as killed."""
    shot = values.pop("shot", None)
    if shot is not None and shot.conflict and any(not m.vague for m in shot.conflict):
        # "six people were shot ... three were taken to hospitals": counts of the shot that disagree
        # are most often the whole and its parts; the largest is the number hit
        top = max((m for m in shot.conflict if not m.vague and m.low is not None), key=lambda m: m.low, default=None)
        if top is not None:
            shot = _Value(top.low, top.high if top.high is not None and top.high >= top.low else top.low,
                          "exact" if top.qualifier == "vague" else top.qualifier, shot.mentions, top.note,
                          besides=shot.besides, rule=top.rule)
    if shot is None or shot.low is None or shot.qualifier == "vague":
        return
    killed = values.get("killed")
    among = 0
    if killed is not None and killed.low is not None:
        # people shot "besides" others ("three others were shot") are not the killed; the killed
        # being counted in parts ("...also died") does not make the shot other people
        # ("Four teenagers were shot ... the three others who were shot" tells the same four again)
        if not shot.besides:
            # a report whose counts of the dead disagree ("two children killed" ... "all four
            # dead") offers the larger (docs/reconcile.md); the shot who died are that many
            dead = killed.high if killed.conflict and killed.high is not None else killed.low
            among = min(dead, shot.low)
    injured = values.get("injured")
    rest = shot.low - among
    if (injured is not None and injured.low is not None and rest > injured.low and _partial_injured(injured)):
        # "four people were shot ... three of the victims were treated": a count of those cared
        # for, or a part of the victims, is fewer than the people hit; the hit who did not die
        # are the injured
        del values["injured"]
        injured = None
    if injured is not None:
        if among and injured.low == shot.low and any(m.dead_among for m in shot.mentions):
            # "Five people were hospitalized ... one of the five victims has died": the injured
            # were counted before one of them died, who is now among the killed
            injured.low -= among
            if injured.high is not None:
                injured.high -= among
            return
        if among and all(m.start < min(k.start for k in killed.mentions) for m in injured.mentions) and all(
            k.relation == "subset" for k in killed.mentions
        ) and injured.low is not None and injured.low >= among:
            injured.low -= among  # "two were wounded, one of whom later died"
            if injured.high is not None:
                injured.high -= among
        return
    if rest < 0:
        return
    high = None if shot.high is None else max(rest, shot.high - among)
    # the count is the reader's when it is only renamed; this rule's when it took the dead out
    values["injured"] = _Value(rest, high, shot.qualifier, shot.mentions, "shot" + (
        f", {among} of them killed" if among else ""), rule=R_SHOT_NOT_DEAD if among else shot.rule, basis="shot")
