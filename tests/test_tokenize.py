import pytest

from kg.extract.tokenize import tokenize, tokenize_span
from tests.conftest import make_document


def test_hindi_sentences_split_at_danda_and_line_breaks() -> None:
    doc = make_document("कॉमरेड माई वान तुआट ने सम्मेलन की अध्यक्षता की। प्रतिनिधि उपस्थित थे।\nसम्मेलन का विवरण |")
    sentences = tokenize(doc)
    assert [s.text for s in sentences] == [
        "कॉमरेड माई वान तुआट ने सम्मेलन की अध्यक्षता की।",
        "प्रतिनिधि उपस्थित थे।",
        "सम्मेलन का विवरण |",
    ]


def test_arabic_sentences_split_at_arabic_marks_but_not_at_the_semicolon() -> None:
    # ؛ separates the items of one list (A، post؛ B، post): one sentence.
    doc = make_document("حضر المؤتمر نائب الرئيس. هل حضر؟ نعم؛ حضر", lang="ar")
    assert [s.text for s in tokenize(doc)] == ["حضر المؤتمر نائب الرئيس.", "هل حضر؟", "نعم؛ حضر"]


@pytest.mark.parametrize(
    "text",
    ["प्रांतीय पार्टी समिति के जन-आंदोलन आयोग", "للجنة الحزب الإقليمية ها تينه", "2.5 मिलियन, 14वीं", "\u200cज़िला\u200d"],
)
def test_token_offsets_slice_back_to_token_text(text: str) -> None:
    for token in tokenize_span(text, 0, len(text)):
        assert text[token.start : token.end] == token.text


def test_decimal_numbers_stay_one_token_and_sentence() -> None:
    doc = make_document("विकास दर 6.5 प्रतिशत रही।")
    sentences = tokenize(doc)
    assert len(sentences) == 1
    assert "6.5" in [t.text for t in sentences[0].tokens]


def test_boilerplate_lines_are_left_out() -> None:
    doc = make_document("सम्मेलन आयोजित हुआ।\nटिप्पणी (0)")
    texts = [s.text for s in tokenize(doc)]
    assert texts == ["सम्मेलन आयोजित हुआ।"]


def test_a_dot_inside_a_word_does_not_end_a_sentence() -> None:
    doc = make_document("المصدر laichau.gov.vn والرمز ن.د.و هنا. جملة", lang="ar")
    assert [s.text for s in tokenize(doc)] == ["المصدر laichau.gov.vn والرمز ن.د.و هنا.", "جملة"]
