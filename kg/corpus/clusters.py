"""Each group of the linked tables clustered, in this process or split with a helper process.

A group (``kg.corpus.blocks``) is read from the tables, clustered by the same
``Clustering`` as a whole-corpus merge, and written as rows: each cluster's
senior (``cluster``), each member's cluster (``membership``) and the
cluster's entity drafted (``kg.corpus.entity_rows.draft``). Groups are
independent of one another, so with a worker to spare and a corpus worth it
(``HELPED_FROM`` records) this process and a spawned helper take runs of
groups (``CHUNKS``) in turn, each the next one free, until none is left.

SQLite lets one connection write a file that another reads only through a
journal this scratch file does without, so neither process writes the tables
while both read them: each writes its rows into a file of its own, and the
two are copied into the tables, in key order, once both are done. The rows
are the same whichever process made them, so the merge is the same bytes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from kg.corpus.entity_rows import DRAFT_INSERT, DRAFT_SCHEMA, draft, seniority
from kg.corpus.judgements import Judgement, Linker, apply_judgements
from kg.corpus.merge import cluster_records
from kg.corpus.table_json import json_value, syllables_of
from kg.corpus.tables import SHARED, CorpusTables
from kg.extract.resolve import Record, key_slug
from kg.model import Entity, Post
from kg.files import read_only_uri

JUDGED = ""  # the group of every record a judgement names (and all shared records), sorted first
# Records (persons by article, shared keys): starting a helper costs about a second, and clustering
# 10^4 synthetic articles (about 50,000 records) took no less with one (6.7-7.6 s against 7.0-7.5 s).
HELPED_FROM = 200_000
CHUNKS = 64  # runs of groups the two processes take in turn: the last one taken leaves the other idle for 1/64 of the work
MEMBER_COLUMNS = "node, kind, grp, rid, doc_id, key, type, label, block, rank, name, syllables, alt, attrs, posts, mentions"
CLUSTER_SCHEMA = """
CREATE TABLE cluster (node INTEGER PRIMARY KEY, rank INTEGER NOT NULL, name TEXT NOT NULL, rid TEXT NOT NULL,
                      key TEXT NOT NULL, label TEXT NOT NULL, doc_id TEXT NOT NULL, slug TEXT NOT NULL, final TEXT);
CREATE TABLE membership (node INTEGER PRIMARY KEY, cluster INTEGER NOT NULL);
""" + DRAFT_SCHEMA


class Members:
    """One group's rows as the merge reads them: records, and entities by id (persons with their posts)."""

    def __init__(self, tables: CorpusTables, rows: list[tuple]) -> None:
        self.tables = tables
        self.records = [Record(r[3], r[4], r[5], r[6], r[7], r[8], (r[9], r[10]), syllables_of(r[11])) for r in rows]
        self.by_id: dict[str, Entity] = {}
        self.decoded: dict[int, tuple[list, dict]] = {}  # node -> its posts as stored and its attributes, for the drafts
        for row, record in zip(rows, self.records):
            stored, attrs = json_value(row[14]), json_value(row[13])
            self.decoded[row[0]] = (stored, attrs)
            if row[1] != SHARED:
                posts = [Post(title, tables.linked_id(org), doc_id, date) for title, org, doc_id, date in stored]
                self.by_id[record.id] = Entity(record.id, row[6], row[7], posts=posts, attrs=attrs)
            else:
                self.by_id[record.id] = Entity(record.id, row[6], row[7], attrs=attrs)

    def get(self, entity_id: str | None, default: Entity | None = None) -> Entity | None:
        """The entity of a post's body: the group's, a shared one, or a person of another group (read from the tables)."""
        if entity_id is None:
            return default
        found = self.by_id.get(entity_id) or self.tables.entity_by_id(entity_id)
        return found if found is not None else default

    def __getitem__(self, entity_id: str) -> Entity:
        return self.by_id[entity_id]


def groups(tables: CorpusTables, above: str | None = None, upto: str | None = None) -> Iterator[tuple[str, list[tuple]]]:
    """The groups in order, each with its member rows; only those after ``above`` and up to ``upto`` where given."""
    where, params = [], []
    if above is not None:
        where.append("grp > ?")
        params.append(above)
    if upto is not None:
        where.append("grp <= ?")
        params.append(upto)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    rows = tables.db.execute(f"SELECT {MEMBER_COLUMNS} FROM member{clause} ORDER BY grp, node", params)
    for grp, members in groupby(rows, key=lambda r: r[2]):
        yield grp, list(members)


