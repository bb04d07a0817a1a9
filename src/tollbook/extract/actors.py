"""Perpetrators, victims and sources, as the report names them.

Stage contract: ``find_actors(doc, figure_mentions)`` returns ``ActorMention``s. A perpetrator
is only ever a claim: each mention says whether it is hedged ("allegedly", "suspected",
"claimed responsibility", "is believed to") and who makes it ("police said", "according to
...", or the report's own voice), with the words of the hedge and the attribution kept as
evidence next to the actor's own words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from tollbook.extract import lexicon as lx
from tollbook.extract.figures import FigureMention, hypothetical
from tollbook.extract.nlp import text_of
from tollbook.records import OWN_VOICE

# Verbs whose subject does the violence.
VIOLENT_VERBS = {
    "kill", "murder", "shoot", "attack", "abduct", "kidnap", "execute", "massacre", "bomb", "ambush",
    "assassinate", "stab", "slay", "behead", "slaughter", "torch", "detonate", "raid", "storm", "target",
    "shell", "bombard", "hijack", "seize", "gun", "fire", "wound", "injure", "burn", "hack", "beat", "strangle",
    "rape", "torture", "open", "take", "set",
}
# Verbs that carry out a violent noun: "undertake a mass murder", "carried out the attack".
DOING_VERBS = {"undertake", "carry", "commit", "perpetrate", "launch", "stage", "conduct", "mount", "claim",
               "orchestrate", "plan", "order"}
VIOLENT_NOUNS = {
    "attack", "massacre", "murder", "killing", "bombing", "shooting", "assault", "ambush", "raid", "execution",
    "kidnapping", "abduction", "slaughter", "shelling", "airstrike", "strike", "arson", "assassination",
    "violence", "genocide", "atrocity", "crime", "operation", "onslaught", "offensive",
}
ORDER_VERBS = {"order", "direct", "send", "dispatch", "instruct", "command", "deploy", "authorize", "authorise"}
NOT_ACTORS = {"it", "they", "this", "that", "which", "who", "attack", "explosion", "blast", "shooting", "bomb",
              "fire", "incident", "violence", "gunfire", "bullet", "shot", "car", "vehicle", "device", "he", "she",
              "we", "i", "you", "one", "someone", "anyone", "report", "video"}
PRONOUN_PERPS = {"he", "she", "they"}
# Verbs whose object (or passive subject) is the victim.
VICTIM_VERBS = {"kill", "murder", "shoot", "attack", "abduct", "kidnap", "execute", "massacre", "assassinate",
                "stab", "slay", "behead", "slaughter", "ambush", "wound", "injure", "torture", "beat", "strangle",
                "hack", "target", "seize", "gun", "rape", "hurt", "hold"}
PERPETRATOR_NOUNS = {"bomber", "gunman", "attacker", "shooter", "assailant", "killer", "kidnapper", "abductor",
                     "perpetrator", "culprit", "suspect", "raider"}
MEMBER_NOUNS = {"member", "fighter", "militant", "supporter", "part", "operative", "commander", "affiliate"}
PRONOUNS = {"he", "she", "they", "it", "we", "i"}
VICTIM_PREPS = ("of",)
COMBATANTS = {"rebel", "guerrilla", "guerilla", "insurgent", "militant", "terrorist", "subversive", "extremist",
              "jihadist", "fighter", "mujahedeen", "mujahideen", "separatist"}
PLACE_NOUNS = {"department", "region", "area", "city", "town", "village", "province", "jurisdiction", "neighborhood",
               "neighbourhood", "country", "zone", "sector", "district", "municipality", "capital", "state"}


@dataclass(slots=True)
class ActorMention:
    role: str
    text: str
    start: int
    end: int
    sent: int
    head: int
    kind: str = "unknown"
    hedged: bool = False
    attributed_to: str = OWN_VOICE
    cues: list[tuple[int, int]] = field(default_factory=list)  # spans of hedge and attribution words


def find_actors(doc: Doc, figures: list[FigureMention]) -> list[ActorMention]:
    sent_index = {s.start: i for i, s in enumerate(doc.sents)}
    out: list[ActorMention] = []
    seen: set[tuple[str, int]] = set()

    def add(role: str, head: Token, clause: Token, extra_hedge: Token | None = None) -> None:
        if (role, head.i) in seen:
            return
        if role == "perpetrator" and hypothetical(clause):
            return  # "are likely going to be ... executed by Iran's government": not (yet) a deed
        if head.lower_ in NOT_ACTORS and not (role == "perpetrator" and head.ent_type_ in ("ORG", "PERSON")):
            return
        if role == "perpetrator" and not _agentive(head):
            return
        if role == "victim" and (head.ent_type_ in ("GPE", "LOC", "FAC") or head.lemma_.lower() in PLACE_NOUNS):
            return  # "attacks on San Miguel department", "killed 12 in the region": a place, not a person
        if role == "victim" and head.lemma_.lower() in COMBATANTS:
            return  # rebels killed in the fighting are casualties (the figures count them), not victims
        if role == "perpetrator" and _denied(head, clause):
            return  # "No group has claimed responsibility", "the army denied any involvement"
        seen.add((role, head.i))
        # a victim is named by who they are ("a guard of the embassy"), not where they were
        # ("a soldier in the village", "a man from Dorvale"): the place is the event's
        s, e = _np_span(head, VICTIM_PREPS) if role == "victim" else _np_span(head)
        cues: list[tuple[int, int]] = []
        hedged = False
        if role == "perpetrator":
            hedge = extra_hedge or _hedge(head, clause)
            if hedge is not None:
                hedged = True
                cues.append((hedge.idx, hedge.idx + len(hedge)))
        source, source_span = _attribution(clause)
        if source_span:
            cues.append(source_span)
        out.append(ActorMention(
            role=role, text=text_of(doc)[s:e], start=s, end=e, sent=sent_index[head.sent.start], head=head.i,
            kind=_kind(head, role), hedged=hedged, attributed_to=source or OWN_VOICE, cues=cues,
        ))
        if role == "victim":
            # "the businessman, Juan Lanz, ...", "two peasants, X and Y": the apposed names
            for a in (c for c in head.children if c.dep_ == "appos"):
                for h in _with_conjuncts(a):
                    if h.pos_ == "PROPN" and _personal(h):
                        add("victim", h, clause)
            # "five people, including two journalists and Mayor X, were wounded": the ones named
            for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("including", "among")):
                for p in (p for p in prep.children if p.dep_ == "pobj"):
                    for h in _with_conjuncts(p):
                        if _personal(h) or _victimlike(h):
                            add("victim", h, clause)

    for tok in doc:
        lemma = tok.lemma_.lower()
        # A. "Gunmen killed 12", "Maliki ordered ... to undertake a mass murder"
        if tok.pos_ in ("VERB",) and (lemma in VIOLENT_VERBS or lemma in DOING_VERBS and _does_violence(tok)):
            if lemma == "open" and not any(c.lower_ == "fire" for c in tok.children):
                continue
            if lemma == "set" and not any(c.lower_ in ("fire", "ablaze", "alight") for c in tok.children):
                continue
            if lemma == "take" and not any(c.lower_ in ("hostage", "hostages", "captive") for c in tok.subtree):
                continue
            if lemma == "claim" and not any(c.lower_ == "responsibility" for c in tok.children):
                continue
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            for s in subj:
                for h in _with_conjuncts(_resolve_relative(s)):
                    add("perpetrator", h, tok, _claim_hedge(tok))
            # the people it was done to: "murdered six Jesuit priests", "the residents ... were attacked"
            if lemma in VICTIM_VERBS and not any(c.dep_ == "neg" for c in tok.children):
                for c in tok.children:
                    if c.dep_ in ("dobj", "nsubjpass"):
                        first = _resolve_relative(c)
                        listed = _victim_list(first) if _victimlike(first) else []
                        for h in _with_conjuncts(first):
                            if _victimlike(h) or h in listed:
                                add("victim", h, tok)
                            # "Oqueli and his companion, Gilda Flores, were abducted": the named apposition
                            for a in h.children:
                                if a.dep_ == "appos" and a.ent_type_ == "PERSON" and (_victimlike(h) or
                                                                                     h.lemma_.lower() in (
                                                                                         "companion", "wife",
                                                                                         "husband", "son",
                                                                                         "daughter", "friend")):
                                    add("victim", a, tok)
            # B. "killed by gunmen"
            for agent in (c for c in tok.children if c.dep_ == "agent"):
                for p in agent.children:
                    if p.dep_ == "pobj":
                        for h in _with_conjuncts(p):
                            add("perpetrator", h, tok)
            # the people ordered to do it: "ordered elements of his militia ... to undertake"
            if lemma in ORDER_VERBS:
                for c in tok.children:
                    if c.dep_ in ("dobj", "nsubjpass"):
                        for h in _with_conjuncts(c) + _along_with(c) + _along_with(tok):
                            add("perpetrator", h, tok)
        # E. "X ordered Y to <violence>"
        if lemma in ORDER_VERBS and any(
            c.dep_ in ("xcomp", "ccomp", "advcl") and _mentions_violence(c) for c in tok.children
        ):
            for c in tok.children:
                if c.dep_ == "nsubj":
                    add("perpetrator", c, tok)
                if c.dep_ in ("dobj", "nsubjpass"):
                    for h in _with_conjuncts(c) + _along_with(c) + _along_with(tok):
                        add("perpetrator", h, tok)
        # H. "To prepare for the attack, agents ... were deployed"
        if tok.pos_ == "VERB":
            purpose = [c for c in tok.children if c.dep_ == "advcl" and any(a.lower_ == "to" for a in c.children)]
            if any(_mentions_violence(p) for p in purpose):
                for c in tok.children:
                    if c.dep_ in ("nsubj", "nsubjpass"):
                        add("perpetrator", c, tok)
        # C. "the attack by Iraq's government", "the massacre by soldiers"
        if tok.pos_ == "NOUN" and lemma == "death":
            # "condemned the death of nine peasants": who died
            for p in (p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                      for p in c.children if p.dep_ == "pobj"):
                for h in _victim_list(p):
                    add("victim", h, tok.head if tok.head.pos_ == "VERB" else tok)
        if tok.pos_ == "NOUN" and lemma in VIOLENT_NOUNS:
            # "the disappearance and kidnapping of X": the "of" may hang on the first conjunct
            shared = list(tok.head.children) if tok.dep_ == "conj" and tok.head.pos_ == "NOUN" else []
            for c in list(tok.children) + [c for c in shared if c.dep_ == "prep" and c.lower_ == "of"]:
                # "Galan's assassination", "his murder": the possessor is who it was done to
                if c.dep_ == "poss" and c.pos_ == "PROPN" and _personal(c) and lemma not in (
                        "attack", "offensive", "operation"):
                    add("victim", c, tok.head if tok.head.pos_ == "VERB" else tok)
                if c.dep_ == "prep" and c.lower_ == "by":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            add("perpetrator", p, tok)
                if c.dep_ == "prep" and c.lower_ in ("of", "on", "against") and lemma != "crime":
                    # "the assassination of X and of Y", "the killings of 12 judicial officials"
                    preps = [c] + [q for q in c.conjuncts if q.dep_ == "conj" and q.lower_ == c.lower_]
                    for p in (p for prep in preps for p in prep.children if p.dep_ == "pobj"):
                        for h in _victim_list(p):
                            add("victim", h, tok.head if tok.head.pos_ == "VERB" else tok)
        # D. "Inspector X died in the explosion": who died
        if tok.pos_ == "VERB" and lemma in ("die", "perish") and not any(c.dep_ == "neg" for c in tok.children):
            for c in tok.children:
                if c.dep_ == "nsubj":
                    for h in _with_conjuncts(c):
                        if _personal(h) or _victimlike(h):
                            add("victim", h, tok)
        # F. "One of the injured is X", "The victims were X and Y", "X is the latest victim",
        # "X and Y were among the dead": who the counted or named victims are
        if lemma == "be" and tok.pos_ in ("AUX", "VERB"):
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            attrs = [c for c in tok.children if c.dep_ == "attr"]
            among = [p for prep in tok.children if prep.dep_ == "prep" and prep.lower_ == "among"
                     for p in prep.children if p.dep_ == "pobj"]
            if any(_victim_word(x) for x in subj):
                for a in attrs:
                    for h in _with_conjuncts(a):
                        if _personal(h) or _victimlike(h):
                            add("victim", h, tok)
            if any(_victim_word(x) for x in attrs + among):
                for x in subj:
                    for h in _with_conjuncts(x):
                        if _personal(h) or _victimlike(h):
                            add("victim", h, tok)
        # G. "the victims were identified as X, Y and Z": the names of the dead
        if tok.pos_ == "VERB" and lemma == "identify" and any(
            c.dep_ == "nsubjpass" and c.lemma_.lower() in ("victim", "dead", "body", "deceased", "hostage")
            for c in tok.children
        ):
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"):
                for p in (p for p in prep.children if p.dep_ == "pobj"):
                    for h in _with_conjuncts(p):
                        add("victim", h, tok)
        # J. "the bomber was allegedly a member of the Red Ridge Front", "the attackers were suspected
        # members of a gang": the group a perpetrator noun is said to belong to.
        if lemma == "be" and tok.pos_ in ("AUX", "VERB"):
            subj = [c for c in tok.children if c.dep_ == "nsubj" and c.lemma_.lower() in PERPETRATOR_NOUNS]
            for attr in (c for c in tok.children if c.dep_ == "attr") if subj else ():
                hedge = next((c for c in [*tok.children, *attr.children] if c.lower_ in lx.HEDGES), None)
                group = next((p for prep in attr.children if prep.dep_ == "prep" and prep.lower_ == "of"
                              for p in prep.children if p.dep_ == "pobj"), None)
                if attr.lemma_.lower() in MEMBER_NOUNS and group is not None:
                    add("perpetrator", group, tok, hedge)
                elif attr.lemma_.lower() in lx.ARMED_GROUPS or attr.ent_type_ == "ORG":
                    add("perpetrator", attr, tok, hedge)
        # K. "Villagers blamed government forces for the shelling", "accused the army of killing":
        # an accusation, attributed to whoever makes it.
        if lemma in ("blame", "accuse") and tok.pos_ == "VERB" and _mentions_violence(tok) or (
            lemma == "blame" and tok.pos_ == "VERB"
        ):
            for c in tok.children:
                if c.dep_ == "dobj":
                    for h in _with_conjuncts(c):
                        add("perpetrator", h, tok, tok)
        # I. "suspected militants", "alleged gunman"
        if tok.pos_ in ("NOUN", "PROPN") and any(
            c.dep_ == "amod" and c.lower_ in ("suspected", "alleged", "presumed") for c in tok.children
        ) and tok.lemma_.lower() in lx.ARMED_GROUPS | lx.SECURITY_FORCES | {"killer", "shooter", "attacker"}:
            hedge = next(c for c in tok.children if c.lower_ in ("suspected", "alleged", "presumed"))
            add("perpetrator", tok, tok.head, hedge)
    # Victims: the people a figure counts ("52 civilians", "14 taken hostage").
    for m in figures:
        if m.kind in ("killed", "injured", "abducted", "targeted", "missing", "shot") and m.victims:
            head = doc[m.victims[0]]
            if head.pos_ in ("NOUN", "PROPN") and head.lower_ not in NOT_ACTORS and head.lemma_ not in (
                "death", "body", "toll", "injury", "life"
            ):
                add("victim", head, doc[m.trigger])
                for attr in _predicates(head):
                    add("victim", attr, doc[m.trigger])
    return out


def _victim_list(first: Token) -> list[Token]:
    """The people of a list whose first member is a person: 'the jesuit priests, their cook, and
    her daughter' (the later members need no word that marks them as people)."""
    if not (_personal(first) or _victimlike(first)):
        return [h for h in _with_conjuncts(first)[1:] if _personal(h) or _victimlike(h)]
    return [first] + [h for h in _with_conjuncts(first)[1:] if h.pos_ in ("NOUN", "PROPN")
                      and h.ent_type_ not in ("GPE", "LOC", "FAC", "DATE")]


