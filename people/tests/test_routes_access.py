"""Every route of the people app, enumerated: who may reach it, and whose objects it may touch.

A new route makes `test_every_people_route_is_classified` fail until it is added to ROUTES below,
so that its access rules are decided, and then tested, on purpose.
"""

from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from people.models import ApiToken, Discoverability, Objective
from people.services import api_token_create, consent_update, objective_add, photo_set
from people.tests.images import png_upload

pytestmark = pytest.mark.django_db

PAGE = "page"  # members only, GET shows a page of the signed-in member
ACTION = "action"  # members only, POST only, acts on the signed-in member's own data
OWN_OBJECTIVE = "own objective"  # members only, POST only, on one of the member's objectives
OWN_TOKEN = "own token"  # members only, POST only, on one of the member's API tokens
MEMBER = "member"  # members only, GET another member's profile as the privacy selector allows
CARD = "card"  # public: anyone holding a card's link
PUBLIC = "public"  # public: no data behind it

ROUTES = {
    "me": PAGE,
    "profile_edit": PAGE,
    "consent": PAGE,
    "export": PAGE,
    "delete": PAGE,
    "api_tokens": PAGE,
    "member_list": PAGE,
    "photo_upload": ACTION,
    "photo_remove": ACTION,
    "objective_add": ACTION,
    "card_renew": ACTION,
    "objective_toggle": OWN_OBJECTIVE,
    "objective_delete": OWN_OBJECTIVE,
    "api_token_revoke": OWN_TOKEN,
    "member_detail": MEMBER,
    "member_photo": MEMBER,
    "member_vcard": MEMBER,
    "card": CARD,
    "card_qr": CARD,
    "card_vcard": CARD,
    "card_photo": CARD,
    "set_language": PUBLIC,
}
ARGUMENTS = {
    PAGE: set(),
    ACTION: set(),
    OWN_OBJECTIVE: {"objective_id"},
    OWN_TOKEN: {"token_id"},
    MEMBER: {"user_id"},
    CARD: {"token"},
    PUBLIC: set(),
}
POST_ONLY = {ACTION, OWN_OBJECTIVE, OWN_TOKEN}


def _people_routes() -> dict[str, set[str]]:
    """Name -> argument names of every URL pattern in the "people" namespace, nested includes too."""
    routes: dict[str, set[str]] = {}

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                routes[pattern.name] = set(pattern.pattern.converters)

    _prefix, resolver = get_resolver().namespace_dict["people"]
    walk(resolver.url_patterns)
    return routes


def _names(*kinds) -> list[str]:
    return [name for name, kind in ROUTES.items() if kind in kinds]


def test_every_people_route_is_classified():
    routes = _people_routes()
    unclassified = sorted(set(routes) - set(ROUTES))
    gone = sorted(set(ROUTES) - set(routes))
    assert not unclassified, f"new routes: decide who may reach them and add them to ROUTES: {unclassified}"
    assert not gone, f"routes no longer exist, remove them from ROUTES: {gone}"
    wrong = {name: args for name, args in routes.items() if args != ARGUMENTS[ROUTES[name]]}
    assert not wrong, f"these routes take other arguments than their class expects: {wrong}"


@pytest.fixture
def owned(owner, settings, tmp_path):
    """The owner with one objective, one API token and a photo: something behind every route."""
    settings.MEDIA_ROOT = tmp_path
    photo_set(profile=owner.profile, upload=png_upload())
    return {
        "objective_id": objective_add(profile=owner.profile, text="Préparer ma levée de fonds").pk,
        "token_id": api_token_create(user=owner, name="Mon script").token.pk,
        "user_id": owner.pk,
        "token": owner.profile.card_token,
    }


def _url(name: str, owned: dict) -> str:
    kwargs = {arg: owned[arg] for arg in ARGUMENTS[ROUTES[name]]}
    return reverse(f"people:{name}", kwargs=kwargs)


def _assert_sent_to_login(response, url):
    assert response.status_code == 302, f"{url}: {response.status_code}"
    location = urlparse(response["Location"])
    assert location.path == reverse("account_login"), f"{url} -> {response['Location']}"


@pytest.mark.parametrize("name", _names(PAGE, ACTION, OWN_OBJECTIVE, OWN_TOKEN, MEMBER))
def test_an_anonymous_visitor_is_sent_to_log_in(name, owned, owner, client):
    url = _url(name, owned)
    _assert_sent_to_login(client.get(url), url)
    _assert_sent_to_login(client.post(url), url)
    _assert_sent_to_login(client.post(url, HTTP_HX_REQUEST="true"), url)
    # ... and nothing happened behind the redirect.
    assert Objective.objects.filter(pk=owned["objective_id"]).get().done is False
    assert ApiToken.objects.filter(pk=owned["token_id"]).exists()
    owner.profile.refresh_from_db()
    assert owner.profile.card_token == owned["token"] and owner.profile.photo


@pytest.mark.parametrize("name", _names(PAGE))
def test_a_signed_in_member_opens_their_own_pages(name, owned, owner, client_of):
    assert client_of(owner).get(_url(name, owned)).status_code == 200


@pytest.mark.parametrize("name", _names(*POST_ONLY))
def test_actions_answer_only_to_post(name, owned, owner, client_of):
    assert client_of(owner).get(_url(name, owned)).status_code == 405


@pytest.mark.parametrize("name", _names(OWN_OBJECTIVE, OWN_TOKEN))
def test_another_member_gets_404_for_the_owners_objects(name, owned, owner, member, client_of):
    url = _url(name, owned)
    client = client_of(member)
    assert client.post(url).status_code == 404
    assert client.post(url, HTTP_HX_REQUEST="true").status_code == 404
    objective = Objective.objects.get(pk=owned["objective_id"])
    assert objective.profile_id == owner.pk and objective.done is False
    assert ApiToken.objects.filter(pk=owned["token_id"], user=owner).exists()

    # The same request by the owner works: the 404 above is about ownership, not a broken route.
    client.force_login(owner)
    assert client.post(url).status_code == 302


@pytest.mark.parametrize("name", _names(OWN_OBJECTIVE, OWN_TOKEN))
def test_an_id_that_does_not_exist_gets_404(name, owned, owner, client_of):
    url = reverse(f"people:{name}", kwargs=dict.fromkeys(ARGUMENTS[ROUTES[name]], 999_999))
    assert client_of(owner).post(url).status_code == 404


@pytest.mark.parametrize("name", _names(MEMBER))
def test_another_member_reaches_a_profile_only_when_its_owner_allows_it(name, owned, owner, member, client_of):
    url = _url(name, owned)
    client = client_of(member)
    assert client.get(url).status_code == 200  # the owner lets all members find them
    consent_update(profile=owner.profile, discoverability=Discoverability.HIDDEN, visibility={})
    assert client.get(url).status_code == 404
    assert client.get(reverse(f"people:{name}", kwargs={"user_id": 999_999})).status_code == 404


@pytest.mark.parametrize("name", _names(CARD))
def test_card_routes_are_public_with_the_link_and_404_without_it(name, owned, client):
    assert client.get(_url(name, owned)).status_code == 200
    assert client.get(reverse(f"people:{name}", kwargs={"token": "not-the-token"})).status_code == 404


@pytest.mark.parametrize("name", _names(PUBLIC))
def test_public_routes_do_not_ask_to_log_in(name, owned):
    response = Client().post(_url(name, owned), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
