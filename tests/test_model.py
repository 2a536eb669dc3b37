"""The data model: records pickle to what they were (a worker's records reach the build whole)."""

from __future__ import annotations

import pickle

from kg.extract.article import extract_article
from kg.extract.ingest import read_document
from kg.extract.ner.rules import RuleRecognizer
from kg.model import Evidence, Mention, Post, Relation
from tests.conftest import SEEDS


def test_an_article_record_pickles_to_an_equal_record() -> None:
    record = extract_article(read_document(SEEDS / "000_6c5f65b621f6c69c.txt"), RuleRecognizer())
    again = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == record
    assert again.records and again.records[0].syllables == record.records[0].syllables  # resolver records and their name syllables


def test_default_fields_survive_a_pickle() -> None:
    mention = Mention("d", 0, 1, 4, "abc", "Person", "rules")
    relation = Relation("a", "attended", "b", Evidence("d", 0, 1, 4, "abc", "rule", 0.5), post=None)
    for value in (mention, relation, Post("Secretary", None, "d")):
        again = pickle.loads(pickle.dumps(value))
        assert again == value and hash(again) == hash(value)
