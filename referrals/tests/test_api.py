"""Referrals over the API, with the pages' rules."""

import pytest

from circles import services as circle_services
from circles.models import Membership
from intros.services import block_create
from referrals import services
from referrals.models import Referral
from referrals.tests.conftest import PROSPECT, SECRETS

pytestmark = pytest.mark.django_db


def _give(api, auth, giver, club, receiver_id, **fields):
    payload = {"circle": club.slug, "receiver_id": receiver_id, **PROSPECT, **fields}
    return api.post("/api/referrals", payload, content_type="application/json", **auth(giver))


def test_the_api_needs_a_token(api, club):
    assert api.get("/api/referrals").status_code == 401
    assert api.get(f"/api/referrals/clubs/{club.slug}/statistics").status_code == 401
    assert api.post("/api/referrals", {}, content_type="application/json").status_code == 401
    assert api.post("/api/referrals/1/status", {}, content_type="application/json").status_code == 401


def test_give_list_and_move_along(api, auth, club, member, receiver):
    response = _give(api, auth, member, club, receiver.pk)
    assert response.status_code == 201, response.content
    given = response.json()
    assert given["direction"] == "given" and given["other_member"] == {"id": receiver.pk, "name": "Nora Haddad"}
    assert given["prospect"]["email"] == PROSPECT["prospect_email"] and given["status"] == "given"
    (received,) = api.get("/api/referrals?direction=received", **auth(receiver)).json()["items"]
    assert received["id"] == given["id"] and received["other_member"]["name"] == "Marc Leroy"
    url = f"/api/referrals/{given['id']}/status"
    response = api.post(url, {"status": "contacted"}, content_type="application/json", **auth(receiver))
    assert response.status_code == 200 and response.json()["contacted_at"]
    response = api.post(url, {"status": "won", "value": "4500.00"}, content_type="application/json", **auth(receiver))
    assert response.json()["status"] == "won" and response.json()["value"] == "4500.00"
    assert [r["id"] for r in api.get("/api/referrals?status=won", **auth(member)).json()["items"]] == [given["id"]]
    assert api.get("/api/referrals?status=open", **auth(member)).json()["items"] == []
    assert api.get("/api/referrals?status=maybe", **auth(member)).status_code == 422


def test_refusals_are_422_with_their_message(api, auth, club, member, receiver):
    response = _give(api, auth, member, club, member.pk)
    assert response.status_code == 422 and response.json()["detail"] == str(services.CANNOT_REFER_YOURSELF)
    referral_id = _give(api, auth, member, club, receiver.pk).json()["id"]
    url = f"/api/referrals/{referral_id}/status"
    response = api.post(url, {"status": "won", "value": "-5"}, content_type="application/json", **auth(receiver))
    assert response.status_code == 422 and response.json()["detail"] == str(services.VALUE_NEGATIVE)
    response = api.post(url, {"status": "won"}, content_type="application/json", **auth(member))
    assert response.status_code == 422 and response.json()["detail"] == str(services.NOT_YOURS)
    assert Referral.objects.get().status == "given"


def test_someone_else_s_referral_and_club_are_404(api, auth, club, give, owner, fellow, stranger):
    referral = give()
    for someone in (owner, fellow, stranger):
        assert api.get(f"/api/referrals/{referral.pk}", **auth(someone)).status_code == 404
        response = api.post(
            f"/api/referrals/{referral.pk}/status", {"status": "contacted"}, content_type="application/json",
            **auth(someone),
        )  # fmt: skip
        assert response.status_code == 404
        assert api.post(f"/api/referrals/{referral.pk}/withdraw", **auth(someone)).status_code == 404
    response = api.get(f"/api/referrals/clubs/{club.slug}/statistics", **auth(stranger))
    assert response.status_code == 404 and "Nora" not in response.content.decode()
    assert _give(api, auth, stranger, club, fellow.pk).status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == "given"


def test_a_member_one_may_not_reach_is_a_404(api, auth, club, member, receiver, fellow):
    block_create(blocker=receiver, blocked=member)
    assert _give(api, auth, member, club, receiver.pk).status_code == 404
    circle_services.membership_leave(membership=Membership.objects.get(circle=club, member=fellow))
    assert _give(api, auth, member, club, fellow.pk).status_code == 404
    assert _give(api, auth, member, club, 999_999).status_code == 404
    assert not Referral.objects.exists()


def test_the_giver_withdraws(api, auth, give, member):
    referral = give()
    assert api.post(f"/api/referrals/{referral.pk}/withdraw", **auth(member)).status_code == 204
    assert not Referral.objects.exists()


def test_club_statistics_for_its_members_counts_and_values_only(api, auth, club, give, receiver, fellow):
    referral = give()
    services.referral_update_status(referral=referral, member=receiver, status="won", value="1500")
    data = api.get(f"/api/referrals/clubs/{club.slug}/statistics", **auth(fellow)).json()
    assert data["last_12_months"]["totals"] == {
        "referrals": 1, "open": 0, "won": 1, "lost": 0, "value": "1500.00", "conversion": 1.0,
    }  # fmt: skip
    nora = next(m for m in data["all_time"]["members"] if m["member"] and m["member"]["id"] == receiver.pk)
    assert nora["received"] == 1 and nora["won"] == 1 and nora["value_won"] == "1500.00"
    assert not [s for s in SECRETS if s in str(data)]
