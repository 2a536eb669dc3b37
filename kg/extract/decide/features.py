"""What a reader would weigh before saying a relation holds: the features of one candidate.

Every feature is a name with value 1 (present); a candidate's features are the
union over the places where its entities stand, so an attendee named twice has
the cues of both sentences. Features are language-neutral names (a cue's
predicate, not its word) plus a copy prefixed by the language, so the
classifier can learn what both languages share and where they differ. The
one word feature (the token before a body a post names) is read folded, as data.
"""

from __future__ import annotations

from kg.extract import gazetteer
from kg.extract.decide.article import PARTICIPATION, ArticleView, Occurrence, clause_bounds, in_quote, separators_between
from kg.extract.decide.candidates import Candidate
from kg.extract.events import written_alike
from kg.extract.lexicon import fold

NEAR = 6  # tokens: a cue this close to a name is "near" it


def bucket(n: int, edges: tuple[int, ...] = (0, 1, 2, 3, 5, 8, 12, 20)) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


def features(article: ArticleView, candidate: Candidate) -> dict[str, float]:
    found: set[str] = set()
    rule_features(article, candidate, found)
    if candidate.predicate in PARTICIPATION:
        event_features(article, candidate, found)
    elif candidate.predicate == "holdsPost":
        post_features(article, candidate, found)
    elif candidate.predicate == "locatedIn":
        place_features(article, candidate, found)
    elif candidate.predicate in ("subOrganizationOf", "memberOf"):
        structure_features(article, candidate, found)
    lang = article.lang
    result = {name: 1.0 for name in found}
    result.update({f"{lang}|{name}": 1.0 for name in found})
    return result


def rule_features(article: ArticleView, candidate: Candidate, found: set[str]) -> None:
    """What today's rules say: a rule firing is strong evidence, not the final word."""
    fired = article.rule_fired(candidate.key())
    if fired is not None:
        found.add("rule")
        found.add("rule:" + fired.evidence.rule.split("+")[0])
    for relation in article.rules_by_subject.get(candidate.subject, ()):
        if relation.object == candidate.object and relation.predicate != candidate.predicate:
            found.add("rule_also:" + relation.predicate)
        elif relation.predicate == candidate.predicate and relation.object != candidate.object:
            found.add("rule_other_object")
    found.add("stype:" + article.entity_type(candidate.subject))
    found.add("otype:" + article.entity_type(candidate.object))


# -- where one entity stands -------------------------------------------------------

def standing_features(article: ArticleView, occurrence: Occurrence, prefix: str, found: set[str]) -> None:
    """Headline, lead, caption, list, quote, credit and nesting of one occurrence.

    The words next to a name are left out: as features they fitted the articles
    trained on and cost attended 0.03 F1 out of fold (5-fold, 88 articles).
    """
    view = article.views[occurrence.sentence]
    tokens = view.sentence.tokens
    position = occurrence.sentence
    found.add(f"{prefix}sent:{bucket(position, (0, 1, 3))}")
    if position in article.short_lines:
        found.add(f"{prefix}short_line")
    if in_quote(tokens, occurrence.start):
        found.add(f"{prefix}quote")
    if occurrence.start > 0 and tokens[occurrence.start - 1].text == "(":
        found.add(f"{prefix}in_paren")
    mention = occurrence.mention
    if mention is not None:
        if mention.source.startswith("rule:credit"):
            found.add(f"{prefix}credit")
        for other in view.mentions:
            if other is not mention and other.start <= mention.start and mention.end <= other.end and (other.end - other.start) > (mention.end - mention.start):
                found.add(f"{prefix}nested_in:{other.type}")
    if article.is_possessor(occurrence):
        found.add(f"{prefix}possessor")
    if len(article.persons_in[position]) >= 3:
        found.add(f"{prefix}list_persons")
    if len(article.orgs_in[position]) >= 3:
        found.add(f"{prefix}list_orgs")


