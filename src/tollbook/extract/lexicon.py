"""Word lists the rule stages share: casualty triggers, qualifiers, event-type cues, hedges.

Lemmas are lower case. Each list says what a word signals; which token it must attach to is
decided by the parse in the stage that uses it.
"""

from __future__ import annotations

# -- casualty triggers ------------------------------------------------------------------
# Verbs whose object (active) or subject (passive) are the people counted.
TRANSITIVE = {
    "kill": "killed", "murder": "killed", "slay": "killed", "execute": "killed", "assassinate": "killed",
    "massacre": "killed", "behead": "killed", "slaughter": "killed", "decapitate": "killed", "lynch": "killed",
    "strangle": "killed", "electrocute": "killed", "martyr": "killed",
    "injure": "injured", "wound": "injured", "hurt": "injured", "maim": "injured", "hospitalize": "injured",
    "hospitalise": "injured", "graze": "injured", "stab": "injured", "beat": "injured",
    # "26 people are still being treated" (a number is needed: "treated the case" is not); one person
    # treated ("doctors treated him") is hurt, fate not said, like "shot" (figures.py)
    "treat": "injured",
    "shoot": "shot", "gun": "shot", "hit": "shot",
    "kidnap": "abducted", "abduct": "abducted", "snatch": "abducted",
    "arrest": "arrested", "detain": "arrested", "apprehend": "arrested",
    "displace": "displaced", "uproot": "displaced", "evacuate": "displaced",
    "attack": "targeted", "target": "targeted", "assault": "targeted", "ambush": "targeted",
}
# Verbs whose subject is the person counted.
INTRANSITIVE = {"die": "killed", "perish": "killed", "succumb": "killed", "flee": "displaced", "disappear": "missing",
                "drown": "killed"}
# Adjectives and participles used as predicates or modifiers ("3 dead", "left 5 wounded").
ADJECTIVES = {
    "dead": "killed", "deceased": "killed", "lifeless": "killed",
    "injured": "injured", "wounded": "injured", "hurt": "injured", "hospitalized": "injured",
    "missing": "missing", "displaced": "displaced", "homeless": "displaced",
    "kidnapped": "abducted", "abducted": "abducted",
}
# Nouns that are the counted people themselves ("12 deaths", "14 hostages").
NOUNS = {
    "death": "killed", "fatality": "killed", "body": "killed", "corpse": "killed", "dead": "killed",
    "life": "killed",  # "claimed 12 lives", "lost their lives"
    "hostage": "abducted", "captive": "abducted", "abductee": "abducted", "kidnapping": "abducted",
    "injury": "injured", "wounded": "injured", "injured": "injured",
    "arrest": "arrested", "detainee": "arrested",
    "refugee": None, "evacuee": "displaced",
}
# Adverbs that make a shooting or wounding fatal ("fatally shot", "shot dead").
FATAL_ADVERBS = {"fatally", "mortally", "lethally"}
# "shot to death", "beaten to death": a kill.
TO_DEATH = {"death"}

# Nouns that are never people, whatever number sits on them.
NOT_PEOPLE = {
    "round", "shot", "bullet", "time", "year", "month", "week", "day", "hour", "minute", "second", "dollar",
    "cent", "percent", "mile", "kilometer", "kilometre", "meter", "metre", "foot", "feet", "inch", "yard", "car",
    "vehicle", "house", "home", "building", "apartment", "window", "door", "gun", "rifle", "pistol", "weapon",
    "casing", "shell", "grenade", "bomb", "block", "street", "count", "charge", "case", "incident", "shooting",
    "attack", "report", "call", "point", "page", "story", "video", "photo", "tweet", "post", "camera", "mph",
    "degree", "pound", "ounce", "gram", "ton", "acre", "room", "floor", "unit", "store", "school", "hospital",
    "child's", "item", "thing", "way", "place", "area", "lot", "dog", "cat", "horse", "cow", "animal",
    "hole", "wound", "injury", "bond", "bail", "sentence", "term", "prison", "jail", "trial", "hearing",
    "million", "billion", "thousand", "hundred", "fire", "blast", "explosion", "massacre", "killing",
    "warrant", "end", "image", "slide",
}
# Words on a counted noun that make its people more besides those counted ("three other people").
ADDITIVE = {"other", "another", "more", "additional", "further"}
# Verbs that raise a toll ("the death toll rose to 60").
UPDATE_VERBS = {"rise", "climb", "increase", "jump", "reach", "grow", "mount", "soar", "swell", "raise", "hit", "stand",
                "bring", "push"}
