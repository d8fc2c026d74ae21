"""The nightly housekeeping: what only takes room goes, what a cap still counts stays."""

import datetime as dt

import pytest
from django.utils import timezone

from circles.models import InvitationAttempt
from intros.models import RequestSent
from operations.services import housekeeping_run
from referrals.models import ReferralGiven

pytestmark = pytest.mark.django_db


def test_rows_the_abuse_caps_no_longer_count_are_forgotten(owner, member, make_circle):
    circle = make_circle()
    now = timezone.now()
    for days_ago in (30, 1):
        moment = now - dt.timedelta(days=days_ago)
        InvitationAttempt.objects.create(circle=circle, inviter=owner, created_at=moment)
        RequestSent.objects.create(sender=owner, recipient=member, created_at=moment)
        ReferralGiven.objects.create(giver=owner, circle=circle, created_at=moment)

    assert housekeeping_run(now=now)["cap_records_forgotten"] == 3

    # Yesterday's rows still count against today's caps.
    assert [InvitationAttempt.objects.count(), RequestSent.objects.count(), ReferralGiven.objects.count()] == [1, 1, 1]
