"""Every visibility level, seen by the owner, a signed-in member and an anonymous visitor,
on every surface: profile page, member search, card page, vCard, QR code, API."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from people.models import Discoverability, Level
from people.services import api_token_create, consent_update

pytestmark = pytest.mark.django_db

PHONE = "+33 6 11 22 33 44"


def _set_phone_level(owner, level):
    consent_update(profile=owner.profile, discoverability=Discoverability.MEMBERS, visibility={"phone": level})


# Which levels each audience may see (connections and circles do not exist yet: nobody is in them).
SEEN_BY_MEMBER = {Level.MEMBERS, Level.LINK}
SEEN_BY_LINK = {Level.LINK}


def _surfaces_for_member(client, owner):
    api_key = api_token_create(user=client.viewer, name="t").key
    return {
        "profile page": client.get(reverse("people:member_detail", args=[owner.pk])).content.decode(),
        "member vCard": client.get(reverse("people:member_vcard", args=[owner.pk])).content.decode(),
        "search": client.get(reverse("people:member_list"), {"q": "Hélène"}).content.decode(),
        "API member": json.dumps(
            Client().get(f"/api/members/{owner.pk}", HTTP_AUTHORIZATION=f"Bearer {api_key}").json()
        ),
    }


@pytest.mark.parametrize("level", Level.values)
def test_a_signed_in_member_sees_a_field_only_at_members_level_or_wider(level, owner, member, client):
    _set_phone_level(owner, level)
    client.force_login(member)
    client.viewer = member
    for surface, text in _surfaces_for_member(client, owner).items():
        if surface == "search":
            continue  # search results show no phone at any level
        assert (PHONE in text) == (level in SEEN_BY_MEMBER), f"{surface} at level {level}"


@pytest.mark.parametrize("level", Level.values)
def test_an_anonymous_visitor_with_the_card_link_sees_only_link_fields(level, owner, client):
    _set_phone_level(owner, level)
    token = owner.profile.card_token
    page = client.get(reverse("people:card", args=[token])).content.decode()
    vcard = client.get(reverse("people:card_vcard", args=[token])).content.decode()
    assert (PHONE in page) == (level in SEEN_BY_LINK)
    assert (PHONE in vcard) == (level in SEEN_BY_LINK)


@pytest.mark.parametrize("level", Level.values)
def test_the_owner_always_sees_every_field(level, owner, client):
    _set_phone_level(owner, level)
    client.force_login(owner)
    assert PHONE in client.get(reverse("people:me")).content.decode()
    assert PHONE in client.get(reverse("people:member_detail", args=[owner.pk])).content.decode()


def test_an_anonymous_visitor_without_the_link_sees_no_profile(owner, client):
    response = client.get(reverse("people:member_detail", args=[owner.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/api/members/{owner.pk}").status_code == 401
    assert client.get(reverse("people:card", args=["not-the-token"])).status_code == 404


@pytest.mark.parametrize("discoverability", [Discoverability.HIDDEN, Discoverability.CIRCLES])
def test_a_member_who_is_not_discoverable_is_found_nowhere(discoverability, owner, member, client):
    consent_update(profile=owner.profile, discoverability=discoverability, visibility={})
    client.force_login(member)
    assert client.get(reverse("people:member_detail", args=[owner.pk])).status_code == 404
    assert client.get(reverse("people:member_vcard", args=[owner.pk])).status_code == 404
    assert "Hélène Dupré" not in client.get(reverse("people:member_list"), {"q": "dupre"}).content.decode()
    key = api_token_create(user=member, name="t").key
    assert Client().get(f"/api/members/{owner.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 404
    assert Client().get("/api/members?q=helene", HTTP_AUTHORIZATION=f"Bearer {key}").json()["items"] == []


def test_a_hidden_member_still_shares_their_card_by_its_link(owner, client):
    consent_update(profile=owner.profile, discoverability=Discoverability.HIDDEN, visibility={})
    response = client.get(reverse("people:card", args=[owner.profile.card_token]))
    assert response.status_code == 200
    assert "Hélène Dupré" in response.content.decode()


def test_a_name_kept_to_oneself_keeps_the_member_out_of_search(owner, member, client):
    consent_update(profile=owner.profile, discoverability=Discoverability.MEMBERS, visibility={"name": Level.ONLY_ME})
    client.force_login(member)
    assert "Hélène" not in client.get(reverse("people:member_list"), {"q": "avocate"}).content.decode()


def test_search_never_matches_a_field_the_viewer_may_not_see(owner, member, client, django_capture_on_commit_callbacks):
    client.force_login(member)
    assert "Hélène" in client.get(reverse("people:member_list"), {"q": "negociation"}).content.decode()
    # Once it commits (the kept results follow the member directory's version).
    with django_capture_on_commit_callbacks(execute=True):
        consent_update(
            profile=owner.profile, discoverability=Discoverability.MEMBERS, visibility={"skills": Level.ONLY_ME}
        )
    assert "Hélène" not in client.get(reverse("people:member_list"), {"q": "negociation"}).content.decode()


def test_the_photo_follows_its_level(owner, member, client, settings, tmp_path):
    from people.services import photo_set
    from people.tests.images import png_upload

    settings.MEDIA_ROOT = tmp_path
    photo_set(profile=owner.profile, upload=png_upload())
    token = owner.profile.card_token
    client.force_login(member)
    assert client.get(reverse("people:member_photo", args=[owner.pk])).status_code == 200
    consent_update(profile=owner.profile, discoverability=Discoverability.MEMBERS, visibility={"photo": Level.ONLY_ME})
    assert client.get(reverse("people:member_photo", args=[owner.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("people:card_photo", args=[token])).status_code == 404


def test_the_qr_code_encodes_the_card_link_and_dies_with_it(owner, client):
    from people.services import card_token_renew

    old = owner.profile.card_token
    response = client.get(reverse("people:card_qr", args=[old]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    card_token_renew(profile=owner.profile)
    assert client.get(reverse("people:card_qr", args=[old])).status_code == 404
    assert client.get(reverse("people:card", args=[old])).status_code == 404
