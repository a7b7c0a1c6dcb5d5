"""`harmline analyze` throughput: lines per second through the real command on one core.

Feeds N JSON lines (the labelled texts of tests/data/language_eval.jsonl, repeated, half with a
country) to ``python -m harmline analyze`` in a subprocess pinned to one CPU, and in the same run
measures a floor: a subprocess that only reads, parses and writes the same JSON lines. Then the
time of each step per line, in-process. Start-up (imports, loading the models) is timed apart.

    python benchmarks/analyze_throughput.py [--lines 20000]

Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOAL = 2000
FLOOR = ("import json, sys\n"
         "for line in sys.stdin:\n"
         "    item = json.loads(line)\n"
         "    out = {'text': item['text'], 'n': len(item['text'])}\n"
         "    sys.stdout.write(json.dumps(out, ensure_ascii=False) + '\\n')\n")


def make_input(path: Path, lines: int) -> None:
    texts = [json.loads(line)["text"] for line in (ROOT / "tests" / "data" / "language_eval.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    countries = ["MY", "ID", "TH", "VN", "PH", "KH", "LA", "MM", "TL", "SG", "BN"]
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            item: dict[str, str] = {"text": texts[i % len(texts)]}
            if i % 2:
                item["country"] = countries[i % len(countries)]
            out.write(json.dumps(item, ensure_ascii=False) + "\n")


def pin() -> None:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def timed_run(command: list[str], source: Path) -> float:
    with source.open("rb") as stdin:
        start = time.perf_counter()
        subprocess.run(command, stdin=stdin, stdout=subprocess.DEVNULL, check=False, preexec_fn=pin)
        return time.perf_counter() - start


def in_process_breakdown(source: Path, sample: int = 3000) -> dict[str, float]:
    from harmline.bot import build_reading
    from harmline.reports.indicators import extract_indicators

    detector, classifier = build_reading()
    items = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()[:sample]]
    steps = {
        "parse JSON": lambda item: json.loads(json.dumps(item)),
        "language": lambda item: detector.detect(item["text"], None, item.get("country")),
        "classification": lambda item: classifier.classify(item["text"]),
        "indicators": lambda item: extract_indicators(item["text"], item.get("country") or "ZZ"),
    }
    result = {}
    for name, step in steps.items():
        times = []
        for item in items:
            start = time.perf_counter()
            step(item)
            times.append(time.perf_counter() - start)
        result[name] = statistics.mean(times) * 1e6
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--lines", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="harmline-analyze-") as tmp:
        source, empty = Path(tmp) / "input.jsonl", Path(tmp) / "empty.jsonl"
        make_input(source, args.lines)
        empty.write_text("", encoding="utf-8")
        analyze = [sys.executable, "-m", "harmline", "analyze"]
        startup = min(timed_run(analyze, empty) for _ in range(3))
        total = timed_run(analyze, source)
        floor = timed_run([sys.executable, "-c", FLOOR], source)
        rate = args.lines / (total - startup)
        floor_rate = args.lines / floor
        print(f"harmline analyze: {args.lines:,} JSON lines (13 languages, half with a country), one pinned CPU\n")
        print(f"  start-up (imports, models), empty input   {startup:8.2f} s")
        print(f"  harmline analyze, after start-up          {rate:8,.0f} lines/s   ({total:.2f} s in all)")
        print(f"  floor: read, parse and write the lines    {floor_rate:8,.0f} lines/s")
        print(f"  harmline / floor                          {rate / floor_rate:8.1%}")
        print(f"\n  goal ≥ {GOAL:,} lines/s on one core: {'met' if rate >= GOAL else 'NOT met'}")
        print("\n  mean µs per line, in-process:")
        for name, micros in in_process_breakdown(source).items():
            print(f"    {name:<16}{micros:8.1f}")


if __name__ == "__main__":
    main()
