"""Training data for the project's Stanza NER models, generated from templates.

Sentences come from the hand-written templates of ``templates/<lang>.tsv``
(written for this domain: SOV Hindi, VSO Arabic, title chains, attendee lists,
quoted campaign names, dates, Arabic proclitics glued to names). Their slots
are filled from the language resources (``kg/resources/<lang>/*.tsv``: name
syllables, titles, posts, bodies, campaigns, locations, months, ordinals) and
from the generator's own filler lists (``templates/<lang>.fillers.tsv``).

Vietnamese person names are generated, not listed: a surname, zero to two
middle names and a given name are drawn from ``templates/vi_names.tsv`` (Latin)
and each syllable is rendered into the script with a surface form that
``syllables.tsv`` (or the filler list) gives for it. District names are
generated the same way from two random syllables.

Every sentence is rendered to a string first and then cut into tokens by the
project's own tokenizer (``kg.extract.tokenize.tokenize_span``), so training tokens are
exactly the tokens the pipeline will feed the model. A token is tagged when it
overlaps an entity span; Arabic proclitics glued to a name (``وجبهة``) stay in
the token, and the backend strips them from the mention afterwards.

No seed article text is used: ``seeds/`` is the evaluation set.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.extract.resources import load_table, nfc
from kg.extract.tokenize import tokenize_span

TEMPLATE_DIR = Path(__file__).parent / "templates"
LABELS = ("PER", "ORG", "LOC", "CAMPAIGN")
SLOT = re.compile(r"\{([A-Z]+)\}")
# Slot name -> NER label of the span it produces (None: the filler is context, tagged O).
SLOT_LABEL = {
    "PER": "PER",
    "ORG": "ORG",
    "ORGX": "ORG",
    "LOC": "LOC",
    "DIST": "LOC",
    "CAMP": "CAMPAIGN",
    "VENUE": "LOC",
}
PROCLITICS = "وفبلك"


@dataclass
class Fillers:
    """Everything a template slot can be filled with, for one language."""

    lang: str
    syllables: dict[str, list[str]] = field(default_factory=dict)  # Latin -> surfaces
    names: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # role -> (Latin, weight)
    lists: dict[str, list[str]] = field(default_factory=dict)  # ORG, CAMP, LOC, POST, ...

    def get(self, key: str) -> list[str]:
        return self.lists.get(key, [])


def read_rows(path: Path) -> list[list[str]]:
    """Tab-separated rows; fields keep their spaces (list joiners need them)."""
    rows = []
    if not path.exists():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([nfc(f) for f in line.split("\t")])
    return rows


def add_unique(target: list[str], value: str) -> None:
    if value and value not in target:
        target.append(value)


def load_fillers(lang: str) -> Fillers:
    """Slot fillers: the language resources first, then the generator's own lists."""
    fillers = Fillers(lang)
    lists = fillers.lists

    def add(key: str, value: str) -> None:
        add_unique(lists.setdefault(key, []), value.strip() if key not in ("LISTSEP", "LISTLAST") else value)

    for row in load_table(lang, "syllables"):
        if len(row) > 1:
            add_unique(fillers.syllables.setdefault(row[1].title(), []), row[0])
    for row in load_table(lang, "bodies"):
        add("ORG", row[0])
        if len(row) > 3 and row[3] == "local":
            add("ORGLOCAL", row[0])
    for row in load_table(lang, "campaigns"):
        add("CAMP", row[0])
    for row in load_table(lang, "locations"):
        kind = row[3] if len(row) > 3 else "province"
        if kind != "country":  # the gold leaves a bare country name untagged
            add("DISTNAME" if kind == "district" else "LOC", row[0])
        if kind in ("province", "city"):
            add("PROVINCE", row[0])
    for row in load_table(lang, "posts"):
        if len(row[0].split()) <= 3:
            add("POST", row[0])
    for name in ("titles", "months", "ordinals"):
        key = {"titles": "TITLE", "months": "MONTH", "ordinals": "ORD"}[name]
        for row in load_table(lang, name):
            if name != "ordinals" or len(row) < 3 or row[2] not in ("teen", "adverb"):  # a teen word is no ordinal alone
                add(key, row[0])
    for row in load_table(lang, "place_words"):
        if len(row) > 1 and row[1] == "district":
            add("DISTWORD", row[0])
        if len(row) > 1 and row[1] == "venue":
            add("VENUEWORD", row[0])
    for row in read_rows(TEMPLATE_DIR / f"{lang}.fillers.tsv"):
        if len(row) < 2:
            continue
        if row[0] == "SYL" and len(row) > 2:
            add_unique(fillers.syllables.setdefault(row[2].strip().title(), []), row[1].strip())
        else:
            add(row[0], row[1])
    for row in read_rows(TEMPLATE_DIR / "vi_names.tsv"):
        if len(row) > 2:
            fillers.names.setdefault(row[0], []).append((row[1].strip(), int(row[2])))
    return fillers


