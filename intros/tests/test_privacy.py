"""Connections open the "my connections" level; a block hides two members from each other on
every surface the privacy selector serves: search, profile page, vCard, photo, API."""

import pytest
from django.db import connection as db_connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intros import services
from people.models import Discoverability, Level
from people.services import api_token_create, consent_update
from privacy.selectors import Audience, audience_of, is_discoverable_by, member_search, seen_by, visible_profile

pytestmark = pytest.mark.django_db

PHONE = "+33 6 11 22 33 44"


def _api(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t').key}"}


@pytest.fixture
def phone_for_connections(owner):
    consent_update(
        profile=owner.profile,
        discoverability=Discoverability.MEMBERS,
        visibility={"phone": Level.CONNECTIONS, "contact_email": Level.CONNECTIONS},
    )
    return owner


def test_a_connected_member_sees_my_connections_fields(phone_for_connections, member, connect, client):
    owner = phone_for_connections
    connect(member, owner)
    assert audience_of(member, owner) == Audience.CONNECTION
    seen = visible_profile(member, owner)
    assert seen.phone == PHONE and seen.contact_email == "helene.dupre@example.org"
    client.force_login(member)
    page = client.get(reverse("people:member_detail", args=[owner.pk])).content.decode()
    assert PHONE in page and "helene.dupre@example.org" in page
    assert PHONE in Client().get(f"/api/members/{owner.pk}", **_api(member)).json()["phone"]
    (found,) = member_search(viewer=member, query="helene")
    assert seen_by(member, found).phone == PHONE


def test_a_stranger_does_not_see_my_connections_fields(phone_for_connections, member, stranger, connect, client):
    owner = phone_for_connections
    connect(member, owner)
    seen = visible_profile(stranger, owner)
    assert seen.name == "Hélène Dupré" and seen.phone == "" and seen.contact_email == ""
    client.force_login(stranger)
    page = client.get(reverse("people:member_detail", args=[owner.pk])).content.decode()
    assert PHONE not in page and "helene.dupre@example.org" not in page


def test_a_removed_connection_closes_the_level_again(phone_for_connections, member, connect):
    connect(member, phone_for_connections)
    services.connection_remove(member=phone_for_connections, other=member)
    assert visible_profile(member, phone_for_connections).phone == ""


def test_a_connection_finds_a_member_who_hides_from_circles_and_members(owner, member, connect):
    connect(member, owner)
    consent_update(profile=owner.profile, discoverability=Discoverability.HIDDEN, visibility={})
    assert is_discoverable_by(member, owner)


@pytest.mark.parametrize("who_blocks", ["owner", "member"])
def test_a_block_hides_both_from_each_other_everywhere(who_blocks, owner, member, client):
    consent_update(profile=member.profile, discoverability=Discoverability.MEMBERS, visibility={})
    blocker, blocked = (owner, member) if who_blocks == "owner" else (member, owner)
    services.block_create(blocker=blocker, blocked=blocked)
    for viewer, other, name, query in [(owner, member, "Marc Leroy", "leroy"), (member, owner, "Hélène", "helene")]:
        assert not is_discoverable_by(viewer, other)
        assert visible_profile(viewer, other) is None
        assert audience_of(viewer, other) == Audience.NONE
        assert seen_by(viewer, other.profile).name is None  # e.g. on an attendee list
        assert list(member_search(viewer=viewer, query=query)) == []
        client.force_login(viewer)
        assert client.get(reverse("people:member_detail", args=[other.pk])).status_code == 404
        assert client.get(reverse("people:member_vcard", args=[other.pk])).status_code == 404
        assert name not in client.get(reverse("people:member_list"), {"q": query}).content.decode()
        assert Client().get(f"/api/members/{other.pk}", **_api(viewer)).status_code == 404
        assert Client().get(f"/api/members?q={query}", **_api(viewer)).json()["items"] == []
    services.block_remove(blocker=blocker, blocked=blocked)
    assert visible_profile(owner, member) is not None and visible_profile(member, owner) is not None


def test_a_block_leaves_everybody_else_untouched(owner, member, stranger):
    services.block_create(blocker=owner, blocked=member)
    assert visible_profile(stranger, owner) is not None
    assert [p.user_id for p in member_search(viewer=stranger, query="helene")] == [owner.pk]


def test_search_runs_a_constant_number_of_queries(owner, member, open_member, connect):
    def run() -> int:
        with CaptureQueriesContext(db_connection) as ctx:
            profiles = list(member_search(viewer=member, query="membre"))
            [seen_by(member, p) for p in profiles]
        return len(ctx.captured_queries)

    for _ in range(2):
        open_member()
    few = run()
    others = [open_member() for _ in range(5)]
    connect(member, others[0])
    services.block_create(blocker=others[1], blocked=member)
    assert run() == few
