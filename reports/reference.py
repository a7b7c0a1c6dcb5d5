"""Report references: ``MY-7KQ4XP2D``. Random, unguessable, easy to read aloud or type."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L, or U/V pairs that people confuse on a small screen or over the phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LENGTH = 8  # 29**8 ≈ 5e11 values: guessing someone else's reference is hopeless

REFERENCE_PATTERN = re.compile(rf"^[A-Z]{{2}}-[{ALPHABET}]{{{LENGTH}}}$")


def new_reference(country: str) -> str:
    return f"{country}-" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_reference(text: str) -> str | None:
    """Accept what a citizen types (``my-7kq4 xp2d``); return the canonical form or None."""
    compact = re.sub(r"[\s_]", "", text.strip().upper())
    if len(compact) == 2 + LENGTH and "-" not in compact:
        compact = f"{compact[:2]}-{compact[2:]}"
    return compact if REFERENCE_PATTERN.match(compact) else None
