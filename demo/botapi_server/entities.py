"""Telegram's HTML ``parse_mode``: validation and conversion to plain text + MessageEntity dicts.

Why this exists: the real Bot API rejects a whole message when its HTML is not the small
dialect Telegram understands, and bots that interpolate user input (scam URLs, names with
``<`` or ``&``) without escaping break only in production.  This parser follows the Bot API
"HTML style" rules (modelled on tdlib's ``parse_html``) so those bugs fail the tests instead.

Deliberate strictness: a bare ``&`` that does not start a valid entity is an error here
(real Telegram keeps it literally), because unescaped ``&`` is always a latent escaping bug.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["EntityParseError", "parse_html", "strip_html", "utf16_len"]

# tag -> MessageEntity type (span / a / pre / blockquote / tg-emoji get refined below)
_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#[xX]([0-9a-fA-F]{1,8})|#([0-9]{1,10})|([a-zA-Z]+));")
_NAME_RE = re.compile(r"[a-zA-Z0-9-]*")
_ATTR_NAME_RE = re.compile(r"[a-zA-Z0-9_-]*")
_UNQUOTED_RE = re.compile(r"[^\s>]*")


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; ``str(exc)`` is the part after "can't parse entities: "."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of MessageEntity offset/length."""
    return len(text.encode("utf-16-le")) // 2


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the character entity starting at ``text[pos] == '&'``; None if it is not valid."""
    m = _ENTITY_RE.match(text, pos)
    if m is None:
        return None
    hex_code, dec_code, name = m.groups()
    if name is not None:
        char = _NAMED.get(name)
        return (char, m.end()) if char is not None else None
    code = int(hex_code, 16) if hex_code is not None else int(dec_code)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), m.end()


def _unescape(text: str) -> str:
    """Decode the valid entities in ``text`` and keep anything else literally."""
    return re.sub(r"&[^;&\s]*;", lambda m: (_decode_entity(m.group(), 0) or (m.group(), 0))[0], text)


class _Parser:
    """Single-pass scanner producing (plain text, entities); raises EntityParseError."""

    def __init__(self, html: str) -> None:
        self.src = html
        self.pos = 0
        self.out: list[str] = []
        self.offset = 0  # UTF-16 length of ``out``
        self.stack: list[tuple[str, dict[str, str], int]] = []  # (tag, attrs, start offset)
        self.entities: list[dict[str, Any]] = []

    def byte_offset(self, pos: int) -> int:
        return len(self.src[:pos].encode("utf-8"))

    def emit(self, chars: str) -> None:
        self.out.append(chars)
        self.offset += utf16_len(chars)

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        src = self.src
        while self.pos < len(src):
            char = src[self.pos]
            if char == "&":
                decoded = _decode_entity(src, self.pos)
                if decoded is None:
                    raise EntityParseError(
                        f'Character "&" at byte offset {self.byte_offset(self.pos)} must be escaped as &amp;'
                    )
                self.emit(decoded[0])
                self.pos = decoded[1]
            elif char != "<":
                self.emit(char)
                self.pos += 1
            elif src.startswith("</", self.pos):
                self.end_tag()
            else:
                self.start_tag()
        if self.stack:
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1][0]}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def start_tag(self) -> None:
        start = self.pos
        name_match = _NAME_RE.match(self.src, start + 1)
        assert name_match is not None
        name = name_match.group().lower()
        if name not in _TAGS:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {self.byte_offset(start)}')
        self.pos = name_match.end()
        attrs = self.attributes(start)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(start)}')
        if name == "tg-emoji" and not attrs.get("emoji-id"):
            raise EntityParseError(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {self.byte_offset(start)}'
            )
        self.stack.append((name, attrs, self.offset))

    def attributes(self, tag_start: int) -> dict[str, str]:
        src, attrs = self.src, dict[str, str]()
        while True:
            while self.pos < len(src) and src[self.pos].isspace():
                self.pos += 1
            if self.pos >= len(src):
                raise EntityParseError(f"Unclosed start tag at byte offset {self.byte_offset(tag_start)}")
            if src[self.pos] == ">":
                self.pos += 1
                return attrs
            m = _ATTR_NAME_RE.match(src, self.pos)
            assert m is not None
            if not m.group():
                raise EntityParseError(f"Empty attribute name in the tag at byte offset {self.byte_offset(tag_start)}")
            attr, self.pos, value = m.group().lower(), m.end(), ""
            if src.startswith("=", self.pos):
                self.pos += 1
                value = self.attribute_value(tag_start)
            attrs[attr] = value

    def attribute_value(self, tag_start: int) -> str:
        src = self.src
        if self.pos < len(src) and src[self.pos] in "\"'":
            quote = src[self.pos]
            end = src.find(quote, self.pos + 1)
            if end < 0:
                raise EntityParseError(f"Unclosed start tag at byte offset {self.byte_offset(tag_start)}")
            raw, self.pos = src[self.pos + 1 : end], end + 1
        else:
            m = _UNQUOTED_RE.match(src, self.pos)
            assert m is not None
            raw, self.pos = m.group(), m.end()
        return _unescape(raw)

    def end_tag(self) -> None:
        start = self.pos
        close = self.src.find(">", start)
        if close < 0:
            raise EntityParseError(f"Unclosed end tag at byte offset {self.byte_offset(start)}")
        name = self.src[start + 2 : close].strip().lower()
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {self.byte_offset(start)}")
        open_name, attrs, begin = self.stack.pop()
        if name != open_name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {self.byte_offset(start)}, expected "</{open_name}>", '
                f'found "</{name}>"'
            )
        self.pos = close + 1
        length = self.offset - begin
        language = attrs.get("class", "")
        if open_name == "code" and self.stack and self.stack[-1][0] == "pre" and language.startswith("language-"):
            self.stack[-1][1]["language"] = language.removeprefix("language-")
            return
        if length == 0:
            return
        entity: dict[str, Any] = {"type": _TAGS[open_name], "offset": begin, "length": length}
        if open_name == "a":
            if "href" not in attrs:
                return
            entity["url"] = attrs["href"]
        elif open_name == "pre" and attrs.get("language"):
            entity["language"] = attrs["language"]
        elif open_name == "blockquote" and "expandable" in attrs:
            entity["type"] = "expandable_blockquote"
        elif open_name == "tg-emoji":
            entity["custom_emoji_id"] = attrs["emoji-id"]
        self.entities.append(entity)


def parse_html(html: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into ``(plain_text, entities)`` exactly as Telegram would accept it."""
    return _Parser(html).run()


def strip_html(html: str) -> str:
    """Best-effort plain text for display: parse, or fall back to a tag-stripping regex."""
    try:
        return parse_html(html)[0]
    except EntityParseError:
        return _unescape(re.sub(r"<[^>]*>", "", html))