def _victim_word(tok: Token) -> bool:
    """'the victims', 'the dead', 'one of the injured', 'those killed'."""
    words = {"victim", "dead", "injured", "wounded", "hostage", "casualty", "fatality", "deceased"}
    if tok.lemma_.lower() in words or tok.lower_ in words:
        return True
    if tok.lower_ in ("one", "some", "two", "three", "those", "all", "most", "many"):
        for c in tok.subtree:
            if c.i != tok.i and (c.lemma_.lower() in words or c.lower_ in words or c.lemma_.lower() in (
                    "kill", "injure", "wound", "kidnap", "abduct")):
                return True
    return False


def _victimlike(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    return tok.ent_type_ == "PERSON" or lemma in lx.CIVILIANS or lemma in lx.SECURITY_FORCES or lemma in (
        "official", "leader", "mayor", "judge", "candidate", "politician", "minister", "diplomat", "businessman",
        "councilman", "councilor", "governor", "senator", "deputy", "congressman", "ambassador", "jesuit",
        "resident", "hostage", "citizen", "individual", "trader", "merchant", "guard", "officer",
        "priest", "bodyguard", "journalist", "reporter", "engineer", "missionary", "employee", "worker",
        "student", "teacher", "doctor", "lawyer", "attorney", "activist", "unionist", "peasant", "villager",
        "passenger", "driver", "child", "woman", "man", "farmer", "nun", "bishop", "archbishop", "councillor",
    )


def _denied(head: Token, clause: Token) -> bool:
    """A negated or denied deed is no claim of perpetration."""
    if head.lower_ in ("nobody", "none", "no-one") or any(
        c.dep_ == "det" and c.lower_ in ("no", "neither") for c in head.children
    ):
        return True
    return any(c.dep_ == "neg" for c in clause.children) or clause.lemma_.lower() in ("deny", "reject")


def _resolve_relative(tok: Token) -> Token:
    if tok.lower_ in ("who", "that", "which") and tok.head.dep_ == "relcl":
        return tok.head.head
    return tok


def _with_conjuncts(tok: Token) -> list[Token]:
    return [tok] + [c for c in tok.conjuncts if c.i > tok.i]


def _along_with(tok: Token) -> list[Token]:
    """'..., along with their Iranian Revolutionary Guard allies': companions of an actor."""
    out = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "with" and any(a.lower_ == "along" for a in c.children) or (
            c.dep_ == "prep" and c.lower_ == "along"
        ):
            for g in c.subtree:
                if g.dep_ == "pobj" and g.head.lower_ == "with":
                    out.append(g)
        if c.dep_ == "advmod" and c.lower_ == "along":
            for g in c.children:
                if g.dep_ == "prep" and g.lower_ == "with":
                    out += [p for p in g.children if p.dep_ == "pobj"]
    return out


def _does_violence(verb: Token) -> bool:
    """'undertake a mass murder', 'carried out the attack', 'claimed responsibility for the blast'."""
    return _mentions_violence(verb)


def _mentions_violence(tok: Token) -> bool:
    for t in tok.subtree:
        lemma = t.lemma_.lower()
        if t.pos_ == "NOUN" and lemma in VIOLENT_NOUNS:
            return True
        if t.pos_ == "VERB" and lemma in VIOLENT_VERBS - {"take", "open", "fire", "beat", "burn"} and t.i != tok.i:
            return True
        if lemma == "responsibility":
            return True
    return False


def _agentive(head: Token) -> bool:
    lemma = head.lemma_.lower()
    if head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if lemma in lx.ARMED_GROUPS or lemma in lx.SECURITY_FORCES or lemma in lx.GOVERNMENT:
        return True
    if lemma in ("element", "ally", "man", "woman", "boy", "teen", "teenager", "member", "group", "unit", "people",
                 "person", "husband", "wife", "father", "mother", "son", "neighbor", "neighbour", "friend",
                 "boyfriend", "girlfriend", "brother", "driver", "resident", "homeowner", "student", "officer",
                 "gunman", "shooter", "suspect", "assailant", "attacker", "killer", "robber", "intruder"):
        return True
    return head.pos_ == "PROPN"


def _personal(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    return (lemma in lx.CIVILIANS or lemma in lx.SECURITY_FORCES or tok.ent_type_ in ("PERSON", "NORP")
            or lemma in ("inhabitant", "member", "people", "person")
            # a name the tagger left untyped (common in text that was in capitals)
            or tok.pos_ == "PROPN" and not tok.ent_type_ and tok.is_title)


def _np_span(head: Token, preps: tuple[str, ...] = ("of", "from", "in")) -> tuple[int, int]:
    """The characters of a noun phrase without its relative clauses, appositions and conjuncts,
    keeping the prepositional phrases that ``preps`` names."""
    drop = {"relcl", "acl", "advcl", "punct", "cc", "conj", "appos", "prep_with"}
    toks = [head]
    stack = [c for c in head.children if c.dep_ != "case"]  # "Oqueli's murder": the person is "Oqueli"
    while stack:
        t = stack.pop()
        if t.dep_ in drop or (t.dep_ == "prep" and t.lower_ not in preps):
            continue
        if t.dep_ == "prep" and t.head.i == head.i and t.lower_ == "in" and head.pos_ == "PROPN":
            continue
        toks.append(t)
        stack.extend(t.children)
    toks.sort(key=lambda t: t.i)
    # keep the contiguous run around the head
    lo = hi = toks.index(head)
    while lo > 0 and toks[lo - 1].i == toks[lo].i - 1:
        lo -= 1
    while hi + 1 < len(toks) and toks[hi + 1].i == toks[hi].i + 1:
        hi += 1
    first, last = toks[lo], toks[hi]
    # a bracketed acronym right after: "Farabundo Marti National Liberation Front [FMLN]"
    doc = head.doc
    end = last.idx + len(last)
    if last.i + 3 < len(doc) and doc[last.i + 1].text in ("[", "(") and doc[last.i + 3].text in ("]", ")"):
        end = doc[last.i + 3].idx + 1
    return first.idx, end


def _hedge(head: Token, clause: Token) -> Token | None:
    """The word that makes a claim an allegation, on the actor, its verb or the verbs above."""
    for c in head.children:
        if c.lower_ in lx.HEDGES:
            return c
    node = clause
    for _ in range(4):
        if node.lower_ in lx.HEDGES and node.i != head.i:
            return node
        for c in node.children:
            if c.dep_ in ("advmod", "amod", "auxpass", "aux", "acomp") and c.lower_ in lx.HEDGES:
                return c
        if node.head.i == node.i:
            break
        # "is believed to have ordered", "are suspected of killing", "accused X of ordering"
        if node.dep_ in ("xcomp", "pcomp", "pobj", "prep", "ccomp", "conj", "relcl", "advcl"):
            node = node.head
            continue
        break
    return None


def _claim_hedge(verb: Token) -> Token | None:
    """'X claimed responsibility': the claim is the perpetrator's own, still a claim."""
    if verb.lemma_ == "claim":
        return verb
    return None


def _attribution(clause: Token) -> tuple[str | None, tuple[int, int] | None]:
    """Who says so: the subject of a reporting verb above the clause, or 'according to X'."""
    node = clause
    for _ in range(6):
        accusing = node.i == clause.i and node.lemma_.lower() in ("blame", "accuse", "allege")
        if node.lemma_.lower() in lx.ATTRIBUTION_VERBS and node.pos_ == "VERB" and (node.i != clause.i or accusing):
            subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not subj and node.dep_ == "conj":  # "the army denied ... and said militants had fired"
                subj = [c for c in node.head.children if c.dep_ == "nsubj"]
            if subj:
                s, e = _np_span(_antecedent(subj[0]))
                return text_of(clause.doc)[s:e], (s, e)
        if node.head.i == node.i:
            break
        node = node.head
    for c in clause.sent:
        if c.lower_ == "according" and c.i + 1 < len(clause.doc) and clause.doc[c.i + 1].lower_ == "to":
            pobj = [g for g in clause.doc[c.i + 1].children if g.dep_ == "pobj"]
            if pobj:
                s, e = _np_span(pobj[0])
                return text_of(clause.doc)[s:e], (c.idx, e)
    # a sentence that ends with ", police said."
    sent = clause.sent
    for c in sent:
        if c.lemma_ in ("say", "tell", "report") and c.dep_ == "ROOT" and c.i > clause.i:
            subj = [g for g in c.children if g.dep_ == "nsubj"]
            if subj:
                source = _antecedent(subj[0])
                s, e = _np_span(source)
                span = (min(s, c.idx), max(e, c.idx + len(c))) if source.i == subj[0].i else (s, e)
                return text_of(clause.doc)[s:e], span
    return None, None


def _antecedent(subj: Token) -> Token:
    """'..., he said': the last named speaker before it ('the provincial prosecutor said')."""
    if subj.lower_ not in PRONOUNS:
        return subj
    doc = subj.doc
    for t in reversed(doc[: subj.i]):
        if t.lemma_.lower() in lx.ATTRIBUTION_VERBS and t.pos_ == "VERB":
            for c in t.children:
                if c.dep_ == "nsubj" and c.lower_ not in PRONOUNS:
                    return c
    return subj


def _kind(head: Token, role: str) -> str:
    lemma = head.lemma_.lower()
    s, e = _np_span(head)
    phrase = head.doc.char_span(s, e, alignment_mode="expand") or ()  # its tokens, not a walk of the doc
    words = {t.lemma_.lower() for t in phrase if s <= t.idx < e} if head.pos_ != "PROPN" else {lemma}
    if head.ent_type_ == "PERSON" and head.pos_ == "PROPN":
        return "named person"
    if head.ent_type_ == "GPE" and role == "perpetrator":
        return "government"  # "attack by Iraq": the state
    if lemma in lx.GOVERNMENT or words & {"government", "regime", "ministry"}:
        return "government"
    if lemma in lx.SECURITY_FORCES or words & {"police", "army", "military", "soldier", "militia"}:
        return "security forces" if lemma != "militia" and "militia" not in words else "armed group"
    if lemma in lx.ARMED_GROUPS or head.ent_type_ == "ORG" or words & {"force", "guard", "brigade"}:
        return "armed group"
    if role == "victim" and (lemma in lx.CIVILIANS or head.like_num):
        return "civilians"
    return "unknown"


def _predicates(head: Token) -> list[Token]:
    """'The 100 persons who were attacked are members of the MEK': what the victims are."""
    out = []
    if head.dep_ in ("nsubj",) and head.head.lemma_ == "be":
        out += [c for c in head.head.children if c.dep_ == "attr"]
    out += [c for c in head.children if c.dep_ == "appos"]
    return out
