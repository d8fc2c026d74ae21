"""The run command starts the scheduler beside the web server and the worker, and they work together;
the production stack (Procfile) has the same three."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from django.conf import settings

ROOT = settings.BASE_DIR


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _health(port: int) -> dict | None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return json.load(response)
    except OSError:
        return None


def test_bin_serve_starts_the_scheduler_and_a_worker_that_run_the_jobs(tmp_path):
    # A fresh development install of its own, on SQLite, as `make run` makes it.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SITE_URL", "PYTEST_VERSION"}}
    env.update(CERCLE_VAR_DIR=str(tmp_path), CERCLE_TESTING="0", DEBUG="true", PY=sys.executable)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen(
        ["bin/serve"],
        cwd=ROOT,
        env=env | {"PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        report, ran, deadline = None, [], time.monotonic() + 60
        while time.monotonic() < deadline:
            report = _health(port)
            ran = [job["name"] for job in (report or {}).get("jobs", []) if job["last_status"] == "successful"]
            if report and report["status"] == "ok" and ran:
                break
            time.sleep(0.5)
        assert report is not None, "the web server never answered"
        assert report["scheduler"]["alive"], report
        assert report["worker"]["alive"], report
        # Hourly jobs whose latest time is within their grace run at the first tick (all but in the
        # minute before each one's own time: then they wait for it).
        assert ran, report
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            output = server.communicate(timeout=30)[0].decode()
        except subprocess.TimeoutExpired:  # a worker finishing a long task: no need to wait for it here
            os.killpg(server.pid, signal.SIGKILL)
            output = server.communicate()[0].decode()
    assert f"Cercle on http://127.0.0.1:{port}" in output  # SITE_URL follows the port served


def test_the_production_stack_runs_gunicorn_both_workers_and_the_scheduler():
    processes = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line and not line.startswith("#")
    )
    assert "gunicorn cercle.wsgi" in processes["web"]
    assert processes["worker"].split() == ["bin/worker", "mail,default"]
    assert processes["worker_slow"].split() == ["bin/worker", "feeds,matching,maintenance"]
    served = {queue for line in (processes["worker"], processes["worker_slow"]) for queue in line.split()[1].split(",")}
    assert served == set(settings.TASK_QUEUES)
    assert processes["scheduler"].split()[-2:] == ["manage.py", "scheduler"]


def _worker_command(tmp_path, **env) -> list[str]:
    fake_python = tmp_path / "python"
    fake_python.write_text('#!/bin/sh\necho "$@"\n')
    fake_python.chmod(0o755)
    done = subprocess.run(
        ["bin/worker", "mail,default"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "PY": str(fake_python), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def test_the_worker_takes_the_database_queue_or_rq_with_its_job_class(tmp_path):
    assert _worker_command(tmp_path) == ["manage.py", "db_worker", "--queue-name", "mail,default"]
    assert _worker_command(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0") == [
        "manage.py",
        "rqworker",
        "--job-class",
        "django_tasks_rq.Job",
        "--with-scheduler",
        "mail",
        "default",
    ]
