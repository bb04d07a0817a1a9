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

from tollbook.extract import type_model
from tollbook.extract.figures import hypothetical, negated
from tollbook.extract.lexicon import CIVILIANS
from tollbook.extract.rules import rule
from tollbook.records import NO_INCIDENT_TYPES

# -- cue tables: lemma phrases (words as spaCy lemmatises them, lower case) -------------------------
CUES: dict[str, tuple[str, ...]] = {
    "chemical": ("chemical weapon", "chemical attack", "chemical agent", "chemical strike", "chemical munition",
                 "chlorine", "sarin", "nerve agent", "nerve gas", "mustard gas", "poison gas", "poisonous gas",
                 "toxic gas", "gas attack", "novichok", "chemical-weapon"),
    "suicide": ("suicide bomber", "suicide bombing", "suicide bomb", "suicide attack", "suicide attacker",
                "suicide vest", "suicide car", "suicide vehicle", "suicide truck", "suicide blast", "svbied",
                "blow himself up", "blow herself up", "blow themselves up", "blew himself up",
                "blew herself up", "blew themselves up", "suicide-bomber", "suicide-bombing", "explosive belt",
                "explosive vest"),  # not "killed himself": a gunman's suicide is no suicide bombing
    "aircraft": ("airstrike", "air strike", "air-strike", "air raid", "airraid", "air attack", "aerial attack",
                 "aerial bombardment", "aerial bombing", "warplane", "war plane", "fighter jet", "jet", "aircraft",
                 "drone", "uav", "helicopter gunship", "gunship", "bomber jet", "air force", "airforce",
                 "bombing raid", "drone strike", "helicopter", "sortie", "air-raid", "airstrikes"),
    # aircraft that strike: enough for a violent event of any family (a "jet" or "helicopter" alone is not)
    "air_attack": ("airstrike", "air strike", "air-strike", "air raid", "airraid", "aerial attack",
                   "aerial bombardment", "aerial bombing", "warplane", "war plane", "fighter jet", "helicopter gunship",
                   "gunship", "bombing raid", "drone strike", "drone attack", "sortie", "air-raid", "airstrikes"),
    # a shooting, stabbing or killing told: a report of arrests or weapons found for it belongs to that incident
    "crime_deed": ("shoot", "shooting", "shot", "gunman", "gunfire", "gunshot", "stab", "stabbing", "homicide",
                   "murder", "slay", "kill", "killing", "death", "dead", "manslaughter"),
    # a deed a statement condemns: the report is about the deed ("the ministry condemned the assassination")
    "atrocity": ("assassination", "assassinate", "massacre", "kidnapping", "kidnap", "bombing", "murder",
                 "execution"),
    # a funeral march mourns the dead of a deed the report is about
    "funeral": ("funeral", "burial", "mourner", "mourning"),
    "grenade": ("grenade", "hand grenade", "hand-grenade"),
    "rocket_grenade": ("rocket-propelled grenade", "rocket propel grenade", "rocket - propel grenade",
                       "rocket - propelled grenade", "rpg"),
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
    # not "strike" alone: "struck by a bullet", "air strike"; a labour strike is named as one
    "protest": ("protest", "protester", "protestor", "demonstration", "demonstrator", "rally", "march",
                "marcher", "sit-in", "picket", "dharna", "agitation", "agitator", "general strike", "on strike",
                "labour strike", "labor strike", "walkout", "rallied", "vigil", "gherao", "blockade",
                "hunger strike", "boycott",
                "rallies", "protesting", "chant", "slogan", "riot", "rioter", "rioters"),
    "lethal_force": ("live ammunition", "live bullet", "live round", "live fire", "open fire", "opened fire",
                     "fire on", "fired on", "shoot", "shot", "kill", "killing", "crackdown", "beat", "beating",
                     "bludgeon", "fatal", "massacre", "gun down"),
    "intervention": ("disperse", "dispersal", "tear gas", "teargas", "tear-gas", "water cannon", "rubber bullet",
                     "baton", "lathi", "lathi-charge", "lathicharge", "arrest", "detain", "detention",
                     "suppress", "break up", "broke up", "drag", "round up", "pepper spray",
                     "stun grenade", "custody", "scuffle"),
    "violent_protest": ("riot", "rioter", "rioting", "turn violent", "turned violent", "pelt", "stone",
                        "stone-pelting", "throw stone", "hurl stone", "molotov", "petrol bomb", "firebomb",
                        "vandalise", "vandalize", "vandalism", "torch", "set fire", "set on fire", "set ablaze",
                        "burn", "clash", "storm", "ransack", "loot", "throw object", "throw rock", "rock",
                        "brick", "break into", "breach", "smash", "violent protest", "fought", "fight"),
    "mob": ("mob", "vigilante", "lynch", "lynching", "mob justice", "jungle justice", "angry crowd", "irate",
            "communal clash", "communal violence", "sectarian clash", "sectarian violence", "ethnic clash"),
    "regain": ("regain", "recapture", "retake", "re-take", "liberate", "liberation", "win back", "won back",
               "drive out", "drove out", "drive back", "drove back", "expel", "oust", "clear of", "flush out",
               "push back", "recover", "purge", "regain control", "restore control"),
    "government_forces": ("army", "troop", "government force", "government forces", "soldier", "military",
                          "security force", "armed force", "regime", "police", "force", "national army",
                          "unit", "government"),
    "overtake": ("seize", "capture", "overrun", "take control", "took control", "take over", "took over",
                 "fall to", "fell to", "control", "occupy", "conquer", "storm", "establish control",
                 "gain control", "seize control", "advance into", "enter"),
    "non_state": ("rebel", "militant", "insurgent", "jihadist", "taliban", "al-shabab", "shabaab", "houthi",
                  "isis", "isil", "islamic state", "boko haram", "fighter", "militia", "guerrilla", "terrorist",
                  "extremist", "daesh", "al-qaeda", "separatist"),
    "withdraw": ("withdraw", "withdrawal", "pull out", "pulled out", "pull back", "hand over", "handed over",
                 "retreat", "without resistance", "not encounter any resistance", "without a fight",
                 "without fighting", "abandon", "evacuate", "deserted", "enter"),
    "battle": ("shoot - out", "clash", "battle", "fighting", "firefight", "gunbattle", "gun battle", "skirmish",
               "exchange fire",
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
                 "firework", "fireworks", "blow-out", "gas tank", "tank explode", "gas leak", "building collapse",
                 "overturn", "poisoning", "explosion at the plant", "tank at the plant"),
    # words of a deed done on purpose: an explosion or a death with one of them is no accident
    "attacker": ("militant", "rebel", "insurgent", "terrorist", "attacker", "bomber", "gunman", "gunmen",
                 "jihadist", "extremist", "assailant", "suspect", "emplace", "al-shabab", "taliban",
                 "isis", "boko haram", "guerrilla", "commando", "bomb", "ied", "grenade", "dynamite",
                 "explosive device", "shoot", "shot", "shooting", "gunshot", "gun", "gunfire", "firearm", "rifle",
                 "shotgun", "pistol", "handgun", "hunting", "stab", "knife", "murder", "homicide", "slaying", "attack",
                 "sabotage", "terrorism", "shell", "rocket", "missile", "airstrike", "strike"),
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
R_MASSACRE = rule("types.massacre", "a massacre or executions: Attack (ACLED files a mass killing as an attack)")
R_TOLL = rule("types.toll-only", "people killed or hurt, with no word of how: Attack")
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
R_CLASSIFIER = rule("types.classifier", "where the rules are unsure (the default attack, a toll with no word of how, "
                    "a calm report no rule reads): the trained classifier's type, when it is sure enough")

VIOLENT = frozenset({"explosive", "remote", "massacre", "abduction", "arson", "battle", "attack", "other"})
ANY = VIOLENT | {None}
CALM = frozenset({None})
# Verbs that, as the main verb of an event's first sentence, tell what the report is about rather
# than the deed it names: "X claimed responsibility for the attack", "police arrested 40 in raids".
LEAD_VERBS: dict[str, frozenset[str]] = {
    "attribution": frozenset({"claim", "accuse", "blame", "deny", "reject", "attribute", "dismiss", "hold"}),
    "diplomacy": frozenset({"condemn", "impose", "sanction", "expel", "summon", "announce", "reserve", "urge"}),
    "arrest": frozenset({"arrest", "detain", "apprehend", "nab", "round", "intercept", "capture", "hold"}),
    "agreement": frozenset({"agree", "sign", "surrender", "accept", "reach", "declare"}),
    "loot": frozenset({"loot", "ransack", "vandalise", "vandalize", "plunder", "torch", "burn", "destroy"}),
    "group": frozenset({"form", "merge", "dispatch", "deploy", "reinforce", "mobilise", "mobilize", "send", "move",
                        "fortify", "defect", "split", "dissolve", "disband", "redeploy", "consolidate", "recruit"}),
    # not "demonstrate": "the evidence demonstrates that ..."
    "protest": frozenset({"protest", "rally", "march", "stage", "hold", "join", "gather", "picket", "chant"}),
}
# People who protest, for the protest lead and for force used against them.
PROTESTERS = frozenset({"protest", "protester", "protestor", "demonstration", "demonstrator", "rally", "march",
                        "marcher", "sit-in", "rallies", "crowd", "student", "activist", "picket"})
# Deeds of force against people; used against protesters they are ACLED's excessive force.
FORCE_VERBS = frozenset({"shoot", "fire", "kill", "beat", "open", "use", "gun", "attack", "assault",
                         "club", "bludgeon", "whip", "batter"})
# The actors that take ground, by side, for territory: a government's forces or a non-state group.
GOVERNMENT_SIDE = frozenset({"army", "troop", "soldier", "military", "force", "government", "regime", "police",
                             "unit", "trooper", "battalion", "brigade", "marine", "commando", "peshmerga", "sana",
                             "saa", "ndf", "hezbollah"})
NON_STATE_SIDE = frozenset({"rebel", "militant", "insurgent", "jihadist", "taliban", "fighter", "militia",
                            "guerrilla", "terrorist", "extremist", "separatist", "isil", "isis", "houthi", "shabab",
                            "al-shabab", "daesh", "group", "faction", "opposition", "sdf", "ypg", "bandit"})
REFLEXIVE = frozenset({"himself", "herself", "themselves", "themself"})
EXPLOSIVES = frozenset({"bomb", "explosive", "explosion", "detonate", "blast", "explode", "ied", "grenade", "vest",
                        "belt"})
NON_LETHAL = frozenset({"gas", "teargas", "tear-gas", "cannon", "bullet", "spray", "grenade", "canister"})
HQ_OBJECTS = frozenset({"headquarters", "base", "post", "point", "outpost", "checkpoint", "camp", "station",
                        "position", "bases", "posts", "points"})
TAKE_VERBS = frozenset({"seize", "capture", "overrun", "take", "occupy", "conquer", "storm", "control", "regain",
                        "recapture", "retake", "liberate", "establish", "gain", "drive", "push", "expel", "purge",
                        "clear", "win", "enter", "advance"})


@dataclass(frozen=True, slots=True)
class TypeRule:
    id: str
    type: str
    families: frozenset  # families of violence it applies to; None in it: a report with no violent deed
    needs: tuple[str, ...]  # cue tables (or computed cues) that must all be present
    unless: tuple[str, ...] = ()  # cue tables that must all be absent
    no_toll: bool = False  # only when the event counts no one killed or hurt
    no_victims: bool = False  # only when the event names no victim (a deed done to people is the deed)


# The order is ACLED's precedence (docs/model.md): what the first sentence is about when it is a
# claim, a sanction, an arrest or an agreement (and no one was killed or hurt); the weapon that sets
# a type apart (chemical, suicide, aircraft, grenade) before the generic explosion; force against
# protesters, riots and protests before violence in general; the fight over territory before the
# plain clash; strategic developments and the out-of-scope types where no deed of violence is told
# (or no one was hurt: weapons found or defused).
RULES: tuple[TypeRule, ...] = (
    TypeRule(R_SEXUAL, "Sexual violence", ANY, ("sexual",)),
    TypeRule(R_ATTRIBUTION, "Attribution", ANY, ("claims-responsibility",), no_toll=True, no_victims=True),
    TypeRule(R_ATTRIBUTION, "Attribution", ANY, ("lead:attribution", "attribution"), ("crime_deed", "crime"),
             no_toll=True, no_victims=True),
    TypeRule(R_DIPLOMACY, "Diplomacy", ANY, ("lead:diplomacy", "diplomacy"), ("crime_deed", "atrocity"),
             no_toll=True, no_victims=True),
    TypeRule(R_HQ, "Headquarters or base established", ANY, ("sets-up-base",), no_toll=True, no_victims=True),
    # "explosions sent plumes of smoke": a verb of moving forces whose report tells an accident moves none
    TypeRule(R_GROUP, "Change to group/activity", ANY, ("lead:group",), ("protest", "man_made"), no_toll=True,
             no_victims=True),
    TypeRule(R_AGREEMENT, "Agreement", ANY, ("lead:agreement", "agreement"), no_toll=True, no_victims=True),
    TypeRule(R_REGAIN, "Government regains territory", ANY, ("lead-government-takes",), no_victims=True),
    TypeRule(R_OVERTAKE, "Non-state actor overtakes territory", ANY, ("lead-non-state-takes",), ("withdraw",),
             no_victims=True),
    # a post abandoned or handed over and taken with no one hurt: ACLED's non-violent transfer
    TypeRule(R_TRANSFER, "Non-violent transfer of territory", ANY, ("lead-non-state-takes", "withdraw"), no_toll=True,
             no_victims=True),
    TypeRule(R_FORCE, "Excessive force against protesters", ANY - {"explosive", "remote"}, ("force-on-protesters",)),
    TypeRule(R_VIOLENT_DEMO, "Violent demonstration", ANY - {"explosive", "remote"}, ("protest", "violent_protest")),
    TypeRule(R_PROTEST_INTER, "Protest with intervention", ANY - {"explosive", "remote"},
             ("protest-lead", "intervention"), ("funeral",)),
    TypeRule(R_PEACE, "Peaceful protest", ANY - {"explosive", "remote"}, ("protest-lead",), ("funeral",)),
    TypeRule(R_LOOTING, "Looting/property destruction", VIOLENT, ("lead:loot",), no_toll=True),
    TypeRule(R_MAN_MADE, "Man-made disaster", frozenset({"explosive", "attack", "other", None}), ("man_made",),
             ("attacker",)),
    TypeRule(R_CHEMICAL, "Chemical weapon", ANY, ("chemical",)),
    TypeRule(R_SUICIDE, "Suicide bomb", VIOLENT, ("suicide",)),
    TypeRule(R_SUICIDE, "Suicide bomb", frozenset({"explosive"}), ("explosive-kills-self",)),
    TypeRule(R_AIR, "Air/drone strike", frozenset({"explosive", "remote"}), ("aircraft",)),
    TypeRule(R_AIR, "Air/drone strike", frozenset({"attack", "massacre", "other", "battle"}), ("air_attack",)),
    TypeRule(R_GRENADE, "Grenade", frozenset({"explosive", "attack", "other", "battle"}), ("grenade",),
             ("rocket_grenade",)),
    TypeRule(R_MOB, "Mob violence", VIOLENT - {"explosive", "remote", "battle", "arson"}, ("mob",),
             ("protest", "non_state")),
    TypeRule(R_NATURAL, "Natural disaster", frozenset({"attack", "other"}), ("natural",), ("attacker", "protest")),
    TypeRule(R_DISRUPT, "Disrupted weapons use", frozenset({"explosive", None}), ("weapons", "disrupt"),
             ("crime_deed",), no_toll=True),
    TypeRule(R_DISRUPT, "Disrupted weapons use", frozenset({"attack", "other"}), ("weapons", "disrupt"),
             ("crime_deed", "remote_explosive"), no_toll=True),
    TypeRule(R_ARREST, "Arrests", frozenset({"attack", "other"}), ("lead:arrest",), ("crime", "crime_deed"),
             no_toll=True, no_victims=True),
    # a rocket-propelled grenade is fired like a rocket: ACLED files it with missiles, not grenades or bombs
    TypeRule(R_SHELLING, "Shelling/artillery/missile attack", frozenset({"explosive"}), ("rocket_grenade",)),
    TypeRule(R_REMOTE, "Remote explosive/landmine/IED", frozenset({"explosive"}), ()),
    TypeRule(R_SHELLING, "Shelling/artillery/missile attack", frozenset({"remote", "explosive"}), ()),
    TypeRule(R_ABDUCTION, "Abduction/forced disappearance", frozenset({"abduction", "attack", "other", None}),
             ("abduction",)),
    TypeRule(R_REGAIN, "Government regains territory", ANY, ("government-takes",), no_victims=True),
    TypeRule(R_OVERTAKE, "Non-state actor overtakes territory", ANY, ("non-state-takes",), ("withdraw",),
             no_victims=True),
    TypeRule(R_CLASH, "Armed clash", frozenset({"battle"}), ()),
    # an attack that names civilian victims stays an attack, whatever fighting the report also tells
    TypeRule(R_CLASH, "Armed clash", frozenset({"attack", "other", "massacre"}), ("battle",), no_victims=True),
    TypeRule(R_CLASH, "Armed clash", frozenset({"attack", "other"}), ("non-state-hits-forces",), no_victims=True),
    TypeRule(R_LOOTING, "Looting/property destruction", frozenset({"arson"}), ("loot",)),
    TypeRule(R_MASSACRE, "Attack", frozenset({"massacre"}), ()),
    TypeRule(R_TOLL, "Attack", frozenset({"other"}), ()),
    TypeRule(R_ATTACK, "Attack", VIOLENT, ()),
    # a report with no violent deed: what it tells instead
    TypeRule(R_PROTEST_INTER, "Protest with intervention", CALM, ("protest", "intervention")),
    TypeRule(R_PEACE, "Peaceful protest", CALM, ("protest",)),
    TypeRule(R_LOOTING, "Looting/property destruction", CALM, ("loot",)),
    TypeRule(R_NATURAL, "Natural disaster", CALM, ("natural",)),
    TypeRule(R_TRANSFER, "Non-violent transfer of territory", CALM, ("overtake", "withdraw")),
    TypeRule(R_ARREST, "Arrests", CALM, ("arrest",), ("crime", "crime_deed")),
    TypeRule(R_AGREEMENT, "Agreement", CALM, ("agreement",)),
    TypeRule(R_ATTRIBUTION, "Attribution", CALM, ("attribution",), ("crime_deed", "crime")),
    TypeRule(R_DIPLOMACY, "Diplomacy", CALM, ("diplomacy",)),
    TypeRule(R_CRIME, "Organized crime", CALM, ("crime",)),
    TypeRule(R_GROUP, "Change to group/activity", CALM, ("group_change", "government_forces")),
)

_WEAPON_WORDS = frozenset(w for w in CUES["weapons"] if " " not in w) | {"firearms", "weapons", "arms"}
_PHRASES: dict[str, list[tuple[str, ...]]] = {name: [tuple(p.split()) for p in phrases]
                                              for name, phrases in CUES.items()}
# The same phrases by their first word, so that a sentence is read once, not once per phrase.
_BY_FIRST: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
for _name, _phrases in _PHRASES.items():
    for _phrase in _phrases:
        _BY_FIRST.setdefault(_phrase[0], []).append((_name, _phrase))


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


# What a protest is against is not done at it: "marched to decry the arrests", "a rally over the
# detention of X" tell no intervention and no arrest.
GRIEVANCE_CUES = frozenset({"intervention", "arrest"})
GRIEVANCE_HEADS = frozenset({"decry", "denounce", "condemn", "protest", "oppose", "criticise", "criticize",
                             "demand", "against", "over"})


def _grievance(tok: Token) -> bool:
    """The word is the object of what people protest about (within two steps up the tree)."""
    node = tok
    for _ in range(2):
        if node.head.i == node.i:
            return False
        if node.dep_ in ("dobj", "pobj") and node.head.lemma_.lower() in GRIEVANCE_HEADS:
            return True
        node = node.head
    return False


def cues_in(sents: Sequence[Span]) -> set[str]:
    """The names of the cue tables whose phrases the sentences hold, told as done, and the computed
    cues of the first sentence (``lead:<table>``, ``protest-lead``, ``force-on-protesters``,
    ``government-takes``, ``non-state-takes``, ``non-state-hits-forces``)."""
    found: set[str] = set()
    for sent in sents:
        toks = list(sent)
        lemmas = [t.lemma_.lower() for t in toks]
        words = [t.lower_ for t in toks]
        # a verb with its particle ("drove the rebels out"): the pair is a phrase too
        pairs = {(t.lemma_.lower(), c.lower_) for t in toks for c in t.children if c.dep_ == "prt"}
        for i, tok in enumerate(toks):
            for name, phrase in _BY_FIRST.get(lemmas[i], []) + _BY_FIRST.get(words[i], []):
                n = len(phrase)
                # told as done, and not a date ("in March")
                if name not in found and (tuple(lemmas[i:i + n]) == phrase or tuple(words[i:i + n]) == phrase) \
                        and _live(tok) and tok.ent_type_ not in ("DATE", "TIME") and not (
                            name in GRIEVANCE_CUES and _grievance(tok)):
                    found.add(name)
        for first, second in pairs:
            found |= {name for name, phrase in _BY_FIRST.get(first, []) if phrase == (first, second)}
    lead = lead_sentence(sents[:2])
    if lead is not None:
        found |= _lead_cues(lead)
        found |= {f"lead-{c}" for c in _deed_cues(lead) if c.endswith("-takes")}
    for sent in sents:
        found |= _deed_cues(sent)
    return found


# Verbs that tell when or whether a deed goes on, not what it is.
ASPECTUAL = frozenset({"continue", "begin", "start", "keep", "resume", "go"})
# Verbs of saying: "officials said forces have retaken the town" tells of the retaking.
SAYING = frozenset({"say", "report", "tell", "state", "add", "confirm", "learn", "note", "announce", "reveal",
                    "inform", "quote", "write"})


def _root_verbs(sent: Span) -> list[Token]:
    """The main verbs of a sentence: its root and the verbs joined to it; under a verb of saying,
    the verbs of what was said."""
    root = sent.root
    out = [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    # "continues to detain", "began to march": the deed is the verb the aspect governs
    out += [c for r in list(out) if r.lemma_.lower() in ASPECTUAL for c in r.children
            if c.dep_ == "xcomp" and c.pos_ == "VERB"]
    for verb in list(out):
        if verb.lemma_.lower() in SAYING:
            said = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX")]
            out += said + [c for v in said for c in v.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    return out


def lead_sentence(sents: Sequence[Span]) -> Span | None:
    """The first sentence that tells something: a headline fragment or a dateline alone ("United
    Nations .", "Homs.") has no verb."""
    return next((s for s in sents if any(t.pos_ in ("VERB", "AUX") for t in s) and len(s) > 3),
                sents[0] if sents else None)


def _lead_cues(sent: Span) -> set[str]:
    """What the first sentence is about: its main verb (``lead:<table>``), and whether it tells a protest."""
    out: set[str] = set()
    roots = [r for r in _root_verbs(sent) if _live(r) and r.ent_type_ not in ("DATE", "TIME")]
    lemmas = {r.lemma_.lower() for r in roots}
    for name, verbs in LEAD_VERBS.items():
        if lemmas & verbs:
            out.add(f"lead:{name}")
    # the protest is what the sentence tells: its main verb, or the subject or object of it
    heads = {r.lemma_.lower() for r in roots} | {c.lemma_.lower() for r in roots for c in r.children
                                                if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")}
    heads |= {c.lower_ for r in roots for c in r.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")}
    for r in roots:
        subject_dets = {d.lower_ for c in r.children if c.dep_ == "nsubj" for d in c.children if d.dep_ == "det"}
        if r.lemma_.lower() == "claim" and "no" not in subject_dets and any(
                c.dep_ == "dobj" and c.lemma_.lower() == "responsibility" for c in r.children):
            out.add("claims-responsibility")  # "X claimed responsibility for ...", not "no group has claimed"
    if heads & (PROTESTERS - {"crowd", "student", "activist"}) or lemmas & (LEAD_VERBS["protest"] - {
            "hold", "join", "stage", "gather"}) or ("protest" in heads and lemmas):
        out.add("protest-lead")
    elif lemmas & {"hold", "join", "stage", "gather"} and heads & PROTESTERS:
        out.add("protest-lead")
    return out


def _deed_cues(sent: Span) -> set[str]:
    """Who did what to whom, from the parse: force against protesters, ground taken by one side, a
    non-state group attacking forces."""
    out: set[str] = set()
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ not in ("VERB", "NOUN") or not _live(tok):
            continue
        objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        objects += [g for c in tok.children if c.dep_ in ("prep", "agent") for g in c.children if g.dep_ == "pobj"]
        objects += [g for o in list(objects) for g in o.children if g.dep_ in ("conj", "compound", "amod")]
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "agent")]
        subjects += [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        subjects += [g for s in list(subjects) for g in s.children if g.dep_ in ("compound", "amod", "conj")]
        # "a total of 56 observation points": the noun after "of" is what was named
        objects += [g for o in list(objects) for c in o.children if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children if g.dep_ == "pobj"]
        objects = [o for o in objects if o.ent_type_ not in ("DATE", "TIME", "CARDINAL")]
        object_words = {o.lemma_.lower() for o in objects} | {o.lower_ for o in objects}
        subject_words = {s.lemma_.lower() for s in subjects} | {s.lower_ for s in subjects}
        if lemma in FORCE_VERBS and object_words & PROTESTERS and (
                not subjects or subject_words & GOVERNMENT_SIDE) and not object_words & NON_LETHAL:
            # by the state's forces (or unnamed), and not tear gas or water cannon: those are an intervention
            if lemma not in ("use", "open") or any(c.lower_ in ("live", "lethal", "fire", "force")
                                                   for c in tok.subtree):
                out.add("force-on-protesters")
        if lemma in ("establish", "set", "build", "construct", "open", "erect", "create", "install") and (
                lemma != "set" or any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children)) and \
                object_words & HQ_OBJECTS:
            out.add("sets-up-base")
        if lemma in ("push", "drive", "expel", "oust", "flush") and not subjects and object_words & NON_STATE_SIDE:
            out.add("government-takes")  # "the terrorists were pushed back from ..."
        if lemma in TAKE_VERBS and not object_words & (_WEAPON_WORDS | CIVILIANS):  # ground, not arms or people
            if subject_words & GOVERNMENT_SIDE and not subject_words & NON_STATE_SIDE:
                out.add("government-takes" if lemma not in ("enter", "advance") else "")
            elif subject_words & NON_STATE_SIDE and lemma not in ("regain", "recapture", "retake", "liberate",
                                                                  "win", "drive", "push", "purge", "expel"):
                out.add("non-state-takes" if lemma not in ("enter", "advance", "clear") else "")
        if lemma in ("kill", "blow") and tok.pos_ == "VERB" and any(
                c.dep_ == "dobj" and c.lower_ in REFLEXIVE for c in tok.children) and any(
                t.lemma_.lower() in EXPLOSIVES for t in sent):
            out.add("explosive-kills-self")  # "detonated explosives, killing themselves": a suicide bombing
        if lemma in ("attack", "raid", "storm", "ambush", "assault", "hit", "target") and \
                subject_words & NON_STATE_SIDE and object_words & (GOVERNMENT_SIDE | {
                    "base", "camp", "position", "checkpoint", "post", "garrison", "barrack", "outpost", "convoy",
                    "militiaman", "patrol", "troops", "positions", "forces", "soldiers"}):
            out.add("non-state-hits-forces")
    out.discard("")
    return out


# The rules whose answer is a default rather than a cue: the trained classifier may replace it.
UNSURE_RULES = frozenset({R_ATTACK, R_TOLL})
# How sure the classifier must be (its probability, over 30 types) to replace an unsure rule. Chosen
# on the tune half's out-of-fold predictions (docs/type-classifier.md): below it, it is right less
# often than the default "Attack".
CLASSIFIER_MIN = 0.3


def classify(family: str | None, sents: Sequence[Span], figures: Sequence = (),
             victims: bool = False) -> tuple[str, str] | None:
    """ACLED's sub-event type of an event of ``family`` told in ``sents`` and the rule that chose it;
    None when ``family`` is None and nothing in the sentences says what the report tells."""
    cues = cues_in(sents)
    toll = any(getattr(f, "kind", "") in ("killed", "injured") and (f.low or f.high) for f in figures)
    found = None
    for r in RULES:
        if family not in r.families:
            continue
        if r.no_toll and toll or r.no_victims and victims:
            continue
        if all(c in cues for c in r.needs) and not any(c in cues for c in r.unless):
            found = r.type, r.id
            break
    if found is None and family is not None:
        return None
    if found is None or found[1] in UNSURE_RULES:
        return _classifier(family, sents, harmed=toll or victims) or found
    return found


def _classifier(family: str | None, sents: Sequence[Span], harmed: bool) -> tuple[str, str] | None:
    """The trained classifier's type where the rules are unsure, within what the event allows: it
    never retypes a deed that killed or hurt people or names its victims (trained on conflict
    snippets, it reads the assassinations and massacres of a long wire report as battles, and would
    take them out of the record of attacks), never takes a deed out of the violent record (a type of
    ``NO_INCIDENT_TYPES``), nor makes a violent incident of a report whose extraction found no deed."""
    if family is not None and harmed:
        return None
    ranked = type_model.guess(sents)
    if not ranked:
        return None
    best, p = ranked[0]
    if p < CLASSIFIER_MIN:
        return None
    if (family is None) != (best in NO_INCIDENT_TYPES):
        return None  # a violent deed stays an incident, a calm report does not become one
    return best, R_CLASSIFIER
