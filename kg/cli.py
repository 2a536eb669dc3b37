"""The ``kg`` command: a thin layer over the library, one function per command.

Errors a user can fix (a bad file, a missing gold directory) are printed as
one line on stderr with exit code 2; no traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_SKIPPED = 3


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


SHOWN_LINES = 50  # lines of one kind printed before the rest are counted


class StatusLine:
    """What a long build is doing after its progress bar, on one line of a terminal's stderr, rewritten in place and cleared at the end.

    Nothing is printed when stderr is not a terminal (a log, a pipe): the
    summary's ``time:`` line says there where the time went.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.width = 0

    def show(self, text: str) -> None:
        if self.enabled:
            line = f"{text}…"
            sys.stderr.write("\r" + line.ljust(self.width))
            sys.stderr.flush()
            self.width = len(line)

    def clear(self) -> None:
        if self.enabled and self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()
            self.width = 0


def echo_some(kind: str, lines: list[str]) -> None:
    """Print the first ``SHOWN_LINES`` lines of a kind on stderr, then how many more there were."""
    for line in lines[:SHOWN_LINES]:
        click.echo(f"{kind}: {line}", err=True)
    if len(lines) > SHOWN_LINES:
        click.echo(f"{kind}: … and {len(lines) - SHOWN_LINES} more", err=True)


# Commands whose modules load language tables: imported when run (or listed by --help),
# so that `kg query` on a store does not pay for them at start-up.
LAZY_COMMANDS = {"review": ("kg.corpus.review", "review_command"), "judge": ("kg.corpus.review", "judge_command")}


