"""Invited into a cooptation circle, a member RSVPs to a full event, waits, and gets the seat."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from circles import services as circles
from circles.models import MembershipMode
from events import services as events
from people.services import profile_update

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/network/$"))


def test_join_by_invitation_wait_for_a_full_event_and_get_promoted(browser, live_server, owner, make_member):
    club = circles.circle_create(
        creator=owner, name="Club Affaires Vieux-Port", family="referral", membership_mode=MembershipMode.COOPTATION
    )
    regular = make_member("paul.girard@example.org", display_name="Paul Girard", profession="accountant")
    circles.membership_accept_invitation(
        membership=circles.invitation_create(circle=club, inviter=owner, email=regular.email)
    )
    newcomer = make_member("lea.garnier@example.org", display_name="Léa Garnier")
    profile_update(profile=newcomer.profile, profession="photographer")
    circles.invitation_create(circle=club, inviter=owner, email=newcomer.email)
    start = timezone.now() + dt.timedelta(days=5)
    breakfast = events.event_create(
        organizer=owner,
        circle=club,
        title="Petit-déjeuner du club",
        format="breakfast",
        family="referral",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=2,
    )
    events.rsvp_submit(member=owner, event=breakfast, going=True)
    events.rsvp_submit(member=regular, event=breakfast, going=True)

    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _log_in(page, live_server.url, newcomer.email)
        page.goto(f"{live_server.url}/circles/{club.slug}/")
        page.get_by_role("button", name="Accept the invitation").click()
        expect(page.get_by_text("You are a member of this circle.")).to_be_visible()

        page.goto(f"{live_server.url}/events/{breakfast.pk}/")
        page.get_by_role("button", name="Join the waitlist").click()
        expect(page.get_by_role("button", name="Leave the waitlist")).to_be_visible()

        events.rsvp_submit(member=regular, event=breakfast, going=False)  # Paul cannot come after all

        page.reload()
        expect(page.get_by_role("button", name="I can't come after all")).to_be_visible()
        breakfast.refresh_from_db()
        assert breakfast.seats_taken == 2
    finally:
        context.close()
