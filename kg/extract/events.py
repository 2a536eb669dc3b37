"""Events: each article's main event, with its type, date and place.

News of this kind reports one occasion (a conference, a meeting, a training
course) and mostly calls it by its kind alone ("the conference"), so the main
event is the kind of event the article names most often. Its date comes from a
day-and-month phrase (“9 अक्टूबर की सुबह”, “في صباح يوم 9 أكتوبر”) completed
with the year the article gives; without a year the date stays partial
(``--10-09``).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from kg.dates import readable_date
from kg.extract.lexicon import fold, resource_lexicon
from collections.abc import Sequence

from kg.model import Document, Entity, Mention, Sentence
from kg.extract.resources import load_table
from kg.extract.translit import slugify

DAY = re.compile(r"^\d{1,2}$")
# Events an article celebrates rather than reports: the 80th anniversary is the meeting's reason.
CELEBRATED = ("anniversary",)


def event_word_counts(document: Document, sentences: list[Sentence]) -> Counter[str]:
    events = resource_lexicon(document.lang, "events")
    counts: Counter[str] = Counter()
    for sentence in sentences:
        for match in events.find_all(sentence.tokens):
            counts[match.value] += 1
    return counts


@lru_cache(maxsize=None)
def kinds_written_alike(lang: str) -> frozenset[tuple[str, str]]:
    """Pairs of event kinds a language writes with one word: a kind's one-word name heads another kind's name.

    A translation renders Đại hội (congress) and Hội nghị (conference) both as مؤتمر
    or सम्मेलन (प्रतिनिधि सम्मेलन, a congress of delegates): "the conference" of an
    article may be the numbered congress it names. Hindi names end on their head
    noun, Arabic names begin with it.
    """
    rows = [(fold(r[0], lang).split(), r[1]) for r in load_table(lang, "events") if len(r) > 1]
    head = 0 if lang == "ar" else -1
    pairs = set()
    for words, kind in rows:
        if len(words) != 1:
            continue
        for other_words, other in rows:
            if other != kind and other_words[head] == words[0]:
                pairs.update({(kind, other), (other, kind)})
    return frozenset(pairs)


def written_alike(lang: str, kind: str | None, other: str | None) -> bool:
    return kind is not None and other is not None and (kind == other or (kind, other) in kinds_written_alike(lang))


def find_date(document: Document, sentences: list[Sentence]) -> str | None:
    """The first day-and-month phrase of the article that dates the event, as an ISO date.

    A date is the event's only when the text says so: a range of two dates
    (``19 أغسطس 1945 - 19 أغسطس 2025``) is an anniversary, not the day of the
    event, and is passed over. The year is the one written after the day and
    month, else the article's own (``date`` metadata or a dateline); never a
    year read elsewhere in the text, such as a term (2025-2030). Without one
    the date stays partial (``--MM-DD``).
    """
    months = {fold(row[0], document.lang): int(row[1]) for row in load_table(document.lang, "months") if len(row) > 1}
    for sentence in sentences:
        tokens = sentence.tokens
        dates = []
        for i in range(len(tokens) - 1):
            if DAY.match(tokens[i].text):
                month = months.get(fold(tokens[i + 1].text, document.lang))
                day = int(tokens[i].text)
                if month and 1 <= day <= 31:
                    year = year_after(tokens, i + 2)
                    dates.append((i, i + 2 + (1 if year else 0), day, month, year))
        for n, (start, end, day, month, year) in enumerate(dates):
            in_range = (n + 1 < len(dates) and is_dash_between(tokens, end, dates[n + 1][0])) or (
                n > 0 and is_dash_between(tokens, dates[n - 1][1], start)
            )
            if in_range:
                continue
            year = year or article_year(document)
            return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    return None


def is_dash_between(tokens, end: int, start: int) -> bool:  # noqa: ANN001
    return start - end == 1 and tokens[end].text in "-–—"


DATELINE_DATE = re.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-]((?:19|20)\d\d)(?!\d)")


DATELINE_REACH = 300  # characters at the top where any dd/mm/yyyy is the article's date
DATELINE_LINES = 2000  # characters in which a short line ending in a date is a dateline
DATELINE_LINE_LENGTH = 48


def article_year(document: Document) -> int | None:
    """The year the article was published: its ``date`` metadata, else a dateline's.

    A dateline is a dd/mm/yyyy near the top, or a short line ending in one
    below the lead (``Việt Nam•17/10/2025``: a source and its date, a page's
    byline); a date inside a sentence further down says nothing of the article.
    """
    date = getattr(document, "date", None)
    if date and re.match(r"\d{4}", date):
        return int(date[:4])
    match = DATELINE_DATE.search(document.text[:DATELINE_REACH])
    if match:
        return int(match.group(1))
    for line in document.text[:DATELINE_LINES].splitlines():
        line = line.strip()
        match = DATELINE_DATE.search(line)
        if match and match.end() == len(line) and len(line) <= DATELINE_LINE_LENGTH:
            return int(match.group(1))
    return None


def year_after(tokens, i: int) -> int | None:
    if i < len(tokens) and re.fullmatch(r"(19|20)\d\d", tokens[i].text):
        return int(tokens[i].text)
    return None


UNNAMED = "occasion"  # an occasion the article reports without naming its kind (a visit, a tribute)
PARTICIPATION_CUES = ("attended", "chaired", "spokeAt")


def reports_participation(document: Document, sentences: Sequence[Sentence]) -> bool:
    """Whether someone attends, chairs or speaks: then the article reports an occasion, named or not."""
    triggers = resource_lexicon(document.lang, "triggers")
    return any(m.value in PARTICIPATION_CUES for sentence in sentences for m in triggers.find_all(sentence.tokens))


def main_event(
    document: Document,
    sentences: list[Sentence],
    province: str | None,
    province_label: str | None,
    mentions: Sequence[Mention] = (),
) -> Entity | None:
    """The article's main event as an entity without mentions, or None if it names no event."""
    counts = event_word_counts(document, sentences)
    # A congress is usually a named event the article refers to (the 13th National Party
    # Congress), not the occasion being reported; a body's own numbered congress
    # (X की 15वीं कांग्रेस) is the occasion, unless the article's activity welcomes it.
    owned = sum(1 for m in owned_congresses(mentions) if not welcomed(document, sentences, m))
    if owned:
        counts["congress"] = owned + counts.get("congress", 0)
        # The article's "conference" words are the congress it names where one word writes both (مؤتمر).
        for kind in [k for k in counts if k != "congress" and written_alike(document.lang, k, "congress")]:
            counts["congress"] += counts.pop(kind)
    else:
        counts.pop("congress", None)
    for kind in CELEBRATED:
        counts.pop(kind, None)
    if not counts:
        if not reports_participation(document, sentences):
            return None
        counts[UNNAMED] = 1
    event_type = min(counts, key=lambda t: (-counts[t], t))
    date = find_date(document, sentences) or document.date
    where = f" in {province_label}" if province_label else ""
    when = f" on {readable_date(date)}" if date else ""
    attrs = {"event_type": event_type, "doc": document.id, "main": "true"}
    if date:
        attrs["date"] = date
    if province:
        attrs["province"] = province
    return Entity(
        id=slugify(f"e-{document.id}-{event_type}"),
        type="Event",
        label=f"{event_type.capitalize()}{where}{when}",
        attrs=attrs,
    )


