"""The shipped learned classifier (reports/learned.py): behaviour a moderator would notice, and the
held-out quality it reached (benchmarks/classify_eval.py prints the full figures and timing)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from reports.classify import Classification, KeywordClassifier
from reports.learned import WEIGHTS, LearnedClassifier
from reports.model import Category

EVAL = Path(__file__).resolve().parent / "data" / "classify_eval.jsonl"


@pytest.fixture(scope="module")
def classifier() -> LearnedClassifier:
    return LearnedClassifier()


def test_thai_gambling_promo_is_gambling_with_its_features_named(classifier: LearnedClassifier) -> None:
    result = classifier.classify("สมัครสมาชิกใหม่ รับเครดิตฟรี 100 สล็อตเว็บตรง บาคาร่า ฝากถอนออโต้ ไม่มีขั้นต่ำ")
    assert result.category is Category.ILLEGAL_GAMBLING
    assert result.scam_type is None
    assert 3 <= len(result.matched) <= 5
    assert all(term in result.reason for term in result.matched)
    assert any(term in "ฝากถอนเว็บตรงสล็อตเครดิตฟรีบาคาร่า" for term in result.matched)


def test_malay_otp_phishing_sms_is_a_phishing_scam(classifier: LearnedClassifier) -> None:
    result = classifier.classify(
        "Maybank: Akaun anda akan disekat. Sila sahkan dengan kod OTP di maybank2u-sahkan.com segera"
    )
    assert result.category is Category.SCAM
    assert result.scam_type == "phishing"
    assert 0.5 < result.confidence <= 1.0


def test_benign_singapore_chat_is_other(classifier: LearnedClassifier) -> None:
    for text in ("Eh later you want to go makan at the kopitiam? I reach around 7 lah", "Ok lor, see you tmr at bugis"):
        result = classifier.classify(text)
        assert result.category is Category.OTHER, result
        assert result.scam_type is None
        assert result.reason.startswith("other")


def test_weights_are_gzipped_json_not_pickle() -> None:
    raw = WEIGHTS.read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    data = json.loads(gzip.decompress(raw))
    assert data["format"] == "harmline-ngram-logreg/1"
    assert data["category"]["classes"] == ["scam", "illegal_gambling", "fraudulent_content", "other"]
    assert WEIGHTS.stat().st_size < 5_000_000


def test_keyword_baseline_still_builds_classifications() -> None:
    result = KeywordClassifier().classify("slot gacor maxwin")
    assert isinstance(result, Classification)
    assert result.scam_type is None and result.confidence == 1.0


def _macro_f1(gold: list[str], pred: list[str]) -> float:
    scores = []
    for c in sorted(set(gold)):
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def test_held_out_quality_does_not_regress(classifier: LearnedClassifier) -> None:
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = [r["category"] for r in rows]
    pred = [classifier.classify(r["text"]).category.value for r in rows]
    # Reached when shipped (CLASSIFIER.md): macro-F1 0.940 over all 824 held-out rows, every language's
    # macro-F1 ≥ 0.88 (small languages have only 26–28 rows, so one row moves them by 0.03–0.05),
    # other→scam 1.3 %.
    assert _macro_f1(gold, pred) >= 0.91
    for language in sorted({r["language"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["language"] == language]
        assert _macro_f1([gold[i] for i in idx], [pred[i] for i in idx]) >= 0.85, language
    others = [p for g, p in zip(gold, pred, strict=True) if g == "other"]
    assert sum(p == "scam" for p in others) / len(others) <= 0.04
    keyword = [KeywordClassifier().classify(r["text"]).category.value for r in rows]
    assert _macro_f1(gold, pred) > _macro_f1(gold, keyword) + 0.3
