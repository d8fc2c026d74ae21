"""A daily cap on referrals given: withdrawing one (which deletes it) does not give the place back,
so giving and withdrawing cannot ring a fellow member again and again."""

import pytest
from django.urls import reverse
from django.utils import translation

from notifications.models import Kind, Notification
from referrals import services
from referrals.models import Referral
from referrals.tests.conftest import PROSPECT

pytestmark = pytest.mark.django_db


def test_giving_and_withdrawing_counts_against_the_daily_cap(client, club, member, receiver, give, monkeypatch):
    monkeypatch.setattr(services, "MAX_PER_DAY", 2)
    for _ in range(2):
        services.referral_withdraw(referral=give(), member=member)
    client.force_login(member)
    response = client.post(
        reverse("referrals:give", args=[club.slug]), {**PROSPECT, "receiver": receiver.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    with translation.override("en"):
        assert str(services.TOO_MANY_TODAY) in response.content.decode()
    assert not Referral.objects.exists()
    assert Notification.objects.filter(recipient=receiver, kind=Kind.REFERRAL).count() == 4
