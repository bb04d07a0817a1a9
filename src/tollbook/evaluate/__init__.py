"""Evaluation on gold data nobody on the team wrote: ``evaluate(dataset, path)`` returns one dict
of metrics (fractions in 0..1, plus ``n``, the records scored) and the per-record details.

Datasets: ``gvdb``, ``muc4``, ``seed`` (extraction), ``gva`` (grouping and reconciliation),
``semeval2018t5`` (questions answered from the incidents), ``case2021`` (event types: ACLED's
sub-event types on CASE 2021 Task 2 snippets); each module documents its metrics, and
docs/evaluation.md defines them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tollbook.errors import DatasetError

DATASETS = ("gvdb", "muc4", "seed", "gva", "semeval2018t5", "case2021")


def evaluate(dataset: str, path: str | Path, *, workers: int = 1, limit: int | None = None,
             gazetteers: tuple[str, ...] = (), options=None) -> tuple[dict[str, float], Any]:
    """Metrics and details of ``dataset`` at ``path``. For ``semeval2018t5`` the details are a
    ``semeval.Outcome`` (the answers; ``.write(folder)`` writes the task's answer files), ``limit``
    keeps the first N documents, and extraction runs in this process: the documents go through the
    Python API into a temporary store."""
    if dataset == "semeval2018t5":
        from tollbook.evaluate import semeval

        return semeval.evaluate(path, gazetteers=gazetteers, options=options, limit=limit)
    from tollbook.extract.parallel import extract_many

    if dataset == "seed":
        from tollbook.evaluate import seed
        from tollbook.evaluate.reading import score

        report, reading = seed.read(path)
        events = next(extract_many([report], gazetteers=gazetteers, options=options))
        checks = seed.checks(report, events, reading)
        return {"score": score(checks), "n": len(checks)}, checks
    if dataset == "gva":
        from tollbook.evaluate import gva

        gold, reports = gva.read(path)
        gold = gold[:limit]
        docs = list(dict.fromkeys(d for g in gold for d in g["docs"]))
        events = dict(zip(docs, extract_many([reports[d] for d in docs], workers=workers, gazetteers=gazetteers,
                                             options=options)))
        return gva.score(gold, {d: reports[d] for d in docs}, events), []
    if dataset == "gvdb":
        from tollbook.evaluate import gvdb as mod
    elif dataset == "muc4":
        from tollbook.evaluate import muc4 as mod
    elif dataset == "case2021":
        from tollbook.evaluate import case2021 as mod
    else:
        raise DatasetError(f"unknown dataset {dataset!r} (one of {', '.join(DATASETS)})")
    records = list(mod.read(path))[:limit]
    reports = [r[0] for r in records]
    outcomes = []
    for record, events in zip(records, extract_many(reports, workers=workers, gazetteers=gazetteers,
                                                    options=options)):
        outcomes.append(mod.score_one(events, record[1]))
    return mod.aggregate(outcomes), outcomes


def by_rule(outcomes: Any) -> list[dict[str, Any]]:
    """The values scored, by the rule that made them: how many, how many wrong, for which fields,
    most wrong first. Scorers that judge values one by one put ``(field, rule, ok)`` triples in each
    outcome's ``"rules"``; "(none)" is a value the gold has and tollbook did not make."""
    table: dict[str, dict[str, Any]] = {}
    for outcome in outcomes or ():
        judged = outcome.get("rules", ()) if isinstance(outcome, dict) else getattr(outcome, "rules", ())
        for field, rule, ok in judged:
            row = table.setdefault(rule, {"rule": rule, "scored": 0, "wrong": 0, "fields": {}})
            row["scored"] += 1
            if not ok:
                row["wrong"] += 1
                row["fields"][field] = row["fields"].get(field, 0) + 1
    return sorted(table.values(), key=lambda r: (-r["wrong"], r["rule"]))

