"""Language detection on short citizen reports: harmline's detector beside langdetect alone and
lingua-language-detector (the reference), on the labelled set in tests/data/language_eval.jsonl.

Prints, for the three systems side by side: accuracy per language, overall and on texts under
40 characters, the most frequent confusions, the median and p95 time per call, and the memory
each needs (measured in a fresh subprocess per system). Text only: no Telegram language_code and
no country is given to harmline's detector, so the comparison is fair.

    python benchmarks/language_eval.py [--data tests/data/language_eval.jsonl]

Needs ``pip install lingua-language-detector`` for the reference (it is not a harmline
dependency); without it that column is left out. Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LANGUAGES = ("en", "ms", "id", "th", "vi", "fil", "zh", "ta", "km", "lo", "my", "tet", "pt")
SHORT = 40
Detect = Callable[[str], str]


def harmline() -> Detect:
    from harmline.reports.language import LayeredLanguageDetector

    detector = LayeredLanguageDetector()
    return lambda text: detector.detect(text).language


def langdetect_alone() -> Detect:
    """langdetect as it comes: all 55 profiles, seeded, its own answer mapped to our codes."""
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    mapped = {"tl": "fil", "zh-cn": "zh", "zh-tw": "zh"}

    def run(text: str) -> str:
        try:
            code = detect(text)
        except LangDetectException:
            return "und"
        return mapped.get(code, code)

    return run


def lingua_reference() -> Detect:
    """lingua with the nine of our languages it knows (no Khmer, Lao, Burmese or Tetum)."""
    from lingua import Language, LanguageDetectorBuilder

    codes = {Language.ENGLISH: "en", Language.MALAY: "ms", Language.INDONESIAN: "id", Language.THAI: "th",
             Language.VIETNAMESE: "vi", Language.TAGALOG: "fil", Language.CHINESE: "zh", Language.TAMIL: "ta",
             Language.PORTUGUESE: "pt"}
    detector = LanguageDetectorBuilder.from_languages(*codes).with_preloaded_language_models().build()

    def run(text: str) -> str:
        found = detector.detect_language_of(text)
        return codes.get(found, "und") if found is not None else "und"

    return run


SYSTEMS: dict[str, Callable[[], Detect]] = {
    "langdetect": langdetect_alone,
    "lingua": lingua_reference,
    "harmline": harmline,
}


def available() -> dict[str, Callable[[], Detect]]:
    try:
        import lingua  # noqa: F401
    except ImportError:
        print("lingua-language-detector is not installed: the reference column is left out")
        return {name: make for name, make in SYSTEMS.items() if name != "lingua"}
    return SYSTEMS


def load(path: Path) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["text"], row["language"]) for row in rows]


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def memory_of(name: str, data: Path) -> None:
    """Child process: resident memory added by importing, building and running one system."""
    rows = load(data)
    before = rss_kib()
    detect = SYSTEMS[name]()
    for text, _ in rows:
        detect(text)
    print(rss_kib() - before)


def measure_memory(name: str, data: Path) -> float:
    result = subprocess.run([sys.executable, __file__, "--memory-of", name, "--data", str(data)],
                            capture_output=True, text=True, timeout=600, check=True)
    return int(result.stdout.strip().splitlines()[-1]) / 1024


def evaluate(detect: Detect, rows: list[tuple[str, str]]) -> tuple[list[str], list[float]]:
    for text, _ in rows[:20]:  # warm-up: lazy loading is not what a call costs
        detect(text)
    answers, seconds = [], []
    for text, _ in rows:
        start = time.perf_counter()
        answers.append(detect(text))
        seconds.append(time.perf_counter() - start)
    return answers, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "language_eval.jsonl")
    parser.add_argument("--memory-of", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_of:
        memory_of(args.memory_of, args.data)
        return

    rows = load(args.data)
    systems = available()
    results = {name: evaluate(make(), rows) for name, make in systems.items()}
    names = list(results)
    per_language: dict[str, Counter[str]] = defaultdict(Counter)
    counts = Counter(language for _, language in rows)
    short_rows = [i for i, (text, _) in enumerate(rows) if len(text) < SHORT]

    print(f"language detection on {len(rows)} labelled texts ({len(short_rows)} under {SHORT} characters), "
          f"{len(counts)} languages; text only (no Telegram language_code, no country)\n")
    print(f"  {'language':<9}{'texts':>6}" + "".join(f"{name:>12}" for name in names))
    for name in names:
        for (_, truth), answer in zip(rows, results[name][0], strict=True):
            per_language[name][truth] += answer == truth
    for language in LANGUAGES:
        if not counts[language]:
            continue
        cells = "".join(f"{per_language[name][language] / counts[language]:>12.1%}" for name in names)
        print(f"  {language:<9}{counts[language]:>6}{cells}")

    def accuracy(name: str, indices: list[int]) -> float:
        answers = results[name][0]
        return sum(answers[i] == rows[i][1] for i in indices) / len(indices) if indices else 0.0

    everything = list(range(len(rows)))
    print(f"  {'overall':<9}{len(rows):>6}" + "".join(f"{accuracy(n, everything):>12.1%}" for n in names))
    print(f"  {'< 40 ch':<9}{len(short_rows):>6}" + "".join(f"{accuracy(n, short_rows):>12.1%}" for n in names))
    medians = {n: statistics.median(results[n][1]) * 1000 for n in names}
    p95 = {n: sorted(results[n][1])[int(0.95 * (len(rows) - 1))] * 1000 for n in names}
    print(f"\n  {'median ms per call':<27}" + "".join(f"{medians[n]:>12.3f}" for n in names))
    print(f"  {'p95 ms per call':<27}" + "".join(f"{p95[n]:>12.3f}" for n in names))
    memory = {n: measure_memory(n, args.data) for n in names}
    print(f"  {'memory (MiB, own process)':<27}" + "".join(f"{memory[n]:>12.1f}" for n in names))

    print("\n  most frequent confusions (truth → answer: count)")
    for name in names:
        confusions = Counter((truth, answer) for (_, truth), answer in zip(rows, results[name][0], strict=True)
                             if answer != truth)
        shown = ", ".join(f"{truth}→{answer}: {n}" for (truth, answer), n in confusions.most_common(8))
        print(f"  {name:<11}{shown or 'none'}")

    if "harmline" in results and "langdetect" in results:
        ours, overall, short = "harmline", accuracy("harmline", everything), accuracy("harmline", short_rows)
        others = [n for n in names if n != ours]
        ahead = all(overall > accuracy(n, everything) for n in others)
        speed = medians["langdetect"] / medians[ours]
        print(f"\n  goals: overall ≥ 95 %: {overall:.1%} {'met' if overall >= 0.95 else 'NOT met'}; "
              f"under 40 characters ≥ 90 %: {short:.1%} {'met' if short >= 0.90 else 'NOT met'}; "
              f"ahead of {', '.join(others)}: {'yes' if ahead else 'NO'}; "
              f"{speed:.1f}× faster than langdetect alone (median) — {'met' if speed >= 3 else 'NOT met'} (≥ 3×)")


if __name__ == "__main__":
    main()
