"""The domain recognisers on small sentences in both languages."""

from __future__ import annotations

import pytest

from kg.extract.ner.rules import RuleRecognizer
from kg.extract.tokenize import tokenize
from tests.conftest import make_document
from tests.conftest import rule_mentions as mentions


@pytest.mark.parametrize(
    "text, expected",
    [
        ("وحضر المؤتمر نائب رئيس اللجنة الشعبية الإقليمية لي نجوك تشاو.", {("Person", "لي نجوك تشاو"), ("Organization", "اللجنة الشعبية الإقليمية")}),
        ("ألقى الرفيق في تو ليو الموضوع.", {("Person", "في تو ليو")}),
        ("حضر الرفيق فام مينه تشينه المؤتمر.", {("Person", "فام مينه تشينه")}),
        ("حضر الرفيق نجوين فان لونغ المؤتمر.", {("Person", "نجوين فان لونغ")}),
    ],
)
def test_arabic_persons_without_titles_in_the_mention(text: str, expected: set) -> None:
    assert expected <= mentions(text, "ar")


def test_arabic_proclitic_is_not_part_of_the_mention() -> None:
    found = mentions("عقدت لجنة التعبئة الجماهيرية للجنة الحزب الإقليمية مؤتمرا.", "ar")
    assert ("Organization", "لجنة الحزب الإقليمية") in found
    assert not any(text.startswith("للجنة") for _, text in found)


def test_arabic_body_takes_its_province_and_parent() -> None:
    found = mentions("عقدت لجنة التعبئة الجماهيرية التابعة للجنة الحزب الإقليمية ها تينه مؤتمرا.", "ar")
    assert ("Organization", "لجنة التعبئة الجماهيرية التابعة للجنة الحزب الإقليمية ها تينه") in found
    assert ("Organization", "لجنة الحزب الإقليمية ها تينه") in found
    assert ("Location", "ها تينه") in found


def test_arabic_quoted_campaigns_after_a_cue() -> None:
    found = mentions('يقومون بحملة "بناء مناطق ريفية جديدة"، و"رد الجميل" في المقاطعة.', "ar")
    assert ("Campaign", "بناء مناطق ريفية جديدة") in found
    assert ("Campaign", "رد الجميل") in found


def test_arabic_quote_without_cue_is_not_a_campaign() -> None:
    found = mentions('استمع المندوبون إلى موضوع "عمل التعبئة في الوضع الحالي".', "ar")
    assert not any(t == "Campaign" for t, _ in found)


def test_arabic_numbered_congress() -> None:
    assert ("Event", "المؤتمر الوطني الثالث عشر للحزب") in mentions("اقترح المؤتمر الوطني الثالث عشر للحزب مهام.", "ar")


def test_place_after_preposition_is_not_a_person() -> None:
    found = mentions("عقد المؤتمر في لاو كاي.", "ar")
    assert ("Location", "لاو كاي") in found
    assert not any(t == "Person" for t, _ in found)


def test_campaigns_in_a_list_announced_by_such_as() -> None:
    from kg.extract.ner.rules import RuleRecognizer
    from kg.extract.tokenize import tokenize
    from tests.conftest import make_document

    document = make_document('संघों ने परियोजनाएं शुरू कीं, जैसे: "हरित गली" के साथ महिला संघ, "स्वच्छ घर" के साथ युवा संघ।', "hi")
    found = {m.text for m in RuleRecognizer().recognize(document, tokenize(document)) if m.type == "Campaign"}
    assert {"हरित गली", "स्वच्छ घर"} <= found
    # Without "such as", a project's quoted title is not a campaign.
    document = make_document('समिति की परियोजना और "अनुशासन और दक्षता" पर चर्चा हुई।', "hi")
    assert not [m for m in RuleRecognizer().recognize(document, tokenize(document)) if m.type == "Campaign"]


