"""Build: the orchestrator that runs the stages in order.

ingest → tokenize → ner → resolve → events → relations → rdf / viz / export

Outputs are written into a build folder of their own and made current by one
atomic switch only when every stage has succeeded (``kg.corpus.outputs``), so
a failed or interrupted build leaves the previous set whole.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.extract.events import main_event, named_main_event
from kg.extract.ingest import Skipped, read_documents
from kg.corpus.judgements import Judgement
from kg.corpus.merge import merge_entities
from kg.corpus.outputs import publish
from kg.model import Document, Extraction, Mention, Relation, Sentence
from kg.extract.ner import Recognizer, sort_mentions
from kg.extract.relations import extract_relations
from kg.extract.resolve import document_province, location_label, resolve_documents
from kg.extract.tokenize import tokenize

OUTPUT_NAMES = {"turtle": "graph.ttl", "html": "graph.html", "json": "extraction.json"}


@dataclass
class BuildReport:
    documents: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    entities: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    triples: int = 0
    seconds: float = 0.0
    outputs: dict[str, Path] = field(default_factory=dict)
    ner_model: str = ""
    warnings: list[str] = field(default_factory=list)


def extract(
    documents: list[Document],
    recognizer: Recognizer,
    progress: Callable[[Iterable], Iterable] | None = None,
    judgements: Sequence[Judgement] = (),
    warnings: list[str] | None = None,
) -> Extraction:
    """Run the text stages over documents and return the resolved extraction.

    Resolution runs in two steps: per article before relations (so each
    article's mentions and posts are read in context), then across articles
    after relations, where posts can veto merging two namesakes.
    """
    sentences: dict[str, list[Sentence]] = {}
    mentions: list[Mention] = []
    steps = progress(documents) if progress else documents
    for document in steps:
        doc_sentences = tokenize(document)
        sentences[document.id] = doc_sentences
        mentions.extend(recognizer.recognize(document, doc_sentences))
    mentions = sort_mentions(mentions)
    resolution = resolve_documents(documents, mentions)
    entities = {e.id: e for e in resolution.entities}
    entity_of = resolution.entity_of
    relations: list[Relation] = []
    by_doc: dict[str, list[Mention]] = {d.id: [] for d in documents}
    for mention in mentions:
        by_doc[mention.doc_id].append(mention)
    for document in documents:
        doc_mentions = by_doc[document.id]
        province = document_province(document, doc_mentions)
        event = main_event(document, sentences[document.id], province, location_label(document.lang, province) if province else None, doc_mentions)
        if event:
            event = named_main_event(event, doc_mentions, entity_of, entities)
            entities[event.id] = event
        relations.extend(extract_relations(document, sentences[document.id], doc_mentions, entity_of, entities, event))
    merged = merge_entities(documents, resolution, entities.values(), relations, judgements)
    if warnings is not None:
        warnings.extend(merged.warnings)
    return Extraction(documents, sentences, merged.entities, merged.relations, ner_model=getattr(recognizer, "name", "rules"))


def build(
    inputs: list[Path],
    out_dir: Path,
    recognizer: Recognizer,
    progress: Callable[[Iterable], Iterable] | None = None,
    judgements: Sequence[Judgement] = (),
) -> BuildReport:
    """Build the graph of the articles under ``inputs`` into ``out_dir``."""
    from kg.graph.export import document_records
    from kg.graph.rdf import quads, serialize_turtle
    from kg.graph.viz import render_html, to_networkx

    started = time.perf_counter()
    report = BuildReport(ner_model=getattr(recognizer, "description", getattr(recognizer, "name", "")))
    documents: list[Document] = []
    for item in read_documents(inputs, report.warnings):
        if isinstance(item, Skipped):
            report.skipped.append(item)
        else:
            documents.append(item)
    report.documents = len(documents)
    extraction = extract(documents, recognizer, progress, judgements, report.warnings)
    if documents:
        all_triples = [(s, p, o) for s, p, o, _ in quads(extraction)]
        report.triples = len(set(all_triples))
        outputs = {
            OUTPUT_NAMES["turtle"]: serialize_turtle(all_triples),
            OUTPUT_NAMES["html"]: render_html(to_networkx(extraction)),
            OUTPUT_NAMES["json"]: json.dumps(document_records(extraction), ensure_ascii=False, indent=2) + "\n",
        }
        publish(out_dir, outputs)
        report.outputs = {name: out_dir / file for name, file in OUTPUT_NAMES.items()}
    else:
        # Nothing was read: an empty graph must not replace the last good one.
        report.warnings.append(f"no article could be read; the outputs in {out_dir} were left as they were")
    report.entities = Counter(e.type for e in extraction.entities)
    report.relations = Counter(r.predicate for r in {r.key(): r for r in extraction.relations}.values())
    report.seconds = time.perf_counter() - started
    return report

