"""Merge by blocks: ``kg.corpus.merge`` and ``kg.corpus.events`` over the corpus tables, a group at a time.

Merging compares only records of one key or one block (``kg.corpus.merge``),
so a cluster never leaves the *group* of its records: their blocks, joined
where one key spans two blocks. Each group is read from the tables, clustered
by the same ``Clustering`` as a whole-corpus merge and written back
(``kg.corpus.clusters``, shared with a helper process in a big build),
so memory holds one group at a time; the ids are then minted over all
clusters in the order ``mint_cluster_ids`` uses, read from the tables, and
each cluster's drafted entity finished (``kg.corpus.entity_rows``).

The user's judgements can join any two records: the groups they touch are
merged into one group (and the shared records with them), after an automatic
merge without them gave the ids the judgements may name, as
``judgement_index`` does.

The result is what ``merge_entities`` then ``after_merge`` give for the same
records, as rows: ``entity`` (each final entity, without its mentions),
``post`` (each person's posts, by article), ``entity_doc`` (the articles an
entity is named or holds a post in), ``doc_entity`` (the entities of each
article's record in ``extraction.json``), and the relations in final ids.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import groupby
from pathlib import Path

from kg.corpus.events import also_reported, merged_event_ids
from kg.corpus.clusters import JUDGED, cluster_groups
from kg.corpus.entity_rows import write_entities
from kg.corpus.judgements import Judgement, Linker
from kg.corpus.table_json import json_value
from kg.corpus.tables import MAIN_EVENT, SHARED, CorpusTables, mint_in_order
from kg.extract.decide.article import PARTICIPATION
from kg.model import ALSO_REPORTED, Entity

OUTPUT_SCHEMA = """
CREATE TABLE entity (id TEXT PRIMARY KEY, type TEXT NOT NULL, label TEXT NOT NULL, alt TEXT NOT NULL,
                     posts TEXT NOT NULL, attrs TEXT NOT NULL, evkey TEXT) WITHOUT ROWID;
CREATE TABLE post (id TEXT NOT NULL, doc_id TEXT NOT NULL, seq INTEGER NOT NULL, title TEXT NOT NULL, org TEXT,
                   PRIMARY KEY (id, doc_id, seq)) WITHOUT ROWID;
