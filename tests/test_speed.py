"""The cheaper ways the extractor runs spaCy's model give the model's own annotations: the
attribute and lemma tables against the model's attribute ruler and lemmatizer, on invented news
text."""

from __future__ import annotations

import pytest

TEXTS = [
    "Gunmen ain't gonna stop: two men were shot dead on Elm Street in Dayton, Ohio, late Sunday, police said.\n\n"
    "It was the third shooting this week. \"I don't know why they'd do it,\" said a neighbour, who asked "
    "that her name not be used. Let's see what y'all think; there are 14 people in hospital.",
    "THE ARMY SAID THAT FIVE SOLDIERS WERE KILLED WHEN REBELS ATTACKED A POST IN THE NORTH.\n"
    "   Whether or not the attack was planned, it has been condemned.  Nothin' was taken.",
    "Do you have it? I gave it to you. She had done nothing, but he did. If it rains, c'mon in.",
]


@pytest.fixture(scope="module")
def stock():
    """The pinned model exactly as spaCy loads it (with tollbook's line breaks, which run before
    the parser in both)."""
    import spacy

    from tollbook.extract.nlp import MODEL_PACKAGE, load_nlp

    load_nlp()  # registers the line-break component
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.add_pipe("tollbook_line_breaks", before="parser")
    return nlp


def _annotations(doc):
    return [(t.idx, t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_,
             t.is_sent_start) for t in doc]


def test_the_tables_give_what_the_attribute_ruler_and_lemmatizer_give(nlp, stock):
    assert {"attribute_ruler", "lemmatizer"} <= set(stock.pipe_names)
    assert {"tollbook_attribute_table", "tollbook_lemma_table"} <= set(nlp.pipe_names)
    for text in TEXTS:
        ours, theirs = nlp(text), stock(text)
        assert _annotations(ours) == _annotations(theirs)
    ours = nlp("They ai n't coming.")  # a pair pattern: 'ai' + "n't" -> lemma 'be'
    assert [t.lemma_ for t in ours][:3] == [t.lemma_ for t in stock("They ai n't coming.")][:3]


def test_an_attribute_pattern_the_table_cannot_read_keeps_the_ruler(stock):
    from tollbook.extract.nlp import AttributeTable

    ruler = stock.get_pipe("attribute_ruler")
    AttributeTable(ruler)  # the pinned model's patterns are all readable
    ruler.add([[{"LOWER": "a"}, {"LOWER": "b"}, {"LOWER": "c"}]], {"LEMMA": "abc"})
    with pytest.raises(ValueError):
        AttributeTable(ruler)


def test_truecasing_still_knows_the_lemmatizers_words_behind_the_lemma_table(nlp):
    from tollbook.extract.nlp import prepare_text

    assert "tollbook_lemma_table" in nlp.pipe_names
    text = "GUERRILLAS AMBUSHED A PATROL NEAR THE BRIDGE AND KILLED THREE SOLDIERS IN MORAZAN."
    assert prepare_text(text) == "Guerrillas ambushed a patrol near the bridge and killed three soldiers in Morazan."


def _evidence(value):
    """Every Evidence inside a record, however deep."""
    import dataclasses

    from tollbook.records import Evidence

    if isinstance(value, Evidence):
        yield value
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _evidence(getattr(value, f.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _evidence(item)


def test_evidence_points_at_the_reports_own_characters(extractor):
    from tollbook.records import Report

    for text in TEXTS[:2]:
        report = Report.from_text(text)
        found = [ev for event in extractor(report) for ev in _evidence(event)]
        assert found
        assert all(ev.quote == text[ev.start:ev.end] for ev in found)
