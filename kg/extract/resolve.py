"""Resolve: cluster mentions into entities, first within each document, then across documents.

Each mention gets a resolution key that is the same for every spelling of
the same thing:

- persons: the romanised Vietnamese name (त्रुओंग थी माई and ترونج ثي ماي
  both give ``truong thi mai``);
- places, known bodies and campaigns: their lexicon id;
- local bodies (a provincial party committee): the lexicon id qualified by the
  province the article is about, so the Ninh Binh and Lao Cai committees stay
  apart while national bodies merge across documents and languages;
- anything else: its folded text, qualified by document.

Resolution runs in two steps. ``resolve_documents`` gives one *record* per
(document, key): an entity as one article names it, with a provisional id that
the relations stage uses. ``merge_entities`` then clusters records across the
corpus, after relations have filled in each person's posts:

- candidate pairs come from blocking (equal keys; for persons, equal consonant
  skeletons of the name, see ``kg.extract.translit``), never from all pairs;
- an automatic merge needs the name keys to agree and no contradicting
  evidence: a person holding posts in two different provinces at one date is
  two people;
- the user's judgements (``kg.corpus.judgements``) come first and are never undone.

Stable ids: a cluster's id is the slug of the key of its senior record (oldest
document, then smallest document id); when clusters share a slug, the senior
cluster keeps it and the others add a hash of their senior record. Adding a
newer document or judging other entities therefore never renames an entity,
and distinct entities never share an id.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kg.extract import gazetteer
from kg.extract.lexicon import shown_text
from kg.extract.references import Reference, lexicon_info, reference
from kg.model import Document, Entity, Mention, quick_pickle
from kg.extract.name_reading import name_syllables, skeleton_key
from kg.extract.translit import NameSyllable, slugify


BODY_PLACE_WEIGHT = 3


def document_province(document: Document, mentions: Iterable[Mention]) -> str | None:
    """The province an article is about: its most often named province, a tie meaning none.

    A province written as part of a body's name (क्वांग नाम प्रांतीय पार्टी समिति,
    لجنة الحزب الإقليمية ها تينه) counts several times: it says whose bodies the
    article's bare “provincial party committee” mentions are.
    """
    info = lexicon_info(document.lang, "locations")
    mentions = list(mentions)
    bodies = BodyIndex(document.text, [m for m in mentions if m.type in ("Organization", "Event")])
    counts: Counter[str] = Counter()
    first: dict[str, Mention] = {}
    sentences_of: dict[str, set[int]] = {}
    for mention in mentions:
        if mention.type == "Location" and mention.key.startswith("loc:"):
            loc = mention.key[4:]
            row = info.get(loc)
            if row and len(row) > 3 and row[3] in ("province", "city"):
                counts[loc] += BODY_PLACE_WEIGHT if bodies.names_a_body(mention) else 1
                first.setdefault(loc, mention)
                sentences_of.setdefault(loc, set()).add(mention.sentence)
    if not counts:
        return None
    ranked = sorted(counts, key=lambda loc: (-counts[loc], first[loc].start))
    tied = [loc for loc in ranked if counts[loc] == counts[ranked[0]]]
    if len(tied) > 1:
        # On a tie the first named is the article's own (the lead says whose delegation it
        # reports), unless it shares its sentence with another of them: a list of provinces
        # (थाई गुयेन और तुयेन क्वांग प्रांतों, a cluster of 14) names none as the article's own.
        lead = tied[0]
        if any(first[lead].sentence in sentences_of[other] for other in tied[1:]):
            return None
    return ranked[0]


class BodyIndex:
    """Body and event mentions by start, for asking whether a place is part of one in O(log n).

    (Pairing every place with every body was quadratic in the article: a 3 MB
    article took minutes, a 49 MB one hours.)
    """

    SPACES = re.compile(r"\s*")

    def __init__(self, text: str, bodies: list[Mention]) -> None:
        self.text = text
        ordered = sorted(bodies, key=lambda m: m.start)
        self.starts = [m.start for m in ordered]
        self.reach: list[int] = []  # the furthest end among the bodies up to each index
        for body in ordered:
            self.reach.append(max(body.end, self.reach[-1] if self.reach else body.end))

    def names_a_body(self, place: Mention) -> bool:
        """True when the place is inside a body's or event's name, or written right before one."""
        before = bisect.bisect_right(self.starts, place.start)
        if before and self.reach[before - 1] >= place.end:
            return True
        after = bisect.bisect_left(self.starts, place.end)
        return after < len(self.starts) and self.SPACES.match(self.text, place.end).end() >= self.starts[after]


def names_a_body(document: Document, place: Mention, bodies: list[Mention]) -> bool:
    """True when the place is inside a body's or event's name, or written right before one."""
    return BodyIndex(document.text, bodies).names_a_body(place)


def places_in_events(mentions: list[Mention]) -> dict[Mention, str]:
    """The place named inside each event mention (6वें निन्ह बिन्ह … कांग्रेस → ninh-binh)."""
    places = {}
    for event in mentions:
        if event.type != "Event":
            continue
        for place in mentions:
            if place.type == "Location" and place.key.startswith("loc:") and event.start <= place.start and place.end <= event.end:
                places[event] = place.key[4:]
                break
    return places


def owners_in_events(mentions: list[Mention]) -> dict[Mention, Mention]:
    """The body mention inside each owned event whose owner key it carries (X के प्रतिनिधियों का पहला सम्मेलन → X)."""
    owners: dict[Mention, Mention] = {}
    for event in mentions:
        if event.type != "Event" or "@" not in event.key:
            continue
        owner_key = event.key.partition("@")[2]
        inside = [m for m in mentions if m.type == "Organization" and m.key == owner_key and event.start <= m.start and m.end <= event.end]
        if inside:
            owners[event] = max(inside, key=lambda m: m.end - m.start)
    return owners


NAMED_KINDS = ("person", "loc", "campaign", "body", "event")


def key_slug(key: str, label: str) -> str:
    kind, _, rest = key.partition(":")
    if kind in NAMED_KINDS:
        return slugify(rest.split(":")[-1])
    return slugify(kind + "-" + slugify(label))[:80]


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:8]


@quick_pickle
@dataclass(frozen=True, slots=True)
class Record:
    """An entity as one document names it: the unit that cross-document merging clusters."""

    id: str
    doc_id: str
    key: str
    type: str
    label: str
    block: str
    seniority: tuple[int, str]
    syllables: tuple[NameSyllable, ...] = ()

    def ref_id(self) -> str:
        """The id this record's cluster gets when it is not the senior one of its slug."""
        return f"{key_slug(self.key, self.label)}-{short_hash(self.doc_id + '|' + self.key)}"


