"""Judgements: the user's decisions on which entities are the same, kept as plain text.

A judgements file has one decision per line: two entity references and a
verdict between them, separated by tabs or by spaces around the verdict::

    # comments and blank lines are ignored
    nguyen-van-an             same        Nguyen Van An
    001_b169a4b563e49ab1/mai-van-tuat   different   mai-van-tuat-3fa2c1d0
    Truong Thanh Huyen        unsure      truong-thanh-huyen-91ab22c4

A reference is an entity id (as ``kg build`` wrote it), an entity label, or
``DOC/ID``: that entity as one document names it. Judgements are applied on
every build, before any automatic merge, by a ``Linker``: ``same`` joins two
clusters (the user is trusted over the name keys), ``different`` forbids them
to be joined; the closure is transitive, so A = B and B ≠ C keeps A and C
apart. ``unsure`` is remembered only so that ``kg review`` stops asking.

A reference is one line of printable text: ``kg judge`` refuses an empty one,
one with a tab, a line break (any that ``str.splitlines`` knows) or another
control character, or one starting with ``#``, before anything is written, and
writes the file by one atomic rename, so a bad id can never make the file
unreadable for later builds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

VERDICTS = ("same", "different", "unsure")
LINE = re.compile(r"^(?P<a>.+?)\s+(?P<verdict>same|different|unsure)\s+(?P<b>.+?)$", re.IGNORECASE)


class JudgementError(Exception):
    """A judgements file that cannot be read or contradicts itself."""


def check_reference(ref: str) -> str:
    """``ref`` stripped, or JudgementError when it cannot be written on one judgements line."""
    stripped = ref.strip()
    if not stripped:
        raise JudgementError("an entity reference is empty; give an id, a label or DOC/ID")
    bad = next((c for c in stripped if unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in "\t\x85"), None)
    if bad is not None:
        raise JudgementError(f"entity reference {stripped!r} holds the control character U+{ord(bad):04X}; ids and labels are one line of text")
    if stripped.startswith("#"):
        raise JudgementError(f"entity reference {stripped!r} starts with '#', which would make the line a comment")
    return stripped


@dataclass(frozen=True, slots=True)
class Judgement:
    """One decision: ``a`` and ``b`` are entity references, ``verdict`` one of VERDICTS."""

    a: str
    verdict: str
    b: str
    source: str = ""
    line: int = 0

    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.source else f"line {self.line}"

    def to_line(self) -> str:
        return f"{self.a}\t{self.verdict}\t{self.b}"

    @classmethod
    def from_line(cls, text: str, source: str = "", line: int = 0) -> Judgement:
        fields = [f.strip() for f in text.split("\t") if f.strip()]
        if len(fields) == 3 and fields[1].lower() in VERDICTS:
            a, verdict, b = fields
        else:
            match = LINE.match(text.strip())
            if not match:
                where = f"{source}:{line}" if source else f"line {line}"
                raise JudgementError(f"{where}: expected 'A same|different|unsure B', got {text.strip()!r}")
            a, verdict, b = match["a"], match["verdict"], match["b"]
        return cls(a.strip(), verdict.lower(), b.strip(), source, line)


def parse_judgements(text: str, source: str = "") -> list[Judgement]:
    judgements = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            judgements.append(Judgement.from_line(line, source, number))
    return judgements


def load_judgements(path: Path | str | None) -> list[Judgement]:
    """The judgements of a file; a missing file has none (the user has not judged yet)."""
    if path is None:
        return []
    path = Path(path)
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise JudgementError(f"{path}: cannot read judgements ({error})") from None
    return parse_judgements(text, str(path))


ENTITY_ID = re.compile(r"^(?:[^/\s]+/)?[a-z0-9][a-z0-9_-]*$")  # an id, maybe after its article (doc/id)


def is_entity_id(reference: str) -> bool:
    return ENTITY_ID.match(reference) is not None


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder of ``path`` while the block runs; waits for other holders.

    The folder, not a lock file beside the judgements: nothing is left behind,
    and a lock file removed while another call waits on it would let two in.
    """
    import os

    try:
        import fcntl
    except ImportError:  # no POSIX locks on this platform: run unlocked
        yield
        return
    try:
        handle = os.open(path.parent if str(path.parent) else ".", os.O_RDONLY)
    except OSError as error:
        raise JudgementError(f"{path.parent}: cannot lock the folder of the judgements file ({error.strerror or error})") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def append_judgement(path: Path | str, judgement: Judgement) -> Judgement:
    """Add one decision at the end of the file (created if missing); returns it as written.

    Both references are checked first (``check_reference``) and the file as
    it stands must parse, so nothing is written that a later build could not
    read; the new file replaces the old one by one atomic rename.
    """
    from kg.files import OutputError, write_atomically

    path = Path(path)
    if judgement.verdict not in VERDICTS:
        raise JudgementError(f"unknown verdict {judgement.verdict!r}; use one of {', '.join(VERDICTS)}")
    judgement = Judgement(check_reference(judgement.a), judgement.verdict, check_reference(judgement.b))
    if judgement.a == judgement.b and (judgement.verdict == "same" or (judgement.verdict == "different" and is_entity_id(judgement.a))):
        # (A label may name two namesakes: 'Nguyen Van An different Nguyen Van An' keeps them apart.)
        raise JudgementError(f"'{judgement.to_line()}' names one and the same entity on both sides; nothing written")
    line = judgement.to_line()
    if Judgement.from_line(line) != Judgement(judgement.a, judgement.verdict, judgement.b):
        raise JudgementError(f"'{line}' would not read back as written")
    with file_lock(path):  # calls at once each read the file another has just written: none is lost
        try:
            existing = path.read_text(encoding="utf-8") if path.exists() else ""
        except (OSError, UnicodeDecodeError) as error:
            raise JudgementError(f"{path}: cannot read judgements ({getattr(error, 'strerror', None) or error})") from None
        parse_judgements(existing, str(path))  # a broken file is reported, not appended to
        prefix = "" if not existing or existing.endswith("\n") else "\n"
        try:
            write_atomically({path: existing + prefix + line + "\n"})
        except OutputError as error:
            raise JudgementError(str(error)) from None
    return judgement


