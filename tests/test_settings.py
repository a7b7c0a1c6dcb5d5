"""The operator's config file: the documented keys work, and every mistake is named in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from settings import ConfigError, load_settings, parse_settings
from tests.conftest import config

ROOT = Path(__file__).resolve().parent.parent


def test_example_config_loads_with_every_documented_key() -> None:
    settings = load_settings(ROOT / "harmline.example.toml")
    assert settings.countries == ("MY",)
    assert settings.contacts[0].name == "National Scam Response Centre"
    assert settings.contacts[0].telegram_chat_id == -100123
    assert settings.contacts[0].language == "ms"
    assert settings.moderators[0].covers("MY")
    assert settings.telegram.rate_limit is True
    assert settings.contacts[0].weekly_summary is True and settings.contacts[0].regional is False
    assert (settings.summaries.weekday, settings.summaries.at.isoformat()) == (0, "09:00:00")
    assert settings.time_zone_of("ALL") == "Asia/Jakarta" and settings.time_zone_of("MY") == "Asia/Kuala_Lumpur"
    # Relative database paths are taken from the config file's folder, not the working directory.
    assert settings.database == str(ROOT / "harmline.db")


def test_environment_token_overrides_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARMLINE_BOT_TOKEN", "999:FROM-ENV")
    assert load_settings(ROOT / "harmline.example.toml").telegram.token == "999:FROM-ENV"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["telegram"].pop("token"), "telegram.token: missing"),
        (lambda d: d["deployment"].update(countries=["XX"]), "deployment.countries[0]: 'XX' is not an ASEAN"),
        (lambda d: d["deployment"].update(countries="MY"), "deployment.countries: expected an array"),
        (lambda d: d["moderation"].update(review="later"), "moderation.review: 'later' must be"),
        (lambda d: d["contacts"][0].update(webhook_url="https://x.example/hook"),
         "contacts[0].webhook_secret: required when webhook_url is set"),
        (lambda d: d["contacts"][0].update(language="xx"), "contacts[0].language: 'xx' is not one of"),
        (lambda d: d["contacts"][0].update(country="TH"), "contacts[0].country: 'TH' is not in deployment"),
        (lambda d: d["contacts"][0].pop("telegram_chat_id"), "a contact needs telegram_chat_id or webhook_url"),
        (lambda d: d["contacts"][0].update(telegram_chat_id="-100"), "contacts[0].telegram_chat_id: expected an int"),
        (lambda d: d["storage"].update(databse="x.db"), "storage.databse: unknown key"),
        (lambda d: d.update(contacts=[]), "contacts: no contact for MY"),
        (lambda d: d["moderators"][0].update(countries=[]), "moderators[0].countries: must name at least one"),
        (lambda d: d.update(delivery={"max_attempts": 0}), "delivery.max_attempts: must be greater than 0"),
        (lambda d: d["moderation"].update(admins=["lim"]), "moderation.admins[0]: expected a Telegram user id"),
        (lambda d: d["moderation"].update(chats=[{"chat_id": 5}]), "moderation.chats[0].chat_id: 5 is not a group"),
        (lambda d: d["moderation"].update(chats=[{"chat_id": -100, "countries": ["TH"]}]),
         "moderation.chats[0].countries[0]: 'TH' is not in deployment.countries"),
        (lambda d: d.update(summaries={"day": "mon"}), "summaries.day: 'mon' is not a day of the week"),
        (lambda d: d.update(summaries={"time": "9am"}), "summaries.time: '9am' is not a time of day"),
        (lambda d: d.update(summaries={"regional_time_zone": "Asia/Atlantis"}),
         "summaries.regional_time_zone: 'Asia/Atlantis' is not an IANA time zone"),
        (lambda d: d["contacts"][0].update(weekly_summary="yes"), "contacts[0].weekly_summary: expected true or false"),
        (lambda d: d.update(contacts=[{"country": "MY", "name": "CERT", "webhook_url": "https://c.example/h",
                                       "webhook_secret": "s", "regional": True}]),
         "contacts[0].regional: summaries are sent in Telegram; set telegram_chat_id as well"),
        (lambda d: (d["moderation"].update(review="before_forward"), d.update(moderators=[])),
         "moderators: review = \"before_forward\" but nobody reviews MY"),
    ],
)
def test_a_broken_config_names_the_key_and_the_problem(change, message: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HARMLINE_BOT_TOKEN", raising=False)
    document = config(str(tmp_path / "db.sqlite"))
    change(document)
    with pytest.raises(ConfigError) as error:
        parse_settings(document)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_start_up_with_a_broken_file_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "harmline.toml"
    path.write_text('[telegram]\ntoken = "1:A"\n[deployment]\ncountries = ["MY"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "bot.py"), "run", "--config", str(path)],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.startswith("harmline: config error:")
    assert "not valid TOML" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_redirect_chat_makes_contacts_optional(tmp_path: Path) -> None:
    document = config(str(tmp_path / "db.sqlite"), contacts=[], delivery={"redirect_chat_id": -100999})
    assert parse_settings(document).delivery.redirect_chat_id == -100999
