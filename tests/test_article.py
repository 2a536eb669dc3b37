"""Per-article records linked per corpus give exactly the one-pass extraction."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.corpus.build import after_merge, extract, split_judgements
from kg.corpus.judgements import parse_judgements
from kg.corpus.merge import merge_entities
from kg.extract.article import extract_article
from kg.extract.events import main_event, named_main_event
from kg.extract.article_files import read_documents
from kg.extract.ingest import Skipped
from kg.extract.ner import sort_mentions
from kg.extract.ner.rules import RuleRecognizer
from kg.extract.decide import article_view, decide, load_model
from kg.extract.relations import extract_relations
from kg.extract.references import location_label
from kg.extract.resolve import document_province, resolve_documents
from kg.extract.tokenize import tokenize
from kg.graph.export import document_records
from kg.graph.rdf import to_trig, to_turtle
from kg.model import Extraction
from tests.conftest import SEEDS

RULES = RuleRecognizer()


def one_pass_extract(documents, recognizer, judgements=()):  # noqa: ANN001, ANN201
    """The extraction as one pass over the corpus: every document resolved together (the reference)."""
    sentences, mentions = {}, []
    for document in documents:
        sentences[document.id] = tokenize(document)
        mentions.extend(recognizer.recognize(document, sentences[document.id]))
    mentions = sort_mentions(mentions)
    resolution = resolve_documents(documents, mentions)
    entities = {e.id: e for e in resolution.entities}
    relations = []
    for document in documents:
        doc_mentions = [m for m in mentions if m.doc_id == document.id]
        province = document_province(document, doc_mentions)
        event = main_event(document, sentences[document.id], province, location_label(document.lang, province) if province else None, doc_mentions)
        if event:
            event = named_main_event(event, doc_mentions, resolution.entity_of, entities)
            entities[event.id] = event
        ruled = extract_relations(document, sentences[document.id], doc_mentions, resolution.entity_of, entities, event)
        view = article_view(document, sentences[document.id], doc_mentions, resolution.entity_of, entities, event, ruled)
        relations.extend(decide(view, load_model()))
    on_entities, on_events = split_judgements(judgements, entities.values())
    merged = merge_entities(documents, resolution, entities.values(), relations, on_entities)
    final_entities, final_relations = after_merge(merged.entities, merged.relations, on_events)
    return Extraction(documents, sentences, final_entities, final_relations, ner_model=recognizer.name)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list:
    """The seeds and two copies of each (shared keys, seniority, namesakes across articles)."""
    folder = tmp_path_factory.mktemp("corpus")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
        for n in (1, 2):
            shutil.copy(seed, folder / f"copy{n}-{seed.name}")
    return [d for d in read_documents([folder]) if not isinstance(d, Skipped)]


def test_records_give_the_one_pass_extraction_byte_for_byte(corpus: list) -> None:
    expected, got = one_pass_extract(corpus, RULES), extract(corpus, RULES)
    assert to_turtle(got) == to_turtle(expected)
    assert to_trig(got) == to_trig(expected)
    assert document_records(got) == document_records(expected)
    assert got.to_dict() == expected.to_dict()


def test_judgements_apply_to_linked_records_as_to_the_one_pass(corpus: list) -> None:
    plain = one_pass_extract(corpus, RULES)
    person = next(e for e in plain.entities if e.type == "Person" and len(e.docs()) > 1)
    first, second = person.docs()[:2]
    judgements = parse_judgements(f"{first}/{person.id} different {second}/{person.id}\n")
    expected = to_turtle(one_pass_extract(corpus, RULES, judgements))
    assert expected != to_turtle(plain)  # the judgement splits the person
    assert to_turtle(extract(corpus, RULES, judgements=judgements)) == expected


def test_a_record_depends_on_its_article_alone(corpus: list) -> None:
    alone = extract_article(corpus[0], RULES)
    among = [extract_article(d, RULES) for d in corpus][0]
    assert alone.relations == among.relations and alone.records == among.records
    assert [m for m in alone.mentions if m.doc_id != corpus[0].id] == []


def test_a_slim_record_keeps_what_the_corpus_phase_needs(corpus: list) -> None:
    record = extract_article(corpus[0], RULES)
    slim = record.without_text()
    assert slim.document.text == "" and slim.sentences == []
    assert slim.relations == record.relations and slim.mentions == record.mentions


def test_order_of_input_is_the_only_order(tmp_path: Path, corpus: list) -> None:
    """Linking is in corpus order; the same documents in the same order give the same bytes."""
    assert to_turtle(extract(list(corpus), RULES)) == to_turtle(extract(list(corpus), RULES))


CONGRESS_DATED = "निन्ह बिन्ह प्रांतीय पार्टी समिति की 15वीं कांग्रेस 9 अक्टूबर 2025 को हुई। कांग्रेस में कॉमरेड माई वान तुआट ने भाषण दिया। कांग्रेस समाप्त हुई।"
CONGRESS_UNDATED = "निन्ह बिन्ह प्रांतीय पार्टी समिति की 15वीं कांग्रेस में प्रांतीय पार्टी समिति के सचिव माई वान तुआट ने भाषण दिया। कांग्रेस समाप्त हुई।"


def test_a_congress_two_articles_report_takes_their_attributes_in_order() -> None:
    """The named event ends with the attributes the one pass gives it (the later article's, the earlier date kept)."""
    from tests.conftest import make_document

    docs = [make_document(CONGRESS_DATED, doc_id="a"), make_document(CONGRESS_UNDATED, doc_id="b")]
    records = [extract_article(d, RULES) for d in docs]
    assert records[1].event is None and records[1].event_update[1] == {"doc": "b", "main": "true", "province": "ninh-binh"}
    got, expected = extract(docs, RULES), one_pass_extract(docs, RULES)
    congress = "ninh-binh-provincial-party-committee-congress"
    assert got.entity(congress).attrs == expected.entity(congress).attrs
    assert got.entity(congress).attrs["doc"] == "b" and got.entity(congress).attrs["date"] == "2025-10-09"
    # By design an article's posts are dated by that article alone: b names no date.
    secretary = [p for e in got.entities for p in e.posts if p.doc_id == "b"]
    assert secretary and all(p.date is None for p in secretary)
