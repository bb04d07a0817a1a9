"""The rule table: every registered extraction rule fires on its positive sentences with the value
given, and stays silent on its negative ones (tests/rules/<stage>.yaml; see tollbook.extract.rules).

A case is ``{text, value?, title?, published?, max_tokens?}``. ``value`` names fields the value made by the rule
must have: for a figure ``kind``/``low``/``high``/``who``, a place ``name``/``country_code``/``precision``,
a date ``earliest``/``latest``/``precision``, an actor ``role``/``text``/``kind``/``hedged``, an event
``type``/``role``, a flag ``kind``. A field ``quote`` checks the evidence quote.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from tollbook.extract.rules import all_rules
from tollbook.records import Report

TABLE_DIR = Path(__file__).parent / "rules"
DEFAULT_PUBLISHED = dt.date(2024, 3, 13)


def _load() -> dict[str, dict]:
    table: dict[str, dict] = {}
    for path in sorted(TABLE_DIR.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            rid = entry["rule"]
            if rid in table:
                raise AssertionError(f"{path.name}: rule {rid} has two entries")
            table[rid] = {"fires": entry.get("fires") or [], "silent": entry.get("silent") or [], "file": path.name}
    return table


TABLE = _load()


def _values(events):
    """(rule, record kind, record) of every value the extraction made."""
    for ev in events:
        yield ev.rule, "event", ev
        for kind, items in (("figure", ev.figures), ("place", ev.places), ("date", ev.dates),
                            ("actor", ev.actors), ("flag", ev.flags)):
            for item in items:
                yield item.rule, kind, item


def _matches(record, want: dict) -> bool:
    for field, expected in want.items():
        if field == "quote":
            if not any(e.quote == expected for e in record.evidence):
                return False
            continue
        got = getattr(record, field, None)
        if isinstance(got, dt.date):
            got = got.isoformat()
        if got != expected:
            return False
    return True


def _run(extractor, case: dict):
    if "max_tokens" in case:  # the per-report work budget (flags.text-not-read), made small
        from dataclasses import replace

        from tollbook.extract import Extractor
        extractor = Extractor(nlp=extractor.nlp, gazetteer=extractor.gazetteer,
                              options=replace(extractor.options, max_tokens=case["max_tokens"]))
    published = case.get("published", DEFAULT_PUBLISHED.isoformat())
    report = Report.from_text(case["text"], title=case.get("title"),
                              published=dt.date.fromisoformat(published) if published else None)
    return list(_values(extractor(report)))


CASES = [(rid, "fires", i, c) for rid, e in TABLE.items() for i, c in enumerate(e["fires"])] + [
    (rid, "silent", i, c) for rid, e in TABLE.items() for i, c in enumerate(e["silent"])]


@pytest.mark.parametrize(("rule_id", "sense", "n", "case"), CASES, ids=[f"{r}:{s}{n}" for r, s, n, _ in CASES])
def test_rule_case(extractor, rule_id, sense, n, case):
    values = _run(extractor, case)
    made = [(kind, rec) for rid, kind, rec in values if rid == rule_id]
    if sense == "silent":
        assert not made, f"{rule_id} fired on {case['text']!r}: {[r.to_dict() for _, r in made]}"
        return
    want = case.get("value") or {}
    assert any(_matches(rec, want) for _, rec in made), (
        f"{rule_id} did not give {want} on {case['text']!r}; it gave {[r.to_dict() for _, r in made]}; "
        f"rules that fired: {sorted({rid for rid, _, _ in values if rid})}")


def test_every_rule_has_a_positive_and_a_negative_case():
    missing = [r.id for r in all_rules() if not (TABLE.get(r.id, {}).get("fires") and TABLE[r.id].get("silent"))]
    assert not missing, f"rules without a positive and a negative case in tests/rules/: {missing}"


def test_every_case_names_a_registered_rule():
    known = {r.id for r in all_rules()}
    unknown = sorted(set(TABLE) - known)
    assert not unknown, f"tests/rules/ has cases for rules nobody registers: {unknown}"
