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
from tollbook.extract.nlp import text_of, tokens_within
from tollbook.extract.rules import rule
from tollbook.records import OWN_VOICE

# The rules of this stage, in the order they run (ids are stable: values carry them).
R_PERP_SUBJECT = rule("actors.perpetrator-subject",
                      "the subject of a violent verb, or of 'carried out / claimed' a violent deed")
R_VICTIM_OBJECT = rule("actors.victim-object", "the person a violent verb is done to (object or passive subject)")
R_PERP_AGENT = rule("actors.perpetrator-agent", "the agent of a passive violent verb: 'killed by gunmen'")
R_PERP_ORDERED = rule("actors.perpetrator-ordered",
                      "who ordered a violent deed, who was sent to do it, and who was deployed for it")
R_VICTIM_OF_DEED = rule("actors.victim-of-deed",
                        "the person of 'the murder of X', 'X's assassination', 'the death of X'")
R_PERP_BY_DEED = rule("actors.perpetrator-by-deed",
                      "the 'by' or the named owner of an attack: 'the massacre by soldiers', 'the FMLN's offensive'")
R_VICTIM_DIED = rule("actors.victim-died", "the person who died or perished")
R_VICTIM_NAMED = rule("actors.victim-named",
                      "who the victims are: 'the victims were X and Y', 'X was among the dead', 'identified as X'")
R_PERP_MEMBER = rule("actors.perpetrator-member", "the group a perpetrator is said to belong to or to be")
R_PERP_ACCUSED = rule("actors.perpetrator-accused", "whom someone blames or accuses of the deed")
R_PERP_SUSPECTED = rule("actors.perpetrator-suspected", "'suspected militants', 'alleged gunman'")
R_PERP_GROUP_OF = rule("actors.perpetrator-group-of",
                       "the group named in a perpetrator's phrase: 'terrorists of the FMLN' -> FMLN")
R_PERP_GROUP_NAMED = rule("actors.perpetrator-group-named",
                          "the one armed group a report names, for the guerrillas or rebels it says did the deed")
R_VICTIM_COUNTED = rule("actors.victim-counted", "the people a casualty figure counts, without the count")
R_TARGET_OBJECT = rule("actors.target-object",
                       "a building, vehicle or installation attacked, bombed, burned or destroyed")
R_TARGET_OF_DEED = rule("actors.target-of-deed",
                        "the thing of 'the attack on X', 'the bombing of X', 'an explosion at X'")
R_WEAPON_USED = rule("actors.weapon-used",
                     "the instrument of a deed: 'with dynamite', 'planted a bomb', 'fired rockets'")
R_WEAPON_EXPLODED = rule("actors.weapon-exploded", "what exploded or went off: 'a car bomb exploded'")
R_WEAPON_MODIFIER = rule("actors.weapon-modifier",
                         "the weapon naming a deed: 'a grenade attack', 'machinegun fire', 'the bomb blast'")
R_SOURCE = rule("actors.source-attribution", "who says so: the source a claim is attributed to")