def test_hindi_movement_named_before_its_genitive() -> None:
    from kg.extract.ner.rules import RuleRecognizer
    from kg.extract.tokenize import tokenize
    from tests.conftest import make_document

    document = make_document("सदस्यों ने कार्य किया, स्वच्छ खेती और पशुपालन के आंदोलन को बढ़ावा दिया।", "hi")
    found = {m.text for m in RuleRecognizer().recognize(document, tokenize(document)) if m.type == "Campaign"}
    assert "स्वच्छ खेती और पशुपालन" in found


def test_arabic_plural_place_noun_announces_a_list_of_places() -> None:
    from kg.extract.ner.rules import RuleRecognizer
    from kg.extract.tokenize import tokenize
    from tests.conftest import make_document

    document = make_document("شارك ممثلو بلديات: موي ني، وثين فونج.", "ar")
    found = {m.text: m.type for m in RuleRecognizer().recognize(document, tokenize(document))}
    assert found.get("موي ني") == "Location" and found.get("ثين فونج") == "Location"


def test_syllables_before_a_level_noun_are_a_place_even_when_ambiguous() -> None:
    from kg.extract.ner.rules import RuleRecognizer
    from kg.extract.tokenize import tokenize
    from tests.conftest import make_document

    document = make_document("लाई थियू वार्ड के महिला संघ ने बैठक की।", "hi")
    found = {m.text: m.type for m in RuleRecognizer().recognize(document, tokenize(document))}
    assert found.get("लाई थियू") == "Location"


def test_a_peak_month_names_its_campaign() -> None:
    found = mentions('वार्ड ने "सबके लिए घर" शिखर माह का शुभारंभ किया।', "hi")
    assert ("Campaign", "सबके लिए घर") in found


@pytest.mark.parametrize(
    ("lang", "text", "slogan", "campaign"),
    [
        ("ar", 'نظم الاتحاد الاجتماع تحت شعار "صوت المرأة وقوتها".', "صوت المرأة وقوتها", False),
        ("ar", 'أطلقت اللجنة حملة تحت شعار "بيئة نظيفة".', "بيئة نظيفة", True),
        ("hi", 'सम्मेलन "एकता और विकास" नारे के साथ आयोजित हुआ।', "एकता और विकास", False),
        ("hi", 'समिति ने अभियान के नारे "हरित शहर" को दोहराया।', "हरित शहर", True),
    ],
)
def test_a_slogan_is_a_campaign_only_after_a_campaign_cue(lang: str, text: str, slogan: str, campaign: bool) -> None:
    assert (("Campaign", slogan) in mentions(text, lang)) is campaign


def test_a_farmers_union_of_a_commune_takes_the_commune() -> None:
    found = mentions("नाम कैट तिएन कम्यून के किसान संघ ने कांग्रेस का आयोजन किया।", "hi")
    assert ("Organization", "नाम कैट तिएन कम्यून के किसान संघ") in found
    found = mentions("نظم اتحاد نساء مقاطعة لاي تشاو الاجتماع.", "ar")
    assert ("Organization", "اتحاد نساء مقاطعة لاي تشاو") in found


def test_any_numbered_event_is_an_event_and_a_body_may_name_it() -> None:
    found = mentions("परिषद ने 23वें सत्र का आयोजन किया। संघ ने 11वीं कार्यकारी समिति सम्मेलन आयोजित किया।", "hi")
    assert ("Event", "23वें सत्र") in found
    assert ("Event", "11वीं कार्यकारी समिति सम्मेलन") in found
    found = mentions("عقد المؤتمر السابع عشر لجمعية المزارعين الإقليمية.", "ar")
    assert any(t == "Event" and text.startswith("المؤتمر السابع عشر") for t, text in found)


def test_an_anniversary_is_an_event_of_its_body() -> None:
    found = mentions("احتفالاً بالذكرى الثمانين للجمعية الوطنية الفيتنامية، عقد اجتماع.", "ar")
    assert ("Event", "الذكرى الثمانين للجمعية الوطنية الفيتنامية") in found
    found = mentions("नेशनल असेंबली की 80वीं वर्षगांठ के अवसर पर बैठक हुई।", "hi")
    assert ("Event", "नेशनल असेंबली की 80वीं वर्षगांठ") in found


