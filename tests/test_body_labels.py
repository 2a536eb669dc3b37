"""English labels of bodies read from the grammar, in both languages. Phrases written for these tests."""

from __future__ import annotations

from kg.extract.body_labels import english_body_label


def test_hindi_genitive_chain_reads_owner_last() -> None:
    assert english_body_label("प्रांतीय जन परिषद की स्थायी समिति", "hi") == "Standing Committee of the Provincial People's Council"


def test_arabic_head_first_with_the_owner_behind_lam() -> None:
    assert english_body_label("اللجنة الدائمة للجنة الحزب الإقليمية", "ar") == "Standing Committee of the Provincial Party Committee"


def test_term_ordinals_become_numbers() -> None:
    assert english_body_label("14वीं प्रांतीय जन परिषद", "hi") == "14th Provincial People's Council"


def test_repeated_glosses_of_one_phrase_are_said_once() -> None:
    assert english_body_label("لجنة جبهة الوطن الأم الفيتنامية", "ar").count("Fatherland") == 1


def test_an_unglossed_word_gives_no_label_rather_than_a_made_up_one() -> None:
    assert english_body_label("प्रांतीय झझझझ समिति", "hi") is None


def test_a_level_noun_behind_a_proclitic_is_left_to_the_place() -> None:
    from kg.extract.body_labels import english_body_label

    assert english_body_label("لجنة الشعبية لمقاطعة كوانج نام", "ar", lambda loc: "Quang Nam") == "Quang Nam People's Committee"


def test_a_known_body_named_as_the_owner_is_labelled_with_its_own_label() -> None:
    from kg.extract.body_labels import english_body_label

    assert english_body_label("निर्माण मंत्रालय की पार्टी समिति", "hi") == "Party Committee of the Ministry of Construction"
    assert english_body_label("لجنة الحزب بوزارة الخارجية", "ar") == "Party Committee of the Ministry of Foreign Affairs"
    # Not where it is the head itself: the words around it are glossed as before.
    assert english_body_label("प्रांतीय वियतनाम फादरलैंड फ्रंट कमेटी", "hi") == "Provincial Vietnam Fatherland Front Committee"
