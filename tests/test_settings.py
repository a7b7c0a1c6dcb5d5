"""The operator's config file: the documented keys work, and every mistake is named in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harmline.settings import ConfigError, load_settings, parse_settings
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
        (lambda d: d.update(storage={"url": "sqlite:///x.db"}), "storage.url: expected postgresql://"),
        (lambda d: d.update(storage={"url": "postgresql://db.example:5432"}), "storage.url: names no database"),
        (lambda d: d.update(storage={"url": "postgresql://db.example/h", "database": "x.db"}),
         "storage.url: give either storage.url (PostgreSQL) or storage.database (SQLite), not both"),
        (lambda d: d.update(contacts=[]), "contacts: no contact for MY"),
        (lambda d: d["moderators"][0].update(countries=[]), "moderators[0].countries: must name at least one"),
        (lambda d: d.update(delivery={"max_attempts": 0}), "delivery.max_attempts: must be greater than 0"),
        (lambda d: d["moderation"].update(admins=["lim"]), "moderation.admins[0]: expected a Telegram user id"),
        (lambda d: d["moderation"].update(chats=[{"chat_id": 5}]), "moderation.chats[0].chat_id: 5 is not a group"),
        (lambda d: d["moderation"].update(chats=[{"chat_id": -100, "countries": ["TH"]}]),
         "moderation.chats[0].countries[0]: 'TH' is not in deployment.countries"),
        (lambda d: d.update(summaries={"day": "mon"}), "summaries.day: 'mon' is not a day of the week"),
        (lambda d: d.update(retention={"deidentify_after_days": 0}),
         "retention.deidentify_after_days: must be greater than 0"),
        (lambda d: d.update(retention={"deidentify_after_days": 800}),
         "retention.delete_after_days: 730 is shorter than deidentify_after_days (800)"),
        (lambda d: d.update(retention={"countries": {"TH": {"delete_after_days": 90}}}),
         "retention.countries.TH: 'TH' is not in deployment.countries"),
        (lambda d: d.update(retention={"countries": {"MY": {"delete_after_days": 90}}}),
         "retention.countries.MY.delete_after_days: 90 is shorter than deidentify_after_days (180)"),
        (lambda d: d.update(retention={"countries": {"MY": {"delete_after": 90}}}),
         "retention.countries.MY.delete_after: unknown key"),
        (lambda d: d.update(retention={"time": "late"}), "retention.time: 'late' is not a time of day"),
        (lambda d: d.update(dashboard={"port": 0}), "dashboard.port: 0 is not a TCP port"),
        (lambda d: d.update(dashboard={"with_bot": "yes"}), "dashboard.with_bot"),
        (lambda d: d.update(dashboard={"bot_username": "not a bot"}), "dashboard.bot_username: 'not a bot' is not"),
        (lambda d: d.update(viewers=[{"telegram_user_id": 5, "countries": ["TH"]}]),
         "viewers[0].countries[0]: 'TH' is not in deployment.countries"),
        (lambda d: d.update(privacy={"consent": "maybe"}), "privacy.consent: 'maybe' must be \"opt_out\", \"ask\""),
        (lambda d: d.update(summaries={"time": "9am"}), "summaries.time: '9am' is not a time of day"),
        (lambda d: d.update(summaries={"regional_time_zone": "Asia/Atlantis"}),
         "summaries.regional_time_zone: 'Asia/Atlantis' is not an IANA time zone"),
        (lambda d: d["contacts"][0].update(weekly_summary="yes"), "contacts[0].weekly_summary: expected true or false"),
        (lambda d: d.update(contacts=[{"country": "MY", "name": "CERT", "webhook_url": "https://c.example/h",
                                       "webhook_secret": "s", "regional": True}]),
         "contacts[0].regional: summaries are sent in Telegram; set telegram_chat_id as well"),
        (lambda d: (d["moderation"].update(review="before_forward"), d.update(moderators=[])),
         "moderators: review = \"before_forward\" but nobody reviews MY"),
        # A webhook anyone could post to, and evidence sent in clear: refused unless asked for.
        (lambda d: d["telegram"].update(webhook={"url": "https://bot.example.org/telegram"}),
         "telegram.webhook.secret_token: required: without it anyone who finds the webhook URL can post "
         "forged updates"),
        (lambda d: d["telegram"].update(webhook={"url": "https://bot.example.org/telegram", "allow_insecure": False}),
         "telegram.webhook.secret_token: required"),
        (lambda d: d["telegram"].update(webhook={"url": "https://b.example/t", "secret_token": "two words"}),
         "telegram.webhook.secret_token: contains ' '; Telegram accepts 1 to 256 characters, only A-Z, a-z, "
         "0-9, _ and -"),
        (lambda d: d["telegram"].update(webhook={"url": "https://b.example/t", "secret_token": "s3cret!"}),
         "telegram.webhook.secret_token: contains '!'"),
        (lambda d: d["telegram"].update(webhook={"url": "https://b.example/t", "secret_token": "x" * 257}),
         "telegram.webhook.secret_token: is 257 characters long"),
        (lambda d: d["telegram"].update(webhook={"url": "https://b.example/t", "secret_token": ""}),
         "telegram.webhook.secret_token: is 0 characters long"),
        (lambda d: d["telegram"].update(webhook={"url": "https://b.example/t", "allow_insecure": "yes"}),
         "telegram.webhook.allow_insecure: expected true or false"),
        (lambda d: d["contacts"][0].update(webhook_url="http://nsrc.example.gov.my/harmline", webhook_secret="k"),
         "contacts[0].webhook_url: 'http://nsrc.example.gov.my/harmline' is not https: reports carry personal "
         "evidence, use an https:// URL"),
        (lambda d: d["contacts"].append({"country": "MY", "name": "CERT", "webhook_url": "http://127.0.0.1:9/h",
                                         "webhook_secret": "k", "allow_insecure": False}),
         "contacts[1].webhook_url: 'http://127.0.0.1:9/h' is not https"),
        (lambda d: d["contacts"][0].update(webhook_url="https://c.example/h", webhook_secret="k", allow_insecure=1),
         "contacts[0].allow_insecure: expected true or false"),
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
    result = subprocess.run([sys.executable, "-m", "harmline", "run", "--config", str(path)],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.startswith("harmline: config error:")
    assert "not valid TOML" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_redirect_chat_makes_contacts_optional(tmp_path: Path) -> None:
    document = config(str(tmp_path / "db.sqlite"), contacts=[], delivery={"redirect_chat_id": -100999})
    assert parse_settings(document).delivery.redirect_chat_id == -100999


def test_a_webhook_with_a_secret_token_as_telegram_allows_it_is_accepted(tmp_path: Path) -> None:
    for secret in ("s", "A-Za-z0-9_-", "x" * 256):
        document = config(str(tmp_path / "db.sqlite"))
        document["telegram"]["webhook"] = {"url": "https://bot.example.org/telegram", "secret_token": secret}
        webhook = parse_settings(document).telegram.webhook
        assert webhook is not None and webhook.secret_token == secret and webhook.allow_insecure is False


def test_allow_insecure_accepts_a_webhook_without_secret_and_an_http_contact(tmp_path: Path) -> None:
    document = config(str(tmp_path / "db.sqlite"))
    document["telegram"]["webhook"] = {"url": "https://bot.example.org/telegram", "allow_insecure": True}
    document["contacts"][0].update(webhook_url="http://127.0.0.1:8080/hook", webhook_secret="k", allow_insecure=True)
    settings = parse_settings(document)
    assert settings.telegram.webhook is not None and settings.telegram.webhook.secret_token is None
    assert settings.telegram.webhook.allow_insecure is True
    assert settings.contacts[0].webhook_url == "http://127.0.0.1:8080/hook" and settings.contacts[0].allow_insecure
    # https needs nothing more; allow_insecure is off unless written.
    document["contacts"][0].update(webhook_url="https://nsrc.example.gov.my/h")
    del document["contacts"][0]["allow_insecure"]
    assert parse_settings(document).contacts[0].allow_insecure is False


def test_the_examples_commented_keys_are_valid_once_uncommented(tmp_path: Path) -> None:
    """Every optional key harmline.example.toml shows commented out works when an operator uncomments it."""
    lines = []
    for line in (ROOT / "harmline.example.toml").read_text(encoding="utf-8").splitlines():
        body = line.removeprefix("# ")
        if line.startswith("# ") and (body.startswith("[") or " = " in body.split("#")[0]):
            line = body
        lines.append(line)
    # storage.url is the alternative to storage.database: the operator who uncomments it drops the file.
    lines = [line for line in lines if not line.startswith("database = ")]
    path = tmp_path / "harmline.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    settings = load_settings(path)
    assert settings.database_url == "postgresql://harmline@db.example.gov:5432/harmline"
    assert settings.telegram.webhook is not None and settings.telegram.webhook.secret_token == "a-long-random-string"
    assert settings.telegram.webhook.allow_insecure is False
    assert settings.contacts[0].webhook_url == "https://nsrc.example.gov.my/harmline"
    assert settings.delivery.redirect_chat_id == -100999
    assert settings.moderator_chats[0].chat_id == -1001234567890
    assert settings.retention.period("MY").deidentify_after_days == 90
    assert settings.dashboard.bot_username == "harmline_bot" and settings.viewers[0].countries == ("MY",)
    assert settings.dashboard.with_bot
    assert settings.retention.period("MY").delete_after_days == 730


def test_check_config_names_the_postgresql_database_without_its_password(tmp_path: Path) -> None:
    path = tmp_path / "harmline.toml"
    path.write_text('[telegram]\ntoken = "1:A"\n[storage]\nurl = "postgresql://harmline:s3cret@db.example:5432/h"\n'
                    '[deployment]\ncountries = ["MY"]\n[[contacts]]\ncountry = "MY"\nname = "NSRC"\n'
                    'telegram_chat_id = -100123\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "harmline", "check-config", "--config", str(path)],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "PostgreSQL postgresql://harmline:***@db.example:5432/h" in result.stdout
    assert "s3cret" not in result.stdout + result.stderr