def cue_features(article: ArticleView, occurrence: Occurrence, found: set[str]) -> None:
    """The relation cue words of the sentence, by how close they stand to the occurrence."""
    tokens = article.views[occurrence.sentence].sentence.tokens
    clause = clause_bounds(tokens, occurrence.start, occurrence.end, strong_only=True)
    segment = clause_bounds(tokens, occurrence.start, occurrence.end, strong_only=False)
    persons = article.persons_in[occurrence.sentence]
    triggers = article.triggers[occurrence.sentence]
    if len(persons) > 1 and triggers:
        # A name in a list whose verb stands in another name's clause (कॉमरेड A …; कॉमरेड B … उपस्थित थे).
        others = [clause_bounds(tokens, s, e, strong_only=True) for s, e in persons if (s, e) != (occurrence.start, occurrence.end)]
        if any(lo <= m.start_token < hi for lo, hi in others for m in triggers):
            found.add("cue_with_other_person")
    for match in article.triggers[occurrence.sentence]:
        cue = match.value
        found.add("cue_sent:" + cue)
        if clause[0] <= match.start_token and match.end_token <= clause[1]:
            found.add("cue_clause:" + cue)
            side = "before" if match.end_token <= occurrence.start else "after"
            found.add(f"cue_{side}:{cue}")
            lo, hi = (match.end_token, occurrence.start) if side == "before" else (occurrence.end, match.start_token)
            others = sum(1 for s, _ in persons if lo <= s < hi)
            found.add(f"cue_{side}_persons_between:{bucket(others, (0, 1, 3))}")
        if segment[0] <= match.start_token and match.end_token <= segment[1]:
            found.add("cue_seg:" + cue)
        distance = max(0, match.start_token - occurrence.end, occurrence.start - match.end_token)
        if distance <= NEAR:
            found.add("cue_near:" + cue)


def clause_words(article: ArticleView, occurrence: Occurrence, found: set[str]) -> None:
    """The words of the occurrence's clause that are not names: cues the lists may lack (وكان من بين الحاضرين)."""
    tokens = article.views[occurrence.sentence].sentence.tokens
    bounds = clause_bounds(tokens, occurrence.start, occurrence.end, strong_only=True)
    key = (occurrence.sentence, *bounds)
    words = article.clause_words.get(key)
    if words is None:
        named = article.named_tokens[occurrence.sentence]
        words = article.clause_words[key] = frozenset(
            "w:" + fold(tokens[k].text, article.lang) for k in range(*bounds) if k not in named and tokens[k].text[0].isalpha()
        )
    found.update(words)


def pair_features(article: ArticleView, subjects: list[Occurrence], objects: list[Occurrence], found: set[str]) -> None:
    """How the two entities stand to each other in the sentences that name both (the nearest pair of each)."""
    shared = 0
    for sentence in sorted({o.sentence for o in subjects} & {o.sentence for o in objects}):
        pairs = [(a, b) for a in subjects if a.sentence == sentence for b in objects if b.sentence == sentence]
        a, b = min(pairs, key=lambda p: (distance_of(*p), p[0].start, p[1].start))
        shared += 1
        tokens = article.views[sentence].sentence.tokens
        if b.start >= a.start and b.end <= a.end and (a.start, a.end) != (b.start, b.end):
            found.add("o_inside_s")
            found.add("o_inside_s_at:" + ("start" if b.start == a.start else "end" if b.end == a.end else "middle"))
            continue
        if a.start >= b.start and a.end <= b.end and (a.start, a.end) != (b.start, b.end):
            found.add("s_inside_o")
            continue
        lo, hi = (a.end, b.start) if a.end <= b.start else (b.end, a.start)
        found.add("o_after" if a.end <= b.start else "o_before")
        found.add("dist:" + bucket(max(0, hi - lo)))
        for separator in separators_between(tokens, lo, hi):
            found.add("sep_between:" + separator)
        between_persons = sum(1 for s, _ in article.persons_in[sentence] if lo <= s < hi)
        between_orgs = sum(1 for s, _ in article.orgs_in[sentence] if lo <= s < hi)
        found.add("persons_between:" + bucket(between_persons, (0, 1, 2)))
        found.add("orgs_between:" + bucket(between_orgs, (0, 1, 2)))
        if any(lo <= m.start_token and m.end_token <= hi for m in article.post_words(sentence)):
            found.add("post_between")
        if any(lo <= m.start_token and m.end_token <= hi for m in article.triggers[sentence]):
            found.add("cue_between")
        if any(fold(tokens[k].text, article.lang) in article.cues.links for k in range(lo, hi)):
            found.add("link_between")
        if hi - lo <= 1:
            found.add("adjacent")
        if not between_persons and all(k in article.explained(sentence) for k in range(lo, hi)):
            found.add("only_names_and_posts_between")
        if any(tokens[k].text == ":" for k in range(lo, hi)):
            found.add("colon_between")
        segment = clause_bounds(tokens, a.start, a.end, strong_only=False)
        if segment[0] <= b.start and b.end <= segment[1]:
            found.add("same_segment")
        if any(m.end_token == b.start for m in article.post_words(sentence)):
            found.add("post_right_before_o")
        if any(m.start_token in (b.end, b.end + 1) for m in article.post_words(sentence)):
            found.add("post_right_after_o")
    found.add("shared_sentences:" + bucket(shared, (0, 1, 2)))


