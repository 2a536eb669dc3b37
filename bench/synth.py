"""A synthetic news archive for scale benchmarks: N articles from the project's own templates.

Copies of a few real articles make a poor archive: every copy names the same
people, so the corpus phase merges everything and measures nothing. These
articles are rendered from the NER training templates
(``kg/extract/ner/training/templates``) and the language tables, with a cast
drawn the way a real archive's is:

- **national figures** recur across the archive: a fixed pool (``--national``,
  generated once from the seed) drawn with Zipf weights, so a few appear in
  thousands of articles and most in a handful;
- **local officials** are new in each article (two to five of them), named
  again within it;
- each article has **one province**, a date (2015-2026) and a lead naming the
  occasion in that province on that day, so events and local bodies merge
  across the articles that report the same occasion (about one article in
  ``--repeat`` reports an occasion another article already reported).

The same N, seed and options give the same files, byte for byte. Nothing
here is real article text.

    python bench/synth.py 10000 /tmp/synth-10k            # 10^4 articles, half Hindi, half Arabic
    python bench/synth.py 1000 /tmp/synth-1k --seed 7
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract.ner.training.generate import Generator  # noqa: E402

MONTHS = {"hi": ["जनवरी", "फरवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"],
          "ar": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]}
# The lead: an occasion, its province and its day, in each language's word order.
LEADS = {
    "hi": ["{DAY} {MONTH} {YEAR} को, {LOC} प्रांत में {ORG} ने एक सम्मेलन आयोजित किया।",
           "{DAY} {MONTH} {YEAR} को {LOC} में {ORG} ने {YEAR} के कार्यों की समीक्षा के लिए सम्मेलन आयोजित किया।",
           "{DAY} {MONTH} {YEAR} की सुबह, {ORG} ने {LOC} प्रांत में एक बैठक आयोजित की।"],
    "ar": ["في {DAY} {MONTH} {YEAR}، عقدت {ORG} مؤتمرا في مقاطعة {LOC}.",
           "في صباح يوم {DAY} {MONTH} {YEAR}، نظمت {ORG} في {LOC} مؤتمرا لتلخيص أعمال العام.",
           "في {DAY} {MONTH} {YEAR}، عقدت {ORG} اجتماعا في مقاطعة {LOC}."],
}


class ArchiveGenerator(Generator):
    """A template generator whose persons and provinces are an article's cast, not fresh draws."""

    def __init__(self, lang: str, seed: int, national: int) -> None:
        super().__init__(lang, seed)
        cast_rng = random.Random(seed * 7919 + 1)  # the same national figures in both languages
        self.rng, saved = cast_rng, self.rng
        self.national = [Generator.person(self) for _ in range(national)]
        self.rng = saved
        self.weights = [1.0 / (rank + 1) for rank in range(national)]
        self.cast: list[str] = []
        self.province = ""

    def new_article(self, province: str, locals_: int) -> None:
        self.province = province
        self.cast = [Generator.person(self) for _ in range(locals_)]

    def person(self) -> str:
        if self.national and self.rng.random() < 0.35:
            return self.rng.choices(self.national, weights=self.weights)[0]
        return self.rng.choice(self.cast) if self.cast else Generator.person(self)

    def fill(self, slot: str) -> str:
        if slot == "LOC" and self.province and self.rng.random() < 0.7:
            return self.province
        return super().fill(slot)


def article(gen: ArchiveGenerator, lang: str, occasion: tuple[str, int, int, int, str], sentences: int) -> str:
    province, day, month, year, body, lead_form = occasion
    lead = LEADS[lang][lead_form].format(DAY=day, MONTH=MONTHS[lang][month - 1], YEAR=year, LOC=province, ORG=body)
    lines = [lead]
    for _ in range(sentences):
        text, _ = gen.render(gen.rng.choice(gen.templates))
        lines.append(text)
    return "\n".join(lines) + "\n"


def write_archive(n: int, out: Path, seed: int = 1234, national: int = 300, repeat: int = 5) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    generators = {lang: ArchiveGenerator(lang, seed + k, national) for k, lang in enumerate(("hi", "ar"))}
    occasions: dict[str, list[tuple]] = {"hi": [], "ar": []}
    paths = []
    for k in range(n):
        lang = "hi" if k % 2 == 0 else "ar"
        gen = generators[lang]
        rng = gen.rng
        if occasions[lang] and rng.random() < 1.0 / repeat:
            occasion = rng.choice(occasions[lang])  # another report of an occasion already covered
        else:
            # One occasion is one kind of event in every report of it: the lead's form is the occasion's.
            occasion = (gen.pick("PROVINCE") or gen.pick("LOC"), rng.randint(1, 28), rng.randint(1, 12), rng.randint(2015, 2026), gen.pick("ORG"), rng.randrange(len(LEADS[lang])))
            occasions[lang].append(occasion)
        gen.new_article(occasion[0], rng.randint(2, 5))
        path = out / f"synth-{k:07d}-{lang}.txt"
        path.write_text(article(gen, lang, occasion, rng.randint(6, 14)), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="articles to write")
    parser.add_argument("out", type=Path, help="folder to write them into (created)")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--national", type=int, default=300, help="recurring national figures (default 300)")
    parser.add_argument("--repeat", type=int, default=5, help="about one article in this many reports an occasion already reported (default 5)")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("n must be at least 1")
    paths = write_archive(args.n, args.out, args.seed, args.national, args.repeat)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} articles, {size / 2**20:.1f} MiB, in {args.out}")


if __name__ == "__main__":
    main()