# Verbs whose subject does the violence.
VIOLENT_VERBS = {
    "kill", "murder", "shoot", "attack", "abduct", "kidnap", "execute", "massacre", "bomb", "ambush",
    "assassinate", "stab", "slay", "behead", "slaughter", "torch", "detonate", "raid", "storm", "target",
    "shell", "bombard", "hijack", "seize", "gun", "fire", "wound", "injure", "burn", "hack", "beat", "strangle",
    "rape", "torture", "open", "take", "set", "dynamite", "firebomb", "blow", "destroy", "sabotage",
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
    rule: str = ""  # the id of the rule that found it


def find_actors(doc: Doc, figures: list[FigureMention]) -> list[ActorMention]:
    sent_index = {s.start: i for i, s in enumerate(doc.sents)}
    out: list[ActorMention] = []
    seen: set[tuple[str, int]] = set()
    seen_group: set[tuple[str, int, int]] = set()

    def add(role: str, head: Token, clause: Token, extra_hedge: Token | None = None, *, rid: str) -> None:
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
        s, e = _person_span(head) if role == "victim" else _name_span(head)
        cues: list[tuple[int, int]] = []
        if not s <= head.idx < e:  # named by a fuller mention elsewhere: this mention is evidence too
            cues.append((head.idx, head.idx + len(head)))
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
            kind=_kind(head, role) if rid != R_PERP_GROUP_OF else _group_kind(head), hedged=hedged,
            attributed_to=source or OWN_VOICE, cues=cues, rule=rid,
        ))
        if role == "perpetrator":
            # "terrorists of the Farabundo Marti National Liberation Front": the group is named too
            for g in _group_of(head):
                add("perpetrator", g, clause, extra_hedge, rid=R_PERP_GROUP_OF)
        if role == "victim":
            # "the businessman, Juan Lanz, ...", "two peasants, X and Y": the apposed names
            for a in (c for c in head.children if c.dep_ == "appos"):
                for h in _with_conjuncts(a):
                    if h.pos_ == "PROPN" and _personal(h):
                        add("victim", h, clause, rid=rid)
            # "five people, including two journalists and Mayor X, were wounded": the ones named
            for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("including", "among")):
                for p in (p for p in prep.children if p.dep_ == "pobj"):
                    for h in _with_conjuncts(p):
                        if _personal(h) or _victimlike(h):
                            add("victim", h, clause, rid=rid)

    for tok in doc:
        lemma = tok.lemma_.lower()
        # A. "Gunmen killed 12", "Maliki ordered ... to undertake a mass murder"
        if tok.pos_ in ("VERB",) and (lemma in VIOLENT_VERBS or lemma in DOING_VERBS and _does_violence(tok)):
            if lemma == "open" and not any(c.lower_ == "fire" for c in tok.children):
                continue
            if lemma == "set" and not any(c.lower_ in ("fire", "ablaze", "alight") for c in tok.children) and not (
                    any(c.lower_ == "off" for c in tok.children)
                    and any(c.dep_ == "dobj" and _is_weapon(c) for c in tok.children)):
                continue  # "set fire to", "set off a bomb"
            if lemma == "blow" and not any(c.lower_ == "up" for c in tok.children):
                continue  # "blew up the bridge", not "the wind blew"
            if lemma == "take" and not any(c.lower_ in ("hostage", "hostages", "captive") for c in tok.subtree):
                continue
            if lemma == "claim" and not any(c.lower_ == "responsibility" for c in tok.children):
                continue
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            for s in subj:
                for h in _with_conjuncts(_resolve_relative(s)):
                    add("perpetrator", h, tok, _claim_hedge(tok), rid=R_PERP_SUBJECT)
            # the people it was done to: "murdered six Jesuit priests", "the residents ... were attacked"
            if lemma in VICTIM_VERBS and not any(c.dep_ == "neg" for c in tok.children):
                for c in tok.children:
                    if c.dep_ in ("dobj", "nsubjpass"):
                        first = _resolve_relative(c)
                        listed = _victim_list(first) if _victimlike(first) else []
                        for h in _with_conjuncts(first):
                            if _victimlike(h) or h in listed:
                                add("victim", h, tok, rid=R_VICTIM_OBJECT)
                            # "Oqueli and his companion, Gilda Flores, were abducted": the named apposition
                            for a in h.children:
                                if a.dep_ == "appos" and a.ent_type_ == "PERSON" and (_victimlike(h) or
                                                                                     h.lemma_.lower() in (
                                                                                         "companion", "wife",
                                                                                         "husband", "son",
                                                                                         "daughter", "friend")):
                                    add("victim", a, tok, rid=R_VICTIM_OBJECT)
            # B. "killed by gunmen"
            for agent in (c for c in tok.children if c.dep_ == "agent"):
                for p in agent.children:
                    if p.dep_ == "pobj":
                        for h in _with_conjuncts(p):
                            add("perpetrator", h, tok, rid=R_PERP_AGENT)
            # the people ordered to do it: "ordered elements of his militia ... to undertake"
            if lemma in ORDER_VERBS:
                for c in tok.children:
                    if c.dep_ in ("dobj", "nsubjpass"):
                        for h in _with_conjuncts(c) + _along_with(c) + _along_with(tok):
                            add("perpetrator", h, tok, rid=R_PERP_ORDERED)
        # E. "X ordered Y to <violence>"
        if lemma in ORDER_VERBS and any(
            c.dep_ in ("xcomp", "ccomp", "advcl") and _mentions_violence(c) for c in tok.children
        ):
            for c in tok.children:
                if c.dep_ == "nsubj":
                    add("perpetrator", c, tok, rid=R_PERP_ORDERED)
                if c.dep_ in ("dobj", "nsubjpass"):
                    for h in _with_conjuncts(c) + _along_with(c) + _along_with(tok):
                        add("perpetrator", h, tok, rid=R_PERP_ORDERED)
        # H. "To prepare for the attack, agents ... were deployed"
        if tok.pos_ == "VERB":
            purpose = [c for c in tok.children if c.dep_ == "advcl" and any(a.lower_ == "to" for a in c.children)]
            if any(_mentions_violence(p) for p in purpose):
                for c in tok.children:
                    if c.dep_ in ("nsubj", "nsubjpass"):
                        add("perpetrator", c, tok, rid=R_PERP_ORDERED)
        # C. "the attack by Iraq's government", "the massacre by soldiers"
        if tok.pos_ == "NOUN" and lemma == "death":
            # "condemned the death of nine peasants": who died
            for p in (p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                      for p in c.children if p.dep_ == "pobj"):
                for h in _victim_list(p):
                    add("victim", h, tok.head if tok.head.pos_ == "VERB" else tok, rid=R_VICTIM_OF_DEED)
        if tok.pos_ == "NOUN" and lemma in VIOLENT_NOUNS:
            # "the disappearance and kidnapping of X": the "of" may hang on the first conjunct
            shared = list(tok.head.children) if tok.dep_ == "conj" and tok.head.pos_ == "NOUN" else []
            for c in list(tok.children) + [c for c in shared if c.dep_ == "prep" and c.lower_ == "of"]:
                # "Galan's assassination", "his murder": the possessor is who it was done to
                if c.dep_ == "poss" and c.pos_ == "PROPN" and _personal(c) and lemma not in (
                        "attack", "offensive", "operation"):
                    add("victim", c, tok.head if tok.head.pos_ == "VERB" else tok, rid=R_VICTIM_OF_DEED)
                # "the FMLN's offensive", "an FMLN attack": whose operation it was
                if c.dep_ in ("poss", "compound") and lemma in ("attack", "offensive", "operation") and (
                        c.ent_type_ in ("ORG", "NORP") or c.pos_ == "PROPN" and not c.ent_type_
                        or c.lemma_.lower() in lx.ARMED_GROUPS | lx.SECURITY_FORCES) and not (
                        c.like_num or c.lower_ in _TIME_WORDS or c.lemma_.lower() in PLACE_NOUNS):
                    add("perpetrator", c, tok, rid=R_PERP_BY_DEED)
                if c.dep_ == "prep" and c.lower_ == "by":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            add("perpetrator", p, tok, rid=R_PERP_BY_DEED)
                if c.dep_ == "prep" and c.lower_ in ("of", "on", "against") and lemma != "crime":
                    # "the assassination of X and of Y", "the killings of 12 judicial officials"
                    preps = [c] + [q for q in c.conjuncts if q.dep_ == "conj" and q.lower_ == c.lower_]
                    for p in (p for prep in preps for p in prep.children if p.dep_ == "pobj"):
                        for h in _victim_list(p):
                            add("victim", h, tok.head if tok.head.pos_ == "VERB" else tok, rid=R_VICTIM_OF_DEED)
        # D. "Inspector X died in the explosion": who died
        if tok.pos_ == "VERB" and lemma in ("die", "perish") and not any(c.dep_ == "neg" for c in tok.children):
            for c in tok.children:
                if c.dep_ == "nsubj":
                    for h in _with_conjuncts(c):
                        if _personal(h) or _victimlike(h):
                            add("victim", h, tok, rid=R_VICTIM_DIED)
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
                            add("victim", h, tok, rid=R_VICTIM_NAMED)
            if any(_victim_word(x) for x in attrs + among):
                for x in subj:
                    for h in _with_conjuncts(x):
                        if _personal(h) or _victimlike(h):
                            add("victim", h, tok, rid=R_VICTIM_NAMED)
        # G. "the victims were identified as X, Y and Z": the names of the dead
        if tok.pos_ == "VERB" and lemma == "identify" and any(
            c.dep_ == "nsubjpass" and c.lemma_.lower() in ("victim", "dead", "body", "deceased", "hostage")
            for c in tok.children
        ):
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"):
                for p in (p for p in prep.children if p.dep_ == "pobj"):
                    for h in _with_conjuncts(p):
                        add("victim", h, tok, rid=R_VICTIM_NAMED)
        # J. "the bomber was allegedly a member of the Red Ridge Front", "the attackers were suspected
        # members of a gang": the group a perpetrator noun is said to belong to.
        if lemma == "be" and tok.pos_ in ("AUX", "VERB"):
            subj = [c for c in tok.children if c.dep_ == "nsubj" and c.lemma_.lower() in PERPETRATOR_NOUNS]
            for attr in (c for c in tok.children if c.dep_ == "attr") if subj else ():
                hedge = next((c for c in [*tok.children, *attr.children] if c.lower_ in lx.HEDGES), None)
                group = next((p for prep in attr.children if prep.dep_ == "prep" and prep.lower_ == "of"
                              for p in prep.children if p.dep_ == "pobj"), None)
                if attr.lemma_.lower() in MEMBER_NOUNS and group is not None:
                    add("perpetrator", group, tok, hedge, rid=R_PERP_MEMBER)
                elif attr.lemma_.lower() in lx.ARMED_GROUPS or attr.ent_type_ == "ORG":
                    add("perpetrator", attr, tok, hedge, rid=R_PERP_MEMBER)
        # K. "Villagers blamed government forces for the shelling", "accused the army of killing":
        # an accusation, attributed to whoever makes it.
        if lemma in ("blame", "accuse") and tok.pos_ == "VERB" and _mentions_violence(tok) or (
            lemma == "blame" and tok.pos_ == "VERB"
        ):
            for c in tok.children:
                if c.dep_ == "dobj":
                    for h in _with_conjuncts(c):
                        add("perpetrator", h, tok, tok, rid=R_PERP_ACCUSED)
        # "the attack was attributed to the FMLN": an attribution of the deed
        if lemma == "attribute" and tok.pos_ == "VERB" and (
                _mentions_violence(tok.head if tok.dep_ != "ROOT" else tok)
                or any(c.dep_ == "nsubjpass" and c.lemma_.lower() in VIOLENT_NOUNS for c in tok.children)):
            for h in _pobjs(tok, ("to",)):
                add("perpetrator", h, tok, tok, rid=R_PERP_ACCUSED)
        # I. "suspected militants", "alleged gunman"
        if tok.pos_ in ("NOUN", "PROPN") and any(
            c.dep_ == "amod" and c.lower_ in ("suspected", "alleged", "presumed") for c in tok.children
        ) and tok.lemma_.lower() in lx.ARMED_GROUPS | lx.SECURITY_FORCES | {"killer", "shooter", "attacker"}:
            hedge = next(c for c in tok.children if c.lower_ in ("suspected", "alleged", "presumed"))
            add("perpetrator", tok, tok.head, hedge, rid=R_PERP_SUSPECTED)
    # "The rebels attacked ...": in a report that names one armed group, the group whose rebels they are.
    for mention, group in _named_group(doc, out):
        if ("perpetrator", group.root.i, mention.sent) in seen_group:
            continue
        seen_group.add(("perpetrator", group.root.i, mention.sent))
        s, e = _name_span(group.root)
        out.append(ActorMention(role="perpetrator", text=text_of(doc)[s:e], start=s, end=e, sent=mention.sent,
                                head=group.root.i, kind="armed group", hedged=mention.hedged,
                                attributed_to=mention.attributed_to,
                                cues=[(mention.start, mention.end)] + mention.cues, rule=R_PERP_GROUP_NAMED))
    # Physical targets and weapons: things, found after the people.
    for role, head, clause, rid in _things(doc):
        if (role, head.i) in seen or hypothetical(clause) or any(c.dep_ == "neg" for c in clause.children):
            continue
        seen.add((role, head.i))
        s, e = _thing_span(head)
        out.append(ActorMention(role=role, text=text_of(doc)[s:e], start=s, end=e, sent=sent_index[head.sent.start],
                                head=head.i, rule=rid))
    # Victims: the people a figure counts ("52 civilians", "14 taken hostage").
    for m in figures:
        if m.kind in ("killed", "injured", "abducted", "targeted", "missing", "shot") and m.victims:
            head = doc[m.victims[0]]
            if head.pos_ in ("NOUN", "PROPN") and head.lower_ not in NOT_ACTORS and head.lemma_ not in (
                "death", "body", "toll", "injury", "life"
            ):
                add("victim", head, doc[m.trigger], rid=R_VICTIM_COUNTED)
                for attr in _predicates(head):
                    add("victim", attr, doc[m.trigger], rid=R_VICTIM_COUNTED)
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
    if role == "perpetrator" and head.pos_ == "PROPN" and head.ent_type_ not in ("PERSON", "GPE", "NORP", "LOC"):
        return "armed group"  # a named perpetrator that is no person: a group ("the Zarate Willka")
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


