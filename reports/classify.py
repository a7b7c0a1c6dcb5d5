"""First-version classification: weighted keyword lexicons, explainable by the terms matched.

A later, measured classifier replaces :class:`KeywordClassifier` behind the same
:class:`Classifier` interface.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from harmline.reports.model import Category, Explanation

# Terms per category in the region's languages. Latin-script terms match whole words;
# Thai has no spaces between words, so its terms match anywhere.
_LEXICON: dict[Category, tuple[str, ...]] = {
    Category.ILLEGAL_GAMBLING: (
        # en
        "casino", "online casino", "slot", "slots", "jackpot", "betting", "bet now", "free credit",
        "sportsbook", "baccarat", "deposit bonus", "togel", "judi", "judi online", "slot gacor",
        "maxwin", "situs", "scatter", "rtp", "bandar", "taruhan", "deposit", "wd",
        # ms
        "perjudian", "kasino", "loteri haram", "ekor", "4d",
        # th
        "บาคาร่า", "คาสิโน", "สล็อต", "แทงบอล", "เว็บพนัน", "พนัน", "เครดิตฟรี", "หวยออนไลน์",
        # vi
        "cá độ", "cờ bạc", "nhà cái", "đánh bạc", "tài xỉu", "nổ hũ", "lô đề",
        # fil
        "sugal", "online sabong", "e-sabong", "jueteng",
    ),
    Category.SCAM: (
        # en
        "otp", "verify your account", "account suspended", "account blocked", "click the link", "phishing",
        "suspended", "is blocked", "log in at", "login at", "verify now",
        "won a prize", "you have won", "congratulations", "claim your", "investment", "guaranteed return",
        "profit", "part time job", "part-time", "task", "commission", "loan", "transfer", "pay a fee",
        "processing fee", "parcel", "customs", "police", "arrest", "bank negara", "crypto", "usdt",
        "scam", "scammed", "fraud", "cheated", "money mule", "refund",
        # ms
        "tipu", "kena tipu", "penipuan", "menang", "hadiah", "tahniah", "pinjaman", "pelaburan",
        "kerja sambilan", "akaun anda", "disekat", "bayaran", "wang", "polis", "mahkamah", "scammer",
        # id
        "penipu", "ditipu", "penipuan online", "pinjol", "pinjaman online", "investasi", "hadiah",
        "selamat anda", "rekening", "kode otp", "kurir", "paket", "undian", "transfer dulu",
        # th
        "โอนเงิน", "หลอกลวง", "มิจฉาชีพ", "โดนหลอก", "ได้รับรางวัล", "เงินกู้", "ลงทุน", "ผลตอบแทน",
        "บัญชีของคุณ", "ถูกระงับ", "คลิกลิงก์", "พัสดุ", "ตำรวจ", "รหัส otp", "งานออนไลน์",
        # vi
        "lừa đảo", "bị lừa", "chuyển khoản", "trúng thưởng", "vay tiền", "đầu tư", "lợi nhuận",
        "tài khoản của bạn", "bị khóa", "công an", "việc làm online", "nhiệm vụ", "hoa hồng",
        # fil
        "scam po", "naloko", "panloloko", "nanalo", "premyo", "pautang", "i-click",
    ),
    Category.FRAUDULENT_CONTENT: (
        # en
        "fake news", "hoax", "deepfake", "miracle cure", "fake product", "counterfeit", "fake page",
        "impersonating", "fake account", "misleading", "viral", "doctored",
        # ms
        "berita palsu", "palsu", "akaun palsu", "penyamaran",
        # id
        "hoaks", "berita bohong", "akun palsu", "obat ajaib",
        # th
        "ข่าวปลอม", "บัญชีปลอม", "สินค้าปลอม", "เพจปลอม",
        # vi
        "tin giả", "hàng giả", "tài khoản giả", "trang giả mạo",
        # fil
        "pekeng balita", "peke",
    ),
}
# Gambling promotions are rarely mistaken for anything else, and fraud vocabulary
# ("transfer", "deposit") turns up in gambling ads: prefer the more specific category on a tie.
_PRIORITY = (Category.ILLEGAL_GAMBLING, Category.SCAM, Category.FRAUDULENT_CONTENT)


@dataclass(frozen=True)
class Classification:
    category: Category
    reason: str  # shown to moderators: why this category
    matched: tuple[str, ...] = ()
    # For scams: phishing, investment, job, romance, shopping, impersonation, loan, prize or other.
    scam_type: str | None = None
    confidence: float = 1.0  # the learned classifier's probability for `category`; 1.0 from the keyword rules
    explanation: Explanation | None = None  # the learned classifier's cues and words (rendered per language)


class Classifier(Protocol):
    def classify(self, text: str) -> Classification: ...


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first, so "judi online" is reported rather than "judi".
    alternatives = sorted({t.lower() for t in terms}, key=len, reverse=True)
    # One pair of word-boundary lookarounds around all Latin terms, not one per term: 10× faster.
    words = "|".join(re.escape(t) for t in alternatives if t.isascii())
    anywhere = "|".join(re.escape(t) for t in alternatives if not t.isascii())
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)" + (f"|{anywhere}" if anywhere else ""))


class KeywordClassifier:
    def __init__(self) -> None:
        self._patterns = {category: _pattern(terms) for category, terms in _LEXICON.items()}

    def classify(self, text: str) -> Classification:
        lowered = text.lower()
        best: tuple[int, Category, tuple[str, ...]] | None = None
        for category in _PRIORITY:
            found = tuple(dict.fromkeys(self._patterns[category].findall(lowered)))
            if found and (best is None or len(found) > best[0]):
                best = (len(found), category, found)
        if best is None:
            return Classification(Category.OTHER, "no known scam, gambling or fraud terms")
        _, category, found = best
        shown = ", ".join(f"“{term}”" for term in found[:5])
        return Classification(category, f"matched {shown}", found)
