"""Which Tesseract model reads which of harmline's languages, and which to read an image with.

A screenshot carries no language tag, and Tesseract reads a script well only with that script's
model loaded; with the wrong one it returns confident nonsense (a Thai line through the Malay
model reads "guaag atulasusw"). So an image is read in two steps: a quick *probe* with every
enabled script's model at once tells which script the image is in, then the image is read again
with that script's own model — for Latin script, the model of the language the report makes
likely (what the citizen wrote, the country's languages). Every model but English is paired with
English, because scam screenshots in any script carry Latin links, handles and digits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from harmline.ocr.scripts import VIETNAMESE_LETTERS, script_shares

TESSDATA = Path(__file__).parent / "tessdata"

# harmline language -> Tesseract model (tessdata_fast names). Tetum is written with the
# Portuguese alphabet (ç, ã, é), which the Portuguese model knows and the English one does not.
MODELS: dict[str, str] = {
    "en": "eng",
    "ms": "msa",
    "id": "ind",
    "fil": "fil",
    "tet": "por",
    "pt": "por",
    "vi": "vie",
    "th": "tha",
    "zh": "chi_sim",
    "ta": "tam",
    "km": "khm",
    "lo": "lao",
    "my": "mya",
}

# The language of each non-Latin script harmline reads.
SCRIPT_LANGUAGE: dict[str, str] = {
    "Thai": "th", "Lao": "lo", "Khmer": "km", "Myanmar": "my", "Tamil": "ta", "Han": "zh",
}
# Scripts whose letters look alike enough that the probe mistakes one for the other.
_LOOK_ALIKE: dict[str, str] = {"Thai": "Lao", "Lao": "Thai"}
MODELS_LATIN = frozenset(language for language in MODELS if language not in SCRIPT_LANGUAGE.values())
# A script must have at least this share of the probe's letters to be read with its own model.
_MIN_SHARE = 0.2

# What people in each country write, most common first: the Latin-script language to read with
# when the citizen's own language says nothing (a Thai-speaking citizen's English screenshot).
WRITTEN_IN: dict[str, tuple[str, ...]] = {
    "BN": ("ms", "en", "zh"),
    "KH": ("km", "en"),
    "ID": ("id", "en"),
    "LA": ("lo", "th", "en"),
    "MY": ("ms", "en", "zh", "ta"),
    "MM": ("my", "en"),
    "PH": ("fil", "en"),
    "SG": ("en", "zh", "ms", "ta"),
    "TH": ("th", "en"),
    "TL": ("tet", "pt", "id", "en"),
    "VN": ("vi", "en"),
}


def model_set(language: str) -> str:
    """Tesseract's language string for ``language``: its model, with English beside it."""
    model = MODELS[language]
    return model if model == "eng" else f"{model}+eng"


def probe_set(enabled: Collection[str]) -> str | None:
    """Every enabled non-Latin script's model after English, for telling scripts apart; None if
    the deployment reads only Latin script (nothing to tell apart)."""
    models = sorted({MODELS[language] for language in SCRIPT_LANGUAGE.values() if language in enabled})
    return "+".join(["eng", *models]) if models else None


def reading_sets(probe_text: str | None, hints: Sequence[str | None], country: str | None,
                 enabled: Collection[str]) -> list[str]:
    """The model sets to read the image with (the most confident reading wins): for each script the
    probe found, its model, and for Latin script the likeliest Latin language's. Where the report
    makes one of the non-Latin scripts found (or a look-alike of one) likely, only that one: a
    wrong script's model can be more confident than the right one (Lao letters read as Thai)."""
    likely = [language for language in (*hints, *WRITTEN_IN.get(country or "", ()))
              if language is not None and language in enabled]
    shares = script_shares(probe_text) if probe_text is not None else [("Latin", 1.0)]
    scripts = [script for script, share in shares if share >= _MIN_SHARE]
    found = [SCRIPT_LANGUAGE[candidate] for script in scripts if script != "Latin"
             for candidate in (script, _LOOK_ALIKE.get(script)) if candidate]
    found = [language for language in dict.fromkeys(found) if language in enabled]
    chosen = next(([language] for language in likely if language in found), found)
    # The citizen's own non-Latin language is read too when the probe missed it (a Chinese post
    # whose big Latin link preview outweighed the Chinese words): the more confident reading wins.
    hinted = next((language for language in hints if language in SCRIPT_LANGUAGE.values() and language in enabled),
                  None)
    if hinted is not None and hinted not in chosen and not found:
        chosen = [*chosen, hinted]
    if "Latin" in scripts or not chosen:
        chosen = [*chosen, _latin_language(probe_text or "", likely, enabled)]
    return [model_set(language) for language in chosen]


def _latin_language(text: str, likely: Iterable[str], enabled: Collection[str]) -> str:
    if "vi" in enabled and any(character in VIETNAMESE_LETTERS for character in text):
        return "vi"
    return next((language for language in likely if language in MODELS_LATIN), "en")


def installed() -> set[str]:
    """The harmline languages whose model is present (a trimmed install may lack some)."""
    present = {path.name.removesuffix(".traineddata") for path in TESSDATA.glob("*.traineddata")}
    return {language for language, model in MODELS.items() if model in present and "eng" in present}
