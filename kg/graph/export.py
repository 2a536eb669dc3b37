"""Export: the extraction as JSON in the shape of the gold annotations.

``out/extraction.json`` is a list with one object per document, each in the
shape of ``shared/gold/README.md`` (doc, lang, entities with mentions and
posts, relations), so ``kg eval`` compares it with the gold files directly.
Entity ids are corpus-wide: the same id in two documents is one entity.
Relations also carry their evidence, which the gold shape does not have and
the scorer ignores.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kg.model import Extraction


def document_records(extraction: Extraction) -> list[dict[str, Any]]:
    records = []
    in_doc: dict[str, list] = defaultdict(list)
    for entity in extraction.entities:
        for doc_id in sorted({m.doc_id for m in entity.mentions} | ({entity.attrs["doc"]} if "doc" in entity.attrs else set())):
            in_doc[doc_id].append(entity)
    relations_in: dict[str, list] = defaultdict(list)
    for relation in extraction.relations:
        relations_in[relation.evidence.doc_id].append(relation)
    for document in extraction.documents:
        entities = []
        for entity in in_doc[document.id]:
            mentions = sorted({m.text for m in entity.mentions if m.doc_id == document.id})
            record: dict[str, Any] = {"id": entity.id, "type": entity.type, "label": entity.label, "mentions": mentions}
            if entity.type == "Person":
                record["posts"] = [
                    {"title": p.title, "org": p.org} if p.org else {"title": p.title}
                    for p in entity.posts
                    if p.doc_id == document.id
                ]
            if entity.attrs:
                record["attrs"] = dict(sorted(entity.attrs.items()))
            entities.append(record)
        relations = relations_in[document.id]
        seen: dict[tuple[str, str, str], dict[str, Any]] = {}
        for relation in relations:
            item = seen.get(relation.key())
            if item is None:
                item = {"s": relation.subject, "p": relation.predicate, "o": relation.object}
                if relation.post:
                    item["post"] = relation.post
                item["evidence"] = []
                seen[relation.key()] = item
            item["evidence"].append(relation.evidence.to_dict())
        records.append(
            {
                "doc": document.id + ".txt" if not document.path.endswith(".txt") else document.path.rsplit("/", 1)[-1],
                "lang": document.lang,
                "source_url": document.source_url,
                "entities": entities,
                "relations": list(seen.values()),
            }
        )
    return records
