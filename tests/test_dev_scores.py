"""The extractor on the development gold data must not score lower than the recorded figures
(tests/dev_scores.json, written by `make dev-scores`). Skipped, saying why, without ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tollbook.evaluate import evaluate

RECORDED = json.loads((Path(__file__).parent / "dev_scores.json").read_text("utf-8"))
TOLERANCE = 0.002  # extraction is deterministic; this only absorbs float rounding in the file

PATHS = {"gvdb": "gvdb/dev.jsonl", "muc4": "muc4/dev.jsonl", "seed": "seed", "gva": "gva/dev.jsonl"}


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.parametrize("dataset", sorted(RECORDED))
def test_no_drop_on_development_data(shared_data, dataset):
    metrics, _ = evaluate(dataset, shared_data / PATHS[dataset], workers=2)
    recorded = RECORDED[dataset]
    assert metrics["n"] == recorded["n"]
    # every metric is better higher, except a distance
    lower_is_better = {"geo_km_median"}
    drops = {k: (recorded[k], round(metrics[k], 4)) for k in recorded if k != "n" and (
        metrics[k] > recorded[k] + TOLERANCE if k in lower_is_better else metrics[k] < recorded[k] - TOLERANCE)}
    assert not drops, f"{dataset}: scores fell (recorded, now): {drops}"