class ClusterRows:
    """A sink for clustered groups: seniors, memberships and drafts, written a thousand at a time into ``db``."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.seniors: list[tuple] = []
        self.members: list[tuple[int, int]] = []
        self.drafts: list[tuple] = []

    def add(self, tables: CorpusTables, rows: list[tuple], judge: Callable[[Linker], None] | None = None) -> None:
        """Cluster one group (``judge`` applies judgements to its linker) and keep its rows."""
        decoded: dict[int, tuple[list, dict]] = {}
        if len(rows) == 1 and judge is None:
            clusters = [rows]
        else:
            group = Members(tables, rows)
            linker = Linker()
            for record in group.records:
                linker.add(record.id)
            if judge is not None:
                judge(linker)
            found, _ = cluster_records(group.records, group, linker)  # type: ignore[arg-type]
            row_of = {record.id: row for row, record in zip(rows, group.records)}
            clusters = [[row_of[r.id] for r in cluster] for cluster in found]
            decoded = group.decoded
        for cluster in clusters:
            rows_in_order = sorted(cluster, key=seniority)
            senior = rows_in_order[0]
            self.seniors.append((senior[0], senior[9], senior[10], senior[3], senior[5], senior[7], senior[4], key_slug(senior[5], senior[7])))
            self.members.extend((row[0], senior[0]) for row in rows_in_order)
            self.drafts.append(draft(rows_in_order, decoded))
        if len(self.members) >= 1000:
            self.flush()

    def flush(self) -> None:
        self.db.executemany("INSERT INTO cluster VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)", self.seniors)
        self.db.executemany("INSERT INTO membership VALUES (?, ?)", self.members)
        self.db.executemany(DRAFT_INSERT, self.drafts)
        self.seniors, self.members, self.drafts = [], [], []


def clear_clusters(db: sqlite3.Connection) -> None:
    """Empty cluster tables; statement by statement, as ``executescript`` would commit the merge's transaction."""
    for table in ("cluster", "membership", "draft"):
        db.execute(f"DROP TABLE IF EXISTS main.{table}")
    for statement in CLUSTER_SCHEMA.strip().split(";\n"):
        db.execute(statement)


def cluster_groups(
    tables: CorpusTables, judgements: Sequence[Judgement] = (), index: dict[str, list[str]] | None = None, workers: int = 1, base: Path | None = None
) -> list[str]:
    """Cluster every group (the judged one with the judgements applied) into ``cluster``, ``membership`` and ``draft``; the judgements' warnings.

    Called inside the merge's transaction; with ``workers`` of 2 or more, no
    judgements and ``HELPED_FROM`` records, a helper takes runs of groups too.
    With ``base`` (the last build's merged tables, this build's first articles
    numbered alike: ``kg.corpus.merged``) and no judgements, the groups whose
    rows are the base's take the base's clusters (``cluster_from_base``).
    """
    db, warnings = tables.db, []
    if base is not None and not judgements and cluster_from_base(tables, base):
        return warnings
    if workers >= 2 and not judgements:
        (records,) = db.execute("SELECT COUNT(*) FROM member").fetchone()
        if records >= HELPED_FROM:
            cluster_in_two(tables, warnings)
            return warnings
    clear_clusters(db)
    sink = ClusterRows(db)
    judged = bool(judgements) and index is not None
    for grp, rows in groups(tables):
        if judged and grp == JUDGED:
            sink.add(tables, rows, lambda linker: warnings.extend(apply_judgements(judgements, index, linker)))  # type: ignore[arg-type]
            judged = False
        else:
            sink.add(tables, rows)
    sink.flush()
    if judged:  # no record is named by a judgement: each still says so
        warnings.extend(apply_judgements(judgements, index, Linker()))  # type: ignore[arg-type]
    return warnings