def test_an_arabic_numbered_session_after_a_comma_is_a_term_not_an_event() -> None:
    found = mentions("انتخب رئيسا للجنة الجبهة الوطنية لمقاطعة كوانج نام، الدورة العاشرة.", "ar")
    assert not any(t == "Event" for t, _ in found)
    assert ("Event", "الدورة الخامسة لمجلس الشعب الإقليمي") in mentions("افتتحت الدورة الخامسة لمجلس الشعب الإقليمي.", "ar")


def test_a_plural_place_noun_behind_a_proclitic_announces_places_the_person_rule_doubts() -> None:
    found = mentions("اندمجت الجمعية من ثلاث مقاطعات وبلديات: هام تيان، وموي ني، وثين نغيب.", "ar")
    assert {("Location", "هام تيان"), ("Location", "موي ني"), ("Location", "ثين نغيب")} <= found
    assert not any(t == "Person" for t, _ in found)


def test_a_list_item_of_syllables_is_a_name_even_with_two_ambiguous_ones() -> None:
    found = mentions("साथी उपस्थित थे: हो थी होआंग येन - प्रांतीय पार्टी समिति की उप सचिव।", "hi")
    assert ("Person", "हो थी होआंग येन") in found
    # Ambiguous words inside a sentence are not a name.
    assert not any(t == "Person" for t, _ in mentions("बैठक में चर्चा हो थी।", "hi"))


def test_a_committee_for_an_event_is_named_with_the_event() -> None:
    found = mentions("حضر رئيس اللجنة المنظمة للذكرى الثمانين للجمعية الوطنية الفيتنامية دو فان تشين.", "ar")
    assert ("Organization", "اللجنة المنظمة للذكرى الثمانين للجمعية الوطنية الفيتنامية") in found
    assert ("Event", "لذكرى الثمانين للجمعية الوطنية الفيتنامية") in found
    found = mentions("नेशनल असेंबली की 80वीं वर्षगांठ की आयोजन समिति के प्रमुख दो वान चिएन ने भाषण दिया।", "hi")
    assert ("Organization", "नेशनल असेंबली की 80वीं वर्षगांठ की आयोजन समिति") in found


def test_the_provinces_national_assembly_delegation_is_one_body() -> None:
    found = mentions("حضر رئيس وفد الجمعية الوطنية الإقليمية دانج نجوك هوي.", "ar")
    assert ("Organization", "وفد الجمعية الوطنية الإقليمية") in found


def test_historic_events_and_their_anniversaries() -> None:
    found = mentions("بمناسبة الذكرى الثمانين لثورة أغسطس واليوم الوطني لجمهورية فيتنام الاشتراكية، عقد اجتماع.", "ar")
    assert ("Event", "الذكرى الثمانين لثورة أغسطس") in found
    assert ("Event", "اليوم الوطني لجمهورية فيتنام الاشتراكية") in found
    found = mentions("अगस्त क्रांति की 80वीं वर्षगांठ के अवसर पर बैठक हुई।", "hi")
    assert ("Event", "अगस्त क्रांति की 80वीं वर्षगांठ") in found


def test_a_numbered_event_of_delegates_is_a_congress() -> None:
    found = {(t, x) for t, x in mentions("संघ ने प्रतिनिधियों की पहली कांग्रेस का आयोजन किया।", "hi")}
    assert ("Event", "प्रतिनिधियों की पहली कांग्रेस") in found
    from kg.extract.ner.rules import RuleRecognizer
    from kg.extract.tokenize import tokenize
    from tests.conftest import make_document

    document = make_document("عقدت اللجنة المؤتمر الحادي عشر للمندوبين للفترة 2024-2029.", "ar")
    keys = {m.text: m.key for m in RuleRecognizer().recognize(document, tokenize(document))}
    assert keys.get("المؤتمر الحادي عشر للمندوبين") == "event:congress:11"


