"""The gazetteer: Vietnam's bodies and places as language-independent data.

``kg/resources/gazetteer.tsv`` holds one entry per institution or place (id,
English label, kind, parent, scope, successor, aliases); the Hindi and Arabic
renderings live in ``<lang>/bodies.tsv`` and ``<lang>/locations.tsv`` under the
same ids. The format is described in ``kg/resources/README.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.extract.resources import ResourceError, nfc, resource_dir

SCOPES = ("national", "local")
BODY_KINDS = ("party", "state", "front", "mass-organisation", "army", "police", "press", "court", "procuracy")
PLACE_KINDS = ("country", "region", "province", "city", "provincial-city", "venue")
# Places below a province (kinds of place_words.tsv): each has bodies of its own (the ward's Front
# committee), and an event can be located in one more precisely than in its province.
LOCAL_PLACE_KINDS = frozenset({"district", "town", "ward", "commune", "village"})


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    label: str
    kind: str
    parent: str | None = None
    scope: str = "national"
    successor: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def is_place(self) -> bool:
        return self.kind in PLACE_KINDS


def gazetteer_path() -> Path:
    return resource_dir() / "gazetteer.tsv"


def parse(text: str, source: str = "gazetteer.tsv") -> dict[str, Entry]:
    """Entries of a gazetteer file's text, by id; malformed lines raise ``ResourceError``."""
    entries: dict[str, Entry] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [nfc(f.strip()) for f in line.split("\t")]
        fields += [""] * (7 - len(fields))
        id_, label, kind, parent, scope, successor, aliases = fields[:7]
        where = f"{source}:{number}"
        if not id_ or not label or not kind:
            raise ResourceError(f"{where}: id, label and kind are required")
        if kind not in BODY_KINDS + PLACE_KINDS:
            raise ResourceError(f"{where}: unknown kind {kind!r}")
        scope = scope or "national"
        if scope not in SCOPES:
            raise ResourceError(f"{where}: scope must be national or local, not {scope!r}")
        if id_ in entries:
            raise ResourceError(f"{where}: duplicate id {id_!r}")
        entries[id_] = Entry(
            id_, label, kind, parent or None, scope, successor or None, tuple(a.strip() for a in aliases.split(",") if a.strip())
        )
    return entries


@lru_cache(maxsize=1)
def load_gazetteer() -> dict[str, Entry]:
    """Every entry of ``kg/resources/gazetteer.tsv`` by id (read once)."""
    path = gazetteer_path()
    if not path.exists():
        return {}
    return parse(path.read_text(encoding="utf-8"), path.name)


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)
def alias_index() -> dict[str, str]:
    return {alias: entry.id for entry in load_gazetteer().values() for alias in entry.aliases}


def canonical_id(id_: str) -> str:
    """The gazetteer id for an id or one of its aliases (unknown ids come back unchanged)."""
    return id_ if id_ in load_gazetteer() else alias_index().get(id_, id_)


def entry(id_: str) -> Entry | None:
    """The entry for an id or an alias, or None."""
    return load_gazetteer().get(canonical_id(id_))


def label(id_: str) -> str | None:
    found = entry(id_)
    return found.label if found else None


def kind(id_: str) -> str | None:
    found = entry(id_)
    return found.kind if found else None


def parent(id_: str) -> str | None:
    found = entry(id_)
    return found.parent if found else None


def ancestors(id_: str) -> tuple[str, ...]:
    """Parent, grandparent, … up to a top-level entry (stops on a cycle)."""
    chain: list[str] = []
    current = parent(id_)
    while current and current not in chain and current != canonical_id(id_):
        chain.append(current)
        current = parent(current)
    return tuple(chain)


def current(id_: str) -> str:
    """What an entry is today: its successor's successor … (itself while it exists)."""
    seen = {canonical_id(id_)}
    now = canonical_id(id_)
    found = entry(now)
    while found and found.successor and found.successor not in seen:
        now = found.successor
        seen.add(now)
        found = entry(now)
    return now


