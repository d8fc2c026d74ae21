"""Coffee pairings in the account export (as the member may see their partners) and the deletion."""

import pytest

from circles.models import Circle, Membership, Status
from circles.vocab import Family
from matching import services
from matching.models import Dismissal, MatchWeights, PairingGroup, PairingMember
from matching.pairing import pairing_answer, pairing_round_create
from people.models import Level
from people.selectors import account_export
from people.services import account_delete, consent_update

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def circle(owner, teacher):
    made = Circle.objects.create(name="Café Vieux-Port", slug="cafe-vieux-port", family=Family.BUSINESS)
    for user in (owner, teacher):
        Membership.objects.create(circle=made, member=user, status=Status.ACTIVE, pairing_opt_in=True)
    return made


def test_the_export_holds_my_pairings_answers_and_opt_ins(owner, teacher, circle):
    pairing_round_create(circle=circle)
    pairing_answer(pairing=PairingMember.objects.get(member=owner), met=True)
    section = account_export(user=owner)["matching"]
    assert section["pairing_opt_ins"] == [
        {"circle": "Café Vieux-Port", "circle_slug": "cafe-vieux-port", "pairing_opt_in": True}
    ]
    [pairing] = section["pairings"]
    assert pairing["circle"] == "Café Vieux-Port" and pairing["round"] == 1
    assert pairing["partners"] == [{"member_id": teacher.pk, "name": "Léa Fontaine"}]
    assert pairing["we_met"] is True and pairing["answered_at"] and pairing["suggested_format"] == "breakfast"
    assert account_export(user=teacher)["matching"]["pairings"][0]["we_met"] is None  # her answer is hers


def test_a_partner_is_exported_only_as_i_may_see_them(owner, teacher, circle):
    consent_update(profile=teacher.profile, discoverability="members", visibility={"name": Level.ONLY_ME})
    pairing_round_create(circle=circle)
    [pairing] = account_export(user=owner)["matching"]["pairings"]
    assert pairing["partners"] == [{"member_id": teacher.pk, "name": None}]


def test_deleting_the_account_deletes_its_matching_data(owner, teacher, circle):
    pairing_round_create(circle=circle)
    services.suggestion_dismiss(member=owner, dismissed=teacher)
    services.suggestion_dismiss(member=teacher, dismissed=owner)
    services.weights_update(member=owner, spirit=2.0)
    account_delete(user=owner, password=PASSWORD)
    assert not Dismissal.objects.exists() and not MatchWeights.objects.exists()
    assert list(PairingMember.objects.values_list("member_id", flat=True)) == [teacher.pk]
    assert PairingGroup.objects.count() == 1  # the partner keeps their own round, without me
    assert account_export(user=teacher)["matching"]["pairings"][0]["partners"] == []


def test_a_partner_who_deletes_their_account_leaves_no_name_in_the_pairing_notice(owner, teacher, circle):
    from django.urls import reverse

    from notifications.emails import as_recipient, render_message

    pairing_round_create(circle=circle)
    [notice] = teacher.notifications.all()
    assert notice.url == reverse("people:member_detail", args=[owner.pk])

    account_delete(user=owner, password=PASSWORD)

    notice.refresh_from_db()
    with as_recipient(teacher):
        assert render_message(notice).startswith("Café en binôme dans Café Vieux-Port : rencontrez un ancien membre.")
    assert "Hélène" not in str(notice.params) and notice.url == ""  # their page went with them
