"""Signed-in sessions end after a while without use, and at the latest SESSION_COOKIE_AGE after the sign-in."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from people.session_timeout import LAST_SEEN, REFRESH_EVERY, SIGNED_IN

pytestmark = pytest.mark.django_db


def _stamp(client, **stamps):
    """As if the member's last request, or their sign-in, was that long ago."""
    session = client.session
    for key, value in stamps.items():
        session[key] = value
    session.save()


def test_a_session_unused_for_longer_than_the_idle_timeout_is_signed_out(client_of, owner, settings):
    client = client_of(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(reverse("people:me")).status_code == 200

    _stamp(client, **{LAST_SEEN: int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 1})
    response = client.get(reverse("people:me"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert "Your session has expired" in response.content.decode()


def test_a_session_in_use_ends_at_the_absolute_limit_all_the_same(client_of, owner, settings):
    client = client_of(owner)
    now = int(time.time())
    _stamp(client, **{SIGNED_IN: now - settings.SESSION_COOKIE_AGE - 1, LAST_SEEN: now})
    assert client.get(reverse("people:me")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_session_in_use_stays_signed_in_without_a_write_on_every_request(client_of, owner, settings):
    client = client_of(owner)  # the sign-in starts both clocks
    row = Session.objects.get(pk=client.session.session_key)

    for _ in range(2):
        assert client.get(reverse("people:me")).status_code == 200
    assert Session.objects.get(pk=row.pk).session_data == row.session_data  # not written again

    nearly_idle = int(time.time()) - settings.SESSION_IDLE_TIMEOUT + 60
    _stamp(client, **{LAST_SEEN: nearly_idle})
    assert client.get(reverse("people:me")).status_code == 200
    assert client.session[LAST_SEEN] > nearly_idle + REFRESH_EVERY  # the stamp moved on
