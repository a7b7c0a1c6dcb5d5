"""Reading screenshots: how much of what a citizen would have typed survives as a screenshot.

    python benchmarks/ocr_eval.py [--screens tests/data/screens] [--limit N]

On the labelled screenshot set (tests/data/screens: chat, SMS and social-post screens in 13
languages, light and dark, downscaled and JPEG-compressed as Telegram delivers photos; photos of
screens; QR posters), per language:

* CER: character error rate of the rendered message against the best-matching stretch of what
  was read (the screen's own clutter — names, times, buttons — is not counted), whitespace removed
  (Thai, Lao, Khmer, Burmese and Chinese write none between words);
* indicators: of the numbers, links and accounts harmline extracts from the typed text, the share
  also extracted from the image (text and QR codes) — the "ratio to typed" the issue asks for;
* category: the classifier's category on what was read equals its category on the typed text;
* language: the detector on what was read gives the labelled language;
* seconds per image on one core (p50, p95) and the process's peak memory.

In the same run, the baseline: Tesseract with the English model alone (what an OCR set up without
script selection reads). Asserts nothing. The texts were written by the project (67) or come from
public datasets (11); the images were rendered by benchmarks/screens/render.py, not photographed:
real phone screenshots would be harder, so these figures are optimistic.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harmline.ocr import ImageReading, ScreenshotReader  # noqa: E402
from harmline.ocr.engine import Engine  # noqa: E402
from harmline.ocr.image import for_text, load  # noqa: E402
from harmline.ocr.models import MODELS, installed  # noqa: E402
from harmline.reports.indicators import extract_indicators, indicators_read  # noqa: E402
from harmline.reports.language import LayeredLanguageDetector  # noqa: E402
from harmline.reports.learned import LearnedClassifier  # noqa: E402
from harmline.routing import home_country  # noqa: E402

# The goal groups: Latin script, Thai, Chinese; then the rest.
_SCRIPTS = {"Latin": ("en", "ms", "id", "fil", "tet", "pt", "vi"), "Thai": ("th",), "Chin.": ("zh",),
            "other": ("ta", "km", "lo", "my")}
# A country for each language whose home country is shared (numbers are read in its plan).
_COUNTRY = {"en": "SG", "ms": "MY", "zh": "SG", "ta": "MY", "pt": "TL", "tet": "TL"}


def squeeze(text: str) -> str:
    return "".join(text.split())


def substring_distance(needle: str, haystack: str) -> int:
    """Edit distance between ``needle`` and its best-matching substring of ``haystack``
    (semi-global alignment: skipping haystack text before and after costs nothing)."""
    previous = [0] * (len(haystack) + 1)
    for i, wanted in enumerate(needle, start=1):
        current = [i] + [0] * len(haystack)
        for j, seen in enumerate(haystack, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (wanted != seen))
        previous = current
    return min(previous)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline_read(engine: Engine, data: bytes) -> ImageReading:
    recognition = engine.recognise(for_text(load(data, 40_000_000)), "eng")
    return ImageReading(recognition.text, recognition.confidence, "eng")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--screens", type=Path, default=ROOT / "tests" / "data" / "screens")
    parser.add_argument("--limit", type=int, default=0, help="only the first N images (a quick look)")
    args = parser.parse_args()
    rows = [json.loads(line) for line in (args.screens / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = rows[: args.limit] if args.limit else rows
    detector, classifier = LayeredLanguageDetector(), LearnedClassifier()
    before = rss_mb()
    reader = ScreenshotReader(sorted(installed()), max_pixels=40_000_000)
    baseline = Engine()
    stats: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    senders: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        language, text = row["language"], row["text"]
        country = _COUNTRY.get(language) or home_country(language) or "SG"
        data = (args.screens / row["file"]).read_bytes()
        started = time.perf_counter()
        # What the bot knows of a screenshot-only report: the citizen's Telegram language and country.
        reading = reader.read(data, [language], country)
        seconds = time.perf_counter() - started
        plain = baseline_read(baseline, data)
        group = stats["qr" if row["style"] == "qr" else language]
        group["seconds"].append(seconds)
        if row["qr"]:
            group["qr decoded"].append(float(row["qr"] in reading.codes))
        typed = {(i.kind, i.value) for i in extract_indicators(text, country)}
        if row["qr"]:
            typed |= {(i.kind, i.value) for i in extract_indicators(row["qr"], country)} or {("qr_code", row["qr"])}
        for name, result in (("", reading), ("eng ", plain)):
            wanted = squeeze(text)
            group[name + "cer"].append(substring_distance(wanted, squeeze(result.text)) / max(len(wanted), 1))
            got = {(i.kind, i.value) for i in indicators_read(result.text, result.codes, country)}
            group[name + "found"].append(len(typed & got))
            group[name + "typed"].append(len(typed))
            # The number in a chat's header (who sent it) is evidence too, though not the message's.
            shown = {(i.kind, i.value) for i in extract_indicators("\n".join(row["chrome"] or []), country)}
            senders[name + "found"].append(len(shown & got))
            senders[name + "typed"].append(len(shown))
            group[name + "category"].append(float(
                classifier.classify(result.text).category == classifier.classify(text).category))
        group["language"].append(float(detector.detect(reading.text, None, country).language == language))
    after = rss_mb()
    print(f"{len(rows)} images from {args.screens}; models: {', '.join(sorted(set(MODELS.values())))}\n")
    header = (f"{'lang':5} {'n':>3} {'CER':>6} {'eng CER':>8} {'ind/typed':>12} {'eng ind':>12} {'category':>9} "
              f"{'eng cat':>8} {'language':>9} {'p50 s':>6} {'p95 s':>6}")
    print(header)
    print("-" * len(header))
    everything: dict[str, list[float]] = defaultdict(list)
    for name, group in sorted(stats.items()):
        for key, values in group.items():
            everything[key] += values
        print(line(name, group))
    print("-" * len(header))
    for script, languages in _SCRIPTS.items():
        pooled: dict[str, list[float]] = defaultdict(list)
        for language in languages:
            for key, values in stats.get(language, {}).items():
                pooled[key] += values
        if pooled:
            print(line(script, pooled))
    print(line("all", everything))
    print(f"\nnumbers and links in the screens' headers (the sender): {sum(senders['found']):.0f} of "
          f"{sum(senders['typed']):.0f} read (baseline {sum(senders['eng found']):.0f})")
    qr = stats.get("qr", {}).get("qr decoded", [])
    if qr:
        print(f"\nQR codes decoded exactly: {sum(qr):.0f} of {len(qr)}")
    print(f"\npeak memory: {before:.0f} MB before the OCR engines, {after:.0f} MB after reading every image "
          f"(+{after - before:.0f} MB: the models of every script loaded in one thread, plus the baseline's)")
    print("ind/typed: of the indicators extracted from the typed text (and a QR poster's encoded string), the "
          "share also extracted from the image, pooled; eng: the baseline (English model only) in the same run.")


def line(name: str, group: dict[str, list[float]]) -> str:
    def mean(key: str) -> str:
        values = group.get(key, [])
        return f"{statistics.fmean(values):.2f}" if values else "—"

    def share(prefix: str) -> str:
        found, typed = sum(group.get(prefix + "found", [])), sum(group.get(prefix + "typed", []))
        return f"{found / typed:.2f} {found:.0f}/{typed:.0f}" if typed else "—"

    seconds = sorted(group["seconds"])
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    return (f"{name:5} {len(seconds):>3} {mean('cer'):>6} {mean('eng cer'):>8} {share(''):>12} "
            f"{share('eng '):>12} {mean('category'):>9} {mean('eng category'):>8} {mean('language'):>9} "
            f"{statistics.median(seconds):>6.2f} {p95:>6.2f}")


if __name__ == "__main__":
    main()
