"""The one-click unsubscribe: a signed link that works without logging in, for one kind only."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from notifications.emails import UNSUBSCRIBE_SALT, unsubscribe_token
from notifications.models import Kind, Preference, default_choice
from notifications.selectors import preferences_of

pytestmark = pytest.mark.django_db


def _url(member, kind=Kind.EVENT_REMINDER):
    return reverse("notifications:unsubscribe", args=[unsubscribe_token(member_id=member.pk, kind=kind)])


def test_the_link_shows_a_confirmation_and_changes_nothing_until_confirmed(client, owner):
    url = _url(owner)  # once: the signed token carries a timestamp, a second call may differ
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Event reminder (the day before)" in body
    assert f'action="{url}"' in body and 'method="post"' in body
    assert not Preference.objects.exists()  # a mail scanner following links unsubscribes nobody


def test_confirming_stops_that_kinds_emails_without_logging_in(owner, make_member):
    make_member("autre@example.org")
    browser = Client(enforce_csrf_checks=True)  # no session, no CSRF token: the token is the credential

    response = browser.post(_url(owner), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "You will no longer receive e-mails for" in response.content.decode()
    prefs = preferences_of(member=owner)
    assert prefs[Kind.EVENT_REMINDER] == (True, False)
    assert all(prefs[kind] == default_choice(kind) for kind in Kind.values if kind != Kind.EVENT_REMINDER)
    assert Preference.objects.count() == 1  # nobody else's settings


def test_the_rfc_8058_one_click_post_works(owner):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        _url(owner, Kind.DIGEST),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert preferences_of(member=owner)[Kind.DIGEST] == (True, False)


def test_unsubscribing_keeps_the_in_app_choice(owner):
    from notifications.services import preferences_save

    preferences_save(member=owner, choices={Kind.DIGEST: (False, True)})
    Client().post(_url(owner, Kind.DIGEST))
    assert preferences_of(member=owner)[Kind.DIGEST] == (False, False)


def test_a_tampered_token_is_404(client, owner, member):
    token = unsubscribe_token(member_id=owner.pk, kind=Kind.DIGEST)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    forged = signing.dumps({"m": member.pk, "k": Kind.DIGEST}, salt="another.salt", compress=True)
    unknown_kind = signing.dumps({"m": owner.pk, "k": "gossip"}, salt=UNSUBSCRIBE_SALT, compress=True)

    for bad in (tampered, forged, unknown_kind, "nonsense"):
        url = reverse("notifications:unsubscribe", args=[bad])
        assert client.get(url).status_code == 404, bad
        assert client.post(url).status_code == 404, bad
    assert not Preference.objects.exists()


def test_a_token_of_a_deleted_or_deactivated_account_is_404(client, owner):
    url = _url(owner)
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert client.post(url).status_code == 404


def test_news_of_circles_followed_from_afar_stays_off_until_chosen(owner):
    # Following from afar must never nag: that kind alone starts off, and the member can turn it on.
    assert preferences_of(member=owner)[Kind.NEW_EVENTS_FOLLOWED] == (False, False)
    assert preferences_of(member=owner)[Kind.NEW_EVENTS] == (True, True)
