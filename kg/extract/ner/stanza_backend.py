"""Stanza NER backend: which of the Stanza model's spans become mentions.

The spans come from ``kg.extract.ner.stanza_tagger`` (the model over the
project's own tokens; with ``kg.extract.ner.training``, the only code that
imports ``stanza``); which model a language uses is decided in
``kg.extract.ner.models``.

Labels map to kg types: PER → Person, ORG → Organization, LOC/GPE → Location,
CAMPAIGN/MISC → Campaign; other labels are dropped. Arabic: a one-letter
proclitic (و ف ب ل ك) glued to the first word is left out of the mention,
as in the gold convention (``وجبهة الوطن`` → ``جبهة الوطن``). A mention
starts and ends on a word (punctuation at its edges is trimmed), and a Person
needs at least two tokens (a Vietnamese name has two or more syllables).
A Location must be a known place (``locations.tsv``) or a run of two or more name
syllables (Vietnamese places are written like names). A mention that starts or ends on a function word (``function_words.tsv``:
postpositions, conjunctions, pronouns) is dropped. Two more filters keep Stanza's guesses to what it learned: a Campaign must
be a whole quoted segment with a campaign cue word (``campaign_cues.tsv``) a
few words away in the same clause (the model learned campaign names quoted
beside a cue; quotes elsewhere are slogans, titles and goals); an Organization must be a known body or carry a head noun of the body
grammar where the language puts it (Hindi last, Arabic first); and one made only of body-grammar words
(``body_words.tsv``: heads, modifiers, links, as in स्थायी समिति or अनुकरण
ब्लॉक) is dropped unless it is a known body's name (``bodies.tsv``): such
phrases are generic references, and the rules' body grammar decides them.
Nor is a span one body's name when it runs over a comma (a list of bodies),
holds a plural head (a group) or runs past a word that ends body names
(``body_words.tsv`` stop words, بشأن).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kg.extract.lexicon import fold, resource_lexicon, token_keys
from kg.model import Document, Mention, Sentence, Token
from kg.extract.resources import load_table
from kg.extract.ner.vocabulary import language_rules
from kg.extract.ner.models import (  # noqa: F401 - re-exported: the backend is where users look for them
    SHIPPED_DIR,
    ModelChoice,
    ModelNotFound,
    describe_model,
    resolve_model,
)
from kg.extract.ner.stanza_tagger import TokenTagger, cached_pipeline, cached_tagger, tagger_variant

LABEL_TYPES = {
    "PER": "Person",
    "PERSON": "Person",
    "ORG": "Organization",
    "LOC": "Location",
    "GPE": "Location",
    "CAMPAIGN": "Campaign",
    "MISC": "Campaign",
}
PROCLITICS = "وفبلك"
CONFIDENCE = 0.75


# -- Arabic proclitics ------------------------------------------------------


@lru_cache(maxsize=None)
def known_words(lang: str) -> frozenset[str]:
    """Folded words that can start a name: first words of resource entries, name syllables, body heads."""
    words: set[str] = set()
    for name in ("bodies", "campaigns", "locations", "titles", "posts"):
        for row in load_table(lang, name):
            if row[0].split():
                words.add(fold(row[0].split()[0], lang))
    for row in load_table(lang, "syllables"):
        words.update(fold(w, lang) for w in row[0].split())
    for row in load_table(lang, "body_words"):
        if len(row) > 1 and row[1] in ("head", "modifier"):
            words.add(fold(row[0], lang))
    return frozenset(words)


def proclitic_length(text: str, lang: str) -> int:
    """1 when ``text`` (a mention's first word) starts with a detachable proclitic, else 0.

    Detached when the rest is a word with the article (والحزب, بالمقاطعة), a
    word after ``ل`` whose article lost its alif (للجنة), or a word that can
    start a name (وجبهة, وفام), and the whole token is not itself such a word.
    """
    if lang != "ar" or len(text) <= 2 or text[0] not in PROCLITICS:
        return 0
    known = known_words(lang)
    if fold(text, lang) in known:
        return 0
    rest = text[1:]
    if rest.startswith("ال") or (text[0] == "ل" and rest.startswith("ل")) or fold(rest, lang) in known:
        return 1
    return 0


def is_word_token(token: Token) -> bool:
    return token.text[:1].isalnum()


QUOTES = "\"“”«»„‟'‘’"


def quoted(tokens: tuple[Token, ...], first: int, last: int) -> bool:
    """True when tokens[first:last+1] are a whole quoted segment: a quote mark right before and right after."""
    before = tokens[first - 1].text if first > 0 else ""
    after = tokens[last + 1].text if last + 1 < len(tokens) else ""
    return before != "" and before in QUOTES and after != "" and after in QUOTES


CUE_REACH = 6  # tokens between a campaign cue and the quote, quote marks included
CLAUSE_MARKS = {",", "،", ";", "؛", ":", ".", "।", "?", "!"}


@lru_cache(maxsize=None)
def body_heads(lang: str) -> frozenset[str]:
    """Head nouns of the body grammar (folded), with and without the Arabic article."""
    heads = {fold(row[0], lang) for row in load_table(lang, "body_words") if len(row) > 1 and row[1] == "head"}
    return frozenset(heads | {h[2:] for h in heads if lang == "ar" and h.startswith("ال")})


@lru_cache(maxsize=None)
def name_syllables(lang: str) -> frozenset[str]:
    return frozenset(fold(row[0], lang) for row in load_table(lang, "syllables"))


@lru_cache(maxsize=None)
def function_words(lang: str) -> frozenset[str]:
    return frozenset(fold(row[0], lang) for row in load_table(lang, "function_words"))


LIST_MARKS = {",", "،", ";", "؛"}


@lru_cache(maxsize=None)
def generic_body_words(lang: str) -> frozenset[str]:
    """Words of the body grammar (heads, modifiers, links) and function words, folded."""
    words = {fold(row[0], lang) for row in load_table(lang, "body_words") if len(row) > 1 and row[1] in ("head", "modifier", "link")}
    return frozenset(words | {fold(row[0], lang) for row in load_table(lang, "function_words")})


# -- recognizers ------------------------------------------------------------


class StanzaRecognizer:
    """Stanza NER for one language, implementing the ``kg.extract.ner.Recognizer`` protocol."""

    def __init__(self, lang: str, model_path: Path | str | None = None, filters: str | None = None) -> None:
        self.lang = lang
        self.model_path = model_path
        self._choice: ModelChoice | None = None
        self._filters = filters

    @property
    def open_filters(self) -> bool:
        """Whether persons and places the model finds stand without the name tables' consent.

        ``open``: a model trained on real articles has seen foreign guests, villages and
        venues that no syllable table reads; its persons need not read as Vietnamese
        names and its places need not be known or made of name syllables. ``strict``
        (template-trained and official models): they must.
        """
        return (self._filters or self.choice.filters) == "open"

    @property
    def choice(self) -> ModelChoice:
        if self._choice is None:
            self._choice = resolve_model(self.lang, self.model_path)
        return self._choice

    @property
    def name(self) -> str:
        return f"stanza:{self.choice.model_id}"

    @property
    def description(self) -> str:
        return self.choice.describe()

    def pipeline(self):  # noqa: ANN201
        return cached_pipeline(self.choice)

    def tagger(self) -> TokenTagger:
        return cached_tagger(self.choice, tagger_variant())

    def recognize(self, document: Document, sentences: list[Sentence]) -> list[Mention]:
        sentences = [s for s in sentences if s.tokens]
        if not sentences:
            return []
        tagged = self.tagger().tag([[t.text for t in s.tokens] for s in sentences])
        mentions: list[Mention] = []
        for sentence, entities in zip(sentences, tagged):
            for label, first, last in entities:
                type_ = LABEL_TYPES.get(label.upper())
                if type_ is None:
                    continue
                # A mention starts and ends on a word, never on punctuation or a quote mark.
                while first <= last and not is_word_token(sentence.tokens[first]):
                    first += 1
                while last >= first and not is_word_token(sentence.tokens[last]):
                    last -= 1
                if first > last:
                    continue
                if self.is_function_word(sentence.tokens[first]) or self.is_function_word(sentence.tokens[last]):
                    continue  # a name never starts or ends on a postposition, conjunction or pronoun
                if any(len(sentence.tokens[k].text) == 1 and sentence.tokens[k].text.isalpha() for k in (first, last)):
                    continue  # a lone letter (جبهة ا) is a cut word, not the edge of a name
                if type_ == "Person" and first == last:
                    continue  # a Vietnamese name has at least two syllables
                if type_ == "Campaign" and not (quoted(sentence.tokens, first, last) and self.cued_campaign(sentence.tokens, first, last)):
                    continue  # the model learned campaign names in quotes beside a cue; other quotes are slogans and titles
                if type_ == "Location" and not self.open_filters and not self.is_place_name(sentence.tokens, first, last):
                    continue  # a place is a run of Vietnamese name syllables or a known place
                if type_ == "Organization" and not self.is_headed_body(sentence.tokens, first, last):
                    continue  # a body name ends (Hindi) or starts (Arabic) on a head noun: समिति, لجنة
                if type_ == "Organization" and self.is_generic_body(sentence.tokens, first, last):
                    continue  # स्थायी समिति, अनुकरण ब्लॉक: a generic reference, not a name
                if type_ == "Organization" and self.breaks_body_grammar(sentence.tokens, first, last):
                    continue  # कार्यकारी समिति, स्थायी समिति; لاتحاد واللجان; لجنة الحزب بشأن …: not one body's name

                mention = self.mention(document, sentence, sentence.tokens[first], sentence.tokens[last], type_)
                if mention:
                    mentions.append(mention)
        return mentions

    def cued_campaign(self, tokens: tuple[Token, ...], first: int, last: int) -> bool:
        """Whether a campaign cue word (आंदोलन, حملة, projects …) shares the quote's clause.

        The cue may stand a few words away, on either side, with no clause
        punctuation between: a cue in another clause of a long sentence does not
        make every quote in it a campaign.
        """
        # The rules' cues, those of lists (projects …) included; theme words (slogan) are not cues.
        for cue in language_rules(self.lang).list_cues.find_all(tokens):
            between = tokens[cue.end_token : first] if cue.end_token <= first else tokens[last + 1 : cue.start_token]
            if len(between) <= CUE_REACH and not any(t.text in CLAUSE_MARKS for t in between):
                return True
        return False

    def is_function_word(self, token: Token) -> bool:
        """A function word that is not also a name syllable (Arabic في is also the surname Vi)."""
        key = fold(token.text, self.lang)
        return key in function_words(self.lang) and key not in name_syllables(self.lang)

    def is_place_name(self, tokens: tuple[Token, ...], first: int, last: int) -> bool:
        """A known place of ``locations.tsv``, or two or more words that are all name syllables (येन खान, ها تينه).

        An unknown place of one word is refused: one syllable is as often an
        ordinary word (दो, "two") as a place, and the places written with one
        syllable (Huế, Vinh) are known ones.
        """
        known = resource_lexicon(self.lang, "locations").match_at(tokens, first)
        if known and known.end_token == last + 1:
            return True
        if first == last:
            return False
        syllables = name_syllables(self.lang)
        return all(
            any(key in syllables for key, _ in token_keys(token, self.lang)) for token in tokens[first : last + 1]
        )

    def is_headed_body(self, tokens: tuple[Token, ...], first: int, last: int) -> bool:
        """A known body, or a phrase with a head noun where the language puts it.

        Hindi puts the head last (प्रांतीय पार्टी समिति), Arabic first, maybe after a
        proclitic or the article (للجنة الحزب). Without a body grammar for the
        language every phrase passes.
        """
        heads = body_heads(self.lang)
        if not heads:
            return True
        known = resource_lexicon(self.lang, "bodies").match_at(tokens, first)
        if known and known.end_token == last + 1:
            return True
        if self.lang == "ar":
            edge = tokens[first : min(first + 2, last + 1)]
        else:
            edge = [tokens[last]]
        for token in edge:
            keys = {key for key, _ in token_keys(token, self.lang)}
            keys |= {key[2:] for key in keys if key.startswith("ال")}
            if keys & heads:
                return True
        return False

    def breaks_body_grammar(self, tokens: tuple[Token, ...], first: int, last: int) -> bool:
        """A span no body name can be: it runs over a comma or semicolon (a list of bodies), holds a
        plural head (समितियों, اللجان: a group), or runs on past a word that ends body names (بشأن, regarding)."""
        rules = language_rules(self.lang)
        group_or_stop = rules.plurals | rules.body_stops
        for k in range(first, last + 1):
            if tokens[k].text in LIST_MARKS:
                return True
            if k > first and any(key in group_or_stop for key, _ in token_keys(tokens[k], self.lang)):
                return True
        return False

    def is_generic_body(self, tokens: tuple[Token, ...], first: int, last: int) -> bool:
        """Only body-grammar words (heads, modifiers, links) and not a known body's name."""
        words = generic_body_words(self.lang)
        for token in tokens[first : last + 1]:
            keys = {key for key, _ in token_keys(token, self.lang)}
            if not is_word_token(token) or not keys & words:
                return False
        known = resource_lexicon(self.lang, "bodies").match_at(tokens, first)
        return not (known and known.end_token == last + 1)

    def mention(self, document: Document, sentence: Sentence, first: Token, last: Token, type_: str) -> Mention | None:
        start = first.start + proclitic_length(first.text, self.lang)
        end = last.end
        if start >= end:
            return None
        return Mention(
            doc_id=document.id,
            sentence=sentence.index,
            start=start,
            end=end,
            text=document.text[start:end],
            type=type_,
            source=self.name,
            confidence=CONFIDENCE,
        )


class MultiLanguageStanza:
    """One ``StanzaRecognizer`` per document language (what ``kg.extract.ner.select`` uses).

    ``model_dir`` (``kg build --ner-model DIR``) is searched for ``DIR/<lang>/…``.
    """

    name = "stanza"

    def __init__(self, model_dir: Path | str | None = None, langs: tuple[str, ...] = ("hi", "ar"), filters: str | None = None) -> None:
        self.model_dir = model_dir
        self.langs = langs
        self.filters = filters
        self.recognizers: dict[str, StanzaRecognizer] = {}

    def recognizer(self, lang: str) -> StanzaRecognizer:
        if lang not in self.recognizers:
            self.recognizers[lang] = StanzaRecognizer(lang, self.model_dir, self.filters)
        return self.recognizers[lang]

    def open_filters(self, lang: str) -> bool:
        return self.has_model(lang) and self.recognizer(lang).open_filters

    def available(self) -> bool:
        """True when a model resolves for at least one language (checked without loading it)."""
        return any(self.has_model(lang) for lang in self.langs)

    def has_model(self, lang: str) -> bool:
        try:
            self.recognizer(lang).choice
        except ModelNotFound:
            return False
        return True

    @property
    def description(self) -> str:
        return "; ".join(f"{lang}: {describe_model(lang, self.model_dir)}" for lang in self.langs)

    def recognize(self, document: Document, sentences: list[Sentence]) -> list[Mention]:
        if not self.has_model(document.lang):
            return []
        return self.recognizer(document.lang).recognize(document, sentences)
