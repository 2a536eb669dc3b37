"""Resolution: names across scripts, bodies by province, safe person merges, stable ids."""

from __future__ import annotations

import pytest

from kg.corpus.judgements import parse_judgements
from kg.corpus.merge import merge_entities
from kg.model import Document, Entity, Mention, Post
from kg.corpus.merge import resolve
from kg.extract.resolve import resolve_documents
from kg.extract.name_reading import name_syllables, romanize_name, skeleton_key

PROVINCE_BODY = {"hi": "प्रांतीय पार्टी समिति", "ar": "لجنة الحزب الإقليمية"}
PROVINCE = {("hi", "ninh-binh"): "निन्ह बिन्ह", ("hi", "lao-cai"): "लाओ काई", ("ar", "ninh-binh"): "نينه بينه", ("ar", "lao-cai"): "لاو كاي", ("ar", "ha-tinh"): "ها تينه"}


def article(doc_id: str, lang: str, names: list[tuple[str, str, str]], year: int = 2024) -> tuple[Document, list[Mention]]:
    """A document whose text is its names, one per line; names are (surface, type, key)."""
    text, mentions = "", []
    for surface, type_, key in names:
        start = len(text)
        text += surface + "\n"
        mentions.append(Mention(doc_id, len(mentions), start, start + len(surface), surface, type_, "test", key=key))
    return Document(doc_id, f"{doc_id}.txt", lang, text, year=year), mentions


def provincial(doc_id: str, lang: str, province: str, person: str, year: int = 2024) -> tuple[Document, list[Mention]]:
    """An article about one province: the province twice, its party committee, one official."""
    place = (PROVINCE[(lang, province)], "Location", f"loc:{province}")
    return article(doc_id, lang, [place, place, (PROVINCE_BODY[lang], "Organization", "body:provincial-party-committee"), (person, "Person", "")], year)


def build(*articles: tuple[Document, list[Mention]], judgements: str = "", date: str = "2024-05-01") -> tuple[list[Entity], dict[str, str]]:
    """Both resolution steps, the Secretary post of each person in its article's committee filled in between."""
    documents = [a[0] for a in articles]
    mentions = [m for a in articles for m in a[1]]
    resolution = resolve_documents(documents, mentions)
    entities = {e.id: e for e in resolution.entities}
    for mention, entity_id in resolution.entity_of.items():
        if mention.type == "Person":
            org = next(resolution.entity_of[m] for m in mentions if m.doc_id == mention.doc_id and m.type == "Organization")
            entities[entity_id].posts.append(Post("Secretary", org, mention.doc_id, date))
    merged = merge_entities(documents, resolution, entities.values(), [], parse_judgements(judgements))
    return merged.entities, {m.text + "@" + m.doc_id: merged.id_of[i] for m, i in resolution.entity_of.items()}


@pytest.mark.parametrize(
    "surface, lang, latin",
    [
        ("त्रुओंग थी माई", "hi", "Truong Thi Mai"),
        ("ترونج ثانه هوين", "ar", "Truong Thanh Huyen"),
        ("لي نجوك تشاو", "ar", "Le Ngoc Chau"),
        ("गुयेन", "hi", "Nguyen"),
        ("न्गुयेन", "hi", "Nguyen"),
        ("نجوين", "ar", "Nguyen"),
    ],
)
def test_names_romanised_from_both_scripts(surface: str, lang: str, latin: str) -> None:
    assert romanize_name(surface, lang) == latin


@pytest.mark.parametrize(
    "variants",
    [
        [("गुयेन", "hi"), ("न्गुयेन", "hi"), ("نجوين", "ar"), ("نغوين", "ar")],
        [("त्रुओंग", "hi"), ("ترونج", "ar")],
        [("تشيونغ", "ar"), ("चुओंग", "hi")],  # the first is not in the table
    ],
)
def test_spelling_variants_share_a_consonant_skeleton(variants: list[tuple[str, str]]) -> None:
    assert len({skeleton_key(name_syllables(text, lang)) for text, lang in variants}) == 1


