"""Referrals in the account export; deleting an account deletes the referrals it gave and received;
the demo's referral clubs have referrals, the demo login some given and some received."""

from decimal import Decimal

import pytest

from people.selectors import account_export
from people.services import account_delete
from referrals import services
from referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_the_export_carries_my_referrals_with_their_prospects(give, member, receiver, fellow):
    referral = give()
    services.referral_update_status(referral=referral, member=receiver, status="won", value="990.90")
    give(giver=fellow, to=member, prospect_name="Sophie Bernard")
    data = account_export(user=member)["referrals"]
    (given,) = data["given"]
    assert given["to_member_id"] == receiver.pk and given["status"] == "won" and given["value_eur"] == "990.90"
    assert given["prospect"]["email"] == "julien.garcia@boulangerie-panier.example"
    assert given["circle"] == "Club Affaires Vieux-Port" and given["won_at"]
    (received,) = data["received"]
    assert received["from_member_id"] == fellow.pk and received["prospect"]["name"] == "Sophie Bernard"
    assert "Marc" not in str(data) and "Paul" not in str(data)  # other members by id only
    assert account_export(user=receiver)["referrals"]["received"][0]["prospect"]["name"] == "Julien Garcia"


def test_deleting_an_account_deletes_the_referrals_it_gave_and_received(give, member, receiver, fellow):
    give()
    give(giver=fellow, to=member, prospect_name="Sophie Bernard")
    kept = give(giver=fellow, to=receiver, prospect_name="Karim Roux")
    account_delete(user=member, password="correct horse battery")
    assert list(Referral.objects.all()) == [kept]


def test_the_demo_has_referrals_in_its_referral_clubs(cities):
    from circles.demo import REFERRAL_CLUB
    from people.demo import DEMO_LOGIN, demo_load
    from people.models import User

    demo_load(seed=5, members=120)
    camille = User.objects.get(email=DEMO_LOGIN)
    club = Referral.objects.filter(circle__name=REFERRAL_CLUB)
    assert club.filter(giver=camille).count() >= 5 and club.filter(receiver=camille).count() >= 6
    assert {r.status for r in club.filter(giver=camille)} == {"given", "contacted", "won", "lost"}
    assert {r.status for r in Referral.objects.all()} == {"given", "contacted", "won", "lost"}
    assert not Referral.objects.exclude(circle__family="referral").exists()
    for referral in Referral.objects.select_related("circle"):
        assert referral.circle.memberships.filter(member=referral.giver, status="active").exists()
        assert referral.circle.memberships.filter(member=referral.receiver, status="active").exists()
        assert referral.giver_id != referral.receiver_id
        assert (referral.value is not None) == (referral.status == "won")
        assert referral.value is None or referral.value > Decimal("0")
    first = list(Referral.objects.order_by("id").values_list("prospect_name", "status", "value"))
    demo_load(seed=5, members=120)
    assert list(Referral.objects.order_by("id").values_list("prospect_name", "status", "value")) == first
