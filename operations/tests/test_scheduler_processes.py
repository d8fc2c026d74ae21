"""Two real scheduler processes on one database, driven by a fake clock over eight days: each
occurrence of each job is queued once (the unique row is the lock between processes)."""

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys

from django.conf import settings

from operations.jobs import JOBS

START = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
DAYS = 8

# What each process runs: its own fake clock, one tick per quarter of an hour (the second process
# a few seconds behind the first, as two machines' clocks would be).
DRIVER = """
import datetime as dt
from operations.services import scheduler_tick
now = dt.datetime.fromisoformat("{start}") + dt.timedelta(seconds={lag})
end = now + dt.timedelta(days={days})
while now <= end:
    scheduler_tick(now=now)
    now += dt.timedelta(minutes=15)
"""


def _expected(job) -> list[str]:
    times, fire, end = [], job.next_run(START - job.grace), START + dt.timedelta(days=DAYS)
    while fire <= end:
        times.append(fire)
        fire = job.next_run(fire)
    return [t.strftime("%Y-%m-%d %H:%M:%S") for t in times]


def test_two_scheduler_processes_queue_each_occurrence_once(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "PYTEST_VERSION"}}
    env.update(CERCLE_VAR_DIR=str(tmp_path), CERCLE_TESTING="0", DEBUG="true", DJANGO_SETTINGS_MODULE="cercle.settings")
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], cwd=settings.BASE_DIR, env=env, check=True, timeout=120)

    schedulers = [
        subprocess.Popen(
            [*manage, "shell", "-c", DRIVER.format(start=START.isoformat(), lag=lag, days=DAYS)],
            cwd=settings.BASE_DIR,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for lag in (0, 3)
    ]
    for process in schedulers:
        assert process.wait(timeout=300) == 0, process.stderr.read()

    database = sqlite3.connect(tmp_path / "cercle.sqlite3")
    runs = database.execute("SELECT job, period FROM operations_jobrun ORDER BY job, period").fetchall()
    for job in JOBS:
        assert [period[:19] for name, period in runs if name == job.name] == _expected(job), job.name
    queued = [
        json.loads(args)["kwargs"]["run_id"]
        for (args,) in database.execute(
            "SELECT args_kwargs FROM django_tasks_database_dbtaskresult WHERE task_path = 'operations.tasks.run_job'"
        )
    ]
    assert len(queued) == len(set(queued)) == len(runs)
