import pytest

from kg.extract.events import find_date, main_event
from kg.extract.tokenize import tokenize
from tests.conftest import make_document


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # The year written after the day and month.
        ("في 15 مايو 2024 عقد المؤتمر.", "ar", "2024-05-15"),
        # A dateline's year dates a day and month written without one.
        ("12/10/2023 10:30\n9 अक्टूबर की सुबह, प्रांत ने सम्मेलन आयोजित किया।", "hi", "2023-10-09"),
        # A byline below the lead (a source and its date on a short line of their own) is a dateline too.
        ("प्रांत ने सम्मेलन आयोजित किया। " * 12 + "\nसमाचार•21/10/2025\n20 अक्टूबर को बैठक हुई।", "hi", "2025-10-20"),
        # A date inside a sentence far down is not the article's.
        ("प्रांत ने सम्मेलन आयोजित किया। " * 12 + "\n20 अक्टूबर को बैठक हुई, योजना 21/10/2025 को पूरी होगी।", "hi", "--10-20"),
        # No year of the article's own: partial, even when the text names a term or other years.
        ("6 जनवरी की दोपहर को कार्यकाल 2025-2030 का सम्मेलन आयोजित किया।", "hi", "--01-06"),
        ("في صباح يوم 9 أكتوبر 2023، عقدت اللجنة مؤتمرا للفترة 2025-2030.", "ar", "2023-10-09"),
        # An anniversary range is not the event's day.
        ("بمناسبة الذكرى (19 أغسطس 1945 - 19 أغسطس 2025)، التقى الأمين العام يوم 18 أغسطس بالمندوبين.", "ar", "--08-18"),
        ("वर्षगांठ (20 अक्टूबर 1930 - 20 अक्टूबर 2025) पर, 20 अक्टूबर को बैठक हुई।", "hi", "--10-20"),
    ],
)
def test_a_date_is_the_events_only_when_the_text_says_so(text: str, lang: str, expected: str) -> None:
    doc = make_document(text, lang)
    assert find_date(doc, tokenize(doc)) == expected


def test_the_articles_own_date_supplies_the_year() -> None:
    doc = make_document("6 जनवरी की दोपहर को सम्मेलन आयोजित किया।", "hi")
    if "date" not in doc.to_dict():
        pytest.skip("documents carry no date metadata in this build")
    doc = type(doc)(**{**doc.to_dict(), "date": "2026-01-07", "skipped": doc.skipped})
    assert find_date(doc, tokenize(doc)) == "2026-01-06"


def test_main_event_is_the_most_named_kind_and_ignores_congresses() -> None:
    doc = make_document("सम्मेलन में 13वीं राष्ट्रीय पार्टी कांग्रेस पर चर्चा हुई। सम्मेलन समाप्त हुआ। बैठक हुई।")
    event = main_event(doc, tokenize(doc), "ninh-binh", "Ninh Binh")
    assert event is not None
    assert event.attrs["event_type"] == "conference"
    assert event.attrs["province"] == "ninh-binh"
    assert "Ninh Binh" in event.label


def test_an_article_without_event_words_has_no_main_event() -> None:
    doc = make_document("प्रांत में विकास जारी है।")
    assert main_event(doc, tokenize(doc), None, None) is None


@pytest.mark.parametrize(
    "text, lang",
    [
        ("14 मई को कॉमरेड दो वियत आन्ह हा तिन्ह प्रांत में शहीदों के परिवारों के घर गए। प्रांत के नेता भी उपस्थित थे।", "hi"),
        ("في 14 مايو، زار الرفيق في تو ليو أسر الشهداء في ها تينه. وحضر الزيارة قادة المقاطعة.", "ar"),
    ],
)
def test_an_article_reporting_attendance_reports_an_occasion_even_unnamed(text: str, lang: str) -> None:
    doc = make_document(text, lang)
    event = main_event(doc, tokenize(doc), None, None)
    assert event is not None and event.attrs["event_type"] == "occasion" and event.attrs["date"].endswith("05-14")


def test_a_congress_the_activity_welcomes_is_not_the_occasion() -> None:
    from kg.extract.ner.rules import RuleRecognizer

    text = "वार्ड ने समारोह आयोजित किया, जिसका उद्देश्य वियतनाम फादरलैंड फ्रंट की प्रथम कांग्रेस का स्वागत करना है। समारोह में भाषण हुए।"
    doc = make_document(text)
    sentences = tokenize(doc)
    mentions = RuleRecognizer().recognize(doc, sentences)
    assert any(m.type == "Event" and "कांग्रेस" in m.text for m in mentions)
    assert main_event(doc, sentences, None, None, mentions).attrs["event_type"] == "ceremony"


def test_a_numbered_event_the_lead_says_was_held_is_the_main_event() -> None:
    from kg.corpus.build import extract
    from kg.extract.ner.rules import RuleRecognizer

    text = "12 नवंबर को प्रांतीय महिला संघ ने 11वीं कार्यकारी समिति सम्मेलन आयोजित किया। सम्मेलन में कॉमरेड गुयेन थी होंग वान उपस्थित थीं।"
    extraction = extract([make_document(text)], RuleRecognizer())
    events = [e for e in extraction.entities if e.type == "Event"]
    assert len(events) == 1 and events[0].label.startswith("11th Conference")
    # Not a "national" conference: the 11th conference of a body the article names, its own.
    assert "National" not in events[0].label
    labels = {e.id: e.label for e in extraction.entities}
    assert ("Nguyen Thi Hong Van", "attended", events[0].label) in {(labels[r.subject], r.predicate, labels[r.object]) for r in extraction.relations}


