"""The extractor on the development gold data must not score lower than the recorded figures
(tests/dev_scores.json, written by `make dev-scores`). Skipped, saying why, without ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tollbook.evaluate import evaluate

RECORDED = json.loads((Path(__file__).parent / "dev_scores.json").read_text("utf-8"))
TOLERANCE = 0.002  # extraction is deterministic; this only absorbs float rounding in the file

PATHS = {"gvdb": "gvdb/dev.jsonl", "muc4": "muc4/dev.jsonl", "seed": "seed", "gva": "gva/dev.jsonl",
         "semeval2018t5": "semeval2018t5/trial", "case2021": "case2021/dev.jsonl"}


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.parametrize("dataset", sorted(RECORDED))
def test_no_drop_on_development_data(shared_data, dataset):
    metrics, _ = evaluate(dataset, shared_data / PATHS[dataset], workers=2)
    recorded = RECORDED[dataset]
    counts = [k for k in recorded if k == "n" or k.endswith("_n")]
    assert {k: metrics[k] for k in counts} == {k: recorded[k] for k in counts}
    # every metric is better higher, except a distance and an error
    lower_is_better = {"geo_km_median", "s2_rmse", "s3_rmse"}
    drops = {k: (recorded[k], round(metrics[k], 4)) for k in recorded if k not in counts and (
        metrics[k] > recorded[k] + TOLERANCE if k in lower_is_better else metrics[k] < recorded[k] - TOLERANCE)}
    assert not drops, f"{dataset}: scores fell (recorded, now): {drops}"
