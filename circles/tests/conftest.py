"""Circles of every kind, made through the services like the pages do."""

import pytest

from circles import services
from circles.models import MembershipMode, Visibility
from circles.vocab import Family
from people.services import profile_update


@pytest.fixture
def make_circle(cities):
    def make(creator, name="Déjeuners d'affaires Marseille", **fields):
        fields.setdefault("family", Family.BUSINESS)
        fields.setdefault("city", cities["Marseille"])
        return services.circle_create(creator=creator, name=name, **fields)

    return make


@pytest.fixture
def with_profession():
    def give(user, profession="", other=""):
        profile_update(profile=user.profile, profession=profession or "other", profession_other=other)
        user.profile.refresh_from_db()
        return user

    return give


@pytest.fixture
def world(owner, member, stranger, make_circle, with_profession):
    """The owner organizes four circles, one of each kind; the member is active in all of them."""
    public = make_circle(owner, name="Déjeuners du Panier", charter="Bienveillance et franchise.")
    members_only = make_circle(
        owner,
        name="Femmes Entrepreneures Provence",
        family=Family.PEERS,
        visibility=Visibility.MEMBERS,
        membership_mode=MembershipMode.REQUEST,
    )
    unlisted = make_circle(owner, name="Cercle Discret", family=Family.TECH, visibility=Visibility.UNLISTED)
    cooptation = make_circle(
        owner, name="Club Affaires Vieux-Port", family=Family.REFERRAL, membership_mode=MembershipMode.COOPTATION
    )
    with_profession(member, "accountant")
    services.membership_join(circle=public, member=member)
    services.membership_join(circle=unlisted, member=member)
    request = services.membership_join(circle=members_only, member=member, message="Bonjour !")
    services.membership_request_decide(membership=request, organizer=owner, approve=True)
    invited = services.invitation_create(circle=cooptation, inviter=owner, email=member.email)
    services.membership_accept_invitation(membership=invited)
    return {"public": public, "members": members_only, "unlisted": unlisted, "cooptation": cooptation}