# --- spans: the words that name an actor, and no more -------------------------------------------

# "Today's attack", "the morning attack": when, not whose.
_TIME_WORDS = {"today", "yesterday", "tomorrow", "morning", "evening", "night", "afternoon", "weekend", "week",
               "month", "year", "dawn", "midnight", "monday", "tuesday", "wednesday", "thursday", "friday",
               "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december", "last", "recent"}
# Words before a noun that say how many or which, not who: "two gunmen", "other rebels".
_NOT_NAME = {"other", "another", "same", "several", "many", "some", "various", "more", "most", "few", "such",
             "presumed", "unknown"} | lx.HEDGES


def _entity(tok: Token, labels=("ORG", "NORP", "PERSON", "GPE", "FAC")):
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return ent if ent.label_ in labels else None
    return None


def _chars(toks: list[Token]) -> tuple[int, int]:
    toks = sorted(toks, key=lambda t: t.i)
    while len(toks) > 1 and (toks[0].dep_ in ("det", "predet", "punct", "case") or toks[0].lower_ in ("the", "a", "an")
                             or toks[0].is_punct):
        toks = toks[1:]
    while len(toks) > 1 and (toks[-1].is_punct or toks[-1].dep_ == "case"):
        toks = toks[:-1]
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def _modifiers(head: Token, deps: tuple[str, ...], proper: bool) -> list[Token]:
    """``head`` and the contiguous words before it that are part of its name (compounds, and
    adjectives unless the head is a proper name)."""
    toks = [head]
    stack = [c for c in head.children if c.i < head.i and c.dep_ in deps]
    while stack:
        t = stack.pop()
        if t.lower_ in _NOT_NAME or t.like_num or (proper and t.dep_ == "amod" and t.pos_ != "PROPN"
                                                   and not t.is_title) or (
                t.ent_type_ in ("DATE", "TIME", "CARDINAL", "QUANTITY")):
            continue
        toks.append(t)
        stack.extend(c for c in t.children if c.i < t.i and c.dep_ in ("compound", "amod", "nmod", "hmod", "punct")
                     and not c.is_punct or c.dep_ == "hmod")
    toks.sort(key=lambda t: t.i)
    run = [head]
    for t in reversed([t for t in toks if t.i < head.i]):
        if t.i == run[0].i - 1 or (t.i == run[0].i - 2 and head.doc[t.i + 1].text == "-"):
            run.insert(0, t)
        else:
            break
    return run


