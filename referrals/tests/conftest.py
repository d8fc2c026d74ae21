"""Personas for referrals, made through the services like the pages do.

In the referral club "Club Affaires Vieux-Port": the owner (Hélène, its organizer), the member
(Marc, who gives), Nora (who receives) and Paul (a fellow member, party to nothing). The stranger
(Zoé) belongs to no circle.
"""

import pytest
from django.test import Client

from circles import services as circle_services
from circles.vocab import Family
from people.services import api_token_create
from referrals import services

PROSPECT = {
    "prospect_name": "Julien Garcia",
    "prospect_company": "Boulangerie du Panier",
    "prospect_email": "julien.garcia@boulangerie-panier.example",
    "prospect_phone": "+33 6 98 76 54 32",
    "need": "Veut refaire son site web avant l'été <script>alert(1)</script>",
}
# What must never reach anybody but the giver and the receiver.
SECRETS = ["Julien Garcia", "Boulangerie du Panier", "boulangerie-panier.example", "98 76 54 32", "refaire son site"]


@pytest.fixture
def make_club(cities):
    def make(creator, name="Club Affaires Vieux-Port", **fields):
        fields.setdefault("family", Family.REFERRAL)
        fields.setdefault("city", cities["Marseille"])
        return circle_services.circle_create(creator=creator, name=name, **fields)

    return make


@pytest.fixture
def receiver(make_member, cities):
    return make_member("nora.haddad@example.org", display_name="Nora Haddad", city=cities["Marseille"])


@pytest.fixture
def fellow(make_member, cities):
    return make_member("paul.simon@example.org", display_name="Paul Simon", city=cities["Marseille"])


@pytest.fixture
def club(make_club, owner, member, receiver, fellow):
    """An open referral club: the owner organizes it, the member, the receiver and the fellow joined."""
    circle = make_club(owner)
    for someone in (member, receiver, fellow):
        circle_services.membership_join(circle=circle, member=someone)
    return circle


@pytest.fixture
def give(club, member, receiver):
    """The member gives the receiver a referral (or anyone anyone, with arguments)."""

    def make(giver=None, to=None, circle=None, **fields):
        return services.referral_give(
            giver=giver or member, circle=circle or club, receiver=to or receiver, **{**PROSPECT, **fields}
        )

    return make


@pytest.fixture
def api():
    return Client()


@pytest.fixture
def auth():
    def headers(user, language="en") -> dict:
        key = api_token_create(user=user, name="script").key
        return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": language}

    return headers
