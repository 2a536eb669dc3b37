"""Build: the orchestrator that runs the stages in order.

ingest → tokenize → ner → resolve → events → relations → rdf / viz / export

Outputs are first written beside their final paths and renamed into place only
when every stage has succeeded, so a failed or interrupted build leaves the
previous graph whole.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.extract.events import main_event, named_main_event
from kg.extract.ingest import Skipped, read_documents
from kg.corpus.judgements import Judgement
from kg.corpus.merge import merge_entities
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


def write_atomically(outputs: dict[Path, str]) -> None:
    """Write every file beside its target, then rename them all into place.

    Each target is replaced by one ``os.replace`` (atomic on POSIX): a reader,
    or a build killed at any point, sees the old file or the new one, never a
    part. The staged files are hidden (``.graph.ttl.<random>.tmp``) and removed
    when anything fails, Ctrl-C included; only a SIGKILL can leave one behind,
    and it is never mistaken for an output.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, content in outputs.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            staged.append((Path(tmp), target))
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, target in staged:
            os.replace(tmp, target)
        for directory in {target.parent for _, target in staged}:
            sync_directory(directory)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


def sync_directory(directory: Path) -> None:
    """Make the renames durable; not every platform or file system can open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
    for item in read_documents(inputs):
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
            out_dir / OUTPUT_NAMES["turtle"]: serialize_turtle(all_triples),
            out_dir / OUTPUT_NAMES["html"]: render_html(to_networkx(extraction)),
            out_dir / OUTPUT_NAMES["json"]: json.dumps(document_records(extraction), ensure_ascii=False, indent=2) + "\n",
        }
        write_atomically(outputs)
        report.outputs = {name: out_dir / file for name, file in OUTPUT_NAMES.items()}
    else:
        # Nothing was read: an empty graph must not replace the last good one.
        report.warnings.append(f"no article could be read; the outputs in {out_dir} were left as they were")
    report.entities = Counter(e.type for e in extraction.entities)
    report.relations = Counter(r.predicate for r in {r.key(): r for r in extraction.relations}.values())
    report.seconds = time.perf_counter() - started
    return report