def changed_groups(db: sqlite3.Connection) -> set[str] | None:
    """The groups whose clusters may differ from the base's (attached as ``base``), or None when its groups are not this build's.

    A group's clusters are made from its members' rows and, for its persons'
    posts, the type, label and attributes of the member their body names
    (``Members``): so the groups of members whose rows differ or are new,
    the groups such members left, and the groups of persons holding a post
    in a body whose row differs or is new.
    """
    columns = ", ".join(f"m.{c}" for c in MEMBER_COLUMNS.split(", "))
    old_columns = ", ".join(f"b.{c}" for c in MEMBER_COLUMNS.split(", "))
    changed = db.execute(  # (and whether what a post's body is read for differs)
        f"SELECT m.node, m.grp, b.grp, m.rid, b.rid, b.node IS NULL OR (m.rid, m.type, m.label, m.attrs) IS NOT (b.rid, b.type, b.label, b.attrs) "
        f"FROM main.member m LEFT JOIN base.member b ON b.node = m.node WHERE b.node IS NULL OR ({columns}) IS NOT ({old_columns})"
    ).fetchall()
    if db.execute("SELECT 1 FROM base.member b WHERE NOT EXISTS (SELECT 1 FROM main.member m WHERE m.node = b.node) LIMIT 1").fetchone():
        return None
    groups = {grp for _, grp, _, _, _, _ in changed} | {old_grp for _, _, old_grp, _, _, _ in changed if old_grp is not None}
    bodies = [row for row in changed if row[5]]
    if bodies:
        nodes = json.dumps(sorted(node for node, *_ in bodies))
        rids = json.dumps(sorted({rid for _, _, _, new_rid, old_rid, _ in bodies for rid in (new_rid, old_rid) if rid is not None}))
        groups.update(grp for (grp,) in db.execute(
            "SELECT DISTINCT m.grp FROM main.member m, json_each(m.posts) p WHERE m.kind != ?3 AND m.posts != '[]' "
            "AND (json_extract(p.value, '$[1]') IN (SELECT value FROM json_each(?1)) OR json_extract(p.value, '$[1]') IN (SELECT value FROM json_each(?2)))",
            (nodes, rids, SHARED)))
    return groups


def cluster_from_base(tables: CorpusTables, base: Path) -> bool:
    """Take from the base the clusters of the groups that did not change since it (``changed_groups``) and cluster the others; False (nothing done) when it cannot be used."""
    db = tables.db
    db.execute("COMMIT")  # (SQLite attaches and detaches outside a transaction)
    try:
        db.execute("ATTACH DATABASE ? AS base", (read_only_uri(base),))
    except sqlite3.Error:
        db.execute("BEGIN")
        return False
    changed = None
    db.execute("BEGIN")
    try:
        changed = changed_groups(db)
        if changed is not None:
            clear_clusters(db)
            kept = "(SELECT node FROM main.member WHERE grp NOT IN (SELECT value FROM json_each(?)))"
            for table in ("cluster", "membership", "draft"):
                db.execute(f"INSERT INTO main.{table} SELECT * FROM base.{table} WHERE node IN {kept} ORDER BY node", (json.dumps(sorted(changed)),))
        db.execute("COMMIT")
    except sqlite3.Error:  # a base not in this shape: clustered whole, as if there were none
        db.execute("ROLLBACK")
        changed = None
    db.execute("DETACH DATABASE base")
    db.execute("BEGIN")
    if changed is None:
        return False
    sink = ClusterRows(db)
    for grp in sorted(changed):
        rows = db.execute(f"SELECT {MEMBER_COLUMNS} FROM member WHERE grp = ? ORDER BY node", (grp,)).fetchall()
        if rows:
            sink.add(tables, rows)
    sink.flush()
    return True


def chunk_bounds(db: sqlite3.Connection, chunks: int) -> list[str | None]:
    """The last group of each of about ``chunks`` runs of groups holding equal numbers of members (the last: None, to the end)."""
    counts = db.execute("SELECT grp, COUNT(*) FROM member GROUP BY grp ORDER BY grp").fetchall()
    step = sum(n for _, n in counts) / chunks
    bounds: list[str | None] = []
    seen = 0
    for grp, n in counts[:-1]:
        seen += n
        if seen >= step * (len(bounds) + 1):
            bounds.append(grp)
    return [*bounds, None]


