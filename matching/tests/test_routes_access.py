"""Every route of matching: anonymous visitors are sent to log in; actions are POST only.

The test enumerates the URL patterns, so a new route cannot slip in unclassified.
"""

import pytest
from django.urls import get_resolver, reverse

from matching.models import Dismissal, MatchWeights

pytestmark = pytest.mark.django_db

OWN_ROUTES = {"suggestions", "weights", "pairings"}  # the signed-in member's own page and settings
MEMBER_ROUTES = {"dismiss"}  # acts on another member, who must be findable
OWN_OBJECT_ROUTES = {"pairing_met"}  # one of the member's own pairings: 404 for anyone else's
ORGANIZER_ROUTES = {"pairing_settings", "pairing_run"}  # a circle's organizers only: 404 for others
POST_ONLY = {"dismiss", "weights", "pairing_met", "pairing_run"}
ARGUMENTS = {"member_id", "pairing_id", "slug"}
ROUTE_ARGUMENTS = {
    **dict.fromkeys(MEMBER_ROUTES, {"member_id"}),
    **dict.fromkeys(OWN_OBJECT_ROUTES, {"pairing_id"}),
    **dict.fromkeys(ORGANIZER_ROUTES, {"slug"}),
}


def _routes():
    namespace = get_resolver().namespace_dict["matching"][1]
    for pattern in namespace.url_patterns:
        yield pattern.name, set(pattern.pattern.converters)


def _url(name, args, target):
    kwargs = {arg: ("some-circle" if arg == "slug" else target.pk) for arg in args}
    return reverse(f"matching:{name}", kwargs=kwargs)


def test_every_route_is_classified():
    for name, args in _routes():
        assert args <= ARGUMENTS, f"{name} takes unknown arguments {args}"
        assert name in OWN_ROUTES | MEMBER_ROUTES | OWN_OBJECT_ROUTES | ORGANIZER_ROUTES, (
            f"classify the new route {name}"
        )
        assert args == ROUTE_ARGUMENTS.get(name, set()), name


def test_anonymous_visitors_are_sent_to_log_in(client, owner):
    for name, args in _routes():
        url = _url(name, args, owner)
        response = client.post(url) if name in POST_ONLY else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    assert not Dismissal.objects.exists() and not MatchWeights.objects.exists()


def test_actions_refuse_get(client_of, owner, member):
    client = client_of(member)
    for name, args in _routes():
        if name in POST_ONLY:
            assert client.get(_url(name, args, owner)).status_code == 405, name


def test_organizer_routes_are_not_found_for_non_organizers(client_of, member):
    from circles.models import Circle, Membership, Status
    from circles.vocab import Family

    circle = Circle.objects.create(name="Cercle", slug="cercle-test", family=Family.BUSINESS)
    Membership.objects.create(circle=circle, member=member, status=Status.ACTIVE)
    client = client_of(member)
    for name in ORGANIZER_ROUTES:
        url = reverse(f"matching:{name}", kwargs={"slug": circle.slug})
        response = client.post(url) if name in POST_ONLY else client.get(url)
        assert response.status_code == 404, name
    assert client.get(reverse("matching:pairing_settings", kwargs={"slug": "no-such-circle"})).status_code == 404


def test_own_object_routes_are_not_found_for_others(client_of, member):
    for name in OWN_OBJECT_ROUTES:
        assert client_of(member).post(reverse(f"matching:{name}", kwargs={"pairing_id": 999999})).status_code == 404
