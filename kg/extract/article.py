"""One article, start to finish: the per-article phase of a build.

read → tokenize → NER → resolution within the article → main event →
relations, giving one ``ArticleRecord``. It depends on nothing but the
article, the language resources and the NER model, so articles can be
extracted in any order, on any number of processes or machines, and the
record can be cached (``kg.corpus.cache``).

Entity ids in a record are *local*: those ``resolve_documents`` gives when it
sees this article alone. ``kg.corpus.link`` turns the records of a corpus into
the resolution ``resolve_documents`` gives for all of them at once, so a build
from records is byte for byte the build of the whole corpus in one process
(but for what ``kg.corpus.link`` says it does differently by design).
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.extract.decide import RelationModel, article_view, decide, load_model
from kg.extract.events import main_event, named_main_event
from kg.extract.ingest import long_run_warning, other_script_warning
from kg.extract.ner import Recognizer, sort_mentions
from kg.extract.relations import extract_relations
from kg.extract.references import location_label
from kg.extract.resolve import Record, document_province, resolve_documents
from kg.extract.tokenize import tokenize
from kg.model import Document, Entity, Mention, Relation, Sentence


@dataclass(slots=True)
class ArticleRecord:
    """What one article yields, before any other article is seen.

    ``records`` are the resolver's per-article records in the order it made
    them, ``entities`` the matching entities by local id (persons with the posts
    the relations stage read), ``event`` the article's main event when it is an
    entity of its own. When the main event is an event the article names (a
    body's numbered congress), ``event`` is None and ``event_update`` holds
    (its local id, the attributes the article gives it: date, place,
    document); the entity itself keeps the attributes of its name, and linking
    applies the updates of every article in corpus order.
    """

    document: Document
    sentences: list[Sentence]
    mentions: list[Mention]
    records: list[Record]
    entities: dict[str, Entity]
    event: Entity | None
    relations: list[Relation]
    event_update: tuple[str, dict[str, str]] | None = None
    warnings: tuple[str, ...] = ()  # one line each, naming the file (a run-on line read in pieces)
    text_key: str = ""  # the text's hash after normalisation: the same article under two names has one (``text_key``)

    def without_text(self) -> ArticleRecord:
        """The record as the corpus phase needs it: no sentences, no article text (memory)."""
        from dataclasses import replace

        return ArticleRecord(replace(self.document, text=""), [], self.mentions, self.records, self.entities, self.event, self.relations, self.event_update, self.warnings, self.text_key)


SHIPPED_MODEL = "shipped"


@dataclass(slots=True)
class ArticleReading:
    """The article read by the stages before the relation decisions: what the decisions and their training see."""

    document: Document
    sentences: list[Sentence]
    mentions: list[Mention]
    resolution: object  # kg.extract.resolve.Resolution
    entities: dict[str, Entity]  # by local id, the main event included
    event: Entity | None
    named: tuple[str, dict[str, str], dict[str, str]] | None
    rule_relations: list[Relation]


def read_article(document: Document, recognizer: Recognizer) -> ArticleReading:
    """Tokens, mentions, resolution within the article, the main event and the rules' relations."""
    sentences = tokenize(document)
    mentions = sort_mentions(recognizer.recognize(document, sentences))
    resolution = resolve_documents([document], mentions)
    entities: dict[str, Entity] = {e.id: e for e in resolution.entities}
    province = document_province(document, mentions)
    event = main_event(document, sentences, province, location_label(document.lang, province) if province else None, mentions)
    named: tuple[str, dict[str, str], dict[str, str]] | None = None
    if event:
        before = {e.id: dict(e.attrs) for e in resolution.entities if e.type == "Event"}
        main = named_main_event(event, mentions, resolution.entity_of, entities, document, sentences)
        if main is not event:  # one of the article's named events, given this article's date and place
            update = {k: v for k, v in event.attrs.items() if k != "event_type" or "event_type" not in before[main.id]}
            named = (main.id, update, before[main.id])
        event = main
        entities[event.id] = event
    relations = extract_relations(document, sentences, mentions, resolution.entity_of, entities, event)
    return ArticleReading(document, sentences, mentions, resolution, entities, event, named, relations)


def decided_relations(reading: ArticleReading, model: RelationModel | None) -> list[Relation]:
    """The relations of the article: the rules' alone without a model, else the model's decisions."""
    if model is None:
        return reading.rule_relations
    view = article_view(reading.document, reading.sentences, reading.mentions, reading.resolution.entity_of, reading.entities, reading.event, reading.rule_relations)
    return decide(view, model)


def extract_article(document: Document, recognizer: Recognizer, relation_model: RelationModel | str | None = SHIPPED_MODEL) -> ArticleRecord:
    """Run the per-article stages over ``document``.

    The same stage calls as ``kg.corpus.build.extract`` makes for the whole
    corpus, with one document: resolution sees only this article, so its ids
    are local until ``kg.corpus.link.link_articles``. ``relation_model`` is the
    shipped relation classifiers by default, None for the rules alone.
    """
    model = load_model() if relation_model == SHIPPED_MODEL else relation_model
    reading = read_article(document, recognizer)
    relations = decided_relations(reading, model)  # type: ignore[arg-type]
    resolution, event, named = reading.resolution, reading.event, reading.named
    own = {e.id: e for e in resolution.entities}  # a main event of its own stays apart from the resolver's entities
    warnings = tuple(w for w in [long_run_warning(document), other_script_warning(document)] if w)
    sentences, mentions = reading.sentences, reading.mentions
    key = text_key(document.text)
    if named is None:
        return ArticleRecord(document, sentences, mentions, list(resolution.records.values()), own, event, relations, warnings=warnings, text_key=key)
    event_id, update, attrs = named
    own[event_id].attrs = attrs  # the attributes of its name; linking applies each article's update in order
    return ArticleRecord(document, sentences, mentions, list(resolution.records.values()), own, None, relations, (event_id, update), warnings, key)


def text_key(text: str) -> str:
    """A hash of the text as a reader sees it: NFC, case and runs of whitespace folded (a re-saved copy keeps it)."""
    import hashlib
    import unicodedata

    folded = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()
