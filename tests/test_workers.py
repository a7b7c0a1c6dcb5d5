"""Several workers: three bot processes by webhook behind one URL on one PostgreSQL database,
citizens reporting, one process SIGKILLed mid-load and never restarted (tests/crash_support.py).

The two left must take everything up: nothing a citizen sent lost or stored twice, every update
answered 200 processed once, one chat's updates in order (a report and its "Send now" press),
every report forwarded once to the contact, a message twice only across the kill (sent by the
process that died, before it could record it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.backends import on_postgres
from tests.crash_support import workers_scenario

pytestmark = pytest.mark.skipif(not on_postgres(), reason="several processes share a PostgreSQL database")


async def test_three_workers_behind_one_url_lose_and_double_nothing_when_one_is_killed(tmp_path: Path) -> None:
    seed = int(os.environ.get("HARMLINE_CRASH_SEED", 31))
    run = await workers_scenario(tmp_path, seed=seed, citizens=36)
    census = run.census
    print(f"\nthree workers, seed {seed}, {run.seconds:.1f} s: worker 2 SIGKILLed {run.killed_after:.1f} s into "
          f"the load; updates answered by each: {run.served}")
    print("  " + census.figures())
    assert run.codes == [0, 0], run.logs[-5000:]
    if "Traceback" in run.logs:
        at = run.logs.index("Traceback")
        raise AssertionError("a traceback in a worker's log:\n" + run.logs[max(at - 1500, 0):at + 4000])
    failures = run.stuck[:20] + census.failures()
    assert not failures, "\n".join(failures[:40])
    assert census.stored == len(census.filed) == census.reports
    assert all(f.reference is not None and f.press_update_id is not None for f in census.filed)
    assert all(served > 0 for served in run.served)  # the load was shared, the victim's part included
