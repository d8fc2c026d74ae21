"""The in-app list: mine only, newest first, unread highlighted, marked read one by one or all at once."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from notifications import services
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

MESSAGE = gettext_noop("%(name)s is in your network.")


def _note(recipient, name="Inès", minutes_ago=0, **extra):
    services.preferences_save(member=recipient, choices={Kind.INVITATION: (True, False)})
    notification = services.notify(
        recipient=recipient, kind=Kind.INVITATION, message=MESSAGE, params={"name": name}, **extra
    )
    if minutes_ago:
        Notification.objects.filter(pk=notification.pk).update(
            created_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
        )
    return notification


def _ids_in(body: str, notifications) -> list[int]:
    positions = {n.pk: body.find(f'id="notification-{n.pk}"') for n in notifications}
    return [pk for pk, at in sorted(positions.items(), key=lambda kv: kv[1]) if at >= 0]


def test_the_list_shows_mine_newest_first_with_unread_highlighted(client_of, owner, member):
    old = _note(owner, "Ancien", minutes_ago=60)
    new = _note(owner, "Nouveau")
    services.notification_mark_read(notification=old)
    theirs = _note(member, "Secret de Marc")

    body = client_of(owner).get(reverse("notifications:list")).content.decode()

    assert _ids_in(body, [old, new, theirs]) == [new.pk, old.pk]
    assert "Secret de Marc" not in body
    assert f'id="notification-{new.pk}" class="notification unread"' in body
    assert f'id="notification-{old.pk}" class="notification"' in body


def test_each_notification_is_in_the_viewers_active_language(client_of, owner):
    _note(owner, "Inès")
    client = client_of(owner)

    french = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("notifications:list")).content.decode()

    assert "Inès fait désormais partie de votre réseau." in french
    assert "Inès is in your network." in english


def test_the_list_is_paginated(client_of, owner):
    for i in range(23):
        _note(owner, f"Personne {i}", minutes_ago=100 - i)
    client = client_of(owner)

    first = client.get(reverse("notifications:list")).content.decode()
    second = client.get(reverse("notifications:list"), {"page": 2}).content.decode()

    assert "Personne 22" in first and "Personne 3" in first and "Personne 2 " not in first
    assert "Personne 2 " in second and "Personne 0 " in second and "Personne 22" not in second


def test_the_list_costs_the_same_queries_for_5_or_20_notifications(client_of, owner):
    client = client_of(owner)
    for i in range(5):
        _note(owner, f"P{i}")
    with CaptureQueriesContext(connection) as five:
        client.get(reverse("notifications:list"))
    for i in range(15):
        _note(owner, f"Q{i}")
    with CaptureQueriesContext(connection) as twenty:
        client.get(reverse("notifications:list"))
    assert len(twenty) == len(five)


def test_marking_one_as_read(client_of, owner):
    note = _note(owner)
    client = client_of(owner)

    response = client.post(reverse("notifications:read", args=[note.pk]))

    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")
    note.refresh_from_db()
    assert note.read_at is not None


def test_marking_one_as_read_with_htmx_swaps_the_item_and_the_bell(client_of, owner):
    note = _note(owner)
    _note(owner, "Autre")
    client = client_of(owner)

    response = client.post(reverse("notifications:read", args=[note.pk]), HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{note.pk}" class="notification"' in body
    assert 'id="nav-notifications"' in body and 'hx-swap-oob="true"' in body
    assert '<span class="bell-count">1<' in body


def test_marking_all_as_read(client_of, owner, member):
    mine = [_note(owner, "A"), _note(owner, "B")]
    theirs = _note(member, "C")
    client = client_of(owner)

    response = client.post(reverse("notifications:read_all"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert 'id="notifications"' in response.content.decode()
    assert 'class="bell-count"' not in response.content.decode()
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_next_address_only_leads_back_to_the_list(client_of, owner):
    note = _note(owner)
    client = client_of(owner)
    list_url = reverse("notifications:list")

    kept = client.post(reverse("notifications:read", args=[note.pk]), {"next": f"{list_url}?page=2"})
    elsewhere = client.post(reverse("notifications:read_all"), {"next": "https://evil.example/"})

    assert kept["Location"] == f"{list_url}?page=2"
    assert elsewhere["Location"] == list_url


def test_i_cannot_read_or_mark_someone_elses_notification(client_of, owner, member):
    theirs = _note(member, "Secret de Marc")
    client = client_of(owner)

    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[999_999])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_bell_counts_my_unread_notifications_in_one_query(rf, owner, member):
    from notifications.context_processors import unread

    _note(owner)
    _note(owner, "Autre")
    services.notification_mark_read(notification=_note(owner, "Lu"))
    _note(member)
    request = rf.get("/")
    request.user = owner

    context = unread(request)
    with CaptureQueriesContext(connection) as queries:
        assert int(str(context["unread_notifications"])) == 2
        assert bool(context["unread_notifications"])
    assert len(queries) == 1


def test_the_bell_costs_nothing_on_a_page_that_does_not_show_it(rf, owner):
    from notifications.context_processors import unread

    request = rf.get("/")
    request.user = owner
    with CaptureQueriesContext(connection) as queries:
        unread(request)
    assert len(queries) == 0


def test_the_bell_template_shows_the_count(rf, owner):
    from django.template.loader import render_to_string

    from notifications.context_processors import unread

    _note(owner)
    request = rf.get("/")
    request.user = owner
    html = render_to_string("notifications/_bell.html", unread(request), request=request)
    assert 'href="/notifications/"' in html and '<span class="bell-count">1<' in html


def test_the_preferences_page_saves_each_kind(client_of, owner):
    from notifications.selectors import preferences_of

    client = client_of(owner)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    choices = {f"{kind}_in_app": "on" for kind in Kind.values} | {f"{kind}_email": "on" for kind in Kind.values}
    del choices["digest_email"], choices["announcement_in_app"]

    response = client.post(reverse("notifications:preferences"), choices)

    assert response.status_code == 302
    prefs = preferences_of(member=owner)
    assert prefs["digest"] == (True, False) and prefs["announcement"] == (False, True)
    assert prefs["event_reminder"] == (True, True)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="digest_email" id="id_digest_email">' in page
    assert 'name="digest_in_app" id="id_digest_in_app" checked>' in page
