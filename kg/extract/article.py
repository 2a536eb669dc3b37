"""One article, start to finish: the per-article phase of a build.

read → tokenize → NER → resolution within the article → main event →
relations, giving one ``ArticleRecord``. It depends on nothing but the
article, the language resources and the NER model, so articles can be
extracted in any order, on any number of processes or machines, and the
record can be cached (``kg.corpus.cache``).

Entity ids in a record are *local*: those ``resolve_documents`` gives when it
sees this article alone. ``kg.corpus.link`` turns the records of a corpus into
the resolution ``resolve_documents`` gives for all of them at once, so a build
from records is byte for byte the build of the whole corpus in one process.
"""

from __future__ import annotations

from dataclasses import dataclass
from kg.extract.events import main_event
from kg.extract.ner import Recognizer, sort_mentions
from kg.extract.relations import extract_relations
from kg.extract.resolve import Record, document_province, location_label, resolve_documents
from kg.extract.tokenize import tokenize
from kg.model import Document, Entity, Mention, Relation, Sentence


@dataclass(slots=True)
class ArticleRecord:
    """What one article yields, before any other article is seen.

    ``records`` are the resolver's per-article records in the order it made
    them, ``entities`` the matching entities by local id (persons with the posts
    the relations stage read), ``event`` the article's main event.
    """

    document: Document
    sentences: list[Sentence]
    mentions: list[Mention]
    records: list[Record]
    entities: dict[str, Entity]
    event: Entity | None
    relations: list[Relation]

    def without_text(self) -> ArticleRecord:
        """The record as the corpus phase needs it: no sentences, no article text (memory)."""
        from dataclasses import replace

        return ArticleRecord(replace(self.document, text=""), [], self.mentions, self.records, self.entities, self.event, self.relations)


def extract_article(document: Document, recognizer: Recognizer) -> ArticleRecord:
    """Run the per-article stages over ``document``.

    The same stage calls as ``kg.corpus.build.extract`` makes for the whole
    corpus, with one document: resolution sees only this article, so its ids
    are local until ``kg.corpus.link.link_articles``.
    """
    sentences = tokenize(document)
    mentions = sort_mentions(recognizer.recognize(document, sentences))
    resolution = resolve_documents([document], mentions)
    entities: dict[str, Entity] = {e.id: e for e in resolution.entities}
    province = document_province(document, mentions)
    event = main_event(document, sentences, province, location_label(document.lang, province) if province else None)
    if event:
        entities[event.id] = event
    relations = extract_relations(document, sentences, mentions, resolution.entity_of, entities, event)
    own = {e.id: e for e in resolution.entities}  # the event stays apart from the resolver's entities
    return ArticleRecord(document, sentences, mentions, list(resolution.records.values()), own, event, relations)
