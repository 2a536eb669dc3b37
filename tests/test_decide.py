"""The learned relation decisions: candidates, features, weights files and the decision itself, on small sentences."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from kg.extract.article import read_article
from kg.extract.decide import RelationModelError, article_view, candidates, decide, features, load_model
from kg.extract.decide.weights import FORMAT, SHIPPED, PredicateModel, RelationModel, parse_model
from kg.extract.ner.rules import RuleRecognizer
from tests.conftest import make_document

ATTENDANCE = (
    "सम्मेलन में केंद्रीय संगठन विभाग के उप प्रमुख कॉमरेड गुयेन क्वांग डुओंग और कॉमरेड दो वियत आन्ह भी उपस्थित थे।\n"
    "कॉमरेड गुयेन क्वांग डुओंग ने सम्मेलन में भाषण दिया।"
)


def view_of(text: str, lang: str = "hi"):  # noqa: ANN201
    reading = read_article(make_document(text, lang), RuleRecognizer())
    return article_view(reading.document, reading.sentences, reading.mentions, reading.resolution.entity_of, reading.entities, reading.event, reading.rule_relations)


def entity_named(view, label: str) -> str:  # noqa: ANN001
    return next(e.id for e in view.entities.values() if e.label == label)


def test_every_person_and_body_is_a_candidate_attendee_of_the_main_event() -> None:
    view = view_of(ATTENDANCE)
    event = view.main_event.id
    found = {c.key() for c in candidates(view)}
    for label in ("Nguyen Quang Duong", "Do Viet Anh"):
        person = entity_named(view, label)
        assert (person, "attended", event) in found
        assert (person, "spokeAt", event) in found
    body = entity_named(view, "Central Organization Commission")
    assert (body, "attended", event) in found and (body, "organized", event) in found
    assert (entity_named(view, "Nguyen Quang Duong"), "holdsPost", body) in found
    assert not any(c.subject == c.object for c in candidates(view))


def test_a_hindi_possessor_is_no_candidate_participant() -> None:
    view = view_of("सम्मेलन आयोजित हुआ। सम्मेलन में महासचिव तो लाम के निर्देशों पर चर्चा की गई और प्रतिनिधि उपस्थित थे।")
    to_lam = entity_named(view, "To Lam")
    assert not any(c.subject == to_lam and c.predicate in ("attended", "spokeAt", "chaired") for c in candidates(view))


def test_features_say_where_the_cue_stands() -> None:
    view = view_of(ATTENDANCE)
    event = view.main_event.id
    [attend] = [c for c in candidates(view, ("attended",)) if c.subject == entity_named(view, "Do Viet Anh")]
    found = features(view, attend)
    assert {"cue_clause:attended", "cue_near:attended", "obj_main", "rule", "stype:Person"} <= set(found)
    assert "hi|cue_clause:attended" in found  # the language's own copy
    assert "cue_clause:spokeAt" not in found  # the speech is another sentence
    [speech] = [c for c in candidates(view, ("spokeAt",)) if c.subject == entity_named(view, "Nguyen Quang Duong") and c.object == event]
    assert "cue_clause:spokeAt" in features(view, speech)


def test_post_features_see_a_post_between_a_body_and_a_name() -> None:
    view = view_of(ATTENDANCE)
    body = entity_named(view, "Central Organization Commission")
    [held] = [c for c in candidates(view, ("holdsPost",)) if c.subject == entity_named(view, "Nguyen Quang Duong") and c.object == body]
    found = features(view, held)
    assert {"post_between", "o_before", "only_names_and_posts_between", "persons_between:0"} <= set(found)
    [other] = [c for c in candidates(view, ("holdsPost",)) if c.subject == entity_named(view, "Do Viet Anh") and c.object == body]
    assert "persons_between:1" in features(view, other)


def model_of(predicates: dict[str, PredicateModel], own_event: PredicateModel | None = None) -> RelationModel:
    return RelationModel("<test>", predicates, "", own_event)


def test_the_model_decides_its_predicates_and_the_rules_keep_the_others() -> None:
    view = view_of(ATTENDANCE)
    rejecting = model_of({"attended": PredicateModel(-20.0, 0.5, {})})
    relations = decide(view, rejecting)
    assert not any(r.predicate == "attended" for r in relations)
    assert {r.key() for r in relations if r.predicate != "attended"} == {r.key() for r in view.rule_relations if r.predicate != "attended"}
    accepting = model_of({"attended": PredicateModel(-5.0, 0.5, {"cue_clause:attended": 10.0})})
    attended = {r.subject for r in decide(view, accepting) if r.predicate == "attended"}
    assert {entity_named(view, "Nguyen Quang Duong"), entity_named(view, "Do Viet Anh")} <= attended
    learned = [r for r in decide(view, accepting) if r.evidence.rule == "learned:attended"]
    assert learned and all(0.5 <= r.evidence.confidence <= 1.0 for r in learned)


def test_adding_keeps_what_the_rule_found() -> None:
    view = view_of(ATTENDANCE)
    adding = model_of({"attended": PredicateModel(-20.0, 0.5, {}, "add")})
    assert {r.key() for r in decide(view, adding)} == {r.key() for r in view.rule_relations}


def test_the_own_event_chooser_moves_attendance_to_the_event_it_picks() -> None:
    # A national body's numbered meeting: the rules keep their unnamed one (a province's would be taken as the occasion).
    text = "राष्ट्रीय सभा की स्थायी समिति की दूसरी बैठक हनोई में हुई। बैठक में कॉमरेड दो वियत आन्ह उपस्थित थे।"
    view = view_of(text)
    events = view.events()
    assert events[0] == view.main_event.id and len(events) == 2  # the rules' unnamed meeting, then the named one
    target = events[1]
    prefers_named = PredicateModel(-1.0, 0.5, {"obj_named": 5.0, "rules_main": -1.0})
    model = model_of({"attended": PredicateModel(-5.0, 0.5, {"cue_clause:attended": 6.0, "obj_main": 2.0, "obj_other": -8.0})}, prefers_named)
    decided = decide(view, model)
    assert view.own_event == target
    attended = [r for r in decided if r.predicate == "attended"]
    assert attended and {r.object for r in attended} == {view.own_event}


def test_one_occasion_per_participant() -> None:
    view = view_of(ATTENDANCE)
    everything = model_of({"attended": PredicateModel(10.0, 0.5, {})})
    objects: dict[str, set[str]] = {}
    for relation in decide(view, everything):
        if relation.predicate == "attended":
            objects.setdefault(relation.subject, set()).add(relation.object)
    assert objects and all(len(found) == 1 for found in objects.values())


def weights_text(**predicate: object) -> str:
    item = {"intercept": -1.0, "threshold": 0.5, "weights": {"rule": 2.0}, **predicate}
    return json.dumps({"format": FORMAT, "predicates": {"attended": item}})


def test_a_weights_file_is_read_as_data() -> None:
    model = parse_model(weights_text(), "w.json")
    assert model.decides("attended") and not model.decides("holdsPost")
    assert math.isclose(model.predicates["attended"].probability({"rule": 1.0}), 1 / (1 + math.exp(-1.0)))
    assert not parse_model(weights_text(mode="rules"), "w.json").decides("attended")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("{not json", "not valid JSON"),
        ('{"format": "pickle"}', "not a relation weights file"),
        (json.dumps({"format": FORMAT, "predicates": {}}), "no 'predicates'"),
        (weights_text(threshold=1.5), "'threshold'"),
        (weights_text(intercept="x"), "'intercept'"),
        (weights_text(weights={"rule": "NaN"}), "weight of 'rule'"),
        (weights_text(mode="vote"), "'mode'"),
    ],
)
def test_a_corrupted_weights_file_is_one_clear_error(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "weights.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RelationModelError) as error:
        load_model(path)
    assert str(path) in str(error.value) and problem in str(error.value)


def test_a_missing_weights_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RelationModelError, match="not found"):
        load_model(tmp_path / "absent.json")


def test_the_shipped_weights_load() -> None:
    model = load_model(SHIPPED)
    assert model.decides("attended") and model.own_event is not None
