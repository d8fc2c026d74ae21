"""With circles, "my circles" means something: fellow active members see what members keep for
their circles, strangers do not; "findable by my circles" lets only fellow members find someone;
organizers see name and profession within their circle, and only there."""

import pytest
from django.urls import reverse

from circles import services
from circles.selectors import members_of
from people.models import Discoverability, Level
from people.services import consent_update
from privacy.selectors import Audience, audience_of, is_discoverable_by, visible_profile

pytestmark = pytest.mark.django_db

PHONE = "+33 6 11 22 33 44"


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def circle(owner, member, make_circle, cities):
    """Hélène and Marc are both active members of one circle (in Paris); Zoé is not."""
    circle = make_circle(owner, name="Déjeuners d'affaires Paris", city=cities["Paris"])
    services.membership_join(circle=circle, member=member)
    return circle


def _profile_page(client, viewer, member) -> tuple[int, str]:
    client.force_login(viewer)
    response = client.get(reverse("people:member_detail", args=[member.pk]))
    return response.status_code, response.content.decode()


def test_a_field_for_my_circles_is_seen_by_a_fellow_member_and_not_by_a_stranger(
    client, owner, member, stranger, circle
):
    consent_update(profile=owner.profile, discoverability=Discoverability.MEMBERS, visibility={"phone": Level.CIRCLES})
    assert audience_of(member, owner) == Audience.CIRCLE
    assert audience_of(stranger, owner) == Audience.MEMBER
    assert PHONE in _profile_page(client, member, owner)[1]
    assert PHONE not in _profile_page(client, stranger, owner)[1]


def test_the_circle_level_ends_when_the_member_leaves(client, owner, member, circle):
    consent_update(profile=owner.profile, discoverability=Discoverability.MEMBERS, visibility={"phone": Level.CIRCLES})
    services.membership_leave(membership=circle.memberships.get(member=member))
    assert PHONE not in _profile_page(client, member, owner)[1]


def test_a_request_or_an_invitation_is_not_yet_a_shared_circle(owner, stranger, make_circle):
    from circles.models import MembershipMode

    on_request = make_circle(owner, name="Sur demande", membership_mode=MembershipMode.REQUEST)
    services.membership_join(circle=on_request, member=stranger)
    other = make_circle(owner, name="Autre")
    services.invitation_create(circle=other, inviter=owner, email=stranger.email)
    assert audience_of(stranger, owner) == Audience.MEMBER


def test_findable_by_my_circles_means_fellow_members_only(client, owner, member, stranger, circle):
    consent_update(profile=owner.profile, discoverability=Discoverability.CIRCLES, visibility={})
    assert is_discoverable_by(member, owner) and not is_discoverable_by(stranger, owner)
    assert _profile_page(client, member, owner)[0] == 200
    assert _profile_page(client, stranger, owner)[0] == 404
    fellow_list = members_of(circle=circle, viewer=member)
    assert owner.pk in [e.membership.member_id for e in fellow_list.entries]
    stranger_list = members_of(circle=circle, viewer=stranger)
    assert owner.pk not in [e.membership.member_id for e in stranger_list.entries]
    assert stranger_list.not_shown >= 1


def test_a_hidden_member_is_listed_to_nobody_but_the_organizers(owner, member, stranger, circle):
    consent_update(profile=member.profile, discoverability=Discoverability.HIDDEN, visibility={})
    assert visible_profile(owner, member) is None
    for viewer in (stranger, None):
        assert member.pk not in [e.membership.member_id for e in members_of(circle=circle, viewer=viewer).entries]
    organizer_view = members_of(circle=circle, viewer=owner)
    entry = next(e for e in organizer_view.entries if e.membership.member_id == member.pk)
    assert entry.for_organizer is not None and entry.name == "Marc Leroy"
    assert not entry.linkable  # listed for the organizer, but no profile page to open


def test_organizers_see_name_and_profession_even_when_kept_private(owner, member, circle, with_profession):
    with_profession(member, "accountant")
    consent_update(
        profile=member.profile,
        discoverability=Discoverability.HIDDEN,
        visibility={"name": Level.ONLY_ME, "profession": Level.ONLY_ME, "phone": Level.ONLY_ME},
    )
    entry = next(e for e in members_of(circle=circle, viewer=owner).entries if e.membership.member_id == member.pk)
    assert (entry.name, entry.profession) == ("Marc Leroy", "Accountant")
    assert entry.seen.phone == ""  # name and profession, nothing more


def test_a_fellow_member_sees_circle_level_fields_in_the_members_list(client, owner, member, stranger, circle):
    consent_update(profile=owner.profile, discoverability=Discoverability.MEMBERS, visibility={"city": Level.CIRCLES})
    client.force_login(member)
    page = client.get(reverse("circles:members", args=[circle.slug])).content.decode()
    assert "Hélène Dupré" in page and "Marseille" in page
    client.force_login(stranger)
    page = client.get(reverse("circles:members", args=[circle.slug])).content.decode()
    assert "Hélène Dupré" in page and "Marseille" not in page


def test_anonymous_visitors_see_no_member_of_a_public_circle(client, circle):
    page = client.get(reverse("circles:detail", args=[circle.slug])).content.decode()
    assert "Hélène Dupré" not in page and "Marc Leroy" not in page


def test_a_member_whose_name_is_for_connections_only_is_counted_not_listed(owner, member, stranger, circle):
    consent_update(
        profile=member.profile, discoverability=Discoverability.MEMBERS, visibility={"name": Level.CONNECTIONS}
    )
    listing = members_of(circle=circle, viewer=stranger)
    assert member.pk not in [e.membership.member_id for e in listing.entries]
    assert listing.not_shown == 1


def test_who_belongs_to_an_unlisted_circle_is_for_its_members_only(client, owner, member, stranger, make_circle):
    from circles.models import Visibility

    secret = make_circle(owner, name="Cercle Discret", visibility=Visibility.UNLISTED)
    services.membership_join(circle=secret, member=member)
    assert members_of(circle=secret, viewer=stranger).entries == []
    assert {e.membership.member_id for e in members_of(circle=secret, viewer=member).entries} == {owner.pk, member.pk}
    client.force_login(stranger)
    page = client.get(reverse("circles:detail", args=[secret.slug])).content.decode()
    assert "Hélène Dupré" not in page and "Marc Leroy" not in page