def distance_of(a: Occurrence, b: Occurrence) -> int:
    return max(0, b.start - a.end, a.start - b.end)


# -- per family ---------------------------------------------------------------------

def post_words_of(article: ArticleView, person_id: str) -> set[str]:
    entity = article.entities.get(person_id)
    words: set[str] = set()
    for post in entity.posts if entity else ():
        if post.doc_id == article.document.id:
            words.update(w for w in post.title.split(" of ")[0].lower().split() if w.isalpha())
    return words


def event_features(article: ArticleView, candidate: Candidate, found: set[str]) -> None:
    event = article.entities.get(candidate.object)
    main = candidate.object == article.own_event
    found.add("obj_main" if main else "obj_other")
    if event is not None:
        found.add("obj_kind:" + event.attrs.get("event_type", "none"))
    events = article.events()
    found.add("n_events:" + bucket(len(events), (1, 2, 3)))
    own_event_features(article, candidate.object, found)
    subject_type = article.entity_type(candidate.subject)
    if subject_type == "Person":
        words = post_words_of(article, candidate.subject)
        found.add("has_post" if words else "no_post")
        found.update("post:" + w for w in words)
    else:
        entity = article.entities.get(candidate.subject)
        if entity is not None:
            found.add("scope:" + entity.attrs.get("scope", "none"))
            if main and event is not None and event.attrs.get("owner") == candidate.subject:
                found.add("event_owner")
    occurrences = article.occurrences.get(candidate.subject, [])
    found.add("n_occ:" + bucket(len(occurrences), (1, 2, 4)))
    event_sentences = {o.sentence for o in article.occurrences.get(candidate.object, ())}
    for occurrence in occurrences:
        standing_features(article, occurrence, "", found)
        cue_features(article, occurrence, found)
        if occurrence.sentence in event_sentences:
            found.add("event_in_sentence")
        if article.event_words[occurrence.sentence]:
            found.add("event_word_in_sentence")
        clause_words(article, occurrence, found)
    pair_features(article, occurrences, article.occurrences.get(candidate.object, []), found)


def own_event_row(article: ArticleView, event_id: str) -> dict[str, float]:
    """The features of one event as the article's own: what the own-event chooser weighs."""
    found: set[str] = set()
    own_event_features(article, event_id, found)
    if article.main_event is not None and event_id == article.main_event.id:
        found.add("rules_main")
    found.add("n_events:" + bucket(len(article.events()), (1, 2, 3)))
    return {name: 1.0 for name in found} | {f"{article.lang}|{name}": 1.0 for name in found}


def own_event_features(article: ArticleView, event_id: str, found: set[str]) -> None:
    """Whether the event is the occasion the article reports: named in the lead, held there, of the article's kind."""
    event = article.entities.get(event_id)
    if event is not None:
        found.add("obj_kind:" + event.attrs.get("event_type", "none"))
    occurrences = article.occurrences.get(event_id, ())
    named = [o for o in occurrences if o.mention is not None]
    if named:
        found.add("obj_named")
        if any(o.sentence <= 2 for o in named):
            found.add("obj_named_in_lead")
        if any(o.mention.source.endswith("owned-event") for o in named):
            found.add("obj_owned")
        for o in named:
            if o.sentence > 2:
                continue
            tokens_near = [m for m in article.triggers[o.sentence] if m.value == "organized" and abs(m.start_token - o.start) <= 6]
            if tokens_near:
                found.add("obj_held_in_lead")
    kind = event.attrs.get("event_type") if event else None
    main_kind = article.main_event.attrs.get("event_type") if article.main_event else None
    if kind and kind == main_kind:
        found.add("obj_kind_of_article")
    elif written_alike(article.lang, kind, main_kind):
        found.add("obj_kind_written_alike")  # the article's "conference" may be the congress it names
    count = sum(1 for words in article.event_words for m in words if m.value == kind)
    found.add("obj_kind_words:" + bucket(count, (0, 1, 2, 4)))
    if event is not None and event.attrs.get("event_type") in ("historic", "anniversary"):
        found.add("obj_celebrated")