def test_unknown_syllable_variant_merges_across_scripts_and_keeps_every_surface() -> None:
    entities, ids = build(provincial("a", "ar", "ninh-binh", "نجوين فان تشيونغ"), provincial("b", "hi", "ninh-binh", "गुयेन वान चुओंग"))
    assert ids["نجوين فان تشيونغ@a"] == ids["गुयेन वान चुओंग@b"]
    person = next(e for e in entities if e.type == "Person")
    assert person.label == "Nguyen Van Chuong"
    assert person.alt_labels == {("نجوين فان تشيونغ", "ar"), ("गुयेन वान चुओंग", "hi")}


def test_generic_committees_stay_apart_by_province_national_bodies_merge_across_languages() -> None:
    front = {"hi": "वियतनाम फादरलैंड फ्रंट", "ar": "جبهة الوطن الفيتنامية"}
    a = provincial("a", "hi", "ninh-binh", "माई वान तुआट")
    b = provincial("b", "ar", "lao-cai", "لي نجوك تشاو")
    a[1].append(Mention("a", 9, 0, 1, front["hi"], "Organization", "test", key="body:vietnam-fatherland-front"))
    b[1].append(Mention("b", 9, 0, 1, front["ar"], "Organization", "test", key="body:vietnam-fatherland-front"))
    _, ids = build(a, b)
    assert ids[PROVINCE_BODY["hi"] + "@a"] == "ninh-binh-provincial-party-committee"
    assert ids[PROVINCE_BODY["ar"] + "@b"] == "lao-cai-provincial-party-committee"
    assert ids[front["hi"] + "@a"] == ids[front["ar"] + "@b"] == "vietnam-fatherland-front"


def test_same_name_with_posts_in_two_provinces_at_one_date_is_two_people() -> None:
    entities, ids = build(provincial("a", "hi", "ninh-binh", "माई वान तुआट"), provincial("b", "ar", "lao-cai", "ماي فان توات"))
    assert ids["माई वान तुआट@a"] == "mai-van-tuat"
    assert ids["ماي فان توات@b"].startswith("mai-van-tuat-")
    assert sum(e.label == "Mai Van Tuat" for e in entities) == 2


def test_same_name_at_different_dates_or_same_province_merges() -> None:
    _, ids = build(provincial("a", "hi", "ninh-binh", "माई वान तुआट"), provincial("b", "ar", "ninh-binh", "ماي فان توات"))
    assert ids["माई वान तुआट@a"] == ids["ماي فان توات@b"] == "mai-van-tuat"


def test_ids_stay_when_documents_are_added() -> None:
    a = provincial("a", "hi", "ninh-binh", "माई वान तुआट", year=2023)
    alone = build(a)[1]
    both = build(a, provincial("b", "ar", "lao-cai", "ماي فان توات"))[1]
    assert {k: v for k, v in both.items() if k.endswith("@a")} == alone
    again = build(a, provincial("b", "ar", "lao-cai", "ماي فان توات"), provincial("c", "hi", "lao-cai", "दो वियत आन्ह"))[1]
    assert {k: v for k, v in again.items() if not k.endswith("@c")} == both


def test_judgements_override_names_and_are_never_undone() -> None:
    a = provincial("a", "hi", "ninh-binh", "माई वान तुआट")
    b = provincial("b", "ar", "ninh-binh", "ماي فان توات")
    c = provincial("c", "hi", "ninh-binh", "दो वियत आन्ह")
    _, ids = build(a, b, c, judgements="b/mai-van-tuat different a/mai-van-tuat\n")
    assert ids["माई वान तुआट@a"] == "mai-van-tuat" != ids["ماي فان توات@b"]
    assert ids["दो वियत आन्ह@c"] == "do-viet-anh"
    _, ids = build(a, b, c, judgements="Do Viet Anh same mai-van-tuat\n")
    assert ids["दो वियत आन्ह@c"] == ids["माई वान तुआट@a"] == ids["ماي فان توات@b"] == "mai-van-tuat"


def test_transitive_judgement_keeps_a_third_namesake_apart() -> None:
    a = provincial("a", "hi", "ninh-binh", "माई वान तुआट")
    b = provincial("b", "ar", "ninh-binh", "ماي فان توات")
    c = provincial("c", "hi", "ninh-binh", "दो वियत आन्ह")
    _, ids = build(a, b, c, judgements="do-viet-anh same a/mai-van-tuat\nDo Viet Anh different b/mai-van-tuat\n")
    assert ids["दो वियत आन्ह@c"] == ids["माई वान तुआट@a"] != ids["ماي فان توات@b"]


