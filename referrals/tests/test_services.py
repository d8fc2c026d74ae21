"""Giving a referral, moving it along its statuses, withdrawing it: the rules and their messages."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from circles import services as circle_services
from circles.models import Membership
from circles.vocab import Family
from intros.services import block_create
from notifications.emails import render_message
from notifications.models import Kind, Notification
from people.models import Discoverability
from people.services import consent_update
from referrals import services
from referrals.models import Referral, ReferralStatus
from referrals.tests.conftest import PROSPECT, SECRETS

pytestmark = pytest.mark.django_db


def _refused(message, call, *args, **kwargs):
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert caught.value.messages == [str(message)]


def _english(notification) -> str:
    with translation.override("en"):
        return render_message(notification)


def test_a_member_gives_a_fellow_member_a_referral_and_they_are_told(give, member, receiver, club):
    referral = give()
    assert referral.status == ReferralStatus.GIVEN and referral.created_at is not None
    assert (referral.giver, referral.receiver, referral.circle) == (member, receiver, club)
    (note,) = Notification.objects.filter(recipient=receiver)
    assert note.kind == Kind.REFERRAL and note.url == f"/referrals/{referral.pk}/"
    text = _english(note)
    assert text == "Marc Leroy gave you a referral in Club Affaires Vieux-Port."
    # The prospect's details never travel in a notification (nor its e-mail).
    assert not any(secret in str(note.params) for secret in SECRETS)


def test_only_a_referral_club_keeps_referrals(make_club, owner, member, receiver):
    lunches = make_club(owner, name="Déjeuners du Panier", family=Family.BUSINESS)
    for someone in (member, receiver):
        circle_services.membership_join(circle=lunches, member=someone)
    _refused(services.NOT_A_REFERRAL_CLUB, services.referral_give, giver=member, circle=lunches, receiver=receiver,
             **PROSPECT)  # fmt: skip
    assert not Referral.objects.exists()


def test_the_giver_must_be_an_active_member(give, club, stranger, member, receiver):
    _refused(services.NOT_A_MEMBER, give, giver=stranger)
    circle_services.membership_leave(membership=Membership.objects.get(circle=club, member=member))
    _refused(services.NOT_A_MEMBER, give)
    assert not Referral.objects.exists()


def test_the_receiver_must_be_an_active_fellow_member_and_not_the_giver(give, club, member, receiver, stranger):
    _refused(services.CANNOT_REFER_YOURSELF, give, to=member)
    _refused(services.RECEIVER_NOT_POSSIBLE, give, to=stranger)
    circle_services.membership_leave(membership=Membership.objects.get(circle=club, member=receiver))
    _refused(services.RECEIVER_NOT_POSSIBLE, give)
    assert not Referral.objects.exists()


@pytest.mark.parametrize("who_blocks", ["giver", "receiver"])
def test_no_referral_across_a_block_and_the_same_neutral_refusal(give, member, receiver, who_blocks):
    blocker, blocked = (member, receiver) if who_blocks == "giver" else (receiver, member)
    block_create(blocker=blocker, blocked=blocked)
    _refused(services.RECEIVER_NOT_POSSIBLE, give)
    assert not Referral.objects.exists()


def test_a_member_who_hides_from_the_giver_cannot_be_chosen(give, receiver):
    consent_update(profile=receiver.profile, discoverability=Discoverability.HIDDEN, visibility={})
    _refused(services.RECEIVER_NOT_POSSIBLE, give)


def test_the_prospect_needs_a_name_a_need_and_a_valid_email_if_any(give):
    _refused(services.PROSPECT_NAME_REQUIRED, give, prospect_name="   ")
    _refused(services.NEED_REQUIRED, give, need="  ")
    _refused(services.INVALID_EMAIL, give, prospect_email="julien@")
    referral = give(prospect_email="", prospect_phone="", prospect_company="")
    assert referral.prospect_email == "" and referral.prospect_name == "Julien Garcia"


def test_the_same_open_referral_is_not_given_twice(give, fellow):
    give()
    _refused(services.ALREADY_GIVEN, give, prospect_name="julien  GARCIA")
    assert give(to=fellow).receiver == fellow  # another member may receive the same prospect


def test_given_contacted_won_with_its_value_each_change_dated_and_told(give, member, receiver):
    referral = give()
    contacted = services.referral_update_status(referral=referral, member=receiver, status="contacted")
    assert contacted.status == "contacted" and contacted.contacted_at >= contacted.created_at
    won = services.referral_update_status(referral=referral, member=receiver, status="won", value="1234.5")
    won.refresh_from_db()
    assert won.status == "won" and won.value == Decimal("1234.50") and won.won_at >= won.contacted_at
    texts = [_english(n) for n in Notification.objects.filter(recipient=member).order_by("id")]
    assert texts == [
        "Nora Haddad contacted the prospect you referred in Club Affaires Vieux-Port.",
        "Nora Haddad won the business you referred in Club Affaires Vieux-Port. Thank you!",
    ]


def test_a_referral_may_be_lost_straight_away_with_a_reason(give, member, receiver):
    referral = give()
    lost = services.referral_update_status(
        referral=referral, member=receiver, status="lost", lost_reason="  Budget reporté.  "
    )
    assert lost.status == "lost" and lost.lost_reason == "Budget reporté." and lost.lost_at is not None
    assert lost.contacted_at is None and lost.value is None
    assert "did not win" in _english(Notification.objects.get(recipient=member))


def test_won_and_lost_are_final_and_other_moves_are_refused_clearly(give, receiver, fellow):
    referral = give()
    _refused(services.INVALID_TRANSITION, services.referral_update_status, referral=referral, member=receiver,
             status="given")  # fmt: skip
    _refused(services.INVALID_TRANSITION, services.referral_update_status, referral=referral, member=receiver,
             status="promised")  # fmt: skip
    services.referral_update_status(referral=referral, member=receiver, status="contacted")
    _refused(services.INVALID_TRANSITION, services.referral_update_status, referral=referral, member=receiver,
             status="contacted")  # fmt: skip
    services.referral_update_status(referral=referral, member=receiver, status="won", value=0)
    for status in ["lost", "contacted", "won"]:
        _refused(services.ALREADY_CLOSED, services.referral_update_status, referral=referral, member=receiver,
                 status=status, value=10 if status == "won" else None)  # fmt: skip
    lost = give(to=fellow, prospect_name="Sophie Bernard")
    services.referral_update_status(referral=lost, member=fellow, status="lost")
    _refused(services.ALREADY_CLOSED, services.referral_update_status, referral=lost, member=fellow, status="won",
             value=100)  # fmt: skip
    assert Referral.objects.get(pk=referral.pk).value == Decimal("0.00")


def test_the_value_is_required_when_won_never_negative_and_only_when_won(give, receiver):
    referral = give()
    update = services.referral_update_status
    _refused(services.VALUE_REQUIRED, update, referral=referral, member=receiver, status="won")
    _refused(services.VALUE_REQUIRED, update, referral=referral, member=receiver, status="won", value="beaucoup")
    _refused(services.VALUE_NEGATIVE, update, referral=referral, member=receiver, status="won", value="-1")
    _refused(services.VALUE_TOO_LARGE, update, referral=referral, member=receiver, status="won", value="1e12")
    _refused(services.VALUE_TOO_LARGE, update, referral=referral, member=receiver, status="won", value="1e27")
    _refused(services.VALUE_ONLY_WHEN_WON, update, referral=referral, member=receiver, status="contacted", value=5)
    assert Referral.objects.get(pk=referral.pk).status == "given"


def test_a_value_typed_as_minus_zero_is_zero(give, receiver):
    referral = services.referral_update_status(referral=give(), member=receiver, status="won", value="-0")
    assert str(referral.value) == str(Referral.objects.get(pk=referral.pk).value) == "0.00"


def test_the_database_refuses_a_value_on_a_referral_not_won(give):
    referral = give()
    with pytest.raises(IntegrityError):
        Referral.objects.filter(pk=referral.pk).update(value=Decimal("10"))


def test_only_the_receiver_moves_the_status(give, member, fellow):
    referral = give()
    for someone in (member, fellow):
        _refused(services.NOT_YOURS, services.referral_update_status, referral=referral, member=someone,
                 status="contacted")  # fmt: skip
    assert Referral.objects.get(pk=referral.pk).status == "given"


def test_the_giver_withdraws_a_referral_not_yet_contacted(give, member, receiver):
    referral = give()
    _refused(services.CANNOT_WITHDRAW, services.referral_withdraw, referral=referral, member=receiver)
    services.referral_withdraw(referral=referral, member=member)
    assert not Referral.objects.exists()
    note = Notification.objects.filter(recipient=receiver).order_by("-id").first()
    assert _english(note) == "Marc Leroy withdrew a referral they gave you in Club Affaires Vieux-Port."
    contacted = give()
    services.referral_update_status(referral=contacted, member=receiver, status="contacted")
    _refused(services.CANNOT_WITHDRAW, services.referral_withdraw, referral=contacted, member=member)
    assert Referral.objects.filter(pk=contacted.pk).exists()


def test_a_block_after_the_referral_silences_notifications_but_keeps_the_record(give, member, receiver):
    referral = give()
    block_create(blocker=member, blocked=receiver)
    services.referral_update_status(referral=referral, member=receiver, status="won", value=500)
    assert not Notification.objects.filter(recipient=member).exists()
    assert Referral.objects.get(pk=referral.pk).status == "won"


def test_a_giver_who_hides_their_name_is_not_named_in_the_notification(give, member, receiver):
    from people.models import Level

    consent_update(profile=member.profile, discoverability=Discoverability.CIRCLES, visibility={"name": Level.ONLY_ME})
    give()
    note = Notification.objects.get(recipient=receiver)
    assert _english(note) == "A member of Club Affaires Vieux-Port gave you a referral."
    assert "Marc" not in str(note.params)