# Words on a casualty verb that make its count a lower bound ("were initially killed", "have so far
# died"): "so" and "thus" only with "far".
LOWER_BOUND_ADVERBS = ("initially", "preliminary", "so", "thus", "yet")

# Words before a number and the qualifier they give. Longest match wins.
QUALIFIERS_BEFORE = {
    "at least": "at least", "more than": "at least", "over": "at least", "upwards of": "at least",
    "in excess of": "at least", "no fewer than": "at least", "no less than": "at least", "a minimum of": "at least",
    "up to": "at most", "as many as": "at most", "fewer than": "at most", "less than": "at most",
    "no more than": "at most", "under": "at most", "nearly": "about", "almost": "about",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "some": "about",
    "an estimated": "about", "estimated": "about", "close to": "about", "circa": "about", "approx.": "about",
    "perhaps": "about", "possibly": "about",
}
QUALIFIERS_AFTER = {"and rising": "at least", "or more": "at least", "plus": "at least", "+": "at least"}

# Modality: a casualty that did not (yet) happen.
MODAL_AUX = {"will", "would", "could", "might", "may", "should", "can", "must", "shall", "'ll", "wo"}
HYPOTHETICAL_HEADS = {
    "threaten", "plan", "try", "attempt", "want", "intend", "plot", "vow", "fear", "conspire", "seek", "aim",
    "prepare", "risk", "prevent", "avoid", "stop", "order",
}

# -- event types --------------------------------------------------------------------------
# Lemma cues of each family of violence: events.py picks the family of an event's triggers (in
# FAMILY_PRIORITY order), extract/types.py then picks ACLED's sub-event type within it (docs/model.md).
TYPE_CUES: dict[str, set[str]] = {
    "explosive": {"bomb", "bombing", "bomber", "explosion", "explode", "blast", "ied", "explosive", "detonate",
                  "dynamite", "grenade", "landmine", "mine", "car-bomb", "suicide", "device"},
    "remote": {"shell", "shelling", "airstrike", "air-strike", "strike", "mortar", "rocket", "missile",
               "artillery", "drone", "bombard", "bombardment", "warplane", "helicopter", "jet"},
    "massacre": {"massacre", "execution", "execute", "genocide", "slaughter", "exterminate", "pogrom"},
    "abduction": {"kidnap", "kidnapping", "abduct", "abduction", "hostage", "captive", "kidnapper", "abductor",
                  "hijack"},
    "arson": {"arson", "torch", "burn", "fire", "firebomb", "blaze", "set"},
    "battle": {"clash", "firefight", "battle", "skirmish", "fighting", "gunbattle", "shootout", "confrontation",
               "combat", "crossfire"},
    "attack": {"shoot", "shooting", "gunman", "gunmen", "gunfire", "fire", "shooter", "stab", "stabbing",
               "attack", "assault", "raid", "ambush", "murder", "kill", "killing", "homicide", "assassinate",
               "assassination", "gun", "rifle", "pistol", "handgun", "machete", "knife", "slay", "robbery"},
}

