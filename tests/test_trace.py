"""Which rule made which value: `tollbook show --trace`, `tollbook eval --by-rule`, and the rule
registry's own checks."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from tollbook.cli import main
from tollbook.evaluate import by_rule
from tollbook.evaluate.gvdb import Gold, score_one
from tollbook.extract import rules
from tollbook.records import Event, Evidence, Figure, Report


def _event(killed_rule: str) -> Event:
    text = "Two men were killed on Elm Street."
    report = Report.from_text(text, published=dt.date(2024, 3, 1))
    ev = Evidence.of(report.id, text, 0, 7)
    return Event(report.id, "Attack", figures=[Figure("killed", 2, 2, "exact", (ev,), rule=killed_rule)])


def test_a_scored_value_names_its_rule_right_or_wrong():
    right = score_one([_event("figures.example-right")], Gold(2, 0, None, None, None, []))
    wrong = score_one([_event("figures.example-wrong")], Gold(3, 1, None, None, None, []))
    table = {r["rule"]: r for r in by_rule([right, wrong])}
    assert table["figures.example-right"] == {"rule": "figures.example-right", "scored": 1, "wrong": 0, "fields": {}}
    assert table["figures.example-wrong"]["wrong"] == 1 and table["figures.example-wrong"]["fields"] == {"killed": 1}
    # the injured figure tollbook did not make: counted under "(none)", right in the first record, wrong in the second
    assert table["(none)"] == {"rule": "(none)", "scored": 2, "wrong": 1, "fields": {"injured": 1}}
    # most wrong first
    assert [r["wrong"] for r in by_rule([right, wrong])] == sorted((r["wrong"] for r in table.values()), reverse=True)


def test_rule_ids_are_checked_when_registered():
    with pytest.raises(ValueError, match="stage"):
        rules.rule("nosuchstage.thing", "x")
    with pytest.raises(ValueError, match="must look like"):
        rules.rule("figures.Has Spaces", "x")
    rid = rules.rule("flags.test-only-rule", "a rule registered by this test")
    try:
        assert rules.get(rid).stage == "flags"
        assert rules.rule(rid, "a rule registered by this test") == rid  # the same registration again is harmless
        with pytest.raises(ValueError, match="twice"):
            rules.rule(rid, "another summary")
    finally:  # the rule table's tests must not see it
        del rules._RULES[rid]
    with pytest.raises(KeyError, match="no extraction rule"):
        rules.get("figures.never-registered")


def test_show_trace_lists_every_value_with_its_rule(tmp_path, examples):
    runner = CliRunner()
    db = tmp_path / "t.db"
    report = examples / "reports" / "osk-shelling.txt"
    res = runner.invoke(main, ["ingest", str(report), "--db", str(db), "--published", "2024-03-13",
                               "--gazetteer", str(examples / "gazetteer.csv")], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    shown = json.loads(runner.invoke(main, ["reports", "--db", str(db), "--json"]).output)
    rid = shown[0]["id"]
    events = json.loads(runner.invoke(main, ["show", rid, "--db", str(db), "--json"]).output)["events"]
    values = [events[0], *events[0]["figures"], *events[0]["places"], *events[0]["dates"], *events[0]["actors"]]
    assert all("rule" in v for v in values)
    res = runner.invoke(main, ["show", rid, "--db", str(db), "--trace"], catch_exceptions=False)
    assert res.exit_code == 0
    assert "rules that read the values" in res.output
    for v in values:
        if v["rule"]:
            assert v["rule"] in res.output
