"""Canonical Turtle of a graph too big to hold: gathered by subject, spilled in sorted runs, merged as written.

The bytes are ``kg.graph.turtle.serialize_turtle``'s; memory is bounded by
the run size, not by the graph (a build of 10^5 articles has tens of millions
of triples).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from kg.graph.terms import Term
from kg.graph.turtle import RDF_TYPE, Triple, predicate_key, prefix_lines, write_term, write_triples


def write_turtle(triples: Iterable[Triple], handle: IO[str], run_size: int = 100_000) -> int:
    """Write canonical Turtle of ``triples`` (``kg.graph.terms`` tuples) to ``handle``; the number of distinct triples.

    The same bytes as ``serialize_turtle``, in memory bounded by ``run_size``:
    triples are gathered by subject, and every ``run_size`` of them each
    subject's block is written out (``SubjectRuns``) and spilled, in subject
    order, to a temporary file; the runs are merged a subject at a time while
    writing, so a corpus of 10^5 articles (tens of millions of triples) never
    holds its graph at once.
    """
    import tempfile

    handle.write("\n".join(prefix_lines()) + "\n")
    chunk: dict[Term, set[tuple[Term, Term]]] = {}
    size = 0
    with tempfile.TemporaryDirectory(prefix="kg-turtle-") as spill:
        runs = SubjectRuns(spill)
        subject = pairs = None
        for s, p, o in triples:
            if s is not subject:  # a subject's statements mostly come together, and as the same tuple
                pairs = chunk.get(s)
                if pairs is None:
                    pairs = chunk[s] = set()
                subject = s
            pairs.add((p, o))  # type: ignore[union-attr]
            size += 1
            if size >= run_size:
                runs.spill(chunk)
                chunk.clear()
                size, subject, pairs = 0, None, None
        if not runs.paths:  # all in one run: the in-memory writer, which sorts integers, not tuples
            unique = {(s, p, o) for s, pairs in chunk.items() for p, o in pairs}
            lines = write_triples(unique)
            if lines:
                handle.write("\n" + "\n".join(lines) + "\n")
            return len(unique)
        if chunk:
            runs.spill(chunk)
        return runs.write(handle)


RUN_SLICE = 1_000  # subjects per record of a run file: what the merge holds of each run
SORT_SEPARATOR = "\x00\x00"  # between a term's parts; a NUL inside a part is written NUL SOH


def sort_string(term: tuple) -> str:
    """A term (or a predicate's key) as one string whose order is the order of the tuples.

    Parts are joined by NUL NUL, a NUL inside a part becomes NUL SOH: the joint
    sorts before anything a part can hold, so comparing the strings compares
    the parts in turn, as tuples do. (Kinds and predicate ranks are one digit.)
    """
    return SORT_SEPARATOR.join(str(part).replace("\x00", "\x00\x01") for part in term)


class SubjectRuns:
    """Subjects' blocks spilled to sorted runs in ``folder``, then merged into one Turtle stream.

    A run holds, per subject, in ``sort_string`` order: its key, its block as
    written (``subject_blocks``' lines) and how many triples that is. A
    subject's statements also go, as (predicate key, object key, object text),
    to the run's side file, read back only for a subject found in several runs
    (a document named first and last, an entity that is also a relation's
    subject), whose block is then written again from them all. The merge
    compares one string per subject, not three per triple.
    """

    def __init__(self, folder: str, remembered: int = 200_000) -> None:
        self.folder = folder
        self.paths: list[str] = []
        self.remembered = remembered
        self.terms: dict[Term, tuple[str, str]] = {}  # term -> (sort key, text), the recent ones
        self.predicate_keys: dict[Term, str] = {}
        self.verbs: dict[str, str] = {}  # predicate key -> its text ("a" for rdf:type)

    def term(self, term: Term) -> tuple[str, str]:
        if len(self.terms) > self.remembered:  # the terms that repeat (IRIs, predicates) are few
            self.terms.clear()
        known = self.terms[term] = (sort_string(term), write_term(term))
        return known

    def predicate(self, predicate: Term) -> str:
        key = self.predicate_keys[predicate] = sort_string(predicate_key(predicate))
        self.verbs[key] = "a" if predicate == RDF_TYPE else write_term(predicate)
        return key

    def spill(self, chunk: dict[Term, set[tuple[Term, Term]]]) -> None:
        import marshal  # plain tuples of strings and ints, to and from this process's own temporary files

        run = len(self.paths)
        path = f"{self.folder}/run-{run}"
        known, predicate_keys = self.terms.get, self.predicate_keys.get
        records = []
        with open(path + ".pairs", "wb") as side:
            for s, pairs in chunk.items():
                items = []
                for p, o in pairs:
                    o_key, o_text = known(o) or self.term(o)
                    items.append((predicate_keys(p) or self.predicate(p), o_key, o_text))
                items.sort()
                s_key, s_text = known(s) or self.term(s)
                records.append((s_key, run, block_text(s_text, items, self.verbs), len(items), side.tell()))
                marshal.dump(items, side)
        records.sort()
        with open(path, "wb") as out:
            for start in range(0, len(records), RUN_SLICE):
                marshal.dump(records[start : start + RUN_SLICE], out)
        self.paths.append(path)

    def write(self, handle: IO[str]) -> int:
        """The runs merged into ``handle``, each subject's block once; how many distinct triples."""
        import heapq
        import marshal

        count = 0
        sides = [open(path + ".pairs", "rb") for path in self.paths]
        try:
            def block(group: list[tuple]) -> str:
                nonlocal count
                if len(group) == 1:
                    count += group[0][3]
                    return group[0][2]
                items: set[tuple] = set()
                for _, run, _, _, offset in group:
                    sides[run].seek(offset)
                    items.update(map(tuple, marshal.load(sides[run])))
                count += len(items)
                return block_text(group[0][2].partition("\n")[0], sorted(items), self.verbs)

            buffer: list[str] = []
            group: list[tuple] = []
            separator = "\n"  # a blank line after the prefixes, then one between subjects
            for record in heapq.merge(*(read_run(path) for path in self.paths)):
                if group and record[0] != group[0][0]:
                    buffer.append(separator + block(group))
                    separator, group = "\n\n", []
                    if len(buffer) >= 1024:
                        handle.write("".join(buffer))
                        buffer.clear()
                group.append(record)
            if group:
                buffer.append(separator + block(group))
            handle.write("".join(buffer) + ("\n" if count else ""))
        finally:
            for side in sides:
                side.close()
        return count


def block_text(subject: str, items: Iterable[tuple[str, str, str]], verbs: dict[str, str]) -> str:
    """A subject's block of ``subject_blocks``: its predicates one per line, from (predicate key, object key, object text) in order."""
    lines = [subject]
    predicate = None
    objects: list[str] = []
    for p, _, o in items:
        if p != predicate:
            if objects:
                lines.append(f"    {verbs[predicate]} {', '.join(objects)} ;")  # type: ignore[index]
            predicate, objects = p, []
        objects.append(o)
    lines.append(f"    {verbs[predicate]} {', '.join(objects)} .")  # type: ignore[index]
    return "\n".join(lines)


def read_run(path: str) -> Iterator[tuple]:
    import marshal

    with open(path, "rb") as run:
        while True:
            try:
                records = marshal.load(run)
            except EOFError:
                return
            yield from records