def test_resolve_in_one_call_still_gives_corpus_wide_ids() -> None:
    a = provincial("a", "hi", "ninh-binh", "त्रुओंग थी माई")
    b = provincial("b", "hi", "lao-cai", "त्रुओंग थी माई")
    entities, mention_ids = resolve([a[0], b[0]], a[1] + b[1])
    assert {i for m, i in mention_ids.items() if m.type == "Person"} == {"truong-thi-mai"}
    assert len({e.id for e in entities}) == len(entities)


def test_arabic_names_merge_with_hindi_spellings_despite_unwritten_vowels() -> None:
    """تو لام (read To or Tu) and फान थाई बिन्ह / فان ثاي بينه (Phan or Van) are one person each."""
    from kg.corpus.build import extract
    from kg.extract.ner.rules import RuleRecognizer
    from tests.conftest import make_document

    docs = [
        make_document("महासचिव तो लाम ने बैठक की अध्यक्षता की। कॉमरेड फान थाई बिन्ह उपस्थित थे।", "hi", "a"),
        make_document("ترأس الأمين العام تو لام الاجتماع. وحضر الرفيق فان ثاي بينه.", "ar", "b"),
    ]
    extraction = extract(docs, RuleRecognizer())
    persons = {e.label: e.docs() for e in extraction.entities if e.type == "Person"}
    assert persons == {"To Lam": ["a", "b"], "Phan Thai Binh": ["a", "b"]}


def test_an_arabic_spelling_reads_as_a_surname_at_the_start_of_a_name() -> None:
    """فان is Van inside a name and Phan at its start, where surnames stand."""
    from kg.extract.name_reading import romanize_name

    assert romanize_name("فان ثاي بينه", "ar") == "Phan Thai Binh"
    assert romanize_name("نجوين فان لونغ", "ar") == "Nguyen Van Long"


def test_the_front_of_a_province_is_that_provinces_front_committee() -> None:
    committee = ("لجنة جبهة الوطن الفيتنامية بمقاطعة كوانج نام", "Organization", "body:provincial-fatherland-front-committee@loc:quang-nam")
    front = ("جبهة الوطن الفيتنامية بمقاطعة كوانج نام", "Organization", "body:vietnam-fatherland-front@loc:quang-nam")
    national = ("جبهة الوطن الفيتنامية", "Organization", "body:vietnam-fatherland-front")
    _, ids = build(article("a", "ar", [committee, front, national, ("لي تري ثانه", "Person", "")]))
    assert ids[committee[0] + "@a"] == ids[front[0] + "@a"] == "quang-nam-provincial-fatherland-front-committee"
    assert ids[national[0] + "@a"] == "vietnam-fatherland-front"


def test_a_communes_or_wards_body_is_labelled_with_its_level_not_as_provincial() -> None:
    committee = ("लाई थीयू वार्ड के वियतनाम फादरलैंड फ्रंट कमेटी", "Organization", "body:provincial-fatherland-front-committee@name:लाई थीयू#ward")
    union = ("नाम कैट तिएन कम्यून के किसान संघ", "Organization", "@name:नाम कैट तिएन#commune")
    entities, ids = build(article("a", "hi", [committee, union, ("गुयेन तिएन डु", "Person", "")]))
    labels = {e.id: e.label for e in entities}
    assert labels[ids[committee[0] + "@a"]] == "Vietnam Fatherland Front Committee of Lai Thieu Ward"
    # The grammar read "Farmers' Union": a known body, whose branch in the commune this is.
    assert labels[ids[union[0] + "@a"]] == "Farmers' Association of Nam Cat Tien Commune"


def test_a_body_the_grammar_read_with_a_province_is_the_known_bodys_branch() -> None:
    read = ("اتحاد نساء مقاطعة لاي تشاو", "Organization", "@loc:lai-chau")
    known = ("اتحاد المرأة الإقليمي", "Organization", "body:provincial-womens-union")
    place = ("لاي تشاو", "Location", "loc:lai-chau")
    _, ids = build(article("a", "ar", [place, read, known, ("سونغ آ هو", "Person", "")]))
    assert ids[read[0] + "@a"] == ids[known[0] + "@a"] == "lai-chau-provincial-womens-union"


