"""The relations of structure and place: organs and branches of bodies, and where bodies and the article's event are.

``StructureAndPlaces`` is a part of ``kg.extract.relations.RelationExtractor``
(its views, entities, main event and ``add``): the rules that read a body's
parent from its name or the gazetteer, a body's place, and the place the
article's own event was held at.
"""

from __future__ import annotations

from collections.abc import Callable

from kg.extract import gazetteer
from kg.extract.events import UNNAMED
from kg.extract.lexicon import Lexicon, Match
from kg.extract.posts import SentenceView
from kg.model import Entity, Evidence, Mention, Relation

VENUE_SENTENCES = 2  # the lead sentences about the event that may name where it was held

# Places below a province, the most specific first.
PLACE_SPECIFICITY = {"village": 0, "ward": 1, "commune": 1, "town": 2, "district": 3}


class StructureAndPlaces:
    """subOrganizationOf and locatedIn, for ``RelationExtractor``."""

    views: list[SentenceView]
    entities: dict[str, Entity]
    entity_of: dict[Mention, str]
    main_event: Entity | None
    relations: list[Relation]
    events: Lexicon
    lang: str
    add: Callable[..., None]
    evidence: Callable[..., Evidence]
    sentence_triggers: Callable[..., list[Match]]


    def extract_sub_organizations(self, view: SentenceView) -> None:
        orgs = [m for m in view.mentions if m.type == "Organization"]
        tokens = view.sentence.tokens
        for child in view.outer_of_type("Organization"):
            end = view.token_range(child)[1]
            if end + 1 < len(tokens) and tokens[end].text == "(":
                parent = next((m for m in view.outer_of_type("Organization") if view.token_range(m)[0] == end + 1), None)
                if parent and self.entity_of[parent] != self.entity_of[child]:
                    self.add(self.entity_of[child], "subOrganizationOf", self.entity_of[parent], self.evidence(view, "parenthesised-parent", 0.7, [child, parent]))
        events = [m for m in view.mentions if m.type == "Event"]
        for outer in orgs:
            # A body inside an event's name (the committee for the 80th anniversary of X) owns the event, not the outer body.
            inner = [
                m for m in orgs
                if m is not outer and outer.start <= m.start and m.end <= outer.end and (m.start, m.end) != (outer.start, outer.end)
                and not any(e.start <= m.start and m.end <= e.end for e in events)
            ]
            if not inner:
                continue
            # Hindi names the parent first (X की स्थायी समिति); Arabic last (لجنة … للجنة الحزب).
            if self.lang == "ar":
                parent = max(inner, key=lambda m: (m.end - m.start, -m.start))
            else:
                parent = max(inner, key=lambda m: (m.start == outer.start, m.end - m.start))
            child_id, parent_id = self.entity_of[outer], self.entity_of[parent]
            if child_id != parent_id and not self.is_branch_of(child_id, parent_id):
                self.add(child_id, "subOrganizationOf", parent_id, self.evidence(view, "nested-name", 0.7, [outer]))

    def extract_organs(self) -> None:
        """An organ (a standing or executive committee) belongs to its body when the article names that body too.

        The nested-name rule sees an organ written with its body; this one sees it
        named apart (स्थायी समिति … प्रांतीय पार्टी समिति), through ``gazetteer.organs``.
        """
        first: dict[str, tuple[SentenceView, Mention]] = {}
        for view in self.views:
            for mention in view.outer_of_type("Organization"):
                first.setdefault(self.entity_of[mention], (view, mention))
        by_body = {(e.attrs.get("body", e.id), e.attrs.get("province")): e.id for e in self.entities.values() if e.type == "Organization"}
        for entity_id, (view, mention) in sorted(first.items()):
            entity = self.entities[entity_id]
            body = gazetteer.canonical_id(entity.attrs.get("body", entity_id))
            if gazetteer.organ_name(body) is None:
                continue
            parent_id = by_body.get((gazetteer.parent(body), entity.attrs.get("province")))
            known = any(r.subject == entity_id and r.predicate == "subOrganizationOf" and r.object == parent_id for r in self.relations)
            if parent_id and parent_id in first and not known:
                self.add(entity_id, "subOrganizationOf", parent_id, self.evidence(view, "organ-of-body", 0.7, [mention]))

    def is_branch_of(self, child_id: str, parent_id: str) -> bool:
        """A province's (commune's) branch of the Front or a mass organisation, named with the national body's name inside.

        The graph keeps subOrganizationOf for a body's organs (its standing committee, its
        commissions, its central committee); a local branch is located in its place instead.
        """
        child, parent = self.entities.get(child_id), self.entities.get(parent_id)
        if child is None or parent is None or not self.is_local(child_id) or self.is_local(parent_id):
            return False
        return gazetteer.local_branch(parent_id) is not None

    def extract_locations(self) -> None:
        first_mention: dict[str, tuple[SentenceView, Mention]] = {}
        for view in self.views:
            for mention in view.mentions:
                first_mention.setdefault(self.entity_of[mention], (view, mention))
        # A body inside a local body is located through its parent; a local branch of a
        # national body (a province's Front committee) is located in its province all the same.
        children = {r.subject for r in self.relations if r.predicate == "subOrganizationOf" and self.is_local(r.object)}
        event = self.main_event
        specific = self.event_venue() if event is not None else None
        for entity_id, (view, mention) in sorted(first_mention.items()):
            entity = self.entities[entity_id]
            province = entity.attrs.get("province") or entity.attrs.get("country")
            # A commission of a provincial committee is located through its parent, whether the
            # article names the parent or only the gazetteer knows it.
            part_of_local = gazetteer.part_of_local_body(entity.attrs.get("body", ""))
            if entity.type == "Organization" and province and self.has_entity(province) and entity_id not in children and not part_of_local:
                self.add(entity_id, "locatedIn", province, self.evidence(view, "province-of-body", 0.7, [mention]))
            # (A historic event's place is part of its name: the National Day of Vietnam.) The place
            # the article says its own event was held at is where it was, not the one in its name:
            # the annotations give the most specific place only.
            if entity.type == "Event" and entity.attrs.get("event_type") != "historic" and not (specific and event and entity_id == event.id):
                places = [m for m in view.mentions if m.type == "Location" and mention.start <= m.start and m.end <= mention.end]
                for place in places:
                    self.add(entity_id, "locatedIn", self.entity_of[place], self.evidence(view, "place-in-name", 0.8, [mention]))
        if event is None:
            return
        if specific:
            view, place = specific
            self.add(event.id, "locatedIn", self.entity_of[place], self.evidence(view, "venue-of-event", 0.7, [place]))
        elif event.attrs.get("province") and self.has_entity(event.attrs["province"]):
            view = self.views[0]
            self.add(event.id, "locatedIn", event.attrs["province"], self.evidence(view, "province-of-article", 0.6))

    def event_venue(self) -> tuple[SentenceView, Mention] | None:
        """The most specific place the first sentence about the event names: a building, else a town or district.

        The province stays the fallback: an event in हा लोंग शहर is in Ha Long,
        one at مقر الجمعية الوطنية is at that building.
        """
        province = self.main_event.attrs.get("province") if self.main_event else None
        # An occasion the article gives no event word (a visit) is first told where someone takes part in it.
        unnamed = self.main_event is not None and self.main_event.attrs.get("event_type") == UNNAMED
        told = 0
        local: list[tuple[int, int, SentenceView, Mention]] = []
        for view in self.views:
            about = self.sentence_triggers(view, gifts=True) if unnamed else self.events.find_all(view.sentence.tokens) or self.sentence_triggers(view, gifts=True)
            if not about:
                continue
            places = [m for m in view.mentions if m.type == "Location"]
            kinds = {m: self.entities[self.entity_of[m]].attrs.get("kind") if self.entity_of.get(m) in self.entities else None for m in places}
            venues = [m for m in places if m.source.endswith("grammar:venue") or kinds[m] == "venue"]
            if venues:
                return view, venues[0]
            # Of a village, its commune and its district, the village: the annotations place an event where it was.
            # A headline names the commune, the lead its village: the most specific of the first sentences.
            local += [(PLACE_SPECIFICITY[kinds[m]], told, view, m) for m in places if kinds[m] in PLACE_SPECIFICITY and self.entity_of[m] != province]
            told += 1
            if told == VENUE_SENTENCES:
                break
        if local:
            _, _, view, place = min(local, key=lambda item: item[:2])
            return view, place
        return None

    def is_local(self, entity_id: str) -> bool:
        entity = self.entities.get(entity_id)
        return entity is not None and (entity.attrs.get("scope") == "local" or "province" in entity.attrs)

    def has_entity(self, entity_id: str) -> bool:
        return entity_id in self.entities
