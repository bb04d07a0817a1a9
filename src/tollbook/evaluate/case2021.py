"""CASE 2021 Task 2 (Haneczok et al. 2021): English news snippets of political violence, protest and
crises, each labelled with one of 30 types: 25 of ACLED's sub-event types and 5 for what lies outside
ACLED (organised crime, natural and man-made disasters, diplomacy, attribution). The system sees the
snippet's text only; its type is the type of the snippet's main event (the first event of role
``main``, else the first event), mapped to a CASE code by ``CASE_CODES``. A snippet that gives no
event is scored as the prediction ``none``: wrong, never dropped.

Metrics (definitions in docs/evaluation.md):

- ``weighted_f1``: per-label F1 over the 30 labels, averaged with each label's support (the number
  of gold snippets) as weight, exactly as scikit-learn's ``f1_score(average="weighted",
  labels=LABELS)``; a label never predicted has precision 0.
- ``macro_f1``: the unweighted mean of the 30 per-label F1s.
- ``accuracy``: snippets whose predicted label is the gold label.
- ``event_type_accuracy``: snippets whose predicted label has the gold label's ACLED event type
  (Battles, Explosions/Remote violence, Violence against civilians, Protests, Riots, Strategic
  developments; the 5 others count as one class, "Out of scope").

The split. The development file is divided by a stable hash of each snippet's ``id`` (``half``):
the first byte of SHA-256 of the id, even -> ``tune``, odd -> ``check``. Rules are tuned on the
errors of the tune half only; every run reports the metrics of both halves and of the whole
(``tune_*``, ``check_*`` and the plain names).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tollbook.evaluate._jsonl import records
from tollbook.records import Event, Report, acled_event_type

# tollbook's event type -> CASE 2021 label
CASE_CODES: dict[str, str] = {
    "Armed clash": "ARMED_CLASH",
    "Government regains territory": "GOV_REGAINS_TERIT",
    "Non-state actor overtakes territory": "NON_STATE_ACTOR_OVERTAKES_TER",
    "Chemical weapon": "CHEM_WEAP",
    "Air/drone strike": "AIR_STRIKE",
    "Suicide bomb": "SUIC_BOMB",
    "Shelling/artillery/missile attack": "ART_MISS_ATTACK",
    "Remote explosive/landmine/IED": "REM_EXPLOS",
    "Grenade": "GRENADE",
    "Sexual violence": "SEX_VIOL",
    "Attack": "ATTACK",
    "Abduction/forced disappearance": "ABDUCT_DISSAP",
    "Peaceful protest": "PEACE_PROTEST",
    "Protest with intervention": "PROTEST_WITH_INTER",
    "Excessive force against protesters": "FORCE_AGAINST_PROTEST",
    "Violent demonstration": "VIOL_DEMONSTR",
    "Mob violence": "MOB_VIOL",
    "Agreement": "AGREEMENT",
    "Arrests": "ARREST",
    "Change to group/activity": "CHANGE_TO_GROUP_ACT",
    "Disrupted weapons use": "DISR_WEAP",
    "Headquarters or base established": "HQ_ESTABLISHED",
    "Looting/property destruction": "PROPERTY_DISTRUCT",
    "Non-violent transfer of territory": "NON_VIOL_TERRIT_TRANSFER",
    "Other": "OTHER",
    "Organized crime": "ORG_CRIME",
    "Natural disaster": "NATURAL_DISASTER",
    "Man-made disaster": "MAN_MADE_DISASTER",
    "Diplomacy": "DIPLO",
    "Attribution": "ATTRIB",
}
LABELS = tuple(CASE_CODES.values())
TYPE_OF_LABEL = {code: t for t, code in CASE_CODES.items()}
NONE = "none"  # the prediction for a snippet that gives no event
METRICS = ("weighted_f1", "macro_f1", "accuracy", "event_type_accuracy")
HALVES = ("tune", "check")


def half(snippet_id: str) -> str:
    """The half of the development file a snippet belongs to: stable, from its id alone."""
    return "tune" if hashlib.sha256(snippet_id.encode("utf-8")).digest()[0] % 2 == 0 else "check"


@dataclass(slots=True)
class Outcome:
    id: str
    half: str
    gold: str
    predicted: str
    rule: str  # the rule that chose the predicted type ("" for none)
    text: str

    @property
    def rules(self) -> list[tuple[str, str, bool]]:
        """(field, rule, right?) for ``--by-rule``."""
        return [("type", self.rule or "(none)", self.predicted == self.gold)]


def read(path: str | Path) -> Iterator[tuple[Report, dict[str, str]]]:
    from tollbook.errors import DatasetError

    for rec in records(path, "case2021", ("id", "text", "label")):
        if rec["label"] not in LABELS:
            raise DatasetError(f"case2021: snippet {rec['id']}: unknown label {rec['label']!r} "
                               f"(one of {', '.join(LABELS)})")
        sid = str(rec["id"])
        gold = {"id": sid, "label": rec["label"], "text": rec["text"]}
        yield Report.from_text(rec["text"], title=f"case2021-{sid}"), gold


def main_event(events: Sequence[Event]) -> Event | None:
    return next((e for e in events if e.role == "main"), events[0] if events else None)


def score_one(events: Sequence[Event], gold: dict[str, str]) -> Outcome:
    event = main_event(events)
    predicted = CASE_CODES[event.type] if event is not None else NONE
    return Outcome(gold["id"], half(gold["id"]), gold["label"], predicted, event.rule if event else "",
                   gold.get("text", ""))


def event_type_of(label: str) -> str:
    """ACLED's event type of a CASE label ("Out of scope" for the five outside ACLED; "none" for none)."""
    return acled_event_type(TYPE_OF_LABEL[label]) if label in TYPE_OF_LABEL else NONE


