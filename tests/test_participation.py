"""kg.extract.participation: who chaired, attended, spoke at an event, from small sentences in both languages."""

from __future__ import annotations

from tests.conftest import event_label, rule_triples, triples



def test_hindi_attended_list_and_spoke() -> None:
    text = (
        "सम्मेलन में केंद्रीय संगठन विभाग के उप प्रमुख कॉमरेड गुयेन क्वांग डुओंग और कॉमरेड दो वियत आन्ह भी उपस्थित थे।\n"
        "कॉमरेड गुयेन क्वांग डुओंग ने सम्मेलन में भाषण दिया।"
    )
    found, labels = triples(text, "hi")
    event = event_label(labels)
    assert {("Nguyen Quang Duong", "attended", event), ("Do Viet Anh", "attended", event)} <= found
    assert ("Nguyen Quang Duong", "spokeAt", event) in found
    assert ("Do Viet Anh", "spokeAt", event) not in found
    assert ("Nguyen Quang Duong", "holdsPost", "Central Organization Commission") in found


def test_hindi_negated_attendance_is_not_attendance() -> None:
    text = "सम्मेलन आयोजित हुआ। कॉमरेड दो वियत आन्ह सम्मेलन में उपस्थित नहीं थे।"
    found, labels = triples(text, "hi")
    assert not any(p == "attended" for _, p, _ in found)


def test_hindi_role_coreference_attaches_speech_to_the_post_holder() -> None:
    text = (
        "प्रांतीय पार्टी समिति के स्थायी उप सचिव कॉमरेड माई वान तुआट ने सम्मेलन की अध्यक्षता की।\n"
        "समापन भाषण में, प्रांतीय पार्टी समिति के स्थायी उप सचिव ने परिणामों की सराहना की।"
    )
    found, labels = triples(text, "hi")
    assert ("Mai Van Tuat", "spokeAt", event_label(labels)) in found


def test_arabic_coordinated_verbs_share_their_subject_but_not_later_names() -> None:
    text = (
        "عقد المؤتمر في ها تينه. حضر الرفيق في تو ليو وألقى الموضوع. "
        'استمع المندوبون إلى موضوع "العمل الجماهيري في الوضع الحالي" الذي أعده نجوين هاي نام.'
    )
    found, labels = triples(text, "ar")
    event = event_label(labels)
    assert ("Vi Tu Lieu", "attended", event) in found and ("Vi Tu Lieu", "spokeAt", event) in found
    assert ("Nguyen Hai Nam", "attended", event) not in found


def test_arabic_campaign_implemented_by_the_front() -> None:
    text = 'تقوم جبهة الوطن الفيتنامية بتنفيذ حملة "يتوحد جميع الناس لبناء مناطق ريفية جديدة ومناطق حضرية متحضرة".'
    found, _ = triples(text, "ar")
    assert any(s == "Vietnam Fatherland Front" and p == "implements" for s, p, _ in found)


def test_hindi_person_named_as_a_possessor_is_not_a_participant() -> None:
    text = "सम्मेलन आयोजित हुआ। सम्मेलन में महासचिव तो लाम के निर्देशों पर चर्चा की गई और प्रतिनिधि उपस्थित थे।"
    found, labels = triples(text, "hi")
    assert "To Lam" in labels.values()
    assert not any(s == "To Lam" and p in ("attended", "spokeAt", "chaired") for s, p, _ in found)


def test_there_were_in_an_event_report_lists_its_attendance() -> None:
    text = "عقدت جمعية المزارعين الإقليمية المؤتمر. وعلى الجانب الإقليمي، كان هناك أمين الحزب الإقليمي بوي ثي كوينه فان؛ والرفيق دينه ثي هونغ مينه."
    found, labels = triples(text, "ar")
    event = event_label(labels)
    assert {("Bui Thi Quynh Van", "attended", event), ("Dinh Thi Hong Minh", "attended", event)} <= found


def test_a_delegation_listed_without_a_verb_of_attending_attended() -> None:
    text = "प्रांतीय पार्टी समिति की 15वीं कांग्रेस का उद्घाटन हुआ। दीन बिएन प्रांत की ओर से, ये साथी थे: ट्रान क्वोक कुओंग - प्रांतीय पार्टी समिति के सचिव; मुआ ए सोन - प्रांतीय पार्टी समिति के उप सचिव।"
    found, labels = triples(text, "hi")
    event = next(label for label in labels.values() if "Congress" in label)
    assert {("Tran Quoc Cuong", "attended", event), ("Mua A Son", "attended", event)} <= found


