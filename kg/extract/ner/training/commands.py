"""What ``kg train-ner`` and ``kg check-corpus`` do, with their messages and progress bars."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import click

from kg.signals import interrupted_by_signals
from kg.extract.ner.training.manifest import SHIPPED_MANIFEST, ManifestError, Page, check_corpus, read_manifest, read_reserved, url_slug

SHIPPED_RESERVED = Path(__file__).parent / "reserved-slugs.sha256"


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(2)


def load_pages(manifest: Path | None, reserved: Path | None) -> list[Page]:
    hashes = read_reserved(SHIPPED_RESERVED) | read_reserved(reserved)
    try:
        return read_manifest(manifest or SHIPPED_MANIFEST, hashes)
    except (ManifestError, OSError, UnicodeDecodeError) as error:
        fail(str(error))
        raise


def usable_pages(pages: list[Page], corpus_dir: Path) -> list[Page]:
    """The pages whose copies match; the others are named (a few) and counted."""
    problems = check_corpus(pages, corpus_dir)
    if len(problems) == len(pages):
        fail(f"{corpus_dir}: none of the {len(pages)} manifest pages is there as listed (rebuild it: see the README)")
    if problems:
        shown = ", ".join(f"{doc} ({why})" for doc, why in sorted(problems.items())[:5])
        click.echo(f"warning: {len(problems)} of {len(pages)} manifest pages left out: {shown}{' …' if len(problems) > 5 else ''}", err=True)
    return [p for p in pages if p.doc not in problems]


def without_annotated(pages: list[Page], articles: list) -> list[Page]:  # noqa: ANN001 - GoldArticle
    """The pages that are none of the annotated articles: same slug, whatever the host or language.

    A page that is an annotated article (or its copy on another host, or its
    translation) would put that article's text among the silver sentences of
    the fold it is held out of.
    """
    annotated = {url_slug(a.url) for a in articles if a.url}
    kept = [p for p in pages if url_slug(p.url) not in annotated]
    if len(kept) < len(pages):
        click.echo(f"{len(pages) - len(kept)} corpus pages left out: they are annotated articles (same slug)", err=True)
    return kept


def run_check_corpus(folder: Path, manifest: Path | None) -> None:
    pages = load_pages(manifest, None)
    problems = check_corpus(pages, folder)
    for doc, why in sorted(problems.items()):
        click.echo(f"{doc}: {why}")
    langs = {lang: sum(p.lang == lang for p in pages) for lang in sorted({p.lang for p in pages})}
    click.echo(f"{len(pages) - len(problems)} ok, {len(problems)} not ({', '.join(f'{n} {lang}' for lang, n in langs.items())} listed)")
    if problems:
        raise SystemExit(1)


def progress_trainer(steps: int, label: str, quiet: bool):  # noqa: ANN201 - a train_language-like callable
    from tqdm import tqdm

    from kg.extract.ner.training.train import train_language

    def train(data, out_dir, seed, steps_=steps, desc=label, extra_meta=None):  # noqa: ANN001, ANN202
        with tqdm(total=steps_, desc=desc, unit="step", disable=quiet, leave=False) as bar:
            def on_step(step: int) -> None:
                bar.update(step - bar.n)

            return train_language(data, out_dir, seed=seed, steps=steps_, on_step=on_step, extra_meta=extra_meta)

    return train


def run_train_ner(*, langs, out_dir, install, gold_dir, text_dir, corpus_dir, manifest, reserved, template_sentences, steps, folds, seed, quiet) -> None:  # noqa: ANN001
    from kg.extract.ner.training.data import TrainingDataError, read_gold_articles
    from kg.extract.ner.training.train import SHIPPED_MODELS

    if (gold_dir is None) != (text_dir is None):
        fail("--gold and --texts go together: the gold files and the folder of their texts")
    if folds and gold_dir is None:
        fail("--folds cross-validates over annotated articles: give --gold and --texts")
    if folds == 1:
        fail("--folds needs at least 2 folds (or 0 for none)")
    pages = usable_pages(load_pages(manifest, reserved), corpus_dir) if corpus_dir else []
    try:
        articles = read_gold_articles(gold_dir, text_dir) if gold_dir else []
    except TrainingDataError as error:
        fail(str(error))
    pages = without_annotated(pages, articles)
    target = SHIPPED_MODELS if install else Path(out_dir)
    with interrupted_by_signals():
        try:
            train_all(langs, target, articles, pages, corpus_dir, template_sentences, steps, folds, seed, quiet)
        except KeyboardInterrupt:
            fail(f"interrupted: the models being trained were not written to {target}, and their temporary folders are gone")


def train_all(langs, target, articles, pages, corpus_dir, template_sentences, steps, folds, seed, quiet) -> None:  # noqa: ANN001
    from kg.extract.ner.training import crossval
    from kg.extract.ner.training.data import TrainingDataError, build_dataset
    from kg.extract.ner.training.train import TrainingError, model_file

    train = progress_trainer(steps, "training", quiet)
    # Without cross-validation nothing says the model's persons and places may stand alone.
    meta: dict = {"filters": "strict"}
    try:
        if folds:
            with tempfile.TemporaryDirectory(prefix="kg-ner-cv-") as work:
                results = crossval.cross_validate(
                    articles, pages, corpus_dir, Path(work), folds, seed, steps, template_sentences, tuple(langs),
                    train,
                    log=lambda line: click.echo(line),
                )
            click.echo(crossval.format_total(results))
            target.mkdir(parents=True, exist_ok=True)
            report = target / "cross-validation.json"
            report.write_text(crossval.results_json(results) + "\n", encoding="utf-8")
            click.echo(f"cross-validation: {report}")
            meta = {"filters": crossval.best_filters(results), "cross_validated_folds": folds}
            click.echo(f"filters for the models' persons and places (the better cross-validated combination): {meta['filters']}")
        # The final models: trained beside the target, moved in only when all languages succeed.
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".kg-ner-", dir=target) as staging:
            for lang in langs:
                data = build_dataset(lang, articles, pages, corpus_dir, template_sentences, seed)
                click.echo(f"[{lang}] " + ", ".join(f"{k} {v}" for k, v in data.summary().items()))
                train(data, Path(staging), seed, steps, f"training {lang}", extra_meta=meta)
                click.echo(f"[{lang}] trained in {data.seconds} s")
            for lang in langs:
                destination = target / lang
                if destination.exists():
                    shutil.rmtree(destination)
                shutil.move(str(Path(staging) / lang), str(destination))
                path = model_file(target, lang)
                click.echo(f"model: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    except (TrainingError, TrainingDataError) as error:
        fail(str(error))
