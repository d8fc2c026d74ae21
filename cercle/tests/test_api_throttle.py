"""Abuse limits on the API: per member whatever their tokens, and per address without a valid token."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from people.services import api_token_create

pytestmark = pytest.mark.django_db

ME = "/api/me"


def _auth(key: str, **extra) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", **extra}


def test_the_default_limits_are_120_calls_a_minute_per_member_and_30_per_address_without_a_token():
    assert (django_settings.API_RATE_LIMIT, django_settings.API_ANON_RATE_LIMIT) == ("120/m", "30/m")


def test_a_member_past_the_limit_is_told_when_to_come_back_and_others_are_not_slowed(settings, owner, member):
    settings.API_RATE_LIMIT = "3/m"
    first, second = (api_token_create(user=owner, name=name).key for name in ("one", "two"))
    api = Client()
    assert [api.get(ME, **_auth(first)).status_code for _ in range(3)] == [200, 200, 200]

    refused = api.get(ME, **_auth(second))  # another token of the same member: the same counter
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Trop de requêtes : réessayez dans ")  # the member's language
    assert api.get(ME, **_auth(api_token_create(user=member, name="theirs").key)).status_code == 200


def test_calls_without_a_valid_token_are_limited_per_address_but_valid_tokens_still_pass(settings, owner):
    settings.API_ANON_RATE_LIMIT = "2/m"
    api = Client()
    assert api.get(ME).status_code == 401
    assert api.get(ME, **_auth("cer_guessed")).status_code == 401
    # Another X-Forwarded-For is not another counter: no proxy is trusted unless configured.
    refused = api.get(ME, **_auth("cer_guessed-again", HTTP_X_FORWARDED_FOR="203.0.113.9"))
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert api.get(ME, **_auth(api_token_create(user=owner, name="mine").key)).status_code == 200
    assert api.get(ME, REMOTE_ADDR="198.51.100.7").status_code == 401  # another address, its own counter
    assert api.get("/api/openapi.json").status_code == 429  # the schema too: it is served without a token


def test_behind_a_trusted_proxy_the_address_it_forwards_is_the_one_counted(settings):
    settings.API_ANON_RATE_LIMIT = "1/m"
    settings.NINJA_NUM_PROXIES = 1
    api = Client()
    assert api.get(ME, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 401
    assert api.get(ME, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    assert api.get(ME, HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 401
