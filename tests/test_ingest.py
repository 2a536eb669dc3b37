from pathlib import Path

import pytest

from kg.extract.article_files import read_documents
from kg.extract.ingest import IngestError, Skipped, detect_language, read_document


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(
    "text, lang",
    [
        ("सम्मेलन में भाषण दिया।", "hi"),
        ("حضر المؤتمر الرفيق في تو ليو.", "ar"),
        ("The conference was held.", "en"),
        ("会议在河内举行", "und"),
    ],
)
def test_language_is_detected_by_script(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_source_url_and_boilerplate_are_kept_out_of_text(tmp_path: Path) -> None:
    text = "माई वान तुआट ने सम्मेलन की अध्यक्षता की।\n[विज्ञापन_2]\nस्रोत: https://example.org/a.htm\nटिप्पणी (0)"
    document = read_document(write(tmp_path, "a.txt", text))
    assert document.lang == "hi"
    assert document.source_url == "https://example.org/a.htm"
    skipped = [document.text[s:e] for s, e in document.skipped]
    assert "स्रोत: https://example.org/a.htm" in skipped
    assert "[विज्ञापन_2]" in skipped and "टिप्पणी (0)" in skipped
    assert not any("अध्यक्षता" in s for s in skipped)


def test_arabic_boilerplate(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "b.txt", "عقدت اللجنة مؤتمرا.\nها لينه\nمصدر\nتعليق (0)"))
    skipped = {document.text[s:e] for s, e in document.skipped}
    assert {"مصدر", "تعليق (0)"} <= skipped
    assert "ها لينه" not in skipped


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        ("عقدت اللجنة".encode("cp1256"), "not valid UTF-8"),
        ("सम्मेलन".encode("utf-16"), "UTF-16"),
        (b"%PDF-1.4\x00\x01\x02binary", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("会议在河内举行".encode(), "not supported"),
    ],
)
def test_bad_files_give_one_line_reasons(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path, "bad.txt", data)
    with pytest.raises(IngestError) as error:
        read_document(path)
    message = str(error.value)
    assert str(path) in message and reason in message and "\n" not in message


def test_bad_documents_are_skipped_and_the_rest_read(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", "सम्मेलन आयोजित किया गया।")
    write(tmp_path, "empty.txt", "")
    results = list(read_documents([tmp_path]))
    assert [type(r).__name__ for r in results] == ["Skipped", "Document"]
    assert isinstance(results[0], Skipped) and "empty.txt" in results[0].path


def test_a_short_hindi_article_under_a_long_web_address_is_hindi(tmp_path) -> None:  # noqa: ANN001
    from kg.extract.ingest import read_document

    path = tmp_path / "a.txt"
    path.write_text("कॉमरेड माई वान तुआट ने सम्मेलन की अध्यक्षता की।\nhttps://example.org/" + "a-very-long-path-segment/" * 20 + "\n", encoding="utf-8")
    assert read_document(path).lang == "hi"


def test_the_other_half_of_a_mixed_file_is_left_out_with_a_warning(tmp_path) -> None:  # noqa: ANN001
    from kg.corpus.build import build
    from kg.extract.ner.rules import RuleRecognizer

    folder = tmp_path / "articles"
    folder.mkdir()
    hindi = "कॉमरेड माई वान तुआट ने सम्मेलन की अध्यक्षता की।\n"
    arabic = "ترأس الرفيق في تو ليو المؤتمر في ها تينه. وحضر المؤتمر نائب رئيس اللجنة الشعبية الإقليمية لي نجوك تشاو.\n"
    (folder / "mixed.txt").write_text(hindi + arabic * 3, encoding="utf-8")
    report = build([folder], tmp_path / "out", RuleRecognizer())
    text = (tmp_path / "out" / "extraction.json").read_text(encoding="utf-8")
    assert '"lang": "ar"' in text and "Vi Tu Lieu" in text and "Mai Van Tuat" not in text
    assert [w for w in report.warnings if "mixed.txt" in w and "read as ar" in w and "1 line" in w]
