"""Report classification measured so that it cannot be tuned to: whole sources held out.

    pip install -e '.[train]'
    python benchmarks/classify_eval.py [--shared ../shared/data] [--sources th_sms_spam_sivakorn,...]
                                       [--errors N] [--skip-blind]

1. **Blind, by source.** For each public dataset in ../shared/data, a model is trained on
   everything else (the other datasets and the project's own examples) and scored on every row
   of the held-out dataset: the model has never seen that source, its senders, its formats.
2. **Seen sources.** The shipped weights on tests/data/classify_eval.jsonl (rows held out of
   training, but from sources the model trained on), per source and for the project-written rows
   (optimistic: written in the same session as the code).
3. In the same run, on the same rows: the keyword baseline (reports.classify.KeywordClassifier).

Figures per source: rows; harmful recall (all, with a link, without one); benign messages flagged
(genuine notices, chat, codes, warnings); promotions flagged; gambling vs scam told apart (among
harmful rows called harmful); macro-F1; the language detector's accuracy on the source (strict, and
counting English as right: the Philippine and Thai sets label a whole dataset, not each SMS). Then the
scam type on its own labelled rows (real labels: id_sms_spam_bopbi; the rest project-written),
and the time per classify() call. Asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harmline.reports.classify import Classifier, KeywordClassifier  # noqa: E402
from harmline.reports.language import LayeredLanguageDetector  # noqa: E402
from harmline.reports.learned import LearnedClassifier, read  # noqa: E402
from harmline.reports.train_classifier import (  # noqa: E402
    EVAL,
    SEED,
    Row,
    dedupe,
    fit,
    load_shared,
    macro_f1,
    read_jsonl,
    training_rows,
)

BLIND_SOURCES = ("th_sms_spam_sivakorn", "ph_sms_spam_yissuh", "id_judol_youtube_comments", "id_sms_spam_bopbi",
                 "en_uci_sms_spam", "id_hoax_news_pratiwi2017", "my_burmese_scam_nuwai")
BENIGN_KINDS = {"notice", "chat", "otp", "warning", ""}
HARMFUL_SPLIT = ("scam", "illegal_gambling")
SAMPLE = 3_000  # rows scored per blind source (all of the smaller ones)


@dataclass
class Scores:
    rows: int
    harmful: tuple[int, int]  # (called harmful, harmful)
    with_link: tuple[int, int]
    without_link: tuple[int, int]
    benign: tuple[int, int]  # (flagged, benign)
    promo: tuple[int, int]
    split: tuple[int, int]  # (gambling/scam right, harmful gambling-or-scam called gambling-or-scam)
    macro_f1: float
    language: tuple[int, int]
    language_or_en: tuple[int, int]  # English counted right too: PH and TH SMS mix in English


def _ratio(pair: tuple[int, int]) -> str:
    right, total = pair
    return f"{right / total:6.1%} ({right}/{total})" if total else "     — (0)"


def score(rows: Sequence[Row], pred: Sequence[str], detected: Sequence[str]) -> Scores:
    def count(selected: list[int], hit: Callable[[int], bool]) -> tuple[int, int]:
        return sum(hit(i) for i in selected), len(selected)

    harmful = [i for i, r in enumerate(rows) if r.category != "other"]
    linked = {i for i, r in enumerate(rows) if any(c.name == "link" for c in read(r.text).cues)}
    benign = [i for i, r in enumerate(rows) if r.category == "other" and r.kind in BENIGN_KINDS]
    promos = [i for i, r in enumerate(rows) if r.category == "other" and r.kind == "promo"]
    split = [i for i in harmful if rows[i].category in HARMFUL_SPLIT and pred[i] in HARMFUL_SPLIT]
    flagged = (lambda i: pred[i] != "other")  # noqa: E731
    return Scores(
        rows=len(rows),
        harmful=count(harmful, flagged),
        with_link=count([i for i in harmful if i in linked], flagged),
        without_link=count([i for i in harmful if i not in linked], flagged),
        benign=count(benign, flagged),
        promo=count(promos, flagged),
        split=count(split, lambda i: pred[i] == rows[i].category),
        macro_f1=macro_f1([r.category for r in rows], pred),
        language=count(list(range(len(rows))), lambda i: detected[i] == rows[i].language),
        language_or_en=count(list(range(len(rows))), lambda i: detected[i] in (rows[i].language, "en")),
    )


HEADER = (f"{'source':28s} {'model':8s} {'rows':>5s}  {'harmful recall':>17s}  {'… with link':>17s}  "
          f"{'… without link':>17s}  {'benign flagged':>17s}  {'promos flagged':>17s}  {'gambling≠scam':>17s}  "
          f"{'macro-F1':>8s}  {'language':>17s}  {'language or en':>17s}")


def line(source: str, model: str, s: Scores) -> str:
    return (f"{source:28s} {model:8s} {s.rows:5d}  {_ratio(s.harmful):>17s}  {_ratio(s.with_link):>17s}  "
            f"{_ratio(s.without_link):>17s}  {_ratio(s.benign):>17s}  {_ratio(s.promo):>17s}  {_ratio(s.split):>17s}  "
            f"{s.macro_f1:8.3f}  {_ratio(s.language):>17s}  {_ratio(s.language_or_en):>17s}")


def evaluate(rows: Sequence[Row], systems: dict[str, Classifier], detected: Sequence[str],
             source: str) -> dict[str, list[str]]:
    predictions = {}
    for name, system in systems.items():
        predictions[name] = [system.classify(r.text).category.value for r in rows]
        print(line(source, name, score(rows, predictions[name], detected)), flush=True)
    return predictions


def errors(rows: Sequence[Row], pred: Sequence[str], system: Classifier, limit: int) -> None:
    wrong = [(r, p) for r, p in zip(rows, pred, strict=True) if p != r.category]
    for r, p in wrong[:limit]:
        print(f"    [{r.language} {r.kind or '-'}] {r.category} → {p}: {r.text[:110]!r}\n"
              f"        {system.classify(r.text).reason}")


def scam_types(rows: Sequence[Row], classifier: LearnedClassifier, label: str) -> None:
    typed = [r for r in rows if r.category == "scam" and r.scam_type]
    if not typed:
        return
    got = [classifier.classify(r.text) for r in typed]
    called = [(r, g) for r, g in zip(typed, got, strict=True) if g.scam_type is not None]
    right = sum(g.scam_type == r.scam_type for r, g in called)
    fallback = sum(g.scam_type == "other" and r.scam_type != "other" for r, g in called)
    wrong = sum(g.scam_type not in (r.scam_type, "other") for r, g in called)
    n = max(1, len(called))
    print(f"{label:40s} typed scams {len(typed):4d}, called scam {len(called):4d}: right {right / n:.1%}"
          f"  unsure → other {fallback / n:.1%}  asserted wrong {wrong / n:.1%}")


def timing(classifier: Classifier, texts: list[str]) -> tuple[float, float]:
    samples = []
    for text in texts:
        start = time.perf_counter_ns()
        classifier.classify(text)
        samples.append((time.perf_counter_ns() - start) / 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--sources", default=",".join(BLIND_SOURCES))
    parser.add_argument("--errors", type=int, default=0, help="list up to N mistakes per source")
    parser.add_argument("--skip-blind", action="store_true", help="only the shipped weights on the held-out file")
    args = parser.parse_args()
    detector = LayeredLanguageDetector()
    keyword = KeywordClassifier()
    held_out = read_jsonl(EVAL)
    shipped = LearnedClassifier()
    rng = random.Random(SEED)

    if not args.skip_blind:
        print("# 1. Blind: each source held out whole (trained on everything else)\n")
        print(HEADER)
        public = dedupe(load_shared(args.shared))
        own_eval = [r for r in held_out if r.source.startswith("harmline")]
        for source in args.sources.split(","):
            rows = [r for r in public if r.source == source]
            rows = rows if len(rows) <= SAMPLE else rng.sample(rows, SAMPLE)
            train = [r for r in training_rows(args.shared, own_eval) if r.source != source]
            blind = LearnedClassifier(fit(train, own_eval))
            detected = [detector.detect(r.text).language for r in rows]
            predictions = evaluate(rows, {"blind": blind, "keyword": keyword}, detected, source)
            if args.errors:
                errors(rows, predictions["blind"], blind, args.errors)
            scam_types(rows, blind, f"  scam type, blind ({source})")
            print()

    print("\n# 2. Shipped weights on the held-out rows of seen sources (tests/data/classify_eval.jsonl)\n")
    print(HEADER)
    for source in sorted({r.source for r in held_out}):
        rows = [r for r in held_out if r.source == source]
        detected = [detector.detect(r.text).language for r in rows]
        predictions = evaluate(rows, {"shipped": shipped, "keyword": keyword}, detected, source)
        if args.errors:
            errors(rows, predictions["shipped"], shipped, args.errors)
    detected = [detector.detect(r.text).language for r in held_out]
    evaluate(held_out, {"shipped": shipped, "keyword": keyword}, detected, "ALL held-out rows")

    print("\n## Per language, held-out rows (shipped)")
    print(HEADER)
    for language in sorted({r.language for r in held_out}):
        rows = [r for r in held_out if r.language == language]
        detected = [detector.detect(r.text).language for r in rows]
        print(line(language, "shipped", score(rows, [shipped.classify(r.text).category.value for r in rows],
                                              detected)))

    print("\n## Per kind, held-out rows (shipped): flagged = called anything but other")
    for kind, n in sorted(Counter(r.kind or "-" for r in held_out).items()):
        rows = [r for r in held_out if (r.kind or "-") == kind]
        calls = Counter(shipped.classify(r.text).category.value for r in rows)
        print(f"{kind:10s} {n:4d}  " + "  ".join(f"{c}:{calls[c]}" for c in sorted(calls)))

    print("\n## Scam type (shipped; unsure → other)")
    scam_types(held_out, shipped, "held-out rows, all sources")
    scam_types([r for r in held_out if r.source.startswith("harmline")], shipped, "held-out, project-written")

    print("\n## Uncertain calls (shipped, held-out rows)")
    results = [(r, shipped.classify(r.text)) for r in held_out]
    sure = [(r, c) for r, c in results if c.explanation and not c.explanation.uncertain]
    unsure = [(r, c) for r, c in results if c.explanation and c.explanation.uncertain]
    for label, group in (("confident", sure), ("uncertain", unsure)):
        right = sum(c.category.value == r.category for r, c in group)
        print(f"{label:10s} {len(group):4d} rows, right {right / max(1, len(group)):.1%}")

    print("\n## Time per classify() call (µs, one core)")
    texts = [r.text for r in held_out]
    long_texts = [(t * (300 // max(1, len(t)) + 1))[:300] for t in texts[:300]]
    start = time.perf_counter()
    LearnedClassifier()
    print(f"loading the weights: {time.perf_counter() - start:.2f} s")
    for name, classifier in (("shipped", shipped), ("keyword", keyword)):
        med, p95 = timing(classifier, texts)
        med300, p95_300 = timing(classifier, long_texts)
        print(f"{name:8s} held-out texts: median {med:7.1f}  p95 {p95:7.1f}   300-char texts: median {med300:7.1f}  "
              f"p95 {p95_300:7.1f}   (ratio to keyword baseline printed below)")
    base, _ = timing(keyword, texts)
    learned, _ = timing(shipped, texts)
    print(f"shipped / keyword median: {learned / base:.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
