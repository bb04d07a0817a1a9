"""Train the event-type classifier shipped in src/tollbook/data/types-textcat (extract/type_model.py).

    python training/train_types.py PATH/TO/case2021/dev.jsonl [--out DIR] [--epochs N] [--seed N]
                                   [--inner]

It trains on the *tune* half of the CASE 2021 development file only (``evaluate.case2021.half``: the
first byte of SHA-256 of the snippet id is even) and prints the classifier's own accuracy and
weighted F1 on the *check* half, which it never sees. ``--inner`` instead holds out every third
tune snippet and reports on it: the way the settings below were chosen, without the check half.
Deterministic: one seed for spaCy, Thinc and the order of the examples. The data card is
docs/type-classifier.md.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

import spacy
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from tollbook.evaluate.case2021 import LABELS, TYPE_OF_LABEL, half, metrics, read
from tollbook.extract.nlp import load_nlp, prepare_text
from tollbook.extract.type_model import MODEL_DIR, features

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = 3  # the lead a calm report is read by (extract/events.py), and most of a snippet
CONFIG = {
    "threshold": 0.5,
    "model": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": True,
        "ngram_size": 2,
        "no_output_layer": False,
        "length": 8192,  # 8192 hashed n-grams x 30 types x 4 bytes: 1 MB
    },
}


def examples(path: str) -> list[tuple[str, str, str]]:
    """(snippet id, classifier text, tollbook type) of every snippet."""
    nlp = load_nlp()
    out = []
    for report, gold in read(path):
        doc = nlp(prepare_text(report.text))
        out.append((gold["id"], features(list(doc.sents)[:SENTENCES]), TYPE_OF_LABEL[gold["label"]]))
    return out


def train(rows: list[tuple[str, str, str]], epochs: int, seed: int):
    fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config=CONFIG)
    for t in TYPE_OF_LABEL.values():
        textcat.add_label(t)
    data = [Example.from_dict(nlp.make_doc(text), {"cats": {t: float(t == label) for t in TYPE_OF_LABEL.values()}})
            for _, text, label in rows]
    optimizer = nlp.initialize(lambda: data)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(data)
        for batch in minibatch(data, size=8):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    return nlp


def score(nlp, rows: list[tuple[str, str, str]]) -> dict[str, float]:
    code = {t: c for c, t in TYPE_OF_LABEL.items()}
    predicted = [code[max(nlp(text).cats.items(), key=lambda kv: kv[1])[0]] for _, text, _ in rows]
    gold = [code[label] for _, _, label in rows]
    assert set(gold) <= set(LABELS)
    return {k: round(v, 4) for k, v in metrics(gold, predicted).items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", help="the CASE 2021 development file (dev.jsonl)")
    ap.add_argument("--out", default=str(ROOT / "src" / "tollbook" / MODEL_DIR))
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--inner", action="store_true", help="hold out a third of the tune half; write nothing")
    args = ap.parse_args()
    rows = examples(args.data)
    tune = [r for r in rows if half(r[0]) == "tune"]
    if args.inner:
        fit = [r for i, r in enumerate(tune) if i % 3]
        held = [r for i, r in enumerate(tune) if not i % 3]
        nlp = train(fit, args.epochs, args.seed)
        print(json.dumps({"trained_on": len(fit), "inner_held_out": score(nlp, held)}))
        return
    nlp = train(tune, args.epochs, args.seed)
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    check = [r for r in rows if half(r[0]) == "check"]
    print(json.dumps({"trained_on": len(tune), "epochs": args.epochs, "seed": args.seed,
                      "check_half": score(nlp, check), "out": str(out)}))


if __name__ == "__main__":
    main()
