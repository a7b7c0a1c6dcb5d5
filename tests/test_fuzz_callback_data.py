"""Button data comes back from the user's client, so it may be anything: parsing never raises,
accepts only what the builders write, and every builder's output means the same thing again."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from harmline.handlers import callback_data
from harmline.handlers.callback_data import (
    MAX_NUMBER,
    CheckReport,
    ChooseForwarding,
    ChooseLanguage,
    ConfirmErase,
    FindPage,
    FollowUpAnswer,
    ModeratorAction,
    QueuePage,
    SendNow,
    ShowPrivacy,
    parse,
)
from harmline.i18n import LANGUAGES
from harmline.reports.labels import QUESTIONS
from harmline.reports.model import Category, FollowUpStep, Platform
from harmline.reports.reference import ALPHABET, LENGTH
from harmline.settings.model import ASEAN_COUNTRIES

KINDS = ("fu", "lang", "mod", "q", "find", "chk", "del")
references = st.builds(lambda country, tail: f"{country}-{tail}", st.sampled_from(sorted(ASEAN_COUNTRIES)),
                       st.text(alphabet=ALPHABET, min_size=LENGTH, max_size=LENGTH))
numbers = st.integers(min_value=0, max_value=MAX_NUMBER)
# Pieces a forger would try: huge and negative numbers, other scripts' digits, NUL, separators,
# almost-references, and the words the real data uses.
pieces = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["²", "١٢", "٣", "𝟗", "0x10", "1e9", "+1", "-1", " 1", "1 ", "01", "00", "\x00", "", "-",
                     "send", "yes", "no", "MY-2222222", "my-22222222", "MY-22222222\n", "MY-OOOOOOOO"]),
    references, numbers.map(str), st.sampled_from(KINDS), st.sampled_from(callback_data.MODERATOR_VERBS),
    st.sampled_from([*LANGUAGES, *ASEAN_COUNTRIES, *Category, *Platform, *FollowUpStep, *QUESTIONS]),
)
forged = st.lists(pieces, min_size=1, max_size=8).map(lambda parts: ":".join(["v1", *parts]))


@given(st.one_of(st.text(), st.binary().map(lambda b: b.decode("latin-1")), forged,
                 st.from_type(object)))
@example("v1:find:" + "9" * 20 + ":0")
@example("v1:q:" + "9" * 20 + ":-:-:-")
@example("v1:find:²:0")
@example("v1:find:1:" + ":" * 1000)
@example("v1:mod:confirm:MY-22222222\x00")
@example("\ud800")
@settings(max_examples=1500, deadline=None)
def test_parse_never_raises_and_numbers_stay_in_bounds(data: object) -> None:
    action = parse(data)
    if isinstance(action, FindPage):
        assert 0 <= action.search_id <= MAX_NUMBER and 0 <= action.offset <= MAX_NUMBER
    if isinstance(action, QueuePage):
        assert 0 <= action.offset <= MAX_NUMBER
    if action is not None:
        # Only builders' output parses: ASCII, within Telegram's 64 bytes.
        assert isinstance(data, str) and data.isascii() and len(data) <= 64


@pytest.mark.parametrize("data", [
    "v1:find:" + "9" * 20 + ":0", "v1:find:0:" + "9" * 20, f"v1:find:{MAX_NUMBER + 1}:0", "v1:find:-1:0",
    "v1:find:²:0", "v1:find:١:0", "v1:find:01:0", "v1:find: 1:0", "v1:find:1:0:0", "v1:q:²:-:-:-",
    "v1:q:0:XX:-:-", "v1:q:0:-:spam:-", "v1:q:0:-:-:xx", "v1:q:0:my:-:-", "v1:lang:xx", "v1:lang:",
    "v1:mod:confirm:MY-22222222:why", "v1:mod:cat:MY-22222222:nonsense", "v1:mod:ask:MY-22222222:x",
    "v1:mod:merge:MY-22222222:nope", "v1:mod:open:my-22222222", "v1:mod:fly:MY-22222222",
    "v1:fu:MY-22222222:platform:myspace", "v1:fu:MY-22222222:amount:500", "v1:fu:MY-22222222:loss:maybe",
    "v1:chk:MY-22222222 ", "v1:del:maybe", "v2:del:yes", "v1:del", "", "v1:fu:MY-２２２２２２２２:send",
])
def test_forged_data_is_refused(data: str) -> None:
    assert parse(data) is None



@st.composite
def built(draw: st.DrawFn) -> tuple[str, object]:
    """Data a builder writes, with the action it stands for."""
    reference = draw(references)
    kind = draw(st.sampled_from((*KINDS, "send", "menu", "consent", "priv")))
    if kind == "fu":
        step = draw(st.sampled_from(list(FollowUpStep)))
        values: list[str | None] = {
            FollowUpStep.COUNTRY: [*ASEAN_COUNTRIES], FollowUpStep.PLATFORM: [p.value for p in Platform],
            FollowUpStep.LOSS: ["yes", "no"], FollowUpStep.AMOUNT: []}[step]
        value = draw(st.sampled_from([None, *values]))
        return callback_data.followup(reference, step, value), FollowUpAnswer(reference, step, value)
    if kind == "send":
        return callback_data.send_now(reference), SendNow(reference)
    if kind == "consent":
        forward = draw(st.booleans())
        return callback_data.choose_forwarding(reference, forward), ChooseForwarding(reference, forward)
    if kind == "priv":
        return callback_data.show_privacy(), ShowPrivacy()
    if kind == "lang":
        language = draw(st.sampled_from(sorted(LANGUAGES)))
        return callback_data.choose_language(language), ChooseLanguage(language)
    if kind == "del":
        confirmed = draw(st.booleans())
        return callback_data.confirm_erase(confirmed), ConfirmErase(confirmed)
    if kind == "mod":
        verb = draw(st.sampled_from(callback_data.MODERATOR_VERBS))
        return callback_data.moderator(verb, reference), ModeratorAction(verb, reference)
    if kind == "menu":
        verb, argument = draw(st.one_of(
            st.tuples(st.just("cat"), st.sampled_from([c.value for c in Category])),
            st.tuples(st.just("ask"), st.sampled_from(sorted(QUESTIONS))),
            st.tuples(st.just("merge"), references)))
        return callback_data.moderator(verb, reference, argument), ModeratorAction(verb, reference, argument)
    if kind == "q":
        page = QueuePage(draw(numbers), draw(st.none() | st.sampled_from(sorted(ASEAN_COUNTRIES))),
                         draw(st.none() | st.sampled_from([c.value for c in Category])),
                         draw(st.none() | st.sampled_from(sorted(LANGUAGES))))
        return callback_data.queue_page(page), page
    if kind == "find":
        search_id, offset = draw(numbers), draw(numbers)
        return callback_data.find_page(search_id, offset), FindPage(search_id, offset)
    return callback_data.check_report(reference), CheckReport(reference)


@given(built())
@settings(max_examples=800, deadline=None)
def test_every_builder_output_parses_back_to_its_action(case: tuple[str, object]) -> None:
    data, action = case
    assert len(data.encode("utf-8")) <= 64  # Telegram refuses longer button data
    assert parse(data) == action
