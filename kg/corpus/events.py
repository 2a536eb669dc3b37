"""One event per real event: the articles' main events merged across articles.

Each article that reports an unnamed occasion gets a main event of its own
(``kg.extract.events.main_event``: "Conference in Ha Tinh on 9 October").
The same conference reported by several articles (a story in Hindi and in
Arabic, a follow-up, a syndicated copy) is one event. Two main events are
merged when they

- are of the same kind (conference, meeting, congress…),
- are dated the same day (a full date, or the same day and month where the
  articles give no year), and
- are placed in the same province,

and share at least one participant or organiser (a person or body that
chaired, attended, spoke at or organised both, after persons and bodies were
merged across articles). Kind, day and place alone are not enough: two
communes of one province may hold their congresses on the same day.

The merged event keeps the id of its first report (the smallest id: stable
when articles are added) and is reported in every article
(``also_reported_in``); each article's relations and their evidence stay as
they were, pointing at the merged event. Named events (the 13th National
Congress) need none of this: their key already makes them one.

Same-kind, same-day, same-place events that share nobody stay apart and are
listed by ``kg review`` for the user to judge.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from kg.corpus.judgements import Linker
from kg.extract.decide.article import PARTICIPATION  # a person's or body's part in an event
from kg.model import ALSO_REPORTED, Entity, Relation



@dataclass
class EventMerge:
    entities: list[Entity]
    relations: list[Relation]
    id_of: dict[str, str]  # merged event id -> the event it became


def event_key(entity: Entity) -> tuple[str, str, str] | None:
    """(kind, day, province) of a main event that can be compared, else None."""
    attrs = entity.attrs
    if entity.type != "Event" or attrs.get("main") != "true":
        return None
    kind, date, province = attrs.get("event_type", ""), attrs.get("date", ""), attrs.get("province", "")
    if not (kind and date and province):
        return None
    return kind, date, province


def merge_events(entities: list[Entity], relations: list[Relation], judgements: Iterable = ()) -> EventMerge:
    """The corpus with same-kind, same-day, same-place main events that share a participant merged.

    The user's judgements (``kg judge E1 same E2``, by event id) decide first:
    ``same`` merges two such events without a shared participant, ``different``
    keeps them apart.
    """
    groups: dict[tuple[str, str, str], list[Entity]] = defaultdict(list)
    for entity in entities:
        key = event_key(entity)
        if key is not None:
            groups[key].append(entity)
    candidates = [sorted(e.id for e in group) for group in groups.values() if len(group) > 1]
    if not candidates:
        return EventMerge(entities, relations, {})
    taking_part: dict[str, set[str]] = defaultdict(set)
    for relation in relations:
        if relation.predicate in PARTICIPATION:
            taking_part[relation.object].add(relation.subject)
    id_of = merged_event_ids(candidates, taking_part, judgements)
    if not id_of:
        return EventMerge(entities, relations, {})
    by_id = {e.id: e for e in entities}
    reports = also_reported(id_of, lambda event_id: by_id[event_id].reported_in())
    kept = []
    for entity in entities:
        if entity.id in id_of:
            continue
        if entity.id in reports:
            entity = replace(entity, attrs={**entity.attrs, ALSO_REPORTED: reports[entity.id]})
        kept.append(entity)
    moved = [replace(r, object=id_of.get(r.object, r.object), subject=id_of.get(r.subject, r.subject)) if (r.object in id_of or r.subject in id_of) else r for r in relations]
    moved.sort(key=lambda r: (r.subject, r.predicate, r.object, r.evidence.doc_id, r.evidence.sentence, r.evidence.start))
    return EventMerge(kept, moved, id_of)


def merged_event_ids(candidates: list[list[str]], taking_part: dict[str, set[str]], judgements: Iterable = ()) -> dict[str, str]:
    """Merged event id -> the event it becomes, for ``candidates`` (groups of event ids of one kind, day and
    place, each sorted) with the participants of each event in ``taking_part``."""
    said: dict[tuple[str, str], str] = {}
    for judgement in judgements:
        said[tuple(sorted((judgement.a.split("/", 1)[-1], judgement.b.split("/", 1)[-1])))] = judgement.verdict
    id_of: dict[str, str] = {}
    for group in candidates:
        linker = Linker(group)  # the entity merge's union-find: "different" holds through every join
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if said.get((a, b)) == "different":
                    linker.forbid(a, b)
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                verdict = said.get((a, b))
                if verdict == "same" or (verdict != "different" and taking_part.get(a, set()) & taking_part.get(b, set())):
                    linker.union(a, b)
        for members in linker.clusters().values():
            first = min(members)
            id_of.update({member: first for member in members if member != first})
    return id_of


def also_reported(id_of: dict[str, str], reported_in: Callable[[str], list[str]]) -> dict[str, str]:
    """Each event others were merged into -> its ``ALSO_REPORTED`` value: the other articles reporting it, as JSON."""
    docs: dict[str, list[str]] = defaultdict(list)
    for merged_id, root in sorted(id_of.items()):
        docs[root].extend(reported_in(merged_id))
    reports = {}
    for root, found in docs.items():
        own = reported_in(root)
        reports[root] = json.dumps(sorted(set(found) - set(own[:1])), ensure_ascii=False)
    return reports
