"""Review findings: each test shows a bug a member would notice, fixed alongside."""

import pytest

from circles import services as circle_services
from circles.models import Membership
from circles.vocab import Family
from people.models import Discoverability
from people.selectors import account_export
from people.services import consent_update
from vouches import services
from vouches.tests.conftest import TEXT, profile_page

pytestmark = pytest.mark.django_db


def test_a_cached_profile_page_drops_the_vouch_once_viewer_and_author_no_longer_share_a_circle(
    client, owner, open_member, approved, cities
):
    """The author lets only their circles find them: a reader who shared a circle with them saw
    their vouch on the owner's page, and must stop seeing it (and their name) once they left it,
    although the page was cached before."""
    author, reader = open_member("Nora Auteure"), open_member("Paul Lecteur")
    approved(author, owner)
    consent_update(profile=author.profile, discoverability=Discoverability.CIRCLES, visibility={})
    circle = circle_services.circle_create(
        creator=author, name="Cercle commun", family=Family.BUSINESS, city=cities["Marseille"]
    )
    membership = circle_services.membership_join(circle=circle, member=reader)
    page = profile_page(client, reader, owner)
    assert TEXT in page and "Nora Auteure" in page
    circle_services.membership_leave(membership=Membership.objects.get(pk=membership.pk))
    page = profile_page(client, reader, owner)
    assert TEXT not in page and "Nora Auteure" not in page


def test_a_decline_leaves_no_trace_in_the_authors_export(owner, open_member, vouch_for):
    """The author is not told of a decline: their export reads the same before and after it."""
    author = open_member("Nora Auteure")
    vouch = vouch_for(author, owner)
    before = account_export(user=author)["vouches"]["written"]
    services.vouch_remove(vouch=vouch, subject=owner)
    assert account_export(user=author)["vouches"]["written"] == before
