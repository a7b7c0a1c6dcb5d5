"""storage.database as an operator meets it: the commands that read what the bot stored refuse a
path that does not exist (one line naming the key and the resolved path, no new empty file);
``harmline run`` creates the database on first start, in a folder that must exist, and says so."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from harmline.demo.botapi_server import BotApiServer
from harmline.storage.database import Database, DatabaseNotFound
from tests.backends import on_postgres

# SQLite's own behaviour (files, FTS5, its migrations); PostgreSQL's is in tests/test_postgres.py.
pytestmark = pytest.mark.skipif(on_postgres(), reason="SQLite only")

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "4321:DATABASE-TESTS"


def write_config(folder: Path, database: str, base_url: str = "https://api.telegram.org/bot",
                 base_file_url: str = "https://api.telegram.org/file/bot") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "harmline.toml"
    config.write_text(f"""
[telegram]
token = "{TOKEN}"
base_url = "{base_url}"
base_file_url = "{base_file_url}"
rate_limit = false

[storage]
database = "{database}"

[deployment]
countries = ["MY"]

[[contacts]]
country = "MY"
name = "National Scam Response Centre"
telegram_chat_id = -100123
""", encoding="utf-8")
    return config


def harmline(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harmline", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env={k: v for k, v in os.environ.items() if k != "HARMLINE_BOT_TOKEN"})


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    [line] = result.stderr.strip().splitlines()
    return line


@pytest.mark.parametrize("command", [
    ["outbox"],
    ["summary", "--country", "MY", "--week", "2026-W47", "--out", "summary-out"],
    ["export", "--format", "csv", "--since", "2026-11-01", "--out", "export.csv"],
])
def test_reading_commands_refuse_a_database_that_does_not_exist(command: list[str], tmp_path: Path) -> None:
    # Relative to the config file's folder, not to where the operator stands.
    config = write_config(tmp_path / "etc", "data/harmline.db")
    (tmp_path / "etc" / "data").mkdir()
    expected = (tmp_path / "etc" / "data" / "harmline.db").resolve()
    line = one_line(harmline(command[0], "--config", str(config), *command[1:], cwd=tmp_path))
    assert line == (f"harmline: storage.database: {expected} does not exist (check the path; harmline run "
                    "creates it on first start)")
    assert not expected.exists()  # no new empty database
    assert not (tmp_path / "summary-out").exists() and not (tmp_path / "export.csv").exists()


def test_reading_commands_read_an_existing_database(tmp_path: Path) -> None:
    database = tmp_path / "h.db"

    async def create() -> None:
        store = Database(str(database))
        await store.open()
        await store.close()

    asyncio.run(create())
    config = write_config(tmp_path, str(database))
    result = harmline("export", "--config", str(config), "--format", "jsonl", "--since", "2026-11-01",
                      "--out", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "exported 0 forwarded report(s) received since 2026-11-01" in result.stdout


def test_check_config_names_a_database_folder_that_does_not_exist(tmp_path: Path) -> None:
    config = write_config(tmp_path, "missing/harmline.db")
    folder = (tmp_path / "missing").resolve()
    line = one_line(harmline("check-config", "--config", str(config), cwd=tmp_path))
    assert line == (f"harmline: storage.database: cannot create {folder / 'harmline.db'}: the folder {folder} "
                    "does not exist")


def test_check_config_says_a_new_database_will_be_created_and_creates_nothing(tmp_path: Path) -> None:
    config = write_config(tmp_path, "harmline.db")
    result = harmline("check-config", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"database {tmp_path.resolve() / 'harmline.db'} (new: harmline run creates it)" in result.stdout
    assert not (tmp_path / "harmline.db").exists()


def test_run_refuses_a_database_folder_that_does_not_exist(tmp_path: Path) -> None:
    config = write_config(tmp_path, "nowhere/harmline.db")
    line = one_line(harmline("run", "--config", str(config), cwd=tmp_path))
    assert line.startswith("harmline: storage.database: cannot create ")
    assert str((tmp_path / "nowhere").resolve()) in line
    assert not (tmp_path / "nowhere").exists()


async def test_run_creates_the_database_on_first_start_and_says_so_once(tmp_path: Path) -> None:
    async with BotApiServer(token=TOKEN) as server:
        config = write_config(tmp_path, "reports.db", server.base_url, server.base_file_url)
        outputs = []
        for _ in range(2):  # first start, then a restart on the same database
            calls = len(server.calls_to("getUpdates"))
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "harmline", "run", "--config", str(config), cwd=tmp_path,
                env={k: v for k, v in os.environ.items() if k != "HARMLINE_BOT_TOKEN"},
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
            for _ in range(300):
                if len(server.calls_to("getUpdates")) > calls or process.returncode is not None:
                    break
                await asyncio.sleep(0.1)
            process.send_signal(signal.SIGINT)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
            assert process.returncode == 0, output.decode()
            outputs.append(output.decode())
    created = [line for line in outputs[0].splitlines() if "created a new database" in line]
    assert len(created) == 1 and " INFO " in created[0], outputs[0]
    assert created[0].endswith(f"created a new database at {(tmp_path / 'reports.db').resolve()}")
    assert "created a new database" not in outputs[1]
    assert (tmp_path / "reports.db").exists()


async def test_database_create_false_opens_an_existing_file_and_never_makes_one(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="harmline.storage.database")
    path = tmp_path / "h.db"
    with pytest.raises(DatabaseNotFound, match=r"^storage\.database: .*h\.db does not exist"):
        await Database(str(path), create=False).open()
    assert not path.exists()

    made = Database(str(path))
    await made.open()
    await made.close()
    assert [r.getMessage() for r in caplog.records].count(f"created a new database at {path.resolve()}") == 1
    caplog.clear()

    existing = Database(str(path), create=False)
    await existing.open()
    try:
        assert await existing.schema_version() > 0
    finally:
        await existing.close()
    assert not [r for r in caplog.records if "created a new database" in r.getMessage()]


async def test_database_needs_the_folder_to_create_the_file_in(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "h.db"
    with pytest.raises(DatabaseNotFound, match=r"the folder .*such does not exist"):
        await Database(str(path)).open()
    with pytest.raises(DatabaseNotFound, match=r"is a folder, not a database file"):
        await Database(str(tmp_path)).open()
    assert not (tmp_path / "no").exists()
    memory = Database(":memory:", create=False)  # nothing to look for on disk
    await memory.open()
    await memory.close()