@dataclass
class Resolution:
    """Per-document entities (one per record), the entity id of every mention, and the records."""

    entities: list[Entity]
    entity_of: dict[Mention, str]
    records: dict[str, Record]

def mint_cluster_ids(clusters: list[list[Record]]) -> dict[str, str]:
    """Record id → final id: the senior cluster of a slug keeps it, the others add a hash."""
    seniors = sorted((min(c, key=lambda r: (r.seniority, r.id)) for c in clusters), key=lambda r: (r.seniority, r.id))
    taken: set[str] = set()
    final: dict[str, str] = {}
    for senior in seniors:
        slug = key_slug(senior.key, senior.label)
        final[senior.id] = slug if slug not in taken else senior.ref_id()
        taken.add(final[senior.id])
    ids: dict[str, str] = {}
    for cluster in clusters:
        senior_id = min(cluster, key=lambda r: (r.seniority, r.id)).id
        for record in cluster:
            ids[record.id] = final[senior_id]
    return ids


def given_name_references(refs: dict[Mention, Reference]) -> dict[Mention, Reference]:
    """A person named by one syllable (कॉमरेड तुआट) is the article's person with that given name.

    Vietnamese officials are referred to by their given name, the last
    syllable. Only a given name that one full name of the article ends with is
    linked; otherwise the short mention stays an entity of its own.
    """
    by_given: dict[str, set[Reference]] = defaultdict(set)
    for ref in refs.values():
        words = ref.label.split()
        if ref.type == "Person" and len(words) >= 2:
            by_given[words[-1].lower()].add(ref)
    linked = {}
    for mention, ref in refs.items():
        words = ref.label.split()
        if ref.type == "Person" and len(words) == 1 and len(by_given.get(words[0].lower(), ())) == 1:
            linked[mention] = next(iter(by_given[words[0].lower()]))
    return linked


