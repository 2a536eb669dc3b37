"""Loader for the per-language resource files under ``kg/resources/<lang>/``.

The file format is described in ``kg/resources/README.md``. Tables are read
once per process and cached; every field is NFC-normalised so lookups can
compare strings directly.

In the tables of ``PATTERN_TABLES`` the first column may be a surface pattern
that stands for several surfaces (README, "Surface patterns"):

- ``(a|b c)`` one of the alternatives (each a sequence of words, or part of one);
- ``[a b]`` an optional part (``[a|b]``: a, b or nothing);
- ``{name}`` one of the alternatives of the word class ``name``, listed in
  ``<lang>/pattern_words.tsv`` (``name<TAB>alternative``, one row each; an
  alternative may itself be a pattern);
- ``\\`` before any character writes it literally: ``\\(``.

Expansion is plain text substitution (``و{and}`` glues a word to the next one)
after which runs of spaces are collapsed, so an omitted optional word leaves no
double space. A pattern row stands for its expansions, in order: alternatives
in the order written, the leftmost choice varying slowest, an optional part
present before absent. The other columns are copied onto each expansion.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("hi", "ar")

# Tables whose first column may hold a surface pattern; elsewhere ( ) [ ] { } | are plain text.
PATTERN_TABLES = frozenset({"bodies", "campaigns", "posts"})
# The table of word classes (``{name}``) the patterns of a language may use.
PATTERN_WORDS = "pattern_words"
# One pattern row may stand for at most this many surfaces (a typo would otherwise build a huge table).
MAX_EXPANSIONS = 5000

Row = tuple[str, ...]


class ResourceError(Exception):
    """A resource file is missing or malformed."""


def resource_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "resources"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def read_rows(path: Path) -> Iterator[tuple[int, Row]]:
    """(line number, row) for each entry of a table file: NFC fields, trailing empty columns dropped."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = tuple(nfc(field.strip()) for field in line.split("\t"))
        while len(row) > 1 and not row[-1]:
            row = row[:-1]
        if not row[0]:
            raise ResourceError(f"{path}:{number}: empty first column")
        yield number, row


# ---------------------------------------------------------------------------
# Surface patterns


@dataclass(frozen=True, slots=True)
class Alternatives:
    """One of several sequences; ``optional``: or nothing."""

    options: tuple[tuple[object, ...], ...]
    optional: bool = False


@dataclass(frozen=True, slots=True)
class WordClass:
    name: str
    at: int  # its character position in the pattern, for messages


Tree = tuple[object, ...]  # of str (literal text), Alternatives and WordClass
CLASS_NAME = re.compile(r"[A-Za-z0-9_-]+")
CLOSING = {"(": ")", "[": "]"}


def has_syntax(text: str) -> bool:
    return any(char in "()[]{}|\\" for char in text)


def parse_pattern(text: str) -> Tree:
    """The syntax tree of a pattern; ``ValueError`` says what is wrong and at which character."""
    position = 0

    def sequence(opener: int, closer: str | None) -> tuple[Tree, ...]:
        """Alternatives separated by ``|`` up to ``closer`` (consumed; its bracket at ``opener``) or the end."""
        nonlocal position
        options: list[Tree] = []
        items: list[object] = []
        literal: list[str] = []

        def flush() -> None:
            if literal:
                items.append("".join(literal))
                literal.clear()

        while position < len(text):
            char = text[position]
            at = position + 1
            position += 1
            if char == "\\":
                if position >= len(text):
                    raise ValueError("'\\' at the end (write '\\\\' for a backslash)")
                literal.append(text[position])
                position += 1
            elif char in CLOSING:
                flush()
                inner = sequence(at, CLOSING[char])
                if inner == ((),):
                    raise ValueError(f"empty '{char}{CLOSING[char]}' at character {at}")
                items.append(Alternatives(inner, optional=char == "["))
            elif char == "{":
                end = text.find("}", position)
                name = text[position:end] if end >= 0 else ""
                if end < 0 or not CLASS_NAME.fullmatch(name):
                    raise ValueError(f"'{{' at character {at} is not a word class name in braces ({{name}})")
                flush()
                items.append(WordClass(name, at))
                position = end + 1
            elif char == "|":
                if closer is None:
                    raise ValueError(f"'|' at character {at} is outside ( ) or [ ]")
                flush()
                options.append(tuple(items))
                items = []
            elif char in ")]}":
                if char != closer:
                    expected = f" (the bracket at character {opener} wants '{closer}')" if closer else ""
                    raise ValueError(f"unbalanced '{char}' at character {at}{expected}")
                flush()
                options.append(tuple(items))
                return tuple(options)
            else:
                literal.append(char)
        if closer is not None:
            raise ValueError(f"unbalanced '{text[opener - 1]}' at character {opener}: no '{closer}' closes it")
        flush()
        options.append(tuple(items))
        return tuple(options)

    return sequence(0, None)[0]


def count_expansions(tree: Tree, classes: dict[str, tuple[str, ...]]) -> int:
    total = 1
    for item in tree:
        if isinstance(item, Alternatives):
            total *= sum(count_expansions(option, classes) for option in item.options) + item.optional
        elif isinstance(item, WordClass):
            total *= len(classes[item.name])
    return total


def expand_tree(tree: Tree, classes: dict[str, tuple[str, ...]]) -> list[str]:
    """Every text the tree stands for, leftmost choice varying slowest."""
    parts: list[list[str]] = []
    for item in tree:
        if isinstance(item, str):
            parts.append([item])
        elif isinstance(item, WordClass):
            parts.append(list(classes[item.name]))
        else:
            choices = [text for option in item.options for text in expand_tree(option, classes)]
            parts.append(choices + [""] if item.optional else choices)
    return ["".join(combination) for combination in itertools.product(*parts)]


