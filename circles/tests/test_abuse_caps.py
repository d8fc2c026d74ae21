"""Caps on what writes to many people: announcements per circle, reports per reporter. Each refusal
is a clear message on the page, never an error page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from circles import services
from circles.models import Report
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def circle(owner, member, make_circle):
    circle = make_circle(owner, name="Déjeuners du Panier")
    services.membership_join(circle=circle, member=member)
    return circle


def test_a_circle_gets_three_announcements_a_day_whoever_sends_them(client, circle, owner, member):
    url = reverse("circles:announce", args=[circle.slug])
    client.force_login(owner)
    for n in range(services.ANNOUNCEMENTS_PER_DAY):
        client.post(url, {"text": f"Annonce numéro {n}."})
    response = client.post(url, {"text": "Une de trop."}, follow=True)
    refusal = str(services.TOO_MANY_ANNOUNCEMENTS % {"count": services.ANNOUNCEMENTS_PER_DAY})
    assert response.status_code == 200 and refusal in response.content.decode()
    assert Notification.objects.filter(recipient=member, kind=Kind.ANNOUNCEMENT).count() == 3
    # Another organizer of the same circle is held by the same cap.
    services.membership_set_role(membership=circle.memberships.get(member=member), organizer=owner, role="organizer")
    with pytest.raises(ValidationError) as error:
        services.announcement_send(circle=circle, organizer=member, text="Et moi ?")
    assert error.value.messages == [refusal]


def test_reports_past_the_daily_cap_are_refused_on_the_page(client, circle, owner, member, monkeypatch):
    monkeypatch.setattr(services, "REPORTS_PER_DAY", 2)
    for n in range(2):
        services.report_create(circle=circle, reporter=member, about=f"Message {n}", reason="Spam")
    client.force_login(member)
    response = client.post(reverse("circles:report", args=[circle.slug]), {"reported": owner.pk, "reason": "Encore."})
    assert response.status_code == 200
    assert str(services.TOO_MANY_REPORTS % {"count": 2}) in response.content.decode()
    assert Report.objects.count() == 2
