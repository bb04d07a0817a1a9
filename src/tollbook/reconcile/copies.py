"""Syndicated copies: the same wire story, lightly edited, printed by many outlets.

A copy is not an independent source: forty outlets printing one agency's story is one account
of the event, not forty. Copies are found by the resemblance of their texts: each report's
word 5-grams ("shingles") are summarised by a MinHash signature, and a locality-sensitive hash
index (``datasketch.MinHashLSH``) finds the stored reports whose signatures agree enough; a
report whose estimated Jaccard resemblance to one of those is at least ``THRESHOLD`` joins its
story. Independently written reports of one event share names, places and numbers but few
runs of five words (their resemblance is well under 0.1); a wire story with a new headline, a
dropped last paragraph or an outlet's boilerplate keeps most of them (over 0.6).

Reports stay stored one by one (each keeps its own custody); only their ``story`` is shared.
Exact duplicates never get here: the same text is stored once (ingest).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from tollbook.ingest.sources import outlet_key

NUM_PERM = 64
SHINGLE = 5  # words
THRESHOLD = 0.5  # estimated Jaccard resemblance of shingle sets
MIN_WORDS = 25  # shorter texts are not compared: a few shared phrases would make them "copies"
SCHEME = "affine64"  # named, so signatures read back with the scheme that made them
_SEED = 16  # fixed, so signatures stored by one run compare with those of the next

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    """The text's runs of ``k`` words, case and punctuation aside."""
    words = _WORD.findall(text.casefold())
    if len(words) < max(k, MIN_WORDS):
        return set()
    return {" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


def signature(text: str):
    """The text's MinHash (``datasketch.MinHash``), or None when it is too short to compare."""
    from datasketch import MinHash

    found = shingles(text)
    if not found:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=SCHEME)
    m.update_batch(list(found))
    return m


def to_bytes(m) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint64).tobytes()


def from_bytes(data: bytes):
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=SCHEME,
                   hashvalues=np.frombuffer(data, dtype=np.uint64).copy())


class StoryIndex:
    """Reports' signatures and stories, for finding the story a new report is a copy of."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        # the index is asked for candidates well below the threshold (its banding misses some pairs
        # near it); each candidate is then checked against the threshold itself
        self._lsh = MinHashLSH(threshold=threshold * 0.6, num_perm=NUM_PERM)
        self._sigs: dict[str, object] = {}
        self.story: dict[str, str] = {}  # report id -> story id

    def __len__(self) -> int:
        return len(self.story)

    def load(self, rows: Iterable[tuple[str, str, bytes | None]]) -> None:
        """Stored (report id, story id, signature) rows."""
        for report_id, story_id, sig in rows:
            self.story[report_id] = story_id
            if sig is not None:
                m = from_bytes(sig)
                self._sigs[report_id] = m
                self._lsh.insert(report_id, m)

    def add(self, report_id: str, text: str) -> tuple[str, bytes | None]:
        """File a new report; returns its story id (its own id unless it copies a stored story)
        and its signature to store."""
        if report_id in self.story:
            sig = self._sigs.get(report_id)
            return self.story[report_id], to_bytes(sig) if sig is not None else None
        m = signature(text)
        story = report_id
        if m is not None:
            best = 0.0
            for other in self._lsh.query(m):
                resemblance = m.jaccard(self._sigs[other])
                # the closest wins; ties go to the older story, so a story's id never changes
                if resemblance >= self.threshold and (resemblance, story == report_id) > (best, False):
                    best, story = resemblance, self.story[other]
            self._sigs[report_id] = m
            self._lsh.insert(report_id, m)
        self.story[report_id] = story
        return story, to_bytes(m) if m is not None else None


def stories_of(report_ids: Iterable[str], story: dict[str, str]) -> list[list[str]]:
    """The reports grouped by story, each group sorted, groups in the order of their first report."""
    groups: dict[str, list[str]] = {}
    for rid in sorted(set(report_ids)):
        groups.setdefault(story.get(rid, rid), []).append(rid)
    return list(groups.values())


def independent_sources(reports: Iterable) -> int:
    """How many independent sources ``reports`` are: reports from one outlet count once (its domain,
    archive wrappers unwrapped: ingest.sources.outlet_key), and so do
    copies of one story wherever they were printed (both join one source; a report's ``story``
    attribute, when set, names its story)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in reports:
        me = find("r:" + r.id)
        for key in ("s:" + outlet_key(r), "t:" + (getattr(r, "story", None) or r.id)):
            parent[find(key)] = me
    return len({find("r:" + k[2:]) for k in list(parent) if k.startswith("r:")})


def copies_together(constraints, events, refs, reports) -> None:
    """Copies of one story report one event: the main event of each copy must be in the incident of
    the main event of the story's first report (``must`` pairs added to ``constraints``), unless a
    person decided they cannot be (the review log wins)."""
    lead: dict[str, str] = {}  # report id -> the ref of its first main event
    for e, ref in zip(events, refs):
        if e.role == "main":
            rid = e.report_id
            if rid not in lead or _n(ref) < _n(lead[rid]):
                lead[rid] = ref
    by_story: dict[str, list[str]] = {}
    for rid in sorted(lead):
        story = getattr(reports.get(rid), "story", None)
        if story:
            by_story.setdefault(story, []).append(rid)
    for story, rids in by_story.items():
        if len(rids) < 2:
            continue
        anchor = lead[story] if story in lead else lead[rids[0]]
        for rid in rids:
            pair = frozenset((anchor, lead[rid]))
            if len(pair) == 2 and pair not in constraints.cannot:
                constraints.must.add(pair)


def _n(ref: str) -> int:
    return int(ref.rsplit("#", 1)[1])
