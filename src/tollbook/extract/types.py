"""Event types: ACLED's sub-event types, chosen by named rules in an explicit order.

Stage contract. ``classify(family, sents, figures)`` reads the sentences that tell an event (its
triggers' sentences, or those of its figures) and returns ``(type, rule id)``: one of
``records.EVENT_TYPES`` and the rule that chose it. ``family`` is the family of violence that
``events.py`` found from its triggers ("explosive", "remote", "massacre", "abduction", "arson",
"battle", "attack", "other"), or ``None`` for a report with no violent deed at all: then the
sentences are the report's lead and the rules may say what the report tells instead (a protest, an
arrest, a flood) or nothing (``classify`` returns None and the report gives no event).

The rules follow ACLED's codebook (docs/model.md gives each definition and decision rule). They run
in the order of ``RULES``; the first whose cues are all present (and whose vetoes are all absent)
wins. Cues are lemma phrases in declarative tables (``CUES``); a cue under a negation or a modal
("did not attack", "could strike", "threatened to bomb") does not count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from tollbook.extract.figures import hypothetical, negated
from tollbook.extract.rules import rule

# -- cue tables: lemma phrases (words as spaCy lemmatises them, lower case) -------------------------
CUES: dict[str, tuple[str, ...]] = {
    "chemical": ("chemical weapon", "chemical attack", "chemical agent", "chemical strike", "chemical munition",
                 "chlorine", "sarin", "nerve agent", "nerve gas", "mustard gas", "poison gas", "poisonous gas",
                 "toxic gas", "gas attack", "novichok", "chemical-weapon"),
    "suicide": ("suicide bomber", "suicide bombing", "suicide bomb", "suicide attack", "suicide attacker",
                "suicide vest", "suicide car", "suicide vehicle", "suicide truck", "suicide blast", "svbied",
                "blow himself up", "blow herself up", "blow themselves up", "blew himself up",
                "blew herself up", "blew themselves up", "kill themselves", "kill himself", "kill herself",
                "suicide-bomber", "suicide-bombing", "explosive belt", "explosive vest"),
    "aircraft": ("airstrike", "air strike", "air-strike", "air raid", "airraid", "air attack", "aerial attack",
                 "aerial bombardment", "aerial bombing", "warplane", "war plane", "fighter jet", "jet", "aircraft",
                 "drone", "uav", "helicopter gunship", "gunship", "bomber jet", "air force", "airforce",
                 "bombing raid", "drone strike", "helicopter", "sortie", "air-raid", "airstrikes"),
    "grenade": ("grenade", "hand grenade", "hand-grenade"),
    "rocket_grenade": ("rocket-propelled grenade", "rocket propel grenade", "rpg"),
    "remote_explosive": ("ied", "improvised explosive", "explosive device", "landmine", "land mine", "mine",
                         "roadside bomb", "car bomb", "car-bomb", "bomb", "bombing", "blast", "explosion",
                         "explode", "detonate", "explosive", "rcied", "vbied", "booby trap", "booby-trap",
                         "parcel bomb", "dynamite", "sticky bomb", "magnetic bomb", "pipe bomb"),
    "shelling": ("shell", "shelling", "artillery", "mortar", "rocket", "missile", "howitzer", "cannon", "barrage",
                 "bombard", "bombardment", "katyusha", "projectile", "launcher", "tank fire"),
    "sexual": ("rape", "raped", "sexual assault", "sexually assault", "sexual violence", "sexual abuse",
               "sexually abuse", "molest", "molestation", "gang-rape", "gang rape", "sexual attack",
               "sexual harassment", "sexual slavery", "sex slave", "rapist"),
    "abduction": ("kidnap", "kidnapping", "abduct", "abduction", "hostage", "kidnapper", "abductor",
                  "forcibly disappear", "forced disappearance", "enforced disappearance", "taken captive",
                  "whereabouts unknown", "hijack"),
    "protest": ("protest", "protester", "protestor", "demonstration", "demonstrator", "rally", "march",
                "marcher", "sit-in", "picket", "dharna", "agitation", "agitator", "strike", "striker",
                "walkout", "demonstrate", "rallied", "vigil", "gherao", "blockade", "hunger strike", "boycott",
                "rallies", "protesting", "chant", "slogan"),
    "lethal_force": ("live ammunition", "live bullet", "live round", "live fire", "open fire", "opened fire",
                     "fire on", "fired on", "shoot", "shot", "kill", "killing", "crackdown", "beat", "beating",
                     "bludgeon", "fatal", "massacre", "gun down"),
    "intervention": ("disperse", "dispersal", "tear gas", "teargas", "tear-gas", "water cannon", "rubber bullet",
                     "baton", "lathi", "lathi-charge", "lathicharge", "arrest", "detain", "detention",
                     "suppress", "break up", "broke up", "drag", "remove", "clear", "round up", "pepper spray",
                     "stun grenade", "custody", "scuffle"),
    "violent_protest": ("riot", "rioter", "rioting", "turn violent", "turned violent", "pelt", "stone",
                        "stone-pelting", "throw stone", "hurl stone", "molotov", "petrol bomb", "firebomb",
                        "vandalise", "vandalize", "vandalism", "torch", "set fire", "set on fire", "set ablaze",
                        "burn", "clash", "storm", "ransack", "loot", "throw object", "throw rock", "rock",
                        "brick", "break into", "breach", "smash", "violent protest", "fought", "fight"),
    "mob": ("mob", "vigilante", "lynch", "lynching", "mob justice", "jungle justice", "angry crowd",
            "communal clash", "communal violence", "sectarian clash", "herdsmen", "herder", "villager",
            "group of", "crowd", "resident"),
    "regain": ("regain", "recapture", "retake", "re-take", "liberate", "liberation", "win back", "won back",
               "drive out", "drove out", "expel", "oust", "clear of", "flush out", "push back", "recover"),
    "government_forces": ("army", "troop", "government force", "government forces", "soldier", "military",
                          "security force", "armed force", "regime", "police", "force", "national army",
                          "unit", "government"),
    "overtake": ("seize", "capture", "overrun", "take control", "took control", "take over", "took over",
                 "fall to", "fell to", "control", "occupy", "conquer", "storm"),
    "non_state": ("rebel", "militant", "insurgent", "jihadist", "taliban", "al-shabab", "shabaab", "houthi",
                  "isis", "isil", "islamic state", "boko haram", "fighter", "militia", "guerrilla", "terrorist",
                  "extremist", "daesh", "al-qaeda", "separatist"),
    "withdraw": ("withdraw", "withdrawal", "pull out", "pulled out", "pull back", "hand over", "handed over",
                 "retreat", "without resistance", "not encounter any resistance", "without a fight",
                 "without fighting", "abandon", "evacuate", "deserted", "enter"),
    "battle": ("clash", "battle", "fighting", "firefight", "gunbattle", "gun battle", "skirmish", "exchange fire",
               "exchange of fire", "crossfire", "offensive", "counterattack", "repel", "repulse", "engage",
               "both sides", "fierce fighting", "heavy fighting", "shootout"),
    "loot": ("loot", "looting", "looter", "vandalise", "vandalize", "vandalism", "ransack", "plunder", "torch",
             "set fire", "set on fire", "set ablaze", "burn down", "arson", "destroy", "demolish", "raze"),
    "weapons": ("weapon", "arm", "firearm", "gun", "rifle", "pistol", "revolver", "ammunition", "ammo", "bullet",
                "cartridge", "round of", "explosive", "bomb", "ied", "grenade", "mine", "landmine", "device",
                "detonator", "rocket", "missile", "mortar", "munition", "arsenal", "cache", "musket", "carbine",
                "dynamite", "gelatin", "package", "parcel", "suspicious"),
    "disrupt": ("seize", "confiscate", "recover", "find", "found", "discover", "defuse", "diffuse", "deactivate",
                "dismantle", "foil", "thwart", "intercept", "capture", "unearth", "bomb disposal",
                "controlled explosion", "neutralise", "neutralize", "bust", "haul", "impound", "uncover"),
    "arrest": ("arrest", "detain", "apprehend", "nab", "custody", "round up", "rounded up", "take into custody",
               "nabbed", "held", "detention", "remand", "jail", "imprison", "handcuff", "book"),
    "agreement": ("agreement", "agree", "ceasefire", "cease-fire", "truce", "peace deal", "peace accord",
                  "accord", "sign", "deal", "peace talk", "negotiation", "negotiate", "prisoner exchange",
                  "prisoner swap", "release", "reconciliation", "surrender", "armistice", "memorandum"),
    "headquarters": ("establish", "set up", "build", "construct", "open", "headquarters", "base",
                     "observation point", "outpost", "checkpoint", "military post", "camp", "station"),
    "hq_object": ("headquarters", "base", "observation point", "outpost", "checkpoint", "military post", "camp",
                  "post", "position"),
    "group_change": ("form", "formation", "merge", "merger", "join", "defect", "split", "dissolve", "disband",
                     "rename", "reinforce", "reinforcement", "deploy", "deployment", "dispatch", "mobilize",
                     "mobilise", "recruit", "move troops", "fortify", "send", "appoint", "announce", "launch",
                     "declare", "new leader", "alliance", "redeploy", "convoy", "troop"),
    "natural": ("earthquake", "quake", "tremor", "flood", "flooding", "cyclone", "hurricane", "typhoon", "storm",
                "tornado", "tsunami", "volcano", "volcanic", "eruption", "landslide", "mudslide", "avalanche",
                "drought", "wildfire", "bushfire", "forest fire", "heatwave", "heat wave", "rain", "rainfall",
                "monsoon", "snow", "covid", "covid-19", "coronavirus", "pandemic", "epidemic", "outbreak",
                "virus", "cholera", "ebola", "dengue", "malaria", "locust", "famine", "richter", "lightning",
                "infection", "infect"),
    "man_made": ("accident", "accidental", "accidentally", "crash", "collision", "collide", "derail", "derailment",
                 "collapse", "leak", "leakage", "spill", "cylinder", "boiler", "short circuit", "short-circuit",
                 "stampede", "factory", "warehouse", "gas explosion", "fire break out", "fire broke out",
                 "catch fire", "caught fire", "capsize", "industrial", "chemical plant", "gas plant", "power plant",
                 "firework", "fireworks", "blow-out", "gas tank", "tank explode", "gas leak", "building collapse"),
    # words of a deed done on purpose: an explosion or a death with one of them is no accident
    "attacker": ("militant", "rebel", "insurgent", "terrorist", "attacker", "bomber", "gunman", "gunmen",
                 "jihadist", "extremist", "assailant", "suspect", "plant", "emplace", "al-shabab", "taliban",
                 "isis", "boko haram", "guerrilla", "commando", "bomb", "ied", "grenade", "dynamite",
                 "explosive device", "shoot", "shot", "gun", "gunfire", "stab", "knife", "murder", "homicide",
                 "police", "attack", "sabotage", "terrorism", "shell", "rocket", "missile", "airstrike", "strike"),
    "diplomacy": ("sanction", "summit", "diplomat", "diplomatic", "ambassador", "envoy", "foreign minister",
                  "foreign ministry", "bilateral", "condemn", "state visit", "security council", "embassy",
                  "reserve the right", "in response to", "treaty", "state department", "white house", "kremlin",
                  "peace talk", "talks with", "talk with", "hold talk", "held talk"),
    "attribution": ("claim responsibility", "claimed responsibility", "claim of responsibility", "responsible for",
                    "accuse", "accusation", "blame", "allegation", "allege", "deny", "denied", "reject",
                    "attribute", "behind the attack", "responsibility"),
    "crime": ("drug", "narcotic", "cocaine", "heroin", "methamphetamine", "cannabis", "marijuana", "smuggle",
              "smuggler", "smuggling", "trafficking", "trafficker", "traffic", "cartel", "gang", "robbery", "rob",
              "robber", "theft", "thief", "steal", "burglary", "fraud", "scam", "corruption", "counterfeit",
              "bribe", "bribery", "extortion", "cyber", "cybercrime", "hack", "hacker", "money laundering",
              "poach", "poaching", "contraband", "illegal", "loot"),
}

# -- the rules, in the order they are tried ----------------------------------------------------------
R_CHEMICAL = rule("types.chemical-weapon", "a chemical weapon used (chlorine, sarin, poison gas): Chemical weapon")
R_SUICIDE = rule("types.suicide-bomb", "a suicide bomber or suicide bombing: Suicide bomb, before any other explosion")
R_AIR = rule("types.air-strike", "a strike, bombing or missile from aircraft or a drone: Air/drone strike")
R_GRENADE = rule("types.grenade", "a hand grenade thrown or exploding: Grenade")
R_FORCE = rule("types.excessive-force", "lethal force or beatings against protesters: Excessive force against "
               "protesters")
R_SEXUAL = rule("types.sexual-violence", "rape, sexual assault or sexual violence: Sexual violence")
R_MOB = rule("types.mob-violence", "a mob, vigilantes or a lynching, no protest: Mob violence")
R_VIOLENT_DEMO = rule("types.violent-demonstration", "protesters who turn violent (stones, fires, riots): Violent "
                      "demonstration")
R_MAN_MADE = rule("types.man-made-disaster", "an explosion, fire, leak or crash by accident: Man-made disaster")
R_REMOTE = rule("types.remote-explosive", "a bomb, IED, landmine or car bomb set off: Remote explosive/landmine/IED")
R_SHELLING = rule("types.shelling", "shells, mortars, rockets or missiles fired from the ground: "
                  "Shelling/artillery/missile attack")
R_ABDUCTION = rule("types.abduction", "people kidnapped, abducted or taken hostage: Abduction/forced disappearance")
R_REGAIN = rule("types.government-regains", "government forces regain, retake or liberate territory: Government "
                "regains territory")
R_OVERTAKE = rule("types.non-state-overtakes", "a non-state group seizes or overruns territory: Non-state actor "
                  "overtakes territory")
R_CLASH = rule("types.armed-clash", "two armed sides fight (clashes, battle, troops attacked): Armed clash")
R_LOOTING = rule("types.looting", "property looted, burnt or destroyed: Looting/property destruction")
R_ATTACK = rule("types.attack", "violence against people by an armed actor, no other cue: Attack")
R_PROTEST_INTER = rule("types.protest-with-intervention", "a protest dispersed, suppressed or met with arrests, "
                       "without lethal force: Protest with intervention")
R_PEACE = rule("types.peaceful-protest", "a protest, march or rally with no violence: Peaceful protest")
R_TRANSFER = rule("types.territory-transfer", "territory handed over or entered without a fight: Non-violent "
                  "transfer of territory")
R_DISRUPT = rule("types.disrupted-weapons", "weapons seized, explosives found or defused, attack foiled: Disrupted "
                 "weapons use")
R_ARREST = rule("types.arrests", "people arrested or detained by authorities: Arrests")
R_AGREEMENT = rule("types.agreement", "a ceasefire, peace deal, agreement or surrender: Agreement")
R_HQ = rule("types.headquarters", "a base, headquarters or post established: Headquarters or base established")
R_NATURAL = rule("types.natural-disaster", "an earthquake, flood, storm or epidemic: Natural disaster (out of scope)")
R_ATTRIBUTION = rule("types.attribution", "a claim, accusation or denial of who did an attack: Attribution (out of "
                     "scope)")
R_DIPLOMACY = rule("types.diplomacy", "sanctions, talks, statements between states: Diplomacy (out of scope)")
R_CRIME = rule("types.organized-crime", "drugs, smuggling, robbery, fraud: Organized crime (out of scope)")
R_GROUP = rule("types.group-change", "forces formed, merged, deployed or reinforced: Change to group/activity")

VIOLENT = frozenset({"explosive", "remote", "massacre", "abduction", "arson", "battle", "attack", "other"})
ANY = VIOLENT | {None}


@dataclass(frozen=True, slots=True)
class TypeRule:
    id: str
    type: str
    families: frozenset  # families of violence it applies to; None in it: a report with no violent deed
    needs: tuple[str, ...]  # cue tables that must all be present
    unless: tuple[str, ...] = ()  # cue tables that must all be absent
    no_toll: bool = False  # only when the event counts no one killed or hurt


# The order is ACLED's precedence: the weapon that sets a type apart (chemical, suicide, aircraft,
# grenade) before the generic explosion; violence at protests before violence in general; the
# fight over territory before the plain clash; strategic developments and the out-of-scope types
# only where no deed of violence is told (or the toll is nil for the weapons found or defused).
RULES: tuple[TypeRule, ...] = (
    TypeRule(R_CHEMICAL, "Chemical weapon", ANY, ("chemical",)),
    TypeRule(R_SUICIDE, "Suicide bomb", VIOLENT, ("suicide",)),
    TypeRule(R_AIR, "Air/drone strike", frozenset({"explosive", "remote", "attack", "massacre", "other", "battle"}),
             ("aircraft",)),
    TypeRule(R_GRENADE, "Grenade", frozenset({"explosive", "attack", "other", "battle"}), ("grenade",),
             ("rocket_grenade",)),
    TypeRule(R_FORCE, "Excessive force against protesters", VIOLENT - {"explosive", "remote"},
             ("protest", "lethal_force")),
    TypeRule(R_SEXUAL, "Sexual violence", ANY, ("sexual",)),
    TypeRule(R_MOB, "Mob violence", VIOLENT - {"explosive", "remote", "battle"}, ("mob",), ("protest", "non_state")),
    TypeRule(R_VIOLENT_DEMO, "Violent demonstration", ANY - {"explosive", "remote"}, ("protest", "violent_protest"),
             ("intervention",)),
    TypeRule(R_MAN_MADE, "Man-made disaster", frozenset({"explosive", "attack", "other", None}), ("man_made",),
             ("attacker",)),
    TypeRule(R_NATURAL, "Natural disaster", frozenset({"attack", "other", None}), ("natural",), ("attacker",)),
    TypeRule(R_DISRUPT, "Disrupted weapons use", frozenset({"explosive", None}), ("weapons", "disrupt"),
             no_toll=True),
    TypeRule(R_REMOTE, "Remote explosive/landmine/IED", frozenset({"explosive"}), ()),
    TypeRule(R_SHELLING, "Shelling/artillery/missile attack", frozenset({"remote", "explosive"}), ()),
    TypeRule(R_ABDUCTION, "Abduction/forced disappearance", frozenset({"abduction", "attack", "other", None}),
             ("abduction",)),
    TypeRule(R_REGAIN, "Government regains territory", VIOLENT | {None}, ("regain", "government_forces")),
    TypeRule(R_OVERTAKE, "Non-state actor overtakes territory", frozenset({"battle", "attack", "other", None}),
             ("overtake", "non_state"), ("withdraw",)),
    TypeRule(R_CLASH, "Armed clash", frozenset({"battle"}), ()),
    TypeRule(R_LOOTING, "Looting/property destruction", frozenset({"arson", None}), ("loot",)),
    TypeRule(R_ATTACK, "Attack", VIOLENT, ()),
    # a report with no violent deed: what it tells instead
    TypeRule(R_PROTEST_INTER, "Protest with intervention", frozenset({None}), ("protest", "intervention")),
    TypeRule(R_PEACE, "Peaceful protest", frozenset({None}), ("protest",)),
    TypeRule(R_TRANSFER, "Non-violent transfer of territory", frozenset({None}), ("overtake", "withdraw")),
    TypeRule(R_ARREST, "Arrests", frozenset({None}), ("arrest",), ("crime",)),
    TypeRule(R_AGREEMENT, "Agreement", frozenset({None}), ("agreement",)),
    TypeRule(R_HQ, "Headquarters or base established", frozenset({None}), ("headquarters", "hq_object")),
    TypeRule(R_ATTRIBUTION, "Attribution", frozenset({None}), ("attribution",)),
    TypeRule(R_DIPLOMACY, "Diplomacy", frozenset({None}), ("diplomacy",)),
    TypeRule(R_CRIME, "Organized crime", frozenset({None}), ("crime",)),
    TypeRule(R_GROUP, "Change to group/activity", frozenset({None}), ("group_change", "government_forces")),
)

_PHRASES: dict[str, list[tuple[str, ...]]] = {name: [tuple(p.split()) for p in phrases]
                                              for name, phrases in CUES.items()}


def _live(tok: Token) -> bool:
    """A cue told as done: not under a negation or a modal ("did not attack", "could strike")."""
    node = tok
    for _ in range(3):
        if node.pos_ in ("VERB", "AUX"):
            return not (negated(node) or hypothetical(node))
        if node.head.i == node.i:
            break
        node = node.head
    return True


def cues_in(sents: Sequence[Span]) -> set[str]:
    """The names of the cue tables whose phrases the sentences hold, told as done."""
    found: set[str] = set()
    for sent in sents:
        toks = list(sent)
        lemmas = [t.lemma_.lower() for t in toks]
        words = [t.lower_ for t in toks]
        for name, phrases in _PHRASES.items():
            if name in found:
                continue
            for phrase in phrases:
                n = len(phrase)
                hit = next((i for i in range(len(toks) - n + 1)
                            if tuple(lemmas[i:i + n]) == phrase or tuple(words[i:i + n]) == phrase), None)
                if hit is not None and _live(toks[hit]):
                    found.add(name)
                    break
    return found


def classify(family: str | None, sents: Sequence[Span], figures: Sequence = ()) -> tuple[str, str] | None:
    """ACLED's sub-event type of an event of ``family`` told in ``sents`` and the rule that chose it;
    None when ``family`` is None and nothing in the sentences says what the report tells."""
    cues = cues_in(sents)
    toll = any(getattr(f, "kind", "") in ("killed", "injured") and (f.low or f.high) for f in figures)
    for r in RULES:
        if family not in r.families:
            continue
        if r.no_toll and toll:
            continue
        if all(c in cues for c in r.needs) and not any(c in cues for c in r.unless):
            return r.type, r.id
    return None
