"""Crash test: the real bot (``python -m harmline run``) SIGKILLed at random points under concurrent load
and restarted on the same database, by long polling and by webhook (tests/crash_support.py).

Nothing a citizen sent may be lost, no "Send now" press lost or left unanswered (a press replayed
after a crash shows the report complete like the first time), no report duplicated or merged into
another, every report forwarded to the contact; a message the bot sent may come twice only across a
crash (sent, then killed before it was recorded), never twice within one run. By webhook, every
update answered 200 must have been processed. Random choices are seeded (``HARMLINE_CRASH_SEED``
changes the seed, to explore); timeouts are generous: citizens wait out the crashes, as real ones do.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.crash_support import CrashRun, crash_scenario


def check(run: CrashRun, kills: int) -> None:
    census = run.census
    print(f"\ncrash test, {run.mode}, seed {run.seed}, {run.citizens} citizens, {run.seconds:.1f} s: kills "
          f"{'; '.join(run.kill_points)}; updates replayed at each restart {run.replayed}")
    print("  " + census.figures())
    if run.mode == "webhook":
        print(f"  webhook: {len(run.answered)} updates answered 2xx; POSTs not answered 2xx: {dict(run.refused)}")
    assert run.exit_code == 0, run.logs[-5000:]
    if "Traceback" in run.logs:
        at = run.logs.index("Traceback")
        raise AssertionError("a traceback in the bot's log:\n" + run.logs[max(at - 1500, 0):at + 4000])
    failures = run.stuck[:20] + census.failures()
    assert not failures, "\n".join(failures[:40])
    assert len(census.kills) == kills and census.runs == kills + 1
    assert census.stored == len(census.filed) == census.reports
    assert all(f.reference is not None and f.press_update_id is not None for f in census.filed)


def seed(default: int) -> int:
    return int(os.environ.get("HARMLINE_CRASH_SEED", default))


async def test_sigkill_under_load_by_long_polling_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    run = await crash_scenario(tmp_path, seed=seed(11), citizens=60, kills=7, webhook=False)
    check(run, kills=7)


async def test_sigkill_under_load_by_webhook_loses_nothing_answered_200(tmp_path: Path) -> None:
    run = await crash_scenario(tmp_path, seed=seed(23), citizens=40, kills=5, webhook=True)
    check(run, kills=5)
    assert len(run.answered) == len(run.census.filed) * 2  # each report: its text and its press
