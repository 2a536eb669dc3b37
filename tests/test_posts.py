"""Posts wherever a sentence writes them: before the name, after a dash or a
comma, in a list under a header, with a rank between the chain and the name.
Small sentences written for these tests, in both languages."""

from __future__ import annotations

from kg.corpus.build import extract
from kg.extract.ner.rules import RuleRecognizer
from kg.extract.posts import segments
from kg.extract.tokenize import tokenize_span
from tests.conftest import make_document


def posts_held(text: str, lang: str) -> set[tuple[str, str]]:
    extraction = extract([make_document(text, lang)], RuleRecognizer())
    labels = {e.id: e.label for e in extraction.entities}
    return {(labels[r.subject], r.object) for r in extraction.relations if r.predicate == "holdsPost"}


def test_segments_cut_at_spaced_dashes_not_hyphens() -> None:
    text = "उप-सचिव - सदस्य, अध्यक्ष; प्रमुख"
    tokens = tokenize_span(text, 0, len(text))
    pieces = [(p.closer, " ".join(t.text for t in tokens[p.start : p.end])) for p in segments(tokens)]
    assert pieces == [("-", "उप - सचिव"), (",", "सदस्य"), (";", "अध्यक्ष"), ("", "प्रमुख")]


def test_hindi_posts_after_a_dash_belong_to_the_name_before_it() -> None:
    text = "सम्मेलन में उपस्थित थे: कॉमरेड गुयेन वान आन - पोलित ब्यूरो सदस्य, केंद्रीय संगठन आयोग के प्रमुख; कॉमरेड ले थी होआ - सचिवालय की स्थायी सदस्य।"
    held = posts_held(text, "hi")
    assert ("Nguyen Van An", "politburo") in held
    assert ("Nguyen Van An", "central-organization-commission") in held
    assert ("Le Thi Hoa", "party-secretariat") in held
    assert ("Le Thi Hoa", "central-organization-commission") not in held


def test_hindi_chain_goes_past_a_rank_and_a_post_qualifier() -> None:
    text = "पोलित ब्यूरो सदस्य, लोक सुरक्षा मंत्री, जनरल ट्रान वान आन ने सम्मेलन में भाग लिया।"
    assert ("Tran Van An", "politburo") in posts_held(text, "hi")


def test_hindi_list_header_gives_its_post_to_every_name() -> None:
    text = "सम्मेलन में पोलित ब्यूरो के सदस्य भी उपस्थित थे: राष्ट्रपति गुयेन वान आन; प्रधानमंत्री ले थी होआ।"
    held = posts_held(text, "hi")
    assert {("Nguyen Van An", "politburo"), ("Le Thi Hoa", "politburo")} <= held


def test_arabic_posts_after_a_comma_belong_to_the_name_before_them() -> None:
    text = "وحضر أيضاً: تران فان نام، عضو المكتب السياسي، ورئيس لجنة التنظيم المركزية؛ ولي ثي ماي، عضو اللجنة المركزية للحزب."
    held = posts_held(text, "ar")
    assert ("Tran Van Nam", "politburo") in held
    assert ("Tran Van Nam", "central-organization-commission") in held
    assert ("Le Thi Mai", "party-central-committee") in held
    assert ("Tran Van Nam", "party-central-committee") not in held


def test_arabic_list_header_gives_its_post_to_every_name() -> None:
    text = "كما حضر الاجتماع أعضاء المكتب السياسي: الرئيس تران فان نام، ورئيس الوزراء لي ثي ماي."
    held = posts_held(text, "ar")
    assert ("Tran Van Nam", "politburo") in held
    assert ("Le Thi Mai", "politburo") in held


def test_hindi_comma_after_a_name_does_not_hand_the_next_chain_back() -> None:
    text = "कॉमरेड ट्रान वान आन, प्रांतीय पार्टी समिति के सदस्य, कॉमरेड ले थी होआ ने भाग लिया।"
    held = posts_held(text, "hi")
    assert not any(person == "Tran Van An" for person, _ in held)


def test_arabic_chain_of_posts_before_the_name() -> None:
    text = "وحضر المؤتمر عضو اللجنة المركزية للحزب، ورئيس لجنة التنظيم المركزية تران فان نام."
    held = posts_held(text, "ar")
    assert {("Tran Van Nam", "party-central-committee"), ("Tran Van Nam", "central-organization-commission")} <= held


def test_arabic_names_down_a_list_share_the_verb() -> None:
    text = "حضر المؤتمر: تران فان نام، عضو المكتب السياسي؛ ولي ثي ماي، عضو اللجنة المركزية للحزب."
    extraction = extract([make_document(text, "ar")], RuleRecognizer())
    labels = {e.id: e.label for e in extraction.entities}
    attended = {labels[r.subject] for r in extraction.relations if r.predicate == "attended"}
    assert {"Tran Van Nam", "Le Thi Mai"} <= attended


def test_arabic_posts_joined_by_and_before_the_name() -> None:
    text = "وحضر المؤتمر عضو المكتب السياسي وأمين اللجنة المركزية للحزب ورئيس لجنة التنظيم المركزية تران فان نام."
    held = posts_held(text, "ar")
    assert {("Tran Van Nam", "politburo"), ("Tran Van Nam", "party-central-committee"), ("Tran Van Nam", "central-organization-commission")} <= held


def test_former_posts_are_not_held() -> None:
    assert not posts_held("حضر المؤتمر: عضو المكتب السياسي السابق، الرئيس السابق تران فان نام.", "ar")
    assert not posts_held("सम्मेलन में पोलित ब्यूरो के पूर्व सदस्य कॉमरेड गुयेन वान आन उपस्थित थे।", "hi")


def test_the_secretariats_standing_member_holds_the_post_in_the_central_committee() -> None:
    from tests.test_relations import rule_triples

    text = "कॉमरेड ट्रान कैम तू - राजनीतिक ब्यूरो के सदस्य, केंद्रीय समिति के स्थायी सचिव ने सम्मेलन में भाग लिया।"
    bodies = {o for s, p, o in rule_triples(text, "hi") if s == "Tran Cam Tu" and p == "holdsPost"}
    assert "Central Committee of the Communist Party of Vietnam" in bodies
