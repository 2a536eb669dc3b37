import pytest

from kg.extract.events import find_date, main_event
from kg.extract.tokenize import tokenize
from tests.conftest import make_document


@pytest.mark.parametrize(
    "text, lang, year, expected",
    [
        ("9 अक्टूबर की सुबह, प्रांत ने सम्मेलन आयोजित किया।", "hi", 2023, "2023-10-09"),
        ("6 जनवरी की दोपहर को एक सम्मेलन आयोजित किया।", "hi", None, "--01-06"),
        ("في صباح يوم 9 أكتوبر، عقدت اللجنة مؤتمرا.", "ar", 2023, "2023-10-09"),
        ("في 15 مايو 2024 عقد المؤتمر.", "ar", 2020, "2024-05-15"),
    ],
)
def test_dates_resolve_with_the_article_year_or_stay_partial(text: str, lang: str, year: int | None, expected: str) -> None:
    doc = make_document(text, lang)
    doc = type(doc)(**{**doc.to_dict(), "year": year, "skipped": doc.skipped})
    assert find_date(doc, tokenize(doc)) == expected


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