def test_arabic_particle_after_a_name_is_not_the_syllable_anh() -> None:
    said = mentions("قال الرفيق نجوين فان هونغ إنه سيواصل العمل.", "ar")
    assert ("Person", "نجوين فان هونغ") in said
    assert ("Person", "نغوين فان آنه") in mentions("حضر الرفيق نغوين فان آنه المؤتمر.", "ar")


def test_a_body_named_inside_another_with_the_place_at_the_end_takes_the_place() -> None:
    # The Standing Committee of [the Provincial Party Committee in An Giang]: both bodies are An Giang's.
    found = mentions("طلبت اللجنة الدائمة للجنة الحزب الإقليمية في آن جيانج من لجان الحزب.", "ar")
    assert ("Organization", "لجنة الحزب الإقليمية في آن جيانج") in found
    assert ("Organization", "اللجنة الدائمة للجنة الحزب الإقليمية في آن جيانج") in found


def test_a_body_named_with_another_countrys_adjective_is_that_countrys() -> None:
    doc = make_document("عقد وفد من المحكمة الشعبية العليا الصينية جلسة عمل مع الجمعية الوطنية اللاوية.", "ar")
    keys = {m.key for m in RuleRecognizer().recognize(doc, tokenize(doc)) if m.type == "Organization"}
    assert {"body:supreme-peoples-court@loc:china#country", "body:national-assembly@loc:laos#country"} <= keys
    found = mentions("अध्यक्ष ने लाओ नेशनल असेंबली की विदेश मामलों की समिति से मुलाकात की। लाओ काई प्रांतीय पार्टी समिति ने स्वागत किया।", "hi")
    assert ("Organization", "लाओ नेशनल असेंबली") in found
    # लाओ काई is the province Lao Cai, not "Lao" + a body.
    assert ("Organization", "लाओ काई प्रांतीय पार्टी समिति") in found


def test_an_anniversary_names_an_event_only_with_what_it_is_of() -> None:
    assert not any(t == "Event" for t, _ in mentions("सेना की स्थापना की 80वीं वर्षगांठ मनाई गई।", "hi"))
    assert not any(t == "Event" for t, _ in mentions("احتفلت المنطقة بالذكرى الثمانين.", "ar"))
    assert ("Event", "الذكرى الثمانين لثورة أغسطس") in mentions("احتفلت البلاد بالذكرى الثمانين لثورة أغسطس.", "ar")


def test_an_arabic_numbered_term_for_a_body_is_no_session() -> None:
    term = mentions("وافقت على عدد أعضاء الحكومة للدورة الخامسة عشرة للمجلس.", "ar")
    assert not any(t == "Event" for t, _ in term)
    # The session a body opens is one.
    assert ("Event", "الدورة التاسعة") in mentions("افتتحت الجمعية الوطنية الدورة التاسعة.", "ar")


def test_a_photo_credit_names_its_photographer_in_either_script() -> None:
    assert ("Person", "NAM TRAN") in mentions("महासचिव ने निरीक्षण किया। फोटो: NAM TRAN", "hi")
    assert ("Person", "Nhat Bac") in mentions("رئيس الوزراء في الاجتماع. صورة: VGP/Nhat Bac", "ar")
    # Latin words that are no Vietnamese name syllables are no photographer.
    assert not any(t == "Person" for t, _ in mentions("बैठक हुई। फोटो: Reuters Images", "hi"))


def test_the_bare_hindi_word_for_government_names_the_government_only_standing_alone() -> None:
    found = mentions("बैठक में राष्ट्रीय सभा, सरकार, और मंत्रालयों के नेता उपस्थित थे।", "hi")
    assert ("Organization", "सरकार") in found
    # A qualified government, the state in general, or the first word of a compound is not the Government.
    for text in ("स्थानीय सरकार ने काम किया।", "पार्टी और सरकार का निर्माण करने के लिए।", "पार्टी निर्माण, सरकार निर्माण पर ध्यान दिया गया।"):
        assert not any(m == "सरकार" for _, m in mentions(text, "hi")), text