def _fullest(ent):
    """A person named in part ("Oqueli") by the fullest name the report gives them ("Hector Oqueli
    Colindres"): the longest PERSON entity that contains the same words, the first of equals."""
    words = [t.lower_ for t in ent]
    best = ent
    for other in ent.doc.ents:
        if other.label_ != "PERSON" or len(other) <= len(best) or len(other) > 6:
            continue
        theirs = [t.lower_ for t in other]
        if any(theirs[i:i + len(words)] == words for i in range(len(theirs) - len(words) + 1)):
            best = other
    return _whole_name(best)


# Words before a name that say what the person is, not who: never part of the name.
NAME_TITLES = {"mr", "mrs", "ms", "dr", "msgr", "monsignor", "father", "sister", "brother", "president", "general",
               "gen", "colonel", "col", "major", "maj", "captain", "capt", "lieutenant", "lt", "sergeant", "sgt",
               "mayor", "judge", "senator", "minister", "bishop", "archbishop", "cardinal", "don", "dona", "saint",
               "st", "governor", "commander", "congressman", "deputy", "councilman", "attorney", "engineer"}


def _whole_name(ent):
    """A person's name as the tagger may cut it ("Pablo Pelaez [Gonzalez]", mostly in capitals
    made lower case): with the capitalised proper nouns right before and after it on its line."""
    doc = ent.doc

    def part(t: Token) -> bool:
        return (t.pos_ == "PROPN" and t.is_title and t.ent_type_ in ("", "PERSON")
                and t.lower_.rstrip(".") not in NAME_TITLES and t.i != t.sent.start)

    start, end = ent.start, ent.end
    while start > 0 and end - start < 6 and part(doc[start - 1]) and "\n" not in doc[start - 1].whitespace_:
        start -= 1
    while end < len(doc) and end - start < 6 and part(doc[end]) and "\n" not in doc[end - 1].whitespace_:
        end += 1
    return doc[start:end] if (start, end) != (ent.start, ent.end) else ent