def load_templates(lang: str) -> list[str]:
    return [row[0].strip() for row in read_rows(TEMPLATE_DIR / f"{lang}.tsv") if row[0].strip()]


class Generator:
    """Renders templates into tagged sentences with one ``random.Random`` (deterministic per seed)."""

    def __init__(self, lang: str, seed: int = 1234, fillers: Fillers | None = None) -> None:
        self.lang = lang
        self.rng = random.Random(seed)
        self.fillers = fillers or load_fillers(lang)
        templates = load_templates(lang)
        # Templates with entity slots, and plain sentences without names (context to leave untagged).
        self.templates = [t for t in templates if SLOT.search(t)]
        self.plain = [t for t in templates if not SLOT.search(t)]
        if not self.templates:
            raise ValueError(f"no training templates for language {lang!r}")
        self.word_pool = sorted(self.context_words())
        self.all_syllables = sorted(self.fillers.syllables)
        self.place_qualified = 0.25

    # -- fillers -----------------------------------------------------------
    def pick(self, key: str) -> str:
        values = self.fillers.get(key)
        return self.rng.choice(values) if values else ""

    def syllable(self, latin: str) -> str | None:
        surfaces = self.fillers.syllables.get(latin)
        return self.rng.choice(surfaces) if surfaces else None

    def weighted(self, role: str) -> str | None:
        options = [(n, w) for n, w in self.fillers.names.get(role, []) if n in self.fillers.syllables]
        if not options:
            return None
        return self.rng.choices([n for n, _ in options], weights=[w for _, w in options])[0]

    def person(self) -> str:
        """A generated Vietnamese name in the script: surname, middle names, given name."""
        parts = []
        if self.rng.random() < 0.1 and self.all_syllables:
            # Two-syllable names and nicknames (Mai Lan, Duc Lam) and rarer syllables.
            parts = [self.rng.choice(self.all_syllables) for _ in range(2)]
        else:
            surname = self.weighted("surname")
            middles = self.rng.choices([0, 1, 2], weights=[1, 8, 2])[0]
            parts = [surname] + [self.weighted("middle") for _ in range(middles)] + [self.weighted("given")]
            if self.rng.random() < 0.15 and self.all_syllables:
                parts[-1] = self.rng.choice(self.all_syllables)
        rendered = [self.syllable(p) for p in parts if p]
        return " ".join(r for r in rendered if r)

    def district(self) -> str:
        known = self.fillers.get("DISTNAME")
        if known and self.rng.random() < 0.4:
            return self.rng.choice(known)
        parts = [self.rng.choice(self.all_syllables) for _ in range(2)] if self.all_syllables else []
        return " ".join(filter(None, (self.syllable(p) for p in parts)))

    def org(self, chained: bool) -> str:
        if chained and self.fillers.get("CHAIN") and self.rng.random() < 0.7:
            chain = self.pick("CHAIN")
            return self.expand_plain(chain, {"P": self.pick("ORGPARENT") or self.pick("ORG"), "C": self.pick("ORGCHILD")})
        body = self.pick("ORG")
        if self.fillers.get("ORGLOCAL") and self.rng.random() < self.place_qualified:
            # A local body with its place, in the body grammar's order: विन्ह लांग प्रांतीय पार्टी समिति,
            # لجنة الحزب الإقليمية ها تينه / في ها تينه / بمقاطعة ها تينه.
            local, place = self.pick("ORGLOCAL"), self.pick("PROVINCE") or self.pick("LOC")
            if self.lang == "ar":
                body = f"{local} {self.rng.choice(self.fillers.get('PLACELINK') or [''])} {place}".replace("  ", " ")
                body = body.replace(" ب ", " ب")
            else:
                body = f"{place} {local}"
        if "{" in body:
            body = self.expand_plain(body, {"ORD": self.pick("ORD"), "N": str(self.rng.randint(1, 12))})
        return body

    def expand_plain(self, template: str, values: dict[str, str]) -> str:
        out = ""
        pos = 0
        for match in SLOT.finditer(template):
            out = glue(out, template[pos : match.start()])
            out = glue(out, values.get(match.group(1), ""))
            pos = match.end()
        return glue(out, template[pos:])

    def fill(self, slot: str) -> str:
        if slot == "PER":
            return self.person()
        if slot == "ORG":
            return self.org(False)
        if slot == "ORGX":
            return self.org(True)
        if slot == "DIST":
            return self.district()
        if slot == "VENUE":
            # A building named after a body is a place: पार्टी केंद्रीय समिति मुख्यालय, مقر الجمعية الوطنية.
            venue = self.pick("VENUEWORD")
            return f"{venue} {self.pick('ORG')}" if self.lang == "ar" else f"{self.pick('ORG')} {venue}"
        if slot == "TITLE":
            return self.pick("TITLE") if self.rng.random() < 0.5 else ""
        if slot == "N":
            return str(self.rng.choice([self.rng.randint(2, 20), self.rng.randint(20, 1000)]))
        if slot == "YEAR":
            return str(self.rng.randint(2010, 2030))
        if slot == "DAY":
            return str(self.rng.randint(1, 31))
        return self.pick(slot)

    # -- rendering ---------------------------------------------------------
    def render(self, template: str, depth: int = 0) -> tuple[str, list[tuple[int, int, str]]]:
        """The sentence text and its (start, end, label) entity spans."""
        text = ""
        spans: list[tuple[int, int, str]] = []
        pos = 0
        for match in SLOT.finditer(template):
            text = glue(text, template[pos : match.start()])
            slot = match.group(1)
            if slot == "PEOPLE" and depth == 0:
                count = self.rng.randint(2, 4)
                for k in range(count):
                    if k:
                        text = glue(text, self.pick("LISTLAST" if k == count - 1 else "LISTSEP") or ", ")
                    item_text, item_spans = self.render(self.pick("PEOPLEITEM") or "{PER}", depth + 1)
                    text, spans = append_rendered(text, spans, item_text, item_spans)
            else:
                value = self.fill(slot)
                label = SLOT_LABEL.get(slot)
                before = len(text)
                text = glue(text, value)
                if label and value:
                    start = before
                    while start < len(text) and text[start] == " ":
                        start += 1
                    spans.append((start, len(text), label))
            pos = match.end()
        text = glue(text, template[pos:])
        return text, spans

    def context_words(self) -> set[str]:
        """Ordinary words of the language: template text outside slots, plain sentences, campaign words."""
        words: set[str] = set()
        for text in [SLOT.sub(" ", t) for t in self.templates] + self.plain + self.fillers.get("CAMP"):
            words.update(t.text for t in tokenize_span(text, 0, len(text)) if t.text[0].isalpha())
        return words

    def context(self) -> list[tuple[str, str]]:
        """An untagged clause: a plain sentence or a run of ordinary words."""
        if self.plain and self.rng.random() < 0.6:
            text = self.rng.choice(self.plain)
        else:
            text = " ".join(self.rng.choice(self.word_pool) for _ in range(self.rng.randint(3, 14)))
        return [(t.text, "O") for t in tokenize_span(text, 0, len(text))]

    def tagged(self) -> list[tuple[str, str]]:
        text, spans = self.render(self.rng.choice(self.templates))
        return tag_tokens(text, spans)

    def sentence(self) -> list[tuple[str, str]]:
        """One training sentence: a filled template, sometimes joined to a second one or to context.

        Real machine-translated sentences are long and mostly untagged, so a
        share of sentences carry extra untagged clauses, and a few are plain.
        """
        roll = self.rng.random()
        if self.plain and roll < 0.08:
            return self.context()
        parts = [self.tagged()]
        if roll < 0.25:
            parts.append(self.tagged())
        if self.rng.random() < 0.4:
            parts.insert(self.rng.randint(0, len(parts)), self.context())
        joined: list[tuple[str, str]] = []
        comma = "،" if self.lang == "ar" else ","
        for n, part in enumerate(parts):
            if n < len(parts) - 1:
                while part and not part[-1][0][0].isalnum() and part[-1][1] == "O":
                    part = part[:-1]  # drop the sentence-final mark before joining
                part = part + [(comma, "O")]
            joined.extend(part)
        return joined