def claims(counter: Any, chunks: int) -> Callable[[], int | None]:
    """The next chunk no process has taken, from a counter both processes share; None when all are taken."""

    def next_chunk() -> int | None:
        with counter.get_lock():
            chunk = counter.value
            if chunk >= chunks:
                return None
            counter.value = chunk + 1
            return chunk

    return next_chunk


def cluster_in_two(tables: CorpusTables, warnings: list[str]) -> None:
    """The groups clustered by this process and a helper, each taking the next chunk (``CHUNKS``) as it is free; both parts copied in key order.

    Chunks are taken as each process is free, not halved in advance: the
    helper starts a second or so late, and groups differ in cost. A helper
    that fails (it could not start, read the tables or write its file, or was
    killed) costs time, not the merge: the chunks this process did not do are
    clustered here, and ``warnings`` says so.
    """
    import multiprocessing
    import tempfile
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    db = tables.db
    bounds = chunk_bounds(db, CHUNKS)
    db.execute("COMMIT")  # the helper reads what the merge has written so far (the groups joined across blocks)
    context = multiprocessing.get_context("spawn")
    counter = context.Value("i", 0)
    with tempfile.TemporaryDirectory(prefix="kg-clusters-", dir=tables.path.parent) as folder:
        parts = [Path(folder) / "this.sqlite", Path(folder) / "helper.sqlite"]
        failed = None
        with ProcessPoolExecutor(1, mp_context=context, initializer=share_counter, initargs=(counter,)) as helper:
            theirs = helper.submit(cluster_claimed, str(tables.path), str(parts[1]), bounds)
            mine = cluster_chunks(tables, parts[0], bounds, claims(counter, len(bounds)))
            try:
                theirs.result()
            except (BrokenProcessPool, sqlite3.Error, OSError) as error:
                failed = error
        if failed is not None:
            warnings.append(f"the merge's helper process failed ({failed or type(failed).__name__}); this process clustered its groups")
            parts[1].unlink(missing_ok=True)
            rest = iter([chunk for chunk in range(len(bounds)) if chunk not in mine])
            cluster_chunks(tables, parts[1], bounds, lambda: next(rest, None))
        for n, part in enumerate(parts):  # outside a transaction, as SQLite attaches and detaches
            db.execute(f"ATTACH DATABASE ? AS part{n}", (str(part),))
        db.execute("BEGIN")
        clear_clusters(db)
        for table in ("cluster", "membership", "draft"):
            db.execute(f"INSERT INTO main.{table} SELECT * FROM part0.{table} UNION ALL SELECT * FROM part1.{table} ORDER BY node")
        db.execute("COMMIT")
        for n in range(len(parts)):
            db.execute(f"DETACH DATABASE part{n}")
        db.execute("BEGIN")


_shared_counter: Any = None  # in the helper: the chunk counter it shares with the merging process


def share_counter(counter: Any) -> None:
    global _shared_counter
    _shared_counter = counter


def cluster_claimed(tables_path: str, part_path: str, bounds: list[str | None]) -> None:
    """In the helper: the chunks it takes of the tables at ``tables_path``, clustered into a new file at ``part_path``."""
    tables = CorpusTables.read_only(Path(tables_path))
    try:
        cluster_chunks(tables, Path(part_path), bounds, claims(_shared_counter, len(bounds)))
    finally:
        tables.close()


def cluster_chunks(tables: CorpusTables, part_path: Path, bounds: list[str | None], next_chunk: Callable[[], int | None]) -> list[int]:
    """Each chunk ``next_chunk`` gives (its groups after the previous bound, up to its own), clustered into a new file; the chunks done."""
    part = sqlite3.connect(part_path, isolation_level=None)
    done = []
    try:
        for pragma in ("journal_mode = OFF", "synchronous = OFF"):
            part.execute(f"PRAGMA {pragma}")
        part.execute("BEGIN")
        clear_clusters(part)
        sink = ClusterRows(part)
        while (chunk := next_chunk()) is not None:
            for _, rows in groups(tables, bounds[chunk - 1] if chunk else None, bounds[chunk]):
                sink.add(tables, rows)
            done.append(chunk)
        sink.flush()
        part.execute("COMMIT")
    finally:
        part.close()
    return done
