"""Choosing the recogniser a build uses: rules, Stanza, or both combined."""

from __future__ import annotations

from pathlib import Path

from kg.model import Document, Mention, Sentence
from kg.extract.ner.rules import RuleRecognizer


class CombinedRecognizer:
    """Stanza's mentions merged with the domain rules' (see ``kg.extract.ner.combine``)."""

    name = "combined"

    def __init__(self, rules: RuleRecognizer, stanza, gated: bool = True) -> None:  # noqa: ANN001 - stanza backend is optional
        self.rules = rules
        self.stanza = stanza
        self.gated = gated
        self.description = f"rules + {stanza.description}"

    def recognize(self, document: Document, sentences: list[Sentence]) -> list[Mention]:
        from kg.extract.ner.combine import combine

        from kg.extract.ner.names import reads_as_name

        found = self.rules.recognize(document, sentences)
        open_sentences = [s for s in sentences if not self.gated or leaves_candidates(document.lang, s, found)]
        flag = getattr(self.stanza, "open_filters", False)
        names_free = flag(document.lang) if callable(flag) else bool(flag)
        stanza = [
            m
            for m in self.stanza.recognize(document, open_sentences)
            if m.type != "Person" or names_free or reads_as_name(m.text, document.lang)
        ]
        return combine(found, stanza)


def leaves_candidates(lang: str, sentence: Sentence, mentions: list[Mention]) -> bool:
    """Whether the rules left a word Stanza could make a name of: a name syllable that is no
    ordinary word, or a body's head noun, outside every rule mention of the sentence.

    Stanza adds a mention only where such a word stands (a person or place is a run of name
    syllables, a body has a head noun); a sentence the rules explained is not run through
    the model at all, which is most of the tagging time saved.
    """
    from kg.extract.lexicon import token_keys
    from kg.extract.ner.stanza_backend import body_heads
    from kg.extract.ner.vocabulary import language_rules

    rules = language_rules(lang)
    heads = body_heads(lang)
    spans = [(m.start, m.end) for m in mentions if sentence.start <= m.start < sentence.end]
    for token in sentence.tokens:
        if any(start <= token.start < end for start, end in spans):
            continue
        syllable = rules.syllable(token)
        if (syllable is not None and not syllable[1]) or any(key in heads for key, _ in token_keys(token, lang)):
            return True
    return False


def make_recognizer(mode: str = "auto", model_dir: Path | None = None):  # noqa: ANN201
    """The recogniser for ``mode``: ``rules``, ``stanza`` or ``auto``.

    ``auto`` uses Stanza combined with the rules when the Stanza backend and a
    model are available, and the rules alone otherwise.
    """
    rules = RuleRecognizer()
    if mode == "rules":
        return rules
    try:
        from kg.extract.ner.stanza_backend import MultiLanguageStanza
    except ImportError:
        if mode == "stanza":
            raise
        return rules
    stanza = MultiLanguageStanza(model_dir)
    if not stanza.available():
        if mode == "stanza" or model_dir is not None:
            where = f" in {model_dir}" if model_dir is not None else ""
            raise FileNotFoundError(f"no Stanza NER model{where} for {', '.join(stanza.langs)} (run `kg train-ner`, or use --ner rules)")
        return rules
    if mode == "stanza":
        return stanza
    return CombinedRecognizer(rules, stanza)