CREATE TABLE entity_doc (id TEXT NOT NULL, doc_id TEXT NOT NULL, PRIMARY KEY (id, doc_id)) WITHOUT ROWID;
CREATE TABLE doc_entity (doc_id TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (doc_id, id)) WITHOUT ROWID;
"""


def join_keys_across_blocks(tables: CorpusTables) -> None:
    """One group for blocks that share a key (a key's records are joined whatever their blocks)."""
    db = tables.db
    spans = db.execute("SELECT key, block FROM member WHERE key IN (SELECT key FROM member GROUP BY key HAVING COUNT(DISTINCT block) > 1) ORDER BY key, block").fetchall()
    if not spans:
        return
    linker = Linker()
    for key, blocks in groupby(spans, key=lambda r: r[0]):
        blocks = [b for _, b in blocks]
        for block in blocks:
            linker.add(block)
        for a, b in zip(blocks, blocks[1:]):
            linker.union(a, b)
    for members in linker.clusters().values():
        grp = min(members)
        db.executemany("UPDATE member SET grp = ? WHERE grp = ?", ((grp, block) for block in members if block != grp))


def mint(tables: CorpusTables) -> None:
    """Each cluster's id as ``mint_cluster_ids`` gives it: seniors in (seniority, id) order, the first of a slug keeps it.

    Computed per slug (the first senior keeps it, the others take their
    ``ref_id``); should two ids then be one (a slug that is another's
    ``ref_id``, never seen), the seniors are walked in order instead.
    """
    db = tables.db
    db.execute("UPDATE cluster SET final = NULL")
    db.execute(
        "UPDATE cluster SET final = slug WHERE node IN (SELECT node FROM (SELECT node, ROW_NUMBER() OVER "
        "(PARTITION BY slug ORDER BY rank, name, rid) AS n FROM cluster) WHERE n = 1)"
    )
    # In SQLite (kg_ref_id: ``CorpusTables``), not over a list of the rows: at 10^5 articles those held tens of megabytes at the build's peak.
    others = db.execute("UPDATE cluster SET final = kg_ref_id(key, label, doc_id) WHERE final IS NULL").rowcount
    if others and db.execute("SELECT 1 FROM cluster GROUP BY final HAVING COUNT(*) > 1 LIMIT 1").fetchone():
        mint_in_order(db, "SELECT node, key, label, doc_id FROM cluster ORDER BY rank, name, rid")
        db.execute("UPDATE cluster SET final = (SELECT final FROM minted WHERE minted.node = cluster.node)")
        db.execute("DROP TABLE minted")


def judgement_index(tables: CorpusTables, judgements: Sequence[Judgement]) -> dict[str, list[str]]:
    """What each reference of ``judgements`` names (``kg.corpus.merge.judgement_index``, looked up in the tables): record ids."""
    db = tables.db
    index: dict[str, list[str]] = {}
    for judgement in judgements:
        for ref in (judgement.a, judgement.b):
            for wanted in (ref, ref.lower()):
                if wanted in index:
                    continue
                found = [rid for (rid,) in db.execute("SELECT rid FROM member WHERE auto = ?1 OR ref_id = ?1 OR label_lower = ?1 ORDER BY node", (wanted,))]
                at = wanted.find("/")
                while at >= 0:
                    found += [rid for (rid,) in db.execute(
                        "SELECT rid FROM member WHERE doc_id = ?1 AND (auto = ?2 OR ref_id = ?2 OR label_lower = ?2) ORDER BY node", (wanted[:at], wanted[at + 1 :]))]
                    at = wanted.find("/", at + 1)
                if found:
                    index[wanted] = list(dict.fromkeys(found))
    return index


def merge_tables(tables: CorpusTables, judgements: Sequence[Judgement] = (), workers: int = 1, base: Path | None = None) -> list[str]:
    """Merge the linked tables (``CorpusTables.link`` done) into final entities and relations; the judgements' warnings.

    With ``workers`` of 2 or more, a helper process clusters groups too (``kg.corpus.clusters``).
    """
    db = tables.db
    db.executescript(OUTPUT_SCHEMA)
    db.execute("BEGIN")
    join_keys_across_blocks(tables)
    main_events = tables.main_event_ids()
    on_events = [j for j in judgements if {j.a.split("/", 1)[-1], j.b.split("/", 1)[-1]} <= main_events]
    on_entities = [j for j in judgements if j not in on_events]
    index = None
    if on_entities:
        cluster_groups(tables, workers=workers)  # the automatic merge: the ids a judgement may name
        mint(tables)
        db.execute("UPDATE member SET auto = (SELECT c.final FROM membership m JOIN cluster c ON c.node = m.cluster WHERE m.node = member.node)")
        db.execute("UPDATE member SET ref_id = kg_ref_id(key, label, doc_id)")
        for column in ("auto", "ref_id", "label_lower", "doc_id"):  # what a reference may name, looked up once per reference
            db.execute(f"CREATE INDEX member_{column} ON member ({column})")
        index = judgement_index(tables, on_entities)
        named = {rid for rids in index.values() for rid in rids}
        judged = {grp for (grp,) in db.execute("SELECT DISTINCT grp FROM member WHERE kind = ? OR rid IN (SELECT value FROM json_each(?))", (SHARED, json.dumps(sorted(named))))}
        db.executemany("UPDATE member SET grp = ? WHERE grp = ?", ((JUDGED, grp) for grp in judged))
    warnings = cluster_groups(tables, on_entities, index, workers, base)
    mint(tables)
    db.execute("UPDATE node SET final = (SELECT c.final FROM membership m JOIN cluster c ON c.node = m.cluster WHERE m.node = node.node) WHERE kind != ?", (MAIN_EVENT,))
    write_entities(tables)
    db.execute(  # both ends in one pass over the relations (two passes rewrote most rows twice)
        "UPDATE relation SET "
        "s = CASE WHEN s_node IS NULL THEN s ELSE (SELECT final FROM node WHERE node.node = relation.s_node) END, "
        "o = CASE WHEN o_node IS NULL THEN o ELSE (SELECT final FROM node WHERE node.node = relation.o_node) END "
        "WHERE s_node IS NOT NULL OR o_node IS NOT NULL"
    )
    merge_main_events(tables, on_events)
    write_appearances(tables)
    db.execute("CREATE INDEX relation_order ON relation (s, p, o, ev_doc, sentence, start, doc, seq)")
    db.execute("CREATE INDEX relation_by_doc ON relation (ev_doc, s, p, o, sentence, start, doc, seq)")
    for reading in ("mention_by_doc ON mention (doc)", "node_by_final ON node (final)", "post_by_doc ON post (doc_id, id, seq)"):
        db.execute(f"CREATE INDEX {reading}")
    db.execute("COMMIT")
    return sorted(set(warnings))


def merge_main_events(tables: CorpusTables, judgements: Sequence[Judgement]) -> None:
    """``merge_events`` on the rows: same kind, day and place, a participant in common (or the user said so)."""
    db = tables.db
    candidates = []
    for _, group in groupby(db.execute("SELECT evkey, id FROM entity WHERE evkey IS NOT NULL ORDER BY evkey, id"), key=lambda r: r[0]):
        ids = [event_id for _, event_id in group]
        if len(ids) > 1:
            candidates.append(ids)
    if not candidates:
        return
    wanted = json.dumps(sorted({event_id for group in candidates for event_id in group}))
    taking_part: dict[str, set[str]] = defaultdict(set)
    participation = json.dumps(sorted(PARTICIPATION))
    for subject, event_id in db.execute(
        "SELECT s, o FROM relation WHERE p IN (SELECT value FROM json_each(?)) AND o IN (SELECT value FROM json_each(?))", (participation, wanted)
    ):
        taking_part[event_id].add(subject)
    id_of = merged_event_ids(candidates, taking_part, judgements)
    if not id_of:
        return
    attrs_of = {event_id: json_value(attrs) for event_id, attrs in db.execute("SELECT id, attrs FROM entity WHERE id IN (SELECT value FROM json_each(?))", (wanted,))}
    reports = also_reported(id_of, lambda event_id: Entity(event_id, "Event", "", attrs=attrs_of[event_id]).reported_in())
    for root, value in reports.items():
        db.execute("UPDATE entity SET attrs = ? WHERE id = ?", (json.dumps({**attrs_of[root], ALSO_REPORTED: value}, ensure_ascii=False), root))
    db.execute("CREATE TEMP TABLE event_map (merged TEXT PRIMARY KEY, root TEXT NOT NULL)")
    db.executemany("INSERT INTO event_map VALUES (?, ?)", id_of.items())
    db.execute("DELETE FROM entity WHERE id IN (SELECT merged FROM event_map)")
    db.execute("DELETE FROM post WHERE id IN (SELECT merged FROM event_map)")
    for end in ("s", "o"):  # one pass over the relations for all merged events
        db.execute(f"UPDATE relation SET {end} = (SELECT root FROM event_map WHERE merged = relation.{end}) WHERE {end} IN (SELECT merged FROM event_map)")
    db.execute("DROP TABLE event_map")


def write_appearances(tables: CorpusTables) -> None:
    """The articles each entity is named in (and holds a post in, or is reported in) as rows, for the graph and the document records."""
    db = tables.db
    db.execute(  # in key order: half the time of inserting a million mentions' pairs as they come
        "INSERT OR IGNORE INTO entity_doc SELECT n.final, d.id FROM mention m JOIN node n ON n.node = m.node JOIN document d ON d.doc = m.doc "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    )
    db.execute("INSERT OR IGNORE INTO doc_entity SELECT doc_id, id FROM entity_doc ORDER BY doc_id, id")  # named in: before the posts join them
    db.execute("INSERT OR IGNORE INTO entity_doc SELECT DISTINCT id, doc_id FROM post")

    def reported() -> Iterator[tuple[str, str]]:  # as they are read: an event or two per article, not held
        for entity_id, attrs in db.execute(f"SELECT id, attrs FROM entity WHERE attrs LIKE '%\"doc\"%' OR attrs LIKE '%{ALSO_REPORTED}%'"):
            for doc_id in Entity(entity_id, "", "", attrs=json_value(attrs)).reported_in():
                yield doc_id, entity_id

    db.executemany("INSERT OR IGNORE INTO doc_entity VALUES (?, ?)", reported())
