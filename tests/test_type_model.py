"""The trained event-type classifier (extract/type_model.py): shipped in the package, small, and
asked only where the type rules are unsure (extract/types.py, docs/type-classifier.md)."""

from __future__ import annotations

from tollbook.extract import Extractor, type_model, types
from tollbook.extract.nlp import load_nlp
from tollbook.extract.rules import get
from tollbook.records import EVENT_TYPES, Report


def _size(path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def test_the_shipped_model_loads_and_is_small():
    nlp = type_model.load()
    assert nlp.pipe_names == ["textcat"]
    assert set(nlp.get_pipe("textcat").labels) == set(EVENT_TYPES)
    assert _size(type_model.model_path()) < 5_000_000


def test_it_reads_lemmas_with_places_and_numbers_masked():
    doc = load_nlp()("Gunmen killed 12 people in Kabul on Monday.")
    text = type_model.features(list(doc.sents))
    assert "kabul" not in text and "12" not in text
    assert "xgpe" in text and "kill" in text
    ranked = type_model.guess(list(doc.sents))
    assert len(ranked) == len(EVENT_TYPES)
    assert abs(sum(p for _, p in ranked) - 1.0) < 1e-3
    assert ranked == sorted(ranked, key=lambda kv: -kv[1])


def test_a_long_report_is_read_within_a_budget():
    doc = load_nlp()("Soldiers and rebels clashed near the river. " * 200)
    assert len(type_model.features(list(doc.sents)).split()) == type_model.MAX_TOKENS


def test_its_type_is_taken_where_the_rules_are_unsure_and_named_by_its_rule():
    text = "Hundreds of workers and office staff brought hospitals and schools to a standstill in twelve provinces."
    assert types.classify(None, list(load_nlp()(text).sents)) == ("Peaceful protest", types.R_CLASSIFIER)
    events = Extractor()(Report.from_text(text))
    assert [(e.type, e.rule) for e in events] == [("Peaceful protest", types.R_CLASSIFIER)]
    assert get(types.R_CLASSIFIER).stage == "types"


def test_it_never_retypes_a_deed_that_hurt_or_names_its_victims():
    text = ("During the shoot-out between the bandits and the soldiers, two soldiers were wounded and a farmer "
            "was killed.")
    sents = list(load_nlp()(text).sents)
    best, p = type_model.guess(sents)[0]
    assert best == "Armed clash" and p >= types.CLASSIFIER_MIN
    assert types.classify("attack", sents, victims=True) == ("Attack", types.R_ATTACK)
    event = Extractor()(Report.from_text(text))[0]
    assert any(a.role == "victim" for a in event.actors)
    assert (event.type, event.rule) == ("Attack", types.R_ATTACK)


def test_a_specific_rule_is_never_overruled():
    text = "During the shoot-out between the bandits and the soldiers, a hand grenade wounded two soldiers."
    sents = list(load_nlp()(text).sents)
    best, p = type_model.guess(sents)[0]
    assert best == "Armed clash" and p >= types.CLASSIFIER_MIN  # the classifier is sure of something else...
    event = Extractor()(Report.from_text(text))[0]
    assert (event.type, event.rule) == ("Grenade", types.R_GRENADE)  # ...and the grenade rule stands


def test_an_unsure_classifier_leaves_the_default():
    text = "Gunmen shot dead three villagers in Dorvale on Friday night."
    assert type_model.guess(list(load_nlp()(text).sents))[0][1] < types.CLASSIFIER_MIN
    event = Extractor()(Report.from_text(text))[0]
    assert (event.type, event.rule) == ("Attack", types.R_ATTACK)