@pytest.mark.parametrize(
    "text, lang, body",
    [
        ("राष्ट्रीय असेंबली की जातीय परिषद के प्रतिनिधि आए।", "hi", "राष्ट्रीय असेंबली की जातीय परिषद"),
        ("नेशनल एसेंबली की आर्थिक समिति के प्रतिनिधि आए।", "hi", "नेशनल एसेंबली की आर्थिक समिति"),
        ("जातीय समिति और सैन्य क्षेत्र II के प्रतिनिधि आए।", "hi", "सैन्य क्षेत्र II"),
        ("प्रांतीय पार्टी समिति के आंतरिक मामलों के विभाग के नेता आए।", "hi", "प्रांतीय पार्टी समिति के आंतरिक मामलों के विभाग"),
        ("حضر نائب رئيس اللجنة الاقتصادية في مجلس الأمة.", "ar", "اللجنة الاقتصادية في مجلس الأمة"),
        ("حضر رئيس مجلس القوميات التابع للمجلس الوطني.", "ar", "مجلس القوميات التابع للمجلس الوطني"),
        ("ورئيس لجنة جبهة الوطن الأم الفيتنامية في المقاطعة، لتقديم منازل.", "ar", "لجنة جبهة الوطن الأم الفيتنامية في المقاطعة"),
    ],
)
def test_bodies_read_by_a_grammar_over_their_parts(text: str, lang: str, body: str) -> None:
    """The National Assembly's organs in any rendering of it, numbered regions, a province's Front committee."""
    assert ("Organization", body) in mentions(text, lang)


def test_a_border_provinces_border_guard_command_is_its_own_body() -> None:
    from tests.test_resolve import entities_of

    found = entities_of("मेजर जनरल गुयेन वान थिएन ने थुआ थिएन ह्यू प्रांत के बॉर्डर गार्ड कमांड को प्रमाण पत्र प्रदान किया।", "hi")
    assert found["Thua Thien Hue Provincial Border Guard Command"].attrs.get("province") == "thua-thien-hue"


@pytest.mark.parametrize(
    "text, body",
    [
        ("وحضر مدير الأكاديمية الوطنية للسياسة هوشي منه المؤتمر.", "الأكاديمية الوطنية للسياسة هوشي منه"),
        ("ورفاق السكرتير الأول للجنة المركزية لاتحاد الشباب الشيوعي في هو تشي منه.", "لجنة المركزية لاتحاد الشباب الشيوعي في هو تشي منه"),
    ],
)
def test_arabic_bodies_named_after_ho_chi_minh_in_any_spelling(text: str, body: str) -> None:
    found = mentions(text, "ar")
    assert ("Organization", body) in found
    assert not any(t == "Person" for t, _ in found)


@pytest.mark.parametrize(
    "text, key",
    [
        ("وحضر ممثلو جمعية الفلاحين في المقاطعة.", "body:provincial-farmers-association"),
        ("وحضر ممثلو جمعية قدامى المحاربين للمقاطعة.", "body:provincial-veterans-association"),
        ("وحضر ممثلو اتحاد النساء بالمقاطعة.", "body:provincial-womens-union"),
        ("وحضر ممثلو اتحاد المزارعين الفيتناميين.", "body:vietnam-farmers-union"),
    ],
)
def test_arabic_mass_organisations_of_a_province_by_grammar(text: str, key: str) -> None:
    from kg.extract.ner.rules import RuleRecognizer

    document = make_document(text, "ar")
    found = {m.key for m in RuleRecognizer().recognize(document, tokenize(document)) if m.type == "Organization"}
    assert key in found


@pytest.mark.parametrize(
    "text, key",
    [
        ("वियतनाम पीपुल्स आर्मी के राजनीति के सामान्य विभाग के नेता उपस्थित थे।", "body:vietnam-peoples-army-general-department-of-politics"),
        ("राष्ट्रीय असेंबली की स्थाई कमेटी ने बैठक की।", "body:national-assembly-standing-committee"),
    ],
)
def test_hindi_army_department_and_assembly_committee_by_grammar(text: str, key: str) -> None:
    document = make_document(text, "hi")
    assert key in {m.key for m in RuleRecognizer().recognize(document, tokenize(document))}


