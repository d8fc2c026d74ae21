"""Every route of matching, pages and API, tried by a stranger and by members excluded by consent
settings (the target hidden, circles-only, or a block either way): a 404, and no name leaks.

Both lists of routes are enumerated, so a new route cannot slip in unclassified.
"""

import pytest
from django.test import Client
from django.urls import reverse

from circles.models import Circle, Membership, Status
from circles.vocab import Family
from intros import services as intros_services
from matching.api import router
from matching.models import Dismissal, PairingMember
from matching.pairing import pairing_round_create
from matching.tests.test_routes_access import MEMBER_ROUTES, OWN_OBJECT_ROUTES, POST_ONLY, _routes
from people.models import Discoverability
from people.services import api_token_create

pytestmark = pytest.mark.django_db

# API: (method, path) → what the path's id stands for (None: the caller's own data).
API_ROUTES = {
    ("GET", "/suggestions"): None,
    ("POST", "/suggestions/{member_id}/dismiss"): "member",
    ("GET", "/weights"): None,
    ("PATCH", "/weights"): None,
    ("GET", "/pairings"): None,
    ("POST", "/pairings/{pairing_id}/met"): "pairing",
}
BODIES = {"/weights": {"spirit": 1.0}, "/pairings/{pairing_id}/met": {"met": True}}
OWNER_NAMES = ("Hélène", "Dupré")  # whom the settings exclude
NAMES = (*OWNER_NAMES, "Léa", "Fontaine")  # and the owner's coffee partner (any member may find her)


def _api_routes():
    for path, view in router.path_operations.items():
        for operation in view.operations:
            for method in operation.methods:
                yield method, path


def test_every_api_route_is_classified():
    assert set(_api_routes()) == set(API_ROUTES)


@pytest.fixture
def setting(owner, teacher, member, stranger):
    """The owner and the teacher paired in a circle; `member` shares nothing with them."""
    circle = Circle.objects.create(name="Café Vieux-Port", slug="cafe-vieux-port", family=Family.BUSINESS)
    for user in (owner, teacher):
        Membership.objects.create(circle=circle, member=user, status=Status.ACTIVE, pairing_opt_in=True)
    pairing_round_create(circle=circle)
    return PairingMember.objects.get(member=owner)


def _hide(user, discoverability):
    user.profile.discoverability = discoverability
    user.profile.save(update_fields=["discoverability"])


EXCLUSIONS = ["stranger", "hidden", "circles_only", "blocked_by_owner", "blocking_owner"]


@pytest.fixture
def excluded(request, owner, member, stranger):
    """A member the owner's settings (or a block) exclude from seeing the owner."""
    kind = request.param
    if kind == "hidden":
        _hide(owner, Discoverability.HIDDEN)
    elif kind == "circles_only":
        _hide(owner, Discoverability.CIRCLES)
    elif kind == "blocked_by_owner":
        intros_services.block_create(blocker=owner, blocked=member)
    elif kind == "blocking_owner":
        intros_services.block_create(blocker=member, blocked=owner)
    return stranger if kind == "stranger" else member


def _no_names(response, names=NAMES) -> None:
    text = response.content.decode()
    for name in names:
        assert name not in text, name


@pytest.mark.parametrize("excluded", EXCLUSIONS, indirect=True)
def test_pages_are_404_without_names_for_excluded_members(client, setting, owner, excluded):
    if owner.profile.discoverability == Discoverability.MEMBERS and not _blocked(owner, excluded):
        _hide(owner, Discoverability.CIRCLES)  # the plain stranger: the owner shows herself to her circles
    client.force_login(excluded)
    for name, _args in _routes():
        if name in MEMBER_ROUTES:
            url = reverse(f"matching:{name}", kwargs={"member_id": owner.pk})
        elif name in OWN_OBJECT_ROUTES:
            url = reverse(f"matching:{name}", kwargs={"pairing_id": setting.pk})
        else:
            continue
        response = client.post(url, {"met": "yes"}) if name in POST_ONLY else client.get(url)
        assert response.status_code == 404, name
        _no_names(response)
    for own in ("matching:suggestions", "matching:pairings"):
        _no_names(client.get(reverse(own), HTTP_ACCEPT_LANGUAGE="en"), OWNER_NAMES)
    assert not Dismissal.objects.exists()
    setting.refresh_from_db()
    assert setting.met is None


def _blocked(a, b) -> bool:
    from intros.models import Block

    return Block.objects.filter(blocker__in=[a, b], blocked__in=[a, b]).exists()


@pytest.mark.parametrize("excluded", EXCLUSIONS, indirect=True)
def test_api_routes_are_404_without_names_for_excluded_members(setting, owner, excluded):
    if owner.profile.discoverability == Discoverability.MEMBERS and not _blocked(owner, excluded):
        _hide(owner, Discoverability.CIRCLES)
    api = Client()
    key = api_token_create(user=excluded, name="script").key
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "en"}
    for (method, path), target in API_ROUTES.items():
        url = "/api/matching" + path.format(member_id=owner.pk, pairing_id=setting.pk)
        body = BODIES.get(path, {})
        response = getattr(api, method.lower())(url, body, content_type="application/json", **auth)
        if target is None:
            assert response.status_code == 200, (method, path)
            _no_names(response, OWNER_NAMES)
        else:
            assert response.status_code == 404, (method, path)
            _no_names(response)
        missing = "/api/matching" + path.format(member_id=999_999, pairing_id=999_999)
        if target is not None:
            assert (
                getattr(api, method.lower())(missing, body, content_type="application/json", **auth).status_code == 404
            )
    assert not Dismissal.objects.exists()
    setting.refresh_from_db()
    assert setting.met is None


def test_api_routes_refuse_anonymous_callers(setting, owner):
    api = Client()
    for (method, path), _target in API_ROUTES.items():
        url = "/api/matching" + path.format(member_id=owner.pk, pairing_id=setting.pk)
        response = getattr(api, method.lower())(url, BODIES.get(path, {}), content_type="application/json")
        assert response.status_code == 401, (method, path)
        _no_names(response)
