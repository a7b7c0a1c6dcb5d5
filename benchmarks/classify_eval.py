"""Report classification on held-out data: the learned classifier beside the keyword baseline.

    python benchmarks/classify_eval.py [--data tests/data/classify_eval.jsonl] [--errors]

Prints, for both classifiers in the same run: per-class precision/recall/F1, macro-F1 per
language, the confusion matrix, the rate at which "other" texts are called scams, scam-type
accuracy on the held-out scams that carry a type, and the median/p95 µs per classify() call
(on the held-out texts and on 300-character texts). Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reports.classify import Classifier, KeywordClassifier  # noqa: E402
from reports.learned import LearnedClassifier  # noqa: E402

CLASSES = ("scam", "illegal_gambling", "fraudulent_content", "other")
LANGUAGES = ("en", "ms", "id", "th", "vi", "fil", "zh", "ta", "km", "lo", "my", "tet", "pt")


def prf(gold: list[str], pred: list[str], label: str) -> tuple[float, float, float, int]:
    tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
    fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
    fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp + fn


def macro_f1(gold: list[str], pred: list[str]) -> float:
    present = [c for c in CLASSES if c in gold]
    return sum(prf(gold, pred, c)[2] for c in present) / len(present) if present else 0.0


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
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "classify_eval.jsonl")
    parser.add_argument("--errors", action="store_true", help="list the learned classifier's mistakes")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = [r["category"] for r in rows]
    systems: dict[str, Classifier] = {"learned": LearnedClassifier(), "keyword": KeywordClassifier()}
    results = {name: [c.classify(r["text"]) for r in rows] for name, c in systems.items()}
    preds = {name: [x.category.value for x in out] for name, out in results.items()}
    print(f"held-out rows: {len(rows)}  " + " ".join(f"{k}:{v}" for k, v in sorted(Counter(gold).items())))

    print("\n## Per class (precision / recall / F1)")
    print(f"{'class':20s} {'n':>5s}  " + "  ".join(f"{name:>20s}" for name in systems))
    for c in CLASSES:
        cells = []
        for name in systems:
            p, r, f, n = prf(gold, preds[name], c)
            cells.append(f"{p:.2f} / {r:.2f} / {f:.2f}")
        print(f"{c:20s} {n:5d}  " + "  ".join(f"{cell:>20s}" for cell in cells))
    print(f"{'macro-F1 (all)':20s} {len(rows):5d}  "
          + "  ".join(f"{macro_f1(gold, preds[name]):>20.3f}" for name in systems))

    print("\n## Macro-F1 per language (over the classes present in that language)")
    print(f"{'lang':5s} {'n':>4s} {'classes':>8s}  " + "  ".join(f"{name:>8s}" for name in systems))
    for lang in LANGUAGES:
        idx = [i for i, r in enumerate(rows) if r["language"] == lang]
        if not idx:
            continue
        g = [gold[i] for i in idx]
        cells = "  ".join(f"{macro_f1(g, [preds[name][i] for i in idx]):8.3f}" for name in systems)
        print(f"{lang:5s} {len(idx):4d} {len(set(g)):8d}  {cells}")

    for name in systems:
        print(f"\n## Confusion matrix — {name} (rows: gold, columns: predicted)")
        print(f"{'':20s}" + "".join(f"{c[:12]:>14s}" for c in CLASSES))
        for g in CLASSES:
            counts = Counter(p for gg, p in zip(gold, preds[name], strict=True) if gg == g)
            print(f"{g:20s}" + "".join(f"{counts[p]:14d}" for p in CLASSES))

    print("\n## other → scam false-positive rate")
    others = [i for i, g in enumerate(gold) if g == "other"]
    for name in systems:
        fp = sum(preds[name][i] == "scam" for i in others)
        print(f"{name:8s} {fp}/{len(others)} = {fp / max(1, len(others)):.1%}")

    typed = [i for i, r in enumerate(rows) if r.get("scam_type") and gold[i] == "scam"]
    if typed:
        right = sum(results["learned"][i].scam_type == rows[i]["scam_type"] for i in typed)
        print(f"\n## Scam type (learned; held-out scams with a type): {right}/{len(typed)} = {right / len(typed):.1%}")

    print("\n## Time per classify() call (µs)")
    texts = [r["text"] for r in rows]
    long_texts = [(t * (300 // max(1, len(t)) + 1))[:300] for t in texts[:200]]
    for name, classifier in systems.items():
        med, p95 = timing(classifier, texts)
        med300, p95_300 = timing(classifier, long_texts)
        print(f"{name:8s} held-out texts: median {med:7.1f}  p95 {p95:7.1f}   300-char texts: median {med300:7.1f}  "
              f"p95 {p95_300:7.1f}")

    if args.errors:
        print("\n## Learned classifier's mistakes")
        for i, r in enumerate(rows):
            if preds["learned"][i] != gold[i]:
                print(f"[{r['language']}] {gold[i]} → {preds['learned'][i]}: {r['text'][:100]!r}  "
                      f"({results['learned'][i].reason})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