def named_main_event(
    event: Entity,
    mentions: Sequence[Mention],
    entity_of: dict[Mention, str],
    entities: dict[str, Entity],
    document: Document | None = None,
    sentences: Sequence[Sentence] = (),
) -> Entity:
    """The main event as the article names it, when it does (the 15th Congress of X).

    A body's numbered congress, when the article reports a congress, is the
    occasion itself; so is a numbered event of the main event's type that the
    lead says was held (X ने 11वीं कार्यकारी समिति सम्मेलन आयोजित किया). The named
    event takes the main event's date and place, and the article's relations
    point to it, so the same event reported by several articles is one event.
    """
    event_type = event.attrs.get("event_type")
    if event_type == "congress":
        candidates = [m for m in owned_congresses(mentions) if document is None or not welcomed(document, sentences, m)]
    elif document is not None:
        # A numbered session or conference is often the frame of the reported sitting, not the
        # sitting: only one the lead says was held is the occasion.
        # A province's numbered session named in the lead is reported whole: its council sits for
        # days, where the National Assembly's month-long session frames the sitting reported.
        candidates = [
            m for m in mentions
            if m.type == "Event" and m.key.startswith("event:") and (event_type == UNNAMED or written_alike(document.lang, m.key.split(":")[1], event_type))
            and (held_in_lead(document, sentences, m, mentions) or (provincial(entities.get(entity_of.get(m, ""))) and in_lead(sentences, m)))
        ]
    else:
        candidates = []
    for mention in candidates:
        named = entities.get(entity_of.get(mention, ""))
        if named is not None:
            named.attrs.update({k: v for k, v in event.attrs.items() if k != "event_type" or "event_type" not in named.attrs})
            return named
    return event


