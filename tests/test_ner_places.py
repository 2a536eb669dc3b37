"""Places read by kg.extract.ner.places, through the rule recogniser."""

from __future__ import annotations

import pytest

from tests.conftest import rule_mentions as mentions


@pytest.mark.parametrize(
    "text, lang, place",
    [
        ("وحضر ممثلو القيادة العسكرية لمقاطعة سافاناكيت، لاوس.", "ar", "سافاناكيت"),
        ("وفد مقاطعة تشامباساك - تصوير: الوكالة.", "ar", "تشامباساك"),
        ("सचिव और उदोमक्से प्रांत के नेता उपस्थित थे।", "hi", "उदोमक्से"),
    ],
)
def test_a_foreign_province_next_to_a_province_noun_is_a_place(text: str, lang: str, place: str) -> None:
    assert ("Location", place) in mentions(text, lang)


def test_adjectives_and_determiners_by_a_level_noun_are_no_place() -> None:
    assert ("Location", "ساحلية") not in mentions("هذه مقاطعة ساحلية في الوسط.", "ar")
    assert ("Location", "पूरे") not in mentions("सुबह, पूरे प्रांत से लोग आए।", "hi")
    assert not any(t == "Location" for t, _ in mentions("लोग अन्य जिलों से आए।", "hi"))


def test_a_provinces_own_building_is_read_with_its_level_adjective() -> None:
    assert ("Location", "प्रांतीय सम्मेलन केंद्र") in mentions("कांग्रेस प्रांतीय सम्मेलन केंद्र में आयोजित हुई।", "hi")
    assert ("Location", "مركز المؤتمرات الإقليمي") in mentions("عقد المؤتمر في مركز المؤتمرات الإقليمي.", "ar")
    # Without the level adjective the words say nothing of a place.
    assert not any(t == "Location" for t, _ in mentions("सम्मेलन केंद्र में बैठक हुई।", "hi"))


def test_a_list_of_places_announced_by_a_definite_plural_level_noun() -> None:
    found = mentions("اختارت اللجنة ثلاث لجان حزبية في الأحياء: راش جيا، ولونغ شيوين، وها تيان لتنظيم المؤتمر.", "ar")
    assert {("Location", "راش جيا"), ("Location", "لونغ شيوين"), ("Location", "ها تيان")} <= found


def test_a_name_the_article_writes_as_a_place_is_a_place_elsewhere_in_it() -> None:
    text = "سيعقد مؤتمر لجنة الحزب في حي لونغ شيوين. وحضر المؤتمر ممثلو لونغ شيوين."
    found = mentions(text, "ar")
    assert ("Location", "لونغ شيوين") in found
    assert not any(t == "Person" and "شيوين" in m for t, m in found)


def test_hindi_en_before_a_level_noun_reads_an() -> None:
    found = mentions("प्रतिनिधिमंडल ने ग्रुप 9, एन तुओंग वार्ड, तुयेन क्वांग प्रांत का दौरा किया।", "hi")
    assert ("Location", "एन तुओंग") in found


@pytest.mark.parametrize(
    "text, lang, street",
    [
        ("عقد المؤتمر في المبنى الواقع في 146 شارع لي فان دويت، الحي الأول.", "ar", "لي فان دويت"),
        ("أقيمت الجنازة في دار الجنازة الوطنية، رقم 5 تران ثانه تونغ، هانوي.", "ar", "تران ثانه تونغ"),
        ("सम्मेलन हंग वुओंग स्ट्रीट पर आयोजित किया गया।", "hi", "हंग वुओंग"),
    ],
)
def test_a_street_named_after_a_person_is_a_place_not_a_person(text: str, lang: str, street: str) -> None:
    found = mentions(text, lang)
    assert ("Location", street) in found
    assert ("Person", street) not in found


def test_a_number_before_a_name_is_an_address_only_after_the_number_noun() -> None:
    found = mentions("وحضر 5 تران ثانه تونغ وآخرون.", "ar")
    assert not any(t == "Location" and "تونغ" in m for t, m in found)


def test_a_place_spelt_two_ways_in_one_article_is_a_place_in_both() -> None:
    text = "थुआ थिएन ह्यू प्रांतीय पार्टी समिति ने समारोह आयोजित किया। 1964 में थुआ थीएन ह्यु प्रांतीय सीमा रक्षक की स्थापना की गई।"
    found = mentions(text, "hi")
    assert ("Location", "थुआ थीएन ह्यु") in found
    assert not any(t == "Person" for t, _ in found)