def short_body_references(refs: dict[Mention, Reference]) -> dict[Mention, Reference]:
    """A body the article names again by its head words alone (اللجنة التوجيهية after اللجنة
    التوجيهية للذكرى الثمانين لـX) is that body, when only one body of the article is named so."""
    by_label = {ref.label: ref for ref in refs.values() if ref.type == "Organization"}
    linked = {}
    for mention, ref in refs.items():
        if ref.type != "Organization" or not ref.key.startswith("organization:"):
            continue
        longer = {other.key: other for label, other in by_label.items() if label.startswith(ref.label + " ") and other.key != ref.key}
        if len(longer) == 1:
            linked[mention] = next(iter(longer.values()))
    return linked


PARTY_SUFFIX = " of the party"


LEVEL_BODY_PREFIXES = ("district", "commune", "ward")


def level_body_references(refs: dict[Mention, Reference], document: Document, places_inside: dict[Mention, str]) -> dict[Mention, Reference]:
    """A district's, commune's or ward's body named by its level alone (कम्यून पार्टी समिति, لجنة الحزب في البلدية)
    is the body of the one place of that level the article names.

    A report on a commune names its commune once and then "the commune Party Committee";
    with two communes named, which one is meant is left open.
    """
    places: dict[str, set[str]] = {}
    for ref in refs.values():
        kind = dict(ref.attrs).get("kind")
        if ref.type == "Location" and kind in LEVEL_BODY_PREFIXES:
            places.setdefault(kind, set()).add(ref.key)
    linked: dict[Mention, Reference] = {}
    for mention, ref in refs.items():
        attrs = dict(ref.attrs)
        body = attrs.get("body", "")
        level = body.split("-", 1)[0]
        if ref.type != "Organization" or level not in LEVEL_BODY_PREFIXES or "level" in attrs or "province" in attrs:
            continue
        found = places.get(level, set())
        if len(found) == 1:
            linked[mention] = reference(replace(mention, key=f"body:{body}@{next(iter(found))}#{level}"), document, None, places_inside)
    return linked


def bare_organ_references(
    refs: dict[Mention, Reference], document: Document, province: str | None, places_inside: dict[Mention, str]
) -> dict[Mention, Reference]:
    """An organ named alone (स्थायी समिति, اللجنة الدائمة) is that organ of a body the article names.

    The organ the article also names in full, when it names one; else the organ
    of the one body there that has it (``gazetteer.organs``). Of several, the
    article's province's, then a party committee's: in Vietnam's usage the bare "Standing Committee" or "Executive
    Committee" of an article is its party committee's, and an organ "of the
    Party" (اللجنة التنفيذية للحزب) can only be.
    """
    bodies: dict[str, tuple[str, Reference]] = {}
    for ref in refs.values():
        if ref.type == "Organization":
            attrs = dict(ref.attrs)
            body = attrs.get("body") or (ref.key[len("body:") :] if ref.key.startswith("body:") else "")
            if body and "level" not in attrs:
                bodies.setdefault(ref.key, (gazetteer.canonical_id(body), ref))
    linked: dict[Mention, Reference] = {}
    for mention, ref in refs.items():
        if ref.type != "Organization" or not ref.key.startswith("organization:"):
            continue
        name = ref.label.lower()
        party_only = name.endswith(PARTY_SUFFIX)
        organ_ids = gazetteer.organs().get(name.removesuffix(PARTY_SUFFIX), ())
        if not organ_ids:
            continue
        named = {key: found for key, (body, found) in bodies.items() if body in organ_ids}
        if named:
            if len(named) == 1:
                linked[mention] = next(iter(named.values()))
            continue
        parents = {key: (organ, found) for key, (body, found) in bodies.items() for organ in organ_ids if gazetteer.parent(organ) == body}
        if len(parents) > 1 and province:
            own = {key: pair for key, pair in parents.items() if dict(pair[1].attrs).get("province") == province}
            parents = own or parents
        if len(parents) > 1 or party_only:
            parents = {key: pair for key, pair in parents.items() if gazetteer.kind(pair[0]) == "party"}
        if len(parents) != 1:
            continue
        organ, parent = next(iter(parents.values()))
        where = dict(parent.attrs).get("province")
        key = f"body:{organ}@loc:{where}" if where else f"body:{organ}"
        linked[mention] = reference(replace(mention, key=key), document, None, places_inside)
    return linked


