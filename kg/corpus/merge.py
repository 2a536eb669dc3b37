"""Merge: cluster per-article records into corpus entities, after relations.

Candidate pairs come from blocking (equal keys; for persons, equal consonant
skeletons of the name, see ``kg.extract.translit``), never from all pairs. An
automatic merge needs the name keys to agree and no contradicting evidence: a
person holding posts in two different provinces at one date is two people.
The user's judgements (``kg.corpus.judgements``) come first and are never undone.
Ids are minted here (see ``kg.extract.resolve`` for the stability rule).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from kg.corpus.judgements import Judgement, Linker, apply_judgements
from kg.model import Document, Entity, Mention, Relation
from kg.extract.resolve import Record, Resolution, mint_cluster_ids, resolve_documents
from kg.extract.name_reading import label_rank, name_agreement

AUTOMATIC = 0.9  # name agreement needed for an automatic merge (every syllable compatible)
BLOCK_WINDOW = 20  # keys compared with each other inside one large block, in sorted order


@dataclass(frozen=True, slots=True)
class Candidate:
    """Two entities that may be one: kept apart, or joined with less than full agreement."""

    a: str
    b: str
    score: float
    reason: str


@dataclass
class Merged:
    entities: list[Entity]
    relations: list[Relation]
    id_of: dict[str, str]
    candidates: list[Candidate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Clustering:
    """Clusters of records under the rules of the module docstring, with what they contradict."""

    def __init__(self, records: list[Record], entities: dict[str, Entity], linker: Linker) -> None:
        self.records = sorted(records, key=lambda r: (r.seniority, r.id))
        self.linker = linker
        self.candidates: list[tuple[str, str, float, str]] = []
        # person cluster root → date → provinces of the posts it holds at that date
        self.held: dict[str, dict[str, set[str]]] = {}
        for record in self.records:
            linker.add(record.id)
        for record in self.records:
            if record.type == "Person":
                self.absorb(linker.find(record.id), self.posts_by_date(record, entities))

    @staticmethod
    def posts_by_date(record: Record, entities: dict[str, Entity]) -> dict[str, set[str]]:
        held: dict[str, set[str]] = defaultdict(set)
        for post in entities[record.id].posts:
            org = entities.get(post.org) if post.org else None
            province = org.attrs.get("province") if org else None
            if province:
                held[post.date or f"year:{record.seniority[0]}"].add(province)
        return held

    def absorb(self, root: str, held: dict[str, set[str]]) -> None:
        mine = self.held.setdefault(root, {})
        for date, provinces in held.items():
            mine.setdefault(date, set()).update(provinces)

    def contradiction(self, a: str, b: str) -> str | None:
        """Why the clusters of a and b cannot be one person (posts in other provinces at one date)."""
        held_a, held_b = self.held.get(self.linker.find(a), {}), self.held.get(self.linker.find(b), {})
        for date, provinces in held_a.items():
            other = held_b.get(date)
            if other and provinces != other and not (provinces & other):
                return f"posts in {', '.join(sorted(provinces))} and {', '.join(sorted(other))} at {date}"
        return None

    def join(self, a: str, b: str, forced: bool = False) -> bool:
        ra, rb = self.linker.find(a), self.linker.find(b)
        if ra == rb:
            return True
        if not forced and self.contradiction(a, b):
            return False
        if not self.linker.union(a, b):
            return False
        root = self.linker.find(a)
        for old in (ra, rb):
            if old != root and old in self.held:
                self.absorb(root, self.held.pop(old))
        return True

    def run(self) -> None:
        by_key: dict[str, list[Record]] = defaultdict(list)
        for record in self.records:
            by_key[record.key].append(record)
        for group in by_key.values():
            self.join_group(group[0], group)
        blocks: dict[str, list[str]] = defaultdict(list)
        for key, group in by_key.items():
            if group[0].block != key:
                blocks[group[0].block].append(key)
        for keys in blocks.values():
            keys.sort()
            for i, key_a in enumerate(keys):
                for key_b in keys[i + 1 : i + 1 + BLOCK_WINDOW]:
                    self.compare(by_key[key_a], by_key[key_b])

    def join_group(self, first: Record, group: list[Record]) -> None:
        """Records of one key join the first cluster of that key they do not contradict."""
        roots: list[str] = []
        for record in group:
            for root in roots:
                if self.join(root, record.id):
                    break
                reason = self.contradiction(root, record.id) or "judged different"
                self.candidates.append((root, record.id, 1.0, "same name, kept apart: " + reason))
            else:
                roots.append(record.id)
            roots = list(dict.fromkeys(self.linker.find(r) for r in roots))

    def compare(self, group_a: list[Record], group_b: list[Record]) -> None:
        score = name_agreement(group_a[0].syllables, group_b[0].syllables)
        if score <= 0:
            return
        a, b = group_a[0].id, group_b[0].id
        if score < AUTOMATIC:
            self.candidates.append((a, b, score, f"similar names {group_a[0].label} / {group_b[0].label}"))
            return
        roots_b = list(dict.fromkeys(self.linker.find(r.id) for r in group_b))
        for root_a in dict.fromkeys(self.linker.find(r.id) for r in group_a):
            for root_b in roots_b:
                if self.linker.find(root_a) == self.linker.find(root_b):
                    continue
                if self.join(root_a, root_b):
                    if score < 1.0:
                        self.candidates.append((root_a, root_b, score, f"merged spelling variants {group_a[0].label} / {group_b[0].label}"))
                else:
                    self.candidates.append((root_a, root_b, score, "similar names, kept apart: " + (self.contradiction(root_a, root_b) or "judged different")))


def cluster_records(records: list[Record], entities: dict[str, Entity], linker: Linker) -> tuple[list[list[Record]], Clustering]:
    clustering = Clustering(records, entities, linker)
    clustering.run()
    by_id = {r.id: r for r in records}
    clusters = [[by_id[i] for i in members] for members in linker.clusters().values()]
    return clusters, clustering


def judgement_index(records: list[Record], entities: dict[str, Entity]) -> dict[str, list[str]]:
    """What a judgement may name → record ids: ids of the automatic clustering, labels, ``DOC/ID``."""
    automatic, _ = cluster_records(records, entities, Linker())
    ids = mint_cluster_ids(automatic)
    index: dict[str, list[str]] = defaultdict(list)
    for record in records:
        for ref in {ids[record.id], record.ref_id(), record.label.lower()}:
            index[ref].append(record.id)
            index[f"{record.doc_id}/{ref}"].append(record.id)
    return index


def merge_entities(documents: list[Document], resolution: Resolution, entities: Iterable[Entity], relations: Iterable[Relation], judgements: Iterable[Judgement] = ()) -> Merged:
    """Cluster the records of ``resolve_documents`` across documents; rewrite relations to final ids.

    ``entities`` are the per-document entities after relations filled in their
    posts (plus any entity the resolver did not make, such as main events,
    which pass through unchanged).
    """
    del documents  # seniority is read from the records; kept for a stable call shape
    by_id = {e.id: e for e in entities}
    records = [r for r in resolution.records.values() if r.id in by_id]
    linker = Linker()
    for record in records:
        linker.add(record.id)
    judgements = list(judgements)
    warnings = apply_judgements(judgements, judgement_index(records, by_id), linker) if judgements else []
    clusters, clustering = cluster_records(records, by_id, linker)
    ids = mint_cluster_ids(clusters)
    merged: dict[str, Entity] = {e.id: e for e in by_id.values() if e.id not in resolution.records}
    for cluster in sorted(clusters, key=lambda c: min((r.seniority, r.id) for r in c)):
        cluster.sort(key=lambda r: (r.seniority, r.id))
        label = max(enumerate(cluster), key=lambda item: (label_rank(item[1].syllables), len(by_id[item[1].id].mentions), -item[0]))[1].label
        entity = Entity(ids[cluster[0].id], cluster[0].type, label)
        for record in cluster:
            part = by_id[record.id]
            entity.mentions.extend(part.mentions)
            entity.alt_labels |= part.alt_labels
            for post in part.posts:
                moved = replace(post, org=ids.get(post.org, post.org)) if post.org else post
                if moved not in entity.posts:
                    entity.posts.append(moved)
            for name, value in part.attrs.items():
                entity.attrs.setdefault(name, value)
        entity.mentions.sort(key=lambda m: (m.doc_id, m.start, m.end))
        merged[entity.id] = entity
    moved_relations = [replace(r, subject=ids.get(r.subject, r.subject), object=ids.get(r.object, r.object)) for r in relations]
    moved_relations.sort(key=lambda r: (r.subject, r.predicate, r.object, r.evidence.doc_id, r.evidence.sentence, r.evidence.start))
    candidates = {}
    for a, b, score, reason in clustering.candidates:
        pair = tuple(sorted((ids[a], ids[b])))
        if pair[0] != pair[1] or score < 1.0:
            candidates.setdefault(pair, Candidate(pair[0], pair[1], score, reason))
    return Merged(sorted(merged.values(), key=lambda e: e.id), moved_relations, ids, sorted(candidates.values(), key=lambda c: (c.score, c.a, c.b)), warnings)


def resolve(documents: list[Document], mentions: list[Mention], judgements: Iterable[Judgement] = ()) -> tuple[list[Entity], dict[Mention, str]]:
    """Entities from mentions, and the entity id of every mention (both steps, without posts)."""
    resolution = resolve_documents(documents, mentions)
    merged = merge_entities(documents, resolution, resolution.entities, [], judgements)
    return merged.entities, {m: merged.id_of[i] for m, i in resolution.entity_of.items()}
