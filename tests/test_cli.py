from pathlib import Path

import pytest

from click.testing import CliRunner

from kg.cli import main
from tests.conftest import SEEDS


def test_help_explains_each_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "eval", "train-ner"):
        assert command in result.output


def test_build_reports_summary_and_skips_bad_files(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "good.txt").write_text("कॉमरेड माई वान तुआट ने सम्मेलन की अध्यक्षता की।", encoding="utf-8")
    (articles / "bad.txt").write_bytes("عقدت اللجنة".encode("cp1256"))
    result = CliRunner().invoke(main, ["build", str(articles), "--out", str(tmp_path / "out"), "--ner", "rules", "-q"])
    assert result.exit_code == 3, result.output
    assert "bad.txt" in result.output and "not valid UTF-8" in result.output
    assert "documents: 1 built, 1 skipped" in result.output
    assert (tmp_path / "out" / "graph.ttl").exists()
    assert "Traceback" not in result.output


def test_eval_with_a_broken_prediction_file_is_one_line(tmp_path: Path, gold_dir: Path) -> None:
    broken = tmp_path / "pred.json"
    broken.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold_dir), str(broken)])
    assert result.exit_code == 2
    assert "pred.json" in result.output and "Traceback" not in result.output


@pytest.mark.model
def test_eval_compares_ner_backends(tmp_path: Path, gold_dir: Path) -> None:
    from tests.conftest import SEEDS

    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out), "--ner", "rules", "-q"]).exit_code == 0
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold_dir), str(out / "extraction.json"), "--ner-compare", str(SEEDS)])
    assert result.exit_code == 0, result.output
    for name in ("rules alone", "stanza alone", "rules + stanza"):
        assert name in result.output


def test_a_missing_stanza_model_is_a_clear_error(tmp_path: Path) -> None:
    from tests.conftest import SEEDS

    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path / "out"), "--ner", "stanza", "--ner-model", str(tmp_path), "-q"])
    assert result.exit_code == 2
    assert "no Stanza NER model" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_folder_without_articles_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 2 and "no .txt articles found" in result.output


def test_damaged_relation_weights_are_one_line_and_nothing_is_built(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    weights = tmp_path / "weights.json"
    weights.write_text('{"format": "kg-relation-weights/1", "predicates": {"attended": {"intercept": "x"}}}', encoding="utf-8")
    monkeypatch.setattr("kg.extract.decide.weights.SHIPPED", weights)
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path / "out"), "--ner", "rules", "-q"])
    assert result.exit_code == 2
    assert str(weights) in result.output and "intercept" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_more_workers_than_cores_are_capped_with_a_warning(tmp_path: Path) -> None:
    from kg.machine import usable_cores

    cores = usable_cores()
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path / "out"), "--ner", "rules", "-q", "--workers", str(cores + 62)])
    assert result.exit_code == 0, result.output
    assert f"using {cores}" in result.output
    assert f"{cores} worker" in result.output and "wall clock" in result.output
    time_line = next(line for line in result.output.splitlines() if line.startswith("time:"))
    assert all(f"{phase} " in time_line for phase in ("articles", "corpus", "outputs"))  # where the time went


@pytest.mark.parametrize("name", ["empty.jsonl", "blank-lines.jsonl", "no-rows.parquet"])
def test_a_dump_without_articles_is_the_same_error_as_an_empty_folder(tmp_path: Path, name: str) -> None:
    dump = tmp_path / name
    if name.endswith(".parquet"):
        pa = pytest.importorskip("pyarrow")
        import pyarrow.parquet as pq

        pq.write_table(pa.table({"text": pa.array([], pa.string())}), dump)
    else:
        dump.write_text("" if name == "empty.jsonl" else "\n\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(dump), "--out", str(tmp_path / "out"), "--ner", "rules", "-q"])
    assert result.exit_code == 2 and "no article found" in result.output
    folder = CliRunner().invoke(main, ["build", str(tmp_path / "nothing-here"), "--out", str(tmp_path / "out"), "--ner", "rules", "-q"])
    assert folder.exit_code == 2


def test_a_command_line_argument_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    judgements = tmp_path / "j.txt"
    result = subprocess.run([sys.executable, "-m", "kg.cli", "judge", b"caf\xe9-id", "same", "b", "--judgements", str(judgements)], capture_output=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.decode().strip().count("\n") == 0 and b"not valid UTF-8" in result.stderr and b"Traceback" not in result.stderr
    assert not judgements.exists()


def test_thousands_of_warnings_are_summarised(tmp_path: Path) -> None:
    judgements = tmp_path / "j.txt"
    judgements.write_text("".join(f"nobody-{n}\tsame\tno-one-{n}\n" for n in range(3000)), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path / "out"), "--ner", "rules", "-q", "--judgements", str(judgements)])
    assert result.exit_code == 0, result.output[-500:]
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) <= 51 and "more" in warnings[-1]