def glue(text: str, piece: str) -> str:
    """Append ``piece``; no double spaces, no space before punctuation left by an empty slot.

    An Arabic proclitic ``ل`` before a word with the article drops the article's
    alif (ل + الحزب = للحزب, ل + اللجنة = للجنة).
    """
    if not piece:
        return text
    if not text:
        return piece.lstrip()
    if text.endswith(" ") and piece.startswith(" "):
        piece = piece.lstrip()
    if text.endswith(" ") and piece[:1] and piece[0] in ",.،।)":
        text = text.rstrip()
    if len(text) >= 1 and text[-1] == "ل" and (len(text) == 1 or not text[-2].isalpha()) and piece.startswith("ال"):
        rest = piece[2:]
        piece = rest if rest.startswith("ل") else "ل" + rest
    return text + piece


def append_rendered(text: str, spans: list, item_text: str, item_spans: list) -> tuple[str, list]:
    joined = glue(text, item_text)
    shift = len(joined) - len(item_text)  # glue only ever shortens the start of the item
    return joined, spans + [(max(shift + s, 0), shift + e, label) for s, e, label in item_spans]


def tag_tokens(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """Project tokens with BIO tags: a token overlapping a span takes its label."""
    tokens = tokenize_span(text, 0, len(text))
    tags = ["O"] * len(tokens)
    for start, end, label in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        inside = [i for i, t in enumerate(tokens) if t.start < end and t.end > start and tags[i] == "O"]
        for n, i in enumerate(inside):
            tags[i] = ("B-" if n == 0 else "I-") + label
    return [(t.text, tag) for t, tag in zip(tokens, tags)]


def generate(lang: str, n: int, seed: int = 1234) -> list[list[tuple[str, str]]]:
    """``n`` tagged sentences of ``lang``; the same seed gives the same sentences."""
    generator = Generator(lang, seed)
    return [generator.sentence() for _ in range(n)]


def to_stanza(sentences: list[list[tuple[str, str]]]) -> list[list[dict[str, str]]]:
    """Stanza's NER training format: a list of sentences, each a list of {"text", "ner"}."""
    return [[{"text": token, "ner": tag} for token, tag in sentence] for sentence in sentences]


def write_dataset(lang: str, out_dir: Path, n_train: int, n_dev: int, seed: int = 1234) -> tuple[Path, Path]:
    """Train and dev files for one language; dev comes from a different seed (held out)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, n, s in (("train", n_train, seed), ("dev", n_dev, seed + 7919)):
        path = out_dir / f"{lang}.{name}.json"
        path.write_text(json.dumps(to_stanza(generate(lang, n, s)), ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def main() -> None:  # pragma: no cover - manual inspection helper
    import sys

    lang = sys.argv[1] if len(sys.argv) > 1 else "hi"
    for sentence in generate(lang, int(sys.argv[2]) if len(sys.argv) > 2 else 10):
        print(" ".join(f"{t}/{tag}" if tag != "O" else t for t, tag in sentence))


if __name__ == "__main__":
    main()
