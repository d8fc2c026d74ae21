"""A prospect's details are the giver's and the receiver's alone: organizers and fellow members
see counts and values, on every surface (pages, API, notifications, export)."""

import pytest
from django.urls import reverse

from people.models import Discoverability, Level
from people.selectors import account_export
from people.services import consent_update
from referrals import services
from referrals.tests.conftest import SECRETS

pytestmark = pytest.mark.django_db


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def test_the_giver_and_the_receiver_see_the_prospect(client, give, member, receiver):
    referral = give()
    for someone in (member, receiver):
        client.force_login(someone)
        page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
        assert "Julien Garcia" in page and "julien.garcia@boulangerie-panier.example" in page
        assert "+33 6 98 76 54 32" in page and "Boulangerie du Panier" in page


def test_organizers_and_fellow_members_never_see_a_prospect(client, give, club, owner, fellow, receiver, api, auth):
    referral = give()
    services.referral_update_status(referral=referral, member=receiver, status="won", value=700)
    for someone in (owner, fellow):
        client.force_login(someone)
        assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
        for url in [
            reverse("referrals:index"),
            reverse("referrals:stats", args=[club.slug]),
            reverse("circles:detail", args=[club.slug]),
            reverse("circles:manage", args=[club.slug]) if someone == owner else reverse("referrals:index"),
        ]:
            response = client.get(url)
            assert response.status_code == 200 and not _leaks(response.content.decode()), url
        for path in ["/api/referrals", f"/api/referrals/clubs/{club.slug}/statistics"]:
            assert not _leaks(api.get(path, **auth(someone)).content.decode())
        assert api.get(f"/api/referrals/{referral.pk}", **auth(someone)).status_code == 404
        assert not _leaks(str(account_export(user=someone)))


def test_the_receiver_sees_the_giver_only_as_their_settings_allow(client, give, member, receiver):
    referral = give()
    consent_update(profile=member.profile, discoverability=Discoverability.CIRCLES, visibility={"name": Level.ONLY_ME})
    client.force_login(receiver)
    page = client.get(reverse("referrals:detail", args=[referral.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Marc Leroy" not in page and "A Cercle member gave it to you" in page
    assert "Julien Garcia" in page  # the referral itself is still theirs
