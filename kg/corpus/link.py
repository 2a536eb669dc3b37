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
from kg.model import Document, Entity, Relation, Sentence


@dataclass
class Linked:
    """The corpus resolution, its entities (then the main events) and every relation, in corpus ids."""

    resolution: Resolution
    entities: list[Entity]
    relations: list[Relation]


def scope_of(record: Record) -> str:
    """Persons are resolved per document (posts may tell namesakes apart); anything else is shared."""
    return record.doc_id if record.type == "Person" else ""


@dataclass(slots=True)
class LinkedArticle:
    """What linking keeps of an article after reading it: its ids, its persons' posts, main event and relations (local ids)."""

    keys: dict[str, tuple[str, str]]  # local id -> (scope, key)
    posts: list[tuple[tuple[str, str], list]]  # (a person's scope key, its posts in local ids)
    event: Entity | None
    relations: list[Relation]


class CorpusLink:
    """Linking as a stream: ``add`` each article record in corpus order, then ``finish``.

    An article's record is not kept once added: a body, place or campaign the
    corpus already knows adds only its mentions and surface forms to the one
    entity of its key, so the records of a large corpus need not be held all at
    once (a 10^4-article build held every article's copy of every national
    body until the end of its corpus phase).
    """

    def __init__(self) -> None:
        self.documents: list[Document] = []
        self.sentences: dict[str, list[Sentence]] = {}  # empty lists for records without their text
        self.pending: dict[tuple[str, str], Record] = {}
        self.entities: dict[tuple[str, str], Entity] = {}
        self.articles: list[LinkedArticle] = []

    def add(self, article: ArticleRecord) -> None:
        self.documents.append(article.document)
        self.sentences[article.document.id] = article.sentences
        keys: dict[str, tuple[str, str]] = {}
        posts: list[tuple[tuple[str, str], list]] = []
        for record in article.records:
            scope = scope_of(record)
            scope_key = (scope, record.key)
            local = article.entities[record.id]
            keys[record.id] = scope_key
            known = self.pending.get(scope_key)
            if known is None:
                # Shared records get a corpus id in finish(); a person's local id is already final.
                self.pending[scope_key] = record if scope else replace(record, id="#" + record.key)
                self.entities[scope_key] = Entity("", local.type, local.label, attrs=dict(local.attrs))
            elif record.seniority < known.seniority:
                self.pending[scope_key] = replace(known, doc_id=record.doc_id, seniority=record.seniority)
            entity = self.entities[scope_key]
            entity.mentions.extend(local.mentions)
            entity.alt_labels |= local.alt_labels
            if scope:
                posts.append((scope_key, local.posts))
        if article.event_update is not None:  # the article's main event is an event it names
            local_id, update = article.event_update
            # Later articles never change an entity's attributes when they name it again, so
            # applying each update as its article arrives is applying them all in corpus order.
            self.entities[keys[local_id]].attrs.update(update)
        self.articles.append(LinkedArticle(keys, posts, article.event, article.relations))

    def finish(self) -> Linked:
        """Corpus ids minted, every article's posts and relations moved to them."""
        pending, entities = self.pending, self.entities
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
        for article in self.articles:
            # Only the ids that differ move (a shared id taken by an older article's other key).
            moved = {local_id: ids[scope_key] for local_id, scope_key in article.keys.items() if ids[scope_key] != local_id}
            for scope_key, posts in article.posts:  # a person of this article alone: its posts move to corpus ids
                entities[scope_key].posts = [replace(p, org=moved[p.org]) if p.org in moved else p for p in posts] if moved else list(posts)
            if article.event is not None:
                events.append(article.event)
            if moved:
                relations.extend(
                    replace(r, subject=moved.get(r.subject, r.subject), object=moved.get(r.object, r.object)) if (r.subject in moved or r.object in moved) else r
                    for r in article.relations
                )
            else:
                relations.extend(article.relations)
        self.articles = []
        ordered = sorted(entities.values(), key=lambda e: e.id)
        entity_of = {mention: entity.id for entity in ordered for mention in entity.mentions}
        return Linked(Resolution(ordered, entity_of, records), ordered + events, relations)


def link_articles(articles: Iterable[ArticleRecord]) -> Linked:
    """Corpus ids for the records of ``articles`` (in document order); see the module docstring."""
    link = CorpusLink()
    for article in articles:
        link.add(article)
    return link.finish()
