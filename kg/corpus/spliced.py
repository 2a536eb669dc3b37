"""``graph.ttl`` and ``extraction.json`` of a build that only added articles: the last build's files, the changed parts written again.

Every part of these files is made from a few rows of the merged tables:

- a subject's block of ``graph.ttl``: an entity's from its row, the articles
  it appears in and the relations it is the subject of; a membership's from
  its person's post; a role's and a post's from any post of that title (and
  body, whose label the post's label gives); an assertion's from one relation
  row of its content; an article's node and graph from its document row;
- a document's record of ``extraction.json``: from its document row, its
  entities' rows, its mentions' merged ids, its posts and its relations.

So once the changes are known (``kg.corpus.changes``), the parts that may
differ are known, and each is written from both tables through a
``PartView``: the last build's (the ``Base``) and this one's. Where the two
differ, this build's replaces the last one's in the file
(``kg.graph.splice``), which also checks that the last build's part is what
the file holds. Parts that are the same in both are copied. The outputs are
the bytes a whole write gives, at a cost that grows with what changed, not
with the archive; anything unexpected (``NotSpliceable``) and the file is
written whole.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path

from kg.corpus.changes import Changes, PartView, relation_rows, same_content
from kg.corpus.merged import Base
from kg.corpus.table_view import relation_of
from kg.files import read_only_uri
from kg.graph.iris import post_iri, role_iri
from kg.graph.statements import (
    Minter,
    assertion_iri,
    document_nodes,
    entity_statements,
    evidence_url,
    membership_iri,
    relation_statements,
)
from kg.graph.splice import NotSpliceable, Plan, lines_plan, records_plan, turtle_plan
from kg.graph.turtle_stream import sort_string, subject_blocks
from kg.model import Post


def read_only(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(read_only_uri(path), uri=True)
    db.execute("PRAGMA cache_size = -32768")
    return db


def in_json(values: Iterable) -> str:
    return json.dumps(sorted(set(values)))


def turtle_parts(db: sqlite3.Connection, ner_model: str, changes: Changes) -> tuple[set[str], set[str], set[tuple[str, str]], list[tuple]]:
    """In one side's tables: the subjects whose blocks may differ (but the articles'), the titles and (body, title) posts among them, the changed relation rows."""
    entities = in_json(changes.entities)
    subjects = {Minter().entity(entity_id)[1] for entity_id in changes.entities}
    titles: set[str] = set()
    seats: set[tuple[str, str]] = set()
    for entity_id, posts in db.execute("SELECT id, posts FROM entity WHERE id IN (SELECT value FROM json_each(?))", (entities,)):
        for title, org, doc_id, date in json.loads(posts):
            titles.add(title)
            if org:
                seats.add((org, title))
                subjects.add(membership_iri(entity_id, Post(title, org, doc_id, date)))
    for org, title in db.execute("SELECT DISTINCT org, title FROM post WHERE org IN (SELECT value FROM json_each(?))", (entities,)):
        titles.add(title)
        seats.add((org, title))
    subjects.update(str(role_iri(title)) for title in titles)
    subjects.update(str(post_iri(org, title)) for org, title in seats)
    view = PartView(db, ner_model)  # (its lookups: an evidence's document)
    rows = relation_rows(db, changes.relations)
    for row in rows:
        relation = relation_of(row)
        subjects.add(assertion_iri(relation, evidence_url(relation, view.document(relation.evidence.doc_id))))
    return subjects, titles, seats, rows


def holders(db: sqlite3.Connection, titles: set[str], seats: set[tuple[str, str]]) -> set[str]:
    """In one side's tables, a person holding each title, and each (body, title) post, of these: what makes their roles' and posts' blocks."""
    found: set[str] = set()
    held: set[str] = set()
    for title, org, holder in db.execute("SELECT title, org, MIN(id) FROM post WHERE title IN (SELECT value FROM json_each(?)) GROUP BY title, org", (in_json(titles),)):
        if title not in held or (org, title) in seats:
            held.add(title)
            found.add(holder)
    return found


def turtle_blocks(
    db: sqlite3.Connection, ner_model: str, changes: Changes, held_by: set[str], titles: set[str], rows: list[tuple], subjects: set[str], added: Iterable[int], mint: Minter
) -> dict[str, tuple[str, int]]:
    """One side's blocks of ``subjects``: from its entities, the facts they are the subject of, the assertions of ``rows``' content and the added articles."""
    referenced: dict[str, None] = {}
    entities = PartView(db, ner_model, entities=changes.entities, holders=held_by, titles=titles, documents=added)  # a holder's own block is not wanted: its posts are
    facts = PartView(db, ner_model, subjects=changes.entities)
    assertions = PartView(db, ner_model, relations=set(changes.relations) | set(same_content(db, rows)))
    statements = chain(
        entity_statements(entities, False, mint, referenced),
        relation_statements(facts, False, mint, referenced, assertions_too=False),
        relation_statements(assertions, False, mint, referenced),
        document_nodes(entities, mint, {document.id: None for document in entities.documents()}),
    )
    blocks = subject_blocks(((s, p, o) for s, p, o, _ in statements), subjects)
    (known,) = db.execute("SELECT COUNT(DISTINCT id) FROM document WHERE id IN (SELECT value FROM json_each(?))", (in_json(referenced),)).fetchone()
    if known != len(referenced):
        raise NotSpliceable("a document is named that is not in the corpus")
    return blocks


