"""Link: the article records of a corpus as one resolution, as if resolved together.

``kg.extract.resolve.resolve_documents`` gives one record per (document, key)
for persons and one record per key, shared by every document, for anything
else; shared records get their ids from one ``mint_cluster_ids`` over the
corpus. An article record (``kg.extract.article``) was resolved alone, so its
shared records carry *local* ids. Linking replays the corpus-wide steps in
document order:

- a shared key's record is the first article's, with the seniority (and
  document) of its most senior article; its entity takes the first article's
  label and attributes and every article's mentions and surface forms;
- shared ids are minted once over the corpus, person ids are already final;
- each article's relations, posts and ids are moved from local to corpus ids;
- a named event that articles report as their main event takes each one's
  date, place and document in corpus order (the last article's win), as
  ``named_main_event`` does when the corpus is resolved in one pass.

One difference from that one pass is by design: an article's relations and
posts are read from the article alone, so they see the named event with the
article's own date and place, never one an earlier article gave it.

Invariant (but for the difference below): for records of documents D, ``link_articles`` gives the same
resolution, entities and relations, in the same order, as
``resolve_documents(D, mentions)`` followed by the per-document relations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from kg.extract.article import ArticleRecord
from kg.extract.resolve import Record, Resolution, mint_cluster_ids
from kg.model import Entity, Mention, Relation


@dataclass
class Linked:
    """The corpus resolution, its entities (then the main events) and every relation, in corpus ids."""

    resolution: Resolution
    entities: list[Entity]
    relations: list[Relation]


def scope_of(record: Record) -> str:
    """Persons are resolved per document (posts may tell namesakes apart); anything else is shared."""
    return record.doc_id if record.type == "Person" else ""


def link_articles(articles: Iterable[ArticleRecord]) -> Linked:
    """Corpus ids for the records of ``articles`` (in document order); see the module docstring."""
    articles = list(articles)
    pending: dict[tuple[str, str], Record] = {}
    entities: dict[tuple[str, str], Entity] = {}
    local_keys: list[dict[str, tuple[str, str]]] = []
    for article in articles:
        keys: dict[str, tuple[str, str]] = {}
        for record in article.records:
            scope = scope_of(record)
            scope_key = (scope, record.key)
            local = article.entities[record.id]
            keys[record.id] = scope_key
            known = pending.get(scope_key)
            if known is None:
                # Shared records get a corpus id below; a person's local id is already final.
                pending[scope_key] = record if scope else replace(record, id="#" + record.key)
                entities[scope_key] = Entity("", local.type, local.label, attrs=dict(local.attrs))
            elif record.seniority < known.seniority:
                pending[scope_key] = replace(known, doc_id=record.doc_id, seniority=record.seniority)
            entity = entities[scope_key]
            entity.mentions.extend(local.mentions)
            entity.alt_labels |= local.alt_labels
        local_keys.append(keys)
    shared_ids = mint_cluster_ids([[record] for (scope, _), record in pending.items() if not scope])
    records: dict[str, Record] = {}
    ids: dict[tuple[str, str], str] = {}
    for scope_key, record in pending.items():
        record_id = record.id if scope_key[0] else shared_ids[record.id]
        records[record_id] = record if record.id == record_id else replace(record, id=record_id)
        entities[scope_key].id = record_id
        ids[scope_key] = record_id
    relations: list[Relation] = []
    events: list[Entity] = []
    entity_of: dict[Mention, str] = {}
    for article, keys in zip(articles, local_keys):
        # Only the ids that differ move (a shared id taken by an older article's other key).
        moved = {local_id: ids[scope_key] for local_id, scope_key in keys.items() if ids[scope_key] != local_id}
        for local_id, scope_key in keys.items():
            local = article.entities[local_id]
            if scope_key[0]:  # a person of this article alone: its posts move to corpus ids
                posts = local.posts
                entities[scope_key].posts = [replace(p, org=moved[p.org]) if p.org in moved else p for p in posts] if moved else list(posts)
            corpus = ids[scope_key]
            for mention in local.mentions:
                entity_of[mention] = corpus
        if article.event is not None:
            events.append(article.event)
        if article.event_update is not None:  # the article's main event is an event it names
            local_id, update = article.event_update
            entities[keys[local_id]].attrs.update(update)
        if moved:
            relations.extend(
                replace(r, subject=moved.get(r.subject, r.subject), object=moved.get(r.object, r.object)) if (r.subject in moved or r.object in moved) else r
                for r in article.relations
            )
        else:
            relations.extend(article.relations)
    ordered = sorted(entities.values(), key=lambda e: e.id)
    return Linked(Resolution(ordered, entity_of, records), ordered + events, relations)
