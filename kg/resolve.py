"""Resolve: cluster mentions into entities, within and across documents.

Each mention gets a resolution key that is the same for every spelling of
the same thing:

- persons: the romanised Vietnamese name (त्रुओंग थी माई and ترونج ثي ماي
  both give ``truong thi mai``);
- places, known bodies and campaigns: their lexicon id;
- local bodies (a provincial party committee): the lexicon id qualified by the
  province the article is about, so the Ninh Binh and Lao Cai committees stay
  apart while national bodies merge across documents and languages;
- anything else: its folded text, qualified by document.

Entity ids are slugs of the key, so an entity keeps its id when documents are
added; two keys that slug alike get a hash suffix, so distinct entities never
share an id.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from kg.lexicon import fold
from kg.model import Document, Entity, Mention
from kg.resources import load_table
from kg.translit import romanize_name, slugify


@dataclass(frozen=True, slots=True)
class Reference:
    """What a resolution key stands for: its entity type, label and attributes."""

    key: str
    type: str
    label: str
    attrs: tuple[tuple[str, str], ...] = ()


@lru_cache(maxsize=None)
def lexicon_info(lang: str, name: str) -> dict[str, tuple[str, ...]]:
    """id → row (surface, id, label, …) of a lexicon table."""
    info: dict[str, tuple[str, ...]] = {}
    for row in load_table(lang, name):
        if len(row) > 1:
            info.setdefault(row[1], row)
    return info


def document_province(document: Document, mentions: Iterable[Mention]) -> str | None:
    """The province an article is about: its most often named province (first named on a tie)."""
    info = lexicon_info(document.lang, "locations")
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for mention in mentions:
        if mention.type == "Location" and mention.key.startswith("loc:"):
            loc = mention.key[4:]
            row = info.get(loc)
            if row and len(row) > 3 and row[3] in ("province", "city"):
                counts[loc] += 1
                first.setdefault(loc, mention.start)
    if not counts:
        return None
    ranked = sorted(counts, key=lambda loc: (-counts[loc], first[loc]))
    # A list of provinces (a cluster of 14) names none of them as the article's own.
    if len(ranked) > 1 and counts[ranked[0]] == counts[ranked[1]]:
        return None
    return ranked[0]


def location_label(lang: str, loc_id: str) -> str:
    row = lexicon_info(lang, "locations").get(loc_id)
    return row[2] if row and len(row) > 2 else loc_id.replace("-", " ").title()


def ordinal_label(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


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


def reference(mention: Mention, document: Document, province: str | None, places_inside: dict[Mention, str]) -> Reference:
    lang = document.lang
    kind, _, value = mention.key.partition(":")
    if mention.type == "Person":
        label = romanize_name(mention.text, lang)
        return Reference("person:" + label.lower(), "Person", label)
    if mention.type == "Location":
        if kind == "loc":
            row = lexicon_info(lang, "locations").get(value)
            attrs = (("kind", row[3]),) if row and len(row) > 3 else ()
            return Reference("loc:" + value, "Location", location_label(lang, value), attrs)
        label = romanize_name(mention.text, lang)
        return Reference("loc:" + slugify(label), "Location", label)
    if mention.type == "Campaign" and kind == "campaign":
        row = lexicon_info(lang, "campaigns").get(value)
        return Reference("campaign:" + value, "Campaign", row[2] if row and len(row) > 2 else value)
    if mention.type == "Organization":
        body = value if kind == "body" else known_body(mention.text, lang)
        if body:
            row = lexicon_info(lang, "bodies")[body]
            label = row[2] if len(row) > 2 else body
            scope = row[3] if len(row) > 3 else "national"
            if scope == "local" and province:
                return Reference(
                    f"body:{province}-{body}",
                    "Organization",
                    f"{location_label(lang, province)} {label}",
                    (("scope", "local"), ("province", province)),
                )
            return Reference("body:" + body, "Organization", label, (("scope", scope),))
    if mention.type == "Event" and kind == "event" and ":" in value:
        event_type, number = value.split(":", 1)
        place = places_inside.get(mention)
        where = location_label(lang, place) if place else "National"
        return Reference(
            f"event:{number}-{place or 'national'}-{event_type}",
            "Event",
            f"{ordinal_label(int(number))} {where} {event_type.capitalize()}",
            (("event_type", event_type),) + ((("province", place),) if place else ()),
        )
    qualifier = province or document.id
    return Reference(f"{mention.type.lower()}:{qualifier}:{fold(mention.text, lang)}", mention.type, mention.text)


def known_body(text: str, lang: str) -> str | None:
    from kg.lexicon import resource_lexicon
    from kg.tokenize import tokenize_span

    lexicon = resource_lexicon(lang, "bodies")
    tokens = tokenize_span(text, 0, len(text))
    if not tokens:
        return None
    match = lexicon.match_at(tokens, 0)
    if match and match.end_token == len(tokens):
        return match.value
    # Arabic writes the province after the body (لجنة الحزب الإقليمية ها تينه).
    if match:
        place = resource_lexicon(lang, "locations").match_at(tokens, match.end_token)
        if place and place.end_token == len(tokens):
            return match.value
    return None


def mint_ids(keys: Iterable[str], labels: dict[str, str]) -> dict[str, str]:
    """Stable, distinct ids: the slug of the key, with a hash suffix when slugs collide."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for key in sorted(set(keys)):
        kind, _, rest = key.partition(":")
        slug = slugify(rest.split(":")[-1] if kind in ("person", "loc", "campaign", "body", "event") else labels[key])
        if kind not in ("person", "loc", "campaign", "body", "event"):
            slug = slugify(kind + "-" + slug)[:80]
        by_slug[slug].append(key)
    ids: dict[str, str] = {}
    for slug, group in by_slug.items():
        for key in group:
            if len(group) == 1:
                ids[key] = slug
            else:
                ids[key] = f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"
    return ids


def resolve(documents: list[Document], mentions: list[Mention]) -> tuple[list[Entity], dict[Mention, str]]:
    """Entities from mentions, and the entity id of every mention."""
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_doc[mention.doc_id].append(mention)
    references: dict[str, Reference] = {}
    key_of: dict[Mention, str] = {}
    for document in documents:
        doc_mentions = by_doc.get(document.id, [])
        province = document_province(document, doc_mentions)
        places_inside = places_in_events(doc_mentions)
        for mention in doc_mentions:
            ref = reference(mention, document, province, places_inside)
            references.setdefault(ref.key, ref)
            key_of[mention] = ref.key
    ids = mint_ids(references, {k: r.label for k, r in references.items()})
    entities: dict[str, Entity] = {}
    langs = {d.id: d.lang for d in documents}
    for mention, key in key_of.items():
        ref = references[key]
        entity = entities.get(key)
        if entity is None:
            entity = entities[key] = Entity(ids[key], ref.type, ref.label, attrs=dict(ref.attrs))
        entity.mentions.append(mention)
        entity.alt_labels.add((mention.text, langs[mention.doc_id]))
    for entity in entities.values():
        entity.mentions.sort(key=lambda m: (m.doc_id, m.start, m.end))
    mention_ids = {mention: ids[key] for mention, key in key_of.items()}
    return sorted(entities.values(), key=lambda e: e.id), mention_ids
