"""Every route of notifications: anonymous visitors are sent to log in (except the signed
unsubscribe link), another member gets 404 for my notifications.

The test enumerates the URL patterns, so a new route cannot slip in unclassified.
"""

import pytest
from django.urls import get_resolver, reverse
from django.utils.translation import gettext_noop

from notifications import services
from notifications.emails import unsubscribe_token
from notifications.models import Kind, Notification, Preference

pytestmark = pytest.mark.django_db

OWN_ROUTES = {"list", "read_all", "preferences", "digest"}  # the signed-in member's own data
OBJECT_ROUTES = {"read"}  # one of the member's notifications
TOKEN_ROUTES = {"unsubscribe"}  # public: the signed token is the credential
POST_ONLY = {"read", "read_all"}
ARGUMENTS = {"notification_id", "token"}


def _routes():
    resolver = get_resolver()
    namespace = resolver.namespace_dict["notifications"][1]
    for pattern in namespace.url_patterns:
        yield pattern.name, set(pattern.pattern.converters)


@pytest.fixture
def owned(owner):
    notification = services.notify(
        recipient=owner, kind=Kind.ANNOUNCEMENT, message=gettext_noop("Welcome"), params={}, url="/"
    )
    return {
        "notification_id": notification.pk,
        "token": unsubscribe_token(member_id=owner.pk, kind=Kind.ANNOUNCEMENT),
    }


def _url(name, args, owned):
    return reverse(f"notifications:{name}", kwargs={a: owned[a] for a in args})


def test_every_route_is_classified():
    for name, args in _routes():
        assert args <= ARGUMENTS, f"{name} takes unknown arguments {args}"
        assert name in OWN_ROUTES | OBJECT_ROUTES | TOKEN_ROUTES, f"classify the new route {name}"
        assert bool(args) == (name not in OWN_ROUTES), name


def test_anonymous_visitors_are_sent_to_log_in_except_for_the_unsubscribe_link(client, owned):
    for name, args in _routes():
        url = _url(name, args, owned)
        response = client.post(url) if name in POST_ONLY else client.get(url)
        if name in TOKEN_ROUTES:
            assert response.status_code == 200, name
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    assert Notification.objects.get(pk=owned["notification_id"]).read_at is None


def test_another_member_gets_404_for_my_notifications(client, member, owned):
    client.force_login(member)
    for name, args in _routes():
        if name not in OBJECT_ROUTES:
            continue
        url = _url(name, args, owned)
        assert client.get(url).status_code in (404, 405), f"GET {name}"
        assert client.post(url).status_code == 404, f"POST {name}"
    assert Notification.objects.get(pk=owned["notification_id"]).read_at is None


def test_another_members_own_pages_never_show_my_notifications(client, member, owned):
    client.force_login(member)
    for name in OWN_ROUTES - POST_ONLY:
        response = client.get(reverse(f"notifications:{name}"))
        assert response.status_code == 200, name
        assert f"notification-{owned['notification_id']}" not in response.content.decode(), name
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.get(pk=owned["notification_id"]).read_at is None


def test_the_unsubscribe_link_only_touches_its_owners_settings(client, member, owned):
    client.force_login(member)  # logged in as someone else: the token still decides whose settings change
    client.post(reverse("notifications:unsubscribe", args=[owned["token"]]))
    assert list(Preference.objects.values_list("member_id", flat=True)) == [
        Notification.objects.get(pk=owned["notification_id"]).recipient_id
    ]
