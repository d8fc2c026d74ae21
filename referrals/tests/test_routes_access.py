"""Every route of the referrals app, classified and tried: anonymous visitors go to the log-in page;
a referral is reached by its giver and its receiver only, a club's pages by its active members
only; anybody else gets the same 404 as for a missing one, without a name or a prospect in it."""

import pytest
from django.urls import get_resolver, reverse

from circles import services as circle_services
from circles.models import Membership
from circles.vocab import Family
from referrals.models import Referral
from referrals.tests.conftest import PROSPECT, SECRETS

pytestmark = pytest.mark.django_db

OWN = {"index"}
# On a referral: its giver and its receiver.
REFERRAL_PAGES = {"detail"}
REFERRAL_POSTS = {"update_status", "withdraw"}
# On a referral club: its active members.
CLUB_PAGES = {"give", "stats"}
CLASSIFIED = OWN | REFERRAL_PAGES | REFERRAL_POSTS | CLUB_PAGES
KEYS = {**dict.fromkeys(REFERRAL_PAGES | REFERRAL_POSTS, "referral_id"), **dict.fromkeys(CLUB_PAGES, "slug")}
NAMES = ["Marc Leroy", "Nora Haddad", "Paul Simon", "Hélène Dupré"]


def referrals_routes():
    namespace = get_resolver().namespace_dict["referrals"][1]
    for pattern in namespace.url_patterns:
        yield pattern.name, set(pattern.pattern.converters)


def test_every_route_is_classified():
    names = [name for name, _args in referrals_routes()]
    assert len(names) == len(set(names)), "two routes share a name"
    assert set(names) == CLASSIFIED
    for name, args in referrals_routes():
        assert args == ({KEYS[name]} if name in KEYS else set()), name


def _url(name: str, key=0) -> str:
    if name in OWN:
        return reverse(f"referrals:{name}")
    return reverse(f"referrals:{name}", kwargs={KEYS[name]: key})


def _try(client, name: str, key):
    url = _url(name, key)
    data = {**PROSPECT, "status": "won", "value": "100"}
    return client.post(url, data) if name in REFERRAL_POSTS or name == "give" else client.get(url)


def _no_leak(response) -> None:
    body = response.content.decode()
    assert not [s for s in SECRETS + NAMES if s in body]


@pytest.fixture
def referral(give):
    return give()


@pytest.mark.parametrize("name", sorted(CLASSIFIED))
def test_an_anonymous_visitor_is_sent_to_log_in(name, client, club, referral):
    key = club.slug if name in CLUB_PAGES else referral.pk
    response = _try(client, name, key)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", sorted(REFERRAL_PAGES | REFERRAL_POSTS))
def test_someone_else_s_referral_is_a_404(name, client, referral, owner, fellow, stranger):
    """The club's organizer, a fellow member and a stranger: the same 404 as a missing referral."""
    for someone in (owner, fellow, stranger):
        client.force_login(someone)
        response = _try(client, name, referral.pk)
        assert response.status_code == 404, someone
        _no_leak(response)
    client.force_login(referral.receiver)
    assert _try(client, name, 999_999).status_code == 404
    referral.refresh_from_db()
    assert referral.status == "given"


@pytest.mark.parametrize("name", sorted(CLUB_PAGES))
def test_a_club_s_pages_are_for_its_active_members(name, client, club, referral, stranger, fellow):
    client.force_login(stranger)
    response = _try(client, name, club.slug)
    assert response.status_code == 404
    _no_leak(response)
    # A member who left is excluded like anybody else.
    circle_services.membership_leave(membership=Membership.objects.get(circle=club, member=fellow))
    client.force_login(fellow)
    response = _try(client, name, club.slug)
    assert response.status_code == 404
    _no_leak(response)
    assert _try(client, name, "no-such-club").status_code == 404
    assert Referral.objects.count() == 1


@pytest.mark.parametrize("name", sorted(CLUB_PAGES))
def test_a_circle_that_is_not_a_referral_club_is_a_404(name, client, make_club, owner, member):
    lunches = make_club(owner, name="Déjeuners du Panier", family=Family.BUSINESS)
    circle_services.membership_join(circle=lunches, member=member)
    client.force_login(member)
    assert _try(client, name, lunches.slug).status_code == 404
    assert not Referral.objects.exists()


def test_a_member_hidden_from_the_giver_cannot_be_chosen(client, club, member, receiver):
    from people.models import Discoverability
    from people.services import consent_update

    consent_update(profile=receiver.profile, discoverability=Discoverability.HIDDEN, visibility={})
    client.force_login(member)
    page = client.get(_url("give", club.slug)).content.decode()
    assert "Nora Haddad" not in page
    client.post(_url("give", club.slug), {**PROSPECT, "receiver": receiver.pk})
    assert not Referral.objects.exists()


@pytest.mark.parametrize("name", sorted(REFERRAL_POSTS))
def test_actions_are_posts_only(name, client, referral):
    client.force_login(referral.receiver)
    assert client.get(_url(name, referral.pk)).status_code == 405


def test_the_parties_still_reach_their_referral_after_leaving_the_club(client, club, referral, receiver):
    circle_services.membership_leave(membership=Membership.objects.get(circle=club, member=receiver))
    client.force_login(receiver)
    assert client.get(_url("detail", referral.pk)).status_code == 200