def test_what_is_said_on_a_visit_is_no_speech_at_an_event_but_at_a_conference_it_is() -> None:
    # No event word: the article reports an unnamed occasion (a visit); "affirmed" there is no spokeAt.
    visit = "زار الرفيق فام فان ثيو أسر المستفيدين من السياسات وقدم لهم الهدايا، وحضر الرفيق تران فان هين. وأكد الرفيق فام فان ثيو على اهتمام الحزب بهم."
    found, _ = triples(visit, "ar")
    assert not any(p == "spokeAt" for _, p, _ in found)
    assert any(s == "Pham Van Thieu" and p == "attended" for s, p, _ in found)
    conference = "حضر الرفيق تران فان هين المؤتمر. وأكد الرفيق فام فان ثيو في المؤتمر على اهتمام الحزب بهم."
    found, _ = triples(conference, "ar")
    assert any(s == "Pham Van Thieu" and p == "spokeAt" for s, p, _ in found)


def test_a_leader_who_died_before_the_article_takes_part_in_none_of_its_events() -> None:
    found, _ = triples("حضر المؤتمر الرفيق تو لام والرفيق هو تشي منه.", "ar")
    assert ("To Lam", "attended") in {(s, p) for s, p, _ in found}
    assert not any(s == "Ho Chi Minh" for s, _, _ in found)
    # An event the article dates before the death: he may.
    from kg.extract.officials import alive_in

    assert alive_in("Ho Chi Minh", 1964) and not alive_in("Ho Chi Minh", 2024) and alive_in("To Lam", 2024)


def test_announcing_reporting_and_a_possessed_speech_are_speaking_at_the_event() -> None:
    found, _ = triples("في المؤتمر، أعلن الرفيق بوي ثي كوينه فان قرار المكتب السياسي.", "ar")
    assert any(s == "Bui Thi Quynh Van" and p == "spokeAt" for s, p, _ in found)
    found, _ = triples("बैठक में, प्रतिनिधियों ने राष्ट्रीय सभा के अध्यक्ष त्रान थान मान का भाषण सुना।", "hi")
    assert any(s == "Tran Thanh Man" and p == "spokeAt" for s, p, _ in found)
    # A possessor of anything else is no speaker (तो लाम के निर्देशों: To Lam's instructions).
    found, _ = triples("बैठक में महासचिव तो लाम के निर्देशों पर चर्चा की गई।", "hi")
    assert not any(s == "To Lam" and p == "spokeAt" for s, p, _ in found)


def test_the_guests_a_congress_was_honoured_to_welcome_attended_it() -> None:
    text = "افتتح المؤتمر الأول لجبهة الوطن. تشرف المؤتمر بالترحيب بالرفاق: الأمين العام تو لام، والأمين العام السابق نونغ دوك مانه."
    found, _ = triples(text, "ar")
    attended = {s for s, p, _ in found if p == "attended"}
    assert {"To Lam", "Nong Duc Manh"} <= attended


def test_whoever_chairs_an_event_is_not_also_said_to_attend_it() -> None:
    text = "कॉमरेड ट्रान कैम तू - राजनीतिक ब्यूरो के सदस्य ने सम्मेलन की अध्यक्षता की और सम्मेलन में भाग लिया।"
    found, labels = triples(text, "hi")
    event = event_label(labels)
    assert ("Tran Cam Tu", "chaired", event) in found and ("Tran Cam Tu", "attended", event) not in found


def test_the_head_of_a_delegation_attends_and_capital_is_no_chairing() -> None:
    text = "عقد وفد رفيع المستوى من المحكمة الشعبية العليا برئاسة الرفيق نجوين هوا بينه جلسة عمل في المقاطعة."
    found, _ = triples(text, "ar")
    assert any(s == "Nguyen Hoa Binh" and p == "attended" for s, p, _ in found)
    assert not any(p == "chaired" for _, p, _ in found)
    text = "عقد الاجتماع في صباح يوم 5 فبراير بشأن رأس المال الحكومي، بحضور رئيس الوزراء فام مينه تشينه."
    found, _ = triples(text, "ar")
    assert not any(p == "chaired" for _, p, _ in found)


def test_a_credited_photographer_takes_no_part() -> None:
    found, _ = triples("प्रधानमंत्री फाम मिन्ह चिन्ह ने बैठक की अध्यक्षता की। फोटो: वीजीपी/नहत बाक", "hi")
    assert not any(s == "Nhat Bac" for s, _, _ in found)


