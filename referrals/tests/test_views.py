"""The pages: my referrals with filters, a referral's page and its actions, giving one, the panel on
a referral club's page and the links to them, in French and in English."""

import pytest
from django.urls import reverse

from circles import services as circle_services
from circles.vocab import Family
from referrals import services
from referrals.models import Referral
from referrals.tests.conftest import PROSPECT

pytestmark = pytest.mark.django_db


def _page(client, url, **params) -> str:
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_giving_a_referral_from_the_page(client, club, member, receiver):
    client.force_login(member)
    page = _page(client, reverse("referrals:give", args=[club.slug]))
    assert "Nora Haddad" in page and "Paul Simon" in page and "Hélène Dupré" in page
    assert f'value="{member.pk}"' not in page  # not to oneself
    response = client.post(
        reverse("referrals:give", args=[club.slug]), {**PROSPECT, "receiver": receiver.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert referral.receiver == receiver and referral.prospect_company == "Boulangerie du Panier"


def test_a_refusal_is_shown_on_the_form(client, club, member, receiver, give):
    give()
    client.force_login(member)
    response = client.post(
        reverse("referrals:give", args=[club.slug]), {**PROSPECT, "receiver": receiver.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "You already gave this member an open referral for this prospect." in response.content.decode()
    assert Referral.objects.count() == 1


def test_the_need_is_rendered_safely(client, give, receiver):
    referral = give()
    client.force_login(receiver)
    page = _page(client, reverse("referrals:detail", args=[referral.pk]))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_receiver_moves_it_along_and_the_giver_sees_it(client, give, member, receiver):
    referral = give()
    client.force_login(receiver)
    page = _page(client, reverse("referrals:detail", args=[referral.pk]))
    assert "Marc Leroy gave it to you in Club Affaires Vieux-Port." in page and "Update the status" in page
    url = reverse("referrals:update_status", args=[referral.pk])
    client.post(url, {"status": "contacted"})
    client.post(url, {"status": "won", "value": "1234,5"})  # French input, the default language
    referral.refresh_from_db()
    assert referral.status == "won" and str(referral.value) == "1234.50"
    client.force_login(member)
    page = _page(client, reverse("referrals:detail", args=[referral.pk]))
    assert "You gave it to Nora Haddad in Club Affaires Vieux-Port." in page
    assert "€1,234.50" in page and "Update the status" not in page
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()  # French
    assert "1\xa0234,50\xa0€" in page


def test_an_invalid_move_is_refused_with_a_message(client, give, receiver):
    referral = give()
    client.force_login(receiver)
    url = reverse("referrals:update_status", args=[referral.pk])
    client.post(url, {"status": "won"}, HTTP_ACCEPT_LANGUAGE="en")
    page = _page(client, reverse("referrals:detail", args=[referral.pk]))
    assert "Give the value of the business won, in euros" in page
    assert Referral.objects.get(pk=referral.pk).status == "given"


def test_the_giver_cannot_move_the_status_but_may_withdraw(client, give, member):
    referral = give()
    client.force_login(member)
    client.post(reverse("referrals:update_status", args=[referral.pk]), {"status": "won", "value": "10"})
    assert Referral.objects.get(pk=referral.pk).status == "given"
    page = _page(client, reverse("referrals:detail", args=[referral.pk]))
    assert "Withdraw this referral" in page
    response = client.post(reverse("referrals:withdraw", args=[referral.pk]))
    assert response.status_code == 302 and not Referral.objects.exists()


def test_my_referrals_filtered_by_direction_and_status(client, give, member, receiver, fellow):
    to_nora = give(prospect_name="Sophie Bernard")
    services.referral_update_status(referral=to_nora, member=receiver, status="won", value=900)
    give(to=fellow, prospect_name="Karim Roux")
    give(giver=receiver, to=member, prospect_name="Léa Giraud")
    client.force_login(member)
    page = _page(client, reverse("referrals:index"))
    assert all(name in page for name in ["Sophie Bernard", "Karim Roux", "Léa Giraud"])
    assert "Given to Nora Haddad" in page and "Received from Nora Haddad" in page and "€900.00" in page
    page = _page(client, reverse("referrals:index"), direction="received")
    assert "Léa Giraud" in page and "Sophie Bernard" not in page and "Karim Roux" not in page
    page = _page(client, reverse("referrals:index"), direction="given", status="open")
    assert "Karim Roux" in page and "Sophie Bernard" not in page and "Léa Giraud" not in page
    page = _page(client, reverse("referrals:index"), status="won")
    assert "Sophie Bernard" in page and "Karim Roux" not in page
    assert "No referral matches these filters." in _page(client, reverse("referrals:index"), status="lost")


def test_the_referral_club_page_shows_the_panel_to_its_members_only(client, club, give, member, receiver, stranger):
    referral = give()
    services.referral_update_status(referral=referral, member=receiver, status="won", value="2500")
    client.force_login(member)
    page = _page(client, reverse("circles:detail", args=[club.slug]))
    assert "1 referral given in the last 12 months" in page and "€2,500.00 of business won" in page
    assert reverse("referrals:stats", args=[club.slug]) in page and reverse("referrals:give", args=[club.slug]) in page
    assert reverse("referrals:index") in page  # "My referrals" in the circles' menu
    french = client.get(reverse("circles:detail", args=[club.slug])).content.decode()
    assert "2\xa0500,00\xa0€" in french
    client.force_login(stranger)
    page = _page(client, reverse("circles:detail", args=[club.slug]))
    assert reverse("referrals:stats", args=[club.slug]) not in page and "2,500" not in page
    assert reverse("referrals:index") not in page
    assert "Julien Garcia" not in page


def test_other_circles_have_no_referral_panel(client, make_club, owner, member):
    lunches = make_club(owner, name="Déjeuners du Panier", family=Family.BUSINESS)
    circle_services.membership_join(circle=lunches, member=member)
    client.force_login(member)
    page = _page(client, reverse("circles:detail", args=[lunches.slug]))
    assert "Give a referral" not in page


def test_the_give_page_in_french_by_default(client, club, member):
    client.force_login(member)
    page = client.get(reverse("referrals:give", args=[club.slug])).content.decode()
    assert '<html lang="fr">' in page and "Nora Haddad" in page


def test_my_referrals_take_the_same_number_of_queries_however_many(client, give, member, receiver, fellow, owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    give(prospect_name="A")
    give(giver=receiver, to=member, prospect_name="B")
    client.force_login(member)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("referrals:index"))
    for n, (giver, to) in enumerate([(member, fellow), (owner, member), (fellow, member), (member, owner)]):
        give(giver=giver, to=to, prospect_name=f"Prospect {n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("referrals:index")).content.decode()
    assert "Prospect 3" in page and len(many.captured_queries) == len(few.captured_queries)
