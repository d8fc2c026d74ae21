"""Every route of matching: anonymous visitors are sent to log in; actions are POST only.

The test enumerates the URL patterns, so a new route cannot slip in unclassified.
"""

import pytest
from django.urls import get_resolver, reverse

from matching.models import Dismissal, MatchWeights

pytestmark = pytest.mark.django_db

OWN_ROUTES = {"suggestions", "weights"}  # the signed-in member's own page and settings
MEMBER_ROUTES = {"dismiss"}  # acts on another member, who must be findable
POST_ONLY = {"dismiss", "weights"}
ARGUMENTS = {"member_id"}


def _routes():
    namespace = get_resolver().namespace_dict["matching"][1]
    for pattern in namespace.url_patterns:
        yield pattern.name, set(pattern.pattern.converters)


def _url(name, args, target):
    return reverse(f"matching:{name}", kwargs=dict.fromkeys(args, target.pk))


def test_every_route_is_classified():
    for name, args in _routes():
        assert args <= ARGUMENTS, f"{name} takes unknown arguments {args}"
        assert name in OWN_ROUTES | MEMBER_ROUTES, f"classify the new route {name}"
        assert bool(args) == (name in MEMBER_ROUTES), name


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