def test_bodies_whose_leaders_attend_attend_beside_named_persons() -> None:
    text = (
        "बैठक में उप प्रधानमंत्री ले मिन्ह खाई; केंद्रीय आर्थिक आयोग, राष्ट्रीय सभा कार्यालय के नेता "
        "और कई समूहों के प्रतिनिधि शामिल हुए।"
    )
    attending = {s for s, p, _ in rule_triples(text, "hi") if p == "attended"}
    assert {"Central Economic Commission", "Office of the National Assembly"} <= attending
    # A body a named person holds a post in is that person's, not an attendee.
    found = rule_triples("बैठक में केंद्रीय आर्थिक आयोग के नेता कॉमरेड ट्रान लू क्वांग शामिल हुए।", "hi")
    assert ("Central Economic Commission", "attended") not in {(s, p) for s, p, _ in found}


def test_presenting_gifts_is_no_speech_but_presenting_a_report_is() -> None:
    gifts = rule_triples("وفي الاجتماع، قدم السكرتير الإقليمي للحزب نجوين هو هاي الزهور والهدايا إلى القادة السابقين.", "ar")
    assert not any(p == "spokeAt" for _, p, _ in gifts)
    report = rule_triples("وفي الاجتماع، قدم السكرتير الإقليمي للحزب نجوين هو هاي تقريرا عن نتائج العمل.", "ar")
    assert any(s == "Nguyen Ho Hai" and p == "spokeAt" for s, p, _ in report)


def test_a_person_written_with_a_birth_year_takes_no_part() -> None:
    text = "प्रतिनिधिमंडल ने 1936 में जन्मी सुश्री होआंग थी पो से मुलाकात की, जिसमें उपाध्यक्ष जियांग थी डुंग भी शामिल थीं।"
    attending = {s for s, p, _ in rule_triples(text, "hi") if p == "attended"}
    assert "Giang Thi Dung" in attending and not any(name.startswith("Hoang Thi") for name in attending)
    text = "زار الرفيق لي ترونغ كين السيد نجوين فان هيتش، المولود عام 1932، وقدم له هدية."
    assert not any(s.startswith("Nguyen Van") and p == "attended" for s, p, _ in rule_triples(text, "ar"))


def test_the_visitor_takes_part_in_the_visit_and_the_visited_does_not() -> None:
    text = "صباح اليوم، زار لي فان دونغ، نائب السكرتير الدائم للجنة الحزب الإقليمية، شيوخ القرى وقدم لهم التهاني. وانضم إلى الوفد رئيس لجنة التفتيش، فان تاي بينه."
    attendees = {s for s, p, _ in rule_triples(text, "ar") if p == "attended"}
    assert {"Le Van Dung", "Phan Thai Binh"} <= attendees
    text = "प्रांतीय पार्टी समिति के उप सचिव गुयेन होई आन्ह ने वियतनामी वीर माता गुयेन थी सु के परिवार का दौरा किया।"
    attendees = {s for s, p, _ in rule_triples(text, "hi") if p == "attended"}
    assert attendees == {"Nguyen Hoai Anh"}


def test_praise_is_a_speech_in_arabic_as_in_hindi() -> None:
    text = "وحضر الحفل ترينه فان كويت. وبالنيابة عن قادة الحزب والدولة، أشاد رئيس اللجنة ترينه فان كويت بروح التفاني لدى الكوادر في الحفل."
    assert ("Trinh Van Quyet", "spokeAt") in {(s, p) for s, p, _ in rule_triples(text, "ar")}


def test_a_heroic_mother_a_visit_honours_takes_no_part_but_one_among_a_congress_guests_attends() -> None:
    visit = "زار رئيس مجلس إدارة المنطقة الاقتصادية لي ترونغ كين الأم الفيتنامية البطلة نجوين ثي نوي وقدم لها الهدايا."
    assert {s for s, p, _ in rule_triples(visit, "ar") if p == "attended"} == {"Le Trung Kien"}
    congress = "وحضر المؤتمر الرفاق في اللجنة الدائمة للحزب الإقليمي، الأم البطلة فام ثي لو، والقادة الإقليميون."
    assert ("Pham Thi Lu", "attended") in {(s, p) for s, p, _ in rule_triples(congress, "ar")}


def test_who_leads_others_to_attend_attends_and_chairs_nothing() -> None:
    text = "19 मई की सुबह, कॉमरेड वु थान वान ने जिले के नेताओं को उद्घाटन समारोह में भाग लेने के लिए नेतृत्व किया।"
    found = {(s, p) for s, p, _ in rule_triples(text, "hi")}
    assert ("Vu Thanh Van", "attended") in found and ("Vu Thanh Van", "chaired") not in found
