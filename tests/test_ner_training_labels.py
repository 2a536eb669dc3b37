"""Gold mentions projected onto the pipeline's tokens, and the silver labeller."""

from __future__ import annotations

from kg.extract.ingest import document_from_text
from kg.extract.ner.rules import RuleRecognizer
from kg.extract.ner.training.labels import CONFIDENT_SOURCES, bio_tags, label_gold, label_silver, outermost
from kg.extract.tokenize import tokenize
from kg.model import Mention


def document(text: str, lang: str | None = None):  # noqa: ANN201
    return document_from_text(text, "doc", "doc.txt", "doc.txt", lang)


def tagged(sentence) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(t, tag) for t, tag in zip(sentence.tokens, sentence.tags) if tag != "O"]


def test_every_occurrence_of_a_gold_mention_is_tagged_on_token_edges() -> None:
    doc = document("गुयेन वान आन ने सम्मेलन में भाषण दिया। बाद में गुयेन वान आन ने कहा।")
    entities = [{"type": "Person", "mentions": ["गुयेन वान आन"]}, {"type": "Person", "mentions": ["आन"]}]
    first, second = label_gold(doc, tokenize(doc), entities)
    assert tagged(first) == [("गुयेन", "B-PER"), ("वान", "I-PER"), ("आन", "I-PER")]
    assert tagged(second) == tagged(first)  # the longer mention wins over the nested one


def test_a_mention_inside_a_word_is_not_an_occurrence() -> None:
    doc = document("आनंद ने कहा।")
    (sentence,) = label_gold(doc, tokenize(doc), [{"type": "Person", "mentions": ["आन"]}])
    assert sentence.tags == ("O",) * len(sentence.tokens)


def test_arabic_proclitic_before_a_gold_mention_is_tagged_with_it() -> None:
    doc = document("شارك ممثلو وجبهة الوطن في المؤتمر.")
    (sentence,) = label_gold(doc, tokenize(doc), [{"type": "Organization", "mentions": ["جبهة الوطن"]}])
    assert tagged(sentence) == [("وجبهة", "B-ORG"), ("الوطن", "I-ORG")]


def test_nested_gold_mentions_become_the_outermost_span_and_events_stay_untagged() -> None:
    doc = document("प्रांतीय पार्टी समिति के निरीक्षण आयोग की बैठक हुई।")
    entities = [
        {"type": "Organization", "mentions": ["प्रांतीय पार्टी समिति के निरीक्षण आयोग", "प्रांतीय पार्टी समिति"]},
        {"type": "Event", "mentions": ["बैठक"]},
    ]
    (sentence,) = label_gold(doc, tokenize(doc), entities)
    tags = dict(zip(sentence.tokens, sentence.tags))
    assert tags["प्रांतीय"] == "B-ORG" and tags["आयोग"] == "I-ORG" and tags["बैठक"] == "O"


def test_outermost_keeps_the_longest_of_overlapping_spans() -> None:
    assert outermost([(0, 5, "ORG"), (0, 12, "ORG"), (10, 20, "LOC"), (13, 20, "LOC")]) == [(0, 12, "ORG"), (13, 20, "LOC")]


def test_bio_tags_tag_tokens_overlapping_a_span() -> None:
    doc = document("ab cd ef", "hi")
    tokens = tokenize(doc)[0].tokens
    assert bio_tags(tokens, [(3, 8, "LOC")]) == ("O", "B-LOC", "I-LOC")


def test_silver_keeps_sentences_the_rules_are_sure_of_and_drops_the_rest() -> None:
    doc = document("वियतनाम फादरलैंड फ्रंट की बैठक हुई। झिंग झांग फ़ू ने कहा।")
    sentences = tokenize(doc)
    mentions = RuleRecognizer().recognize(doc, sentences)
    labelled = label_silver(doc, sentences, mentions)
    kept = [" ".join(s.tokens) for s in labelled]
    assert any("फादरलैंड" in k for k in kept)
    assert all(m.source in CONFIDENT_SOURCES for m in mentions if m.start < sentences[0].end and m.type != "Event")
    front = next(s for s in labelled if "फादरलैंड" in s.tokens)
    assert "B-ORG" in front.tags


def test_silver_drops_a_sentence_with_an_unsure_rule_mention() -> None:
    doc = document("अनुकरण समिति ने बैठक की।", "hi")
    sentences = tokenize(doc)
    unsure = Mention(doc_id="doc", start=0, end=12, text=doc.text[0:12], type="Organization", source="rule:grammar:core", sentence=0)
    assert label_silver(doc, sentences, [unsure]) == []
    sure = Mention(doc_id="doc", start=0, end=12, text=doc.text[0:12], type="Organization", source="rule:lexicon:body", sentence=0)
    (sentence,) = label_silver(doc, sentences, [sure])
    assert sentence.tags[:2] == ("B-ORG", "I-ORG")
