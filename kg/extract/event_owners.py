"""Who organised an event and which event a verb is about: the owners of the article's events.

``EventOwners`` is a part of ``kg.extract.relations.RelationExtractor`` (its
language, entities, main event, post chains and ``add``): a level's party
congress is its party committee's, "the conference of X" and X's numbered
event are X's, the bodies a verb of organising has for subject organised the
event it is about, unless the verb is a passive that names no doer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kg.extract.body_labels import LEVEL_WORDS, glossary
from kg.extract.lexicon import Lexicon, Match, fold
from kg.extract.ordinals import ordinal_at
from kg.extract.posts import SEPARATORS, PostChainReader, SentenceView
from kg.model import Entity, Evidence, Mention, Token

COUNCIL = "provincial-peoples-council"  # the body whose numbered sessions a province holds
PASSIVE_MARK = "\u064f"  # Arabic damma: on a verb's first letter, the passive voice


class EventOwners:
    """organized, for ``RelationExtractor``."""

    lang: str
    entities: dict[str, Entity]
    entity_of: dict[Mention, str]
    main_event: Entity | None
    events: Lexicon
    posts: Lexicon
    chains: PostChainReader
    add: Callable[..., None]
    evidence: Callable[..., Evidence]

    def extract_party_congress_owner(self, view: SentenceView, named: Mention) -> None:
        """A level's party congress is convened by that level's party committee.

        पहली बाक निन्ह प्रांतीय पार्टी कांग्रेस (the 1st Bac Ninh Provincial Party Congress,
        Đại hội Đảng bộ tỉnh) is organised by the Bac Ninh Provincial Party Committee, when
        the article names it.
        """
        words, _ = glossary(self.lang)
        tokens = view.sentence.tokens
        start, end = view.token_range(named)
        english = {words.get(fold(tokens[k].text, self.lang)) for k in range(start, end)}
        levels = [w for w in english if w in LEVEL_WORDS]
        if "Party" not in english or len(levels) != 1:
            return
        event_id = self.entity_of.get(named)
        if event_id is None:
            return
        places = [self.entity_of[m] for m in view.mentions if m.type == "Location" and named.start <= m.start and m.end <= named.end and m in self.entity_of]
        body = f"{levels[0].lower()}-party-committee"
        for entity in self.entities.values():
            if entity.type == "Organization" and entity.attrs.get("body") == body and entity.attrs.get("province") in places:
                self.add(entity.id, "organized", event_id, self.evidence(view, "party-congress-of-level", 0.7, [named]))

    def coordinated(self, view: SentenceView, orgs: list[Mention]) -> list[Mention]:
        """The first body and those joined to it as one list (A، B وC; A, B और C ने): a shared subject.

        Between two items stand only separators, conjunctions and posts (राष्ट्रपति: the
        President's office in a list of bodies); Arabic writes و on the next body's word.
        """
        tokens = view.sentence.tokens
        ordered = sorted(orgs, key=lambda m: m.start)
        found = [ordered[0]]
        for org in ordered[1:]:
            _, previous_end = view.token_range(found[-1])
            start, _ = view.token_range(org)
            k = previous_end
            while k < start:
                post = self.posts.match_at(tokens, k)
                if post is not None:
                    k = post.end_token
                elif tokens[k].text in SEPARATORS or fold(tokens[k].text, self.lang) in self.chains.conjunctions:
                    k += 1
                else:
                    break
            if k < start:
                break
            found.append(org)
        return found

    def written_passive(self, view: SentenceView, trigger: Match) -> bool:
        """An Arabic verb voweled as a passive (عُقد المؤتمر: the conference was held) names no organiser.

        Arabic is written without short vowels unless a form must be told apart;
        a damma on the first letter marks the passive, whose doer goes unnamed.
        """
        if self.lang != "ar":
            return False
        word = view.sentence.tokens[trigger.start_token].text
        if word[:1] in ("و", "ف") and len(word) > 2 and word[2] == PASSIVE_MARK:
            return True  # وعُقد: the conjunction written on the verb
        return len(word) > 1 and word[1] == PASSIVE_MARK

    def event_object_near(self, view: SentenceView, trigger: Match) -> bool:
        """The event is the trigger's object: named just before it (Hindi) or after it (Arabic)."""
        events = self.events.find_all(view.sentence.tokens)
        if self.lang == "ar":
            return any(0 <= e.start_token - trigger.end_token <= 12 for e in events)
        return any(0 <= trigger.start_token - e.end_token <= 4 for e in events)

    def extract_event_owners(self, view: SentenceView) -> None:
        """“The conference of X” names X as the organiser: Hindi ``X का सम्मेलन``, Arabic ``مؤتمر X``."""
        event = self.main_event
        if event is None:
            return
        tokens = view.sentence.tokens
        events = [m for m in self.events.find_all(tokens) if m.value == event.attrs.get("event_type")]
        # A body's numbered event is one name (X की 15वीं कांग्रेस): its owner is the body inside it.
        owners = []
        for named in view.outer_of_type("Event"):
            if named.source.endswith("grammar:owned-event"):
                inner = [m for m in view.mentions if m.type == "Organization" and named.start <= m.start and m.end <= named.end]
                if inner:
                    owners.append(max(inner, key=lambda m: m.end - m.start))
        for org in view.outer_of_type("Organization") + owners:
            start, end = view.token_range(org)
            # An ordinal may stand between them: X की 15वीं कांग्रेस, الدورة الخامسة لمجلس …
            if self.lang == "ar":
                owned = any(self.after_ordinal(tokens, e.end_token) == start for e in events)
            else:
                owned = end + 1 < len(tokens) and fold(tokens[end].text, self.lang) in self.chains.links and any(
                    e.start_token in (end + 1, self.after_ordinal(tokens, end + 1)) for e in events
                )
            if owned:
                self.add(self.entity_of[org], "organized", event.id, self.evidence(view, "event-of-body", 0.6, [org]))

    def extract_named_owners(self, view: SentenceView) -> None:
        """A body's numbered event is organised by that body, wherever the article names it.

        A party committee, a front or an association convenes its own congress and
        conferences: the name (the 20th Congress of the Nghe An Provincial Party
        Committee) says who organised it, main event or not. A body's numbered session
        (the 8th Session of the National Assembly) is organised by it only when it is
        the occasion the article reports: named as the frame of a sitting, it is the
        body's term of work, which the annotations give no organiser. Its owner may be
        named before it ("its 43rd session": جلستها الثالثة والأربعين).
        """
        main = self.main_event.id if self.main_event is not None else None
        for named in view.outer_of_type("Event"):
            if named.key.startswith("event:congress:") and "@" not in named.key:
                self.extract_party_congress_owner(view, named)
            if named.key.startswith("event:session:") and "@" not in named.key and self.entity_of.get(named) == main:
                self.extract_council_session_owner(view, named)
            if not named.source.endswith("grammar:owned-event") or named.key.startswith("event:anniversary:"):
                continue
            event_id = self.entity_of.get(named)
            session = named.key.startswith("event:session:")
            if session and event_id != main:
                continue
            owner_key = named.key.partition("@")[2]
            owners = [m for m in view.mentions if m.type == "Organization" and m.key == owner_key and (session or named.start <= m.start and m.end <= named.end)]
            if owners and event_id is not None:
                self.add(self.entity_of[owners[0]], "organized", event_id, self.evidence(view, "owner-in-name", 0.7, [named]))

    def extract_council_session_owner(self, view: SentenceView, named: Mention) -> None:
        """A province's numbered session (kỳ họp thứ N) is its People's Council's, which the article names."""
        event = self.entities.get(self.entity_of.get(named, ""))
        province = event.attrs.get("province") if event is not None else None
        councils = [
            e.id for e in self.entities.values()
            if e.type == "Organization" and e.attrs.get("body") == COUNCIL and province and e.attrs.get("province") == province
        ]
        if event is not None and len(councils) == 1:
            self.add(councils[0], "organized", event.id, self.evidence(view, "session-of-council", 0.6, [named]))

    def after_ordinal(self, tokens: Sequence[Token], i: int) -> int:
        """The token after an ordinal starting at ``i`` (``15वीं``, ``الخامسة عشرة``), or ``i`` itself."""
        if i >= len(tokens):
            return i
        found = ordinal_at(tokens, i, self.lang)
        return found[0] if found else i