def numbered_event_references(refs: dict[Mention, Reference], lang: str = "") -> dict[Mention, Reference]:
    """A numbered event written without its body (प्रतिनिधियों की पहली कांग्रेस) is the article's one event of
    that number and kind that names its body (X के प्रतिनिधियों का पहला सम्मेलन).

    The kind may be one the language writes alike (مؤتمر: conference or congress).
    """
    from kg.extract.events import written_alike

    owned: dict[str, list[tuple[str, Reference]]] = defaultdict(list)
    for ref in refs.values():
        attrs = dict(ref.attrs)
        if ref.type == "Event" and "owner" in attrs and (attrs.get("event_type", ""), ref) not in owned[ref.label.split()[0]]:
            owned[ref.label.split()[0]].append((attrs.get("event_type", ""), ref))
    linked = {}
    for mention, ref in refs.items():
        attrs = dict(ref.attrs)
        if ref.type != "Event" or "owner" in attrs or "National" in ref.label or not ref.label[:1].isdigit():
            continue
        kind = attrs.get("event_type", "")
        same = {r for k, r in owned.get(ref.label.split()[0], []) if k == kind} or {
            r for k, r in owned.get(ref.label.split()[0], []) if lang and written_alike(lang, kind, k)
        }
        if len(same) == 1:
            linked[mention] = next(iter(same))
    return linked


def resolve_documents(documents: list[Document], mentions: list[Mention]) -> Resolution:
    """One entity per (document, resolution key); ids are provisional until ``merge_entities``."""
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_doc[mention.doc_id].append(mention)
    entities: dict[tuple[str, str], Entity] = {}
    records: dict[str, Record] = {}
    pending: dict[tuple[str, str], Record] = {}
    mention_keys: dict[Mention, tuple[str, str]] = {}
    for document in documents:
        doc_mentions = by_doc.get(document.id, [])
        province = document_province(document, doc_mentions)
        places_inside = places_in_events(doc_mentions)
        owners = owners_in_events(doc_mentions)
        refs = {mention: reference(mention, document, province, places_inside, owners) for mention in doc_mentions}
        refs.update(given_name_references(refs))
        refs.update(short_body_references(refs))
        refs.update(bare_organ_references(refs, document, province, places_inside))
        refs.update(level_body_references(refs, document, places_inside))
        refs.update(numbered_event_references(refs, document.lang))
        # Full names first, so a person's record is made from the full name, not a later short one.
        ordered = sorted(doc_mentions, key=lambda m: refs[m].type == "Person" and " " not in refs[m].label.strip())
        for mention in ordered:
            ref = refs[mention]
            # Persons are one record per document (posts may tell two namesakes apart);
            # anything else is one record per key, its id already the final one.
            scope = document.id if ref.type == "Person" else ""
            seniority = (document.year or 9999, document.id)
            record = pending.get((scope, ref.key))
            if record is None:
                syllables = name_syllables(mention.text, document.lang) if ref.type == "Person" else ()
                block = "person:" + skeleton_key(syllables) if syllables else ref.key
                # A person's id is final already; a shared key's is minted below, over the document set.
                record_id = f"{scope}#{key_slug(ref.key, ref.label)}-{short_hash(ref.key)[:6]}" if scope else "#" + ref.key
                pending[(scope, ref.key)] = Record(record_id, document.id, ref.key, ref.type, ref.label, block, seniority, syllables)
                entities[(scope, ref.key)] = Entity("", ref.type, ref.label, attrs=dict(ref.attrs))
            elif seniority < record.seniority:
                pending[(scope, ref.key)] = replace(record, doc_id=document.id, seniority=seniority)
            entity = entities[(scope, ref.key)]
            for name, attr in ref.attrs:
                entity.attrs.setdefault(name, attr)  # a later mention may say more (the level of a place)
            entity.mentions.append(mention)
            entity.alt_labels.add((shown_text(mention.text), document.lang))
            mention_keys[mention] = (scope, ref.key)
    shared_ids = mint_cluster_ids([[record] for (scope, _), record in pending.items() if not scope])
    for (scope, key), record in pending.items():
        if not scope:
            record = replace(record, id=shared_ids[record.id])
        records[record.id] = record
        entities[(scope, key)].id = record.id
    entity_of = {mention: entities[scope_key].id for mention, scope_key in mention_keys.items()}
    return Resolution(sorted(entities.values(), key=lambda e: e.id), entity_of, records)
