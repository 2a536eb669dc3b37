"""Person names read by kg.extract.ner.names, through the rule recogniser."""

from __future__ import annotations

import pytest

from tests.conftest import rule_mentions as mentions


@pytest.mark.parametrize(
    "text, lang, name",
    [
        ("75 वर्षीय सुश्री दाओ थी मैक, जो कम्यून किसान संघ की सदस्य हैं।", "hi", "दाओ थी मैक"),
        ("कॉमरेड हो वान मुंग के स्थानांतरण पर चर्चा हुई।", "hi", "हो वान मुंग"),
        ("زار الوفد السيد نجوين فان هيتش، المولود عام 1932.", "ar", "نجوين فان هيتش"),
        ("والأم الفيتنامية البطلة تران ثي تشوت في قرية كام فان.", "ar", "تران ثي تشوت"),
        # An unknown given name and a known one (Ai Van), and a woman's second given name after Thi (Hoa Ry).
        ("कमेटी की अध्यक्ष - गुयेन थी ऐ वान (दाएं से तीसरी) ने कहा।", "hi", "गुयेन थी ऐ वान"),
        ("حضر نائب رئيس المجلس الوطني للقوميات تران ثي هوا ري؛ وأمين اللجنة.", "ar", "تران ثي هوا ري"),
    ],
)
def test_a_name_goes_on_past_its_middle_name_with_a_given_name_the_tables_lack(text: str, lang: str, name: str) -> None:
    found = {m for t, m in mentions(text, lang) if t == "Person"}
    assert found == {name}


def test_a_word_the_tables_explain_or_one_not_closing_the_name_is_no_given_name() -> None:
    # Followed by another word, the word after the middle name is not taken (دونج فان آن الزهور: An is "now").
    assert ("Person", "دونج فان آن الزهور") not in mentions("قدم السكرتير دونج فان آن الزهور.", "ar")
    # Nor an adverb or an accusative after a full name (bravely, a report).
    assert ("Person", "نغوين ثي مانه بشجاعة") not in mentions("وقفت الشابة نغوين ثي مانه بشجاعة على جميع الجبهات.", "ar")
    assert ("Person", "لي ثي نغا تقريراً") not in mentions("قدمت السيدة لي ثي نغا تقريراً بشأن الدراسة.", "ar")
    # A place noun after the name is not a given name.
    assert not any(t == "Person" and m.endswith("प्रांत") for t, m in mentions("गुयेन वान प्रांत में थे।", "hi"))


@pytest.mark.parametrize(
    "text, lang, name",
    [
        ("برئاسة الرفيق تشانغ جون، عضو اللجنة المركزية للحزب الشيوعي الصيني.", "ar", "تشانغ جون"),
        ("وحضر السيد أورلاندو نيكولاس هيرنانديز غيلين، السفير فوق العادة والمفوض لجمهورية كوبا.", "ar", "أورلاندو نيكولاس هيرنانديز غيلين"),
        ("लाओस के पूर्व राष्ट्रपति कॉमरेड खामटे सिफानदोन के निधन पर शोक।", "hi", "खामटे सिफानदोन"),
    ],
)
def test_a_guests_name_after_an_honorific_and_before_a_post_is_a_person(text: str, lang: str, name: str) -> None:
    assert ("Person", name) in mentions(text, lang)


def test_words_after_an_honorific_that_do_not_close_like_a_name_are_no_person() -> None:
    # An adverbial phrase before a colon: no post follows, no person.
    assert not any(t == "Person" and "بنبرة" in m for t, m in mentions('روت السيدة هونغ بنبرة مؤثرة: "شكرا".', "ar"))
    # Unexplained words followed by an ordinary word are no name either.
    assert not any(t == "Person" and "بدخل" in m for t, m in mentions("تتمتع عائلة السيدة بان بدخل ثابت، لتصبح.", "ar"))


def test_every_item_of_a_list_of_comrades_opened_by_a_colon_starts_a_name() -> None:
    text = "وضم الوفد الرفاق: تشوم سي لات تا نا بان، نائب أمين اللجنة الحزبية الإقليمية؛ وثونغ سي ساو سي فوم، نائب أمين اللجنة الحزبية الإقليمية."
    persons = {m for t, m in mentions(text, "ar") if t == "Person"}
    assert persons == {"تشوم سي لات تا نا بان", "ثونغ سي ساو سي فوم"}  # the item's conjunction و left out


def test_a_hindi_sentence_ends_on_its_verb_not_on_a_name() -> None:
    found = {m for t, m in mentions("बैठक में स्थायी सदस्य कामरेड डांग जुआन फोंग शामिल हुए।", "hi") if t == "Person"}
    assert found == {"डांग जुआन फोंग"}


def test_an_epithet_names_the_person_it_stands_for() -> None:
    assert ("Person", "العم هو") in mentions("وبمناسبة الذكرى الستين لزيارة العم هو والتهنئة بالعام الجديد.", "ar")
    assert ("Person", "अंकल हो") in mentions("अच्छी पढ़ाई करें और अंकल हो के अच्छे बच्चे बनें।", "hi")


def test_an_arabic_light_verb_before_its_subject_is_no_part_of_the_name() -> None:
    persons = {m for t, m in mentions("قام فام فان ثيو، نائب سكرتير لجنة الحزب الإقليمية، بزيارة الأسر.", "ar") if t == "Person"}
    assert persons == {"فام فان ثيو"}


def test_the_next_name_of_an_arabic_list_closes_a_name_as_punctuation_would() -> None:
    found = mentions("وحضر الرئيسان السابقان نجوين فان آن ونجوين سينه هونغ المؤتمر.", "ar")
    # آن (An) folds to أن ("that"); before و and a surname it still ends the name.
    assert ("Person", "نجوين فان آن") in found
    # Before a word that is no surname, the ambiguous last word stays out.
    assert ("Person", "نجوين فان") in mentions("قال نجوين فان أن الوفد وصل.", "ar")