class Linker:
    """Union-find over items with cannot-link constraints.

    Invariant: two items whose roots are forbidden to each other are never in
    one cluster; ``union`` refuses such a join and ``forbid`` refuses two items
    already joined. Forbidden sets move with their roots on every union, which
    makes the constraints transitive through ``same``.
    """

    def __init__(self, items: Iterable[Hashable] = ()) -> None:
        self.parent: dict[Hashable, Hashable] = {}
        self.apart: dict[Hashable, set[Hashable]] = {}
        for item in items:
            self.add(item)

    def add(self, item: Hashable) -> None:
        if item not in self.parent:
            self.parent[item] = item
            self.apart[item] = set()

    def find(self, item: Hashable) -> Hashable:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def forbidden(self, a: Hashable, b: Hashable) -> bool:
        ra, rb = self.find(a), self.find(b)
        return ra != rb and (rb in self.apart[ra])

    def union(self, a: Hashable, b: Hashable) -> bool:
        """Join the clusters of a and b; False when a judgement keeps them apart."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if rb in self.apart[ra]:
            return False
        if len(self.apart[ra]) < len(self.apart[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        for other in self.apart.pop(rb):
            self.apart[other].discard(rb)
            self.apart[other].add(ra)
            self.apart[ra].add(other)
        return True

    def forbid(self, a: Hashable, b: Hashable) -> bool:
        """Keep the clusters of a and b apart; False when they are already one."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.apart[ra].add(rb)
        self.apart[rb].add(ra)
        return True

    def clusters(self) -> dict[Hashable, list[Hashable]]:
        groups: dict[Hashable, list[Hashable]] = {}
        for item in self.parent:
            groups.setdefault(self.find(item), []).append(item)
        return groups


def apply_judgements(judgements: Sequence[Judgement], index: Mapping[str, list[Hashable]], linker: Linker) -> list[str]:
    """Join and separate items as the user decided: every ``same`` first, then every ``different``.

    ``index`` maps what a judgement may name (an id, a label in lower case,
    ``DOC/ID``) to the items it stands for. Returns a warning for each
    reference that names nothing in this build; raises JudgementError when the
    judgements contradict each other.
    """
    warnings: set[str] = set()

    def lookup(judgement: Judgement, ref: str) -> list[Hashable]:
        found = index.get(ref) or index.get(ref.lower()) or []
        if not found:
            warnings.add(f"{judgement.where()}: {ref!r} names no entity of this build; judgement ignored")
        return list(found)

    for judgement in judgements:
        if judgement.verdict == "same":
            side_a, side_b = lookup(judgement, judgement.a), lookup(judgement, judgement.b)
            if not side_a or not side_b:
                continue
            members = side_a + side_b
            for a, b in pairwise(members):
                if not linker.union(a, b):
                    raise JudgementError(f"{judgement.where()}: '{judgement.to_line()}' contradicts a 'different' judgement")
    for judgement in judgements:
        if judgement.verdict == "different":
            side_a, side_b = lookup(judgement, judgement.a), lookup(judgement, judgement.b)
            pairs = [(a, b) for a in side_a for b in side_b if a != b]
            if side_a and side_b and not pairs:
                warnings.add(f"{judgement.where()}: '{judgement.to_line()}' names one and the same entity on both sides; judgement ignored")
            for a, b in pairs:
                if not linker.forbid(a, b):
                    raise JudgementError(f"{judgement.where()}: '{judgement.to_line()}' contradicts 'same' judgements (directly or through others)")
    return sorted(warnings)
