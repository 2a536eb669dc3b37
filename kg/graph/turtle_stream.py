"""Canonical Turtle of a graph too big to hold: gathered by subject, spilled in sorted runs, merged as written.

The bytes are ``kg.graph.turtle.serialize_turtle``'s; memory is bounded by
the run size, not by the graph (a build of 10^5 articles has tens of millions
of triples).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO

from kg.graph.terms import Term
from kg.graph.turtle import RDF_TYPE, Triple, predicate_key, prefix_lines, write_term, write_triples


def write_turtle(
    triples: Iterable[Triple], handle: IO[str], run_size: int = 100_000, spill: str | None = None, more_runs: Callable[[], list[str]] | None = None
) -> int:
    """Write canonical Turtle of ``triples`` (``kg.graph.terms`` tuples) to ``handle``; the number of distinct triples.

    The same bytes as ``serialize_turtle``, in memory bounded by ``run_size``:
    triples are gathered by subject, and every ``run_size`` of them each
    subject's block is written out (``SubjectRuns``) and spilled, in subject
    order, to a temporary file; the runs are merged a subject at a time while
    writing, so a corpus of 10^5 articles (tens of millions of triples) never
    holds its graph at once.

    With ``more_runs``, the graph is ``triples`` and the triples another
    process spilled into the folder ``spill`` (``spill_turtle``): once these
    are spilled, ``more_runs()`` waits for that process's runs, and all are
    merged.
    """
    import tempfile
    from contextlib import nullcontext

    handle.write("\n".join(prefix_lines()) + "\n")
    with tempfile.TemporaryDirectory(prefix="kg-turtle-") if spill is None else nullcontext(spill) as folder:
        runs = SubjectRuns(folder, "here-")
        chunk = runs.gather(triples, run_size)
        if more_runs is None and not runs.names:  # all in one run: the in-memory writer, which sorts integers, not tuples
            unique = {(s, p, o) for s, pairs in chunk.items() for p, o in pairs}
            lines = write_triples(unique)
            if lines:
                handle.write("\n" + "\n".join(lines) + "\n")
            return len(unique)
        if chunk:
            runs.spill(chunk)
        return runs.write(handle, more_runs() if more_runs is not None else [])


def spill_turtle(triples: Iterable[Triple], folder: str, prefix: str, run_size: int = 100_000) -> list[str]:
    """Spill ``triples`` into runs in ``folder`` (their names begin with ``prefix``) for another process's ``write_turtle``; the runs' names."""
    runs = SubjectRuns(folder, prefix)
    chunk = runs.gather(triples, run_size)
    if chunk:
        runs.spill(chunk)
    return runs.names


# A run file is written in slices of at most RUN_SLICE subjects and SLICE_CHARS characters of blocks: the merge holds
# one slice of every run, and a build of 10^5 articles has hundreds of runs (at 1,000 subjects a slice, whatever
# their size, merging the 45 runs of 10^4 articles took 30 MiB more than gathering them: some 300 MiB at 10^5).
RUN_SLICE = 1_000
SLICE_CHARS = 1 << 15
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

    # 2^15 terms remembered wrote 10^4 articles' Turtle as fast as 200,000 did, in 110 MiB less (each term held as two strings).
    def __init__(self, folder: str, prefix: str = "", remembered: int = 1 << 15) -> None:
        self.folder = folder
        self.prefix = prefix  # runs of several processes share a folder: each names its own
        self.names: list[str] = []
        self.remembered = remembered
        self.terms: dict[Term, tuple[str, str]] = {}  # term -> (sort key, text), the recent ones
        self.predicate_keys: dict[Term, str] = {}
        self.verbs = Verbs()

    def gather(self, triples: Iterable[Triple], run_size: int) -> dict[Term, set[tuple[Term, Term]]]:
        """Read ``triples`` by subject, spilling a run every ``run_size``; what is left for the last run."""
        chunk: dict[Term, set[tuple[Term, Term]]] = {}
        size = 0
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
                self.spill(chunk)
                chunk.clear()
                size, subject, pairs = 0, None, None
        return chunk

    def term(self, term: Term) -> tuple[str, str]:
        if len(self.terms) > self.remembered:  # the terms that repeat (IRIs, predicates) are few
            self.terms.clear()
        known = self.terms[term] = (sort_string(term), write_term(term))
        return known

    def predicate(self, predicate: Term) -> str:
        key = self.predicate_keys[predicate] = sort_string(predicate_key(predicate))
        return key

    def spill(self, chunk: dict[Term, set[tuple[Term, Term]]]) -> None:
        import marshal  # plain tuples of strings and ints, to and from this process's own temporary files

        name = f"{self.prefix}run-{len(self.names)}"
        path = f"{self.folder}/{name}"
        known, predicate_keys, dumps = self.terms.get, self.predicate_keys.get, marshal.dumps
        records = []
        with open(path + ".pairs", "wb") as side:
            # Offsets are counted here and the side file written in slices: a buffered file's tell() is a system call,
            # and with one dump() per subject the side file took twice as long.
            offset, pieces = 0, []
            for s, pairs in chunk.items():
                items = []
                for p, o in pairs:
                    o_key, o_text = known(o) or self.term(o)
                    items.append((predicate_keys(p) or self.predicate(p), o_key, o_text))
                items.sort()
                s_key, s_text = known(s) or self.term(s)
                records.append((s_key, name, block_text(s_text, items, self.verbs), len(items), offset))
                data = dumps(items)
                offset += len(data)
                pieces.append(data)
                if len(pieces) >= RUN_SLICE:
                    side.write(b"".join(pieces))
                    pieces.clear()
            side.write(b"".join(pieces))
        records.sort()
        with open(path, "wb") as out:
            start = chars = 0
            for end, record in enumerate(records, 1):
                chars += len(record[2])
                if chars >= SLICE_CHARS or end - start >= RUN_SLICE:
                    marshal.dump(records[start:end], out)
                    start, chars = end, 0
            if start < len(records):
                marshal.dump(records[start:], out)
        self.names.append(name)

    def write(self, handle: IO[str], more: Sequence[str] = ()) -> int:
        """These runs and the runs ``more`` (another's, in the same folder) merged into ``handle``, each subject's block once; how many distinct triples."""
        import heapq
        import marshal

        count = 0
        names = [*self.names, *more]
        sides = {name: open(f"{self.folder}/{name}.pairs", "rb") for name in names}
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
            for record in heapq.merge(*(read_run(f"{self.folder}/{name}") for name in names)):
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
            for side in sides.values():
                side.close()
        return count


class Verbs(dict):
    """Each predicate's text in a block, by its sort key ("a" for rdf:type): a run's predicates may be another process's."""

    def __missing__(self, key: str) -> str:
        _, iri = key.split(SORT_SEPARATOR, 1)
        predicate = (0, iri.replace("\x00\x01", "\x00"))
        text = self[key] = "a" if predicate == RDF_TYPE else write_term(predicate)
        return text


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


def subject_blocks(triples: Iterable[Triple], wanted: set[str]) -> dict[str, tuple[str, int]]:
    """The blocks ``write_turtle`` writes of the subjects whose IRIs are in ``wanted``, each with its number of distinct triples."""
    runs = SubjectRuns("")
    gathered: dict[Term, set[tuple[Term, Term]]] = {}
    for s, p, o in triples:
        if s[0] == 0 and s[1] in wanted:
            gathered.setdefault(s, set()).add((p, o))
    found = {}
    for s, pairs in gathered.items():
        items = sorted((runs.predicate_keys.get(p) or runs.predicate(p), *(runs.terms.get(o) or runs.term(o))) for p, o in pairs)
        found[s[1]] = (block_text(runs.term(s)[1], items, runs.verbs), len(items))
    return found
