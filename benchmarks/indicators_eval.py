"""Precision, recall and F1 per indicator type on tests/data/indicators_eval.jsonl, for harmline's
extractor and for a naive baseline (the first version: phonenumbers' matcher with the report's
country, plain URL and e-mail regexes), plus the median time per call. Asserts nothing.

    /tmp/venv/bin/python benchmarks/indicators_eval.py
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import phonenumbers

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harmline.reports.indicators import extract_indicators, refang  # noqa: E402

DATA = ROOT / "tests" / "data" / "indicators_eval.jsonl"
TYPES = ("phone", "url", "email", "bank_account", "ewallet", "crypto_wallet", "social_handle")

Pairs = set[tuple[str, str]]

_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"'()\[\]{}]+"
    r"|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|info|xyz|top|vip|asia|online|site|"
    r"club|shop|live|link|me|io|cc|co|my|id|th|vn|ph|sg|kh|la|mm|bn|tl)(?:/[^\s<>\"']*)?(?!\w)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


def baseline(text: str, country: str) -> Pairs:
    """harmline's first version: e-mails, URLs, then phonenumbers' matcher on what is left."""
    plain = refang(text)
    found: Pairs = {("email", e.lower()) for e in _EMAIL.findall(plain)}
    rest = _EMAIL.sub(" ", plain)
    found |= {("url", m.group(0).rstrip(".,;:!?)]}'\"")) for m in _URL.finditer(rest)}
    for number in phonenumbers.PhoneNumberMatcher(_URL.sub(" ", rest), country, leniency=phonenumbers.Leniency.VALID):
        found.add(("phone", phonenumbers.format_number(number.number, phonenumbers.PhoneNumberFormat.E164)))
    return found


def harmline(text: str, country: str) -> Pairs:
    return {(i.kind, i.value) for i in extract_indicators(text, country)}


def score(rows: list[dict[str, object]], extractor: Callable[[str, str], Pairs]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {t: Counter() for t in TYPES}
    for row in rows:
        expected = {(i["type"], i["value"]) for i in row["indicators"]}  # type: ignore[attr-defined]
        got = extractor(str(row["text"]), str(row["country"]))
        for kind in TYPES:
            e = {v for k, v in expected if k == kind}
            g = {v for k, v in got if k == kind}
            counts[kind].update(tp=len(e & g), fp=len(g - e), fn=len(e - g))
    return counts


def prf(c: Counter[str]) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def median_us(rows: list[dict[str, object]], extractor: Callable[[str, str], Pairs], rounds: int = 5) -> float:
    extractor("warm up 012-345 6789 https://a.com", "MY")
    times = []
    for _ in range(rounds):
        for row in rows:
            start = time.perf_counter()
            extractor(str(row["text"]), str(row["country"]))
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main() -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = {name: score(rows, fn) for name, fn in (("harmline", harmline), ("baseline", baseline))}
    print(f"{len(rows)} texts, {sum(len(r['indicators']) for r in rows)} labelled indicators")
    print(f"{'type':<14} {'n':>4} | {'harmline P':>10} {'R':>6} {'F1':>6} | {'baseline P':>10} {'R':>6} {'F1':>6}")
    for kind in TYPES:
        h, b = results["harmline"][kind], results["baseline"][kind]
        hp, hr, hf = prf(h)
        bp, br, bf = prf(b)
        print(f"{kind:<14} {h['tp'] + h['fn']:>4} | {hp:>10.3f} {hr:>6.3f} {hf:>6.3f} | "
              f"{bp:>10.3f} {br:>6.3f} {bf:>6.3f}")
    total = {name: sum(c.values(), Counter()) for name, c in results.items()}
    hp, hr, hf = prf(total["harmline"])
    bp, br, bf = prf(total["baseline"])
    print(f"{'all':<14} {total['harmline']['tp'] + total['harmline']['fn']:>4} | {hp:>10.3f} {hr:>6.3f} {hf:>6.3f} | "
          f"{bp:>10.3f} {br:>6.3f} {bf:>6.3f}")
    lengths = sorted(len(str(r["text"])) for r in rows)
    print(f"median text length {statistics.median(lengths):.0f} chars; median time per call: "
          f"harmline {median_us(rows, harmline):.0f} µs, baseline {median_us(rows, baseline):.0f} µs")
    if "-v" in sys.argv:
        for row in rows:
            expected = {(i["type"], i["value"]) for i in row["indicators"]}
            got = harmline(row["text"], row["country"])
            if expected != got:
                print(row["country"], row["text"], "\n   missed:", expected - got, "\n   extra:", got - expected)


if __name__ == "__main__":
    main()