def test_a_local_body_of_an_article_naming_no_province_stays_that_articles() -> None:
    committee = {"hi": "प्रांतीय पार्टी समिति", "ar": "لجنة الحزب الإقليمية"}
    a = article("a", "hi", [(committee["hi"], "Organization", "body:provincial-party-committee"), ("माई वान तुआट", "Person", "")])
    b = article("b", "ar", [(committee["ar"], "Organization", "body:provincial-party-committee"), ("لي نجوك تشاو", "Person", "")])
    _, ids = build(a, b)
    assert ids[committee["hi"] + "@a"] != ids[committee["ar"] + "@b"]


def test_words_the_tables_lack_that_read_as_a_known_bodys_label_are_that_body() -> None:
    variant = ("प्रांतीय वियतनाम पितृभूमि मोर्चा समिति", "Organization", "")
    listed = ("प्रांतीय वियतनाम फादरलैंड फ्रंट समिति", "Organization", "body:provincial-fatherland-front-committee")
    _, ids = build(article("a", "hi", [variant, listed, ("गुयेन थी होंग वान", "Person", "")]))
    assert ids[variant[0] + "@a"] == ids[listed[0] + "@a"]


def test_a_historic_event_is_one_entity_in_every_language() -> None:
    front = ("Organization", "body:vietnam-fatherland-front")
    a = article("a", "ar", [("ثورة أغسطس", "Event", "history:august-revolution"), ("جبهة الوطن الفيتنامية", *front), ("لي نجوك تشاو", "Person", "")])
    b = article("b", "hi", [("अगस्त क्रांति", "Event", "history:august-revolution"), ("वियतनाम फादरलैंड फ्रंट", *front), ("माई वान तुआट", "Person", "")])
    entities, ids = build(a, b)
    assert ids["ثورة أغسطس@a"] == ids["अगस्त क्रांति@b"]
    revolution = next(e for e in entities if e.id == ids["ثورة أغسطس@a"])
    assert revolution.label == "August Revolution" and revolution.attrs["date"] == "1945-08-19"


def test_a_tie_of_provinces_goes_to_the_first_named_unless_they_are_named_in_one_list() -> None:
    from kg.extract.resolve import document_province
    from kg.extract.tokenize import tokenize
    from kg.extract.ner.rules import RuleRecognizer
    from tests.conftest import make_document

    def province(text: str, lang: str) -> str | None:
        document = make_document(text, lang)
        mentions = RuleRecognizer().recognize(document, tokenize(document))
        return document_province(document, mentions)

    # Whose delegation the lead reports: the first named province, the other named later, once.
    lead = "وحضر المؤتمر نيابة عن مقاطعة جيا لاي أمين اللجنة الحزبية الإقليمية. وحضر أيضا ممثلون عن مقاطعة كوانج نجاي."
    assert province(lead, "ar") == "gia-lai"
    # Two provinces in one sentence are a list: neither is the article's own.
    listed = "थाई गुयेन और तुयेन क्वांग प्रांतों के नेता उपस्थित थे। प्रांतीय पार्टी समिति ने भाषण दिया।"
    assert province(listed, "hi") is None


def test_an_organ_named_alone_is_that_organ_of_the_articles_party_committee() -> None:
    place = ("آن جيانغ", "Location", "loc:an-giang")
    committee = ("لجنة الحزب الإقليمية", "Organization", "body:provincial-party-committee")
    council = ("مجلس الشعب الإقليمي", "Organization", "body:provincial-peoples-council")
    standing = ("اللجنة الدائمة", "Organization", "")
    _, ids = build(article("a", "ar", [place, place, committee, council, standing, ("لي هونغ كوانغ", "Person", "")]))
    # Both the party committee and the council have a standing committee: the party committee's is meant.
    assert ids["اللجنة الدائمة@a"] == "an-giang-provincial-party-standing-committee"


def test_an_organ_named_alone_is_the_one_the_article_names_in_full() -> None:
    full = ("कुआंग न्गाई प्रांतीय पार्टी समिति की स्थायी समिति", "Organization", "body:provincial-party-standing-committee@loc:quang-ngai")
    bare = ("स्थायी समिति", "Organization", "")
    _, ids = build(article("a", "hi", [full, bare, ("गुयेन वान थांग", "Person", "")]))
    assert ids[bare[0] + "@a"] == ids[full[0] + "@a"]