def spliced_turtle(tables: Path, base: Base, ner_model: str, changes: Changes) -> tuple[Plan, int]:
    """The plan of this build's ``graph.ttl`` from the base's, and its number of triples."""
    new, old = read_only(tables), read_only(base.path)
    try:
        mint = Minter()
        added_docs = changes.added
        subjects = {mint.document(doc_id)[1] for doc_id in added_docs} | {mint.graph(doc_id)[1] for doc_id in added_docs}
        titles: set[str] = set()
        seats: set[tuple[str, str]] = set()
        rows: list[tuple] = []
        for db in (old, new):
            found, its_titles, its_seats, changed = turtle_parts(db, ner_model, changes)
            subjects |= found
            titles |= its_titles
            seats |= its_seats
            rows += changed
        before = turtle_blocks(old, ner_model, changes, holders(old, titles, seats), titles, rows, subjects, (), mint)
        after = turtle_blocks(new, ner_model, changes, holders(new, titles, seats), titles, rows, subjects, range(changes.documents, changes.documents + len(added_docs)), mint)
    finally:
        new.close()
        old.close()
    triples = base.triples
    differing = []
    for subject in sorted(subjects, key=lambda iri: sort_string((0, iri))):
        was, now = before.get(subject), after.get(subject)
        if was != now:
            differing.append((sort_string((0, subject)), was and was[0], now and now[0]))
            triples += (now[1] if now else 0) - (was[1] if was else 0)
    return turtle_plan(base.outputs["turtle"], differing), triples


def record_candidates(db: sqlite3.Connection, changes: Changes) -> set[int]:
    """The base's documents (by number) whose records may differ, as one side's tables name them."""
    found: set[int] = set()
    queries = [
        ("SELECT DISTINCT d.doc FROM doc_entity x JOIN document d ON d.id = x.doc_id WHERE x.id IN (SELECT value FROM json_each(?))", changes.records),
        ("SELECT DISTINCT d.doc FROM post x JOIN document d ON d.id = x.doc_id WHERE x.id IN (SELECT value FROM json_each(?))", changes.posts),
        ("SELECT DISTINCT d.doc FROM relation x JOIN document d ON d.id = x.ev_doc WHERE x.rowid IN (SELECT value FROM json_each(?))", changes.relations),
        ("SELECT DISTINCT doc FROM mention WHERE node IN (SELECT value FROM json_each(?))", changes.nodes),
    ]
    for query, values in queries:
        if values:
            found.update(doc for (doc,) in db.execute(query, (in_json(values),)))
    return {doc for doc in found if doc < changes.documents}


def records(db: sqlite3.Connection, ner_model: str, documents: Iterable[int], lines: bool = False) -> Iterator[str]:
    """The texts of some documents' records in ``extraction.json`` (or, with ``lines``, their lines in ``extraction.jsonl``), one at a time:
    the two builds' are compared as they come, and only those that differ are kept (at 10^5 articles the candidates of an article naming
    national figures are thousands of records)."""
    from kg.graph.export import record_line, record_text, view_records

    text = record_line if lines else record_text
    return (text(record) for record in view_records(PartView(db, ner_model, documents=documents)))


def spliced_records(tables: Path, base: Base, ner_model: str, changes: Changes, lines: bool = False) -> Plan:
    """The plan of this build's ``extraction.json`` (or, with ``lines``, ``extraction.jsonl``) from the base's."""
    new, old = read_only(tables), read_only(base.path)
    try:
        candidates = sorted(record_candidates(old, changes) | record_candidates(new, changes))
        replaced = {}
        for number, was, now in zip(candidates, records(old, ner_model, candidates, lines), records(new, ner_model, candidates, lines), strict=True):
            if was != now:
                replaced[number] = (was, now)
        added = list(records(new, ner_model, range(changes.documents, changes.documents + len(changes.added)), lines))
    finally:
        new.close()
        old.close()
    if not lines:
        return records_plan(base.outputs["json"], changes.documents, replaced, added)
    from kg.graph.export import record_line
    from kg.graph.extraction_file import jsonl_header

    header = tuple(record_line(jsonl_header(ner_model=ner_model, documents=count)) for count in (changes.documents, changes.documents + len(changes.added)))
    return lines_plan(base.outputs["json"], header, changes.documents, replaced, added)  # type: ignore[arg-type]
