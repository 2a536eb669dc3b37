"""Merging the domain rules' mentions with Stanza's.

The rules (``kg.extract.ner.rules``) know the domain's lexicons and grammar and have
already settled their own overlaps (including the nestings that carry meaning:
a parent body inside a commission's name, a place inside a body). Stanza adds
recall for what no table lists: unseen names, bodies and places. The rule,
applied to each Stanza mention against the rule mentions of the same document:

0. A Stanza person must read as a name (every word a name syllable of the
   language, `kg.extract.ner.names.reads_as_name`); others are dropped before
   combining (applied by `CombinedRecognizer`).
1. **No overlap** with any rule mention: the Stanza mention is added.
2. **Same span** as a rule mention: the rule mention is kept (its type, key and
   source win when the two disagree on the type); the Stanza copy is dropped.
3. **Inside** a rule mention (nested or touching only part of it): dropped; the
   rules decide which nested mentions are meaningful.
4. **Covers** one or more rule mentions, all of the same type as the Stanza
   mention, none of them an exact lexicon hit (``rule:lexicon:*``), and at
   most two words longer than the longest of them: Stanza's longer span
   replaces them (a name with a syllable the table lacks, a body
   phrase the grammar cut short). Its key is left empty, so the resolver works
   from the text. Any other covering (a type disagreement, a lexicon hit
   inside) keeps the rule mentions and drops the Stanza one: exact lexicon hits
   win on type and boundaries. Rule mentions nested inside a replaced one
   (a parent body in a commission's name) stay.
5. **Crosses** a rule mention's boundary (neither contains the other): the rule
   mention wins; the Stanza one is dropped.

So every rule mention survives unless rule 4 replaces it with a longer span of
the same type, and the result never has two mentions with the same span.
"""

from __future__ import annotations

from kg.model import Mention
from kg.extract.ner import sort_mentions

LEXICON_SOURCE = "rule:lexicon"
MAX_EXTRA_WORDS = 2


def extra_words(candidate: Mention, covered: list[Mention]) -> int:
    """Words of ``candidate`` outside the longest rule mention it covers."""
    return len(candidate.text.split()) - max(len(r.text.split()) for r in covered)


def relation(a: Mention, b: Mention) -> str:
    """How span ``a`` relates to span ``b``: none, same, inside, covers or crosses."""
    if a.doc_id != b.doc_id or a.end <= b.start or b.end <= a.start:
        return "none"
    if (a.start, a.end) == (b.start, b.end):
        return "same"
    if b.start <= a.start and a.end <= b.end:
        return "inside"
    if a.start <= b.start and b.end <= a.end:
        return "covers"
    return "crosses"


def is_lexicon_hit(mention: Mention) -> bool:
    return mention.source.startswith(LEXICON_SOURCE)


def combine(rule_mentions: list[Mention], stanza_mentions: list[Mention]) -> list[Mention]:
    """Rule mentions merged with Stanza mentions by the rule in the module docstring."""
    kept: list[Mention] = list(rule_mentions)
    by_doc: dict[str, list[Mention]] = {}
    for mention in rule_mentions:
        by_doc.setdefault(mention.doc_id, []).append(mention)
    replaced: set[int] = set()
    added: list[Mention] = []
    taken: set[tuple[str, int, int]] = {(m.doc_id, m.start, m.end) for m in rule_mentions}
    for candidate in sort_mentions(stanza_mentions):
        overlapping = [(relation(candidate, r), r) for r in by_doc.get(candidate.doc_id, [])]
        overlapping = [(kind, r) for kind, r in overlapping if kind != "none"]
        if not overlapping:
            decision = "add"
        elif (
            all(kind == "covers" for kind, _ in overlapping)
            and all(r.type == candidate.type and not is_lexicon_hit(r) for _, r in overlapping)
            and extra_words(candidate, [r for _, r in overlapping]) <= MAX_EXTRA_WORDS
        ):
            decision = "replace"
        else:
            decision = "drop"
        key = (candidate.doc_id, candidate.start, candidate.end)
        if decision == "drop" or key in taken:
            continue
        # A Stanza mention may not overlap another Stanza mention already added.
        if any(relation(candidate, other) != "none" for other in added):
            continue
        if decision == "replace":
            # Only the outermost covered rule mentions go; mentions nested in them stay nested.
            outer = [r for _, r in overlapping if not any(relation(r, o) == "inside" for _, o in overlapping if o is not r)]
            replaced.update(id(r) for r in outer)
        added.append(candidate)
        taken.add(key)
    result = [m for m in kept if id(m) not in replaced] + added
    return sort_mentions(result)