class LazyGroup(click.Group):
    """A group some of whose commands are imported only when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            import importlib

            module, name = LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """Build knowledge graphs of officials, bodies, campaigns and events from news articles.

    Typical use: `kg build seeds --out out`, then `kg eval --gold seeds/gold out/extraction.json`.
    """
    for argument in sys.argv[1:]:
        if any("\udc80" <= char <= "\udcff" for char in argument):
            # (Python keeps undecodable bytes as lone surrogates; written to a file or a query they fail later.)
            fail(f"argument {ascii(argument)[1:-1]} is not valid UTF-8 text")


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", default=Path("out"), show_default=True, type=click.Path(file_okay=False, path_type=Path), help="Directory for graph.ttl, graph.html and extraction.json.")
@click.option("--ner", type=click.Choice(["auto", "rules", "stanza"]), default="auto", show_default=True, help="auto: Stanza combined with the domain rules when a Stanza model loads, else rules only.")
@click.option("--ner-model", type=click.Path(exists=True, path_type=Path), default=None, help="Directory of Stanza NER models to use instead of the installed or shipped ones.")
@click.option("--judgements", "judgements_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Your same/different/unsure decisions (see `kg review`); applied on every build.")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=1, show_default=True, help="Processes extracting articles (each loads the NER models once and uses one torch thread).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="dask: run the per-article phase on a Dask cluster (--scheduler), or on a local one of --workers processes.")
@click.option("--scheduler", default=None, metavar="ADDR", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --engine dask).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Where article records are kept between builds [default: OUT/.kg-cache].")
@click.option("--no-cache", is_flag=True, help="Extract every article again and keep nothing.")
@click.option("--format", "formats", multiple=True, type=click.Choice(["turtle", "nt", "nq", "jsonl"]), default=("turtle",), show_default=True, help="More files to write besides graph.ttl (repeatable): graph.nt (N-Triples), graph.nq (N-Quads, one graph per article), jsonl (extraction.jsonl, one document per line, instead of extraction.json).")
@click.option("--no-turtle", is_flag=True, help="Do not write graph.ttl (only the --format files): for corpora too large for one Turtle file.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Also load the graph into this persistent store (as `kg load` does: only what changed since its last load); implies --format nq.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def build(inputs: tuple[Path, ...], out_dir: Path, ner: str, ner_model: Path | None, judgements_path: Path | None, workers: int, engine: str, scheduler: str | None, cache_dir: Path | None, no_cache: bool, formats: tuple[str, ...], no_turtle: bool, store_dir: Path | None, quiet: bool) -> None:
    """Build the graph of the articles in INPUTS: .txt files, folders of them, JSON Lines or Parquet dumps.

    A dump (.jsonl, .ndjson, .parquet) has one article per record: `text`, and
    optionally `id`, `url`, `lang`, `date` (the article date) and `title`.
    Writes OUT/graph.ttl (RDF, Turtle), OUT/graph.html (interactive view) and
    OUT/extraction.json (entities and relations per document, with evidence).
    Article records are cached in OUT/.kg-cache, so a rebuild extracts only
    new or changed articles. Outputs are replaced only when the build
    succeeds. Unreadable articles are reported and skipped; the exit code is then 3.
    """
    import time

    from tqdm import tqdm

    from kg.corpus.build import CACHE_DIR, graph_formats
    from kg.corpus.build import build as run_build
    from kg.corpus.engines import make_engine
    from kg.corpus.judgements import JudgementError, load_judgements
    from kg.corpus.outputs import OutputError, check_writable
    from kg.extract.article_files import find_article_files
    from kg.extract.ner.select import make_recognizer
    from kg.extract.sources import is_dump
    from kg.machine import usable_cores

    started = time.perf_counter()
    # graph.ttl is what `kg query out/graph.ttl` and the README read: it stays unless --no-turtle.
    formats = tuple(dict.fromkeys(([] if no_turtle else ["turtle"]) + [f for f in formats if not (no_turtle and f == "turtle")] + (["nq"] if store_dir else [])))
    if not graph_formats(formats):
        fail("--no-turtle leaves no graph file to write; add --format nt or --format nq")
    try:
        judgements = load_judgements(judgements_path)
    except JudgementError as error:
        fail(str(error))
    cores = usable_cores()
    if workers > cores and not scheduler and engine == "local":
        click.echo(f"warning: --workers {workers} is more than the {cores} cores this process may use; using {cores}", err=True)
        workers = cores
    if not any(p.is_file() and is_dump(p) for p in inputs) and not find_article_files([p for p in inputs if not is_dump(p)]):
        fail(f"no .txt articles found in {', '.join(str(p) for p in inputs)}")
    try:
        check_writable(out_dir)  # before a long build, not after it
    except OutputError as error:
        fail(str(error))
    if store_dir is not None:
        from kg.explore.store import StoreError, check_store_folder

        try:
            check_store_folder(store_dir)  # before a long build, not after it
        except StoreError as error:
            fail(f"--store {error}")
    try:
        recognizer = make_recognizer(ner, ner_model)
    except Exception as error:  # noqa: BLE001 - any model-loading failure is reported as one line
        fail(f"cannot load the NER model: {error}")
    from kg.extract.decide import RelationModelError, load_model

    try:
        load_model()  # a damaged weights file is one line here, not a traceback from every worker
    except RelationModelError as error:
        fail(str(error))
    if scheduler:
        engine = "dask"
    try:
        runner = make_engine(recognizer, engine, workers, scheduler)
    except Exception as error:  # noqa: BLE001 - a missing dask or an unreachable scheduler is one line
        fail(f"cannot start the {engine} engine: {error}")
    progress = None if quiet else (lambda done: tqdm(done, desc="extracting", unit="doc", leave=False))
    cache = None if no_cache else (cache_dir or out_dir / CACHE_DIR)
    status = StatusLine(enabled=not quiet)
    try:
        report = run_build(list(inputs), out_dir, recognizer, progress, judgements, runner, cache, formats, status.show)
    except (JudgementError, OutputError) as error:
        fail(str(error))
    finally:
        runner.close()
        status.clear()
    if report.documents == 0 and not report.skipped:
        # One rule for "nothing to build", whatever held nothing: a folder, an empty .jsonl, a 0-row .parquet.
        fail(f"no article found in {', '.join(str(p) for p in inputs)}; nothing was built")
    echo_some("skipped", [skipped.reason for skipped in report.skipped])
    echo_some("warning", report.warnings)
    click.echo(f"NER model: {report.ner_model}")
    click.echo(f"documents: {report.documents} built, {len(report.skipped)} skipped")
    if report.unchanged:
        click.echo("articles:  nothing changed since the last build; its outputs were kept")
    elif cache is not None:
        kept = f", {report.kept} kept linked from the last build" if report.kept else ""
        click.echo(f"articles:  {report.extracted} extracted, {report.cached} from the cache{kept}")
        if report.spliced:
            click.echo(f"outputs:   {', '.join(report.spliced)} spliced from the last build's (only the parts the added articles changed written)")
    click.echo("entities:  " + ", ".join(f"{t} {n}" for t, n in sorted(report.entities.items())))
    click.echo("relations: " + ", ".join(f"{p} {n}" for p, n in sorted(report.relations.items())))
    click.echo(f"triples:   {report.triples}")
    phases = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.phases.items())  # where a long build's time went
    click.echo(
        f"time:      {time.perf_counter() - started:.2f} s wall clock, building {report.seconds:.2f} s ({report.engine}, {report.workers} worker{'s' if report.workers != 1 else ''})"
        + (f": {phases}" if phases else "")
    )
    for name, path in report.outputs.items():
        click.echo(f"{name:<9}  {path}")
    if store_dir is not None and report.outputs:
        load_built_store(out_dir, store_dir, report.unchanged)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


def load_built_store(out_dir: Path, store_dir: Path, unchanged: bool) -> None:
    """``kg build --store``: the build's graph.nq into the store, unless the store holds that very file already."""
    from kg.explore.store import StoreError, graph_file, info, is_store, load

    graph = graph_file(out_dir, ("graph.nq",)).resolve()
    if unchanged and is_store(store_dir) and info(store_dir).get("source") == str(graph):
        click.echo(f"store      {store_dir} (up to date)")
        return
    try:
        loaded = load(out_dir, store_dir)
    except StoreError as error:
        fail(f"the build is written, but its store is not: {error}")
    how = "loaded" if loaded.updated_parts is None else f"updated: {loaded.updated_parts:,} parts replaced"
    click.echo(f"store      {store_dir} ({loaded.quads:,} quads, {how}, {loaded.seconds:.1f} s)")


