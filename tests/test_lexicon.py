"""Every lexicon table of the extractor is read somewhere: a table nobody reads is a rule that
silently does not exist (a word added to it changes nothing)."""

from __future__ import annotations

import ast
from pathlib import Path

import tollbook

SRC = Path(tollbook.__file__).parent
EXTRACT = SRC / "extract"
CONTAINERS = (ast.Set, ast.Dict, ast.List, ast.Tuple, ast.SetComp, ast.DictComp, ast.ListComp)


def _tables(path: Path) -> list[str]:
    """Module-level UPPER_CASE names bound to a literal set, dict, list or tuple (or one built by a call
    on such a literal, like ``frozenset({...})``)."""
    names = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if isinstance(value, ast.Call) and value.args:
            value = value.args[0]
        if not isinstance(value, CONTAINERS):
            continue
        names += [t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper() and len(t.id) > 1]
    return names


def _reads(paths) -> dict[str, int]:
    """How often each name is read (loaded, as a name or an attribute) in ``paths``."""
    counts: dict[str, int] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                counts[node.id] = counts.get(node.id, 0) + 1
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                counts[node.attr] = counts.get(node.attr, 0) + 1
    return counts


def test_every_lexicon_table_is_read():
    reads = _reads(SRC.rglob("*.py"))
    unread = [f"{path.relative_to(SRC)}:{name}" for path in sorted(EXTRACT.glob("*.py"))
              for name in _tables(path) if not reads.get(name)]
    assert not unread, f"lexicon tables that no code reads (use them or delete them): {unread}"


def test_the_check_finds_an_unread_table(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("USED = {'a'}\nUNUSED = ('b', 'c')\nx = 'a' in USED\n", encoding="utf-8")
    reads = _reads([module])
    assert _tables(module) == ["USED", "UNUSED"]
    assert [t for t in _tables(module) if not reads.get(t)] == ["UNUSED"]