def per_label(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support of each of the 30 labels (0 where undefined, as scikit-learn
    reports with zero_division=0)."""
    pairs = list(zip(gold, predicted))
    out = {}
    for label in LABELS:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        n_pred = sum(1 for _, p in pairs if p == label)
        support = sum(1 for g, _ in pairs if g == label)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    return out


def metrics(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """weighted_f1, macro_f1, accuracy, event_type_accuracy and n of one set of predictions."""
    n = len(gold)
    if n == 0:
        return {**{m: 0.0 for m in METRICS}, "n": 0}
    table = per_label(gold, predicted)
    total = sum(row["support"] for row in table.values())
    return {
        "weighted_f1": sum(row["f1"] * row["support"] for row in table.values()) / total if total else 0.0,
        "macro_f1": sum(row["f1"] for row in table.values()) / len(LABELS),
        "accuracy": sum(1 for g, p in zip(gold, predicted) if g == p) / n,
        "event_type_accuracy": sum(1 for g, p in zip(gold, predicted)
                                   if p != NONE and event_type_of(g) == event_type_of(p)) / n,
        "n": n,
    }


def aggregate(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """The metrics of the whole file, then of each half (``tune_weighted_f1``, ``check_weighted_f1``, ...)."""
    out: dict[str, Any] = metrics([o.gold for o in outcomes], [o.predicted for o in outcomes])
    for h in HALVES:
        part = [o for o in outcomes if o.half == h]
        for k, v in metrics([o.gold for o in part], [o.predicted for o in part]).items():
            out[f"{h}_{k}"] = v
    out["no_event"] = sum(1 for o in outcomes if o.predicted == NONE) / len(outcomes) if outcomes else 0.0
    return out


def label_table(outcomes: Sequence[Outcome]) -> list[list[Any]]:
    """Rows of label, precision, recall, F1, support, most frequent wrong prediction: for people."""
    table = per_label([o.gold for o in outcomes], [o.predicted for o in outcomes])
    rows = []
    for label, row in sorted(table.items(), key=lambda kv: -kv[1]["support"]):
        wrong = Counter(o.predicted for o in outcomes if o.gold == label and o.predicted != label)
        rows.append([label, f"{row['precision']:.2f}", f"{row['recall']:.2f}", f"{row['f1']:.2f}", row["support"],
                     ", ".join(f"{p} ({c})" for p, c in wrong.most_common(2))])
    return rows
