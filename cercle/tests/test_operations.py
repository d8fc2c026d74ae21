"""What an operator relies on: production settings, security headers, static files (health: operations/tests)."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

MANAGE_PY = settings.BASE_DIR / "manage.py"


def _check_deploy(tmp_path, **overrides) -> subprocess.CompletedProcess:
    """`manage.py check --deploy --fail-level WARNING` in a fresh process, as production would run it."""
    # A clean environment, as on a server: nothing from the developer's shell or from other tests
    # (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which the checklist rightly refuses).
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "SYSTEMROOT") if name in os.environ}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),  # 67 characters
        ALLOWED_HOSTS="cercle.example.org",
        SITE_URL="https://cercle.example.org",
        CERCLE_TESTING="0",
        CERCLE_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="cercle.settings",
    )
    env.update(overrides)
    return subprocess.run(
        [sys.executable, str(MANAGE_PY), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = _check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_its_public_address(tmp_path):
    result = _check_deploy(tmp_path, SITE_URL="")
    assert result.returncode != 0
    assert "SITE_URL is required when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _check_deploy(tmp_path, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr
    assert not (tmp_path / "secret_key").exists()  # no key made up on this host behind the operator's back


def test_in_development_links_point_to_the_port_the_app_serves(tmp_path):
    env = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    env.update(DEBUG="true", CERCLE_TESTING="0", CERCLE_VAR_DIR=str(tmp_path), PORT="8123")
    printed = subprocess.run(
        [
            sys.executable,
            str(MANAGE_PY),
            "shell",
            "-c",
            "from notifications.emails import absolute; print(absolute('/x'))",
        ],
        cwd=settings.BASE_DIR,
        env=env | {"DJANGO_SETTINGS_MODULE": "cercle.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert printed.stdout.splitlines()[-1] == "http://127.0.0.1:8123/x", printed.stderr


def test_in_production_load_balancers_probe_health_over_http_without_a_redirect(tmp_path):
    env = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="cercle.example.org",
        SITE_URL="https://cercle.example.org",
        CERCLE_TESTING="0",
        CERCLE_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="cercle.settings",
    )
    probe = (
        "from django.test import Client; c = Client(HTTP_HOST='cercle.example.org'); "
        "print(c.get('/healthz').status_code, c.get('/accounts/login/').status_code)"
    )
    printed = subprocess.run(
        [sys.executable, str(MANAGE_PY), "shell", "-c", probe],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    health, login = printed.stdout.splitlines()[-1].split()
    assert login == "301"  # every page goes to HTTPS…
    assert health != "301"  # …but the health check answers where it is asked (503 here: no tables yet)


def test_the_deployment_checklist_fails_when_debug_is_left_on(tmp_path):
    result = _check_deploy(tmp_path, DEBUG="true")
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # "You should not have DEBUG set to True in deployment."


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_and_refuse_to_be_framed(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no inline scripts
    assert directives["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_static_files_are_served_by_the_app_itself(client):
    response = client.get("/static/css/cercle.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.strip()
