"""/find and /check take whatever a user types: the terms are cleaned without raising, any text is
a valid FTS5 phrase matched literally (quotes, operators, NUL, any script), and looking for
numbers, links and handles in it never raises."""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from harmline.reports.indicators import extract_indicators
from harmline.reports.repeats import lookup_candidates
from harmline.services.moderation import MAX_SEARCH_LENGTH, MIN_SEARCH_LENGTH, search_terms
from harmline.settings.model import ASEAN_COUNTRIES
from harmline.storage.database import fts5_phrase
from tests.backends import on_postgres

# SQLite's own behaviour (files, FTS5, its migrations); PostgreSQL's is in tests/test_postgres.py.
pytestmark = pytest.mark.skipif(on_postgres(), reason="SQLite only")

FTS5_SYNTAX = ['"', '""', "*", "^", ":", "(", ")", "-", "+", "AND", "OR", "NOT", "NEAR", "NEAR(", "text:",
               "{text}", "\x00", "\x1b", "\u0301", "\u200f", "\u202e", "\ufeff", "🤖", "👨‍👩‍👧", " "]
hostile = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(exclude_categories=())),  # surrogates, controls and all
    st.lists(st.one_of(st.sampled_from(FTS5_SYNTAX), st.text(max_size=4)), max_size=12).map("".join),
)


@pytest.fixture(scope="module")
def index() -> Iterator[sqlite3.Connection]:
    """The report_search table as the migrations make it: trigrams of the citizens' words."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE report_messages (id INTEGER PRIMARY KEY, text TEXT)")
    connection.execute("CREATE VIRTUAL TABLE report_search USING fts5(text, content='report_messages',"
                       " content_rowid='id', tokenize='trigram')")
    yield connection
    connection.close()


def matches(index: sqlite3.Connection, terms: str) -> list[int]:
    return [row[0] for row in index.execute("SELECT rowid FROM report_search WHERE report_search MATCH ?",
                                            (fts5_phrase(terms),))]


@given(hostile)
@example("\x00\x00\x00")
@example("\ud800abc")
@example(" a \n\t b ")
@settings(max_examples=600, deadline=None)
def test_search_terms_are_printable_single_spaced_and_bounded(text: str) -> None:
    terms = search_terms(text)
    assert len(terms) <= MAX_SEARCH_LENGTH
    assert not [c for c in terms if unicodedata.category(c) in ("Cc", "Cs")]
    assert terms == terms.strip() and "  " not in terms


@given(hostile)
@example('"')
@example('a" OR "b')
@example("NEAR(a b)")
@example("pay\x00send")
@example("\ud800\udfff")
@settings(max_examples=600, deadline=None)
def test_any_text_is_a_valid_phrase(index: sqlite3.Connection, text: str) -> None:
    matches(index, text)  # FTS5 never sees syntax or an unterminated string


@given(st.lists(st.one_of(st.sampled_from(FTS5_SYNTAX), st.text(min_size=1, max_size=6)), min_size=1,
                max_size=12).map("".join), st.data())
@example('He wrote "pay AND send" NOT later (x*y) ^z col:val NEAR(a b)', None)
@settings(max_examples=400, deadline=None)
def test_every_piece_of_a_text_is_found_literally(index: sqlite3.Connection, raw: str,
                                                  data: st.DataObject | None) -> None:
    text = search_terms(raw)
    if len(text) < MIN_SEARCH_LENGTH:
        return
    with index:
        rowid = index.execute("INSERT INTO report_messages (text) VALUES (?)", (text,)).lastrowid
        index.execute("INSERT INTO report_search (rowid, text) VALUES (?, ?)", (rowid, text))
    if data is None:
        start, end = 9, 24
    else:
        start = data.draw(st.integers(0, len(text) - MIN_SEARCH_LENGTH))
        end = data.draw(st.integers(start + MIN_SEARCH_LENGTH, len(text)))
    assert rowid in matches(index, text[start:end]), text[start:end]


@given(hostile, st.sampled_from(sorted(ASEAN_COUNTRIES)))
@example("+60 12-345 6789 https://x.co/a @scammer 0x52908400098527886E0F7030069857D2E4169EE7", "MY")
@example("٠١٢٣٤٥٦٧٨٩ ²³ 𝟗𝟗𝟗𝟗𝟗𝟗𝟗𝟗", "TH")
@example("http://[::1" + "/" * 50 + "\x00", "VN")
@settings(max_examples=500, deadline=None)
def test_looking_for_numbers_links_and_handles_never_raises(text: str, country: str) -> None:
    extract_indicators(text, country)
    lookup_candidates(text, country)
