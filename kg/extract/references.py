"""References: what one mention stands for, read from its key and words.

A recogniser gives each mention a key (``body:provincial-party-committee@loc:ninh-binh``,
``event:congress:13``, ``loc:hanoi``) or none. ``reference`` turns it into the
resolution key, entity type, English label and attributes of the thing it
names, qualified by the article's province where a body or event is one per
province. ``kg.extract.resolve`` groups mentions by these keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from kg.extract import gazetteer
from kg.extract.body_labels import LEVEL_WORDS, english_body_label, glossary, known_body_label
from kg.extract.lexicon import alone_bodies, fold, text_keys
from kg.model import Document, Mention
from kg.extract.resources import load_table
from kg.extract.name_reading import name_syllables, romanize_name
from kg.extract.translit import slugify


@dataclass(frozen=True, slots=True)
class Reference:
    """What a resolution key stands for: its entity type, label and attributes."""

    key: str
    type: str
    label: str
    attrs: tuple[tuple[str, str], ...] = ()


@cache
def lexicon_info(lang: str, name: str) -> dict[str, tuple[str, ...]]:
    """id → row (surface, id, label, …) of a lexicon table."""
    info: dict[str, tuple[str, ...]] = {}
    for row in load_table(lang, name):
        if len(row) > 1:
            info.setdefault(row[1], row)
    return info


def location_label(lang: str, loc_id: str) -> str:
    known = gazetteer.label(loc_id)
    if known:
        return known
    row = lexicon_info(lang, "locations").get(loc_id)
    return row[2] if row and len(row) > 2 else loc_id.replace("-", " ").title()


def body_label(lang: str, body: str) -> str:
    """A known body's English label (``known_body_label``), else its id."""
    return known_body_label(lang, body) or body