def test_graph_ttl_stays_beside_other_formats_and_queries_take_the_build_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out), "--ner", "rules", "-q", "--format", "nt", "--format", "nq"])
    assert result.exit_code == 0, result.output
    assert all((out / name).is_file() for name in ("graph.ttl", "graph.nt", "graph.nq"))
    by_file = CliRunner().invoke(main, ["query", str(out / "graph.ttl"), "posts_of_person", "-p", "person=Truong Thi Mai", "--format", "json"])
    by_folder = CliRunner().invoke(main, ["query", str(out), "posts_of_person", "-p", "person=Truong Thi Mai", "--format", "json"])
    assert by_folder.exit_code == 0 and by_folder.output == by_file.output and "Truong Thi Mai" in by_folder.output
    only = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path / "nt"), "--ner", "rules", "-q", "--format", "nt", "--no-turtle"])
    assert only.exit_code == 0 and not (tmp_path / "nt" / "graph.ttl").exists() and (tmp_path / "nt" / "graph.nt").is_file()


def test_extraction_jsonl_holds_the_same_records_and_every_reader_takes_it(tmp_path: Path, gold_dir: Path) -> None:
    from kg.graph.extraction_file import read_records

    args = ["build", str(SEEDS), "--ner", "rules", "-q", "--no-cache"]
    assert CliRunner().invoke(main, [*args, "--out", str(tmp_path / "json")]).exit_code == 0
    assert CliRunner().invoke(main, [*args, "--out", str(tmp_path / "jsonl"), "--format", "jsonl"]).exit_code == 0
    as_json, as_jsonl = tmp_path / "json" / "extraction.json", tmp_path / "jsonl" / "extraction.jsonl"
    assert not (tmp_path / "jsonl" / "extraction.json").exists()
    assert list(read_records(as_jsonl)) == list(read_records(as_json))
    assert len(as_jsonl.read_text(encoding="utf-8").splitlines()) == 1 + 5  # the header, one line per article
    assert (tmp_path / "json" / "graph.ttl").read_bytes() == (tmp_path / "jsonl" / "graph.ttl").read_bytes()
    scores = [CliRunner().invoke(main, ["eval", "--gold", str(gold_dir), str(path)]) for path in (as_json, as_jsonl)]
    assert scores[0].exit_code == 0 and scores[0].output == scores[1].output
    reviews = [CliRunner().invoke(main, ["review", str(path)]) for path in (as_json, as_jsonl)]
    assert reviews[0].exit_code == 0 and reviews[0].output == reviews[1].output
    pages = [CliRunner().invoke(main, ["viz", str(path), "--out", str(tmp_path / f"{path.suffix[1:]}.html")]) for path in (as_json, as_jsonl)]
    assert all(page.exit_code == 0 for page in pages)
    assert (tmp_path / "json.html").read_bytes() == (tmp_path / "jsonl.html").read_bytes()
    # A later default build replaces the .jsonl by the .json: readers never see both.
    assert CliRunner().invoke(main, [*args, "--out", str(tmp_path / "jsonl")]).exit_code == 0
    assert (tmp_path / "jsonl" / "extraction.json").is_file() and not (tmp_path / "jsonl" / "extraction.jsonl").exists()


def test_the_status_line_is_rewritten_in_place_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from kg.cli import StatusLine

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, expected in ((Terminal(), "\rmerging…\rwriting a…\r          \r"), (io.StringIO(), "")):
        monkeypatch.setattr(sys, "stderr", stream)
        status = StatusLine()
        status.show("merging")
        status.show("writing a")
        status.clear()
        assert stream.getvalue() == expected
