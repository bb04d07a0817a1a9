"""People's decisions on the record, replayed over the machine's grouping.

The review log (``reviews`` table) is append-only. Each decision names events by *ref*
("report id#n", the n-th event of a report), never by incident id, so it survives a new run of
extraction or grouping: the machine proposes, the log decides. Replaying the log in order gives
``Constraints`` (events that must / cannot share an incident) and corrections of figures.

Actions and their targets:

- ``merge``: {"a": [refs], "b": [refs]}: the two incidents are one.
- ``split``: {"out": [refs], "rest": [refs]}: ``out`` leaves the incident and stays together.
- ``move``: {"refs": [refs], "from": [refs], "to": ref}: a report's events go to another incident.
- ``correct``: {"refs": [refs], "kind": "killed", "part": "best"|"low"|"high", "value": int}: applies to
  the incident that holds most of ``refs`` (the incident as it was when the person decided).
- ``wrong``: {"refs": [refs], "kind": "killed"}: the reconciled figure is marked wrong.
- ``withdraw``: {"review": id}: the decision ``id`` no longer counts; both stay in the log (who withdrew
  it, when and why), and replaying leaves the withdrawn one out. A withdrawal cannot itself be withdrawn:
  decide again instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tollbook.reconcile.grouping import Constraints

ACTIONS = ("merge", "split", "move", "correct", "wrong", "withdraw")
PARTS = ("low", "best", "high")


@dataclass(slots=True)
class Decisions:
    constraints: Constraints = field(default_factory=Constraints)
    corrections: list[dict[str, Any]] = field(default_factory=list)


def _pairs(xs: list[str], ys: list[str]) -> set[frozenset[str]]:
    return {frozenset((x, y)) for x in xs for y in ys if x != y}


def withdrawn(log: list[dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    """The withdrawn decisions of ``log``: their id -> the withdrawal entry."""
    return {e["target"]["review"]: e for e in log if e["action"] == "withdraw"}


def touched(entry: dict[str, Any]) -> list[str]:
    """The event refs a decision names ("report#n"), in the order its target gives them."""
    t, out = entry.get("target") or {}, []
    for key in ("a", "b", "out", "rest", "refs", "from", "to"):
        value = t.get(key)
        for ref in [value] if isinstance(value, str) else (value or []):
            if ref not in out:
                out.append(ref)
    return out


def describe(entry: dict[str, Any]) -> str:
    """One line of what a decision touched: 'r1a2#0, r3b4#0 + r5c6#0', 'out: r1a2#1 | rest: ...'."""
    t = entry.get("target") or {}
    action = entry["action"]
    if action == "merge":
        return f"{', '.join(t['a'])} + {', '.join(t['b'])}"
    if action == "split":
        return f"out: {', '.join(t['out'])} | rest: {', '.join(t['rest'])}"
    if action == "move":
        return f"{', '.join(t['refs'])} -> incident of {t['to']}"
    if action == "correct":
        return f"{t['kind']} {t['part']} = {t['value']} ({len(t['refs'])} events)"
    if action == "wrong":
        return f"{t['kind']} marked wrong ({len(t['refs'])} events)"
    if action == "withdraw":
        return f"withdraws decision {t['review']}"
    return ""


def replay(log: list[dict[str, Any]]) -> Decisions:
    d = Decisions()
    must, cannot = d.constraints.must, d.constraints.cannot
    gone = withdrawn(log)
    for entry in log:
        action, t = entry["action"], entry["target"]
        if action == "withdraw" or entry.get("id") in gone:
            continue
        if action == "merge":
            across = _pairs(t["a"], t["b"])
            cannot -= across
            must.add(frozenset((t["a"][0], t["b"][0])))
        elif action == "split":
            across = _pairs(t["out"], t["rest"])
            must -= across
            cannot |= across
            must |= {frozenset((t["out"][0], r)) for r in t["out"][1:]}
            # what stays was one incident when the person decided: it stays one, even if the link
            # that held it together (an earlier merge) went with ``out``
            must |= {frozenset((t["rest"][0], r)) for r in t["rest"][1:]}
        elif action == "move":
            across = _pairs(t["refs"], t["from"])
            must -= across
            cannot |= across
            cannot -= _pairs(t["refs"], [t["to"]])
            must.add(frozenset((t["refs"][0], t["to"])))
        elif action in ("correct", "wrong"):
            d.corrections.append(entry)
    return d


def apply_corrections(incidents: list, corrections: list[dict[str, Any]]) -> None:
    """Overrides on the reconciled figures; the machine's values are kept beside them."""
    by_ref = {ref: inc for inc in incidents for ref in inc.refs}
    for c in corrections:
        t = c["target"]
        holders = Counter(by_ref[r].id for r in t["refs"] if r in by_ref)
        if not holders:
            continue  # the events it was about are gone (a report deleted): the log keeps it
        top = max(holders.values())
        inc_id = min(i for i, n in holders.items() if n == top)
        inc = next(i for i in incidents if i.id == inc_id)
        f = inc.figure(t["kind"])
        record = {"id": c.get("id"), "at": str(c.get("at")), "editor": c["editor"], "reason": c["reason"],
                  "action": c["action"], "kind": t["kind"]}
        if c["action"] == "wrong":
            if f is not None:
                f.wrong = True
            inc.corrections.append(record)
            continue
        part, value = t["part"], t["value"]
        if f is None:
            from tollbook.reconcile.incidents import Reconciled

            f = Reconciled(t["kind"], None, None, None, [])
            inc.figures.append(f)
        record |= {"part": part, "value": value, "machine": getattr(f, part)}
        f.machine.setdefault(part, getattr(f, part))
        setattr(f, part, value)
        # keep low <= best <= high: a corrected figure outside the reports' range widens it
        if part == "best" and f.high is not None and value > f.high:
            f.machine.setdefault("high", f.high)
            f.high = value
        if part == "best" and f.low is not None and value < f.low:
            f.machine.setdefault("low", f.low)
            f.low = value
        inc.corrections.append(record)