# -- actors ---------------------------------------------------------------------------------
HEDGES = {
    "allegedly", "reportedly", "suspected", "suspect", "alleged", "purportedly", "apparently", "believed",
    "presumably", "possibly", "probably", "likely", "accused", "blamed", "claimed", "claim", "thought",
    "seemingly", "supposedly", "rumored", "rumoured", "unconfirmed",
}
ATTRIBUTION_VERBS = {
    "say", "tell", "report", "state", "claim", "announce", "confirm", "allege", "accuse", "blame", "add",
    "according", "note", "declare", "assert", "charge", "insist", "explain", "describe", "testify", "reveal",
}
SECURITY_FORCES = {
    "police", "policeman", "policemen", "officer", "soldier", "troop", "army", "military", "force", "guard",
    "deputy", "sheriff", "trooper", "patrol", "commando", "marine", "battalion", "brigade", "regiment",
    "gendarme", "gendarmerie", "agent", "security", "militia", "paramilitary", "squad", "unit", "navy",
    "airforce", "constable", "cop", "swat", "national guard", "intelligence",
}
ARMED_GROUPS = {
    "rebel", "insurgent", "militant", "guerrilla", "guerilla", "terrorist", "gunman", "gunmen", "jihadist",
    "extremist", "fighter", "subversive", "bandit", "gang", "cartel", "faction", "separatist", "mujahedeen",
    "mujahideen", "group", "front", "army", "brigades", "shooter", "attacker", "assailant", "kidnapper",
    "bomber", "sniper", "suspect", "killer", "robber", "perpetrator", "abductor", "hijacker", "man", "men",
}
GOVERNMENT = {
    "government", "regime", "ministry", "minister", "president", "prime", "administration", "state", "office",
    "authority", "authorities", "cabinet", "junta", "governor", "mayor", "premier", "official",
}
CIVILIANS = {
    "civilian", "resident", "villager", "inhabitant", "people", "person", "man", "woman", "child", "children",
    "boy", "girl", "student", "worker", "farmer", "peasant", "teenager", "teen", "family", "refugee", "worshipper",
    "passenger", "pedestrian", "bystander", "victim", "shopper", "customer", "employee", "driver", "baby", "infant",
    "toddler", "son", "daughter", "mother", "father", "wife", "husband", "brother", "sister", "neighbor",
    "neighbour", "friend", "girlfriend", "boyfriend", "journalist", "teacher", "doctor", "nurse", "priest",
    "member", "exile", "prisoner", "survivor", "adult", "youth", "clerk", "owner", "relative", "cousin", "uncle",
    "aunt", "grandmother", "grandfather", "nephew", "niece", "male", "female", "individual", "local", "citizen",
    "pilgrim", "mourner", "protester", "demonstrator", "activist", "trader", "vendor", "miner", "fisherman",
}

# Kinship nouns ("killing his stepfather"): a person, though no list of civilians names them all.
KIN = {"parent", "spouse", "fiance", "fiancee", "partner", "roommate", "classmate", "stepchild", "ex", "in-law"}
_KIN_PARTS = ("father", "mother", "son", "daughter", "brother", "sister", "wife", "husband", "child", "parent")


def is_kin(lemma: str) -> bool:
    """'stepfather', 'grandson', 'half-brother', 'ex-wife', 'mother-in-law', 'partner'."""
    core = lemma.removeprefix("ex-").removesuffix("-in-law")
    if core in KIN or lemma in KIN:
        return True
    for prefix in ("step", "grand", "great-grand", "half-", "half", "god", "foster "):
        if core.startswith(prefix) and core[len(prefix):].lstrip("-") in _KIN_PARTS:
            return True
    return core in _KIN_PARTS


# Who the people a figure counts were, by the noun that names them (UCDP GED splits the dead into
# deaths_a / deaths_b (the sides), deaths_civilians and deaths_unknown; tollbook says "security
# forces", "armed group", "civilians", "unknown"). Only words that say it whatever the story:
# "man", "people", "guard", "suspect" say nothing of a side.
WHO_SECURITY = {
    "soldier", "troop", "policeman", "policemen", "police", "officer", "patrolman", "gendarme", "trooper",
    "constable", "cop", "deputy", "serviceman", "servicemen", "sergeant", "lieutenant", "colonel", "corporal",
    "marine", "paratrooper", "guardsman", "airman", "sailor", "conscript", "recruit", "policewoman",
}
WHO_ARMED = {
    "rebel", "insurgent", "militant", "guerrilla", "guerilla", "terrorist", "jihadist", "extremist", "fighter",
    "subversive", "separatist", "gunman", "gunmen", "attacker", "assailant", "bomber", "militiaman", "militiamen",
    "combatant", "mujahid", "mujahideen", "mujahedeen", "kidnapper", "hijacker",
}
WHO_CIVILIANS = {
    "civilian", "peasant", "villager", "resident", "farmer", "child", "children", "woman", "women", "student",
    "worker", "passerby", "bystander", "pedestrian", "journalist", "teacher", "worshipper", "worshiper", "pilgrim",
    "shopper", "passenger", "refugee", "infant", "baby", "boy", "girl", "schoolchild", "inhabitant", "mourner",
    "farmworker", "laborer", "labourer", "fisherman", "trader", "vendor", "nun", "priest", "missionary",
}
# Words before "forces" that make them the state's ("government forces", "security forces").
STATE_FORCES = {"security", "government", "armed", "police", "army", "military", "state", "federal", "national",
                "regime", "pro-government", "government-backed"}