def ordinal_label(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def reference(mention: Mention, document: Document, province: str | None, places_inside: dict[Mention, str], owners: dict[Mention, Mention] | None = None) -> Reference:
    lang = document.lang
    kind, _, value = mention.key.partition(":")
    if mention.type == "Person":
        # An epithet stands for one person (العم هو, "Uncle Ho"): its key carries the name.
        label = value if kind == "epithet" else romanize_name(mention.text, lang)
        return Reference("person:" + label.lower(), "Person", label or mention.text)
    if mention.type == "Location":
        if kind == "loc":
            row = lexicon_info(lang, "locations").get(value)
            attrs = (("kind", row[3]),) if row and len(row) > 3 else ()
            return Reference("loc:" + gazetteer.canonical_id(value), "Location", location_label(lang, value), attrs)
        if kind == "venue":
            # A building named after a body: "Headquarters of the National Assembly of Vietnam".
            venue, _, body_key = value.partition("@")
            if body_key == "level:province":
                # A province's own building: the article's province's (one per article when it names none).
                where = location_label(lang, province) if province else ""
                label = f"{where} Provincial {venue}".strip()
                return Reference(f"loc:{province or document.id}-provincial-{slugify(venue)}", "Location", label, (("kind", "venue"),))
            body = reference(replace(mention, type="Organization", key=body_key), document, province, places_inside)
            label = f"{venue} of {body.label}"
            return Reference("loc:" + slugify(label), "Location", label, (("kind", "venue"),))
        label = romanize_name(mention.text, lang)
        # A place read from its syllables; its level noun, when written, says what kind of place it is.
        # Arabic translation writes a district (huyện) with the province noun too (بمقاطعة نام جيانج):
        # a Vietnamese "province" the gazetteer does not know is a district.
        value, _, abroad = value.partition("#")
        if kind == "level" and value == "province" and not abroad and label and gazetteer.entry(slugify(label)) is None and vietnamese_syllables(mention.text, lang):
            value = "district"
        attrs = (("kind", value),) if kind == "level" else ()
        return Reference("loc:" + slugify(label), "Location", label, attrs)
    if mention.type == "Campaign" and kind == "campaign":
        row = lexicon_info(lang, "campaigns").get(value)
        return Reference("campaign:" + value, "Campaign", row[2] if row and len(row) > 2 else value)
    if mention.type == "Organization" and kind == "for":
        # A committee for an event: "Organizing Committee for the 80th Anniversary of the National Assembly of Vietnam".
        event_key, _, english = value.rpartition("|")
        event = reference(replace(mention, type="Event", key=event_key), document, province, places_inside)
        label = f"{english} for the {event.label}"
        return Reference(f"organization:{slugify(label)}", "Organization", label)
    if mention.type == "Organization":
        value, _, where = value.partition("@")
        where, _, level = where.partition("#")
        place = explicit_place(where, lang)
        if place and kind == "body" and level == "country":
            # Another country's body: "National Assembly of Laos", located in Laos, never Vietnam's.
            place_id, place_label = place
            core = gazetteer.core_label(body_label(lang, value))
            label = f"{title_words(core)} of {place_label}"
            return Reference(f"body:{place_id}-{slugify(core)}", "Organization", label, (("scope", "foreign"), ("country", place_id)))
        if place and kind == "body":
            # The Front or a mass organisation of a province is its provincial committee or union there.
            value = gazetteer.local_branch(value) or value
            label = body_label(lang, value)
            place_id, place_label = place
            if level:
                # A commune's or ward's body: "Vietnam Fatherland Front Committee of Lai Thieu Ward".
                generic = PROVINCE_LEVEL_WORD.sub("", label)
                return Reference(
                    f"body:{place_id}-{level}-{slugify(generic)}",
                    "Organization",
                    local_label(label, place_label, level),
                    (("scope", "local"), ("province", place_id), ("body", gazetteer.canonical_id(value)), ("level", level)),
                )
            return Reference(
                f"body:{place_id}-{gazetteer.canonical_id(value)}",
                "Organization",
                joined_label(place_label, label),
                (("scope", "local"), ("province", place_id), ("body", gazetteer.canonical_id(value))),
            )
        body = value if kind == "body" else known_body(mention.text, lang)
        if body:
            row = lexicon_info(lang, "bodies").get(body)
            label = body_label(lang, body)
            known = gazetteer.entry(body)
            # A body read from its English label may have no row in this language's table: the gazetteer's scope.
            scope = row[3] if row and len(row) > 3 else (known.scope if known else "national")
            if scope == "local" and province:
                return Reference(
                    f"body:{province}-{gazetteer.canonical_id(body)}",
                    "Organization",
                    joined_label(location_label(lang, province), label),
                    (("scope", "local"), ("province", province), ("body", gazetteer.canonical_id(body))),
                )
            if scope == "local":
                # One per province, and the article names none: this article's, never merged with another's.
                return Reference(f"body:{document.id}-{gazetteer.canonical_id(body)}", "Organization", label, (("scope", "local"), ("body", gazetteer.canonical_id(body))))
            # Tables of different languages may name one body by different ids: the gazetteer's wins.
            return Reference("body:" + gazetteer.canonical_id(body), "Organization", label, (("scope", scope),))
    if mention.type == "Event" and kind == "history":
        # An event of Vietnam's history (the August Revolution): one entity whichever article names it.
        row = lexicon_info(lang, "named_events").get(value)
        attrs = (("event_type", "historic"),) + ((("date", row[3]),) if row and len(row) > 3 else ())
        return Reference("event:" + value, "Event", row[2] if row and len(row) > 2 else value, attrs)
    if mention.type == "Event" and kind == "event" and "@" in value:
        # A body's numbered event: "15th Congress of the Dien Bien Provincial Party Committee";
        # an anniversary of a historic event: "80th Anniversary of the August Revolution".
        value, _, owner_key = value.partition("@")
        event_type, number = value.split(":", 1)
        owner_type = "Event" if owner_key.startswith("history:") else "Organization"
        # The owner's own mention when the article has it: a body the grammar read is labelled from its own words.
        owner_mention = (owners or {}).get(mention) or replace(mention, type=owner_type, key=owner_key)
        owner = reference(owner_mention, document, province, places_inside)
        return Reference(
            f"event:{number}-{owner.key}-{event_type}",
            "Event",
            f"{ordinal_label(int(number))} {event_type.capitalize()} of the {owner.label}",
            (("event_type", event_type), ("owner", owner.key)),
        )
    if mention.type == "Event" and kind == "event" and ":" in value:
        event_type, number = value.split(":", 1)
        place = places_inside.get(mention)
        if place or national_event(mention.text, lang):
            where = location_label(lang, place) if place else "National"
            return Reference(
                f"event:{number}-{place or 'national'}-{event_type}",
                "Event",
                f"{ordinal_label(int(number))} {where} {event_type.capitalize()}",
                (("event_type", event_type),) + ((("province", place),) if place else ()),
            )
        # "The 11th conference" of a body the sentence leaves unnamed: this article's (or province's) own.
        within = f" in {location_label(lang, province)}" if province else ""
        return Reference(
            f"event:{number}-{province or document.id}-{event_type}",
            "Event",
            f"{ordinal_label(int(number))} {event_type.capitalize()}{within}",
            (("event_type", event_type),) + ((("province", province),) if province else ()),
        )
    qualifier = province or document.id
    if mention.type == "Organization":
        place_key = mention.key.partition("@")[2]
        where = explicit_place(place_key, lang)
        own = own_body_words(mention.text, place_key, lang) if where else None
        if own:
            # A body the grammar read with its place (اتحاد نساء مقاطعة لاي تشاو, नाम कैट तिएन
            # कम्यून के किसान संघ): a known body's branch there, else its own words and the place.
            branch = gazetteer.branch_by_label(own)
            if branch:
                return reference(replace(mention, key=f"body:{branch}@{place_key}"), document, province, places_inside)
            label = local_label(own, where[1], place_key.partition("#")[2])
            return Reference(f"organization:{where[0]}:{slugify(label)}", "Organization", label, (("scope", "local"), ("province", where[0])))
        english = english_body_label(mention.text, lang, lambda loc: location_label(lang, loc))
        known = gazetteer.body_by_label(english) if english and not where else None
        if known:
            # Words the tables do not list that read as a known body's name (प्रांतीय वियतनाम पितृभूमि मोर्चा समिति).
            return reference(replace(mention, key=f"body:{known}"), document, province, places_inside)
        if english:
            # A provincial body of the article's province is that province's (Ha Tinh Provincial …).
            if province and english.startswith("Provincial"):
                english = f"{location_label(lang, province)} {english}"
            named_in = province_in_name(mention.text, lang)
            if named_in:
                # A body whose name holds a province or a centrally-run city (لجنة حزب مدينة هوشي منه)
                # is that province's body, whichever province the article is about.
                return Reference(f"organization:{named_in}:{slugify(english)}", "Organization", english, (("scope", "local"), ("province", named_in)))
            return Reference(f"organization:{qualifier}:{slugify(english)}", "Organization", english)
    return Reference(f"{mention.type.lower()}:{qualifier}:{fold(mention.text, lang)}", mention.type, mention.text)


PROVINCE_LEVEL_WORD = re.compile(r"^(?:Provincial|City|District|Commune|Ward) ")
NATIONAL_WORDS = {"National", "Central", "Party"}


def national_event(text: str, lang: str) -> bool:
    """Whether a numbered event's own words make it national (13वीं राष्ट्रीय पार्टी कांग्रेस, المؤتمر الوطني الثالث عشر للحزب)."""
    words, _ = glossary(lang)
    english = {words.get(key) for token in text.split() for key, _ in text_keys(token, lang)}
    return bool(english & NATIONAL_WORDS) and not english & LEVEL_WORDS


def local_label(body: str, place: str, level: str = "") -> str:
    """A body of a named place: "Farmers' Association of Nam Cat Tien Commune" (its own level word dropped)."""
    return f"{PROVINCE_LEVEL_WORD.sub('', body)} of {place}" + (f" {level.capitalize()}" if level else "")


PROVINCE_KINDS = frozenset({"province", "city"})


def province_in_name(text: str, lang: str) -> str | None:
    """The one province (or centrally-run city) of Vietnam a body's name holds, if it holds one."""
    from kg.extract.lexicon import resource_lexicon
    from kg.extract.tokenize import tokenize_span

    tokens = tokenize_span(text, 0, len(text))
    found = {gazetteer.canonical_id(m.value) for m in resource_lexicon(lang, "locations").find_all(tokens)}
    provinces = [p for p in found if (entry := gazetteer.entry(p)) is not None and entry.kind in PROVINCE_KINDS and entry.parent in (None, "vietnam")]
    return provinces[0] if len(provinces) == 1 else None


def own_body_words(text: str, place_key: str, lang: str) -> str | None:
    """The English label of a body's own words, the place written in its name left out."""
    named = place_key.partition("#")[0].partition(":")[2] if place_key.startswith("name:") else ""
    if named and named in text:
        text = text.replace(named, " ")
    return english_body_label(text, lang, lambda loc: "")


def vietnamese_syllables(text: str, lang: str) -> bool:
    """Whether a name reads as Vietnamese syllables, every one known (not a Lao or Chinese place)."""
    syllables = name_syllables(text, lang)
    return len(syllables) >= 2 and all(s.known for s in syllables)


def joined_label(place_label: str, body: str) -> str:
    """The place's label before the body's, its level word said once (Ho Chi Minh City + City Party Committee).

    An organ's label names its owner after "of the": the place qualifies the owner
    (Standing Committee of the Hai Phong City Party Committee).
    """
    organ, of, owner = body.partition(" of the ")
    if of and PROVINCE_LEVEL_WORD.match(owner):
        return f"{organ} of the {joined_label(place_label, owner)}"
    last = place_label.rsplit(" ", 1)[-1]
    if body.split(" ", 1)[0] == last and " " in body:
        return f"{place_label} {body.split(' ', 1)[1]}"
    return f"{place_label} {body}"


def title_words(text: str) -> str:
    """A lower-cased label capitalised as a name: "supreme people's court" → "Supreme People's Court"."""
    small = {"of", "the", "and", "for", "in"}
    words = text.split()
    return " ".join(w if (w in small and i) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def explicit_place(where: str, lang: str) -> tuple[str, str] | None:
    """(id, label) of the place a body's name states (``loc:<id>``, or a name read from its syllables)."""
    kind, _, value = where.partition("#")[0].partition(":")
    if kind == "loc" and value:
        return value, location_label(lang, value)
    if kind == "name" and value:
        label = romanize_name(value, lang)
        return (slugify(label), label) if label else None
    return None


def known_body(text: str, lang: str) -> str | None:
    found = known_body_as_written(text, lang)
    if found is None and lang == "ar" and text.startswith("ل"):
        # للجنة = ل + اللجنة: a name cut after the preposition has lost its article.
        found = known_body_as_written("ال" + text, lang)
    return found


def known_body_as_written(text: str, lang: str) -> str | None:
    from kg.extract.lexicon import resource_lexicon
    from kg.extract.tokenize import tokenize_span

    lexicon = resource_lexicon(lang, "bodies")
    tokens = tokenize_span(text, 0, len(text))
    if not tokens:
        return None
    match = lexicon.match_at(tokens, 0)
    if match and len(tokens) == 1 and fold(tokens[0].text, lang) in alone_bodies(lang):
        return None  # a word naming its body only standing alone, which the recogniser checked when it keyed it
    if match and match.end_token == len(tokens):
        return match.value
    # Arabic writes the province after the body (لجنة الحزب الإقليمية ها تينه).
    if match:
        place = resource_lexicon(lang, "locations").match_at(tokens, match.end_token)
        if place and place.end_token == len(tokens):
            return match.value
    return None