def _name_span(head: Token) -> tuple[int, int]:
    """The shortest span that names a perpetrator: a named group or person as the tagger found
    it ("Shining Path", "FMLN"), else the noun with the words that are part of its name
    ("urban terrorists", "armed men"), without counts, hedges or what follows the noun."""
    # people of a group ("rebels", "members"), not the group itself ("the Zarate Willka group")
    members = head.pos_ == "NOUN" and head.lemma_.lower() in GROUP_MEMBERS - (COLLECTIVE_NOUNS - {"member"})
    ent = _entity(head)
    if members and ent is not None and ent.start < head.i:
        ent = None  # "FMLN rebels" tagged as one name: the group is named apart (_group_of), the people are "rebels"
    if ent is not None and len(ent) <= 8:
        if ent.label_ == "PERSON":
            return _chars(list(_fullest(ent)))
        # the tagger may keep only the last word of a long name ("... Liberation Front"): the
        # compounds before it belong to the name too
        mods = _modifiers(head, ("compound",), True)
        return _extended(head, _chars(list(ent) + [t for t in mods if t.i < ent.start]))
    proper = head.pos_ == "PROPN"
    run = _modifiers(head, ("compound", "amod", "nmod"), proper)
    while proper and run[0].i > run[0].sent.start and (prev := head.doc[run[0].i - 1]).is_title and (
            prev.dep_ in ("amod", "compound") and prev.head.i in (head.i, head.head.i)):
        run.insert(0, prev)  # "Shining Path terrorists": the parser hangs "Shining" on the people, it names the group
    if members:
        # "ELN guerrillas", "Shining Path terrorists": the name before the people is their group's,
        # a perpetrator of its own (_group_of); the people are the noun and the words that say which
        group = {t.i for g in _group_of(head) for t in g.subtree if t.i < head.i}
        cut = max((i for i in group if i < head.i), default=-1)
        run = [t for t in run if t.i > cut]
    return _extended(head, _chars(run))


# Nouns for a band of people, named by who they are: "a group of armed men", "members of the
# Camilist Union", "a column of guerrillas" (MUC-4's PERP: ID OF INDIV(S) keeps the "of" phrase).
COLLECTIVE_NOUNS = {"group", "band", "gang", "squad", "column", "unit", "cell", "detachment", "member", "commando"}
# Words that make an "of" phrase part of an armed group's name: "Army of National Liberation",
# "Armed Forces of Liberation", "Movement of the Revolutionary Left".
NAME_OF_WORDS = {"liberation", "revolution", "revolutionary", "resistance", "national", "people", "workers",
                 "left", "independence"}


def _extended(head: Token, span: tuple[int, int]) -> tuple[int, int]:
    """A perpetrator's span with the "of" phrase that belongs to it: who a band is made of ("a
    group of armed men", not "a group") and the rest of a name ("Army of National Liberation");
    the phrase ends with its noun and the words before it (no relative clause, no place)."""
    lemma = head.lemma_.lower()
    named = lemma in ARMED_NAME_WORDS or lemma in ("force", "forces", "union", "alliance")
    if head.pos_ not in ("NOUN", "PROPN") or not (lemma in COLLECTIVE_NOUNS or named):
        return span
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == head.i + 1):
        for p in (p for p in prep.children if p.dep_ == "pobj"):
            if p.ent_type_ in ("GPE", "LOC", "DATE", "TIME") or p.lemma_.lower() in PLACE_NOUNS:
                continue
            words = {t.lower_ for t in _modifiers(p, ("compound", "amod", "nmod"), False)}
            if lemma in COLLECTIVE_NOUNS and head.pos_ == "NOUN" or words & NAME_OF_WORDS:
                return span[0], p.idx + len(p)
    return span


