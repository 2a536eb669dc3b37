"""The body grammar beyond the lexicon: a body with its place, its term, and
buildings named after bodies. Phrases written for these tests."""

from __future__ import annotations

from kg.extract.ner.rules import RuleRecognizer
from kg.extract.resolve import resolve_documents
from kg.extract.tokenize import tokenize
from tests.conftest import make_document


def mentions(text: str, lang: str) -> dict[str, str]:
    document = make_document(text, lang)
    return {m.text: m.type for m in RuleRecognizer().recognize(document, tokenize(document))}


def labels(text: str, lang: str) -> set[str]:
    document = make_document(text, lang)
    found = RuleRecognizer().recognize(document, tokenize(document))
    return {e.label for e in resolve_documents([document], found).entities}


def test_hindi_place_before_a_body_is_part_of_its_name_and_stays_a_place() -> None:
    found = mentions("हा तिन्ह प्रांतीय पार्टी समिति ने बैठक की।", "hi")
    assert found.get("हा तिन्ह प्रांतीय पार्टी समिति") == "Organization"
    assert found.get("हा तिन्ह") == "Location"


def test_arabic_place_after_a_preposition_qualifies_the_body() -> None:
    text = "عقدت لجنة الحزب الإقليمية في ها تينه اجتماعا."
    assert mentions(text, "ar").get("لجنة الحزب الإقليمية في ها تينه") == "Organization"
    assert any(label.startswith("Ha Tinh") for label in labels(text, "ar"))


def test_the_place_named_in_the_body_wins_over_the_articles_province() -> None:
    text = "निन्ह बिन्ह प्रांत में बैठक हुई। हा तिन्ह प्रांतीय पार्टी समिति ने भाग लिया।"
    assert any(label.startswith("Ha Tinh") and "Party" in label for label in labels(text, "hi"))


def test_arabic_national_body_of_vietnam_is_the_national_body() -> None:
    found = mentions("حضر ممثلو اللجنة المركزية للحزب في فيتنام.", "ar")
    assert found.get("اللجنة المركزية للحزب في فيتنام") == "Organization"


def test_term_before_or_after_a_body_is_part_of_its_name() -> None:
    assert mentions("15वीं राष्ट्रीय सभा का सत्र शुरू हुआ।", "hi").get("15वीं राष्ट्रीय सभा") == "Organization"
    assert mentions("افتتاح دورة الجمعية الوطنية الخامسة عشرة.", "ar").get("الجمعية الوطنية الخامسة عشرة") == "Organization"


def test_a_building_named_after_a_body_is_a_place() -> None:
    assert mentions("बैठक पार्टी केंद्रीय समिति मुख्यालय में हुई।", "hi").get("पार्टी केंद्रीय समिति मुख्यालय") == "Location"
    assert mentions("عقد الاجتماع في مقر الجمعية الوطنية.", "ar").get("مقر الجمعية الوطنية") == "Location"


def test_credits_web_addresses_bylines_and_acronyms() -> None:
    found = mentions("(example.gov.vn) - सम्मेलन हुआ।", "hi")
    assert found.get("example.gov.vn") == "Organization"
    assert mentions("ن.د.و - افتتحت الجمعية الوطنية الدورة.", "ar").get("ن.د.و") == "Organization"
    found = mentions("حضر ممثلو جبهة الوطن الفيتنامية (VFF) المؤتمر.", "ar")
    assert found.get("VFF") == "Organization"


def test_an_acronym_after_a_body_resolves_to_that_body() -> None:
    document = make_document("حضر ممثلو جبهة الوطن الفيتنامية (VFF) المؤتمر.", "ar")
    found = RuleRecognizer().recognize(document, tokenize(document))
    entities = resolve_documents([document], found).entities
    assert any({"VFF", "جبهة الوطن الفيتنامية"} <= {m.text for m in e.mentions} for e in entities)


def test_a_national_body_before_a_place_stays_national() -> None:
    found = mentions("حضر ممثلو الجمعية الوطنية في هانوي الاجتماع.", "ar")
    assert found.get("الجمعية الوطنية") == "Organization"
    assert "الجمعية الوطنية في هانوي" not in found


def test_an_arabic_organ_of_the_provincial_party_committee_reads_alike_however_its_owner_is_written() -> None:
    # Three ways of writing "of the provincial party committee" after one organ, and another organ.
    written = [
        "عقدت لجنة التفتيش التابعة للجنة الحزب الإقليمية اجتماعا.",
        "عقدت لجنة التفتيش للحزب الإقليمي اجتماعا.",
        "عقدت لجنة التفتيش في اللجنة الحزبية الإقليمية اجتماعا.",
    ]
    for text in written:
        assert "Inspection Commission of the Provincial Party Committee" in labels(text, "ar"), text
    assert "Executive Committee of the Provincial Party Committee" in labels("اجتمعت اللجنة التنفيذية للحزب الإقليمية.", "ar")
