"""Which writing systems a piece of recognised text is in, by Unicode block."""

from __future__ import annotations

from collections import Counter

# Unicode blocks of the scripts harmline reads (start, end inclusive, script name).
_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "Latin"),
    (0x1E00, 0x1EFF, "Latin"),  # Latin Extended Additional: Vietnamese ạ ả ấ …
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Lao"),
    (0x1000, 0x109F, "Myanmar"),
    (0xAA60, 0xAA7F, "Myanmar"),
    (0x1780, 0x17FF, "Khmer"),
    (0x19E0, 0x19FF, "Khmer"),
    (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"),
    (0xF900, 0xFAFF, "Han"),
)

# Letters only Vietnamese among harmline's Latin-script languages writes.
VIETNAMESE_LETTERS = frozenset("ăâđêôơưĂÂĐÊÔƠƯ" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA)))


def script_of(character: str) -> str | None:
    code = ord(character)
    for start, end, script in _BLOCKS:
        if start <= code <= end:
            return script if character.isalpha() or script != "Latin" else None
    return None


def script_shares(text: str) -> list[tuple[str, float]]:
    """The scripts of ``text``'s letters with their share, largest first."""
    counts = Counter(script for script in map(script_of, text) if script is not None)
    total = sum(counts.values())
    return [(script, count / total) for script, count in counts.most_common()] if total else []