def _person_span(head: Token) -> tuple[int, int]:
    """A victim as a person: a name ("Hector Oqueli"), or the description of who they were
    ("jesuit priests", "a guard of the embassy") without the count ("two people" -> "people")."""
    ent = _entity(head, ("PERSON",))
    if ent is not None:
        return _chars(list(_fullest(ent)))
    s, e = _np_span(head, VICTIM_PREPS)
    doc = head.doc
    toks = list(tokens_within(doc, s, e))
    while len(toks) > 1 and toks[0].i < head.i and (
            toks[0].dep_ in ("det", "predet", "nummod", "quantmod", "punct") or toks[0].like_num
            or toks[0].dep_ == "poss" and toks[0].pos_ == "PRON" or toks[0].lower_ in _NOT_NAME):
        toks = toks[1:]
    return toks[0].idx, e


GROUP_MEMBERS = MEMBER_NOUNS | COMBATANTS | {"commando", "unit", "group", "squad", "element", "man", "individual",
                                              "gunman", "troop", "soldier", "column", "cell", "faction", "wing",
                                              "gang", "band", "detachment", "agent", "assassin"}


def _group_kind(head: Token) -> str:
    """A group named in a perpetrator's phrase is a group: a force, a government, else armed."""
    kind = _kind(head, "perpetrator")
    return kind if kind in ("security forces", "government") else "armed group"


def _group_of(head: Token) -> list[Token]:
    """'terrorists of the FMLN', 'members of the Shining Path': the group a generic perpetrator
    noun belongs to, when it is named or is a force ("the army")."""
    if head.lemma_.lower() not in GROUP_MEMBERS:
        return []
    out = []
    # "FMLN rebels", "Shining Path terrorists": the name before the noun
    for c in head.children:
        named = c.pos_ == "PROPN" or (c.is_title and c.i != c.sent.start)  # a name, truecased or not
        if c.dep_ in ("compound", "nmod") and c.i < head.i and named and c.ent_type_ not in (
                "GPE", "LOC", "DATE", "PERSON", "NORP") and c.lemma_.lower() not in PLACE_NOUNS:
            out.append(c)
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "from")):
        for p in (p for p in prep.children if p.dep_ == "pobj"):
            for h in _with_conjuncts(p):
                lemma = h.lemma_.lower()
                if h.ent_type_ in ("ORG", "NORP") or h.pos_ == "PROPN" or lemma in lx.ARMED_GROUPS or (
                        lemma in lx.SECURITY_FORCES or lemma in lx.GOVERNMENT):
                    if h.ent_type_ not in ("GPE", "LOC", "DATE") and h.lemma_.lower() not in PLACE_NOUNS:
                        out.append(h)
    return out


# --- things: physical targets and weapons -------------------------------------------------------

# What MUC-4 calls a physical target: buildings, vehicles, installations (its PHYS TGT: TYPE set).
TARGET_NOUNS = {
    "building", "office", "headquarters", "embassy", "consulate", "bank", "branch", "store", "shop", "supermarket",
    "market", "house", "home", "residence", "mansion", "apartment", "hotel", "restaurant", "bar", "club", "school",
    "university", "church", "cathedral", "hospital", "clinic", "station", "substation", "barracks", "facility",
    "installation", "plant", "factory", "warehouse", "farm", "pipeline", "bridge", "tower", "pylon", "pole",
    "antenna", "transmitter", "dam", "railway", "airport", "vehicle", "car", "bus", "truck", "jeep", "van", "taxi",
    "train", "plane", "aircraft", "airliner", "helicopter", "ship", "boat", "tanker", "ambulance", "motorcycle",
    "dealership", "courthouse", "property", "premises", "cinema", "theater", "theatre", "stadium", "refinery",
    "depot", "terminal", "kiosk", "dumptruck", "mayoralty", "hall", "ministry", "agency",
}
# Nouns that are a target only when a word before them says which: "power lines", "police post".
TARGET_NOUNS_MODIFIED = {"line", "post", "system", "network", "center", "centre", "exchange", "service", "base",
                         "camp", "well", "office"}
# Verbs done to a thing.
DAMAGE_VERBS = {"attack", "bomb", "dynamite", "blow", "destroy", "damage", "burn", "torch", "raid", "storm", "hit",
                "strike", "sabotage", "loot", "ransack", "blast", "shell", "machinegun", "machine-gun", "strafe",
                "hijack", "target", "assault", "wreck", "demolish", "firebomb", "set", "fire", "open", "rocket"}
DAMAGE_NOUNS = {"attack", "bombing", "explosion", "blast", "arson", "fire", "sabotage", "raid", "assault", "shelling",
                "strike", "damage", "destruction", "burning", "dynamiting", "detonation", "firebombing"}
