"""Caps on what rings other members: connection requests (a withdrawn one still counts) and
reports about a member (one report, however many circles it reaches, counts once)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from circles import services as circles_services
from circles.models import Report
from intros import services
from intros.models import ConnectionRequest, RequestSent
from intros.tests.conftest import REASON
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _send(sender, recipient):
    return services.connection_request_send(sender=sender, recipient=recipient, reason=REASON)


def test_withdrawing_and_asking_again_rings_a_member_three_times_a_week_at_most(client, owner, member):
    for _ in range(services.MAX_REQUESTS_TO_ONE_PER_WEEK):
        services.connection_request_withdraw(request=_send(member, owner), sender=member)
    client.force_login(member)
    response = client.post(reverse("intros:request_send", args=[owner.pk]), {"reason": REASON}, follow=True)
    assert response.status_code == 200 and str(services.TOO_MANY_TO_ONE) in response.content.decode()
    assert not ConnectionRequest.objects.exists()
    assert Notification.objects.filter(recipient=owner, kind=Kind.CONNECTION_REQUEST).count() == 3
    RequestSent.objects.update(created_at=timezone.now() - dt.timedelta(days=8))  # a week later
    assert _send(member, owner).recipient == owner


def test_requests_are_capped_per_day_withdrawn_ones_included(member, open_member, monkeypatch):
    monkeypatch.setattr(services, "MAX_REQUESTS_PER_DAY", 2)
    first, second, third = open_member(), open_member(), open_member()
    services.connection_request_withdraw(request=_send(member, first), sender=member)
    _send(member, second)
    with pytest.raises(ValidationError) as error:
        _send(member, third)
    assert error.value.messages == [str(services.TOO_MANY_TODAY)]


def test_reports_about_members_are_capped_per_day_one_report_counting_once(client, owner, member, cities, monkeypatch):
    monkeypatch.setattr(circles_services, "REPORTS_PER_DAY", 2)
    for name in ("Déjeuners du Panier", "Club du Vieux-Port"):
        circle = circles_services.circle_create(creator=owner, name=name, family="business", city=cities["Marseille"])
        circles_services.membership_join(circle=circle, member=member)
    for reason in ("Messages insistants.", "Démarchage commercial."):
        assert len(services.member_report(reporter=member, reported=owner, reason=reason)) == 2
    client.force_login(member)
    response = client.post(reverse("intros:report", args=[owner.pk]), {"reason": "Encore."}, follow=True)
    assert response.status_code == 200
    assert str(circles_services.TOO_MANY_REPORTS % {"count": 2}) in response.content.decode()
    assert Report.objects.count() == 4
