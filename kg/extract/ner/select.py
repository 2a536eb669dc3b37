"""Choosing the recogniser a build uses: rules, Stanza, or both combined."""

from __future__ import annotations

from pathlib import Path

from kg.model import Document, Mention, Sentence
from kg.extract.ner.rules import RuleRecognizer


class CombinedRecognizer:
    """Stanza's mentions merged with the domain rules' (see ``kg.extract.ner.combine``)."""

    name = "combined"

    def __init__(self, rules: RuleRecognizer, stanza) -> None:  # noqa: ANN001 - stanza backend is optional
        self.rules = rules
        self.stanza = stanza
        self.description = f"rules + {stanza.description}"

    def recognize(self, document: Document, sentences: list[Sentence]) -> list[Mention]:
        from kg.extract.ner.combine import combine

        from kg.extract.ner.rules import reads_as_name

        stanza = [m for m in self.stanza.recognize(document, sentences) if m.type != "Person" or reads_as_name(m.text, document.lang)]
        return combine(self.rules.recognize(document, sentences), stanza)


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