def provincial(event: Entity | None) -> bool:
    """Whether a named event is a province's (its name holds the province, or its owner is a local body)."""
    return event is not None and ("province" in event.attrs or "-provincial-" in event.attrs.get("owner", ""))


def in_lead(sentences: Sequence[Sentence], mention: Mention) -> bool:
    return any(s.start <= mention.start < s.end for s in list(sentences)[:LEAD_SENTENCES])


def owned_congresses(mentions: Sequence[Mention]) -> list[Mention]:
    """A body's numbered congresses: named with the body (X की 15वीं कांग्रेस) or with its province
    (पहली क्वांग न्गाई प्रांतीय पार्टी कांग्रेस: the provincial party organisation's own congress)."""
    return [
        m for m in mentions
        if m.type == "Event" and ":congress:" in m.key
        and (m.source.endswith("owned-event") or any(p.type == "Location" and p.key.startswith("loc:") and m.start <= p.start and p.end <= m.end for p in mentions))
    ]


LEAD_SENTENCES = 3  # a page excerpt puts a site banner line and the headline before the lead
TRIGGER_REACH = 3  # tokens between a held event's name and its verb
WELCOME_REACH = 8  # tokens between a welcomed event's name and the welcome word


def mention_tokens(sentences: Sequence[Sentence], mention: Mention) -> tuple[list, list]:
    """The tokens of the mention's sentence before it and after it."""
    sentence = next((s for s in sentences if s.start <= mention.start < s.end), None)
    if sentence is None:
        return [], []
    return [t for t in sentence.tokens if t.end <= mention.start], [t for t in sentence.tokens if t.start >= mention.end]


@lru_cache(maxsize=None)
def function_words_of(lang: str, role: str) -> frozenset[str]:
    """The folded function words of a role (``welcome``, ``opening``), read once per language."""
    return frozenset(fold(r[0], lang) for r in load_table(lang, "function_words") if len(r) > 1 and r[1] == role)


def welcomed(document: Document, sentences: Sequence[Sentence], mention: Mention) -> bool:
    """Whether the event is what the sentence's activity welcomes (chào mừng): another event than the one reported.

    Hindi writes the welcome after the event (X की कांग्रेस का स्वागत करना), Arabic before it (ترحيبا بالمؤتمر).
    """
    words = function_words_of(document.lang, "welcome")
    before, after = mention_tokens(sentences, mention)
    near = after[:WELCOME_REACH] if document.lang == "hi" else before[-4:]
    return any(fold(t.text, document.lang) in words for t in near)


def held_in_lead(document: Document, sentences: Sequence[Sentence], mention: Mention, mentions: Sequence[Mention] = ()) -> bool:
    """Whether a lead sentence says the event was held: an organising verb right after (Hindi) or before (Arabic) its name.

    The body that held it may stand between, as the verb's subject (Arabic is verb-subject-object:
    عقدت جمعية المزارعين الإقليمية المؤتمر السابع عشر): its words do not count towards the reach.
    """
    if not in_lead(sentences, mention):
        return False
    triggers = resource_lexicon(document.lang, "triggers")
    before, after = mention_tokens(sentences, mention)
    bodies = [(m.start, m.end) for m in mentions if m.type == "Organization"]
    before = [t for t in before if not any(s <= t.start and t.end <= e for s, e in bodies)]
    near = tuple(after[:TRIGGER_REACH] if document.lang == "hi" else before[-TRIGGER_REACH:])
    opening = function_words_of(document.lang, "opening")
    return any(m.value == "organized" for m in triggers.find_all(near)) or any(fold(t.text, document.lang) in opening for t in near)
