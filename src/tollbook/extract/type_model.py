"""A small trained text classifier of ACLED sub-event types: the fallback of the type rules.

Contract. ``guess(sents)`` returns the classifier's types for the sentences that tell an event, best
first, each with its probability; ``features(sents)`` is the text the classifier reads (the same at
training and at use). ``extract/types.py`` asks it only where its rules are unsure (the default
``types.attack`` rule, the toll with no word of how, a calm report none of its rules reads) and takes
its answer only above a probability and within what the event allows (docs/model.md).

The model is a spaCy ``textcat`` (bag of words and word pairs, ``TextCatBOW``: one weight per hashed
n-gram and type) trained by ``training/train_types.py`` on the tune half of the CASE 2021 development
snippets; its data card is ``docs/type-classifier.md``. It reads lemmas, not words, and masks names,
places, dates and numbers (``xgpe``, ``xperson``, ``xnum``, ...): a type is told by what was done,
not by where or to whom, and a few hundred snippets are too few to learn the same from every form
of a word.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from spacy.tokens import Span

MODEL_DIR = "data/types-textcat"
# Entities whose words tell nothing of the type: a place, a person, a date, a number.
MASKED = frozenset({"GPE", "LOC", "PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENT",
                    "FAC"})
# Long reports: the event's sentences are read, at most this many tokens of them.
MAX_TOKENS = 160


def model_path() -> Path:
    return Path(str(resources.files("tollbook").joinpath(MODEL_DIR)))


def features(sents: Sequence[Span]) -> str:
    """The sentences as the classifier reads them: lower-case lemmas, masked entities and numbers,
    no punctuation."""
    out: list[str] = []
    for sent in sents:
        for tok in sent:
            if tok.is_punct or tok.is_space:
                continue
            if tok.ent_type_ in MASKED:
                word = "x" + tok.ent_type_.lower()
                if out and out[-1] == word:
                    continue  # "New York City" is one place
            elif tok.like_num:
                word = "xnum"
            else:
                word = tok.lemma_.lower().strip() or tok.lower_
            out.append(word)
            if len(out) >= MAX_TOKENS:
                return " ".join(out)
    return " ".join(out)


@functools.cache
def load():  # -> spacy.language.Language with one "textcat" pipe
    """The shipped classifier (cached per process)."""
    import spacy

    from tollbook.errors import ModelError

    path = model_path()
    if not (path / "config.cfg").is_file():
        raise ModelError(f"the event-type classifier is missing from the package ({MODEL_DIR}): "
                         "reinstall tollbook or run training/train_types.py")
    return spacy.load(path)


def guess(sents: Sequence[Span]) -> list[tuple[str, float]]:
    """The classifier's types for the sentences, best first, with their probabilities."""
    text = features(sents)
    if not text:
        return []
    doc = load()(text)
    return sorted(doc.cats.items(), key=lambda kv: -kv[1])