def tidy(text: str) -> str:
    return nfc(" ".join(text.split()))


def class_names(tree: Tree) -> Iterator[WordClass]:
    for item in tree:
        if isinstance(item, WordClass):
            yield item
        elif isinstance(item, Alternatives):
            for option in item.options:
                yield from class_names(option)


def expand_text(text: str, classes: dict[str, tuple[str, ...]], where: str = "pattern") -> tuple[str, ...]:
    """The surfaces a pattern stands for, in order, without duplicates.

    ``classes`` maps a word class name to its (already expanded) alternatives.
    Errors name ``where`` (``file:line``) and say what is wrong.
    """
    if not has_syntax(text):
        return (tidy(text),)
    try:
        tree = parse_pattern(text)
    except ValueError as error:
        raise ResourceError(f"{where}: {error} in pattern {text!r}") from None
    for word_class in class_names(tree):
        if word_class.name not in classes:
            known = ", ".join(sorted(classes)) or "none"
            raise ResourceError(
                f"{where}: unknown word class {{{word_class.name}}} at character {word_class.at} of pattern {text!r}"
                f" (the word classes of {PATTERN_WORDS}.tsv: {known})"
            )
    count = count_expansions(tree, classes)
    if count > MAX_EXPANSIONS:
        raise ResourceError(
            f"{where}: pattern {text!r} stands for {count} surfaces, more than {MAX_EXPANSIONS}: split it"
        )
    surfaces = dict.fromkeys(tidy(surface) for surface in expand_tree(tree, classes))
    if "" in surfaces:
        raise ResourceError(f"{where}: pattern {text!r} can stand for an empty surface")
    return tuple(surfaces)


def read_word_classes(path: Path) -> dict[str, tuple[str, ...]]:
    """Word classes from a ``pattern_words.tsv``: name → expanded alternatives, in file order.

    An alternative may use the syntax of a pattern, including other word
    classes (defined anywhere in the file, without cycles).
    """
    if not path.exists():
        return {}
    lines: dict[str, list[tuple[int, str]]] = {}
    for number, row in read_rows(path):
        if len(row) != 2 or not CLASS_NAME.fullmatch(row[0]):
            raise ResourceError(f"{path}:{number}: expected a word class name and one alternative, tab-separated")
        lines.setdefault(row[0], []).append((number, row[1]))
    classes: dict[str, tuple[str, ...]] = {}

    def resolve(name: str, chain: tuple[str, ...]) -> tuple[str, ...]:
        if name in classes:
            return classes[name]
        alternatives: list[str] = []
        for number, text in lines[name]:
            where = f"{path}:{number}"
            tree_names = []
            if has_syntax(text):
                try:
                    tree_names = [c.name for c in class_names(parse_pattern(text))]
                except ValueError as error:
                    raise ResourceError(f"{where}: {error} in pattern {text!r}") from None
            used: dict[str, tuple[str, ...]] = {}
            for other in tree_names:
                if other not in lines:
                    known = ", ".join(sorted(lines))
                    raise ResourceError(
                        f"{where}: unknown word class {{{other}}} in pattern {text!r} (this file has: {known})"
                    )
                if other in chain or other == name:
                    cycle = " → ".join(chain + (name, other))
                    raise ResourceError(f"{where}: word class {{{name}}} refers to itself through {cycle}")
                used[other] = resolve(other, chain + (name,))
            alternatives.extend(expand_text(text, used, where))
        classes[name] = tuple(dict.fromkeys(alternatives))
        return classes[name]

    for name in lines:
        resolve(name, ())
    return classes


def read_table(path: Path, classes: dict[str, tuple[str, ...]] | None = None) -> tuple[Row, ...]:
    """Rows of one table file, de-duplicated; with ``classes``, first columns are patterns and expand."""
    rows: dict[Row, None] = {}
    for number, row in read_rows(path):
        if classes is None:
            rows.setdefault(row, None)
            continue
        for surface in expand_text(row[0], classes, f"{path}:{number}"):
            rows.setdefault((surface,) + row[1:], None)
    return tuple(rows)


@lru_cache(maxsize=None)
def word_classes(lang: str) -> dict[str, tuple[str, ...]]:
    """The word classes of ``kg/resources/<lang>/pattern_words.tsv`` (read once)."""
    return read_word_classes(resource_dir() / lang / f"{PATTERN_WORDS}.tsv")


@lru_cache(maxsize=None)
def load_table(lang: str, name: str) -> tuple[Row, ...]:
    """Rows of ``kg/resources/<lang>/<name>.tsv``, normalised and de-duplicated.

    In the tables of ``PATTERN_TABLES`` a first column that is a pattern is
    replaced by the rows it stands for. A language without the file gets an
    empty table, so a new language can be added one file at a time.
    """
    path = resource_dir() / lang / f"{name}.tsv"
    if not path.exists():
        return ()
    return read_table(path, word_classes(lang) if name in PATTERN_TABLES else None)


def column(lang: str, name: str, index: int = 0) -> tuple[str, ...]:
    """One column of a table, in file order, without duplicates."""
    values = dict.fromkeys(row[index] for row in load_table(lang, name) if len(row) > index)
    return tuple(values)


def mapping(lang: str, name: str, key: int = 0, value: int = 1) -> dict[str, str]:
    """A dict from one column to another; the first row for a key wins."""
    result: dict[str, str] = {}
    for row in load_table(lang, name):
        if len(row) > max(key, value):
            result.setdefault(row[key], row[value])
    return result