def test_the_body_that_held_it_may_stand_between_the_verb_and_the_numbered_event() -> None:
    from kg.corpus.build import extract
    from kg.extract.ner.rules import RuleRecognizer

    # Arabic is verb-subject-object: عقدت (held), the association, then its 17th conference.
    text = "في 11 أغسطس، عقدت جمعية المزارعين الإقليمية المؤتمر السابع عشر لجمعية المزارعين الإقليمية. وحضر المؤتمر الرفيق دانج نغوك دونج."
    extraction = extract([make_document(text, "ar")], RuleRecognizer())
    events = [e for e in extraction.entities if e.type == "Event"]
    assert len(events) == 1 and events[0].label.startswith("17th Conference of the")


def test_an_anniversary_is_never_the_main_event() -> None:
    doc = make_document("بمناسبة الذكرى الثمانين، عقد اجتماع. الذكرى مهمة. الذكرى عظيمة.", "ar")
    assert main_event(doc, tokenize(doc), None, None).attrs["event_type"] == "meeting"


def test_the_main_event_label_gives_its_date_in_words() -> None:
    doc = make_document("9 अक्टूबर की सुबह, सम्मेलन हुआ।")
    event = main_event(doc, tokenize(doc), "ninh-binh", "Ninh Binh")
    assert event is not None and event.attrs.get("date", "").endswith("10-09")
    assert event.label.endswith("on 9 October") or event.label.endswith("October " + event.attrs["date"][:4])


def test_kinds_a_language_writes_with_one_word_are_alike() -> None:
    from kg.extract.events import written_alike

    # مؤتمر and सम्मेलन render both Đại hội (congress) and Hội nghị (conference).
    assert written_alike("ar", "conference", "congress") and written_alike("hi", "congress", "conference")
    assert not written_alike("ar", "conference", "ceremony")
    assert not written_alike("ar", None, "conference")


def test_a_numbered_congress_whose_opening_the_lead_reports_is_the_articles_conference() -> None:
    from kg.corpus.build import extract
    from kg.extract.ner.rules import RuleRecognizer

    # The article calls its occasion "the conference" (المؤتمر); the lead says the 1st congress of delegates opened.
    text = (
        "رحب المؤتمر بالمندوبين. في يوم 8 نوفمبر، عقدت لجنة الجبهة بمقاطعة توين كوانج رسميًا الجلسة الافتتاحية للمؤتمر الأول للمندوبين. "
        "وحضر المؤتمر الرفيقة ها ثي نجا. وأكد المؤتمر على أهمية الوحدة."
    )
    extraction = extract([make_document(text, "ar")], RuleRecognizer())
    events = [e for e in extraction.entities if e.type == "Event"]
    assert len(events) == 1 and events[0].label.startswith("1st Congress")


def test_an_arabic_event_noun_with_its_possessive_is_its_owners_numbered_event() -> None:
    from tests.conftest import rule_mentions

    text = "اختتمت اللجنة الدائمة للمجلس الوطني جلستها الثالثة والأربعين بعد ظهر اليوم."
    assert ("Event", "جلستها الثالثة والأربعين") in rule_mentions(text, "ar")


def test_a_provinces_numbered_party_congress_is_the_occasion_an_article_reports() -> None:
    from kg.extract.article import read_article
    from kg.extract.ner.rules import RuleRecognizer
    from tests.conftest import make_document

    text = "11 सितंबर को, पहली क्वांग न्गाई प्रांतीय पार्टी कांग्रेस आधिकारिक तौर पर शुरू हुई। कांग्रेस में, प्रांतीय पार्टी समिति की उप सचिव सुश्री दिन्ह थी होंग मिन्ह ने निर्णय की घोषणा की।"
    reading = read_article(make_document(text, "hi"), RuleRecognizer())
    assert reading.event is not None and reading.event.attrs.get("event_type") == "congress"
    assert reading.event.attrs.get("province") == "quang-ngai"
    assert any(r.predicate == "spokeAt" and r.object == reading.event.id for r in reading.rule_relations)


def test_a_front_member_organisations_numbered_arabic_mutamar_is_its_congress() -> None:
    from tests.conftest import rule_mentions

    text = "ألقى الأمين العام كلمة في الجلسة الرسمية للمؤتمر الثالث عشر للاتحاد العام لنقابات العمال في فيتنام."
    found = {m for t, m in rule_mentions(text, "ar") if t == "Event"}
    assert found
    from kg.extract.ner.event_names import congress_of_member

    assert congress_of_member("event:conference:13", "body:vietnam-general-confederation-of-labour") == "event:congress:13"
    # A party committee's numbered conference is a plenum, not a congress.
    assert congress_of_member("event:conference:13", "body:party-central-committee") == "event:conference:13"


def test_a_provinces_numbered_session_named_in_the_lead_is_the_occasion_but_not_the_national_assemblys() -> None:
    from kg.extract.article import read_article
    from kg.extract.ner.rules import RuleRecognizer
    from tests.conftest import make_document

    local = "7वें सत्र (11 से 13 दिसंबर तक) में, डाक नोंग प्रांतीय पीपुल्स काउंसिल ने 28 लोगों के लिए विश्वास मत प्राप्त किया।"
    reading = read_article(make_document(local, "hi"), RuleRecognizer())
    assert reading.event is not None and reading.event.label == "7th Session in Dak Nong"  # the named session, not an unnamed one
    national = "15वीं राष्ट्रीय सभा के सातवें सत्र के कार्यक्रम को जारी रखते हुए, 21 मई की दोपहर को राष्ट्रीय सभा ने हॉल में काम किया।"
    reading = read_article(make_document(national, "hi"), RuleRecognizer())
    assert reading.event is not None and reading.event.id.startswith("e-")  # the day's sitting, unnamed
