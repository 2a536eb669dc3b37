"""Person names: runs of Vietnamese name syllables, and the names of guests that do not read as Vietnamese.

A name is read syllable by syllable from the script's tables (``syllable_run``,
``person_spans``), goes on past its middle name with a given name the tables lack
(``given_name_words``), and after an honorific may be a foreign name of words no
table explains (``foreign_name_spans``). ``reads_as_name`` is the test the combined
recogniser puts to Stanza's person spans.
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.extract.lexicon import fold, text_keys
from kg.extract.tokenize import tokenize_span
from kg.extract.translit import closest_syllable, generic_romanization, syllable_tiers
from kg.model import Token
from kg.extract.ner.vocabulary import LanguageRules, Span, is_word, language_rules

LIST_ITEM_SEPARATORS = {";", "؛"}
SENTENCE_ENDS = {".", "।"}
CONJUNCTION_AR = "و"
ACCUSATIVE_ENDINGS = ("ًا", "اً", "ً")  # Arabic tanween: an adverb or an object, never the end of a name
FOREIGN_NAME_WORDS = 6  # a Lao name may be written syllable by syllable (تشوم سي لات تا نا بان)


def person_spans(rules: LanguageRules, tokens: Sequence[Token], places: Sequence[Span] = ()) -> list[Span]:
    """Runs of two to five name syllables.

    A syllable that is also an ordinary word (Hindi दो "two") may start a name
    only after a title or when the rest of the run is unambiguous. A known
    place name stops a run, except where it is the end of a name: after a title
    or an unambiguous syllable, and not followed by a place noun (फान थाई बिन्ह is
    Phan Thai Binh; थाई बिन्ह प्रांत is the province).
    """
    spans = []
    i = 0
    # A title or a post right before a run vouches for it (महासचिव तो लाम: तो is also "so").
    named_after = {m.end_token for m in rules.titles.find_all(tokens)}
    titled = named_after | {m.end_token for m in rules.posts.find_all(tokens)}
    place_at = {p.start_token: p for p in places}
    inside_place = {k for p in places for k in range(p.start_token + 1, p.end_token)}
    while i < len(tokens):
        j = i
        latin: list[str] = []
        common: list[bool] = []
        while j < len(tokens) and j - i < 5:
            if j in inside_place and j == i:
                break
            if j in place_at and not place_in_name(rules, tokens, place_at[j], j > i and (i in titled or not all(common))):
                break
            if j == i:
                syl, start_char = name_start(rules, tokens[j])
            else:
                syl = rules.syllable(tokens[j])
            if syl is None or (
                fold(tokens[j].text, rules.lang) in rules.function_words and j > i and j - i >= 2
                and not closes_name(tokens, j + 1) and not opens_coordinated_name(rules, tokens, j + 1)
            ):
                break
            if j == i and i not in titled and fold(tokens[j].text, rules.lang) in (rules.postpositions | rules.clause_verbs):
                break  # को विन्ह लांग: a postposition does not open a name, nor a verb (قام فام فان ثيو)
            latin.append(syl[0])
            common.append(syl[1])
            j += 1
        # A middle name (Thị, also a Hindi "was") followed by a given name the tables lack is no end.
        taken = given_name_words(rules, tokens, latin, j) if 2 <= j - i <= 3 else 0
        for k in range(j, j + taken):
            latin.append(given_name_reading(rules, tokens[k]))
            common.append(False)
        j += taken
        # Without a title or post before it, a run does not end on an ambiguous word (… थान मान "value").
        # Punctuation right after the run closes the name: its last word belongs to it (نجوين فان آن،), as does
        # the next name of a list (نجوين فان آن ونجوين …).
        while i not in titled and j - i >= 2 and common[-1] and (j - 1) > i and not (j - i >= 3 and (closes_name(tokens, j) or opens_coordinated_name(rules, tokens, j))):
            j -= 1
            latin.pop()
            common.pop()
        length = j - i
        if length == 1 and i in named_after and not common[0]:
            # कॉमरेड तुआट: after a title, one syllable is the given name (linked to the full name by the resolver).
            spans.append(Span(i, j, start_char, tokens[i].end, "Person", "title+given-name", "person:" + latin[0], 0.7))
            i = j
            continue
        if length >= 2:
            ambiguous = sum(common)
            # A line that is nothing but a name is a byline (ها لينه, माई लान-डुक लाम).
            byline = all(not is_word(t) or rules.syllable(t) for t in tokens)
            # A list item that is nothing but syllables, two of them unambiguous (: हो थी होआंग येन -), is a name.
            item = closes_name(tokens, j) and (i == 0 or tokens[i - 1].text in NAME_CLOSERS) and length - ambiguous >= 2
            if ambiguous == 0 or i in titled or byline or (ambiguous == 1 and length >= 3) or item:
                key = "person:" + " ".join(latin)
                spans.append(Span(i, j, start_char, tokens[j - 1].end, "Person", "syllables", key, 0.9))
                i = j
                continue
        i += 1
    return spans


def given_name_words(rules: LanguageRules, tokens: Sequence[Token], latin: list[str], j: int) -> int:
    """How many words after a name's middle name are its given name the tables lack (0, 1 or 2).

    A Vietnamese name does not stop at its middle name (Thị, Văn): a word after one,
    closed by punctuation or a function word, is the given name (दाओ थी मैक,, نجوين فان
    هيتش،), unless it is a word the language's tables explain; so is an unknown word
    and a known syllable before the close (गुयेन थी ऐ वान (…): Ai Van). After Thị and a
    given name a woman's name may take a second given name (تران ثي هوا ري؛).
    """
    tiers = syllable_tiers()
    surname, middle = (tiers.get(x, (0, 0, 0)) for x in latin[:2])
    if surname[0] < 2 or middle[1] < 3:
        return 0
    if len(latin) == 3 and middle[2] > 1:
        return 0  # only after Thị, never a given name itself, does a third syllable leave room for a fourth
    if not unknown_given_name(rules, tokens, j):
        return 0
    after = j + 1
    if closes_name(tokens, after) or (fold(tokens[after].text, rules.lang) in closing_words(rules) and not (len(latin) == 3 and rules.lang == "ar")):
        return 1  # (a fourth Arabic syllable only before punctuation: تران ثي هوا ري؛, not … مانه بشجاعة على)
    second = rules.syllable(tokens[after]) if len(latin) == 2 else None
    if second is not None and not second[1] and (closes_name(tokens, after + 1) or tokens[after + 1].text == "("):
        return 2
    return 0


def closing_words(rules: LanguageRules) -> set[str]:
    """Words a name ends before: Hindi postpositions (… थी मैक के), any Arabic function word."""
    return rules.postpositions if rules.lang == "hi" else rules.function_words


def unknown_given_name(rules: LanguageRules, tokens: Sequence[Token], j: int) -> bool:
    """A word no table explains or only as an ordinary word: it may be a given name the syllables lack."""
    if j >= len(tokens) or not is_word(tokens[j]) or tokens[j].text[:1].isdigit():
        return False
    if rules.lang == "ar" and (tokens[j].text.startswith(CONJUNCTION_AR) or tokens[j].text.endswith(ACCUSATIVE_ENDINGS)):
        return False  # a new conjunct (والشهداء) or an accusative (تقريراً) goes on the sentence
    if explained_by_tables(rules, tokens, j, (rules.titles, rules.posts, rules.events, rules.triggers)):
        return False
    reading = rules.syllable(tokens[j])
    return reading is None or reading[1]  # a plain syllable the run would have taken: it stopped for another reason


def foreign_name_spans(rules: LanguageRules, tokens: Sequence[Token], persons: Sequence[Span]) -> list[Span]:
    """A guest's name after an honorific: words the tables do not explain, closed like a name.

    Lao, Chinese or Cuban names (कॉमरेड खामटे सिफानदोन के, الرفيق تشانغ جون، عضو, السيد
    أورلاندو نيكولاس هيرنانديز غيلين، السفير) do not read as Vietnamese syllables; after
    الرفيق or कॉमरेड a run of unexplained words is one all the same when it closes like
    a name (``closes_foreign_name``). An Arabic name never ends in the accusative ًا.
    """
    read = {p.start_token: p.end_token for p in persons if p.end_token - p.start_token >= 2}
    starts = []
    for title in rules.titles.find_all(tokens):
        start = title.end_token
        if start < len(tokens) and tokens[start].text == ":":
            # الرفاق: A، posts؛ B، posts (a list of comrades): every item starts a name.
            starts += [k + 1 for k in range(start + 1, len(tokens)) if tokens[k].text in LIST_ITEM_SEPARATORS]
            start += 1
        starts.append(start)
    found = []
    for start in sorted(set(starts)):
        end = start
        while end < len(tokens) and end - start < FOREIGN_NAME_WORDS and unexplained_word(rules, tokens, end):
            end += 1
        if end - start < 2 or read.get(start, start) >= end or not closes_foreign_name(rules, tokens, end):
            continue  # too short, a Vietnamese name the syllable rule read whole, or not closed like a name
        if rules.lang == "ar" and any(tokens[k].text.endswith(ACCUSATIVE_ENDINGS) for k in range(start, end)):
            continue
        if all(rules.syllable(tokens[k]) is not None for k in range(start, end)):
            continue  # a Vietnamese name: the syllable rule reads it
        latin = " ".join(given_name_reading(rules, tokens[k]) for k in range(start, end))
        first = tokens[start]
        # A list item's conjunction is no part of the name (؛ وفونجفيت بونماني).
        skip = 1 if rules.lang == "ar" and first.text.startswith(CONJUNCTION_AR) and start > 0 and tokens[start - 1].text in LIST_ITEM_SEPARATORS else 0
        found.append(Span(start, end, first.start + skip, tokens[end - 1].end, "Person", "title+foreign-name", "person:" + latin, 0.6))
    return found


def closes_foreign_name(rules: LanguageRules, tokens: Sequence[Token], end: int) -> bool:
    """Whether a run of unexplained words ends the way a guest's name does.

    Punctuation and then the person's post in apposition (، نائب رئيس …; , राज्यपाल …),
    or the end of the sentence; in Hindi also a genitive link (… सिफानदोन के निधन पर).
    Punctuation alone is not enough: an adverb or a phrase may end there (بنبرة مؤثرة:).
    """
    if rules.lang == "hi":
        if end < len(tokens) and rules.is_link(tokens[end]):
            return True
    elif end >= len(tokens) or (tokens[end].text in SENTENCE_ENDS and end + 1 == len(tokens)):
        return True  # an Arabic sentence may end on its object (… بالرفيق كونغ كيو ساي سونغ خام.); a Hindi one ends on its verb
    if end >= len(tokens) or not closes_name(tokens, end):
        return False
    after = end + 1
    return after < len(tokens) and any(lexicon.match_at(tokens, after) for lexicon in (rules.posts, rules.titles))


def unexplained_word(rules: LanguageRules, tokens: Sequence[Token], k: int) -> bool:
    """A word no table of the language explains: no function word, body word, place, post, title or event."""
    token = tokens[k]
    if not is_word(token) or token.text[:1].isdigit() or not any(c.isalpha() and not c.isascii() for c in token.text):
        return False
    return not explained_by_tables(rules, tokens, k, (rules.titles, rules.posts, rules.events, rules.locations, rules.bodies))


def explained_by_tables(rules: LanguageRules, tokens: Sequence[Token], k: int, lexicons: Sequence) -> bool:
    """Whether the language's tables say what word k is: a function word, a body word, a level noun,
    an Arabic definite noun (ال…), or the start of an entry of one of ``lexicons``."""
    word = fold(tokens[k].text, rules.lang)
    if word in rules.function_words or word in rules.body_token_keys or rules.place_word(tokens[k]) or (rules.lang == "ar" and word.startswith("ال")):
        return True
    return any(lexicon.match_at(tokens, k) for lexicon in lexicons)


def given_name_reading(rules: LanguageRules, token: Token) -> str:
    reading = rules.syllable(token)
    if reading is not None:
        return reading[0]
    return closest_syllable(token.text, rules.lang, "given") or generic_romanization(token.text)



def reads_as_name(text: str, lang: str) -> bool:
    """Whether every word of ``text`` is a Vietnamese name syllable as this language writes it.

    The combined recogniser asks it of Stanza's person spans: the model may run a
    name on into the next word (… دونغ نائبين) or tag a verb (बोलते हुए).
    """
    rules = language_rules(lang)
    tokens = tokenize_span(text, 0, len(text))
    if not tokens:
        return False
    return name_start(rules, tokens[0])[0] is not None and all(rules.syllable(t) is not None for t in tokens[1:])


NAME_CLOSERS = {",", "،", ";", "؛", ":", "-", "–", "—", ")", ".", "।", "|"}


def closes_name(tokens: Sequence[Token], k: int) -> bool:
    """Whether a name ending before token k is closed by punctuation or the end of the sentence."""
    return k >= len(tokens) or tokens[k].text in NAME_CLOSERS


def opens_coordinated_name(rules: LanguageRules, tokens: Sequence[Token], k: int) -> bool:
    """Whether token k starts the next name of a list with the Arabic "and" (نجوين فان آن ونجوين سينه هونغ).

    Only a common surname behind و counts: that closes the name before it as
    punctuation would, so its last word (آن, which folds to "that") is kept.
    """
    if rules.lang != "ar" or k >= len(tokens) or not tokens[k].text.startswith("و") or len(tokens[k].text) < 3:
        return False
    reading = rules.syllable_text(tokens[k].text[1:])
    return reading is not None and syllable_tiers().get(reading[0], (0, 0, 0))[0] >= 2


def name_start(rules: LanguageRules, token: Token) -> tuple[tuple[str, bool] | None, int]:
    """The syllable a name's first word reads as, and where the name starts.

    As written first; else behind an Arabic proclitic (ولي مينه هونغ = و + Le Minh
    Hung), the name then starting after it.
    """
    syl = rules.syllable(token)
    if syl is not None:
        return syl, token.start
    for key, delta in text_keys(token.text, rules.lang)[1:]:
        syl = rules.syllable_text(key)
        if syl is not None:
            return syl, token.start + delta
    return None, token.start


def place_in_name(rules: LanguageRules, tokens: Sequence[Token], place: Span, name_started: bool) -> bool:
    """A place name continuing a person's name: the name has begun and no place noun follows."""
    if not name_started:
        return False
    after = tokens[place.end_token] if place.end_token < len(tokens) else None
    return after is None or fold(after.text, rules.lang) not in rules.place_words
