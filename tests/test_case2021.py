"""The CASE 2021 scorer (evaluate/case2021.py) on invented snippets and labels: the metrics as
scikit-learn computes them, the stable split, and a run through the extractor."""

from __future__ import annotations

import json

import pytest

from tollbook.errors import DatasetError
from tollbook.evaluate import case2021


def test_metrics_as_scikit_learn_computes_them():
    gold = ["ATTACK", "ATTACK", "ARREST", "AGREEMENT", "NATURAL_DISASTER"]
    pred = ["ATTACK", "ARREST", "ARREST", "ARREST", "DIPLO"]
    m = case2021.metrics(gold, pred)
    # ATTACK: P 1, R 1/2, F1 2/3 (support 2); ARREST: P 1/3, R 1, F1 1/2 (support 1); the rest 0
    assert m["weighted_f1"] == pytest.approx((2 / 3 * 2 + 0.5 * 1) / 5)
    assert m["macro_f1"] == pytest.approx((2 / 3 + 0.5) / 30)
    assert m["accuracy"] == pytest.approx(2 / 5)
    # ARREST for AGREEMENT is still a strategic development; DIPLO for a disaster is still out of scope
    assert m["event_type_accuracy"] == pytest.approx(4 / 5)
    assert m["n"] == 5
    table = case2021.per_label(gold, pred)
    assert table["ARREST"] == {"precision": pytest.approx(1 / 3), "recall": 1.0, "f1": pytest.approx(0.5),
                               "support": 1}
    assert len(table) == len(case2021.LABELS) == 30


def test_a_snippet_without_an_event_is_a_wrong_prediction():
    m = case2021.metrics(["ATTACK", "ATTACK"], ["ATTACK", case2021.NONE])
    assert m["accuracy"] == 0.5 and m["event_type_accuracy"] == 0.5 and m["n"] == 2
    assert m["weighted_f1"] == pytest.approx(2 / 3)  # ATTACK: P 1, R 1/2


def test_every_type_has_a_code_and_the_split_is_stable():
    from tollbook.records import EVENT_TYPES

    assert set(case2021.CASE_CODES) == set(EVENT_TYPES)
    halves = [case2021.half(str(i)) for i in range(200)]
    assert set(halves) == {"tune", "check"}
    assert halves == [case2021.half(str(i)) for i in range(200)]
    assert 60 < halves.count("tune") < 140


def test_unknown_label_is_a_clear_error(tmp_path):
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps({"id": "1", "text": "Floods hit Tarsel.", "label": "FLOOD"}) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="unknown label 'FLOOD'"):
        list(case2021.read(path))


def test_evaluate_runs_the_extractor_on_each_snippet(tmp_path):
    from tollbook.evaluate import evaluate

    rows = [
        {"id": "a1", "text": "Warplanes bombed a village near Dorvale on Monday, killing nine civilians.",
         "label": "AIR_STRIKE"},
        {"id": "a2", "text": "Security forces arrested 40 opposition activists in Tarsel on Monday.",
         "label": "ARREST"},
        {"id": "a3", "text": "The farmers of Tarsel harvested their fields on Monday.", "label": "PEACE_PROTEST"},
    ]
    path = tmp_path / "dev.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    metrics, outcomes = evaluate("case2021", path, workers=1)
    assert [o.predicted for o in outcomes] == ["AIR_STRIKE", "ARREST", case2021.NONE]
    assert [o.rule for o in outcomes[:2]] == ["types.air-strike", "types.arrests"]
    assert metrics["accuracy"] == pytest.approx(2 / 3) and metrics["n"] == 3
    assert metrics["tune_n"] + metrics["check_n"] == 3
    rows = case2021.label_table(outcomes)
    assert rows[0][0] in ("AIR_STRIKE", "ARREST", "PEACE_PROTEST") and len(rows) == 30
