"""Token labels for training the tagger on real articles.

Two sources, both put onto the pipeline's own tokens (``kg.extract.tokenize``)
so the model is trained on exactly what it will be fed:

- **gold**: an annotated article's mention strings (the shape of
  ``shared/gold``) found again in its text. Annotators list every distinct
  string that names an entity, so every occurrence of such a string is a
  mention and the whole article is labelled: every sentence is kept. An
  occurrence counts only where it starts and ends on token edges (an Arabic
  one-letter proclitic glued to the first word may precede it, as the gold
  convention drops it). Nested gold mentions (a parent body inside a
  commission's name) become the outermost span: the tagger is flat.
- **silver**: the rules' own mentions on unannotated pages, where they are
  sure. A sentence is kept only when every mention in it comes from a rule
  source that the development set shows precise (``CONFIDENT_SOURCES``) and
  the rules left no word a name could be made of unexplained
  (``kg.extract.ner.select.leaves_candidates``). Any other sentence is dropped
  whole rather than taught as "O": an unsure span must not teach the model
  that a name is not one.

Events are not tagger labels (the rules and the event grammar find them):
their words are "O".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kg.extract.ner.training.generate import PROCLITICS
from kg.model import Document, Mention, Sentence, Token

TYPE_LABELS = {"Person": "PER", "Organization": "ORG", "Location": "LOC", "Campaign": "CAMPAIGN"}
# Rule sources whose mentions matched the development set's gold at 0.85 or
# more (rules alone, by mention, d01-d88); grammar:core (0.51), venue (0.77)
# and the title, ordinal and committee-for-event guesses are not.
CONFIDENT_SOURCES = frozenset(
    {
        "rule:lexicon:loc",
        "rule:place-noun",
        "rule:lexicon:body",
        "rule:lexicon:body-nested",
        "rule:grammar:place-body",
        "rule:grammar:chain",
        "rule:grammar:term-body",
        "rule:syllables",
        "rule:lexicon:campaign",
        "rule:genitive+cue",
        "rule:quote+cue",
        "rule:credit:acronym",
        "rule:credit:address",
        "rule:credit:byline",
    }
)


@dataclass(frozen=True)
class LabelledSentence:
    """One training sentence: its tokens' texts and their BIO tags."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]

    def to_stanza(self) -> list[dict[str, str]]:
        return [{"text": token, "ner": tag} for token, tag in zip(self.tokens, self.tags)]

    def entity_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for tag in self.tags:
            if tag.startswith("B-"):
                counts[tag[2:]] = counts.get(tag[2:], 0) + 1
        return counts


def bio_tags(tokens: tuple[Token, ...], spans: list[tuple[int, int, str]]) -> tuple[str, ...]:
    """BIO tags of ``tokens`` for non-overlapping character spans (start, end, label).

    A token is inside a span when it overlaps it, so an Arabic token with a
    proclitic before the span's first character is tagged with the span.
    """
    tags = ["O"] * len(tokens)
    for start, end, label in spans:
        inside = [i for i, t in enumerate(tokens) if t.start < end and start < t.end]
        for n, i in enumerate(inside):
            tags[i] = ("B-" if n == 0 else "I-") + label
    return tuple(tags)


def outermost(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Longest spans first, each kept unless it overlaps one already kept; in text order."""
    kept: list[tuple[int, int, str]] = []
    for span in sorted(set(spans), key=lambda s: (-(s[1] - s[0]), s[0], s[2])):
        if all(span[1] <= k[0] or k[1] <= span[0] for k in kept):
            kept.append(span)
    return sorted(kept)


def token_edges(lang: str, tokens: list[Token]) -> tuple[set[int], set[int]]:
    """Character offsets where a mention may start and end."""
    starts = {t.start for t in tokens}
    if lang == "ar":
        starts |= {t.start + 1 for t in tokens if len(t.text) > 2 and t.text[0] in PROCLITICS}
    return starts, {t.end for t in tokens}


def mention_pattern(mention: str) -> re.Pattern[str]:
    """The mention string with any run of white space between its words."""
    words = unicodedata.normalize("NFC", mention).split()
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def gold_spans(document: Document, sentences: list[Sentence], entities: list[dict]) -> list[tuple[int, int, str]]:
    """Character spans of every occurrence of every gold mention of a tagger type."""
    tokens = [t for s in sentences for t in s.tokens]
    starts, ends = token_edges(document.lang, tokens)
    text = unicodedata.normalize("NFC", document.text)
    if len(text) != len(document.text):  # offsets must stay the document's own
        text = document.text
    spans: list[tuple[int, int, str]] = []
    for entity in entities:
        label = TYPE_LABELS.get(entity.get("type", ""))
        if label is None:
            continue
        for mention in entity.get("mentions", []):
            if not mention.split():
                continue
            for match in mention_pattern(mention).finditer(text):
                if match.start() in starts and match.end() in ends:
                    spans.append((match.start(), match.end(), label))
    return outermost(spans)


def label_gold(document: Document, sentences: list[Sentence], entities: list[dict]) -> list[LabelledSentence]:
    """Every sentence of an annotated article with its gold mentions as tags."""
    spans = gold_spans(document, sentences, entities)
    result = []
    for sentence in sentences:
        inside = [s for s in spans if sentence.start <= s[0] and s[1] <= sentence.end]
        result.append(LabelledSentence(tuple(t.text for t in sentence.tokens), bio_tags(sentence.tokens, inside)))
    return result


def label_silver(document: Document, sentences: list[Sentence], mentions: list[Mention]) -> list[LabelledSentence]:
    """The sentences the rules are sure of, tagged with the rules' mentions (see the module doc)."""
    from kg.extract.ner.select import leaves_candidates

    result = []
    for sentence in sentences:
        inside = [m for m in mentions if sentence.start <= m.start < sentence.end]
        taggable = [m for m in inside if m.type in TYPE_LABELS]
        if any(m.source not in CONFIDENT_SOURCES for m in taggable):
            continue
        if leaves_candidates(document.lang, sentence, inside):
            continue
        spans = outermost([(m.start, m.end, TYPE_LABELS[m.type]) for m in taggable])
        result.append(LabelledSentence(tuple(t.text for t in sentence.tokens), bio_tags(sentence.tokens, spans)))
    return result