@pytest.mark.parametrize(
    "text, key",
    [
        ("वियतनामी मातृभूमि मोर्चे के नेता उपस्थित थे।", "body:vietnam-fatherland-front"),
        ("प्रांतीय पितृभूमि मोर्चा समिति के अध्यक्ष उपस्थित थे।", "body:provincial-fatherland-front-committee"),
    ],
)
def test_hindi_fatherland_front_in_any_rendering_by_grammar(text: str, key: str) -> None:
    document = make_document(text, "hi")
    assert key in {m.key for m in RuleRecognizer().recognize(document, tokenize(document))}


def test_the_bare_arabic_word_for_government_is_not_a_local_or_foreign_government() -> None:
    for text in ("وقالت الحكومة المحلية إن الخطة مهمة.", "أعلنت الحكومة الماليزية القرار."):
        assert not any(m == "الحكومة" for _, m in mentions(text, "ar")), text
    assert ("Organization", "الحكومة") in mentions("أعلنت الحكومة القرار الجديد.", "ar")
    # An adjective agreeing with another noun (the concerned members) does not qualify the Government.
    assert ("Organization", "الحكومة") in mentions("وواصل وزير النقل وأعضاء الحكومة المعنيون التساؤل.", "ar")


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("उन्होंने फ्रांसीसी के खिलाफ प्रतिरोध युद्ध में भाग लिया और दीन बिएन फू अभियान में सेवा की।", "hi", {("Event", "फ्रांसीसी के खिलाफ प्रतिरोध युद्ध"), ("Event", "दीन बिएन फू अभियान")}),
        ("وهو مقاتل في حرب المقاومة ضد الإمبريالية الأمريكية.", "ar", {("Event", "حرب المقاومة ضد الإمبريالية الأمريكية")}),
    ],
)
def test_the_resistance_wars_and_the_dien_bien_phu_campaign_are_events_of_history(text: str, lang: str, expected: set) -> None:
    assert expected <= mentions(text, lang)


def test_a_resistance_war_not_named_by_its_enemy_is_no_event() -> None:
    assert not any(kind == "Event" for kind, _ in mentions("उन्होंने प्रतिरोध युद्ध में अपने बेटे को खो दिया।", "hi"))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Báo Tuyên QuangBáo Tuyên Quang08/11/2025", "Báo Tuyên Quang"),  # written twice, the date glued on
        ("Báo Hà Nam•17/12/2024", "Báo Hà Nam"),
        ("Sở Công thương tỉnh Lào Cai", "Sở Công thương tỉnh Lào Cai"),
    ],
)
def test_a_source_line_in_vietnamese_names_the_body_credited(text: str, expected: str) -> None:
    for lang in ("ar", "hi"):
        assert ("Organization", expected) in mentions(text, lang)


def test_a_vietnamese_head_noun_alone_or_before_a_number_names_nothing() -> None:
    assert not mentions("Báo", "ar") and not mentions("Báo 12", "hi")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ناقش النواب في جلسات عامة بمقر الجمعية الوطنية.", "مقر الجمعية الوطنية"),
        ("عقد المؤتمر بمركز المؤتمرات الإقليمي.", "مركز المؤتمرات الإقليمي"),
    ],
)
def test_an_arabic_proclitic_on_a_building_noun_is_not_part_of_the_place(text: str, expected: str) -> None:
    assert ("Location", expected) in mentions(text, "ar")


@pytest.mark.parametrize(("text", "lang", "name"), [
    ("वियतनाम समाजवादी गणराज्य की राष्ट्रीय सभा का सत्र शुरू हुआ।", "hi", "वियतनाम समाजवादी गणराज्य"),
    ("وصل الوفد إلى جمهورية فيتنام الاشتراكية.", "ar", "جمهورية فيتنام الاشتراكية"),
])
def test_the_countrys_official_name_is_one_place(text: str, lang: str, name: str) -> None:
    found = mentions(text, lang)
    assert ("Location", name) in found and not any(t == "Location" and m != name for t, m in found)
