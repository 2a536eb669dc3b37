"""Whole names from their written syllables: officials' spellings, one word for two syllables, comparing readings."""

from __future__ import annotations

from kg.extract.name_reading import name_agreement, name_syllables, romanize_name, written_syllables
from kg.extract.officials import official_names


def test_known_official_gets_the_official_spelling() -> None:
    assert romanize_name("نونغ دوك مان", "ar") == "Nong Duc Manh"
    assert romanize_name("تران فان مان", "ar") == "Tran Van Man"  # no official of that reading: unchanged
    assert romanize_name("لونغ كونغ", "ar") == "Luong Cuong"


def test_a_devanagari_reading_is_not_bent_to_a_similar_official() -> None:
    """तिएन is Tien: Nguyen Tien Dung stays himself, not the former Prime Minister Nguyen Tan Dung."""
    assert "Nguyen Tan Dung" in official_names()
    assert romanize_name("गुयेन तिएन डुंग", "hi") == "Nguyen Tien Dung"


def test_arabic_vowels_keep_different_people_apart_across_scripts() -> None:
    """تان (Tan) never writes Tien; لونغ كونغ can write Luong Cuong."""
    assert name_agreement(name_syllables("نغوين تان دونغ", "ar"), name_syllables("गुयेन तिएन डुंग", "hi")) < 0.9
    assert name_agreement(name_syllables("لونغ فان تام", "ar"), name_syllables("लोंग वान ताम", "hi")) >= 0.9


def test_merged_person_takes_the_label_whose_vowels_are_written() -> None:
    from tests.test_resolve import build, provincial

    entities, _ = build(provincial("a", "ar", "ninh-binh", "نغوين فان لونغ"), provincial("b", "hi", "ninh-binh", "गुयेन वान लुओंग"))
    assert [e.label for e in entities if e.type == "Person"] == ["Nguyen Van Luong"]


def test_one_written_word_may_be_two_syllables_and_is_read_once() -> None:
    assert [s.latin for s in written_syllables("هوشي", "ar", "surname")] == ["Ho", "Chi"]
    assert [s.latin for s in name_syllables("هوشي منه", "ar")] == ["Ho", "Chi", "Minh"]
    assert all(not s.vowels_written for s in name_syllables("هوشي منه", "ar"))
    assert all(s.vowels_written for s in name_syllables("हो ची मिन्ह", "hi"))
    # Memoised by word: names of a whole archive share their syllables' objects.
    assert written_syllables("هوشي", "ar", "surname") is written_syllables("هوشي", "ar", "surname")