WEAPON_NOUNS = {
    "bomb", "carbomb", "car-bomb", "firebomb", "dynamite", "explosive", "explosives", "grenade", "mortar", "rocket",
    "missile", "landmine", "rifle", "machinegun", "machine-gun", "submachinegun", "gun", "pistol", "revolver",
    "firearm", "weapon", "launcher", "drone", "artillery", "tnt", "ied", "knife", "machete", "shotgun", "ak-47",
    "m-16", "uzi", "bazooka", "rpg", "howitzer", "mine", "fuse",
}
# Nouns that are a weapon only with a word before them: "explosive device", "dynamite charge".
WEAPON_NOUNS_MODIFIED = {"device", "charge", "stick", "cocktail", "package", "gunship", "trap"}
PLACING_VERBS = {"plant", "place", "throw", "hurl", "detonate", "explode", "launch", "fire", "use", "toss", "lob",
                 "drop", "leave", "set", "activate", "shoot"}
EXPLODING_VERBS = {"explode", "detonate", "go", "blast", "destroy", "damage", "kill", "wound", "injure", "hit",
                   "shatter", "rip", "blow"}
FIRE_NOUNS = {"attack", "fire", "burst", "blast", "explosion", "barrage", "shot", "shelling", "bombing",
              "strike", "detonation"}


def _lexical(tok: Token, plain: set[str], modified: set[str]) -> bool:
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    lemma, low = tok.lemma_.lower(), tok.lower_
    if lemma in plain or low in plain:
        return True
    return (lemma in modified or low in modified) and any(
        c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i for c in tok.children)


def _is_target(tok: Token) -> bool:
    if tok.ent_type_ in ("PERSON", "GPE", "LOC", "NORP", "DATE") or tok.lemma_.lower() in PLACE_NOUNS:
        return False
    return _lexical(tok, TARGET_NOUNS, TARGET_NOUNS_MODIFIED)


def _is_weapon(tok: Token) -> bool:
    return tok.ent_type_ not in ("PERSON", "GPE", "LOC", "DATE") and _lexical(tok, WEAPON_NOUNS,
                                                                             WEAPON_NOUNS_MODIFIED)


def _pobjs(tok: Token, preps: tuple[str, ...]) -> list[Token]:
    """Objects of the prepositions ``preps`` under ``tok``; 'in front of X' gives X."""
    out = []
    for prep in (c for c in tok.children if c.dep_ in ("prep", "agent") and c.lower_ in preps):
        for p in (p for p in prep.children if p.dep_ == "pobj"):
            if p.lower_ == "front":
                out += [q for pp in p.children if pp.dep_ == "prep" and pp.lower_ == "of"
                        for q in pp.children if q.dep_ == "pobj"]
            else:
                out += _with_conjuncts(p)
    return out