@main.command(name="eval")
@click.argument("predicted", type=click.Path(exists=True, path_type=Path))
@click.option("--gold", "gold_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path), help="Directory of gold annotation files.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--ner-compare", "articles", type=click.Path(exists=True, path_type=Path), default=None, help="Also score mentions of Stanza alone, the rules alone and both combined on these articles.")
def evaluate(predicted: Path, gold_dir: Path, as_json: bool, articles: Path | None) -> None:
    """Score PREDICTED (out/extraction.json) against the gold annotations.

    Prints mention P/R/F1 per type, B-cubed resolution F1, relation P/R/F1 per
    predicate and person label accuracy, as defined in the gold README. With
    --ner-compare ARTICLES, mention scores per NER backend follow.
    """
    import json

    from kg.evaluate.scores import EvalError, format_report
    from kg.evaluate.scores import evaluate as run_eval

    try:
        report = run_eval(gold_dir, predicted)
    except EvalError as error:
        fail(str(error))
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(report))
    if articles is not None:
        compare_ner(articles, gold_dir)


def compare_ner(articles: Path, gold_dir: Path) -> None:
    """Mention scores of each NER backend alone and combined (models are never trained on the seeds)."""
    from kg.extract.article_files import read_documents
    from kg.extract.ingest import Skipped
    from kg.extract.ner.rules import RuleRecognizer
    from kg.extract.ner.select import CombinedRecognizer
    from kg.evaluate.ner_compare import format_table, gold_mentions, score_recognizer

    documents = [d for d in read_documents([articles]) if not isinstance(d, Skipped)]
    gold = gold_mentions(gold_dir)
    recognizers = {"rules alone": RuleRecognizer()}
    try:
        from kg.extract.ner.stanza_backend import MultiLanguageStanza

        stanza = MultiLanguageStanza(None)
        recognizers["stanza alone"] = stanza
        recognizers["rules + stanza"] = CombinedRecognizer(RuleRecognizer(), stanza)
    except Exception as error:  # noqa: BLE001 - report and go on with the rules
        click.echo(f"stanza unavailable: {error}", err=True)
    click.echo("\nMentions per NER backend")
    for name, recognizer in recognizers.items():
        click.echo(format_table(name, score_recognizer(recognizer, documents, gold)))


