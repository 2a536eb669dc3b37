"""The small data model passed between pipeline stages.

Every record is immutable and carries character offsets into the *original*
document text, so any fact can be traced back to the exact characters that
produced it. Records serialise with ``to_dict``/``from_dict`` (plain JSON types).

Invariant: for every ``Span``-like record, ``document.text[start:end] == text``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

# An event merged across articles (kg.corpus.events) names its other reports in this attribute, as a JSON list.
ALSO_REPORTED = "also_reported_in"


def scalar_fields(value: Any) -> dict[str, Any]:
    """A dataclass of plain values (strings, numbers, None) as a dict in field order.

    ``dataclasses.asdict`` deep-copies every value: a third of writing
    ``extraction.json`` went to it for the evidence of every relation.
    """
    return {name: getattr(value, name) for name in value.__dataclass_fields__}


def quick_pickle(cls: type) -> type:
    """Pickle a frozen slotted dataclass as the tuple of its fields.

    ``dataclass(frozen=True, slots=True)`` pickles through ``fields()``, called
    again for every object: receiving a record from a worker (hundreds of
    mentions, syllables and evidence objects) spent half its time there.
    """
    names = tuple(f.name for f in fields(cls))
    values = attrgetter(*names) if len(names) > 1 else (lambda self: (getattr(self, names[0]),))
    # Each slot's own setter: a frozen class refuses setattr, and object.__setattr__ looks the slot up every time.
    setters = tuple(getattr(cls, name).__set__ for name in names)

    def __getstate__(self: Any) -> tuple:
        return values(self)

    def __setstate__(self: Any, state: tuple) -> None:
        for set_slot, value in zip(setters, state):
            set_slot(self, value)

    cls.__getstate__ = __getstate__  # type: ignore[attr-defined]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    return cls


ENTITY_TYPES = ("Person", "Organization", "Event", "Campaign", "Location")

PREDICATES = (
    "chaired",
    "attended",
    "spokeAt",
    "organized",
    "launched",
    "implements",
    "holdsPost",
    "subOrganizationOf",
    "memberOf",
    "locatedIn",
)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Document:
    """One input article, its text exactly as in the file (never normalised).

    ``skipped`` holds (start, end) spans the text stages leave out: boilerplate
    lines (comment counters, ad placeholders, source lines) and HTML markup.
    ``date`` (ISO, from a dump's ``date`` field) is the article's date when the
    source gives one: events without a stated date and posts are dated by it.
    """

    id: str
    path: str
    lang: str
    text: str
    source_url: str | None = None
    year: int | None = None
    skipped: tuple[tuple[int, int], ...] = ()
    date: str | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return scalar_fields(self)  # its one nested value, ``skipped``, is immutable: nothing to copy

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(**{**data, "skipped": tuple(tuple(s) for s in data.get("skipped", ()))})


@quick_pickle
@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class Sentence:
    doc_id: str
    index: int
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "tokens": [[t.start, t.end, t.text] for t in self.tokens],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sentence:
        tokens = tuple(Token(*t) for t in data.get("tokens", ()))
        return cls(data["doc_id"], data["index"], data["start"], data["end"], data["text"], tokens)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Mention:
    """A typed span of text naming an entity.

    ``key`` is a normalisation hint from the recogniser (a lexicon id such as
    ``body:provincial-party-committee`` or a romanised name) that the resolver
    may use; ``source`` names the rule or model that found the span.
    """

    doc_id: str
    sentence: int
    start: int
    end: int
    text: str
    type: str
    source: str
    confidence: float = 1.0
    key: str = ""

    def to_dict(self) -> dict[str, Any]:
        return scalar_fields(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        return cls(**data)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: document, sentence, offsets, the sentence text and the rule."""

    doc_id: str
    sentence: int
    start: int
    end: int
    text: str
    rule: str
    confidence: float
    source_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return scalar_fields(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(**data)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Post:
    """A post a person holds in a body, as stated by one article."""

    title: str
    org: str | None
    doc_id: str
    date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return scalar_fields(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Post:
        return cls(**data)


@quick_pickle
@dataclass(slots=True)
class Entity:
    """A resolved real-world thing. ``id`` is a stable slug used to mint its IRI.

    ``alt_labels`` are (surface form, language tag) pairs; ``mentions`` are the
    mentions clustered into this entity across all documents.
    """

    id: str
    type: str
    label: str
    mentions: list[Mention] = field(default_factory=list)
    alt_labels: set[tuple[str, str]] = field(default_factory=set)
    posts: list[Post] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)

    def docs(self) -> list[str]:
        return sorted({m.doc_id for m in self.mentions} | {p.doc_id for p in self.posts})

    def reported_in(self) -> list[str]:
        """The articles reporting an event: its own (``doc``), then those merged into it (``ALSO_REPORTED``)."""
        own = [self.attrs["doc"]] if self.attrs.get("doc") else []
        return own + json.loads(self.attrs.get(ALSO_REPORTED, "[]"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "label": self.label,
            "mentions": [m.to_dict() for m in self.mentions],
            "alt_labels": sorted([list(a) for a in self.alt_labels]),
            "posts": [p.to_dict() for p in self.posts],
            "attrs": dict(sorted(self.attrs.items())),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            id=data["id"],
            type=data["type"],
            label=data["label"],
            mentions=[Mention.from_dict(m) for m in data.get("mentions", [])],
            alt_labels={tuple(a) for a in data.get("alt_labels", [])},  # type: ignore[misc]
            posts=[Post.from_dict(p) for p in data.get("posts", [])],
            attrs=dict(data.get("attrs", {})),
        )


@quick_pickle
@dataclass(frozen=True, slots=True)
class Relation:
    """A typed edge between two entity ids, with the evidence that supports it."""

    subject: str
    predicate: str
    object: str
    evidence: Evidence
    post: str | None = None

    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"s": self.subject, "p": self.predicate, "o": self.object}
        if self.post:
            data["post"] = self.post
        data["evidence"] = self.evidence.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Relation:
        return cls(
            subject=data["s"],
            predicate=data["p"],
            object=data["o"],
            evidence=Evidence.from_dict(data["evidence"]),
            post=data.get("post"),
        )


@dataclass(slots=True)
class Extraction:
    """Everything one build produced: the input of the rdf, viz and export stages.

    ``entities`` and ``relations`` are sorted (by id, then by key) so every
    downstream writer is deterministic without sorting again.
    """

    documents: list[Document]
    sentences: dict[str, list[Sentence]]
    entities: list[Entity]
    relations: list[Relation]
    ner_model: str = "rules"

    def entity(self, entity_id: str) -> Entity:
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        raise KeyError(entity_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": [d.to_dict() for d in self.documents],
            "sentences": {k: [s.to_dict() for s in v] for k, v in sorted(self.sentences.items())},
            "entities": [e.to_dict() for e in self.entities],
            "relations": [r.to_dict() for r in self.relations],
            "ner_model": self.ner_model,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        return cls(
            documents=[Document.from_dict(d) for d in data["documents"]],
            sentences={k: [Sentence.from_dict(s) for s in v] for k, v in data["sentences"].items()},
            entities=[Entity.from_dict(e) for e in data["entities"]],
            relations=[Relation.from_dict(r) for r in data["relations"]],
            ner_model=data.get("ner_model", "rules"),
        )