def post_features(article: ArticleView, candidate: Candidate, found: set[str]) -> None:
    body = article.entities.get(candidate.object)
    if body is not None:
        found.add("scope:" + body.attrs.get("scope", "none"))
    body_occurrences = article.occurrences.get(candidate.object, [])
    if any(o.mention is not None and o.mention.source.startswith("rule:credit") for o in body_occurrences):
        found.add("o_credit")
    person_occurrences = article.occurrences.get(candidate.subject, [])
    found.add("n_persons:" + bucket(len(article.of_type("Person")), (1, 2, 4, 8)))
    pair_features(article, person_occurrences, body_occurrences, found)
    for occurrence in body_occurrences:
        view = article.views[occurrence.sentence]
        tokens = view.sentence.tokens
        if occurrence.mention is not None and any(
            o is not occurrence.mention and o.type == "Event" and o.start <= occurrence.mention.start and occurrence.mention.end <= o.end for o in view.mentions
        ):
            found.add("o_in_event_name")
        if occurrence.start > 0:
            found.add("o_prev:" + fold(tokens[occurrence.start - 1].text, article.lang))


def place_features(article: ArticleView, candidate: Candidate, found: set[str]) -> None:
    place = article.entities.get(candidate.object)
    subject = article.entities.get(candidate.subject)
    kind = place.attrs.get("kind", "none") if place else "none"
    found.add("kind:" + kind)
    main = article.main_event is not None and candidate.subject == article.main_event.id
    found.add("s_main" if main else "s_" + article.entity_type(candidate.subject))
    if subject is not None:
        if subject.attrs.get("province") == candidate.object:
            found.add("s_province")
        found.add("s_scope:" + subject.attrs.get("scope", "none"))
    places = article.of_type("Location")
    found.add("n_places:" + bucket(len(places), (1, 2, 3, 5)))
    firsts = sorted(places, key=lambda p: (article.occurrences[p][0].sentence, article.occurrences[p][0].start))
    if firsts and firsts[0] == candidate.object:
        found.add("first_place")
    place_occurrences = article.occurrences.get(candidate.object, [])
    main_sentences = {o.sentence for o in article.occurrences.get(article.main_event.id, ())} if article.main_event else set()
    for occurrence in place_occurrences:
        standing_features(article, occurrence, "o_", found)
        if occurrence.sentence in main_sentences:
            found.add("o_with_main_event")
        if article.event_words[occurrence.sentence]:
            found.add("o_with_event_word")
        if article.triggers[occurrence.sentence]:
            found.add("o_with_cue")
    pair_features(article, article.occurrences.get(candidate.subject, []), place_occurrences, found)


def structure_features(article: ArticleView, candidate: Candidate, found: set[str]) -> None:
    child, parent = article.entities.get(candidate.subject), article.entities.get(candidate.object)
    if child is None or parent is None:
        return
    child_scope, parent_scope = child.attrs.get("scope", "none"), parent.attrs.get("scope", "none")
    found.add(f"scopes:{child_scope}>{parent_scope}")
    if child.attrs.get("province") and child.attrs.get("province") == parent.attrs.get("province"):
        found.add("same_province")
    child_body, parent_body = child.attrs.get("body", child.id), parent.attrs.get("body", parent.id)
    if gazetteer.parent(child_body) == parent_body:
        found.add("gazetteer_parent")
    elif parent_body in gazetteer.ancestors(child_body):
        found.add("gazetteer_ancestor")
    if gazetteer.parent(parent_body) == child_body:
        found.add("gazetteer_child")
    pair_features(article, article.occurrences.get(candidate.subject, []), article.occurrences.get(candidate.object, []), found)
