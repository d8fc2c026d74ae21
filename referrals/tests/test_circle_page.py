"""What referrals add to the circles' pages: the "My referrals" link in the circles' menu and the
referral club's panel on its page, both read by the view's context (no template tag queries)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from circles import services as circle_services
from circles.models import Membership, MembershipMode, Status
from circles.vocab import Family
from referrals.templatetags.referrals_tags import register

pytestmark = pytest.mark.django_db

PANEL = "referral given in the last 12 months"


def _page(client, url) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_the_circles_menu_offers_my_referrals_to_a_referral_club_member_only(client, club, member, owner, stranger):
    lunches = circle_services.circle_create(creator=owner, name="Déjeuners du Panier", family=Family.BUSINESS)
    circle_services.membership_join(circle=lunches, member=stranger)
    client.force_login(member)
    for url in (reverse("circles:browse"), reverse("circles:mine"), reverse("circles:detail", args=[lunches.slug])):
        assert reverse("referrals:index") in _page(client, url)
    client.force_login(stranger)
    for url in (reverse("circles:browse"), reverse("circles:mine"), reverse("circles:detail", args=[lunches.slug])):
        assert reverse("referrals:index") not in _page(client, url)


def test_a_former_member_keeps_the_link_to_their_referrals_but_not_the_panel(client, club, give, member):
    give()
    circle_services.membership_leave(membership=Membership.objects.get(circle=club, member=member))
    client.force_login(member)
    page = _page(client, reverse("circles:detail", args=[club.slug]))
    assert reverse("referrals:index") in page  # they still have a referral
    assert PANEL not in page and reverse("referrals:stats", args=[club.slug]) not in page


def test_the_panel_is_for_active_members_of_a_referral_club_only(client, make_club, owner, stranger):
    on_request = make_club(owner, name="Club Affaires Prado", membership_mode=MembershipMode.REQUEST)
    requested = circle_services.membership_join(circle=on_request, member=stranger, message="Bonjour")
    assert requested.status == Status.REQUESTED
    client.force_login(stranger)
    page = _page(client, reverse("circles:detail", args=[on_request.slug]))
    assert PANEL not in page and reverse("referrals:give", args=[on_request.slug]) not in page
    client.force_login(owner)
    page = _page(client, reverse("circles:detail", args=[on_request.slug]))
    assert "0 referrals given in the last 12 months" in page
    assert reverse("referrals:give", args=[on_request.slug]) in page
    client.logout()
    page = _page(client, reverse("circles:detail", args=[on_request.slug]))
    assert "referrals-panel" not in page and reverse("referrals:index") not in page


def test_pages_without_the_circles_menu_ask_nothing_about_referrals(client, stranger):
    client.force_login(stranger)
    with CaptureQueriesContext(connection) as dashboard:
        client.get(reverse("network:dashboard"))
    assert not [q for q in dashboard.captured_queries if "referrals_referral" in q["sql"]]
    with CaptureQueriesContext(connection) as circles:
        client.get(reverse("circles:browse"))
    assert [q for q in circles.captured_queries if "referrals_referral" in q["sql"]]


def test_the_referrals_template_tags_only_format():
    assert register.tags == {}
    assert set(register.filters) == {"euros", "percent"}