def part_of_local_body(id_: str) -> bool:
    """Whether a body is an organ of a local body (the standing committee of a provincial party committee).

    A body of a lower level (a district's or commune's party committee, listed under the
    provincial one) is no organ of it: it has a place of its own.
    """
    if id_.split("-", 1)[0] in LOCAL_PLACE_KINDS:
        return False
    above = parent(id_) if id_ else None
    found = entry(above) if above else None
    return found is not None and found.scope == "local"


@lru_cache(maxsize=1)
def organs() -> dict[str, tuple[str, ...]]:
    """Organ name ("standing committee") → the bodies that are that organ of their parent.

    An organ's label is its name and its parent's ("Standing Committee of the
    Provincial Party Committee"); an office or a commission named otherwise is not
    read as an organ here.
    """
    found: dict[str, list[str]] = {}
    for body in load_gazetteer().values():
        above = entry(body.parent) if body.parent else None
        head, sep, rest = body.label.partition(" of the ")
        if sep and above is not None and not body.is_place and core_label(rest) == core_label(above.label):
            found.setdefault(head.lower(), []).append(body.id)
    return {name: tuple(sorted(ids)) for name, ids in found.items()}


def organ_name(id_: str) -> str | None:
    """The organ name of an organ body (provincial-party-standing-committee → "standing committee"), else None."""
    body = canonical_id(id_)
    return next((name for name, ids in organs().items() if body in ids), None)


@lru_cache(maxsize=None)
def local_branch(id_: str) -> str | None:
    """The local body through which a national Front or mass organisation acts in a province.

    The Fatherland Front of a province is its provincial Front committee, the
    Women's Union of a province its provincial union: the entry one level down
    whose parent is this body, ``provincial-…`` by the gazetteer's naming.
    """
    body = canonical_id(id_)
    found = entry(body)
    if found is None or found.scope == "local" or found.kind not in ("front", "mass-organisation"):
        return None
    children = sorted(e.id for e in load_gazetteer().values() if e.parent == body and e.scope == "local" and e.id.startswith("provincial-"))
    return children[0] if children else None


NATION_WORDS = re.compile(r"^vietnam\s+|\s+of vietnam$")
LEVEL_WORDS = re.compile(r"^(?:provincial|city)\s+")


def core_label(label: str, levels: bool = False) -> str:
    """A body label without the words naming the country ("Vietnam Women's Union" → "women's union"),
    and with ``levels`` without its level too ("Provincial People's Council" → "people's council")."""
    core = label.lower().strip()
    while True:
        shorter = NATION_WORDS.sub("", core, count=1)
        if levels:
            shorter = LEVEL_WORDS.sub("", shorter, count=1)
        if shorter == core:
            return core
        core = shorter


@lru_cache(maxsize=None)
def label_index(levels: bool = False) -> dict[str, str]:
    """Bodies by their core label; a national body before a local one, a provincial before a city one."""
    index: dict[str, str] = {}
    order = sorted(load_gazetteer().values(), key=lambda e: (e.scope != "national", not e.id.startswith("provincial-"), e.id))
    for found in order:
        if not found.is_place:
            index.setdefault(core_label(found.label, levels), found.id)
    return index


@lru_cache(maxsize=None)
def exact_label_index() -> dict[str, str]:
    """Bodies by their whole label, lower case."""
    index: dict[str, str] = {}
    for found in sorted(load_gazetteer().values(), key=lambda e: e.id):
        if not found.is_place:
            index.setdefault(found.label.lower(), found.id)
    return index


def body_by_label(label: str) -> str | None:
    """The body an English label names word for word ("Provincial Vietnam Fatherland Front Committee").

    Without the country's name a label does not name the national body: "Veterans
    Association" in a provincial article is that province's association.
    """
    return exact_label_index().get(" ".join(label.lower().split()))


def branch_by_label(label: str) -> str | None:
    """The body with a branch per place that an English body label names (Women's Union → the provincial union), else None.

    The body grammar reads a name word by word (اتحاد نساء → "Women's Union"); when
    those words are a known body's name, the body written with a place is that
    body's branch there, whatever level the label leaves out.
    """
    body = label_index(True).get(core_label(label, True))
    found = entry(body) if body else None
    if found is None:
        return None
    return local_branch(found.id) or (found.id if found.scope == "local" else None)
