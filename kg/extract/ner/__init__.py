"""NER: typed mentions (Person, Organization, Location, Campaign, Event) with offsets.

A recogniser is any object with a ``name`` and a ``recognize(document,
sentences)`` method returning ``Mention`` records whose offsets point into
``document.text``. The domain recognisers of ``kg.extract.ner.rules`` are always
available; the Stanza backend (``kg.extract.ner.stanza_backend``) is used when its
model loads, and the two are merged by ``kg.extract.ner.combine``.
"""

from __future__ import annotations

from typing import Protocol

from kg.model import Document, Mention, Sentence

MENTION_TYPES = ("Person", "Organization", "Location", "Campaign", "Event")


class Recognizer(Protocol):
    name: str

    def recognize(self, document: Document, sentences: list[Sentence]) -> list[Mention]: ...


def sort_mentions(mentions: list[Mention]) -> list[Mention]:
    return sorted(mentions, key=lambda m: (m.doc_id, m.start, -m.end, m.type, m.source))
