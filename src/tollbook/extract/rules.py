"""The registry of extraction rules: every value the extractor makes names the rule that made it.

A rule has a stable id, ``<stage>.<name>`` (``figures.passive-toll``, ``actors.perpetrator-by-agent``,
``types.air-strike``), a stage, and a one-line summary for people. Stage modules register their rules
at import time, in the order they run, and put the id on what they return (``Figure.rule``,
``Place.rule``, ``When.rule``, ``Actor.rule``, ``Flag.rule``, ``Event.rule`` for the type).

The rule table in ``tests/rules/<stage>.yaml`` holds, per rule id, sentences that must fire it (with
the value it must give) and sentences that must not; ``tests/test_rules.py`` runs them all and fails
on a registered rule without both kinds of case. docs/extraction.md lists the rules stage by stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# In the order the extractor runs them (extract/pipeline.py).
STAGES = ("figures", "dates", "places", "actors", "events", "types", "flags")
_ID = re.compile(r"^[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    stage: str
    summary: str
    order: int  # position among the rules of its stage, as registered


_RULES: dict[str, Rule] = {}


def rule(rule_id: str, summary: str) -> str:
    """Register ``rule_id`` (its stage is the part before the dot) and return it, for use as a constant."""
    if not _ID.match(rule_id):
        raise ValueError(f"rule id {rule_id!r} must look like 'stage.some-name' (lower case, digits, hyphens)")
    stage = rule_id.split(".", 1)[0]
    if stage not in STAGES:
        raise ValueError(f"rule id {rule_id!r}: stage {stage!r} is not one of {', '.join(STAGES)}")
    old = _RULES.get(rule_id)
    if old is not None:
        if old.summary != summary:
            raise ValueError(f"rule id {rule_id!r} is registered twice with different summaries")
        return rule_id
    order = sum(1 for r in _RULES.values() if r.stage == stage)
    _RULES[rule_id] = Rule(rule_id, stage, summary, order)
    return rule_id


def get(rule_id: str) -> Rule:
    try:
        return _RULES[rule_id]
    except KeyError:
        raise KeyError(f"no extraction rule {rule_id!r} (see tollbook.extract.rules.all_rules())") from None


def all_rules(stage: str | None = None) -> list[Rule]:
    """The registered rules (after the extractor's modules are imported), stage by stage, in order."""
    import tollbook.extract.pipeline  # noqa: F401  (the stage modules register their rules on import)

    rules = sorted(_RULES.values(), key=lambda r: (STAGES.index(r.stage), r.order))
    return [r for r in rules if stage is None or r.stage == stage]
