"""Each group of the linked tables clustered, in this process or split with a helper process.

A group (``kg.corpus.blocks``) is read from the tables, clustered by the same
``Clustering`` as a whole-corpus merge, and written as rows: each cluster's
senior (``cluster``), each member's cluster (``membership``) and the
cluster's entity drafted (``kg.corpus.entity_rows.draft``). Groups are
independent of one another, so with a worker to spare and a corpus worth it
(``HELPED_FROM`` records) a spawned helper clusters the groups past the
median one while this process clusters the rest.

SQLite lets one connection write a file that another reads only through a
journal this scratch file does without, so neither process writes the tables
while both read them: each writes its rows into a file of its own, and the
two are copied into the tables, in key order, once both are done. The rows
are the same whichever process made them, so the merge is the same bytes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from itertools import groupby
from pathlib import Path

from kg.corpus.entity_rows import DRAFT_INSERT, DRAFT_SCHEMA, draft, seniority
from kg.corpus.judgements import Judgement, Linker, apply_judgements
from kg.corpus.merge import cluster_records
from kg.corpus.tables import SHARED, CorpusTables, json_value, syllables_of
from kg.extract.resolve import Record, key_slug
from kg.model import Entity, Post

JUDGED = ""  # the group of every record a judgement names (and all shared records), sorted first
# Records (persons by article, shared keys): starting a helper costs about a second, and clustering
# 10^4 synthetic articles (about 50,000 records) took no less with one (6.7-7.6 s against 7.0-7.5 s).
HELPED_FROM = 200_000
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
    tables: CorpusTables, judgements: Sequence[Judgement] = (), index: dict[str, list[str]] | None = None, workers: int = 1
) -> list[str]:
    """Cluster every group (the judged one with the judgements applied) into ``cluster``, ``membership`` and ``draft``; the judgements' warnings.

    Called inside the merge's transaction; with ``workers`` of 2 or more, no
    judgements and ``HELPED_FROM`` records, half the groups go to a helper.
    """
    db, warnings = tables.db, []
    if workers >= 2 and not judgements:
        (records,) = db.execute("SELECT COUNT(*) FROM member").fetchone()
        if records >= HELPED_FROM:
            cluster_in_two(tables, records, warnings)
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


def cluster_in_two(tables: CorpusTables, records: int, warnings: list[str]) -> None:
    """The groups up to the median member's clustered here, the rest by a helper; both parts copied into the tables in key order.

    A helper that fails (it could not start, read the tables or write its
    file, or was killed) costs time, not the merge: its groups are clustered
    here after this process's own, and ``warnings`` says so.
    """
    import multiprocessing
    import tempfile
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    db = tables.db
    (median,) = db.execute("SELECT grp FROM member ORDER BY grp LIMIT 1 OFFSET ?", (records // 2,)).fetchone()
    db.execute("COMMIT")  # the helper reads what the merge has written so far (the groups joined across blocks)
    with tempfile.TemporaryDirectory(prefix="kg-clusters-", dir=tables.path.parent) as folder:
        parts = [Path(folder) / "upto.sqlite", Path(folder) / "above.sqlite"]
        failed = None
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as helper:
            above = helper.submit(cluster_part, str(tables.path), str(parts[1]), median)
            cluster_part_of(tables, parts[0], None, median)
            try:
                above.result()
            except (BrokenProcessPool, sqlite3.Error, OSError) as error:
                failed = error
        if failed is not None:
            warnings.append(f"the merge's helper process failed ({failed or type(failed).__name__}); this process clustered its groups")
            parts[1].unlink(missing_ok=True)
            cluster_part_of(tables, parts[1], median, None)
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


def cluster_part(tables_path: str, part_path: str, above: str) -> None:
    """In a helper process: the groups after ``above`` of the tables at ``tables_path``, clustered into a new file at ``part_path``."""
    tables = CorpusTables.read_only(Path(tables_path))
    try:
        cluster_part_of(tables, Path(part_path), above, None)
    finally:
        tables.close()


def cluster_part_of(tables: CorpusTables, part_path: Path, above: str | None, upto: str | None) -> None:
    part = sqlite3.connect(part_path, isolation_level=None)
    try:
        for pragma in ("journal_mode = OFF", "synchronous = OFF"):
            part.execute(f"PRAGMA {pragma}")
        part.execute("BEGIN")
        clear_clusters(part)
        sink = ClusterRows(part)
        for grp, rows in groups(tables, above, upto):
            sink.add(tables, rows)
        sink.flush()
        part.execute("COMMIT")
    finally:
        part.close()