@main.command(name="train-ner")
@click.option("--lang", "langs", multiple=True, type=click.Choice(["hi", "ar"]), help="Language(s) to train (default: all).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("ner-models"), show_default=True, help="Folder to write the models to.")
@click.option("--install", is_flag=True, help="Write over the package's shipped models (kg/models/ner) instead of --out.")
@click.option("--gold", "gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None, help="Annotated articles (gold files in the shape of shared/gold) to train on.")
@click.option("--texts", "text_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None, help="Folder holding each gold file's article text.")
@click.option("--corpus", "corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None, help="Folder of the manifest's pages (silver labels from the rules).")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="Manifest of the --corpus pages (default: the one shipped with kg).")
@click.option("--reserved", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="More reserved slug hashes (one SHA-256 per line) besides the shipped list.")
@click.option("--templates", "template_sentences", default=400, show_default=True, type=click.IntRange(min=0), help="Generated template sentences per language.")
@click.option("--steps", default=1200, show_default=True, type=click.IntRange(min=10), help="Training steps per model.")
@click.option("--folds", default=0, show_default=True, type=click.IntRange(min=0), help="Cross-validate by article over --gold with this many folds first (needs --gold).")
@click.option("--seed", default=1234, show_default=True, help="Random seed; the same seed and data rebuild the same model.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
def train_ner(langs, out_dir, install, gold_dir, text_dir, corpus_dir, manifest, reserved, template_sentences, steps, folds, seed, quiet) -> None:  # noqa: ANN001
    """Train the project's own Stanza NER models.

    The training set mixes annotated articles (--gold/--texts, every sentence),
    silver sentences the rules are sure of on real pages (--corpus, checked
    against the manifest) and generated template sentences (--templates). With
    --folds K the annotated articles are first cross-validated by article
    (each fold's articles out of its models) and the rules / Stanza / combined
    mention scores printed. Models go to --out unless --install is given.
    """
    from kg.extract.ner.training.commands import run_train_ner

    run_train_ner(
        langs=langs or ("hi", "ar"), out_dir=out_dir, install=install, gold_dir=gold_dir, text_dir=text_dir,
        corpus_dir=corpus_dir, manifest=manifest, reserved=reserved, template_sentences=template_sentences,
        steps=steps, folds=folds, seed=seed, quiet=quiet,
    )


@main.command(name="check-corpus")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="Manifest to check against (default: the one shipped with kg).")
def check_corpus_command(folder: Path, manifest: Path | None) -> None:
    """Check a rebuilt folder of training pages against the manifest (sha256 and length)."""
    from kg.extract.ner.training.commands import run_check_corpus

    run_check_corpus(folder, manifest)


@main.command(name="train-relations")
@click.option("--gold", "gold_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path), help="Directory of gold annotation files (the shape of shared/gold).")
@click.option("--texts", "text_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path), help="Directory holding each gold document's text (<doc> as named in the gold file).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=Path("relation-weights.json"), show_default=True, help="Where to write the weights.")
@click.option("--install", is_flag=True, help="Write over the package's shipped weights (kg/models/relations/weights.json) instead of --out.")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(min=0), help="Cross-validate by article with this many folds first (0 or 1: no cross-validation).")
@click.option("--seed", default=1234, show_default=True, help="Random seed; the same seed and data give the same bytes.")
@click.option("--ner", type=click.Choice(["auto", "rules", "stanza"]), default="auto", show_default=True, help="The recogniser the articles are read with (use the one you build with).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def train_relations_command(gold_dir: Path, text_dir: Path, out_path: Path, install: bool, folds: int, seed: int, ner: str, quiet: bool) -> None:
    """Fit the relation classifiers and the own-event chooser on annotated articles.

    Reads every gold file's article from --texts, labels the candidate relations
    through the scorer's alignment, reports the rules alone and the
    cross-validated decisions (each fold's articles held out of everything
    fitted), then fits on all articles and writes the weights as JSON.
    """
    try:
        from kg.learn.train import format_result, train_relations
    except ImportError as error:
        fail(f"kg train-relations needs scikit-learn: pip install 'kg[learn]' ({error})")
    from kg.evaluate.annotations import EvalError
    from kg.extract.decide.weights import SHIPPED
    from kg.extract.ner.select import make_recognizer
    from kg.extract.ingest import IngestError
    from kg.learn.examples import TrainingDataError

    target = SHIPPED if install else out_path
    try:
        result = train_relations(gold_dir, text_dir, make_recognizer(ner), seed=seed, folds=folds, out=target, progress=not quiet)
    except (TrainingDataError, EvalError, IngestError) as error:
        fail(str(error))
    click.echo(format_result(result))
    click.echo(f"weights: {target} ({len(result.articles)} articles)")


def register_optional_commands() -> None:
    """Commands that live beside the stage they serve."""
    from kg.explore.cli import COMMANDS as EXPLORE_COMMANDS

    for command in EXPLORE_COMMANDS:  # query, serve, push, export, viz, timeline, projection
        main.add_command(command)


register_optional_commands()

if __name__ == "__main__":
    main()
