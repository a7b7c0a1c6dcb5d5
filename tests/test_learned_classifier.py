"""The shipped learned classifier (reports/learned.py): behaviour a moderator would notice, and the
held-out quality it reached (benchmarks/classify_eval.py prints the full figures and timing)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from harmline.reports.classify import Classification, KeywordClassifier
from harmline.reports.cues import DECORATIONS, fold
from harmline.reports.learned import WEIGHTS, LearnedClassifier, normalise
from harmline.reports.model import Category
from harmline.reports.train_classifier import macro_f1

EVAL = Path(__file__).resolve().parent / "data" / "classify_eval.jsonl"


@pytest.fixture(scope="module")
def classifier() -> LearnedClassifier:
    return LearnedClassifier()


def _words_are_the_citizens(result: Classification, text: str) -> None:
    """Every word named as a reason is the citizen's own (whole words, never character n-grams;
    styled letters such as 𝘯 read as plain ones)."""
    assert result.explanation is not None
    for word in result.explanation.words:
        readings = (fold(text), fold(text).translate(DECORATIONS), fold(normalise(text)))
        assert any(fold(word) in reading for reading in readings), (word, text)
        assert word in result.reason


def test_thai_gambling_promo_is_gambling_and_says_why(classifier: LearnedClassifier) -> None:
    text = "สมัครสมาชิกใหม่ รับเครดิตฟรี 100 สล็อตเว็บตรง บาคาร่า ฝากถอนออโต้ ไม่มีขั้นต่ำ"
    result = classifier.classify(text)
    assert result.category is Category.ILLEGAL_GAMBLING
    assert result.scam_type is None
    assert result.explanation is not None and "gambling" in result.explanation.cues
    assert "gambling words (slots, casino, betting)" in result.reason
    _words_are_the_citizens(result, text)
    assert {"สล็อต", "เครดิตฟรี"} & set(result.explanation.words)


def test_malay_otp_phishing_sms_is_a_phishing_scam(classifier: LearnedClassifier) -> None:
    result = classifier.classify(
        "Maybank: Akaun anda akan disekat. Sila sahkan dengan kod TAC di maybank2u-sahkan.com segera"
    )
    assert result.category is Category.SCAM
    assert result.scam_type == "phishing"
    assert 0.5 < result.confidence <= 1.0


@pytest.mark.parametrize("text", [
    "Eh later you want to go makan at the kopitiam? I reach around 7 lah",
    "Ok lor, see you tmr at bugis",
    "gw ga ena bgt sih makanannya tadi wkwk",  # casual Indonesian: not gambling because of "ga", "ena"
    "wkwk anjir mager bgt gw, nanti aja main bola nya ya",
])
def test_casual_chat_is_other(classifier: LearnedClassifier, text: str) -> None:
    result = classifier.classify(text)
    assert result.category is Category.OTHER, result
    assert result.scam_type is None
    assert result.reason.startswith("other")


@pytest.mark.parametrize("text", [
    # Promotions and notices carry links; the link alone does not make them scams.
    "[Telkomsel] Kuota 30GB cuma Rp60rb/30hr! Aktifkan di tsel.me/k30 atau *363#. UNREG ketik UNREG INFO kirim ke 777",
    "GrabFood: Diskaun 50% hari ini sahaja! Guna kod MAKAN50. grab.onelink.me/abc",
    "Kominfo: Waspada penipuan! Jangan pernah berikan kode OTP kepada siapa pun. Laporkan di aduannomor.id",
    "AIS: เน็ตไม่อั้น 30 วัน 199 บาท สมัครกด *777*71# หรือ ais.th/n199 ยกเลิกรับข่าวสาร *137",
])
def test_genuine_promos_and_warnings_with_links_are_not_flagged(classifier: LearnedClassifier, text: str) -> None:
    result = classifier.classify(text)
    assert result.category is Category.OTHER, result.reason


@pytest.mark.parametrize(("text", "cue"), [
    ("Ma, ini nomor baru aku. Tolong transfer 2jt ke rek BCA 1234567890 skrg ya, penting banget", "asks_money"),
    ("Pinjaman dana cair 5 menit tanpa agunan, bunga rendah. Hubungi WA 0812-5555-1234", "offers_loan"),
    ("Selamat! Nomor Anda memenangkan hadiah Rp100jt dari undian Shopee. Hubungi 0812-5555-9999", "promises_prize"),
    ("Anh ơi em bị tai nạn đang ở bệnh viện, chuyển khoản gấp cho em 5 triệu vào số tài khoản 0123456789",
     "asks_money"),
])
def test_scams_without_a_link_are_caught_by_what_they_ask(classifier: LearnedClassifier, text: str,
                                                          cue: str) -> None:
    result = classifier.classify(text)
    assert result.category is Category.SCAM, result.reason
    assert result.explanation is not None and cue in result.explanation.cues
    assert "link" not in result.explanation.cues
    _words_are_the_citizens(result, text)


@pytest.mark.parametrize("text", [
    "Nạp đầu tặng 100%, nổ hũ tài xỉu uy tín, rút tiền 5 phút",
    "FREE 100 bonus! Register sa JILI777, daily rebate, GCash cash-in",
    "แจกเครดิตฟรี 50 เว็บใหม่ฝาก-ถอน 1 วิ สมาชิกใหม่รับ 60% bit.ly/3xyz",
])
def test_gambling_promotions_are_gambling_not_scams(classifier: LearnedClassifier, text: str) -> None:
    assert classifier.classify(text).category is Category.ILLEGAL_GAMBLING


def test_reasons_never_show_character_fragments(classifier: LearnedClassifier) -> None:
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        result = classifier.classify(row["text"])
        _words_are_the_citizens(result, row["text"])
        for word in result.explanation.words if result.explanation else ():
            assert word.lower() not in {"com", "bit", "anda", "yang", "the", "sap", "aya"}, word


def test_an_unsure_call_is_marked_uncertain_and_an_unsure_type_is_other_scam(
        classifier: LearnedClassifier) -> None:
    results = [classifier.classify(text) for text in (
        "hello", "pls call me back", "https://example.com", "Your parcel is waiting",
        "Sir kindly check", "Aku mau tanya soal akun")]
    for result in results:
        assert result.explanation is not None
        assert result.explanation.uncertain == (result.confidence < classifier.confident_at)
        if result.explanation.uncertain:
            assert "uncertain" in result.reason
    assert any(r.explanation and r.explanation.uncertain for r in results)


def _payload(type_bias: list[float]) -> dict[str, object]:
    """A two-feature model: "hadiah" means scam; the scam type only leans as ``type_bias`` says."""
    return {
        "format": "harmline-cue-logreg/2",
        "category": {"classes": ["scam", "illegal_gambling", "fraudulent_content", "other"],
                     "bias": [0.0, 0.0, 0.0, 1.0], "weights": {"w:hadiah": [40.0, 0.0, 0.0, -40.0]},
                     "temperature": 1.0, "confident_at": 0.6},
        "scam_type": {"classes": ["prize", "loan", "other"], "bias": type_bias, "weights": {},
                      "temperature": 1.0, "confident_at": 0.5},
    }


def test_the_scam_type_is_asserted_only_when_the_type_model_is_sure() -> None:
    sure = LearnedClassifier(_payload([3.0, 0.0, 0.0])).classify("hadiah")
    assert sure.category is Category.SCAM and sure.scam_type == "prize"
    unsure = LearnedClassifier(_payload([0.3, 0.2, 0.0])).classify("hadiah")  # prize at about 38 %
    assert unsure.category is Category.SCAM and unsure.scam_type == "other"
    assert "scam/other" in unsure.reason
    assert set(sure.explanation.words if sure.explanation else ()) == {"hadiah"}


def test_weights_are_gzipped_json_not_pickle() -> None:
    raw = WEIGHTS.read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    data = json.loads(gzip.decompress(raw))
    assert data["format"] == "harmline-cue-logreg/2"
    assert data["category"]["classes"] == ["scam", "illegal_gambling", "fraudulent_content", "other"]
    assert 0.2 < data["category"]["temperature"] < 5
    assert WEIGHTS.stat().st_size < 5_000_000


def test_keyword_baseline_still_builds_classifications() -> None:
    result = KeywordClassifier().classify("slot gacor maxwin")
    assert isinstance(result, Classification)
    assert result.scam_type is None and result.confidence == 1.0


def test_held_out_quality_does_not_regress(classifier: LearnedClassifier) -> None:
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = [r["category"] for r in rows]
    pred = [classifier.classify(r["text"]).category.value for r in rows]
    # Reached when shipped (issue 12): macro-F1 0.911 over the 1,571 held-out rows. They include 320 hard
    # project-written rows (promos and notices with links, warnings, chat) and 477 written later by
    # other hands (th, fil, id and en messages; one-time-code scams and genuine code messages in 13
    # languages; on those alone 0.81), which is why the figure fell from 0.931 before them. Every
    # language's macro-F1 ≥ 0.75 (fil lowest: few fraudulent-content rows, rule-made gambling/scam
    # labels); other→scam 5.5 %.
    assert macro_f1(gold, pred) >= 0.89
    for language in sorted({r["language"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["language"] == language]
        assert macro_f1([gold[i] for i in idx], [pred[i] for i in idx]) >= 0.74, language
    others = [p for g, p in zip(gold, pred, strict=True) if g == "other"]
    assert sum(p == "scam" for p in others) / len(others) <= 0.065
    keyword = [KeywordClassifier().classify(r["text"]).category.value for r in rows]
    assert macro_f1(gold, pred) > macro_f1(gold, keyword) + 0.3