def _things(doc: Doc) -> list[tuple[str, Token, Token, str]]:
    """(role, head, clause, rule) of the physical targets and weapons of a parse."""
    out: list[tuple[str, Token, Token, str]] = []
    for tok in doc:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in DAMAGE_VERBS:
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            if lemma in ("set", "open", "fire"):  # "set fire to X", "opened fire on X", "fired rockets at X"
                objs = []
                if lemma == "fire" or any(c.lower_ in ("fire", "ablaze", "alight") for c in tok.children):
                    objs = _pobjs(tok, ("to", "on", "at", "against"))
                    objs += [p for c in tok.children if c.lower_ == "fire" for p in _pobjs(c, ("to", "on", "at"))]
            for o in objs:
                for h in _with_conjuncts(o) if o.lemma_.lower() not in ("fire",) else []:
                    if _is_target(h):
                        out.append(("target", h, tok, R_TARGET_OBJECT))
        if tok.pos_ == "NOUN" and lemma in DAMAGE_NOUNS:
            clause = tok.head if tok.head.pos_ == "VERB" else tok
            for h in _pobjs(tok, ("on", "against", "of", "at", "in", "inside", "outside", "near")):
                if _is_target(h):
                    out.append(("target", h, clause, R_TARGET_OF_DEED))
        if tok.pos_ == "VERB" and lemma in ("explode", "detonate", "go", "blow"):
            if lemma == "go" and not any(c.lower_ == "off" for c in tok.children):
                continue
            for h in _pobjs(tok, ("at", "in", "inside", "outside", "near", "on", "under", "beside", "next")):
                if _is_target(h):
                    out.append(("target", h, tok, R_TARGET_OF_DEED))
    for tok in doc:
        lemma = tok.lemma_.lower()
        # "attacked with mortars", "killed them with a machete", "the attack with dynamite"
        if tok.pos_ == "VERB" and (lemma in VIOLENT_VERBS or lemma in DAMAGE_VERBS) or (
                tok.pos_ == "NOUN" and (lemma in VIOLENT_NOUNS or lemma in DAMAGE_NOUNS)):
            clause = tok if tok.pos_ == "VERB" else (tok.head if tok.head.pos_ == "VERB" else tok)
            for h in _pobjs(tok, ("with",)):
                if _is_weapon(h):
                    out.append(("weapon", h, clause, R_WEAPON_USED))
        # "planted a bomb", "hurled grenades", "fired rockets at", "using dynamite"
        if tok.pos_ == "VERB" and lemma in PLACING_VERBS | {"using"}:
            if lemma == "set" and not any(c.lower_ == "off" for c in tok.children):
                continue
            for o in (c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")):
                for h in _with_conjuncts(o):
                    if _is_weapon(h):
                        out.append(("weapon", h, tok, R_WEAPON_USED))
        # "a car bomb exploded", "the grenade wounded two", "the explosion of a bomb"
        if tok.pos_ == "VERB" and lemma in EXPLODING_VERBS:
            if lemma == "go" and not any(c.lower_ == "off" for c in tok.children):
                continue
            for c in (c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and (
                    c.dep_ == "nsubj" or lemma in ("explode", "detonate"))):
                for h in _with_conjuncts(c):
                    if _is_weapon(h):
                        out.append(("weapon", h, tok, R_WEAPON_EXPLODED))
        if tok.pos_ == "NOUN" and lemma in ("explosion", "detonation", "blast"):
            clause = tok.head if tok.head.pos_ == "VERB" else tok
            for h in _pobjs(tok, ("of",)):
                if _is_weapon(h):
                    out.append(("weapon", h, clause, R_WEAPON_EXPLODED))
        # "a grenade attack", "machinegun fire", "the bomb blast"
        if tok.pos_ == "NOUN" and lemma in FIRE_NOUNS:
            clause = tok.head if tok.head.pos_ == "VERB" else tok
            for c in tok.children:
                if c.dep_ in ("compound", "nmod", "amod") and c.i < tok.i and _is_weapon(c):
                    out.append(("weapon", c, clause, R_WEAPON_MODIFIER))
    return out


def _thing_span(head: Token) -> tuple[int, int]:
    """A target or weapon named by its noun and the words before it that say which ('car bomb',
    'power pylons', 'the embassy' -> 'embassy'), without counts or what follows."""
    s, e = _chars(_modifiers(head, ("compound", "amod", "nmod", "poss"), False))
    # "the offices of the telecommunications enterprise", "the residence of Vice President-elect X":
    # whose building it is belongs to the thing (MUC-4's PHYS TGT: ID keeps it); a place does not
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == head.i + 1):
        for p in (p for p in prep.children if p.dep_ == "pobj"):
            if p.ent_type_ in ("GPE", "LOC") or p.lemma_.lower() in PLACE_NOUNS or p.like_num:
                continue
            e = max(e, _phrase_end(p))
    return s, e


def _phrase_end(tok: Token) -> int:
    """The end (a character offset) of the noun phrase of ``tok`` with its "of"/"for" phrases,
    without relative clauses, appositions, conjuncts or punctuation after it."""
    end = tok.idx + len(tok)
    for c in tok.children:
        if c.i > tok.i and c.dep_ in ("prep",) and c.lower_ in ("of", "for"):
            for p in (p for p in c.children if p.dep_ == "pobj"):
                end = max(end, _phrase_end(p))
        elif c.i > tok.i and c.dep_ in ("compound", "amod", "nmod", "nummod") and not c.is_punct:
            end = max(end, c.idx + len(c))
    return end


# Words that make an organisation's name the name of an armed group ("... Liberation Front", "Shining Path").
ARMED_NAME_WORDS = {"front", "army", "movement", "command", "commando", "commandos", "cartel", "path", "squad",
                    "squads", "liberation", "revolutionary", "guerrilla", "guerrillas", "militia", "militias",
                    "extraditables", "brigade", "brigades", "insurgents", "rebels"}


def _named_group(doc: Doc, found: list[ActorMention]):
    """(generic perpetrator mention, group entity) pairs: when the report names exactly one armed
    group (an organisation whose name says so, with the acronym bracketed after it counted as the
    same group), it is the group of the perpetrators the report calls only "guerrillas",
    "rebels", "terrorists" in sentences that name no group."""
    generic = [a for a in found if a.role == "perpetrator" and doc[a.head].lemma_.lower() in COMBATANTS | {
        "commando", "unit", "column"} and not any(c.dep_ in ("compound", "nmod") and c.ent_type_ not in (
            "DATE", "TIME") for c in doc[a.head].children)]
    if not generic:
        return []
    named_sents = {a.sent for a in found if a.role == "perpetrator" and a.kind == "armed group"
                   and doc[a.head].lemma_.lower() not in GROUP_MEMBERS}
    groups, keys = [], set()
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "NORP"):
            continue
        words = {t.lower_ for t in ent}
        before = doc[ent.start - 1].text if ent.start > 0 else ""
        if before in ("[", "(") and groups and groups[-1].end >= ent.start - 2:
            continue  # the acronym of the group just named: "... Liberation Front [FMLN]"
        if not words & ARMED_NAME_WORDS:
            continue
        key = " ".join(t.lower_ for t in ent if t.lower_ != "the")
        if key not in keys:
            keys.add(key)
            groups.append(ent)
    if len(keys) != 1:
        return []
    return [(a, groups[0]) for a in generic if a.sent not in named_sents]