def test_an_organ_named_alone_stays_apart_when_no_body_of_the_article_has_it() -> None:
    bare = ("स्थायी समिति", "Organization", "")
    _, ids = build(article("a", "hi", [bare, ("गुयेन वान थांग", "Person", "")]))
    assert "standing-committee" in ids[bare[0] + "@a"] and "provincial" not in ids[bare[0] + "@a"]


def test_a_provinces_own_building_is_in_the_articles_province() -> None:
    place = ("लाओ काई", "Location", "loc:lao-cai")
    hall = ("प्रांतीय सम्मेलन केंद्र", "Location", "venue:Conference Center@level:province")
    committee = (PROVINCE_BODY["hi"], "Organization", "body:provincial-party-committee")
    entities, ids = build(article("a", "hi", [place, place, committee, hall, ("माई वान तुआट", "Person", "")]))
    building = next(e for e in entities if e.id == ids[hall[0] + "@a"])
    assert building.label == "Lao Cai Provincial Conference Center" and building.attrs["kind"] == "venue"


def entities_of(text: str, lang: str) -> dict[str, Entity]:
    """The article's entities by label, read with the rules."""
    from kg.extract.article import read_article
    from kg.extract.ner.rules import RuleRecognizer
    from tests.conftest import make_document

    reading = read_article(make_document(text, lang), RuleRecognizer())
    return {e.label: e for e in reading.entities.values()}


@pytest.mark.parametrize(
    "text, lang",
    [
        ("हो ची मिन्ह शहर पार्टी समिति के प्रतिनिधि उपस्थित थे।", "hi"),
        ("حضر المؤتمر ممثلو لجنة الحزب في مدينة هوشي منه.", "ar"),
        ("وحضر الرفيق نجوين فان نين، أمين لجنة حزب مدينة هوشي منه، المؤتمر.", "ar"),
    ],
)
def test_a_body_of_a_city_whose_name_holds_its_level_noun_is_that_citys(text: str, lang: str) -> None:
    found = entities_of(text, lang)
    body = next(e for e in found.values() if e.type == "Organization")
    assert body.label.startswith("Ho Chi Minh City ") and "City City" not in body.label
    assert body.attrs.get("province") == "ho-chi-minh-city"
    assert "Ho Chi Minh" not in found  # the city's name is no person


def test_a_body_named_by_its_level_alone_is_the_one_place_of_that_level_the_article_names() -> None:
    found = entities_of("लॉन्ग हंग कम्यून के नेता उपस्थित थे। कम्यून पार्टी समिति के सचिव गुयेन वान आन उपस्थित थे।", "hi")
    body = next(e for e in found.values() if e.type == "Organization")
    assert body.label == "Party Committee of Long Hung Commune"
    assert body.attrs.get("province") == "long-hung"
    # Two communes named: which one "the commune" means is left open.
    found = entities_of("लॉन्ग हंग कम्यून और तान होक कम्यून के नेता उपस्थित थे। कम्यून पार्टी समिति के सचिव गुयेन वान आन उपस्थित थे।", "hi")
    body = next(e for e in found.values() if e.type == "Organization")
    assert "province" not in body.attrs


def test_an_unknown_vietnamese_province_in_arabic_is_a_district_but_not_beside_another_country() -> None:
    # Arabic translation writes a district (huyện) with the province noun: بمقاطعة نام جيانج.
    found = entities_of("زار الوفد شيوخ القرى في بلديات الأراضي المنخفضة بمقاطعة نام جيانج.", "ar")
    assert found["Nam Giang"].attrs.get("kind") == "district"
    # A Lao province read as Vietnamese syllables stays a province.
    found = entities_of("استقبل الرفيق وفد مقاطعة بو كيو في لاوس.", "ar")
    assert found["Bo Kieu"].attrs.get("kind") == "province"
    # A province the gazetteer knows stays a province.
    found = entities_of("زار الوفد مقاطعة كوانغ نام.", "ar")
    assert next(e for e in found.values() if e.type == "Location").attrs.get("kind") == "province"
